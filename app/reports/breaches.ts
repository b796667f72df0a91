import { Prisma } from '../../prisma/generated/client.js';
import type { Db } from '../../platform/db.js';
import type { Principal } from '../../domain/access.js';
import type { TargetName, Tier } from '../../domain/cases/types.js';
import type { ProjectsToday } from '../org/local-days.js';
import { cohortWhere, placeWhere, type ReportDb } from './cohort.js';

/**
 * SLA breaches from the read model the case workflow's activities write (`case_target_record`, one
 * row per case × tier period × target; a breach is a row with `breachedAt`). A case escalated after
 * a breach can hold up to one breach per target and tier: the flat list shows each, the grouped
 * list one entry per case with its breaches.
 *
 * - lateness runs from the deadline to the meeting; while unmet, to the end of the breaching tier's
 *   period (the case moved on, reopened or closed: that tier's clock stopped there), else to now.
 * - overdue: unmet and its tier period still running, i.e. the case is late on it now (the same
 *   rule as `GET /api/cases?overdue=true`).
 */
export interface BreachFilter {
  principal: Principal;
  /** Cases opened in [from, to); absent: whenever they opened. */
  opened?: { from: Date; to: Date } | undefined;
  projectId?: string | undefined;
  target?: TargetName | undefined;
  tier?: Tier | undefined;
  /** Only the breaches recorded today, each by its project's day (findTodayOfProjects). */
  breachedToday?: readonly ProjectsToday[] | undefined;
  /** What "to now" means for lateness. */
  now: Date;
}

export interface BreachRow {
  id: string;
  caseId: string;
  caseNumber: string;
  target: TargetName;
  tier: Tier;
  category: string;
  projectId: string;
  assigneeId: string | null;
  startedAt: Date;
  dueAt: Date;
  breachedAt: Date;
  metAt: Date | null;
  /** When the breaching tier's period ended (escalated, reopened, closed); null while it runs. */
  periodEndedAt: Date | null;
  /** From the deadline to the meeting, to the period's end while unmet, or to now. */
  latenessMs: number;
  /** Unmet, and its tier period still running: the case is late on it now. */
  overdue: boolean;
}

type Page = { skip: number; take: number };

/**
 * The filter as the WHERE of `case_target_record r` alone: a target record carries its case's
 * place and openedAt, so the cases' table is read only for the rows of a page, and a cohort's
 * breaches are one range of a report index (or of (groupId, breachedAt) for "breached today").
 */
function breachWhere(f: BreachFilter): Prisma.Sql {
  const place = { principal: f.principal, projectId: f.projectId };
  const parts = [f.opened ? cohortWhere({ ...place, ...f.opened }, 'r', 'caseOpenedAt') : placeWhere(place, 'r'), Prisma.sql`r."breachedAt" IS NOT NULL`];
  if (f.target) parts.push(Prisma.sql`r."target" = ${f.target}`);
  if (f.tier) parts.push(Prisma.sql`r."tier" = ${f.tier}`);
  if (f.breachedToday) {
    const days = f.breachedToday.map(
      (d) => Prisma.sql`(r."projectId" IN (${Prisma.join(d.projectIds)}) AND r."breachedAt" >= ${d.start} AND r."breachedAt" < ${d.end})`,
    );
    parts.push(days.length ? Prisma.sql`(${Prisma.join(days, ' OR ')})` : Prisma.sql`FALSE`);
  }
  return Prisma.join(parts, ' AND ');
}

type RawBreach = Omit<BreachRow, 'latenessMs' | 'overdue'> & { latenessMs: number };

async function findBreachRows(db: ReportDb, f: BreachFilter, extra: Prisma.Sql, page: Page | null): Promise<BreachRow[]> {
  // The page is chosen on what the indexes hold (the cohort's case ids, the breaches' ids and
  // times), and only its rows are read in full: sorting every breach of a company's year with all
  // its columns read each one from the table.
  const rows = await db.$queryRaw<RawBreach[]>`
    WITH page AS (
      SELECT r.id FROM case_target_record r
      WHERE ${breachWhere(f)} ${extra}
      ORDER BY r."breachedAt" DESC, r.id
      ${page ? Prisma.sql`OFFSET ${page.skip} LIMIT ${page.take}` : Prisma.empty}
    )
    SELECT r.id, c.id AS "caseId", c."number" AS "caseNumber", r."target", r."tier", r."category", r."projectId", r."assigneeId",
           r."startedAt", r."dueAt", r."breachedAt", r."metAt", r."periodEndedAt",
           (extract(epoch FROM (coalesce(r."metAt", r."periodEndedAt", ${f.now}::timestamp) - r."dueAt")) * 1000)::float8 AS "latenessMs"
    FROM page JOIN case_target_record r ON r.id = page.id JOIN case_record c ON c.id = r."caseId"
    ORDER BY r."breachedAt" DESC, r.id`;
  return rows.map((r) => ({ ...r, latenessMs: Math.round(r.latenessMs), overdue: r.metAt === null && r.periodEndedAt === null }));
}

/** Every breach matching the filter (latest first), and how many there are. */
export async function findSlaBreaches(db: Db, f: BreachFilter, page: Page): Promise<{ rows: BreachRow[]; total: number }> {
  const [rows, [count]] = await Promise.all([
    findBreachRows(db, f, Prisma.empty, page),
    db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM case_target_record r WHERE ${breachWhere(f)}`,
  ]);
  return { rows, total: count?.n ?? 0 };
}

/** A case with breaches matching the filter, as it stands now, with those breaches (latest first). */
export interface BreachedCaseRow {
  caseId: string;
  caseNumber: string;
  projectId: string;
  tier: Tier;
  status: string;
  category: string;
  assigneeId: string | null;
  openedAt: Date;
  breaches: BreachRow[];
}

/** How many cases have a breach matching the filter: the grouped list's total (and a home count). */
export async function countSlaBreachedCases(db: Db, f: BreachFilter): Promise<number> {
  const [count] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(DISTINCT r."caseId")::int AS n FROM case_target_record r WHERE ${breachWhere(f)}`;
  return count?.n ?? 0;
}

/** The cases with breaches matching the filter, the latest breach first, one entry per case. */
export async function findSlaBreachedCases(db: Db, f: BreachFilter, page: Page): Promise<{ rows: BreachedCaseRow[]; total: number }> {
  const [ids, total] = await Promise.all([
    db.$queryRaw<{ caseId: string }[]>`
      SELECT r."caseId" FROM case_target_record r
      WHERE ${breachWhere(f)}
      GROUP BY r."caseId" ORDER BY max(r."breachedAt") DESC, r."caseId"
      OFFSET ${page.skip} LIMIT ${page.take}`,
    countSlaBreachedCases(db, f),
  ]);
  if (ids.length === 0) return { rows: [], total };
  const caseIds = ids.map((i) => i.caseId);
  const [breaches, cases] = await Promise.all([
    findBreachRows(db, f, Prisma.sql`AND r."caseId" IN (${Prisma.join(caseIds)})`, null),
    db.case.findMany({
      where: { id: { in: caseIds } },
      select: { id: true, number: true, projectId: true, tier: true, status: true, category: true, assigneeId: true, openedAt: true },
    }),
  ]);
  const byId = new Map(cases.map((c) => [c.id, c] as const));
  const rows = caseIds.flatMap((id) => {
    const c = byId.get(id);
    if (!c) return [];
    return [
      {
        caseId: c.id,
        caseNumber: c.number,
        projectId: c.projectId,
        tier: c.tier as Tier,
        status: c.status,
        category: c.category,
        assigneeId: c.assigneeId,
        openedAt: c.openedAt,
        breaches: breaches.filter((b) => b.caseId === id),
      },
    ];
  });
  return { rows, total };
}
