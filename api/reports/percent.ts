/**
 * A share as a report shows it: 0–100 with one decimal, null when there is nothing to divide by.
 * Rounding never contradicts the counts beside it: 100 only when every one counted (2499 of 2500
 * reads 99.9, not 100), 0 only when none did (1 of 2500 reads 0.1, not 0).
 */
export function percentOf(part: number, whole: number): number | null {
  if (whole === 0) return null;
  const p = Math.round((1000 * part) / whole) / 10;
  if (p >= 100 && part < whole) return 99.9;
  if (p <= 0 && part > 0) return 0.1;
  return p;
}
