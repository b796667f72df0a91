import { orNull, z } from '../http/zod.js';
import { coded } from '../http/schema-kit.js';
import { Id, PageQuery } from '../http/schema-kit.js';
import { auditEventPageOf, auditEventViewOf } from '../http/event-schemas.js';
import { Phone, CustomerView } from '../customers/schemas.js';
import { CASE_STATUSES, CASE_TYPES, CHANNELS, CLOCKS, SEVERITIES, TARGETS as TARGETS_FOR_VIEW, TIERS } from '../../domain/cases/types.js';
import { isCategoryCode } from '../../domain/cases/categories.js';
import type { EscalationState } from '../../workflows/cases/complaint-case.defs.js';
import { CaseWarrantyView } from '../warranty/schemas.js';

/** Escalation ids are `${caseId}:esc:${n}` (workflow contract). */
export const EscalationIdParams = z.object({ id: z.string().regex(/^[A-Za-z0-9-]{1,64}:esc:\d{1,6}$/, coded('ESCALATION_ID_FORMAT')) });

const Text = (max: number) => z.string().trim().min(1).max(max);
const CategoryCode = z.string().trim().max(200).refine(isCategoryCode, 'a category code such as complaint.quality.leakage');
const IsoInstant = z.iso.datetime({ offset: true });

export const OpenCaseBody = z
  .object({
    type: z.enum(CASE_TYPES),
    projectId: Id,
    unitId: Id.optional(),
    customer: z.object({ name: Text(60), phone: Phone }).optional().describe('A caller not yet registered: found or created by phone'),
    customerId: Id.optional().describe('A registered customer of your organisation (instead of `customer`)'),
    category: CategoryCode,
    severity: z.enum(SEVERITIES),
    channel: z.enum(CHANNELS),
    description: Text(4000),
    estimatedCost: z.number().nonnegative().max(1e10).optional().describe('Repairs above the project warranty authorisation amount start at COMPANY tier'),
    assigneeId: Id.optional().describe('An active handler or supervisor of the tier the case starts at'),
  })
  .superRefine((b, ctx) => {
    if (!b.customer === !b.customerId)
      ctx.addIssue({ code: 'custom', path: ['customer'], message: coded('CUSTOMER_OR_ID') });
  })
  .openapi('OpenCaseRequest');

/** What the case workflow records (EscalationState): the workflow's types hold no runtime list. */
export const ESCALATION_SOURCES = ['breach', 'handler', 'callback'] as const satisfies readonly EscalationState['source'][];
export const ESCALATION_STATUSES = ['pending', 'approved', 'rejected', 'auto_escalated'] as const satisfies readonly EscalationState['status'][];

/** Why a tier period began (TierPeriod.reason). */
export const PERIOD_REASONS = ['opened', 'escalated', 'reopened'] as const;

export const TargetPeriodView = z
  .object({
    index: z.number().int().describe('0 for the period the case opened in, then one per escalation or reopening'),
    tier: z.enum(TIERS),
    reason: z.enum(PERIOD_REASONS),
    current: z.boolean().describe('false: the current period owes no such target, and this is the last one met before (the first contact of a reopened case)'),
  })
  .openapi('SlaTargetPeriod');

export const TargetView = z
  .object({
    dueAt: z.string().nullable(),
    warnedAt: z.string().nullable(),
    metAt: z.string().nullable(),
    breachedAt: z.string().nullable(),
    pausedMs: z.number().int(),
    status: z.enum(['running', 'paused', 'met']).nullable().describe('null when only the stored read model was available and it does not say'),
    clock: z.enum(CLOCKS).nullable(),
    startedAt: z.string().nullable(),
    remainingMs: z.number().int().nullable().describe('Clock time left at the moment of the answer (negative once overrun)'),
    period: orNull(TargetPeriodView).describe('The tier period the target belongs to (null when the stored read model does not say)'),
  })
  .openapi('SlaTarget');

export const CasePeriodView = z
  .object({
    index: z.number().int(),
    tier: z.enum(TIERS),
    reason: z.enum(PERIOD_REASONS).describe('opened; escalated (fresh targets at the new tier); reopened (an unsatisfied callback: a fresh resolution target, no new first contact)'),
    enteredAt: z.string(),
  })
  .openapi('CasePeriod');

export const UnitRefView = z
  .object({
    id: z.string(),
    label: z.string().describe('Building and room as people say them, e.g. 1栋 302'),
    building: z.string(),
    room: z.string(),
  })
  .openapi('UnitRef');

export const SlaView = z
  .object({ firstContact: orNull(TargetView), resolution: orNull(TargetView), callback: orNull(TargetView) })
  .openapi('CaseSla');

export const EscalationView = z
  .object({
    id: z.string(),
    caseId: z.string(),
    caseNumber: z.string().nullable(),
    projectId: z.string().nullable(),
    fromTier: z.enum(TIERS),
    toTier: z.enum(TIERS),
    source: z.enum(ESCALATION_SOURCES),
    reason: z.string(),
    requestedBy: z.string(),
    requestedByName: z.string().nullable().describe('Display name of who asked (null for `system`: a breached target)'),
    requestedAt: z.string(),
    dueAt: z.string().describe('Undecided at this instant, the request escalates by itself'),
    status: z.enum(ESCALATION_STATUSES),
    decidedBy: z.string().nullable(),
    decidedByName: z.string().nullable().describe('Display name of the supervisor who decided (null when undecided, or decided by the system)'),
    decidedAt: z.string().nullable(),
    decisionNote: z.string().nullable(),
  })
  .openapi('Escalation');

export const CaseView = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    number: z.string(),
    type: z.enum(CASE_TYPES),
    status: z.enum(CASE_STATUSES),
    tier: z.enum(TIERS),
    severity: z.enum(SEVERITIES),
    category: z.string(),
    channel: z.enum(CHANNELS),
    groupId: z.string(),
    companyId: z.string(),
    projectId: z.string(),
    projectName: z.string().nullable(),
    unitId: z.string().nullable(),
    unit: orNull(UnitRefView).describe('The unit chosen at intake, by building and room'),
    customerId: z.string(),
    assigneeId: z.string().nullable(),
    assigneeName: z.string().nullable(),
    description: z.string(),
    estimatedCost: z.number().nullable(),
    policyId: z.string(),
    breached: z.boolean(),
    nextDueAt: z.string().nullable(),
    satisfaction: z.number().int().nullable(),
    firstContactMs: z.number().nullable(),
    resolutionMs: z.number().nullable(),
    openedById: z.string(),
    openedByName: z.string().nullable().describe('Display name of who opened the case (null for `system`: a sale\'s defects)'),
    openedAt: z.string(),
    contactedAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    sla: SlaView,
    period: orNull(CasePeriodView).describe('The tier period the case is in now (null when the stored read model does not say)'),
    live: z
      .boolean()
      .describe("true when status, tier and SLA are the workflow's own state (queried; for a case just opened, the first state it computes from the same input), false when from the stored read model"),
  })
  .openapi('Case');

/** A case as lists show it: with its customer (the phone masked per role); its unit is `unit`. */
export const CaseListItemView = CaseView.extend({
  customer: orNull(CustomerView),
}).openapi('CaseListItem');

export const ContactView = z
  .object({
    name: z.string(),
    phone: z.string().describe('Masked (138****8001) for roles that do not call customers back'),
    source: z.enum(['case', 'customer']).describe('case: the contact set on this case (PATCH contact); customer: the customer on record'),
  })
  .openapi('CaseContact');

export const CaseDetailView = CaseView.extend({
  customer: orNull(CustomerView),
  contact: orNull(ContactView).describe('Whom to call back about this case'),
  escalations: z.array(EscalationView),
  warranty: orNull(CaseWarrantyView).describe('保内/保外 of the part of the building the case is about, its end and clause; null for a category about no part (a service complaint, an enquiry)'),
}).openapi('CaseDetail');

const CsvOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));

export const ListCasesQuery = PageQuery.extend({
  status: CsvOf(CASE_STATUSES).optional().describe('One status or several, comma-separated'),
  tier: z.enum(TIERS).optional(),
  projectId: Id.optional(),
  customerId: Id.optional().describe('Only the cases of this customer (all of them: see getCustomerRecords for the first few)'),
  assigneeId: Id.optional().describe('A user id, or `me`'),
  openedBy: Id.optional().describe('Who opened the case: a user id, or `me` (an agent\'s own cases)'),
  breached: z.enum(['true', 'false']).optional(),
  queue: z.enum(['true', 'false']).optional().describe('true: only the cases your office works at their current tier'),
  from: IsoInstant.optional().describe('Opened at or after'),
  to: IsoInstant.optional().describe('Opened before'),
  q: z.string().trim().min(1).max(40).optional().describe("Part of the case number, or the customer's name, or their phone number (any format, four digits or more: 8888 6666, 0571-8888-6666)"),
  overdue: z
    .enum(['true'])
    .optional()
    .describe('Only cases late now: a target of the current tier breached and not met (a breach of an earlier tier, or one met late, no longer counts)'),
  dueWithinMinutes: z.coerce
    .number<number | string>()
    .int()
    .min(1)
    .max(10_080)
    .optional()
    .describe('Only cases whose next deadline (a running target) falls within this many minutes from now, e.g. 120'),
  sort: z.enum(['due', 'opened_desc', 'opened_asc']).default('due').describe('due: what breaches first (no deadline last)'),
});

/**
 * One event of a case's audit trail. `case.note_added` shows the note's `text`, `case.record_edited`
 * its `changes` (`description` / `contact`, each `{from, to}`; phones masked for roles that do not
 * call customers back): the workflow recorded them by id only.
 */
export const CaseEventView = auditEventViewOf('CaseEvent');
export const CaseEventPage = auditEventPageOf(CaseEventView);

export const NoteBody = z.object({ note: Text(2000) }).openapi('RecordContactRequest');
export const PauseBody = z.object({ reason: Text(500) }).openapi('PauseClockRequest');
export const EmptyBody = z.object({}).openapi('EmptyRequest');
export const ResolveBody = z.object({ resolution: Text(4000) }).openapi('ResolveCaseRequest');
export const CallbackBody = z
  .object({
    satisfaction: z.number().int().min(1).max(5),
    comment: z.string().trim().max(2000).optional(),
    escalate: z.boolean().optional().describe('Below the threshold: escalate instead of reopening at the same tier'),
  })
  .openapi('RecordCallbackRequest');
export const ContactBody = z.object({ name: Text(60), phone: Phone }).openapi('CaseContactInput');

export const ChangeCaseBody = z
  .object({
    severity: z.enum(SEVERITIES).optional(),
    category: CategoryCode.optional().describe('One of the categories of the case\'s type (GET /api/categories?type=)'),
    assigneeId: Id.optional(),
    description: Text(4000).optional().describe('Audited (case.record_edited) with what it was'),
    contact: ContactBody.nullable()
      .optional()
      .describe('Whom to call back about this case when not the customer on record; null: the customer again. Audited (case.record_edited)'),
  })
  .refine((b) => b.severity !== undefined || b.category !== undefined || b.assigneeId !== undefined || b.description !== undefined || b.contact !== undefined, {
    message: coded('NOTHING_TO_CHANGE'),
  })
  .openapi('ChangeCaseRequest');

export const AddNoteBody = z.object({ text: Text(4000) }).openapi('AddCaseNoteRequest');

export const CaseNoteView = z
  .object({
    id: z.string(),
    caseId: z.string(),
    seq: z.number().int().describe('Its event (case.note_added) in the case\'s audit trail'),
    text: z.string(),
    authorId: z.string(),
    authorName: z.string().nullable(),
    at: z.string(),
  })
  .openapi('CaseNote');

/** What a callback led to, and what comes next (domain/cases/case-readings.ts callbackOutcomeOf). */
export const CallbackOutcomeView = z
  .object({
    outcome: z.enum(['closed', 'reopened', 'escalated']).describe('closed: satisfied; reopened: back at the same tier with a fresh resolution target; escalated: reopened, and a request to move up awaits the next tier'),
    satisfaction: z.number().int().nullable(),
    tier: z.enum(TIERS).describe('The tier working the case now'),
    handler: z.object({ id: z.string(), name: z.string().nullable() }).nullable().describe('Who works the case now (null once closed, or while nobody is assigned)'),
    nextDeadline: z
      .object({ target: z.enum(TARGETS_FOR_VIEW), dueAt: z.string() })
      .nullable()
      .describe('The deadline that runs next: the fresh resolution target of a reopened case'),
    escalation: z
      .object({ id: z.string(), fromTier: z.enum(TIERS), toTier: z.enum(TIERS), dueAt: z.string().describe('Undecided at this instant, the case moves up by itself') })
      .nullable()
      .describe('The request the callback raised (outcome escalated): decided by a supervisor of toTier'),
  })
  .openapi('CallbackOutcome');

export const CallbackAnswerView = CaseView.extend({ callback: CallbackOutcomeView }).openapi('CaseAfterCallback');
export const EscalateBody = z.object({ reason: Text(2000) }).openapi('RequestEscalationRequest');
export const ApproveBody = z.object({ note: z.string().trim().max(2000).optional() }).openapi('ApproveEscalationRequest');
export const RejectBody = z.object({ reason: Text(2000) }).openapi('RejectEscalationRequest');

export const ListEscalationsQuery = PageQuery.extend({ status: z.enum(ESCALATION_STATUSES).optional(), caseId: Id.optional() });

export type SlaTarget = z.output<typeof TargetView>;
export type CaseSla = z.output<typeof SlaView>;
export type Case = z.output<typeof CaseView>;
export type CaseListItem = z.output<typeof CaseListItemView>;
export type CaseDetail = z.output<typeof CaseDetailView>;
export type CaseEvent = z.output<typeof CaseEventView>;
export type CaseEventPage = z.output<typeof CaseEventPage>;
export type CaseNote = z.output<typeof CaseNoteView>;
export type AddCaseNoteRequest = z.input<typeof AddNoteBody>;
export type CaseContact = z.output<typeof ContactView>;
export type CaseContactInput = z.input<typeof ContactBody>;
export type UnitRef = z.output<typeof UnitRefView>;
export type CasePeriod = z.output<typeof CasePeriodView>;
export type SlaTargetPeriod = z.output<typeof TargetPeriodView>;
export type CallbackOutcome = z.output<typeof CallbackOutcomeView>;
export type CaseAfterCallback = z.output<typeof CallbackAnswerView>;
export type Escalation = z.output<typeof EscalationView>;
export type OpenCaseRequest = z.input<typeof OpenCaseBody>;
export type ListCasesQuery = z.input<typeof ListCasesQuery>;
export type RecordContactRequest = z.input<typeof NoteBody>;
export type PauseClockRequest = z.input<typeof PauseBody>;
export type ResolveCaseRequest = z.input<typeof ResolveBody>;
export type RecordCallbackRequest = z.input<typeof CallbackBody>;
export type ChangeCaseRequest = z.input<typeof ChangeCaseBody>;
export type RequestEscalationRequest = z.input<typeof EscalateBody>;
export type ApproveEscalationRequest = z.input<typeof ApproveBody>;
export type RejectEscalationRequest = z.input<typeof RejectBody>;
export type ListEscalationsQuery = z.input<typeof ListEscalationsQuery>;
export type EscalationSource = (typeof ESCALATION_SOURCES)[number];
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];
