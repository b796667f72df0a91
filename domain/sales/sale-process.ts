/**
 * The rules of one sale (DESIGN.md section 3) as a pure reducer, from the deposit to the keys:
 * subscribed → contracted → paying | mortgage_pending → paid → inspection → handed_over (or lapsed /
 * cancelled). Usually a year or two, mostly asleep. The `saleLifecycle` workflow is wiring around
 * it (workflows/sales/sale-lifecycle.ts); the API reads the same state through the workflow's query.
 *
 * Decisions worth knowing (documented for the API and the console):
 * - Every step is a deadline (SaleDeadline) opened when the previous step is done, with a reminder
 *   to the owner `remindBefore` ahead. A missed contract deadline lapses the sale and releases the
 *   unit; any other missed deadline tells the owner and the sales managers and leaves the step
 *   open (a bank being late is no reason to end a sale).
 * - Signing opens the filing deadline and the payment one (full payment, or mortgage documents);
 *   the stage stays `contracted` until the first instalment (→ `paying`) or mortgage event
 *   (→ `mortgage_pending`). Filing is a parallel track and never gates the stage.
 * - The deposit (定金) counts toward the price. Full payment is `paid` once deposit + instalments
 *   cover the price; a mortgage is `paid` at disbursement (the loan is recorded as a bank payment).
 * - Construction-progress emails go to the buyer every `progressEvery` from subscription while
 *   before the delivery date; the inspection stage starts at delivery − `inspectionBeforeDelivery`
 *   once paid (at once when payment completes later than that).
 * - Defects (inspection or handover) open repair cases through an `openDefectCases` task, keyed by
 *   the event's seq; its answer `defectCasesOpened` keeps the case ids on the sale. A handover with
 *   defects ends the sale first: the answer still lands on the ended sale.
 * - Cancellation, unit change and rename wait for a sales manager's decision, one at a time.
 */
import { addCadence, addCadenceTimes, subtractIso } from '../leads/cadence.js';
import { isoOrNull as iso, isText, refuse, transition, type ActionBase, type Actor, type CommandOf, type Outbox, type Transition } from '../process.js';
import { settleAreaDifference } from './area-settlement.js';
import { fenToString, isAmount, toCentiSquareMetres, toFen } from './money.js';
import type { SalesPolicy } from './policy.js';
import type { DeadlineKind, DefectSource, SaleApproval, SaleDefect, SaleNotice, SaleState } from './sale-state.js';
import { APPROVAL_KINDS, isFinalSaleStage, isMortgageEvent, isPaymentMethod, type ApprovalKind, type MortgageEvent, type PaymentMethod, type SaleStage } from './types.js';

/** What opening a sale records (the workflow's input, less what only the wiring needs). */
export interface SaleOpening {
  saleId: string;
  saleNumber: string;
  /** The project's time zone: policy durations are added on its calendar (`P1M` = same day next month). */
  timeZone: string;
  unitId: string;
  /** The buyer. */
  customerId: string;
  /** The salesperson responsible for the sale: reminders go to them. */
  ownerId: string;
  leadId: string | null;
  referrerCustomerId: string | null;
  /** CNY, decimal strings (never binary floats for money). */
  price: string;
  deposit: string;
  paymentMethod: PaymentMethod;
  /** Contracted area in m², decimal string ("89.50"). */
  contractArea: string;
  /** The project's delivery date (epoch ms). */
  deliveryDate: number;
  policy: SalesPolicy;
  createdBy: Actor;
}

/** What people do to a sale, by name: the workflow's Updates, one to one, and their arguments. */
export interface SaleCommandArgs {
  signContract: ActionBase & { contractNo: string; signedAt?: number };
  recordFiling: ActionBase & { filingNo: string };
  recordPayment: ActionBase & { amount: string; paidAt?: number };
  recordMortgageEvent: ActionBase & { event: MortgageEvent; bank?: string; amount?: string };
  changePaymentMethod: ActionBase & { paymentMethod: PaymentMethod };
  recordInspection: ActionBase & { defects: SaleDefect[] };
  recordHandover: ActionBase & { keysIssued: number; measuredArea: string; defects?: SaleDefect[] };
  requestApproval: ActionBase & { kind: ApprovalKind; reason: string; unitId?: string; contractArea?: string; buyerName?: string };
  decideApproval: ActionBase & { approvalId: string; decision: 'approve' | 'reject'; note?: string };
}
export type SaleCommand = CommandOf<SaleCommandArgs>;

export type SaleAction =
  | SaleCommand
  /** The subscription: opens the contract deadline. */
  /** `at`: when the API opened the sale (the contract deadline counts from it); absent in sales started before issue 14. */
  | { type: 'subscribe'; actor: Actor; at?: number }
  /** Timers: record whatever is due now. */
  | { type: 'tick' }
  /** Answer to `openDefectCases`. */
  | { type: 'defectCasesOpened'; source: DefectSource; caseIds: string[] };

/** Work the sale needs from outside before it can go on. */
export type SaleTask = { kind: 'openDefectCases'; source: DefectSource; defects: SaleDefect[]; actor: Actor };

type Out = Outbox<SaleNotice, SaleTask>;

const POLICY_OF = {
  contract: 'contractWithin',
  filing: 'filingWithin',
  mortgage_documents: 'mortgageDocumentsWithin',
  bank_decision: 'bankDecisionWithin',
  disbursement: 'disbursementWithin',
  full_payment: 'fullPaymentWithin',
} as const satisfies Record<DeadlineKind, keyof SalesPolicy>;

const AFTER_CONTRACT = ['contracted', 'paying', 'mortgage_pending', 'paid', 'inspection'] as const satisfies readonly SaleStage[];

const hasRecipients = ({ recipients: r }: SaleNotice) => (r.userIds?.length ?? 0) > 0 || (r.customerIds?.length ?? 0) > 0 || r.salesManagers === true;

function zoneOf(s: SaleState): string {
  if (!s.timeZone) throw new RangeError(`sale ${s.saleNumber} has no time zone`);
  return s.timeZone;
}
const add = (s: SaleState, at: number, duration: string) => addCadence({ at, iso: duration, timeZone: zoneOf(s) });

/**
 * The next construction-progress email, while before delivery: the (progressCount + 1)-th step of
 * the policy's cadence from subscription, so monthly emails keep the subscription's day of the
 * month. Sales begun before that follow `from` (the email before) as they always did.
 */
function scheduleProgress(s: SaleState, from: number) {
  const every = s.policy.progressEvery;
  const next = s.progressAnchored ? addCadenceTimes({ at: s.createdAt, iso: every, times: s.progressCount + 1, timeZone: zoneOf(s) }) : add(s, from, every);
  s.nextProgressAt = next < s.deliveryDate ? next : null;
}

/**
 * The state of a sale just subscribed: the deposit paid, progress emails scheduled, no deadline
 * yet. `anchorProgress` is false only while replaying a sale begun before progress was anchored.
 */
export function initialSaleState(o: SaleOpening, now: number, { anchorProgress = true }: { anchorProgress?: boolean } = {}): SaleState {
  const s: SaleState = {
    saleId: o.saleId,
    saleNumber: o.saleNumber,
    stage: 'subscribed',
    paymentMethod: o.paymentMethod,
    unitId: o.unitId,
    customerId: o.customerId,
    buyerName: null,
    ownerId: o.ownerId,
    leadId: o.leadId,
    referrerCustomerId: o.referrerCustomerId,
    price: o.price,
    deposit: o.deposit,
    paidTotal: fenToString(toFen(o.deposit)),
    payments: [{ amount: o.deposit, paidAt: now, source: 'deposit', recordedBy: o.createdBy }],
    contractArea: o.contractArea,
    deliveryDate: o.deliveryDate,
    policy: o.policy,
    deadlines: [],
    contract: null,
    filing: null,
    mortgage: null,
    inspectionAt: subtractIso({ at: o.deliveryDate, iso: o.policy.inspectionBeforeDelivery, timeZone: o.timeZone }),
    nextProgressAt: null,
    progressCount: 0,
    inspection: null,
    handover: null,
    approvals: [],
    unitReleased: false,
    ownerRegistered: false,
    lapseReason: null,
    cancelReason: null,
    seq: 0,
    createdAt: now,
    closedAt: null,
    runs: 1,
    timeZone: o.timeZone,
    ...(anchorProgress ? { progressAnchored: true as const } : {}),
  };
  scheduleProgress(s, now);
  return s;
}

/** The state a new run continues with (continue-as-new): one run more, the time zone kept. */
export const continuedSaleState = (carried: SaleState, timeZone: string): SaleState => ({ ...carried, runs: carried.runs + 1, timeZone: carried.timeZone ?? timeZone });

// ------------------------------------------------------------------------------------------
// Readings

export const isSaleEnded = (s: Pick<SaleState, 'stage'>) => isFinalSaleStage(s.stage);

/** The approval requested last (what `requestApproval` answers). */
export const latestApproval = (s: Pick<SaleState, 'approvals'>): SaleApproval => ({ ...s.approvals[s.approvals.length - 1]! });

/** The next instant a timer must wake the sale: a reminder, a deadline, a progress email or the inspection. */
export function saleNextWakeAt(s: SaleState): number | null {
  if (isSaleEnded(s)) return null;
  const c: number[] = [];
  for (const d of s.deadlines) {
    if (!d.reminded) c.push(d.remindAt);
    if (d.missedAt === null) c.push(d.dueAt);
  }
  if (s.nextProgressAt !== null) c.push(s.nextProgressAt);
  if (s.stage === 'paid') c.push(s.inspectionAt);
  return c.length ? Math.min(...c) : null;
}

// ------------------------------------------------------------------------------------------
// Validation: refuse with a SALE_REJECTIONS code

function assertStage(s: SaleState, allowed: readonly string[], what: string) {
  if (!allowed.includes(s.stage)) refuse('SALE_WRONG_STAGE', `sale ${s.saleNumber} is ${s.stage}: ${what} needs ${allowed.join(' or ')}`);
}
function assertDefects(defects: unknown, required: boolean) {
  if (defects === undefined && !required) return;
  if (!Array.isArray(defects)) refuse('INVALID_ACTION', 'defects must be a list');
  for (const d of defects as unknown[]) {
    const x = d as Partial<SaleDefect> | null;
    if (!x || !isText(x.location) || !isText(x.description) || !isText(x.category)) refuse('INVALID_ACTION', 'each defect needs a location, description and category');
  }
}
function assertInstant(at: unknown) {
  if (at !== undefined && (typeof at !== 'number' || !Number.isFinite(at))) refuse('INVALID_ACTION', 'a time must be epoch milliseconds');
}
function assertArea(area: unknown, message: string) {
  try {
    toCentiSquareMetres(area as string);
  } catch {
    refuse('INVALID_ACTION', message);
  }
}

const MORTGAGE_STATUS_BEFORE = { documents_submitted: 'awaiting_documents', approved: 'documents_submitted', rejected: 'documents_submitted', disbursed: 'approved' } as const;

export function validateSaleCommand(s: SaleState, c: SaleCommand): void {
  if (!isText(c.actor)) refuse('INVALID_ACTION', 'the acting user is required');
  if (isSaleEnded(s)) refuse('SALE_ENDED', `sale ${s.saleNumber} is ${s.stage}`);
  switch (c.type) {
    case 'signContract':
      assertStage(s, ['subscribed'], 'signing the contract');
      if (!isText(c.contractNo)) refuse('INVALID_ACTION', 'a contract number is required');
      return assertInstant(c.signedAt);
    case 'recordFiling':
      assertStage(s, AFTER_CONTRACT, 'filing');
      if (s.filing) refuse('SALE_ALREADY_RECORDED', `sale ${s.saleNumber} was filed as ${s.filing.filingNo}`);
      if (!isText(c.filingNo)) refuse('INVALID_ACTION', 'a filing number is required');
      return;
    case 'recordPayment':
      assertStage(s, s.paymentMethod === 'full' ? ['contracted', 'paying'] : ['contracted', 'mortgage_pending'], 'recording a payment');
      if (!isAmount(c.amount) || toFen(c.amount) === 0) refuse('INVALID_ACTION', 'amount must be a positive amount in CNY with at most two decimals');
      return assertInstant(c.paidAt);
    case 'recordMortgageEvent': {
      const { event, bank, amount } = c;
      if (!isMortgageEvent(event)) refuse('INVALID_ACTION', 'event must be documents_submitted, approved, rejected or disbursed');
      if (s.paymentMethod !== 'mortgage') refuse('SALE_WRONG_PAYMENT_METHOD', `sale ${s.saleNumber} is paid in full, not by mortgage`);
      assertStage(s, ['contracted', 'mortgage_pending'], 'a mortgage event');
      const expected = MORTGAGE_STATUS_BEFORE[event];
      if (s.mortgage?.status !== expected) refuse('SALE_WRONG_STAGE', `the mortgage is ${s.mortgage?.status ?? 'not started'}: ${event} needs ${expected}`);
      if (event === 'approved' && (!isText(bank) || !isAmount(amount))) refuse('INVALID_ACTION', 'an approval needs the bank and the approved amount');
      if (amount !== undefined && !isAmount(amount)) refuse('INVALID_ACTION', 'amount must be an amount in CNY with at most two decimals');
      return;
    }
    case 'changePaymentMethod':
      if (!isPaymentMethod(c.paymentMethod)) refuse('INVALID_ACTION', 'paymentMethod must be full or mortgage');
      if (s.mortgage?.status !== 'rejected' || s.paymentMethod !== 'mortgage') refuse('SALE_NOT_REJECTED_MORTGAGE', `sale ${s.saleNumber} has no rejected mortgage to replace`);
      if (c.paymentMethod !== 'full') refuse('INVALID_ACTION', 'after a rejected mortgage the sale switches to full payment (or is cancelled)');
      return;
    case 'recordInspection':
      assertStage(s, ['inspection'], 'the pre-handover inspection');
      if (s.inspection) refuse('SALE_ALREADY_RECORDED', `sale ${s.saleNumber} was inspected already`);
      return assertDefects(c.defects, true);
    case 'recordHandover':
      assertStage(s, ['inspection'], 'the handover');
      if (!Number.isInteger(c.keysIssued) || c.keysIssued < 1) refuse('INVALID_ACTION', 'keysIssued must be a whole number of at least 1');
      assertArea(c.measuredArea, 'measuredArea must be square metres with at most two decimals');
      return assertDefects(c.defects, false);
    case 'requestApproval':
      if (!(APPROVAL_KINDS as readonly string[]).includes(c.kind)) refuse('INVALID_ACTION', `kind must be one of ${APPROVAL_KINDS.join(', ')}`);
      if (!isText(c.reason)) refuse('INVALID_ACTION', 'a reason is required');
      if (s.approvals.some((a) => a.status === 'pending')) refuse('SALE_APPROVAL_PENDING', `sale ${s.saleNumber} already waits for a sales manager's decision`);
      if (c.kind === 'change_unit') {
        if (!isText(c.unitId)) refuse('INVALID_ACTION', 'the new unit is required');
        if (c.unitId === s.unitId) refuse('INVALID_ACTION', 'the new unit is the current one');
        if (c.contractArea !== undefined) assertArea(c.contractArea, 'contractArea must be square metres with at most two decimals');
        assertStage(s, ['subscribed', 'contracted'], 'a unit change');
      }
      if (c.kind === 'rename' && !isText(c.buyerName)) refuse('INVALID_ACTION', "the buyer's new name is required");
      return;
    case 'decideApproval': {
      if (c.decision !== 'approve' && c.decision !== 'reject') refuse('INVALID_ACTION', 'decision must be approve or reject');
      const pending = s.approvals.find((x) => x.id === c.approvalId && x.status === 'pending');
      if (!pending) return refuse('SALE_APPROVAL_NOT_FOUND', `no pending approval ${String(c.approvalId)} on sale ${s.saleNumber}`);
      // The sale may have moved on while the request waited: a unit change is for a sale not yet being paid.
      if (c.decision === 'approve' && pending.kind === 'change_unit') assertStage(s, ['subscribed', 'contracted'], 'a unit change');
      return;
    }
  }
}

// ------------------------------------------------------------------------------------------
// Changes

const owner = (s: SaleState) => ({ userIds: [s.ownerId] });
const buyer = (s: SaleState) => ({ customerIds: [s.customerId] });

/** Opens (or reopens) a step's deadline from `from`; returns when it is due. */
function openDeadline(s: SaleState, kind: DeadlineKind, from: number): number {
  const dueAt = add(s, from, s.policy[POLICY_OF[kind]]);
  s.deadlines = s.deadlines.filter((d) => d.kind !== kind);
  s.deadlines.push({ kind, dueAt, remindAt: Math.max(from, subtractIso({ at: dueAt, iso: s.policy.remindBefore, timeZone: zoneOf(s) })), reminded: false, missedAt: null });
  return dueAt;
}
/** Closes a step's deadline; returns whether it was met (null when there was none). */
function closeDeadline(s: SaleState, kind: DeadlineKind, at: number): boolean | null {
  const d = s.deadlines.find((x) => x.kind === kind);
  if (!d) return null;
  s.deadlines = s.deadlines.filter((x) => x.kind !== kind);
  return at <= d.dueAt;
}
function end(s: SaleState, stage: 'lapsed' | 'cancelled' | 'handed_over', at: number) {
  s.stage = stage;
  s.deadlines = [];
  s.nextProgressAt = null;
  s.closedAt = at;
}
function enterPaid(s: SaleState, out: Out, at: number) {
  closeDeadline(s, 'full_payment', at);
  closeDeadline(s, 'disbursement', at);
  s.stage = 'paid';
  out.emit('sale.paid', 'system', { paidTotal: s.paidTotal, price: s.price, paymentMethod: s.paymentMethod });
}
function addPayment(s: SaleState, amount: string, paidAt: number, source: 'buyer' | 'bank', actor: Actor) {
  s.payments.push({ amount, paidAt, source, recordedBy: actor });
  s.paidTotal = fenToString(toFen(s.paidTotal) + toFen(amount));
}
const covered = (s: SaleState) => toFen(s.paidTotal) >= toFen(s.price);

/** Records what is due now: reminders, missed deadlines (a missed contract lapses the sale), progress emails, the inspection. */
function fireDue(s: SaleState, out: Out, now: number) {
  for (const d of [...s.deadlines]) {
    if (isSaleEnded(s)) break;
    if (!d.reminded && d.remindAt <= now && d.dueAt > now) {
      d.reminded = true;
      out.emit('sale.deadline_reminder', 'system', { deadline: d.kind, dueAt: iso(d.dueAt), ownerId: s.ownerId }, { kind: 'deadline_reminder', deadline: d.kind, dueAt: d.dueAt, recipients: owner(s) });
    }
    if (d.missedAt === null && d.dueAt <= now) {
      d.reminded = true;
      d.missedAt = now;
      if (d.kind === 'contract') {
        s.unitReleased = true;
        s.lapseReason = 'contract_deadline';
        end(s, 'lapsed', now);
        out.emit('sale.lapsed', 'system', { reason: 'contract_deadline', dueAt: iso(d.dueAt), unitId: s.unitId, unitReleased: true }, { kind: 'lapsed', recipients: { ...owner(s), salesManagers: true } });
      } else {
        out.emit('sale.deadline_missed', 'system', { deadline: d.kind, dueAt: iso(d.dueAt), ownerId: s.ownerId }, { kind: 'deadline_missed', deadline: d.kind, dueAt: d.dueAt, recipients: { ...owner(s), salesManagers: true } });
      }
    }
  }
  if (!isSaleEnded(s) && s.nextProgressAt !== null && s.nextProgressAt <= now) {
    s.progressCount++;
    out.emit('sale.progress_notice', 'system', { n: s.progressCount, deliveryDate: iso(s.deliveryDate) }, { kind: 'progress', recipients: buyer(s) });
    scheduleProgress(s, s.nextProgressAt);
  }
  if (s.stage === 'paid' && s.inspectionAt <= now) {
    s.stage = 'inspection';
    out.emit(
      'sale.inspection_due',
      'system',
      { inspectionAt: iso(s.inspectionAt), deliveryDate: iso(s.deliveryDate) },
      { kind: 'inspection_invitation', dueAt: s.deliveryDate, contactUserId: s.ownerId, recipients: { ...buyer(s), ...owner(s) } },
    );
  }
}

function recordMortgageEvent(s: SaleState, out: Out, a: Extract<SaleCommand, { type: 'recordMortgageEvent' }>, now: number) {
  const { actor, event, bank, amount } = a;
  const m = s.mortgage!;
  if (event === 'documents_submitted') {
    const withinDeadline = closeDeadline(s, 'mortgage_documents', now);
    m.status = 'documents_submitted';
    m.documentsAt = now;
    if (bank) m.bank = bank;
    s.stage = 'mortgage_pending';
    const dueAt = openDeadline(s, 'bank_decision', now);
    out.emit('sale.mortgage_documents_submitted', actor, { bank: m.bank, withinDeadline, decisionDueAt: iso(dueAt) });
  } else if (event === 'approved') {
    const withinDeadline = closeDeadline(s, 'bank_decision', now);
    m.status = 'approved';
    m.decidedAt = now;
    m.bank = bank!;
    m.amount = amount!;
    const dueAt = openDeadline(s, 'disbursement', now);
    out.emit('sale.mortgage_approved', actor, { bank: m.bank, amount: m.amount, withinDeadline, disbursementDueAt: iso(dueAt) });
  } else if (event === 'rejected') {
    const withinDeadline = closeDeadline(s, 'bank_decision', now);
    m.status = 'rejected';
    m.decidedAt = now;
    if (bank) m.bank = bank;
    out.emit('sale.mortgage_rejected', actor, { bank: m.bank, withinDeadline }, { kind: 'mortgage_rejected', recipients: { ...owner(s), salesManagers: true } });
  } else {
    const withinDeadline = closeDeadline(s, 'disbursement', now);
    m.status = 'disbursed';
    m.disbursedAt = now;
    const loan = amount ?? m.amount!;
    addPayment(s, loan, now, 'bank', actor);
    const outstanding = covered(s) ? '0.00' : fenToString(toFen(s.price) - toFen(s.paidTotal));
    out.emit('sale.mortgage_disbursed', actor, { bank: m.bank, amount: loan, withinDeadline, paidTotal: s.paidTotal, outstanding });
    enterPaid(s, out, now);
  }
}

function recordHandover(s: SaleState, out: Out, a: Extract<SaleCommand, { type: 'recordHandover' }>, now: number) {
  const { actor, keysIssued, measuredArea, defects = [] } = a;
  const settled = settleAreaDifference({ contractPrice: s.price, contractArea: s.contractArea, measuredArea });
  const areaSettlement = fenToString(settled.amountFen);
  s.handover = { handedOverAt: now, keysIssued, measuredArea, areaSettlement, areaDifferencePct: settled.differencePct, beyondTolerance: settled.beyondTolerance, defects, caseIds: [], recordedBy: actor };
  s.ownerRegistered = true;
  end(s, 'handed_over', now);
  out.emit(
    'sale.handed_over',
    actor,
    {
      keysIssued,
      contractArea: s.contractArea,
      measuredArea,
      areaSettlement,
      settlementDirection: settled.amountFen > 0 ? 'buyer_pays' : settled.amountFen < 0 ? 'refund' : 'none',
      areaDifferencePct: settled.differencePct,
      beyondTolerance: settled.beyondTolerance,
      defects: defects.length,
      ownerRegistered: true,
      customerId: s.customerId,
      referrerCustomerId: s.referrerCustomerId,
      leadId: s.leadId,
    },
    { kind: 'handed_over', contactUserId: s.ownerId, recipients: buyer(s) },
  );
  if (defects.length) out.task({ kind: 'openDefectCases', source: 'handover', defects, actor });
}

function decideApproval(s: SaleState, out: Out, c: Extract<SaleCommand, { type: 'decideApproval' }>, now: number) {
  const { actor, approvalId, decision } = c;
  const a = s.approvals.find((x) => x.id === approvalId)!;
  a.status = decision === 'approve' ? 'approved' : 'rejected';
  a.decidedBy = actor;
  a.decidedAt = now;
  a.note = c.note ?? null;
  out.emit('sale.approval_decided', actor, { approvalId, kind: a.kind, decision, note: a.note }, { kind: 'approval_decided', recipients: { userIds: [...new Set([s.ownerId, a.requestedBy])] } });
  if (decision !== 'approve') return;
  if (a.kind === 'cancel') {
    s.unitReleased = true;
    s.cancelReason = a.reason;
    end(s, 'cancelled', now);
    out.emit('sale.cancelled', actor, { reason: a.reason, approvalId, unitId: s.unitId, unitReleased: true }, { kind: 'cancelled', recipients: { ...owner(s), ...buyer(s) } });
  } else if (a.kind === 'change_unit') {
    const previousUnitId = s.unitId;
    const previousContractArea = s.contractArea;
    s.unitId = a.unitId!;
    if (a.contractArea) s.contractArea = a.contractArea;
    out.emit('sale.unit_changed', actor, { previousUnitId, unitId: s.unitId, previousContractArea, contractArea: s.contractArea, previousUnitReleased: true, reason: a.reason, approvalId });
  } else {
    const previousBuyerName = s.buyerName;
    s.buyerName = a.buyerName;
    out.emit('sale.renamed', actor, { previousBuyerName, buyerName: s.buyerName, reason: a.reason, approvalId });
  }
}

/** The sale's reducer. Commands are assumed valid (`validateSaleCommand` ran first). */
export function reduceSale(state: SaleState, action: SaleAction, now: number): Transition<SaleState, SaleNotice, SaleTask> {
  return transition<SaleState, SaleNotice, SaleTask>(
    state,
    (s, out) => {
      switch (action.type) {
        case 'subscribe': {
          const dueAt = openDeadline(s, 'contract', action.at ?? now);
          out.emit(
            'sale.subscribed',
            action.actor,
            {
              saleNumber: s.saleNumber,
              unitId: s.unitId,
              customerId: s.customerId,
              ownerId: s.ownerId,
              leadId: s.leadId,
              referrerCustomerId: s.referrerCustomerId,
              price: s.price,
              deposit: s.deposit,
              paymentMethod: s.paymentMethod,
              contractDueAt: iso(dueAt),
              deliveryDate: iso(s.deliveryDate),
            },
            { kind: 'subscribed', dueAt, contactUserId: s.ownerId, recipients: buyer(s) },
          );
          return;
        }
        case 'tick':
          return fireDue(s, out, now);
        case 'defectCasesOpened': {
          const target = action.source === 'inspection' ? s.inspection : s.handover;
          if (target) target.caseIds = [...target.caseIds, ...action.caseIds];
          out.emit('sale.defect_cases_opened', 'system', { source: action.source, caseIds: action.caseIds });
          return;
        }
        case 'signContract': {
          const { actor, contractNo } = action;
          const at = action.signedAt ?? now;
          const withinDeadline = closeDeadline(s, 'contract', now);
          s.contract = { contractNo, signedAt: at, recordedBy: actor };
          s.stage = 'contracted';
          const filingDueAt = openDeadline(s, 'filing', now);
          const paymentDueAt = openDeadline(s, s.paymentMethod === 'full' ? 'full_payment' : 'mortgage_documents', now);
          if (s.paymentMethod === 'mortgage') s.mortgage = { status: 'awaiting_documents', bank: null, amount: null, documentsAt: null, decidedAt: null, disbursedAt: null };
          out.emit('sale.contract_signed', actor, { contractNo, signedAt: iso(at), withinDeadline, filingDueAt: iso(filingDueAt), paymentDueAt: iso(paymentDueAt), paymentMethod: s.paymentMethod });
          out.emit('sale.welcome_letter', 'system', { customerId: s.customerId, contactUserId: s.ownerId }, { kind: 'welcome_letter', contactUserId: s.ownerId, dueAt: paymentDueAt, recipients: buyer(s) });
          return;
        }
        case 'recordFiling': {
          const withinDeadline = closeDeadline(s, 'filing', now);
          s.filing = { filingNo: action.filingNo, filedAt: now, recordedBy: action.actor };
          out.emit('sale.filed', action.actor, { filingNo: action.filingNo, withinDeadline });
          return;
        }
        case 'recordPayment': {
          const { actor, amount } = action;
          const paidAt = action.paidAt ?? now;
          addPayment(s, amount, paidAt, 'buyer', actor);
          out.emit('sale.payment_recorded', actor, { amount, paidAt: iso(paidAt), paidTotal: s.paidTotal, price: s.price });
          if (s.paymentMethod === 'full') {
            if (s.stage === 'contracted') s.stage = 'paying';
            if (covered(s)) enterPaid(s, out, now);
          }
          return;
        }
        case 'recordMortgageEvent':
          return recordMortgageEvent(s, out, action, now);
        case 'changePaymentMethod': {
          const from = s.paymentMethod;
          s.paymentMethod = action.paymentMethod;
          s.stage = 'paying';
          const dueAt = openDeadline(s, 'full_payment', now);
          out.emit('sale.payment_method_changed', action.actor, { from, to: action.paymentMethod, reason: 'mortgage_rejected', paymentDueAt: iso(dueAt) });
          if (covered(s)) enterPaid(s, out, now);
          return;
        }
        case 'recordInspection': {
          const { actor, defects } = action;
          s.inspection = { inspectedAt: now, defects, caseIds: [], recordedBy: actor };
          out.emit('sale.inspected', actor, { defects: defects.length });
          if (defects.length) out.task({ kind: 'openDefectCases', source: 'inspection', defects, actor });
          return;
        }
        case 'recordHandover':
          return recordHandover(s, out, action, now);
        case 'requestApproval': {
          const { actor, kind, reason } = action;
          const approval: SaleApproval = {
            id: `${s.saleId}:apr:${s.approvals.length + 1}`,
            kind,
            reason,
            unitId: kind === 'change_unit' ? action.unitId! : null,
            contractArea: kind === 'change_unit' ? (action.contractArea ?? null) : null,
            buyerName: kind === 'rename' ? action.buyerName! : null,
            requestedBy: actor,
            requestedAt: now,
            status: 'pending',
            decidedBy: null,
            decidedAt: null,
            note: null,
          };
          s.approvals.push(approval);
          out.emit(
            'sale.approval_requested',
            actor,
            { approvalId: approval.id, kind, reason, unitId: approval.unitId, buyerName: approval.buyerName },
            { kind: 'approval_requested', recipients: { salesManagers: true } },
          );
          return;
        }
        case 'decideApproval':
          return decideApproval(s, out, action, now);
      }
    },
    hasRecipients,
  );
}
