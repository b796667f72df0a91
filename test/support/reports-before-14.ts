/**
 * The SLA report's and the breach lists' queries as they were before issue 14's indexes and
 * rewrites (commit b18d0f2, api/reports/sla-report.ts and app/reports/breaches.ts), frozen here
 * so test/api/reports-equivalence.test.ts can prove the rewritten ones answer the same figures.
 * Do not change: this is the reference.
 */
/* eslint-disable */
import { Prisma } from '../../prisma/generated/client.js';
import type { Db } from '../../platform/db.js';
import type { Principal } from '../../domain/access.js';
import type { TargetName, Tier } from '../../domain/cases/types.js';
import type { ProjectsToday } from '../../app/org/local-days.js';
import { cohortWhere, placeWhere, type CohortScope } from '../../app/reports/cohort.js';
import { percentOf } from '../../api/reports/percent.js';
import type { SlaGroupBy, SlaReportRow, TargetCounts } from '../../api/reports/schemas.js';

/**
 * SLA compliance from the read model the case workflow's activities write: `case_record` (one per
 * case), `case_target_record` (one per case × tier period × target) and `case_escalation`.
 *
 * The population is the cases OPENED in [from, to) within the caller's scope, so the summary and
 * the breach list of the same period always agree. Each measure is attributed where it happened:
 * - targets met / breached and their durations by the target record's own tier, category,
 *   project and assignee (a case that moved from PROJECT to COMPANY counts at both tiers);
 * - cases and satisfaction by the case's current (final) tier, category, project, assignee;
 * - escalations by the tier they left (for groupBy=tier), otherwise by the case.
 * A target is met when it was met without a recorded breach, breached when a breach was recorded
 * (also if met late), in progress while neither and its tier still holds the open case (paused
 * clocks included). Met % is met / (met + breached): targets in progress count in neither, and a
 * target of a tier that handed the case over before it was met or breached counts nowhere.
 * `overall` adds the three targets up.
 * Durations are the policy clock's time (business or calendar) of met targets, pauses excluded.
 */
interface ReportScope extends CohortScope {
  /** IANA zone in which days, weeks and months are cut. */
  timeZone: string;
}

/** A report row as the query computes it: the route adds the group's human label. */
type SlaReportRowData = Omit<SlaReportRow, 'label'>;

const scopeSql = (s: ReportScope) => cohortWhere(s, 'c', 'openedAt');

/** The group key of each measure's rows (see the module comment), as whitelisted SQL. */
function keys(groupBy: SlaGroupBy | 'all', tz: string): { caseKey: Prisma.Sql; recordKey: Prisma.Sql; escalationKey: Prisma.Sql } {
  // Columns are UTC timestamps without zone: make them instants first, then local wall time.
  const bucket = (unit: 'day' | 'week' | 'month') =>
    Prisma.sql`to_char(date_trunc(${unit}, (c."openedAt" AT TIME ZONE 'UTC') AT TIME ZONE ${tz}), ${unit === 'month' ? 'YYYY-MM' : 'YYYY-MM-DD'})`;
  switch (groupBy) {
    case 'all':
      return { caseKey: Prisma.sql`'all'`, recordKey: Prisma.sql`'all'`, escalationKey: Prisma.sql`'all'` };
    case 'tier':
      return { caseKey: Prisma.sql`c."tier"`, recordKey: Prisma.sql`r."tier"`, escalationKey: Prisma.sql`e."fromTier"` };
    case 'category':
      return { caseKey: Prisma.sql`c."category"`, recordKey: Prisma.sql`r."category"`, escalationKey: Prisma.sql`c."category"` };
    case 'project':
      return { caseKey: Prisma.sql`c."projectId"`, recordKey: Prisma.sql`r."projectId"`, escalationKey: Prisma.sql`c."projectId"` };
    case 'assignee':
      return { caseKey: Prisma.sql`c."assigneeId"`, recordKey: Prisma.sql`r."assigneeId"`, escalationKey: Prisma.sql`c."assigneeId"` };
    case 'day':
    case 'week':
    case 'month':
      return { caseKey: bucket(groupBy), recordKey: bucket(groupBy), escalationKey: bucket(groupBy) };
  }
}

type RawRow = {
  key: string;
  cases: number | null;
  callbacks: number | null;
  satisfaction_avg: number | null;
  fc_met: number | null;
  fc_breached: number | null;
  fc_open: number | null;
  res_met: number | null;
  res_breached: number | null;
  res_open: number | null;
  cb_met: number | null;
  cb_breached: number | null;
  cb_open: number | null;
  fc_p50: number | null;
  fc_p90: number | null;
  res_p50: number | null;
  res_p90: number | null;
  escalations: number | null;
};

const counts = (met: number | null, breached: number | null, inProgress: number | null): TargetCounts => {
  const m = met ?? 0;
  const b = breached ?? 0;
  return { met: m, breached: b, inProgress: inProgress ?? 0, metPct: percentOf(m, m + b) };
};
const sum = (all: TargetCounts[]) =>
  counts(
    all.reduce((n, c) => n + c.met, 0),
    all.reduce((n, c) => n + c.breached, 0),
    all.reduce((n, c) => n + c.inProgress, 0),
  );
const ms = (v: number | null) => (v === null ? null : Math.round(v));

// Keys are coalesced to '' so that the FULL JOINs can hash-join; '' becomes null again (no assignee).
const NO_KEY = '';

/** One row per group, ordered by key (no key last). */
export async function legacySlaReportRows(db: Db, s: ReportScope, groupBy: SlaGroupBy | 'all'): Promise<SlaReportRowData[]> {
  const k = keys(groupBy, s.timeZone);
  const met = (target: string) => Prisma.sql`count(*) FILTER (WHERE r."target" = ${target} AND r."metAt" IS NOT NULL AND r."breachedAt" IS NULL)::int`;
  const breached = (target: string) => Prisma.sql`count(*) FILTER (WHERE r."target" = ${target} AND r."breachedAt" IS NOT NULL)::int`;
  const inProgress = (target: string) =>
    Prisma.sql`count(*) FILTER (WHERE r."target" = ${target} AND r."metAt" IS NULL AND r."breachedAt" IS NULL AND r."periodEndedAt" IS NULL AND c."status" <> 'closed')::int`;
  const pct = (p: number, target: string) =>
    Prisma.sql`percentile_cont(${p}::float8) WITHIN GROUP (ORDER BY r."durationMs") FILTER (WHERE r."target" = ${target} AND r."metAt" IS NOT NULL AND r."durationMs" IS NOT NULL)`;
  const rows = await db.$queryRaw<RawRow[]>`
    WITH c AS (SELECT * FROM case_record c WHERE ${scopeSql(s)}),
    cs AS (
      SELECT coalesce(${k.caseKey}, ${NO_KEY}) AS key, count(*)::int AS cases, count(c."satisfaction")::int AS callbacks,
             avg(c."satisfaction")::float8 AS satisfaction_avg
      FROM c GROUP BY 1
    ),
    t AS (
      SELECT coalesce(${k.recordKey}, ${NO_KEY}) AS key,
             ${met('firstContact')} AS fc_met, ${breached('firstContact')} AS fc_breached, ${inProgress('firstContact')} AS fc_open,
             ${met('resolution')} AS res_met, ${breached('resolution')} AS res_breached, ${inProgress('resolution')} AS res_open,
             ${met('callback')} AS cb_met, ${breached('callback')} AS cb_breached, ${inProgress('callback')} AS cb_open,
             ${pct(0.5, 'firstContact')}::float8 AS fc_p50, ${pct(0.9, 'firstContact')}::float8 AS fc_p90,
             ${pct(0.5, 'resolution')}::float8 AS res_p50, ${pct(0.9, 'resolution')}::float8 AS res_p90
      FROM case_target_record r JOIN c ON c.id = r."caseId" GROUP BY 1
    ),
    e AS (
      SELECT coalesce(${k.escalationKey}, ${NO_KEY}) AS key, count(*)::int AS escalations
      FROM case_escalation e JOIN c ON c.id = e."caseId" GROUP BY 1
    )
    SELECT coalesce(cs.key, t.key, e.key) AS key, cs.cases, cs.callbacks, cs.satisfaction_avg,
           t.fc_met, t.fc_breached, t.fc_open, t.res_met, t.res_breached, t.res_open, t.cb_met, t.cb_breached, t.cb_open,
           t.fc_p50, t.fc_p90, t.res_p50, t.res_p90, e.escalations
    FROM cs FULL JOIN t ON t.key = cs.key FULL JOIN e ON e.key = coalesce(cs.key, t.key)
    ORDER BY (coalesce(cs.key, t.key, e.key) = ${NO_KEY}), 1`;
  return rows.map((r) => {
    const firstContact = counts(r.fc_met, r.fc_breached, r.fc_open);
    const resolution = counts(r.res_met, r.res_breached, r.res_open);
    const callback = counts(r.cb_met, r.cb_breached, r.cb_open);
    return {
      key: r.key === NO_KEY ? null : r.key,
      cases: r.cases ?? 0,
      firstContact,
      resolution,
      callback,
      overall: sum([firstContact, resolution, callback]),
      timeToFirstContactMs: { median: ms(r.fc_p50), p90: ms(r.fc_p90) },
      timeToResolutionMs: { median: ms(r.res_p50), p90: ms(r.res_p90) },
      escalations: r.escalations ?? 0,
      callbacks: r.callbacks ?? 0,
      satisfactionAvg: r.satisfaction_avg === null ? null : Math.round(r.satisfaction_avg * 100) / 100,
    };
  });
}

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
interface BreachFilter {
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

interface BreachRow {
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

function breachWhere(f: BreachFilter): Prisma.Sql {
  const place = { principal: f.principal, projectId: f.projectId };
  // r."groupId" repeats c's so that the (groupId, breachedAt) index serves "breached today".
  const parts = [
    f.opened ? cohortWhere({ ...place, ...f.opened }, 'c', 'openedAt') : placeWhere(place, 'c'),
    Prisma.sql`r."groupId" = ${f.principal.groupId}`,
    Prisma.sql`r."breachedAt" IS NOT NULL`,
  ];
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

async function findBreachRows(db: Db, f: BreachFilter, extra: Prisma.Sql, page: Page | null): Promise<BreachRow[]> {
  const rows = await db.$queryRaw<RawBreach[]>`
    SELECT r.id, c.id AS "caseId", c."number" AS "caseNumber", r."target", r."tier", r."category", r."projectId", r."assigneeId",
           r."startedAt", r."dueAt", r."breachedAt", r."metAt", r."periodEndedAt",
           (extract(epoch FROM (coalesce(r."metAt", r."periodEndedAt", ${f.now}::timestamp) - r."dueAt")) * 1000)::float8 AS "latenessMs"
    FROM case_target_record r JOIN case_record c ON c.id = r."caseId"
    WHERE ${breachWhere(f)} ${extra}
    ORDER BY r."breachedAt" DESC, r.id
    ${page ? Prisma.sql`OFFSET ${page.skip} LIMIT ${page.take}` : Prisma.empty}`;
  return rows.map((r) => ({ ...r, latenessMs: Math.round(r.latenessMs), overdue: r.metAt === null && r.periodEndedAt === null }));
}

/** Every breach matching the filter (latest first), and how many there are. */
export async function legacyFindSlaBreaches(db: Db, f: BreachFilter, page: Page): Promise<{ rows: BreachRow[]; total: number }> {
  const [rows, [count]] = await Promise.all([
    findBreachRows(db, f, Prisma.empty, page),
    db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM case_target_record r JOIN case_record c ON c.id = r."caseId" WHERE ${breachWhere(f)}`,
  ]);
  return { rows, total: count?.n ?? 0 };
}

/** A case with breaches matching the filter, as it stands now, with those breaches (latest first). */
interface BreachedCaseRow {
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
export async function legacyCountSlaBreachedCases(db: Db, f: BreachFilter): Promise<number> {
  const [count] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(DISTINCT r."caseId")::int AS n FROM case_target_record r JOIN case_record c ON c.id = r."caseId" WHERE ${breachWhere(f)}`;
  return count?.n ?? 0;
}

/** The cases with breaches matching the filter, the latest breach first, one entry per case. */
export async function legacyFindSlaBreachedCases(db: Db, f: BreachFilter, page: Page): Promise<{ rows: BreachedCaseRow[]; total: number }> {
  const [ids, total] = await Promise.all([
    db.$queryRaw<{ caseId: string }[]>`
      SELECT r."caseId" FROM case_target_record r JOIN case_record c ON c.id = r."caseId"
      WHERE ${breachWhere(f)}
      GROUP BY r."caseId" ORDER BY max(r."breachedAt") DESC, r."caseId"
      OFFSET ${page.skip} LIMIT ${page.take}`,
    legacyCountSlaBreachedCases(db, f),
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
