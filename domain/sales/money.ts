/**
 * Money in CNY as integer fen (分), never binary floats: prices run to millions and area
 * settlements multiply by fractional square metres. Amounts cross the API as decimal strings
 * ("2350000.00"); areas as decimal strings with up to two decimals ("89.50").
 */
const AMOUNT = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

/** "2350000.5" → 235000050 fen; throws RangeError on anything but a non-negative amount with ≤ 2 decimals. */
export function toFen(amount: string | number): number {
  const text = typeof amount === 'number' ? amount.toFixed(2) : amount.trim();
  const m = AMOUNT.exec(text);
  if (!m) throw new RangeError(`${String(amount)} is not an amount in CNY with at most two decimals`);
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** 235000050 fen → "2350000.50" (negative amounts keep their sign). */
export function fenToString(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`${fen} is not a whole number of fen`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function isAmount(value: unknown): value is string {
  return typeof value === 'string' && AMOUNT.test(value.trim());
}

/** Square metres with up to two decimals as hundredths: "89.5" → 8950. */
export function toCentiSquareMetres(area: string | number): number {
  const text = typeof area === 'number' ? area.toFixed(2) : area.trim();
  const m = /^(\d{1,6})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) throw new RangeError(`${String(area)} is not an area in square metres with at most two decimals`);
  const v = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (v === 0) throw new RangeError('an area must be larger than zero');
  return v;
}

/** Rounds a rational amount of fen half away from zero (how a finance office rounds to the fen). */
export function roundFen(numerator: bigint, denominator: bigint): number {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  const q = n / denominator;
  const r = n % denominator;
  const rounded = r * 2n >= denominator ? q + 1n : q;
  return Number(negative ? -rounded : rounded);
}
