import { Prisma } from '../../prisma/generated/client.js';
import type { Db } from '../../platform/db.js';
import { cohortWhere, placeWhere, withReportSettings, type CohortScope } from '../../app/reports/cohort.js';
import { percentOf } from './percent.js';
import type { SlaGroupBy, SlaReportRow, TargetCounts } from './schemas.js';

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
export interface ReportScope extends CohortScope {
  /** IANA zone in which days, weeks and months are cut. */
  timeZone: string;
}

/** A report row as the query computes it: the route adds the group's human label. */
export type SlaReportRowData = Omit<SlaReportRow, 'label'>;

const scopeSql = (s: ReportScope) => cohortWhere(s, 'c', 'openedAt');

/**
 * The group key of each measure's rows (see the module comment), as whitelisted SQL; for a period
 * grouping, `bucket` is the cohort case's period, computed once per case in the cohort CTE (the
 * zone conversion of every target row's case cost more than the rest of its grouping).
 */
function keys(groupBy: SlaGroupBy | 'all', tz: string): { caseKey: Prisma.Sql; recordKey: Prisma.Sql; escalationKey: Prisma.Sql; bucket?: Prisma.Sql } {
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
      return { caseKey: Prisma.sql`c."bucket"`, recordKey: Prisma.sql`c."bucket"`, escalationKey: Prisma.sql`c."bucket"`, bucket: bucket(groupBy) };
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
// The totals row's key: a control character no tier, category, id or date can be.
const TOTAL_KEY = '\u0001';

/** The columns of `case_record` the report reads: all of them in the report indexes, so the cohort is read from the index alone. */
const COHORT_COLUMNS = Prisma.sql`c.id, c."status", c."tier", c."category", c."projectId", c."assigneeId", c."satisfaction", c."openedAt"`;

/**
 * The report's groups (ordered by key, no key last) and its totals row (undefined when no case
 * opened in the period), in one pass over the cohort: each measure's CTE groups by
 * GROUPING SETS ((key), ()), so the totals come with the groups instead of from a second query.
 * The cohort's target records are found by the place and openedAt of their case, which each
 * carries (one range of a report index, hashed against the cohort for the case's status), not
 * by a probe per case; the escalations likewise by their case's place. The joins on the case keep
 * exactly the cohort's.
 */
export async function findSlaReport(db: Db, s: ReportScope, groupBy: SlaGroupBy | 'all'): Promise<{ groups: SlaReportRowData[]; totals: SlaReportRowData | undefined }> {
  const k = keys(groupBy, s.timeZone);
  const met = (target: string) => Prisma.sql`count(*) FILTER (WHERE r."target" = ${target} AND r."metAt" IS NOT NULL AND r."breachedAt" IS NULL)::int`;
  const breached = (target: string) => Prisma.sql`count(*) FILTER (WHERE r."target" = ${target} AND r."breachedAt" IS NOT NULL)::int`;
  const inProgress = (target: string) =>
    Prisma.sql`count(*) FILTER (WHERE r."target" = ${target} AND r."metAt" IS NULL AND r."breachedAt" IS NULL AND r."periodEndedAt" IS NULL AND r."status" <> 'closed')::int`;
  const pct = (p: number, target: string) =>
    Prisma.sql`percentile_cont(${p}::float8) WITHIN GROUP (ORDER BY r."durationMs") FILTER (WHERE r."target" = ${target} AND r."metAt" IS NOT NULL AND r."durationMs" IS NOT NULL)`;
  // groupBy=all: the totals alone.
  const sets = groupBy === 'all' ? Prisma.sql`GROUPING SETS (())` : Prisma.sql`GROUPING SETS ((k), ())`;
  const keyOf = groupBy === 'all' ? Prisma.sql`${TOTAL_KEY}` : Prisma.sql`CASE WHEN grouping(k) = 1 THEN ${TOTAL_KEY} ELSE k END`;
  const rows = await withReportSettings(db, (tx) => tx.$queryRaw<RawRow[]>`
    WITH c AS MATERIALIZED (SELECT ${COHORT_COLUMNS}${k.bucket ? Prisma.sql`, ${k.bucket} AS "bucket"` : Prisma.empty} FROM case_record c WHERE ${scopeSql(s)}),
    cs AS (
      SELECT ${keyOf} AS key, count(*)::int AS cases, count(c."satisfaction")::int AS callbacks, avg(c."satisfaction")::float8 AS satisfaction_avg
      FROM (SELECT coalesce(${k.caseKey}, ${NO_KEY}) AS k, c."satisfaction" FROM c) c GROUP BY ${sets}
    ),
    t AS (
      SELECT ${keyOf} AS key,
             ${met('firstContact')} AS fc_met, ${breached('firstContact')} AS fc_breached, ${inProgress('firstContact')} AS fc_open,
             ${met('resolution')} AS res_met, ${breached('resolution')} AS res_breached, ${inProgress('resolution')} AS res_open,
             ${met('callback')} AS cb_met, ${breached('callback')} AS cb_breached, ${inProgress('callback')} AS cb_open,
             ${pct(0.5, 'firstContact')}::float8 AS fc_p50, ${pct(0.9, 'firstContact')}::float8 AS fc_p90,
             ${pct(0.5, 'resolution')}::float8 AS res_p50, ${pct(0.9, 'resolution')}::float8 AS res_p90
      FROM (
        SELECT coalesce(${k.recordKey}, ${NO_KEY}) AS k, r."target", r."metAt", r."breachedAt", r."periodEndedAt", r."durationMs", c."status"
        FROM case_target_record r JOIN c ON c.id = r."caseId" WHERE ${cohortWhere(s, 'r', 'caseOpenedAt')}
      ) r GROUP BY ${sets}
    ),
    e AS (
      SELECT ${keyOf} AS key, count(*)::int AS escalations
      FROM (SELECT coalesce(${k.escalationKey}, ${NO_KEY}) AS k FROM case_escalation e JOIN c ON c.id = e."caseId" WHERE ${placeWhere(s, 'e')}) e GROUP BY ${sets}
    )
    SELECT coalesce(cs.key, t.key, e.key) AS key, cs.cases, cs.callbacks, cs.satisfaction_avg,
           t.fc_met, t.fc_breached, t.fc_open, t.res_met, t.res_breached, t.res_open, t.cb_met, t.cb_breached, t.cb_open,
           t.fc_p50, t.fc_p90, t.res_p50, t.res_p90, e.escalations
    FROM cs FULL JOIN t ON t.key = cs.key FULL JOIN e ON e.key = coalesce(cs.key, t.key)
    ORDER BY (coalesce(cs.key, t.key, e.key) = ${NO_KEY}), 1`);
  const all = rows.map(toRow);
  // The totals of an empty cohort come back as a row of zeros: the route answers its own empty row.
  const totals = all.find((r) => r.key === TOTAL_KEY);
  return { groups: all.filter((r) => r.key !== TOTAL_KEY), totals: totals && totals.cases > 0 ? { ...totals, key: 'all' } : undefined };
}

function toRow(r: RawRow): SlaReportRowData {
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
}
