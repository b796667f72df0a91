/**
 * How the reports write their figures. A met rate is met / (met + breached): targets still running
 * count in neither, and when none was decided the rate is "—", never "100% (2/0)" or "0%". Rates
 * are whole percentages unless a decimal says something (40%, 66.7%, never 100.0%).
 */
import type { Lang } from '../../i18n.js';

export function metRate(met: number, breached: number): number | null {
  return met + breached > 0 ? (met / (met + breached)) * 100 : null;
}

export function formatPct(p: number | null | undefined, lang: Lang): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  const digits = Number.isInteger(Math.round(p * 10) / 10) ? 0 : 1;
  return new Intl.NumberFormat(lang === 'zh-CN' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(p) + '%';
}

export function formatCount(n: number | null | undefined, lang: Lang): string {
  return n === null || n === undefined ? '—' : new Intl.NumberFormat(lang === 'zh-CN' ? 'zh-CN' : 'en-GB').format(n);
}

export function formatDecimal(n: number | null | undefined, lang: Lang, digits = 1): string {
  return n === null || n === undefined ? '—' : new Intl.NumberFormat(lang === 'zh-CN' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: digits }).format(n);
}
