import type { Response } from 'express';

/**
 * CSV for spreadsheets: RFC 4180 quoting, CRLF line ends, and a UTF-8 byte-order mark so Excel
 * reads Chinese text as UTF-8. Text that a spreadsheet would run as a formula (=, +, -, @ …) is
 * prefixed with an apostrophe: exported case data must never execute in a manager's Excel.
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

/** True when the client asked for CSV (`Accept: text/csv`) rather than JSON. */
export function wantsCsv(accept: (types: string[]) => string | false): boolean {
  return accept(['application/json', 'text/csv']) === 'text/csv';
}

export function sendCsv(res: Response, filename: string, csv: string): void {
  res
    .status(200)
    .setHeader('Content-Type', 'text/csv; charset=utf-8')
    .setHeader('Content-Disposition', `attachment; filename="${filename}"`)
    .setHeader('Cache-Control', 'no-store')
    .send(csv);
}
