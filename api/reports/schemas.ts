import { z } from '../http/zod.js';
import { PageQuery } from '../http/schema-kit.js';
import { CASE_STATUSES, TARGETS, TIERS } from '../../domain/cases/types.js';
import { SALE_STAGES } from '../../domain/sales/types.js';
import { RETENTION_RECOMMENDATIONS, RETENTION_SHORTFALLS } from '../../domain/repairs/contractor-rating.js';

/**
 * The reports' contract: what each report answers and takes. The queries (sla-report.ts,
 * lead-report.ts, sales-report.ts) produce these types, the routes declare these schemas, and the
 * console reads the inferred types: one statement of each row.
 */

export const SLA_GROUP_BYS = ['tier', 'category', 'project', 'assignee', 'day', 'week', 'month'] as const;
export const LEAD_GROUP_BYS = ['source', 'grade', 'owner', 'project'] as const;
export const SALES_GROUP_BYS = ['stage', 'project', 'owner'] as const;

const IsoInstant = z.iso.datetime({ offset: true });
const ProjectId = z.string().min(1).max(64);

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

// ---- SLA compliance (cases) -------------------------------------------------------------------

export const SlaPeriod = z.object({
  from: IsoInstant.optional().describe('Cases opened at or after (default: 30 days before `to`)'),
  to: IsoInstant.optional().describe('Cases opened before (default: now)'),
  projectId: ProjectId.optional(),
  timeZone: z
    .string()
    .max(64)
    .refine(isTimeZone, 'unknown IANA time zone')
    .default('Asia/Shanghai')
    .describe('Where days, weeks and months are cut (groupBy=day|week|month)'),
});
export const SlaReportQuery = SlaPeriod.extend({ groupBy: z.enum(SLA_GROUP_BYS).default('tier') });
export const SlaBreachesQuery = SlaPeriod.extend(PageQuery.shape).extend({
  target: z.enum(TARGETS).optional(),
  tier: z.enum(TIERS).optional().describe('The tier at which the target was breached'),
  breachedToday: z
    .enum(['true'])
    .optional()
    .describe('Only breaches recorded today, each by its project’s day (time zone); cases opened at any time unless `from` or `to` is given'),
});

const TargetCounts = z
  .object({
    met: z.number().int().describe('Targets met on time (达标)'),
    breached: z.number().int().describe('Targets breached (超时), also those met late afterwards'),
    inProgress: z.number().int().describe('Targets neither met nor breached yet whose tier still holds the open case (paused clocks included); counted in no rate'),
    metPct: z
      .number()
      .nullable()
      .describe('Met rate: met / (met + breached) × 100, one decimal; null when none was decided. Reads 100 only when nothing was breached, 0 only when nothing was met'),
  })
  .openapi('SlaTargetCounts');
const Quantiles = (what: string) =>
  z.object({
    median: z.number().nullable().describe(`Typical ${what}: half of the targets met took less, half more (the median), milliseconds; null when none was met`),
    p90: z.number().nullable().describe(`Slow-end ${what}: 9 in 10 of the targets met took at most this long (90th percentile, interpolated), milliseconds; null when none was met`),
  });

export const SlaReportRowView = z
  .object({
    key: z.string().nullable().describe('Tier, category code, project id, assignee id or period; null = none (e.g. unassigned)'),
    label: z.string().describe('The group’s name in the language of Accept-Language (zh-CN by default, or en)'),
    cases: z.number().int().describe('Cases opened in the period, by their current tier, category, project or assignee'),
    firstContact: TargetCounts.describe('The first-contact targets, counted at the tier where each ran'),
    resolution: TargetCounts.describe('The resolution targets, counted at the tier where each ran'),
    callback: TargetCounts.describe('The satisfaction-callback targets, counted at the tier where each ran'),
    overall: TargetCounts.describe('The three targets added up'),
    timeToFirstContactMs: Quantiles('time to first contact (policy clock, pauses excluded)'),
    timeToResolutionMs: Quantiles('time to resolution (policy clock, pauses excluded)'),
    escalations: z.number().int().describe('Escalation requests (for groupBy=tier: by the tier they left)'),
    callbacks: z.number().int().describe('Cases with a recorded satisfaction callback'),
    satisfactionAvg: z.number().nullable().describe('Mean satisfaction (1–5) of those callbacks, two decimals; null when none'),
  })
  .openapi('SlaReportRow');

export const SlaReportView = z
  .object({ from: z.string(), to: z.string(), groupBy: z.enum(SLA_GROUP_BYS), groups: z.array(SlaReportRowView), totals: SlaReportRowView })
  .openapi('SlaReport');

export const SlaBreachView = z
  .object({
    id: z.string(),
    caseId: z.string(),
    caseNumber: z.string(),
    target: z.enum(TARGETS),
    tier: z.enum(TIERS),
    category: z.string(),
    projectId: z.string(),
    projectName: z.string().nullable(),
    assigneeId: z.string().nullable(),
    assigneeName: z.string().nullable(),
    startedAt: z.string(),
    dueAt: z.string(),
    breachedAt: z.string(),
    metAt: z.string().nullable().describe('When the target was met after all (late); null while unmet'),
    periodEndedAt: z.string().nullable().describe('When the breaching tier’s period ended (the case escalated, reopened or closed); null while it runs'),
    latenessMs: z.number().describe('How late: from the deadline to the meeting; while unmet, to the end of the tier’s period, else to now'),
    overdue: z.boolean().describe('Unmet and its tier still holds the case: the case is late on it now'),
  })
  .openapi('SlaBreach');

/** A breach as the grouped list shows it under its case. */
const CaseBreachView = SlaBreachView.omit({ caseId: true, caseNumber: true, projectId: true, projectName: true }).openapi('SlaCaseBreach');

export const SlaBreachedCaseView = z
  .object({
    caseId: z.string(),
    caseNumber: z.string(),
    projectId: z.string(),
    projectName: z.string().nullable(),
    tier: z.enum(TIERS).describe('The case’s tier now'),
    status: z.enum(CASE_STATUSES).describe('The case’s status now'),
    category: z.string().describe('The case’s category now'),
    assigneeId: z.string().nullable().describe('The case’s assignee now'),
    assigneeName: z.string().nullable(),
    openedAt: z.string(),
    breachCount: z.number().int().describe('Breaches of this case matching the filters (its `breaches`)'),
    lastBreachedAt: z.string(),
    maxLatenessMs: z.number().describe('The largest lateness among its breaches'),
    overdue: z.boolean().describe('One of its breaches is unmet while its tier still holds the case: the case is late now'),
    breaches: z.array(CaseBreachView).describe('Latest first: at most one per target and tier period'),
  })
  .openapi('SlaBreachedCase');

export type SlaGroupBy = (typeof SLA_GROUP_BYS)[number];
export type SlaReportQuery = z.input<typeof SlaReportQuery>;
export type SlaBreachesQuery = z.input<typeof SlaBreachesQuery>;
/** Met/breached/in-progress counts of one target in a report row; metPct is 0–100 (null when nothing was decided). */
export type TargetCounts = z.output<typeof TargetCounts>;
export type SlaReportRow = z.output<typeof SlaReportRowView>;
export type SlaReport = z.output<typeof SlaReportView>;
export type SlaBreach = z.output<typeof SlaBreachView>;
export type SlaCaseBreach = z.output<typeof CaseBreachView>;
export type SlaBreachedCase = z.output<typeof SlaBreachedCaseView>;

// ---- Lead follow-up and conversion ------------------------------------------------------------

export const LeadReportQuery = z.object({
  from: IsoInstant.optional().describe('Leads created at or after (default: 30 days before `to`)'),
  to: IsoInstant.optional().describe('Leads created before (default: now)'),
  projectId: ProjectId.optional(),
  groupBy: z.enum(LEAD_GROUP_BYS).default('source'),
});

export const LeadReportRowView = z
  .object({
    key: z.string().nullable().describe('Source, grade, owner id or project id; null = none (an owner-less lead in the pool)'),
    label: z.string().describe('The group’s name in the language of Accept-Language (zh-CN by default, or en)'),
    leads: z.number().int(),
    open: z.number().int().describe('Still in their cadence (new, contacting) or in the pool'),
    pooled: z.number().int(),
    contacted: z.number().int().describe('A first touch was logged'),
    contactedWithinTarget: z.number().int().describe('First touch no later than the first-contact deadline'),
    firstContactMissed: z.number().int().describe('First touch late, or none and the deadline has passed'),
    contactedWithinTargetPct: z.number().nullable().describe('within / (within + missed); leads still inside their first-contact window count in neither'),
    converted: z.number().int(),
    conversionPct: z.number().nullable().describe('converted / leads'),
    medianDaysToConvert: z.number().nullable().describe('Typical days from arrival to conversion: half of the converted leads took less, half more (the median), two decimals; null when none converted'),
    lost: z.number().int().describe('Lost now: awaiting the loss review, or closed by it'),
    lossReasons: z.record(z.string(), z.number().int()).describe('Loss reason code → lost leads'),
  })
  .openapi('LeadReportRow');

export const LeadReportView = z
  .object({ from: z.string(), to: z.string(), groupBy: z.enum(LEAD_GROUP_BYS), groups: z.array(LeadReportRowView), totals: LeadReportRowView })
  .openapi('LeadReport');

export type LeadGroupBy = (typeof LEAD_GROUP_BYS)[number];
export type LeadReportQuery = z.input<typeof LeadReportQuery>;
/** One group of the lead report; percentages are 0–100. */
export type LeadReportRow = z.output<typeof LeadReportRowView>;
export type LeadReport = z.output<typeof LeadReportView>;

// ---- Sales pipeline ---------------------------------------------------------------------------

export const SalesReportQuery = z.object({
  from: IsoInstant.optional(),
  to: IsoInstant.optional(),
  groupBy: z.enum(SALES_GROUP_BYS).default('stage'),
  projectId: ProjectId.optional(),
});

const Amount = z.string().describe('CNY, decimal string with two decimals, e.g. "2350000.00"');
const Days = z.number().nullable().describe('Days, one decimal; null when no mortgage was disbursed');

export const SalesReportRowView = z
  .object({
    key: z.string().describe('Stage code, project id or owner (user) id'),
    label: z.string().describe('Stage name (in the language of Accept-Language), project name or the owner’s display name'),
    sales: z.number().int(),
    live: z.number().int().describe('Not handed over, lapsed or cancelled'),
    handedOver: z.number().int(),
    lapsed: z.number().int(),
    cancelled: z.number().int(),
    value: Amount.describe('Sum of the prices of these sales (every stage), CNY'),
    paid: Amount.describe('Sum of what these sales have been paid so far, CNY'),
    mortgageCount: z.number().int().describe('Mortgages disbursed (the turnarounds measured)'),
    mortgageMedianDays: Days.describe('Typical days from documents submitted to disbursed: half of the mortgages took at most this long (nearest-rank median), one decimal'),
    mortgageP90Days: Days.describe('Slow-end days from documents submitted to disbursed: 9 in 10 mortgages took at most this long (nearest-rank 90th percentile), one decimal'),
    handoverDefectsPerUnit: z.number().nullable().describe('(Inspection + handover defects) / units handed over, two decimals; null when none was handed over'),
  })
  .openapi('SalesReportRow');

export const SalesReportView = z
  .object({
    from: z.string(),
    to: z.string(),
    groupBy: z.enum(SALES_GROUP_BYS),
    rows: z.array(SalesReportRowView),
    pipeline: z
      .array(z.object({ stage: z.enum(SALE_STAGES), count: z.number().int(), value: Amount }))
      .describe('Every stage in lifecycle order, zeros included'),
    lapseReasons: z.array(z.object({ reason: z.string(), count: z.number().int() })).describe('Most frequent first'),
    cancellationReasons: z.array(z.object({ reason: z.string(), count: z.number().int() })).describe('Most frequent first'),
    mortgage: z
      .object({ count: z.number().int(), medianDays: Days, p90Days: Days })
      .describe('Turnaround of the disbursed mortgages: documents submitted → disbursed (nearest-rank percentiles)'),
    handover: z
      .object({
        handedOver: z.number().int(),
        inspectionDefects: z.number().int(),
        handoverDefects: z.number().int(),
        defectsPerUnit: z.number().nullable().describe('(inspectionDefects + handoverDefects) / handedOver, two decimals'),
      })
      .describe('The sales handed over and their defects'),
  })
  .openapi('SalesReport');

export type SalesGroupBy = (typeof SALES_GROUP_BYS)[number];
export type SalesReportQuery = z.input<typeof SalesReportQuery>;
/** One group of the sales report; money as decimal strings. */
export type SalesReportRow = z.output<typeof SalesReportRowView>;
export type SalesReport = z.output<typeof SalesReportView>;

// ---- Repairs: first-time fix, repeat repairs, defects, charge-backs ----------------------------

/** The repair report's tables, each downloadable as CSV (`table`). */
export const REPAIR_REPORT_TABLES = ['first-time-fix', 'repeats', 'contractors', 'categories', 'buildings', 'charge-backs', 'contractor-ratings'] as const;

export const RepairReportQuery = SlaPeriod.extend({
  from: IsoInstant.optional().describe('Work orders created at or after (default: 30 days before `to`)'),
  to: IsoInstant.optional().describe('Work orders created before (default: now)'),
  table: z.enum(REPAIR_REPORT_TABLES).default('first-time-fix').describe('Which table a CSV download (Accept: text/csv) holds; JSON answers every table'),
  timeZone: SlaPeriod.shape.timeZone.describe('The zone of the instants in the repeat-repair CSV'),
});

const Pct = z.number().nullable().describe('0–100, one decimal; null when there is nothing to divide by');

export const FirstTimeFixRowView = z
  .object({
    assigneeKind: z.enum(['technician', 'contractor']).nullable().describe('Who did the work at the end: an in-house technician or a contractor company; null = nobody was assigned'),
    assigneeId: z.string().nullable().describe('The technician’s user id or the contractor company’s id'),
    label: z.string().describe('The technician’s or company’s name; for the totals row, “Total” in the language of Accept-Language'),
    done: z.number().int().describe('Work orders done (signed off by the owner)'),
    firstTimeFixed: z.number().int().describe('Done on the first visit: one visit, signed off, no rework and no no-show'),
    firstTimeFixPct: Pct.describe('firstTimeFixed / done × 100, one decimal; null when none was done'),
    reworks: z.number().int().describe('Rejected sign-offs (reworks) of these done orders'),
    noShows: z.number().int().describe('No-shows (technician or owner) of these done orders'),
    arrivalBreaches: z.number().int().describe('On-site arrival targets missed (lateness) over the visits of these done orders'),
  })
  .openapi('RepairFirstTimeFixRow');

export const RepeatRepairView = z
  .object({
    workOrderId: z.string(),
    number: z.string().describe('The repeat work order'),
    createdAt: z.string(),
    previousWorkOrderId: z.string(),
    previousNumber: z.string().describe('The latest earlier work order of the same unit and category (of another case)'),
    previousCreatedAt: z.string(),
    daysSincePrevious: z.number().describe('Days between the two creations, one decimal (at most 90)'),
    projectId: z.string(),
    projectName: z.string().nullable(),
    unitId: z.string(),
    unitLabel: z.string().nullable().describe('Building and room, e.g. “1栋-302”'),
    category: z.string(),
    categoryLabel: z.string(),
  })
  .openapi('RepeatRepair');

export const DefectRowView = z
  .object({
    key: z.string().nullable().describe('Contractor company id, category code or building id; null = none (no responsible contractor found, no building)'),
    label: z.string(),
    defects: z.number().int().describe('Work orders created in the period, less those a dispatcher cancelled'),
    inWarranty: z.number().int().describe('Of them, in the owner’s warranty (保内)'),
    done: z.number().int().describe('Of them, done'),
    repeats: z.number().int().describe('Of them, repeat repairs'),
  })
  .openapi('RepairDefectRow');

const Yuan = z.string().describe('CNY, decimal string with two decimals, e.g. "1280.50"');

export const ChargeBackRowView = z
  .object({
    contractorCompanyId: z.string(),
    label: z.string().describe('The contractor company’s name'),
    workOrders: z.number().int().describe('Work orders charged back to it'),
    amount: Yuan.describe('Sum of the charge-backs (chargeBackFen / 100), CNY'),
  })
  .openapi('RepairChargeBackRow');

export const RetentionThresholdsView = z
  .object({
    minDoneOrders: z.number().int().describe('Done work orders needed before a contractor is judged'),
    minFirstTimeFixPct: z.number().int().describe('First-time fix rate to reach, whole percent'),
    maxLatePct: z.number().int().describe('Late arrivals allowed, whole percent of the visits'),
    maxRejectedPct: z.number().int().describe('Rejected sign-offs allowed, whole percent of the sign-offs asked for'),
  })
  .openapi('RetentionThresholds');

export const ContractorRatingRowView = z
  .object({
    contractorCompanyId: z.string(),
    label: z.string().describe('The contractor company’s name'),
    workOrders: z.number().int().describe('The period’s work orders it holds (the last assignee), less those cancelled'),
    done: z.number().int().describe('Of them, done (signed off by the owner)'),
    firstTimeFixed: z.number().int().describe('Done on the first visit: one visit, no rework, no no-show'),
    visits: z.number().int().describe('Visits of its done orders (each with one on-site arrival target)'),
    arrivalBreaches: z.number().int().describe('Arrival targets missed over those visits (lateness)'),
    reworks: z.number().int().describe('Rejected sign-offs of its done orders'),
    noShows: z.number().int().describe('No-shows (technician or owner) of its done orders'),
    defects: z.number().int().describe('The period’s defects it answers for under the construction warranty (not cancelled)'),
    chargeBackOrders: z.number().int().describe('Work orders charged back to it'),
    firstTimeFixPct: Pct.describe('firstTimeFixed / done × 100'),
    latePct: Pct.describe('arrivalBreaches / visits × 100 (a visit late at most once)'),
    rejectedPct: Pct.describe('reworks / (done + reworks) × 100: the sign-offs asked for that the owner refused'),
    score: z.number().int().min(0).max(100).nullable().describe('50 × first-time fix + 25 × on-time visits + 25 × accepted sign-offs (shares 0–1), rounded; null when nothing was done'),
    recommendation: z
      .enum(RETENTION_RECOMMENDATIONS)
      .describe(
        'The warranty retention (保修尾款): insufficient_data (fewer done orders than minDoneOrders), hold (a threshold missed, see shortfalls; the exact share is compared, not the rounded percent), deduct (release less deductAmount), release (in full)',
      ),
    shortfalls: z.array(z.enum(RETENTION_SHORTFALLS)).describe('The thresholds missed: first_time_fix below its minimum, late or rejected above its maximum'),
    deductAmount: Yuan.describe('Its charge-backs of the period, CNY: what a release takes off the retention'),
  })
  .openapi('RepairContractorRatingRow');

export const RepairReportView = z
  .object({
    from: z.string(),
    to: z.string(),
    workOrders: z.number().int().describe('Work orders created in the period, every outcome'),
    firstTimeFix: z.object({ overall: FirstTimeFixRowView, byAssignee: z.array(FirstTimeFixRowView).describe('Most orders done first') }),
    repeats: z.object({
      count: z.number().int().describe('Repeat repairs among the period’s work orders'),
      items: z.array(RepeatRepairView).describe('The latest first, at most 500 (the CSV holds them all)'),
    }),
    defects: z.object({
      total: DefectRowView.describe('Every defect of the period (key "all")'),
      byContractor: z.array(DefectRowView).describe('By the contractor company responsible under the construction warranty; most defects first'),
      byCategory: z.array(DefectRowView).describe('Most defects first'),
      byBuilding: z.array(DefectRowView).describe('Most defects first'),
    }),
    chargeBacks: z.object({ total: Yuan, workOrders: z.number().int(), byContractor: z.array(ChargeBackRowView).describe('Largest amount first') }),
    contractorRatings: z
      .object({
        thresholds: RetentionThresholdsView.describe('The group’s thresholds (warranty settings `retention`)'),
        byContractor: z.array(ContractorRatingRowView).describe('Every contractor company of the group that holds, answers for or was charged back for the period’s work orders; most done first'),
      })
      .describe('Contractor ratings and their warranty retention (保修尾款) recommendation'),
  })
  .openapi('RepairReport');

export type RepairReportTable = (typeof REPAIR_REPORT_TABLES)[number];
export type RepairReportQuery = z.input<typeof RepairReportQuery>;
export type FirstTimeFixRow = z.output<typeof FirstTimeFixRowView>;
export type RepeatRepair = z.output<typeof RepeatRepairView>;
export type DefectRow = z.output<typeof DefectRowView>;
export type ChargeBackRow = z.output<typeof ChargeBackRowView>;
export type ContractorRatingRow = z.output<typeof ContractorRatingRowView>;
export type RepairReport = z.output<typeof RepairReportView>;
