/**
 * The contract of the sale lifecycle workflow, shared by the workflow, the API and tests.
 * Importing this module pulls in no workflow internals: only message definitions and types.
 *
 * Human actions are Updates with validators (a refusal becomes 409 with one of SALE_REJECTIONS).
 * The workflow owns every deadline; the API shows the ones in `getSaleState`.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AuditEventInput, AuditEventResult } from '../../activities/index.js';
import type { SalesPolicy } from '../../domain/sales/policy.js';
import type { ApprovalKind, MortgageEvent, PaymentMethod, SaleStage } from '../../domain/sales/types.js';

export const SALE_LIFECYCLE_WORKFLOW = 'saleLifecycle';
export const saleWorkflowId = (saleId: string) => `sale-${saleId}`;

/** Who did something: a user id, or `system` for timers. */
export type Actor = string;

export interface SaleLifecycleInput {
  saleId: string;
  saleNumber: string;
  groupId: string;
  companyId: string;
  projectId: string;
  /** The project's time zone: policy durations are added on its calendar (`P1M` = same day next month). */
  timeZone: string;
  unitId: string;
  /** The buyer. */
  customerId: string;
  /** The salesperson responsible for the sale: reminders go to them. */
  ownerId: string;
  leadId: string | null;
  referrerCustomerId: string | null;
  /** CNY, decimal strings (never binary floats for money). */
  price: string;
  deposit: string;
  paymentMethod: PaymentMethod;
  /** Contracted area in m², decimal string ("89.50"). */
  contractArea: string;
  /** The project's delivery date (epoch ms). */
  deliveryDate: number;
  policy: SalesPolicy;
  createdBy: Actor;
  /** Continue-as-new after this many history events (default 2,000); tests lower it. */
  historyLimit?: number;
  /** The state carried over by continue-as-new; absent on the first run. */
  carried?: SaleState;
}

export const DEADLINE_KINDS = ['contract', 'filing', 'mortgage_documents', 'bank_decision', 'disbursement', 'full_payment'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** An open step with its deadline; removed when the step is done. */
export interface SaleDeadline {
  kind: DeadlineKind;
  dueAt: number;
  remindAt: number;
  reminded: boolean;
  /** When the deadline passed without the step (the step stays open and can still be done). */
  missedAt: number | null;
}

export interface SalePayment {
  /** Decimal string, CNY. */
  amount: string;
  paidAt: number;
  /** `deposit` (counts toward the price), `buyer` instalments, or the `bank`'s disbursement. */
  source: 'deposit' | 'buyer' | 'bank';
  recordedBy: Actor;
}

export type MortgageStatus = 'awaiting_documents' | 'documents_submitted' | 'approved' | 'rejected' | 'disbursed';
export interface SaleMortgage {
  status: MortgageStatus;
  bank: string | null;
  /** Approved loan amount, decimal string. */
  amount: string | null;
  documentsAt: number | null;
  decidedAt: number | null;
  disbursedAt: number | null;
}

export interface SaleDefect {
  location: string;
  description: string;
  category: string;
}

export interface SaleApproval {
  /** `${saleId}:apr:${n}` */
  id: string;
  kind: ApprovalKind;
  reason: string;
  unitId: string | null;
  /** The new unit's contracted area (change_unit), decimal string. */
  contractArea: string | null;
  buyerName: string | null;
  requestedBy: Actor;
  requestedAt: number;
  status: 'pending' | 'approved' | 'rejected';
  decidedBy: Actor | null;
  decidedAt: number | null;
  note: string | null;
}

export interface SaleHandover {
  handedOverAt: number;
  keysIssued: number;
  measuredArea: string;
  /** Positive: the buyer owes it; negative: refunded. Decimal string, CNY. */
  areaSettlement: string;
  areaDifferencePct: number;
  beyondTolerance: boolean;
  defects: SaleDefect[];
  caseIds: string[];
  recordedBy: Actor;
}

export interface SaleState {
  saleId: string;
  saleNumber: string;
  stage: SaleStage;
  paymentMethod: PaymentMethod;
  unitId: string;
  customerId: string;
  /** Set by an approved rename; null means the customer's own name. */
  buyerName: string | null;
  ownerId: string;
  leadId: string | null;
  referrerCustomerId: string | null;
  price: string;
  deposit: string;
  /** Deposit + instalments + disbursement, decimal string. */
  paidTotal: string;
  payments: SalePayment[];
  contractArea: string;
  deliveryDate: number;
  policy: SalesPolicy;
  deadlines: SaleDeadline[];
  contract: { contractNo: string; signedAt: number; recordedBy: Actor } | null;
  filing: { filingNo: string; filedAt: number; recordedBy: Actor } | null;
  mortgage: SaleMortgage | null;
  /** deliveryDate − policy.inspectionBeforeDelivery. */
  inspectionAt: number;
  /** The next construction-progress email; null once delivery is reached or the sale ended. */
  nextProgressAt: number | null;
  progressCount: number;
  inspection: { inspectedAt: number; defects: SaleDefect[]; caseIds: string[]; recordedBy: Actor } | null;
  handover: SaleHandover | null;
  approvals: SaleApproval[];
  /** The unit is no longer reserved by this sale (lapsed or cancelled). */
  unitReleased: boolean;
  /** The owner was registered with property management (move-in record) at handover. */
  ownerRegistered: boolean;
  lapseReason: string | null;
  cancelReason: string | null;
  seq: number;
  createdAt: number;
  closedAt: number | null;
  runs: number;
}

export interface ActionBase {
  actor: Actor;
}

export const signContract = defineUpdate<SaleState, [ActionBase & { contractNo: string; signedAt?: number }]>('signContract');
export const recordFiling = defineUpdate<SaleState, [ActionBase & { filingNo: string }]>('recordFiling');
export const recordPayment = defineUpdate<SaleState, [ActionBase & { amount: string; paidAt?: number }]>('recordPayment');
export const recordMortgageEvent = defineUpdate<SaleState, [ActionBase & { event: MortgageEvent; bank?: string; amount?: string }]>('recordMortgageEvent');
export const changePaymentMethod = defineUpdate<SaleState, [ActionBase & { paymentMethod: PaymentMethod }]>('changePaymentMethod');
export const recordInspection = defineUpdate<SaleState, [ActionBase & { defects: SaleDefect[] }]>('recordInspection');
export const recordHandover = defineUpdate<SaleState, [ActionBase & { keysIssued: number; measuredArea: string; defects?: SaleDefect[] }]>('recordHandover');
export const requestApproval = defineUpdate<SaleApproval, [ActionBase & { kind: ApprovalKind; reason: string; unitId?: string; contractArea?: string; buyerName?: string }]>(
  'requestApproval',
);
export const decideApproval = defineUpdate<SaleState, [ActionBase & { approvalId: string; decision: 'approve' | 'reject'; note?: string }]>('decideApproval');

export const getSaleState = defineQuery<SaleState>('getSaleState');

/** Why an action was refused: the API answers 409 with this code. */
export const SALE_REJECTIONS = [
  'SALE_ENDED',
  'SALE_WRONG_STAGE',
  'SALE_WRONG_PAYMENT_METHOD',
  'SALE_ALREADY_RECORDED',
  'SALE_APPROVAL_PENDING',
  'SALE_APPROVAL_NOT_FOUND',
  'SALE_NOT_REJECTED_MORTGAGE',
  'INVALID_ACTION',
] as const;
export type SaleRejection = (typeof SALE_REJECTIONS)[number];

// ------------------------------------------------------------------------------------------
// The activities the workflow calls. The worker's activities implement these later.

export const SALE_NOTICE_KINDS = [
  'subscribed',
  'deadline_reminder',
  'deadline_missed',
  'welcome_letter',
  'mortgage_rejected',
  'progress',
  'inspection_invitation',
  'approval_requested',
  'approval_decided',
  'lapsed',
  'cancelled',
  'handed_over',
] as const;
export type SaleNoticeKind = (typeof SALE_NOTICE_KINDS)[number];

export interface NotifySalePartiesInput {
  saleId: string;
  saleNumber: string;
  groupId: string;
  companyId: string;
  /** The project whose time zone dates are shown in, whose sales managers are told, and whose latest progress note a `progress` email quotes. */
  projectId: string;
  unitId: string;
  kind: SaleNoticeKind;
  /** The deadline a reminder or miss is about. */
  deadline?: DeadlineKind;
  dueAt?: number;
  /** The salesperson the buyer should contact (welcome letter). */
  contactUserId?: string;
  recipients: { userIds?: string[]; customerIds?: string[]; salesManagers?: boolean };
  /** `${workflowId}:${seq}`; each recipient's key is `${base}:${recipient}`. */
  idempotencyKeyBase: string;
}
export interface NotifySalePartiesResult {
  sent: string[];
  skipped: string[];
  refused: string[];
}

export interface ProjectSaleInput {
  saleId: string;
  seq: number;
  state: SaleState;
}

export interface OpenDefectCasesInput {
  saleId: string;
  saleNumber: string;
  groupId: string;
  companyId: string;
  projectId: string;
  unitId: string;
  customerId: string;
  source: 'inspection' | 'handover';
  defects: SaleDefect[];
  /** ISO 8601 resolution target for each case (policy.defectResolution). */
  resolutionWithin: string;
  openedBy: Actor;
  /** `${workflowId}:${seq}`; defect i's case is keyed `${key}:${i}`, so a retry opens nothing twice. */
  idempotencyKey: string;
}

export interface SaleActivities {
  recordAuditEvent(event: AuditEventInput): Promise<AuditEventResult>;
  notifySaleParties(input: NotifySalePartiesInput): Promise<NotifySalePartiesResult>;
  projectSale(input: ProjectSaleInput): Promise<{ applied: boolean }>;
  openDefectCases(input: OpenDefectCasesInput): Promise<{ caseIds: string[] }>;
}
