/**
 * The state of one sale as its workflow keeps it, queries return it and the read model stores it
 * (plain JSON), with the codes its Updates refuse with and the notices it sends. The rules that
 * change it are in sale-process.ts.
 */
import type { Actor } from '../process.js';
import type { SalesPolicy } from './policy.js';
import type { ApprovalKind, PaymentMethod, SaleStage } from './types.js';

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

/** Where defects were found: each source's repair cases are kept on its record. */
export type DefectSource = 'inspection' | 'handover';

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
  /**
   * Set on sales subscribed since progress emails were anchored: the n-th email falls at
   * createdAt + n × policy.progressEvery. Absent on sales whose workflow began before that
   * (patch `sale-progress-anchored`): each email then follows the one before, as it always did.
   */
  progressAnchored?: true;
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
  /**
   * The project's time zone, on whose calendar policy durations are added (`P1M` = same day next
   * month). Optional so older readers and fixtures keep compiling; a state carried over from a run
   * that did not keep it gets it from the workflow's input (`continuedSaleState`).
   */
  timeZone?: string;
}

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

/** An email announcing an event: to named staff, to the buyer and/or the project's sales managers. */
export interface SaleNotice {
  kind: SaleNoticeKind;
  /** The deadline a reminder or miss is about. */
  deadline?: DeadlineKind;
  dueAt?: number;
  /** The salesperson the buyer should contact (welcome letter). */
  contactUserId?: string;
  recipients: { userIds?: string[]; customerIds?: string[]; salesManagers?: boolean };
}
