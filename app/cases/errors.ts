import { COMMON_ERRORS, defineErrors, errorsOf, workflowAvailabilityErrors, type AllCatalogued, type CommonReason } from '../errors.js';
import type { CaseRejection } from '../../domain/cases/case-state.js';

/** The errors of the cases module (pure: the console bundles it). See app/errors.ts. */
export const CASE_ERRORS = defineErrors({
  CASE_NOT_FOUND: { status: 404, code: 'NOT_FOUND', 'zh-CN': '工单不存在', en: 'Case not found' },
  ESCALATION_REQUEST_NOT_FOUND: { status: 404, code: 'NOT_FOUND', 'zh-CN': '升级申请不存在', en: 'Escalation request not found' },
  CASE_TIER_ONLY: { status: 403, code: 'OUT_OF_SCOPE', 'zh-CN': '仅该工单当前层级（{tier}）的处理人可操作', en: 'Only the {tier} office of this case may do this' },
  ESCALATION_DECIDER_ONLY: { status: 403, code: 'OUT_OF_SCOPE', 'zh-CN': '仅接收层级（{tier}）的主管可审批', en: 'Only a {tier} supervisor of this case decides this request' },
  ...workflowAvailabilityErrors('CASE', { 'zh-CN': '工单', en: 'case' }, { 'zh-CN': '工单未创建', en: 'the case was not opened' }),

  // Fields.
  UNKNOWN_CATEGORY: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '未知的工单分类 {category}', en: 'Unknown category {category} (GET /api/categories)' },
  CATEGORY_NOT_OF_TYPE: {
    status: 400,
    code: 'VALIDATION_FAILED',
    'zh-CN': '分类 {category} 不属于该工单类型（{type}），请从该类型的分类中选择',
    en: 'Category {category} is not one of the categories of type {type} (GET /api/categories?type=)',
  },
  UNIT_NOT_IN_PROJECT: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '该项目无此房源', en: 'No such unit in this project' },
  NOT_AN_ASSIGNEE: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '不是该工单{tier}层级的在职处理人或主管', en: "Not an active handler or supervisor of this case's {tier} office" },
  CUSTOMER_OR_ID: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '请填写客户（姓名和手机号）或 customerId，二者选一', en: 'Give either customer (name and phone) or customerId' },
  ESCALATION_ID_FORMAT: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '升级申请编号格式错误，例如 <工单编号>:esc:1', en: 'An escalation id such as <case id>:esc:1' },
  NOTHING_TO_CHANGE: {
    status: 400,
    code: 'VALIDATION_FAILED',
    'zh-CN': '请至少修改严重程度、分类、处理人、描述或联系人之一',
    en: 'Change at least one of severity, category, assigneeId, description, contact',
  },

  // Why the case workflow refused an action (its Update validators' CASE_REJECTIONS): all 409.
  CASE_CLOSED: { status: 409, 'zh-CN': '工单已关闭', en: 'The case is closed' },
  CASE_ALREADY_CONTACTED: { status: 409, 'zh-CN': '已联系过客户', en: 'The customer was already contacted' },
  CASE_NOT_CONTACTED: { status: 409, 'zh-CN': '请先联系客户', en: 'Contact the customer first' },
  CASE_ALREADY_PAUSED: { status: 409, 'zh-CN': '计时已暂停', en: 'The clock is already paused' },
  CASE_NOT_PAUSED: { status: 409, 'zh-CN': '计时未暂停', en: 'The clock is not paused' },
  CASE_PAUSED: { status: 409, 'zh-CN': '请先恢复计时', en: 'Resume the clock first' },
  CASE_ALREADY_RESOLVED: { status: 409, 'zh-CN': '工单已办结', en: 'The case is already resolved' },
  CASE_NOT_RESOLVED: { status: 409, 'zh-CN': '工单尚未办结', en: 'Resolve the case first' },
  ESCALATION_PENDING: { status: 409, 'zh-CN': '已有待审批的升级申请', en: 'An escalation request is already pending' },
  ESCALATION_NOT_FOUND: { status: 409, 'zh-CN': '升级申请不存在', en: 'No such escalation request on this case' },
  ESCALATION_NOT_PENDING: { status: 409, 'zh-CN': '升级申请已处理', en: 'The escalation request was already decided' },
  TOP_TIER: { status: 409, 'zh-CN': '已是集团层级，无法再升级', en: 'The case is already at group level, the last tier' },
  CASE_WORK_ORDERS_OPEN: {
    status: 409,
    'zh-CN': '工单的维修派工尚未全部签认，签认后工单自动办结',
    en: "The case resolves when its work orders are signed off by the owner: some are still open",
  },
});

export type CaseReason = keyof typeof CASE_ERRORS;

// Every refusal the case workflow can give has its status and messages here or in the common
// catalogue: else this line does not compile, naming the refusal that lacks them.
export type EveryCaseRefusalIsCatalogued = AllCatalogued<Exclude<CaseRejection, CaseReason | CommonReason>>;

export const caseError = errorsOf({ ...COMMON_ERRORS, ...CASE_ERRORS });
