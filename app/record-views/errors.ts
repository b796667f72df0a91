import { COMMON_ERRORS, defineErrors, errorsOf } from '../errors.js';

/** The errors of the record-view log (pure: the console bundles it). See app/errors.ts. */
export const RECORD_VIEW_ERRORS = defineErrors({
  VIEW_NOT_RECORDED: { status: 503, code: 'DEPENDENCY_UNAVAILABLE', 'zh-CN': '查看记录无法写入，暂不显示', en: 'This view could not be recorded, so it is not shown' },
  VIEW_LOG_READERS_ONLY: { status: 403, code: 'OUT_OF_SCOPE', 'zh-CN': '查看记录仅限经理与集团管理员', en: 'The record-view log is read by managers and group administrators' },
});

export const recordViewError = errorsOf({ ...COMMON_ERRORS, ...RECORD_VIEW_ERRORS });
