/**
 * The rules of one complaint, repair or enquiry case (DESIGN.md §1) as a pure reducer: its SLA
 * clocks, its tier and its escalations. The `complaintCase` workflow is wiring around it
 * (workflows/cases/complaint-case.ts); the API reads the same state through the workflow's query.
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
 * - Entering a tier needs the outside world (that tier's policy and a handler of it): approving
 *   or auto-escalating asks for a `moveTier` task, whose answer `tierEntered` moves the case. While
 *   it runs, the approved escalation's `fromTier` is still the case's tier: no new escalation starts.
 * - Notes and edits of the case record (its description, its contact) touch no clock, tier or
 *   status. Their texts are personal data kept, like the description, out of the workflow: the
 *   API stores a note or a revision in the read model and the Update carries only its id, so the
 *   audit trail (numbered by this state's seq) says who added or changed what, and when, and the
 *   history holds no complaint, name or phone number. An edit asks for an `applyRevision` task:
 *   the revision reaches the case row through the workflow's own effects, after its audit row.
 */
import { parseBusinessCalendar, type BusinessCalendar } from './business-calendar.js';
import { CaseRuleError } from './errors.js';
import { reportedDurationMs, slaStateOf } from './case-readings.js';
import type { CaseNotice, CaseOutcome, CaseState, CaseWorkOrder, CaseWorkOrderOutcome, EscalationSource, EscalationState, TierPeriod } from './case-state.js';
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
} from './sla-clock.js';
import { isSatisfactory, isValidSatisfaction, type SlaPolicy } from './sla-policy.js';
import { isSeverity, nextTier, TARGETS, type CaseStatus, type CaseType, type Channel, type Severity, type TargetName, type Tier } from './types.js';
import { isoOrNull as iso, isText, refuse, transition, type ActionBase, type Actor, type CommandOf, type Outbox, type Transition } from '../process.js';

/** What opening a case records (the workflow's input, less what only the wiring needs). */
export interface CaseOpening {
  caseId: string;
  caseNumber: string;
  type: CaseType;
  category: string;
  severity: Severity;
  channel: Channel;
  /** Initial tier, chosen by the API from severity and repair cost (domain/cases/routing.ts). */
  tier: Tier;
  assigneeId: string | null;
  openedBy: Actor;
  policy: SlaPolicy;
  calendar: BusinessCalendar | null;
}

/** What people do to a case, by name: the workflow's Updates, one to one, and their arguments. */
export interface CaseCommandArgs {
  recordContact: ActionBase & { note: string };
  pauseClock: ActionBase & { reason: string };
  resumeClock: ActionBase;
  resolveCase: ActionBase & { resolution: string };
  recordCallback: ActionBase & { satisfaction: number; comment?: string; escalate?: boolean };
  changeCaseDetails: ActionBase & { severity?: Severity; category?: string; assigneeId?: string; policy?: SlaPolicy; calendar?: BusinessCalendar | null };
  requestEscalation: ActionBase & { reason: string };
  approveEscalation: ActionBase & { escalationId: string; note?: string };
  rejectEscalation: ActionBase & { escalationId: string; reason: string };
  /** A note stored by the API (`case_note`), by id: its text stays out of the workflow. */
  addCaseNote: ActionBase & { noteId: string };
  /** A revision of the case record stored by the API (`case_revision`), by id, and which fields it changes. */
  editCaseRecord: ActionBase & { revisionId: string; fields: CaseRecordField[] };
  /**
   * An administrator changed a business calendar (days off, 调休, an imported schedule): the case's
   * snapshot of it, applied to the current tier's open targets that count on it — those neither
   * met nor breached keep their budget and get a deadline on the new days; met and breached ones
   * never move.
   */
  retimeCalendar: ActionBase & { calendar: BusinessCalendar };
  /** A work order of the case was created (its workflow reports it; issue 15). Reported twice, it is recorded once. */
  recordWorkOrderOpened: ActionBase & { workOrderId: string };
  /**
   * A work order of the case ended. When it was the last open one: signed off (`done`) resolves a
   * contacted case (the resolution target is met at the sign-off); the owner's refused quote
   * (`quote_refused`) closes a case with no other order done. Reported twice, it is recorded once.
   */
  recordWorkOrderEnded: ActionBase & { workOrderId: string; outcome: CaseWorkOrderOutcome };
}

/** The parts of the case record that live outside the workflow (personal data) and are edited through revisions. */
export const CASE_RECORD_FIELDS = ['description', 'contact'] as const;
export type CaseRecordField = (typeof CASE_RECORD_FIELDS)[number];
export type CaseCommand = CommandOf<CaseCommandArgs>;

export type CaseAction =
  | CaseCommand
  | { type: 'open'; opening: CaseOpening }
  /** Timers: record whatever is due now. */
  | { type: 'tick' }
  // Answers to tasks
  | { type: 'assigneePicked'; assigneeId: string | null }
  | { type: 'tierEntered'; escalationId: string; policy: SlaPolicy; calendar: BusinessCalendar | null; assigneeId: string | null }
  | { type: 'detailsResolved'; actor: Actor; severity: Severity; category: string; assigneeId?: string; policy: SlaPolicy; calendar: BusinessCalendar | null };

/** Work the case needs from outside before it can go on. */
export type CaseTask =
  | { kind: 'pickAssignee' }
  /** Resolve the policy of the escalation's tier and pick a handler there. */
  | { kind: 'moveTier'; escalationId: string; toTier: Tier }
  /** Resolve the policy for changed details (the API sent none), then apply them. */
  | { kind: 'resolveDetails'; actor: Actor; severity: Severity; category: string; assigneeId?: string }
  /** Apply a stored revision of the case record to the read model. */
  | { kind: 'applyRevision'; revisionId: string };

type Out = Outbox<CaseNotice, CaseTask>;

const emptyTargets = (): Record<TargetName, TargetClock | null> => ({ firstContact: null, resolution: null, callback: null });
const hasRecipients = (n: CaseNotice) => (n.recipients.userIds?.length ?? 0) > 0 || n.recipients.supervisorsOfTier !== undefined;

/** Starts a target; a policy the clock cannot use is the input's fault (the workflow fails it as such). */
function start(name: TargetName, policy: SlaPolicy, calendar: BusinessCalendar | null, now: number): TargetClock {
  try {
    return startTarget({ name, policy, calendar, now });
  } catch (err) {
    if (err instanceof CaseRuleError) throw new CaseRuleError(err.code, `policy ${policy.id}: ${err.message}`, err.issues);
    throw err;
  }
}

/** The state of a case just opened: first contact and resolution running at its first tier. */
export function initialCaseState(opening: CaseOpening, now: number): CaseState {
  const targets = { ...emptyTargets(), firstContact: start('firstContact', opening.policy, opening.calendar, now), resolution: start('resolution', opening.policy, opening.calendar, now) };
  return {
    caseId: opening.caseId,
    caseNumber: opening.caseNumber,
    status: 'open',
    tier: opening.tier,
    severity: opening.severity,
    category: opening.category,
    assigneeId: opening.assigneeId,
    policy: opening.policy,
    targets,
    tiers: [{ tier: opening.tier, enteredAt: now, leftAt: null, policyId: opening.policy.id, targets: { ...targets }, assigneeId: opening.assigneeId, reason: 'opened' }],
    escalations: [],
    satisfaction: null,
    firstContactMs: null,
    resolutionMs: null,
    seq: 0,
    openedAt: now,
    closedAt: null,
    calendar: opening.calendar,
    pausedFrom: null,
    contactedAt: null,
    resolvedAt: null,
    slaState: 'on_track',
  };
}

// ------------------------------------------------------------------------------------------
// Readings

export const isCaseClosed = (s: Pick<CaseState, 'status'>) => s.status === 'closed';
export const pendingEscalation = (s: Pick<CaseState, 'escalations'>): EscalationState | undefined => s.escalations.find((e) => e.status === 'pending');
/** An escalation was decided (approved or auto-escalated) but the case has not entered its tier yet. */
export const isMovingTier = (s: Pick<CaseState, 'escalations' | 'tier'>): boolean =>
  s.escalations.some((e) => (e.status === 'approved' || e.status === 'auto_escalated') && e.fromTier === s.tier);
const effectiveStatus = (s: CaseState): CaseStatus => (s.status === 'waiting_on_customer' ? (s.pausedFrom ?? 'open') : s.status);
const period = (s: CaseState): TierPeriod => s.tiers[s.tiers.length - 1]!;

/** The next instant a timer must wake the case: a target's warning or deadline, or an escalation's decision deadline. */
export function caseNextWakeAt(s: CaseState): number | null {
  const target = earliestDeadline({ targets: s.targets });
  const escalation = pendingEscalation(s);
  const candidates = [target?.at, escalation?.dueAt].filter((v): v is number => v !== undefined);
  return candidates.length ? Math.min(...candidates) : null;
}

/** The headline of a case a slim Update and the workflow's result answer (CaseOutcome). */
export const caseOutcome = (s: CaseState): CaseOutcome => ({ seq: s.seq, status: s.status, tier: s.tier, assigneeId: s.assigneeId, slaState: slaStateOf(s) });

/** What queries return and the read model stores: a copy with the SLA state as of now. */
export const caseSnapshot = (s: CaseState): CaseState => JSON.parse(JSON.stringify({ ...s, slaState: slaStateOf(s) })) as CaseState;

// ------------------------------------------------------------------------------------------
// Validation: refuse with a CASE_REJECTIONS code

const assertActor = (actor: unknown) => {
  if (!isText(actor)) refuse('INVALID_ACTION', 'the acting user is required');
};
const assertText = (value: unknown, what: string) => {
  if (!isText(value)) refuse('INVALID_ACTION', `${what} is required`);
};

export function validateCaseCommand(s: CaseState, c: CaseCommand): void {
  assertActor(c.actor);
  if (s.status === 'closed') refuse('CASE_CLOSED', `case ${s.caseNumber} is closed`);
  const assertNotPaused = () => {
    if (s.status === 'waiting_on_customer') refuse('CASE_PAUSED', 'the case is waiting on the customer: resume the clock first');
  };
  const findEscalation = (id: string) => {
    const escalation = s.escalations.find((e) => e.id === id);
    if (!escalation) return refuse('ESCALATION_NOT_FOUND', `no escalation ${id} on case ${s.caseNumber}`);
    if (escalation.status !== 'pending') refuse('ESCALATION_NOT_PENDING', `escalation ${id} is already ${escalation.status}`);
    return escalation;
  };
  switch (c.type) {
    case 'recordContact':
      assertNotPaused();
      if (s.status !== 'open') refuse('CASE_ALREADY_CONTACTED', 'the customer has already been contacted at this tier');
      return;
    case 'pauseClock':
      if (s.status === 'waiting_on_customer') refuse('CASE_ALREADY_PAUSED', 'the clock is already paused');
      assertText(c.reason, 'a reason for pausing');
      return;
    case 'resumeClock':
      if (s.status !== 'waiting_on_customer') refuse('CASE_NOT_PAUSED', 'the clock is not paused');
      return;
    case 'resolveCase':
      assertNotPaused();
      if (s.status === 'resolved') refuse('CASE_ALREADY_RESOLVED', 'the case is already resolved');
      if (s.status === 'open') refuse('CASE_NOT_CONTACTED', 'record the first contact with the customer before resolving');
      if (openWorkOrders(s).length > 0) refuse('CASE_WORK_ORDERS_OPEN', `the case resolves when its work orders are signed off: ${openWorkOrders(s).length} still open`);
      assertText(c.resolution, 'a resolution');
      return;
    case 'recordWorkOrderOpened':
      assertText(c.workOrderId, 'a work order id');
      return;
    case 'recordWorkOrderEnded':
      assertText(c.workOrderId, 'a work order id');
      if (!['done', 'quote_refused', 'cancelled'].includes(c.outcome)) refuse('INVALID_ACTION', `${String(c.outcome)} is not how a work order ends`);
      return;
    case 'recordCallback':
      if (!isValidSatisfaction(c.satisfaction)) refuse('INVALID_ACTION', 'satisfaction is a whole number from 1 to 5');
      assertNotPaused();
      if (s.status !== 'resolved') refuse('CASE_NOT_RESOLVED', 'a callback follows the resolution');
      if (pendingEscalation(s) || isMovingTier(s)) refuse('ESCALATION_PENDING', 'an escalation of this case awaits a decision');
      if (c.escalate && !isSatisfactory({ policy: s.policy, satisfaction: c.satisfaction }) && !nextTier(s.tier)) {
        refuse('TOP_TIER', 'the case is at the group tier: there is no tier to escalate to');
      }
      return;
    case 'changeCaseDetails': {
      if (c.severity !== undefined && !isSeverity(c.severity)) refuse('INVALID_ACTION', `${String(c.severity)} is not a severity`);
      if (c.category !== undefined) assertText(c.category, 'a category');
      if (c.assigneeId !== undefined) assertText(c.assigneeId, 'an assignee');
      const changes =
        (c.severity !== undefined && c.severity !== s.severity) ||
        (c.category !== undefined && c.category !== s.category) ||
        (c.assigneeId !== undefined && c.assigneeId !== s.assigneeId);
      if (!changes) refuse('INVALID_ACTION', 'nothing to change');
      if (c.policy) {
        try {
          for (const name of TARGETS) targetBudget({ name, policy: c.policy, calendar: c.calendar ?? null });
        } catch (err) {
          refuse('INVALID_ACTION', `policy ${c.policy.id} cannot be applied: ${(err as Error).message}`);
        }
      }
      return;
    }
    case 'requestEscalation':
      if (effectiveStatus(s) === 'resolved') refuse('CASE_ALREADY_RESOLVED', 'a resolved case escalates through its callback');
      if (!nextTier(s.tier)) refuse('TOP_TIER', 'the case is at the group tier: there is no tier to escalate to');
      if (pendingEscalation(s) || isMovingTier(s)) refuse('ESCALATION_PENDING', 'an escalation of this case already awaits a decision');
      assertText(c.reason, 'a reason for escalating');
      return;
    case 'approveEscalation':
      findEscalation(c.escalationId);
      return;
    case 'rejectEscalation':
      findEscalation(c.escalationId);
      assertText(c.reason, 'a reason for rejecting');
      return;
    case 'addCaseNote':
      assertText(c.noteId, 'a note');
      return;
    case 'retimeCalendar': {
      if (!parseBusinessCalendar(c.calendar).ok) refuse('INVALID_ACTION', 'not a valid business calendar');
      const counts = s.calendar?.id === c.calendar.id || TARGETS.some((n) => s.targets[n]?.calendar?.id === c.calendar.id);
      if (!counts) refuse('INVALID_ACTION', `the case does not count on calendar ${c.calendar.id}`);
      return;
    }
    case 'editCaseRecord': {
      assertText(c.revisionId, 'a revision');
      const fields: unknown[] = Array.isArray(c.fields) ? c.fields : [];
      if (fields.length === 0 || fields.some((f) => !(CASE_RECORD_FIELDS as readonly unknown[]).includes(f)))
        refuse('INVALID_ACTION', `fields are some of ${CASE_RECORD_FIELDS.join(', ')}`);
      return;
    }
  }
}

// ------------------------------------------------------------------------------------------
// Changes

const setTargets = (s: CaseState, targets: Record<TargetName, TargetClock | null>) => {
  s.targets = targets;
  period(s).targets = { ...targets };
};
const mapTargets = (s: CaseState, fn: (t: TargetClock) => TargetClock) =>
  setTargets(s, Object.fromEntries(TARGETS.map((n) => [n, s.targets[n] ? fn(s.targets[n]) : null])) as Record<TargetName, TargetClock | null>);
const toAssignee = (s: CaseState): string[] => (s.assigneeId ? [s.assigneeId] : []);

function raiseEscalation(s: CaseState, out: Out, source: EscalationSource, reason: string, actor: Actor, now: number) {
  const toTier = nextTier(s.tier);
  if (!toTier || pendingEscalation(s) || isMovingTier(s)) return;
  const escalation: EscalationState = {
    id: `${s.caseId}:esc:${s.escalations.length + 1}`,
    fromTier: s.tier,
    toTier,
    source,
    reason,
    requestedBy: actor,
    requestedAt: now,
    dueAt: approvalDeadline({ policy: s.policy, calendar: s.calendar ?? null, from: now }),
    status: 'pending',
    decidedBy: null,
    decidedAt: null,
    decisionNote: null,
  };
  s.escalations.push(escalation);
  out.emit(
    'escalation.requested',
    actor,
    { escalationId: escalation.id, source, reason, fromTier: escalation.fromTier, toTier, dueAt: iso(escalation.dueAt) },
    { kind: 'escalation_requested', tier: toTier, dueAt: escalation.dueAt, recipients: { supervisorsOfTier: toTier } },
  );
}

/** Enters the escalation's tier: fresh targets from that tier's policy, a handler of that tier. */
function enterTier(s: CaseState, out: Out, a: Extract<CaseAction, { type: 'tierEntered' }>, now: number) {
  const escalation = s.escalations.find((e) => e.id === a.escalationId)!;
  const { toTier } = escalation;
  const { policy, calendar, assigneeId } = a;
  const fromTier = s.tier;
  // The old tier hands over: its unmet clocks stop where they are.
  mapTargets(s, (t) => pauseTarget({ t, now }));
  period(s).leftAt = now;
  const owesCallbackOnly = effectiveStatus(s) === 'resolved';
  const targets = emptyTargets();
  if (owesCallbackOnly) {
    targets.callback = start('callback', policy, calendar, now);
  } else {
    targets.firstContact = start('firstContact', policy, calendar, now);
    targets.resolution = start('resolution', policy, calendar, now);
  }
  s.tiers.push({ tier: toTier, enteredAt: now, leftAt: null, policyId: policy.id, targets: { ...targets }, assigneeId, reason: 'escalated' });
  s.targets = targets;
  s.tier = toTier;
  s.policy = policy;
  s.calendar = calendar;
  s.assigneeId = assigneeId;
  if (s.status === 'waiting_on_customer') {
    mapTargets(s, (t) => pauseTarget({ t, now }));
    if (!owesCallbackOnly) s.pausedFrom = 'open';
  } else if (!owesCallbackOnly) {
    s.status = 'open';
  }
  out.emit(
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
    { kind: 'escalated', tier: toTier, recipients: { userIds: toAssignee(s), supervisorsOfTier: toTier } },
  );
}

/** Records what is due now: warnings, breaches, undecided escalations. */
function fireDue(s: CaseState, out: Out, now: number) {
  for (const name of TARGETS) {
    const t = s.targets[name];
    if (!t) continue;
    const { t: next, events } = recordDueEvents({ t, now });
    if (events.length === 0) continue;
    setTargets(s, { ...s.targets, [name]: next });
    for (const event of events) {
      if (event === 'warn') {
        out.emit(
          'sla.warned',
          'system',
          { target: name, tier: s.tier, dueAt: iso(next.dueAt), warnedAt: iso(next.warnedAt) },
          { kind: 'warning', target: name, tier: s.tier, dueAt: next.dueAt, recipients: { userIds: toAssignee(s) } },
        );
      } else {
        out.emit(
          'sla.breached',
          'system',
          { target: name, tier: s.tier, dueAt: iso(next.dueAt), lateMs: Math.max(0, (next.breachedAt ?? now) - next.dueAt) },
          { kind: 'breach', target: name, tier: s.tier, dueAt: next.dueAt, recipients: { userIds: toAssignee(s), supervisorsOfTier: s.tier } },
        );
        if (name !== 'callback') raiseEscalation(s, out, 'breach', `${name} target breached`, 'system', now);
      }
    }
  }
  const escalation = pendingEscalation(s);
  if (escalation && escalation.dueAt <= now) {
    escalation.status = 'auto_escalated';
    escalation.decidedBy = 'system';
    escalation.decidedAt = now;
    escalation.decisionNote = 'approval window elapsed';
    out.emit('escalation.auto_escalated', 'system', { escalationId: escalation.id, reason: 'approval window elapsed', toTier: escalation.toTier, dueAt: iso(escalation.dueAt) });
    out.task({ kind: 'moveTier', escalationId: escalation.id, toTier: escalation.toTier });
  }
}

function rebudget(s: CaseState, policy: SlaPolicy, calendar: BusinessCalendar | null, now: number) {
  mapTargets(s, (t) => {
    const b = targetBudget({ name: t.name, policy, calendar });
    return rebudgetTarget({ t, budgetMs: b.budgetMs, warnAt: b.warnAt, clock: b.clock, calendar: b.calendar, now });
  });
  s.policy = policy;
  s.calendar = calendar;
  period(s).policyId = policy.id;
}

/** See CaseCommandArgs.retimeCalendar. Audited as `case.sla_retimed` when a deadline moved. */
function retimeCalendar(s: CaseState, out: Out, a: CaseCommandArgs['retimeCalendar'], now: number) {
  const moved: Record<string, string | null> = {};
  const targets: string[] = [];
  mapTargets(s, (t) => {
    if (t.metAt !== null || t.breachedAt !== null || t.clock !== 'business' || t.calendar?.id !== a.calendar.id) return t;
    const next = rebudgetTarget({ t, budgetMs: t.budgetMs, warnAt: t.warnAt, clock: 'business', calendar: a.calendar, now });
    if (next.dueAt !== t.dueAt) {
      targets.push(t.name);
      moved[`${t.name}FromDueAt`] = iso(t.dueAt);
      moved[`${t.name}DueAt`] = iso(next.dueAt);
    }
    return next;
  });
  if (s.calendar?.id === a.calendar.id) s.calendar = a.calendar;
  if (targets.length) out.emit('case.sla_retimed', a.actor, { calendarId: a.calendar.id, tier: s.tier, targets, ...moved });
}

function applyDetails(s: CaseState, out: Out, a: Extract<CaseAction, { type: 'detailsResolved' }>, now: number) {
  const from = { severity: s.severity, category: s.category, policyId: s.policy.id };
  s.severity = a.severity;
  s.category = a.category;
  rebudget(s, a.policy, a.calendar, now);
  out.emit('case.details_changed', a.actor, {
    fromSeverity: from.severity,
    severity: a.severity,
    fromCategory: from.category,
    category: a.category,
    fromPolicyId: from.policyId,
    policyId: a.policy.id,
    firstContactDueAt: iso(s.targets.firstContact?.dueAt ?? null),
    resolutionDueAt: iso(s.targets.resolution?.dueAt ?? null),
    callbackDueAt: iso(s.targets.callback?.dueAt ?? null),
  });
  reassign(s, out, a.actor, a.assigneeId);
}

function reassign(s: CaseState, out: Out, actor: Actor, assigneeId: string | undefined) {
  if (assigneeId === undefined || assigneeId === s.assigneeId) return;
  const previous = s.assigneeId;
  s.assigneeId = assigneeId;
  period(s).assigneeId = assigneeId;
  out.emit('case.assigned', actor, { assigneeId, previousAssigneeId: previous, tier: s.tier }, { kind: 'assigned', tier: s.tier, recipients: { userIds: [assigneeId] } });
}

/** The case's work orders still open (issue 15). */
export const openWorkOrders = (s: Pick<CaseState, 'workOrders'>): CaseWorkOrder[] => (s.workOrders ?? []).filter((w) => w.status === 'open');

function recordWorkOrderOpened(s: CaseState, out: Out, a: Extract<CaseAction, { type: 'recordWorkOrderOpened' }>) {
  if ((s.workOrders ?? []).some((w) => w.id === a.workOrderId)) return;
  s.workOrders = [...(s.workOrders ?? []), { id: a.workOrderId, status: 'open' }];
  out.emit('case.work_order_opened', a.actor, { workOrderId: a.workOrderId, open: openWorkOrders(s).length });
}

/**
 * A work order ended. The last open one decides what the case does: signed off, a contacted case
 * is resolved (its resolution target met now, when the owner signed); a refused quote with nothing
 * done closes the case with that outcome. Otherwise (a case not yet contacted, paused or resolved,
 * or other orders open) the handler goes on as usual.
 */
function recordWorkOrderEnded(s: CaseState, out: Out, a: Extract<CaseAction, { type: 'recordWorkOrderEnded' }>, now: number) {
  const known = (s.workOrders ?? []).find((w) => w.id === a.workOrderId);
  if (known && known.status !== 'open') return;
  s.workOrders = known ? (s.workOrders ?? []).map((w) => (w.id === a.workOrderId ? { ...w, status: a.outcome } : w)) : [...(s.workOrders ?? []), { id: a.workOrderId, status: a.outcome }];
  const open = openWorkOrders(s).length;
  out.emit('case.work_order_ended', a.actor, { workOrderId: a.workOrderId, outcome: a.outcome, open });
  if (open > 0) return;
  const anyDone = s.workOrders.some((w) => w.status === 'done');
  if (anyDone && s.status === 'contacted') {
    const t = meetTarget({ t: s.targets.resolution, now });
    setTargets(s, { ...s.targets, resolution: t, callback: start('callback', s.policy, s.calendar ?? null, now) });
    s.status = 'resolved';
    s.resolvedAt = now;
    out.emit('case.resolved', a.actor, {
      resolution: 'work_orders_signed_off',
      tier: s.tier,
      withinTarget: t ? isMetWithinTarget({ t }) : null,
      callbackDueAt: iso(s.targets.callback?.dueAt ?? null),
    });
    return;
  }
  if (!anyDone && a.outcome === 'quote_refused' && s.status !== 'resolved') {
    s.status = 'closed';
    s.closedAt = now;
    s.firstContactMs = reportedDurationMs(s, 'firstContact');
    s.resolutionMs = reportedDurationMs(s, 'resolution');
    period(s).leftAt = now;
    out.emit('case.closed', a.actor, { outcome: 'quote_refused', firstContactMs: s.firstContactMs, resolutionMs: s.resolutionMs });
  }
}

/** The case's reducer. Commands are assumed valid (`validateCaseCommand` ran first). */
export function reduceCase(state: CaseState, action: CaseAction, now: number): Transition<CaseState, CaseNotice, CaseTask> {
  return transition<CaseState, CaseNotice, CaseTask>(
    state,
    (s, out) => {
      switch (action.type) {
        case 'open': {
          const o = action.opening;
          out.emit(
            'case.opened',
            o.openedBy,
            {
              caseNumber: o.caseNumber,
              type: o.type,
              category: o.category,
              severity: o.severity,
              channel: o.channel,
              tier: o.tier,
              policyId: o.policy.id,
              assigneeId: o.assigneeId,
              firstContactDueAt: iso(s.targets.firstContact?.dueAt ?? null),
              resolutionDueAt: iso(s.targets.resolution?.dueAt ?? null),
            },
            { kind: 'assigned', tier: o.tier, recipients: { userIds: toAssignee(s) } },
          );
          if (o.assigneeId === null) out.task({ kind: 'pickAssignee' });
          return;
        }
        case 'tick':
          return fireDue(s, out, now);
        case 'assigneePicked':
          // Someone may have assigned the case by hand meanwhile: that choice stands.
          if (action.assigneeId === null || s.assigneeId !== null) return;
          return reassign(s, out, 'system', action.assigneeId);
        case 'tierEntered':
          return enterTier(s, out, action, now);
        case 'detailsResolved':
          return applyDetails(s, out, action, now);
        case 'recordContact': {
          const t = meetTarget({ t: s.targets.firstContact, now });
          setTargets(s, { ...s.targets, firstContact: t });
          s.status = 'contacted';
          s.contactedAt ??= now;
          out.emit('case.contacted', action.actor, { note: action.note ?? '', tier: s.tier, withinTarget: t ? isMetWithinTarget({ t }) : null });
          return;
        }
        case 'pauseClock':
          s.pausedFrom = s.status;
          s.status = 'waiting_on_customer';
          mapTargets(s, (t) => pauseTarget({ t, now }));
          out.emit('case.paused', action.actor, { reason: action.reason.trim(), from: s.pausedFrom });
          return;
        case 'resumeClock':
          mapTargets(s, (t) => resumeTarget({ t, now }));
          s.status = s.pausedFrom ?? 'open';
          s.pausedFrom = null;
          out.emit('case.resumed', action.actor, { to: s.status });
          return;
        case 'recordWorkOrderOpened':
          return recordWorkOrderOpened(s, out, action);
        case 'recordWorkOrderEnded':
          return recordWorkOrderEnded(s, out, action, now);
        case 'resolveCase': {
          const t = meetTarget({ t: s.targets.resolution, now });
          setTargets(s, { ...s.targets, resolution: t, callback: start('callback', s.policy, s.calendar ?? null, now) });
          s.status = 'resolved';
          s.resolvedAt = now;
          out.emit('case.resolved', action.actor, {
            resolution: action.resolution.trim(),
            tier: s.tier,
            withinTarget: t ? isMetWithinTarget({ t }) : null,
            callbackDueAt: iso(s.targets.callback?.dueAt ?? null),
          });
          return;
        }
        case 'recordCallback': {
          const { actor, satisfaction, comment, escalate } = action;
          const t = meetTarget({ t: s.targets.callback, now });
          setTargets(s, { ...s.targets, callback: t });
          s.satisfaction = satisfaction;
          const satisfied = isSatisfactory({ policy: s.policy, satisfaction });
          out.emit('callback.recorded', actor, { satisfaction, comment: comment?.trim() || null, satisfied, withinTarget: t ? isMetWithinTarget({ t }) : null });
          if (satisfied) {
            s.status = 'closed';
            s.closedAt = now;
            s.firstContactMs = reportedDurationMs(s, 'firstContact');
            s.resolutionMs = reportedDurationMs(s, 'resolution');
            period(s).leftAt = now;
            out.emit('case.closed', actor, { satisfaction, firstContactMs: s.firstContactMs, resolutionMs: s.resolutionMs });
            return;
          }
          // Below the threshold: reopen at the same tier in a new period with a fresh resolution target.
          period(s).leftAt = now;
          const targets = { ...emptyTargets(), resolution: start('resolution', s.policy, s.calendar ?? null, now) };
          s.tiers.push({ tier: s.tier, enteredAt: now, leftAt: null, policyId: s.policy.id, targets: { ...targets }, assigneeId: s.assigneeId, reason: 'reopened' });
          s.targets = targets;
          s.status = 'contacted';
          out.emit(
            'case.reopened',
            actor,
            { satisfaction, tier: s.tier, resolutionDueAt: iso(targets.resolution.dueAt) },
            { kind: 'assigned', target: 'resolution', tier: s.tier, dueAt: targets.resolution.dueAt, recipients: { userIds: toAssignee(s) } },
          );
          if (escalate) raiseEscalation(s, out, 'callback', comment?.trim() || `callback satisfaction ${satisfaction}`, actor, now);
          return;
        }
        case 'changeCaseDetails': {
          const detailsChange = (action.severity !== undefined && action.severity !== s.severity) || (action.category !== undefined && action.category !== s.category);
          if (!detailsChange) return reassign(s, out, action.actor, action.assigneeId);
          const severity = action.severity ?? s.severity;
          const category = action.category ?? s.category;
          if (action.policy) {
            return applyDetails(s, out, { type: 'detailsResolved', actor: action.actor, severity, category, assigneeId: action.assigneeId, policy: action.policy, calendar: action.calendar ?? null }, now);
          }
          // No policy from the API: resolve it first, in order with the other effects.
          out.task({ kind: 'resolveDetails', actor: action.actor, severity, category, ...(action.assigneeId !== undefined ? { assigneeId: action.assigneeId } : {}) });
          return;
        }
        case 'requestEscalation':
          return raiseEscalation(s, out, 'handler', action.reason.trim(), action.actor, now);
        case 'approveEscalation': {
          const escalation = s.escalations.find((e) => e.id === action.escalationId)!;
          escalation.status = 'approved';
          escalation.decidedBy = action.actor;
          escalation.decidedAt = now;
          escalation.decisionNote = action.note?.trim() || null;
          out.emit('escalation.approved', action.actor, { escalationId: escalation.id, note: escalation.decisionNote, toTier: escalation.toTier });
          out.task({ kind: 'moveTier', escalationId: escalation.id, toTier: escalation.toTier });
          return;
        }
        case 'rejectEscalation': {
          const escalation = s.escalations.find((e) => e.id === action.escalationId)!;
          escalation.status = 'rejected';
          escalation.decidedBy = action.actor;
          escalation.decidedAt = now;
          escalation.decisionNote = action.reason.trim();
          out.emit('escalation.rejected', action.actor, { escalationId: escalation.id, reason: escalation.decisionNote, toTier: escalation.toTier });
          return;
        }
        case 'addCaseNote':
          out.emit('case.note_added', action.actor, { noteId: action.noteId, tier: s.tier, status: s.status });
          return;
        case 'retimeCalendar':
          return retimeCalendar(s, out, action, now);
        case 'editCaseRecord':
          out.emit('case.record_edited', action.actor, { revisionId: action.revisionId, fields: [...action.fields] });
          out.task({ kind: 'applyRevision', revisionId: action.revisionId });
          return;
      }
    },
    hasRecipients,
  );
}
