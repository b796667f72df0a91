/**
 * The vocabulary of lead follow-up (DESIGN.md section 2). Pure: shared by the lead workflow, the
 * API's schemas and the console.
 */

/** A: buying within 1–3 months and can pay; B: plans to buy, no date; C: interested, no plan. */
export const GRADES = ['A', 'B', 'C'] as const;
export type Grade = (typeof GRADES)[number];

/**
 * `new`: nobody has touched it yet; `contacting`: in its cadence; `pooled`: lapsed, waiting in the
 * project's shared pool for a sales manager to reassign it; `converted`: became a sale;
 * `lost_pending_review`: its owner marked it lost, the sales manager decides; `closed`: done.
 */
export const LEAD_STATUSES = ['new', 'contacting', 'pooled', 'converted', 'lost_pending_review', 'closed'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** Statuses in which the cadence runs (timers, reminders, pooling). */
export const OPEN_LEAD_STATUSES = ['new', 'contacting', 'pooled'] as const satisfies readonly LeadStatus[];

export const LEAD_SOURCES = ['web', 'wechat', 'portal', 'walk_in', 'event', 'referral', 'call'] as const;
export type LeadSource = (typeof LEAD_SOURCES)[number];

export const TOUCH_CHANNELS = ['phone', 'wechat', 'sms', 'email', 'visit', 'event'] as const;
export type TouchChannel = (typeof TOUCH_CHANNELS)[number];

/** What a touch achieved; `no_answer` still counts as a touch (the attempt is what the cadence asks for). */
export const TOUCH_OUTCOMES = ['reached', 'no_answer', 'interested', 'visit_booked', 'visited', 'negotiating', 'not_interested'] as const;
export type TouchOutcome = (typeof TOUCH_OUTCOMES)[number];

/** The sales manager's review of a lost lead: take it over (VIP), hand it to someone, or confirm it closed. */
export const REVIEW_DECISIONS = ['take_over', 'reassign', 'close'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** Who owns new leads of a grade (handbook: A by sales managers, B by sales, C by customer specialists). */
export const OWNER_ROLES = ['SALES_MANAGER', 'SALES', 'SPECIALIST'] as const;
export type LeadOwnerRole = (typeof OWNER_ROLES)[number];

const includes = <T extends string>(values: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (values as readonly string[]).includes(value);

export const isGrade = (value: unknown): value is Grade => includes(GRADES, value);
export const isLeadStatus = (value: unknown): value is LeadStatus => includes(LEAD_STATUSES, value);
export const isOwnerRole = (value: unknown): value is LeadOwnerRole => includes(OWNER_ROLES, value);
export const isOpenLeadStatus = (status: LeadStatus): boolean => (OPEN_LEAD_STATUSES as readonly string[]).includes(status);
