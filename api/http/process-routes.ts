import type { Request, Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from './zod.js';
import type { Permission, Principal } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';
import type { ApiDeps } from '../context.js';
import { IdParams, PageQuery, defineRoute, type OperationId, type PageParams } from './route.js';

/**
 * The routes every long-running process's records have (a case, a lead, a sale …), declared the
 * same way for each: its actions (Updates of its workflow) and its audit trail. A new process's
 * routes.ts names its own paths, operations, permissions and use cases, and nothing else.
 */

/** What an action on a process's record may answer besides 200: not allowed, not found, refused by the workflow (409), the workflow unreachable (503). */
export const ACTION_ERRORS = [403, 404, 409, 503];

/** A page of a record's audit trail: longer pages than a list's, since a timeline is read whole. */
export const EventPageQuery = PageQuery.extend({ pageSize: z.coerce.number().int().min(1).max(500).default(200) });

/**
 * The action routes of one kind of record: each a POST on `/api/<records>/:id/<action>` with its
 * body, running one use case and answering the record as `answer` shows it, with ACTION_ERRORS
 * documented. `access` is the permission of the actions that name none of their own. With
 * `idempotencyDb`, a client retrying after a dropped connection gets the first answer, not a
 * second action or a 409.
 */
export function actionRoutes<RS extends z.ZodType, R>(
  router: Router,
  registry: OpenAPIRegistry,
  deps: ApiDeps,
  of: {
    tags: string[];
    access: Permission;
    response: RS;
    answer: (principal: Principal, result: R) => z.output<RS>;
    idempotencyDb?: Db;
    /** Every action's `run` sends its Update under the request's key (see defineRoute's `rerunSafe`). */
    rerunSafe?: boolean;
  },
) {
  return <B extends z.ZodType>(o: {
    path: string;
    operationId: OperationId;
    summary: string;
    access?: Permission;
    body: B;
    /** `requestKey`: the request's identity when it carries an Idempotency-Key (RouteContext). */
    run: (deps: ApiDeps, principal: Principal, id: string, body: z.output<B>, requestKey: string | null) => Promise<R>;
  }) =>
    defineRoute(router, registry, {
      method: 'post',
      path: o.path,
      operationId: o.operationId,
      summary: o.summary,
      tags: of.tags,
      access: o.access ?? of.access,
      params: IdParams,
      body: o.body,
      response: of.response,
      errors: ACTION_ERRORS,
      ...(of.idempotencyDb ? { idempotencyDb: of.idempotencyDb } : {}),
      ...(of.rerunSafe ? { rerunSafe: true } : {}),
      handler: async ({ params, body, principal, requestKey }) => of.answer(principal, await o.run(deps, principal, params.id, body, requestKey)),
    });
}

/** GET `/api/<records>/:id/events`: one record's audit trail, oldest first, a page of EventPageQuery at a time. */
export function auditTrailRoute<RS extends z.ZodType>(
  router: Router,
  registry: OpenAPIRegistry,
  o: {
    path: string;
    operationId: OperationId;
    summary: string;
    tags: string[];
    access: Permission;
    response: RS;
    /** `req`: for what the answer must record about itself (a customer's personal data shown: api/record-views). */
    page: (principal: Principal, id: string, page: PageParams, req: Request) => Promise<z.output<RS>>;
  },
): void {
  defineRoute(router, registry, {
    method: 'get',
    path: o.path,
    operationId: o.operationId,
    summary: o.summary,
    tags: o.tags,
    access: o.access,
    params: IdParams,
    query: EventPageQuery,
    response: o.response,
    handler: ({ params, query, principal, req }) => o.page(principal, params.id, query, req),
  });
}
