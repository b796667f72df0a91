/**
 * Work orders on TanStack Query (keys start with 'workorders'): a technician's jobs of the day,
 * one order, and the on-site steps (check-in, result, sign-off, no-show), each POST with the
 * Idempotency-Key its caller keeps across retries of the same submit. Photos go up as the raw
 * image body through XMLHttpRequest (fetch has no upload progress).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DateTime } from 'luxon';
import type { z } from 'zod';
import type {
  AnswerQuoteBody,
  AssignBody,
  CancelBody,
  CreateWorkOrdersBody,
  IssueQuoteBody,
  BookAppointmentBody,
  CheckInBody,
  LinkSignOffBody,
  LinkSignOffView,
  SignOffLinkSummaryView,
  SignOffLinkView,
  NoShowBody,
  ReassignBody,
  RecordResultBody,
  SignOffBody,
  WorkOrderDetailJson,
  WorkOrderJson,
  WorkOrderPhotoView,
  WorkOrderAssignees,
} from '../../../../api/repairs/schemas.js';
import { ApiError, NetworkError, request, type Page, type Problem, type User } from '../../api.js';
import { DEFAULT_TIME_ZONE } from '../../format.js';
import { getLang } from '../../shared/i18n.js';
import { getToken } from '../../session.js';

export type WorkOrder = WorkOrderJson;
export type WorkOrderDetail = WorkOrderDetailJson;
export type WorkOrderPhoto = z.output<typeof WorkOrderPhotoView>;

export const workOrderKeys = {
  all: ['workorders'] as const,
  today: (date: string) => ['workorders', 'today', date] as const,
  one: (id: string) => ['workorders', 'one', id] as const,
};

/** Today in China time (the API's `date` filter counts days on that wall clock). */
export function chinaToday(now = Date.now()): string {
  return DateTime.fromMillis(now, { zone: DEFAULT_TIME_ZONE }).toISODate()!;
}

const OPEN_UNDATED = 'assigned,on_site,awaiting_sign_off';

/**
 * The technician's (or contractor's) jobs of today: those whose appointment falls today, then the
 * assigned ones without an appointment; in appointment order.
 */
export function useTodayJobs(date: string) {
  return useQuery({
    queryKey: workOrderKeys.today(date),
    queryFn: async ({ signal }) => {
      const [dated, open] = await Promise.all([
        request<Page<WorkOrder>>('GET', '/api/work-orders', { query: { assignee: 'me', date, page: 1, pageSize: 200 }, signal }),
        request<Page<WorkOrder>>('GET', '/api/work-orders', { query: { assignee: 'me', status: OPEN_UNDATED, page: 1, pageSize: 200 }, signal }),
      ]);
      const seen = new Set(dated.items.map((w) => w.id));
      const undated = open.items.filter((w) => w.appointment === null && !seen.has(w.id));
      return [...dated.items, ...undated].sort(byAppointment);
    },
  });
}

function byAppointment(a: WorkOrder, b: WorkOrder): number {
  const as = a.appointment ? Date.parse(a.appointment.start) : Number.POSITIVE_INFINITY;
  const bs = b.appointment ? Date.parse(b.appointment.start) : Number.POSITIVE_INFINITY;
  if (as !== bs) return as - bs;
  return Date.parse(a.arrivalDueAt ?? a.createdAt) - Date.parse(b.arrivalDueAt ?? b.createdAt);
}

export function useWorkOrder(id: string) {
  return useQuery({ queryKey: workOrderKeys.one(id), queryFn: ({ signal }) => request<WorkOrderDetail>('GET', `/api/work-orders/${encodeURIComponent(id)}`, { signal }) });
}

type Keyed<B> = { body: B; key: string };

function useStep<B>(id: string, step: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: Keyed<B>) => request<WorkOrder>('POST', `/api/work-orders/${encodeURIComponent(id)}/${step}`, { body, idempotencyKey: key }),
    onSuccess: () => qc.invalidateQueries({ queryKey: workOrderKeys.all }),
  });
}

export const useCheckIn = (id: string) => useStep<z.input<typeof CheckInBody>>(id, 'check-in');
export const useRecordResult = (id: string) => useStep<z.output<typeof RecordResultBody>>(id, 'result');
export const useSignOff = (id: string) => useStep<z.input<typeof SignOffBody>>(id, 'sign-off');
export const useNoShow = (id: string) => useStep<z.input<typeof NoShowBody>>(id, 'no-show');
export const useBookAppointment = (id: string) => useStep<z.input<typeof BookAppointmentBody>>(id, 'appointment');

/**
 * Sends one photo as the raw body, reporting progress (0–100). A request that never got an answer
 * rejects with NetworkError (the caller keeps the file and retries with the same key); a refusal
 * with ApiError.
 */
export function uploadPhoto(id: string, file: Blob, key: string, onProgress: (percent: number) => void): { done: Promise<WorkOrderPhoto>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<WorkOrderPhoto>((resolve, reject) => {
    xhr.open('POST', `/api/work-orders/${encodeURIComponent(id)}/photos`);
    xhr.setRequestHeader('Content-Type', file.type && file.type.startsWith('image/') ? file.type : 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('Accept-Language', getLang());
    xhr.setRequestHeader('Idempotency-Key', key);
    const token = getToken();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onerror = () => reject(new NetworkError('upload failed'));
    xhr.ontimeout = () => reject(new NetworkError('upload timed out'));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    xhr.onload = () => {
      let data: unknown;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as WorkOrderPhoto);
      // A gateway's 5xx is as good as no answer: keep the file and try again.
      else if (xhr.status >= 500 || xhr.status === 0) reject(new NetworkError(`HTTP ${xhr.status}`));
      else {
        const p = data as Problem | undefined;
        reject(new ApiError(p && typeof p.status === 'number' ? p : { title: `HTTP ${xhr.status}`, status: xhr.status, code: 'HTTP_ERROR' }));
      }
    };
    xhr.timeout = 120_000;
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

/** A photo's bytes (the API wants the bearer token, so an <img src> cannot fetch it itself). */
export function usePhotoUrl(id: string, key: string) {
  const q = useQuery({
    queryKey: ['workorders', 'photo', id, key],
    queryFn: ({ signal }) => request<Blob>('GET', `/api/work-orders/${encodeURIComponent(id)}/photos/${key}`, { query: { thumb: 1 }, accept: 'image/*', signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
  return q.data;
}

// ---------------------------------------------------------------------------------------------
// The dispatch board

export type WorkOrderListFilters = { unassigned?: 'true'; late?: 'true'; status?: string; caseId?: string };

export function useWorkOrderList(filters: WorkOrderListFilters) {
  return useQuery({
    queryKey: ['workorders', 'list', filters],
    queryFn: ({ signal }) => request<Page<WorkOrder>>('GET', '/api/work-orders', { query: { ...filters, page: 1, pageSize: 200 }, signal }),
    refetchInterval: 60_000,
  });
}

/** Who a project's orders can be given to: its technicians and the group's contractor companies (dispatchers). */
export function useWorkOrderAssignees(projectId: string | null) {
  return useQuery({
    queryKey: ['workorders', 'assignees', projectId],
    enabled: projectId !== null,
    queryFn: ({ signal }) => request<WorkOrderAssignees>('GET', '/api/work-orders/assignees', { query: { projectId }, signal }),
    staleTime: 5 * 60_000,
  });
}

export const useAssign = (id: string) => useStep<z.output<typeof AssignBody>>(id, 'assign');
export const useIssueQuote = (id: string) => useStep<z.output<typeof IssueQuoteBody>>(id, 'quote');
export const useAnswerQuote = (id: string) => useStep<z.output<typeof AnswerQuoteBody>>(id, 'quote/answer');
export const useCancelWorkOrder = (id: string) => useStep<z.output<typeof CancelBody>>(id, 'cancel');

/** The case page's 派工: one order (default: the case's category, to the default assignee), under the submit's Idempotency-Key. */
export function useCreateWorkOrders(caseId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: Keyed<z.input<typeof CreateWorkOrdersBody>>) =>
      request<{ items: WorkOrder[] }>('POST', `/api/cases/${encodeURIComponent(caseId)}/work-orders`, { body, idempotencyKey: key }),
    onSuccess: () => qc.invalidateQueries({ queryKey: workOrderKeys.all }),
  });
}
export const useReassign = (id: string) => useStep<z.output<typeof ReassignBody>>(id, 'reassign');

// ---------------------------------------------------------------------------------------------
// The owner's one-time sign-off link

export type SignOffLink = z.output<typeof SignOffLinkView>;
export type SignOffLinkSummary = z.output<typeof SignOffLinkSummaryView>;

/** The holder asks for a new link (each request makes one and revokes the visit's older ones: no Idempotency-Key). */
export function useIssueSignOffLink(id: string) {
  return useMutation({
    mutationFn: (body: { email: boolean }) => request<SignOffLink>('POST', `/api/work-orders/${encodeURIComponent(id)}/sign-off-link`, { body }),
  });
}

/** The owner's page: no session, the link's token is the credential. Never retried on a 4xx (a used link stays used). */
export function useSignOffLinkSummary(token: string) {
  return useQuery({
    queryKey: ['sign-off-link', token],
    queryFn: ({ signal }) => request<SignOffLinkSummary>('GET', `/api/sign-off/${encodeURIComponent(token)}`, { auth: false, signal }),
    refetchOnWindowFocus: false,
  });
}

export function useSignOffThroughLink(token: string) {
  return useMutation({
    mutationFn: (body: z.input<typeof LinkSignOffBody>) => request<z.output<typeof LinkSignOffView>>('POST', `/api/sign-off/${encodeURIComponent(token)}`, { body, auth: false }),
  });
}
