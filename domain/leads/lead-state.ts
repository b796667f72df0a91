/**
 * The state of one lead as its follow-up workflow keeps it, queries return it and the read model
 * stores it (plain JSON), with the codes its Updates refuse with and the notices it sends. The
 * rules that change it are in lead-process.ts.
 */
import type { CadencePolicy, CadenceWindow } from './cadence.js';
import type { Grade, LeadStatus, ReviewDecision } from './types.js';
import type { Actor } from '../process.js';

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

export const LEAD_NOTICE_KINDS = ['assigned', 'first_contact_due', 'touch_due', 'first_contact_missed', 'pooled', 'pool_reminder', 'loss_review'] as const;
export type LeadNoticeKind = (typeof LEAD_NOTICE_KINDS)[number];

/** An email to staff announcing an event: to named users and/or the project's sales managers. */
export interface LeadNotice {
  kind: LeadNoticeKind;
  /** Epoch ms: the touch's due time, where the notice is about one. */
  dueAt?: number;
  recipients: { userIds?: string[]; salesManagers?: boolean };
}
