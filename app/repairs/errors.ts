import { COMMON_ERRORS, defineErrors, errorsOf, workflowAvailabilityErrors, type AllCatalogued, type CommonReason } from '../errors.js';
import type { WorkOrderRejection } from '../../domain/repairs/work-order-state.js';

/** The errors of the repairs module: work orders (pure: the console bundles it). See app/errors.ts. */
export const WORK_ORDER_ERRORS = defineErrors({
  WORK_ORDER_NOT_FOUND: { status: 404, code: 'NOT_FOUND', 'zh-CN': '维修派工单不存在', en: 'Work order not found' },
  WORK_ORDER_READ_DENIED: { status: 403, code: 'OUT_OF_SCOPE', 'zh-CN': '该派工单不在您的管辖范围内', en: 'This work order is outside your scope' },
  WORK_ORDER_DISPATCH_DENIED: {
    status: 403,
    code: 'OUT_OF_SCOPE',
    'zh-CN': '仅该项目的处理人或主管可派工、改派、报价或取消',
    en: "Only a handler or supervisor of the order's project may dispatch, reassign, quote or cancel it",
  },
  WORK_ORDER_WORK_DENIED: {
    status: 403,
    code: 'OUT_OF_SCOPE',
    'zh-CN': '仅接单的维修人员（或承包单位）可执行此操作',
    en: 'Only the technician or contractor company the order is assigned to may do this',
  },
  ...workflowAvailabilityErrors('WORK_ORDER', { 'zh-CN': '派工单', en: 'work order' }, { 'zh-CN': '派工单未创建', en: 'the work order was not created' }),

  // Creating from a case.
  WORK_ORDER_CASE_NOT_REPAIR: {
    status: 409,
    code: 'CONFLICT',
    'zh-CN': '仅报修或投诉工单可派工（此工单类型为 {type}）',
    en: 'Only repair and complaint cases get work orders (this case is a {type})',
  },
  WORK_ORDER_CASE_NO_UNIT: { status: 409, 'zh-CN': '工单未关联房源，无法派工，请先补充房源', en: 'The case names no unit: add its unit before dispatching' },
  WORK_ORDER_CASE_CLOSED: { status: 409, 'zh-CN': '工单已办结或关闭，不能再派工', en: 'The case is resolved or closed: no new work orders' },
  WORK_ORDER_WARRANTY_UNKNOWN: {
    status: 409,
    code: 'CONFLICT',
    'zh-CN': '无法判定保修（{reason}）：请先录入楼栋的竣工验收日期等信息',
    en: "The warranty cannot be judged ({reason}): record the building's completion acceptance first",
  },
  WORK_ORDER_NOT_A_TECHNICIAN: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '不是该项目的在职维修技工', en: "Not an active technician of the case's project" },
  WORK_ORDER_NOT_A_CONTRACTOR: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '承包单位不存在或已停用', en: 'No such active contractor company' },
  WORK_ORDER_PHOTO_NOT_UPLOADED: {
    status: 400,
    code: 'VALIDATION_FAILED',
    'zh-CN': '照片 {key} 未上传到此派工单，请先上传',
    en: 'Photo {key} was not uploaded to this work order: upload it first',
  },
  WORK_ORDER_SIGNATURE_INVALID: {
    status: 400,
    code: 'VALIDATION_FAILED',
    'zh-CN': '签名须为 PNG 图片（data:image/png;base64,…）或 SVG 路径',
    en: 'A signature is a PNG image (data:image/png;base64,…) or an SVG path',
  },
  WORK_ORDER_PHOTO_BODY: {
    status: 415,
    'zh-CN': '请直接发送图片内容（Content-Type: image/jpeg、image/png、image/webp 或 application/octet-stream）',
    en: 'Send the image itself as the body (Content-Type image/jpeg, image/png, image/webp or application/octet-stream)',
  },

  // The owner's one-time sign-off link (public: the token is the only credential).
  SIGN_OFF_LINK_NOT_FOUND: { status: 404, code: 'NOT_FOUND', 'zh-CN': '签收链接无效，请向维修人员索取新的链接', en: 'This sign-off link is not valid: ask the technician for a new one' },
  SIGN_OFF_LINK_GONE: { status: 410, 'zh-CN': '签收链接已失效', en: 'This sign-off link no longer works' },
  SIGN_OFF_LINK_USED: { status: 410, code: 'SIGN_OFF_LINK_GONE', 'zh-CN': '该签收链接已使用过，签收已记录', en: 'This sign-off link was used already: the sign-off is recorded' },
  SIGN_OFF_LINK_EXPIRED: { status: 410, code: 'SIGN_OFF_LINK_GONE', 'zh-CN': '签收链接已于 {expiredAt} 过期，请向维修人员索取新的链接', en: 'This sign-off link expired at {expiredAt}: ask the technician for a new one' },
  SIGN_OFF_LINK_REVOKED: {
    status: 410,
    code: 'SIGN_OFF_LINK_GONE',
    'zh-CN': '签收链接已作废（已发送新链接，或该次上门已签收或已重新安排）',
    en: 'This sign-off link was withdrawn (a newer link was sent, or the visit was signed off or rescheduled)',
  },
  SIGN_OFF_LINK_RATE_LIMITED: { status: 429, code: 'RATE_LIMITED', 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests: try again shortly' },

  // Why the work-order workflow refused an action (its Update validators' WORK_ORDER_REJECTIONS): all 409.
  WORK_ORDER_ENDED: { status: 409, 'zh-CN': '派工单已结束', en: 'The work order has ended' },
  WORK_ORDER_WRONG_STAGE: { status: 409, 'zh-CN': '派工单当前状态下不能执行此操作', en: 'The work order is not at a stage that allows this' },
  WORK_ORDER_QUOTE_NOT_NEEDED: { status: 409, 'zh-CN': '保修期内维修无需报价', en: 'The repair is under warranty: no quote is needed' },
  WORK_ORDER_QUOTE_INVALID: { status: 409, 'zh-CN': '报价无效：合计须等于各项金额之和且大于零', en: 'Invalid quote: the total must be the sum of its items, above zero' },
  WORK_ORDER_NO_QUOTE: { status: 409, 'zh-CN': '尚无待业主确认的报价', en: 'There is no quote waiting for the owner' },
  WORK_ORDER_SAME_ASSIGNEE: { status: 409, 'zh-CN': '派工单已指派给该人员', en: 'The work order is already theirs' },
  WORK_ORDER_SLOT_OUTSIDE_TARGET: { status: 409, 'zh-CN': '预约时段须在工单办结时限之前结束', en: "The appointment must end before the case's resolution target" },
  WORK_ORDER_SLOT_IN_PAST: { status: 409, 'zh-CN': '预约时段已过', en: 'The appointment slot is over already' },
});

export type WorkOrderReason = keyof typeof WORK_ORDER_ERRORS;

// Every refusal the work-order workflow can give has its status and messages here or in the common
// catalogue (INVALID_ACTION): else this line does not compile, naming the refusal that lacks them.
export type EveryWorkOrderRefusalIsCatalogued = AllCatalogued<Exclude<WorkOrderRejection, WorkOrderReason | CommonReason>>;

export const workOrderError = errorsOf({ ...COMMON_ERRORS, ...WORK_ORDER_ERRORS });
