/**
 * Pure readings of a complaint case's state, shared by the workflow (search attributes), the
 * projection activity (read model) and the API. No I/O, no workflow APIs: safe everywhere.
 */
import { durationsForReport, type TargetClock } from './sla-clock.js';
import { TARGETS, type TargetName, type Tier } from './types.js';
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

/** Where a target shown for a case comes from: which tier period, and whether that period is the current one. */
export interface TargetPeriod {
  index: number;
  tier: Tier;
  reason: 'opened' | 'escalated' | 'reopened';
  current: boolean;
}

/**
 * The target a case shows under `name`: the current period's own, or, when the current period
 * owes none, the most recent earlier one that was met. A case reopened by an unsatisfied callback
 * owes a fresh resolution but no second first contact: its first contact reads as made (when, and
 * whether within target) instead of "not started, due —". Null when no period had it met.
 */
export function shownTarget(state: Pick<CaseState, 'targets' | 'tiers'>, name: TargetName): { t: TargetClock; period: TargetPeriod | null } | null {
  const last = state.tiers.length - 1;
  const periodOf = (index: number): TargetPeriod | null => {
    const p = state.tiers[index];
    return p ? { index, tier: p.tier, reason: p.reason ?? (index === 0 ? 'opened' : 'escalated'), current: index === last } : null;
  };
  const own = state.targets[name];
  if (own) return { t: own, period: periodOf(last) };
  for (let i = last - 1; i >= 0; i--) {
    const t = state.tiers[i]!.targets[name];
    if (t && t.metAt !== null) return { t, period: periodOf(i) };
  }
  return null;
}

/** What a callback led to, as the agent who recorded it is told. */
export interface CallbackOutcome {
  /** `closed`: satisfied; `reopened`: back to the same tier with a fresh resolution target; `escalated`: reopened and a request to move up awaits the next tier's supervisors. */
  outcome: 'closed' | 'reopened' | 'escalated';
  satisfaction: number | null;
  tier: Tier;
  /** Who works the case now (null when closed or nobody is assigned yet). */
  assigneeId: string | null;
  /** The deadline that runs next: the fresh resolution target of a reopened case. */
  nextDeadline: { target: TargetName; dueAt: number } | null;
  /** The request the callback raised (outcome `escalated`), decided by `toTier`'s supervisors by `dueAt`. */
  escalation: { id: string; fromTier: Tier; toTier: Tier; dueAt: number } | null;
}

/** Reads what the callback just recorded on `state` led to (state as the recordCallback Update answers it). */
export function callbackOutcomeOf(state: Pick<CaseState, 'status' | 'tier' | 'assigneeId' | 'satisfaction' | 'targets' | 'tiers' | 'escalations'>): CallbackOutcome {
  if (state.status === 'closed') return { outcome: 'closed', satisfaction: state.satisfaction, tier: state.tier, assigneeId: null, nextDeadline: null, escalation: null };
  const period = state.tiers[state.tiers.length - 1];
  const raised = state.escalations.find((e) => e.status === 'pending' && e.source === 'callback' && period !== undefined && e.requestedAt >= period.enteredAt);
  const next = TARGETS.map((name) => ({ name, t: state.targets[name] })).find(({ t }) => t !== null && t.metAt === null);
  return {
    outcome: raised ? 'escalated' : 'reopened',
    satisfaction: state.satisfaction,
    tier: state.tier,
    assigneeId: state.assigneeId,
    nextDeadline: next?.t ? { target: next.name, dueAt: next.t.dueAt } : null,
    escalation: raised ? { id: raised.id, fromTier: raised.fromTier, toTier: raised.toTier, dueAt: raised.dueAt } : null,
  };
}

/** The tier period a case is in now: its index (0 = as opened), tier, why it began and when. */
export function currentPeriodOf(state: Pick<CaseState, 'tiers'>): (Omit<TargetPeriod, 'current'> & { enteredAt: number }) | null {
  const index = state.tiers.length - 1;
  const p = state.tiers[index];
  return p ? { index, tier: p.tier, reason: p.reason ?? (index === 0 ? 'opened' : 'escalated'), enteredAt: p.enteredAt } : null;
}
