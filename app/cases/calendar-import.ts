import { type BusinessCalendar, type MakeUpWorkday } from '../../domain/cases/business-calendar.js';
import { IcsParseError, parseIcsDays, type IcsDay } from '../../domain/cases/calendar-ics.js';
import { firstWorkingWeekday, scheduledYears } from '../../domain/cases/holiday-schedules.js';
import type { Principal } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';
import { settingsError } from '../settings/errors.js';
import { assertMayWriteSettings } from '../settings/org-settings.js';
import { findCalendarsByGroup, replaceCalendars } from './settings.js';

/** The most an ICS file or feed may weigh: a country's holidays for decades are a few hundred kB. */
export const ICS_MAX_BYTES = 1_000_000;
const FEED_TIMEOUT_MS = 10_000;

export type IcsSource = { ics: string; url?: undefined } | { url: string; ics?: undefined };

export interface CalendarImportResult {
  calendar: BusinessCalendar;
  imported: { holidays: number; makeUpWorkdays: number; skipped: number };
  years: number[];
}

/** Reads a feed over HTTP(S): bounded in time and size, so a slow or huge answer cannot hold the API. */
async function readFeed(url: string): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw settingsError('ICS_FEED_UNREACHABLE', { reason: 'not a URL' }, { field: 'body.url' });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw settingsError('ICS_FEED_UNREACHABLE', { reason: 'only http(s) feeds' }, { field: 'body.url' });
  try {
    const res = await fetch(parsed, { signal: AbortSignal.timeout(FEED_TIMEOUT_MS), redirect: 'follow' });
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > ICS_MAX_BYTES) throw new Error(`larger than ${ICS_MAX_BYTES / 1_000_000} MB`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (err) {
    const reason = err instanceof Error && err.name === 'TimeoutError' ? `no answer in ${FEED_TIMEOUT_MS / 1000} s` : (err as Error).message;
    throw settingsError('ICS_FEED_UNREACHABLE', { reason }, { field: 'body.url' });
  }
}

/**
 * Merges the imported days into the calendar's own lists: an imported day replaces what the
 * calendar said of that date (a day off becomes a make-up day or the other way round). A make-up
 * day borrows the hours of the calendar's first working weekday; one that falls on a day that is
 * worked anyway is not listed.
 */
export function mergeImportedDays(calendar: BusinessCalendar, days: readonly IcsDay[]): BusinessCalendar {
  const importedDates = new Set(days.map((d) => d.date));
  const holidays = new Set(calendar.holidays.filter((d) => !importedDates.has(d)));
  const makeUp = new Map<string, MakeUpWorkday>(calendar.makeUpWorkdays.filter((m) => !importedDates.has(m.date)).map((m) => [m.date, m]));
  const hoursLike = firstWorkingWeekday(calendar) ?? 1;
  for (const day of days) {
    if (day.kind === 'holiday') holidays.add(day.date);
    else {
      const weekday = new Date(`${day.date}T12:00:00Z`).getUTCDay() || 7;
      if (calendar.weekly[weekday as keyof BusinessCalendar['weekly']].length === 0) makeUp.set(day.date, { date: day.date, hoursLike });
    }
  }
  return { ...calendar, holidays: [...holidays].sort(), makeUpWorkdays: [...makeUp.values()].sort((a, b) => (a.date < b.date ? -1 : 1)) };
}

/**
 * Imports an ICS file or feed into one of the group's calendars (its own days, beside the public
 * schedule it follows), saved like any calendar change: validated, audited, and running cases'
 * open deadlines re-timed by the caller.
 */
export async function importCalendarDays(db: Db, principal: Principal, calendarId: string, source: IcsSource): Promise<CalendarImportResult> {
  assertMayWriteSettings(principal);
  const calendars = await findCalendarsByGroup(db, principal.groupId);
  const index = calendars.findIndex((c) => c.id === calendarId);
  if (index < 0) throw settingsError('CALENDAR_NOT_FOUND', { id: calendarId });
  const text = source.url !== undefined ? await readFeed(source.url) : source.ics;
  if (Buffer.byteLength(text) > ICS_MAX_BYTES) throw settingsError('ICS_INVALID', { reason: `larger than ${ICS_MAX_BYTES / 1_000_000} MB` }, { field: 'body.ics' });
  let parsed;
  try {
    parsed = parseIcsDays(text);
  } catch (err) {
    if (err instanceof IcsParseError) throw settingsError('ICS_INVALID', { reason: err.message }, { field: source.url !== undefined ? 'body.url' : 'body.ics' });
    throw err;
  }
  if (parsed.days.length === 0) throw settingsError('ICS_EMPTY', {}, { field: source.url !== undefined ? 'body.url' : 'body.ics' });
  const merged = mergeImportedDays(calendars[index]!, parsed.days);
  const saved = await replaceCalendars(db, principal, calendars.map((c, i) => (i === index ? merged : c)));
  const calendar = saved.find((c) => c.id === calendarId)!;
  return {
    calendar,
    imported: {
      holidays: parsed.days.filter((d) => d.kind === 'holiday').length,
      makeUpWorkdays: parsed.days.filter((d) => d.kind === 'workday').length,
      skipped: parsed.skipped,
    },
    years: scheduledYears(calendar),
  };
}
