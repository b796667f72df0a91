import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ApiDeps } from '../context.js';
import { defineRoute, pageAnswer, pageOf, skipTake } from '../http/route.js';
import { listEscalations } from '../../app/cases/list-escalations.js';
import { decideEscalation } from '../../app/cases/work-case.js';
import { escalationFromRow, escalationFromState } from '../cases/case-view.js';
import { ApproveBody, EscalationIdParams, EscalationView, ListEscalationsQuery, RejectBody } from '../cases/schemas.js';

/** The decided request as the workflow reports it. */
const decided = ({ escalation, case: c, names }: Awaited<ReturnType<typeof decideEscalation>>) => escalationFromState(escalation, c, names);

export function registerEscalationRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/escalations',
    operationId: 'listEscalations',
    summary: 'Escalation requests for your tier and organisation / 升级申请列表',
    tags: ['escalations'],
    access: 'escalations:read',
    query: ListEscalationsQuery,
    response: pageOf(EscalationView),
    async handler({ query, principal }) {
      const { rows, total, names } = await listEscalations(db, principal, { status: query.status, caseId: query.caseId }, skipTake(query));
      return pageAnswer(query, rows.map((e) => escalationFromRow(e, names)), total);
    },
  });

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/escalations/:id/approve',
    operationId: 'approveEscalation',
    summary: 'Approve an escalation: the case moves up with fresh targets / 批准升级',
    tags: ['escalations'],
    access: 'escalations:decide',
    params: EscalationIdParams,
    body: ApproveBody,
    response: EscalationView,
    errors: [403, 404, 409, 503],
    idempotencyDb: db,
    rerunSafe: true,
    handler: async ({ params, body, principal, requestKey }) =>
      decided(await decideEscalation(deps, principal, { escalationId: params.id, decision: 'approve', ...(body.note ? { note: body.note } : {}), requestKey })),
  });

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/escalations/:id/reject',
    operationId: 'rejectEscalation',
    summary: 'Reject an escalation with a reason / 驳回升级',
    tags: ['escalations'],
    access: 'escalations:decide',
    params: EscalationIdParams,
    body: RejectBody,
    response: EscalationView,
    errors: [403, 404, 409, 503],
    idempotencyDb: db,
    rerunSafe: true,
    handler: async ({ params, body, principal, requestKey }) =>
      decided(await decideEscalation(deps, principal, { escalationId: params.id, decision: 'reject', reason: body.reason, requestKey })),
  });
}
