import { COMMON_ERRORS, defineErrors, errorsOf, workflowAvailabilityErrors, type AllCatalogued, type CommonReason } from '../errors.js';
import type { LeadRejection } from '../../domain/leads/lead-state.js';

/** The errors of the leads module (pure: the console bundles it). See app/errors.ts. */
export const LEAD_ERRORS = defineErrors({
  LEAD_NOT_FOUND: { status: 404, code: 'NOT_FOUND', 'zh-CN': '线索不存在', en: 'Lead not found' },
  LEAD_READ_DENIED: {
    status: 403,
    code: 'OUT_OF_SCOPE',
    'zh-CN': '仅可查看本人线索、所辖项目公共池线索',
    en: 'Sales staff see their own leads and their project’s pool; sales managers the leads of their projects',
  },
  LEAD_WORK_DENIED: { status: 403, code: 'OUT_OF_SCOPE', 'zh-CN': '仅线索负责人或项目销售经理可操作', en: 'Only the lead’s owner or a sales manager of its project may do this' },
  LEAD_MANAGE_DENIED: { status: 403, code: 'OUT_OF_SCOPE', 'zh-CN': '仅项目销售经理可操作', en: 'Only a sales manager of the lead’s project may do this' },
  OWNER_NAMED_BY_MANAGER: {
    status: 403,
    code: 'FORBIDDEN',
    'zh-CN': '置业顾问只能登记自己的线索或自动分配，由销售经理分配给他人',
    en: 'Sales staff register leads for themselves or leave the owner to the round robin; a sales manager hands leads to others',
  },
  LEAD_ENDED_AS: { status: 409, code: 'LEAD_ENDED', 'zh-CN': '线索 {number} 已结束（{status}）', en: 'Lead {number} is {status}' },
  ...workflowAvailabilityErrors('LEAD', { 'zh-CN': '线索', en: 'lead' }, { 'zh-CN': '线索未创建', en: 'the lead was not created' }),

  // Fields.
  NOT_A_LEAD_OWNER: {
    status: 400,
    code: 'VALIDATION_FAILED',
    'zh-CN': '须为负责该线索所属项目的在职销售团队成员（置业顾问、客户专员或销售经理）',
    en: 'Not an active member of the sales team (sales, specialist or sales manager) whose scope holds this lead’s project',
  },
  REFERRER_NOT_OWNER: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '推荐人须为本机构房源的业主', en: 'The referrer must be an owner of a unit of your organisation' },
  SELF_REFERRAL: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '客户不能推荐自己', en: 'A customer cannot refer themselves' },
  LOSS_REASON_INACTIVE: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '{reason} 不是可用的战败原因', en: '{reason} is not an active loss reason (GET /api/loss-reasons)' },
  AMOUNT_FORMAT: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '金额须为人民币，最多两位小数，例如 "2350000.00"', en: 'An amount in CNY with at most two decimals, e.g. "2350000.00"' },
  REASSIGN_NEEDS_OWNER: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '重新分配须指定新负责人', en: 'Reassign needs the new owner' },
  OWNER_ONLY_WITH_REASSIGN: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': 'ownerId 仅用于重新分配（{decision} 无需指定）', en: 'ownerId goes with reassign only ({decision} needs none)' },

  // Why the lead workflow refused an action (its Update validators' LEAD_REJECTIONS): all 409.
  LEAD_ENDED: { status: 409, 'zh-CN': '线索已结束（已成交或已关闭）', en: 'The lead has ended (converted or closed)' },
  LEAD_POOLED: { status: 409, 'zh-CN': '线索在公共池中，须先由销售经理分配', en: 'The lead is in the pool: a sales manager assigns it first' },
  LEAD_PENDING_REVIEW: { status: 409, 'zh-CN': '线索战败待审核', en: "The lead awaits the sales manager's loss review" },
  LEAD_NOT_LOST: { status: 409, 'zh-CN': '线索不在战败审核中', en: 'The lead is not waiting for a loss review' },
  LEAD_SAME_GRADE: { status: 409, 'zh-CN': '线索已是该等级', en: 'The lead already has this grade' },
  LEAD_SAME_OWNER: { status: 409, 'zh-CN': '线索已归属该负责人', en: 'The lead already belongs to this owner' },
});

export type LeadReason = keyof typeof LEAD_ERRORS;

// Every refusal the lead workflow can give has its status and messages here or in the common
// catalogue: else this line does not compile, naming the refusal that lacks them.
export type EveryLeadRefusalIsCatalogued = AllCatalogued<Exclude<LeadRejection, LeadReason | CommonReason>>;

export const leadError = errorsOf({ ...COMMON_ERRORS, ...LEAD_ERRORS });
