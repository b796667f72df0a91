import type { Response } from 'express';
import { DateTime } from 'luxon';
import type { Lang } from '../../app/errors.js';
import type { Words } from './terms.js';

/**
 * CSV for spreadsheets: RFC 4180 quoting, CRLF line ends, and a UTF-8 byte-order mark so Excel
 * reads Chinese text as UTF-8. Text that a spreadsheet would run as a formula (=, +, -, @ …) is
 * prefixed with an apostrophe: exported case data must never execute in a manager's Excel.
 *
 * What a person reads is in their language (Accept-Language: zh-CN by default, or en): headers and
 * codes as words (terms.ts). What a spreadsheet computes with stays machine-readable: numbers
 * unformatted, instants as ISO 8601 with the offset of the project's time zone
 * (`2026-12-03T09:30:00+08:00`), so the sheet shows the wall time the office saw.
 */
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** One column of a download: its header in each language and its cell of a row. */
export interface CsvColumn<Row> {
  header: Words;
  cell: (row: Row) => CsvValue;
}

/** The rows as CSV with the columns' headers in `lang`. */
export function csvOf<Row>(lang: Lang, columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  return toCsv(
    columns.map((c) => c.header[lang]),
    rows.map((r) => columns.map((c) => c.cell(r))),
  );
}

/** An instant as ISO 8601 in a time zone, with its offset: `2026-12-03T09:30:00+08:00` (milliseconds only when not zero). */
export function isoIn(instant: Date | string | null | undefined, timeZone: string): string | null {
  if (instant === null || instant === undefined) return null;
  const d = DateTime.fromJSDate(typeof instant === 'string' ? new Date(instant) : instant, { zone: timeZone });
  return d.isValid ? d.toISO({ suppressMilliseconds: true }) : null;
}

/** Milliseconds as hours, two decimals (a number, for the spreadsheet to compute with). */
export const hoursOf = (ms: number | null) => (ms === null ? null : Math.round(ms / 36_000) / 100);

/** True when the client asked for CSV (`Accept: text/csv`) rather than JSON. */
export function wantsCsv(accept: (types: string[]) => string | false): boolean {
  return accept(['application/json', 'text/csv']) === 'text/csv';
}

export function sendCsv(res: Response, filename: string, csv: string, lang: Lang): void {
  res.vary('Accept-Language');
  res
    .status(200)
    .setHeader('Content-Type', 'text/csv; charset=utf-8')
    .setHeader('Content-Language', lang)
    .setHeader('Content-Disposition', `attachment; filename="${filename}"`)
    .setHeader('Cache-Control', 'no-store')
    .send(csv);
}
