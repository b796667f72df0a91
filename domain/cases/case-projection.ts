/**
 * What the read model is projected from, kept small for the workflow's history (issue 14, slim
 * histories): the case's state without what the projection does not read or can rebuild — the
 * policy (only its id), the case number, the current targets (the last tier period's own), and
 * each target's business calendar written once, not once per target and period. Pure.
 */
import type { BusinessCalendar } from './business-calendar.js';
import type { CaseState, TierPeriod } from './case-state.js';
import type { TargetClock } from './sla-clock.js';
import { TARGETS, type TargetName } from './types.js';

/** The fields of a case's state the projection reads (activities/cases/projection.ts). */
export type ProjectedCase = Pick<
  CaseState,
  'status' | 'tier' | 'severity' | 'category' | 'assigneeId' | 'targets' | 'tiers' | 'escalations' | 'satisfaction' | 'firstContactMs' | 'resolutionMs' | 'contactedAt' | 'resolvedAt' | 'closedAt'
> & { policyId: string };

export interface CaseProjectionView extends Omit<ProjectedCase, 'targets'> {
  /** The current targets, only when they are not the last period's (they always are, as the reducer keeps them). */
  targets?: CaseState['targets'];
  /** The distinct business calendars of the periods' targets; each target's `calendar` is then its index here. */
  calendars: BusinessCalendar[];
}

type ViewTarget = Omit<TargetClock, 'calendar'> & { calendar: number | null };

/**
 * What a compact view leaves out of a target (caseProjectionView's `compact`): its name (the key it
 * is under) and every field at its starting value, which projectedCaseOf puts back. A new target is
 * then its clock, budget, start and deadlines, and a delta sets a field as it leaves its start.
 */
const TARGET_STARTING_VALUES = { calendar: null, consumedMs: 0, runningSince: null, runs: [], pausedMs: 0, pausedSince: null, warnedAt: null, metAt: null, breachedAt: null } as const;

const compactTarget = ({ name: _name, ...t }: ViewTarget): Partial<ViewTarget> =>
  Object.fromEntries(Object.entries(t).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify((TARGET_STARTING_VALUES as Record<string, unknown>)[k]))) as Partial<ViewTarget>;

const sameTargets = (a: CaseState['targets'], b: CaseState['targets'] | undefined) => b !== undefined && JSON.stringify(a) === JSON.stringify(b);

/**
 * The view of a state the projection needs (see the module's comment). `compact` (steps that carry
 * deltas, patch case-step-delta) leaves each target's name and starting values out.
 */
export function caseProjectionView(s: CaseState, o: { compact?: boolean } = {}): CaseProjectionView {
  const calendars: BusinessCalendar[] = [];
  const keys: string[] = [];
  const ref = (c: BusinessCalendar | null): number | null => {
    if (!c) return null;
    const key = JSON.stringify(c);
    let i = keys.indexOf(key);
    if (i < 0) {
      i = keys.push(key) - 1;
      calendars.push(c);
    }
    return i;
  };
  const slimTargets = (targets: CaseState['targets']) =>
    Object.fromEntries(
      TARGETS.map((n) => {
        const t = targets[n] ? ({ ...targets[n], calendar: ref(targets[n].calendar) } satisfies ViewTarget) : null;
        return [n, t && o.compact ? compactTarget(t) : t];
      }),
    ) as unknown as CaseState['targets'];
  const last = s.tiers.at(-1);
  return {
    status: s.status,
    tier: s.tier,
    severity: s.severity,
    category: s.category,
    assigneeId: s.assigneeId,
    policyId: s.policy.id,
    ...(sameTargets(s.targets, last?.targets) ? {} : { targets: slimTargets(s.targets) }),
    tiers: s.tiers.map((p): TierPeriod => ({ ...p, targets: slimTargets(p.targets) })),
    escalations: s.escalations,
    satisfaction: s.satisfaction,
    firstContactMs: s.firstContactMs,
    resolutionMs: s.resolutionMs,
    contactedAt: s.contactedAt ?? null,
    resolvedAt: s.resolvedAt ?? null,
    closedAt: s.closedAt,
    calendars,
  };
}

/** The projected case a view stands for (its targets and calendars put back). */
export function projectedCaseOf({ calendars, targets, ...v }: CaseProjectionView): ProjectedCase {
  const fullTargets = (ts: CaseState['targets']) =>
    Object.fromEntries(
      TARGETS.map((n: TargetName) => {
        const t = ts[n] as unknown as Partial<ViewTarget> | null;
        return [n, t ? { name: n, ...TARGET_STARTING_VALUES, runs: [], ...t, calendar: t.calendar === null || t.calendar === undefined ? null : calendars[t.calendar]! } : null];
      }),
    ) as CaseState['targets'];
  const tiers = v.tiers.map((p) => ({ ...p, targets: fullTargets(p.targets) }));
  return { ...v, tiers, targets: targets ? fullTargets(targets) : (tiers.at(-1)?.targets ?? { firstContact: null, resolution: null, callback: null }) };
}

/** A whole state as the projection reads it (executions before slim histories pass it so). */
export function projectedCaseOfState(s: CaseState): ProjectedCase {
  return { ...s, policyId: s.policy.id, contactedAt: s.contactedAt ?? null, resolvedAt: s.resolvedAt ?? null };
}

/** A path into a view: object keys and array indices. */
type ViewPath = Array<string | number>;

/**
 * What changed between two views of one case (issue 14, slim histories): each change a path and
 * its new value, or a path alone for a key that is gone. Objects and arrays are compared key by
 * key and index by index, so a warning is one timestamp, not the case's every tier and target;
 * an array that shrank is replaced whole. `base` is the seq of the view the changes apply to.
 */
export interface CaseProjectionDelta {
  base: number;
  /** caseProjectionViewHash of the base view: a row whose view is another at the same seq takes no delta. */
  hash: string;
  changes: Array<[ViewPath, unknown] | [ViewPath]>;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** JSON with object keys sorted (PostgreSQL's jsonb keeps its own key order). */
const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : isObject(v)
      ? `{${Object.keys(v)
          .filter((k) => v[k] !== undefined)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
          .join(',')}}`
      : JSON.stringify(v);

/** A short fingerprint of a view (FNV-1a, 32 bits, of its canonical JSON): deterministic, no crypto in the workflow sandbox. */
export function caseProjectionViewHash(view: CaseProjectionView): string {
  let h = 0x811c9dc5;
  for (const ch of canonical(view)) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function diffInto(changes: CaseProjectionDelta['changes'], path: ViewPath, a: unknown, b: unknown): void {
  if (Array.isArray(a) && Array.isArray(b) && b.length >= a.length) {
    b.forEach((v, i) => (i < a.length ? diffInto(changes, [...path, i], a[i], v) : changes.push([[...path, i], v])));
  } else if (isObject(a) && isObject(b)) {
    for (const key of Object.keys(a)) if (!(key in b) || b[key] === undefined) if (a[key] !== undefined) changes.push([[...path, key]]);
    for (const [key, v] of Object.entries(b)) if (v !== undefined) diffInto(changes, [...path, key], a[key], v);
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    changes.push([path, b]);
  }
}

/** The delta from the view at seq `base` to `next` (pure; both views as caseProjectionView makes them). */
export function caseProjectionDelta(base: { seq: number; view: CaseProjectionView }, next: CaseProjectionView): CaseProjectionDelta {
  const changes: CaseProjectionDelta['changes'] = [];
  diffInto(changes, [], base.view, next);
  return { base: base.seq, hash: caseProjectionViewHash(base.view), changes };
}

/** The view a delta makes of the view it was taken from (a copy; the base is not changed). */
export function applyCaseProjectionDelta(view: CaseProjectionView, delta: CaseProjectionDelta): CaseProjectionView {
  const next = JSON.parse(JSON.stringify(view)) as Record<string, unknown>;
  for (const change of delta.changes) {
    const path = change[0];
    if (path.length === 0 || path.some((k) => k === '__proto__' || k === 'constructor' || k === 'prototype')) throw new TypeError(`bad path in a case projection delta: ${JSON.stringify(path)}`);
    let node: unknown = next;
    for (const key of path.slice(0, -1)) {
      node = (node as Record<string | number, unknown>)[key];
      if (node === null || typeof node !== 'object') throw new TypeError(`a case projection delta's path ${JSON.stringify(path)} does not fit its base`);
    }
    const last = path.at(-1)!;
    if (change.length === 1) delete (node as Record<string | number, unknown>)[last];
    else (node as Record<string | number, unknown>)[last] = change[1];
  }
  return next as unknown as CaseProjectionView;
}
