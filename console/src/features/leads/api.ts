/**
 * The leads feature's server state. `leadsApi` is the lead resources of the API (issue 4): leads and
 * their actions, the audit trail, the sales settings (cadences, loss reasons; the lead report is features/reports/api.ts);
 * the hooks below put them on TanStack Query (keys start with 'leads'; every action invalidates the
 * lead and the lists, so a touch, an assignment or a review shows everywhere without a reload).
 * Types are the server's (api/leads/schemas.ts, api/settings/schemas.ts),
 * imported as types only. Times arrive as ISO strings; money as decimal strings ("2350000.00").
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { hasPermission } from '../../../../domain/access.js';
import type { Grade, LeadOwnerRole, LeadSource, LeadStatus, ReviewDecision, TouchChannel, TouchOutcome } from '../../../../domain/leads/types.js';
import type {
  AssignLeadRequest,
  ConvertLeadRequest,
  CreateLeadRequest,
  Lead,
  LeadDetail,
  LeadEventPage,
  ListLeadsQuery,
  LogTouchRequest,
  MarkLeadLostRequest,
  RegradeLeadRequest,
  ReviewLostLeadRequest,
} from '../../../../api/leads/schemas.js';
import type { CadencePolicies, CadencePolicy, CadencePolicyInput, LossReason, LossReasonInput, LossReasons } from '../../../../api/settings/schemas.js';
import { api, request, type Filters, type Page, type PageParams, type User } from '../../api.js';

export type { Grade, LeadOwnerRole, LeadSource, LeadStatus, ReviewDecision, TouchChannel, TouchOutcome };
export type { CreateLeadRequest, Lead, LeadConversion, LeadDetail, LeadEvent, LeadLoss, LogTouchRequest } from '../../../../api/leads/schemas.js';
export type { CadencePolicy, LossReason } from '../../../../api/settings/schemas.js';

export type LeadFilters = Filters<ListLeadsQuery>;

const id = encodeURIComponent;

/** The human actions: each answers the lead as the workflow left it (409 when it refuses). */
const act = <B>(path: string) => (leadId: string, body: B, idempotencyKey?: string) =>
  request<Lead>('POST', `/api/leads/${id(leadId)}/${path}`, { body, ...(idempotencyKey ? { idempotencyKey } : {}) });

export const leadsApi = {
  create: (body: CreateLeadRequest, idempotencyKey: string) => request<Lead>('POST', '/api/leads', { body, idempotencyKey }),
  list: (f: LeadFilters & PageParams, signal?: AbortSignal) => request<Page<Lead>>('GET', '/api/leads', { query: { ...f }, signal }),
  get: (leadId: string, signal?: AbortSignal) => request<LeadDetail>('GET', `/api/leads/${id(leadId)}`, { signal }),
  events: (leadId: string, signal?: AbortSignal) => request<LeadEventPage>('GET', `/api/leads/${id(leadId)}/events`, { query: { pageSize: 500 }, signal }),

  touch: act<LogTouchRequest>('touches'),
  grade: act<RegradeLeadRequest>('grade'),
  assign: act<AssignLeadRequest>('assign'),
  /** Opens the lead's sale (issue 5): the unit is reserved; the API's payment method defaults to full. */
  convert: act<ConvertLeadRequest>('convert'),
  lost: act<MarkLeadLostRequest>('lost'),
  review: act<ReviewLostLeadRequest>('review'),

  cadencePolicies: (signal?: AbortSignal) => request<CadencePolicies>('GET', '/api/cadence-policies', { signal }),
  saveCadencePolicies: (body: CadencePolicyInput[]) => request<CadencePolicies>('PUT', '/api/cadence-policies', { body }),
  lossReasons: (signal?: AbortSignal) => request<LossReasons>('GET', '/api/loss-reasons', { signal }),
  saveLossReasons: (body: LossReasonInput[]) => request<LossReasons>('PUT', '/api/loss-reasons', { body }),

};

// ---------------------------------------------------------------------------------------------
// Queries

export const leadsKeys = {
  all: ['leads'] as const,
  lists: () => ['leads', 'list'] as const,
  list: (f: LeadFilters & PageParams) => ['leads', 'list', f] as const,
  detail: (id: string) => ['leads', 'detail', id] as const,
  events: (id: string) => ['leads', 'events', id] as const,
  cadences: () => ['leads', 'cadences'] as const,
  lossReasons: () => ['leads', 'loss-reasons'] as const,
  staff: () => ['leads', 'staff'] as const,
  units: (projectId: string) => ['leads', 'units', projectId] as const,
  projects: () => ['leads', 'projects'] as const,
};

/** Lists refetch by themselves so new leads, touches and pool moves show up without a click. */
export function useLeadList(f: LeadFilters & PageParams, { refetchInterval = 20_000, enabled = true }: { refetchInterval?: number; enabled?: boolean } = {}) {
  return useQuery({
    queryKey: leadsKeys.list(f),
    queryFn: ({ signal }) => leadsApi.list(f, signal),
    placeholderData: keepPreviousData,
    refetchInterval,
    enabled,
  });
}

/** The lead page: the read model follows the workflow within moments, so it refreshes now and then. */
export function useLead(id: string) {
  return useQuery({ queryKey: leadsKeys.detail(id), queryFn: ({ signal }) => leadsApi.get(id, signal), refetchInterval: 10_000 });
}

export function useLeadEvents(id: string) {
  return useQuery({ queryKey: leadsKeys.events(id), queryFn: ({ signal }) => leadsApi.events(id, signal), refetchInterval: 10_000 });
}

/** The organisation's cadences (for hints); null until loaded or when the caller may not read them. */
export function useCadences(enabled = true): CadencePolicy[] | null {
  const q = useQuery({
    queryKey: leadsKeys.cadences(),
    queryFn: async ({ signal }) => (await leadsApi.cadencePolicies(signal)).items,
    enabled,
    staleTime: 5 * 60_000,
  });
  return q.data ?? null;
}

export function useLossReasons(): { reasons: LossReason[]; error: unknown; loading: boolean } {
  const q = useQuery({
    queryKey: leadsKeys.lossReasons(),
    queryFn: async ({ signal }) => (await leadsApi.lossReasons(signal)).items,
    staleTime: 5 * 60_000,
  });
  return { reasons: q.data ?? [], error: q.error, loading: q.isLoading };
}

const SALES_ROLES = ['SALES', 'SPECIALIST', 'SALES_MANAGER'] as const satisfies readonly LeadOwnerRole[];

/**
 * The active sales team the caller can see (`/api/users`, one request per sales role), for the
 * owner pickers of sales managers. Roles without `users:read` get an empty list.
 */
export function useSalesStaff(user: User): { staff: User[]; loading: boolean; error: unknown } {
  const canRead = hasPermission(user.role, 'users:read');
  const q = useQuery({
    queryKey: leadsKeys.staff(),
    enabled: canRead,
    staleTime: 5 * 60_000,
    queryFn: async ({ signal }) => {
      const pages = await Promise.all(SALES_ROLES.map((role) => api.users({ role, page: 1, pageSize: 200 }, signal)));
      return pages.flatMap((p) => p.items).filter((u) => u.active);
    },
  });
  return { staff: q.data ?? [], loading: canRead && q.isLoading, error: q.error };
}

/** The units of a lead's project (first 200), for the conversion's unit picker and the timeline's words. */
/** The projects the caller may see (first 200): filters, pickers and names. */
export function useLeadProjects() {
  const q = useQuery({
    queryKey: leadsKeys.projects(),
    queryFn: async ({ signal }) => (await api.projects({ page: 1, pageSize: 200 }, signal)).items,
    staleTime: 5 * 60_000,
  });
  const projects = q.data ?? [];
  return { projects, projectName: (id: string | null | undefined) => (id ? (projects.find((p) => p.id === id)?.name ?? null) : null) };
}

export function useProjectUnits(projectId: string | undefined) {
  return useQuery({
    queryKey: leadsKeys.units(projectId ?? ''),
    enabled: Boolean(projectId),
    staleTime: 60_000,
    queryFn: async ({ signal }) => (await api.units(projectId!, { page: 1, pageSize: 200 }, signal)).items,
  });
}

// ---------------------------------------------------------------------------------------------
// Mutations

/** After an action on a lead: the lead, its trail and every list are refetched. */
export function refreshLead(qc: QueryClient, id?: string): void {
  if (id) {
    void qc.invalidateQueries({ queryKey: leadsKeys.detail(id) });
    void qc.invalidateQueries({ queryKey: leadsKeys.events(id) });
  }
  void qc.invalidateQueries({ queryKey: leadsKeys.lists() });
}

export function useCreateLead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: CreateLeadRequest; key: string }) => leadsApi.create(body, key),
    onSuccess: () => refreshLead(qc),
  });
}

type Acts = Pick<typeof leadsApi, 'touch' | 'grade' | 'assign' | 'convert' | 'lost' | 'review'>;

/** One of the human actions on a lead as a mutation; on success the lead and the lists refetch. */
export function useLeadAction<K extends keyof Acts>(kind: K) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ leadId, body, key }: { leadId: string; body: Parameters<Acts[K]>[1]; key?: string }) =>
      (leadsApi[kind] as (id: string, b: Parameters<Acts[K]>[1], k?: string) => Promise<Lead>)(leadId, body, key),
    onSuccess: (_lead, v) => refreshLead(qc, v.leadId),
  });
}
