import { CALENDAR_CN_DEFAULT, type BusinessCalendar } from '../../../domain/cases/business-calendar.js';

/** An instant given as Beijing wall time, e.g. `cst('2026-09-30 17:00')`. */
export const cst = (wall: string): number => Date.parse(`${wall.replace(' ', 'T')}:00+08:00`);

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

const range = (from: string, toDay: number): string[] => {
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  return Array.from({ length: toDay - d + 1 }, (_, i) => `${y}-${String(m).padStart(2, '0')}-${String(d + i).padStart(2, '0')}`);
};

/**
 * The State Council's 2026 schedule (国务院办公厅, published 4 November 2025): the closed
 * days of each holiday, and the weekend days worked instead (调休).
 */
export const CN_2026_HOLIDAYS: string[] = [
  ...range('2026-01-01', 3), // 元旦
  ...range('2026-02-15', 23), // 春节
  ...range('2026-04-04', 6), // 清明节
  ...range('2026-05-01', 5), // 劳动节
  ...range('2026-06-19', 21), // 端午节
  ...range('2026-09-25', 27), // 中秋节
  ...range('2026-10-01', 7), // 国庆节
];

export const CN_2026_MAKE_UP_WORKDAYS: BusinessCalendar['makeUpWorkdays'] = [
  { date: '2026-01-04', hoursLike: 5 }, // Sunday
  { date: '2026-02-14', hoursLike: 1 }, // Saturday
  { date: '2026-02-28', hoursLike: 1 }, // Saturday
  { date: '2026-05-09', hoursLike: 1 }, // Saturday
  { date: '2026-09-20', hoursLike: 1 }, // Sunday
  { date: '2026-10-10', hoursLike: 5 }, // Saturday
];

/** A Shanghai property office in 2026: Mon–Fri 09:00–12:00 + 13:30–18:00, with the 2026 schedule. */
export const SHANGHAI_2026: BusinessCalendar = {
  ...CALENDAR_CN_DEFAULT,
  id: 'cn-2026',
  name: 'Shanghai office 2026',
  holidays: CN_2026_HOLIDAYS,
  makeUpWorkdays: CN_2026_MAKE_UP_WORKDAYS,
};

/** A Berlin office, Mon–Fri 09:00–17:00: Europe/Berlin changes to summer time on 29 March 2026 and back on 25 October. */
export const BERLIN_OFFICE: BusinessCalendar = {
  id: 'berlin',
  name: 'Berlin office',
  timeZone: 'Europe/Berlin',
  weekly: {
    1: [{ start: '09:00', end: '17:00' }],
    2: [{ start: '09:00', end: '17:00' }],
    3: [{ start: '09:00', end: '17:00' }],
    4: [{ start: '09:00', end: '17:00' }],
    5: [{ start: '09:00', end: '17:00' }],
    6: [],
    7: [],
  },
  holidays: [],
  makeUpWorkdays: [],
};
