/**
 * The case, escalation, report and settings resources of the API (issue 3), typed for the
 * console. Times arrive as ISO strings (epoch milliseconds are accepted too, so the read model and
 * live workflow state can both be shown without conversion at the edge).
 */
import type { Category } from '../../domain/cases/categories.js';
import type { CaseStatus, CaseType, Channel, Severity, TargetName, Tier } from '../../domain/cases/types.js';
import { request, type Page, type PageParams } from './api.js';

export type { CaseStatus, CaseType, Channel, Severity, TargetName, Tier };

/** An instant as the API sends it. */
export type Instant = string | number;

/** One SLA target of the current tier; null until it starts (callback starts at resolution). */
export interface SlaTarget {
  dueAt: Instant;
  warnedAt: Instant | null;
  metAt: Instant | null;
  breachedAt: Instant | null;
  pausedMs: number;
  /** running | paused | met; null when only the stored read model answered and it does not say. */
  status?: 'running' | 'paused' | 'met' | null;
  clock?: 'calendar' | 'business' | null;
  startedAt?: Instant | null;
  /** Clock time left when the API answered (negative once overrun); what is left while paused. */
  remainingMs?: number | null;
}

export type CaseSla = Record<TargetName, SlaTarget | null>;

export interface CaseSummary {
  id: string;
  workflowId: string;
  number: string;
  type: CaseType;
  status: CaseStatus;
  tier: Tier;
  severity: Severity;
  category: string;
  projectId: string;
  assigneeId: string | null;
  sla: CaseSla;
  channel: Channel;
  groupId: string;
  companyId: string;
  projectName: string | null;
  unitId: string | null;
  customerId: string;
  assigneeName: string | null;
  description: string;
  estimatedCost: number | null;
  breached: boolean;
  nextDueAt: Instant | null;
  satisfaction: number | null;
  firstContactMs: number | null;
  resolutionMs: number | null;
  openedById: string;
  openedAt: Instant;
  contactedAt: Instant | null;
  resolvedAt: Instant | null;
  closedAt: Instant | null;
  /** true when status, tier and SLA come from the running workflow, false when from the read model. */
  live: boolean;
}

export type EscalationSource = 'breach' | 'handler' | 'callback';
export type EscalationStatus = 'pending' | 'approved' | 'rejected' | 'auto_escalated';

export interface Escalation {
  id: string;
  caseId: string;
  caseNumber: string | null;
  projectId?: string | null;
  fromTier: Tier;
  toTier: Tier;
  source: EscalationSource;
  reason: string;
  requestedAt: Instant;
  dueAt: Instant;
  status: EscalationStatus;
  requestedBy?: string;
  decidedBy?: string | null;
  decidedAt?: Instant | null;
  decisionNote?: string | null;
}

export interface CaseDetail extends CaseSummary {
  /** Phone masked unless the caller's role calls customers back. */
  customer: { id: string; name: string; phone: string } | null;
  escalations: Escalation[];
}

export interface CaseEvent {
  seq: number;
  type: string;
  actor: string;
  at: Instant;
  data: unknown;
  /** The actor's display name, when the API resolves it. */
  actorName?: string | null;
}

export interface NewCase {
  type: CaseType;
  projectId: string;
  unitId?: string;
  customer?: { name: string; phone: string };
  customerId?: string;
  category: string;
  severity: Severity;
  channel: Channel;
  description: string;
  estimatedCost?: number;
}

export interface CaseFilters {
  /** One status or several, comma-separated. */
  status?: string | undefined;
  tier?: Tier | undefined;
  projectId?: string | undefined;
  assigneeId?: string | undefined;
  /** Who opened the case: a user id or `me`. */
  openedBy?: string | undefined;
  breached?: boolean | undefined;
  /** Only the cases the caller's office works at their current tier. */
  queue?: boolean | undefined;
  /** Case number or part of it. */
  q?: string | undefined;
  sort?: 'due' | 'opened_desc' | 'opened_asc' | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export const REPORT_GROUPS = ['tier', 'category', 'project', 'assignee'] as const;
export type ReportGroupBy = (typeof REPORT_GROUPS)[number] | 'day' | 'week' | 'month';

/** Met/breached counts of one target in a report row; metPct is 0–100 (null when nothing was decided). */
export interface TargetCounts {
  met: number;
  breached: number;
  metPct: number | null;
}

export interface Quantiles {
  median: number | null;
  p90: number | null;
}

/** One group of `GET /api/reports/sla` (api/reports/routes.ts `SlaReportRow`). */
export interface SlaReportRow {
  /** Tier, category code, project id, assignee id or period start; null = none (unassigned). */
  key: string | null;
  /** Bilingual "中文 / English" for tiers and categories, the name for projects and staff. */
  label: string;
  cases: number;
  firstContact: TargetCounts;
  resolution: TargetCounts;
  callback: TargetCounts;
  timeToFirstContactMs: Quantiles;
  timeToResolutionMs: Quantiles;
  escalations: number;
  callbacks: number;
  satisfactionAvg: number | null;
}

export interface SlaReport {
  from: string;
  to: string;
  groupBy: ReportGroupBy;
  groups: SlaReportRow[];
  totals: SlaReportRow;
}

export interface SlaBreach {
  id: string;
  caseId: string;
  caseNumber: string;
  target: TargetName;
  tier: Tier;
  category: string;
  projectId: string;
  projectName: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  startedAt: string;
  dueAt: string;
  breachedAt: string;
  metAt: string | null;
  /** From the deadline to the meeting, or to now while still unmet. */
  latenessMs: number;
}

export interface ReportPeriod {
  from?: string;
  to?: string;
  timeZone?: string;
}

const id = encodeURIComponent;

export const casesApi = {
  create: (body: NewCase, idempotencyKey: string) => request<CaseSummary>('POST', '/api/cases', { body, idempotencyKey }),
  list: (f: CaseFilters & PageParams, signal?: AbortSignal) => request<Page<CaseSummary>>('GET', '/api/cases', { query: { ...f }, signal }),
  get: (caseId: string, signal?: AbortSignal) => request<CaseDetail>('GET', `/api/cases/${id(caseId)}`, { signal }),
  events: (caseId: string, signal?: AbortSignal) => request<Page<CaseEvent>>('GET', `/api/cases/${id(caseId)}/events`, { query: { pageSize: 500 }, signal }),

  contact: (caseId: string, note: string) => request<CaseSummary>('POST', `/api/cases/${id(caseId)}/contact`, { body: { note } }),
  pause: (caseId: string, reason: string) => request<CaseSummary>('POST', `/api/cases/${id(caseId)}/pause`, { body: { reason } }),
  resume: (caseId: string) => request<CaseSummary>('POST', `/api/cases/${id(caseId)}/resume`, { body: {} }),
  resolve: (caseId: string, resolution: string) => request<CaseSummary>('POST', `/api/cases/${id(caseId)}/resolve`, { body: { resolution } }),
  callback: (caseId: string, body: { satisfaction: number; comment?: string; escalate?: boolean }) =>
    request<CaseSummary>('POST', `/api/cases/${id(caseId)}/callback`, { body }),
  update: (caseId: string, body: { severity?: Severity; category?: string; assigneeId?: string }) =>
    request<CaseSummary>('PATCH', `/api/cases/${id(caseId)}`, { body }),
  escalate: (caseId: string, reason: string) => request<CaseSummary>('POST', `/api/cases/${id(caseId)}/escalations`, { body: { reason } }),

  escalations: (q: { status?: EscalationStatus; caseId?: string } & Partial<PageParams>, signal?: AbortSignal) =>
    request<Page<Escalation>>('GET', '/api/escalations', { query: { ...q }, signal }),
  approve: (escalationId: string, note?: string) =>
    request<Escalation>('POST', `/api/escalations/${id(escalationId)}/approve`, { body: note ? { note } : {} }),
  reject: (escalationId: string, reason: string) => request<Escalation>('POST', `/api/escalations/${id(escalationId)}/reject`, { body: { reason } }),

  slaReport: (q: ReportPeriod & { groupBy: ReportGroupBy }, signal?: AbortSignal) => request<SlaReport>('GET', '/api/reports/sla', { query: { ...q }, signal }),
  slaBreaches: (q: ReportPeriod & PageParams, signal?: AbortSignal) => request<Page<SlaBreach>>('GET', '/api/reports/sla/breaches', { query: { ...q }, signal }),
  /** The same reports as CSV, fetched with the bearer token. */
  slaReportCsv: (q: ReportPeriod & { groupBy: ReportGroupBy }) => request<Blob>('GET', '/api/reports/sla', { query: { ...q }, accept: 'text/csv' }),
  slaBreachesCsv: (q: ReportPeriod) => request<Blob>('GET', '/api/reports/sla/breaches', { query: { ...q }, accept: 'text/csv' }),

  categories: async (signal?: AbortSignal) => listOf<Category>(await request<unknown>('GET', '/api/categories', { signal })),
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
