import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { Rejection, type AuditEvent, type ProcessEvent } from '../../../domain/process.js';
import { DEFAULT_SALES_POLICY } from '../../../domain/sales/policy.js';
import {
  continuedSaleState,
  initialSaleState,
  isSaleEnded,
  latestApproval,
  reduceSale,
  saleNextWakeAt,
  validateSaleCommand,
  type SaleAction,
  type SaleCommand,
  type SaleOpening,
  type SaleTask,
} from '../../../domain/sales/sale-process.js';
import type { SaleNotice, SaleState } from '../../../domain/sales/sale-state.js';

/**
 * The sale's rules without Temporal: the reducer is driven with explicit instants, as the workflow
 * kit drives it with workflow time. Commands pass `validateSaleCommand` first, as the Updates'
 * validators make them.
 */
const ZONE = 'Asia/Shanghai';
const T0 = DateTime.fromISO('2026-03-02T10:00', { zone: ZONE }).toMillis();
const plus = (at: number, d: Record<string, number>) => DateTime.fromMillis(at, { zone: ZONE }).plus(d).toMillis();
const SECOND = 1000;
const actor = 'sales-1';
const manager = 'salesmgr-1';
const defects = [
  { location: 'kitchen', description: 'tap leaks', category: 'repair.plumbing' },
  { location: 'bedroom', description: 'wall crack', category: 'repair.wall' },
];

type Event = ProcessEvent<SaleNotice, SaleTask>;
const audits = (events: Event[]) => events.filter((e): e is AuditEvent<SaleNotice> => e.kind === 'event');
const types = (events: Event[]) => audits(events).map((e) => e.type);
const seqs = (events: Event[]) => audits(events).map((e) => e.seq);
const only = (events: Event[], type: string) => {
  const found = audits(events).filter((e) => e.type === type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};

const opening = (o: Partial<SaleOpening> = {}): SaleOpening => ({
  saleId: 'sale-1',
  saleNumber: 'SL-1',
  timeZone: ZONE,
  unitId: 'unit-1',
  customerId: 'customer-1',
  ownerId: 'sales-1',
  leadId: 'lead-1',
  referrerCustomerId: 'customer-referrer',
  price: '1000000.00',
  deposit: '50000.00',
  paymentMethod: 'full',
  contractArea: '100.00',
  deliveryDate: plus(T0, { months: 13 }),
  policy: { ...DEFAULT_SALES_POLICY },
  createdBy: 'sales-1',
  ...o,
});

/** A sale driven through the reducer; each step returns the events it produced. */
class Sale {
  state: SaleState;
  constructor(o: Partial<SaleOpening> = {}) {
    this.state = initialSaleState(opening(o), T0);
    this.apply({ type: 'subscribe', actor: 'sales-1' }, T0);
  }
  apply(action: SaleAction, now: number): Event[] {
    const { state, events } = reduceSale(this.state, action, now);
    this.state = state;
    return events;
  }
  /** A person's command: validated, then applied. */
  do(command: SaleCommand, now: number): Event[] {
    validateSaleCommand(this.state, command);
    return this.apply(command, now);
  }
  tick(now: number): Event[] {
    return this.apply({ type: 'tick' }, now);
  }
  refusal(command: SaleCommand): string {
    try {
      validateSaleCommand(this.state, command);
    } catch (err) {
      if (err instanceof Rejection) return err.code;
      throw err;
    }
    return 'accepted';
  }
  sign(now = plus(T0, { days: 1 })) {
    return this.do({ type: 'signContract', actor, contractNo: 'HT-001' }, now);
  }
  deadline(kind: string) {
    return this.state.deadlines.find((d) => d.kind === kind);
  }
}

/** A sale paid in full at T0 + 2 days, whose inspection instant has come. */
function inInspection(o: Partial<SaleOpening> = {}) {
  const sale = new Sale({ deliveryDate: plus(T0, { days: 20 }), ...o });
  sale.sign();
  sale.do({ type: 'recordPayment', actor, amount: '950000.00' }, plus(T0, { days: 2 }));
  sale.tick(plus(T0, { days: 2 }));
  expect(sale.state.stage).toBe('inspection');
  return sale;
}

describe('subscription', () => {
  it('records the subscription with the contract deadline and tells the buyer whom to contact', () => {
    const sale = new Sale();
    const s = sale.state;
    expect(s).toMatchObject({ stage: 'subscribed', seq: 1, paidTotal: '50000.00', runs: 1, timeZone: ZONE });
    expect(s.payments).toEqual([{ amount: '50000.00', paidAt: T0, source: 'deposit', recordedBy: 'sales-1' }]);
    const dueAt = plus(T0, { days: 7 });
    expect(s.deadlines).toEqual([{ kind: 'contract', dueAt, remindAt: plus(T0, { days: 5 }), reminded: false, missedAt: null }]);
    const events = reduceSale(initialSaleState(opening(), T0), { type: 'subscribe', actor: 'sales-1' }, T0).events;
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'event',
        seq: 1,
        type: 'sale.subscribed',
        actor: 'sales-1',
        data: expect.objectContaining({ contractDueAt: new Date(dueAt).toISOString(), price: '1000000.00', referrerCustomerId: 'customer-referrer' }),
        notice: { kind: 'subscribed', dueAt, contactUserId: 'sales-1', recipients: { customerIds: ['customer-1'] } },
      }),
    ]);
  });

  it('schedules the inspection a month before delivery on the project calendar, and the first progress email a month after subscribing', () => {
    const s = new Sale().state;
    expect(s.inspectionAt).toBe(plus(s.deliveryDate, { months: -1 }));
    expect(s.nextProgressAt).toBe(plus(T0, { months: 1 }));
    // The contract reminder comes first.
    expect(saleNextWakeAt(s)).toBe(plus(T0, { days: 5 }));
  });

  it('leaves the state it was given untouched', () => {
    const before = initialSaleState(opening(), T0);
    const copy = JSON.parse(JSON.stringify(before)) as SaleState;
    reduceSale(before, { type: 'subscribe', actor }, T0);
    expect(before).toEqual(copy);
  });
});

describe('deadline reminder and miss', () => {
  it('reminds the owner once, remindBefore ahead of the deadline', () => {
    const sale = new Sale();
    const remindAt = plus(T0, { days: 5 });
    expect(sale.tick(remindAt - SECOND)).toEqual([]);
    const events = sale.tick(remindAt);
    expect(types(events)).toEqual(['sale.deadline_reminder']);
    expect(only(events, 'sale.deadline_reminder')).toMatchObject({
      seq: 2,
      actor: 'system',
      data: { deadline: 'contract', ownerId: 'sales-1' },
      notice: { kind: 'deadline_reminder', deadline: 'contract', dueAt: plus(T0, { days: 7 }), recipients: { userIds: ['sales-1'] } },
    });
    expect(sale.tick(remindAt + SECOND)).toEqual([]);
    expect(saleNextWakeAt(sale.state)).toBe(plus(T0, { days: 7 }));
  });

  it('tells the owner and the sales managers of a missed step and leaves it open to be done late', () => {
    const sale = new Sale({ deliveryDate: plus(T0, { days: 20 }) });
    sale.sign(T0);
    const filingDue = sale.deadline('filing')!.dueAt;
    sale.tick(sale.deadline('filing')!.remindAt);
    const events = sale.tick(filingDue);
    expect(types(events)).toEqual(['sale.deadline_missed']);
    expect(only(events, 'sale.deadline_missed').notice).toEqual({ kind: 'deadline_missed', deadline: 'filing', dueAt: filingDue, recipients: { userIds: ['sales-1'], salesManagers: true } });
    expect(sale.deadline('filing')).toMatchObject({ missedAt: filingDue, reminded: true });
    expect(isSaleEnded(sale.state)).toBe(false);
    // Missed once only; the late filing closes it as not within the deadline.
    expect(sale.tick(filingDue + SECOND)).toEqual([]);
    const filed = sale.do({ type: 'recordFiling', actor, filingNo: 'BA-1' }, filingDue + SECOND);
    expect(only(filed, 'sale.filed').data).toEqual({ filingNo: 'BA-1', withinDeadline: false });
    expect(sale.deadline('filing')).toBeUndefined();
  });

  it('sends no reminder for a deadline already due when the sale wakes: it is missed instead', () => {
    const sale = new Sale();
    const events = sale.tick(plus(T0, { days: 7 }));
    expect(types(events)).toEqual(['sale.lapsed']);
  });
});

describe('contract deadline', () => {
  it('lapses the sale and releases the unit when no contract is signed in time', () => {
    const sale = new Sale();
    sale.tick(plus(T0, { days: 5 }));
    const dueAt = plus(T0, { days: 7 });
    const events = sale.tick(dueAt);
    expect(events).toEqual([
      expect.objectContaining({
        seq: 3,
        type: 'sale.lapsed',
        data: { reason: 'contract_deadline', dueAt: new Date(dueAt).toISOString(), unitId: 'unit-1', unitReleased: true },
        notice: { kind: 'lapsed', recipients: { userIds: ['sales-1'], salesManagers: true } },
      }),
    ]);
    expect(sale.state).toMatchObject({ stage: 'lapsed', lapseReason: 'contract_deadline', unitReleased: true, deadlines: [], nextProgressAt: null, closedAt: dueAt });
    expect(isSaleEnded(sale.state)).toBe(true);
    expect(saleNextWakeAt(sale.state)).toBeNull();
  });

  it('refuses anything after the lapse', () => {
    const sale = new Sale();
    sale.tick(plus(T0, { days: 7 }));
    expect(sale.refusal({ type: 'signContract', actor, contractNo: 'HT-1' })).toBe('SALE_ENDED');
    expect(sale.refusal({ type: 'requestApproval', actor, kind: 'cancel', reason: 'late' })).toBe('SALE_ENDED');
  });

  it('is met by signing in time: the filing and payment deadlines open and the buyer gets the welcome letter', () => {
    const sale = new Sale();
    const signedAt = plus(T0, { days: 1 });
    const events = sale.sign(signedAt);
    expect(types(events)).toEqual(['sale.contract_signed', 'sale.welcome_letter']);
    expect(seqs(events)).toEqual([2, 3]);
    const paymentDueAt = plus(signedAt, { days: 60 });
    expect(only(events, 'sale.contract_signed')).toMatchObject({ data: { contractNo: 'HT-001', withinDeadline: true, paymentDueAt: new Date(paymentDueAt).toISOString(), paymentMethod: 'full' } });
    expect(only(events, 'sale.contract_signed').notice).toBeUndefined();
    expect(only(events, 'sale.welcome_letter')).toMatchObject({
      actor: 'system',
      notice: { kind: 'welcome_letter', contactUserId: 'sales-1', dueAt: paymentDueAt, recipients: { customerIds: ['customer-1'] } },
    });
    expect(sale.state.stage).toBe('contracted');
    expect(sale.state.deadlines.map((d) => d.kind)).toEqual(['filing', 'full_payment']);
  });
});

describe('full payment', () => {
  it('counts the deposit toward the price and is paid once instalments cover it', () => {
    const sale = new Sale();
    sale.sign();
    const first = sale.do({ type: 'recordPayment', actor, amount: '450000.00' }, plus(T0, { days: 2 }));
    expect(types(first)).toEqual(['sale.payment_recorded']);
    expect(sale.state).toMatchObject({ stage: 'paying', paidTotal: '500000.00' });
    const last = sale.do({ type: 'recordPayment', actor, amount: '500000.00', paidAt: plus(T0, { days: 3 }) }, plus(T0, { days: 4 }));
    expect(types(last)).toEqual(['sale.payment_recorded', 'sale.paid']);
    expect(seqs(last)).toEqual([5, 6]);
    expect(only(last, 'sale.payment_recorded').data).toMatchObject({ paidAt: new Date(plus(T0, { days: 3 })).toISOString(), paidTotal: '1000000.00' });
    expect(only(last, 'sale.paid').data).toEqual({ paidTotal: '1000000.00', price: '1000000.00', paymentMethod: 'full' });
    expect(sale.state.stage).toBe('paid');
    // Paying closes the payment deadline; filing is a parallel track that stays open.
    expect(sale.state.deadlines.map((d) => d.kind)).toEqual(['filing']);
  });
});

describe('mortgage', () => {
  it('steps documents → bank decision → disbursement, each closing its deadline and opening the next, and is paid at disbursement', () => {
    const sale = new Sale({ paymentMethod: 'mortgage' });
    sale.sign();
    expect(sale.state.mortgage).toMatchObject({ status: 'awaiting_documents' });
    expect(sale.deadline('mortgage_documents')!.dueAt).toBe(plus(T0, { days: 15 }));

    const docs = sale.do({ type: 'recordMortgageEvent', actor, event: 'documents_submitted', bank: 'ICBC' }, plus(T0, { days: 5 }));
    expect(only(docs, 'sale.mortgage_documents_submitted').data).toMatchObject({ bank: 'ICBC', withinDeadline: true });
    expect(sale.state.stage).toBe('mortgage_pending');
    expect(sale.deadline('mortgage_documents')).toBeUndefined();
    expect(sale.deadline('bank_decision')!.dueAt).toBe(plus(T0, { days: 35 }));

    sale.do({ type: 'recordMortgageEvent', actor, event: 'approved', bank: 'ICBC', amount: '700000.00' }, plus(T0, { days: 10 }));
    expect(sale.state.mortgage).toMatchObject({ status: 'approved', amount: '700000.00' });
    expect(sale.state.deadlines.map((d) => d.kind)).toEqual(['filing', 'disbursement']);

    sale.do({ type: 'recordPayment', actor, amount: '250000.00' }, plus(T0, { days: 11 }));
    expect(sale.state.stage).toBe('mortgage_pending');
    const disbursed = sale.do({ type: 'recordMortgageEvent', actor, event: 'disbursed' }, plus(T0, { days: 12 }));
    expect(types(disbursed)).toEqual(['sale.mortgage_disbursed', 'sale.paid']);
    expect(only(disbursed, 'sale.mortgage_disbursed').data).toMatchObject({ amount: '700000.00', paidTotal: '1000000.00', outstanding: '0.00' });
    expect(sale.state.payments.at(-1)).toMatchObject({ amount: '700000.00', source: 'bank' });
    expect(sale.state).toMatchObject({ stage: 'paid', paidTotal: '1000000.00' });
  });

  it('reports what is still owed when the loan does not cover the price', () => {
    const sale = new Sale({ paymentMethod: 'mortgage' });
    sale.sign();
    sale.do({ type: 'recordMortgageEvent', actor, event: 'documents_submitted' }, plus(T0, { days: 2 }));
    sale.do({ type: 'recordMortgageEvent', actor, event: 'approved', bank: 'BOC', amount: '600000.00' }, plus(T0, { days: 3 }));
    const events = sale.do({ type: 'recordMortgageEvent', actor, event: 'disbursed' }, plus(T0, { days: 4 }));
    expect(only(events, 'sale.mortgage_disbursed').data).toMatchObject({ paidTotal: '650000.00', outstanding: '350000.00' });
  });

  it('tells the owner and the sales managers of a rejection, after which sales switch to full payment', () => {
    const sale = new Sale({ paymentMethod: 'mortgage' });
    sale.sign();
    expect(sale.refusal({ type: 'changePaymentMethod', actor, paymentMethod: 'full' })).toBe('SALE_NOT_REJECTED_MORTGAGE');
    sale.do({ type: 'recordMortgageEvent', actor, event: 'documents_submitted' }, plus(T0, { days: 2 }));
    const rejected = sale.do({ type: 'recordMortgageEvent', actor, event: 'rejected', bank: 'BOC' }, plus(T0, { days: 3 }));
    expect(only(rejected, 'sale.mortgage_rejected')).toMatchObject({
      data: { bank: 'BOC', withinDeadline: true },
      notice: { kind: 'mortgage_rejected', recipients: { userIds: ['sales-1'], salesManagers: true } },
    });
    expect(sale.state).toMatchObject({ stage: 'mortgage_pending', mortgage: { status: 'rejected' } });
    expect(sale.refusal({ type: 'changePaymentMethod', actor, paymentMethod: 'mortgage' })).toBe('INVALID_ACTION');

    const switched = sale.do({ type: 'changePaymentMethod', actor, paymentMethod: 'full' }, plus(T0, { days: 4 }));
    expect(types(switched)).toEqual(['sale.payment_method_changed']);
    expect(only(switched, 'sale.payment_method_changed').data).toEqual({ from: 'mortgage', to: 'full', reason: 'mortgage_rejected', paymentDueAt: new Date(plus(T0, { days: 64 })).toISOString() });
    expect(sale.state).toMatchObject({ stage: 'paying', paymentMethod: 'full' });
    expect(sale.deadline('full_payment')).toBeDefined();
    expect(types(sale.do({ type: 'recordPayment', actor, amount: '950000.00' }, plus(T0, { days: 5 })))).toEqual(['sale.payment_recorded', 'sale.paid']);
  });

  it('is paid at once on switching when the buyer already covered the price', () => {
    const sale = new Sale({ paymentMethod: 'mortgage' });
    sale.sign();
    sale.do({ type: 'recordPayment', actor, amount: '950000.00' }, plus(T0, { days: 2 }));
    sale.do({ type: 'recordMortgageEvent', actor, event: 'documents_submitted' }, plus(T0, { days: 2 }));
    sale.do({ type: 'recordMortgageEvent', actor, event: 'rejected' }, plus(T0, { days: 3 }));
    const events = sale.do({ type: 'changePaymentMethod', actor, paymentMethod: 'full' }, plus(T0, { days: 4 }));
    expect(types(events)).toEqual(['sale.payment_method_changed', 'sale.paid']);
    expect(sale.deadline('full_payment')).toBeUndefined();
  });
});

describe('construction progress', () => {
  it('emails the buyer every progressEvery from subscription until delivery, then stops', () => {
    const sale = new Sale({ deliveryDate: plus(T0, { months: 3, days: 1 }) });
    sale.sign();
    sale.do({ type: 'recordFiling', actor, filingNo: 'BA-1' }, plus(T0, { days: 1 }));
    sale.do({ type: 'recordPayment', actor, amount: '950000.00' }, plus(T0, { days: 1 }));
    const sent: number[] = [];
    for (let m = 1; m <= 3; m++) {
      const at = plus(T0, { months: m });
      expect(sale.state.nextProgressAt).toBe(at);
      const events = sale.tick(at);
      const progress = only(events, 'sale.progress_notice');
      expect(progress.notice).toEqual({ kind: 'progress', recipients: { customerIds: ['customer-1'] } });
      sent.push(progress.data.n as number);
    }
    expect(sent).toEqual([1, 2, 3]);
    // A fourth month would fall after delivery.
    expect(sale.state).toMatchObject({ progressCount: 3, nextProgressAt: null });
  });

  /** Subscribed on 31 January: which instants do the first four monthly emails fall on? */
  function monthlyFromMonthEnd(anchorProgress: boolean) {
    const start = DateTime.fromISO('2027-01-31T10:00', { zone: ZONE }).toMillis();
    let state = initialSaleState(opening({ deliveryDate: plus(start, { months: 13 }) }), start, { anchorProgress });
    state = reduceSale(state, { type: 'subscribe', actor }, start).state;
    state = reduceSale(state, { type: 'signContract', actor, contractNo: 'HT-1' }, start + SECOND).state;
    state = reduceSale(state, { type: 'recordPayment', actor, amount: '950000.00' }, start + 2 * SECOND).state;
    const days: string[] = [];
    for (let i = 0; i < 4; i++) {
      const at = state.nextProgressAt!;
      days.push(DateTime.fromMillis(at, { zone: ZONE }).toISODate()!);
      state = reduceSale(state, { type: 'tick' }, at).state;
    }
    return { days, state };
  }

  it('keeps the day of subscription: from 31 January the emails fall on 28 February, then 31 March, 30 April, 31 May', () => {
    const { days, state } = monthlyFromMonthEnd(true);
    expect(days).toEqual(['2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31']);
    expect(state.progressAnchored).toBe(true);
  });

  it('sends twelve emails when delivery is thirteen months after a month-end subscription, then stops', () => {
    let { state } = monthlyFromMonthEnd(true);
    while (state.nextProgressAt !== null) state = reduceSale(state, { type: 'tick' }, state.nextProgressAt).state;
    expect(state.progressCount).toBe(12);
  });

  it('keeps a sale begun before anchoring on its old rule: each email a month after the one before', () => {
    const { days, state } = monthlyFromMonthEnd(false);
    expect(days).toEqual(['2027-02-28', '2027-03-28', '2027-04-28', '2027-05-28']);
    expect(state.progressAnchored).toBeUndefined();
    const carried = continuedSaleState(state, ZONE);
    expect(carried.progressAnchored).toBeUndefined();
  });

  it('sends none once the sale has ended', () => {
    const sale = new Sale();
    sale.tick(plus(T0, { days: 7 }));
    expect(sale.tick(plus(T0, { months: 1 }))).toEqual([]);
    expect(sale.state.progressCount).toBe(0);
  });
});

describe('inspection stage', () => {
  it('opens at delivery − inspectionBeforeDelivery once paid, inviting the buyer with the owner as contact', () => {
    const sale = new Sale({ deliveryDate: plus(T0, { days: 50 }) });
    sale.sign();
    sale.do({ type: 'recordPayment', actor, amount: '950000.00' }, plus(T0, { days: 2 }));
    const { inspectionAt, deliveryDate } = sale.state;
    expect(inspectionAt).toBe(plus(deliveryDate, { months: -1 }));
    expect(saleNextWakeAt(sale.state)).toBe(Math.min(inspectionAt, sale.deadline('filing')!.remindAt));
    expect(sale.tick(inspectionAt - SECOND).filter((e) => e.kind === 'event' && e.type === 'sale.inspection_due')).toEqual([]);
    const events = sale.tick(inspectionAt);
    expect(only(events, 'sale.inspection_due')).toMatchObject({
      data: { inspectionAt: new Date(inspectionAt).toISOString(), deliveryDate: new Date(deliveryDate).toISOString() },
      notice: { kind: 'inspection_invitation', dueAt: deliveryDate, contactUserId: 'sales-1', recipients: { customerIds: ['customer-1'], userIds: ['sales-1'] } },
    });
    expect(sale.state.stage).toBe('inspection');
  });

  it('opens at the next wake-up when payment completes after that instant', () => {
    const sale = new Sale({ deliveryDate: plus(T0, { days: 20 }) });
    sale.sign();
    const paidAt = plus(T0, { days: 2 });
    expect(types(sale.do({ type: 'recordPayment', actor, amount: '950000.00' }, paidAt))).toEqual(['sale.payment_recorded', 'sale.paid']);
    expect(sale.state.stage).toBe('paid');
    expect(saleNextWakeAt(sale.state)).toBe(sale.state.inspectionAt);
    expect(types(sale.tick(paidAt))).toEqual(['sale.inspection_due']);
  });

  it('asks for repair cases after the inspection event and keeps their ids when they are opened', () => {
    const sale = inInspection();
    const before = sale.state.seq;
    const events = sale.do({ type: 'recordInspection', actor, defects }, plus(T0, { days: 3 }));
    expect(events).toEqual([
      expect.objectContaining({ kind: 'event', seq: before + 1, type: 'sale.inspected', data: { defects: 2 } }),
      { kind: 'task', seq: before + 1, task: { kind: 'openDefectCases', source: 'inspection', defects, actor } },
    ]);
    expect(sale.state.inspection).toMatchObject({ defects, caseIds: [] });
    const opened = sale.apply({ type: 'defectCasesOpened', source: 'inspection', caseIds: ['case-1', 'case-2'] }, plus(T0, { days: 3 }));
    expect(opened).toEqual([expect.objectContaining({ seq: before + 2, type: 'sale.defect_cases_opened', actor: 'system', data: { source: 'inspection', caseIds: ['case-1', 'case-2'] } })]);
    expect(sale.state.inspection!.caseIds).toEqual(['case-1', 'case-2']);
    expect(sale.refusal({ type: 'recordInspection', actor, defects })).toBe('SALE_ALREADY_RECORDED');
  });

  it('asks for nothing when the inspection found no defect', () => {
    const events = inInspection().do({ type: 'recordInspection', actor, defects: [] }, plus(T0, { days: 3 }));
    expect(events.map((e) => e.kind)).toEqual(['event']);
  });
});

describe('handover', () => {
  it('settles an area difference within tolerance at the contract price, registers the owner and ends the sale', () => {
    const sale = inInspection();
    const at = plus(T0, { days: 4 });
    const events = sale.do({ type: 'recordHandover', actor, keysIssued: 2, measuredArea: '101.00' }, at);
    expect(events.map((e) => e.kind)).toEqual(['event']);
    expect(only(events, 'sale.handed_over')).toMatchObject({
      data: { keysIssued: 2, areaSettlement: '10000.00', settlementDirection: 'buyer_pays', areaDifferencePct: 1, beyondTolerance: false, ownerRegistered: true, referrerCustomerId: 'customer-referrer', leadId: 'lead-1' },
      notice: { kind: 'handed_over', contactUserId: 'sales-1', recipients: { customerIds: ['customer-1'] } },
    });
    expect(sale.state).toMatchObject({ stage: 'handed_over', ownerRegistered: true, unitReleased: false, closedAt: at, deadlines: [] });
    expect(sale.state.handover).toMatchObject({ areaSettlement: '10000.00', defects: [], caseIds: [] });
    expect(saleNextWakeAt(sale.state)).toBeNull();
  });

  it('refunds a smaller measured area', () => {
    const events = inInspection().do({ type: 'recordHandover', actor, keysIssued: 1, measuredArea: '98.00' }, plus(T0, { days: 4 }));
    expect(only(events, 'sale.handed_over').data).toMatchObject({ areaSettlement: '-20000.00', settlementDirection: 'refund' });
  });

  it('asks for repair cases of handover defects after the event; their ids land on the ended sale', () => {
    const sale = inInspection();
    const events = sale.do({ type: 'recordHandover', actor, keysIssued: 1, measuredArea: '100.00', defects: [defects[0]!] }, plus(T0, { days: 4 }));
    const handedOver = only(events, 'sale.handed_over');
    expect(handedOver.data).toMatchObject({ settlementDirection: 'none', defects: 1 });
    expect(events.at(-1)).toEqual({ kind: 'task', seq: handedOver.seq, task: { kind: 'openDefectCases', source: 'handover', defects: [defects[0]], actor } });
    expect(isSaleEnded(sale.state)).toBe(true);
    const opened = sale.apply({ type: 'defectCasesOpened', source: 'handover', caseIds: ['case-9'] }, plus(T0, { days: 4 }));
    expect(only(opened, 'sale.defect_cases_opened').seq).toBe(handedOver.seq + 1);
    expect(sale.state.handover!.caseIds).toEqual(['case-9']);
  });
});

describe('approvals', () => {
  const request = (sale: Sale, c: Omit<Extract<SaleCommand, { type: 'requestApproval' }>, 'type' | 'actor'>, at = plus(T0, { hours: 1 })) => {
    const events = sale.do({ type: 'requestApproval', actor, ...c }, at);
    return { events, approval: latestApproval(sale.state) };
  };
  const decide = (sale: Sale, approvalId: string, decision: 'approve' | 'reject', note?: string) =>
    sale.do({ type: 'decideApproval', actor: manager, approvalId, decision, ...(note ? { note } : {}) }, plus(T0, { hours: 2 }));

  it('asks the sales managers and takes one request at a time', () => {
    const sale = new Sale();
    const { events, approval } = request(sale, { kind: 'cancel', reason: 'buyer changed plans' });
    expect(approval).toMatchObject({ id: 'sale-1:apr:1', kind: 'cancel', status: 'pending', requestedBy: actor, requestedAt: plus(T0, { hours: 1 }) });
    expect(only(events, 'sale.approval_requested')).toMatchObject({
      data: { approvalId: 'sale-1:apr:1', kind: 'cancel', reason: 'buyer changed plans', unitId: null, buyerName: null },
      notice: { kind: 'approval_requested', recipients: { salesManagers: true } },
    });
    expect(sale.refusal({ type: 'requestApproval', actor, kind: 'rename', reason: 'x', buyerName: 'Li' })).toBe('SALE_APPROVAL_PENDING');
    decide(sale, approval.id, 'reject', 'talk to the buyer');
    expect(sale.state.approvals[0]).toMatchObject({ status: 'rejected', decidedBy: manager, note: 'talk to the buyer' });
    expect(sale.state.stage).toBe('subscribed');
    expect(sale.refusal({ type: 'decideApproval', actor: manager, approvalId: approval.id, decision: 'approve' })).toBe('SALE_APPROVAL_NOT_FOUND');
    expect(request(sale, { kind: 'rename', reason: 'spouse added', buyerName: '李四' }).approval.id).toBe('sale-1:apr:2');
  });

  it('tells the owner and the requester of the decision, once each', () => {
    const sale = new Sale();
    const { approval } = request(sale, { kind: 'rename', reason: 'spouse added', buyerName: '李四' });
    expect(only(decide(sale, approval.id, 'reject'), 'sale.approval_decided').notice).toEqual({ kind: 'approval_decided', recipients: { userIds: ['sales-1'] } });
  });

  it('cancels the sale and releases the unit on approval', () => {
    const sale = new Sale();
    const { approval } = request(sale, { kind: 'cancel', reason: 'buyer withdrew' });
    const events = decide(sale, approval.id, 'approve');
    expect(types(events)).toEqual(['sale.approval_decided', 'sale.cancelled']);
    expect(only(events, 'sale.cancelled')).toMatchObject({
      actor: manager,
      data: { reason: 'buyer withdrew', approvalId: approval.id, unitId: 'unit-1', unitReleased: true },
      notice: { kind: 'cancelled', recipients: { userIds: ['sales-1'], customerIds: ['customer-1'] } },
    });
    expect(sale.state).toMatchObject({ stage: 'cancelled', cancelReason: 'buyer withdrew', unitReleased: true, deadlines: [] });
    expect(saleNextWakeAt(sale.state)).toBeNull();
  });

  it('moves the sale to the new unit and its area, and renames the buyer, on approval', () => {
    const sale = new Sale();
    const change = request(sale, { kind: 'change_unit', reason: 'higher floor', unitId: 'unit-2', contractArea: '102.50' }).approval;
    const changed = decide(sale, change.id, 'approve');
    expect(only(changed, 'sale.unit_changed').data).toMatchObject({ previousUnitId: 'unit-1', unitId: 'unit-2', previousContractArea: '100.00', contractArea: '102.50', previousUnitReleased: true });
    expect(sale.state).toMatchObject({ unitId: 'unit-2', contractArea: '102.50' });
    const rename = request(sale, { kind: 'rename', reason: 'spouse added', buyerName: '李四' }).approval;
    const renamed = decide(sale, rename.id, 'approve');
    expect(only(renamed, 'sale.renamed').data).toMatchObject({ previousBuyerName: null, buyerName: '李四' });
    expect(sale.state.buyerName).toBe('李四');
  });

  it('refuses a unit change once the sale is being paid, also when it was requested before', () => {
    const sale = new Sale();
    sale.sign();
    const change = request(sale, { kind: 'change_unit', reason: 'higher floor', unitId: 'unit-2' }).approval;
    sale.do({ type: 'recordPayment', actor, amount: '100000.00' }, plus(T0, { days: 2 }));
    expect(sale.refusal({ type: 'decideApproval', actor: manager, approvalId: change.id, decision: 'approve' })).toBe('SALE_WRONG_STAGE');
    expect(sale.refusal({ type: 'decideApproval', actor: manager, approvalId: change.id, decision: 'reject' })).toBe('accepted');
    decide(sale, change.id, 'reject');
    expect(sale.refusal({ type: 'requestApproval', actor, kind: 'change_unit', reason: 'x', unitId: 'unit-3' })).toBe('SALE_WRONG_STAGE');
  });
});

describe('validation', () => {
  it('refuses commands out of stage with SALE_WRONG_STAGE', () => {
    const sale = new Sale();
    expect(sale.refusal({ type: 'recordFiling', actor, filingNo: 'BA' })).toBe('SALE_WRONG_STAGE');
    expect(sale.refusal({ type: 'recordPayment', actor, amount: '1.00' })).toBe('SALE_WRONG_STAGE');
    expect(sale.refusal({ type: 'recordInspection', actor, defects: [] })).toBe('SALE_WRONG_STAGE');
    expect(sale.refusal({ type: 'recordHandover', actor, keysIssued: 1, measuredArea: '100' })).toBe('SALE_WRONG_STAGE');
    sale.sign();
    expect(sale.refusal({ type: 'signContract', actor, contractNo: 'HT-2' })).toBe('SALE_WRONG_STAGE');
  });

  it('refuses mortgage events on a sale paid in full, and out of order on a mortgage', () => {
    const full = new Sale();
    full.sign();
    expect(full.refusal({ type: 'recordMortgageEvent', actor, event: 'documents_submitted' })).toBe('SALE_WRONG_PAYMENT_METHOD');
    const mortgage = new Sale({ paymentMethod: 'mortgage' });
    mortgage.sign();
    expect(mortgage.refusal({ type: 'recordMortgageEvent', actor, event: 'disbursed' })).toBe('SALE_WRONG_STAGE');
    mortgage.do({ type: 'recordMortgageEvent', actor, event: 'documents_submitted' }, plus(T0, { days: 2 }));
    expect(mortgage.refusal({ type: 'recordMortgageEvent', actor, event: 'approved', bank: 'ICBC' })).toBe('INVALID_ACTION');
    expect(mortgage.refusal({ type: 'recordMortgageEvent', actor, event: 'rejected', amount: '1.001' })).toBe('INVALID_ACTION');
    expect(mortgage.refusal({ type: 'recordMortgageEvent', actor, event: 'foreclosed' as never })).toBe('INVALID_ACTION');
  });

  it('refuses a filing recorded twice with SALE_ALREADY_RECORDED', () => {
    const sale = new Sale();
    sale.sign();
    sale.do({ type: 'recordFiling', actor, filingNo: 'BA-1' }, plus(T0, { days: 2 }));
    expect(sale.refusal({ type: 'recordFiling', actor, filingNo: 'BA-2' })).toBe('SALE_ALREADY_RECORDED');
  });

  it('refuses malformed input with INVALID_ACTION', () => {
    const sale = new Sale();
    expect(sale.refusal({ type: 'signContract', actor: '', contractNo: 'HT' })).toBe('INVALID_ACTION');
    expect(sale.refusal({ type: 'signContract', actor, contractNo: ' ' })).toBe('INVALID_ACTION');
    expect(sale.refusal({ type: 'signContract', actor, contractNo: 'HT', signedAt: Number.NaN })).toBe('INVALID_ACTION');
    expect(sale.refusal({ type: 'requestApproval', actor, kind: 'cancel', reason: ' ' })).toBe('INVALID_ACTION');
    expect(sale.refusal({ type: 'requestApproval', actor, kind: 'pause' as never, reason: 'x' })).toBe('INVALID_ACTION');
    expect(sale.refusal({ type: 'requestApproval', actor, kind: 'change_unit', reason: 'x', unitId: 'unit-1' })).toBe('INVALID_ACTION');
    expect(sale.refusal({ type: 'requestApproval', actor, kind: 'change_unit', reason: 'x', unitId: 'unit-2', contractArea: 'big' })).toBe('INVALID_ACTION');
    expect(sale.refusal({ type: 'requestApproval', actor, kind: 'rename', reason: 'x' })).toBe('INVALID_ACTION');
    expect(sale.refusal({ type: 'decideApproval', actor: manager, approvalId: 'nope', decision: 'maybe' as never })).toBe('INVALID_ACTION');
    expect(sale.refusal({ type: 'decideApproval', actor: manager, approvalId: 'nope', decision: 'approve' })).toBe('SALE_APPROVAL_NOT_FOUND');
    sale.sign();
    expect(sale.refusal({ type: 'recordPayment', actor, amount: '-5' })).toBe('INVALID_ACTION');
    expect(sale.refusal({ type: 'recordPayment', actor, amount: '0' })).toBe('INVALID_ACTION');
    const inspecting = inInspection();
    expect(inspecting.refusal({ type: 'recordInspection', actor, defects: [{ location: 'kitchen', description: '', category: 'repair.wall' }] })).toBe('INVALID_ACTION');
    expect(inspecting.refusal({ type: 'recordInspection', actor, defects: 'none' as never })).toBe('INVALID_ACTION');
    expect(inspecting.refusal({ type: 'recordHandover', actor, keysIssued: 0, measuredArea: '100.00' })).toBe('INVALID_ACTION');
    expect(inspecting.refusal({ type: 'recordHandover', actor, keysIssued: 1, measuredArea: '100.001' })).toBe('INVALID_ACTION');
    expect(inspecting.refusal({ type: 'recordHandover', actor, keysIssued: 1, measuredArea: '100.00' })).toBe('accepted');
  });
});

describe('continue-as-new', () => {
  it('counts one run more and keeps the time zone, taking it from the input for a state carried before it was kept', () => {
    const s = new Sale().state;
    expect(continuedSaleState(s, 'Europe/Berlin')).toEqual({ ...s, runs: 2, timeZone: ZONE });
    const { timeZone: _dropped, ...older } = s;
    const continued = continuedSaleState(older, ZONE);
    expect(continued).toMatchObject({ runs: 2, timeZone: ZONE });
    // It goes on with the same rules: the contract reminder fires on the project calendar.
    expect(types(reduceSale(continued, { type: 'tick' }, plus(T0, { days: 5 })).events)).toEqual(['sale.deadline_reminder']);
  });
});
