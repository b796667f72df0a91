import { DateTime } from 'luxon';

/** A notice's time as staff and buyers read it: `2026-03-02 18:00`, in the project's time zone. */
export const localTime = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm');

/**
 * The body of a staff email: the zh-CN lines, then the English ones, then where to look in the
 * console (in both languages); a line that does not apply (null) is left out.
 */
export function staffNoticeText(zh: ReadonlyArray<string | null>, en: ReadonlyArray<string | null>, openInConsole: string): string {
  return [...zh, '', ...en, '', openInConsole].filter((l) => l !== null).join('\n');
}
