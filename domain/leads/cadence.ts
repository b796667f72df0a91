import { DateTime, Duration } from 'luxon';
import { joinPath, type Parsed, type ValidationIssue } from '../cases/errors.js';
import { GRADES, isGrade, isOwnerRole, type Grade, type LeadOwnerRole } from './types.js';

/**
 * Follow-up cadences per grade (DESIGN.md section 2), editable by an administrator.
 *
 * Durations are ISO 8601 and added on the calendar of the project's time zone, so `P1M` is "the
 * same day next month" and `P1D` is "this time tomorrow" also across a daylight-saving change.
 * Unlike SLA targets, cadences are written in months by the handbook, and there is no business
 * clock: sales work weekends.
 *
 * A lead's cadence is a chain of windows. A window opens when the lead arrives, and again at every
 * logged touch, re-grade or (re)assignment; the touch is due `firstContact` after it opens while
 * nobody has ever touched the lead, `interval` after it once somebody has. A window whose touch is
 * still missing one whole `interval` after it was due has lapsed: the lead goes to the pool.
 */
export interface CadencePolicy {
  grade: Grade;
  /** The first touch is due this long after the lead arrives (or is re-graded or assigned untouched). */
  firstContact: string;
  /** Then a touch is due this long after the previous one. At most a month: every open lead needs a touch a month. */
  interval: string;
  /** How long the grade's cadence runs before the lead drops to `dropTo` (B: `P1M`), or null to run until the lead ends. */
  lastsFor: string | null;
  dropTo: Grade | null;
  /** Whom new leads of this grade are assigned to, round robin among the project's staff of that role. */
  ownerRole: LeadOwnerRole;
}

export const DEFAULT_CADENCES: readonly CadencePolicy[] = Object.freeze([
  { grade: 'A', firstContact: 'PT24H', interval: 'P1D', lastsFor: null, dropTo: null, ownerRole: 'SALES_MANAGER' },
  { grade: 'B', firstContact: 'P3D', interval: 'P7D', lastsFor: 'P1M', dropTo: 'C', ownerRole: 'SALES' },
  { grade: 'C', firstContact: 'P1M', interval: 'P1M', lastsFor: null, dropTo: null, ownerRole: 'SPECIALIST' },
] satisfies CadencePolicy[]);

/** The longest a window may be: the handbook's "at least one logged touch a month", at its longest month. */
const MAX_WINDOW_DAYS = 31;
const REFERENCE = DateTime.fromISO('2026-01-01T00:00:00', { zone: 'UTC' });

function parseCadenceDuration(iso: unknown): { ok: true; value: Duration } | { ok: false; message: string } {
  if (typeof iso !== 'string' || iso.length === 0) return { ok: false, message: 'a duration is required, e.g. PT24H, P7D or P1M' };
  if (iso.includes('-')) return { ok: false, message: `${iso} is negative; durations must be positive` };
  const d = Duration.fromISO(iso);
  if (!d.isValid) return { ok: false, message: `${iso} is not an ISO 8601 duration, e.g. PT24H, P7D, P1M or PT5S` };
  const ms = REFERENCE.plus(d).toMillis() - REFERENCE.toMillis();
  if (!(ms > 0)) return { ok: false, message: `${iso} is zero; a cadence needs some time` };
  return { ok: true, value: d };
}

/** Adds an ISO 8601 duration to an instant on the calendar of `timeZone`. */
export function addCadence({ at, iso, timeZone }: { at: number; iso: string; timeZone: string }): number {
  const d = Duration.fromISO(iso);
  if (!d.isValid || !Number.isFinite(at)) throw new RangeError(`cannot add ${iso} to ${at}`);
  return DateTime.fromMillis(at, { zone: timeZone }).plus(d).toMillis();
}

/**
 * The `times`-th step of a cadence anchored at `at` (at + times × iso, on the calendar of
 * `timeZone`). Unlike adding `iso` again and again, a step never inherits an earlier step's
 * clamping: monthly from 31 January falls on 28/29 February, then 31 March, not 28 March.
 */
export function addCadenceTimes({ at, iso, times, timeZone }: { at: number; iso: string; times: number; timeZone: string }): number {
  const d = Duration.fromISO(iso);
  if (!d.isValid || !Number.isFinite(at) || !Number.isInteger(times) || times < 0) throw new RangeError(`cannot add ${times} × ${iso} to ${at}`);
  return DateTime.fromMillis(at, { zone: timeZone }).plus(d.mapUnits((v) => v * times)).toMillis();
}

/** Subtracts an ISO 8601 duration from an instant on the calendar of `timeZone` (addCadence's mirror). */
export function subtractIso({ at, iso, timeZone }: { at: number; iso: string; timeZone: string }): number {
  const d = Duration.fromISO(iso);
  if (!d.isValid || !Number.isFinite(at)) throw new RangeError(`cannot subtract ${iso} from ${at}`);
  return DateTime.fromMillis(at, { zone: timeZone }).minus(d).toMillis();
}

/**
 * Validates an administrator's cadence document: exactly one policy per grade, durations that are
 * valid and no longer than a month (so no open lead goes a month without a due touch), a drop
 * target exactly when the grade's cadence ends, and no cycle of drops.
 */
export function parseCadencePolicies(input: unknown): Parsed<CadencePolicy[]> {
  const errors: ValidationIssue[] = [];
  if (!Array.isArray(input)) return { ok: false, errors: [{ path: '', message: 'expected a list of cadence policies, one per grade' }] };
  const out: CadencePolicy[] = [];
  input.forEach((raw: unknown, i) => {
    const at = (field: string) => joinPath(i, field);
    if (typeof raw !== 'object' || raw === null) {
      errors.push({ path: joinPath(i), message: 'expected an object' });
      return;
    }
    const p = raw as Record<string, unknown>;
    const known = new Set(['grade', 'firstContact', 'interval', 'lastsFor', 'dropTo', 'ownerRole']);
    for (const key of Object.keys(p)) if (!known.has(key)) errors.push({ path: at(key), message: `unknown field ${key}` });
    if (!isGrade(p.grade)) errors.push({ path: at('grade'), message: 'grade must be A, B or C' });
    for (const field of ['firstContact', 'interval'] as const) {
      const d = parseCadenceDuration(p[field]);
      if (!d.ok) errors.push({ path: at(field), message: d.message });
      else if (REFERENCE.plus(d.value).diff(REFERENCE, 'days').days > MAX_WINDOW_DAYS)
        errors.push({ path: at(field), message: `${String(p[field])} is longer than a month; every open lead needs a touch at least monthly` });
    }
    const lastsFor = p.lastsFor ?? null;
    const dropTo = p.dropTo ?? null;
    if (lastsFor !== null) {
      const d = parseCadenceDuration(lastsFor);
      const first = parseCadenceDuration(p.firstContact);
      if (!d.ok) errors.push({ path: at('lastsFor'), message: d.message });
      else if (first.ok && REFERENCE.plus(d.value) <= REFERENCE.plus(first.value))
        errors.push({ path: at('lastsFor'), message: `${String(lastsFor)} ends the grade before its first contact (${String(p.firstContact)}) is even due` });
    }
    if (dropTo !== null && !isGrade(dropTo)) errors.push({ path: at('dropTo'), message: 'dropTo must be A, B, C or null' });
    if ((lastsFor === null) !== (dropTo === null)) errors.push({ path: at(lastsFor === null ? 'lastsFor' : 'dropTo'), message: 'lastsFor and dropTo go together: how long the cadence runs, and the grade it drops to' });
    if (dropTo !== null && dropTo === p.grade) errors.push({ path: at('dropTo'), message: 'a grade cannot drop to itself' });
    if (!isOwnerRole(p.ownerRole)) errors.push({ path: at('ownerRole'), message: 'ownerRole must be SALES_MANAGER, SALES or SPECIALIST' });
    out.push({
      grade: p.grade as Grade,
      firstContact: p.firstContact as string,
      interval: p.interval as string,
      lastsFor: lastsFor as string | null,
      dropTo: dropTo as Grade | null,
      ownerRole: p.ownerRole as LeadOwnerRole,
    });
  });
  if (errors.length) return { ok: false, errors };
  for (const grade of GRADES) {
    const n = out.filter((p) => p.grade === grade).length;
    if (n !== 1) errors.push({ path: '', message: n === 0 ? `grade ${grade} has no cadence` : `grade ${grade} has ${n} cadences; give exactly one` });
  }
  if (errors.length) return { ok: false, errors };
  for (const start of out) {
    const seen = new Set<Grade>([start.grade]);
    for (let g = start.dropTo; g !== null; g = out.find((p) => p.grade === g)!.dropTo) {
      if (seen.has(g)) {
        errors.push({ path: joinPath(out.indexOf(start), 'dropTo'), message: `grades drop in a circle (${[...seen, g].join(' → ')})` });
        break;
      }
      seen.add(g);
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: GRADES.map((g) => out.find((p) => p.grade === g)!) };
}

export function cadenceOf({ policies, grade }: { policies: readonly CadencePolicy[]; grade: Grade }): CadencePolicy {
  return policies.find((p) => p.grade === grade) ?? DEFAULT_CADENCES.find((p) => p.grade === grade)!;
}

/** One window of a lead's cadence: when its touch is due, and when it lapses to the pool. */
export interface CadenceWindow {
  openedAt: number;
  /** True when the lead had never been touched when the window opened: the due touch is the first contact. */
  firstContact: boolean;
  dueAt: number;
  lapsesAt: number;
}

export function openWindow({ policy, timeZone, at, contacted }: { policy: CadencePolicy; timeZone: string; at: number; contacted: boolean }): CadenceWindow {
  const dueAt = addCadence({ at, iso: contacted ? policy.interval : policy.firstContact, timeZone });
  return { openedAt: at, firstContact: !contacted, dueAt, lapsesAt: addCadence({ at: dueAt, iso: policy.interval, timeZone }) };
}

/** When a grade's cadence ends and the lead drops (B → C after a month), or null. */
export function gradeEndsAt({ policy, timeZone, gradeSince }: { policy: CadencePolicy; timeZone: string; gradeSince: number }): number | null {
  return policy.lastsFor === null ? null : addCadence({ at: gradeSince, iso: policy.lastsFor, timeZone });
}

/** While a lead waits in the pool, the sales managers are reminded once per interval of its grade. */
export function nextPoolReminderAt({ policy, timeZone, since }: { policy: CadencePolicy; timeZone: string; since: number }): number {
  return addCadence({ at: since, iso: policy.interval, timeZone });
}
