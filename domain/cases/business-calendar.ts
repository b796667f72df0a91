import { DateTime, IANAZone } from 'luxon';
import { DEFAULT_WORKING_DAY_HOURS, isValidWorkingDayHours } from './durations.js';
import { CaseRuleError, CaseRuleErrorCode, joinPath, type Parsed, type ValidationIssue } from './errors.js';

/**
 * Business calendars: when a project's staff work, so that a business-clock SLA counts working
 * time only. Working hours are wall-clock times in the calendar's own time zone, so a deadline is
 * right across daylight-saving changes, midnight, holidays and China's make-up working days (调休).
 *
 * All arithmetic walks the calendar day by day in local time and measures real elapsed time inside
 * each working interval. Intervals are half-open: 09:00–12:00 includes 09:00 and excludes 12:00.
 */

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const ISO_WEEKDAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];

/** One stretch of working hours, `HH:mm` to `HH:mm` (end may be `24:00`). */
export interface WorkingInterval {
  start: string;
  end: string;
}

/** A day, usually a weekend day, that is worked with the hours of another weekday (调休). */
export interface MakeUpWorkday {
  date: string;
  hoursLike: IsoWeekday;
}

export interface BusinessCalendar {
  id: string;
  name: string;
  /** IANA time zone, e.g. `Asia/Shanghai`. */
  timeZone: string;
  /** Working intervals per ISO weekday; several intervals are split shifts, none is a closed day. */
  weekly: Readonly<Record<IsoWeekday, readonly WorkingInterval[]>>;
  /** Closed days (`YYYY-MM-DD`, local), whatever their weekday. */
  holidays: readonly string[];
  /** Days worked with another weekday's hours; they win over the day's own weekday. */
  makeUpWorkdays: readonly MakeUpWorkday[];
  /** Working hours that one day (`P1D`) of a business-clock duration stands for; default 8. */
  workingDayHours?: number;
  /**
   * A published public-holiday schedule the calendar follows besides its own days
   * (domain/cases/holiday-schedules.ts): `CN`, the State Council's 放假调休 notices. Its own
   * `holidays` and `makeUpWorkdays` (provincial or company days) win over the schedule's.
   */
  publicHolidays?: PublicHolidaySchedule;
}

/** The public-holiday schedules a calendar may follow. */
export const PUBLIC_HOLIDAY_SCHEDULES = ['CN'] as const;
export type PublicHolidaySchedule = (typeof PUBLIC_HOLIDAY_SCHEDULES)[number];

/**
 * How far ahead `addWorkingTime` looks for working time before giving up. A real calendar finds
 * some within days; this only stops a calendar that is closed for good from looping forever.
 */
export const WORKING_TIME_SEARCH_DAYS = 3 * 366;

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
};

const ALL_DAY: readonly WorkingInterval[] = [{ start: '00:00', end: '24:00' }];

/** Round-the-clock: the business clock then measures real time, and `P1D` is 24 hours. */
export const CALENDAR_24x7: BusinessCalendar = deepFreeze({
  id: '24x7',
  name: '全天候 / 24×7',
  timeZone: 'UTC',
  weekly: { 1: ALL_DAY, 2: ALL_DAY, 3: ALL_DAY, 4: ALL_DAY, 5: ALL_DAY, 6: ALL_DAY, 7: ALL_DAY },
  holidays: [],
  makeUpWorkdays: [],
  workingDayHours: 24,
});

const CN_OFFICE_DAY: readonly WorkingInterval[] = [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '18:00' },
];

/**
 * A mainland-China office week: Monday to Friday, 09:00–12:00 and 13:30–18:00 (Beijing time).
 * That is 7.5 working hours a day, so `P1D` here is one full working day rather than the generic
 * 8 hours. It follows the State Council's holiday schedule (`publicHolidays: 'CN'`, published each
 * November for the following year and shipped by a maintained dependency): its own lists stay empty
 * for provincial or company days.
 */
export const CALENDAR_CN_DEFAULT: BusinessCalendar = deepFreeze({
  id: 'cn-default',
  name: '中国大陆工作日 / Mainland China working days',
  timeZone: 'Asia/Shanghai',
  weekly: { 1: CN_OFFICE_DAY, 2: CN_OFFICE_DAY, 3: CN_OFFICE_DAY, 4: CN_OFFICE_DAY, 5: CN_OFFICE_DAY, 6: [], 7: [] },
  holidays: [],
  makeUpWorkdays: [],
  workingDayHours: 7.5,
  publicHolidays: 'CN',
});

export function workingDayHoursOf(calendar: BusinessCalendar): number {
  return calendar.workingDayHours ?? DEFAULT_WORKING_DAY_HOURS;
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

/**
 * The instant at which `ms` of working time has elapsed after `from`: the earliest such instant,
 * so a budget that runs out exactly at 12:00 is due at 12:00, not after lunch. When `from` is
 * outside working hours, counting starts at the next opening; `ms = 0` returns `from` itself.
 */
export function addWorkingTime({ calendar, from, ms }: { calendar: BusinessCalendar; from: number; ms: number }): number {
  assertInstant(from, 'from');
  if (!Number.isFinite(ms) || ms < 0) {
    throw new CaseRuleError(CaseRuleErrorCode.INVALID_INSTANT, `working time must be a non-negative number of milliseconds, got ${String(ms)}`);
  }
  if (ms === 0) return from;
  assertHasWorkingTime(calendar);
  const days = dayIndex(calendar);
  const firstDay = localDayOf(calendar, from);
  let remaining = ms;
  for (let day = firstDay; day <= firstDay + WORKING_TIME_SEARCH_DAYS; day++) {
    for (const [start, end] of days.intervalsOn(day)) {
      if (end <= from) continue;
      const begin = Math.max(start, from);
      if (end - begin >= remaining) return begin + remaining;
      remaining -= end - begin;
    }
  }
  throw searchExhausted(calendar, from);
}

/** Working time in [from, to), in milliseconds; 0 when `to` is not after `from`. */
export function workingTimeBetween({ calendar, from, to }: { calendar: BusinessCalendar; from: number; to: number }): number {
  assertInstant(from, 'from');
  assertInstant(to, 'to');
  if (to <= from) return 0;
  const days = dayIndex(calendar);
  const lastDay = localDayOf(calendar, to);
  let total = 0;
  for (let day = localDayOf(calendar, from); day <= lastDay; day++) {
    for (const [start, end] of days.intervalsOn(day)) {
      const overlap = Math.min(end, to) - Math.max(start, from);
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}

/** True when the instant falls inside working hours (opening instant included, closing excluded). */
export function isWorkingInstant({ calendar, at }: { calendar: BusinessCalendar; at: number }): boolean {
  assertInstant(at, 'at');
  return dayIndex(calendar)
    .intervalsOn(localDayOf(calendar, at))
    .some(([start, end]) => start <= at && at < end);
}

/** `at` itself when it is working time, else the next opening. */
export function nextWorkingInstant({ calendar, at }: { calendar: BusinessCalendar; at: number }): number {
  assertInstant(at, 'at');
  assertHasWorkingTime(calendar);
  const days = dayIndex(calendar);
  const firstDay = localDayOf(calendar, at);
  for (let day = firstDay; day <= firstDay + WORKING_TIME_SEARCH_DAYS; day++) {
    for (const [start, end] of days.intervalsOn(day)) {
      if (end > at) return Math.max(start, at);
    }
  }
  throw searchExhausted(calendar, at);
}

/** The working intervals of one local date as instants: what the console shows as "open today". */
export function workingIntervalsOn({ calendar, date }: { calendar: BusinessCalendar; date: string }): Array<{ start: number; end: number }> {
  const day = dayNumberOf(date);
  if (day === null) throw new CaseRuleError(CaseRuleErrorCode.INVALID_CALENDAR, `${date} is not a YYYY-MM-DD date`);
  return dayIndex(calendar)
    .intervalsOn(day)
    .map(([start, end]) => ({ start, end }));
}

function assertInstant(value: number, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new CaseRuleError(CaseRuleErrorCode.INVALID_INSTANT, `${name} must be epoch milliseconds, got ${String(value)}`);
  }
}

function assertHasWorkingTime(calendar: BusinessCalendar): void {
  const open = ISO_WEEKDAYS.some((d) => (calendar.weekly[d] ?? []).some((i) => minutesOf(i.start, calendar) < minutesOf(i.end, calendar)));
  if (!open) {
    throw new CaseRuleError(
      CaseRuleErrorCode.CALENDAR_HAS_NO_WORKING_TIME,
      `business calendar ${calendar.id} has no working hours on any weekday, so no business-clock deadline can ever fall due`,
    );
  }
}

function searchExhausted(calendar: BusinessCalendar, from: number): CaseRuleError {
  return new CaseRuleError(
    CaseRuleErrorCode.WORKING_TIME_SEARCH_EXHAUSTED,
    `business calendar ${calendar.id} has too little working time in the ${WORKING_TIME_SEARCH_DAYS} days after ${new Date(from).toISOString()}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Local days. A day is numbered by days since 1970-01-01 of its *local* date; civil-date maths in
// UTC is exact (no DST), and luxon only converts local wall times of a zone to instants.

const DAY_MS = 86_400_000;

function localDayOf(calendar: BusinessCalendar, at: number): number {
  const local = DateTime.fromMillis(at, { zone: calendar.timeZone });
  if (!local.isValid) throw new CaseRuleError(CaseRuleErrorCode.INVALID_CALENDAR, `unknown time zone ${calendar.timeZone}`);
  return Date.UTC(local.year, local.month - 1, local.day) / DAY_MS;
}

function civilOf(day: number): { year: number; month: number; day: number; key: string; isoWeekday: IsoWeekday } {
  const d = new Date(day * DAY_MS);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const dom = d.getUTCDate();
  const key = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(dom).padStart(2, '0')}`;
  return { year, month, day: dom, key, isoWeekday: (((d.getUTCDay() + 6) % 7) + 1) as IsoWeekday };
}

/** Day number of a `YYYY-MM-DD` string, or null when it is not a real date. */
function dayNumberOf(date: unknown): number | null {
  if (typeof date !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return ms / DAY_MS;
}

export function isValidDate(date: unknown): date is string {
  return dayNumberOf(date) !== null;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after local midnight; `24:00` is 1440. Throws on a malformed time (an unvalidated calendar). */
function minutesOf(hhmm: string, calendar: BusinessCalendar): number {
  const parsed = parseClockTime(hhmm, true);
  if (parsed === null) throw new CaseRuleError(CaseRuleErrorCode.INVALID_CALENDAR, `business calendar ${calendar.id} has a malformed time ${String(hhmm)}`);
  return parsed;
}

function parseClockTime(hhmm: unknown, allowMidnightEnd: boolean): number | null {
  if (allowMidnightEnd && hhmm === '24:00') return 1440;
  if (typeof hhmm !== 'string') return null;
  const m = HH_MM.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/**
 * The instant a local wall time happens. A wall time skipped by a spring-forward change never
 * happens: it maps to the instant of the jump, so an interval ending at 02:30 on that night ends
 * when the clocks go forward. A wall time that happens twice (autumn) maps to its later
 * occurrence, which is what luxon picks.
 */
function instantOfLocal(calendar: BusinessCalendar, day: number, minutes: number): number {
  const civil = civilOf(day + Math.floor(minutes / 1440));
  const hour = Math.floor((minutes % 1440) / 60);
  const minute = minutes % 60;
  const zone = calendar.timeZone;
  const dt = DateTime.fromObject({ year: civil.year, month: civil.month, day: civil.day, hour, minute }, { zone });
  if (!dt.isValid) throw new CaseRuleError(CaseRuleErrorCode.INVALID_CALENDAR, `unknown time zone ${zone}`);
  if (dt.day === civil.day && dt.hour === hour && dt.minute === minute) return dt.toMillis();
  // In a gap luxon moved the wall time forward and returned the instant under the earlier offset.
  // The jump lies between that instant read under the later offset and the instant luxon gave.
  const wallAsUtc = Date.UTC(civil.year, civil.month - 1, civil.day, hour, minute);
  let lo = wallAsUtc - dt.offset * 60_000; // before the jump
  let hi = dt.toMillis(); // after the jump
  const offsetAfter = dt.offset;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (DateTime.fromMillis(mid, { zone }).offset === offsetAfter) hi = mid;
    else lo = mid;
  }
  return hi;
}

function dayIndex(calendar: BusinessCalendar) {
  const holidays = new Set(calendar.holidays);
  const makeUp = new Map(calendar.makeUpWorkdays.map((m) => [m.date, m.hoursLike] as const));
  return {
    /** Working intervals of a local day as sorted, non-overlapping [start, end) instants. */
    intervalsOn(day: number): Array<[number, number]> {
      const civil = civilOf(day);
      if (holidays.has(civil.key)) return [];
      const weekday = makeUp.get(civil.key) ?? civil.isoWeekday;
      const result: Array<[number, number]> = [];
      let previousEnd = -Infinity;
      for (const interval of calendar.weekly[weekday] ?? []) {
        // Clipping to the previous end keeps intervals disjoint even when DST folds wall times together.
        const start = Math.max(instantOfLocal(calendar, day, minutesOf(interval.start, calendar)), previousEnd);
        const end = instantOfLocal(calendar, day, minutesOf(interval.end, calendar));
        if (end > start) {
          result.push([start, end]);
          previousEnd = end;
        }
      }
      return result;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Validation

/**
 * Validates a calendar from an administrator or a stored row and returns it normalised: all seven
 * weekdays present, intervals sorted, holidays sorted and de-duplicated, make-up days sorted.
 */
export function parseBusinessCalendar(input: unknown): Parsed<BusinessCalendar> {
  const errors: ValidationIssue[] = [];
  const issue = (path: string, message: string) => errors.push({ path, message });
  if (!isRecord(input)) return { ok: false, errors: [{ path: '', message: 'a calendar must be an object' }] };

  const id = nonEmptyString(input.id);
  if (id === null) issue('id', 'id is required');
  const name = nonEmptyString(input.name);
  if (name === null) issue('name', 'name is required');
  const timeZone = typeof input.timeZone === 'string' && IANAZone.isValidZone(input.timeZone) ? input.timeZone : null;
  if (timeZone === null) issue('timeZone', `${String(input.timeZone)} is not an IANA time zone such as Asia/Shanghai`);

  const weekly = {} as Record<IsoWeekday, WorkingInterval[]>;
  for (const d of ISO_WEEKDAYS) weekly[d] = [];
  if (!isRecord(input.weekly)) {
    issue('weekly', 'weekly must map ISO weekdays (1 = Monday … 7 = Sunday) to working intervals');
  } else {
    for (const [key, value] of Object.entries(input.weekly)) {
      const weekday = Number(key);
      if (!/^[1-7]$/.test(key)) {
        issue(joinPath('weekly', key), 'weekdays are 1 (Monday) to 7 (Sunday)');
        continue;
      }
      weekly[weekday as IsoWeekday] = parseDayIntervals(value, joinPath('weekly', key), issue);
    }
    if (ISO_WEEKDAYS.every((d) => weekly[d].length === 0)) issue('weekly', 'the calendar has no working hours on any weekday');
  }

  const holidays = new Set<string>();
  if (input.holidays !== undefined && !Array.isArray(input.holidays)) issue('holidays', 'holidays must be a list of YYYY-MM-DD dates');
  (Array.isArray(input.holidays) ? input.holidays : []).forEach((date: unknown, i: number) => {
    if (isValidDate(date)) holidays.add(date);
    else issue(joinPath('holidays', i), `${String(date)} is not a YYYY-MM-DD date`);
  });

  const makeUpWorkdays: MakeUpWorkday[] = [];
  const makeUpDates = new Set<string>();
  if (input.makeUpWorkdays !== undefined && !Array.isArray(input.makeUpWorkdays)) issue('makeUpWorkdays', 'makeUpWorkdays must be a list');
  (Array.isArray(input.makeUpWorkdays) ? input.makeUpWorkdays : []).forEach((entry: unknown, i: number) => {
    const path = joinPath('makeUpWorkdays', i);
    if (!isRecord(entry)) return issue(path, 'a make-up workday is {date, hoursLike}');
    const { date, hoursLike } = entry;
    let ok = true;
    if (!isValidDate(date)) {
      issue(joinPath(path, 'date'), `${String(date)} is not a YYYY-MM-DD date`);
      ok = false;
    } else if (holidays.has(date)) {
      issue(joinPath(path, 'date'), `${date} is also listed as a holiday`);
      ok = false;
    } else if (makeUpDates.has(date)) {
      issue(joinPath(path, 'date'), `${date} is listed twice`);
      ok = false;
    }
    if (typeof hoursLike !== 'number' || !Number.isInteger(hoursLike) || hoursLike < 1 || hoursLike > 7) {
      issue(joinPath(path, 'hoursLike'), 'hoursLike is an ISO weekday, 1 (Monday) to 7 (Sunday)');
      ok = false;
    } else if (weekly[hoursLike as IsoWeekday].length === 0) {
      issue(joinPath(path, 'hoursLike'), `weekday ${hoursLike} has no working hours to borrow`);
      ok = false;
    }
    if (ok) {
      makeUpDates.add(date as string);
      makeUpWorkdays.push({ date: date as string, hoursLike: hoursLike as IsoWeekday });
    }
  });

  if (input.workingDayHours !== undefined && !isValidWorkingDayHours(input.workingDayHours)) {
    issue('workingDayHours', 'workingDayHours must be more than 0 and at most 24');
  }

  const publicHolidays = input.publicHolidays ?? undefined;
  if (publicHolidays !== undefined && !PUBLIC_HOLIDAY_SCHEDULES.includes(publicHolidays as PublicHolidaySchedule)) {
    issue('publicHolidays', `${String(publicHolidays)} is not a known holiday schedule (${PUBLIC_HOLIDAY_SCHEDULES.join(', ')})`);
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      id: id!,
      name: name!,
      timeZone: timeZone!,
      weekly,
      holidays: [...holidays].sort(),
      makeUpWorkdays: makeUpWorkdays.sort((a, b) => (a.date < b.date ? -1 : 1)),
      ...(input.workingDayHours !== undefined ? { workingDayHours: input.workingDayHours as number } : {}),
      ...(publicHolidays !== undefined ? { publicHolidays: publicHolidays as PublicHolidaySchedule } : {}),
    },
  };
}

/** `parseBusinessCalendar` for code paths that cannot go on without a valid calendar. */
export function assertBusinessCalendar(input: unknown): BusinessCalendar {
  const parsed = parseBusinessCalendar(input);
  if (!parsed.ok) {
    const first = parsed.errors[0];
    const detail = first ? `${first.path}: ${first.message}` : 'unknown';
    throw new CaseRuleError(CaseRuleErrorCode.INVALID_CALENDAR, `invalid business calendar: ${detail}`, parsed.errors);
  }
  return parsed.value;
}

function parseDayIntervals(value: unknown, path: string, issue: (path: string, message: string) => void): WorkingInterval[] {
  if (!Array.isArray(value)) {
    issue(path, 'a weekday holds a list of {start, end} intervals (empty when closed)');
    return [];
  }
  const parsed: Array<{ interval: WorkingInterval; start: number; end: number; path: string }> = [];
  value.forEach((entry: unknown, i: number) => {
    const p = joinPath(path, i);
    if (!isRecord(entry)) return issue(p, 'an interval is {start: "HH:mm", end: "HH:mm"}');
    const start = parseClockTime(entry.start, false);
    const end = parseClockTime(entry.end, true);
    if (start === null) issue(joinPath(p, 'start'), `${String(entry.start)} is not a time HH:mm between 00:00 and 23:59`);
    if (end === null) issue(joinPath(p, 'end'), `${String(entry.end)} is not a time HH:mm between 00:01 and 24:00`);
    if (start === null || end === null) return;
    if (start >= end) return issue(p, `start ${String(entry.start)} must be before end ${String(entry.end)}`);
    parsed.push({ interval: { start: entry.start as string, end: entry.end as string }, start, end, path: p });
  });
  parsed.sort((a, b) => a.start - b.start);
  for (let i = 1; i < parsed.length; i++) {
    const [prev, cur] = [parsed[i - 1]!, parsed[i]!];
    if (cur.start < prev.end) issue(cur.path, `${cur.interval.start}–${cur.interval.end} overlaps ${prev.interval.start}–${prev.interval.end}`);
  }
  return parsed.map((p) => p.interval);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.trim().length > 0 ? value : null;
}
