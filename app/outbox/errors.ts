import { COMMON_ERRORS, defineErrors, errorsOf } from '../errors.js';

/** The errors of the development outbox (pure: the console bundles it). See app/errors.ts. */
export const OUTBOX_ERRORS = defineErrors({
  OUTBOX_GROUP_ADMIN_ONLY: { status: 403, code: 'OUT_OF_SCOPE', 'zh-CN': '发件箱仅限集团管理员', en: 'The outbox is for group administrators' },
  EMAIL_NOT_FOUND: { status: 404, code: 'NOT_FOUND', 'zh-CN': '邮件不存在', en: 'Email not found' },
});

export const outboxError = errorsOf({ ...COMMON_ERRORS, ...OUTBOX_ERRORS });
