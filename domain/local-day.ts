import { DateTime } from 'luxon';

/**
 * "Today" as the people of a project say it: the calendar day of `now` in the project's time zone
 * (an IANA name such as Asia/Shanghai), as the instants where it starts and ends (exclusive).
 * Lists and home counts that speak of today ("due today", "breached today") cut days here, so a
 * Shanghai office's day ends at 24:00 +08:00, not at midnight UTC.
 */
export function localDayOf({ now, timeZone }: { now: number; timeZone: string }): { start: number; end: number } {
  const day = DateTime.fromMillis(now, { zone: timeZone }).startOf('day');
  if (!day.isValid) throw new RangeError(`unknown time zone ${timeZone}`);
  return { start: day.toMillis(), end: day.plus({ days: 1 }).toMillis() };
}
