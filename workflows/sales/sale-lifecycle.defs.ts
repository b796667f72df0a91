/**
 * The contract of the sale lifecycle workflow, shared by the workflow, the API and tests.
 * Importing this module pulls in no workflow internals: only message definitions and types.
 *
 * Human actions are Updates with validators (a refusal becomes 409 with one of SALE_REJECTIONS).
 * The workflow owns every deadline; the API shows the ones in `getSaleState`.
 */
import { defineQuery } from '@temporalio/workflow';
import { commandUpdates, type ProcessInput } from '../kit/contract.js';
import type { AuditEventInput, AuditEventResult } from '../../activities/platform/audit.js';
import type { SaleCommandArgs, SaleOpening } from '../../domain/sales/sale-process.js';
import type { DefectSource, SaleApproval, SaleDefect, SaleNotice, SaleState } from '../../domain/sales/sale-state.js';
import type { Actor } from '../../domain/process.js';

export const SALE_LIFECYCLE_WORKFLOW = 'saleLifecycle';
export const saleWorkflowId = (saleId: string) => `sale-${saleId}`;

export type { ActionBase, Actor } from '../../domain/process.js';

/** The workflow's input: the sale's opening (domain/sales/sale-process.ts) and what only the wiring needs. */
export interface SaleLifecycleInput extends SaleOpening, ProcessInput<SaleState> {
  /**
   * When the API opened the sale (epoch ms): the first deadlines count from it, so the API's answer
   * (same pure reducer) and the workflow agree. Absent before issue 14: the first task's time.
   */
  createdAt?: number;
}

export type {
  DeadlineKind,
  DefectSource,
  MortgageStatus,
  SaleApproval,
  SaleDeadline,
  SaleDefect,
  SaleHandover,
  SaleMortgage,
  SaleNotice,
  SaleNoticeKind,
  SalePayment,
  SaleRejection,
  SaleState,
} from '../../domain/sales/sale-state.js';
export { DEADLINE_KINDS, SALE_NOTICE_KINDS, SALE_REJECTIONS } from '../../domain/sales/sale-state.js';

// Updates (imperative decisions/actions), one per command of the reducer, named after it and
// taking its arguments. Each has a validator that rejects with an ApplicationFailure whose `type`
// is one of SALE_REJECTIONS. All answer with the sale's state but `requestApproval`, which answers
// with the approval it opened.
const UPDATES = commandUpdates<Omit<SaleCommandArgs, 'requestApproval'>, SaleState>({
  signContract: true,
  recordFiling: true,
  recordPayment: true,
  recordMortgageEvent: true,
  changePaymentMethod: true,
  recordInspection: true,
  recordHandover: true,
  decideApproval: true,
});
export const { signContract, recordFiling, recordPayment, recordMortgageEvent, changePaymentMethod, recordInspection, recordHandover, decideApproval } = UPDATES;
export const { requestApproval } = commandUpdates<Pick<SaleCommandArgs, 'requestApproval'>, SaleApproval>({ requestApproval: true });
/** The Updates that answer with the sale's state. */
export const SALE_UPDATES = Object.values(UPDATES);

export const getSaleState = defineQuery<SaleState>('getSaleState');

// ------------------------------------------------------------------------------------------
// The activities the workflow calls. The worker's activities implement these later.

/** A SaleNotice (kind, deadline, dueAt, contactUserId, recipients) addressed for the sale. */
export interface NotifySalePartiesInput extends SaleNotice {
  saleId: string;
  saleNumber: string;
  groupId: string;
  companyId: string;
  /** The project whose time zone dates are shown in, whose sales managers are told, and whose latest progress note a `progress` email quotes. */
  projectId: string;
  unitId: string;
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
  source: DefectSource;
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
