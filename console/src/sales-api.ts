/**
 * The sales resources of the API (issue 5): sales and their actions, the approval queue, the audit
 * trail, for the console (the sales report is features/reports/api.ts). Their types are the
 * server's (api/sales/schemas.ts, api/settings/schemas.ts), imported as types only. Times arrive as ISO
 * strings; money as decimal strings ("2350000.00"), never binary floats.
 */
import type { ApprovalKind, MortgageEvent, PaymentMethod, SaleStage } from '../../domain/sales/types.js';
import type { DeadlineKind } from '../../workflows/sales/sale-lifecycle.defs.js';
import type {
  ChangePaymentMethodRequest,
  CreateSaleRequest,
  DecideSaleApprovalRequest,
  ListSalesQuery,
  ProgressNote,
  ProgressNoteRequest,
  RecordFilingRequest,
  RecordHandoverRequest,
  RecordInspectionRequest,
  RecordMortgageEventRequest,
  RecordPaymentRequest,
  RequestCancellationRequest,
  RequestRenameRequest,
  RequestUnitChangeRequest,
  Sale,
  SaleEventPage,
  SaleSummary,
  SignContractRequest,
} from '../../api/sales/schemas.js';
import type { SalesPolicy, SalesPolicyInput, SalesPolicySettings } from '../../api/settings/schemas.js';
import { request, type Filters, type Page, type PageParams } from './api.js';

export type { ApprovalKind, DeadlineKind, MortgageEvent, PaymentMethod, SaleStage };
export type {
  CreateSaleRequest,
  ProgressNote,
  Sale,
  SaleApproval,
  SaleDefect,
  SaleDeadline,
  SaleEvent,
  SaleEventPage,
  SaleSummary,
} from '../../api/sales/schemas.js';
// The sales browser test still names the report's type from here; the report itself is features/reports/api.ts.
export type { SalesReport } from '../../api/reports/schemas.js';
export type { SalesPolicy, SalesPolicySettings } from '../../api/settings/schemas.js';

/** The steps with a deadline, in the order a sale meets them (the workflow's DEADLINE_KINDS). */
export const DEADLINE_ORDER = ['contract', 'filing', 'mortgage_documents', 'bank_decision', 'disbursement', 'full_payment'] as const satisfies readonly DeadlineKind[];

export type SaleFilters = Filters<ListSalesQuery>;
export type MortgageStatus = NonNullable<Sale['mortgage']>['status'];

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

const id = encodeURIComponent;

/** The human actions: each answers the sale as the workflow left it (409 with a code when it refuses). */
const act = <B>(path: string) => (saleId: string, body: B) => request<Sale>('POST', `/api/sales/${id(saleId)}/${path}`, { body });

export const salesApi = {
  create: (body: CreateSaleRequest, idempotencyKey: string) => request<Sale>('POST', '/api/sales', { body, idempotencyKey }),
  list: (f: SaleFilters & PageParams, signal?: AbortSignal) => request<Page<SaleSummary>>('GET', '/api/sales', { query: { ...f }, signal }),
  get: (saleId: string, signal?: AbortSignal) => request<Sale>('GET', `/api/sales/${id(saleId)}`, { signal }),
  events: (saleId: string, signal?: AbortSignal) => request<SaleEventPage>('GET', `/api/sales/${id(saleId)}/events`, { query: { pageSize: 200 }, signal }),

  contract: act<SignContractRequest>('contract'),
  filing: act<RecordFilingRequest>('filing'),
  payment: act<RecordPaymentRequest>('payments'),
  mortgage: act<RecordMortgageEventRequest>('mortgage'),
  paymentMethod: act<ChangePaymentMethodRequest>('payment-method'),
  inspection: act<RecordInspectionRequest>('inspection'),
  handover: act<RecordHandoverRequest>('handover'),
  cancel: act<RequestCancellationRequest>('cancel'),
  changeUnit: act<RequestUnitChangeRequest>('change-unit'),
  rename: act<RequestRenameRequest>('rename'),
  decide: (saleId: string, approvalId: string, body: DecideSaleApprovalRequest) =>
    request<Sale>('POST', `/api/sales/${id(saleId)}/approvals/${id(approvalId)}`, { body }),

  policy: (signal?: AbortSignal) => request<SalesPolicySettings>('GET', '/api/sales-policy', { signal }),
  savePolicy: (policy: SalesPolicyInput) => request<SalesPolicySettings>('PUT', '/api/sales-policy', { body: policy }),

  progressNotes: (projectId: string, p: PageParams, signal?: AbortSignal) =>
    request<Page<ProgressNote>>('GET', `/api/projects/${id(projectId)}/progress-notes`, { query: { ...p }, signal }),
  publishProgressNote: (projectId: string, body: ProgressNoteRequest, idempotencyKey: string) =>
    request<ProgressNote>('POST', `/api/projects/${id(projectId)}/progress-notes`, { body, idempotencyKey }),
};
