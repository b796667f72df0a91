/**
 * The state of one work order as its workflow keeps it, queries return it and the read model
 * stores it (plain JSON), with the codes its Updates refuse with and the notices it sends. The
 * rules that change it are in work-order-process.ts.
 *
 * Personal data stays out: no owner name or phone, no coordinates of a check-in, no result text
 * or materials. Those live in read-model rows the Updates name by id (`locationId`, `resultId`,
 * `signOffId`); photos are content keys.
 */
import type { BusinessCalendar } from '../cases/business-calendar.js';
import type { Quote } from '../warranty/quote.js';
import type { WarrantyBasis } from '../warranty/coverage.js';
import type { WarrantyClause } from '../warranty/statutory-periods.js';
import type { Actor } from '../process.js';

export const WORK_ORDER_STATUSES = [
  /** Out of warranty: waiting for a quote and the owner's answer to it. */
  'awaiting_quote',
  /** Dispatchable, nobody assigned yet (the default lookup found nobody, or is running). */
  'awaiting_assignment',
  /** Assigned; the current visit has no appointment yet. */
  'assigned',
  /** The current visit has an appointment with the owner. */
  'scheduled',
  /** Checked in on site; no result yet. */
  'on_site',
  /** A result is recorded; waiting for the owner's sign-off. */
  'awaiting_sign_off',
  'done',
  'cancelled',
] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

/** Who does the work: an in-house technician (a user) or a contractor company. */
export type WorkOrderAssignee = { kind: 'technician'; userId: string } | { kind: 'contractor'; companyId: string };

/** The warranty verdict the order was created with (domain/warranty), and the contractor's. */
export interface WorkOrderWarranty {
  /** 保内 (true) / 保外 (false) for the owner: whether the repair is free for them. */
  covered: boolean;
  label: '保内' | '保外';
  /** The first instant no longer covered; null without any period. */
  endsAt: number | null;
  /** The last covered day, China time (YYYY-MM-DD). */
  lastDay: string | null;
  clause: WarrantyClause;
  basis: WarrantyBasis;
  /** Whether the construction warranty (条例 art. 40, the builder's and its contractors') still covers the defect: the charge-back rule. */
  contractorCovered: boolean;
}

/** The on-site arrival policy of a work order (issue 15: urgent in 4 working hours, else the next working day). */
export interface ArrivalPolicy {
  /** Category codes (or prefixes of them) that are urgent: a leak cannot wait for tomorrow. */
  urgentCategories: string[];
  /** Working hours an urgent order has to be on site, counted from its visit's opening. */
  urgentWorkingHours: number;
  /** How long before the arrival target the assignee is warned, in minutes. */
  warnBeforeMinutes: number;
}

export const DEFAULT_ARRIVAL_POLICY: ArrivalPolicy = {
  urgentCategories: ['complaint.quality.leakage', 'repair.plumbing.leak', 'repair.waterproofing', 'repair.electrical.power'],
  urgentWorkingHours: 4,
  warnBeforeMinutes: 60,
};

export type VisitReason = 'first' | 'rework' | 'no_show';
export type NoShowParty = 'technician' | 'owner';
export type VisitOutcome = 'signed_off' | 'rejected' | 'no_show_technician' | 'no_show_owner' | 'cancelled';

/** One trip to the home: opened at dispatch, after a rejected sign-off (rework) or a no-show. */
export interface WorkOrderVisit {
  number: number;
  reason: VisitReason;
  openedAt: number;
  /** Where the arrival target counts from: the opening, or the last reassignment. */
  targetFrom: number;
  /** The owner's slot, epoch ms. */
  appointment: { start: number; end: number } | null;
  /** The on-site arrival target: the policy's from the visit's opening, or the slot's end when later. */
  arrivalDueAt: number;
  warnAt: number;
  warnedAt: number | null;
  breachedAt: number | null;
  checkedInAt: number | null;
  /** The check-in carried a geolocation: the coordinates are in the read-model row of this id. */
  locationId: string | null;
  /** Arrived by the arrival target. */
  onTime: boolean | null;
  /** The result's read-model row (text, materials) and its photos by content key. */
  resultId: string | null;
  photoIds: string[];
  /** Cost of this visit's repair (materials and labour), whole fen. */
  costFen: number;
  resultAt: number | null;
  signOffId: string | null;
  outcome: VisitOutcome | null;
  closedAt: number | null;
}

export interface WorkOrderChargeBack {
  contractorCompanyId: string;
  amountFen: number;
  recordedAt: number;
}

export interface WorkOrderState {
  workOrderId: string;
  workOrderNumber: string;
  caseId: string;
  category: string;
  /** The trade (专业) that decides the responsible contractor, e.g. `waterproofing`. */
  trade: string;
  buildingId: string | null;
  unitId: string | null;
  status: WorkOrderStatus;
  warranty: WorkOrderWarranty;
  /** Out of warranty: the quote and the owner's answer. */
  quote: (Quote & { issuedAt: number; issuedBy: Actor; answeredAt: number | null }) | null;
  assignee: WorkOrderAssignee | null;
  assignedAt: number | null;
  reassignments: number;
  /** The company whose construction warranty covers the defect (building × trade), when found. */
  responsibleContractorId: string | null;
  /** The case's resolution target: every appointment must end by it. */
  resolutionDueAt: number | null;
  urgent: boolean;
  policy: ArrivalPolicy;
  /**
   * The project's business calendar as a snapshot with its public-holiday schedule applied (what
   * `caseCalendarSnapshot` of app/cases/settings.ts makes for a case): the arithmetic reads only
   * its own days, so a schedule published later never moves a running order's targets.
   */
  calendar: BusinessCalendar;
  visits: WorkOrderVisit[];
  reworks: number;
  noShows: number;
  /** Arrival targets missed, over all visits (a moved target may be missed again). */
  arrivalBreaches: number;
  chargeBack: WorkOrderChargeBack | null;
  /** Why the order ended without a repair: `quote_refused` (the case closes with it) or a dispatcher's reason. */
  outcome: 'done' | 'quote_refused' | 'cancelled' | null;
  cancelReason: string | null;
  seq: number;
  createdAt: number;
  closedAt: number | null;
  runs: number;
}

/** Why an action was refused: the API answers 409 with this code. */
export const WORK_ORDER_REJECTIONS = [
  'WORK_ORDER_ENDED',
  'WORK_ORDER_WRONG_STAGE',
  'WORK_ORDER_QUOTE_NOT_NEEDED',
  'WORK_ORDER_QUOTE_INVALID',
  'WORK_ORDER_NO_QUOTE',
  'WORK_ORDER_SAME_ASSIGNEE',
  'WORK_ORDER_SLOT_OUTSIDE_TARGET',
  'WORK_ORDER_SLOT_IN_PAST',
  'INVALID_ACTION',
] as const;
export type WorkOrderRejection = (typeof WORK_ORDER_REJECTIONS)[number];

export const WORK_ORDER_NOTICE_KINDS = [
  'assigned',
  'unassigned',
  'unassigned_away',
  'appointment_booked',
  'arrival_warning',
  'arrival_breached',
  'no_show',
  'rework',
  'quote_refused',
  'charge_back',
] as const;
export type WorkOrderNoticeKind = (typeof WORK_ORDER_NOTICE_KINDS)[number];

/** An email to staff: named users, a contractor company's staff and/or the project's dispatchers. */
export interface WorkOrderNotice {
  kind: WorkOrderNoticeKind;
  /** Epoch ms: the arrival target or the appointment the notice is about. */
  dueAt?: number;
  recipients: { userIds?: string[]; contractorCompanyId?: string; dispatchers?: boolean };
}
