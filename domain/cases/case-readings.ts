/**
 * Pure readings of a complaint case's state, shared by the workflow (search attributes), the
 * projection activity (read model) and the API. No I/O, no workflow APIs: safe everywhere.
 */
import { durationsForReport, type TargetClock } from './sla-clock.js';
import { TARGETS, type TargetName } from './types.js';
import type { CaseState, SlaState } from './case-state.js';

const currentTargets = (state: Pick<CaseState, 'targets'>): TargetClock[] => TARGETS.map((n) => state.targets[n]).filter((t): t is TargetClock => t !== null);

/**
 * The current tier's SLA state: `paused` while waiting on the customer, `breached` when one of
 * its targets was breached, `warned` when an unmet one was warned, `met` when nothing is running,
 * else `on_track`. Earlier tiers' breaches stay in `caseWasBreached`.
 */
export function slaStateOf(state: Pick<CaseState, 'status' | 'targets'>): SlaState {
  if (state.status === 'waiting_on_customer') return 'paused';
  const targets = currentTargets(state);
  if (targets.some((t) => t.breachedAt !== null)) return 'breached';
  if (targets.some((t) => t.metAt === null && t.warnedAt !== null)) return 'warned';
  if (targets.every((t) => t.metAt !== null)) return 'met';
  return 'on_track';
}

/** Any target of any tier period was ever breached (what reports and the `breached` filter mean). */
export function caseWasBreached(state: Pick<CaseState, 'tiers'>): boolean {
  return state.tiers.some((p) => TARGETS.some((n) => p.targets[n]?.breachedAt != null));
}

/**
 * The earliest deadline still ahead of a running, unmet, unbreached current target: what a queue
 * orders by ("what breaches first"). Null when nothing runs (paused, met or already breached).
 */
export function caseNextDueAt(state: Pick<CaseState, 'targets'>): number | null {
  const due = currentTargets(state)
    .filter((t) => t.metAt === null && t.breachedAt === null && t.runningSince !== null)
    .map((t) => t.dueAt);
  return due.length ? Math.min(...due) : null;
}

/**
 * The target whose duration a closed case reports: the most recent period in which it was met.
 * That is the current tier's own target when the tier met it, else the last tier that did (a
 * case escalated after resolution only owes the callback at its new tier). A closed case always
 * has both, since closing needs a resolution and resolving needs a contact.
 */
export function reportedTarget(state: Pick<CaseState, 'tiers'>, name: TargetName): TargetClock | null {
  for (let i = state.tiers.length - 1; i >= 0; i--) {
    const t = state.tiers[i]!.targets[name];
    if (t && t.metAt !== null) return t;
  }
  return null;
}

export function reportedDurationMs(state: Pick<CaseState, 'tiers'>, name: TargetName): number | null {
  const t = reportedTarget(state, name);
  return t ? (durationsForReport({ t })?.durationMs ?? null) : null;
}
