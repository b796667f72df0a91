import { Prisma } from '../../prisma/generated/client.js';
import type { Db } from '../../platform/db.js';
import { cohortWhere, type CohortScope } from '../../app/reports/cohort.js';
import { FINAL_SALE_STAGES, SALE_STAGES } from '../../domain/sales/types.js';
import type { Lang } from '../../app/errors.js';
import { csvOf, type CsvColumn } from './csv.js';
import { CSV_HEADERS, SALE_STAGE_WORDS, wordOf } from './terms.js';
import { findProjectNamesByIds } from '../../app/org/repository.js';
import { findUserNamesByIds } from '../../app/users/repository.js';
import type { SalesGroupBy, SalesReport, SalesReportRow } from './schemas.js';

/**
 * The sales pipeline, value, mortgage turnaround and handover quality, from the read model the sale
 * workflow's projection writes (`sale`, one row per sale).
 *
 * The population is the sales CREATED (subscribed) in [from, to) within the caller's organisation
 * and scope (group, company or project), optionally one project: a cohort, followed to where each
 * sale stands now (the same convention as the lead report).
 * - live: not final (neither handed over, lapsed nor cancelled).
 * - value / paid: the sum of `price` / `paidTotal` of the sales counted, whatever their stage (the
 *   pipeline splits the value by stage), summed exactly in PostgreSQL numeric and sent as CNY decimal
 *   strings ("2350000.00").
 * - mortgage turnaround: from the documents' submission to the bank to the disbursement, for the
 *   mortgages disbursed (both instants recorded); days with one decimal. Percentiles are
 *   NEAREST-RANK: the p-th percentile of n ascending durations is the ⌈p·n/100⌉-th (so the median of
 *   an even count is the lower middle one, and every figure is a duration that really occurred).
 * - handover: over the sales handed over, their pre-handover inspection defects plus the defects
 *   raised on handover day, per unit handed over (two decimals).
 * - lapse / cancellation reasons: the recorded reason of each lapsed / cancelled sale (trimmed;
 *   `unspecified` when none was recorded), most frequent first.
 */


const DAY_MS = 86_400_000;
const UNSPECIFIED = 'unspecified';
const FINAL = Prisma.join(FINAL_SALE_STAGES.map((s) => Prisma.sql`${s}`));

const scopeSql = (s: CohortScope) => cohortWhere(s, 's', 'createdAt');

/** The group key of each grouping, as whitelisted SQL. */
const KEYS: Record<SalesGroupBy | 'all', Prisma.Sql> = {
  all: Prisma.sql`'all'`,
  stage: Prisma.sql`s."stage"`,
  project: Prisma.sql`s."projectId"`,
  owner: Prisma.sql`s."ownerId"`,
};

type Aggregate = {
  key: string;
  sales: number;
  live: number;
  handed_over: number;
  lapsed: number;
  cancelled: number;
  value: string;
  paid: string;
  inspection_defects: number;
  handover_defects: number;
};

async function aggregate(db: Db, s: CohortScope, groupBy: SalesGroupBy | 'all'): Promise<Aggregate[]> {
  const handed = Prisma.sql`s."stage" = 'handed_over'`;
  return db.$queryRaw<Aggregate[]>`
    SELECT ${KEYS[groupBy]} AS key,
           count(*)::int AS sales,
           count(*) FILTER (WHERE s."stage" NOT IN (${FINAL}))::int AS live,
           count(*) FILTER (WHERE ${handed})::int AS handed_over,
           count(*) FILTER (WHERE s."stage" = 'lapsed')::int AS lapsed,
           count(*) FILTER (WHERE s."stage" = 'cancelled')::int AS cancelled,
           coalesce(sum(s."price"), 0)::numeric(20, 2)::text AS value,
           coalesce(sum(s."paidTotal"), 0)::numeric(20, 2)::text AS paid,
           coalesce(sum(s."inspectionDefects") FILTER (WHERE ${handed}), 0)::int AS inspection_defects,
           coalesce(sum(s."handoverDefects") FILTER (WHERE ${handed}), 0)::int AS handover_defects
    FROM sale s WHERE ${scopeSql(s)}
    GROUP BY 1`;
}

/** Nearest-rank percentile of ascending values: the ⌈p·n/100⌉-th value (p in 1‥100); null when there are none. */
export function nearestRank(ascending: readonly number[], p: number): number | null {
  if (ascending.length === 0) return null;
  const rank = Math.min(ascending.length, Math.max(1, Math.ceil((p * ascending.length) / 100)));
  return ascending[rank - 1]!;
}

const days1 = (ms: number | null) => (ms === null ? null : Math.round((ms / DAY_MS) * 10) / 10);
const perUnit = (defects: number, units: number) => (units === 0 ? null : Math.round((100 * defects) / units) / 100);

function turnaround(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  return { count: sorted.length, medianDays: days1(nearestRank(sorted, 50)), p90Days: days1(nearestRank(sorted, 90)) };
}

const byCountThenReason = (a: { reason: string; count: number }, b: { reason: string; count: number }) =>
  b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0);

/** The whole report (labels included) for one scope and grouping. */
export async function buildSalesReport(db: Db, s: CohortScope, groupBy: SalesGroupBy, lang: Lang): Promise<SalesReport> {
  const key = KEYS[groupBy];
  const [groups, byStage, [all], durations, reasons] = await Promise.all([
    aggregate(db, s, groupBy),
    groupBy === 'stage' ? null : aggregate(db, s, 'stage'),
    aggregate(db, s, 'all'),
    db.$queryRaw<{ key: string; ms: number }[]>`
      SELECT ${key} AS key, (extract(epoch FROM (s."mortgageDisbursedAt" - s."mortgageDocumentsAt")) * 1000)::float8 AS ms
      FROM sale s WHERE ${scopeSql(s)} AND s."mortgageDisbursedAt" IS NOT NULL AND s."mortgageDocumentsAt" IS NOT NULL`,
    db.$queryRaw<{ stage: string; reason: string; n: number }[]>`
      SELECT s."stage" AS stage,
             coalesce(nullif(btrim(CASE WHEN s."stage" = 'lapsed' THEN s."lapseReason" ELSE s."cancelReason" END), ''), ${UNSPECIFIED}) AS reason,
             count(*)::int AS n
      FROM sale s WHERE ${scopeSql(s)} AND s."stage" IN ('lapsed', 'cancelled')
      GROUP BY 1, 2`,
  ]);

  const msByKey = new Map<string, number[]>();
  for (const d of durations) msByKey.set(d.key, [...(msByKey.get(d.key) ?? []), d.ms]);
  const label = await labeller(db, groupBy, groups.map((g) => g.key), lang);
  const stageOrder = (k: string) => {
    const i = (SALE_STAGES as readonly string[]).indexOf(k);
    return i < 0 ? SALE_STAGES.length : i;
  };
  const rows: SalesReportRow[] = groups
    .map((g) => {
      const m = turnaround(msByKey.get(g.key) ?? []);
      return {
        key: g.key,
        label: label(g.key),
        sales: g.sales,
        live: g.live,
        handedOver: g.handed_over,
        lapsed: g.lapsed,
        cancelled: g.cancelled,
        value: g.value,
        paid: g.paid,
        mortgageCount: m.count,
        mortgageMedianDays: m.medianDays,
        mortgageP90Days: m.p90Days,
        handoverDefectsPerUnit: perUnit(g.inspection_defects + g.handover_defects, g.handed_over),
      };
    })
    .sort((a, b) =>
      groupBy === 'stage'
        ? stageOrder(a.key) - stageOrder(b.key) || a.key.localeCompare(b.key)
        : a.label.localeCompare(b.label, 'zh-Hans-CN') || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );

  const stages = new Map((byStage ?? groups).map((g) => [g.key, g]));
  const pipeline = SALE_STAGES.map((stage) => ({ stage, count: stages.get(stage)?.sales ?? 0, value: stages.get(stage)?.value ?? '0.00' }));
  const reasonsOf = (stage: string) => reasons.filter((r) => r.stage === stage).map((r) => ({ reason: r.reason, count: r.n })).sort(byCountThenReason);
  const handedOver = all?.handed_over ?? 0;
  const inspectionDefects = all?.inspection_defects ?? 0;
  const handoverDefects = all?.handover_defects ?? 0;
  return {
    from: s.from.toISOString(),
    to: s.to.toISOString(),
    groupBy,
    rows,
    pipeline,
    lapseReasons: reasonsOf('lapsed'),
    cancellationReasons: reasonsOf('cancelled'),
    mortgage: turnaround(durations.map((d) => d.ms)),
    handover: { handedOver, inspectionDefects, handoverDefects, defectsPerUnit: perUnit(inspectionDefects + handoverDefects, handedOver) },
  };
}

/** Human labels for row keys: stage names in `lang`, project names, staff display names. */
async function labeller(db: Db, groupBy: SalesGroupBy, keys: string[], lang: Lang) {
  if (groupBy === 'stage') return (key: string) => wordOf(SALE_STAGE_WORDS, key, lang);
  const names = groupBy === 'project' ? await findProjectNamesByIds(db, keys) : await findUserNamesByIds(db, keys);
  return (key: string) => names.get(key) ?? key;
}

const H = CSV_HEADERS.sales;
const SALES_COLUMNS: CsvColumn<SalesReportRow>[] = [
  { header: H.group, cell: (r) => r.label },
  { header: H.sales, cell: (r) => r.sales },
  { header: H.live, cell: (r) => r.live },
  { header: H.handedOver, cell: (r) => r.handedOver },
  { header: H.lapsed, cell: (r) => r.lapsed },
  { header: H.cancelled, cell: (r) => r.cancelled },
  { header: H.value, cell: (r) => r.value },
  { header: H.paid, cell: (r) => r.paid },
  { header: H.mortgages, cell: (r) => r.mortgageCount },
  { header: H.mortgageTypical, cell: (r) => r.mortgageMedianDays },
  { header: H.mortgageSlow, cell: (r) => r.mortgageP90Days },
  { header: H.defectsPerUnit, cell: (r) => r.handoverDefectsPerUnit },
  { header: CSV_HEADERS.groupKey, cell: (r) => r.key },
];

/** One line per row, headers in `lang`; text cells go through the CSV helper (formula-safe). */
export function salesReportCsv(report: SalesReport, lang: Lang): string {
  return csvOf(lang, SALES_COLUMNS, report.rows);
}
