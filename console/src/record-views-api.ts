/**
 * The record-view log (issue 6): who viewed which customer's full record, when, through what, and
 * whether the contact details were whole (api/record-views/schemas.ts is the contract, imported as types).
 */
import { hasPermission } from '../../domain/access.js';
import type { RecordKind, RecordView, RecordViewsQuery } from '../../api/record-views/schemas.js';
import { membersOf, request, type Filters, type Page, type PageParams, type User } from './api.js';

export type { RecordKind, RecordView } from '../../api/record-views/schemas.js';
export type RecordViewFilters = Filters<RecordViewsQuery>;

export const RECORD_KINDS = membersOf<RecordKind>({ customer: true, case: true, lead: true, sale: true, 'workflow-payloads': true });

/** The same rule as the API (domain/access.ts canReadRecordViews): managers, and administrators at group scope. */
export function mayReadRecordViews(user: User): boolean {
  return hasPermission(user.role, 'record-views:read') && (user.role !== 'ADMIN' || user.scope.level === 'GROUP');
}

/** Where the console lists the views of one customer. */
export const whoViewedPath = (customerId: string) => `/record-views?customerId=${encodeURIComponent(customerId)}`;

export const recordViewsApi = {
  list: (q: PageParams & RecordViewFilters, signal?: AbortSignal) => request<Page<RecordView>>('GET', '/api/record-views', { query: { ...q }, signal }),
  csv: (q: RecordViewFilters) => request<Blob>('GET', '/api/record-views', { query: { ...q }, accept: 'text/csv' }),
};
