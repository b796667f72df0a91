/**
 * The sales resources of the API (issue 5): sales and their actions, the approval queue, the audit
 * trail and the sales report, typed for the console (api/sales/schemas.ts is the contract). Times
 * arrive as ISO strings; money as decimal strings ("2350000.00"), never binary floats.
 */
import type { SalesPolicy } from '../../domain/sales/policy.js';
import type { ApprovalKind, MortgageEvent, PaymentMethod, SaleStage } from '../../domain/sales/types.js';
import type { DeadlineKind } from '../../workflows/sales/sale-lifecycle.defs.js';
import { request, type Customer, type Page, type PageParams } from './api.js';

export type { ApprovalKind, DeadlineKind, MortgageEvent, PaymentMethod, SaleStage, SalesPolicy };

/** The steps with a deadline, in the order a sale meets them (the workflow's DEADLINE_KINDS). */
export const DEADLINE_ORDER = ['contract', 'filing', 'mortgage_documents', 'bank_decision', 'disbursement', 'full_payment'] as const satisfies readonly DeadlineKind[];

export interface Named {
  id: string;
  name: string | null;
}

export interface SaleDeadline {
  kind: DeadlineKind;
  dueAt: string;
  remindAt: string;
  reminded: boolean;
  /** When the deadline passed without the step (the step stays open). */
  missedAt: string | null;
}

export interface SaleDefect {
  location: string;
  description: string;
  category: string;
}

export type ApprovalStatus = 'pending' | 'approved' | 'rejected';

export interface SaleApproval {
  id: string;
  kind: ApprovalKind;
  reason: string;
  unitId: string | null;
  buyerName: string | null;
  requestedBy: string;
  requestedAt: string;
  status: ApprovalStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  note: string | null;
}

/** One sale as `GET /api/sales` answers it. */
export interface SaleSummary {
  id: string;
  number: string;
  workflowId: string;
  stage: SaleStage;
  paymentMethod: PaymentMethod;
  project: Named;
  unit: { id: string; number: string | null };
  /** Phone masked unless the caller's role calls customers back. */
  customer: Customer | null;
  /** The name on the contract after an approved rename; null means the customer's own. */
  buyerName: string | null;
  owner: Named;
  leadId: string | null;
  price: string;
  deposit: string;
  paidTotal: string;
  outstanding: string;
  nextDeadline: { kind: DeadlineKind; dueAt: string } | null;
  pendingApproval: ApprovalKind | null;
  createdAt: string;
  closedAt: string | null;
}

export type MortgageStatus = 'awaiting_documents' | 'documents_submitted' | 'approved' | 'rejected' | 'disbursed';

export interface SalePayment {
  amount: string;
  paidAt: string;
  source: 'deposit' | 'buyer' | 'bank';
  recordedBy: string;
}

export interface SaleCase {
  id: string;
  number: string;
  status: string;
  category: string;
  description: string;
  openedAt: string;
}

/** One sale as `GET /api/sales/:id` and every action answer it. */
export interface Sale extends SaleSummary {
  deadlines: SaleDeadline[];
  referrerCustomerId: string | null;
  contractArea: string;
  contract: { contractNo: string; signedAt: string } | null;
  filing: { filingNo: string; filedAt: string } | null;
  mortgage: {
    status: MortgageStatus;
    bank: string | null;
    amount: string | null;
    documentsAt: string | null;
    decidedAt: string | null;
    disbursedAt: string | null;
  } | null;
  payments: SalePayment[];
  deliveryDate: string;
  inspectionAt: string;
  nextProgressAt: string | null;
  inspection: { inspectedAt: string; defects: SaleDefect[]; caseIds: string[] } | null;
  handover: {
    handedOverAt: string;
    keysIssued: number;
    measuredArea: string;
    /** Positive: the buyer pays; negative: refunded (CNY). */
    areaSettlement: string;
    areaDifferencePct: number;
    beyondTolerance: boolean;
    defects: SaleDefect[];
    caseIds: string[];
  } | null;
  approvals: SaleApproval[];
  cases: SaleCase[];
  ownerRegistered: boolean;
  lapseReason: string | null;
  cancelReason: string | null;
  /** true when stage and deadlines come from the running workflow, false when from the read model. */
  live: boolean;
}

export interface SaleEvent {
  seq: number;
  type: string;
  actor: string;
  actorName: string | null;
  at: string;
  data: unknown;
}

export interface SaleEventPage extends Page<SaleEvent> {
  /** Display names of the users the events mention, by id. */
  names: Record<string, string>;
}

export interface NewSale {
  customerId: string;
  unitId: string;
  price: string;
  deposit: string;
  paymentMethod: PaymentMethod;
  leadId?: string;
  ownerId?: string;
}

export interface SaleFilters {
  /** One stage or several, comma-separated. */
  stage?: string | undefined;
  projectId?: string | undefined;
  /** A user id or `me`. */
  ownerId?: string | undefined;
  dueBefore?: string | undefined;
  pendingApproval?: 'true' | undefined;
  q?: string | undefined;
}

export const SALE_REPORT_GROUPS = ['stage', 'project', 'owner'] as const;
export type SaleReportGroupBy = (typeof SALE_REPORT_GROUPS)[number];

/** One group of `GET /api/reports/sales`; money as decimal strings. */
export interface SaleReportRow {
  key: string | null;
  label: string;
  sales: number;
  live: number;
  handedOver: number;
  lapsed: number;
  cancelled: number;
  value: string;
  paid: string;
  mortgageCount: number;
  mortgageMedianDays: number | null;
  mortgageP90Days: number | null;
  handoverDefectsPerUnit: number | null;
}

export interface SaleReport {
  from: string;
  to: string;
  groupBy: SaleReportGroupBy;
  rows: SaleReportRow[];
  /** Every stage, in lifecycle order. */
  pipeline: { stage: SaleStage; count: number; value: string }[];
  lapseReasons: { reason: string; count: number }[];
  cancellationReasons: { reason: string; count: number }[];
  mortgage: { count: number; medianDays: number | null; p90Days: number | null };
  handover: { handedOver: number; inspectionDefects: number; handoverDefects: number; defectsPerUnit: number | null };
}

export interface SaleReportQuery {
  from?: string;
  to?: string;
  projectId?: string;
  groupBy: SaleReportGroupBy;
}

/** `GET /api/sales-policy`: the group's deadlines (ISO 8601 durations) and the handbook's defaults. */
export interface SalesPolicyDoc {
  policy: SalesPolicy;
  defaults: SalesPolicy;
}

/**
 * The policy's fields in the order a sale meets them. A Record, so a field added to SalesPolicy
 * fails the typecheck here until the settings page knows it.
 */
const SALES_POLICY_FIELD_SET: Record<keyof SalesPolicy, true> = {
  contractWithin: true,
  filingWithin: true,
  mortgageDocumentsWithin: true,
  bankDecisionWithin: true,
  disbursementWithin: true,
  fullPaymentWithin: true,
  remindBefore: true,
  inspectionBeforeDelivery: true,
  progressEvery: true,
  defectResolution: true,
};
export const SALES_POLICY_FIELDS = Object.keys(SALES_POLICY_FIELD_SET) as Array<keyof SalesPolicy>;

/** A project's construction-progress note (工程进度); the monthly buyer email quotes the latest. */
export interface ProgressNote {
  id: string;
  projectId: string;
  text: string;
  createdById: string;
  createdAt: string;
}

const id = encodeURIComponent;

/** The human actions: each answers the sale as the workflow left it (409 with a code when it refuses). */
const act = <B>(path: string) => (saleId: string, body: B) => request<Sale>('POST', `/api/sales/${id(saleId)}/${path}`, { body });

export const salesApi = {
  create: (body: NewSale, idempotencyKey: string) => request<Sale>('POST', '/api/sales', { body, idempotencyKey }),
  list: (f: SaleFilters & PageParams, signal?: AbortSignal) => request<Page<SaleSummary>>('GET', '/api/sales', { query: { ...f }, signal }),
  get: (saleId: string, signal?: AbortSignal) => request<Sale>('GET', `/api/sales/${id(saleId)}`, { signal }),
  events: (saleId: string, signal?: AbortSignal) => request<SaleEventPage>('GET', `/api/sales/${id(saleId)}/events`, { query: { pageSize: 200 }, signal }),

  contract: act<{ contractNo: string; signedAt?: string }>('contract'),
  filing: act<{ filingNo: string }>('filing'),
  payment: act<{ amount: string; paidAt?: string }>('payments'),
  mortgage: act<{ event: MortgageEvent; bank?: string; amount?: string }>('mortgage'),
  paymentMethod: act<{ paymentMethod: 'full' }>('payment-method'),
  inspection: act<{ defects: SaleDefect[] }>('inspection'),
  handover: act<{ keysIssued: number; measuredArea: string; defects?: SaleDefect[] }>('handover'),
  cancel: act<{ reason: string }>('cancel'),
  changeUnit: act<{ unitId: string; reason: string }>('change-unit'),
  rename: act<{ buyerName: string; reason: string }>('rename'),
  decide: (saleId: string, approvalId: string, body: { decision: 'approve' | 'reject'; note?: string }) =>
    request<Sale>('POST', `/api/sales/${id(saleId)}/approvals/${id(approvalId)}`, { body }),

  report: (q: SaleReportQuery, signal?: AbortSignal) => request<SaleReport>('GET', '/api/reports/sales', { query: { ...q }, signal }),
  reportCsv: (q: SaleReportQuery) => request<Blob>('GET', '/api/reports/sales', { query: { ...q }, accept: 'text/csv' }),

  policy: (signal?: AbortSignal) => request<SalesPolicyDoc>('GET', '/api/sales-policy', { signal }),
  savePolicy: (policy: SalesPolicy) => request<SalesPolicyDoc>('PUT', '/api/sales-policy', { body: policy }),

  progressNotes: (projectId: string, p: PageParams, signal?: AbortSignal) =>
    request<Page<ProgressNote>>('GET', `/api/projects/${id(projectId)}/progress-notes`, { query: { ...p }, signal }),
  publishProgressNote: (projectId: string, body: { text: string }, idempotencyKey: string) =>
    request<ProgressNote>('POST', `/api/projects/${id(projectId)}/progress-notes`, { body, idempotencyKey }),
};
