import type { ErrorRequestHandler } from 'express';
import { z } from './zod.js';
import { isUniqueViolation } from '../../platform/db.js';
import { DEFAULT_LANG, DomainError, fillTemplate, type FieldError, type Lang, type Params } from '../../app/errors.js';
import { ERRORS, ERROR_CODES, ERROR_REASONS, httpError, isErrorReason, type ErrorReason } from './error-catalogue.js';

/**
 * The one place that maps domain errors to HTTP: every reason of every module's catalogue
 * (error-catalogue.ts) becomes an application/problem+json body with the status declared beside it,
 * and a title and detail in the language of the request's Accept-Language (zh-CN by default).
 * Clients that translate for themselves read `code`, `reason` and `params`.
 */

/**
 * The language of the answer: English when the client prefers English to Chinese, else zh-CN.
 * Weights (`q`) order the ranges; a range that is neither (fr, *) does not decide.
 */
export function preferredLang(acceptLanguage: string | undefined | null): Lang {
  if (!acceptLanguage) return DEFAULT_LANG;
  const ranges = acceptLanguage
    .split(',')
    .map((part, i) => {
      const [tag = '', ...attrs] = part.trim().split(';');
      const q = attrs.map((a) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(a)).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q[1]) : 1, i };
    })
    .filter((r) => r.q > 0 && Number.isFinite(r.q))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranges) {
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
  }
  return DEFAULT_LANG;
}

const Param = z.union([z.string(), z.number()]);

/** Problem details (RFC 9457) body, shared by every error answer. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string().describe('What kind of problem (the `code`), in the language of Accept-Language (zh-CN by default)'),
    status: z.number().int(),
    code: z.enum(ERROR_CODES).describe('What clients act on: stable'),
    reason: z.enum(ERROR_REASONS).describe('Exactly what went wrong: stable; with `params` it is the `detail`, for clients that translate themselves'),
    params: z.record(z.string(), Param).optional().describe('The values the detail names (a case number, a tier, a time)'),
    detail: z.string().optional().describe('The reason filled with its params, in the language of Accept-Language'),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z
      .array(
        z.object({
          path: z.string(),
          code: z.enum(ERROR_REASONS).describe('What is wrong with the field: stable'),
          params: z.record(z.string(), Param).optional(),
          message: z.string().describe('The code filled with its params, in the language of Accept-Language'),
        }),
      )
      .optional(),
  })
  .openapi('Problem');

export type Problem = z.infer<typeof ProblemSchema>;

const hasParams = (params: Params) => Object.keys(params).length > 0;

export function fieldErrorBody(e: FieldError, lang: Lang) {
  return {
    path: e.path,
    code: e.reason as ErrorReason,
    ...(hasParams(e.params) ? { params: e.params } : {}),
    message: fillTemplate(e.spec[lang], e.params),
  };
}

/**
 * The body for an error. `detail` (the reason with its params) is left out for failures that
 * only have a code (a malformed body, an outage, a bug): the title says all there is.
 */
export function problemBody(err: DomainError, opts: { lang?: Lang; detail?: boolean; instance?: string; requestId?: string } = {}): Problem {
  const lang = opts.lang ?? DEFAULT_LANG;
  const code = err.code as Problem['code'];
  const title = ERRORS[code as ErrorReason] ?? err.spec;
  return {
    type: `urn:estate-care:error:${code.toLowerCase().replaceAll('_', '-')}`,
    title: title[lang],
    status: err.status,
    code,
    reason: err.reason as ErrorReason,
    ...(hasParams(err.params) ? { params: err.params } : {}),
    ...(opts.detail !== false ? { detail: fillTemplate(err.spec[lang], err.params) } : {}),
    ...(opts.instance ? { instance: opts.instance } : {}),
    ...(opts.requestId ? { requestId: opts.requestId } : {}),
    ...(err.fieldErrors.length ? { errors: err.fieldErrors.map((e) => fieldErrorBody(e, lang)) } : {}),
  };
}

export { fieldError, fieldErrorsFromZod } from './field-errors.js';

export { coded } from './schema-kit.js';

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

/** Any error as a DomainError, and whether its detail says more than its title. */
function asDomainError(err: unknown, log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void } | undefined): { error: DomainError; detail: boolean } {
  if (err instanceof DomainError) return { error: err, detail: true };
  const e = err as { type?: string; status?: number; statusCode?: number };
  if (e?.type === 'entity.parse.failed') return { error: httpError('MALFORMED_JSON'), detail: false };
  if (e?.type === 'entity.too.large') return { error: httpError('PAYLOAD_TOO_LARGE'), detail: false };
  if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') return { error: httpError('UNSUPPORTED_MEDIA_TYPE'), detail: false };
  // Two requests raced past the route's own duplicate check; the database's unique index decided.
  if (isUniqueViolation(err)) return { error: httpError('UNIQUE_VIOLATION'), detail: true };
  if (isUnavailable(err)) {
    log?.warn({ err: { message: (err as Error).message } }, 'dependency unavailable');
    return { error: httpError('DEPENDENCY_UNAVAILABLE'), detail: false };
  }
  const status = e?.status ?? e?.statusCode;
  // body-parser and friends raise http-errors with a 4xx status.
  if (status && status < 500) return { error: httpError('REQUEST_UNREADABLE', { message: (err as Error).message }), detail: true };
  log?.error({ err }, 'unhandled error');
  return { error: httpError('INTERNAL'), detail: false };
}

/** Maps every error to application/problem+json; never answers an error with 200. */
export const problemHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const requestId = String(req.id ?? '');
  const { error, detail } = asDomainError(err, req.log);
  if (res.headersSent) return;
  const lang = preferredLang(req.headers['accept-language']);
  if (error.code === 'DEPENDENCY_UNAVAILABLE') res.setHeader('Retry-After', '5');
  res.setHeader('Content-Language', lang);
  res.vary('Accept-Language');
  res
    .status(error.status)
    .type('application/problem+json')
    .send(JSON.stringify(problemBody(error, { lang, detail, instance: req.originalUrl.split('?')[0], requestId })));
};
