/**
 * The lead resources of the API (issue 4): leads and their actions, the audit trail, the sales
 * settings (cadences, loss reasons) and the lead report, typed for the console. Times arrive as
 * ISO strings; money as decimal strings ("2350000.00"), never binary floats.
 */
import type { CadencePolicy } from '../../domain/leads/cadence.js';
import type { LossReason } from '../../domain/leads/loss-reasons.js';
import type { Grade, LeadOwnerRole, LeadSource, LeadStatus, ReviewDecision, TouchChannel, TouchOutcome } from '../../domain/leads/types.js';
import type { PaymentMethod } from '../../domain/sales/types.js';
import { request, type Customer, type Page, type PageParams } from './api.js';

export type { CadencePolicy, Grade, LeadOwnerRole, LeadSource, LeadStatus, LossReason, ReviewDecision, TouchChannel, TouchOutcome };

export interface LeadLoss {
  reason: string;
  note: string | null;
  lostAt: string | null;
  lostBy: string | null;
  /** The sales manager's review; null while it is pending. */
  decision: ReviewDecision | null;
  decidedBy: string | null;
  decidedAt: string | null;
}

export interface LeadConversion {
  unitId: string;
  price: string;
  deposit: string;
  convertedAt: string | null;
  convertedBy: string | null;
}

/** One lead as `GET /api/leads` answers it (api/leads/schemas.ts LeadView). */
export interface Lead {
  id: string;
  workflowId: string;
  number: string;
  groupId: string;
  companyId: string;
  projectId: string;
  projectName: string | null;
  customerId: string;
  /** Phone masked unless the caller's role calls customers back. */
  customer: Customer | null;
  source: LeadSource;
  grade: Grade;
  status: LeadStatus;
  /** null while the lead waits in the pool. */
  ownerId: string | null;
  ownerName: string | null;
  referrerCustomerId: string | null;
  note: string | null;
  createdById: string;
  createdAt: string;
  firstContactDueAt: string;
  firstContactMissedAt: string | null;
  firstTouchAt: string | null;
  lastTouchAt: string | null;
  touchCount: number;
  /** When the next touch is due; null while pooled, lost or ended. */
  nextTouchDueAt: string | null;
  /** Untouched until then, the lead returns to the pool. */
  lapsesAt: string | null;
  pooledAt: string | null;
  loss: LeadLoss | null;
  conversion: LeadConversion | null;
  closedAt: string | null;
  /** true when status, owner and cadence come from the running workflow, false when from the read model. */
  live: boolean;
  /** The sale a converted lead became (issue 5), when the API names it; absent from older answers. */
  saleId?: string | null;
}

export interface LeadCadence {
  grade: Grade;
  firstContact: string;
  interval: string;
  lastsFor: string | null;
  dropTo: Grade | null;
  ownerRole: LeadOwnerRole;
}

export interface LeadDetail extends Lead {
  referrer: Customer | null;
  /** The cadence the lead runs on now; null once it ended. */
  cadence: LeadCadence | null;
}

export interface LeadEvent {
  seq: number;
  type: string;
  actor: string;
  at: string;
  data: unknown;
}

export interface NewLead {
  projectId: string;
  customer?: { name: string; phone: string };
  customerId?: string;
  source: LeadSource;
  grade: Grade;
  ownerId?: string;
  referrerCustomerId?: string;
  note?: string;
}

export interface LeadFilters {
  /** A user id or `me`. */
  ownerId?: string | undefined;
  /** One status or several, comma-separated. */
  status?: string | undefined;
  grade?: string | undefined;
  source?: string | undefined;
  projectId?: string | undefined;
  /** ISO instant: only leads whose next touch is due before it. */
  dueBefore?: string | undefined;
  q?: string | undefined;
}

export interface Touch {
  channel: TouchChannel;
  outcome: TouchOutcome;
  note?: string;
  nextStep?: string;
}

export const LEAD_REPORT_GROUPS = ['source', 'grade', 'owner', 'project'] as const;
export type LeadReportGroupBy = (typeof LEAD_REPORT_GROUPS)[number];

/** One group of `GET /api/reports/leads`; percentages are 0–100. */
export interface LeadReportRow {
  key: string | null;
  label: string;
  leads: number;
  open: number;
  pooled: number;
  contacted: number;
  contactedWithinTarget: number;
  firstContactMissed: number;
  contactedWithinTargetPct: number | null;
  converted: number;
  conversionPct: number | null;
  medianDaysToConvert: number | null;
  lost: number;
  lossReasons: Record<string, number>;
}

export interface LeadReport {
  from: string;
  to: string;
  groupBy: LeadReportGroupBy;
  groups: LeadReportRow[];
  totals: LeadReportRow;
}

export interface LeadReportQuery {
  from?: string;
  to?: string;
  projectId?: string;
  groupBy: LeadReportGroupBy;
}

interface ListOf<T> {
  items: T[];
  total: number;
}

const id = encodeURIComponent;

/** The human actions: each answers the lead as the workflow left it (409 when it refuses). */
const act = <B>(path: string) => (leadId: string, body: B, idempotencyKey?: string) =>
  request<Lead>('POST', `/api/leads/${id(leadId)}/${path}`, { body, ...(idempotencyKey ? { idempotencyKey } : {}) });

export const leadsApi = {
  create: (body: NewLead, idempotencyKey: string) => request<Lead>('POST', '/api/leads', { body, idempotencyKey }),
  list: (f: LeadFilters & PageParams, signal?: AbortSignal) => request<Page<Lead>>('GET', '/api/leads', { query: { ...f }, signal }),
  get: (leadId: string, signal?: AbortSignal) => request<LeadDetail>('GET', `/api/leads/${id(leadId)}`, { signal }),
  events: (leadId: string, signal?: AbortSignal) => request<Page<LeadEvent> & { names: Record<string, string> }>('GET', `/api/leads/${id(leadId)}/events`, { query: { pageSize: 500 }, signal }),

  touch: act<Touch>('touches'),
  grade: act<{ grade: Grade }>('grade'),
  assign: act<{ ownerId: string }>('assign'),
  /** Opens the lead's sale (issue 5): the unit is reserved; the API's payment method defaults to full. */
  convert: act<{ unitId: string; price: string; deposit: string; paymentMethod?: PaymentMethod }>('convert'),
  lost: act<{ reason: string; note?: string }>('lost'),
  review: act<{ decision: ReviewDecision; ownerId?: string }>('review'),

  cadencePolicies: (signal?: AbortSignal) => request<ListOf<CadencePolicy> & { defaults?: CadencePolicy[] }>('GET', '/api/cadence-policies', { signal }),
  saveCadencePolicies: (body: CadencePolicy[]) => request<ListOf<CadencePolicy>>('PUT', '/api/cadence-policies', { body }),
  lossReasons: (signal?: AbortSignal) => request<ListOf<LossReason>>('GET', '/api/loss-reasons', { signal }),
  saveLossReasons: (body: LossReason[]) => request<ListOf<LossReason>>('PUT', '/api/loss-reasons', { body }),

  report: (q: LeadReportQuery, signal?: AbortSignal) => request<LeadReport>('GET', '/api/reports/leads', { query: { ...q }, signal }),
  reportCsv: (q: LeadReportQuery) => request<Blob>('GET', '/api/reports/leads', { query: { ...q }, accept: 'text/csv' }),
};
