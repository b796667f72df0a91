/** Dates, money and areas for display. Times are always shown in a named IANA time zone. */
import type { Lang } from './i18n.js';

/** The group's default time zone; a project may carry its own. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const cache = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(lang: Lang, timeZone: string, kind: 'datetime' | 'datetime-seconds' | 'date' | 'long'): Intl.DateTimeFormat {
  const cacheKey = `${lang}|${timeZone}|${kind}`;
  let f = cache.get(cacheKey);
  if (!f) {
    const zh = lang === 'zh-CN';
    const base: Intl.DateTimeFormatOptions = zh
      ? { year: 'numeric', month: '2-digit', day: '2-digit' }
      : { year: 'numeric', month: 'short', day: 'numeric' };
    let options: Intl.DateTimeFormatOptions;
    switch (kind) {
      case 'date':
        options = base;
        break;
      case 'datetime':
        options = { ...base, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
        break;
      case 'datetime-seconds':
        options = { ...base, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
        break;
      case 'long':
        options = { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' };
        break;
    }
    f = new Intl.DateTimeFormat(zh ? 'zh-CN' : 'en-GB', { ...options, timeZone });
    cache.set(cacheKey, f);
  }
  return f;
}

function toDate(value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** An instant (ISO timestamp) as local date and time in `timeZone`; '—' when absent. */
export function formatDateTime(value: string | Date | null | undefined, lang: Lang, timeZone = DEFAULT_TIME_ZONE): string {
  const d = toDate(value);
  return d ? dateTimeFormat(lang, timeZone, 'datetime').format(d) : '—';
}

export function formatDateTimeSeconds(value: Date, lang: Lang, timeZone = DEFAULT_TIME_ZONE): string {
  return dateTimeFormat(lang, timeZone, 'datetime-seconds').format(value);
}

export function formatLongDate(value: Date, lang: Lang, timeZone = DEFAULT_TIME_ZONE): string {
  return dateTimeFormat(lang, timeZone, 'long').format(value);
}

/** The calendar day of an instant in `timeZone` (a delivery date stored as midnight of its day); '—' when absent. */
export function formatDate(value: string | Date | null | undefined, lang: Lang, timeZone = DEFAULT_TIME_ZONE): string {
  const d = toDate(value);
  return d ? dateTimeFormat(lang, timeZone, 'date').format(d) : '—';
}

/** A calendar date (YYYY-MM-DD, no time of day): formatted as-is, never shifted by a zone. */
export function formatCalendarDate(value: string | null | undefined, lang: Lang): string {
  if (!value) return '—';
  const d = toDate(`${value.slice(0, 10)}T00:00:00Z`);
  return d ? dateTimeFormat(lang, 'UTC', 'date').format(d) : value;
}

/** The wall-clock hour (0–23) in `timeZone`, for greetings. */
export function hourIn(date: Date, timeZone = DEFAULT_TIME_ZONE): number {
  const part = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone })
    .formatToParts(date)
    .find((p) => p.type === 'hour');
  return part ? Number(part.value) : date.getUTCHours();
}

export function formatMoney(amount: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'zh-CN' ? 'zh-CN' : 'en-GB', { style: 'currency', currency: 'CNY', maximumFractionDigits: 2 }).format(amount);
}

export function formatArea(area: number, lang: Lang): string {
  return `${new Intl.NumberFormat(lang === 'zh-CN' ? 'zh-CN' : 'en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(area)} m²`;
}

export function formatNumber(n: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'zh-CN' ? 'zh-CN' : 'en-GB').format(n);
}
