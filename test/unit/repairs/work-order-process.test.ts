import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { CALENDAR_CN_DEFAULT } from '../../../domain/cases/business-calendar.js';
import { Rejection, type ProcessEvent } from '../../../domain/process.js';
import {
  arrivalTargetOf,
  isWorkOrderEnded,
  initialWorkOrderState,
  reduceWorkOrder,
  validateWorkOrderCommand,
  workOrderNextWakeAt,
  workOrderWarrantyOf,
  type WorkOrderAction,
  type WorkOrderCommand,
  type WorkOrderOpening,
  type WorkOrderTask,
} from '../../../domain/repairs/work-order-process.js';
import { DEFAULT_ARRIVAL_POLICY, type WorkOrderNotice, type WorkOrderState } from '../../../domain/repairs/work-order-state.js';
import { NORTHERN_CITY_SEASONS } from '../../../domain/warranty/periods.js';
import type { WarrantyCoverageInput } from '../../../domain/warranty/coverage.js';

/**
 * The work order's rules without Temporal: the pure reducer driven with actions and instants on
 * the project's business calendar (Mon–Fri 09:00–12:00, 13:30–18:00, China time).
 * test/workflows/work-order.test.ts proves the same rules through the workflow and its timers.
 */
const ZONE = 'Asia/Shanghai';
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
/** Tuesday 10 March 2026, 09:30: an ordinary working day. */
const T0 = at('2026-03-10T09:30');
const MINUTE = 60_000;

const warrantyInput = (o: Partial<WarrantyCoverageInput> = {}): WarrantyCoverageInput => ({
  component: 'wet_room_waterproofing',
  completionAcceptedAt: at('2024-01-10T10:00'),
  handedOverAt: at('2024-06-01T10:00'),
  reportedAt: T0,
  designLifeYears: 50,
  overrides: [],
  place: { projectId: 'p1', city: '北京' },
  seasons: NORTHERN_CITY_SEASONS,
  ...o,
});
const IN_WARRANTY = workOrderWarrantyOf(warrantyInput());
/** Plumbing pipes: 2 years from 2016's completion, long over. */
const OUT_OF_WARRANTY = workOrderWarrantyOf(warrantyInput({ component: 'plumbing_pipes', completionAcceptedAt: at('2016-01-10T10:00'), handedOverAt: at('2016-06-01T10:00') }));

const opening = (o: Partial<WorkOrderOpening> = {}): WorkOrderOpening => ({
  workOrderId: 'wo1',
  workOrderNumber: 'WO-1',
  caseId: 'c1',
  category: 'repair.walls_floors',
  trade: 'waterproofing',
  buildingId: 'b1',
  unitId: 'u1',
  warranty: IN_WARRANTY,
  resolutionDueAt: at('2026-03-17T09:30'),
  calendar: CALENDAR_CN_DEFAULT,
  createdBy: 'agent-1',
  ...o,
});

type Event = ProcessEvent<WorkOrderNotice, WorkOrderTask>;
type Run = { state: WorkOrderState; events: Event[] };
const COMMANDS = new Set(['issueQuote', 'answerQuote', 'assign', 'reassign', 'bookAppointment', 'checkIn', 'recordResult', 'signOff', 'issueSignOffLink', 'recordNoShow', 'cancelWorkOrder']);

function run(state: WorkOrderState, ...steps: Array<[WorkOrderAction, number]>): Run {
  let events: Event[] = [];
  for (const [action, now] of steps) {
    if (COMMANDS.has(action.type)) validateWorkOrderCommand(state, action as WorkOrderCommand, now);
    const next = reduceWorkOrder(state, action, now);
    state = next.state;
    events = [...events, ...next.events];
  }
  return { state, events };
}
function create(o: Partial<WorkOrderOpening> = {}, now = T0): Run {
  const open = opening(o);
  return run(initialWorkOrderState(open, now), [{ type: 'create', opening: open }, now]);
}
const types = (r: Run) => r.events.flatMap((e) => (e.kind === 'event' ? [e.type] : [`task:${e.task.kind}`]));
const eventOf = (r: Run, type: string) => r.events.find((e) => e.kind === 'event' && e.type === type) as Extract<Event, { kind: 'event' }> | undefined;
function refusal(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof Rejection) return err.code;
    throw err;
  }
  return undefined;
}
const tech = (userId: string) => ({ kind: 'technician' as const, userId });
const contractor = (companyId: string) => ({ kind: 'contractor' as const, companyId });

/** Created under warranty, assigned to technician t1 by the default lookup at T0. */
function assigned(o: Partial<WorkOrderOpening> = {}): Run {
  const r = create(o);
  return run(r.state, [{ type: 'assigneePicked', assignee: tech('t1') }, T0]);
}
/** Assigned, with a slot on Wednesday 11 March 10:00–12:00 booked at T0 + 1 min. */
function scheduled(o: Partial<WorkOrderOpening> = {}): Run {
  return run(assigned(o).state, [{ type: 'bookAppointment', actor: 'disp', start: at('2026-03-11T10:00'), end: at('2026-03-11T12:00') }, T0 + MINUTE]);
}
function resulted(o: Partial<WorkOrderOpening> = {}, costFen = 12_000): Run {
  return run(
    scheduled(o).state,
    [{ type: 'checkIn', actor: 't1', locationId: 'loc-1' }, at('2026-03-11T10:10')],
    [{ type: 'recordResult', actor: 't1', resultId: 'res-1', photoIds: ['sha256-a', 'sha256-b'], costFen }, at('2026-03-11T11:00')],
  );
}

describe('warranty verdict at creation', () => {
  it('records 保内, the end date and the clause from the statutory table, and dispatches at once', () => {
    const r = create();
    expect(r.state.warranty).toMatchObject({ covered: true, label: '保内', contractorCovered: true });
    expect(r.state.status).toBe('awaiting_assignment');
    const created = eventOf(r, 'work_order.created')!;
    expect(created.data).toMatchObject({ covered: true, warranty: '保内', warrantyLastDay: IN_WARRANTY.lastDay, clause: IN_WARRANTY.clause.code });
    expect(types(r)).toEqual(['work_order.created', 'task:findResponsibleContractor', 'task:pickAssignee']);
  });

  it('records 保外 and waits for a quote instead of dispatching', () => {
    const r = create({ warranty: OUT_OF_WARRANTY });
    expect(r.state.warranty).toMatchObject({ covered: false, label: '保外', contractorCovered: false });
    expect(r.state.status).toBe('awaiting_quote');
    expect(types(r)).toEqual(['work_order.created']);
  });

  it('counts the contractor out once the construction warranty is over, even while the buyer is still covered by a project override', () => {
    const w = workOrderWarrantyOf(
      warrantyInput({ component: 'plumbing_pipes', completionAcceptedAt: at('2022-01-10T10:00'), handedOverAt: at('2022-06-01T10:00'), overrides: [{ scope: { projectId: 'p1' }, component: 'plumbing_pipes', years: 5, from: 'handover' }] }),
    );
    expect(w).toMatchObject({ covered: true, basis: 'override', contractorCovered: false });
  });
});

describe('quote before dispatch (out of warranty)', () => {
  const quote = { type: 'issueQuote' as const, actor: 'disp', items: [{ description: '更换水管 / new pipe', amountFen: 30_000 }, { description: '人工 / labour', amountFen: 20_000 }], totalFen: 50_000 };

  it('dispatches once the owner accepts the quote', () => {
    const r = run(create({ warranty: OUT_OF_WARRANTY }).state, [quote, T0], [{ type: 'answerQuote', actor: 'owner-1', accepted: true }, T0 + MINUTE]);
    expect(r.state.quote).toMatchObject({ status: 'accepted', totalFen: 50_000, answeredAt: T0 + MINUTE });
    expect(r.state.status).toBe('awaiting_assignment');
    expect(types(r)).toEqual(['work_order.quote_issued', 'work_order.quote_accepted', 'task:pickAssignee']);
  });

  it('cancels the order with outcome quote_refused when the owner refuses, telling the dispatchers', () => {
    const r = run(create({ warranty: OUT_OF_WARRANTY }).state, [quote, T0], [{ type: 'answerQuote', actor: 'owner-1', accepted: false }, T0 + MINUTE]);
    expect(r.state).toMatchObject({ status: 'cancelled', outcome: 'quote_refused', closedAt: T0 + MINUTE });
    expect(isWorkOrderEnded(r.state)).toBe(true);
    const refused = eventOf(r, 'work_order.quote_refused')!;
    expect(refused.data).toMatchObject({ closeCaseWith: 'quote_refused', totalFen: 50_000 });
    expect(refused.notice).toEqual({ kind: 'quote_refused', recipients: { dispatchers: true } });
    // The case learns it (and closes with that outcome when nothing else was done).
    expect(r.events.at(-1)).toMatchObject({ kind: 'task', task: { kind: 'informCase', event: 'ended', outcome: 'quote_refused' } });
  });

  it('refuses a quote whose total is not the sum of its items, an answer before any quote, and a quote under warranty', () => {
    const s = create({ warranty: OUT_OF_WARRANTY }).state;
    expect(refusal(() => validateWorkOrderCommand(s, { ...quote, totalFen: 49_999 }, T0))).toBe('WORK_ORDER_QUOTE_INVALID');
    expect(refusal(() => validateWorkOrderCommand(s, { type: 'answerQuote', actor: 'owner-1', accepted: true }, T0))).toBe('WORK_ORDER_NO_QUOTE');
    expect(refusal(() => validateWorkOrderCommand(create().state, quote, T0))).toBe('WORK_ORDER_QUOTE_NOT_NEEDED');
  });

  it('refuses assigning anyone before the quote is accepted', () => {
    const s = create({ warranty: OUT_OF_WARRANTY }).state;
    expect(refusal(() => validateWorkOrderCommand(s, { type: 'assign', actor: 'disp', assignee: tech('t1') }, T0))).toBe('WORK_ORDER_WRONG_STAGE');
  });
});

describe('assignment', () => {
  it('takes the default assignee of the lookup and opens the first visit with its arrival target', () => {
    const r = assigned();
    expect(r.state).toMatchObject({ status: 'assigned', assignee: tech('t1'), assignedAt: T0 });
    expect(r.state.visits).toHaveLength(1);
    const a = eventOf(r, 'work_order.assigned')!;
    expect(a.data).toMatchObject({ byDefault: true, assigneeKind: 'technician', assigneeId: 't1' });
    expect(a.notice).toEqual({ kind: 'assigned', dueAt: r.state.visits[0]!.arrivalDueAt, recipients: { userIds: ['t1'] } });
  });

  it('tells the dispatchers when the lookup finds nobody, and lets a dispatcher assign a contractor', () => {
    const r = run(create().state, [{ type: 'assigneePicked', assignee: null }, T0], [{ type: 'assign', actor: 'disp', assignee: contractor('co-1') }, T0 + MINUTE]);
    expect(eventOf(r, 'work_order.awaiting_assignment')!.notice).toEqual({ kind: 'unassigned', recipients: { dispatchers: true } });
    expect(r.state.assignee).toEqual(contractor('co-1'));
    expect(eventOf(r, 'work_order.assigned')!.notice!.recipients).toEqual({ contractorCompanyId: 'co-1' });
  });

  it('keeps an assignee named at creation and asks for no lookup', () => {
    const r = create({ assignee: tech('t9') });
    expect(r.state.assignee).toEqual(tech('t9'));
    expect(types(r)).toEqual(['work_order.created', 'task:findResponsibleContractor', 'work_order.assigned']);
  });

  it('ignores a default that arrives after a dispatcher assigned by hand', () => {
    const r = run(create().state, [{ type: 'assign', actor: 'disp', assignee: tech('t2') }, T0], [{ type: 'assigneePicked', assignee: tech('t1') }, T0 + 1]);
    expect(r.state.assignee).toEqual(tech('t2'));
    expect(types(r)).toEqual(['work_order.assigned']);
  });

  it('records a reassignment with the previous assignee, counts it, tells both, and restarts the arrival target from it', () => {
    const later = T0 + 2 * 60 * MINUTE;
    const r = run(assigned({ category: 'repair.plumbing.leak' }).state, [{ type: 'reassign', actor: 'disp', assignee: contractor('co-1'), reason: 'busy' }, later]);
    expect(r.state).toMatchObject({ assignee: contractor('co-1'), reassignments: 1 });
    expect(eventOf(r, 'work_order.reassigned')!.data).toMatchObject({ previousAssigneeId: 't1', assigneeId: 'co-1', reason: 'busy', reassignments: 1 });
    expect(eventOf(r, 'work_order.unassigned')!.notice!.recipients).toEqual({ userIds: ['t1'] });
    // 11:30 + 4 working hours: 11:30–12:00, 13:30–17:00.
    expect(r.state.visits[0]!.arrivalDueAt).toBe(at('2026-03-10T17:00'));
  });

  it('refuses reassigning to the same assignee, without a reason, or once on site', () => {
    const s = assigned().state;
    expect(refusal(() => validateWorkOrderCommand(s, { type: 'reassign', actor: 'disp', assignee: tech('t1'), reason: 'x' }, T0))).toBe('WORK_ORDER_SAME_ASSIGNEE');
    expect(refusal(() => validateWorkOrderCommand(s, { type: 'reassign', actor: 'disp', assignee: tech('t2'), reason: ' ' }, T0))).toBe('INVALID_ACTION');
    const onSite = run(s, [{ type: 'checkIn', actor: 't1' }, T0 + MINUTE]).state;
    expect(refusal(() => validateWorkOrderCommand(onSite, { type: 'reassign', actor: 'disp', assignee: tech('t2'), reason: 'x' }, T0))).toBe('WORK_ORDER_WRONG_STAGE');
  });
});

describe('appointment inside the case resolution target', () => {
  it('books a slot that ends by the resolution target and tells the assignee', () => {
    const r = scheduled();
    expect(r.state.status).toBe('scheduled');
    expect(r.state.visits[0]!.appointment).toEqual({ start: at('2026-03-11T10:00'), end: at('2026-03-11T12:00') });
    expect(eventOf(r, 'work_order.appointment_booked')!.notice).toEqual({ kind: 'appointment_booked', dueAt: at('2026-03-11T10:00'), recipients: { userIds: ['t1'] } });
  });

  it('refuses a slot ending after the resolution target, and one already over', () => {
    const s = assigned().state;
    const book = (start: string, end: string) => ({ type: 'bookAppointment' as const, actor: 'disp', start: at(start), end: at(end) });
    expect(refusal(() => validateWorkOrderCommand(s, book('2026-03-17T09:00', '2026-03-17T10:00'), T0))).toBe('WORK_ORDER_SLOT_OUTSIDE_TARGET');
    expect(refusal(() => validateWorkOrderCommand(s, book('2026-03-17T08:00', '2026-03-17T09:30'), T0))).toBeUndefined();
    expect(refusal(() => validateWorkOrderCommand(s, book('2026-03-09T10:00', '2026-03-09T12:00'), T0))).toBe('WORK_ORDER_SLOT_IN_PAST');
    expect(refusal(() => validateWorkOrderCommand(s, book('2026-03-11T12:00', '2026-03-11T10:00'), T0))).toBe('INVALID_ACTION');
  });

  it('accepts any future slot when the case has no resolution target', () => {
    const s = assigned({ resolutionDueAt: null }).state;
    expect(refusal(() => validateWorkOrderCommand(s, { type: 'bookAppointment', actor: 'disp', start: at('2026-05-01T10:00'), end: at('2026-05-01T11:00') }, T0))).toBeUndefined();
  });
});

describe('on-site arrival target', () => {
  it('gives urgent categories (leaks) 4 working hours on the business calendar, skipping lunch', () => {
    const s = assigned({ category: 'repair.plumbing.leak' }).state;
    expect(s.urgent).toBe(true);
    // 09:30–12:00 is 2.5 h, then 13:30 + 1.5 h.
    expect(s.visits[0]!.arrivalDueAt).toBe(at('2026-03-10T15:00'));
    expect(s.visits[0]!.warnAt).toBe(at('2026-03-10T14:00'));
  });

  it('gives other categories until the end of the next working day, over a weekend', () => {
    expect(assigned().state.visits[0]!.arrivalDueAt).toBe(at('2026-03-11T18:00'));
    const friday = at('2026-03-13T16:00');
    expect(arrivalTargetOf({ calendar: CALENDAR_CN_DEFAULT, policy: DEFAULT_ARRIVAL_POLICY, urgent: false, from: friday })).toBe(at('2026-03-16T18:00'));
  });

  it('moves the target to the end of a later slot the owner chose', () => {
    const r = run(assigned().state, [{ type: 'bookAppointment', actor: 'disp', start: at('2026-03-13T14:00'), end: at('2026-03-13T16:00') }, T0]);
    expect(r.state.visits[0]!.arrivalDueAt).toBe(at('2026-03-13T16:00'));
    expect(workOrderNextWakeAt(r.state)).toBe(at('2026-03-13T15:00'));
  });

  it('warns the assignee before the target, then records the breach once and tells the dispatchers', () => {
    const s = assigned({ category: 'repair.plumbing.leak' }).state;
    expect(workOrderNextWakeAt(s)).toBe(at('2026-03-10T14:00'));
    const warned = run(s, [{ type: 'tick' }, at('2026-03-10T14:00')]);
    expect(eventOf(warned, 'work_order.arrival_warning')!.notice).toEqual({ kind: 'arrival_warning', dueAt: at('2026-03-10T15:00'), recipients: { userIds: ['t1'] } });
    expect(workOrderNextWakeAt(warned.state)).toBe(at('2026-03-10T15:00'));
    const breached = run(warned.state, [{ type: 'tick' }, at('2026-03-10T15:00')], [{ type: 'tick' }, at('2026-03-10T15:30')]);
    expect(types(breached)).toEqual(['work_order.arrival_breached']);
    expect(breached.events[0]).toMatchObject({ notice: { kind: 'arrival_breached', recipients: { userIds: ['t1'], dispatchers: true } } });
    expect(breached.state.arrivalBreaches).toBe(1);
    expect(workOrderNextWakeAt(breached.state)).toBeNull();
  });

  it('stops the clock at check-in: late arrivals are recorded as not on time', () => {
    const s = assigned({ category: 'repair.plumbing.leak' }).state;
    const r = run(s, [{ type: 'checkIn', actor: 't1' }, at('2026-03-10T15:30')]);
    expect(r.state.visits[0]).toMatchObject({ onTime: false, checkedInAt: at('2026-03-10T15:30') });
    expect(workOrderNextWakeAt(r.state)).toBeNull();
  });
});

describe('check-in, result and sign-off', () => {
  it('keeps only the id of the check-in location row, never coordinates', () => {
    const r = run(scheduled().state, [{ type: 'checkIn', actor: 't1', locationId: 'loc-1' }, at('2026-03-11T10:10')]);
    expect(r.state.status).toBe('on_site');
    expect(eventOf(r, 'work_order.checked_in')!.data).toEqual({ visit: 1, onTime: true, geolocated: true, locationId: 'loc-1', arrivalDueAt: new Date(at('2026-03-11T18:00')).toISOString() });
  });

  it('records the result by ids (the text and materials stay in the read model)', () => {
    const r = resulted();
    expect(r.state.status).toBe('awaiting_sign_off');
    expect(eventOf(r, 'work_order.result_recorded')!.data).toEqual({ visit: 1, resultId: 'res-1', photoIds: ['sha256-a', 'sha256-b'], costFen: 12_000 });
  });

  it('is done when the owner accepts the sign-off', () => {
    const r = run(resulted({ warranty: { ...IN_WARRANTY, contractorCovered: false } }).state, [{ type: 'signOff', actor: 'owner-1', accepted: true, signOffId: 'sig-1' }, at('2026-03-11T11:10')]);
    expect(r.state).toMatchObject({ status: 'done', outcome: 'done', closedAt: at('2026-03-11T11:10'), chargeBack: null });
    expect(r.state.visits[0]).toMatchObject({ outcome: 'signed_off', signOffId: 'sig-1' });
    expect(types(r)).toEqual(['work_order.signed_off', 'work_order.done', 'task:informCase']);
  });

  it('refuses a result before check-in and a sign-off before a result', () => {
    const s = scheduled().state;
    expect(refusal(() => validateWorkOrderCommand(s, { type: 'recordResult', actor: 't1', resultId: 'r', photoIds: [] }, T0))).toBe('WORK_ORDER_WRONG_STAGE');
    expect(refusal(() => validateWorkOrderCommand(s, { type: 'signOff', actor: 'o', accepted: true }, T0))).toBe('WORK_ORDER_WRONG_STAGE');
  });
});

describe('a sign-off link for the owner', () => {
  it('is audited by the link id and expiry once the visit awaits sign-off, and changes nothing else', () => {
    const before = resulted().state;
    const expiresAt = at('2026-03-14T11:00');
    const r = run(before, [{ type: 'issueSignOffLink', actor: 't1', linkId: 'link-1', expiresAt }, at('2026-03-11T11:00')]);
    expect(types(r)).toEqual(['work_order.sign_off_link_issued']);
    expect(eventOf(r, 'work_order.sign_off_link_issued')!.data).toEqual({ visit: 1, linkId: 'link-1', expiresAt: new Date(expiresAt).toISOString() });
    expect({ ...r.state, seq: before.seq }).toEqual(before);
  });

  it('refuses a link before the result, and one already expired', () => {
    expect(refusal(() => validateWorkOrderCommand(scheduled().state, { type: 'issueSignOffLink', actor: 't1', linkId: 'l', expiresAt: at('2026-03-14T11:00') }, T0))).toBe('WORK_ORDER_WRONG_STAGE');
    expect(refusal(() => validateWorkOrderCommand(resulted().state, { type: 'issueSignOffLink', actor: 't1', linkId: 'l', expiresAt: at('2026-03-11T11:00') }, at('2026-03-11T12:00')))).toBe('INVALID_ACTION');
  });
});

describe('rework after a rejected sign-off', () => {
  it('opens a new visit needing a new appointment, counts the rework, and tells the assignee and dispatchers', () => {
    const rejectedAt = at('2026-03-11T11:10');
    const r = run(resulted().state, [{ type: 'signOff', actor: 'owner-1', accepted: false, signOffId: 'sig-no' }, rejectedAt]);
    expect(r.state).toMatchObject({ status: 'assigned', reworks: 1 });
    expect(r.state.visits.map((v) => [v.number, v.reason, v.outcome])).toEqual([
      [1, 'first', 'rejected'],
      [2, 'rework', null],
    ]);
    expect(r.state.visits[1]!.arrivalDueAt).toBe(at('2026-03-12T18:00'));
    expect(eventOf(r, 'work_order.sign_off_rejected')!.notice).toEqual({ kind: 'rework', dueAt: at('2026-03-12T18:00'), recipients: { userIds: ['t1'], dispatchers: true } });
  });
});

describe('no-show', () => {
  it('records who did not come and opens a new visit for a new appointment', () => {
    const r = run(scheduled().state, [{ type: 'recordNoShow', actor: 'disp', party: 'owner' }, at('2026-03-11T12:30')]);
    expect(r.state).toMatchObject({ status: 'assigned', noShows: 1 });
    expect(r.state.visits.map((v) => v.outcome)).toEqual(['no_show_owner', null]);
    expect(eventOf(r, 'work_order.no_show')!.data).toMatchObject({ party: 'owner', visit: 1, nextVisit: 2 });
  });

  it('refuses a no-show without an appointment', () => {
    expect(refusal(() => validateWorkOrderCommand(assigned().state, { type: 'recordNoShow', actor: 'disp', party: 'technician' }, T0))).toBe('WORK_ORDER_WRONG_STAGE');
  });
});

describe('contractor charge-back', () => {
  const signOff = { type: 'signOff' as const, actor: 'owner-1', accepted: true };
  const withResponsible = (r: Run, companyId: string | null) => run(r.state, [{ type: 'responsibleContractorFound', contractorCompanyId: companyId }, T0]);

  it('charges the responsible contractor the cost of the repair when the construction warranty covers the defect', () => {
    const r = run(withResponsible(resulted(), 'co-builder').state, [signOff, at('2026-03-11T11:10')]);
    expect(r.state.chargeBack).toEqual({ contractorCompanyId: 'co-builder', amountFen: 12_000, recordedAt: at('2026-03-11T11:10') });
    expect(eventOf(r, 'work_order.charged_back')!.notice).toEqual({ kind: 'charge_back', recipients: { contractorCompanyId: 'co-builder', dispatchers: true } });
    expect(types(r)).toEqual(['work_order.signed_off', 'work_order.charged_back', 'work_order.done', 'task:informCase']);
  });

  it('charges nothing when the responsible contractor did the repair itself, or none is responsible', () => {
    const self = run(withResponsible(resulted({ assignee: contractor('co-builder') }), 'co-builder').state, [signOff, at('2026-03-11T11:10')]);
    expect(self.state).toMatchObject({ assignee: contractor('co-builder'), status: 'done', chargeBack: null });
    const none = run(withResponsible(resulted(), null).state, [signOff, at('2026-03-11T11:10')]);
    expect(none.state.chargeBack).toBeNull();
  });

  it('charges nothing out of the construction warranty', () => {
    const r = run(withResponsible(resulted({ warranty: { ...IN_WARRANTY, contractorCovered: false } }), 'co-builder').state, [signOff, at('2026-03-11T11:10')]);
    expect(r.state.chargeBack).toBeNull();
  });
});

describe('ended orders', () => {
  it('refuses every command once cancelled', () => {
    const r = run(assigned().state, [{ type: 'cancelWorkOrder', actor: 'disp', reason: 'duplicate' }, T0]);
    expect(r.state).toMatchObject({ status: 'cancelled', outcome: 'cancelled', cancelReason: 'duplicate' });
    expect(r.events.at(-1)).toMatchObject({ kind: 'task', task: { kind: 'informCase', event: 'ended', outcome: 'cancelled' } });
    expect(refusal(() => validateWorkOrderCommand(r.state, { type: 'checkIn', actor: 't1' }, T0))).toBe('WORK_ORDER_ENDED');
    expect(workOrderNextWakeAt(r.state)).toBeNull();
  });
});
