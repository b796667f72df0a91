import ICAL from 'ical.js';
import { DateTime } from 'luxon';

/**
 * Days off and make-up working days read from an iCalendar file or feed (RFC 5545), e.g. a
 * province's or the company's holiday calendar, or a published 中国节假日 feed. Parsing is ical.js's
 * (Mozilla's parser); this only decides what each all-day event means:
 * - a day worked instead of a weekend (调休上班): Apple's `X-APPLE-SPECIAL-DAY:ALTERNATE-WORKDAY`, or a
 *   summary or description marked 班 / 上班 / 补班 / workday — e.g. `春节(班)`;
 * - any other all-day event is a day off (`春节(休)`, `三月三`, `Company day off`).
 * Events with a time of day (a meeting, a drill) are not whole days and are skipped, as are
 * cancelled ones. A multi-day event covers each day from DTSTART up to, not including, DTEND.
 */

export interface IcsDay {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
}

export interface IcsImport {
  days: IcsDay[];
  /** Events that are not whole days, or cancelled. */
  skipped: number;
}

export class IcsParseError extends Error {}

const WORKDAY_MARK = /[(（]\s*(班|上班|补班)\s*[)）]|^(班|上班|补班|调休上班)$|\bworkday\b|\bworking day\b/i;
/** At most this many days per event: a runaway DTEND must not make a year of holidays. */
const MAX_EVENT_DAYS = 31;

export function parseIcsDays(text: string): IcsImport {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (err) {
    throw new IcsParseError(`not an iCalendar file: ${(err as Error).message}`);
  }
  if (root.name !== 'vcalendar') throw new IcsParseError('not an iCalendar file: no VCALENDAR');
  const byDate = new Map<string, IcsDay>();
  let skipped = 0;
  for (const vevent of root.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(vevent);
    const status = String(vevent.getFirstPropertyValue('status') ?? '').toUpperCase();
    const start = event.startDate;
    if (!start || !start.isDate || status === 'CANCELLED') {
      skipped++;
      continue;
    }
    const summary = (event.summary ?? '').trim();
    const description = (event.description ?? '').trim();
    const special = String(vevent.getFirstPropertyValue('x-apple-special-day') ?? '').toUpperCase();
    const kind: IcsDay['kind'] = special === 'ALTERNATE-WORKDAY' || WORKDAY_MARK.test(summary) || WORKDAY_MARK.test(description) ? 'workday' : 'holiday';
    const first = DateTime.fromObject({ year: start.year, month: start.month, day: start.day }, { zone: 'UTC' });
    const end = event.endDate?.isDate ? DateTime.fromObject({ year: event.endDate.year, month: event.endDate.month, day: event.endDate.day }, { zone: 'UTC' }) : first.plus({ days: 1 });
    const days = Math.min(Math.max(1, Math.round(end.diff(first, 'days').days)), MAX_EVENT_DAYS);
    for (let i = 0; i < days; i++) {
      const date = first.plus({ days: i }).toISODate()!;
      byDate.set(date, { date, kind, name: summary || description });
    }
  }
  return { days: [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1)), skipped };
}
