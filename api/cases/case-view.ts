import type { z } from '../http/zod.js';
import type { Principal } from '../../domain/access.js';
import { describeTarget, type TargetClock } from '../../domain/cases/sla-clock.js';
import { isTier, TARGETS } from '../../domain/cases/types.js';
import type { CaseState, EscalationState } from '../../workflows/cases/complaint-case.defs.js';
import { callbackOutcomeOf, caseNextDueAt, caseWasBreached, currentPeriodOf, shownTarget, type TargetPeriod } from '../../domain/cases/case-readings.js';
import { NO_NAMES, type Names } from '../../app/shared/names.js';
import { phoneFor, toCustomerView, type CustomerRow } from '../customers/customer-view.js';
import {
  PERIOD_REASONS,
  type CallbackOutcomeView,
  type CaseListItemView,
  type CasePeriodView,
  type ContactView,
  type CaseView,
  type EscalationView,
  type TargetView,
} from './schemas.js';

type TargetJson = z.infer<typeof TargetView>;
type CaseJson = z.infer<typeof CaseView>;
type CaseListItemJson = z.infer<typeof CaseListItemView>;
type EscalationJson = z.infer<typeof EscalationView>;
type PeriodJson = z.infer<typeof CasePeriodView>;

/** The read-model row as the views need it (a `case_record` row, with its project's name). */
export interface CaseRow {
  id: string;
  number: string;
  workflowId: string;
  groupId: string;
  companyId: string;
  projectId: string;
  unitId: string | null;
  customerId: string;
  type: string;
  category: string;
  severity: string;
  channel: string;
  description: string;
  estimatedCost: { toNumber(): number } | null;
  status: string;
  tier: string;
  assigneeId: string | null;
  policyId: string;
  sla: unknown;
  nextDueAt: Date | null;
  breached: boolean;
  firstContactMs: bigint | null;
  resolutionMs: bigint | null;
  satisfaction: number | null;
  openedById: string;
  openedAt: Date;
  contactedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
}

const iso = (ms: number | null | undefined) => (typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : null);

/** A live target clock as the API shows it at `now`, with the tier period it belongs to. */
export function targetView(t: TargetClock | null | undefined, now: number, period: TargetPeriod | null = null): TargetJson | null {
  if (!t) return null;
  const d = describeTarget({ t, now });
  return {
    dueAt: iso(d.dueAt),
    warnedAt: iso(d.warnedAt),
    metAt: iso(d.metAt),
    breachedAt: iso(d.breachedAt),
    pausedMs: Math.round(d.pausedMs),
    status: d.status,
    clock: d.clock,
    startedAt: iso(d.startedAt),
    remainingMs: d.status === 'met' ? null : Math.round(d.remainingMs),
    period,
  };
}

const isReason = (v: unknown): v is (typeof PERIOD_REASONS)[number] => typeof v === 'string' && (PERIOD_REASONS as readonly string[]).includes(v);

/** A period as the projection stored it (`sla.<target>.period`, `sla.period`); null when absent or not understood. */
function storedPeriod(v: unknown): (TargetPeriod & { enteredAt?: unknown }) | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const p = v as Record<string, unknown>;
  if (typeof p.index !== 'number' || !isTier(p.tier) || !isReason(p.reason)) return null;
  return { index: p.index, tier: p.tier, reason: p.reason, current: p.current !== false, enteredAt: p.enteredAt };
}

const isTargetClock = (v: Record<string, unknown>): boolean =>
  typeof v.budgetMs === 'number' && typeof v.consumedMs === 'number' && Array.isArray(v.runs) && typeof v.startedAt === 'number';

/** An instant stored in the read model: epoch ms or an ISO string. */
function storedInstant(v: unknown): string | null {
  if (typeof v === 'number') return iso(v);
  if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return new Date(v).toISOString();
  return null;
}

/**
 * A target as the projection stored it in `case_record.sla`. The projection may store the clock
 * itself (then it is read exactly as live, at `now`) or an already-described target.
 */
export function storedTargetView(v: unknown, now: number): TargetJson | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const r = v as Record<string, unknown>;
  const p = storedPeriod(r.period);
  const period = p ? { index: p.index, tier: p.tier, reason: p.reason, current: p.current } : null;
  if (isTargetClock(r)) return targetView(r as unknown as TargetClock, now, period);
  const dueAt = storedInstant(r.dueAt);
  const metAt = storedInstant(r.metAt);
  const status = r.status === 'running' || r.status === 'paused' || r.status === 'met' ? r.status : metAt ? 'met' : null;
  return {
    dueAt,
    warnedAt: storedInstant(r.warnedAt),
    metAt,
    breachedAt: storedInstant(r.breachedAt),
    pausedMs: typeof r.pausedMs === 'number' ? Math.round(r.pausedMs) : 0,
    status,
    clock: r.clock === 'calendar' || r.clock === 'business' ? r.clock : null,
    startedAt: storedInstant(r.startedAt),
    remainingMs: status === 'running' && dueAt ? Date.parse(dueAt) - now : typeof r.remainingMs === 'number' ? Math.round(r.remainingMs) : null,
    period,
  };
}

function slaFromRow(sla: unknown, now: number): CaseJson['sla'] {
  const s = sla && typeof sla === 'object' ? (sla as Record<string, unknown>) : {};
  return Object.fromEntries(TARGETS.map((name) => [name, storedTargetView(s[name], now)])) as CaseJson['sla'];
}

function periodFromRow(sla: unknown): PeriodJson | null {
  const p = storedPeriod(sla && typeof sla === 'object' ? (sla as Record<string, unknown>).period : null);
  return p && typeof p.enteredAt === 'string' ? { index: p.index, tier: p.tier, reason: p.reason, enteredAt: p.enteredAt } : null;
}

/** The live targets as shown: the current period's, or the last one met before (domain shownTarget). */
function slaFromState(s: CaseState, now: number): CaseJson['sla'] {
  return Object.fromEntries(
    TARGETS.map((name) => {
      const shown = shownTarget(s, name);
      return [name, shown ? targetView(shown.t, now, shown.period) : null];
    }),
  ) as CaseJson['sla'];
}

function periodFromState(s: CaseState): PeriodJson | null {
  const p = currentPeriodOf(s);
  return p ? { ...p, enteredAt: iso(p.enteredAt)! } : null;
}

/**
 * One case as the API answers it: the read-model row, overlaid with the workflow's live state when
 * there is one (the row can trail the workflow by the projection's latency).
 */
export function toCaseView(row: CaseRow, o: { state?: CaseState | null; now: number; names?: Names }): CaseJson {
  const s = o.state ?? null;
  const names = o.names ?? NO_NAMES;
  const userName = (id: string | null) => (id ? (names.user.get(id) ?? null) : null);
  const base: CaseJson = {
    id: row.id,
    workflowId: row.workflowId,
    number: row.number,
    type: row.type as CaseJson['type'],
    status: row.status as CaseJson['status'],
    tier: row.tier as CaseJson['tier'],
    severity: row.severity as CaseJson['severity'],
    category: row.category,
    channel: row.channel as CaseJson['channel'],
    groupId: row.groupId,
    companyId: row.companyId,
    projectId: row.projectId,
    projectName: names.project.get(row.projectId) ?? null,
    unitId: row.unitId,
    unit: row.unitId ? (names.unit.get(row.unitId) ?? null) : null,
    customerId: row.customerId,
    assigneeId: row.assigneeId,
    assigneeName: userName(row.assigneeId),
    description: row.description,
    estimatedCost: row.estimatedCost ? row.estimatedCost.toNumber() : null,
    policyId: row.policyId,
    breached: row.breached,
    nextDueAt: row.nextDueAt ? row.nextDueAt.toISOString() : null,
    satisfaction: row.satisfaction,
    firstContactMs: row.firstContactMs === null ? null : Number(row.firstContactMs),
    resolutionMs: row.resolutionMs === null ? null : Number(row.resolutionMs),
    openedById: row.openedById,
    openedByName: userName(row.openedById),
    openedAt: row.openedAt.toISOString(),
    contactedAt: row.contactedAt?.toISOString() ?? null,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    closedAt: row.closedAt?.toISOString() ?? null,
    sla: slaFromRow(row.sla, o.now),
    period: periodFromRow(row.sla),
    live: false,
  };
  if (!s) return base;
  return {
    ...base,
    status: s.status,
    tier: s.tier,
    severity: s.severity,
    category: s.category,
    assigneeId: s.assigneeId,
    assigneeName: userName(s.assigneeId),
    policyId: s.policy?.id ?? row.policyId,
    breached: row.breached || caseWasBreached(s),
    nextDueAt: iso(caseNextDueAt(s)),
    satisfaction: s.satisfaction,
    firstContactMs: s.firstContactMs ?? base.firstContactMs,
    resolutionMs: s.resolutionMs ?? base.resolutionMs,
    contactedAt: s.contactedAt !== undefined ? iso(s.contactedAt) : base.contactedAt,
    resolvedAt: s.resolvedAt !== undefined ? iso(s.resolvedAt) : base.resolvedAt,
    closedAt: iso(s.closedAt),
    sla: slaFromState(s, o.now),
    period: periodFromState(s),
    live: true,
  };
}

/** A case in a list, from the read model: with its customer as `principal` may see them. */
export function toCaseListItem(principal: Principal, row: CaseRow, o: { now: number; names: Names; customer: CustomerRow | null }): CaseListItemJson {
  const view = toCaseView(row, { now: o.now, names: o.names });
  return { ...view, customer: o.customer ? toCustomerView(principal, o.customer) : null };
}

/**
 * Whom to call back about a case: its own contact when one was set, else the customer on record;
 * the phone masked for roles that do not call customers back (as customer-view.ts does).
 */
export function contactView(
  principal: Principal,
  row: { contactName: string | null; contactPhone: string | null },
  customer: { name: string; phone: string } | null,
): z.infer<typeof ContactView> | null {
  const own = row.contactName !== null && row.contactPhone !== null ? { name: row.contactName, phone: row.contactPhone, source: 'case' as const } : null;
  const shown = own ?? (customer ? { name: customer.name, phone: customer.phone, source: 'customer' as const } : null);
  if (!shown) return null;
  return { ...shown, phone: phoneFor(principal, shown.phone) };
}

/** What a callback led to, with the handler by name and instants as ISO (see callbackOutcomeOf). */
export function callbackOutcomeView(s: CaseState, names: Names): z.infer<typeof CallbackOutcomeView> {
  const o = callbackOutcomeOf(s);
  return {
    outcome: o.outcome,
    satisfaction: o.satisfaction,
    tier: o.tier,
    handler: o.assigneeId ? { id: o.assigneeId, name: names.user.get(o.assigneeId) ?? null } : null,
    nextDeadline: o.nextDeadline ? { target: o.nextDeadline.target, dueAt: iso(o.nextDeadline.dueAt)! } : null,
    escalation: o.escalation ? { ...o.escalation, dueAt: iso(o.escalation.dueAt)! } : null,
  };
}

const nameOf = (names: Names, id: string | null) => (id ? (names.user.get(id) ?? null) : null);

export function escalationFromState(e: EscalationState, c: { caseId: string; caseNumber: string | null; projectId: string | null }, names: Names = NO_NAMES): EscalationJson {
  return {
    id: e.id,
    caseId: c.caseId,
    caseNumber: c.caseNumber,
    projectId: c.projectId,
    fromTier: e.fromTier,
    toTier: e.toTier,
    source: e.source,
    reason: e.reason,
    requestedBy: e.requestedBy,
    requestedByName: nameOf(names, e.requestedBy),
    requestedAt: iso(e.requestedAt)!,
    dueAt: iso(e.dueAt)!,
    status: e.status,
    decidedBy: e.decidedBy,
    decidedByName: nameOf(names, e.decidedBy),
    decidedAt: iso(e.decidedAt),
    decisionNote: e.decisionNote,
  };
}

export function escalationFromRow(
  e: {
  id: string;
  caseId: string;
  projectId: string;
  fromTier: string;
  toTier: string;
  source: string;
  reason: string;
  requestedBy: string;
  requestedAt: Date;
  dueAt: Date;
  status: string;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  case?: { number: string } | null;
  },
  names: Names = NO_NAMES,
): EscalationJson {
  return {
    id: e.id,
    caseId: e.caseId,
    caseNumber: e.case?.number ?? null,
    projectId: e.projectId,
    fromTier: e.fromTier as EscalationJson['fromTier'],
    toTier: e.toTier as EscalationJson['toTier'],
    source: e.source as EscalationJson['source'],
    reason: e.reason,
    requestedBy: e.requestedBy,
    requestedByName: nameOf(names, e.requestedBy),
    requestedAt: e.requestedAt.toISOString(),
    dueAt: e.dueAt.toISOString(),
    status: e.status as EscalationJson['status'],
    decidedBy: e.decidedBy,
    decidedByName: nameOf(names, e.decidedBy),
    decidedAt: e.decidedAt?.toISOString() ?? null,
    decisionNote: e.decisionNote,
  };
}
