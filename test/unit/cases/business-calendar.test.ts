import { describe, expect, it } from 'vitest';
import {
  addWorkingTime,
  CALENDAR_24x7,
  CALENDAR_CN_DEFAULT,
  isWorkingInstant,
  nextWorkingInstant,
  parseBusinessCalendar,
  workingIntervalsOn,
  workingTimeBetween,
  type BusinessCalendar,
} from '../../../domain/cases/business-calendar.js';
import { CaseRuleError } from '../../../domain/cases/errors.js';
import { BERLIN_OFFICE, cst, HOUR, MINUTE, SHANGHAI_2026 } from './calendars.fixture.js';

const add = (from: number, ms: number, calendar: BusinessCalendar = SHANGHAI_2026) => addWorkingTime({ calendar, from, ms });
const between = (from: number, to: number, calendar: BusinessCalendar = SHANGHAI_2026) => workingTimeBetween({ calendar, from, to });
const working = (at: number, calendar: BusinessCalendar = SHANGHAI_2026) => isWorkingInstant({ calendar, at });

const errorCode = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof CaseRuleError ? err.code : `not a CaseRuleError: ${String(err)}`;
  }
  return undefined;
};

describe('business calendar: working hours of a day', () => {
  it('counts the morning of a working day as working time', () => {
    expect(add(cst('2026-09-14 09:00'), 2 * HOUR)).toBe(cst('2026-09-14 11:00'));
  });

  it('does not count the lunch break of a split shift', () => {
    expect(add(cst('2026-09-14 11:00'), 2 * HOUR)).toBe(cst('2026-09-14 14:30'));
    expect(between(cst('2026-09-14 11:00'), cst('2026-09-14 14:30'))).toBe(2 * HOUR);
    expect(between(cst('2026-09-14 12:00'), cst('2026-09-14 13:30'))).toBe(0);
  });

  it('makes a budget that runs out exactly at noon due at noon, not after lunch', () => {
    expect(add(cst('2026-09-14 09:00'), 3 * HOUR)).toBe(cst('2026-09-14 12:00'));
  });

  it('starts counting at the next opening when started before hours, at lunch or at night', () => {
    expect(add(cst('2026-09-14 07:00'), HOUR)).toBe(cst('2026-09-14 10:00'));
    expect(add(cst('2026-09-14 12:30'), 30 * MINUTE)).toBe(cst('2026-09-14 14:00'));
    expect(add(cst('2026-09-11 19:00'), HOUR)).toBe(cst('2026-09-14 10:00')); // Friday night → Monday
  });

  it('returns the start itself for zero working time, even outside hours', () => {
    expect(add(cst('2026-09-14 20:00'), 0)).toBe(cst('2026-09-14 20:00'));
  });

  it('counts a whole working day as 7.5 hours on the Chinese office calendar', () => {
    expect(between(cst('2026-09-14 00:00'), cst('2026-09-15 00:00'))).toBe(7.5 * HOUR);
    expect(add(cst('2026-09-14 09:00'), 7.5 * HOUR)).toBe(cst('2026-09-14 18:00'));
  });

  it('treats the opening instant as working and the closing instant as not', () => {
    expect(working(cst('2026-09-14 09:00'))).toBe(true);
    expect(working(cst('2026-09-14 12:00') - 1)).toBe(true);
    expect(working(cst('2026-09-14 12:00'))).toBe(false);
    expect(working(cst('2026-09-14 13:30'))).toBe(true);
    expect(working(cst('2026-09-14 18:00'))).toBe(false);
  });

  it('finds the next opening from lunch, from the evening and from inside hours', () => {
    expect(nextWorkingInstant({ calendar: SHANGHAI_2026, at: cst('2026-09-14 12:10') })).toBe(cst('2026-09-14 13:30'));
    expect(nextWorkingInstant({ calendar: SHANGHAI_2026, at: cst('2026-09-30 18:00') })).toBe(cst('2026-10-08 09:00'));
    expect(nextWorkingInstant({ calendar: SHANGHAI_2026, at: cst('2026-09-14 10:15') })).toBe(cst('2026-09-14 10:15'));
  });

  it('lists the working intervals of a date as instants', () => {
    expect(workingIntervalsOn({ calendar: SHANGHAI_2026, date: '2026-09-14' })).toEqual([
      { start: cst('2026-09-14 09:00'), end: cst('2026-09-14 12:00') },
      { start: cst('2026-09-14 13:30'), end: cst('2026-09-14 18:00') },
    ]);
    expect(workingIntervalsOn({ calendar: SHANGHAI_2026, date: '2026-10-01' })).toEqual([]);
  });

  it('gives back exactly the working time it added, from any start', () => {
    const starts = ['2026-09-14 08:00', '2026-09-14 11:59', '2026-09-18 17:45', '2026-09-30 12:00', '2026-10-09 23:00', '2026-02-13 17:00'];
    const amounts = [1, MINUTE, HOUR, 3 * HOUR, 7.5 * HOUR, 30 * HOUR + 17 * MINUTE];
    for (const start of starts) {
      for (const ms of amounts) {
        const from = cst(start);
        const due = add(from, ms);
        expect(between(from, due), `${start} + ${ms}`).toBe(ms);
        expect(between(from, due - 1), `${start} + ${ms} - 1ms`).toBeLessThan(ms);
      }
    }
  });
});

describe('business calendar: holidays and make-up working days (2026 China schedule)', () => {
  it('skips the National Day holiday week', () => {
    // Wednesday 30 September 17:00: one hour left that day, then closed 1–7 October.
    expect(add(cst('2026-09-30 17:00'), 2 * HOUR)).toBe(cst('2026-10-08 10:00'));
    expect(working(cst('2026-10-05 10:00'))).toBe(false);
  });

  it('counts only the two open days around National Day', () => {
    expect(between(cst('2026-09-30 09:00'), cst('2026-10-08 18:00'))).toBe(15 * HOUR);
  });

  it('counts a Saturday make-up working day (调休)', () => {
    // Friday 9 October 17:00: one hour left, then Saturday 10 October is worked.
    expect(add(cst('2026-10-09 17:00'), 2 * HOUR)).toBe(cst('2026-10-10 10:00'));
    expect(working(cst('2026-10-10 10:00'))).toBe(true);
    expect(working(cst('2026-10-17 10:00'))).toBe(false); // an ordinary Saturday
  });

  it('counts the Sunday make-up day before the Mid-Autumn and National Day holidays', () => {
    expect(add(cst('2026-09-19 10:00'), HOUR)).toBe(cst('2026-09-20 10:00'));
  });

  it('skips the nine-day Spring Festival and works the Saturdays around it', () => {
    // Friday 13 February 17:00 → Saturday 14 (make-up) → closed 15–23 → Tuesday 24.
    expect(add(cst('2026-02-13 17:00'), HOUR + 7.5 * HOUR + HOUR)).toBe(cst('2026-02-24 10:00'));
  });

  it('works a make-up day with the hours of the weekday it stands in for', () => {
    const shortFridays: BusinessCalendar = {
      ...SHANGHAI_2026,
      weekly: { ...SHANGHAI_2026.weekly, 5: [{ start: '09:00', end: '12:00' }] },
      makeUpWorkdays: [{ date: '2026-10-10', hoursLike: 5 }],
    };
    expect(between(cst('2026-10-10 00:00'), cst('2026-10-11 00:00'), shortFridays)).toBe(3 * HOUR);
  });
});

describe('business calendar: midnight and daylight-saving time', () => {
  it('runs a 24×7 calendar straight across midnight', () => {
    const from = Date.parse('2026-10-01T23:30:00Z');
    expect(add(from, HOUR, CALENDAR_24x7)).toBe(Date.parse('2026-10-02T00:30:00Z'));
    expect(between(from, Date.parse('2026-10-02T00:30:00Z'), CALENDAR_24x7)).toBe(HOUR);
    expect(working(Date.parse('2026-10-02T00:00:00Z'), CALENDAR_24x7)).toBe(true);
  });

  it('runs a 24×7 calendar across midnight in a local time zone', () => {
    const shanghai24x7: BusinessCalendar = { ...CALENDAR_24x7, id: 'sh-24x7', timeZone: 'Asia/Shanghai' };
    expect(add(cst('2026-09-30 23:00'), 2 * HOUR, shanghai24x7)).toBe(cst('2026-10-01 01:00'));
  });

  it('counts 23 real hours on the spring-forward Sunday in Berlin and 25 on the autumn one', () => {
    const berlin24x7: BusinessCalendar = { ...CALENDAR_24x7, id: 'berlin-24x7', timeZone: 'Europe/Berlin' };
    expect(between(Date.parse('2026-03-29T00:00:00+01:00'), Date.parse('2026-03-30T00:00:00+02:00'), berlin24x7)).toBe(23 * HOUR);
    expect(between(Date.parse('2026-10-25T00:00:00+02:00'), Date.parse('2026-10-26T00:00:00+01:00'), berlin24x7)).toBe(25 * HOUR);
    // A day of 24×7 working time from Saturday noon ends at 13:00 local on Sunday, 24 real hours later.
    const saturdayNoon = Date.parse('2026-03-28T12:00:00+01:00');
    expect(add(saturdayNoon, 24 * HOUR, berlin24x7)).toBe(Date.parse('2026-03-29T13:00:00+02:00'));
  });

  it('keeps office hours at 09:00 local time after the clocks go forward', () => {
    // Friday 16:00 CET + 2 working hours → Monday 10:00 CEST (08:00 UTC, not 09:00).
    expect(add(Date.parse('2026-03-27T16:00:00+01:00'), 2 * HOUR, BERLIN_OFFICE)).toBe(Date.parse('2026-03-30T10:00:00+02:00'));
    expect(add(Date.parse('2026-10-23T16:00:00+02:00'), 2 * HOUR, BERLIN_OFFICE)).toBe(Date.parse('2026-10-26T10:00:00+01:00'));
  });

  it('counts real time, not wall time, in an interval that spans the change', () => {
    const sundayNight = (start: string, end: string): BusinessCalendar => ({ ...BERLIN_OFFICE, weekly: { ...BERLIN_OFFICE.weekly, 7: [{ start, end }] } });
    // 01:00–04:00 on the night the clocks jump from 02:00 to 03:00 is two real hours; in autumn, four.
    expect(between(Date.parse('2026-03-29T00:00:00+01:00'), Date.parse('2026-03-30T00:00:00+02:00'), sundayNight('01:00', '04:00'))).toBe(2 * HOUR);
    expect(between(Date.parse('2026-10-25T00:00:00+02:00'), Date.parse('2026-10-26T00:00:00+01:00'), sundayNight('01:00', '04:00'))).toBe(4 * HOUR);
    // 02:30 never happens that spring night: the interval ends when the clocks jump.
    const toSkippedTime = sundayNight('01:00', '02:30');
    expect(between(Date.parse('2026-03-29T00:00:00+01:00'), Date.parse('2026-03-30T00:00:00+02:00'), toSkippedTime)).toBe(HOUR);
    expect(add(Date.parse('2026-03-29T01:00:00+01:00'), HOUR, toSkippedTime)).toBe(Date.parse('2026-03-29T03:00:00+02:00'));
  });
});

describe('business calendar: calendars without working time', () => {
  it('refuses to count on a calendar that has no working hours at all', () => {
    const closed: BusinessCalendar = { ...CALENDAR_CN_DEFAULT, id: 'closed', weekly: { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] } };
    expect(errorCode(() => add(cst('2026-09-14 09:00'), HOUR, closed))).toBe('CALENDAR_HAS_NO_WORKING_TIME');
    expect(errorCode(() => nextWorkingInstant({ calendar: closed, at: cst('2026-09-14 09:00') }))).toBe('CALENDAR_HAS_NO_WORKING_TIME');
  });

  it('gives up with a clear error when holidays leave no working time for years', () => {
    const mondays: string[] = [];
    for (let day = Date.UTC(2026, 8, 14); day < Date.UTC(2031, 0, 1); day += 7 * 86_400_000) mondays.push(new Date(day).toISOString().slice(0, 10));
    const mondaysOnly: BusinessCalendar = {
      ...CALENDAR_CN_DEFAULT,
      id: 'mondays',
      weekly: { 1: [{ start: '09:00', end: '10:00' }], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] },
      holidays: mondays,
    };
    expect(errorCode(() => add(cst('2026-09-14 09:00'), HOUR, mondaysOnly))).toBe('WORKING_TIME_SEARCH_EXHAUSTED');
  });

  it('rejects negative working time and non-finite instants', () => {
    expect(errorCode(() => add(cst('2026-09-14 09:00'), -1))).toBe('INVALID_INSTANT');
    expect(errorCode(() => add(Number.NaN, HOUR))).toBe('INVALID_INSTANT');
    expect(between(cst('2026-09-14 18:00'), cst('2026-09-14 09:00'))).toBe(0);
  });
});

describe('business calendar: validation', () => {
  const valid = {
    id: 'sh',
    name: 'Shanghai',
    timeZone: 'Asia/Shanghai',
    weekly: { 1: [{ start: '13:30', end: '18:00' }, { start: '09:00', end: '12:00' }], 5: [{ start: '09:00', end: '17:00' }] },
    holidays: ['2026-10-02', '2026-10-01', '2026-10-01'],
    makeUpWorkdays: [{ date: '2026-10-10', hoursLike: 5 }],
  };

  it('normalises a valid calendar: all weekdays, sorted intervals, sorted unique holidays', () => {
    const parsed = parseBusinessCalendar(valid);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.weekly[1]).toEqual([{ start: '09:00', end: '12:00' }, { start: '13:30', end: '18:00' }]);
    expect(parsed.value.weekly[7]).toEqual([]);
    expect(parsed.value.holidays).toEqual(['2026-10-01', '2026-10-02']);
    expect(parsed.value.workingDayHours).toBeUndefined();
  });

  it('accepts the shipped calendars', () => {
    expect(parseBusinessCalendar(CALENDAR_24x7).ok).toBe(true);
    expect(parseBusinessCalendar(CALENDAR_CN_DEFAULT).ok).toBe(true);
    expect(parseBusinessCalendar(SHANGHAI_2026).ok).toBe(true);
    expect(parseBusinessCalendar(BERLIN_OFFICE).ok).toBe(true);
  });

  it('reports every problem with the path of the field', () => {
    const parsed = parseBusinessCalendar({
      id: '',
      name: 'Broken',
      timeZone: 'UTC+8',
      weekly: {
        1: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }],
        2: [{ start: '9:00', end: '12:00' }],
        3: [{ start: '14:00', end: '13:00' }],
        4: [{ start: '24:00', end: '24:00' }],
        8: [],
      },
      holidays: ['2026-02-30', '2026-10-01'],
      makeUpWorkdays: [
        { date: '2026-10-01', hoursLike: 1 },
        { date: '2026-10-10', hoursLike: 6 },
        { date: '2026-10-11', hoursLike: 9 },
      ],
      workingDayHours: 25,
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((e) => e.path).sort()).toEqual(
      [
        'id',
        'timeZone',
        'weekly.1.1',
        'weekly.2.0.start',
        'weekly.3.0',
        'weekly.4.0.start',
        'weekly.8',
        'holidays.0',
        'makeUpWorkdays.0.date',
        'makeUpWorkdays.1.hoursLike',
        'makeUpWorkdays.2.hoursLike',
        'workingDayHours',
      ].sort(),
    );
  });

  it('rejects a calendar with no working hours on any weekday', () => {
    const parsed = parseBusinessCalendar({ ...valid, weekly: { 1: [], 6: [] }, makeUpWorkdays: [] });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors).toContainEqual({ path: 'weekly', message: 'the calendar has no working hours on any weekday' });
  });

  it('allows touching intervals but not overlapping ones', () => {
    const weekly = (intervals: Array<{ start: string; end: string }>) => ({ ...valid, weekly: { ...valid.weekly, 1: intervals } });
    expect(parseBusinessCalendar(weekly([{ start: '09:00', end: '12:00' }, { start: '12:00', end: '13:00' }])).ok).toBe(true);
    expect(parseBusinessCalendar(weekly([{ start: '09:00', end: '12:01' }, { start: '12:00', end: '13:00' }])).ok).toBe(false);
  });

  it('rejects a date listed twice as a make-up day', () => {
    const parsed = parseBusinessCalendar({ ...valid, makeUpWorkdays: [{ date: '2026-10-10', hoursLike: 1 }, { date: '2026-10-10', hoursLike: 5 }] });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.map((e) => e.path)).toEqual(['makeUpWorkdays.1.date']);
  });
});
