import { Prisma } from '../../prisma/generated/client.js';
import type { Db } from '../../platform/db.js';
import { cohortWhere, type CohortScope } from '../../app/reports/cohort.js';
import { percentOf as pct } from './percent.js';
import type { LeadGroupBy, LeadReportRow } from './schemas.js';

/**
 * Lead follow-up and conversion from the read model the lead workflow's projection writes (`lead`,
 * one row per lead).
 *
 * The population is the leads CREATED in [from, to) within the caller's scope (group, company or
 * project), grouped by the lead's source, current grade, current (or last) owner, or project.
 * - contacted: a first touch was logged; within target: that touch came no later than the first
 *   contact's deadline as first set (`firstTouchAt ≤ firstContactDueAt`); missed: it came later,
 *   or there is none and the deadline has passed. Within-target % is within / (within + missed):
 *   leads whose deadline is still ahead and that nobody touched yet count in neither.
 * - converted: the lead became a sale; conversion % is converted / leads; the median days to
 *   convert run from the lead's arrival to its conversion.
 * - lost: the lead is lost now (waiting for the loss review, or closed by it), by recorded reason.
 *   A lead the sales manager took over or reassigned after a loss is open again and not lost.
 */

/** A report row as the query computes it: the route adds the group's human label. */
export type LeadReportRowData = Omit<LeadReportRow, 'label'>;

const scopeSql = (s: CohortScope) => cohortWhere(s, 'l', 'createdAt');

/** The group key of each grouping, as whitelisted SQL. */
const KEYS: Record<LeadGroupBy | 'all', Prisma.Sql> = {
  all: Prisma.sql`'all'`,
  source: Prisma.sql`l."source"`,
  grade: Prisma.sql`l."grade"`,
  owner: Prisma.sql`l."ownerId"`,
  project: Prisma.sql`l."projectId"`,
};

type RawRow = {
  key: string;
  leads: number;
  open: number;
  pooled: number;
  contacted: number;
  within: number;
  missed: number;
  converted: number;
  p50_days: number | null;
  lost: number;
};

// Keys are coalesced to '' so that "no owner" groups like any other; '' becomes null again.
const NO_KEY = '';
const DAY_MS = 86_400_000;

/** One row per group, ordered by key (no key last). `now` decides which untouched deadlines have passed. */
export async function findLeadReportRows(db: Db, s: CohortScope, groupBy: LeadGroupBy | 'all', now = new Date()): Promise<LeadReportRowData[]> {
  const key = KEYS[groupBy];
  const lost = Prisma.sql`l."lostReason" IS NOT NULL AND l."status" IN ('lost_pending_review', 'closed')`;
  const [rows, reasons] = await Promise.all([
    db.$queryRaw<RawRow[]>`
      WITH g AS (
      SELECT coalesce(${key}, ${NO_KEY}) AS key,
             count(*)::int AS leads,
             count(*) FILTER (WHERE l."status" IN ('new', 'contacting', 'pooled'))::int AS open,
             count(*) FILTER (WHERE l."status" = 'pooled')::int AS pooled,
             count(l."firstTouchAt")::int AS contacted,
             count(*) FILTER (WHERE l."firstTouchAt" <= l."firstContactDueAt")::int AS within,
             count(*) FILTER (WHERE l."firstTouchAt" > l."firstContactDueAt" OR (l."firstTouchAt" IS NULL AND l."firstContactDueAt" <= ${now}))::int AS missed,
             count(*) FILTER (WHERE l."status" = 'converted')::int AS converted,
             (percentile_cont(0.5::float8) WITHIN GROUP (ORDER BY extract(epoch FROM (l."convertedAt" - l."createdAt")) * 1000)
               FILTER (WHERE l."status" = 'converted' AND l."convertedAt" IS NOT NULL))::float8 / ${DAY_MS}::float8 AS p50_days,
             count(*) FILTER (WHERE ${lost})::int AS lost
      FROM lead l WHERE ${scopeSql(s)}
      GROUP BY 1)
      SELECT * FROM g
      ORDER BY (g.key = ${NO_KEY}), g.key`,
    db.$queryRaw<{ key: string; reason: string; n: number }[]>`
      SELECT coalesce(${key}, ${NO_KEY}) AS key, l."lostReason" AS reason, count(*)::int AS n
      FROM lead l WHERE ${scopeSql(s)} AND ${lost}
      GROUP BY 1, 2 ORDER BY 1, 2`,
  ]);
  const byKey = new Map<string, Record<string, number>>();
  for (const r of reasons) byKey.set(r.key, { ...byKey.get(r.key), [r.reason]: r.n });
  return rows.map((r) => ({
    key: r.key === NO_KEY ? null : r.key,
    leads: r.leads,
    open: r.open,
    pooled: r.pooled,
    contacted: r.contacted,
    contactedWithinTarget: r.within,
    firstContactMissed: r.missed,
    contactedWithinTargetPct: pct(r.within, r.within + r.missed),
    converted: r.converted,
    conversionPct: pct(r.converted, r.leads),
    medianDaysToConvert: r.p50_days === null ? null : Math.round(r.p50_days * 100) / 100,
    lost: r.lost,
    lossReasons: byKey.get(r.key) ?? {},
  }));
}

export function emptyLeadReportRow(): LeadReportRowData {
  return {
    key: 'all',
    leads: 0,
    open: 0,
    pooled: 0,
    contacted: 0,
    contactedWithinTarget: 0,
    firstContactMissed: 0,
    contactedWithinTargetPct: null,
    converted: 0,
    conversionPct: null,
    medianDaysToConvert: null,
    lost: 0,
    lossReasons: {},
  };
}
