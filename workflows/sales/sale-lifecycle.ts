import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { allHandlersFinished, ApplicationFailure, condition, continueAsNew, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { DateTime, Duration } from 'luxon';
import { addCadence } from '../../domain/leads/cadence.js';
import { settleAreaDifference } from '../../domain/sales/area-settlement.js';
import { fenToString, isAmount, toCentiSquareMetres, toFen } from '../../domain/sales/money.js';
import { APPROVAL_KINDS, isFinalSaleStage, isMortgageEvent, isPaymentMethod, type ApprovalKind } from '../../domain/sales/types.js';
import { NON_RETRYABLE_FAILURE_TYPES } from '../failures.js';
import {
  changePaymentMethod,
  decideApproval,
  getSaleState,
  recordFiling,
  recordHandover,
  recordInspection,
  recordMortgageEvent,
  recordPayment,
  requestApproval,
  signContract,
  type Actor,
  type DeadlineKind,
  type NotifySalePartiesInput,
  type SaleActivities,
  type SaleApproval,
  type SaleDefect,
  type SaleLifecycleInput,
  type SaleRejection,
  type SaleState,
} from './sale-lifecycle.defs.js';

// Idempotent writes against PostgreSQL: keep retrying through an outage, backing off to a minute.
const { recordAuditEvent, projectSale, openDefectCases } = proxyActivities<SaleActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES] },
});
const { notifySaleParties } = proxyActivities<SaleActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES] },
});

/** Typed keys of the search attributes registered in platform/temporal/search-attributes.ts: ids and states only. */
export const SALE_SEARCH_ATTRIBUTES = {
  SaleStage: defineSearchAttributeKey('SaleStage', SearchAttributeType.KEYWORD),
  ProjectId: defineSearchAttributeKey('ProjectId', SearchAttributeType.KEYWORD),
  AssigneeId: defineSearchAttributeKey('AssigneeId', SearchAttributeType.KEYWORD),
} as const;

const DEFAULT_HISTORY_LIMIT = 2_000;

type AuditData = Record<string, string | number | boolean | null | string[]>;
type NoticeSpec = Pick<NotifySalePartiesInput, 'kind' | 'deadline' | 'dueAt' | 'contactUserId' | 'recipients'>;
type Effect =
  | { kind: 'audit'; seq: number; type: string; actor: Actor; at: number; data: AuditData }
  | { kind: 'notify'; seq: number; notice: NoticeSpec }
  | { kind: 'defects'; seq: number; source: 'inspection' | 'handover'; defects: SaleDefect[]; actor: Actor };

function reject(type: SaleRejection, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** Subtracts an ISO 8601 duration on the calendar of `timeZone` (addCadence's mirror). */
function subtractIso({ at, iso, timeZone }: { at: number; iso: string; timeZone: string }): number {
  const d = Duration.fromISO(iso);
  if (!d.isValid || !Number.isFinite(at)) throw new RangeError(`cannot subtract ${iso} from ${at}`);
  return DateTime.fromMillis(at, { zone: timeZone }).minus(d).toMillis();
}

const POLICY_OF = {
  contract: 'contractWithin',
  filing: 'filingWithin',
  mortgage_documents: 'mortgageDocumentsWithin',
  bank_decision: 'bankDecisionWithin',
  disbursement: 'disbursementWithin',
  full_payment: 'fullPaymentWithin',
} as const satisfies Record<DeadlineKind, string>;

/**
 * One sale, from the deposit to the keys: subscribed → contracted → paying | mortgage_pending →
 * paid → inspection → handed_over (or lapsed / cancelled). Usually a year or two, mostly asleep.
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
 * - Defects (inspection or handover) open repair cases through `openDefectCases`, keyed by the
 *   event's seq; the returned case ids are kept on the sale.
 * - Cancellation, unit change and rename wait for a sales manager's decision, one at a time.
 */
export async function saleLifecycle(input: SaleLifecycleInput): Promise<SaleState> {
  const workflowId = workflowInfo().workflowId;
  const now0 = Date.now();
  const { timeZone } = input;

  const state: SaleState = input.carried
    ? { ...input.carried, runs: input.carried.runs + 1 }
    : {
        saleId: input.saleId,
        saleNumber: input.saleNumber,
        stage: 'subscribed',
        paymentMethod: input.paymentMethod,
        unitId: input.unitId,
        customerId: input.customerId,
        buyerName: null,
        ownerId: input.ownerId,
        leadId: input.leadId,
        referrerCustomerId: input.referrerCustomerId,
        price: input.price,
        deposit: input.deposit,
        paidTotal: fenToString(toFen(input.deposit)),
        payments: [{ amount: input.deposit, paidAt: now0, source: 'deposit', recordedBy: input.createdBy }],
        contractArea: input.contractArea,
        deliveryDate: input.deliveryDate,
        policy: input.policy,
        deadlines: [],
        contract: null,
        filing: null,
        mortgage: null,
        inspectionAt: subtractIso({ at: input.deliveryDate, iso: input.policy.inspectionBeforeDelivery, timeZone }),
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
        createdAt: now0,
        closedAt: null,
        runs: 1,
      };

  const queue: Effect[] = [];
  let projectedSeq = input.carried ? input.carried.seq : 0;

  const emit = (type: string, actor: Actor, data: AuditData, notice?: NoticeSpec) => {
    const seq = ++state.seq;
    queue.push({ kind: 'audit', seq, type, actor, at: Date.now(), data });
    const r = notice?.recipients;
    if (notice && r && ((r.userIds?.length ?? 0) > 0 || (r.customerIds?.length ?? 0) > 0 || r.salesManagers)) queue.push({ kind: 'notify', seq, notice });
    return seq;
  };
  const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
  const snapshot = (): SaleState => JSON.parse(JSON.stringify(state)) as SaleState;
  const isEnded = () => isFinalSaleStage(state.stage);
  const owner = () => ({ userIds: [state.ownerId] });
  const buyer = () => ({ customerIds: [state.customerId] });
  const add = (at: number, duration: string) => addCadence({ at, iso: duration, timeZone });

  // ------------------------------------------------------------------------------------------
  // Deadlines

  const openDeadline = (kind: DeadlineKind, from: number) => {
    const dueAt = add(from, state.policy[POLICY_OF[kind]]);
    state.deadlines = state.deadlines.filter((d) => d.kind !== kind);
    state.deadlines.push({ kind, dueAt, remindAt: Math.max(from, subtractIso({ at: dueAt, iso: state.policy.remindBefore, timeZone })), reminded: false, missedAt: null });
    return dueAt;
  };
  /** Closes a step's deadline; returns whether it was met (null when there was none). */
  const closeDeadline = (kind: DeadlineKind, at: number): boolean | null => {
    const d = state.deadlines.find((x) => x.kind === kind);
    if (!d) return null;
    state.deadlines = state.deadlines.filter((x) => x.kind !== kind);
    return at <= d.dueAt;
  };
  const releaseUnit = () => {
    state.unitReleased = true;
  };
  const end = (stage: 'lapsed' | 'cancelled' | 'handed_over', at: number) => {
    state.stage = stage;
    state.deadlines = [];
    state.nextProgressAt = null;
    state.closedAt = at;
  };
  const scheduleProgress = (from: number) => {
    const next = add(from, state.policy.progressEvery);
    state.nextProgressAt = next < state.deliveryDate ? next : null;
  };
  if (!input.carried) scheduleProgress(now0);

  const enterPaid = (at: number) => {
    closeDeadline('full_payment', at);
    closeDeadline('disbursement', at);
    state.stage = 'paid';
    emit('sale.paid', 'system', { paidTotal: state.paidTotal, price: state.price, paymentMethod: state.paymentMethod });
  };
  const addPayment = (amount: string, paidAt: number, source: 'buyer' | 'bank', actor: Actor) => {
    state.payments.push({ amount, paidAt, source, recordedBy: actor });
    state.paidTotal = fenToString(toFen(state.paidTotal) + toFen(amount));
  };
  const covered = () => toFen(state.paidTotal) >= toFen(state.price);

  // ------------------------------------------------------------------------------------------
  // Timers: record what is due now. Returns whether anything was.

  const fireDue = (): boolean => {
    const now = Date.now();
    let fired = false;
    for (const d of [...state.deadlines]) {
      if (isEnded()) break;
      if (!d.reminded && d.remindAt <= now && d.dueAt > now) {
        fired = true;
        d.reminded = true;
        emit('sale.deadline_reminder', 'system', { deadline: d.kind, dueAt: iso(d.dueAt), ownerId: state.ownerId }, { kind: 'deadline_reminder', deadline: d.kind, dueAt: d.dueAt, recipients: owner() });
      }
      if (d.missedAt === null && d.dueAt <= now) {
        fired = true;
        d.reminded = true;
        d.missedAt = now;
        if (d.kind === 'contract') {
          releaseUnit();
          state.lapseReason = 'contract_deadline';
          end('lapsed', now);
          emit('sale.lapsed', 'system', { reason: 'contract_deadline', dueAt: iso(d.dueAt), unitId: state.unitId, unitReleased: true }, { kind: 'lapsed', recipients: { ...owner(), salesManagers: true } });
        } else {
          emit('sale.deadline_missed', 'system', { deadline: d.kind, dueAt: iso(d.dueAt), ownerId: state.ownerId }, { kind: 'deadline_missed', deadline: d.kind, dueAt: d.dueAt, recipients: { ...owner(), salesManagers: true } });
        }
      }
    }
    if (!isEnded() && state.nextProgressAt !== null && state.nextProgressAt <= now) {
      fired = true;
      state.progressCount++;
      emit('sale.progress_notice', 'system', { n: state.progressCount, deliveryDate: iso(state.deliveryDate) }, { kind: 'progress', recipients: buyer() });
      scheduleProgress(state.nextProgressAt);
    }
    if (state.stage === 'paid' && state.inspectionAt <= now) {
      fired = true;
      state.stage = 'inspection';
      emit('sale.inspection_due', 'system', { inspectionAt: iso(state.inspectionAt), deliveryDate: iso(state.deliveryDate) }, { kind: 'inspection_invitation', dueAt: state.deliveryDate, contactUserId: state.ownerId, recipients: { ...buyer(), ...owner() } });
    }
    return fired;
  };

  const nextWakeAt = (): number | null => {
    if (isEnded()) return null;
    const c: number[] = [];
    for (const d of state.deadlines) {
      if (!d.reminded) c.push(d.remindAt);
      if (d.missedAt === null) c.push(d.dueAt);
    }
    if (state.nextProgressAt !== null) c.push(state.nextProgressAt);
    if (state.stage === 'paid') c.push(state.inspectionAt);
    return c.length ? Math.min(...c) : null;
  };

  // ------------------------------------------------------------------------------------------
  // Validators

  const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
  const assertOpen = (actor: unknown) => {
    if (!nonEmpty(actor)) reject('INVALID_ACTION', 'the acting user is required');
    if (isEnded()) reject('SALE_ENDED', `sale ${state.saleNumber} is ${state.stage}`);
  };
  const assertStage = (allowed: readonly string[], what: string) => {
    if (!allowed.includes(state.stage)) reject('SALE_WRONG_STAGE', `sale ${state.saleNumber} is ${state.stage}: ${what} needs ${allowed.join(' or ')}`);
  };
  const assertDefects = (defects: unknown, required: boolean) => {
    if (defects === undefined && !required) return;
    if (!Array.isArray(defects)) reject('INVALID_ACTION', 'defects must be a list');
    for (const d of defects as unknown[]) {
      const x = d as Partial<SaleDefect> | null;
      if (!x || !nonEmpty(x.location) || !nonEmpty(x.description) || !nonEmpty(x.category)) reject('INVALID_ACTION', 'each defect needs a location, description and category');
    }
  };
  const assertInstant = (at: unknown) => {
    if (at !== undefined && (typeof at !== 'number' || !Number.isFinite(at))) reject('INVALID_ACTION', 'a time must be epoch milliseconds');
  };
  const AFTER_CONTRACT = ['contracted', 'paying', 'mortgage_pending', 'paid', 'inspection'] as const;

  // ------------------------------------------------------------------------------------------
  // Updates

  setHandler(
    signContract,
    ({ actor, contractNo, signedAt }) => {
      const now = Date.now();
      const at = signedAt ?? now;
      const withinDeadline = closeDeadline('contract', now);
      state.contract = { contractNo, signedAt: at, recordedBy: actor };
      state.stage = 'contracted';
      const filingDueAt = openDeadline('filing', now);
      const paymentDueAt = openDeadline(state.paymentMethod === 'full' ? 'full_payment' : 'mortgage_documents', now);
      if (state.paymentMethod === 'mortgage') state.mortgage = { status: 'awaiting_documents', bank: null, amount: null, documentsAt: null, decidedAt: null, disbursedAt: null };
      emit('sale.contract_signed', actor, { contractNo, signedAt: iso(at), withinDeadline, filingDueAt: iso(filingDueAt), paymentDueAt: iso(paymentDueAt), paymentMethod: state.paymentMethod });
      emit('sale.welcome_letter', 'system', { customerId: state.customerId, contactUserId: state.ownerId }, { kind: 'welcome_letter', contactUserId: state.ownerId, dueAt: paymentDueAt, recipients: buyer() });
      return snapshot();
    },
    {
      validator: ({ actor, contractNo, signedAt }) => {
        assertOpen(actor);
        assertStage(['subscribed'], 'signing the contract');
        if (!nonEmpty(contractNo)) reject('INVALID_ACTION', 'a contract number is required');
        assertInstant(signedAt);
      },
    },
  );

  setHandler(
    recordFiling,
    ({ actor, filingNo }) => {
      const now = Date.now();
      const withinDeadline = closeDeadline('filing', now);
      state.filing = { filingNo, filedAt: now, recordedBy: actor };
      emit('sale.filed', actor, { filingNo, withinDeadline });
      return snapshot();
    },
    {
      validator: ({ actor, filingNo }) => {
        assertOpen(actor);
        assertStage(AFTER_CONTRACT, 'filing');
        if (state.filing) reject('SALE_ALREADY_RECORDED', `sale ${state.saleNumber} was filed as ${state.filing.filingNo}`);
        if (!nonEmpty(filingNo)) reject('INVALID_ACTION', 'a filing number is required');
      },
    },
  );

  setHandler(
    recordPayment,
    ({ actor, amount, paidAt }) => {
      const now = Date.now();
      addPayment(amount, paidAt ?? now, 'buyer', actor);
      emit('sale.payment_recorded', actor, { amount, paidAt: iso(paidAt ?? now), paidTotal: state.paidTotal, price: state.price });
      if (state.paymentMethod === 'full') {
        if (state.stage === 'contracted') state.stage = 'paying';
        if (covered()) enterPaid(now);
      }
      return snapshot();
    },
    {
      validator: ({ actor, amount, paidAt }) => {
        assertOpen(actor);
        assertStage(state.paymentMethod === 'full' ? ['contracted', 'paying'] : ['contracted', 'mortgage_pending'], 'recording a payment');
        if (!isAmount(amount) || toFen(amount) === 0) reject('INVALID_ACTION', 'amount must be a positive amount in CNY with at most two decimals');
        assertInstant(paidAt);
      },
    },
  );

  setHandler(
    recordMortgageEvent,
    ({ actor, event, bank, amount }) => {
      const now = Date.now();
      const m = state.mortgage!;
      if (event === 'documents_submitted') {
        const withinDeadline = closeDeadline('mortgage_documents', now);
        m.status = 'documents_submitted';
        m.documentsAt = now;
        if (bank) m.bank = bank;
        state.stage = 'mortgage_pending';
        const dueAt = openDeadline('bank_decision', now);
        emit('sale.mortgage_documents_submitted', actor, { bank: m.bank, withinDeadline, decisionDueAt: iso(dueAt) });
      } else if (event === 'approved') {
        const withinDeadline = closeDeadline('bank_decision', now);
        m.status = 'approved';
        m.decidedAt = now;
        m.bank = bank!;
        m.amount = amount!;
        const dueAt = openDeadline('disbursement', now);
        emit('sale.mortgage_approved', actor, { bank: m.bank, amount: m.amount, withinDeadline, disbursementDueAt: iso(dueAt) });
      } else if (event === 'rejected') {
        const withinDeadline = closeDeadline('bank_decision', now);
        m.status = 'rejected';
        m.decidedAt = now;
        if (bank) m.bank = bank;
        emit('sale.mortgage_rejected', actor, { bank: m.bank, withinDeadline }, { kind: 'mortgage_rejected', recipients: { ...owner(), salesManagers: true } });
      } else {
        const withinDeadline = closeDeadline('disbursement', now);
        m.status = 'disbursed';
        m.disbursedAt = now;
        const loan = amount ?? m.amount!;
        addPayment(loan, now, 'bank', actor);
        emit('sale.mortgage_disbursed', actor, { bank: m.bank, amount: loan, withinDeadline, paidTotal: state.paidTotal, outstanding: covered() ? '0.00' : fenToString(toFen(state.price) - toFen(state.paidTotal)) });
        enterPaid(now);
      }
      return snapshot();
    },
    {
      validator: ({ actor, event, bank, amount }) => {
        assertOpen(actor);
        if (!isMortgageEvent(event)) reject('INVALID_ACTION', 'event must be documents_submitted, approved, rejected or disbursed');
        if (state.paymentMethod !== 'mortgage') reject('SALE_WRONG_PAYMENT_METHOD', `sale ${state.saleNumber} is paid in full, not by mortgage`);
        assertStage(['contracted', 'mortgage_pending'], 'a mortgage event');
        const expected = { documents_submitted: 'awaiting_documents', approved: 'documents_submitted', rejected: 'documents_submitted', disbursed: 'approved' }[event];
        if (state.mortgage?.status !== expected) reject('SALE_WRONG_STAGE', `the mortgage is ${state.mortgage?.status ?? 'not started'}: ${event} needs ${expected}`);
        if (event === 'approved' && (!nonEmpty(bank) || !isAmount(amount))) reject('INVALID_ACTION', 'an approval needs the bank and the approved amount');
        if (amount !== undefined && !isAmount(amount)) reject('INVALID_ACTION', 'amount must be an amount in CNY with at most two decimals');
      },
    },
  );

  setHandler(
    changePaymentMethod,
    ({ actor, paymentMethod }) => {
      const now = Date.now();
      const from = state.paymentMethod;
      state.paymentMethod = paymentMethod;
      state.stage = 'paying';
      const dueAt = openDeadline('full_payment', now);
      emit('sale.payment_method_changed', actor, { from, to: paymentMethod, reason: 'mortgage_rejected', paymentDueAt: iso(dueAt) });
      if (covered()) enterPaid(now);
      return snapshot();
    },
    {
      validator: ({ actor, paymentMethod }) => {
        assertOpen(actor);
        if (!isPaymentMethod(paymentMethod)) reject('INVALID_ACTION', 'paymentMethod must be full or mortgage');
        if (state.mortgage?.status !== 'rejected' || state.paymentMethod !== 'mortgage') reject('SALE_NOT_REJECTED_MORTGAGE', `sale ${state.saleNumber} has no rejected mortgage to replace`);
        if (paymentMethod !== 'full') reject('INVALID_ACTION', 'after a rejected mortgage the sale switches to full payment (or is cancelled)');
      },
    },
  );

  setHandler(
    recordInspection,
    ({ actor, defects }) => {
      const now = Date.now();
      state.inspection = { inspectedAt: now, defects, caseIds: [], recordedBy: actor };
      const seq = emit('sale.inspected', actor, { defects: defects.length });
      if (defects.length) queue.push({ kind: 'defects', seq, source: 'inspection', defects, actor });
      return snapshot();
    },
    {
      validator: ({ actor, defects }) => {
        assertOpen(actor);
        assertStage(['inspection'], 'the pre-handover inspection');
        if (state.inspection) reject('SALE_ALREADY_RECORDED', `sale ${state.saleNumber} was inspected already`);
        assertDefects(defects, true);
      },
    },
  );

  setHandler(
    recordHandover,
    ({ actor, keysIssued, measuredArea, defects = [] }) => {
      const now = Date.now();
      const s = settleAreaDifference({ contractPrice: state.price, contractArea: state.contractArea, measuredArea });
      state.handover = { handedOverAt: now, keysIssued, measuredArea, areaSettlement: fenToString(s.amountFen), areaDifferencePct: s.differencePct, beyondTolerance: s.beyondTolerance, defects, caseIds: [], recordedBy: actor };
      state.ownerRegistered = true;
      end('handed_over', now);
      const seq = emit(
        'sale.handed_over',
        actor,
        {
          keysIssued,
          contractArea: state.contractArea,
          measuredArea,
          areaSettlement: fenToString(s.amountFen),
          settlementDirection: s.amountFen > 0 ? 'buyer_pays' : s.amountFen < 0 ? 'refund' : 'none',
          areaDifferencePct: s.differencePct,
          beyondTolerance: s.beyondTolerance,
          defects: defects.length,
          ownerRegistered: true,
          customerId: state.customerId,
          referrerCustomerId: state.referrerCustomerId,
          leadId: state.leadId,
        },
        { kind: 'handed_over', contactUserId: state.ownerId, recipients: buyer() },
      );
      if (defects.length) queue.push({ kind: 'defects', seq, source: 'handover', defects, actor });
      return snapshot();
    },
    {
      validator: ({ actor, keysIssued, measuredArea, defects }) => {
        assertOpen(actor);
        assertStage(['inspection'], 'the handover');
        if (!Number.isInteger(keysIssued) || keysIssued < 1) reject('INVALID_ACTION', 'keysIssued must be a whole number of at least 1');
        try {
          toCentiSquareMetres(measuredArea);
        } catch {
          reject('INVALID_ACTION', 'measuredArea must be square metres with at most two decimals');
        }
        assertDefects(defects, false);
      },
    },
  );

  setHandler(
    requestApproval,
    ({ actor, kind, reason, unitId, contractArea, buyerName }) => {
      const approval: SaleApproval = {
        id: `${state.saleId}:apr:${state.approvals.length + 1}`,
        kind,
        reason,
        unitId: kind === 'change_unit' ? unitId! : null,
        contractArea: kind === 'change_unit' ? (contractArea ?? null) : null,
        buyerName: kind === 'rename' ? buyerName! : null,
        requestedBy: actor,
        requestedAt: Date.now(),
        status: 'pending',
        decidedBy: null,
        decidedAt: null,
        note: null,
      };
      state.approvals.push(approval);
      emit('sale.approval_requested', actor, { approvalId: approval.id, kind, reason, unitId: approval.unitId, buyerName: approval.buyerName }, { kind: 'approval_requested', recipients: { salesManagers: true } });
      return { ...approval };
    },
    {
      validator: ({ actor, kind, reason, unitId, contractArea, buyerName }) => {
        assertOpen(actor);
        if (!(APPROVAL_KINDS as readonly string[]).includes(kind)) reject('INVALID_ACTION', `kind must be one of ${APPROVAL_KINDS.join(', ')}`);
        if (!nonEmpty(reason)) reject('INVALID_ACTION', 'a reason is required');
        if (state.approvals.some((a) => a.status === 'pending')) reject('SALE_APPROVAL_PENDING', `sale ${state.saleNumber} already waits for a sales manager's decision`);
        if ((kind as ApprovalKind) === 'change_unit') {
          if (!nonEmpty(unitId)) reject('INVALID_ACTION', 'the new unit is required');
          if (unitId === state.unitId) reject('INVALID_ACTION', 'the new unit is the current one');
          if (contractArea !== undefined) {
            try {
              toCentiSquareMetres(contractArea);
            } catch {
              reject('INVALID_ACTION', 'contractArea must be square metres with at most two decimals');
            }
          }
          if (!['subscribed', 'contracted'].includes(state.stage)) assertStage(['subscribed', 'contracted'], 'a unit change');
        }
        if ((kind as ApprovalKind) === 'rename' && !nonEmpty(buyerName)) reject('INVALID_ACTION', "the buyer's new name is required");
      },
    },
  );

  setHandler(
    decideApproval,
    ({ actor, approvalId, decision, note }) => {
      const now = Date.now();
      const a = state.approvals.find((x) => x.id === approvalId)!;
      a.status = decision === 'approve' ? 'approved' : 'rejected';
      a.decidedBy = actor;
      a.decidedAt = now;
      a.note = note ?? null;
      emit('sale.approval_decided', actor, { approvalId, kind: a.kind, decision, note: a.note }, { kind: 'approval_decided', recipients: { userIds: [...new Set([state.ownerId, a.requestedBy])] } });
      if (decision === 'approve') {
        if (a.kind === 'cancel') {
          releaseUnit();
          state.cancelReason = a.reason;
          end('cancelled', now);
          emit('sale.cancelled', actor, { reason: a.reason, approvalId, unitId: state.unitId, unitReleased: true }, { kind: 'cancelled', recipients: { ...owner(), ...buyer() } });
        } else if (a.kind === 'change_unit') {
          const previousUnitId = state.unitId;
          const previousContractArea = state.contractArea;
          state.unitId = a.unitId!;
          if (a.contractArea) state.contractArea = a.contractArea;
          emit('sale.unit_changed', actor, { previousUnitId, unitId: state.unitId, previousContractArea, contractArea: state.contractArea, previousUnitReleased: true, reason: a.reason, approvalId });
        } else {
          const previousBuyerName = state.buyerName;
          state.buyerName = a.buyerName;
          emit('sale.renamed', actor, { previousBuyerName, buyerName: state.buyerName, reason: a.reason, approvalId });
        }
      }
      return snapshot();
    },
    {
      validator: ({ actor, approvalId, decision }) => {
        assertOpen(actor);
        if (decision !== 'approve' && decision !== 'reject') reject('INVALID_ACTION', 'decision must be approve or reject');
        if (!state.approvals.some((x) => x.id === approvalId && x.status === 'pending')) reject('SALE_APPROVAL_NOT_FOUND', `no pending approval ${String(approvalId)} on sale ${state.saleNumber}`);
        const pending = state.approvals.find((x) => x.id === approvalId)!;
        // The sale may have moved on while the request waited: a unit change is for a sale not yet being paid.
        if (decision === 'approve' && pending.kind === 'change_unit') assertStage(['subscribed', 'contracted'], 'a unit change');
      },
    },
  );

  setHandler(getSaleState, () => snapshot());

  // ------------------------------------------------------------------------------------------
  // Subscription

  if (!input.carried) {
    const dueAt = openDeadline('contract', now0);
    emit(
      'sale.subscribed',
      input.createdBy,
      {
        saleNumber: input.saleNumber,
        unitId: input.unitId,
        customerId: input.customerId,
        ownerId: input.ownerId,
        leadId: input.leadId,
        referrerCustomerId: input.referrerCustomerId,
        price: input.price,
        deposit: input.deposit,
        paymentMethod: input.paymentMethod,
        contractDueAt: iso(dueAt),
        deliveryDate: iso(input.deliveryDate),
      },
      { kind: 'subscribed', dueAt, contactUserId: input.ownerId, recipients: buyer() },
    );
  }

  let published: Record<string, string | null> = {};
  const publishSearchAttributes = () => {
    const values: Record<keyof typeof SALE_SEARCH_ATTRIBUTES, string | null> = { SaleStage: state.stage, ProjectId: input.projectId, AssigneeId: state.ownerId };
    const changed = (Object.keys(values) as Array<keyof typeof values>).filter((k) => values[k] !== published[k]);
    if (changed.length === 0) return;
    upsertSearchAttributes(changed.map((k) => ({ key: SALE_SEARCH_ATTRIBUTES[k], value: values[k] })));
    published = { ...published, ...values };
  };
  publishSearchAttributes();

  const drain = async () => {
    for (;;) {
      const effect = queue[0];
      if (effect) {
        if (effect.kind === 'audit') {
          await recordAuditEvent({ streamId: workflowId, seq: effect.seq, type: effect.type, actor: effect.actor, at: new Date(effect.at).toISOString(), data: effect.data, groupId: input.groupId });
        } else if (effect.kind === 'notify') {
          await notifySaleParties({
            ...effect.notice,
            saleId: state.saleId,
            saleNumber: state.saleNumber,
            groupId: input.groupId,
            companyId: input.companyId,
            projectId: input.projectId,
            unitId: state.unitId,
            idempotencyKeyBase: `${workflowId}:${effect.seq}`,
          });
        } else {
          const { caseIds } = await openDefectCases({
            saleId: state.saleId,
            saleNumber: state.saleNumber,
            groupId: input.groupId,
            companyId: input.companyId,
            projectId: input.projectId,
            unitId: state.unitId,
            customerId: state.customerId,
            source: effect.source,
            defects: effect.defects,
            resolutionWithin: state.policy.defectResolution,
            openedBy: effect.actor,
            idempotencyKey: `${workflowId}:${effect.seq}`,
          });
          const target = effect.source === 'inspection' ? state.inspection : state.handover;
          if (target) target.caseIds = [...target.caseIds, ...caseIds];
          emit('sale.defect_cases_opened', 'system', { source: effect.source, caseIds });
        }
        queue.shift();
        continue;
      }
      publishSearchAttributes();
      if (state.seq <= projectedSeq) return;
      const seq = state.seq;
      await projectSale({ saleId: state.saleId, seq, state: snapshot() });
      projectedSeq = seq;
    }
  };

  // ------------------------------------------------------------------------------------------
  // Main loop

  const historyLimit = input.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const shouldContinueAsNew = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= historyLimit;
  while (!isEnded()) {
    await drain();
    if (isEnded()) break;
    if (shouldContinueAsNew()) {
      await condition(allHandlersFinished);
      await drain();
      if (!isEnded()) {
        const { carried: _previous, ...rest } = input;
        await continueAsNew<typeof saleLifecycle>({ ...rest, carried: snapshot() });
      }
      break;
    }
    const wakeAt = nextWakeAt();
    if (wakeAt === null) {
      await condition(() => queue.length > 0 || isEnded());
      continue;
    }
    const delay = wakeAt - Date.now();
    if (delay > 0 && (await condition(() => queue.length > 0 || isEnded(), delay))) continue;
    if (!fireDue() && queue.length === 0) await condition(() => queue.length > 0, 1000);
  }
  await condition(allHandlersFinished);
  await drain();
  return snapshot();
}
