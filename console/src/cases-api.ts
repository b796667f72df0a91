/**
 * The case, escalation and settings resources of the API (issue 3), for the console (the SLA report
 * is features/reports/api.ts). Their types are the server's (api/cases/schemas.ts), imported as types only.
 */
import type { CaseStatus, CaseType, Channel, Severity, TargetName, Tier } from '../../domain/cases/types.js';
import type {
  ApproveEscalationRequest,
  Case,
  CaseDetail,
  CaseEvent,
  CaseEventPage,
  CaseListItem,
  CaseNote,
  CaseAfterCallback,
  AddCaseNoteRequest,
  ChangeCaseRequest,
  Escalation,
  ListCasesQuery,
  ListEscalationsQuery,
  OpenCaseRequest,
  RecordCallbackRequest,
} from '../../api/cases/schemas.js';
import type { Categories } from '../../api/settings/schemas.js';
import { request, type Filters, type Page, type PageParams } from './api.js';

export type { CaseStatus, CaseType, Channel, Severity, TargetName, Tier };
export type {
  Case,
  CaseDetail,
  CaseEvent,
  CaseSla,
  Escalation,
  EscalationSource,
  EscalationStatus,
  ListCasesQuery,
  OpenCaseRequest,
  SlaTarget,
} from '../../api/cases/schemas.js';

export type CaseFilters = Filters<ListCasesQuery>;

const id = encodeURIComponent;

export const casesApi = {
  create: (body: OpenCaseRequest, idempotencyKey: string) => request<Case>('POST', '/api/cases', { body, idempotencyKey }),
  list: (f: CaseFilters & PageParams, signal?: AbortSignal) => request<Page<CaseListItem>>('GET', '/api/cases', { query: { ...f }, signal }),
  get: (caseId: string, signal?: AbortSignal) => request<CaseDetail>('GET', `/api/cases/${id(caseId)}`, { signal }),
  events: (caseId: string, signal?: AbortSignal) => request<CaseEventPage>('GET', `/api/cases/${id(caseId)}/events`, { query: { pageSize: 500 }, signal }),

  contact: (caseId: string, note: string) => request<Case>('POST', `/api/cases/${id(caseId)}/contact`, { body: { note } }),
  pause: (caseId: string, reason: string) => request<Case>('POST', `/api/cases/${id(caseId)}/pause`, { body: { reason } }),
  resume: (caseId: string) => request<Case>('POST', `/api/cases/${id(caseId)}/resume`, { body: {} }),
  resolve: (caseId: string, resolution: string) => request<Case>('POST', `/api/cases/${id(caseId)}/resolve`, { body: { resolution } }),
  callback: (caseId: string, body: RecordCallbackRequest) =>
    request<CaseAfterCallback>('POST', `/api/cases/${id(caseId)}/callback`, { body }),
  note: (caseId: string, body: AddCaseNoteRequest) => request<CaseNote>('POST', `/api/cases/${id(caseId)}/notes`, { body }),
  update: (caseId: string, body: ChangeCaseRequest) =>
    request<Case>('PATCH', `/api/cases/${id(caseId)}`, { body }),
  escalate: (caseId: string, reason: string) => request<Case>('POST', `/api/cases/${id(caseId)}/escalations`, { body: { reason } }),

  escalations: (q: Filters<ListEscalationsQuery> & Partial<PageParams>, signal?: AbortSignal) =>
    request<Page<Escalation>>('GET', '/api/escalations', { query: { ...q }, signal }),
  approve: (escalationId: string, note?: string) =>
    request<Escalation>('POST', `/api/escalations/${id(escalationId)}/approve`, { body: (note ? { note } : {}) satisfies ApproveEscalationRequest }),
  reject: (escalationId: string, reason: string) => request<Escalation>('POST', `/api/escalations/${id(escalationId)}/reject`, { body: { reason } }),

  categories: async (signal?: AbortSignal) => (await request<Categories>('GET', '/api/categories', { signal })).items,
  setting: (key: SettingKey, signal?: AbortSignal) => request<unknown>('GET', `/api/${key}`, { signal }),
  saveSetting: (key: SettingKey, body: unknown) => request<unknown>('PUT', `/api/${key}`, { body }),
};

export const SETTING_KEYS = ['sla-policies', 'calendars', 'categories'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

// ---------------------------------------------------------------------------------------------

/** `[...]` or `{items: [...]}` → the list. */
export function listOf<T>(v: unknown): T[] {
  if (Array.isArray(v)) return v as T[];
  if (typeof v === 'object' && v !== null && Array.isArray((v as { items?: unknown }).items)) return (v as { items: T[] }).items;
  return [];
}
