/**
 * The state of one complaint, repair or enquiry case as its workflow keeps it, queries return it
 * and the read model stores it (plain JSON), with the codes its Updates refuse with and the
 * notices it sends. The rules that change it are in case-process.ts.
 */
import type { BusinessCalendar } from './business-calendar.js';
import type { TargetClock } from './sla-clock.js';
import type { SlaPolicy } from './sla-policy.js';
import type { CaseStatus, Severity, TargetName, Tier } from './types.js';
import type { Actor } from '../process.js';

export type EscalationSource = 'breach' | 'handler' | 'callback';
export type EscalationStatus = 'pending' | 'approved' | 'rejected' | 'auto_escalated';

export interface EscalationState {
  /** `${caseId}:esc:${n}`, stable across retries. */
  id: string;
  fromTier: Tier;
  toTier: Tier;
  source: EscalationSource;
  reason: string;
  requestedBy: Actor;
  requestedAt: number;
  /** Decision deadline (policy approvalWindow); undecided at this instant it escalates by itself. */
  dueAt: number;
  status: EscalationStatus;
  decidedBy: Actor | null;
  decidedAt: number | null;
  decisionNote: string | null;
}

export interface TierPeriod {
  tier: Tier;
  enteredAt: number;
  leftAt: number | null;
  policyId: string;
  targets: Record<TargetName, TargetClock | null>;
  /** Who handled the case in this period (the last assignee while it lasted). Optional for older readers. */
  assigneeId?: string | null;
  /** Why the period began: the case opened, an escalation moved it, or an unsatisfied callback reopened it at the same tier. */
  reason?: 'opened' | 'escalated' | 'reopened';
}

/** What the `SlaState` search attribute and the console show about the current tier's clocks. */
export type SlaState = 'on_track' | 'warned' | 'breached' | 'paused' | 'met';

export interface CaseState {
  caseId: string;
  caseNumber: string;
  status: CaseStatus;
  tier: Tier;
  severity: Severity;
  category: string;
  assigneeId: string | null;
  policy: SlaPolicy;
  /** Targets of the current tier (callback starts at resolution). */
  targets: Record<TargetName, TargetClock | null>;
  /** Every tier the case has been in, with that tier's targets, oldest first. */
  tiers: TierPeriod[];
  escalations: EscalationState[];
  satisfaction: number | null;
  /** Recorded at close for the reports: first-contact and resolution durations per policy clock. */
  firstContactMs: number | null;
  resolutionMs: number | null;
  /** Sequence of the last audit event. */
  seq: number;
  openedAt: number;
  closedAt: number | null;
  // ── Optional so older readers and fixtures keep compiling ──
  /** The business calendar the current policy counts on (null on the calendar clock). */
  calendar?: BusinessCalendar | null;
  /** While `waiting_on_customer`: the status `resumeClock` returns to. */
  pausedFrom?: CaseStatus | null;
  /** First time the customer was contacted (any tier), and the latest resolution. */
  contactedAt?: number | null;
  resolvedAt?: number | null;
  slaState?: SlaState;
  /**
   * The case's work orders (issue 15), as their workflows reported them: the case resolves only
   * when none is open. Absent before the first one.
   */
  workOrders?: CaseWorkOrder[];
}

/** A work order of the case as the case knows it: its id and whether it is still open. */
export interface CaseWorkOrder {
  id: string;
  status: 'open' | CaseWorkOrderOutcome;
}
/** How a work order ended: signed off, the owner refused the quote, or the dispatcher cancelled it. */
export type CaseWorkOrderOutcome = 'done' | 'quote_refused' | 'cancelled';

/**
 * What a case's Updates and its workflow's result answer since issue 14 (slim histories): the
 * headline of the state after the action and the audit events it recorded, not the whole state
 * (which repeats the policy and calendar). Every CaseState is one, so an execution older than the
 * change, which answers with the whole state, fits too. The API reads the rest with a query.
 */
export interface CaseOutcome {
  seq: number;
  status: CaseStatus;
  tier: Tier;
  assigneeId: string | null;
  slaState?: SlaState;
  /** The audit events the Update recorded (its own and its tasks'), oldest first; absent in a whole state. */
  events?: Array<{ seq: number; type: string }>;
}

/** Why an action was refused: the API answers 409 with this code. */
export const CASE_REJECTIONS = [
  'CASE_CLOSED',
  'CASE_ALREADY_CONTACTED',
  'CASE_NOT_CONTACTED',
  'CASE_ALREADY_PAUSED',
  'CASE_NOT_PAUSED',
  'CASE_PAUSED',
  'CASE_ALREADY_RESOLVED',
  'CASE_NOT_RESOLVED',
  'ESCALATION_PENDING',
  'ESCALATION_NOT_FOUND',
  'ESCALATION_NOT_PENDING',
  'TOP_TIER',
  'CASE_WORK_ORDERS_OPEN',
  'INVALID_ACTION',
] as const;
export type CaseRejection = (typeof CASE_REJECTIONS)[number];

export const CASE_NOTICE_KINDS = ['warning', 'breach', 'escalation_requested', 'escalated', 'assigned'] as const;
export type CaseNoticeKind = (typeof CASE_NOTICE_KINDS)[number];

/** An email to staff announcing an event: to named users and/or the supervisors of a tier of the case's project. */
export interface CaseNotice {
  kind: CaseNoticeKind;
  target?: TargetName;
  /** Epoch ms: the target's deadline, or an escalation's decision deadline. */
  dueAt?: number;
  tier: Tier;
  recipients: { userIds?: string[]; supervisorsOfTier?: Tier };
}

