/**
 * The contract of the lead follow-up workflow, shared by the workflow, the API and tests.
 * Importing this module pulls in no workflow internals: only message definitions and types.
 *
 * Human actions are Updates with validators (a refusal becomes 409 with one of LEAD_REJECTIONS).
 * The workflow owns the cadence's clock; the API never computes a deadline it then stores.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CadencePolicy, CadenceWindow } from '../../domain/leads/cadence.js';
import type { Grade, LeadSource, LeadStatus, ReviewDecision, TouchChannel, TouchOutcome } from '../../domain/leads/types.js';

export const LEAD_FOLLOW_UP_WORKFLOW = 'leadFollowUp';
export const leadWorkflowId = (leadId: string) => `lead-${leadId}`;

/** Who did something: a user id, or `system` for timers. */
export type Actor = string;

export interface LeadFollowUpInput {
  leadId: string;
  leadNumber: string;
  groupId: string;
  companyId: string;
  projectId: string;
  /** The project's time zone: cadences are added on its calendar (`P1M` = same day next month). */
  timeZone: string;
  source: LeadSource;
  grade: Grade;
  /** Chosen by the API (named, or round robin among the project's staff of the grade's role); null sends the lead to the pool. */
  ownerId: string | null;
  referrerCustomerId: string | null;
  createdBy: Actor;
  /** The organisation's cadences when the lead arrived; Updates that open a window may bring newer ones. */
  policies: CadencePolicy[];
  /**
   * Continue-as-new after this many history events (default 2,000; Temporal's own suggestion
   * also triggers it). Tests lower it to prove the state carries over.
   */
  historyLimit?: number;
  /** The state carried over by continue-as-new; absent on the first run. */
  carried?: LeadState;
}

export interface LeadConversion {
  unitId: string;
  /** CNY, decimal strings (never binary floats for money). */
  price: string;
  deposit: string;
  convertedAt: number;
  convertedBy: Actor;
}

export interface LeadLoss {
  reason: string;
  note: string | null;
  lostAt: number;
  lostBy: Actor;
  decision: ReviewDecision | null;
  decidedBy: Actor | null;
  decidedAt: number | null;
}

export interface LeadState {
  leadId: string;
  leadNumber: string;
  status: LeadStatus;
  grade: Grade;
  /** When the lead got its current grade (the B → C drop counts from here). */
  gradeSince: number;
  ownerId: string | null;
  policies: CadencePolicy[];
  /** The cadence window running now; null while pooled, lost or ended. */
  window: CadenceWindow | null;
  /** The owner was reminded of the current window's due touch. */
  reminded: boolean;
  /** The first contact's deadline as first set (for "contacted within target"), and when it was missed. */
  firstContactDueAt: number;
  firstContactMissedAt: number | null;
  firstTouchAt: number | null;
  lastTouchAt: number | null;
  touchCount: number;
  pooledAt: number | null;
  /** While pooled: when the sales managers are reminded next. */
  poolReminderAt: number | null;
  loss: LeadLoss | null;
  conversion: LeadConversion | null;
  /** Sequence of the last audit event. */
  seq: number;
  createdAt: number;
  closedAt: number | null;
  /** How many runs (continue-as-new) this lead's workflow has had, the current one included. */
  runs: number;
}

export interface ActionBase {
  actor: Actor;
}
/** Opening a new window may bring the organisation's current cadences. */
export interface WithPolicies {
  policies?: CadencePolicy[];
}

export const logTouch = defineUpdate<LeadState, [ActionBase & { channel: TouchChannel; outcome: TouchOutcome; note?: string; nextStep?: string }]>('logTouch');
export const regradeLead = defineUpdate<LeadState, [ActionBase & WithPolicies & { grade: Grade }]>('regradeLead');
export const assignLead = defineUpdate<LeadState, [ActionBase & WithPolicies & { ownerId: string }]>('assignLead');
export const convertLead = defineUpdate<LeadState, [ActionBase & { unitId: string; price: string; deposit: string }]>('convertLead');
export const markLeadLost = defineUpdate<LeadState, [ActionBase & { reason: string; note?: string }]>('markLeadLost');
export const reviewLostLead = defineUpdate<LeadState, [ActionBase & WithPolicies & { decision: ReviewDecision; ownerId?: string }]>('reviewLostLead');

export const getLeadState = defineQuery<LeadState>('getLeadState');

/** Why an action was refused: the API answers 409 with this code. */
export const LEAD_REJECTIONS = [
  'LEAD_ENDED',
  'LEAD_POOLED',
  'LEAD_PENDING_REVIEW',
  'LEAD_NOT_LOST',
  'LEAD_SAME_GRADE',
  'LEAD_SAME_OWNER',
  'INVALID_ACTION',
] as const;
export type LeadRejection = (typeof LEAD_REJECTIONS)[number];
