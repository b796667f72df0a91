import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CADENCES } from '../../../domain/leads/cadence.js';
import { isLeadEnded, leadProcess, type LeadAction, type LeadArrival, type LeadCommand } from '../../../domain/leads/lead-process.js';
import type { LeadNotice, LeadState } from '../../../domain/leads/lead-state.js';
import { Rejection, type ProcessEvent } from '../../../domain/process.js';

/**
 * The lead's cadence rules without Temporal: the pure reducer driven with actions and instants on
 * the project's calendar. test/workflows/lead-follow-up.test.ts proves the same rules through the
 * workflow and its timers.
 */
const ZONE = 'Asia/Shanghai';
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
const T0 = at('2026-03-10T09:30');
const rules = leadProcess(ZONE);
const arrival = (o: Partial<LeadArrival> = {}): LeadArrival => ({
  leadId: 'l1',
  leadNumber: 'LD-1',
  source: 'web',
  grade: 'A',
  ownerId: 'sm-1',
  referrerCustomerId: null,
  createdBy: 'agent',
  policies: [...DEFAULT_CADENCES],
  ...o,
});

type Run = { state: LeadState; events: ProcessEvent<LeadNotice, never>[] };
const COMMANDS = new Set(['logTouch', 'regradeLead', 'assignLead', 'convertLead', 'markLeadLost', 'reviewLostLead']);
function run(state: LeadState, ...steps: Array<[LeadAction, number]>): Run {
  let events: Run['events'] = [];
  for (const [action, now] of steps) {
    if (COMMANDS.has(action.type)) rules.validate(state, action as LeadCommand);
    const next = rules.reduce(state, action, now);
    state = next.state;
    events = [...events, ...next.events];
  }
  return { state, events };
}
const created = (o: Partial<LeadArrival> = {}) => run(rules.initialState(arrival(o), T0), [{ type: 'create', arrival: arrival(o) }, T0]);
const types = (r: Run) => r.events.map((e) => (e.kind === 'event' ? e.type : 'task'));
const refusal = (state: LeadState, command: LeadCommand) => {
  try {
    rules.validate(state, command);
  } catch (err) {
    expect(err).toBeInstanceOf(Rejection);
    return (err as Rejection).code;
  }
  return null;
};
const touch = (actor = 'sm-1'): LeadCommand => ({ type: 'logTouch', actor, channel: 'phone', outcome: 'reached' });

describe('arrival', () => {
  it('gives an owned grade-A lead 24 hours for the first contact and tells its owner', () => {
    const r = created();
    expect(r.state).toMatchObject({ status: 'new', ownerId: 'sm-1', firstContactDueAt: at('2026-03-11T09:30'), seq: 1, runs: 1 });
    expect(r.events).toEqual([
      expect.objectContaining({ seq: 1, type: 'lead.created', notice: { kind: 'assigned', dueAt: at('2026-03-11T09:30'), recipients: { userIds: ['sm-1'] } } }),
    ]);
  });

  it('puts a lead without an owner in the pool and tells the sales managers', () => {
    const r = created({ ownerId: null });
    expect(r.state).toMatchObject({ status: 'pooled', window: null, pooledAt: T0, poolReminderAt: at('2026-03-11T09:30') });
    expect(r.events[0]).toMatchObject({ notice: { kind: 'pooled', recipients: { salesManagers: true } } });
  });
});

describe('cadence timers', () => {
  it('reminds the owner at the due time, tells the managers the first contact was missed, and pools the lead an interval later', () => {
    const r = created();
    expect(rules.nextWakeAt(r.state)).toBe(at('2026-03-11T09:30'));
    const due = run(r.state, [{ type: 'tick' }, at('2026-03-11T09:30')]);
    expect(types(due)).toEqual(['lead.touch_due', 'lead.first_contact_missed']);
    expect(due.events[1]).toMatchObject({ notice: { kind: 'first_contact_missed', recipients: { salesManagers: true } } });
    expect(rules.nextWakeAt(due.state)).toBe(at('2026-03-12T09:30'));
    const pooled = run(due.state, [{ type: 'tick' }, at('2026-03-12T09:30')]);
    expect(types(pooled)).toEqual(['lead.pooled']);
    expect(pooled.state).toMatchObject({ status: 'pooled', ownerId: null, window: null });
  });

  it('drops a B lead to C a month after it became B', () => {
    const r = run(created({ grade: 'B' }).state, [touch(), at('2026-03-11T10:00')]);
    const dropped = run(r.state, [touch(), at('2026-03-17T10:00')], [touch(), at('2026-03-24T10:00')], [touch(), at('2026-03-31T10:00')], [{ type: 'tick' }, at('2026-04-10T09:30')]);
    expect(dropped.state.grade).toBe('C');
    expect(dropped.events.at(-1)).toMatchObject({ type: 'lead.regraded', actor: 'system', data: { from: 'B', to: 'C', reason: 'cadence_ended' } });
  });
});

describe('touches', () => {
  it('records the first contact within target and opens the next window a day later', () => {
    const r = run(created().state, [touch(), at('2026-03-10T15:00')]);
    expect(r.events[0]).toMatchObject({ type: 'lead.touched', data: { firstContact: true, withinTarget: true, nextTouchDueAt: new Date(at('2026-03-11T15:00')).toISOString() } });
    expect(r.state).toMatchObject({ status: 'contacting', touchCount: 1, firstTouchAt: at('2026-03-10T15:00') });
  });

  it('refuses touches on a pooled lead', () => {
    expect(refusal(created({ ownerId: null }).state, touch())).toBe('LEAD_POOLED');
  });
});

describe('grades and owners', () => {
  it('switches cadence at once on a re-grade, and refuses the same grade', () => {
    const r = run(created().state, [{ type: 'regradeLead', actor: 'sm-1', grade: 'C' }, at('2026-03-10T10:00')]);
    expect(r.state.window?.dueAt).toBe(at('2026-04-10T10:00'));
    expect(refusal(r.state, { type: 'regradeLead', actor: 'sm-1', grade: 'C' })).toBe('LEAD_SAME_GRADE');
  });

  it('takes a pooled lead out of the pool when assigned, and refuses the same owner', () => {
    const r = run(created({ ownerId: null }).state, [{ type: 'assignLead', actor: 'mgr', ownerId: 's-2' }, at('2026-03-10T10:00')]);
    expect(r.state).toMatchObject({ status: 'new', ownerId: 's-2', pooledAt: null, poolReminderAt: null });
    expect(r.events[0]).toMatchObject({ data: { fromPool: true }, notice: { kind: 'assigned', recipients: { userIds: ['s-2'] } } });
    expect(refusal(r.state, { type: 'assignLead', actor: 'mgr', ownerId: 's-2' })).toBe('LEAD_SAME_OWNER');
  });
});

describe('conversion and loss', () => {
  it('ends the lead at conversion with the unit, price and deposit', () => {
    const r = run(created().state, [{ type: 'convertLead', actor: 'sm-1', unitId: 'u1', price: '1000000.00', deposit: '50000' }, at('2026-03-10T10:00')]);
    expect(isLeadEnded(r.state)).toBe(true);
    expect(rules.nextWakeAt(r.state)).toBeNull();
    expect(refusal(r.state, touch())).toBe('LEAD_ENDED');
    expect(refusal(created().state, { type: 'convertLead', actor: 'sm-1', unitId: 'u1', price: '1e6', deposit: '0' })).toBe('INVALID_ACTION');
  });

  it('waits for the sales manager after a loss, and their review hands it on or closes it', () => {
    const lost = run(created().state, [{ type: 'markLeadLost', actor: 'sm-1', reason: 'price' }, at('2026-03-10T10:00')]);
    expect(lost.events[0]).toMatchObject({ notice: { kind: 'loss_review', recipients: { salesManagers: true } } });
    expect(rules.nextWakeAt(lost.state)).toBeNull();
    expect(refusal(lost.state, touch())).toBe('LEAD_PENDING_REVIEW');
    const reassigned = run(lost.state, [{ type: 'reviewLostLead', actor: 'mgr', decision: 'reassign', ownerId: 's-3' }, at('2026-03-11T10:00')]);
    expect(reassigned.state).toMatchObject({ status: 'new', ownerId: 's-3' });
    const closed = run(lost.state, [{ type: 'reviewLostLead', actor: 'mgr', decision: 'close' }, at('2026-03-11T10:00')]);
    expect(types(closed)).toEqual(['lead.reviewed', 'lead.closed']);
    expect(isLeadEnded(closed.state)).toBe(true);
    expect(refusal(created().state, { type: 'reviewLostLead', actor: 'mgr', decision: 'close' })).toBe('LEAD_NOT_LOST');
  });
});
