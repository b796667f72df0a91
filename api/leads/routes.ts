import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ApiDeps } from '../context.js';
import { cadenceOf } from '../../domain/leads/cadence.js';
import { createLead } from '../../app/leads/create-lead.js';
import { getLead } from '../../app/leads/get-lead.js';
import { listLeads } from '../../app/leads/list-leads.js';
import { assign, loadLeadFor, markLost, regrade, review, touchLead } from '../../app/leads/work-lead.js';
import { convertLeadToSale } from '../../app/sales/create-sale.js';
import { auditEventPage } from '../../app/audit/event-page.js';
import { IdParams, defineRoute, pageAnswer, pageOf, skipTake } from '../http/route.js';
import { actionRoutes, auditTrailRoute } from '../http/process-routes.js';
import { recordCustomerViews } from '../record-views/record-view-log.js';
import { toCustomerView } from '../customers/customer-view.js';
import { toLeadViewOf } from './lead-view.js';
import {
  AssignBody,
  ConvertBody,
  CreateLeadBody,
  GradeBody,
  LeadDetailView,
  LeadEventPage,
  LeadView,
  ListLeadsQuery,
  LostBody,
  ReviewBody,
  TouchBody,
} from './schemas.js';

/**
 * Leads (DESIGN.md section 2, issue 4): one `leadFollowUp` workflow per lead owns its cadence; the
 * API registers leads, lists the read model, and runs the human actions as Updates.
 */
export function registerLeadRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/leads',
    operationId: 'createLead',
    summary: 'Register a lead; it is assigned by name or round robin, or goes to the pool / 新建线索',
    tags: ['leads'],
    access: 'leads:create',
    body: CreateLeadBody,
    response: LeadView,
    status: 201,
    errors: [404, 503],
    idempotencyDb: db,
    // The lead's id is its request's: a retry after the process that registered it died finds it
    // and only makes sure its workflow runs.
    rerunSafe: true,
    handler: async ({ body, principal, requestKey }) => toLeadViewOf(principal, await createLead(deps, principal, body, { requestKey })),
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/leads',
    operationId: 'listLeads',
    summary: 'Leads you may see, the next touch due first (today’s follow-ups) / 线索列表',
    tags: ['leads'],
    access: 'leads:read',
    query: ListLeadsQuery,
    response: pageOf(LeadView),
    async handler({ query, principal }) {
      const { records, total } = await listLeads(
        db,
        principal,
        {
          ownerId: query.ownerId === 'me' ? principal.id : query.ownerId,
          status: query.status,
          grade: query.grade,
          source: query.source,
          projectId: query.projectId,
          customerId: query.customerId,
          dueBefore: query.dueBefore ? new Date(query.dueBefore) : undefined,
          q: query.q,
          dueToday: query.dueToday === 'true',
          overdue: query.overdue === 'true',
        },
        skipTake(query),
      );
      return pageAnswer(query, records.map((r) => toLeadViewOf(principal, r)), total);
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/leads/:id',
    operationId: 'getLead',
    summary: 'One lead with its live cadence / 线索详情',
    tags: ['leads'],
    access: 'leads:read',
    params: IdParams,
    response: LeadDetailView,
    async handler({ params, principal, req }) {
      const lead = await getLead(deps, principal, params.id);
      const { row, state: live, referrer } = lead;
      const answer = {
        ...toLeadViewOf(principal, lead),
        referrer: referrer ? toCustomerView(principal, referrer) : null,
        cadence: live ? cadenceOf({ policies: live.policies, grade: live.grade }) : null,
      };
      // The prospect and, on a referral, the referring owner: both shown whole, both recorded.
      const place = { recordKind: 'lead' as const, recordId: row.id, companyId: row.companyId, projectId: row.projectId };
      await recordCustomerViews(db, principal, req, [
        ...(answer.customer ? [{ customerId: answer.customer.id, ...place }] : []),
        ...(answer.referrer ? [{ customerId: answer.referrer.id, ...place }] : []),
      ]);
      return answer;
    },
  });

  auditTrailRoute(router, registry, {
    path: '/api/leads/:id/events',
    operationId: 'listLeadEvents',
    summary: "A lead's audit trail (touches, grades, owners, reminders), oldest first / 线索跟进记录",
    tags: ['leads'],
    access: 'leads:read',
    response: LeadEventPage,
    async page(principal, id, page) {
      const { row } = await loadLeadFor(deps, principal, id, 'read');
      return auditEventPage(db, principal, { workflowId: row.workflowId, ...page, userFields: ['ownerId', 'previousOwnerId'] });
    },
  });

  // Idempotent: a client retrying after a dropped connection gets the first answer, not a second
  // touch or a 409; each Update goes under its request's key, which Temporal deduplicates, and a
  // conversion's sale takes its id from the key, so a retry after the process that ran it died gets
  // the first outcome too.
  const action = actionRoutes(router, registry, deps, { tags: ['leads'], access: 'leads:work', response: LeadView, answer: toLeadViewOf, idempotencyDb: db, rerunSafe: true });

  action({
    path: '/api/leads/:id/touches',
    operationId: 'logTouch',
    summary: 'Log a touch (channel, outcome, note, next step); the cadence restarts / 记录跟进',
    body: TouchBody,
    access: 'leads:work',
    run: touchLead,
  });
  action({
    path: '/api/leads/:id/grade',
    operationId: 'regradeLead',
    summary: 'Re-grade the lead; the new grade’s cadence starts at once / 调整线索等级',
    body: GradeBody,
    access: 'leads:work',
    run: regrade,
  });
  action({
    path: '/api/leads/:id/assign',
    operationId: 'assignLead',
    summary: 'Hand the lead to an owner (sales managers; also from the pool) / 分配线索',
    body: AssignBody,
    access: 'leads:manage',
    run: assign,
  });
  action({
    path: '/api/leads/:id/convert',
    operationId: 'convertLead',
    summary: 'Convert the lead: opens its sale (unit of its project reserved, price, deposit, payment method); the cadence ends / 线索成交',
    body: ConvertBody,
    access: 'leads:work',
    run: convertLeadToSale,
  });
  action({
    path: '/api/leads/:id/lost',
    operationId: 'markLeadLost',
    summary: 'Mark the lead lost with a loss reason; a sales manager reviews it / 标记战败',
    body: LostBody,
    access: 'leads:work',
    run: markLost,
  });
  action({
    path: '/api/leads/:id/review',
    operationId: 'reviewLostLead',
    summary: 'Review a lost lead: take it over, reassign it, or confirm it closed / 战败审核',
    body: ReviewBody,
    access: 'leads:manage',
    run: review,
  });
}
