import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ApiDeps } from '../context.js';
import type { RecordView as RecordViewRow } from '../../prisma/generated/client.js';
import { IdParams, defineRoute, pageAnswer, pageOf, skipTake } from '../http/route.js';
import { listRecordViews, listRecordViewsOfCustomer, type RecordViewNames } from '../../app/record-views/list-record-views.js';
import type { Lang } from '../../app/errors.js';
import { findProjectTimeZonesByIds } from '../../app/org/repository.js';
import { preferredLang } from '../http/errors.js';
import { csvOf, isoIn, sendCsv, wantsCsv, type CsvColumn } from '../reports/csv.js';
import { CSV_HEADERS, RECORD_KIND_WORDS, ROLE_WORDS, WORDS, wordOf } from '../reports/terms.js';
import { CustomerRecordViewsQuery, RecordViewItem, RecordViewsQuery, type RecordView } from './schemas.js';

const MAX_CSV_ROWS = 100_000;

/** A log row as the reader sees it, with the names of the staff, customer, record and project. */
function toItem(r: RecordViewRow, n: RecordViewNames): RecordView {
  return {
    id: r.id.toString(),
    viewedAt: r.viewedAt.toISOString(),
    viewer: { id: r.viewerId, name: n.userName.get(r.viewerId) ?? null, role: r.viewerRole },
    customer: r.customerId ? { id: r.customerId, name: n.customerName.get(r.customerId) ?? null } : null,
    record: { kind: r.recordKind as RecordView['record']['kind'], id: r.recordId, number: n.number.get(r.recordId) ?? null },
    project: r.projectId ? { id: r.projectId, name: n.projectName.get(r.projectId) ?? null } : null,
    contactShown: r.contactShown,
    requestId: r.requestId,
  };
}

/**
 * Ids, staff names, record numbers and project names only: the export carries no customer's name.
 * Headers, roles and record kinds in `lang`; the time in the project's zone (a group-level view,
 * with no project, in the default zone), said in the last column.
 */
function recordViewsCsv(items: RecordView[], lang: Lang, zoneOf: (v: RecordView) => string): string {
  const H = CSV_HEADERS.recordViews;
  const columns: CsvColumn<RecordView>[] = [
    { header: H.viewedAt, cell: (v) => isoIn(v.viewedAt, zoneOf(v)) },
    { header: H.viewerId, cell: (v) => v.viewer.id },
    { header: H.viewerName, cell: (v) => v.viewer.name },
    { header: H.viewerRole, cell: (v) => wordOf(ROLE_WORDS, v.viewer.role, lang) },
    { header: H.customerId, cell: (v) => v.customer?.id },
    { header: H.recordKind, cell: (v) => wordOf(RECORD_KIND_WORDS, v.record.kind, lang) },
    { header: H.recordId, cell: (v) => v.record.id },
    { header: H.recordNumber, cell: (v) => v.record.number },
    { header: H.projectId, cell: (v) => v.project?.id },
    { header: H.project, cell: (v) => v.project?.name },
    { header: H.contactShown, cell: (v) => (v.contactShown ? WORDS.yes : WORDS.no)[lang] },
    { header: H.requestId, cell: (v) => v.requestId },
    { header: H.timeZone, cell: zoneOf },
  ];
  return csvOf(lang, columns, items);
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
    operationId: 'listRecordViews',
    summary: "Who viewed customers' full records, newest first (JSON or CSV) / 客户资料查看记录",
    tags: ['record-views'],
    access: 'record-views:read',
    query: RecordViewsQuery,
    response: pageOf(RecordViewItem),
    produces: ['text/csv'],
    // A `projectId` filter naming no project of the organisation.
    errors: [404],
    async handler({ query, principal, req, res }) {
      const csv = wantsCsv((t) => req.accepts(t));
      const { rows, total, names } = await listRecordViews(
        db,
        principal,
        { userId: query.userId, customerId: query.customerId, kind: query.kind, projectId: query.projectId, from: query.from, to: query.to },
        csv ? { skip: 0, take: MAX_CSV_ROWS } : skipTake(query),
      );
      const items = rows.map((r) => toItem(r, names));
      if (csv) {
        const lang = preferredLang(req.headers['accept-language']);
        const zones = await findProjectTimeZonesByIds(db, items.flatMap((v) => (v.project ? [v.project.id] : [])));
        const zoneOf = (v: RecordView) => (v.project ? zones.get(v.project.id) : undefined) ?? deps.config.defaultTimeZone;
        sendCsv(res, `record-views-${new Date().toISOString().slice(0, 10)}.csv`, recordViewsCsv(items, lang, zoneOf), lang);
        return;
      }
      return pageAnswer(query, items, total);
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/customers/:id/views',
    operationId: 'listCustomerRecordViews',
    summary: "Who viewed this customer's full record, newest first / 谁查看过该客户",
    tags: ['record-views'],
    access: 'record-views:read',
    params: IdParams,
    query: CustomerRecordViewsQuery,
    response: pageOf(RecordViewItem),
    async handler({ params, query, principal }) {
      const { rows, total, names } = await listRecordViewsOfCustomer(db, principal, params.id, { from: query.from, to: query.to }, skipTake(query));
      return pageAnswer(query, rows.map((r) => toItem(r, names)), total);
    },
  });
}
