import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ApiDeps } from '../context.js';
import { createSale } from '../../app/sales/create-sale.js';
import { listSales } from '../../app/sales/list-sales.js';
import { getProgressNotes, publishProgressNote } from '../../app/sales/progress-notes.js';
import {
  decide,
  file,
  getSale,
  handOver,
  inspect,
  loadSaleFor,
  mortgage,
  pay,
  requestCancel,
  requestRename,
  requestUnitChange,
  sign,
  switchPaymentMethod,
} from '../../app/sales/work-sale.js';
import { auditEventPage } from '../../app/audit/event-page.js';
import { IdParams, PageQuery, defineRoute, pageAnswer, pageOf, skipTake } from '../http/route.js';
import { ACTION_ERRORS, actionRoutes, auditTrailRoute } from '../http/process-routes.js';
import { recordCustomerViews } from '../record-views/record-view-log.js';
import { saleNamesFor, toSaleJson, toSaleSummary } from './sale-view.js';
import {
  ApprovalParams,
  CancelBody,
  ChangeUnitBody,
  ContractBody,
  CreateSaleBody,
  DecideApprovalBody,
  FilingBody,
  HandoverBody,
  InspectionBody,
  ListSalesQuery,
  MortgageBody,
  PaymentBody,
  PaymentMethodBody,
  ProgressNoteBody,
  ProgressNoteView,
  RenameBody,
  SaleEventPage,
  SaleSummaryView,
  SaleView,
} from './schemas.js';

/** Data fields of sale events that name colleagues (resolved to names for the timeline). */
const USER_FIELDS = ['ownerId', 'contactUserId'];

/**
 * Sales (DESIGN.md section 3, issue 5): one `saleLifecycle` workflow per sale owns its deadlines;
 * the API opens sales (reserving the unit), lists the read model, and runs the human steps as Updates.
 */
export function registerSaleRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/sales',
    operationId: 'createSale',
    summary: 'Open a sale (认购): the unit is reserved and the contract deadline starts / 新建认购',
    tags: ['sales'],
    access: 'sales:create',
    body: CreateSaleBody,
    response: SaleView,
    status: 201,
    errors: [404, 409, 503],
    idempotencyDb: db,
    // The sale's id is its request's: a retry after the process that opened it died finds it and
    // finishes what was left (the lead's conversion, the workflow's start).
    rerunSafe: true,
    handler: async ({ body, principal, requestKey }) => toSaleJson(principal, await createSale(deps, principal, body, { requestKey })),
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/sales',
    operationId: 'listSales',
    summary: 'Sales you may see, the next deadline first / 销售列表',
    tags: ['sales'],
    access: 'sales:read',
    query: ListSalesQuery,
    response: pageOf(SaleSummaryView),
    async handler({ query, principal }) {
      const { rows, total, names } = await listSales(
        db,
        principal,
        {
          ownerId: query.ownerId === 'me' ? principal.id : query.ownerId,
          stage: query.stage,
          projectId: query.projectId,
          customerId: query.customerId,
          dueBefore: query.dueBefore ? new Date(query.dueBefore) : undefined,
          pendingApproval: query.pendingApproval === 'true',
          q: query.q,
        },
        skipTake(query),
      );
      const shown = saleNamesFor(principal, names);
      return pageAnswer(query, rows.map((r) => toSaleSummary(r, null, shown)), total);
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/sales/:id',
    operationId: 'getSale',
    summary: 'One sale with its deadlines, payments, approvals and repair cases / 销售详情',
    tags: ['sales'],
    access: 'sales:read',
    params: IdParams,
    response: SaleView,
    async handler({ params, principal, req }) {
      const sale = await getSale(deps, principal, params.id);
      const { row } = sale;
      const answer = toSaleJson(principal, sale);
      if (answer.customer)
        await recordCustomerViews(db, principal, req, [
          { customerId: answer.customer.id, recordKind: 'sale', recordId: row.id, companyId: row.companyId, projectId: row.projectId },
        ]);
      return answer;
    },
  });

  auditTrailRoute(router, registry, {
    path: '/api/sales/:id/events',
    operationId: 'listSaleEvents',
    summary: "A sale's audit trail, oldest first / 销售记录",
    tags: ['sales'],
    access: 'sales:read',
    response: SaleEventPage,
    async page(principal, id, page) {
      const { row } = await loadSaleFor(deps, principal, id, 'read');
      return auditEventPage(db, principal, { workflowId: row.workflowId, ...page, userFields: USER_FIELDS });
    },
  });

  // Idempotent: a client retrying after a dropped connection gets the first answer, not a second
  // payment or a 409; each Update goes under its request's key, which Temporal deduplicates, so a
  // retry after the process that sent it died gets the first outcome too (a unit change's hold of
  // the new unit is for the sale, so taking it again is a no-op).
  const action = actionRoutes(router, registry, deps, { tags: ['sales'], access: 'sales:work', response: SaleView, answer: toSaleJson, idempotencyDb: db, rerunSafe: true });

  action({ operationId: 'signContract', path: '/api/sales/:id/contract', summary: 'Record the signed contract; filing and payment deadlines start / 签约', body: ContractBody, run: sign });
  action({ operationId: 'recordFiling', path: '/api/sales/:id/filing', summary: 'Record the online filing (网签备案) / 网签备案', body: FilingBody, run: file });
  action({ operationId: 'recordPayment', path: '/api/sales/:id/payments', summary: 'Record a payment (instalment) toward the price / 登记付款', body: PaymentBody, run: pay });
  action({
    path: '/api/sales/:id/mortgage',
    operationId: 'recordMortgageEvent',
    summary: 'Record a mortgage step: documents submitted, approved, rejected, disbursed / 按揭进度',
    body: MortgageBody,
    run: mortgage,
  });
  action({
    path: '/api/sales/:id/payment-method',
    operationId: 'changePaymentMethod',
    summary: 'After a rejected mortgage, switch the sale to full payment / 按揭被拒改全款',
    body: PaymentMethodBody,
    run: switchPaymentMethod,
  });
  action({
    path: '/api/sales/:id/inspection',
    operationId: 'recordInspection',
    summary: 'Record the pre-handover inspection; each defect opens a repair case / 交付前验房',
    body: InspectionBody,
    run: inspect,
  });
  action({
    path: '/api/sales/:id/handover',
    operationId: 'recordHandover',
    summary: 'Hand over: keys, measured area (area difference settled), defects of the day open repair cases / 交付',
    body: HandoverBody,
    run: handOver,
  });
  action({ operationId: 'requestCancellation', path: '/api/sales/:id/cancel', summary: 'Ask a sales manager to cancel the sale, with a reason / 申请退订', body: CancelBody, run: requestCancel });
  action({
    path: '/api/sales/:id/change-unit',
    operationId: 'requestUnitChange',
    summary: 'Ask a sales manager to move the sale to another unit (held meanwhile), with a reason / 申请换房',
    body: ChangeUnitBody,
    run: requestUnitChange,
  });
  action({ operationId: 'requestRename', path: '/api/sales/:id/rename', summary: 'Ask a sales manager to change the buyer’s name, with a reason / 申请更名', body: RenameBody, run: requestRename });

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/sales/:id/approvals/:approvalId',
    operationId: 'decideSaleApproval',
    summary: 'Approve or reject a cancellation, unit change or rename (sales managers) / 审批',
    tags: ['sales'],
    access: 'sales:approve',
    params: ApprovalParams,
    body: DecideApprovalBody,
    response: SaleView,
    errors: ACTION_ERRORS,
    idempotencyDb: db,
    // The decision's Update goes under the request's key: a retry gets the first outcome.
    rerunSafe: true,
    handler: async ({ params, body, principal, requestKey }) => toSaleJson(principal, await decide(deps, principal, params.id, params.approvalId, body, requestKey)),
  });

  // Construction progress: the monthly buyer email quotes the project's latest note.
  defineRoute(router, registry, {
    method: 'get',
    path: '/api/projects/:id/progress-notes',
    operationId: 'listProgressNotes',
    summary: 'A project’s construction-progress notes, newest first / 工程进度',
    tags: ['sales'],
    // Not personal data: whoever may see the project reads its progress (the call centre answers buyers too).
    access: 'org:read',
    params: IdParams,
    query: PageQuery,
    response: pageOf(ProgressNoteView),
    async handler({ params, query, principal }) {
      const { rows, total } = await getProgressNotes(db, principal, params.id, skipTake(query));
      const items = rows.map((n) => ({ id: n.id, projectId: n.projectId, text: n.text, createdById: n.createdById, createdAt: n.createdAt.toISOString() }));
      return pageAnswer(query, items, total);
    },
  });

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/projects/:id/progress-notes',
    operationId: 'publishProgressNote',
    summary: 'Publish a construction-progress note; the next monthly buyer email quotes it / 发布工程进度',
    tags: ['sales'],
    access: 'progress-notes:write',
    params: IdParams,
    body: ProgressNoteBody,
    response: ProgressNoteView,
    status: 201,
    errors: [403, 404],
    idempotencyDb: db,
    // The note's id is the request's: a retry after the process that stored it died finds it.
    rerunSafe: true,
    async handler({ params, body, principal, requestKey }) {
      const n = await publishProgressNote(db, principal, params.id, body.text, { requestKey });
      return { id: n.id, projectId: n.projectId, text: n.text, createdById: n.createdById, createdAt: n.createdAt.toISOString() };
    },
  });
}
