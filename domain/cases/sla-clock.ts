import { addWorkingTime, workingDayHoursOf, workingTimeBetween, type BusinessCalendar } from './business-calendar.js';
import { durationBudgetMs } from './durations.js';
import { CaseRuleError, CaseRuleErrorCode } from './errors.js';
import type { SlaPolicy } from './sla-policy.js';
import { TARGETS, type ClockKind, type TargetName } from './types.js';

/**
 * The clock of one SLA target (first contact, resolution or callback), as plain JSON the case
 * workflow keeps in its state, returns from queries and carries across continue-as-new.
 *
 * A target has a budget of clock time (real time on the calendar clock, working time on the
 * business clock). It runs from `startedAt`, stops while the case waits on the customer and
 * continues exactly where it stopped, and ends when met. Its record keeps every closed running
 * segment, so re-budgeting after a severity or category change — even onto another clock or
 * calendar — recomputes consumed time and deadlines exactly, as if the new policy had applied all
 * along. Deadlines are the instants at which consumed time reaches the warning and budget marks.
 *
 * The functions never mutate: each returns a new state (or the same one when nothing changes).
 * Those that take `t: TargetClock | null` pass a target that has not started (null) through
 * untouched. Time is always passed in; an instant earlier than the target's last event is treated
 * as that event's instant, because time does not run backwards for a case.
 */
export interface TargetClock {
  name: TargetName;
  clock: ClockKind;
  /** The business calendar, snapshotted at start so a later edit cannot move a running deadline; null on the calendar clock. */
  calendar: BusinessCalendar | null;
  /** Clock time allowed, in ms. */
  budgetMs: number;
  /** Fraction of the budget at which the assignee is warned. */
  warnAt: number;
  startedAt: number;
  /** Clock time consumed in the closed segments of `runs`. */
  consumedMs: number;
  /** Start of the running segment; null while paused or once met. */
  runningSince: number | null;
  /** Closed running segments, oldest first (one per pause, plus the last at meeting). */
  runs: RunSegment[];
  /** Wall time spent in closed pauses. */
  pausedMs: number;
  pausedSince: number | null;
  /**
   * When the budget is (or was) used up. While paused and not yet used up, the deadline as it
   * stood when the clock stopped; `resumeTarget` moves it by the pause.
   */
  dueAt: number;
  /** Same for the warning mark (`warnAt` × budget). */
  warnDueAt: number;
  warnedAt: number | null;
  metAt: number | null;
  /** When the breach was recorded (stays once set, also if the target is met or re-budgeted later). */
  breachedAt: number | null;
}

export interface RunSegment {
  from: number;
  to: number;
}

/** What a policy gives one target: the arguments `rebudgetTarget` takes besides `t` and `now`. */
export interface TargetBudget {
  clock: ClockKind;
  calendar: BusinessCalendar | null;
  budgetMs: number;
  warnAt: number;
}

export type TargetEvent = 'warn' | 'breach';

// ---------------------------------------------------------------------------------------------
// Starting and budgeting

/**
 * The budget of a target under a policy. A business-clock policy needs its calendar: the one the
 * policy names, or the project's when it names none.
 */
export function targetBudget({ name, policy, calendar }: { name: TargetName; policy: SlaPolicy; calendar?: BusinessCalendar | null }): TargetBudget {
  if (policy.clock === 'calendar') {
    return { clock: 'calendar', calendar: null, budgetMs: durationBudgetMs({ iso: policy[name], clock: 'calendar' }), warnAt: policy.warnAt };
  }
  const businessCalendar = businessCalendarFor({ policy, calendar });
  return {
    clock: 'business',
    calendar: businessCalendar,
    budgetMs: durationBudgetMs({ iso: policy[name], clock: 'business', workingDayHours: workingDayHoursOf(businessCalendar) }),
    warnAt: policy.warnAt,
  };
}

export function startTarget({
  name,
  policy,
  calendar,
  now,
}: {
  name: TargetName;
  policy: SlaPolicy;
  calendar?: BusinessCalendar | null;
  now: number;
}): TargetClock {
  assertInstant(now);
  const budget = targetBudget({ name, policy, calendar });
  assertBudget(budget);
  return schedule({
    name,
    ...budget,
    startedAt: now,
    consumedMs: 0,
    runningSince: now,
    runs: [],
    pausedMs: 0,
    pausedSince: null,
    dueAt: now,
    warnDueAt: now,
    warnedAt: null,
    metAt: null,
    breachedAt: null,
  });
}

/**
 * A deadline for something that is not a tracked target, such as a supervisor's approval window:
 * `iso` after `from` on the given clock.
 */
export function deadlineAfter({ iso, clock, calendar, from }: { iso: string; clock: ClockKind; calendar?: BusinessCalendar | null; from: number }): number {
  assertInstant(from);
  if (clock === 'calendar') return from + durationBudgetMs({ iso, clock });
  const cal = requireCalendar(calendar);
  return addWorkingTime({ calendar: cal, from, ms: durationBudgetMs({ iso, clock, workingDayHours: workingDayHoursOf(cal) }) });
}

/** When an escalation request raised at `from` escalates by itself if no supervisor decides. */
export function approvalDeadline({ policy, calendar, from }: { policy: SlaPolicy; calendar?: BusinessCalendar | null; from: number }): number {
  const cal = policy.clock === 'business' ? businessCalendarFor({ policy, calendar }) : null;
  return deadlineAfter({ iso: policy.approvalWindow, clock: policy.clock, calendar: cal, from });
}

// ---------------------------------------------------------------------------------------------
// Moving the clock

/** Stops the clock (the case waits on the customer). No-op unless the target is running. */
export function pauseTarget<T extends TargetClock | null>({ t, now }: { t: T; now: number }): T {
  if (t === null || t.metAt !== null || t.runningSince === null) return t;
  assertInstant(now);
  const at = Math.max(now, t.runningSince);
  const closed = closeRun(t, at);
  return schedule({ ...t, ...closed, runningSince: null, pausedSince: at }) as T;
}

/**
 * Restarts a paused clock. The target continues exactly where it stopped: the consumed time is
 * unchanged, so the deadline moves by the working (or wall) time the pause covered.
 */
export function resumeTarget<T extends TargetClock | null>({ t, now }: { t: T; now: number }): T {
  if (t === null || t.metAt !== null || t.pausedSince === null) return t;
  assertInstant(now);
  const at = Math.max(now, t.pausedSince);
  return schedule({ ...t, pausedMs: t.pausedMs + (at - t.pausedSince), pausedSince: null, runningSince: at }) as T;
}

/**
 * A new budget after a severity or category change (or a new policy). Consumed and paused time
 * stay; deadlines are recomputed and may lie in the past. A met target stays exactly as it was
 * recorded. A breached target keeps `breachedAt` even when the new budget is larger. A warning
 * already given is re-armed when the new warning mark still lies ahead, so the assignee is warned
 * before the new deadline too.
 */
export function rebudgetTarget<T extends TargetClock | null>({
  t,
  budgetMs,
  warnAt,
  now,
  clock,
  calendar,
}: {
  t: T;
  budgetMs: number;
  warnAt: number;
  now: number;
  clock?: ClockKind;
  calendar?: BusinessCalendar | null;
}): T {
  if (t === null || t.metAt !== null) return t;
  assertInstant(now);
  const nextClock = clock ?? t.clock;
  const budget: TargetBudget = {
    clock: nextClock,
    calendar: nextClock === 'calendar' ? null : requireCalendar(calendar === undefined ? t.calendar : calendar),
    budgetMs,
    warnAt,
  };
  assertBudget(budget);
  const rebased: TargetClock = { ...t, ...budget };
  rebased.consumedMs = rebased.runs.reduce((sum, run) => sum + clockTime(rebased, run.from, run.to), 0);
  const next = schedule(rebased);
  const at = Math.max(now, lastEventAt(t));
  if (next.warnedAt !== null && next.breachedAt === null && elapsedMs({ t: next, now: at }) < warnBudgetMs(next)) next.warnedAt = null;
  return next as T;
}

/** Records that the assignee was warned; no-op unless the warning is due and not yet given. */
export function markWarned<T extends TargetClock | null>({ t, now }: { t: T; now: number }): T {
  if (t === null || !isWarnDue({ t, now })) return t;
  return { ...t, warnedAt: Math.max(now, lastEventAt(t)) };
}

/**
 * Records the breach. No-op when the target is met, already breached, or not yet due (a timer
 * armed for a deadline that a re-budget has since moved must not breach the case).
 */
export function markBreached<T extends TargetClock | null>({ t, now }: { t: T; now: number }): T {
  if (t === null || !isBreachDue({ t, now })) return t;
  return { ...t, breachedAt: Math.max(now, lastEventAt(t)) };
}

/**
 * What a timer firing at `now` must record, in one step: the breach if due (a warning that is
 * overtaken by its breach is not sent), otherwise the warning if due. The workflow audits and
 * emails one event per entry of `events`.
 */
export function recordDueEvents({ t, now }: { t: TargetClock; now: number }): { t: TargetClock; events: TargetEvent[] } {
  if (isBreachDue({ t, now })) return { t: markBreached({ t, now }), events: ['breach'] };
  if (isWarnDue({ t, now })) return { t: markWarned({ t, now }), events: ['warn'] };
  return { t, events: [] };
}

/**
 * Ends the target. Meeting it exactly at its deadline is on time. Meeting it after a recorded
 * breach keeps `breachedAt`. Meeting it while paused ends the pause.
 */
export function meetTarget<T extends TargetClock | null>({ t, now }: { t: T; now: number }): T {
  if (t === null || t.metAt !== null) return t;
  assertInstant(now);
  const at = Math.max(now, lastEventAt(t));
  if (t.runningSince !== null) return { ...t, ...closeRun(t, at), runningSince: null, metAt: at };
  const pausedSince = t.pausedSince ?? at;
  return { ...t, pausedMs: t.pausedMs + (at - pausedSince), pausedSince: null, metAt: at };
}

// ---------------------------------------------------------------------------------------------
// Reading the clock

/** Clock time consumed up to `now` (working time on the business clock), pauses excluded. */
export function elapsedMs({ t, now }: { t: TargetClock; now: number }): number {
  if (t.runningSince === null) return t.consumedMs;
  return t.consumedMs + clockTime(t, t.runningSince, Math.max(now, t.runningSince));
}

/** Clock time left before the deadline; negative once overrun. */
export function remainingMs({ t, now }: { t: TargetClock; now: number }): number {
  return t.budgetMs - elapsedMs({ t, now });
}

/** Wall time spent paused up to `now`, the current pause included. */
export function pausedMsAt({ t, now }: { t: TargetClock; now: number }): number {
  return t.pausedMs + (t.pausedSince === null ? 0 : Math.max(0, now - t.pausedSince));
}

export function warnBudgetMs(t: Pick<TargetClock, 'budgetMs' | 'warnAt'>): number {
  return Math.round(t.budgetMs * t.warnAt);
}

/** The warning mark has been reached and no warning, breach or meeting was recorded yet. */
export function isWarnDue({ t, now }: { t: TargetClock; now: number }): boolean {
  return t.metAt === null && t.warnedAt === null && t.breachedAt === null && elapsedMs({ t, now }) >= warnBudgetMs(t);
}

/**
 * The budget is used up and neither a meeting nor a breach was recorded. At the exact deadline a
 * breach is due, yet a meeting recorded first at that same instant is on time: meeting at the
 * deadline is meeting it.
 */
export function isBreachDue({ t, now }: { t: TargetClock; now: number }): boolean {
  return t.metAt === null && t.breachedAt === null && elapsedMs({ t, now }) >= t.budgetMs;
}

/** Met no later than the instant the budget ran out (whether or not a breach was recorded). */
export function isMetWithinTarget({ t }: { t: TargetClock }): boolean {
  if (t.metAt === null) return false;
  if (t.consumedMs < t.budgetMs) return true;
  return t.metAt <= reachInstant(t, t.budgetMs);
}

/**
 * The next instant the workflow needs a timer for this target, and what is due then; null when
 * met, breached (nothing more will fire), or paused. A paused target still reports an event whose
 * mark was passed before the pause and never recorded, with its (past) instant: fire it at once.
 */
export function nextDeadline({ t }: { t: TargetClock | null }): { at: number; event: TargetEvent } | null {
  if (t === null || t.metAt !== null || t.breachedAt !== null) return null;
  // A warning due no earlier than the breach would only announce it: skip it.
  const warnPending = t.warnedAt === null && t.warnDueAt < t.dueAt;
  if (t.runningSince === null) {
    if (t.consumedMs >= t.budgetMs) return { at: t.dueAt, event: 'breach' };
    if (warnPending && t.consumedMs >= warnBudgetMs(t)) return { at: t.warnDueAt, event: 'warn' };
    return null;
  }
  return warnPending ? { at: t.warnDueAt, event: 'warn' } : { at: t.dueAt, event: 'breach' };
}

/** The earliest timer a case needs across its targets (ties in target order), or null. */
export function earliestDeadline({
  targets,
}: {
  targets: Partial<Record<TargetName, TargetClock | null>>;
}): { target: TargetName; at: number; event: TargetEvent } | null {
  let best: { target: TargetName; at: number; event: TargetEvent } | null = null;
  for (const name of TARGETS) {
    const next = nextDeadline({ t: targets[name] ?? null });
    if (next && (best === null || next.at < best.at)) best = { target: name, ...next };
  }
  return best;
}

export interface TargetReport {
  target: TargetName;
  clock: ClockKind;
  /** Clock time from start to meeting, pauses excluded: working time on the business clock. */
  durationMs: number;
  /** Wall time from start to meeting, pauses included. */
  wallMs: number;
  pausedMs: number;
  budgetMs: number;
  startedAt: number;
  metAt: number;
  dueAt: number;
  withinTarget: boolean;
  breachedAt: number | null;
}

/**
 * The durations a report records for a met target (first contact and resolution of every closed
 * case); null while the target is not met, so a report can never take a running clock for a result.
 */
export function durationsForReport({ t }: { t: TargetClock }): TargetReport | null {
  if (t.metAt === null) return null;
  return {
    target: t.name,
    clock: t.clock,
    durationMs: t.consumedMs,
    wallMs: t.metAt - t.startedAt,
    pausedMs: t.pausedMs,
    budgetMs: t.budgetMs,
    startedAt: t.startedAt,
    metAt: t.metAt,
    dueAt: t.dueAt,
    withinTarget: isMetWithinTarget({ t }),
    breachedAt: t.breachedAt,
  };
}

/** What the API shows for a target (`sla.firstContact` etc.) at `now`. */
export function describeTarget({ t, now }: { t: TargetClock; now: number }) {
  return {
    clock: t.clock,
    status: t.metAt !== null ? ('met' as const) : t.runningSince === null ? ('paused' as const) : ('running' as const),
    budgetMs: t.budgetMs,
    elapsedMs: elapsedMs({ t, now }),
    remainingMs: remainingMs({ t, now }),
    startedAt: t.startedAt,
    dueAt: t.dueAt,
    warnDueAt: t.warnDueAt,
    warnedAt: t.warnedAt,
    metAt: t.metAt,
    breachedAt: t.breachedAt,
    pausedMs: pausedMsAt({ t, now }),
  };
}

// ---------------------------------------------------------------------------------------------
// Internals

function clockTime(t: Pick<TargetClock, 'clock' | 'calendar'>, from: number, to: number): number {
  if (to <= from) return 0;
  return t.clock === 'calendar' ? to - from : workingTimeBetween({ calendar: requireCalendar(t.calendar), from, to });
}

function advance(t: Pick<TargetClock, 'clock' | 'calendar'>, from: number, ms: number): number {
  return t.clock === 'calendar' ? from + ms : addWorkingTime({ calendar: requireCalendar(t.calendar), from, ms });
}

/**
 * The instant at which consumed clock time reaches `amount`: inside a past running segment when
 * it was reached before, otherwise projected from where the clock runs (or stopped).
 */
function reachInstant(t: TargetClock, amount: number): number {
  let consumed = 0;
  for (const run of t.runs) {
    const length = clockTime(t, run.from, run.to);
    if (consumed + length >= amount) return advance(t, run.from, amount - consumed);
    consumed += length;
  }
  const base = t.runningSince ?? t.pausedSince ?? t.metAt ?? t.runs.at(-1)?.to ?? t.startedAt;
  return advance(t, base, amount - consumed);
}

function schedule(t: TargetClock): TargetClock {
  return { ...t, dueAt: reachInstant(t, t.budgetMs), warnDueAt: reachInstant(t, warnBudgetMs(t)) };
}

function closeRun(t: TargetClock, at: number): Pick<TargetClock, 'runs' | 'consumedMs'> {
  const from = t.runningSince;
  if (from === null || at <= from) return { runs: t.runs, consumedMs: t.consumedMs };
  return { runs: [...t.runs, { from, to: at }], consumedMs: t.consumedMs + clockTime(t, from, at) };
}

function lastEventAt(t: TargetClock): number {
  return Math.max(t.startedAt, t.runningSince ?? -Infinity, t.pausedSince ?? -Infinity, t.runs.at(-1)?.to ?? -Infinity);
}

function businessCalendarFor({ policy, calendar }: { policy: SlaPolicy; calendar?: BusinessCalendar | null | undefined }): BusinessCalendar {
  const cal = requireCalendar(calendar, policy);
  if (policy.calendarId !== undefined && cal.id !== policy.calendarId) {
    throw new CaseRuleError(
      CaseRuleErrorCode.CALENDAR_REQUIRED,
      `policy ${policy.id} counts on calendar ${policy.calendarId}, but calendar ${cal.id} was given`,
    );
  }
  return cal;
}

function requireCalendar(calendar: BusinessCalendar | null | undefined, policy?: SlaPolicy): BusinessCalendar {
  if (!calendar) {
    throw new CaseRuleError(
      CaseRuleErrorCode.CALENDAR_REQUIRED,
      policy ? `policy ${policy.id} uses the business clock and needs a business calendar` : 'the business clock needs a business calendar',
    );
  }
  return calendar;
}

function assertBudget(b: TargetBudget): void {
  if (!Number.isSafeInteger(b.budgetMs) || b.budgetMs <= 0) {
    throw new CaseRuleError(CaseRuleErrorCode.INVALID_DURATION, `a target budget must be a positive whole number of milliseconds, got ${String(b.budgetMs)}`);
  }
  if (typeof b.warnAt !== 'number' || !(b.warnAt > 0 && b.warnAt < 1)) {
    throw new CaseRuleError(CaseRuleErrorCode.INVALID_DURATION, `warnAt must be between 0 and 1 (exclusive), got ${String(b.warnAt)}`);
  }
}

function assertInstant(value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new CaseRuleError(CaseRuleErrorCode.INVALID_INSTANT, `an instant must be epoch milliseconds, got ${String(value)}`);
  }
}
