import type { ErrorRequestHandler } from 'express';
import { z } from './zod.js';

/** Stable error codes of the API. A new code does not compile until `statusOf` maps it. */
export enum ErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  MALFORMED_JSON = 'MALFORMED_JSON',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  ACCOUNT_LOCKED = 'ACCOUNT_LOCKED',
  FORBIDDEN = 'FORBIDDEN',
  OUT_OF_SCOPE = 'OUT_OF_SCOPE',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  RATE_LIMITED = 'RATE_LIMITED',
  DEPENDENCY_UNAVAILABLE = 'DEPENDENCY_UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}

export function statusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.VALIDATION_FAILED:
    case ErrorCode.MALFORMED_JSON:
      return 400;
    case ErrorCode.UNAUTHENTICATED:
    case ErrorCode.INVALID_CREDENTIALS:
      return 401;
    case ErrorCode.FORBIDDEN:
    case ErrorCode.OUT_OF_SCOPE:
      return 403;
    case ErrorCode.NOT_FOUND:
      return 404;
    case ErrorCode.CONFLICT:
      return 409;
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return 413;
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return 415;
    case ErrorCode.IDEMPOTENCY_KEY_REUSED:
      return 422;
    case ErrorCode.ACCOUNT_LOCKED:
      return 423;
    case ErrorCode.RATE_LIMITED:
      return 429;
    case ErrorCode.DEPENDENCY_UNAVAILABLE:
      return 503;
    case ErrorCode.INTERNAL:
      return 500;
    default: {
      const unmapped: never = code;
      throw new Error(`unmapped error code ${String(unmapped)}`);
    }
  }
}

const TITLES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'Request validation failed / 请求参数校验失败',
  MALFORMED_JSON: 'Malformed JSON body / 请求体不是合法的 JSON',
  PAYLOAD_TOO_LARGE: 'Request body too large / 请求体过大',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type / 不支持的内容类型',
  UNAUTHENTICATED: 'Authentication required / 需要登录',
  INVALID_CREDENTIALS: 'Wrong username or password / 用户名或密码错误',
  ACCOUNT_LOCKED: 'Account temporarily locked / 账号已临时锁定',
  FORBIDDEN: 'Your role may not do this / 当前角色无此权限',
  OUT_OF_SCOPE: 'Outside your scope / 超出您的管辖范围',
  NOT_FOUND: 'Not found / 未找到',
  CONFLICT: 'Conflict / 数据冲突',
  IDEMPOTENCY_KEY_REUSED: 'Idempotency-Key reused with a different request / 幂等键已用于其他请求',
  RATE_LIMITED: 'Too many requests / 请求过于频繁',
  DEPENDENCY_UNAVAILABLE: 'Service temporarily unavailable / 服务暂时不可用',
  INTERNAL: 'Internal error / 内部错误',
};

export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly fieldErrors?: FieldError[],
  ) {
    super(detail ?? TITLES[code]);
  }
}

export const notFound = (what: string) => new DomainError(ErrorCode.NOT_FOUND, `${what} not found / 未找到`);

export function fieldErrorsFromZod(error: z.ZodError, prefix: string): FieldError[] {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'),
    message: i.message,
  }));
}

/** Problem details (RFC 9457) body, shared by every error answer. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.enum(ErrorCode),
  detail: z.string().optional(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export function problemBody(code: ErrorCode, opts: { detail?: string; instance?: string; requestId?: string; errors?: FieldError[] }) {
  return {
    type: `urn:estate-care:error:${code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[code],
    status: statusOf(code),
    code,
    ...(opts.detail ? { detail: opts.detail } : {}),
    ...(opts.instance ? { instance: opts.instance } : {}),
    ...(opts.requestId ? { requestId: opts.requestId } : {}),
    ...(opts.errors ? { errors: opts.errors } : {}),
  };
}

/** Errors thrown by infrastructure that mean "a dependency is down", not "a bug". */
function isUnavailable(err: unknown): boolean {
  const e = err as { name?: string; code?: string; message?: string; cause?: { kind?: string } } | null;
  if (!e) return false;
  if (e.cause?.kind === 'DatabaseNotReachable') return true;
  if (e.code && ['ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET', '57P01', 'P1001', 'P1017', 'P2024'].includes(e.code)) return true;
  if (e.name === 'ServiceError' || e.name === 'ConnectionError') return true;
  return /Connection terminated|connect ECONNREFUSED|DatabaseNotReachable|timeout exceeded when trying to connect|UNAVAILABLE/i.test(
    e.message ?? '',
  );
}

/** Prisma's unique-constraint violation (P2002). */
function isUniqueViolation(err: unknown): boolean {
  const e = err as { name?: string; code?: string } | null;
  return e?.name === 'PrismaClientKnownRequestError' && e.code === 'P2002';
}

/** Maps every error to application/problem+json; never answers an error with 200. */
export const problemHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const requestId = String(req.id ?? '');
  let code: ErrorCode;
  let detail: string | undefined;
  let errors: FieldError[] | undefined;
  const e = err as { type?: string; status?: number; statusCode?: number };
  if (err instanceof DomainError) {
    code = err.code;
    detail = err.message;
    errors = err.fieldErrors;
  } else if (e?.type === 'entity.parse.failed') {
    code = ErrorCode.MALFORMED_JSON;
  } else if (e?.type === 'entity.too.large') {
    code = ErrorCode.PAYLOAD_TOO_LARGE;
  } else if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') {
    code = ErrorCode.UNSUPPORTED_MEDIA_TYPE;
  } else if (isUniqueViolation(err)) {
    // Two requests raced past the route's own duplicate check; the database's unique index decided.
    code = ErrorCode.CONFLICT;
    detail = 'A record with the same unique value already exists / 数据已存在';
  } else if (isUnavailable(err)) {
    code = ErrorCode.DEPENDENCY_UNAVAILABLE;
    req.log?.warn({ err: { message: (err as Error).message } }, 'dependency unavailable');
  } else if ((e?.status ?? e?.statusCode ?? 500) < 500 && (e?.status ?? e?.statusCode)) {
    // body-parser and friends raise http-errors with a 4xx status.
    code = ErrorCode.VALIDATION_FAILED;
    detail = (err as Error).message;
  } else {
    code = ErrorCode.INTERNAL;
    req.log?.error({ err }, 'unhandled error');
  }
  const status = statusOf(code);
  if (res.headersSent) return;
  if (code === ErrorCode.DEPENDENCY_UNAVAILABLE) res.setHeader('Retry-After', '5');
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify(problemBody(code, { detail, instance: req.originalUrl.split('?')[0], requestId, errors })));
};
