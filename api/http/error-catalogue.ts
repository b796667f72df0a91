/**
 * Every error the API can answer with, from every module's catalogue, in one registry: the
 * problem handler (errors.ts) renders from it, the OpenAPI document lists its codes, and the
 * console translates with it (console/src/i18n-errors.ts). Pure: the console bundles it.
 *
 * A module's new catalogue is added here once (test/unit/errors.test.ts fails until it is).
 */
import { COMMON_ERRORS, defineErrors, errorsOf, type ErrorSpec } from '../../app/errors.js';
import { AUTH_ERRORS } from '../../app/auth/errors.js';
import { CASE_ERRORS } from '../../app/cases/errors.js';
import { CUSTOMER_ERRORS } from '../../app/customers/errors.js';
import { LEAD_ERRORS } from '../../app/leads/errors.js';
import { ORG_ERRORS } from '../../app/org/errors.js';
import { PHOTO_ERRORS } from '../../app/photos/errors.js';
import { WORK_ORDER_ERRORS } from '../../app/repairs/errors.js';
import { OUTBOX_ERRORS } from '../../app/outbox/errors.js';
import { RECORD_VIEW_ERRORS } from '../../app/record-views/errors.js';
import { SALE_ERRORS } from '../../app/sales/errors.js';
import { SETTINGS_ERRORS } from '../../app/settings/errors.js';
import { CODEC_ERRORS } from '../../app/temporal-codec/errors.js';
import { USER_ERRORS } from '../../app/users/errors.js';

/** The errors of HTTP itself: the body, the media type, keys and routes. */
export const HTTP_ERRORS = defineErrors({
  MALFORMED_JSON: { status: 400, 'zh-CN': '请求体不是合法的 JSON', en: 'Malformed JSON body' },
  PAYLOAD_TOO_LARGE: { status: 413, 'zh-CN': '请求体过大', en: 'Request body too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, 'zh-CN': '不支持的内容类型', en: 'Unsupported media type' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, 'zh-CN': '幂等键已用于其他请求', en: 'Idempotency-Key reused with a different request' },
  BODY_NOT_JSON: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', 'zh-CN': '请求体须为 application/json', en: 'Send the body as application/json' },
  REQUEST_INVALID: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '{part} 参数无效', en: 'Invalid {part}' },
  REQUEST_UNREADABLE: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '请求无法解析：{message}', en: 'The request cannot be read: {message}' },
  NUL_CHARACTER: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '不能包含 NUL 字符（U+0000）', en: 'Must not contain the NUL character (U+0000)' },
  IDEMPOTENCY_KEY_INVALID: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '幂等键格式错误：8–128 个字符，仅限字母、数字及 . _ : -', en: 'Invalid Idempotency-Key header: 8–128 characters, letters, digits, . _ : -' },
  REQUEST_IN_PROGRESS: { status: 409, code: 'CONFLICT', 'zh-CN': '相同请求仍在处理中，请稍后重试', en: 'The same request is still being processed; retry shortly' },
  ROUTE_NOT_FOUND: { status: 404, code: 'NOT_FOUND', 'zh-CN': '接口不存在：{method} {path}', en: 'No route {method} {path}' },
  CONSOLE_NOT_BUILT: { status: 503, code: 'DEPENDENCY_UNAVAILABLE', 'zh-CN': '控制台尚未构建', en: 'Console not built: run npm run build:console' },
});

export const httpError = errorsOf({ ...COMMON_ERRORS, ...HTTP_ERRORS });

/** Every catalogue, by module. */
export const ERROR_CATALOGUES = {
  common: COMMON_ERRORS,
  http: HTTP_ERRORS,
  auth: AUTH_ERRORS,
  users: USER_ERRORS,
  org: ORG_ERRORS,
  customers: CUSTOMER_ERRORS,
  cases: CASE_ERRORS,
  leads: LEAD_ERRORS,
  sales: SALE_ERRORS,
  settings: SETTINGS_ERRORS,
  recordViews: RECORD_VIEW_ERRORS,
  photos: PHOTO_ERRORS,
  workOrders: WORK_ORDER_ERRORS,
  outbox: OUTBOX_ERRORS,
  temporalCodec: CODEC_ERRORS,
} as const;

type Catalogues = (typeof ERROR_CATALOGUES)[keyof typeof ERROR_CATALOGUES];
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type AllErrors = UnionToIntersection<Catalogues>;

/** A catalogue key: exactly what went wrong (the problem's `reason`, and a field error's `code`). */
export type ErrorReason = keyof AllErrors & string;
/** A wire code: what clients act on (the problem's `code`). */
export type ErrorCode = { [R in ErrorReason]: AllErrors[R] extends { code: infer C extends string } ? C : R }[ErrorReason];

function merge(): Readonly<Record<ErrorReason, ErrorSpec>> {
  const all: Record<string, ErrorSpec> = {};
  for (const [module, catalogue] of Object.entries(ERROR_CATALOGUES))
    for (const [reason, spec] of Object.entries(catalogue)) {
      // Two modules must not claim one reason: the second would silently replace the first.
      if (Object.hasOwn(all, reason)) throw new Error(`error reason ${reason} of ${module} is declared twice`);
      all[reason] = spec;
    }
  return all as Record<ErrorReason, ErrorSpec>;
}

export const ERRORS = merge();
export const ERROR_REASONS = Object.keys(ERRORS) as [ErrorReason, ...ErrorReason[]];
export const ERROR_CODES = [...new Set(ERROR_REASONS.map((r) => ERRORS[r].code ?? r))] as [ErrorCode, ...ErrorCode[]];

export function isErrorReason(value: unknown): value is ErrorReason {
  return typeof value === 'string' && Object.hasOwn(ERRORS, value);
}

/** The wire code of a reason. */
export const codeOf = (reason: ErrorReason): ErrorCode => (ERRORS[reason].code ?? reason) as ErrorCode;
