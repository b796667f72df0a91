import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z, orNull } from '../http/zod.js';
import { ROLES, canReadRecordViews, recordViewScopeWhere, type Principal } from '../../domain/access.js';
import type { ApiDeps } from '../context.js';
import type { Db } from '../../platform/db.js';
import type { Prisma, RecordView as RecordViewRow } from '../../prisma/generated/client.js';
import { customerError } from '../../app/customers/errors.js';
import { recordViewError } from '../../app/record-views/errors.js';
import { PageQuery, defineRoute, pageOf, skipTake } from '../http/route.js';
import { findProjectInScopeOrThrow } from '../org/routes.js';
import { sendCsv, toCsv, wantsCsv } from '../reports/csv.js';
import { RECORD_KINDS } from './record-view-log.js';

const Id = z.string().min(1).max(64);
const MAX_CSV_ROWS = 100_000;

const RecordViewItem = z
  .object({
    id: z.string(),
    viewedAt: z.string(),
    viewer: z.object({ id: z.string(), name: z.string().nullable().describe('Display name now'), role: z.enum(ROLES).describe('Role when viewing') }),
    customer: orNull(z.object({ id: z.string(), name: z.string().nullable() })).describe('Null for workflow payloads, which name no customer'),
    record: z.object({
      kind: z.enum(RECORD_KINDS),
      id: z.string().describe('The case, lead or sale; the customer for `customer`; the audit event `temporal-codec:<userId>:<seq>` for `workflow-payloads`'),
      number: z.string().nullable().describe('CS-…, LD-… or SL-… number'),
    }),
    project: orNull(z.object({ id: z.string(), name: z.string().nullable() })),
    contactShown: z.boolean().describe('Contact details shown whole (true) or masked (false)'),
    requestId: z.string().nullable(),
  })
  .openapi('RecordView');

const Period = {
  from: z.iso.datetime({ offset: true }).optional().describe('Viewed at or after'),
  to: z.iso.datetime({ offset: true }).optional().describe('Viewed before'),
};

const RecordViewsQuery = PageQuery.extend({
  userId: Id.optional().describe('Views by this user'),
  customerId: Id.optional().describe("Views of this customer's record"),
  kind: z.enum(RECORD_KINDS).optional(),
  projectId: Id.optional().describe('Views made through cases, leads and sales of this project'),
  ...Period,
});

type Item = z.input<typeof RecordViewItem>;

function assertMayReadRecordViews(p: Principal) {
  if (!canReadRecordViews(p))
    throw recordViewError('VIEW_LOG_READERS_ONLY');
}

function periodWhere(q: { from?: string | undefined; to?: string | undefined }): Prisma.RecordViewWhereInput | null {
  if (!q.from && !q.to) return null;
  const from = q.from ? new Date(q.from) : undefined;
  const to = q.to ? new Date(q.to) : undefined;
  if (from && to && from >= to) throw recordViewError('RANGE_REVERSED', {}, { field: 'query.from' });
  return { viewedAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } };
}

/** A page of the log, newest first, with the names a reader needs (staff, customers, record numbers, projects). */
async function findRecordViews(db: Db, principal: Principal, where: Prisma.RecordViewWhereInput, page: { skip: number; take: number }) {
  const [rows, total] = await Promise.all([
    db.recordView.findMany({ where, orderBy: [{ viewedAt: 'desc' }, { id: 'desc' }], ...page }),
    db.recordView.count({ where }),
  ]);
  return { items: await withNames(db, principal, rows), total };
}

async function withNames(db: Db, principal: Principal, rows: RecordViewRow[]): Promise<Item[]> {
  const ids = (pick: (r: RecordViewRow) => string | null, kind?: string) => [
    ...new Set(rows.filter((r) => !kind || r.recordKind === kind).flatMap((r) => (pick(r) ? [pick(r)!] : []))),
  ];
  const groupId = principal.groupId;
  const [users, customers, cases, leads, sales, projects] = await Promise.all([
    db.user.findMany({ where: { id: { in: ids((r) => r.viewerId) }, groupId }, select: { id: true, displayName: true } }),
    db.customer.findMany({ where: { id: { in: ids((r) => r.customerId) }, groupId }, select: { id: true, name: true } }),
    db.case.findMany({ where: { id: { in: ids((r) => r.recordId, 'case') }, groupId }, select: { id: true, number: true } }),
    db.lead.findMany({ where: { id: { in: ids((r) => r.recordId, 'lead') }, groupId }, select: { id: true, number: true } }),
    db.sale.findMany({ where: { id: { in: ids((r) => r.recordId, 'sale') }, groupId }, select: { id: true, number: true } }),
    db.project.findMany({ where: { id: { in: ids((r) => r.projectId) }, groupId }, select: { id: true, name: true } }),
  ]);
  const userName = new Map(users.map((u) => [u.id, u.displayName]));
  const customerName = new Map(customers.map((c) => [c.id, c.name]));
  const number = new Map([...cases, ...leads, ...sales].map((x) => [x.id, x.number]));
  const projectName = new Map(projects.map((p) => [p.id, p.name]));
  return rows.map((r) => ({
    id: r.id.toString(),
    viewedAt: r.viewedAt.toISOString(),
    viewer: { id: r.viewerId, name: userName.get(r.viewerId) ?? null, role: r.viewerRole },
    customer: r.customerId ? { id: r.customerId, name: customerName.get(r.customerId) ?? null } : null,
    record: { kind: r.recordKind as Item['record']['kind'], id: r.recordId, number: number.get(r.recordId) ?? null },
    project: r.projectId ? { id: r.projectId, name: projectName.get(r.projectId) ?? null } : null,
    contactShown: r.contactShown,
    requestId: r.requestId,
  }));
}

/** Ids, staff names and record numbers only: the export carries no customer's name. */
function recordViewsCsv(items: Item[]): string {
  return toCsv(
    ['viewed_at', 'viewer_id', 'viewer_name', 'viewer_role', 'customer_id', 'record_kind', 'record_id', 'record_number', 'project_id', 'contact_shown', 'request_id'],
    items.map((v) => [
      v.viewedAt, v.viewer.id, v.viewer.name, v.viewer.role, v.customer?.id, v.record.kind, v.record.id, v.record.number, v.project?.id, v.contactShown, v.requestId,
    ]),
  );
}

/**
 * The record-view log for managers: who saw which customer's full record, when, through what, and
 * whether the contact details were whole. Reading it is not itself a customer view: it shows names
 * as lists do, never contact details, and writes nothing.
 */
export function registerRecordViewRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/record-views',
    summary: "Who viewed customers' full records, newest first (JSON or CSV) / 客户资料查看记录",
    tags: ['record-views'],
    access: 'record-views:read',
    query: RecordViewsQuery,
    response: pageOf(RecordViewItem),
    produces: ['text/csv'],
    // A `projectId` filter naming no project of the organisation.
    errors: [404],
    async handler({ query, principal, req, res }) {
      assertMayReadRecordViews(principal);
      const and: Prisma.RecordViewWhereInput[] = [recordViewScopeWhere(principal)];
      if (query.projectId) {
        await findProjectInScopeOrThrow(db, principal, query.projectId);
        and.push({ projectId: query.projectId });
      }
      if (query.userId) and.push({ viewerId: query.userId });
      if (query.customerId) and.push({ customerId: query.customerId });
      if (query.kind) and.push({ recordKind: query.kind });
      const period = periodWhere(query);
      if (period) and.push(period);
      const csv = wantsCsv((t) => req.accepts(t));
      const { items, total } = await findRecordViews(db, principal, { AND: and }, csv ? { skip: 0, take: MAX_CSV_ROWS } : skipTake(query));
      if (csv) {
        sendCsv(res, `record-views-${new Date().toISOString().slice(0, 10)}.csv`, recordViewsCsv(items));
        return;
      }
      return { items, total, page: query.page, pageSize: query.pageSize };
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/customers/:id/views',
    summary: "Who viewed this customer's full record, newest first / 谁查看过该客户",
    tags: ['record-views'],
    access: 'record-views:read',
    params: z.object({ id: Id }),
    query: PageQuery.extend(Period),
    response: pageOf(RecordViewItem),
    async handler({ params, query, principal }) {
      assertMayReadRecordViews(principal);
      const customer = await db.customer.findFirst({ where: { id: params.id, groupId: principal.groupId }, select: { id: true } });
      if (!customer) throw customerError('CUSTOMER_NOT_FOUND');
      const and: Prisma.RecordViewWhereInput[] = [recordViewScopeWhere(principal), { customerId: customer.id }];
      const period = periodWhere(query);
      if (period) and.push(period);
      const { items, total } = await findRecordViews(db, principal, { AND: and }, skipTake(query));
      return { items, total, page: query.page, pageSize: query.pageSize };
    },
  });
}
