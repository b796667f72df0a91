import { COMMON_ERRORS, defineErrors, errorsOf } from '../errors.js';

/** The errors of signing in and of tokens (pure: the console bundles it). See app/errors.ts. */
export const AUTH_ERRORS = defineErrors({
  INVALID_CREDENTIALS: { status: 401, 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  ACCOUNT_LOCKED: { status: 423, 'zh-CN': '账号已临时锁定', en: 'Account temporarily locked' },
  ACCOUNT_LOCKED_UNTIL: { status: 423, code: 'ACCOUNT_LOCKED', 'zh-CN': '账号锁定至 {until}', en: 'Locked until {until}' },
  AUTHORIZATION_MALFORMED: { status: 401, code: 'UNAUTHENTICATED', 'zh-CN': 'Authorization 头格式错误', en: 'Malformed Authorization header' },
  TOKEN_INVALID: { status: 401, code: 'UNAUTHENTICATED', 'zh-CN': '令牌无效或已过期', en: 'Invalid or expired token' },
  ACCOUNT_INACTIVE: { status: 401, code: 'UNAUTHENTICATED', 'zh-CN': '账号已停用', en: 'Account inactive' },
  LOGIN_RATE_LIMITED: { status: 429, code: 'RATE_LIMITED', 'zh-CN': '登录尝试过多', en: 'Too many login attempts' },
});

export const authError = errorsOf({ ...COMMON_ERRORS, ...AUTH_ERRORS });
