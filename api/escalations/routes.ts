import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from '../http/zod.js';
import type { ApiDeps } from '../context.js';
import type { Principal } from '../../domain/access.js';
import type { Prisma } from '../../prisma/generated/client.js';
import { PageQuery, defineRoute, pageOf, skipTake } from '../http/route.js';
import { escalationFromRow } from '../cases/case-view.js';
import { decideEscalation } from '../cases/work-case.js';
import { ApproveBody, EscalationIdParams, EscalationView, Id, RejectBody } from '../cases/schemas.js';

const ESCALATION_STATUSES = ['pending', 'approved', 'rejected', 'auto_escalated'] as const;

/**
 * The requests a principal sees. A supervisor sees the requests INTO its own office's tier (the
 * ones it decides): a company supervisor those to COMPANY of its company, a group supervisor those
 * to GROUP. A manager audits every request of the cases in its scope.
 */
export function escalationScopeWhere(p: Principal): Prisma.CaseEscalationWhereInput {
  const org: Prisma.CaseEscalationWhereInput =
    p.scopeLevel === 'GROUP'
      ? { groupId: p.groupId }
      : p.scopeLevel === 'COMPANY'
        ? { groupId: p.groupId, companyId: p.companyId ?? '__none__' }
        : { groupId: p.groupId, projectId: p.projectId ?? '__none__' };
  return p.role === 'SUPERVISOR' ? { ...org, toTier: p.scopeLevel } : org;
}

export function registerEscalationRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/escalations',
    summary: 'Escalation requests for your tier and organisation / 升级申请列表',
    tags: ['escalations'],
    access: 'escalations:read',
    query: PageQuery.extend({ status: z.enum(ESCALATION_STATUSES).optional(), caseId: Id.optional() }),
    response: pageOf(EscalationView),
    async handler({ query, principal }) {
      const where: Prisma.CaseEscalationWhereInput = {
        AND: [escalationScopeWhere(principal), query.status ? { status: query.status } : {}, query.caseId ? { caseId: query.caseId } : {}],
      };
      const orderBy: Prisma.CaseEscalationOrderByWithRelationInput[] =
        query.status === 'pending' ? [{ dueAt: 'asc' }, { id: 'asc' }] : [{ requestedAt: 'desc' }, { id: 'asc' }];
      const [rows, total] = await Promise.all([
        db.caseEscalation.findMany({ where, orderBy, ...skipTake(query), include: { case: { select: { number: true } } } }),
        db.caseEscalation.count({ where }),
      ]);
      return { items: rows.map(escalationFromRow), total, page: query.page, pageSize: query.pageSize };
    },
  });

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/escalations/:id/approve',
    summary: 'Approve an escalation: the case moves up with fresh targets / 批准升级',
    tags: ['escalations'],
    access: 'escalations:decide',
    params: EscalationIdParams,
    body: ApproveBody,
    response: EscalationView,
    errors: [403, 404, 409, 503],
    handler: ({ params, body, principal }) =>
      decideEscalation(deps, principal, { escalationId: params.id, decision: 'approve', ...(body.note ? { note: body.note } : {}) }),
  });

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/escalations/:id/reject',
    summary: 'Reject an escalation with a reason / 驳回升级',
    tags: ['escalations'],
    access: 'escalations:decide',
    params: EscalationIdParams,
    body: RejectBody,
    response: EscalationView,
    errors: [403, 404, 409, 503],
    handler: ({ params, body, principal }) => decideEscalation(deps, principal, { escalationId: params.id, decision: 'reject', reason: body.reason }),
  });
}
