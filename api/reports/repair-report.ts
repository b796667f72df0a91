import { Prisma } from '../../prisma/generated/client.js';
import type { Db } from '../../platform/db.js';
import { cohortWhere, withReportSettings, type CohortScope, type ReportDb } from '../../app/reports/cohort.js';
import type { Lang } from '../../app/errors.js';
import type { Category } from '../../domain/cases/categories.js';
import { findUserNamesByIds } from '../../app/users/repository.js';
import { csvOf, isoIn, type CsvColumn } from './csv.js';
import { percentOf } from './percent.js';
import { CSV_HEADERS, REPAIR_WORDS, RETENTION_SHORTFALL_WORDS, RETENTION_WORDS, WORDS, categoryLabel } from './terms.js';
import { DEFAULT_RETENTION_THRESHOLDS, rateContractor, type RetentionThresholds } from '../../domain/repairs/contractor-rating.js';
import type { ChargeBackRow, ContractorRatingRow, DefectRow, FirstTimeFixRow, RepairReport, RepairReportTable, RepeatRepair } from './schemas.js';

/**
 * The repair report (issue 15): first-time fix, repeat repairs, defects for the product-defect
 * feedback and warranty charge-backs, from the read model the work-order workflow's projection
 * writes (`work_order`, one row per order; domain/repairs/work-order-process.ts says what each field
 * means).
 *
 * The population is the work orders CREATED in [from, to) within the caller's organisation and
 * scope (group, company or project), optionally one project: a cohort followed to where each order
 * stands now, as in the other reports.
 * - First-time fix: an order is DONE when the owner signed it off (`outcome = 'done'`); it was
 *   FIXED THE FIRST TIME when it is done with exactly one visit, i.e. no rejected sign-off (rework)
 *   and no no-show of either party (`visitCount = 1`, `reworks = 0`, `noShows = 0`: every rework and
 *   no-show opens a new visit). The rate is first-time fixed / done; orders still open, cancelled or
 *   whose quote the owner refused count in neither. Beside it, what the contractors' rating also
 *   weighs: reworks (rejected sign-offs), no-shows and arrival targets missed (lateness) of the
 *   done orders. By assignee: the technician or contractor
 *   company holding the order when it was done (a reassigned order counts for the last one).
 * - Repeat repair: an order of the cohort whose unit and category had another work order — of
 *   another case (a second order of the same case is a re-dispatch, not a defect coming back) —
 *   created within the 90 days before it: at or after its creation minus 90 × 24 h and strictly
 *   before it. The earlier order may lie before the period. It is listed with the latest such
 *   earlier order.
 * - Defect: an order of the cohort that a dispatcher did not cancel (`outcome <> 'cancelled'`:
 *   cancelled orders were raised in error or duplicated); a quote the owner refused is still a
 *   defect. By contractor: the company responsible under the construction warranty for the order's
 *   building × trade (`responsibleContractorId`, none when no responsibility is recorded); by
 *   category; by building.
 * - Charge-back: the orders charged back to a contractor (`chargeBackContractorId`), with the sum of
 *   `chargeBackFen` as CNY with two decimals (summed exactly in whole fen).
 * - Contractor rating (保修尾款): one row per contractor company of the caller's group that holds
 *   orders of the cohort (not cancelled), answers for defects of it or was charged back for it: the
 *   first-time-fix counts of the orders it did (as above, with their visits), its defects and
 *   charge-backs, rated by domain/repairs/contractor-rating.ts under the group's thresholds (the
 *   warranty settings' `retention`): rates, score and the retention recommendation.
 */

const REPEAT_WINDOW = Prisma.sql`interval '90 days'`;
const MAX_LISTED_REPEATS = 500;
const MAX_CSV_ROWS = 100_000;
const DAY_MS = 86_400_000;

const cohort = (s: CohortScope) => cohortWhere(s, 'w', 'createdAt');

/** The repeat look-back: the latest earlier order of the same unit and category, of another case, within 90 days (index work_order(unitId, category, createdAt)). */
const previousOrder = Prisma.sql`
  SELECT q."id", q."number", q."createdAt" FROM work_order q
  WHERE q."unitId" = w."unitId" AND q."category" = w."category" AND q."groupId" = w."groupId"
    AND q."createdAt" < w."createdAt" AND q."createdAt" >= w."createdAt" - ${REPEAT_WINDOW}
    AND q."caseId" <> w."caseId"
  ORDER BY q."createdAt" DESC, q."id" DESC LIMIT 1`;

/** An amount in whole fen as a CNY decimal string: 128050 → "1280.50" (exact, any size). */
export function yuanOf(fen: bigint | number | string): string {
  const f = BigInt(fen);
  const sign = f < 0n ? '-' : '';
  const a = f < 0n ? -f : f;
  return `${sign}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
}

type FtfAggregate = { kind: 'technician' | 'contractor' | null; id: string | null; done: number; first_time: number; reworks: number; no_shows: number; late: number };
/** An assignee's orders of the cohort: those it holds (not cancelled), and the first-time-fix counts of those done. */
type WorkAggregate = FtfAggregate & { orders: number; visits: number };
type DefectAggregate = { key: string | null; defects: number; in_warranty: number; done: number; repeats: number };
type Dimension = 'contractor' | 'category' | 'building' | 'all';

/**
 * The defect counts by responsible contractor, by category, by building and in all, the count of
 * repeat repairs and of the cohort's orders, in one pass: each order's 90-day look-back runs once (the materialised cohort),
 * then GROUPING SETS split it four ways (`dim` says which set a row belongs to).
 */
async function defectAggregates(tx: ReportDb, s: CohortScope): Promise<{ byDim: Record<Dimension, DefectAggregate[]>; repeatCount: number; orders: number }> {
  const rows = await tx.$queryRaw<(DefectAggregate & { dim: Dimension; all_repeats: number; orders: number })[]>`
    WITH d AS MATERIALIZED (
      SELECT w."responsibleContractorId" AS contractor, w."category" AS category, w."buildingId" AS building,
             w."warrantyCovered" AS covered, w."outcome" AS outcome,
             w."outcome" IS DISTINCT FROM 'cancelled' AS defect,
             (w."unitId" IS NOT NULL AND EXISTS (SELECT 1 FROM (${previousOrder}) p)) AS repeat
      FROM work_order w WHERE ${cohort(s)})
    SELECT CASE WHEN GROUPING(contractor) = 0 THEN 'contractor' WHEN GROUPING(category) = 0 THEN 'category' WHEN GROUPING(building) = 0 THEN 'building' ELSE 'all' END AS dim,
           CASE WHEN GROUPING(contractor) = 0 THEN contractor WHEN GROUPING(category) = 0 THEN category WHEN GROUPING(building) = 0 THEN building ELSE 'all' END AS key,
           count(*) FILTER (WHERE defect)::int AS defects,
           count(*) FILTER (WHERE defect AND covered)::int AS in_warranty,
           count(*) FILTER (WHERE defect AND outcome = 'done')::int AS done,
           count(*) FILTER (WHERE defect AND repeat)::int AS repeats,
           count(*) FILTER (WHERE repeat)::int AS all_repeats,
           count(*)::int AS orders
    FROM d
    GROUP BY GROUPING SETS ((contractor), (category), (building), ())`;
  const byDim: Record<Dimension, DefectAggregate[]> = { contractor: [], category: [], building: [], all: [] };
  // A group of cancelled orders only has no defect: it is no row of the defect tables.
  for (const r of rows) if (r.dim === 'all' || r.defects > 0) byDim[r.dim].push({ key: r.key, defects: r.defects, in_warranty: r.in_warranty, done: r.done, repeats: r.repeats });
  const all = rows.find((r) => r.dim === 'all');
  return { byDim, repeatCount: all?.all_repeats ?? 0, orders: all?.orders ?? 0 };
}

type RepeatRow = {
  id: string;
  number: string;
  created_at: Date;
  prev_id: string;
  prev_number: string;
  prev_created_at: Date;
  project_id: string;
  project_name: string | null;
  unit_id: string;
  unit_label: string | null;
  category: string;
};

function repeatsOf(tx: ReportDb, s: CohortScope, limit: number): Promise<RepeatRow[]> {
  return tx.$queryRaw<RepeatRow[]>`
    SELECT w."id", w."number", w."createdAt" AS created_at, p."id" AS prev_id, p."number" AS prev_number, p."createdAt" AS prev_created_at,
           w."projectId" AS project_id, pr."name" AS project_name, w."unitId" AS unit_id,
           CASE WHEN u."id" IS NULL THEN NULL ELSE b."name" || '-' || u."number" END AS unit_label, w."category"
    FROM work_order w
    CROSS JOIN LATERAL (${previousOrder}) p
    LEFT JOIN project pr ON pr."id" = w."projectId"
    LEFT JOIN unit u ON u."id" = w."unitId"
    LEFT JOIN building b ON b."id" = u."buildingId"
    WHERE ${cohort(s)} AND w."unitId" IS NOT NULL
    ORDER BY w."createdAt" DESC, w."id" DESC
    LIMIT ${limit}`;
}

const byCountThenLabel = <R extends { label: string }>(count: (r: R) => number) => (a: R, b: R) => count(b) - count(a) || a.label.localeCompare(b.label, 'zh-Hans-CN');

/**
 * The whole report for one scope, labels in `lang`. `repeatLimit` bounds the listed repeats (the
 * JSON answer lists the latest 500, a CSV download all of them).
 */
export async function buildRepairReport(
  db: Db,
  s: CohortScope,
  o: { lang: Lang; categories: readonly Category[]; repeatLimit?: number; retention?: RetentionThresholds },
): Promise<RepairReport> {
  const { lang } = o;
  const thresholds = o.retention ?? DEFAULT_RETENTION_THRESHOLDS;
  const data = await withReportSettings(db, async (tx) => ({
    work: await tx.$queryRaw<WorkAggregate[]>`
      SELECT w."assigneeKind" AS kind, coalesce(w."technicianId", w."contractorCompanyId") AS id,
             count(*) FILTER (WHERE w."outcome" IS DISTINCT FROM 'cancelled')::int AS orders,
             count(*) FILTER (WHERE w."outcome" = 'done')::int AS done,
             count(*) FILTER (WHERE w."outcome" = 'done' AND w."visitCount" = 1 AND w."reworks" = 0 AND w."noShows" = 0)::int AS first_time,
             coalesce(sum(w."visitCount") FILTER (WHERE w."outcome" = 'done'), 0)::int AS visits,
             coalesce(sum(w."reworks") FILTER (WHERE w."outcome" = 'done'), 0)::int AS reworks,
             coalesce(sum(w."noShows") FILTER (WHERE w."outcome" = 'done'), 0)::int AS no_shows,
             coalesce(sum(w."arrivalBreaches") FILTER (WHERE w."outcome" = 'done'), 0)::int AS late
      FROM work_order w WHERE ${cohort(s)}
      GROUP BY 1, 2`,
    repeats: await repeatsOf(tx, s, o.repeatLimit ?? MAX_LISTED_REPEATS),
    defects: await defectAggregates(tx, s),
    chargeBacks: await tx.$queryRaw<{ key: string; orders: number; fen: string }[]>`
      SELECT w."chargeBackContractorId" AS key, count(*)::int AS orders, coalesce(sum(w."chargeBackFen"), 0)::bigint::text AS fen
      FROM work_order w WHERE ${cohort(s)} AND w."chargeBackContractorId" IS NOT NULL
      GROUP BY 1`,
  }));

  // First-time fix: the assignees with done orders. Contractor ratings: the companies holding orders.
  const ftf = data.work.filter((r) => r.done > 0);
  const contractorWork = data.work.filter((r): r is WorkAggregate & { id: string } => r.kind === 'contractor' && r.id !== null && r.orders > 0);

  // Names: contractor companies of the caller's group, technicians, buildings with their project.
  const { byDim, repeatCount } = data.defects;
  const companyIds = [...new Set([...byDim.contractor.map((r) => r.key), ...data.chargeBacks.map((r) => r.key), ...contractorWork.map((r) => r.id)].filter((k): k is string => k !== null))];
  const buildingIds = byDim.building.map((r) => r.key).filter((k): k is string => k !== null);
  const [companies, technicians, buildings] = await Promise.all([
    companyIds.length === 0 ? [] : db.contractorCompany.findMany({ where: { id: { in: companyIds }, groupId: s.principal.groupId }, select: { id: true, name: true } }),
    findUserNamesByIds(db, ftf.filter((r) => r.kind === 'technician' && r.id !== null).map((r) => r.id!), s.principal.groupId),
    buildingIds.length === 0 ? [] : db.building.findMany({ where: { id: { in: buildingIds } }, select: { id: true, name: true, project: { select: { name: true } } } }),
  ]);
  const companyName = new Map(companies.map((c) => [c.id, c.name] as const));
  const buildingName = new Map(buildings.map((b) => [b.id, `${b.project.name} · ${b.name}`] as const));

  const ftfRow = (r: Omit<FtfAggregate, 'kind' | 'id'> & { kind: FtfAggregate['kind']; id: string | null }, label: string): FirstTimeFixRow => ({
    assigneeKind: r.kind,
    assigneeId: r.id,
    label,
    done: r.done,
    firstTimeFixed: r.first_time,
    firstTimeFixPct: percentOf(r.first_time, r.done),
    reworks: r.reworks,
    noShows: r.no_shows,
    arrivalBreaches: r.late,
  });
  const assigneeLabel = (r: FtfAggregate) =>
    r.id === null ? WORDS.unassigned[lang] : ((r.kind === 'technician' ? technicians.get(r.id) : companyName.get(r.id)) ?? r.id);
  const sum = (k: 'done' | 'first_time' | 'reworks' | 'no_shows' | 'late') => ftf.reduce((n, r) => n + r[k], 0);
  const overall = ftfRow({ kind: null, id: null, done: sum('done'), first_time: sum('first_time'), reworks: sum('reworks'), no_shows: sum('no_shows'), late: sum('late') }, WORDS.total[lang]);
  const byAssignee = ftf.map(({ orders: _o, visits: _v, ...r }) => ftfRow(r, assigneeLabel(r))).sort(byCountThenLabel((r) => r.done));

  const defectRow = (label: (key: string | null) => string) => (r: DefectAggregate): DefectRow => ({
    key: r.key,
    label: label(r.key),
    defects: r.defects,
    inWarranty: r.in_warranty,
    done: r.done,
    repeats: r.repeats,
  });
  const defectRows = (rows: DefectAggregate[], label: (key: string | null) => string) => rows.map(defectRow(label)).sort(byCountThenLabel((r) => r.defects));

  const items: RepeatRepair[] = data.repeats.map((r) => ({
    workOrderId: r.id,
    number: r.number,
    createdAt: r.created_at.toISOString(),
    previousWorkOrderId: r.prev_id,
    previousNumber: r.prev_number,
    previousCreatedAt: r.prev_created_at.toISOString(),
    daysSincePrevious: Math.round(((r.created_at.getTime() - r.prev_created_at.getTime()) / DAY_MS) * 10) / 10,
    projectId: r.project_id,
    projectName: r.project_name,
    unitId: r.unit_id,
    unitLabel: r.unit_label,
    category: r.category,
    categoryLabel: categoryLabel(r.category, o.categories, lang),
  }));

  const chargeBacks: ChargeBackRow[] = data.chargeBacks
    .map((r) => ({ contractorCompanyId: r.key, label: companyName.get(r.key) ?? r.key, workOrders: r.orders, amount: yuanOf(r.fen), fen: BigInt(r.fen) }))
    .sort((a, b) => (b.fen > a.fen ? 1 : b.fen < a.fen ? -1 : a.label.localeCompare(b.label, 'zh-Hans-CN')))
    .map(({ fen: _fen, ...row }) => row);
  const totalFen = data.chargeBacks.reduce((n, r) => n + BigInt(r.fen), 0n);

  // One rating per company of the group (companyName holds only those) that did, answers for or paid.
  const workOf = new Map(contractorWork.map((r) => [r.id, r] as const));
  const defectsOf = new Map(byDim.contractor.map((r) => [r.key, r.defects] as const));
  const chargedOf = new Map(data.chargeBacks.map((r) => [r.key, r] as const));
  const contractorRatings: ContractorRatingRow[] = companyIds
    .filter((id) => companyName.has(id))
    .map((id) => {
      const w = workOf.get(id);
      const charged = chargedOf.get(id);
      const counts = {
        workOrders: w?.orders ?? 0,
        done: w?.done ?? 0,
        firstTimeFixed: w?.first_time ?? 0,
        visits: w?.visits ?? 0,
        reworks: w?.reworks ?? 0,
        noShows: w?.no_shows ?? 0,
        lateArrivals: w?.late ?? 0,
        defects: defectsOf.get(id) ?? 0,
        chargeBackOrders: charged?.orders ?? 0,
        chargeBackFen: BigInt(charged?.fen ?? 0),
      };
      const rating = rateContractor(counts, thresholds);
      return {
        contractorCompanyId: id,
        label: companyName.get(id)!,
        workOrders: counts.workOrders,
        done: counts.done,
        firstTimeFixed: counts.firstTimeFixed,
        visits: counts.visits,
        arrivalBreaches: counts.lateArrivals,
        reworks: counts.reworks,
        noShows: counts.noShows,
        defects: counts.defects,
        chargeBackOrders: counts.chargeBackOrders,
        firstTimeFixPct: percentOf(rating.firstTimeFix.part, rating.firstTimeFix.whole),
        latePct: percentOf(rating.late.part, rating.late.whole),
        rejectedPct: percentOf(rating.rejected.part, rating.rejected.whole),
        score: rating.score,
        recommendation: rating.recommendation,
        shortfalls: rating.shortfalls,
        deductAmount: yuanOf(rating.deductFen),
      };
    })
    .sort(byCountThenLabel((r) => r.done));

  return {
    from: s.from.toISOString(),
    to: s.to.toISOString(),
    workOrders: data.defects.orders,
    firstTimeFix: { overall, byAssignee },
    repeats: { count: repeatCount, items },
    defects: {
      total: defectRow(() => WORDS.total[lang])(byDim.all[0] ?? { key: 'all', defects: 0, in_warranty: 0, done: 0, repeats: 0 }),
      byContractor: defectRows(byDim.contractor, (k) => (k === null ? REPAIR_WORDS.noContractor[lang] : (companyName.get(k) ?? k))),
      byCategory: defectRows(byDim.category, (k) => (k === null ? WORDS.none[lang] : categoryLabel(k, o.categories, lang))),
      byBuilding: defectRows(byDim.building, (k) => (k === null ? REPAIR_WORDS.noBuilding[lang] : (buildingName.get(k) ?? k))),
    },
    chargeBacks: { total: yuanOf(totalFen), workOrders: data.chargeBacks.reduce((n, r) => n + r.orders, 0), byContractor: chargeBacks },
    contractorRatings: { thresholds: { ...thresholds }, byContractor: contractorRatings },
  };
}

export const REPAIR_CSV_ROWS = MAX_CSV_ROWS;

const H = CSV_HEADERS.repairs;
const ftfColumns = (lang: Lang): CsvColumn<FirstTimeFixRow>[] => [
  { header: H.assignee, cell: (r) => r.label },
  { header: H.assigneeKind, cell: (r) => (r.assigneeKind === null ? null : REPAIR_WORDS[r.assigneeKind][lang]) },
  { header: H.done, cell: (r) => r.done },
  { header: H.firstTimeFixed, cell: (r) => r.firstTimeFixed },
  { header: H.firstTimeFixPct, cell: (r) => r.firstTimeFixPct },
  { header: H.reworks, cell: (r) => r.reworks },
  { header: H.noShows, cell: (r) => r.noShows },
  { header: H.arrivalBreaches, cell: (r) => r.arrivalBreaches },
  { header: H.assigneeId, cell: (r) => r.assigneeId ?? 'all' },
];
const defectColumns = (group: (typeof H)['contractor']): CsvColumn<DefectRow>[] => [
  { header: group, cell: (r) => r.label },
  { header: H.defects, cell: (r) => r.defects },
  { header: H.inWarranty, cell: (r) => r.inWarranty },
  { header: H.doneDefects, cell: (r) => r.done },
  { header: H.repeats, cell: (r) => r.repeats },
  { header: CSV_HEADERS.groupKey, cell: (r) => r.key },
];

/** One table of the report as CSV, headers and words in `lang`; instants in `timeZone` with their offset. */
export function repairReportCsv(report: RepairReport, table: RepairReportTable, lang: Lang, timeZone: string): string {
  switch (table) {
    case 'first-time-fix':
      return csvOf(lang, ftfColumns(lang), [...report.firstTimeFix.byAssignee, report.firstTimeFix.overall]);
    case 'repeats':
      return csvOf<RepeatRepair>(
        lang,
        [
          { header: H.number, cell: (r) => r.number },
          { header: H.createdAt, cell: (r) => isoIn(r.createdAt, timeZone) },
          { header: H.previousNumber, cell: (r) => r.previousNumber },
          { header: H.previousCreatedAt, cell: (r) => isoIn(r.previousCreatedAt, timeZone) },
          { header: H.daysSincePrevious, cell: (r) => r.daysSincePrevious },
          { header: H.project, cell: (r) => r.projectName },
          { header: H.unit, cell: (r) => r.unitLabel },
          { header: H.category, cell: (r) => r.categoryLabel },
          { header: H.timeZone, cell: () => timeZone },
        ],
        report.repeats.items,
      );
    case 'contractors':
      return csvOf(lang, defectColumns(H.contractor), [...report.defects.byContractor, report.defects.total]);
    case 'categories':
      return csvOf(lang, defectColumns(H.category), [...report.defects.byCategory, report.defects.total]);
    case 'buildings':
      return csvOf(lang, defectColumns(H.building), [...report.defects.byBuilding, report.defects.total]);
    case 'contractor-ratings':
      return csvOf<ContractorRatingRow>(
        lang,
        [
          { header: H.ratedContractor, cell: (r) => r.label },
          { header: H.recommendation, cell: (r) => RETENTION_WORDS[r.recommendation][lang] },
          { header: H.deductAmount, cell: (r) => r.deductAmount },
          { header: H.score, cell: (r) => r.score },
          { header: H.heldWorkOrders, cell: (r) => r.workOrders },
          { header: H.done, cell: (r) => r.done },
          { header: H.firstTimeFixed, cell: (r) => r.firstTimeFixed },
          { header: H.firstTimeFixPct, cell: (r) => r.firstTimeFixPct },
          { header: H.visits, cell: (r) => r.visits },
          { header: H.arrivalBreaches, cell: (r) => r.arrivalBreaches },
          { header: H.latePct, cell: (r) => r.latePct },
          { header: H.reworks, cell: (r) => r.reworks },
          { header: H.rejectedPct, cell: (r) => r.rejectedPct },
          { header: H.noShows, cell: (r) => r.noShows },
          { header: H.defects, cell: (r) => r.defects },
          { header: H.chargedBackOrders, cell: (r) => r.chargeBackOrders },
          { header: H.shortfalls, cell: (r) => r.shortfalls.map((f) => RETENTION_SHORTFALL_WORDS[f][lang]).join(lang === 'zh-CN' ? '；' : '; ') },
          { header: H.contractorId, cell: (r) => r.contractorCompanyId },
        ],
        report.contractorRatings.byContractor,
      );
    case 'charge-backs':
      return csvOf<ChargeBackRow>(
        lang,
        [
          { header: H.contractor, cell: (r) => r.label },
          { header: H.chargedBackOrders, cell: (r) => r.workOrders },
          { header: H.chargeBackAmount, cell: (r) => r.amount },
          { header: CSV_HEADERS.groupKey, cell: (r) => r.contractorCompanyId },
        ],
        [...report.chargeBacks.byContractor, { contractorCompanyId: 'all', label: WORDS.total[lang], workOrders: report.chargeBacks.workOrders, amount: report.chargeBacks.total }],
      );
  }
}
