import type { z } from '../http/zod.js';
import { describeTarget, type TargetClock } from '../../domain/cases/sla-clock.js';
import { TARGETS, type TargetName } from '../../domain/cases/types.js';
import type { CaseState, EscalationState } from '../../workflows/cases/complaint-case.defs.js';
import { caseNextDueAt, caseWasBreached } from '../../domain/cases/case-readings.js';
import type { Principal } from '../../domain/access.js';
import { toCustomerView, type CustomerRow } from '../customers/customer-view.js';
import type { CaseListItemView, CaseView, EscalationView, TargetView } from './schemas.js';

type TargetJson = z.infer<typeof TargetView>;
type CaseJson = z.infer<typeof CaseView>;
type CaseListItemJson = z.infer<typeof CaseListItemView>;
type EscalationJson = z.infer<typeof EscalationView>;

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

/** A live target clock as the API shows it at `now`. */
export function targetView(t: TargetClock | null | undefined, now: number): TargetJson | null {
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
  };
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
  if (isTargetClock(r)) return targetView(r as unknown as TargetClock, now);
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
  };
}

function slaFromRow(sla: unknown, now: number): CaseJson['sla'] {
  const s = sla && typeof sla === 'object' ? (sla as Record<string, unknown>) : {};
  return Object.fromEntries(TARGETS.map((name) => [name, storedTargetView(s[name], now)])) as CaseJson['sla'];
}

function slaFromState(targets: Record<TargetName, TargetClock | null>, now: number): CaseJson['sla'] {
  return Object.fromEntries(TARGETS.map((name) => [name, targetView(targets[name], now)])) as CaseJson['sla'];
}

/**
 * One case as the API answers it: the read-model row, overlaid with the workflow's live state when
 * there is one (the row can trail the workflow by the projection's latency).
 */
export function toCaseView(
  row: CaseRow,
  o: { state?: CaseState | null; now: number; projectName?: string | null; assigneeName?: string | null },
): CaseJson {
  const s = o.state ?? null;
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
    projectName: o.projectName ?? null,
    unitId: row.unitId,
    customerId: row.customerId,
    assigneeId: row.assigneeId,
    assigneeName: o.assigneeName ?? null,
    description: row.description,
    estimatedCost: row.estimatedCost ? row.estimatedCost.toNumber() : null,
    policyId: row.policyId,
    breached: row.breached,
    nextDueAt: row.nextDueAt ? row.nextDueAt.toISOString() : null,
    satisfaction: row.satisfaction,
    firstContactMs: row.firstContactMs === null ? null : Number(row.firstContactMs),
    resolutionMs: row.resolutionMs === null ? null : Number(row.resolutionMs),
    openedById: row.openedById,
    openedAt: row.openedAt.toISOString(),
    contactedAt: row.contactedAt?.toISOString() ?? null,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    closedAt: row.closedAt?.toISOString() ?? null,
    sla: slaFromRow(row.sla, o.now),
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
    assigneeName: s.assigneeId === row.assigneeId ? base.assigneeName : null,
    policyId: s.policy?.id ?? row.policyId,
    breached: row.breached || caseWasBreached(s),
    nextDueAt: iso(caseNextDueAt(s)),
    satisfaction: s.satisfaction,
    firstContactMs: s.firstContactMs ?? base.firstContactMs,
    resolutionMs: s.resolutionMs ?? base.resolutionMs,
    contactedAt: s.contactedAt !== undefined ? iso(s.contactedAt) : base.contactedAt,
    resolvedAt: s.resolvedAt !== undefined ? iso(s.resolvedAt) : base.resolvedAt,
    closedAt: iso(s.closedAt),
    sla: slaFromState(s.targets, o.now),
    live: true,
  };
}

/** The names a case's views show, by id (app/cases findNamesForCases). */
export interface CaseNames {
  project: ReadonlyMap<string, string>;
  user: ReadonlyMap<string, string>;
  unit: ReadonlyMap<string, string>;
}

/** A case in a list, from the read model: with its customer as `principal` may see them, and its unit's label. */
export function toCaseListItem(principal: Principal, row: CaseRow, o: { now: number; names: CaseNames; customer: CustomerRow | null }): CaseListItemJson {
  return {
    ...toCaseView(row, {
      now: o.now,
      projectName: o.names.project.get(row.projectId) ?? null,
      assigneeName: row.assigneeId ? (o.names.user.get(row.assigneeId) ?? null) : null,
    }),
    customer: o.customer ? toCustomerView(principal, o.customer) : null,
    unitLabel: row.unitId ? (o.names.unit.get(row.unitId) ?? null) : null,
  };
}

export function escalationFromState(e: EscalationState, c: { caseId: string; caseNumber: string | null; projectId: string | null }): EscalationJson {
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
    requestedAt: iso(e.requestedAt)!,
    dueAt: iso(e.dueAt)!,
    status: e.status,
    decidedBy: e.decidedBy,
    decidedAt: iso(e.decidedAt),
    decisionNote: e.decisionNote,
  };
}

export function escalationFromRow(e: {
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
}): EscalationJson {
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
    requestedAt: e.requestedAt.toISOString(),
    dueAt: e.dueAt.toISOString(),
    status: e.status as EscalationJson['status'],
    decidedBy: e.decidedBy,
    decidedAt: e.decidedAt?.toISOString() ?? null,
    decisionNote: e.decisionNote,
  };
}
