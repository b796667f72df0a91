import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ApiDeps } from '../context.js';
import { IdParams, defineRoute, pageAnswer, pageOf, skipTake } from '../http/route.js';
import { ACTION_ERRORS, actionRoutes, auditTrailRoute } from '../http/process-routes.js';
import { toCustomerView } from '../customers/customer-view.js';
import { recordCustomerViews } from '../record-views/record-view-log.js';
import {
  pauseClock,
  recordCallback,
  recordContact,
  requestEscalation,
  resolveCase,
  resumeClock,
} from '../../workflows/cases/complaint-case.defs.js';
import { getCase } from '../../app/cases/get-case.js';
import { getCaseEventPage } from '../../app/cases/case-events.js';
import { addNoteToCase } from '../../app/cases/case-record.js';
import { listCases } from '../../app/cases/list-cases.js';
import { openCase } from '../../app/cases/open-case.js';
import { actOnCase, changeCase, type CaseAfterAction } from '../../app/cases/work-case.js';
import { callbackOutcomeView, contactView, escalationFromRow, escalationFromState, toCaseListItem, toCaseView } from './case-view.js';
import { warrantyView } from '../warranty/views.js';
import {
  AddNoteBody,
  CallbackAnswerView,
  CallbackBody,
  CaseDetailView,
  CaseEventPage,
  CaseListItemView,
  CaseNoteView,
  CaseView,
  ChangeCaseBody,
  EmptyBody,
  EscalateBody,
  ListCasesQuery,
  NoteBody,
  OpenCaseBody,
  PauseBody,
  ResolveBody,
} from './schemas.js';

/** A case as an action leaves it: the row overlaid with the workflow's new state, with names. */
const afterAction = ({ row, state, names }: CaseAfterAction) => toCaseView(row, { state, now: Date.now(), names });

export function registerCaseRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/cases',
    operationId: 'openCase',
    summary: 'Open a complaint, repair or enquiry case / 新建工单',
    tags: ['cases'],
    access: 'cases:create',
    body: OpenCaseBody,
    response: CaseView,
    status: 201,
    errors: [404, 503],
    idempotencyDb: db,
    // The case is stored under its request's key (sourceKey): a retry after the process that
    // opened it died finds it and only makes sure its workflow runs.
    rerunSafe: true,
    async handler({ body, principal, requestKey }) {
      const { row, state, names } = await openCase(deps, principal, body, { requestKey });
      return toCaseView(row, { state, now: Date.now(), names });
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/cases',
    operationId: 'listCases',
    summary: 'Cases in your scope, what breaches first on top / 工单列表',
    tags: ['cases'],
    access: 'cases:read',
    query: ListCasesQuery,
    response: pageOf(CaseListItemView),
    async handler({ query, principal }) {
      const me = (id: string | undefined) => (id === 'me' ? principal.id : id);
      const { rows, total, names, customers } = await listCases(
        db,
        principal,
        {
          queue: query.queue === 'true',
          status: query.status,
          tier: query.tier,
          projectId: query.projectId,
          customerId: query.customerId,
          assigneeId: me(query.assigneeId),
          openedById: me(query.openedBy),
          breached: query.breached ? query.breached === 'true' : undefined,
          openedFrom: query.from ? new Date(query.from) : undefined,
          openedBefore: query.to ? new Date(query.to) : undefined,
          q: query.q,
          overdue: query.overdue === 'true',
          dueWithinMinutes: query.dueWithinMinutes,
          sort: query.sort,
        },
        skipTake(query),
      );
      const now = Date.now();
      const items = rows.map((r) => toCaseListItem(principal, r, { now, names, customer: customers.get(r.customerId) ?? null }));
      return pageAnswer(query, items, total);
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/cases/:id',
    operationId: 'getCase',
    summary: 'One case with its live SLA clocks / 工单详情（实时时效）',
    tags: ['cases'],
    access: 'cases:read',
    params: IdParams,
    response: CaseDetailView,
    async handler({ params, principal, req }) {
      const { row, state, customer, escalations, names, warranty } = await getCase(deps, principal, params.id);
      const ref = { caseId: row.id, caseNumber: row.number, projectId: row.projectId };
      const answer = {
        ...toCaseView(row, { state, now: Date.now(), names }),
        customer: customer ? toCustomerView(principal, customer) : null,
        contact: contactView(principal, row, customer),
        escalations: state
          ? state.escalations.map((e) => escalationFromState(e, ref, names))
          : escalations.map((e) => escalationFromRow({ ...e, case: { number: row.number } }, names)),
        warranty: warranty && warrantyView(warranty),
      };
      if (customer)
        await recordCustomerViews(db, principal, req, [
          { customerId: customer.id, recordKind: 'case', recordId: row.id, companyId: row.companyId, projectId: row.projectId },
        ]);
      return answer;
    },
  });

  auditTrailRoute(router, registry, {
    path: '/api/cases/:id/events',
    operationId: 'listCaseEvents',
    summary: "A case's audit trail, oldest first / 工单审计记录",
    tags: ['cases'],
    access: 'cases:read',
    response: CaseEventPage,
    async page(principal, id, page, req) {
      const { row, contactShown, ...answer } = await getCaseEventPage(deps, principal, id, page);
      // An edit of the case's contact shows a name and phone: recorded as a view of the case's customer.
      if (contactShown)
        await recordCustomerViews(db, principal, req, [{ customerId: row.customerId, recordKind: 'case', recordId: row.id, companyId: row.companyId, projectId: row.projectId }]);
      return answer;
    },
  });

  // Idempotent: a client retrying after a dropped connection gets the first answer, not a second
  // action or a 409; each Update goes under its request's key, which Temporal deduplicates, so a
  // retry after the process that sent it died gets the first outcome too.
  const action = actionRoutes(router, registry, deps, {
    tags: ['cases'],
    access: 'cases:work',
    response: CaseView,
    answer: (_principal, done: CaseAfterAction) => afterAction(done),
    idempotencyDb: db,
    rerunSafe: true,
  });

  action({
    path: '/api/cases/:id/contact',
    operationId: 'recordContact',
    summary: 'Record the first contact with the customer / 记录首次联系',
    body: NoteBody,
    access: 'cases:work',
    run: (deps, principal, id, body, requestKey) => actOnCase(deps, principal, { id, rule: 'work', update: recordContact, args: { note: body.note }, requestKey }),
  });
  action({
    path: '/api/cases/:id/pause',
    operationId: 'pauseCaseClock',
    summary: 'Pause the clock while waiting on the customer / 暂停计时（等待客户）',
    body: PauseBody,
    access: 'cases:work',
    run: (deps, principal, id, body, requestKey) => actOnCase(deps, principal, { id, rule: 'work', update: pauseClock, args: { reason: body.reason }, requestKey }),
  });
  action({
    path: '/api/cases/:id/resume',
    operationId: 'resumeCaseClock',
    summary: 'Resume the clock where it stopped / 恢复计时',
    body: EmptyBody,
    access: 'cases:work',
    run: (deps, principal, id, _body, requestKey) => actOnCase(deps, principal, { id, rule: 'work', update: resumeClock, args: {}, requestKey }),
  });
  action({
    path: '/api/cases/:id/resolve',
    operationId: 'resolveCase',
    summary: 'Resolve the case; the callback target starts / 办结工单',
    body: ResolveBody,
    access: 'cases:work',
    run: (deps, principal, id, body, requestKey) => actOnCase(deps, principal, { id, rule: 'work', update: resolveCase, args: { resolution: body.resolution }, requestKey }),
  });
  defineRoute(router, registry, {
    method: 'post',
    path: '/api/cases/:id/callback',
    operationId: 'recordCallback',
    summary: 'Record the satisfaction callback; the answer says whether the case closed, reopened or escalated, and what comes next / 记录回访满意度',
    tags: ['cases'],
    access: 'cases:callback',
    params: IdParams,
    body: CallbackBody,
    response: CallbackAnswerView,
    errors: ACTION_ERRORS,
    idempotencyDb: db,
    rerunSafe: true,
    async handler({ params, body, principal, requestKey }) {
      const done = await actOnCase(deps, principal, {
        id: params.id,
        requestKey,
        rule: 'callback',
        update: recordCallback,
        args: { satisfaction: body.satisfaction, ...(body.comment ? { comment: body.comment } : {}), ...(body.escalate !== undefined ? { escalate: body.escalate } : {}) },
      });
      return { ...afterAction(done), callback: callbackOutcomeView(done.state, done.names) };
    },
  });

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/cases/:id/notes',
    operationId: 'addCaseNote',
    summary: 'Add a note (a repeat call, what you learnt) without changing status or clocks; audited as case.note_added / 添加备注',
    tags: ['cases'],
    access: 'cases:note',
    params: IdParams,
    body: AddNoteBody,
    response: CaseNoteView,
    status: 201,
    errors: ACTION_ERRORS,
    idempotencyDb: db,
    // The note's id and its Update's are the request's: a retry finds the note and the first outcome.
    rerunSafe: true,
    async handler({ params, body, principal, requestKey }) {
      const { note, seq, names } = await addNoteToCase(deps, principal, params.id, body.text, requestKey);
      return { id: note.id, caseId: note.caseId, seq, text: note.text, authorId: note.authorId, authorName: names.user.get(note.authorId) ?? null, at: note.createdAt.toISOString() };
    },
  });
  action({
    path: '/api/cases/:id/escalations',
    operationId: 'requestEscalation',
    summary: 'Ask to escalate the case to the next tier / 申请升级',
    body: EscalateBody,
    access: 'cases:work',
    run: (deps, principal, id, body, requestKey) => actOnCase(deps, principal, { id, rule: 'work', update: requestEscalation, args: { reason: body.reason }, requestKey }),
  });

  defineRoute(router, registry, {
    method: 'patch',
    path: '/api/cases/:id',
    operationId: 'changeCase',
    summary: 'Change severity, category or assignee (targets are recomputed), description or contact (audited) / 修改工单',
    tags: ['cases'],
    access: 'cases:work',
    params: IdParams,
    body: ChangeCaseBody,
    response: CaseView,
    errors: ACTION_ERRORS,
    handler: async ({ params, body, principal }) => afterAction(await changeCase(deps, principal, params.id, body)),
  });
}
