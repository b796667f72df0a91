import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities, NotifyCaseStaffInput } from '../../activities/index.js';
import type { BusinessCalendar } from '../../domain/cases/business-calendar.js';
import { CaseRuleError } from '../../domain/cases/errors.js';
import {
  approvalDeadline,
  earliestDeadline,
  isMetWithinTarget,
  meetTarget,
  pauseTarget,
  rebudgetTarget,
  recordDueEvents,
  resumeTarget,
  startTarget,
  targetBudget,
  type TargetClock,
} from '../../domain/cases/sla-clock.js';
import { isSatisfactory, isValidSatisfaction, type SlaPolicy } from '../../domain/cases/sla-policy.js';
import { isSeverity, nextTier, TARGETS, type CaseStatus, type TargetName, type Tier } from '../../domain/cases/types.js';
import { FailureType, NON_RETRYABLE_FAILURE_TYPES } from '../failures.js';
import {
  approveEscalation,
  changeCaseDetails,
  getCaseState,
  pauseClock,
  recordCallback,
  recordContact,
  rejectEscalation,
  requestEscalation,
  resolveCase,
  resumeClock,
  type Actor,
  type CaseRejection,
  type CaseState,
  type ComplaintCaseInput,
  type EscalationSource,
  type EscalationState,
  type TierPeriod,
} from './complaint-case.defs.js';
import { reportedDurationMs, slaStateOf } from './complaint-case.read.js';

// Reads and idempotent writes against PostgreSQL: the database may be down for a while, so keep
// retrying, backing off to a minute between attempts.
const { recordAuditEvent, projectCase, resolveCaseSla, pickCaseAssignee } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES] },
});

// SMTP can be slow; the activity itself skips mailboxes refused for good, anything else retries.
const { notifyCaseStaff } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES] },
});

/** Typed keys of the search attributes registered in platform/temporal/search-attributes.ts: ids and states only. */
export const CASE_SEARCH_ATTRIBUTES = {
  CaseStatus: defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD),
  CaseTier: defineSearchAttributeKey('CaseTier', SearchAttributeType.KEYWORD),
  SlaState: defineSearchAttributeKey('SlaState', SearchAttributeType.KEYWORD),
  ProjectId: defineSearchAttributeKey('ProjectId', SearchAttributeType.KEYWORD),
  CaseType: defineSearchAttributeKey('CaseType', SearchAttributeType.KEYWORD),
  AssigneeId: defineSearchAttributeKey('AssigneeId', SearchAttributeType.KEYWORD),
} as const;

type AuditData = Record<string, string | number | boolean | null>;
type NoticeSpec = Omit<NotifyCaseStaffInput, 'caseId' | 'caseNumber' | 'groupId' | 'projectId' | 'idempotencyKeyBase'>;

/**
 * Side effects, queued by update handlers and timers in the order the changes happened and run
 * one at a time by the main loop, so two concurrent updates never interleave their activities.
 * Audit sequence numbers are taken when an effect is queued, so rows are written in seq order.
 */
type Effect =
  | { kind: 'audit'; seq: number; type: string; actor: Actor; at: number; data: AuditData }
  | { kind: 'notify'; seq: number; notice: NoticeSpec }
  /** Work that needs activities before it can change the state (a tier move, picking an assignee). */
  | { kind: 'task'; run: () => Promise<void>; done: boolean };

const reject = (type: CaseRejection, message: string): never => {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
};

const emptyTargets = (): Record<TargetName, TargetClock | null> => ({ firstContact: null, resolution: null, callback: null });

/**
 * One complaint, repair or enquiry case (DESIGN.md §1, issue 3): it owns the case's SLA clocks,
 * its tier and its escalations. Human actions arrive as Updates whose validators refuse
 * wrong-state actions with a CASE_REJECTIONS code; warnings, breaches and undecided escalations
 * fire from durable timers at the instant they fall due. The read model and audit trail follow
 * through idempotent activities.
 *
 * Decisions worth knowing (documented for the API and reports):
 * - Each tier period has its own targets. Moving up a tier (approved or auto-escalated) starts a
 *   FRESH first-contact and resolution target for the new tier — its handler must contact the
 *   customer too — and the status returns to `open`. A case that is already resolved when it moves
 *   owes only the callback: the new tier gets a fresh callback target and stays `resolved`. A case
 *   waiting on the customer keeps waiting: the new targets start paused.
 * - An unsatisfied callback reopens the case in a new period at the same tier (`reason:
 *   'reopened'`) with a fresh resolution target and status `contacted`, so the first resolution
 *   stays in the record.
 * - At close, `firstContactMs`/`resolutionMs` are the durations (policy clock, pauses excluded)
 *   of the most recent met first-contact and resolution targets: the current tier's own, or the
 *   last tier that met them.
 * - A callback-target breach is recorded and emailed but raises no escalation (the case is
 *   resolved; the callback result decides). While paused no warning or breach fires, but an
 *   escalation's approval window keeps running: it is the supervisors' clock, not the customer's.
 */
export async function complaintCase(input: ComplaintCaseInput): Promise<CaseState> {
  const workflowId = workflowInfo().workflowId;
  const openedAt = Date.now();
  const unit = { groupId: input.groupId, companyId: input.companyId, projectId: input.projectId };

  const start = (name: TargetName, policy: SlaPolicy, calendar: BusinessCalendar | null, now: number): TargetClock => {
    try {
      return startTarget({ name, policy, calendar, now });
    } catch (err) {
      if (err instanceof CaseRuleError) {
        throw ApplicationFailure.create({ type: FailureType.INVALID_WORKFLOW_INPUT, message: `policy ${policy.id}: ${err.message}`, nonRetryable: true });
      }
      throw err;
    }
  };

  // First workflow task, before any await: the API queries the due times right after starting.
  const firstTargets = { ...emptyTargets(), firstContact: start('firstContact', input.policy, input.calendar, openedAt), resolution: start('resolution', input.policy, input.calendar, openedAt) };
  const state: CaseState = {
    caseId: input.caseId,
    caseNumber: input.caseNumber,
    status: 'open',
    tier: input.tier,
    severity: input.severity,
    category: input.category,
    assigneeId: input.assigneeId,
    policy: input.policy,
    targets: firstTargets,
    tiers: [{ tier: input.tier, enteredAt: openedAt, leftAt: null, policyId: input.policy.id, targets: { ...firstTargets }, assigneeId: input.assigneeId, reason: 'opened' }],
    escalations: [],
    satisfaction: null,
    firstContactMs: null,
    resolutionMs: null,
    seq: 0,
    openedAt,
    closedAt: null,
    calendar: input.calendar,
    pausedFrom: null,
    contactedAt: null,
    resolvedAt: null,
    slaState: 'on_track',
  };

  const queue: Effect[] = [];
  let projectedSeq = 0;
  /** Set from an approval (or auto-escalation) until the case has entered the new tier. */
  let movingTo: Tier | null = null;

  const period = (): TierPeriod => state.tiers[state.tiers.length - 1]!;
  const setTargets = (targets: Record<TargetName, TargetClock | null>) => {
    state.targets = targets;
    period().targets = { ...targets };
  };
  const mapTargets = (fn: (t: TargetClock) => TargetClock) =>
    setTargets(Object.fromEntries(TARGETS.map((n) => [n, state.targets[n] ? fn(state.targets[n]) : null])) as Record<TargetName, TargetClock | null>);
  const snapshot = (): CaseState => JSON.parse(JSON.stringify({ ...state, slaState: slaStateOf(state) })) as CaseState;
  const pending = (): EscalationState | undefined => state.escalations.find((e) => e.status === 'pending');
  const effectiveStatus = (): CaseStatus => (state.status === 'waiting_on_customer' ? (state.pausedFrom ?? 'open') : state.status);

  /** Records one change: the audit event, and the email announcing it (keyed by its seq). */
  const emit = (type: string, actor: Actor, data: AuditData, notice?: NoticeSpec) => {
    const seq = ++state.seq;
    queue.push({ kind: 'audit', seq, type, actor, at: Date.now(), data });
    const hasRecipients = notice && ((notice.recipients.userIds?.length ?? 0) > 0 || notice.recipients.supervisorsAt);
    if (notice && hasRecipients) queue.push({ kind: 'notify', seq, notice });
    return seq;
  };
  const toAssignee = (): string[] => (state.assigneeId ? [state.assigneeId] : []);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

  /** Queues activity work for the main loop; resolves once it has run (for handlers that return its outcome). */
  const runTask = (run: () => Promise<void>) => {
    const task: Effect = { kind: 'task', run, done: false };
    queue.push(task);
    return condition(() => task.done);
  };

  // ------------------------------------------------------------------------------------------
  // State changes (synchronous; each queues its audit event and emails)

  const raiseEscalation = (source: EscalationSource, reason: string, actor: Actor) => {
    const toTier = nextTier(state.tier);
    if (!toTier || pending() || movingTo) return;
    const now = Date.now();
    const escalation: EscalationState = {
      id: `${input.caseId}:esc:${state.escalations.length + 1}`,
      fromTier: state.tier,
      toTier,
      source,
      reason,
      requestedBy: actor,
      requestedAt: now,
      dueAt: approvalDeadline({ policy: state.policy, calendar: state.calendar ?? null, from: now }),
      status: 'pending',
      decidedBy: null,
      decidedAt: null,
      decisionNote: null,
    };
    state.escalations.push(escalation);
    emit(
      'escalation.requested',
      actor,
      { escalationId: escalation.id, source, reason, fromTier: escalation.fromTier, toTier, dueAt: iso(escalation.dueAt) },
      { kind: 'escalation_requested', tier: toTier, dueAt: escalation.dueAt, recipients: { supervisorsAt: { ...unit, tier: toTier } } },
    );
  };

  /** Enters the escalation's tier: fresh targets from that tier's policy, a handler of that tier. */
  const moveTier = (escalation: EscalationState) => {
    movingTo = escalation.toTier;
    void runTask(async () => {
      const toTier = escalation.toTier;
      const { policy, calendar } = await resolveCaseSla({ groupId: input.groupId, caseType: input.type, category: state.category, severity: state.severity, tier: toTier });
      const assigneeId = await pickCaseAssignee({ ...unit, tier: toTier });
      const now = Date.now();
      const fromTier = state.tier;
      // The old tier hands over: its unmet clocks stop where they are.
      mapTargets((t) => pauseTarget({ t, now }));
      period().leftAt = now;
      const owesCallbackOnly = effectiveStatus() === 'resolved';
      const targets = emptyTargets();
      if (owesCallbackOnly) {
        targets.callback = start('callback', policy, calendar, now);
      } else {
        targets.firstContact = start('firstContact', policy, calendar, now);
        targets.resolution = start('resolution', policy, calendar, now);
      }
      state.tiers.push({ tier: toTier, enteredAt: now, leftAt: null, policyId: policy.id, targets: { ...targets }, assigneeId, reason: 'escalated' });
      state.targets = targets;
      state.tier = toTier;
      state.policy = policy;
      state.calendar = calendar;
      state.assigneeId = assigneeId;
      if (state.status === 'waiting_on_customer') {
        mapTargets((t) => pauseTarget({ t, now }));
        if (!owesCallbackOnly) state.pausedFrom = 'open';
      } else if (!owesCallbackOnly) {
        state.status = 'open';
      }
      movingTo = null;
      emit(
        'case.escalated',
        'system',
        {
          escalationId: escalation.id,
          fromTier,
          toTier,
          policyId: policy.id,
          assigneeId,
          firstContactDueAt: iso(targets.firstContact?.dueAt ?? null),
          resolutionDueAt: iso(targets.resolution?.dueAt ?? null),
          callbackDueAt: iso(targets.callback?.dueAt ?? null),
        },
        { kind: 'escalated', tier: toTier, recipients: { userIds: toAssignee(), supervisorsAt: { ...unit, tier: toTier } } },
      );
    });
  };

  /** Timers: record what is due now (warnings, breaches, undecided escalations). Returns whether anything was. */
  const fireDue = (): boolean => {
    const now = Date.now();
    let fired = false;
    for (const name of TARGETS) {
      const t = state.targets[name];
      if (!t) continue;
      const { t: next, events } = recordDueEvents({ t, now });
      if (events.length === 0) continue;
      fired = true;
      setTargets({ ...state.targets, [name]: next });
      for (const event of events) {
        if (event === 'warn') {
          emit(
            'sla.warned',
            'system',
            { target: name, tier: state.tier, dueAt: iso(next.dueAt), warnedAt: iso(next.warnedAt) },
            { kind: 'warning', target: name, tier: state.tier, dueAt: next.dueAt, recipients: { userIds: toAssignee() } },
          );
        } else {
          emit(
            'sla.breached',
            'system',
            { target: name, tier: state.tier, dueAt: iso(next.dueAt), lateMs: Math.max(0, (next.breachedAt ?? now) - next.dueAt) },
            { kind: 'breach', target: name, tier: state.tier, dueAt: next.dueAt, recipients: { userIds: toAssignee(), supervisorsAt: { ...unit, tier: state.tier } } },
          );
          if (name !== 'callback') raiseEscalation('breach', `${name} target breached`, 'system');
        }
      }
    }
    const escalation = pending();
    if (escalation && escalation.dueAt <= now) {
      fired = true;
      escalation.status = 'auto_escalated';
      escalation.decidedBy = 'system';
      escalation.decidedAt = now;
      escalation.decisionNote = 'approval window elapsed';
      emit('escalation.auto_escalated', 'system', { escalationId: escalation.id, reason: 'approval window elapsed', toTier: escalation.toTier, dueAt: iso(escalation.dueAt) });
      moveTier(escalation);
    }
    return fired;
  };

  const nextWakeAt = (): number | null => {
    const target = earliestDeadline({ targets: state.targets });
    const escalation = pending();
    const candidates = [target?.at, escalation?.dueAt].filter((v): v is number => v !== undefined);
    return candidates.length ? Math.min(...candidates) : null;
  };

  const rebudget = (policy: SlaPolicy, calendar: BusinessCalendar | null, now: number) => {
    mapTargets((t) => {
      const b = targetBudget({ name: t.name, policy, calendar });
      return rebudgetTarget({ t, budgetMs: b.budgetMs, warnAt: b.warnAt, clock: b.clock, calendar: b.calendar, now });
    });
    state.policy = policy;
    state.calendar = calendar;
    period().policyId = policy.id;
  };

  // ------------------------------------------------------------------------------------------
  // Validators: refuse with the code the API maps to 409

  const assertActor = (actor: unknown) => {
    if (typeof actor !== 'string' || actor.trim() === '') reject('INVALID_ACTION', 'the acting user is required');
  };
  const assertOpen = (actor: unknown) => {
    assertActor(actor);
    if (state.status === 'closed') reject('CASE_CLOSED', `case ${state.caseNumber} is closed`);
  };
  const assertNotPaused = () => {
    if (state.status === 'waiting_on_customer') reject('CASE_PAUSED', 'the case is waiting on the customer: resume the clock first');
  };
  const assertText = (value: unknown, what: string) => {
    if (typeof value !== 'string' || value.trim() === '') reject('INVALID_ACTION', `${what} is required`);
  };
  const findEscalation = (id: string): EscalationState => {
    const escalation = state.escalations.find((e) => e.id === id);
    if (!escalation) return reject('ESCALATION_NOT_FOUND', `no escalation ${id} on case ${state.caseNumber}`);
    if (escalation.status !== 'pending') reject('ESCALATION_NOT_PENDING', `escalation ${id} is already ${escalation.status}`);
    return escalation;
  };

  // ------------------------------------------------------------------------------------------
  // Handlers

  setHandler(getCaseState, snapshot);

  setHandler(
    recordContact,
    ({ actor, note }) => {
      const now = Date.now();
      const t = meetTarget({ t: state.targets.firstContact, now });
      setTargets({ ...state.targets, firstContact: t });
      state.status = 'contacted';
      state.contactedAt ??= now;
      emit('case.contacted', actor, { note: note ?? '', tier: state.tier, withinTarget: t ? isMetWithinTarget({ t }) : null });
      return snapshot();
    },
    {
      validator: ({ actor }) => {
        assertOpen(actor);
        assertNotPaused();
        if (state.status !== 'open') reject('CASE_ALREADY_CONTACTED', 'the customer has already been contacted at this tier');
      },
    },
  );

  setHandler(
    pauseClock,
    ({ actor, reason }) => {
      const now = Date.now();
      state.pausedFrom = state.status;
      state.status = 'waiting_on_customer';
      mapTargets((t) => pauseTarget({ t, now }));
      emit('case.paused', actor, { reason: reason.trim(), from: state.pausedFrom });
      return snapshot();
    },
    {
      validator: ({ actor, reason }) => {
        assertOpen(actor);
        if (state.status === 'waiting_on_customer') reject('CASE_ALREADY_PAUSED', 'the clock is already paused');
        assertText(reason, 'a reason for pausing');
      },
    },
  );

  setHandler(
    resumeClock,
    ({ actor }) => {
      const now = Date.now();
      mapTargets((t) => resumeTarget({ t, now }));
      state.status = state.pausedFrom ?? 'open';
      state.pausedFrom = null;
      emit('case.resumed', actor, { to: state.status });
      return snapshot();
    },
    {
      validator: ({ actor }) => {
        assertOpen(actor);
        if (state.status !== 'waiting_on_customer') reject('CASE_NOT_PAUSED', 'the clock is not paused');
      },
    },
  );

  setHandler(
    resolveCase,
    ({ actor, resolution }) => {
      const now = Date.now();
      const t = meetTarget({ t: state.targets.resolution, now });
      setTargets({ ...state.targets, resolution: t, callback: start('callback', state.policy, state.calendar ?? null, now) });
      state.status = 'resolved';
      state.resolvedAt = now;
      emit('case.resolved', actor, {
        resolution: resolution.trim(),
        tier: state.tier,
        withinTarget: t ? isMetWithinTarget({ t }) : null,
        callbackDueAt: iso(state.targets.callback?.dueAt ?? null),
      });
      return snapshot();
    },
    {
      validator: ({ actor, resolution }) => {
        assertOpen(actor);
        assertNotPaused();
        if (state.status === 'resolved') reject('CASE_ALREADY_RESOLVED', 'the case is already resolved');
        if (state.status === 'open') reject('CASE_NOT_CONTACTED', 'record the first contact with the customer before resolving');
        assertText(resolution, 'a resolution');
      },
    },
  );

  setHandler(
    recordCallback,
    ({ actor, satisfaction, comment, escalate }) => {
      const now = Date.now();
      const t = meetTarget({ t: state.targets.callback, now });
      setTargets({ ...state.targets, callback: t });
      state.satisfaction = satisfaction;
      const satisfied = isSatisfactory({ policy: state.policy, satisfaction });
      emit('callback.recorded', actor, { satisfaction, comment: comment?.trim() || null, satisfied, withinTarget: t ? isMetWithinTarget({ t }) : null });
      if (satisfied) {
        state.status = 'closed';
        state.closedAt = now;
        state.firstContactMs = reportedDurationMs(state, 'firstContact');
        state.resolutionMs = reportedDurationMs(state, 'resolution');
        period().leftAt = now;
        emit('case.closed', actor, { satisfaction, firstContactMs: state.firstContactMs, resolutionMs: state.resolutionMs });
        return snapshot();
      }
      // Below the threshold: reopen at the same tier in a new period with a fresh resolution target.
      period().leftAt = now;
      const targets = { ...emptyTargets(), resolution: start('resolution', state.policy, state.calendar ?? null, now) };
      state.tiers.push({ tier: state.tier, enteredAt: now, leftAt: null, policyId: state.policy.id, targets: { ...targets }, assigneeId: state.assigneeId, reason: 'reopened' });
      state.targets = targets;
      state.status = 'contacted';
      emit('case.reopened', actor, { satisfaction, tier: state.tier, resolutionDueAt: iso(targets.resolution.dueAt) }, { kind: 'assigned', target: 'resolution', tier: state.tier, dueAt: targets.resolution.dueAt, recipients: { userIds: toAssignee() } });
      if (escalate) raiseEscalation('callback', comment?.trim() || `callback satisfaction ${satisfaction}`, actor);
      return snapshot();
    },
    {
      validator: ({ actor, satisfaction, escalate }) => {
        assertOpen(actor);
        if (!isValidSatisfaction(satisfaction)) reject('INVALID_ACTION', 'satisfaction is a whole number from 1 to 5');
        assertNotPaused();
        if (state.status !== 'resolved') reject('CASE_NOT_RESOLVED', 'a callback follows the resolution');
        if (pending() || movingTo) reject('ESCALATION_PENDING', 'an escalation of this case awaits a decision');
        if (escalate && !isSatisfactory({ policy: state.policy, satisfaction }) && !nextTier(state.tier)) {
          reject('TOP_TIER', 'the case is at the group tier: there is no tier to escalate to');
        }
      },
    },
  );

  setHandler(
    changeCaseDetails,
    async (change) => {
      const { actor } = change;
      const detailsChange = (change.severity !== undefined && change.severity !== state.severity) || (change.category !== undefined && change.category !== state.category);
      if (detailsChange) {
        const severity = change.severity ?? state.severity;
        const category = change.category ?? state.category;
        const apply = (policy: SlaPolicy, calendar: BusinessCalendar | null) => {
          const from = { severity: state.severity, category: state.category, policyId: state.policy.id };
          state.severity = severity;
          state.category = category;
          rebudget(policy, calendar, Date.now());
          emit('case.details_changed', actor, {
            fromSeverity: from.severity,
            severity,
            fromCategory: from.category,
            category,
            fromPolicyId: from.policyId,
            policyId: policy.id,
            firstContactDueAt: iso(state.targets.firstContact?.dueAt ?? null),
            resolutionDueAt: iso(state.targets.resolution?.dueAt ?? null),
            callbackDueAt: iso(state.targets.callback?.dueAt ?? null),
          });
        };
        if (change.policy) {
          apply(change.policy, change.calendar ?? null);
        } else {
          // No policy from the API: resolve it in the main loop, in order with other effects.
          await runTask(async () => {
            const sla = await resolveCaseSla({ groupId: input.groupId, caseType: input.type, category, severity, tier: state.tier });
            apply(sla.policy, sla.calendar);
          });
        }
      }
      if (change.assigneeId !== undefined && change.assigneeId !== state.assigneeId) {
        const previous = state.assigneeId;
        state.assigneeId = change.assigneeId;
        period().assigneeId = change.assigneeId;
        emit('case.assigned', actor, { assigneeId: change.assigneeId, previousAssigneeId: previous, tier: state.tier }, { kind: 'assigned', tier: state.tier, recipients: { userIds: [change.assigneeId] } });
      }
      return snapshot();
    },
    {
      validator: (change) => {
        assertOpen(change.actor);
        if (change.severity !== undefined && !isSeverity(change.severity)) reject('INVALID_ACTION', `${String(change.severity)} is not a severity`);
        if (change.category !== undefined) assertText(change.category, 'a category');
        if (change.assigneeId !== undefined) assertText(change.assigneeId, 'an assignee');
        const changes =
          (change.severity !== undefined && change.severity !== state.severity) ||
          (change.category !== undefined && change.category !== state.category) ||
          (change.assigneeId !== undefined && change.assigneeId !== state.assigneeId);
        if (!changes) reject('INVALID_ACTION', 'nothing to change');
        if (change.policy) {
          try {
            for (const name of TARGETS) targetBudget({ name, policy: change.policy, calendar: change.calendar ?? null });
          } catch (err) {
            reject('INVALID_ACTION', `policy ${change.policy.id} cannot be applied: ${(err as Error).message}`);
          }
        }
      },
    },
  );

  setHandler(
    requestEscalation,
    ({ actor, reason }) => {
      raiseEscalation('handler', reason.trim(), actor);
      return snapshot();
    },
    {
      validator: ({ actor, reason }) => {
        assertOpen(actor);
        if (effectiveStatus() === 'resolved') reject('CASE_ALREADY_RESOLVED', 'a resolved case escalates through its callback');
        if (!nextTier(state.tier)) reject('TOP_TIER', 'the case is at the group tier: there is no tier to escalate to');
        if (pending() || movingTo) reject('ESCALATION_PENDING', 'an escalation of this case already awaits a decision');
        assertText(reason, 'a reason for escalating');
      },
    },
  );

  setHandler(
    approveEscalation,
    async ({ actor, escalationId, note }) => {
      const escalation = state.escalations.find((e) => e.id === escalationId)!;
      escalation.status = 'approved';
      escalation.decidedBy = actor;
      escalation.decidedAt = Date.now();
      escalation.decisionNote = note?.trim() || null;
      emit('escalation.approved', actor, { escalationId, note: escalation.decisionNote, toTier: escalation.toTier });
      moveTier(escalation);
      // Answer with the case as it stands in its new tier.
      await condition(() => movingTo === null);
      return snapshot();
    },
    {
      validator: ({ actor, escalationId }) => {
        assertOpen(actor);
        findEscalation(escalationId);
      },
    },
  );

  setHandler(
    rejectEscalation,
    ({ actor, escalationId, reason }) => {
      const escalation = state.escalations.find((e) => e.id === escalationId)!;
      escalation.status = 'rejected';
      escalation.decidedBy = actor;
      escalation.decidedAt = Date.now();
      escalation.decisionNote = reason.trim();
      emit('escalation.rejected', actor, { escalationId, reason: escalation.decisionNote, toTier: escalation.toTier });
      return snapshot();
    },
    {
      validator: ({ actor, escalationId, reason }) => {
        assertOpen(actor);
        findEscalation(escalationId);
        assertText(reason, 'a reason for rejecting');
      },
    },
  );

  // ------------------------------------------------------------------------------------------
  // Opening

  emit(
    'case.opened',
    input.openedBy,
    {
      caseNumber: input.caseNumber,
      type: input.type,
      category: input.category,
      severity: input.severity,
      channel: input.channel,
      tier: input.tier,
      policyId: input.policy.id,
      assigneeId: input.assigneeId,
      firstContactDueAt: iso(firstTargets.firstContact.dueAt),
      resolutionDueAt: iso(firstTargets.resolution.dueAt),
    },
    { kind: 'assigned', tier: input.tier, recipients: { userIds: toAssignee() } },
  );
  if (input.assigneeId === null) {
    void runTask(async () => {
      const assigneeId = await pickCaseAssignee({ ...unit, tier: state.tier });
      // Someone may have assigned the case by hand meanwhile: that choice stands.
      if (assigneeId === null || state.assigneeId !== null) return;
      state.assigneeId = assigneeId;
      period().assigneeId = assigneeId;
      emit('case.assigned', 'system', { assigneeId, previousAssigneeId: null, tier: state.tier }, { kind: 'assigned', tier: state.tier, recipients: { userIds: [assigneeId] } });
    });
  }

  let published: Record<string, string | null> = {};
  const publishSearchAttributes = () => {
    const values: Record<keyof typeof CASE_SEARCH_ATTRIBUTES, string | null> = {
      CaseStatus: state.status,
      CaseTier: state.tier,
      SlaState: slaStateOf(state),
      ProjectId: input.projectId,
      CaseType: input.type,
      AssigneeId: state.assigneeId,
    };
    const changed = (Object.keys(values) as Array<keyof typeof values>).filter((k) => values[k] !== published[k]);
    if (changed.length === 0) return;
    upsertSearchAttributes(changed.map((k) => ({ key: CASE_SEARCH_ATTRIBUTES[k], value: values[k] })));
    published = { ...published, ...values };
  };
  publishSearchAttributes();

  /** Runs queued effects in order, then brings the search attributes and the read model up to date. */
  const drain = async () => {
    for (;;) {
      const effect = queue[0];
      if (effect) {
        if (effect.kind === 'audit') {
          await recordAuditEvent({ streamId: workflowId, seq: effect.seq, type: effect.type, actor: effect.actor, at: new Date(effect.at).toISOString(), data: effect.data, groupId: input.groupId });
        } else if (effect.kind === 'notify') {
          await notifyCaseStaff({ ...effect.notice, caseId: input.caseId, caseNumber: input.caseNumber, groupId: input.groupId, projectId: input.projectId, idempotencyKeyBase: `${workflowId}:${effect.seq}` });
        } else {
          await effect.run();
          effect.done = true;
        }
        queue.shift();
        continue;
      }
      publishSearchAttributes();
      if (state.seq <= projectedSeq) return;
      const seq = state.seq;
      await projectCase({ caseId: input.caseId, seq, state: snapshot(), at: Date.now() });
      projectedSeq = seq;
    }
  };

  // ------------------------------------------------------------------------------------------
  // Main loop: effects, then sleep until the next deadline or the next change

  const isClosed = () => state.status === 'closed';
  while (!isClosed()) {
    await drain();
    if (isClosed()) break;
    const wakeAt = nextWakeAt();
    if (wakeAt === null) {
      await condition(() => queue.length > 0);
      continue;
    }
    const delay = wakeAt - Date.now();
    if (delay > 0 && (await condition(() => queue.length > 0, delay))) continue;
    if (!fireDue() && queue.length === 0) {
      // A deadline that rounds onto the current instant without anything being due: let time move.
      await condition(() => queue.length > 0, 1000);
    }
  }
  await condition(allHandlersFinished);
  await drain();
  return snapshot();
}
