import type { ErrorRequestHandler } from 'express';
import { z } from './zod.js';
import type { CaseRejection } from '../../workflows/cases/complaint-case.defs.js';
import type { LeadRejection } from '../../workflows/leads/lead-follow-up.defs.js';
import type { SaleRejection } from '../../workflows/sales/sale-lifecycle.defs.js';

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
  // Why the case workflow refused an action (its Update validators' CASE_REJECTIONS): all 409.
  CASE_CLOSED = 'CASE_CLOSED',
  CASE_ALREADY_CONTACTED = 'CASE_ALREADY_CONTACTED',
  CASE_NOT_CONTACTED = 'CASE_NOT_CONTACTED',
  CASE_ALREADY_PAUSED = 'CASE_ALREADY_PAUSED',
  CASE_NOT_PAUSED = 'CASE_NOT_PAUSED',
  CASE_PAUSED = 'CASE_PAUSED',
  CASE_ALREADY_RESOLVED = 'CASE_ALREADY_RESOLVED',
  CASE_NOT_RESOLVED = 'CASE_NOT_RESOLVED',
  ESCALATION_PENDING = 'ESCALATION_PENDING',
  ESCALATION_NOT_FOUND = 'ESCALATION_NOT_FOUND',
  ESCALATION_NOT_PENDING = 'ESCALATION_NOT_PENDING',
  TOP_TIER = 'TOP_TIER',
  INVALID_ACTION = 'INVALID_ACTION',
  // Why the lead workflow refused an action (its Update validators' LEAD_REJECTIONS): all 409.
  LEAD_ENDED = 'LEAD_ENDED',
  LEAD_POOLED = 'LEAD_POOLED',
  LEAD_PENDING_REVIEW = 'LEAD_PENDING_REVIEW',
  LEAD_NOT_LOST = 'LEAD_NOT_LOST',
  LEAD_SAME_GRADE = 'LEAD_SAME_GRADE',
  LEAD_SAME_OWNER = 'LEAD_SAME_OWNER',
  // Sales: a unit already held by a live sale or sold, a lead with a sale; then the sale workflow's
  // refusals (its Update validators' SALE_REJECTIONS). All 409.
  UNIT_NOT_AVAILABLE = 'UNIT_NOT_AVAILABLE',
  LEAD_ALREADY_SOLD = 'LEAD_ALREADY_SOLD',
  SALE_ENDED = 'SALE_ENDED',
  SALE_WRONG_STAGE = 'SALE_WRONG_STAGE',
  SALE_WRONG_PAYMENT_METHOD = 'SALE_WRONG_PAYMENT_METHOD',
  SALE_ALREADY_RECORDED = 'SALE_ALREADY_RECORDED',
  SALE_APPROVAL_PENDING = 'SALE_APPROVAL_PENDING',
  SALE_APPROVAL_NOT_FOUND = 'SALE_APPROVAL_NOT_FOUND',
  SALE_NOT_REJECTED_MORTGAGE = 'SALE_NOT_REJECTED_MORTGAGE',
}

// Every rejection the case workflow can give must be an API code (else this line does not compile).
const everyCaseRejectionIsAnErrorCode: Record<CaseRejection, ErrorCode> = {
  CASE_CLOSED: ErrorCode.CASE_CLOSED,
  CASE_ALREADY_CONTACTED: ErrorCode.CASE_ALREADY_CONTACTED,
  CASE_NOT_CONTACTED: ErrorCode.CASE_NOT_CONTACTED,
  CASE_ALREADY_PAUSED: ErrorCode.CASE_ALREADY_PAUSED,
  CASE_NOT_PAUSED: ErrorCode.CASE_NOT_PAUSED,
  CASE_PAUSED: ErrorCode.CASE_PAUSED,
  CASE_ALREADY_RESOLVED: ErrorCode.CASE_ALREADY_RESOLVED,
  CASE_NOT_RESOLVED: ErrorCode.CASE_NOT_RESOLVED,
  ESCALATION_PENDING: ErrorCode.ESCALATION_PENDING,
  ESCALATION_NOT_FOUND: ErrorCode.ESCALATION_NOT_FOUND,
  ESCALATION_NOT_PENDING: ErrorCode.ESCALATION_NOT_PENDING,
  TOP_TIER: ErrorCode.TOP_TIER,
  INVALID_ACTION: ErrorCode.INVALID_ACTION,
};

/** The API code for a case workflow's rejection type, or null for any other failure type. */
export function errorCodeOfCaseRejection(type: string | undefined | null): ErrorCode | null {
  return type && Object.hasOwn(everyCaseRejectionIsAnErrorCode, type) ? everyCaseRejectionIsAnErrorCode[type as CaseRejection] : null;
}

// Every rejection the lead workflow can give must be an API code (else this line does not compile).
const everyLeadRejectionIsAnErrorCode: Record<LeadRejection, ErrorCode> = {
  LEAD_ENDED: ErrorCode.LEAD_ENDED,
  LEAD_POOLED: ErrorCode.LEAD_POOLED,
  LEAD_PENDING_REVIEW: ErrorCode.LEAD_PENDING_REVIEW,
  LEAD_NOT_LOST: ErrorCode.LEAD_NOT_LOST,
  LEAD_SAME_GRADE: ErrorCode.LEAD_SAME_GRADE,
  LEAD_SAME_OWNER: ErrorCode.LEAD_SAME_OWNER,
  INVALID_ACTION: ErrorCode.INVALID_ACTION,
};

// Every rejection the sale workflow can give must be an API code (else this line does not compile).
const everySaleRejectionIsAnErrorCode: Record<SaleRejection, ErrorCode> = {
  SALE_ENDED: ErrorCode.SALE_ENDED,
  SALE_WRONG_STAGE: ErrorCode.SALE_WRONG_STAGE,
  SALE_WRONG_PAYMENT_METHOD: ErrorCode.SALE_WRONG_PAYMENT_METHOD,
  SALE_ALREADY_RECORDED: ErrorCode.SALE_ALREADY_RECORDED,
  SALE_APPROVAL_PENDING: ErrorCode.SALE_APPROVAL_PENDING,
  SALE_APPROVAL_NOT_FOUND: ErrorCode.SALE_APPROVAL_NOT_FOUND,
  SALE_NOT_REJECTED_MORTGAGE: ErrorCode.SALE_NOT_REJECTED_MORTGAGE,
  INVALID_ACTION: ErrorCode.INVALID_ACTION,
};

/** The API code for a sale workflow's rejection type, or null for any other failure type. */
export function errorCodeOfSaleRejection(type: string | undefined | null): ErrorCode | null {
  return type && Object.hasOwn(everySaleRejectionIsAnErrorCode, type) ? everySaleRejectionIsAnErrorCode[type as SaleRejection] : null;
}

/** The API code for a lead workflow's rejection type, or null for any other failure type. */
export function errorCodeOfLeadRejection(type: string | undefined | null): ErrorCode | null {
  return type && Object.hasOwn(everyLeadRejectionIsAnErrorCode, type) ? everyLeadRejectionIsAnErrorCode[type as LeadRejection] : null;
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
    case ErrorCode.CASE_CLOSED:
    case ErrorCode.CASE_ALREADY_CONTACTED:
    case ErrorCode.CASE_NOT_CONTACTED:
    case ErrorCode.CASE_ALREADY_PAUSED:
    case ErrorCode.CASE_NOT_PAUSED:
    case ErrorCode.CASE_PAUSED:
    case ErrorCode.CASE_ALREADY_RESOLVED:
    case ErrorCode.CASE_NOT_RESOLVED:
    case ErrorCode.ESCALATION_PENDING:
    case ErrorCode.ESCALATION_NOT_FOUND:
    case ErrorCode.ESCALATION_NOT_PENDING:
    case ErrorCode.TOP_TIER:
    case ErrorCode.INVALID_ACTION:
    case ErrorCode.LEAD_ENDED:
    case ErrorCode.LEAD_POOLED:
    case ErrorCode.LEAD_PENDING_REVIEW:
    case ErrorCode.LEAD_NOT_LOST:
    case ErrorCode.LEAD_SAME_GRADE:
    case ErrorCode.LEAD_SAME_OWNER:
    case ErrorCode.UNIT_NOT_AVAILABLE:
    case ErrorCode.LEAD_ALREADY_SOLD:
    case ErrorCode.SALE_ENDED:
    case ErrorCode.SALE_WRONG_STAGE:
    case ErrorCode.SALE_WRONG_PAYMENT_METHOD:
    case ErrorCode.SALE_ALREADY_RECORDED:
    case ErrorCode.SALE_APPROVAL_PENDING:
    case ErrorCode.SALE_APPROVAL_NOT_FOUND:
    case ErrorCode.SALE_NOT_REJECTED_MORTGAGE:
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
  CASE_CLOSED: 'The case is closed / 工单已关闭',
  CASE_ALREADY_CONTACTED: 'The customer was already contacted / 已联系过客户',
  CASE_NOT_CONTACTED: 'Contact the customer first / 请先联系客户',
  CASE_ALREADY_PAUSED: 'The clock is already paused / 计时已暂停',
  CASE_NOT_PAUSED: 'The clock is not paused / 计时未暂停',
  CASE_PAUSED: 'Resume the clock first / 请先恢复计时',
  CASE_ALREADY_RESOLVED: 'The case is already resolved / 工单已办结',
  CASE_NOT_RESOLVED: 'Resolve the case first / 工单尚未办结',
  ESCALATION_PENDING: 'An escalation request is already pending / 已有待审批的升级申请',
  ESCALATION_NOT_FOUND: 'No such escalation request on this case / 升级申请不存在',
  ESCALATION_NOT_PENDING: 'The escalation request was already decided / 升级申请已处理',
  TOP_TIER: 'The case is already at group level, the last tier / 已是集团层级，无法再升级',
  INVALID_ACTION: 'This cannot be done in the current state / 当前状态不允许此操作',
  LEAD_ENDED: 'The lead has ended (converted or closed) / 线索已结束（已成交或已关闭）',
  LEAD_POOLED: 'The lead is in the pool: a sales manager assigns it first / 线索在公共池中，须先由销售经理分配',
  LEAD_PENDING_REVIEW: "The lead awaits the sales manager's loss review / 线索战败待审核",
  LEAD_NOT_LOST: 'The lead is not waiting for a loss review / 线索不在战败审核中',
  LEAD_SAME_GRADE: 'The lead already has this grade / 线索已是该等级',
  LEAD_SAME_OWNER: 'The lead already belongs to this owner / 线索已归属该负责人',
  UNIT_NOT_AVAILABLE: 'The unit is held by another live sale or already sold / 房源已被其他认购占用或已售',
  LEAD_ALREADY_SOLD: 'This lead already has a sale / 该线索已有成交记录',
  SALE_ENDED: 'The sale has ended (handed over, lapsed or cancelled) / 销售已结束（已交付、已失效或已取消）',
  SALE_WRONG_STAGE: 'Not possible at the sale’s current stage / 当前销售阶段不允许此操作',
  SALE_WRONG_PAYMENT_METHOD: 'Not possible with the sale’s payment method / 当前付款方式不允许此操作',
  SALE_ALREADY_RECORDED: 'This step was already recorded / 该环节已登记',
  SALE_APPROVAL_PENDING: 'A request already waits for the sales manager / 已有待销售经理审批的申请',
  SALE_APPROVAL_NOT_FOUND: 'No such pending approval on this sale / 该销售无此待审批申请',
  SALE_NOT_REJECTED_MORTGAGE: 'Only a sale whose mortgage was rejected switches to full payment / 仅按揭被拒的销售可改为全款',
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

/**
 * PostgreSQL's codes for "the server went away", not "the request was wrong": connection failures
 * (class 08), and the operator intervention a restart sends (57P01 to busy sessions on a fast
 * shutdown, 57P02 crash, 57P03 refusing sessions while shutting down or starting up).
 */
const PG_UNAVAILABLE_CODES = ['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03'];
/** Kinds of @prisma/adapter-pg's DriverAdapterError that mean the same. */
const ADAPTER_UNAVAILABLE_KINDS = ['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections'];

/** Errors thrown by infrastructure that mean "a dependency is down", not "a bug". */
function isUnavailable(err: unknown): boolean {
  const e = err as {
    name?: string;
    code?: string;
    message?: string;
    cause?: { kind?: string; code?: string };
    meta?: { driverAdapterError?: { cause?: { kind?: string; code?: string } } };
  } | null;
  if (!e) return false;
  // Through the driver adapter PostgreSQL's own code arrives as the cause of a DriverAdapterError
  // (model queries) or of Prisma's P2010 (raw queries), never as `code`: without this, a query cut
  // by a restart (57P01) or refused while the server shuts down or starts (57P03) answered 500.
  for (const cause of [e.cause, e.meta?.driverAdapterError?.cause])
    if (cause && (ADAPTER_UNAVAILABLE_KINDS.includes(cause.kind ?? '') || PG_UNAVAILABLE_CODES.includes(cause.code ?? ''))) return true;
  if (e.code && ['ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET', 'P1001', 'P1017', 'P2024', ...PG_UNAVAILABLE_CODES].includes(e.code)) return true;
  if (e.name === 'ServiceError' || e.name === 'ConnectionError') return true;
  return /Connection terminated|connect ECONNREFUSED|DatabaseNotReachable|timeout exceeded when trying to connect|UNAVAILABLE/i.test(
    e.message ?? '',
  );
}

/** Prisma's unique-constraint violation (P2002). */
export function isUniqueViolation(err: unknown): boolean {
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
