/**
 * Read-model rows written straight into a test stack's database, as the workflows' projections
 * would write them, so a test can work out every expected figure by hand (the home page's counts,
 * the SLA, lead and sales reports). Each test keeps its own story (which cases, which times); the
 * shape of a row — the fields the schema requires and how they derive from each other — lives here once.
 */
import type { Db } from '../../platform/db.js';

/** The seeded group, companies, projects and customer the figures are built on (prisma/seed.ts). */
export interface SeededPlaces {
  group: string;
  east: string;
  south: string;
  /** 滨江花园 (HX-EAST) */
  bjhy: string;
  /** 湖畔名邸 (HX-SOUTH) */
  hpmd: string;
  /** 海景湾 (HX-SOUTH) */
  hjw: string;
  /** The customer with the phone 13800138001. */
  customer: string;
}

export async function findSeededPlaces(db: Db): Promise<SeededPlaces> {
  return {
    group: (await db.group.findFirstOrThrow({ where: { code: 'HX' } })).id,
    east: (await db.company.findFirstOrThrow({ where: { code: 'HX-EAST' } })).id,
    south: (await db.company.findFirstOrThrow({ where: { code: 'HX-SOUTH' } })).id,
    bjhy: (await db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } })).id,
    hpmd: (await db.project.findFirstOrThrow({ where: { code: 'SZ-HPMD' } })).id,
    hjw: (await db.project.findFirstOrThrow({ where: { code: 'SZ-HJW' } })).id,
    customer: (await db.customer.findFirstOrThrow({ where: { phone: '13800138001' } })).id,
  };
}

/** The users' ids by user name. */
export async function findUserIds(db: Db, usernames: readonly string[]): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const u of usernames) ids[u] = (await db.user.findUniqueOrThrow({ where: { username: u } })).id;
  return ids;
}

export interface TargetRow {
  tier: string;
  target: string;
  /** Defaults to the case's openedAt. */
  startedAt?: Date;
  dueAt: Date;
  metAt?: Date;
  breachedAt?: Date;
  durationMs?: number;
  periodEndedAt?: Date;
}

export interface EscalationRow {
  fromTier: string;
  toTier: string;
  status: string;
  source: string;
  reason: string;
  requestedBy: string;
  requestedAt: Date;
  dueAt: Date;
}

export interface CaseRowInput {
  id: string;
  number: string;
  groupId: string;
  companyId: string;
  projectId: string;
  customerId: string;
  tier: string;
  status: string;
  assigneeId: string | null;
  openedById: string;
  openedAt: Date;
  nextDueAt?: Date | null;
  satisfaction?: number | null;
  targets: TargetRow[];
  escalations?: EscalationRow[];
}

/** A complaint about a leak (category complaint.quality.leakage), its target records and escalations. */
export async function insertCaseRows(db: Db, o: CaseRowInput): Promise<void> {
  const category = 'complaint.quality.leakage';
  await db.case.create({
    data: {
      id: o.id,
      number: o.number,
      workflowId: `case-${o.id}`,
      groupId: o.groupId,
      companyId: o.companyId,
      projectId: o.projectId,
      customerId: o.customerId,
      type: 'complaint',
      category,
      severity: 'minor',
      channel: 'phone',
      description: 'x',
      status: o.status,
      tier: o.tier,
      assigneeId: o.assigneeId,
      policyId: 'default',
      sla: {},
      nextDueAt: o.nextDueAt ?? null,
      breached: o.targets.some((t) => t.breachedAt),
      satisfaction: o.satisfaction ?? null,
      openedById: o.openedById,
      openedAt: o.openedAt,
    },
  });
  for (const [i, t] of o.targets.entries())
    await db.caseTargetRecord.create({
      data: {
        id: `${o.id}:${i}:${t.target}`,
        caseId: o.id,
        groupId: o.groupId,
        projectId: o.projectId,
        companyId: o.companyId,
        caseOpenedAt: o.openedAt,
        tier: t.tier,
        target: t.target,
        category,
        assigneeId: o.assigneeId,
        startedAt: t.startedAt ?? o.openedAt,
        dueAt: t.dueAt,
        metAt: t.metAt ?? null,
        breachedAt: t.breachedAt ?? null,
        durationMs: t.durationMs === undefined ? null : BigInt(t.durationMs),
        periodEndedAt: t.periodEndedAt ?? null,
      },
    });
  for (const [i, e] of (o.escalations ?? []).entries())
    await db.caseEscalation.create({
      data: {
        id: `${o.id}:esc:${i + 1}`,
        caseId: o.id,
        groupId: o.groupId,
        companyId: o.companyId,
        projectId: o.projectId,
        fromTier: e.fromTier,
        toTier: e.toTier,
        source: e.source,
        reason: e.reason,
        requestedBy: e.requestedBy,
        requestedAt: e.requestedAt,
        dueAt: e.dueAt,
        status: e.status,
      },
    });
}
