import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { allHandlersFinished, ApplicationFailure, condition, continueAsNew, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities, LeadNoticeKind } from '../../activities/index.js';
import { cadenceOf, gradeEndsAt, nextPoolReminderAt, openWindow, type CadencePolicy } from '../../domain/leads/cadence.js';
import { isGrade, type Grade } from '../../domain/leads/types.js';
import { NON_RETRYABLE_FAILURE_TYPES } from '../failures.js';
import {
  assignLead,
  convertLead,
  getLeadState,
  logTouch,
  markLeadLost,
  regradeLead,
  reviewLostLead,
  type Actor,
  type LeadFollowUpInput,
  type LeadRejection,
  type LeadState,
} from './lead-follow-up.defs.js';

// Idempotent writes against PostgreSQL: keep retrying through an outage, backing off to a minute.
const { recordAuditEvent, projectLead } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES] },
});
const { notifyLeadStaff } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES] },
});

/** Typed keys of the search attributes registered in platform/temporal/search-attributes.ts: ids and states only. */
export const LEAD_SEARCH_ATTRIBUTES = {
  LeadStatus: defineSearchAttributeKey('LeadStatus', SearchAttributeType.KEYWORD),
  LeadGrade: defineSearchAttributeKey('LeadGrade', SearchAttributeType.KEYWORD),
  ProjectId: defineSearchAttributeKey('ProjectId', SearchAttributeType.KEYWORD),
  AssigneeId: defineSearchAttributeKey('AssigneeId', SearchAttributeType.KEYWORD),
} as const;

const DEFAULT_HISTORY_LIMIT = 2_000;

type AuditData = Record<string, string | number | boolean | null>;
interface NoticeSpec {
  kind: LeadNoticeKind;
  dueAt?: number;
  recipients: { userIds?: string[]; salesManagers?: boolean };
}
type Effect =
  | { kind: 'audit'; seq: number; type: string; actor: Actor; at: number; data: AuditData }
  | { kind: 'notify'; seq: number; notice: NoticeSpec };

function reject(type: LeadRejection, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

/**
 * One lead, from arrival until it converts or is closed: months to years, so the workflow
 * continues as new whenever its history grows long, carrying its state.
 *
 * Decisions worth knowing (documented for the API and the console):
 * - The cadence is a chain of windows (domain/leads/cadence.ts). A window opens at arrival, at each
 *   logged touch, at a re-grade (manual or the B → C drop) and at a (re)assignment; its touch is
 *   due `firstContact` after it opens while the lead was never touched, `interval` after otherwise.
 * - At the due time the owner is emailed a reminder; when the due touch is the first contact, the
 *   sales managers are told it was missed. One whole `interval` later without a touch the lead
 *   returns to the project's pool (no owner); the sales managers are told, and reminded once per
 *   interval for as long as it waits there, so no open lead goes unnoticed for a month.
 * - Grades never change the owner: assignment by grade applies to new leads. Re-grading keeps the
 *   history (touches, first-contact record) and starts the new grade's window at once.
 * - Converting ends the workflow (the sale's own process starts from the conversion); a lost lead
 *   waits for the sales manager's review, whose `close` ends it.
 */
export async function leadFollowUp(input: LeadFollowUpInput): Promise<LeadState> {
  const workflowId = workflowInfo().workflowId;
  const now0 = Date.now();
  const { timeZone } = input;
  const policyOf = (grade: Grade) => cadenceOf({ policies: state.policies, grade });

  const state: LeadState = input.carried
    ? { ...input.carried, runs: input.carried.runs + 1 }
    : (() => {
        const policy = cadenceOf({ policies: input.policies, grade: input.grade });
        const window = openWindow({ policy, timeZone, at: now0, contacted: false });
        return {
          leadId: input.leadId,
          leadNumber: input.leadNumber,
          status: input.ownerId ? 'new' : 'pooled',
          grade: input.grade,
          gradeSince: now0,
          ownerId: input.ownerId,
          policies: input.policies,
          window: input.ownerId ? window : null,
          reminded: false,
          firstContactDueAt: window.dueAt,
          firstContactMissedAt: null,
          firstTouchAt: null,
          lastTouchAt: null,
          touchCount: 0,
          pooledAt: input.ownerId ? null : now0,
          poolReminderAt: input.ownerId ? null : nextPoolReminderAt({ policy, timeZone, since: now0 }),
          loss: null,
          conversion: null,
          seq: 0,
          createdAt: now0,
          closedAt: null,
          runs: 1,
        } satisfies LeadState;
      })();

  const queue: Effect[] = [];
  let projectedSeq = input.carried ? input.carried.seq : 0;

  const emit = (type: string, actor: Actor, data: AuditData, notice?: NoticeSpec) => {
    const seq = ++state.seq;
    queue.push({ kind: 'audit', seq, type, actor, at: Date.now(), data });
    if (notice && ((notice.recipients.userIds?.length ?? 0) > 0 || notice.recipients.salesManagers)) queue.push({ kind: 'notify', seq, notice });
  };
  const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
  const snapshot = (): LeadState => JSON.parse(JSON.stringify(state)) as LeadState;
  const isEnded = () => state.status === 'converted' || state.status === 'closed';
  const adoptPolicies = (policies: CadencePolicy[] | undefined) => {
    if (policies && policies.length) state.policies = policies;
  };

  /** Starts a fresh window of the current grade's cadence for the lead's owner. */
  const startWindow = (at: number) => {
    state.window = openWindow({ policy: policyOf(state.grade), timeZone, at, contacted: state.touchCount > 0 });
    state.reminded = false;
  };
  const leavePool = () => {
    state.pooledAt = null;
    state.poolReminderAt = null;
  };
  /** Hands the lead to an owner: out of the pool, back into its cadence with a fresh window. */
  const giveTo = (ownerId: string, at: number) => {
    state.ownerId = ownerId;
    state.status = state.touchCount > 0 ? 'contacting' : 'new';
    leavePool();
    startWindow(at);
  };

  // ------------------------------------------------------------------------------------------
  // Timers: record what is due now. Returns whether anything was.

  const fireDue = (): boolean => {
    const now = Date.now();
    let fired = false;
    const ends = state.status !== 'lost_pending_review' ? gradeEndsAt({ policy: policyOf(state.grade), timeZone, gradeSince: state.gradeSince }) : null;
    const policy = policyOf(state.grade);
    if (ends !== null && ends <= now && policy.dropTo) {
      fired = true;
      const from = state.grade;
      state.grade = policy.dropTo;
      state.gradeSince = now;
      if (state.window) startWindow(now);
      if (state.pooledAt !== null) state.poolReminderAt = nextPoolReminderAt({ policy: policyOf(state.grade), timeZone, since: now });
      emit('lead.regraded', 'system', { from, to: state.grade, reason: 'cadence_ended', nextTouchDueAt: iso(state.window?.dueAt) });
    }
    const w = state.window;
    if (w && !state.reminded && w.dueAt <= now) {
      fired = true;
      state.reminded = true;
      emit('lead.touch_due', 'system', { ownerId: state.ownerId, dueAt: iso(w.dueAt), firstContact: w.firstContact }, { kind: w.firstContact ? 'first_contact_due' : 'touch_due', dueAt: w.dueAt, recipients: { userIds: state.ownerId ? [state.ownerId] : [] } });
      if (w.firstContact && state.firstContactMissedAt === null) {
        state.firstContactMissedAt = now;
        emit('lead.first_contact_missed', 'system', { ownerId: state.ownerId, dueAt: iso(w.dueAt) }, { kind: 'first_contact_missed', dueAt: w.dueAt, recipients: { salesManagers: true } });
      }
    }
    if (w && w.lapsesAt <= now) {
      fired = true;
      const previousOwnerId = state.ownerId;
      state.status = 'pooled';
      state.ownerId = null;
      state.window = null;
      state.pooledAt = now;
      state.poolReminderAt = nextPoolReminderAt({ policy: policyOf(state.grade), timeZone, since: now });
      emit('lead.pooled', 'system', { previousOwnerId, dueAt: iso(w.dueAt), lapsedAt: iso(w.lapsesAt) }, { kind: 'pooled', recipients: { salesManagers: true } });
    }
    if (state.status === 'pooled' && state.poolReminderAt !== null && state.poolReminderAt <= now) {
      fired = true;
      const waitingSince = state.pooledAt;
      state.poolReminderAt = nextPoolReminderAt({ policy: policyOf(state.grade), timeZone, since: now });
      emit('lead.pool_reminder', 'system', { pooledAt: iso(waitingSince) }, { kind: 'pool_reminder', recipients: { salesManagers: true } });
    }
    return fired;
  };

  const nextWakeAt = (): number | null => {
    const c: number[] = [];
    if (state.window) {
      if (!state.reminded) c.push(state.window.dueAt);
      c.push(state.window.lapsesAt);
    }
    if (state.status === 'pooled' && state.poolReminderAt !== null) c.push(state.poolReminderAt);
    if (state.status !== 'lost_pending_review' && !isEnded()) {
      const ends = gradeEndsAt({ policy: policyOf(state.grade), timeZone, gradeSince: state.gradeSince });
      if (ends !== null) c.push(ends);
    }
    return c.length ? Math.min(...c) : null;
  };

  // ------------------------------------------------------------------------------------------
  // Validators

  const assertActor = (actor: unknown) => {
    if (typeof actor !== 'string' || actor.trim() === '') reject('INVALID_ACTION', 'the acting user is required');
  };
  const assertOpen = (actor: unknown) => {
    assertActor(actor);
    if (isEnded()) reject('LEAD_ENDED', `lead ${state.leadNumber} is ${state.status}`);
    if (state.status === 'lost_pending_review') reject('LEAD_PENDING_REVIEW', `lead ${state.leadNumber} is waiting for the sales manager's review`);
  };
  const assertOwned = () => {
    if (state.status === 'pooled') reject('LEAD_POOLED', `lead ${state.leadNumber} is in the pool: a sales manager assigns it first`);
  };
  const assertUserId = (id: unknown, what: string) => {
    if (typeof id !== 'string' || id.trim() === '') reject('INVALID_ACTION', `${what} is required`);
  };

  // ------------------------------------------------------------------------------------------
  // Updates

  setHandler(
    logTouch,
    ({ actor, channel, outcome, note, nextStep }) => {
      const now = Date.now();
      const first = state.touchCount === 0;
      const withinTarget = first ? now <= state.firstContactDueAt : null;
      state.touchCount++;
      state.lastTouchAt = now;
      if (first) state.firstTouchAt = now;
      state.status = 'contacting';
      startWindow(now);
      emit('lead.touched', actor, { channel, outcome, note: note ?? null, nextStep: nextStep ?? null, firstContact: first, withinTarget, nextTouchDueAt: iso(state.window!.dueAt) });
      return snapshot();
    },
    {
      validator: ({ actor }) => {
        assertOpen(actor);
        assertOwned();
      },
    },
  );

  setHandler(
    regradeLead,
    ({ actor, grade, policies }) => {
      const now = Date.now();
      adoptPolicies(policies);
      const from = state.grade;
      state.grade = grade;
      state.gradeSince = now;
      if (state.status !== 'pooled') startWindow(now);
      else state.poolReminderAt = nextPoolReminderAt({ policy: policyOf(grade), timeZone, since: now });
      emit('lead.regraded', actor, { from, to: grade, reason: 'manual', nextTouchDueAt: iso(state.window?.dueAt) });
      return snapshot();
    },
    {
      validator: ({ actor, grade }) => {
        assertOpen(actor);
        if (!isGrade(grade)) reject('INVALID_ACTION', 'grade must be A, B or C');
        if (grade === state.grade) reject('LEAD_SAME_GRADE', `lead ${state.leadNumber} is already grade ${grade}`);
      },
    },
  );

  setHandler(
    assignLead,
    ({ actor, ownerId, policies }) => {
      const now = Date.now();
      adoptPolicies(policies);
      const previousOwnerId = state.ownerId;
      const fromPool = state.status === 'pooled';
      giveTo(ownerId, now);
      emit('lead.assigned', actor, { ownerId, previousOwnerId, fromPool, nextTouchDueAt: iso(state.window!.dueAt) }, { kind: 'assigned', dueAt: state.window!.dueAt, recipients: { userIds: [ownerId] } });
      return snapshot();
    },
    {
      validator: ({ actor, ownerId }) => {
        assertOpen(actor);
        assertUserId(ownerId, 'the new owner');
        if (ownerId === state.ownerId) reject('LEAD_SAME_OWNER', `lead ${state.leadNumber} is already theirs`);
      },
    },
  );

  setHandler(
    convertLead,
    ({ actor, unitId, price, deposit }) => {
      const now = Date.now();
      state.status = 'converted';
      state.window = null;
      leavePool();
      state.conversion = { unitId, price, deposit, convertedAt: now, convertedBy: actor };
      state.closedAt = now;
      emit('lead.converted', actor, { unitId, price, deposit, ownerId: state.ownerId, touches: state.touchCount });
      return snapshot();
    },
    {
      validator: ({ actor, unitId, price, deposit }) => {
        assertOpen(actor);
        assertOwned();
        assertUserId(unitId, 'the unit');
        if (!/^\d+(\.\d{1,2})?$/.test(String(price)) || !/^\d+(\.\d{1,2})?$/.test(String(deposit))) reject('INVALID_ACTION', 'price and deposit are amounts in CNY');
      },
    },
  );

  setHandler(
    markLeadLost,
    ({ actor, reason, note }) => {
      const now = Date.now();
      state.status = 'lost_pending_review';
      state.window = null;
      leavePool();
      state.loss = { reason, note: note ?? null, lostAt: now, lostBy: actor, decision: null, decidedBy: null, decidedAt: null };
      emit('lead.lost', actor, { reason, note: note ?? null, ownerId: state.ownerId }, { kind: 'loss_review', recipients: { salesManagers: true } });
      return snapshot();
    },
    {
      validator: ({ actor, reason }) => {
        assertOpen(actor);
        if (typeof reason !== 'string' || reason.trim() === '') reject('INVALID_ACTION', 'a loss reason is required');
      },
    },
  );

  setHandler(
    reviewLostLead,
    ({ actor, decision, ownerId, policies }) => {
      const now = Date.now();
      adoptPolicies(policies);
      const loss = state.loss!;
      loss.decision = decision;
      loss.decidedBy = actor;
      loss.decidedAt = now;
      if (decision === 'close') {
        state.status = 'closed';
        state.closedAt = now;
        emit('lead.reviewed', actor, { decision, reason: loss.reason, ownerId: state.ownerId });
        emit('lead.closed', actor, { reason: loss.reason });
      } else {
        const newOwner = decision === 'take_over' ? actor : ownerId!;
        const previousOwnerId = state.ownerId;
        giveTo(newOwner, now);
        emit('lead.reviewed', actor, { decision, reason: loss.reason, ownerId: newOwner, previousOwnerId, nextTouchDueAt: iso(state.window!.dueAt) }, newOwner !== actor ? { kind: 'assigned', dueAt: state.window!.dueAt, recipients: { userIds: [newOwner] } } : undefined);
      }
      return snapshot();
    },
    {
      validator: ({ actor, decision, ownerId }) => {
        assertActor(actor);
        if (isEnded()) reject('LEAD_ENDED', `lead ${state.leadNumber} is ${state.status}`);
        if (state.status !== 'lost_pending_review') reject('LEAD_NOT_LOST', `lead ${state.leadNumber} is not waiting for a loss review`);
        if (decision !== 'take_over' && decision !== 'reassign' && decision !== 'close') reject('INVALID_ACTION', 'decision must be take_over, reassign or close');
        if (decision === 'reassign') assertUserId(ownerId, 'the new owner');
      },
    },
  );

  setHandler(getLeadState, () => snapshot());

  // ------------------------------------------------------------------------------------------
  // Arrival

  if (!input.carried) {
    emit(
      'lead.created',
      input.createdBy,
      {
        leadNumber: input.leadNumber,
        source: input.source,
        grade: input.grade,
        ownerId: input.ownerId,
        referrerCustomerId: input.referrerCustomerId,
        firstContactDueAt: iso(state.firstContactDueAt),
      },
      input.ownerId ? { kind: 'assigned', dueAt: state.firstContactDueAt, recipients: { userIds: [input.ownerId] } } : { kind: 'pooled', recipients: { salesManagers: true } },
    );
  }

  let published: Record<string, string | null> = {};
  const publishSearchAttributes = () => {
    const values: Record<keyof typeof LEAD_SEARCH_ATTRIBUTES, string | null> = {
      LeadStatus: state.status,
      LeadGrade: state.grade,
      ProjectId: input.projectId,
      AssigneeId: state.ownerId,
    };
    const changed = (Object.keys(values) as Array<keyof typeof values>).filter((k) => values[k] !== published[k]);
    if (changed.length === 0) return;
    upsertSearchAttributes(changed.map((k) => ({ key: LEAD_SEARCH_ATTRIBUTES[k], value: values[k] })));
    published = { ...published, ...values };
  };
  publishSearchAttributes();

  const drain = async () => {
    for (;;) {
      const effect = queue[0];
      if (effect) {
        if (effect.kind === 'audit') {
          await recordAuditEvent({ streamId: workflowId, seq: effect.seq, type: effect.type, actor: effect.actor, at: new Date(effect.at).toISOString(), data: effect.data, groupId: input.groupId });
        } else {
          await notifyLeadStaff({
            ...effect.notice,
            leadId: input.leadId,
            leadNumber: input.leadNumber,
            grade: state.grade,
            groupId: input.groupId,
            companyId: input.companyId,
            projectId: input.projectId,
            idempotencyKeyBase: `${workflowId}:${effect.seq}`,
          });
        }
        queue.shift();
        continue;
      }
      publishSearchAttributes();
      if (state.seq <= projectedSeq) return;
      const seq = state.seq;
      await projectLead({ leadId: input.leadId, seq, state: snapshot() });
      projectedSeq = seq;
    }
  };

  // ------------------------------------------------------------------------------------------
  // Main loop

  const historyLimit = input.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const shouldContinueAsNew = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= historyLimit;
  while (!isEnded()) {
    await drain();
    if (isEnded()) break;
    if (shouldContinueAsNew()) {
      // Let running Update handlers finish and their effects land before the state moves on.
      await condition(allHandlersFinished);
      await drain();
      if (!isEnded()) {
        const { carried: _previous, ...rest } = input;
        await continueAsNew<typeof leadFollowUp>({ ...rest, policies: state.policies, carried: snapshot() });
      }
      break;
    }
    const wakeAt = nextWakeAt();
    if (wakeAt === null) {
      await condition(() => queue.length > 0 || isEnded());
      continue;
    }
    const delay = wakeAt - Date.now();
    if (delay > 0 && (await condition(() => queue.length > 0 || isEnded(), delay))) continue;
    if (!fireDue() && queue.length === 0) await condition(() => queue.length > 0, 1000);
  }
  await condition(allHandlersFinished);
  await drain();
  return snapshot();
}
