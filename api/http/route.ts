import type { Request, RequestHandler, Response, Router } from 'express';
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from './zod.js';
import { hasPermission, rolesWith, type Permission, type Principal } from '../../domain/access.js';
import type { FieldError } from '../../app/errors.js';
import { ProblemSchema, fieldError, fieldErrorsFromZod } from './errors.js';
import { httpError } from './error-catalogue.js';
import type { Db } from '../../platform/db.js';
import {
  CLAIM_LEASE_MS,
  IDEMPOTENCY_HEADER,
  claimIdempotencyKey,
  completeIdempotencyKey,
  parseIdempotencyKey,
  releaseIdempotencyKey,
  requestHash,
  settleInBackground,
} from './idempotency.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal;
  req: Request;
  res: Response;
  /**
   * `${userId}:${Idempotency-Key}` on a route with `idempotencyDb` when the request carries a key,
   * else null: the identity a `rerunSafe` handler gives what it creates or sends (a case's
   * sourceKey, an Update's id), so that running it again finds the first run's work.
   */
  requestKey: string | null;
}

type AnyObject = z.ZodType<Record<string, unknown>>;

/**
 * The verbs an operation name may start with. Names are camelCase verb + object (`openCase`,
 * `listCases`, `approveEscalation`): generated clients turn them into method names, so they are
 * part of the contract and never change once published. A new verb is added here on purpose.
 */
export const OPERATION_VERBS = [
  'add', 'answer', 'approve', 'assign', 'book', 'cancel', 'change', 'check', 'convert', 'create', 'decide', 'decode', 'encode', 'get', 'import', 'issue', 'list', 'log',
  'lookup', 'mark', 'open', 'pause', 'publish', 'reassign', 'record', 'regrade', 'reject', 'replace', 'request', 'resolve',
  'resume', 'review', 'search', 'sign', 'update', 'upload',
] as const;
export type OperationVerb = (typeof OPERATION_VERBS)[number];
/** `operationId` of the OpenAPI document: a verb of OPERATION_VERBS, then the object in PascalCase. */
export type OperationId = `${OperationVerb}${Capitalize<string>}`;

const OPERATION_ID = new RegExp(`^(${OPERATION_VERBS.join('|')})([A-Z][a-z0-9]*)+$`);
const operationIdsByRegistry = new WeakMap<OpenAPIRegistry, Set<string>>();

/** Refuses, at startup, an operation name that is not verb + object or that another route already took. */
function claimOperationId(registry: OpenAPIRegistry, operationId: string, where: string): void {
  if (!OPERATION_ID.test(operationId)) throw new Error(`${where}: operationId ${operationId} is not camelCase verb + object (verbs: ${OPERATION_VERBS.join(', ')})`);
  const taken = operationIdsByRegistry.get(registry) ?? new Set<string>();
  if (taken.has(operationId)) throw new Error(`${where}: operationId ${operationId} is already used by another route`);
  taken.add(operationId);
  operationIdsByRegistry.set(registry, taken);
}

export interface RouteSpec<
  PS extends AnyObject,
  QS extends AnyObject,
  BS extends z.ZodType,
  RS extends z.ZodType,
> {
  method: Method;
  /** Express path, e.g. `/api/projects/:id/units`. */
  path: string;
  /** The operation's stable, unique name in the OpenAPI document (and in generated clients). */
  operationId: OperationId;
  summary: string;
  tags: string[];
  /** `public` routes skip authentication; all others name the one permission they require. */
  access: 'public' | Permission;
  params?: PS;
  query?: QS;
  body?: BS;
  /**
   * A body that is not JSON (a photo's bytes), documented by its media types; the handler reads
   * `req.body`, which a raw parser mounted before the route has read (api/repairs/routes.ts).
   */
  rawBody?: { mediaTypes: string[]; description: string };
  response: RS;
  status?: 200 | 201 | 202;
  /** Extra documented error statuses beyond the common ones. */
  errors?: number[];
  /** Other media types the route can answer with (e.g. text/csv); the handler then writes `res` itself. */
  produces?: string[];
  /**
   * POST routes that create records pass the database here: an `Idempotency-Key` header then makes
   * a retried request return the first answer (see idempotency.ts).
   */
  idempotencyDb?: Db;
  /**
   * The handler may run again for the same Idempotency-Key and finds what an earlier run did (it
   * keys its work by `requestKey`): a key claimed by a process that died is then taken over by a
   * retry once CLAIM_LEASE_MS have passed, instead of answering 409 REQUEST_IN_PROGRESS for ever.
   */
  rerunSafe?: boolean;
  /**
   * Answers exactly the response schema's type (`z.infer`), which is also what the document
   * promises and what the console reads: the schema is the one statement of the answer.
   */
  handler: (ctx: RouteContext<z.output<PS>, z.output<QS>, z.output<BS>>) => Promise<z.output<RS> | void> | z.output<RS> | void;
}

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };

// Response headers the platform sets (api/app.ts, errors.ts, express-rate-limit), documented on
// every answer so that clients, and the fuzzer's header check, can rely on them.
const REQUEST_ID_HEADER = {
  'X-Request-Id': { description: 'The request id: the same as `requestId` in problem bodies and in the logs', required: true, schema: { type: 'string' as const } },
};
const RETRY_AFTER_HEADER = {
  'Retry-After': { description: 'Seconds to wait before retrying', required: true, schema: { type: 'string' as const, pattern: '^[0-9]+$' } },
};
const CONTENT_LANGUAGE_HEADER = {
  'Content-Language': { description: 'The language of the problem’s title and detail (Accept-Language: zh-CN by default, or en)', required: true, schema: { type: 'string' as const, enum: ['zh-CN', 'en'] } },
};
const REPLAYED_HEADER = {
  'Idempotent-Replayed': { description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key', schema: { type: 'string' as const, enum: ['true'] } },
};

function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parseOrThrow<S extends z.ZodType>(schema: S | undefined, value: unknown, where: string): z.output<S> | undefined {
  if (!schema) return undefined;
  // reportInput: a missing value then reads REQUIRED rather than a wrong type (the input is not echoed).
  const r = schema.safeParse(value, { reportInput: true });
  if (!r.success) throw httpError('REQUEST_INVALID', { part: where }, { fieldErrors: fieldErrorsFromZod(r.error, where) });
  const nul = nulCharacterErrors(r.data, [where]);
  if (nul.length) throw httpError('REQUEST_INVALID', { part: where }, { fieldErrors: nul });
  return r.data;
}

/** PostgreSQL text cannot hold U+0000: refuse it at the edge instead of failing (500) in the database. */
function nulCharacterErrors(value: unknown, path: string[]): FieldError[] {
  if (typeof value === 'string')
    return value.includes('\u0000') ? [fieldError(path.join('.'), 'NUL_CHARACTER')] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => nulCharacterErrors(v, [...path, String(i)]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => nulCharacterErrors(v, [...path, k]));
  return [];
}

/**
 * The route's own access check as a middleware, for what must run before the route and should not
 * run for strangers: a large body's parser (a photo upload reads up to its limit). The same answers
 * as defineRoute's check, which runs again inside the route.
 */
export function requireAccess(access: Permission): RequestHandler {
  return (_req, res, next) => {
    const principal = res.locals.principal as Principal | undefined;
    if (!principal) return next(httpError('UNAUTHENTICATED'));
    if (!hasPermission(principal.role, access)) return next(httpError('FORBIDDEN'));
    next();
  };
}

/**
 * Declares one endpoint: the same zod schemas validate the request at the edge and describe it in
 * the OpenAPI document, so the two cannot drift apart.
 */
export function defineRoute<PS extends AnyObject, QS extends AnyObject, BS extends z.ZodType, RS extends z.ZodType>(
  router: Router,
  registry: OpenAPIRegistry,
  spec: RouteSpec<PS, QS, BS, RS>,
): void {
  claimOperationId(registry, spec.operationId, `${spec.method.toUpperCase()} ${spec.path}`);
  const status = spec.status ?? 200;
  const responses: Record<string, ResponseConfig> = {
    [status]: {
      description: 'OK',
      content: {
        'application/json': { schema: spec.response },
        ...Object.fromEntries((spec.produces ?? []).map((m) => [m, { schema: z.string() }])),
      },
    },
    400: { description: 'Invalid request', content: problemContent },
    503: { description: 'A dependency is unavailable', content: problemContent },
  };
  if (spec.access !== 'public') {
    responses[401] = { description: 'Not authenticated', content: problemContent };
    responses[403] = { description: `Requires one of: ${rolesWith(spec.access).join(', ')}`, content: problemContent };
  }
  if (spec.params) responses[404] = { description: 'Not found', content: problemContent };
  if (spec.body || spec.rawBody) {
    // Every body goes through express.json (256 kB limit) and the media-type check below.
    responses[413] = { description: 'Request body too large', content: problemContent };
    responses[415] = { description: 'Request body not application/json', content: problemContent };
  }
  if (spec.idempotencyDb) {
    responses[409] ??= { description: 'Conflict, or the same Idempotency-Key still in progress', content: problemContent };
    responses[422] = { description: 'Idempotency-Key reused with a different request', content: problemContent };
  }
  for (const s of spec.errors ?? []) responses[s] ??= { description: 'Error', content: problemContent };
  for (const [s, r] of Object.entries(responses))
    r.headers = {
      ...REQUEST_ID_HEADER,
      ...(s === '429' || s === '503' ? RETRY_AFTER_HEADER : {}),
      ...(Number(s) >= 400 ? CONTENT_LANGUAGE_HEADER : {}),
      ...(spec.idempotencyDb && s === String(status) ? REPLAYED_HEADER : {}),
    };

  registry.registerPath({
    method: spec.method,
    path: toOpenApiPath(spec.path),
    operationId: spec.operationId,
    summary: spec.summary,
    tags: spec.tags,
    // Machine-readable access rule: the permission, and the roles holding it (domain/access.ts).
    // Public operations say so with an empty requirement, rather than by leaving `security` out.
    ...(spec.access === 'public'
      ? { security: [] }
      : { security: [{ bearerAuth: [] }], 'x-permission': spec.access, 'x-roles': rolesWith(spec.access) }),
    request: {
      ...(spec.params ? { params: spec.params as never } : {}),
      ...(spec.query ? { query: spec.query as never } : {}),
      ...(spec.body ? { body: { required: true, content: { 'application/json': { schema: spec.body } } } } : {}),
      ...(spec.rawBody
        ? { body: { required: true, description: spec.rawBody.description, content: Object.fromEntries(spec.rawBody.mediaTypes.map((m) => [m, { schema: { type: 'string' as const, format: 'binary' } }])) } }
        : {}),
      ...(spec.idempotencyDb
        ? {
            headers: z.object({
              'idempotency-key': z
                .string()
                .regex(/^[A-Za-z0-9._:-]{8,128}$/)
                .optional()
                .describe('Retrying with the same key returns the first answer instead of creating twice'),
            }) as never,
          }
        : {}),
    },
    responses,
  });

  router[spec.method](spec.path, async (req, res) => {
    let principal = res.locals.principal as Principal | undefined;
    if (spec.access !== 'public') {
      if (!principal) throw httpError('UNAUTHENTICATED');
      if (!hasPermission(principal.role, spec.access)) throw httpError('FORBIDDEN');
    }
    if (spec.body && (req.body === undefined || !req.is('application/json')) && spec.method !== 'get') {
      if (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0' && !req.is('application/json'))
        throw httpError('BODY_NOT_JSON');
    }
    const params = parseOrThrow(spec.params, req.params, 'params');
    const query = parseOrThrow(spec.query, req.query, 'query');
    const body = parseOrThrow(spec.body, req.body ?? {}, 'body');
    const key = spec.idempotencyDb && principal ? parseIdempotencyKey(req.headers[IDEMPOTENCY_HEADER]) : null;
    const run = () =>
      spec.handler({
        params: params as z.output<PS>,
        query: query as z.output<QS>,
        body: body as z.output<BS>,
        principal: principal as Principal,
        req,
        res,
        requestKey: key && principal ? `${principal.id}:${key}` : null,
      });
    if (!key || !spec.idempotencyDb || !principal) {
      const result = await run();
      if (res.headersSent) return;
      res.status(status).json(result ?? null);
      return;
    }
    const db = spec.idempotencyDb;
    const claim = { userId: principal.id, key, method: req.method, path: req.path, hash: requestHash(req.method, req.path, body) };
    const replay = await claimIdempotencyKey(db, spec.rerunSafe ? { ...claim, takeoverAfterMs: CLAIM_LEASE_MS } : claim);
    if (replay) {
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(replay.status).json(replay.body);
      return;
    }
    let result: Awaited<ReturnType<typeof run>>;
    try {
      result = await run();
    } catch (err) {
      // Usually written at once; during a database outage, as soon as the database is back.
      await releaseIdempotencyKey(db, claim).catch(() => void settleInBackground(() => releaseIdempotencyKey(db, claim), { log: req.log }));
      throw err;
    }
    // The work is done: answer it even if the key's record must wait for the database, and
    // store that answer for the retries as soon as it can be (until then they wait, then 409).
    const done = { userId: principal.id, key, status, body: result ?? null };
    await completeIdempotencyKey(db, done).catch(() => void settleInBackground(() => completeIdempotencyKey(db, done), { log: req.log }));
    res.status(status).json(result ?? null);
  });
}

import type { Page, PageParams } from './schema-kit.js';
export { Id, IdParams, PageQuery, pageOf, type Page, type PageParams } from './schema-kit.js';

export function skipTake(q: { page: number; pageSize: number }) {
  return { skip: (q.page - 1) * q.pageSize, take: q.pageSize };
}

/** The page `q` asked for, as pageOf answers it: `pageAnswer(query, rows.map(toView), total)`. */
export function pageAnswer<T>(q: PageParams, items: T[], total: number): Page<T> {
  return { items, total, page: q.page, pageSize: q.pageSize };
}
