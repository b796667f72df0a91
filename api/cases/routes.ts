import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from '../http/zod.js';
import type { ApiDeps } from '../context.js';
import type { Prisma } from '../../prisma/generated/client.js';
import { PageQuery, defineRoute, pageOf, skipTake } from '../http/route.js';
import { toCustomerView } from '../customers/routes.js';
import { recordCustomerViews } from '../record-views/record-view-log.js';
import {
  pauseClock,
  recordCallback,
  recordContact,
  requestEscalation,
  resolveCase,
  resumeClock,
} from '../../workflows/cases/complaint-case.defs.js';
import { caseQueueWhere, caseScopeWhere, findCaseEventsByWorkflowId, findCaseInScopeOrThrow, findNamesForCases } from './case-repository.js';
import { queryCaseStateOrNull } from './case-workflow.js';
import { escalationFromRow, escalationFromState, toCaseView } from './case-view.js';
import { openCase } from './open-case.js';
import { actOnCase, changeCase } from './work-case.js';
import {
  CallbackBody,
  CaseDetailView,
  CaseEventView,
  CaseView,
  ChangeCaseBody,
  EmptyBody,
  EscalateBody,
  IdParams,
  ListCasesQuery,
  NoteBody,
  OpenCaseBody,
  PauseBody,
  ResolveBody,
} from './schemas.js';

const ACTION_ERRORS = [403, 404, 409, 503];

export function registerCaseRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/cases',
    summary: 'Open a complaint, repair or enquiry case / 新建工单',
    tags: ['cases'],
    access: 'cases:create',
    body: OpenCaseBody,
    response: CaseView,
    status: 201,
    errors: [404, 503],
    idempotencyDb: db,
    handler: ({ body, principal }) => openCase(deps, principal, body),
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/cases',
    summary: 'Cases in your scope, what breaches first on top / 工单列表',
    tags: ['cases'],
    access: 'cases:read',
    query: ListCasesQuery,
    response: pageOf(CaseView),
    async handler({ query, principal }) {
      const and: Prisma.CaseWhereInput[] = [query.queue === 'true' ? caseQueueWhere(principal) : caseScopeWhere(principal)];
      if (query.status) and.push({ status: { in: query.status } });
      if (query.tier) and.push({ tier: query.tier });
      if (query.projectId) and.push({ projectId: query.projectId });
      if (query.assigneeId) and.push({ assigneeId: query.assigneeId === 'me' ? principal.id : query.assigneeId });
      if (query.openedBy) and.push({ openedById: query.openedBy === 'me' ? principal.id : query.openedBy });
      if (query.breached) and.push({ breached: query.breached === 'true' });
      if (query.from || query.to)
        and.push({ openedAt: { ...(query.from ? { gte: new Date(query.from) } : {}), ...(query.to ? { lt: new Date(query.to) } : {}) } });
      if (query.q) and.push({ number: { contains: query.q.toUpperCase() } });
      const where: Prisma.CaseWhereInput = { AND: and };
      const orderBy: Prisma.CaseOrderByWithRelationInput[] =
        query.sort === 'due'
          ? [{ nextDueAt: { sort: 'asc', nulls: 'last' } }, { openedAt: 'asc' }, { id: 'asc' }]
          : [{ openedAt: query.sort === 'opened_asc' ? 'asc' : 'desc' }, { id: 'asc' }];
      const [rows, total] = await Promise.all([db.case.findMany({ where, orderBy, ...skipTake(query) }), db.case.count({ where })]);
      const names = await findNamesForCases(db, rows);
      const now = Date.now();
      return {
        items: rows.map((r) =>
          toCaseView(r, { now, projectName: names.project.get(r.projectId) ?? null, assigneeName: r.assigneeId ? (names.user.get(r.assigneeId) ?? null) : null }),
        ),
        total,
        page: query.page,
        pageSize: query.pageSize,
      };
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/cases/:id',
    summary: 'One case with its live SLA clocks / 工单详情（实时时效）',
    tags: ['cases'],
    access: 'cases:read',
    params: IdParams,
    response: CaseDetailView,
    async handler({ params, principal, req }) {
      const row = await findCaseInScopeOrThrow(db, principal, params.id);
      // A closed case's clocks are final: the read model has them, the workflow need not be asked.
      const [state, customer, escalations, names] = await Promise.all([
        row.status === 'closed' ? null : queryCaseStateOrNull(deps.temporal, row.workflowId),
        db.customer.findUnique({ where: { id: row.customerId } }),
        db.caseEscalation.findMany({ where: { caseId: row.id }, orderBy: { requestedAt: 'asc' } }),
        findNamesForCases(db, [row]),
      ]);
      const ref = { caseId: row.id, caseNumber: row.number, projectId: row.projectId };
      const answer = {
        ...toCaseView(row, {
          state,
          now: Date.now(),
          projectName: names.project.get(row.projectId) ?? null,
          assigneeName: row.assigneeId ? (names.user.get(row.assigneeId) ?? null) : null,
        }),
        customer: customer ? toCustomerView(principal, customer) : null,
        escalations: state
          ? state.escalations.map((e) => escalationFromState(e, ref))
          : escalations.map((e) => escalationFromRow({ ...e, case: { number: row.number } })),
      };
      if (customer)
        await recordCustomerViews(db, principal, req, [
          { customerId: customer.id, recordKind: 'case', recordId: row.id, companyId: row.companyId, projectId: row.projectId },
        ]);
      return answer;
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/cases/:id/events',
    summary: "A case's audit trail, oldest first / 工单审计记录",
    tags: ['cases'],
    access: 'cases:read',
    params: IdParams,
    query: PageQuery.extend({ pageSize: z.coerce.number().int().min(1).max(500).default(200) }),
    response: pageOf(CaseEventView),
    async handler({ params, query, principal }) {
      const row = await findCaseInScopeOrThrow(db, principal, params.id);
      const { rows, total } = await findCaseEventsByWorkflowId(db, row.workflowId, skipTake(query));
      return {
        items: rows.map((e) => ({ seq: e.seq, type: e.type, actor: e.actor, at: e.at.toISOString(), data: e.data })),
        total,
        page: query.page,
        pageSize: query.pageSize,
      };
    },
  });

  const action = <B extends z.ZodType>(o: {
    path: string;
    summary: string;
    body: B;
    access: 'cases:work' | 'cases:callback';
    run: (ctx: { id: string; body: z.output<B>; principal: Parameters<typeof actOnCase>[1] }) => Promise<z.input<typeof CaseView>>;
  }) =>
    defineRoute(router, registry, {
      method: 'post',
      path: o.path,
      summary: o.summary,
      tags: ['cases'],
      access: o.access,
      params: IdParams,
      body: o.body,
      response: CaseView,
      errors: ACTION_ERRORS,
      handler: ({ params, body, principal }) => o.run({ id: params.id, body, principal }),
    });

  action({
    path: '/api/cases/:id/contact',
    summary: 'Record the first contact with the customer / 记录首次联系',
    body: NoteBody,
    access: 'cases:work',
    run: ({ id, body, principal }) => actOnCase(deps, principal, { id, rule: 'work', update: recordContact, args: { note: body.note } }),
  });
  action({
    path: '/api/cases/:id/pause',
    summary: 'Pause the clock while waiting on the customer / 暂停计时（等待客户）',
    body: PauseBody,
    access: 'cases:work',
    run: ({ id, body, principal }) => actOnCase(deps, principal, { id, rule: 'work', update: pauseClock, args: { reason: body.reason } }),
  });
  action({
    path: '/api/cases/:id/resume',
    summary: 'Resume the clock where it stopped / 恢复计时',
    body: EmptyBody,
    access: 'cases:work',
    run: ({ id, principal }) => actOnCase(deps, principal, { id, rule: 'work', update: resumeClock, args: {} }),
  });
  action({
    path: '/api/cases/:id/resolve',
    summary: 'Resolve the case; the callback target starts / 办结工单',
    body: ResolveBody,
    access: 'cases:work',
    run: ({ id, body, principal }) => actOnCase(deps, principal, { id, rule: 'work', update: resolveCase, args: { resolution: body.resolution } }),
  });
  action({
    path: '/api/cases/:id/callback',
    summary: 'Record the satisfaction callback / 记录回访满意度',
    body: CallbackBody,
    access: 'cases:callback',
    run: ({ id, body, principal }) =>
      actOnCase(deps, principal, {
        id,
        rule: 'callback',
        update: recordCallback,
        args: { satisfaction: body.satisfaction, ...(body.comment ? { comment: body.comment } : {}), ...(body.escalate !== undefined ? { escalate: body.escalate } : {}) },
      }),
  });
  action({
    path: '/api/cases/:id/escalations',
    summary: 'Ask to escalate the case to the next tier / 申请升级',
    body: EscalateBody,
    access: 'cases:work',
    run: ({ id, body, principal }) => actOnCase(deps, principal, { id, rule: 'work', update: requestEscalation, args: { reason: body.reason } }),
  });

  defineRoute(router, registry, {
    method: 'patch',
    path: '/api/cases/:id',
    summary: 'Change severity, category or assignee; targets are recomputed / 修改工单',
    tags: ['cases'],
    access: 'cases:work',
    params: IdParams,
    body: ChangeCaseBody,
    response: CaseView,
    errors: ACTION_ERRORS,
    handler: ({ params, body, principal }) => changeCase(deps, principal, params.id, body),
  });
}
