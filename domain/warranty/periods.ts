import { DateTime } from 'luxon';
import { WarrantyRuleError, WarrantyRuleErrorCode } from './errors.js';

/**
 * How a warranty period becomes its last day, in China time (every period of the statutes is
 * counted in civil days where the home is; China keeps one zone without daylight saving).
 *
 * **Calendar periods** follow 《民法典》:
 * - art. 201: "按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算" — the day of completion
 *   acceptance or handover itself is not counted;
 * - art. 202: "按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日"
 *   — so 1 year from 2025-03-01 has 2026-03-01 as its last day; 1 year from 2024-02-29 ends on
 *   2025-02-28; 2 months from 31 Jan end on 31 Mar, 1 month from 31 Jan on 28 (29) Feb;
 * - art. 203 para. 2: "期间的最后一日的截止时间为二十四时" — the last day is covered whole: the
 *   period's end instant (`endsAt`, exclusive) is 00:00 China time of the day after.
 *   Art. 203 para. 1 (a last day on a public holiday moves to the day after the holiday) is about
 *   the last day to *act*; a defect can be reported on any day, so it is not applied here.
 * Luxon's `plus({ years, months })` clamps a missing corresponding day to the month's end, which is
 * exactly art. 202's second half.
 *
 * **Seasons** (采暖期 / 供冷期). Neither statute defines a season's dates; they are local (northern
 * cities heat roughly 15 Nov–15 Mar, Beijing by municipal rule; cooling has no official season).
 * A season is configured as a start and an end day (MM-DD, the end inclusive, possibly in the next
 * year). Reading of "N seasons from day D": the N seasons are the first N whose start day comes
 * after D (art. 201: D itself does not count, so a season starting on D, or already running on D,
 * is not a whole season of the period and is not counted); the period's last day is the end day of
 * the N-th. A system that both heats and cools is covered for N of each; the later end wins.
 */

export const CHINA_TIME_ZONE = 'Asia/Shanghai';

/** A season's days: `start` and `end` as MM-DD; `end` before `start` means it ends the next year. */
export interface SeasonDates {
  start: string;
  end: string;
}

/** The seasons of a city; `null` where the city has none (no district heating in the south). */
export interface WarrantySeasons {
  heating: SeasonDates | null;
  cooling: SeasonDates | null;
}

/**
 * A default for northern cities: heating 15 Nov–15 Mar (Beijing's statutory heating period), and a
 * cooling season of June–September. The cooling dates are an assumption of this product, not a
 * rule: configure them per city.
 */
export const NORTHERN_CITY_SEASONS: WarrantySeasons = Object.freeze({
  heating: Object.freeze({ start: '11-15', end: '03-15' }),
  cooling: Object.freeze({ start: '06-01', end: '09-30' }),
});

/** The civil day (start of day, China time) of an instant. */
export function chinaDayOf(instant: number, what = 'instant'): DateTime {
  if (typeof instant !== 'number' || !Number.isFinite(instant)) {
    throw new WarrantyRuleError(WarrantyRuleErrorCode.INVALID_INSTANT, `${what} must be epoch milliseconds, got ${String(instant)}`);
  }
  return DateTime.fromMillis(instant, { zone: CHINA_TIME_ZONE }).startOf('day');
}

/** The last covered day of a period of years and months counted from `fromDay` (arts. 201–202). */
export function lastDayOfCalendarPeriod({ fromDay, years = 0, months = 0 }: { fromDay: DateTime; years?: number; months?: number }): DateTime {
  return fromDay.plus({ years, months });
}

/** The first instant after a last day: 24:00 of that day, China time (art. 203 para. 2). */
export function endInstantOf(lastDay: DateTime): number {
  return lastDay.plus({ days: 1 }).startOf('day').toMillis();
}

const MONTH_DAY = /^(\d{2})-(\d{2})$/;

function monthDay(text: string, field: string): { month: number; day: number } {
  const m = typeof text === 'string' ? MONTH_DAY.exec(text) : null;
  const month = m ? Number(m[1]) : NaN;
  const day = m ? Number(m[2]) : NaN;
  // Checked against a common year: 02-29 is refused, a season that exists only in leap years would
  // make the period's length depend on the year.
  const valid = m !== null && DateTime.fromObject({ year: 2025, month, day }, { zone: CHINA_TIME_ZONE }).isValid;
  if (!valid) throw new WarrantyRuleError(WarrantyRuleErrorCode.INVALID_SEASON, `${field} must be a day of a common year as MM-DD, got ${String(text)}`);
  return { month, day };
}

/** The last day of the `count`-th season whose start day comes after `fromDay`. */
export function lastDayOfSeasons({ fromDay, season, count }: { fromDay: DateTime; season: SeasonDates; count: number }): DateTime {
  const start = monthDay(season.start, 'season.start');
  const end = monthDay(season.end, 'season.end');
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`a season count must be a positive whole number, got ${count}`);
  const crossesYear = end.month < start.month || (end.month === start.month && end.day < start.day);
  let seen = 0;
  for (let year = fromDay.year - 1; ; year += 1) {
    const startDay = DateTime.fromObject({ year, ...start }, { zone: CHINA_TIME_ZONE });
    if (startDay <= fromDay) continue;
    seen += 1;
    if (seen === count) return DateTime.fromObject({ year: crossesYear ? year + 1 : year, ...end }, { zone: CHINA_TIME_ZONE });
  }
}

/** The last day of `count` seasons of each configured kind: the later end (see the module comment). */
export function lastDayOfSeasonPeriod({ fromDay, seasons, count }: { fromDay: DateTime; seasons: WarrantySeasons; count: number }): DateTime {
  const ends = [seasons.heating, seasons.cooling]
    .filter((s): s is SeasonDates => s !== null && s !== undefined)
    .map((season) => lastDayOfSeasons({ fromDay, season, count }));
  if (ends.length === 0) throw new WarrantyRuleError(WarrantyRuleErrorCode.NO_SEASONS, 'heating and cooling are counted in seasons, and no heating or cooling season is configured');
  return ends.reduce((a, b) => (b > a ? b : a));
}
