import { describeTarget } from '../../domain/cases/sla-clock.js';
import { TARGETS } from '../../domain/cases/types.js';
import type { Db } from '../../platform/db.js';
import type { CaseState } from '../../workflows/cases/complaint-case.defs.js';
import { projectedCaseOfState, type CaseProjectionView, type ProjectedCase } from '../../domain/cases/case-projection.js';
import { Prisma } from '../../prisma/generated/client.js';
import { caseNextDueAt, caseWasBreached, currentPeriodOf, shownTarget } from '../../domain/cases/case-readings.js';

export interface ProjectCaseInput {
  caseId: string;
  /** The workflow's last audit sequence: the row moves only forward. */
  seq: number;
  state: CaseState;
  /** Workflow time of the projection (epoch ms), so elapsed/remaining are computed as of then. */
  at: number;
}

export interface ProjectCaseResult {
  /** False when the row already reflected this or a later sequence (a retry, or a late attempt). */
  applied: boolean;
}

const date = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms));
const big = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : BigInt(Math.round(ms)));

type Tx = Prisma.TransactionClient;

/**
 * Brings the read model (case_record, its escalations and per-tier target records) up to the
 * workflow's state at `seq`, inside the caller's transaction. Monotonic: the case row is updated
 * only WHERE lastEventSeq < seq, in the same transaction as the child rows, so a retried or late
 * attempt carrying an older state changes nothing; a state made by applying a delta to the row's
 * stored view (`from`) only WHERE lastEventSeq = from, so it never lands over another. With a
 * `view`, the row keeps it (and `seq`) for the next step's delta. The API creates the case row
 * before starting the workflow.
 */
export async function projectCaseIn(
  tx: Tx,
  { caseId, seq, state, at, view, from }: { caseId: string; seq: number; state: ProjectedCase; at: number; view?: CaseProjectionView; from?: number },
): Promise<ProjectCaseResult> {
  const row = await tx.case.findUnique({ where: { id: caseId }, select: { groupId: true, companyId: true, projectId: true, openedAt: true } });
  if (!row) throw new Error(`case ${caseId} has no case_record row yet`);
  // The targets as the API shows them (a target the current period does not owe: the last one
  // met before, e.g. the first contact of a reopened case), each with its period.
  const shown = TARGETS.map((name) => [name, shownTarget(state, name)] as const);
  const period = currentPeriodOf(state);
  const sla = {
    ...Object.fromEntries(shown.map(([name, s]) => [name, s ? { ...describeTarget({ t: s.t, now: at }), period: s.period } : null])),
    period: period ? { ...period, enteredAt: new Date(period.enteredAt).toISOString() } : null,
  };
  const { count } = await tx.case.updateMany({
    // A delta's state (`from`: the seq of the view it was applied to) moves the row only from there.
    where: { id: caseId, lastEventSeq: from === undefined ? { lt: seq } : from },
    data: {
      status: state.status,
      tier: state.tier,
      severity: state.severity,
      category: state.category,
      assigneeId: state.assigneeId,
      policyId: state.policyId,
      sla,
      nextDueAt: date(caseNextDueAt(state)),
      breached: caseWasBreached(state),
      firstContactMs: big(state.firstContactMs),
      resolutionMs: big(state.resolutionMs),
      satisfaction: state.satisfaction,
      contactedAt: date(state.contactedAt),
      resolvedAt: date(state.resolvedAt),
      closedAt: date(state.closedAt),
      lastEventSeq: seq,
      // The view the next step's delta applies to; a whole state projected without one leaves none.
      projection: view ? ({ seq, view } as unknown as Prisma.InputJsonObject) : Prisma.DbNull,
    },
  });
  if (count === 0) return { applied: false };

  for (const e of state.escalations) {
    const fields = {
      status: e.status,
      decidedBy: e.decidedBy,
      decidedAt: date(e.decidedAt),
      decisionNote: e.decisionNote,
      dueAt: new Date(e.dueAt),
    };
    await tx.caseEscalation.upsert({
      where: { id: e.id },
      create: {
        id: e.id,
        caseId,
        groupId: row.groupId,
        companyId: row.companyId,
        projectId: row.projectId,
        fromTier: e.fromTier,
        toTier: e.toTier,
        source: e.source,
        reason: e.reason,
        requestedBy: e.requestedBy,
        requestedAt: new Date(e.requestedAt),
        ...fields,
      },
      update: fields,
    });
  }

  for (const [index, period] of state.tiers.entries()) {
    for (const name of TARGETS) {
      const t = period.targets[name];
      if (!t) continue;
      const fields = {
        tier: period.tier,
        category: state.category,
        assigneeId: period.assigneeId ?? null,
        dueAt: new Date(t.dueAt),
        metAt: date(t.metAt),
        breachedAt: date(t.breachedAt),
        durationMs: t.metAt !== null ? big(t.consumedMs) : null,
        pausedMs: BigInt(t.pausedMs),
        periodEndedAt: date(period.leftAt),
      };
      await tx.caseTargetRecord.upsert({
        where: { id: `${caseId}:${index}:${name}` },
        create: {
          id: `${caseId}:${index}:${name}`,
          caseId,
          groupId: row.groupId,
          projectId: row.projectId,
          // The case's place and opening, by which the reports find a cohort's targets.
          companyId: row.companyId,
          caseOpenedAt: row.openedAt,
          target: name,
          startedAt: new Date(t.startedAt),
          ...fields,
        },
        update: fields,
      });
    }
  }
  return { applied: true };
}

export function createCaseProjectionActivities(deps: { db: Db }) {
  return {
    /** Brings the read model up to the workflow's state at `seq` (projectCaseIn); executions before slim histories. */
    async projectCase({ state, ...input }: ProjectCaseInput): Promise<ProjectCaseResult> {
      return deps.db.$transaction((tx) => projectCaseIn(tx, { ...input, state: projectedCaseOfState(state) }));
    },
  };
}
