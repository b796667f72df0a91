import { z } from '../http/zod.js';
import { pageOf } from '../http/schema-kit.js';
import { DEFAULT_SALES_POLICY, type SalesPolicy as SalesPolicyRules } from '../../domain/sales/policy.js';
import { GRADES, OWNER_ROLES } from '../../domain/leads/types.js';
import { CASE_TYPES, CLOCKS, SEVERITIES, TIERS } from '../../domain/cases/types.js';
import { MAX_DIGEST_MINUTES, NOTIFICATION_DEFAULTS } from '../../domain/cases/sla-policy.js';
import { PUBLIC_HOLIDAY_SCHEDULES } from '../../domain/cases/business-calendar.js';

/*
 * The request schemas (*Doc) describe the documents for the OpenAPI document and catch wrong JSON
 * types; the domain's parse* functions then apply the business rules (durations per clock, calendar
 * arithmetic, taxonomy shape), and their issues come back as 400 with `body.<index>.<field>` paths.
 */
const Duration = z.string().max(40).describe('ISO 8601 duration, e.g. PT24H, P7D, PT30S');

export const SlaNotificationsDoc = z
  .object({
    workingHoursOnly: z
      .boolean()
      .optional()
      .describe(`On the business clock, hold staff notices to the start of the next working period of the case's calendar (default ${NOTIFICATION_DEFAULTS.workingHoursOnly})`),
    digestMinutes: z
      .number()
      .int()
      .min(0)
      .max(MAX_DIGEST_MINUTES)
      .optional()
      .describe(`At most one email per person per this many minutes; what falls due meanwhile arrives as one digest (default ${NOTIFICATION_DEFAULTS.digestMinutes}; 0 sends each notice on its own). Breaches of calendar-clock targets always go at once`),
  })
  .openapi('SlaNotifications');
export type SlaNotificationsBody = z.input<typeof SlaNotificationsDoc>;

export const SlaPolicyDoc = z
  .object({
    id: z.string().max(64),
    name: z.string().max(200),
    caseType: z.enum([...CASE_TYPES, '*']).optional(),
    categoryPrefix: z.string().max(200).optional().describe("A branch of the taxonomy such as complaint.quality; '' matches all"),
    severity: z.enum([...SEVERITIES, '*']).optional(),
    tier: z.enum([...TIERS, '*']).optional(),
    firstContact: Duration.optional(),
    resolution: Duration.optional(),
    callback: Duration.optional(),
    warnAt: z.number().optional(),
    approvalWindow: Duration.optional(),
    satisfactionThreshold: z.number().int().optional(),
    clock: z.enum(CLOCKS).optional(),
    calendarId: z.string().max(64).optional(),
    notifications: SlaNotificationsDoc.optional(),
  })
  .openapi('SlaPolicy');

const Interval = z.object({ start: z.string().max(5), end: z.string().max(5) });
export const CalendarDoc = z
  .object({
    id: z.string().max(64),
    name: z.string().max(200),
    timeZone: z.string().max(64),
    weekly: z.record(z.string(), z.array(Interval).max(12)).describe('ISO weekday 1 (Monday) … 7 (Sunday) → working intervals'),
    holidays: z.array(z.string().max(10)).max(1000).default([]),
    makeUpWorkdays: z.array(z.object({ date: z.string().max(10), hoursLike: z.number().int() })).max(366).default([]),
    workingDayHours: z.number().optional(),
    publicHolidays: z
      .enum(PUBLIC_HOLIDAY_SCHEDULES)
      .optional()
      .describe("Follow a published holiday schedule besides the calendar's own days: CN, the State Council's 放假调休 (from 2020; new years arrive with the server's upgrades)"),
  })
  .openapi('BusinessCalendar');

export const CalendarIdParams = z.object({ id: z.string().min(1).max(64) });

export const CalendarImportBody = z
  .object({
    ics: z.string().min(1).max(240_000).optional().describe('An iCalendar (.ics) file’s text; for larger files give a feed URL'),
    url: z.string().max(2000).optional().describe('An http(s) iCalendar feed, read once now (at most 1 MB, 10 s)'),
  })
  .refine((b) => (b.ics === undefined) !== (b.url === undefined), { message: 'give either ics or url', path: ['ics'] })
  .openapi('CalendarImport');

export const CalendarImportView = z
  .object({
    calendar: CalendarDoc,
    imported: z.object({
      holidays: z.number().int().describe('Days off read (each day of a multi-day event)'),
      makeUpWorkdays: z.number().int().describe('Weekend days worked instead (调休上班) read'),
      skipped: z.number().int().describe('Events that are not whole days, or cancelled'),
    }),
    years: z.array(z.number().int()).describe('The years the calendar now has a holiday schedule for'),
  })
  .openapi('CalendarImportResult');

export const ScheduleCoverageView = z
  .object({
    items: z.array(
      z.object({
        calendarId: z.string(),
        inUse: z.boolean().describe('SLA policies count on it (or it is the default calendar)'),
        years: z.array(z.number().int()),
        nextYear: z.number().int(),
        nextYearCovered: z.boolean(),
        warn: z.boolean().describe("From 1 November (calendar's zone): in use, and next year's holidays unknown"),
      }),
    ),
  })
  .openapi('CalendarScheduleCoverage');

export const CategoryDoc = z
  .object({
    code: z.string().max(200),
    name: z.object({ zh: z.string().max(100), en: z.string().max(100) }),
    parent: z.string().max(200).optional(),
  })
  .openapi('Category');

export const CadencePolicyDoc = z
  .object({
    grade: z.string().max(10).describe('A, B or C: one policy per grade'),
    firstContact: Duration.describe('First touch due this long after the lead arrives (or is re-graded or assigned untouched); at most a month'),
    interval: Duration.describe('Then a touch every …; at most a month. A window untouched one more interval returns the lead to the pool'),
    lastsFor: Duration.nullable().optional().describe('How long the grade’s cadence runs before the lead drops to `dropTo` (B: P1M), or null'),
    dropTo: z.string().max(10).nullable().optional().describe('The grade it drops to (B → C), or null'),
    ownerRole: z.string().max(20).describe(`Who gets new leads of the grade, round robin: ${OWNER_ROLES.join(', ')}`),
  })
  .openapi('CadencePolicyInput');

export const LossReasonDoc = z
  .object({
    code: z.string().max(40).describe('Stable code recorded on leads, e.g. price'),
    name: z.object({ zh: z.string().max(200), en: z.string().max(200) }),
    active: z.boolean().optional().describe('Retired reasons (false) stay readable on old leads but cannot be chosen'),
  })
  .openapi('LossReasonInput');

export const SalesPolicyDoc = z
  .object(Object.fromEntries(Object.keys(DEFAULT_SALES_POLICY).map((k) => [k, z.string().min(2).max(40)])) as Record<keyof SalesPolicyRules, z.ZodString>)
  .partial()
  .openapi('SalesPolicy');

/*
 * What the settings routes answer: the documents as the domain parsed and stored them, so the
 * answers are stated more precisely than the requests they accept (every field present, codes from
 * their lists).
 */
export const CadencePolicyView = z
  .object({
    grade: z.enum(GRADES),
    firstContact: Duration,
    interval: Duration,
    lastsFor: Duration.nullable().describe('null: the cadence runs until the lead ends'),
    dropTo: z.enum(GRADES).nullable(),
    ownerRole: z.enum(OWNER_ROLES),
  })
  .openapi('CadencePolicy');
export const LossReasonView = z
  .object({ code: z.string(), name: z.object({ zh: z.string(), en: z.string() }), active: z.boolean() })
  .openapi('LossReason');

export const SlaPoliciesView = pageOf(SlaPolicyDoc).extend({ fallback: SlaPolicyDoc.describe('Applies when no policy matches a case') });
export const CalendarsView = pageOf(CalendarDoc);
/** A node of the category tree as pickers show it (domain/cases/categories.ts categoryTree). */
type CategoryNode = { code: string; name: { zh: string; en: string }; caseType: (typeof CASE_TYPES)[number]; leaf: boolean; children: CategoryNode[] };
export const CategoryNodeView: z.ZodType<CategoryNode> = z
  .lazy(() =>
    z.object({
      code: z.string(),
      name: z.object({ zh: z.string(), en: z.string() }),
      caseType: z.enum(CASE_TYPES).describe('The case type whose tree it is in: its root named after the type; other roots (建议 suggestion) are enquiries'),
      leaf: z.boolean(),
      children: z.array(CategoryNodeView),
    }),
  )
  .openapi('CategoryNode');

export const CategoriesQuery = z.object({
  type: z.enum(CASE_TYPES).optional().describe('Only the categories a case of this type may take (its tree; the whole taxonomy when the taxonomy has no branch of that type)'),
});

export const CategoriesView = pageOf(CategoryDoc).extend({
  tree: z.array(CategoryNodeView).describe('The same categories as a tree of their roots, for a cascading picker'),
});
export const CadencePoliciesView = pageOf(CadencePolicyView).extend({ defaults: z.array(CadencePolicyView).describe('The handbook’s cadences') });
export const LossReasonsView = pageOf(LossReasonView);
export const SalesPolicySettingsView = z.object({ policy: SalesPolicyDoc.required(), defaults: SalesPolicyDoc.required() });

export type CadencePolicy = z.output<typeof CadencePolicyView>;
export type LossReason = z.output<typeof LossReasonView>;
export type SalesPolicy = z.output<typeof SalesPolicySettingsView>['policy'];
export type CadencePolicies = z.output<typeof CadencePoliciesView>;
export type LossReasons = z.output<typeof LossReasonsView>;
export type Categories = z.output<typeof CategoriesView>;
export type CategoriesQuery = z.input<typeof CategoriesQuery>;
export type CategoryTreeNode = z.output<typeof CategoryNodeView>;
export type SalesPolicySettings = z.output<typeof SalesPolicySettingsView>;
export type CadencePolicyInput = z.input<typeof CadencePolicyDoc>;
export type LossReasonInput = z.input<typeof LossReasonDoc>;
export type SalesPolicyInput = z.input<typeof SalesPolicyDoc>;
export type BusinessCalendarDoc = z.output<typeof CalendarDoc>;
export type CalendarScheduleCoverage = z.output<typeof ScheduleCoverageView>;
export type CalendarImportInput = z.input<typeof CalendarImportBody>;
export type CalendarImportResult = z.output<typeof CalendarImportView>;
