/**
 * The record-view log (issue 6): who viewed which customer's full record, when, through what, and
 * whether the contact details were whole (api/record-views/routes.ts is the contract).
 */
import { hasPermission, type Role } from '../../domain/access.js';
import { request, type Page, type PageParams, type User } from './api.js';

export const RECORD_KINDS = ['customer', 'case', 'lead', 'sale', 'workflow-payloads'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export interface RecordView {
  id: string;
  viewedAt: string;
  viewer: { id: string; name: string | null; role: Role };
  customer: { id: string; name: string | null } | null;
  record: { kind: RecordKind; id: string; number: string | null };
  project: { id: string; name: string | null } | null;
  contactShown: boolean;
  requestId: string | null;
}

export interface RecordViewFilters {
  userId?: string | undefined;
  customerId?: string | undefined;
  kind?: RecordKind | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

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
