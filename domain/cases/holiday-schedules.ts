import { DateTime } from 'luxon';
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { ISO_WEEKDAYS, type BusinessCalendar, type IsoWeekday, type MakeUpWorkday, type PublicHolidaySchedule } from './business-calendar.js';

/**
 * Published public-holiday schedules, and the calendar a case actually counts on: its own days
 * merged with the schedule it follows.
 *
 * Mainland China's schedule is the State Council's yearly notice (国务院办公厅关于某年部分节假日安排的
 * 通知), published around November for the following year: the days off (放假), which include weekday
 * days off taken in lieu, and the weekend days worked instead (调休上班). It is not written here: it
 * comes from the npm package `chinese-days` (MIT, github.com/vsme/chinese-days), which follows each
 * notice, so a new year arrives by upgrading that dependency. Only years from 2020 on are used.
 */

export interface HolidaySchedule {
  id: PublicHolidaySchedule;
  name: string;
  /** Days off (`YYYY-MM-DD`), weekend days within a holiday included, with the holiday's name. */
  holidays: ReadonlyMap<string, string>;
  /** Weekend days worked instead (调休上班), with the holiday they make up for. */
  workdays: ReadonlyMap<string, string>;
  /** The years the schedule covers (it has a published notice for each). */
  years: readonly number[];
}

export const FIRST_SCHEDULE_YEAR = 2020;

/** `"Spring Festival,春节,4"` → `"春节 / Spring Festival"`. */
function holidayName(entry: string): string {
  const [en, zh] = entry.split(',');
  return zh && en ? `${zh} / ${en}` : entry;
}

function fromYear(entries: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [date, entry] of Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (Number(date.slice(0, 4)) >= FIRST_SCHEDULE_YEAR) out.set(date, holidayName(entry));
  }
  return out;
}

const cnHolidays = fromYear(chineseDays.holidays);
const cnWorkdays = fromYear(chineseDays.workdays);

export const CN_STATE_COUNCIL_SCHEDULE: HolidaySchedule = Object.freeze({
  id: 'CN',
  name: '国务院节假日安排 / State Council holiday schedule',
  holidays: cnHolidays,
  workdays: cnWorkdays,
  years: [...new Set([...cnHolidays.keys()].map((d) => Number(d.slice(0, 4))))].sort((a, b) => a - b),
});

export const HOLIDAY_SCHEDULES: Readonly<Record<PublicHolidaySchedule, HolidaySchedule>> = { CN: CN_STATE_COUNCIL_SCHEDULE };

/** The weekday whose hours a make-up day of a schedule borrows: the calendar's first weekday with working hours. */
export function firstWorkingWeekday(calendar: BusinessCalendar): IsoWeekday | null {
  return ISO_WEEKDAYS.find((d) => calendar.weekly[d].length > 0) ?? null;
}

/**
 * The calendar with its schedule's days merged in, as plain lists: what the SLA arithmetic counts
 * on. `window` keeps only the days between two dates (inclusive), so that a case's snapshot carries
 * the weeks it can need rather than every year since 2020. The calendar's own days win: its own
 * make-up day cancels the schedule's holiday on that date, and its own holiday cancels the schedule's
 * make-up day. The result no longer names a schedule (it is already applied).
 */
export function effectiveCalendar(calendar: BusinessCalendar, window?: { from: string; to: string }): BusinessCalendar {
  const inWindow = (date: string) => !window || (date >= window.from && date <= window.to);
  const ownHolidays = new Set(calendar.holidays);
  const ownMakeUp = new Map(calendar.makeUpWorkdays.map((m) => [m.date, m] as const));
  const holidays = new Set(calendar.holidays.filter(inWindow));
  const makeUp = new Map<string, MakeUpWorkday>([...ownMakeUp].filter(([d]) => inWindow(d)));
  const schedule = calendar.publicHolidays ? HOLIDAY_SCHEDULES[calendar.publicHolidays] : undefined;
  if (schedule) {
    for (const date of schedule.holidays.keys()) if (inWindow(date) && !ownMakeUp.has(date)) holidays.add(date);
    const hoursLike = firstWorkingWeekday(calendar);
    if (hoursLike !== null)
      for (const date of schedule.workdays.keys()) if (inWindow(date) && !ownHolidays.has(date) && !makeUp.has(date)) makeUp.set(date, { date, hoursLike });
  }
  const { publicHolidays: _applied, ...rest } = calendar;
  return {
    ...rest,
    holidays: [...holidays].sort(),
    makeUpWorkdays: [...makeUp.values()].sort((a, b) => (a.date < b.date ? -1 : 1)),
  };
}

/** The dates (in the calendar's zone) a case's snapshot needs: a day before `fromMs` to `days` after `toMs`. */
export function snapshotWindow(calendar: BusinessCalendar, fromMs: number, toMs: number = fromMs, days = 400): { from: string; to: string } {
  const zone = calendar.timeZone;
  return {
    from: DateTime.fromMillis(fromMs, { zone }).minus({ days: 1 }).toISODate()!,
    to: DateTime.fromMillis(toMs, { zone }).plus({ days }).toISODate()!,
  };
}

/** The years a calendar has a holiday schedule for: its schedule's years and the years of its own holidays. */
export function scheduledYears(calendar: BusinessCalendar): number[] {
  const years = new Set<number>(calendar.publicHolidays ? HOLIDAY_SCHEDULES[calendar.publicHolidays].years : []);
  for (const d of calendar.holidays) years.add(Number(d.slice(0, 4)));
  return [...years].sort((a, b) => a - b);
}

export interface ScheduleCoverage {
  calendarId: string;
  /** Policies count on it (or it is the calendar used when none names one). */
  inUse: boolean;
  years: number[];
  /** The year after the current one, in the calendar's zone. */
  nextYear: number;
  nextYearCovered: boolean;
  /** From 1 November (calendar's zone), a calendar in use without next year's schedule. */
  warn: boolean;
}

/**
 * Whether each calendar knows next year's holidays. Admins are warned from 1 November — the State
 * Council publishes the coming year's schedule around then — about every calendar in use that has
 * none for it, so deadlines over 元旦 and 春节 are not counted as working days.
 */
export function scheduleCoverage(calendars: readonly BusinessCalendar[], inUseIds: ReadonlySet<string>, nowMs: number): ScheduleCoverage[] {
  return calendars.map((calendar) => {
    const now = DateTime.fromMillis(nowMs, { zone: calendar.timeZone });
    const years = scheduledYears(calendar);
    const nextYear = now.year + 1;
    const nextYearCovered = years.includes(nextYear);
    const inUse = inUseIds.has(calendar.id);
    // A calendar with no holidays in any year (24×7) is holiday-free on purpose: nothing to warn of.
    const warn = inUse && years.length > 0 && !nextYearCovered && now.month >= 11;
    return { calendarId: calendar.id, inUse, years, nextYear, nextYearCovered, warn };
  });
}
