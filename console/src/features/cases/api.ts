/**
 * The cases feature's server state on TanStack Query: the queue and my cases, a case with its audit
 * trail, the caller's screen-pop, a project's units, the category tree, escalations, and every
 * action on a case as a mutation that refreshes what it changed. Keys start with 'cases'. The types
 * are the server's (api/cases/schemas.ts), imported as types only. Elsewhere: the projects
 * (features/org useAllProjects), the SLA report (features/reports), the settings (features/admin).
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { DEFAULT_CATEGORIES, type Category } from '../../../../domain/cases/categories.js';
import { parsePhone } from '../../../../domain/customers/phone.js';
import type { CustomerLookup } from '../../../../api/customers/records-schemas.js';
import type { CaseStatus, CaseType, Channel, Severity, TargetName, Tier } from '../../../../domain/cases/types.js';
import type {
  ApproveEscalationRequest,
  Case,
  CaseDetail,
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
} from '../../../../api/cases/schemas.js';
import type { Categories } from '../../../../api/settings/schemas.js';
import { api, request, uuid, type Filters, type Page, type PageParams, type Unit } from '../../api.js';

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
} from '../../../../api/cases/schemas.js';

export type CaseFilters = Filters<ListCasesQuery>;

const id = encodeURIComponent;

/** The case and escalation resources of the API as plain calls (the hooks below wrap them). */
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
};

export const casesKeys = {
  all: ['cases'] as const,
  lists: () => ['cases', 'list'] as const,
  list: (f: CaseFilters & PageParams) => ['cases', 'list', f] as const,
  detail: (id: string) => ['cases', 'detail', id] as const,
  events: (id: string) => ['cases', 'events', id] as const,
  lookup: (phone: string) => ['cases', 'lookup', phone] as const,
  units: (projectId: string) => ['cases', 'units', projectId] as const,
  categories: () => ['cases', 'categories'] as const,
  escalations: () => ['cases', 'escalations'] as const,
};

export function useCaseList(f: CaseFilters & PageParams, refetchInterval = 20_000) {
  return useQuery({
    queryKey: casesKeys.list(f),
    queryFn: async ({ signal }) => ({ page: await casesApi.list(f, signal), loadedAt: Date.now() }),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
}

export function useCase(id: string) {
  return useQuery({
    queryKey: casesKeys.detail(id),
    queryFn: async ({ signal }) => ({ c: await casesApi.get(id, signal), loadedAt: Date.now() }),
    refetchInterval: 10_000,
  });
}

export function useCaseEvents(id: string) {
  return useQuery({ queryKey: casesKeys.events(id), queryFn: ({ signal }) => casesApi.events(id, signal), refetchInterval: 10_000 });
}

/** Every unit of a project (the API pages by 200). */
export function useUnits(projectId: string | undefined) {
  return useQuery({
    queryKey: casesKeys.units(projectId ?? ''),
    enabled: Boolean(projectId),
    staleTime: 5 * 60_000,
    queryFn: async ({ signal }): Promise<Unit[]> => {
      const out: Unit[] = [];
      for (let page = 1; page <= 10; page++) {
        const p = await api.units(projectId!, { page, pageSize: 200 }, signal);
        out.push(...p.items);
        if (out.length >= p.total || p.items.length === 0) break;
      }
      return out;
    },
  });
}

/** The group's category tree, the built-in default until it has loaded. */
export function useCategoryTree(): readonly Category[] {
  const q = useQuery({
    queryKey: casesKeys.categories(),
    queryFn: ({ signal }) => casesApi.categories(signal),
    staleTime: 10 * 60_000,
  });
  const list = q.data;
  return list && list.length > 0 && list.every((x) => typeof x?.code === 'string' && x.name) ? list : DEFAULT_CATEGORIES;
}

/** The canonical form of a phone as typed, or null while it is not a whole number yet. */
export function canonicalPhone(typed: string | undefined): string | null {
  if (!typed || typed.replace(/\D/g, '').length < 7) return null;
  const r = parsePhone(typed);
  return r.ok ? r.phone.canonical : null;
}

/** The screen-pop of a caller's number: who they are, their open cases, units and last contacts. */
export function useCallerLookup(phone: string | null) {
  return useQuery({
    queryKey: casesKeys.lookup(phone ?? ''),
    enabled: phone !== null,
    staleTime: 30_000,
    queryFn: ({ signal }) => request<CustomerLookup>('GET', '/api/customers/lookup', { query: { phone: phone!, cases: 10, contacts: 5 }, signal }),
  });
}

export function useCreateCase() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: OpenCaseRequest; key: string }) => casesApi.create(body, key),
    onSuccess: () => void qc.invalidateQueries({ queryKey: casesKeys.all }),
  });
}

/** After an action on a case: the case, its trail and every list are refetched. */
export function refreshCase(qc: QueryClient, id: string, answer?: unknown): void {
  if (answer && typeof answer === 'object' && 'id' in answer) {
    // The action's answer is the case as it now stands: show it at once, keep the names we had.
    qc.setQueryData(casesKeys.detail(id), (old: { c: CaseDetail; loadedAt: number } | undefined) =>
      old ? { c: { ...old.c, ...(answer as Partial<CaseDetail>), escalations: old.c.escalations, customer: old.c.customer, unit: (answer as Partial<CaseDetail>).unit ?? old.c.unit }, loadedAt: Date.now() } : old,
    );
  }
  void qc.invalidateQueries({ queryKey: casesKeys.detail(id) });
  void qc.invalidateQueries({ queryKey: casesKeys.events(id) });
  void qc.invalidateQueries({ queryKey: casesKeys.lists() });
  void qc.invalidateQueries({ queryKey: casesKeys.escalations() });
}

export { uuid };
