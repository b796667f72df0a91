import { describe, expect, it } from 'vitest';
import { addWorkingTime, CALENDAR_24x7, CALENDAR_CN_DEFAULT, parseBusinessCalendar, type BusinessCalendar } from '../../../domain/cases/business-calendar.js';
import { CN_STATE_COUNCIL_SCHEDULE, effectiveCalendar, scheduleCoverage, scheduledYears, snapshotWindow } from '../../../domain/cases/holiday-schedules.js';
import { IcsParseError, parseIcsDays } from '../../../domain/cases/calendar-ics.js';
import { CN_2026_HOLIDAYS, CN_2026_MAKE_UP_WORKDAYS, cst, HOUR } from './calendars.fixture.js';

const of2026 = (dates: Iterable<string>) => [...dates].filter((d) => d.startsWith('2026-')).sort();
const due = (calendar: BusinessCalendar, from: string, hours: number) => new Date(addWorkingTime({ calendar, from: cst(from), ms: hours * HOUR })).toISOString();

describe('the State Council holiday schedule (from the chinese-days package)', () => {
  it('has every published year from 2020 on', () => {
    for (let y = 2020; y <= 2026; y++) expect(CN_STATE_COUNCIL_SCHEDULE.years).toContain(y);
    expect(Math.min(...CN_STATE_COUNCIL_SCHEDULE.years)).toBe(2020);
  });

  it("agrees with the 2026 notice (国办发明电〔2025〕7号) as transcribed by hand in the fixture: days off and make-up days", () => {
    expect(of2026(CN_STATE_COUNCIL_SCHEDULE.holidays.keys())).toEqual([...CN_2026_HOLIDAYS].sort());
    expect(of2026(CN_STATE_COUNCIL_SCHEDULE.workdays.keys())).toEqual(CN_2026_MAKE_UP_WORKDAYS.map((m) => m.date).sort());
    expect(CN_STATE_COUNCIL_SCHEDULE.holidays.get('2026-02-17')).toBe('春节 / Spring Festival');
  });

  it('knows earlier years too: 2025 National Day and its two make-up days', () => {
    for (const d of ['2025-10-01', '2025-10-06', '2025-10-08']) expect(CN_STATE_COUNCIL_SCHEDULE.holidays.has(d)).toBe(true);
    expect(CN_STATE_COUNCIL_SCHEDULE.holidays.has('2025-10-09')).toBe(false);
    for (const d of ['2025-09-28', '2025-10-11']) expect(CN_STATE_COUNCIL_SCHEDULE.workdays.has(d)).toBe(true);
  });
});

describe('the shipped Mainland China calendar counts holidays and 调休 out of the box', () => {
  it('follows the schedule', () => {
    expect(CALENDAR_CN_DEFAULT.publicHolidays).toBe('CN');
    expect(parseBusinessCalendar(CALENDAR_CN_DEFAULT)).toMatchObject({ ok: true, value: { publicHolidays: 'CN' } });
    expect(parseBusinessCalendar({ ...CALENDAR_CN_DEFAULT, publicHolidays: 'XX' }).ok).toBe(false);
  });

  it('skips 春节: a day of work asked on the Friday before is due on the make-up Saturday 14 February, not the Monday', () => {
    const cn = effectiveCalendar(CALENDAR_CN_DEFAULT);
    // Friday 13 Feb 17:00: one hour that day, then Saturday 14 Feb is worked (调休) with a weekday's hours.
    expect(due(cn, '2026-02-13 17:00', 7.5)).toBe(new Date(cst('2026-02-14 17:00')).toISOString());
    // Two days: Saturday is used up, then 15–23 February are off: Tuesday 24th.
    expect(due(cn, '2026-02-13 17:00', 15)).toBe(new Date(cst('2026-02-24 17:00')).toISOString());
    // The calendar without the schedule (what the shipped one was before) counts the holiday as work.
    const bare = { ...CALENDAR_CN_DEFAULT, publicHolidays: undefined };
    expect(due(effectiveCalendar(bare), '2026-02-13 17:00', 15)).toBe(new Date(cst('2026-02-17 17:00')).toISOString());
  });

  it('skips 国庆 2026 (1–7 October) and works the make-up Saturday 10 October', () => {
    const cn = effectiveCalendar(CALENDAR_CN_DEFAULT);
    expect(due(cn, '2026-09-30 17:00', 2)).toBe(new Date(cst('2026-10-08 10:00')).toISOString());
    expect(due(cn, '2026-10-09 17:00', 2)).toBe(new Date(cst('2026-10-10 10:00')).toISOString());
  });
});

describe('own days beside the schedule (provincial or company)', () => {
  const company: BusinessCalendar = {
    ...CALENDAR_CN_DEFAULT,
    id: 'gx',
    // 广西 三月三 (a provincial holiday, 2026-04-20), and the company works the official make-up Saturday
    // 2026-02-14 as a holiday instead; it keeps its service desk open on 2026-10-02 (an official day off).
    holidays: ['2026-04-20', '2026-02-14'],
    makeUpWorkdays: [{ date: '2026-10-02', hoursLike: 1 }],
  };
  const eff = effectiveCalendar(company);

  it('adds its own holidays to the schedule', () => {
    expect(eff.holidays).toContain('2026-04-20');
    expect(eff.holidays).toContain('2026-02-17');
  });

  it('lets its own days win over the schedule both ways', () => {
    expect(eff.makeUpWorkdays.map((m) => m.date)).not.toContain('2026-02-14');
    expect(eff.holidays).toContain('2026-02-14');
    expect(eff.holidays).not.toContain('2026-10-02');
    expect(eff.makeUpWorkdays).toContainEqual({ date: '2026-10-02', hoursLike: 1 });
    // Applied: the result is a plain calendar, valid as such, that names no schedule.
    expect(eff.publicHolidays).toBeUndefined();
    expect(parseBusinessCalendar(eff).ok).toBe(true);
  });

  it("keeps a case's snapshot to the days it can need", () => {
    const window = snapshotWindow(CALENDAR_CN_DEFAULT, cst('2026-02-10 10:00'));
    expect(window).toEqual({ from: '2026-02-09', to: '2027-03-17' });
    const snap = effectiveCalendar(company, window);
    expect(snap.holidays.every((d) => d >= '2026-02-09' && d <= '2027-03-17')).toBe(true);
    expect(snap.holidays).toContain('2026-02-17');
    expect(snap.holidays).not.toContain('2026-01-01');
    expect(JSON.stringify(snap).length).toBeLessThan(2_000);
  });
});

describe('warning admins of a missing schedule for next year', () => {
  const inUse = new Set(['cn-default', '24x7']);
  const cals = [CALENDAR_CN_DEFAULT, CALENDAR_24x7];
  const at = (wall: string) => scheduleCoverage(cals, inUse, cst(wall));

  it('does not warn before 1 November (Beijing time), and warns from its first minute when next year is missing', () => {
    const year = Math.max(...CN_STATE_COUNCIL_SCHEDULE.years);
    expect(at(`${year}-10-31 23:59`)[0]).toMatchObject({ calendarId: 'cn-default', nextYear: year + 1, nextYearCovered: false, warn: false });
    expect(at(`${year}-11-01 00:00`)[0]).toMatchObject({ nextYearCovered: false, warn: true });
    expect(at(`${year}-12-31 23:59`)[0]?.warn).toBe(true);
  });

  it('does not warn when next year is covered, for a calendar not in use, or for a round-the-clock calendar', () => {
    expect(at('2025-11-15 09:00')[0]).toMatchObject({ nextYear: 2026, nextYearCovered: true, warn: false });
    expect(scheduleCoverage(cals, new Set(['24x7']), cst('2026-11-15 09:00'))[0]?.warn).toBe(false);
    expect(at('2026-11-15 09:00')[1]).toMatchObject({ calendarId: '24x7', years: [], warn: false });
  });

  it("counts a year as covered by the calendar's own holidays (an imported schedule)", () => {
    const imported = { ...CALENDAR_CN_DEFAULT, holidays: ['2027-01-01'] };
    expect(scheduledYears(imported)).toContain(2027);
    expect(scheduleCoverage([imported], inUse, cst('2026-11-15 09:00'))[0]).toMatchObject({ nextYearCovered: true, warn: false });
  });
});

describe('reading an ICS file (ical.js)', () => {
  it("reads the chinese-days package's own feed: 休 days off and 班 make-up days, multi-day events day by day", async () => {
    const { readFileSync } = await import('node:fs');
    const { createRequire } = await import('node:module');
    const file = createRequire(import.meta.url).resolve('chinese-days/dist/holidays.ics');
    const { days, skipped } = parseIcsDays(readFileSync(file, 'utf8'));
    expect(skipped).toBe(0);
    const workdays = days.filter((d) => d.kind === 'workday').map((d) => d.date);
    expect(workdays).toEqual(expect.arrayContaining(CN_2026_MAKE_UP_WORKDAYS.map((m) => m.date)));
    const off2026 = days.filter((d) => d.kind === 'holiday' && d.date.startsWith('2026-')).map((d) => d.date);
    expect(off2026).toEqual([...CN_2026_HOLIDAYS].sort());
    expect(days.find((d) => d.date === '2026-02-14')).toMatchObject({ kind: 'workday', name: '春节(班)' });
  });

  it('skips timed and cancelled events, and refuses what is not iCalendar', () => {
    const text = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'BEGIN:VEVENT',
      'UID:a',
      'DTSTART;VALUE=DATE:20270405',
      'DTEND;VALUE=DATE:20270408',
      'SUMMARY:三月三',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:b',
      'DTSTART:20270410T090000Z',
      'DTEND:20270410T100000Z',
      'SUMMARY:例会',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:c',
      'STATUS:CANCELLED',
      'DTSTART;VALUE=DATE:20270501',
      'SUMMARY:取消',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:d',
      'DTSTART;VALUE=DATE:20270411',
      'SUMMARY:Working day',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    expect(parseIcsDays(text)).toEqual({
      days: [
        { date: '2027-04-05', kind: 'holiday', name: '三月三' },
        { date: '2027-04-06', kind: 'holiday', name: '三月三' },
        { date: '2027-04-07', kind: 'holiday', name: '三月三' },
        { date: '2027-04-11', kind: 'workday', name: 'Working day' },
      ],
      skipped: 2,
    });
    expect(() => parseIcsDays('hello')).toThrow(IcsParseError);
    expect(() => parseIcsDays('BEGIN:VCARD\r\nEND:VCARD')).toThrow(IcsParseError);
  });
});
