import { orNull, z } from '../http/zod.js';
import { coded } from '../http/schema-kit.js';
import { Id, PageQuery } from '../http/schema-kit.js';
import { auditEventPageOf, auditEventViewOf } from '../http/event-schemas.js';
import { CustomerView } from '../customers/schemas.js';
import { centsOf, Money } from '../leads/schemas.js';
import { APPROVAL_KINDS, MORTGAGE_EVENTS, PAYMENT_METHODS, SALE_STAGES } from '../../domain/sales/types.js';
import { DEADLINE_KINDS } from '../../domain/sales/sale-state.js';


const Text = (max: number) => z.string().trim().min(1).max(max);
const IsoInstant = z.iso.datetime({ offset: true });
const Area = z
  .union([z.string().trim(), z.number()])
  .transform((v, ctx) => {
    const text = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
    const m = /^(\d{1,8})(?:\.(\d{1,2}))?$/.exec(text);
    if (!m || Number(text) <= 0) {
      ctx.addIssue({ code: 'custom', message: coded('AREA_FORMAT') });
      return z.NEVER;
    }
    return `${BigInt(m[1]!).toString()}.${(m[2] ?? '').padEnd(2, '0')}`;
  })
  .describe('Square metres as a decimal string ("89.50") or number');

export const CreateSaleBody = z
  .object({
    customerId: Id.describe('The buyer: a customer of your organisation'),
    unitId: Id.describe('An available unit of a project in your scope; reserved at once (one live sale per unit)'),
    price: Money,
    deposit: Money.describe('The deposit (定金), counted toward the price'),
    paymentMethod: z.enum(PAYMENT_METHODS),
    leadId: Id.optional().describe('The lead this sale converts: the lead ends as converted and its referrer is credited when the sale completes'),
    ownerId: Id.optional().describe('The salesperson responsible (sales managers may name one; otherwise yourself, or the lead’s owner)'),
  })
  .superRefine((b, ctx) => {
    if (centsOf(b.deposit) > centsOf(b.price)) ctx.addIssue({ code: 'custom', path: ['deposit'], message: coded('DEPOSIT_EXCEEDS_PRICE') });
  })
  .openapi('CreateSaleRequest');

export const SaleDeadlineView = z
  .object({
    kind: z.enum(DEADLINE_KINDS),
    dueAt: z.string(),
    remindAt: z.string(),
    reminded: z.boolean(),
    missedAt: z.string().nullable().describe('When the deadline passed without the step (it stays open)'),
  })
  .openapi('SaleDeadline');

const Named = z.object({ id: z.string(), name: z.string().nullable() });

const SaleDefectView = z.object({ location: z.string(), description: z.string(), category: z.string() }).openapi('SaleDefect');

export const SaleApprovalView = z
  .object({
    id: z.string(),
    kind: z.enum(APPROVAL_KINDS),
    reason: z.string(),
    unitId: z.string().nullable(),
    buyerName: z.string().nullable(),
    requestedBy: z.string(),
    requestedAt: z.string(),
    status: z.enum(['pending', 'approved', 'rejected']),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    note: z.string().nullable(),
  })
  .openapi('SaleApproval');

export const SaleSummaryView = z
  .object({
    id: z.string(),
    number: z.string(),
    workflowId: z.string(),
    stage: z.enum(SALE_STAGES),
    paymentMethod: z.enum(PAYMENT_METHODS),
    project: Named,
    unit: z.object({ id: z.string(), number: z.string().nullable() }),
    customer: orNull(CustomerView).describe('Phone masked unless your role calls customers back'),
    buyerName: z.string().nullable().describe('The name on the contract after an approved rename; null means the customer’s own'),
    owner: Named,
    leadId: z.string().nullable(),
    price: z.string(),
    deposit: z.string(),
    paidTotal: z.string(),
    outstanding: z.string().describe('Price − paid so far, never below zero'),
    nextDeadline: z.object({ kind: z.enum(DEADLINE_KINDS), dueAt: z.string() }).nullable(),
    pendingApproval: z.enum(APPROVAL_KINDS).nullable(),
    createdAt: z.string(),
    closedAt: z.string().nullable(),
  })
  .openapi('SaleSummary');

export const SaleView = SaleSummaryView.extend({
  deadlines: z.array(SaleDeadlineView),
  referrerCustomerId: z.string().nullable(),
  contractArea: z.string(),
  contract: z.object({ contractNo: z.string(), signedAt: z.string() }).nullable(),
  filing: z.object({ filingNo: z.string(), filedAt: z.string() }).nullable(),
  mortgage: z
    .object({
      status: z.enum(['awaiting_documents', 'documents_submitted', 'approved', 'rejected', 'disbursed']),
      bank: z.string().nullable(),
      amount: z.string().nullable(),
      documentsAt: z.string().nullable(),
      decidedAt: z.string().nullable(),
      disbursedAt: z.string().nullable(),
    })
    .nullable(),
  payments: z.array(z.object({ amount: z.string(), paidAt: z.string(), source: z.enum(['deposit', 'buyer', 'bank']), recordedBy: z.string() })),
  deliveryDate: z.string(),
  inspectionAt: z.string().describe('When the pre-handover inspection opens (delivery − policy)'),
  nextProgressAt: z.string().nullable().describe('The next construction-progress email to the buyer'),
  inspection: z.object({ inspectedAt: z.string(), defects: z.array(SaleDefectView), caseIds: z.array(z.string()) }).nullable(),
  handover: z
    .object({
      handedOverAt: z.string(),
      keysIssued: z.number().int(),
      measuredArea: z.string(),
      areaSettlement: z.string().describe('Positive: the buyer pays; negative: refunded (CNY)'),
      areaDifferencePct: z.number(),
      beyondTolerance: z.boolean(),
      defects: z.array(SaleDefectView),
      caseIds: z.array(z.string()),
    })
    .nullable(),
  approvals: z.array(SaleApprovalView),
  cases: z
    .array(z.object({ id: z.string(), number: z.string(), status: z.string(), category: z.string(), description: z.string(), openedAt: z.string() }))
    .describe('Repair cases opened from the inspection or handover defects'),
  ownerRegistered: z.boolean().describe('The owner was registered with property management (move-in record)'),
  lapseReason: z.string().nullable(),
  cancelReason: z.string().nullable(),
  live: z.boolean().describe('true when stage and deadlines come from the running workflow, false when from the stored read model'),
}).openapi('Sale');

const CsvOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));

export const ListSalesQuery = PageQuery.extend({
  stage: CsvOf(SALE_STAGES).optional().describe('One stage or several, comma-separated'),
  projectId: Id.optional(),
  customerId: Id.optional().describe('Only the sales of this customer (all of them: see getCustomerRecords for the first few)'),
  ownerId: Id.optional().describe('A user id, or `me`'),
  dueBefore: IsoInstant.optional().describe('Only sales whose next deadline is before this instant'),
  pendingApproval: z.enum(['true']).optional().describe('Only sales waiting for a sales manager’s decision (the approval queue)'),
  q: z.string().trim().min(1).max(40).optional().describe("Part of the sale number, or the buyer's name, or their phone number (any format, four digits or more)"),
});

export const SaleEventView = auditEventViewOf('SaleEvent');
export const SaleEventPage = auditEventPageOf(SaleEventView);

export const ContractBody = z.object({ contractNo: Text(60), signedAt: IsoInstant.optional().describe('Defaults to now') }).openapi('SignContractRequest');
export const FilingBody = z.object({ filingNo: Text(60) }).openapi('RecordFilingRequest');
export const PaymentBody = z.object({ amount: Money, paidAt: IsoInstant.optional() }).openapi('RecordPaymentRequest');
export const MortgageBody = z
  .object({
    event: z.enum(MORTGAGE_EVENTS),
    bank: Text(60).optional().describe('Required with `approved`'),
    amount: Money.optional().describe('The approved loan (required with `approved`), or the disbursed amount'),
  })
  .superRefine((b, ctx) => {
    if (b.event === 'approved' && !b.bank) ctx.addIssue({ code: 'custom', path: ['bank'], message: coded('APPROVAL_NEEDS_BANK') });
    if (b.event === 'approved' && !b.amount) ctx.addIssue({ code: 'custom', path: ['amount'], message: coded('APPROVAL_NEEDS_AMOUNT') });
  })
  .openapi('RecordMortgageEventRequest');
export const PaymentMethodBody = z.object({ paymentMethod: z.enum(['full']).describe('After a rejected mortgage: full payment') }).openapi('ChangePaymentMethodRequest');
const Defect = z.object({ location: Text(120), description: Text(2000), category: Text(60).describe('A repair category of the case taxonomy (GET /api/categories)') });
export const InspectionBody = z.object({ defects: z.array(Defect).max(100).describe('Empty when nothing was found') }).openapi('RecordInspectionRequest');
export const HandoverBody = z
  .object({ keysIssued: z.number().int().min(1).max(50), measuredArea: Area, defects: z.array(Defect).max(100).optional() })
  .openapi('RecordHandoverRequest');
export const CancelBody = z.object({ reason: Text(500) }).openapi('RequestCancellationRequest');
export const ChangeUnitBody = z.object({ unitId: Id, reason: Text(500) }).openapi('RequestUnitChangeRequest');
export const RenameBody = z.object({ buyerName: Text(60), reason: Text(500) }).openapi('RequestRenameRequest');
export const ApprovalParams = z.object({ id: Id, approvalId: z.string().min(1).max(120) });
export const DecideApprovalBody = z.object({ decision: z.enum(['approve', 'reject']), note: z.string().trim().max(1000).optional() }).openapi('DecideSaleApprovalRequest');

export const ProgressNoteBody = z.object({ text: Text(4000) }).openapi('ProgressNoteRequest');
export const ProgressNoteView = z
  .object({ id: z.string(), projectId: z.string(), text: z.string(), createdById: z.string(), createdAt: z.string() })
  .openapi('ProgressNote');

export type SaleDeadline = z.output<typeof SaleDeadlineView>;
export type SaleDefect = z.output<typeof SaleDefectView>;
export type SaleApproval = z.output<typeof SaleApprovalView>;
export type SaleSummary = z.output<typeof SaleSummaryView>;
export type Sale = z.output<typeof SaleView>;
export type SaleEvent = z.output<typeof SaleEventView>;
export type SaleEventPage = z.output<typeof SaleEventPage>;
export type ProgressNote = z.output<typeof ProgressNoteView>;
export type CreateSaleRequest = z.input<typeof CreateSaleBody>;
export type ListSalesQuery = z.input<typeof ListSalesQuery>;
export type SignContractRequest = z.input<typeof ContractBody>;
export type RecordFilingRequest = z.input<typeof FilingBody>;
export type RecordPaymentRequest = z.input<typeof PaymentBody>;
export type RecordMortgageEventRequest = z.input<typeof MortgageBody>;
export type ChangePaymentMethodRequest = z.input<typeof PaymentMethodBody>;
export type RecordInspectionRequest = z.input<typeof InspectionBody>;
export type RecordHandoverRequest = z.input<typeof HandoverBody>;
export type RequestCancellationRequest = z.input<typeof CancelBody>;
export type RequestUnitChangeRequest = z.input<typeof ChangeUnitBody>;
export type RequestRenameRequest = z.input<typeof RenameBody>;
export type DecideSaleApprovalRequest = z.input<typeof DecideApprovalBody>;
export type ProgressNoteRequest = z.input<typeof ProgressNoteBody>;
