import { COMMON_ERRORS, defineErrors, errorsOf } from '../errors.js';

/** The errors of the organisation's settings documents (pure: the console bundles it). See app/errors.ts. */
export const SETTINGS_ERRORS = defineErrors({
  SETTINGS_INVALID: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '设置校验失败', en: 'Invalid settings' },
  SETTINGS_GROUP_ADMIN_ONLY: { status: 403, code: 'OUT_OF_SCOPE', 'zh-CN': '设置作用于全集团，须由集团管理员修改', en: 'Settings apply to the whole group: a group administrator edits them' },
  CALENDAR_ID_TAKEN: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '编号 {id} 已被第 {index} 个日历使用', en: 'id {id} is already used by calendar {index}' },
  CALENDAR_IN_USE: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '时效策略 {policy} 使用日历 {calendar}：请保留该日历或先修改策略', en: 'SLA policy {policy} counts on calendar {calendar}: keep it or change the policy first' },
  CALENDAR_NOT_FOUND: { status: 404, code: 'NOT_FOUND', 'zh-CN': '没有编号为 {id} 的日历', en: 'No calendar with id {id}' },
  ICS_INVALID: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '不是有效的 iCalendar (ICS) 文件：{reason}', en: 'Not a valid iCalendar (ICS) file: {reason}' },
  ICS_EMPTY: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '文件中没有全天事件（节假日或调休上班日）', en: 'The file has no all-day events (days off or make-up working days)' },
  ICS_FEED_UNREACHABLE: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '无法读取日历订阅地址：{reason}', en: 'Could not read the calendar feed: {reason}' },
  CALENDAR_RETIME_UNAVAILABLE: {
    status: 503,
    code: 'DEPENDENCY_UNAVAILABLE',
    'zh-CN': '工作流服务不可用，无法重新计算进行中工单的时限：日历未保存，请稍后重试',
    en: 'Workflows are unavailable, so running cases could not be re-timed: the calendar was not saved; try again shortly',
  },
  LOSS_REASON_IN_USE: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '战败原因 {reason} 已被线索使用：请保留（可设为停用）', en: 'loss reason {reason} is recorded on leads: keep it (set active: false to retire it)' },
});

export const settingsError = errorsOf({ ...COMMON_ERRORS, ...SETTINGS_ERRORS });
