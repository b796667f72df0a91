/**
 * The contract of the complaint/repair case workflow, shared by the workflow, the API and tests.
 * Importing this module pulls in no workflow internals: only message definitions and types.
 *
 * Human actions are Updates with validators, so the API learns at once whether the action was
 * accepted (a validator rejection becomes 409 with the reason's code). The workflow owns every
 * clock; the API never computes a deadline it then stores.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { BusinessCalendar } from '../../domain/cases/business-calendar.js';
import type { TargetClock } from '../../domain/cases/sla-clock.js';
import type { SlaPolicy } from '../../domain/cases/sla-policy.js';
import type { CaseStatus, CaseType, Channel, Severity, TargetName, Tier } from '../../domain/cases/types.js';

export const COMPLAINT_CASE_WORKFLOW = 'complaintCase';
export const caseWorkflowId = (caseId: string) => `case-${caseId}`;

/** Who did something: a user id, or `system` for timers. */
export type Actor = string;

export interface ComplaintCaseInput {
  caseId: string;
  caseNumber: string;
  groupId: string;
  companyId: string;
  projectId: string;
  type: CaseType;
  category: string;
  severity: Severity;
  channel: Channel;
  /** Initial tier, chosen by the API from severity and repair cost (domain/cases/routing.ts). */
  tier: Tier;
  assigneeId: string | null;
  openedBy: Actor;
  /** Policy and calendar resolved by the API at open, so the first targets start in the first workflow task. */
  policy: SlaPolicy;
  calendar: BusinessCalendar | null;
}

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
  /** Who handled the case in this period (the last assignee while it lasted). Added by the workflow; optional for older readers. */
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
  // ── Added by the workflow (optional so older readers and fixtures keep compiling) ──
  /** The business calendar the current policy counts on (null on the calendar clock). */
  calendar?: BusinessCalendar | null;
  /** While `waiting_on_customer`: the status `resumeClock` returns to. */
  pausedFrom?: CaseStatus | null;
  /** First time the customer was contacted (any tier), and the latest resolution. */
  contactedAt?: number | null;
  resolvedAt?: number | null;
  slaState?: SlaState;
}

// Updates (imperative decisions/actions). Each has a validator that rejects with an
// ApplicationFailure whose `type` is one of CASE_REJECTIONS.
export interface ActionBase {
  actor: Actor;
}
export const recordContact = defineUpdate<CaseState, [ActionBase & { note: string }]>('recordContact');
export const pauseClock = defineUpdate<CaseState, [ActionBase & { reason: string }]>('pauseClock');
export const resumeClock = defineUpdate<CaseState, [ActionBase]>('resumeClock');
export const resolveCase = defineUpdate<CaseState, [ActionBase & { resolution: string }]>('resolveCase');
export const recordCallback = defineUpdate<CaseState, [ActionBase & { satisfaction: number; comment?: string; escalate?: boolean }]>(
  'recordCallback',
);
export const changeCaseDetails = defineUpdate<
  CaseState,
  [ActionBase & { severity?: Severity; category?: string; assigneeId?: string; policy?: SlaPolicy; calendar?: BusinessCalendar | null }]
>('changeCaseDetails');
export const requestEscalation = defineUpdate<CaseState, [ActionBase & { reason: string }]>('requestEscalation');
export const approveEscalation = defineUpdate<CaseState, [ActionBase & { escalationId: string; note?: string }]>('approveEscalation');
export const rejectEscalation = defineUpdate<CaseState, [ActionBase & { escalationId: string; reason: string }]>('rejectEscalation');

export const getCaseState = defineQuery<CaseState>('getCaseState');

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
  'INVALID_ACTION',
] as const;
export type CaseRejection = (typeof CASE_REJECTIONS)[number];
