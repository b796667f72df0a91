import { orNull, z } from '../http/zod.js';
import { coded } from '../http/schema-kit.js';
import { Id, PageQuery } from '../http/schema-kit.js';
import { auditEventPageOf, auditEventViewOf } from '../http/event-schemas.js';
import { CustomerView, Phone } from '../customers/schemas.js';
import { PAYMENT_METHODS } from '../../domain/sales/types.js';
import { GRADES, LEAD_SOURCES, LEAD_STATUSES, OWNER_ROLES, REVIEW_DECISIONS, TOUCH_CHANNELS, TOUCH_OUTCOMES } from '../../domain/leads/types.js';


const Text = (max: number) => z.string().trim().min(1).max(max);
const IsoInstant = z.iso.datetime({ offset: true });

/**
 * An amount in CNY: a decimal string (preferred: no binary floats for money) or a JSON number,
 * positive, at most two decimals and twelve integer digits (the read model's DECIMAL(14,2)).
 * Normalised to a string with exactly two decimals, e.g. "2350000.00".
 */
export const Money = z
  .union([z.string().trim(), z.number()])
  .transform((v, ctx) => {
    const text = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
    const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: coded('AMOUNT_FORMAT') });
      return z.NEVER;
    }
    const normalised = `${BigInt(m[1]!).toString()}.${(m[2] ?? '').padEnd(2, '0')}`;
    if (normalised === '0.00') {
      ctx.addIssue({ code: 'custom', message: coded('TOO_SMALL_EXCLUSIVE'), params: { values: { minimum: 0 } } });
      return z.NEVER;
    }
    return normalised;
  })
  .describe('CNY as a decimal string ("2350000.00") or number; positive, at most 2 decimals');

/** Cents of a normalised Money string, for exact comparisons. */
export const centsOf = (money: string): bigint => BigInt(money.replace('.', ''));

export const CreateLeadBody = z
  .object({
    projectId: Id,
    customer: z.object({ name: Text(60), phone: Phone }).optional().describe('A prospect not yet registered: found or created by phone'),
    customerId: Id.optional().describe('A registered customer of your organisation (instead of `customer`)'),
    source: z.enum(LEAD_SOURCES),
    grade: z.enum(GRADES),
    ownerId: Id.optional().describe(
      'A member of the sales team who may own leads of this project. Sales staff and specialists may name only themselves; without it the lead goes round robin to the staff of the grade’s owner role, or to the pool when there is none',
    ),
    referrerCustomerId: Id.optional().describe('An existing owner (业主) of your organisation who referred this buyer (老带新)'),
    note: z.string().trim().max(2000).optional(),
  })
  .superRefine((b, ctx) => {
    if (!b.customer === !b.customerId)
      ctx.addIssue({ code: 'custom', path: ['customer'], message: coded('CUSTOMER_OR_ID') });
  })
  .openapi('CreateLeadRequest');

const LeadLossView = z
  .object({
    reason: z.string(),
    note: z.string().nullable(),
    lostAt: z.string().nullable(),
    lostBy: z.string().nullable(),
    decision: z.enum(REVIEW_DECISIONS).nullable().describe('The sales manager’s review; null while it is pending'),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
  })
  .openapi('LeadLoss');

const LeadConversionView = z
  .object({
    unitId: z.string(),
    price: z.string().describe('CNY, decimal string'),
    deposit: z.string().describe('CNY, decimal string'),
    convertedAt: z.string().nullable(),
    convertedBy: z.string().nullable(),
  })
  .openapi('LeadConversion');

export const LeadView = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    number: z.string(),
    groupId: z.string(),
    companyId: z.string(),
    projectId: z.string(),
    projectName: z.string().nullable(),
    customerId: z.string(),
    customer: orNull(CustomerView).describe('Phone masked unless your role calls customers back'),
    source: z.enum(LEAD_SOURCES),
    grade: z.enum(GRADES),
    status: z.enum(LEAD_STATUSES),
    ownerId: z.string().nullable().describe('null while the lead waits in the pool'),
    ownerName: z.string().nullable(),
    referrerCustomerId: z.string().nullable(),
    note: z.string().nullable(),
    createdById: z.string(),
    createdAt: z.string(),
    firstContactDueAt: z.string().describe('The first contact’s deadline as first set (“contacted within target”)'),
    firstContactMissedAt: z.string().nullable(),
    firstTouchAt: z.string().nullable(),
    lastTouchAt: z.string().nullable(),
    touchCount: z.number().int(),
    nextTouchDueAt: z.string().nullable().describe('When the next touch is due; null while pooled, lost or ended'),
    lapsesAt: z.string().nullable().describe('Untouched until then, the lead returns to the pool'),
    pooledAt: z.string().nullable(),
    loss: orNull(LeadLossView),
    conversion: orNull(LeadConversionView),
    closedAt: z.string().nullable(),
    saleId: z.string().nullable().describe('The sale the lead converted to (GET /api/sales/:id)'),
    live: z.boolean().describe('true when status, owner and cadence come from the running workflow itself, false when from the stored read model'),
  })
  .openapi('Lead');

export const LeadDetailView = LeadView.extend({
  referrer: orNull(CustomerView),
  cadence: z
    .object({ grade: z.enum(GRADES), firstContact: z.string(), interval: z.string(), lastsFor: z.string().nullable(), dropTo: z.enum(GRADES).nullable(), ownerRole: z.enum(OWNER_ROLES) })
    .nullable()
    .describe('The cadence the lead runs on now (its grade’s policy as the workflow holds it)'),
}).openapi('LeadDetail');

const CsvOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));

export const ListLeadsQuery = PageQuery.extend({
  ownerId: Id.optional().describe('A user id, or `me` (your own leads)'),
  status: CsvOf(LEAD_STATUSES).optional().describe('One status or several, comma-separated'),
  grade: CsvOf(GRADES).optional().describe('One grade or several, comma-separated'),
  source: CsvOf(LEAD_SOURCES).optional(),
  projectId: Id.optional(),
  customerId: Id.optional().describe('Only the leads of this customer (all of them: see getCustomerRecords for the first few)'),
  dueBefore: IsoInstant.optional().describe('Only leads whose next touch is due before this instant (today’s follow-ups: the end of today)'),
  q: z.string().trim().min(1).max(40).optional().describe("Part of the lead number, or the customer's name, or their phone number (any format, four digits or more)"),
  dueToday: z
    .enum(['true'])
    .optional()
    .describe('Only leads whose next touch is due before the end of today in their project’s time zone (overdue ones included)'),
  overdue: z.enum(['true']).optional().describe('Only leads whose next touch is overdue'),
});

export const LeadEventView = auditEventViewOf('LeadEvent');

/** The events of a page, with the names of the colleagues they mention (actors, owners): sales staff cannot read the staff list. */
export const LeadEventPage = auditEventPageOf(LeadEventView);

export const TouchBody = z
  .object({
    channel: z.enum(TOUCH_CHANNELS),
    outcome: z.enum(TOUCH_OUTCOMES),
    note: z.string().trim().max(2000).optional(),
    nextStep: z.string().trim().max(500).optional(),
  })
  .openapi('LogTouchRequest');
export const GradeBody = z.object({ grade: z.enum(GRADES) }).openapi('RegradeLeadRequest');
export const AssignBody = z.object({ ownerId: Id }).openapi('AssignLeadRequest');
export const ConvertBody = z
  .object({
    unitId: Id.describe('An available unit of the lead’s project: reserved by the sale this opens'),
    price: Money,
    deposit: Money,
    paymentMethod: z.enum(PAYMENT_METHODS).default('full').describe('How the buyer pays: full (全款) or mortgage (按揭); default full'),
  })
  .superRefine((b, ctx) => {
    if (centsOf(b.deposit) > centsOf(b.price)) ctx.addIssue({ code: 'custom', path: ['deposit'], message: coded('DEPOSIT_EXCEEDS_PRICE') });
  })
  .openapi('ConvertLeadRequest');
export const LostBody = z
  .object({ reason: z.string().trim().min(1).max(40).describe('An active loss reason code (GET /api/loss-reasons)'), note: z.string().trim().max(2000).optional() })
  .openapi('MarkLeadLostRequest');
export const ReviewBody = z
  .object({
    decision: z.enum(REVIEW_DECISIONS),
    ownerId: Id.optional().describe('The new owner: required with `reassign`, refused otherwise'),
  })
  .superRefine((b, ctx) => {
    if (b.decision === 'reassign' && !b.ownerId) ctx.addIssue({ code: 'custom', path: ['ownerId'], message: coded('REASSIGN_NEEDS_OWNER') });
    if (b.decision !== 'reassign' && b.ownerId) ctx.addIssue({ code: 'custom', path: ['ownerId'], message: coded('OWNER_ONLY_WITH_REASSIGN'), params: { values: { decision: b.decision } } });
  })
  .openapi('ReviewLostLeadRequest');

export type Lead = z.output<typeof LeadView>;
export type LeadLoss = z.output<typeof LeadLossView>;
export type LeadConversion = z.output<typeof LeadConversionView>;
export type LeadDetail = z.output<typeof LeadDetailView>;
export type LeadEvent = z.output<typeof LeadEventView>;
export type LeadEventPage = z.output<typeof LeadEventPage>;
export type CreateLeadRequest = z.input<typeof CreateLeadBody>;
export type ListLeadsQuery = z.input<typeof ListLeadsQuery>;
export type LogTouchRequest = z.input<typeof TouchBody>;
export type RegradeLeadRequest = z.input<typeof GradeBody>;
export type AssignLeadRequest = z.input<typeof AssignBody>;
export type ConvertLeadRequest = z.input<typeof ConvertBody>;
export type MarkLeadLostRequest = z.input<typeof LostBody>;
export type ReviewLostLeadRequest = z.input<typeof ReviewBody>;
