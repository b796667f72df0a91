import express, { type Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from '../http/zod.js';
import type { ApiDeps } from '../context.js';
import { IdParams, defineRoute, pageAnswer, pageOf, requireAccess, skipTake } from '../http/route.js';
import { ACTION_ERRORS, actionRoutes, auditTrailRoute } from '../http/process-routes.js';
import { recordCustomerViews } from '../record-views/record-view-log.js';
import { hasPermission } from '../../domain/access.js';
import { answerQuote, bookAppointment, cancelWorkOrder, issueQuote, recordNoShow } from '../../workflows/repairs/work-order.defs.js';
import { openPhotoStore, type PhotoStore } from '../../app/photos/photo-store.js';
import { createWorkOrders } from '../../app/repairs/create-work-orders.js';
import { workOrderError } from '../../app/repairs/errors.js';
import { getWorkOrder } from '../../app/repairs/get-work-order.js';
import { listWorkOrders } from '../../app/repairs/list-work-orders.js';
import { actOnWorkOrder, assignWorkOrder, checkInToWorkOrder, recordWorkOrderResult, signOffWorkOrder } from '../../app/repairs/work-order-action.js';
import { getWorkOrderEventPage } from '../../app/repairs/work-order-events.js';
import { getSignOffLinkSummary, issueSignOffLink, signOffThroughLink, type SignOffLinkDeps } from '../../app/repairs/sign-off-links.js';
import { fetchWorkOrderPhoto, uploadWorkOrderPhoto, type WorkOrderPhotoDeps } from '../../app/repairs/work-order-photos.js';
import { findAssigneesOfProject, findWorkOrderById } from '../../app/repairs/repository.js';
import { findProjectInScopeOrThrow } from '../../app/org/repository.js';
import { findWorkOrderNames, type WorkOrderRecord } from '../../app/repairs/work-order-record.js';
import { toWorkOrderDetail, toWorkOrderView, workOrderPhotoView } from './work-order-view.js';
import {
  AnswerQuoteBody,
  AssigneesQuery,
  AssigneesView,
  AssignBody,
  BookAppointmentBody,
  CancelBody,
  CheckInBody,
  CreateWorkOrdersBody,
  CreatedWorkOrdersView,
  IssueQuoteBody,
  IssueSignOffLinkBody,
  LinkSignOffBody,
  LinkSignOffView,
  ListWorkOrdersQuery,
  NoShowBody,
  PhotoParams,
  PhotoQuery,
  ReassignBody,
  RecordResultBody,
  SignOffBody,
  SignOffLinkSummaryView,
  SignOffLinkView,
  SignOffTokenParams,
  WorkOrderDetailView,
  WorkOrderEventPage,
  WorkOrderPhotoView,
  WorkOrderView,
} from './schemas.js';

const TAGS = ['work-orders'];
/** The media types a photo upload is read as (the bytes are judged by their content, not by this). */
const PHOTO_BODY_TYPES = ['image/*', 'application/octet-stream'];

export function registerWorkOrderRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;
  // The photo store opens on first use (an S3 bucket is created then when missing), once per process.
  let store: Promise<PhotoStore> | null = null;
  const photoDeps = async (): Promise<WorkOrderPhotoDeps> => {
    store ??= openPhotoStore(deps.config.blobs).catch((err: unknown) => {
      store = null;
      throw err;
    });
    return { ...deps, photos: await store, photoLimits: deps.config.photos };
  };
  const linkDeps = async (): Promise<SignOffLinkDeps> => ({ ...(await photoDeps()), mailer: deps.mailer, publicUrl: deps.config.publicUrl });

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/cases/:id/work-orders',
    operationId: 'createWorkOrders',
    summary: "Create work orders for a repair or complaint case: 保内 dispatched at once, 保外 waiting for a quote / 维修派工",
    tags: TAGS,
    access: 'work-orders:dispatch',
    params: IdParams,
    body: CreateWorkOrdersBody,
    response: CreatedWorkOrdersView,
    status: 201,
    errors: [404, 409, 503],
    idempotencyDb: db,
    // The orders' ids are the request's (recordIdForRequest): a retry finds them and makes sure their workflows run.
    rerunSafe: true,
    async handler({ params, body, principal, requestKey }) {
      const created = await createWorkOrders(deps, principal, params.id, body.orders, { requestKey });
      const rows = await Promise.all(created.map(async (c) => ({ ...c, row: (await findWorkOrderById(db, c.row.id)) ?? c.row })));
      const names = await findWorkOrderNames(db, principal.groupId, rows.map((r) => r.row), rows.map((r) => r.state));
      return { items: rows.map((r) => toWorkOrderView({ row: r.row, state: r.state, names })) };
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/work-orders',
    operationId: 'listWorkOrders',
    summary: "Work orders you may see, the day's appointments first / 派工单列表",
    tags: TAGS,
    access: 'work-orders:read',
    query: ListWorkOrdersQuery,
    response: pageOf(WorkOrderView),
    async handler({ query, principal }) {
      const { rows, total, names } = await listWorkOrders(
        db,
        principal,
        {
          status: query.status,
          assignedToMe: query.assignee === 'me',
          technicianId: query.technicianId,
          contractorCompanyId: query.contractorCompanyId,
          projectId: query.projectId,
          caseId: query.caseId,
          date: query.date,
          unassigned: query.unassigned === 'true',
          late: query.late === 'true',
        },
        skipTake(query),
      );
      const now = Date.now();
      return pageAnswer(query, rows.map((row) => toWorkOrderView({ row, state: null, names }, now)), total);
    },
  });

  // Before '/api/work-orders/:id', which would take "assignees" for an id.
  defineRoute(router, registry, {
    method: 'get',
    path: '/api/work-orders/assignees',
    operationId: 'listWorkOrderAssignees',
    summary: "Who a project's orders can be given to: its technicians and the group's contractor companies / 可派工对象",
    tags: TAGS,
    access: 'work-orders:dispatch',
    query: AssigneesQuery,
    response: AssigneesView,
    errors: [404],
    async handler({ query, principal }) {
      const project = await findProjectInScopeOrThrow(db, principal, query.projectId);
      return findAssigneesOfProject(db, project);
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/work-orders/:id',
    operationId: 'getWorkOrder',
    summary: 'One work order with its live state, visits, address and the person to call / 派工单详情',
    tags: TAGS,
    access: 'work-orders:read',
    params: IdParams,
    response: WorkOrderDetailView,
    async handler({ params, principal, req }) {
      const detail = await getWorkOrder(deps, principal, params.id);
      const answer = toWorkOrderDetail(principal, detail);
      // A whole phone number shown is a view of the case's customer, as on the case's own page.
      if (detail.customerId && detail.contact && hasPermission(principal.role, 'customers:read-contact'))
        await recordCustomerViews(db, principal, req, [{ customerId: detail.customerId, recordKind: 'case', recordId: detail.row.caseId, companyId: detail.row.companyId, projectId: detail.row.projectId }]);
      return answer;
    },
  });

  auditTrailRoute(router, registry, {
    path: '/api/work-orders/:id/events',
    operationId: 'listWorkOrderEvents',
    summary: "A work order's audit trail, oldest first (no coordinates, texts or signatures: ids only) / 派工单审计记录",
    tags: TAGS,
    access: 'work-orders:read',
    response: WorkOrderEventPage,
    page: (principal, id, page) => getWorkOrderEventPage(deps, principal, id, page),
  });

  // Idempotent like the cases' actions: a retry with the same Idempotency-Key gets the first answer,
  // and each Update goes under the request's key, which Temporal deduplicates.
  const action = actionRoutes(router, registry, deps, {
    tags: TAGS,
    access: 'work-orders:dispatch',
    response: WorkOrderView,
    answer: (_principal, done: WorkOrderRecord) => toWorkOrderView(done),
    idempotencyDb: db,
    rerunSafe: true,
  });

  action({
    path: '/api/work-orders/:id/quote',
    operationId: 'issueWorkOrderQuote',
    summary: 'Out of warranty: the quote the owner is asked to accept (replaces one not yet answered) / 保外报价',
    body: IssueQuoteBody,
    run: (deps, principal, id, body, requestKey) => actOnWorkOrder(deps, principal, { id, rule: 'dispatch', update: issueQuote, args: { items: body.items, totalFen: body.totalFen, currency: 'CNY' }, requestKey }),
  });
  action({
    path: '/api/work-orders/:id/quote/answer',
    operationId: 'answerWorkOrderQuote',
    summary: "The owner's answer to the quote, recorded by staff: accepted dispatches, refused cancels (outcome quote_refused) / 业主确认报价",
    body: AnswerQuoteBody,
    run: (deps, principal, id, body, requestKey) => actOnWorkOrder(deps, principal, { id, rule: 'dispatch', update: answerQuote, args: { accepted: body.accepted }, requestKey }),
  });
  action({
    path: '/api/work-orders/:id/assign',
    operationId: 'assignWorkOrder',
    summary: 'Assign an order nobody holds to a technician or a contractor company / 派工',
    body: AssignBody,
    run: (deps, principal, id, body, requestKey) => assignWorkOrder(deps, principal, id, { assignee: body.assignee }, requestKey),
  });
  action({
    path: '/api/work-orders/:id/reassign',
    operationId: 'reassignWorkOrder',
    summary: "Give the order to someone else, with why; the visit's arrival target restarts / 改派",
    body: ReassignBody,
    run: (deps, principal, id, body, requestKey) => assignWorkOrder(deps, principal, id, { assignee: body.assignee, reason: body.reason }, requestKey),
  });
  action({
    path: '/api/work-orders/:id/appointment',
    operationId: 'bookWorkOrderAppointment',
    summary: "Book (or move) the current visit's slot with the owner; it must end by the case's resolution target / 预约上门",
    access: 'work-orders:work',
    body: BookAppointmentBody,
    run: (deps, principal, id, body, requestKey) =>
      actOnWorkOrder(deps, principal, { id, rule: 'schedule', update: bookAppointment, args: { start: Date.parse(body.start), end: Date.parse(body.end) }, requestKey }),
  });
  action({
    path: '/api/work-orders/:id/check-in',
    operationId: 'checkInWorkOrder',
    summary: "Arrived on site, with the phone's position when it gave one (kept apart from the workflow) / 上门签到",
    access: 'work-orders:work',
    body: CheckInBody,
    run: (deps, principal, id, body, requestKey) => checkInToWorkOrder(deps, principal, id, body, requestKey),
  });
  action({
    path: '/api/work-orders/:id/result',
    operationId: 'recordWorkOrderResult',
    summary: "The visit's result: text, materials, the photos uploaded to the order (by key) and the cost / 维修结果",
    access: 'work-orders:work',
    body: RecordResultBody,
    run: (deps, principal, id, body, requestKey) => recordWorkOrderResult(deps, principal, id, body, requestKey),
  });
  action({
    path: '/api/work-orders/:id/sign-off',
    operationId: 'signOffWorkOrder',
    summary: "The owner's sign-off on the technician's phone: accepted with a signature (PNG data URL or SVG path), or rejected with a reason (rework) / 业主签认",
    access: 'work-orders:work',
    body: SignOffBody,
    async run(_deps, principal, id, body, requestKey) {
      const signature = body.accepted ? ('png' in body.signature ? { png: decodePng(body.signature.png) } : { svgPath: body.signature.svgPath }) : null;
      return signOffWorkOrder(
        await photoDeps(),
        principal,
        id,
        body.accepted ? { accepted: true, signature: signature!, channel: body.channel } : { accepted: false, reason: body.reason, channel: body.channel },
        requestKey,
      );
    },
  });
  // The owner's sign-off through a one-time link. Issuing takes no Idempotency-Key: a stored
  // answer would keep the link's token; asking again makes a new link and revokes the older one.
  defineRoute(router, registry, {
    method: 'post',
    path: '/api/work-orders/:id/sign-off-link',
    operationId: 'issueWorkOrderSignOffLink',
    summary: "A one-time link for the owner to sign the visit off on their own phone (72 h; emailed when the owner's record has an email; show it as a QR code); revokes the visit's older links / 发送签收链接",
    tags: TAGS,
    access: 'work-orders:work',
    params: IdParams,
    body: IssueSignOffLinkBody,
    response: SignOffLinkView,
    status: 201,
    errors: ACTION_ERRORS,
    async handler({ params, body, principal }) {
      return issueSignOffLink(await linkDeps(), principal, params.id, { email: body.email });
    },
  });

  // Public: the link's token is the only credential (rate-limited in api/app.ts; never logged).
  defineRoute(router, registry, {
    method: 'get',
    path: '/api/sign-off/:token',
    operationId: 'getSignOffLink',
    summary: "What the owner signs off, through a one-time link (no account): the order, the visit's result, who did it, where; 404 unknown, 410 used, expired or withdrawn. Reading never signs / 业主签收页",
    tags: TAGS,
    access: 'public',
    params: SignOffTokenParams,
    response: SignOffLinkSummaryView,
    errors: [404, 410, 429, 503],
    async handler({ params }) {
      return getSignOffLinkSummary(await linkDeps(), params.token);
    },
  });

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/sign-off/:token',
    operationId: 'signOffThroughLink',
    summary: "The owner's confirmed answer through a one-time link: accepted with a signature (the order is done), or rejected with a reason (rework); the link then no longer works / 业主确认签收",
    tags: TAGS,
    access: 'public',
    params: SignOffTokenParams,
    body: LinkSignOffBody,
    response: LinkSignOffView,
    errors: [404, 409, 410, 413, 415, 422, 429, 503],
    async handler({ params, body }) {
      const signature = body.accepted ? ('png' in body.signature ? { png: decodePng(body.signature.png) } : { svgPath: body.signature.svgPath }) : null;
      const done = await signOffThroughLink(await linkDeps(), params.token, body.accepted ? { accepted: true, signature: signature! } : { accepted: false, reason: body.reason });
      return { workOrderNumber: done.row.number, accepted: body.accepted, status: done.state?.status ?? (done.row.status as z.output<typeof LinkSignOffView>['status']) };
    },
  });

  action({
    path: '/api/work-orders/:id/no-show',
    operationId: 'recordWorkOrderNoShow',
    summary: 'Nobody met at the appointment (the technician or the owner): a new visit opens / 爽约',
    access: 'work-orders:work',
    body: NoShowBody,
    run: (deps, principal, id, body, requestKey) => actOnWorkOrder(deps, principal, { id, rule: 'schedule', update: recordNoShow, args: { party: body.party }, requestKey }),
  });
  action({
    path: '/api/work-orders/:id/cancel',
    operationId: 'cancelWorkOrder',
    summary: 'Cancel the order, with why / 取消派工',
    body: CancelBody,
    run: (deps, principal, id, body, requestKey) => actOnWorkOrder(deps, principal, { id, rule: 'dispatch', update: cancelWorkOrder, args: { reason: body.reason }, requestKey }),
  });

  // Photos: the raw image is the body (Content-Type image/* or application/octet-stream), read up
  // to the photo limit; its content decides whether it is a photo (app/photos). Only for those who
  // may upload at all: a stranger's 15 MiB is refused before it is read.
  router.post('/api/work-orders/:id/photos', requireAccess('work-orders:work'), express.raw({ type: PHOTO_BODY_TYPES, limit: deps.config.photos.maxBytes + 1 }));
  defineRoute(router, registry, {
    method: 'post',
    path: '/api/work-orders/:id/photos',
    operationId: 'uploadWorkOrderPhoto',
    summary:
      'Upload a photo of the work (the raw JPEG, PNG or WebP bytes as the body, Content-Type image/* or application/octet-stream): kept upright, resized, without metadata, content-addressed; the answer\'s `key` is what the result\'s photoKeys name / 上传维修照片',
    tags: TAGS,
    access: 'work-orders:work',
    params: IdParams,
    rawBody: { mediaTypes: ['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'], description: 'The photo file itself (not multipart): JPEG, PNG or WebP, judged by its content' },
    response: WorkOrderPhotoView,
    status: 201,
    errors: [403, 404, 413, 415, 422],
    async handler({ params, principal, req }) {
      const bytes = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : null;
      return workOrderPhotoView(await uploadWorkOrderPhoto(await photoDeps(), principal, params.id, bytes));
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/work-orders/:id/photos/:key',
    operationId: 'getWorkOrderPhoto',
    summary: "A photo of a work order (or its thumbnail with ?thumb=1), for those who may see the order / 查看维修照片",
    tags: TAGS,
    access: 'work-orders:read',
    params: PhotoParams,
    query: PhotoQuery,
    response: z.string().describe('The image bytes'),
    produces: ['image/jpeg', 'image/png', 'image/webp'],
    async handler({ params, query, principal, res }) {
      const photo = await fetchWorkOrderPhoto(await photoDeps(), principal, { id: params.id, key: params.key, thumb: query.thumb !== undefined });
      // The bytes under a key never change: the browser may keep them (privately).
      res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
      res.setHeader('ETag', `"${photo.key}"`);
      res.type(photo.contentType).status(200).send(Buffer.from(photo.bytes));
    },
  });

}

/** The bytes of a PNG data URL (the schema checked its form; app/photos checks the content). */
function decodePng(dataUrl: string): Uint8Array {
  const bytes = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  if (bytes.byteLength === 0) throw workOrderError('WORK_ORDER_SIGNATURE_INVALID', {}, { field: 'body.signature.png' });
  return new Uint8Array(bytes);
}
