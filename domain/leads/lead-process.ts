/**
 * The rules of one lead's follow-up (DESIGN.md §2) as a pure reducer, from arrival until it
 * converts or is closed. The `leadFollowUp` workflow is wiring around it
 * (workflows/leads/lead-follow-up.ts); leads live for months to years, so it continues as new.
 *
 * Decisions worth knowing (documented for the API and the console):
 * - The cadence is a chain of windows (cadence.ts). A window opens at arrival, at each logged
 *   touch, at a re-grade (manual or the B → C drop) and at a (re)assignment; its touch is due
 *   `firstContact` after it opens while the lead was never touched, `interval` after otherwise.
 * - At the due time the owner is emailed a reminder; when the due touch is the first contact, the
 *   sales managers are told it was missed. One whole `interval` later without a touch the lead
 *   returns to the project's pool (no owner); the sales managers are told, and reminded once per
 *   interval for as long as it waits there, so no open lead goes unnoticed for a month.
 * - Grades never change the owner: assignment by grade applies to new leads. Re-grading keeps the
 *   history (touches, first-contact record) and starts the new grade's window at once.
 * - Converting ends the process (the sale's own process starts from the conversion); a lost lead
 *   waits for the sales manager's review, whose `close` ends it.
 */
import { cadenceOf, gradeEndsAt, nextPoolReminderAt, openWindow, type CadencePolicy } from './cadence.js';
import type { LeadNotice, LeadState } from './lead-state.js';
import { isGrade, type Grade, type LeadSource, type ReviewDecision, type TouchChannel, type TouchOutcome } from './types.js';
import { isoOrNull as iso, isText, refuse, transition, type ActionBase, type Actor, type CommandOf, type Outbox, type Transition } from '../process.js';

/** What creating a lead records (the workflow's input, less what only the wiring needs). */
export interface LeadArrival {
  leadId: string;
  leadNumber: string;
  source: LeadSource;
  grade: Grade;
  ownerId: string | null;
  referrerCustomerId: string | null;
  createdBy: Actor;
  policies: CadencePolicy[];
}

/** Opening a new window may bring the organisation's current cadences. */
interface WithPolicies {
  policies?: CadencePolicy[];
}
/** What people do to a lead, by name: the workflow's Updates, one to one, and their arguments. */
export interface LeadCommandArgs {
  logTouch: ActionBase & { channel: TouchChannel; outcome: TouchOutcome; note?: string; nextStep?: string };
  regradeLead: ActionBase & WithPolicies & { grade: Grade };
  assignLead: ActionBase & WithPolicies & { ownerId: string };
  convertLead: ActionBase & { unitId: string; price: string; deposit: string };
  markLeadLost: ActionBase & { reason: string; note?: string };
  reviewLostLead: ActionBase & WithPolicies & { decision: ReviewDecision; ownerId?: string };
}
export type LeadCommand = CommandOf<LeadCommandArgs>;

export type LeadAction = LeadCommand | { type: 'create'; arrival: LeadArrival } | { type: 'tick' };

type Out = Outbox<LeadNotice, never>;

const hasRecipients = (n: LeadNotice) => (n.recipients.userIds?.length ?? 0) > 0 || n.recipients.salesManagers === true;

export const isLeadEnded = (s: Pick<LeadState, 'status'>) => s.status === 'converted' || s.status === 'closed';

/** The lead's rules on the calendar of its project's time zone (cadences are added there: `P1M` = same day next month). */
export function leadProcess(timeZone: string) {
  const policyOf = (s: LeadState, grade: Grade = s.grade) => cadenceOf({ policies: s.policies, grade });

  /** The state of a lead just arrived (or of the next run, carried over by continue-as-new). */
  const initialState = (a: LeadArrival, now: number): LeadState => {
    const policy = cadenceOf({ policies: a.policies, grade: a.grade });
    const window = openWindow({ policy, timeZone, at: now, contacted: false });
    return {
      leadId: a.leadId,
      leadNumber: a.leadNumber,
      status: a.ownerId ? 'new' : 'pooled',
      grade: a.grade,
      gradeSince: now,
      ownerId: a.ownerId,
      policies: a.policies,
      window: a.ownerId ? window : null,
      reminded: false,
      firstContactDueAt: window.dueAt,
      firstContactMissedAt: null,
      firstTouchAt: null,
      lastTouchAt: null,
      touchCount: 0,
      pooledAt: a.ownerId ? null : now,
      poolReminderAt: a.ownerId ? null : nextPoolReminderAt({ policy, timeZone, since: now }),
      loss: null,
      conversion: null,
      seq: 0,
      createdAt: now,
      closedAt: null,
      runs: 1,
    };
  };

  const gradeEnds = (s: LeadState) => gradeEndsAt({ policy: policyOf(s), timeZone, gradeSince: s.gradeSince });

  /** The next instant a timer must wake the lead: a due touch, a lapse, a pool reminder or the grade's end. */
  const nextWakeAt = (s: LeadState): number | null => {
    const c: number[] = [];
    if (s.window) {
      if (!s.reminded) c.push(s.window.dueAt);
      c.push(s.window.lapsesAt);
    }
    if (s.status === 'pooled' && s.poolReminderAt !== null) c.push(s.poolReminderAt);
    if (s.status !== 'lost_pending_review' && !isLeadEnded(s)) {
      const ends = gradeEnds(s);
      if (ends !== null) c.push(ends);
    }
    return c.length ? Math.min(...c) : null;
  };

  const validate = (s: LeadState, c: LeadCommand): void => {
    if (!isText(c.actor)) refuse('INVALID_ACTION', 'the acting user is required');
    if (isLeadEnded(s)) refuse('LEAD_ENDED', `lead ${s.leadNumber} is ${s.status}`);
    if (c.type === 'reviewLostLead') {
      if (s.status !== 'lost_pending_review') refuse('LEAD_NOT_LOST', `lead ${s.leadNumber} is not waiting for a loss review`);
      if (c.decision !== 'take_over' && c.decision !== 'reassign' && c.decision !== 'close') refuse('INVALID_ACTION', 'decision must be take_over, reassign or close');
      if (c.decision === 'reassign' && !isText(c.ownerId)) refuse('INVALID_ACTION', 'the new owner is required');
      return;
    }
    if (s.status === 'lost_pending_review') refuse('LEAD_PENDING_REVIEW', `lead ${s.leadNumber} is waiting for the sales manager's review`);
    const assertOwned = () => {
      if (s.status === 'pooled') refuse('LEAD_POOLED', `lead ${s.leadNumber} is in the pool: a sales manager assigns it first`);
    };
    switch (c.type) {
      case 'logTouch':
        return assertOwned();
      case 'regradeLead':
        if (!isGrade(c.grade)) refuse('INVALID_ACTION', 'grade must be A, B or C');
        if (c.grade === s.grade) refuse('LEAD_SAME_GRADE', `lead ${s.leadNumber} is already grade ${c.grade}`);
        return;
      case 'assignLead':
        if (!isText(c.ownerId)) refuse('INVALID_ACTION', 'the new owner is required');
        if (c.ownerId === s.ownerId) refuse('LEAD_SAME_OWNER', `lead ${s.leadNumber} is already theirs`);
        return;
      case 'convertLead':
        assertOwned();
        if (!isText(c.unitId)) refuse('INVALID_ACTION', 'the unit is required');
        if (!/^\d+(\.\d{1,2})?$/.test(String(c.price)) || !/^\d+(\.\d{1,2})?$/.test(String(c.deposit))) refuse('INVALID_ACTION', 'price and deposit are amounts in CNY');
        return;
      case 'markLeadLost':
        if (!isText(c.reason)) refuse('INVALID_ACTION', 'a loss reason is required');
        return;
    }
  };

  /** Starts a fresh window of the current grade's cadence for the lead's owner. */
  const startWindow = (s: LeadState, at: number) => {
    s.window = openWindow({ policy: policyOf(s), timeZone, at, contacted: s.touchCount > 0 });
    s.reminded = false;
  };
  const leavePool = (s: LeadState) => {
    s.pooledAt = null;
    s.poolReminderAt = null;
  };
  /** Hands the lead to an owner: out of the pool, back into its cadence with a fresh window. */
  const giveTo = (s: LeadState, ownerId: string, at: number) => {
    s.ownerId = ownerId;
    s.status = s.touchCount > 0 ? 'contacting' : 'new';
    leavePool(s);
    startWindow(s, at);
  };
  const adoptPolicies = (s: LeadState, policies: CadencePolicy[] | undefined) => {
    if (policies && policies.length) s.policies = policies;
  };

  /** Records what is due now: the grade's end, a due touch, a lapse into the pool, a pool reminder. */
  const fireDue = (s: LeadState, out: Out, now: number) => {
    const ends = s.status !== 'lost_pending_review' ? gradeEnds(s) : null;
    const policy = policyOf(s);
    if (ends !== null && ends <= now && policy.dropTo) {
      const from = s.grade;
      s.grade = policy.dropTo;
      s.gradeSince = now;
      if (s.window) startWindow(s, now);
      if (s.pooledAt !== null) s.poolReminderAt = nextPoolReminderAt({ policy: policyOf(s), timeZone, since: now });
      out.emit('lead.regraded', 'system', { from, to: s.grade, reason: 'cadence_ended', nextTouchDueAt: iso(s.window?.dueAt) });
    }
    const w = s.window;
    if (w && !s.reminded && w.dueAt <= now) {
      s.reminded = true;
      out.emit(
        'lead.touch_due',
        'system',
        { ownerId: s.ownerId, dueAt: iso(w.dueAt), firstContact: w.firstContact },
        { kind: w.firstContact ? 'first_contact_due' : 'touch_due', dueAt: w.dueAt, recipients: { userIds: s.ownerId ? [s.ownerId] : [] } },
      );
      if (w.firstContact && s.firstContactMissedAt === null) {
        s.firstContactMissedAt = now;
        out.emit('lead.first_contact_missed', 'system', { ownerId: s.ownerId, dueAt: iso(w.dueAt) }, { kind: 'first_contact_missed', dueAt: w.dueAt, recipients: { salesManagers: true } });
      }
    }
    if (w && w.lapsesAt <= now) {
      const previousOwnerId = s.ownerId;
      s.status = 'pooled';
      s.ownerId = null;
      s.window = null;
      s.pooledAt = now;
      s.poolReminderAt = nextPoolReminderAt({ policy: policyOf(s), timeZone, since: now });
      out.emit('lead.pooled', 'system', { previousOwnerId, dueAt: iso(w.dueAt), lapsedAt: iso(w.lapsesAt) }, { kind: 'pooled', recipients: { salesManagers: true } });
    }
    if (s.status === 'pooled' && s.poolReminderAt !== null && s.poolReminderAt <= now) {
      const waitingSince = s.pooledAt;
      s.poolReminderAt = nextPoolReminderAt({ policy: policyOf(s), timeZone, since: now });
      out.emit('lead.pool_reminder', 'system', { pooledAt: iso(waitingSince) }, { kind: 'pool_reminder', recipients: { salesManagers: true } });
    }
  };

  /** The lead's reducer. Commands are assumed valid (`validate` ran first). */
  const reduce = (state: LeadState, action: LeadAction, now: number): Transition<LeadState, LeadNotice> =>
    transition<LeadState, LeadNotice>(
      state,
      (s, out) => {
        switch (action.type) {
          case 'create': {
            const a = action.arrival;
            out.emit(
              'lead.created',
              a.createdBy,
              { leadNumber: a.leadNumber, source: a.source, grade: a.grade, ownerId: a.ownerId, referrerCustomerId: a.referrerCustomerId, firstContactDueAt: iso(s.firstContactDueAt) },
              a.ownerId ? { kind: 'assigned', dueAt: s.firstContactDueAt, recipients: { userIds: [a.ownerId] } } : { kind: 'pooled', recipients: { salesManagers: true } },
            );
            return;
          }
          case 'tick':
            return fireDue(s, out, now);
          case 'logTouch': {
            const first = s.touchCount === 0;
            const withinTarget = first ? now <= s.firstContactDueAt : null;
            s.touchCount++;
            s.lastTouchAt = now;
            if (first) s.firstTouchAt = now;
            s.status = 'contacting';
            startWindow(s, now);
            const { actor, channel, outcome, note, nextStep } = action;
            out.emit('lead.touched', actor, { channel, outcome, note: note ?? null, nextStep: nextStep ?? null, firstContact: first, withinTarget, nextTouchDueAt: iso(s.window!.dueAt) });
            return;
          }
          case 'regradeLead': {
            adoptPolicies(s, action.policies);
            const from = s.grade;
            s.grade = action.grade;
            s.gradeSince = now;
            if (s.status !== 'pooled') startWindow(s, now);
            else s.poolReminderAt = nextPoolReminderAt({ policy: policyOf(s), timeZone, since: now });
            out.emit('lead.regraded', action.actor, { from, to: action.grade, reason: 'manual', nextTouchDueAt: iso(s.window?.dueAt) });
            return;
          }
          case 'assignLead': {
            const { actor, ownerId } = action;
            adoptPolicies(s, action.policies);
            const previousOwnerId = s.ownerId;
            const fromPool = s.status === 'pooled';
            giveTo(s, ownerId, now);
            out.emit('lead.assigned', actor, { ownerId, previousOwnerId, fromPool, nextTouchDueAt: iso(s.window!.dueAt) }, { kind: 'assigned', dueAt: s.window!.dueAt, recipients: { userIds: [ownerId] } });
            return;
          }
          case 'convertLead': {
            const { actor, unitId, price, deposit } = action;
            s.status = 'converted';
            s.window = null;
            leavePool(s);
            s.conversion = { unitId, price, deposit, convertedAt: now, convertedBy: actor };
            s.closedAt = now;
            out.emit('lead.converted', actor, { unitId, price, deposit, ownerId: s.ownerId, touches: s.touchCount });
            return;
          }
          case 'markLeadLost': {
            const { actor, reason, note } = action;
            s.status = 'lost_pending_review';
            s.window = null;
            leavePool(s);
            s.loss = { reason, note: note ?? null, lostAt: now, lostBy: actor, decision: null, decidedBy: null, decidedAt: null };
            out.emit('lead.lost', actor, { reason, note: note ?? null, ownerId: s.ownerId }, { kind: 'loss_review', recipients: { salesManagers: true } });
            return;
          }
          case 'reviewLostLead': {
            const { actor, decision, ownerId } = action;
            adoptPolicies(s, action.policies);
            const loss = s.loss!;
            loss.decision = decision;
            loss.decidedBy = actor;
            loss.decidedAt = now;
            if (decision === 'close') {
              s.status = 'closed';
              s.closedAt = now;
              out.emit('lead.reviewed', actor, { decision, reason: loss.reason, ownerId: s.ownerId });
              out.emit('lead.closed', actor, { reason: loss.reason });
              return;
            }
            const newOwner = decision === 'take_over' ? actor : ownerId!;
            const previousOwnerId = s.ownerId;
            giveTo(s, newOwner, now);
            out.emit(
              'lead.reviewed',
              actor,
              { decision, reason: loss.reason, ownerId: newOwner, previousOwnerId, nextTouchDueAt: iso(s.window!.dueAt) },
              newOwner !== actor ? { kind: 'assigned', dueAt: s.window!.dueAt, recipients: { userIds: [newOwner] } } : undefined,
            );
            return;
          }
        }
      },
      hasRecipients,
    );

  return { initialState, nextWakeAt, validate, reduce };
}
