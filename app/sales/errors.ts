import { COMMON_ERRORS, defineErrors, errorsOf, workflowAvailabilityErrors, type AllCatalogued, type CommonReason } from '../errors.js';
import type { SaleRejection } from '../../domain/sales/sale-state.js';

/** The errors of the sales module (pure: the console bundles it). See app/errors.ts. */
export const SALE_ERRORS = defineErrors({
  SALE_NOT_FOUND: { status: 404, code: 'NOT_FOUND', 'zh-CN': '销售不存在', en: 'Sale not found' },
  SALE_READ_DENIED: { status: 403, code: 'OUT_OF_SCOPE', 'zh-CN': '仅可查看本人或所辖项目的销售', en: 'Sales staff see their own sales; sales managers and managers the sales of their projects' },
  SALE_WORK_DENIED: { status: 403, code: 'OUT_OF_SCOPE', 'zh-CN': '仅销售负责人或项目销售经理可操作', en: 'Only the salesperson responsible or a sales manager of the project may do this' },
  SALE_APPROVE_DENIED: { status: 403, code: 'OUT_OF_SCOPE', 'zh-CN': '仅项目销售经理可审批', en: 'Only a sales manager of the sale’s project decides this' },
  SALE_OWNER_NAMED_BY_MANAGER: { status: 403, code: 'FORBIDDEN', 'zh-CN': '仅销售经理可指定其他销售负责人', en: 'Only a sales manager hands a sale to a colleague' },
  SALE_ENDED_AS: { status: 409, code: 'SALE_ENDED', 'zh-CN': '销售 {number} 已结束（{stage}）', en: 'Sale {number} is {stage}' },
  ...workflowAvailabilityErrors('SALE', { 'zh-CN': '销售', en: 'sale' }, { 'zh-CN': '认购未创建', en: 'the sale was not opened' }),
  // A unit already held by a live sale or sold, a lead with a sale: 409 codes of their own.
  UNIT_NOT_AVAILABLE: { status: 409, 'zh-CN': '房源已被其他认购占用或已售', en: 'The unit is held by another live sale or already sold' },
  LEAD_ALREADY_SOLD: { status: 409, 'zh-CN': '该线索已有成交记录', en: 'This lead already has a sale' },

  // Fields.
  SIGNED_AHEAD: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '合同须在签订后登记，不能提前登记', en: 'A contract is recorded once signed, not ahead of time' },
  PAID_AHEAD: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '付款须在到账后登记，不能提前登记', en: 'A payment is recorded once received, not ahead of time' },
  SAME_UNIT: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '这已是该销售的房源', en: 'This is the sale’s unit already' },
  UNIT_NOT_IN_SALE_PROJECT: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '该销售所属项目无此房源', en: 'No such unit in this sale’s project' },
  UNIT_NOT_IN_LEAD_PROJECT: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '房源须属于该线索的项目', en: 'The unit must be of the lead’s project' },
  BUYER_NOT_LEAD_CUSTOMER: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '买受人须为该线索的客户', en: 'The buyer must be the lead’s customer' },
  NO_DELIVERY_DATE: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '该房源所属项目尚未设置交付日期，请先在项目中设置', en: 'The unit’s project has no delivery date yet: set it on the project first' },
  AREA_FORMAT: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '面积以平方米计，须大于零，最多两位小数，例如 "89.50"', en: 'Square metres, more than zero, at most two decimals, e.g. "89.50"' },
  DEPOSIT_EXCEEDS_PRICE: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '定金不能超过房价', en: 'The deposit cannot exceed the price' },
  APPROVAL_NEEDS_BANK: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '按揭获批须填写银行', en: 'An approval names the bank' },
  APPROVAL_NEEDS_AMOUNT: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '按揭获批须填写批准金额', en: 'An approval states the approved amount' },

  // Why the sale workflow refused an action (its Update validators' SALE_REJECTIONS): all 409.
  SALE_ENDED: { status: 409, 'zh-CN': '销售已结束（已交付、已失效或已取消）', en: 'The sale has ended (handed over, lapsed or cancelled)' },
  SALE_WRONG_STAGE: { status: 409, 'zh-CN': '当前销售阶段不允许此操作', en: 'Not possible at the sale’s current stage' },
  SALE_WRONG_PAYMENT_METHOD: { status: 409, 'zh-CN': '当前付款方式不允许此操作', en: 'Not possible with the sale’s payment method' },
  SALE_ALREADY_RECORDED: { status: 409, 'zh-CN': '该环节已登记', en: 'This step was already recorded' },
  SALE_APPROVAL_PENDING: { status: 409, 'zh-CN': '已有待销售经理审批的申请', en: 'A request already waits for the sales manager' },
  SALE_APPROVAL_NOT_FOUND: { status: 409, 'zh-CN': '该销售无此待审批申请', en: 'No such pending approval on this sale' },
  SALE_NOT_REJECTED_MORTGAGE: { status: 409, 'zh-CN': '仅按揭被拒的销售可改为全款', en: 'Only a sale whose mortgage was rejected switches to full payment' },
});

export type SaleReason = keyof typeof SALE_ERRORS;

// Every refusal the sale workflow can give has its status and messages here or in the common
// catalogue: else this line does not compile, naming the refusal that lacks them.
export type EverySaleRefusalIsCatalogued = AllCatalogued<Exclude<SaleRejection, SaleReason | CommonReason>>;

export const saleError = errorsOf({ ...COMMON_ERRORS, ...SALE_ERRORS });
