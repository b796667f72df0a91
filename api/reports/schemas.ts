import { z } from '../http/zod.js';
import { PageQuery } from '../http/schema-kit.js';
import { TARGETS, TIERS } from '../../domain/cases/types.js';
import { SALE_STAGES } from '../../domain/sales/types.js';

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
export const SlaBreachesQuery = SlaPeriod.extend(PageQuery.shape).extend({ target: z.enum(TARGETS).optional(), tier: z.enum(TIERS).optional() });

const TargetCounts = z.object({ met: z.number().int(), breached: z.number().int(), metPct: z.number().nullable() });
const Quantiles = z.object({ median: z.number().nullable(), p90: z.number().nullable() });

export const SlaReportRowView = z
  .object({
    key: z.string().nullable().describe('Tier, category code, project id, assignee id or period; null = none (e.g. unassigned)'),
    label: z.string(),
    cases: z.number().int(),
    firstContact: TargetCounts,
    resolution: TargetCounts,
    callback: TargetCounts,
    timeToFirstContactMs: Quantiles,
    timeToResolutionMs: Quantiles,
    escalations: z.number().int(),
    callbacks: z.number().int(),
    satisfactionAvg: z.number().nullable(),
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
    metAt: z.string().nullable(),
    latenessMs: z.number().describe('From the deadline to the meeting, or to now while still unmet'),
  })
  .openapi('SlaBreach');

export type SlaGroupBy = (typeof SLA_GROUP_BYS)[number];
export type SlaReportQuery = z.input<typeof SlaReportQuery>;
export type SlaBreachesQuery = z.input<typeof SlaBreachesQuery>;
/** Met/breached counts of one target in a report row; metPct is 0–100 (null when nothing was decided). */
export type TargetCounts = z.output<typeof TargetCounts>;
export type SlaReportRow = z.output<typeof SlaReportRowView>;
export type SlaReport = z.output<typeof SlaReportView>;
export type SlaBreach = z.output<typeof SlaBreachView>;

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
    label: z.string(),
    leads: z.number().int(),
    open: z.number().int().describe('Still in their cadence (new, contacting) or in the pool'),
    pooled: z.number().int(),
    contacted: z.number().int().describe('A first touch was logged'),
    contactedWithinTarget: z.number().int().describe('First touch no later than the first-contact deadline'),
    firstContactMissed: z.number().int().describe('First touch late, or none and the deadline has passed'),
    contactedWithinTargetPct: z.number().nullable().describe('within / (within + missed); leads still inside their first-contact window count in neither'),
    converted: z.number().int(),
    conversionPct: z.number().nullable().describe('converted / leads'),
    medianDaysToConvert: z.number().nullable().describe('From arrival to conversion, days (2 decimals)'),
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
    label: z.string().describe('Bilingual stage name, project name or the owner’s display name'),
    sales: z.number().int(),
    live: z.number().int().describe('Not handed over, lapsed or cancelled'),
    handedOver: z.number().int(),
    lapsed: z.number().int(),
    cancelled: z.number().int(),
    value: Amount.describe('Sum of the prices of these sales (every stage), CNY'),
    paid: Amount.describe('Sum of what these sales have been paid so far, CNY'),
    mortgageCount: z.number().int().describe('Mortgages disbursed (the turnarounds measured)'),
    mortgageMedianDays: Days.describe('Documents submitted → disbursed, nearest-rank median, days (one decimal)'),
    mortgageP90Days: Days.describe('Documents submitted → disbursed, nearest-rank 90th percentile, days (one decimal)'),
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
