import { describe, expect, it } from 'vitest';
import { CALENDAR_24x7, workingTimeBetween } from '../../../domain/cases/business-calendar.js';
import { CaseRuleError } from '../../../domain/cases/errors.js';
import {
  approvalDeadline,
  describeTarget,
  durationsForReport,
  earliestDeadline,
  elapsedMs,
  isMetWithinTarget,
  markBreached,
  markWarned,
  meetTarget,
  nextDeadline,
  pauseTarget,
  rebudgetTarget,
  recordDueEvents,
  resumeTarget,
  startTarget,
  targetBudget,
  type TargetClock,
} from '../../../domain/cases/sla-clock.js';
import { DEFAULT_POLICY, type SlaPolicy } from '../../../domain/cases/sla-policy.js';
import { cst, HOUR, MINUTE, SHANGHAI_2026 } from './calendars.fixture.js';

const T0 = Date.UTC(2026, 9, 12, 1, 0); // Monday 12 October 2026, 09:00 in Shanghai
const calendarPolicy: SlaPolicy = DEFAULT_POLICY; // PT24H / P7D / P3D, warn at 80 %, calendar clock
const officePolicy: SlaPolicy = { ...DEFAULT_POLICY, id: 'office', name: 'Office hours', clock: 'business', calendarId: 'cn-2026', firstContact: 'PT4H', resolution: 'P2D' };

const startCalendar = (name: 'firstContact' | 'resolution' = 'firstContact', now = T0) => startTarget({ name, policy: calendarPolicy, now });
const startOffice = (now: number, name: 'firstContact' | 'resolution' = 'firstContact') => startTarget({ name, policy: officePolicy, calendar: SHANGHAI_2026, now });

describe('SLA clock: starting a target', () => {
  it('sets the deadline and the 80 % warning on the calendar clock', () => {
    const t = startCalendar();
    expect(t).toMatchObject({ budgetMs: 24 * HOUR, dueAt: T0 + 24 * HOUR, warnDueAt: T0 + 19.2 * HOUR, consumedMs: 0, runningSince: T0, calendar: null });
    expect(nextDeadline({ t })).toEqual({ at: T0 + 19.2 * HOUR, event: 'warn' });
  });

  it('counts working hours only on the business clock, across the National Day week', () => {
    // Wednesday 30 September 17:00 + 4 working hours: 1 h that day, closed 1–7 October, 3 h on the 8th.
    const t = startOffice(cst('2026-09-30 17:00'));
    expect(t.dueAt).toBe(cst('2026-10-08 12:00'));
    expect(t.warnDueAt).toBe(cst('2026-10-08 11:12'));
  });

  it('reads a business-clock day as one working day of the calendar (7.5 h here)', () => {
    const t = startOffice(cst('2026-10-12 09:00'), 'resolution');
    expect(t.budgetMs).toBe(15 * HOUR);
    expect(t.dueAt).toBe(cst('2026-10-13 18:00'));
  });

  it('runs a 24×7 business calendar across midnight', () => {
    const policy: SlaPolicy = { ...officePolicy, calendarId: '24x7', firstContact: 'PT2H', resolution: 'P1D' };
    const t = startTarget({ name: 'firstContact', policy, calendar: CALENDAR_24x7, now: Date.parse('2026-10-01T23:30:00Z') });
    expect(t.dueAt).toBe(Date.parse('2026-10-02T01:30:00Z'));
    expect(startTarget({ name: 'resolution', policy, calendar: CALENDAR_24x7, now: T0 }).budgetMs).toBe(24 * HOUR);
  });

  it('needs the calendar the business policy names', () => {
    expect(() => startTarget({ name: 'firstContact', policy: officePolicy, now: T0 })).toThrow(CaseRuleError);
    expect(() => startTarget({ name: 'firstContact', policy: officePolicy, calendar: CALENDAR_24x7, now: T0 })).toThrow(/cn-2026/);
  });

  it('gives a supervisor the approval window in working hours on a business policy', () => {
    expect(approvalDeadline({ policy: officePolicy, calendar: SHANGHAI_2026, from: cst('2026-09-30 17:00') })).toBe(cst('2026-10-08 12:00'));
    expect(approvalDeadline({ policy: calendarPolicy, from: T0 })).toBe(T0 + 4 * HOUR);
  });

  it('is plain JSON that survives a round trip through workflow history', () => {
    let t = startOffice(cst('2026-09-30 10:00'));
    t = pauseTarget({ t, now: cst('2026-09-30 11:00') });
    const copy = JSON.parse(JSON.stringify(t)) as TargetClock;
    expect(copy).toEqual(t);
    expect(resumeTarget({ t: copy, now: cst('2026-10-08 09:00') })).toEqual(resumeTarget({ t, now: cst('2026-10-08 09:00') }));
  });
});

describe('SLA clock: pause and resume', () => {
  it('continues exactly where it stopped on the calendar clock', () => {
    let t = startCalendar();
    t = pauseTarget({ t, now: T0 + 10 * HOUR });
    expect(nextDeadline({ t })).toBeNull();
    expect(elapsedMs({ t, now: T0 + 20 * HOUR })).toBe(10 * HOUR);
    t = resumeTarget({ t, now: T0 + 30 * HOUR });
    expect(t).toMatchObject({ consumedMs: 10 * HOUR, pausedMs: 20 * HOUR, dueAt: T0 + 44 * HOUR, pausedSince: null, runningSince: T0 + 30 * HOUR });
  });

  it('moves a business deadline by exactly the working time the pause covered, across a holiday', () => {
    let t = startOffice(cst('2026-09-30 17:00'));
    const dueBefore = t.dueAt; // 8 October 12:00
    t = pauseTarget({ t, now: cst('2026-09-30 17:30') });
    t = resumeTarget({ t, now: cst('2026-10-09 09:00') });
    // 3.5 working hours were left: 09:00–12:00 and 13:30–14:00 on Friday 9 October.
    expect(t.dueAt).toBe(cst('2026-10-09 14:00'));
    expect(t.consumedMs).toBe(30 * MINUTE);
    expect(t.pausedMs).toBe(cst('2026-10-09 09:00') - cst('2026-09-30 17:30'));
    const pausedWorkingTime = workingTimeBetween({ calendar: SHANGHAI_2026, from: cst('2026-09-30 17:30'), to: cst('2026-10-09 09:00') });
    expect(workingTimeBetween({ calendar: SHANGHAI_2026, from: dueBefore, to: t.dueAt })).toBe(pausedWorkingTime);
  });

  it('counts a Saturday make-up day after a resume', () => {
    let t = startOffice(cst('2026-10-09 09:00'));
    t = pauseTarget({ t, now: cst('2026-10-09 10:00') });
    t = resumeTarget({ t, now: cst('2026-10-09 17:00') });
    // 3 h left: 17:00–18:00 on Friday, then 09:00–11:00 on the make-up Saturday.
    expect(t.dueAt).toBe(cst('2026-10-10 11:00'));
  });

  it('does not count the lunch break while running', () => {
    const t = startOffice(cst('2026-10-12 11:00'));
    expect(elapsedMs({ t, now: cst('2026-10-12 13:00') })).toBe(HOUR);
    expect(elapsedMs({ t, now: cst('2026-10-12 14:00') })).toBe(90 * MINUTE);
  });

  it('ignores a second pause, a resume while running, and a pause once met', () => {
    const running = startCalendar();
    expect(resumeTarget({ t: running, now: T0 + HOUR })).toBe(running);
    const paused = pauseTarget({ t: running, now: T0 + HOUR });
    expect(pauseTarget({ t: paused, now: T0 + 2 * HOUR })).toBe(paused);
    const met = meetTarget({ t: running, now: T0 + HOUR });
    expect(pauseTarget({ t: met, now: T0 + 2 * HOUR })).toBe(met);
    expect(resumeTarget({ t: met, now: T0 + 2 * HOUR })).toBe(met);
  });

  it('passes a target that has not started through untouched', () => {
    expect(pauseTarget({ t: null, now: T0 })).toBeNull();
    expect(resumeTarget({ t: null, now: T0 })).toBeNull();
    expect(meetTarget({ t: null, now: T0 })).toBeNull();
    expect(rebudgetTarget({ t: null, budgetMs: HOUR, warnAt: 0.8, now: T0 })).toBeNull();
    expect(nextDeadline({ t: null })).toBeNull();
  });

  it('ends a pause when the target is met while paused', () => {
    let t = startCalendar();
    t = pauseTarget({ t, now: T0 + 2 * HOUR });
    t = meetTarget({ t, now: T0 + 5 * HOUR });
    expect(t).toMatchObject({ metAt: T0 + 5 * HOUR, consumedMs: 2 * HOUR, pausedMs: 3 * HOUR, pausedSince: null, runningSince: null });
    expect(isMetWithinTarget({ t })).toBe(true);
  });

  it('never mutates the state it is given', () => {
    const frozen = <T>(v: T): T => {
      if (v && typeof v === 'object') {
        Object.values(v).forEach(frozen);
        Object.freeze(v);
      }
      return v;
    };
    const t = frozen(pauseTarget({ t: startOffice(cst('2026-10-12 09:00')), now: cst('2026-10-12 10:00') }));
    const resumed = frozen(resumeTarget({ t, now: cst('2026-10-12 11:00') }));
    frozen(rebudgetTarget({ t: resumed, budgetMs: HOUR, warnAt: 0.5, now: cst('2026-10-12 11:30') }));
    frozen(meetTarget({ t: resumed, now: cst('2026-10-12 11:30') }));
    frozen(markBreached({ t: resumed, now: cst('2026-10-13 11:30') }));
  });
});

describe('SLA clock: deadlines, warnings and breaches', () => {
  it('fires the warning, then the breach, then needs no more timers', () => {
    let t = startCalendar();
    const warn = recordDueEvents({ t, now: T0 + 19.2 * HOUR });
    expect(warn.events).toEqual(['warn']);
    t = warn.t;
    expect(t.warnedAt).toBe(T0 + 19.2 * HOUR);
    expect(nextDeadline({ t })).toEqual({ at: T0 + 24 * HOUR, event: 'breach' });
    const breach = recordDueEvents({ t, now: T0 + 24 * HOUR });
    expect(breach.events).toEqual(['breach']);
    t = breach.t;
    expect(t.breachedAt).toBe(T0 + 24 * HOUR);
    expect(nextDeadline({ t })).toBeNull();
  });

  it('records nothing for a timer that fires before its mark', () => {
    const t = startCalendar();
    expect(recordDueEvents({ t, now: T0 + 19 * HOUR })).toEqual({ t, events: [] });
    expect(markWarned({ t, now: T0 + 19 * HOUR })).toBe(t);
    expect(markBreached({ t, now: T0 + 24 * HOUR - 1 })).toBe(t);
  });

  it('records only the breach when a late timer finds both marks passed', () => {
    const t = startCalendar();
    const { t: after, events } = recordDueEvents({ t, now: T0 + 30 * HOUR });
    expect(events).toEqual(['breach']);
    expect(after.warnedAt).toBeNull();
    expect(nextDeadline({ t: after })).toBeNull();
  });

  it('does not breach on a stale timer after a pause moved the deadline', () => {
    let t = startCalendar();
    t = pauseTarget({ t, now: T0 + HOUR });
    t = resumeTarget({ t, now: T0 + 3 * HOUR });
    expect(markBreached({ t, now: T0 + 24 * HOUR })).toBe(t);
    expect(markBreached({ t, now: T0 + 26 * HOUR }).breachedAt).toBe(T0 + 26 * HOUR);
  });

  it('needs no timer while paused, unless a mark was passed before the pause and never recorded', () => {
    let t = startCalendar();
    t = pauseTarget({ t, now: T0 + 25 * HOUR });
    expect(nextDeadline({ t })).toEqual({ at: T0 + 24 * HOUR, event: 'breach' });
    const { events } = recordDueEvents({ t, now: T0 + 25 * HOUR });
    expect(events).toEqual(['breach']);
  });

  it('finds the earliest timer across a case’s targets', () => {
    const firstContact = startCalendar('firstContact');
    const resolution = startCalendar('resolution');
    expect(earliestDeadline({ targets: { firstContact, resolution, callback: null } })).toEqual({ target: 'firstContact', at: T0 + 19.2 * HOUR, event: 'warn' });
    const contacted = meetTarget({ t: firstContact, now: T0 + HOUR });
    expect(earliestDeadline({ targets: { firstContact: contacted, resolution } })).toEqual({ target: 'resolution', at: T0 + 0.8 * 7 * 24 * HOUR, event: 'warn' });
    expect(resolution.metAt).toBeNull(); // meeting first contact never meets the resolution
  });
});

describe('SLA clock: meeting a target', () => {
  it('meets a target exactly at its deadline on time, and a breach timer at that instant then does nothing', () => {
    let t = startCalendar();
    t = meetTarget({ t, now: t.dueAt });
    expect(t.metAt).toBe(T0 + 24 * HOUR);
    expect(isMetWithinTarget({ t })).toBe(true);
    expect(markBreached({ t, now: t.dueAt })).toBe(t);
    expect(nextDeadline({ t })).toBeNull();
    expect(durationsForReport({ t })).toMatchObject({ durationMs: 24 * HOUR, withinTarget: true, breachedAt: null });
  });

  it('meets a target one millisecond before its deadline on time', () => {
    const t = meetTarget({ t: startCalendar(), now: T0 + 24 * HOUR - 1 });
    expect(isMetWithinTarget({ t })).toBe(true);
    expect(t.breachedAt).toBeNull();
  });

  it('meets a business target at the closing minute of its deadline day on time', () => {
    const t0 = startOffice(cst('2026-10-12 14:00')); // 4 working hours: due 18:00 the same day
    expect(t0.dueAt).toBe(cst('2026-10-12 18:00'));
    expect(isMetWithinTarget({ t: meetTarget({ t: t0, now: cst('2026-10-12 18:00') }) })).toBe(true);
    // Half an hour after closing no working time has passed, yet the deadline has.
    expect(isMetWithinTarget({ t: meetTarget({ t: t0, now: cst('2026-10-12 18:30') }) })).toBe(false);
  });

  it('keeps the breach when a breached target is met later', () => {
    let t = startCalendar();
    t = markBreached({ t, now: T0 + 24 * HOUR });
    t = meetTarget({ t, now: T0 + 26 * HOUR });
    expect(t).toMatchObject({ breachedAt: T0 + 24 * HOUR, metAt: T0 + 26 * HOUR });
    expect(isMetWithinTarget({ t })).toBe(false);
    expect(durationsForReport({ t })).toMatchObject({ durationMs: 26 * HOUR, withinTarget: false, breachedAt: T0 + 24 * HOUR });
  });

  it('reports working time for a business target and wall time separately, pauses excluded', () => {
    let t = startOffice(cst('2026-09-30 17:00'), 'resolution');
    t = pauseTarget({ t, now: cst('2026-09-30 17:30') });
    t = resumeTarget({ t, now: cst('2026-10-08 09:00') });
    t = meetTarget({ t, now: cst('2026-10-08 14:00') });
    expect(durationsForReport({ t })).toMatchObject({
      target: 'resolution',
      clock: 'business',
      durationMs: 30 * MINUTE + 3.5 * HOUR,
      wallMs: cst('2026-10-08 14:00') - cst('2026-09-30 17:00'),
      pausedMs: cst('2026-10-08 09:00') - cst('2026-09-30 17:30'),
      withinTarget: true,
    });
  });

  it('has nothing to report while a target is not met', () => {
    expect(durationsForReport({ t: startCalendar() })).toBeNull();
  });
});

describe('SLA clock: re-budgeting after a severity or category change', () => {
  it('keeps consumed and paused time when severity changes after a pause', () => {
    let t = startCalendar('resolution');
    t = pauseTarget({ t, now: T0 + 6 * HOUR });
    t = resumeTarget({ t, now: T0 + 10 * HOUR });
    t = rebudgetTarget({ t, budgetMs: 12 * HOUR, warnAt: 0.8, now: T0 + 12 * HOUR });
    expect(t).toMatchObject({ budgetMs: 12 * HOUR, consumedMs: 6 * HOUR, pausedMs: 4 * HOUR, dueAt: T0 + 16 * HOUR });
    expect(elapsedMs({ t, now: T0 + 12 * HOUR })).toBe(8 * HOUR);
  });

  it('keeps consumed working time on the business clock when severity changes after a pause', () => {
    let t = startOffice(cst('2026-10-12 09:00'), 'resolution'); // 15 working hours
    t = pauseTarget({ t, now: cst('2026-10-12 11:00') });
    t = resumeTarget({ t, now: cst('2026-10-14 09:00') });
    const { budgetMs, warnAt, clock, calendar } = targetBudget({ name: 'firstContact', policy: officePolicy, calendar: SHANGHAI_2026 });
    t = rebudgetTarget({ t, budgetMs, warnAt, clock, calendar, now: cst('2026-10-14 10:00') });
    // 4 working hours in all: 2 used before the pause, so 2 are left after the resume at 09:00.
    expect(t).toMatchObject({ consumedMs: 2 * HOUR, dueAt: cst('2026-10-14 11:00') });
  });

  it('puts the deadline where the new budget ran out when it already has, and breaches at once', () => {
    let t = startCalendar('resolution');
    t = pauseTarget({ t, now: T0 + 5 * HOUR });
    t = resumeTarget({ t, now: T0 + 7 * HOUR });
    t = rebudgetTarget({ t, budgetMs: 6 * HOUR, warnAt: 0.5, now: T0 + 12 * HOUR });
    // 5 h before the pause, then the 6th hour ran out at T0 + 8 h.
    expect(t.dueAt).toBe(T0 + 8 * HOUR);
    expect(t.warnDueAt).toBe(T0 + 3 * HOUR);
    expect(nextDeadline({ t })?.at).toBeLessThanOrEqual(T0 + 12 * HOUR);
    expect(recordDueEvents({ t, now: T0 + 12 * HOUR }).events).toEqual(['breach']);
  });

  it('keeps breachedAt on a breached target but recomputes its deadline', () => {
    let t = startCalendar();
    t = markBreached({ t, now: T0 + 24 * HOUR });
    t = rebudgetTarget({ t, budgetMs: 48 * HOUR, warnAt: 0.8, now: T0 + 25 * HOUR });
    expect(t).toMatchObject({ breachedAt: T0 + 24 * HOUR, dueAt: T0 + 48 * HOUR });
    expect(nextDeadline({ t })).toBeNull();
  });

  it('leaves a met target exactly as recorded', () => {
    const met = meetTarget({ t: startCalendar(), now: T0 + HOUR });
    expect(rebudgetTarget({ t: met, budgetMs: 2 * HOUR, warnAt: 0.5, now: T0 + 3 * HOUR })).toBe(met);
  });

  it('re-arms a warning when a longer budget moves the mark ahead, and keeps it when the mark is passed', () => {
    let t = markWarned({ t: startCalendar(), now: T0 + 20 * HOUR });
    expect(t.warnedAt).toBe(T0 + 20 * HOUR);
    const longer = rebudgetTarget({ t, budgetMs: 48 * HOUR, warnAt: 0.8, now: T0 + 21 * HOUR });
    expect(longer.warnedAt).toBeNull();
    expect(nextDeadline({ t: longer })).toEqual({ at: T0 + 38.4 * HOUR, event: 'warn' });
    t = rebudgetTarget({ t, budgetMs: 25 * HOUR, warnAt: 0.8, now: T0 + 21 * HOUR });
    expect(t.warnedAt).toBe(T0 + 20 * HOUR);
    expect(nextDeadline({ t })).toEqual({ at: T0 + 25 * HOUR, event: 'breach' });
  });

  it('recounts consumed time as working time when a category change moves the case to the business clock', () => {
    let t = startCalendar('resolution'); // Monday 09:00 Shanghai
    t = pauseTarget({ t, now: cst('2026-10-12 20:00') }); // 11 wall hours, 7.5 working hours
    expect(t.consumedMs).toBe(11 * HOUR);
    const budget = targetBudget({ name: 'resolution', policy: officePolicy, calendar: SHANGHAI_2026 });
    t = rebudgetTarget({ t, ...budget, now: cst('2026-10-12 20:00') });
    expect(t).toMatchObject({ clock: 'business', consumedMs: 7.5 * HOUR, budgetMs: 15 * HOUR });
    t = resumeTarget({ t, now: cst('2026-10-13 09:00') });
    expect(t.dueAt).toBe(cst('2026-10-13 18:00'));
  });

  it('refuses a business clock without a calendar and a budget that is not positive', () => {
    const t = startCalendar();
    expect(() => rebudgetTarget({ t, budgetMs: HOUR, warnAt: 0.8, clock: 'business', now: T0 })).toThrow(CaseRuleError);
    expect(() => rebudgetTarget({ t, budgetMs: 0, warnAt: 0.8, now: T0 })).toThrow(CaseRuleError);
    expect(() => rebudgetTarget({ t, budgetMs: HOUR, warnAt: 1, now: T0 })).toThrow(CaseRuleError);
  });
});

describe('SLA clock: what the API shows', () => {
  it('shows a paused target with its pause so far and the time left', () => {
    let t = startCalendar();
    t = pauseTarget({ t, now: T0 + 4 * HOUR });
    expect(describeTarget({ t, now: T0 + 6 * HOUR })).toMatchObject({
      status: 'paused',
      elapsedMs: 4 * HOUR,
      remainingMs: 20 * HOUR,
      pausedMs: 2 * HOUR,
      warnedAt: null,
      metAt: null,
      breachedAt: null,
    });
  });
});
