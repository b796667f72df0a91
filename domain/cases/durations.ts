import { Duration } from 'luxon';
import { CaseRuleError, CaseRuleErrorCode } from './errors.js';
import type { ClockKind } from './types.js';

/**
 * SLA durations are ISO 8601 (`PT24H`, `P7D`, `PT5S` for demos), and every target keeps its budget
 * as one number of milliseconds of *clock time*, so pausing, resuming and re-budgeting are plain
 * subtraction. How a duration becomes that budget depends on the clock:
 *
 * - **calendar clock**: exact elapsed time. A day is 24 h and a week 7 × 24 h of real time, also
 *   across a daylight-saving change (a handbook's "within 24 hours" means 24 real hours).
 * - **business clock**: working time of a business calendar. Hours, minutes and seconds are
 *   working time as written (`PT4H` = four working hours). A day counts as one *working day* of
 *   `workingDayHours` hours of working time (default 8): `P2D` on a 7.5-hour calendar is 15
 *   working hours. We do not read `P1D` as "the same time on the next working day": with split
 *   shifts, short days and make-up days that is ill-defined, and it is not additive, so a budget
 *   could not be paused and resumed exactly.
 *
 * Refused for SLA targets: years and months (ambiguous lengths, and no handbook target is
 * written that way), weeks on the business clock (five working days or seven? write `P5D`),
 * zero and negative durations.
 */

/** The default length of a working day on the business clock, in hours. */
export const DEFAULT_WORKING_DAY_HOURS = 8;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A validated SLA duration, split into the units that survive validation. */
export interface SlaDuration {
  iso: string;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
  milliseconds: number;
}

export type ParsedDuration = { ok: true; value: SlaDuration } | { ok: false; message: string };

/**
 * Validates an ISO 8601 duration for use as an SLA target on the given clock. The message names
 * the problem in words an administrator editing a policy understands.
 */
export function parseSlaDuration({ iso, clock }: { iso: string; clock: ClockKind }): ParsedDuration {
  if (typeof iso !== 'string' || iso.length === 0) return { ok: false, message: 'a duration is required, e.g. PT24H or P7D' };
  // Luxon accepts a sign on the whole duration and on each unit; an SLA target is never negative.
  if (iso.includes('-')) return { ok: false, message: `${iso} is negative; durations must be positive` };
  const parsed = Duration.fromISO(iso);
  if (!parsed.isValid) return { ok: false, message: `${iso} is not an ISO 8601 duration, e.g. PT24H, P7D or PT5S` };
  const o = parsed.toObject();
  if ((o.years ?? 0) !== 0 || (o.quarters ?? 0) !== 0 || (o.months ?? 0) !== 0) {
    return { ok: false, message: `${iso} uses years or months, whose length varies; write days instead (e.g. P30D)` };
  }
  if (clock === 'business' && (o.weeks ?? 0) !== 0) {
    return { ok: false, message: `${iso} uses weeks, which is ambiguous on the business clock; write working days instead (e.g. P5D)` };
  }
  const value: SlaDuration = {
    iso,
    weeks: o.weeks ?? 0,
    days: o.days ?? 0,
    hours: o.hours ?? 0,
    minutes: o.minutes ?? 0,
    seconds: o.seconds ?? 0,
    milliseconds: o.milliseconds ?? 0,
  };
  const parts = [value.weeks, value.days, value.hours, value.minutes, value.seconds, value.milliseconds];
  if (parts.some((p) => !Number.isFinite(p) || p < 0)) return { ok: false, message: `${iso} is negative; durations must be positive` };
  // The largest budget any clock can produce from it (24 working hours a day) must stay exact.
  const upper = budgetOf(value, 'calendar', 24);
  if (!Number.isSafeInteger(upper)) return { ok: false, message: `${iso} is too long` };
  if (upper <= 0 || budgetOf(value, clock, DEFAULT_WORKING_DAY_HOURS) <= 0) {
    return { ok: false, message: `${iso} is zero; a target needs some time` };
  }
  return { ok: true, value };
}

/** The budget of a validated duration in milliseconds of clock time (see the module comment). */
export function budgetMs({
  duration,
  clock,
  workingDayHours = DEFAULT_WORKING_DAY_HOURS,
}: {
  duration: SlaDuration;
  clock: ClockKind;
  workingDayHours?: number | undefined;
}): number {
  assertWorkingDayHours(workingDayHours);
  return budgetOf(duration, clock, workingDayHours);
}

/** Parses and converts in one step; throws `CaseRuleError(INVALID_DURATION)` on a bad duration. */
export function durationBudgetMs({
  iso,
  clock,
  workingDayHours,
}: {
  iso: string;
  clock: ClockKind;
  workingDayHours?: number | undefined;
}): number {
  const parsed = parseSlaDuration({ iso, clock });
  if (!parsed.ok) throw new CaseRuleError(CaseRuleErrorCode.INVALID_DURATION, parsed.message);
  return budgetMs({ duration: parsed.value, clock, workingDayHours });
}

export function isValidWorkingDayHours(hours: unknown): hours is number {
  return typeof hours === 'number' && Number.isFinite(hours) && hours > 0 && hours <= 24;
}

function assertWorkingDayHours(hours: number): void {
  if (!isValidWorkingDayHours(hours)) {
    throw new CaseRuleError(CaseRuleErrorCode.INVALID_DURATION, `workingDayHours must be more than 0 and at most 24, got ${String(hours)}`);
  }
}

function budgetOf(d: SlaDuration, clock: ClockKind, workingDayHours: number): number {
  const dayMs = clock === 'calendar' ? DAY_MS : workingDayHours * HOUR_MS;
  // Fractions (PT1.5H, P0.5D) are legal ISO; budgets are whole milliseconds so that sums are exact.
  return Math.round(d.weeks * 7 * DAY_MS + d.days * dayMs + d.hours * HOUR_MS + d.minutes * 60_000 + d.seconds * 1000 + d.milliseconds);
}
