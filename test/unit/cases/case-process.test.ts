import { describe, expect, it } from 'vitest';
import {
  caseNextWakeAt,
  initialCaseState,
  isMovingTier,
  reduceCase,
  validateCaseCommand,
  type CaseAction,
  type CaseCommand,
  type CaseOpening,
} from '../../../domain/cases/case-process.js';
import type { CaseState } from '../../../domain/cases/case-state.js';
import { CaseRuleError } from '../../../domain/cases/errors.js';
import { DEFAULT_POLICY, type SlaPolicy } from '../../../domain/cases/sla-policy.js';
import { CALENDAR_24x7 } from '../../../domain/cases/business-calendar.js';
import { Rejection, type ProcessEvent } from '../../../domain/process.js';
import type { CaseNotice } from '../../../domain/cases/case-state.js';
import { callbackOutcomeOf, currentPeriodOf, shownTarget } from '../../../domain/cases/case-readings.js';

/**
 * The case's rules without Temporal: each test drives the pure reducer with actions and instants
 * and reads the events it records. The workflow's own tests (test/workflows) prove the wiring.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 9, 12, 1, 0);
const opening: CaseOpening = {
  caseId: 'c1',
  caseNumber: 'CS-1',
  type: 'complaint',
  category: 'complaint.quality.leakage',
  severity: 'minor',
  channel: 'phone',
  tier: 'PROJECT',
  assigneeId: 'handler-p',
  openedBy: 'agent-1',
  policy: DEFAULT_POLICY,
  calendar: null,
};
const companyPolicy: SlaPolicy = { ...DEFAULT_POLICY, id: 'company', firstContact: 'PT12H', resolution: 'P5D' };

type Run = { state: CaseState; events: ProcessEvent<CaseNotice, unknown>[] };

/** Applies actions in order, each at its instant (validating commands first, as the workflow does). */
function run(state: CaseState, ...steps: Array<[CaseAction, number]>): Run {
  let events: Run['events'] = [];
  for (const [action, now] of steps) {
    if (isCommand(action)) validateCaseCommand(state, action);
    const next = reduceCase(state, action, now);
    state = next.state;
    events = [...events, ...next.events];
  }
  return { state, events };
}
const COMMANDS = new Set(['recordContact', 'pauseClock', 'resumeClock', 'resolveCase', 'recordCallback', 'changeCaseDetails', 'requestEscalation', 'approveEscalation', 'rejectEscalation', 'addCaseNote', 'editCaseRecord', 'retimeCalendar', 'recordWorkOrderOpened', 'recordWorkOrderEnded']);
const isCommand = (a: CaseAction): a is CaseCommand => COMMANDS.has(a.type);
const types = (r: Run) => r.events.map((e) => (e.kind === 'event' ? e.type : `task:${(e.task as { kind: string }).kind}`));
const opened = () => run(initialCaseState(opening, T0), [{ type: 'open', opening }, T0]);
const refusal = (state: CaseState, command: CaseCommand) => {
  try {
    validateCaseCommand(state, command);
  } catch (err) {
    expect(err).toBeInstanceOf(Rejection);
    return (err as Rejection).code;
  }
  return null;
};

describe('opening', () => {
  it('starts the first-contact and resolution targets and records the opening with its due times, seq 1', () => {
    const r = opened();
    expect(r.state.targets.firstContact?.dueAt).toBe(T0 + DAY);
    expect(r.state.targets.resolution?.dueAt).toBe(T0 + 7 * DAY);
    expect(r.events).toHaveLength(1);
    expect(r.events[0]).toMatchObject({ kind: 'event', seq: 1, type: 'case.opened', actor: 'agent-1', data: { tier: 'PROJECT', firstContactDueAt: new Date(T0 + DAY).toISOString() } });
    expect(r.events[0]).toMatchObject({ notice: { kind: 'assigned', recipients: { userIds: ['handler-p'] } } });
  });

  it('asks for an assignee when the API named none, and keeps a hand-made assignment made meanwhile', () => {
    const unassigned = { ...opening, assigneeId: null };
    const r = run(initialCaseState(unassigned, T0), [{ type: 'open', opening: unassigned }, T0]);
    expect(types(r)).toEqual(['case.opened', 'task:pickAssignee']);
    // No recipient: the opening announces nothing.
    expect(r.events[0]).not.toHaveProperty('notice');
    const picked = run(r.state, [{ type: 'assigneePicked', assigneeId: 'h2' }, T0 + 1000]);
    expect(picked.state.assigneeId).toBe('h2');
    expect(types(picked)).toEqual(['case.assigned']);
    const byHand = run(r.state, [{ type: 'changeCaseDetails', actor: 'sup', assigneeId: 'h3' }, T0 + 500], [{ type: 'assigneePicked', assigneeId: 'h2' }, T0 + 1000]);
    expect(byHand.state.assigneeId).toBe('h3');
    expect(types(byHand)).toEqual(['case.assigned']);
  });

  it('fails a policy the clock cannot use as a rule error naming the policy', () => {
    expect(() => initialCaseState({ ...opening, policy: { ...DEFAULT_POLICY, id: 'broken', clock: 'business' } }, T0)).toThrow(CaseRuleError);
    expect(() => initialCaseState({ ...opening, policy: { ...DEFAULT_POLICY, id: 'broken', clock: 'business' } }, T0)).toThrow(/policy broken/);
  });

  it('never changes the state it is given', () => {
    const r = opened();
    const before = JSON.stringify(r.state);
    reduceCase(r.state, { type: 'recordContact', actor: 'h', note: '' }, T0 + HOUR);
    expect(JSON.stringify(r.state)).toBe(before);
  });
});

describe('timers', () => {
  it('warns at 80 % and breaches at the deadline, raising an escalation to the company tier', () => {
    const r = opened();
    expect(caseNextWakeAt(r.state)).toBe(T0 + 0.8 * DAY);
    const warned = run(r.state, [{ type: 'tick' }, T0 + 0.8 * DAY]);
    expect(types(warned)).toEqual(['sla.warned']);
    expect(warned.events[0]).toMatchObject({ seq: 2, notice: { kind: 'warning', target: 'firstContact' } });
    const breached = run(warned.state, [{ type: 'tick' }, T0 + DAY]);
    expect(types(breached)).toEqual(['sla.breached', 'escalation.requested']);
    expect(breached.events[0]).toMatchObject({ notice: { kind: 'breach', recipients: { userIds: ['handler-p'], supervisorsOfTier: 'PROJECT' } } });
    expect(breached.state.escalations[0]).toMatchObject({ source: 'breach', fromTier: 'PROJECT', toTier: 'COMPANY', status: 'pending', dueAt: T0 + DAY + 4 * HOUR });
  });

  it('records nothing when nothing is due', () => {
    expect(run(opened().state, [{ type: 'tick' }, T0 + HOUR]).events).toEqual([]);
  });

  it('escalates an undecided request by itself at its decision deadline and asks to move the tier', () => {
    const r = run(opened().state, [{ type: 'requestEscalation', actor: 'h', reason: 'needs the company' }, T0 + HOUR]);
    expect(caseNextWakeAt(r.state)).toBe(T0 + 5 * HOUR);
    const auto = run(r.state, [{ type: 'tick' }, T0 + 5 * HOUR]);
    expect(types(auto)).toEqual(['escalation.auto_escalated', 'task:moveTier']);
    expect(isMovingTier(auto.state)).toBe(true);
  });
});

describe('escalation', () => {
  const approved = () => {
    const r = run(opened().state, [{ type: 'requestEscalation', actor: 'h', reason: 'needs the company' }, T0 + HOUR]);
    return run(r.state, [{ type: 'approveEscalation', actor: 'sup', escalationId: 'c1:esc:1', note: ' ok ' }, T0 + 2 * HOUR]);
  };

  it('is decided by the supervisor, then the case enters the tier with fresh targets of its policy', () => {
    const a = approved();
    expect(types(a)).toEqual(['escalation.approved', 'task:moveTier']);
    expect(a.state.escalations[0]).toMatchObject({ status: 'approved', decidedBy: 'sup', decisionNote: 'ok' });
    const moved = run(a.state, [{ type: 'tierEntered', escalationId: 'c1:esc:1', policy: companyPolicy, calendar: null, assigneeId: 'handler-c' }, T0 + 3 * HOUR]);
    expect(types(moved)).toEqual(['case.escalated']);
    expect(moved.state).toMatchObject({ tier: 'COMPANY', status: 'open', assigneeId: 'handler-c', policy: { id: 'company' } });
    expect(moved.state.targets.firstContact?.dueAt).toBe(T0 + 15 * HOUR);
    expect(moved.state.tiers.map((p) => [p.tier, p.reason])).toEqual([
      ['PROJECT', 'opened'],
      ['COMPANY', 'escalated'],
    ]);
    expect(moved.events[0]).toMatchObject({ notice: { kind: 'escalated', recipients: { userIds: ['handler-c'], supervisorsOfTier: 'COMPANY' } } });
    expect(isMovingTier(moved.state)).toBe(false);
  });

  it('refuses a second request while one is pending or being carried out, and at the group tier', () => {
    const pending = run(opened().state, [{ type: 'requestEscalation', actor: 'h', reason: 'x' }, T0 + HOUR]).state;
    expect(refusal(pending, { type: 'requestEscalation', actor: 'h', reason: 'again' })).toBe('ESCALATION_PENDING');
    expect(refusal(approved().state, { type: 'requestEscalation', actor: 'h', reason: 'again' })).toBe('ESCALATION_PENDING');
    const atGroup = { ...opened().state, tier: 'GROUP' as const };
    expect(refusal(atGroup, { type: 'requestEscalation', actor: 'h', reason: 'x' })).toBe('TOP_TIER');
  });

  it('records a rejection with its reason, and refuses deciding twice or an unknown request', () => {
    const pending = run(opened().state, [{ type: 'requestEscalation', actor: 'h', reason: 'x' }, T0 + HOUR]).state;
    const rejected = run(pending, [{ type: 'rejectEscalation', actor: 'sup', escalationId: 'c1:esc:1', reason: ' not needed ' }, T0 + 2 * HOUR]);
    expect(rejected.state.escalations[0]).toMatchObject({ status: 'rejected', decisionNote: 'not needed' });
    expect(refusal(rejected.state, { type: 'approveEscalation', actor: 'sup', escalationId: 'c1:esc:1' })).toBe('ESCALATION_NOT_PENDING');
    expect(refusal(pending, { type: 'approveEscalation', actor: 'sup', escalationId: 'c1:esc:9' })).toBe('ESCALATION_NOT_FOUND');
  });
});

describe('pausing the clock', () => {
  it('stops every target while waiting on the customer and resumes exactly where it stopped', () => {
    const paused = run(opened().state, [{ type: 'pauseClock', actor: 'h', reason: 'customer abroad' }, T0 + HOUR]);
    expect(paused.state.status).toBe('waiting_on_customer');
    expect(caseNextWakeAt(paused.state)).toBeNull();
    expect(refusal(paused.state, { type: 'recordContact', actor: 'h', note: '' })).toBe('CASE_PAUSED');
    const resumed = run(paused.state, [{ type: 'resumeClock', actor: 'h' }, T0 + 3 * HOUR]);
    expect(resumed.state.status).toBe('open');
    expect(resumed.state.targets.firstContact?.dueAt).toBe(T0 + DAY + 2 * HOUR);
  });
});

describe('resolution and callback', () => {
  const resolved = () =>
    run(
      opened().state,
      [{ type: 'recordContact', actor: 'h', note: 'called' }, T0 + HOUR],
      [{ type: 'resolveCase', actor: 'h', resolution: ' fixed ' }, T0 + 2 * DAY],
    );

  it('needs a first contact before resolving, then starts the callback target', () => {
    expect(refusal(opened().state, { type: 'resolveCase', actor: 'h', resolution: 'x' })).toBe('CASE_NOT_CONTACTED');
    const r = resolved();
    expect(types(r)).toEqual(['case.contacted', 'case.resolved']);
    expect(r.events[1]).toMatchObject({ data: { resolution: 'fixed', withinTarget: true } });
    expect(r.state.targets.callback?.dueAt).toBe(T0 + 5 * DAY);
  });

  it('closes a satisfied case recording its first-contact and resolution durations', () => {
    const r = run(resolved().state, [{ type: 'recordCallback', actor: 'agent', satisfaction: 4 }, T0 + 3 * DAY]);
    expect(types(r)).toEqual(['callback.recorded', 'case.closed']);
    expect(r.state).toMatchObject({ status: 'closed', closedAt: T0 + 3 * DAY, firstContactMs: HOUR, resolutionMs: 2 * DAY });
    expect(refusal(r.state, { type: 'recordContact', actor: 'h', note: '' })).toBe('CASE_CLOSED');
  });

  it('reopens an unsatisfied case at the same tier with a fresh resolution target, and escalates when asked', () => {
    const r = run(resolved().state, [{ type: 'recordCallback', actor: 'agent', satisfaction: 1, comment: 'still leaking', escalate: true }, T0 + 3 * DAY]);
    expect(types(r)).toEqual(['callback.recorded', 'case.reopened', 'escalation.requested']);
    expect(r.state).toMatchObject({ status: 'contacted', tier: 'PROJECT' });
    expect(r.state.tiers.at(-1)).toMatchObject({ reason: 'reopened' });
    expect(r.state.escalations[0]).toMatchObject({ source: 'callback', reason: 'still leaking' });
  });

  it('refuses a satisfaction outside 1–5', () => {
    expect(refusal(resolved().state, { type: 'recordCallback', actor: 'a', satisfaction: 6 })).toBe('INVALID_ACTION');
  });
});

describe('changing details', () => {
  it('re-budgets the running targets with the policy the API resolved, keeping consumed time', () => {
    const r = run(opened().state, [{ type: 'changeCaseDetails', actor: 'h', severity: 'major', policy: companyPolicy, calendar: null }, T0 + HOUR]);
    expect(types(r)).toEqual(['case.details_changed']);
    expect(r.state).toMatchObject({ severity: 'major', policy: { id: 'company' } });
    expect(r.state.targets.firstContact?.dueAt).toBe(T0 + 12 * HOUR);
  });

  it('asks for the policy first when the API sent none, then applies it with the reassignment after it', () => {
    const asked = run(opened().state, [{ type: 'changeCaseDetails', actor: 'h', category: 'complaint.service.cleaning', assigneeId: 'h9' }, T0 + HOUR]);
    expect(types(asked)).toEqual(['task:resolveDetails']);
    const applied = run(asked.state, [{ type: 'detailsResolved', actor: 'h', severity: 'minor', category: 'complaint.service.cleaning', assigneeId: 'h9', policy: companyPolicy, calendar: null }, T0 + 2 * HOUR]);
    expect(types(applied)).toEqual(['case.details_changed', 'case.assigned']);
  });

  it('refuses a change that changes nothing, or a policy the clock cannot apply', () => {
    expect(refusal(opened().state, { type: 'changeCaseDetails', actor: 'h', severity: 'minor' })).toBe('INVALID_ACTION');
    expect(refusal(opened().state, { type: 'changeCaseDetails', actor: 'h', severity: 'major', policy: { ...DEFAULT_POLICY, clock: 'business' }, calendar: null })).toBe('INVALID_ACTION');
  });
});

describe('validation', () => {
  it('requires an acting user for every command', () => {
    expect(refusal(opened().state, { type: 'recordContact', actor: ' ', note: '' })).toBe('INVALID_ACTION');
  });

  it('refuses a second contact at the same tier', () => {
    const contacted = run(opened().state, [{ type: 'recordContact', actor: 'h', note: '' }, T0 + HOUR]).state;
    expect(refusal(contacted, { type: 'recordContact', actor: 'h', note: '' })).toBe('CASE_ALREADY_CONTACTED');
  });
});

describe('notes and edits of the case record', () => {
  const contacted = () => run(opened().state, [{ type: 'recordContact', actor: 'h', note: 'called' }, T0 + HOUR]).state;

  it('records a note by id at any status, changing no clock, tier or status', () => {
    const before = contacted();
    const r = run(before, [{ type: 'addCaseNote', actor: 'agent-2', noteId: 'n1' }, T0 + 2 * HOUR]);
    expect(types(r)).toEqual(['case.note_added']);
    expect(r.events[0]).toMatchObject({ kind: 'event', seq: before.seq + 1, actor: 'agent-2', data: { noteId: 'n1', tier: 'PROJECT', status: 'contacted' } });
    expect(r.events[0]).not.toHaveProperty('notice');
    expect({ ...r.state, seq: before.seq }).toEqual(before);
  });

  it('takes notes while the clock is paused and after resolution, never on a closed case', () => {
    const paused = run(opened().state, [{ type: 'pauseClock', actor: 'h', reason: 'abroad' }, T0 + HOUR]).state;
    expect(refusal(paused, { type: 'addCaseNote', actor: 'a', noteId: 'n1' })).toBeNull();
    const asPaused = run(paused, [{ type: 'addCaseNote', actor: 'a', noteId: 'n1' }, T0 + 2 * HOUR]).state;
    expect(asPaused.status).toBe('waiting_on_customer');
    expect(asPaused.targets.firstContact).toEqual(paused.targets.firstContact);
    const closed = { ...contacted(), status: 'closed' as const };
    expect(refusal(closed, { type: 'addCaseNote', actor: 'a', noteId: 'n1' })).toBe('CASE_CLOSED');
    expect(refusal(contacted(), { type: 'addCaseNote', actor: 'a', noteId: ' ' })).toBe('INVALID_ACTION');
  });

  it('records an edit by revision id and the fields it changes, then asks for the revision to be applied', () => {
    const before = contacted();
    const r = run(before, [{ type: 'editCaseRecord', actor: 'h', revisionId: 'r1', fields: ['description', 'contact'] }, T0 + 2 * HOUR]);
    expect(types(r)).toEqual(['case.record_edited', 'task:applyRevision']);
    expect(r.events[0]).toMatchObject({ data: { revisionId: 'r1', fields: ['description', 'contact'] } });
    expect(r.events[1]).toMatchObject({ kind: 'task', seq: before.seq + 1, task: { kind: 'applyRevision', revisionId: 'r1' } });
    expect({ ...r.state, seq: before.seq }).toEqual(before);
  });

  it('refuses an edit naming no field, or a field outside the record', () => {
    expect(refusal(contacted(), { type: 'editCaseRecord', actor: 'h', revisionId: 'r1', fields: [] })).toBe('INVALID_ACTION');
    expect(refusal(contacted(), { type: 'editCaseRecord', actor: 'h', revisionId: 'r1', fields: ['severity' as never] })).toBe('INVALID_ACTION');
  });
});

describe('what the case shows after a reopening callback', () => {
  const resolvedAt = (state: CaseState) =>
    run(state, [{ type: 'recordContact', actor: 'h', note: 'called' }, T0 + HOUR], [{ type: 'resolveCase', actor: 'h', resolution: 'fixed' }, T0 + 2 * DAY]).state;

  it('shows the first contact already made, from the period it was made in, and the fresh resolution target of the reopened period', () => {
    const reopened = run(resolvedAt(opened().state), [{ type: 'recordCallback', actor: 'agent', satisfaction: 2 }, T0 + 3 * DAY]).state;
    expect(reopened.targets.firstContact).toBeNull();
    const firstContact = shownTarget(reopened, 'firstContact');
    expect(firstContact?.t.metAt).toBe(T0 + HOUR);
    expect(firstContact?.period).toEqual({ index: 0, tier: 'PROJECT', reason: 'opened', current: false });
    const resolution = shownTarget(reopened, 'resolution');
    expect(resolution?.t).toMatchObject({ startedAt: T0 + 3 * DAY, dueAt: T0 + 10 * DAY, metAt: null });
    expect(resolution?.period).toEqual({ index: 1, tier: 'PROJECT', reason: 'reopened', current: true });
    expect(shownTarget(reopened, 'callback')?.period).toMatchObject({ index: 0, current: false });
    expect(currentPeriodOf(reopened)).toEqual({ index: 1, tier: 'PROJECT', reason: 'reopened', enteredAt: T0 + 3 * DAY });
  });

  it('shows nothing for a target no period has met yet', () => {
    expect(shownTarget(opened().state, 'callback')).toBeNull();
    expect(shownTarget(opened().state, 'firstContact')?.period).toEqual({ index: 0, tier: 'PROJECT', reason: 'opened', current: true });
  });
});

describe('what a callback led to', () => {
  const resolved = () =>
    run(opened().state, [{ type: 'recordContact', actor: 'h', note: 'called' }, T0 + HOUR], [{ type: 'resolveCase', actor: 'h', resolution: 'fixed' }, T0 + 2 * DAY]).state;

  it('closed: nothing runs next', () => {
    const s = run(resolved(), [{ type: 'recordCallback', actor: 'agent', satisfaction: 5 }, T0 + 3 * DAY]).state;
    expect(callbackOutcomeOf(s)).toEqual({ outcome: 'closed', satisfaction: 5, tier: 'PROJECT', assigneeId: null, nextDeadline: null, escalation: null });
  });

  it('reopened: the same handler at the same tier, with the fresh resolution deadline', () => {
    const s = run(resolved(), [{ type: 'recordCallback', actor: 'agent', satisfaction: 2 }, T0 + 3 * DAY]).state;
    expect(callbackOutcomeOf(s)).toEqual({
      outcome: 'reopened',
      satisfaction: 2,
      tier: 'PROJECT',
      assigneeId: 'handler-p',
      nextDeadline: { target: 'resolution', dueAt: T0 + 10 * DAY },
      escalation: null,
    });
  });

  it('escalated: reopened, and the request to the next tier with its decision deadline', () => {
    const s = run(resolved(), [{ type: 'recordCallback', actor: 'agent', satisfaction: 1, comment: 'still leaking', escalate: true }, T0 + 3 * DAY]).state;
    expect(callbackOutcomeOf(s)).toEqual({
      outcome: 'escalated',
      satisfaction: 1,
      tier: 'PROJECT',
      assigneeId: 'handler-p',
      nextDeadline: { target: 'resolution', dueAt: T0 + 10 * DAY },
      escalation: { id: 'c1:esc:1', fromTier: 'PROJECT', toTier: 'COMPANY', dueAt: T0 + 3 * DAY + 4 * HOUR },
    });
  });

  it('reopened without escalation even when an earlier request of another kind is pending', () => {
    const s = run(resolved(), [{ type: 'recordCallback', actor: 'agent', satisfaction: 2 }, T0 + 3 * DAY], [{ type: 'requestEscalation', actor: 'h', reason: 'needs the company' }, T0 + 3 * DAY + HOUR]).state;
    expect(callbackOutcomeOf(s).outcome).toBe('reopened');
  });
});

describe('a changed business calendar (retimeCalendar)', () => {
  const desk = { ...CALENDAR_24x7, id: 'desk', timeZone: 'Asia/Shanghai' };
  const business: SlaPolicy = { ...DEFAULT_POLICY, id: 'biz', clock: 'business', calendarId: 'desk', firstContact: 'PT2H', resolution: 'P3D' };
  const onDesk: CaseOpening = { ...opening, policy: business, calendar: desk };
  const start = () => run(initialCaseState(onDesk, T0), [{ type: 'open', opening: onDesk }, T0]);
  // T0 is 2026-10-12 09:00 in Shanghai: the next two days off.
  const withDaysOff = { ...desk, holidays: ['2026-10-13', '2026-10-14'] };

  it('moves the open targets by the days off and audits it; a met target never moves', () => {
    const contacted = run(start().state, [{ type: 'recordContact', actor: 'handler-p', note: 'called' }, T0 + HOUR]);
    const before = contacted.state.targets;
    const r = run(contacted.state, [{ type: 'retimeCalendar', actor: 'admin-1', calendar: withDaysOff }, T0 + 2 * HOUR]);
    expect(r.state.targets.resolution!.dueAt).toBe(before.resolution!.dueAt + 2 * DAY);
    expect(r.state.targets.firstContact).toEqual(before.firstContact);
    expect(r.state.calendar).toEqual(withDaysOff);
    expect(r.events).toEqual([
      expect.objectContaining({
        kind: 'event',
        type: 'case.sla_retimed',
        actor: 'admin-1',
        data: expect.objectContaining({ calendarId: 'desk', targets: ['resolution'], resolutionDueAt: new Date(before.resolution!.dueAt + 2 * DAY).toISOString() }),
      }),
    ]);
    // The same calendar again: nothing moves, nothing is recorded.
    expect(run(r.state, [{ type: 'retimeCalendar', actor: 'admin-1', calendar: withDaysOff }, T0 + 3 * HOUR]).events).toEqual([]);
  });

  it('never moves a breached target', () => {
    const breached = run(start().state, [{ type: 'tick' }, T0 + 3 * HOUR]);
    expect(breached.state.targets.firstContact!.breachedAt).not.toBeNull();
    const r = run(breached.state, [{ type: 'retimeCalendar', actor: 'admin-1', calendar: withDaysOff }, T0 + 3 * HOUR]);
    expect(r.state.targets.firstContact).toEqual(breached.state.targets.firstContact);
    expect(r.state.targets.resolution!.dueAt).toBe(breached.state.targets.resolution!.dueAt + 2 * DAY);
  });

  it('is refused by a case that does not count on that calendar, or with an invalid one', () => {
    expect(refusal(opened().state, { type: 'retimeCalendar', actor: 'admin-1', calendar: withDaysOff })).toBe('INVALID_ACTION');
    expect(refusal(start().state, { type: 'retimeCalendar', actor: 'admin-1', calendar: { ...withDaysOff, timeZone: 'Mars/Base' } })).toBe('INVALID_ACTION');
  });
});

describe('work orders (issue 15): the case resolves when its work orders are signed off', () => {
  const contacted = () => run(opened().state, [{ type: 'recordContact', actor: 'handler-p', note: '已联系业主' }, T0 + HOUR]);
  const withOrders = (...ids: string[]) => run(contacted().state, ...ids.map((id, i): [CaseAction, number] => [{ type: 'recordWorkOrderOpened', actor: 'system', workOrderId: id }, T0 + 2 * HOUR + i]));
  const ended = (state: CaseState, id: string, outcome: 'done' | 'quote_refused' | 'cancelled', at: number) =>
    run(state, [{ type: 'recordWorkOrderEnded', actor: 'system', workOrderId: id, outcome }, at]);

  it('refuses a handler\'s resolution while a work order is open', () => {
    const r = withOrders('wo-1');
    expect(types(r)).toEqual(['case.work_order_opened']);
    expect(refusal(r.state, { type: 'resolveCase', actor: 'handler-p', resolution: '已修好' })).toBe('CASE_WORK_ORDERS_OPEN');
  });

  it('is resolved by the last sign-off, its resolution target met at that instant, the callback started', () => {
    const two = withOrders('wo-1', 'wo-2');
    const first = ended(two.state, 'wo-1', 'done', T0 + 3 * DAY);
    expect(first.state.status).toBe('contacted');
    expect(types(first)).toEqual(['case.work_order_ended']);
    const last = ended(first.state, 'wo-2', 'done', T0 + 4 * DAY);
    expect(types(last)).toEqual(['case.work_order_ended', 'case.resolved']);
    expect(last.state.status).toBe('resolved');
    expect(last.state.targets.resolution).toMatchObject({ metAt: T0 + 4 * DAY });
    expect(last.state.targets.callback?.startedAt).toBe(T0 + 4 * DAY);
    expect(last.events[1]).toMatchObject({ actor: 'system', data: { resolution: 'work_orders_signed_off', withinTarget: true } });
  });

  it('closes with the outcome quote_refused when the owner refused the quote of its only order', () => {
    const r = ended(withOrders('wo-1').state, 'wo-1', 'quote_refused', T0 + DAY);
    expect(types(r)).toEqual(['case.work_order_ended', 'case.closed']);
    expect(r.state).toMatchObject({ status: 'closed', closedAt: T0 + DAY });
    expect(r.events[1]).toMatchObject({ data: { outcome: 'quote_refused' } });
  });

  it('leaves a cancelled order\'s case to its handler, who may then resolve it', () => {
    const r = ended(withOrders('wo-1').state, 'wo-1', 'cancelled', T0 + DAY);
    expect(r.state.status).toBe('contacted');
    expect(refusal(r.state, { type: 'resolveCase', actor: 'handler-p', resolution: '业主自行维修' })).toBeNull();
  });

  it('does not resolve a case not yet contacted: the handler records the contact and resolves', () => {
    const open = run(opened().state, [{ type: 'recordWorkOrderOpened', actor: 'system', workOrderId: 'wo-1' }, T0 + HOUR]);
    const r = ended(open.state, 'wo-1', 'done', T0 + DAY);
    expect(r.state.status).toBe('open');
    expect(refusal(r.state, { type: 'resolveCase', actor: 'handler-p', resolution: '已修好' })).toBe('CASE_NOT_CONTACTED');
  });

  it('records a report given twice once (a retried activity after continue-as-new)', () => {
    const r = withOrders('wo-1');
    const again = run(r.state, [{ type: 'recordWorkOrderOpened', actor: 'system', workOrderId: 'wo-1' }, T0 + 3 * HOUR]);
    expect(again.events).toEqual([]);
    const done = ended(r.state, 'wo-1', 'done', T0 + DAY);
    const doneAgain = ended(done.state, 'wo-1', 'done', T0 + DAY + 1);
    expect(doneAgain.events).toEqual([]);
    expect(doneAgain.state.seq).toBe(done.state.seq);
  });

  it('refuses an ending that is not one', () => {
    expect(refusal(withOrders('wo-1').state, { type: 'recordWorkOrderEnded', actor: 'system', workOrderId: 'wo-1', outcome: 'gone' as 'done' })).toBe('INVALID_ACTION');
  });
});
