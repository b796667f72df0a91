import { COMMON_ERRORS, defineErrors, errorsOf } from '../errors.js';

/** The errors of the users module: staff accounts (pure: the console bundles it). See app/errors.ts. */
export const USER_ERRORS = defineErrors({
  USER_NOT_FOUND: { status: 404, code: 'NOT_FOUND', 'zh-CN': '员工不存在', en: 'User not found' },
  USERNAME_TAKEN: { status: 409, code: 'CONFLICT', 'zh-CN': '用户名已存在', en: 'Username already taken' },
  CANNOT_DEACTIVATE_SELF: { status: 409, code: 'CONFLICT', 'zh-CN': '不能停用自己的账号', en: 'You cannot deactivate yourself' },
  SCOPE_WIDER_THAN_OWN: { status: 403, code: 'OUT_OF_SCOPE', 'zh-CN': '不能授予超出自身范围的权限', en: 'You cannot grant a scope wider than your own' },
  USERNAME_FORMAT: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '3–40 个字符，仅限小写字母、数字及 . _ -', en: 'Lower-case letters, digits, . _ -, 3–40 characters' },
  SCOPE_NEEDS_COMPANY: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '公司级范围须指定公司', en: 'Required for COMPANY scope' },
  SCOPE_NEEDS_PROJECT: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '项目级范围须指定项目', en: 'Required for PROJECT scope' },
});

export const userError = errorsOf({ ...COMMON_ERRORS, ...USER_ERRORS });
