import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Activities, AuditEventInput } from '../../activities/index.js';
import { DEFAULT_SALES_POLICY } from '../../domain/sales/policy.js';
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
  saleWorkflowId,
  signContract,
  type NotifySalePartiesInput,
  type OpenDefectCasesInput,
  type ProjectSaleInput,
  type SaleActivities,
  type SaleLifecycleInput,
} from '../../workflows/sales/sale-lifecycle.defs.js';
import { saleLifecycle } from '../../workflows/sales/sale-lifecycle.js';
import { CaseHarness, DAY, eventually, near, refusal, registerCaseSearchAttributes, SECOND } from './complaint-case.support.js';

/**
 * The sale lifecycle on the time-skipping server: a year and more in seconds. Activities are
 * recording fakes. The workflow is not yet exported from workflows/index.ts (the replay test wants
 * a recorded history for each exported workflow), so this file bundles it on its own.
 */
let env: TestWorkflowEnvironment;
let h: CaseHarness;
const ZONE = 'Asia/Shanghai';

beforeAll(async () => {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed in this process.
  }
  const [e, bundle] = await Promise.all([
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: inject('temporalTestServer') } } }),
    bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('../../workflows/sales/sale-lifecycle.ts', import.meta.url)), logger: new DefaultLogger('WARN') }),
  ]);
  env = e;
  await registerCaseSearchAttributes(env);
  h = new CaseHarness(env, bundle);
}, 120_000);
afterAll(async () => {
  await h?.stop();
  await env?.teardown();
});

function fakeSaleActivities(o: { caseIds?: (input: OpenDefectCasesInput) => string[] } = {}) {
  const audit: AuditEventInput[] = [];
  const notices: NotifySalePartiesInput[] = [];
  const projections: ProjectSaleInput[] = [];
  const defectCalls: OpenDefectCasesInput[] = [];
  const sale: SaleActivities = {
    async recordAuditEvent(event) {
      audit.push(event);
      return { inserted: true };
    },
    async notifySaleParties(input) {
      notices.push(input);
      return { sent: [], skipped: [], refused: [] };
    },
    async projectSale(input) {
      projections.push(input);
      return { applied: true };
    },
    async openDefectCases(input) {
      defectCalls.push(input);
      return { caseIds: o.caseIds ? o.caseIds(input) : input.defects.map((_, i) => `case-${input.source}-${i + 1}`) };
    },
  };
  const activities = sale as unknown as Partial<Activities>;
  const types = () => audit.map((e) => e.type);
  const ofType = (type: string) => audit.filter((e) => e.type === type);
  const kinds = () => notices.map((n) => n.kind);
  return { audit, notices, projections, defectCalls, activities, types, ofType, kinds };
}

const plus = (at: number, d: Record<string, number>) => DateTime.fromMillis(at, { zone: ZONE }).plus(d).toMillis();

async function saleInput(o: Partial<SaleLifecycleInput> = {}): Promise<SaleLifecycleInput> {
  const saleId = crypto.randomUUID();
  const now = await env.currentTimeMs();
  return {
    saleId,
    saleNumber: `SL-TEST-${saleId.slice(0, 6)}`,
    groupId: 'group-1',
    companyId: 'company-1',
    projectId: 'project-1',
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
    deliveryDate: plus(now, { months: 3 }),
    policy: { ...DEFAULT_SALES_POLICY },
    createdBy: 'sales-1',
    ...o,
  };
}

async function startSale(taskQueue: string, input: SaleLifecycleInput) {
  const handle = await h.startWorkflow(saleLifecycle, { taskQueue, workflowId: saleWorkflowId(input.saleId), args: [input] });
  const state = await handle.query(getSaleState);
  return { handle, state };
}

const actor = 'sales-1';
const manager = 'salesmgr-1';
const defects = [
  { location: 'kitchen', description: 'tap leaks', category: 'repair.plumbing' },
  { location: 'bedroom', description: 'wall crack', category: 'repair.wall' },
];

describe('full payment', () => {
  it('goes from subscription through contract, filing and instalments to inspection and handover', async () => {
    const f = fakeSaleActivities();
    await h.withWorker(f.activities, async (tq) => {
      const { handle, state } = await startSale(tq, await saleInput());
      expect(state).toMatchObject({ stage: 'subscribed', paidTotal: '50000.00', seq: 1 });
      expect(state.deadlines).toEqual([expect.objectContaining({ kind: 'contract', dueAt: plus(state.createdAt, { days: 7 }) })]);

      await h.travelTo(state.createdAt + DAY);
      let s = await handle.executeUpdate(signContract, { args: [{ actor, contractNo: 'HT-001' }] });
      expect(s.stage).toBe('contracted');
      expect(s.deadlines.map((d) => d.kind).sort()).toEqual(['filing', 'full_payment']);
      await eventually(() => f.kinds().includes('welcome_letter'), 'the welcome letter');
      expect(f.notices.find((n) => n.kind === 'welcome_letter')).toMatchObject({ recipients: { customerIds: ['customer-1'] }, contactUserId: 'sales-1' });

      s = await handle.executeUpdate(recordFiling, { args: [{ actor, filingNo: 'BA-001' }] });
      expect(s.filing?.filingNo).toBe('BA-001');
      s = await handle.executeUpdate(recordPayment, { args: [{ actor, amount: '450000.00' }] });
      expect(s).toMatchObject({ stage: 'paying', paidTotal: '500000.00' });
      s = await handle.executeUpdate(recordPayment, { args: [{ actor, amount: '500000.00' }] });
      expect(s).toMatchObject({ stage: 'paid', paidTotal: '1000000.00', deadlines: [] });

      // The inspection stage opens a month before delivery.
      await h.travelTo(s.inspectionAt + SECOND);
      await eventually(async () => (await handle.query(getSaleState)).stage === 'inspection', 'the inspection stage');
      expect(s.inspectionAt).toBe(plus(s.deliveryDate, { months: -1 }));
      s = await handle.executeUpdate(recordInspection, { args: [{ actor, defects: [] }] });
      s = await handle.executeUpdate(recordHandover, { args: [{ actor, keysIssued: 2, measuredArea: '101.00' }] });
      expect(s).toMatchObject({ stage: 'handed_over', ownerRegistered: true, unitReleased: false });
      // +1 % of 100 m² at 10,000 CNY/m²: the buyer owes 10,000.
      expect(s.handover).toMatchObject({ areaSettlement: '10000.00', keysIssued: 2 });
      const final = await handle.result();
      expect(final.stage).toBe('handed_over');
      expect(f.ofType('sale.handed_over')[0]!.data).toMatchObject({ referrerCustomerId: 'customer-referrer', settlementDirection: 'buyer_pays', ownerRegistered: true });
      expect(f.projections.at(-1)!.state.stage).toBe('handed_over');
      expect(f.defectCalls).toHaveLength(0);
      // Audit seqs are consecutive from 1.
      expect(f.audit.map((e) => e.seq)).toEqual(f.audit.map((_, i) => i + 1));
    });
  });
});

describe('mortgage', () => {
  it('runs documents → approval → disbursement to handover, with a reminder before each deadline', async () => {
    const f = fakeSaleActivities();
    await h.withWorker(f.activities, async (tq) => {
      const { handle, state } = await startSale(tq, await saleInput({ paymentMethod: 'mortgage' }));
      await h.travelTo(state.createdAt + DAY);
      let s = await handle.executeUpdate(signContract, { args: [{ actor, contractNo: 'HT-002' }] });
      const docsDue = s.deadlines.find((d) => d.kind === 'mortgage_documents')!;
      expect(docsDue.dueAt).toBe(plus(s.contract!.signedAt, { days: 14 }));
      await h.travelTo(docsDue.remindAt + SECOND);
      await eventually(() => f.notices.some((n) => n.kind === 'deadline_reminder' && n.deadline === 'mortgage_documents'), 'the documents reminder');
      expect(f.notices.find((n) => n.deadline === 'mortgage_documents')).toMatchObject({ recipients: { userIds: ['sales-1'] } });

      s = await handle.executeUpdate(recordMortgageEvent, { args: [{ actor, event: 'documents_submitted', bank: 'ICBC' }] });
      expect(s.stage).toBe('mortgage_pending');
      expect(s.deadlines.map((d) => d.kind)).toContain('bank_decision');
      s = await handle.executeUpdate(recordMortgageEvent, { args: [{ actor, event: 'approved', bank: 'ICBC', amount: '700000.00' }] });
      expect(s.mortgage).toMatchObject({ status: 'approved', amount: '700000.00', bank: 'ICBC' });
      expect(await refusal(handle.executeUpdate(recordMortgageEvent, { args: [{ actor, event: 'approved', bank: 'ICBC', amount: '1.00' }] }))).toBe('SALE_WRONG_STAGE');
      s = await handle.executeUpdate(recordPayment, { args: [{ actor, amount: '250000.00' }] });
      expect(s.stage).toBe('mortgage_pending');
      s = await handle.executeUpdate(recordMortgageEvent, { args: [{ actor, event: 'disbursed' }] });
      expect(s).toMatchObject({ stage: 'paid', paidTotal: '1000000.00' });

      await h.travelTo(s.inspectionAt + SECOND);
      await eventually(async () => (await handle.query(getSaleState)).stage === 'inspection', 'the inspection stage');
      await handle.executeUpdate(recordInspection, { args: [{ actor, defects: [] }] });
      s = await handle.executeUpdate(recordHandover, { args: [{ actor, keysIssued: 1, measuredArea: '98.00', defects: [defects[0]!] }] });
      // −2 % within tolerance: 20,000 refunded.
      expect(s.handover).toMatchObject({ areaSettlement: '-20000.00' });
      const final = await handle.result();
      expect(final.handover!.caseIds).toEqual(['case-handover-1']);
      expect(f.defectCalls).toEqual([expect.objectContaining({ source: 'handover', resolutionWithin: 'P7D', defects: [defects[0]] })]);
    });
  });

  it('lets sales switch a rejected mortgage to full payment', async () => {
    const f = fakeSaleActivities();
    await h.withWorker(f.activities, async (tq) => {
      const { handle } = await startSale(tq, await saleInput({ paymentMethod: 'mortgage' }));
      await handle.executeUpdate(signContract, { args: [{ actor, contractNo: 'HT-003' }] });
      expect(await refusal(handle.executeUpdate(changePaymentMethod, { args: [{ actor, paymentMethod: 'full' }] }))).toBe('SALE_NOT_REJECTED_MORTGAGE');
      await handle.executeUpdate(recordMortgageEvent, { args: [{ actor, event: 'documents_submitted' }] });
      let s = await handle.executeUpdate(recordMortgageEvent, { args: [{ actor, event: 'rejected', bank: 'BOC' }] });
      expect(s).toMatchObject({ stage: 'mortgage_pending', mortgage: { status: 'rejected' } });
      await eventually(() => f.kinds().includes('mortgage_rejected'), 'the rejection notice');
      s = await handle.executeUpdate(changePaymentMethod, { args: [{ actor, paymentMethod: 'full' }] });
      expect(s).toMatchObject({ stage: 'paying', paymentMethod: 'full' });
      expect(s.deadlines.map((d) => d.kind)).toContain('full_payment');
      s = await handle.executeUpdate(recordPayment, { args: [{ actor, amount: '950000.00' }] });
      expect(s.stage).toBe('paid');
    });
  });
});

describe('subscription lapse', () => {
  it('reminds the owner at day 5 and lapses at day 7 without a contract, releasing the unit', async () => {
    const f = fakeSaleActivities();
    await h.withWorker(f.activities, async (tq) => {
      const { handle, state } = await startSale(tq, await saleInput());
      await h.travelTo(plus(state.createdAt, { days: 5 }) + SECOND);
      await eventually(() => f.ofType('sale.deadline_reminder').length === 1, 'the contract reminder');
      expect(near(Date.parse(f.ofType('sale.deadline_reminder')[0]!.at), plus(state.createdAt, { days: 5 }))).toBe(true);
      expect(f.notices.find((n) => n.kind === 'deadline_reminder')).toMatchObject({ deadline: 'contract', recipients: { userIds: ['sales-1'] } });
      await h.travelTo(plus(state.createdAt, { days: 7 }) + SECOND);
      const final = await handle.result();
      expect(final).toMatchObject({ stage: 'lapsed', lapseReason: 'contract_deadline', unitReleased: true });
      expect(f.ofType('sale.lapsed')[0]!.data).toMatchObject({ reason: 'contract_deadline', unitReleased: true });
      await eventually(() => f.projections.at(-1)?.state.unitReleased === true, 'the release projected');
    });
  });
});

describe('approvals', () => {
  it("cancels the sale and releases the unit on the sales manager's approval, and keeps it on a rejection", async () => {
    const f = fakeSaleActivities();
    await h.withWorker(f.activities, async (tq) => {
      const { handle, state } = await startSale(tq, await saleInput());
      const first = await handle.executeUpdate(requestApproval, { args: [{ actor, kind: 'cancel', reason: 'buyer changed plans' }] });
      expect(first).toMatchObject({ id: `${state.saleId}:apr:1`, status: 'pending' });
      expect(await refusal(handle.executeUpdate(requestApproval, { args: [{ actor, kind: 'rename', reason: 'x', buyerName: 'Li' }] }))).toBe('SALE_APPROVAL_PENDING');
      let s = await handle.executeUpdate(decideApproval, { args: [{ actor: manager, approvalId: first.id, decision: 'reject', note: 'talk to the buyer' }] });
      expect(s.stage).toBe('subscribed');
      expect(s.approvals[0]).toMatchObject({ status: 'rejected', decidedBy: manager });
      expect(await refusal(handle.executeUpdate(decideApproval, { args: [{ actor: manager, approvalId: first.id, decision: 'approve' }] }))).toBe('SALE_APPROVAL_NOT_FOUND');

      const rename = await handle.executeUpdate(requestApproval, { args: [{ actor, kind: 'rename', reason: 'spouse added', buyerName: '李四' }] });
      s = await handle.executeUpdate(decideApproval, { args: [{ actor: manager, approvalId: rename.id, decision: 'approve' }] });
      expect(s.buyerName).toBe('李四');
      const change = await handle.executeUpdate(requestApproval, { args: [{ actor, kind: 'change_unit', reason: 'higher floor', unitId: 'unit-2' }] });
      s = await handle.executeUpdate(decideApproval, { args: [{ actor: manager, approvalId: change.id, decision: 'approve' }] });
      expect(s.unitId).toBe('unit-2');

      const cancel = await handle.executeUpdate(requestApproval, { args: [{ actor, kind: 'cancel', reason: 'buyer withdrew' }] });
      expect(cancel.id).toBe(`${state.saleId}:apr:4`);
      await handle.executeUpdate(decideApproval, { args: [{ actor: manager, approvalId: cancel.id, decision: 'approve' }] });
      const final = await handle.result();
      expect(final).toMatchObject({ stage: 'cancelled', cancelReason: 'buyer withdrew', unitReleased: true, unitId: 'unit-2' });
      expect(f.types()).toEqual(expect.arrayContaining(['sale.approval_requested', 'sale.approval_decided', 'sale.renamed', 'sale.unit_changed', 'sale.cancelled']));
      // The workflow has completed: an Update now fails as not found (the API answers SALE_ENDED from the read model).
      await expect(handle.executeUpdate(signContract, { args: [{ actor, contractNo: 'HT-X' }] })).rejects.toThrow();
    });
  });
});

describe('inspection', () => {
  it('opens repair cases for the defects found, once, and keeps their ids on the sale', async () => {
    const f = fakeSaleActivities();
    await h.withWorker(f.activities, async (tq) => {
      const now = await env.currentTimeMs();
      // Delivery already within a month: paying in full enters inspection at once.
      const { handle } = await startSale(tq, await saleInput({ deliveryDate: plus(now, { days: 20 }) }));
      await handle.executeUpdate(signContract, { args: [{ actor, contractNo: 'HT-004' }] });
      await handle.executeUpdate(recordPayment, { args: [{ actor, amount: '950000.00' }] });
      await eventually(async () => (await handle.query(getSaleState)).stage === 'inspection', 'the inspection stage');
      await handle.executeUpdate(recordInspection, { args: [{ actor, defects }] });
      await eventually(async () => (await handle.query(getSaleState)).inspection?.caseIds.length === 2, 'the case ids');
      expect(await refusal(handle.executeUpdate(recordInspection, { args: [{ actor, defects }] }))).toBe('SALE_ALREADY_RECORDED');
      await h.settle();
      expect(f.defectCalls).toHaveLength(1);
      expect(f.defectCalls[0]).toMatchObject({ source: 'inspection', defects, customerId: 'customer-1', unitId: 'unit-1' });
      expect(f.defectCalls[0]!.idempotencyKey).toMatch(/^sale-.+:\d+$/);
      expect((await handle.query(getSaleState)).inspection!.caseIds).toEqual(['case-inspection-1', 'case-inspection-2']);
      expect(f.ofType('sale.defect_cases_opened')[0]!.data).toMatchObject({ caseIds: ['case-inspection-1', 'case-inspection-2'] });
    });
  });
});

describe('construction progress', () => {
  it('emails the buyer monthly for a simulated year from a 31st, then opens the inspection a month before delivery', async () => {
    const f = fakeSaleActivities();
    await h.withWorker(f.activities, async (tq) => {
      // Subscribed on a 31st: the year crosses months of 28–30 days, where emails sent each a
      // month after the one before would drift to the 28th and a thirteenth would fit in.
      let day = DateTime.fromMillis(await env.currentTimeMs(), { zone: ZONE }).plus({ days: 1 }).startOf('day').set({ hour: 10 });
      while (day.day !== 31) day = day.plus({ days: 1 });
      await h.travelTo(day.toMillis());
      const now = await env.currentTimeMs();
      const { handle, state } = await startSale(tq, await saleInput({ deliveryDate: plus(now, { months: 13 }) }));
      await handle.executeUpdate(signContract, { args: [{ actor, contractNo: 'HT-005' }] });
      await handle.executeUpdate(recordFiling, { args: [{ actor, filingNo: 'BA-005' }] });
      await handle.executeUpdate(recordPayment, { args: [{ actor, amount: '950000.00' }] });
      for (let m = 1; m <= 12; m++) {
        await h.travelTo(plus(state.createdAt, { months: m }) + SECOND);
        await eventually(() => f.notices.filter((n) => n.kind === 'progress').length === m, `progress notice ${m}`);
      }
      await eventually(async () => (await handle.query(getSaleState)).stage === 'inspection', 'the inspection stage');
      await h.travelTo(plus(state.createdAt, { months: 13 }) + DAY);
      await h.settle();
      const s = await handle.query(getSaleState);
      expect(s.progressCount).toBe(12);
      expect(s.nextProgressAt).toBeNull();
      const progress = f.notices.filter((n) => n.kind === 'progress');
      expect(progress).toHaveLength(12);
      const progressDays = f.ofType('sale.progress_notice').map((e) => DateTime.fromISO(e.at, { zone: ZONE }).day);
      expect(progressDays.filter((d) => d >= 29).length, `days of the month: ${progressDays.join(",")}`).toBeGreaterThanOrEqual(11);
      expect(progress[0]).toMatchObject({ recipients: { customerIds: ['customer-1'] } });
      const inspectionDue = f.ofType('sale.inspection_due')[0]!;
      expect(near(Date.parse(inspectionDue.at), plus(state.deliveryDate, { months: -1 }))).toBe(true);
    });
  });
});

describe('validators', () => {
  it('refuses actions out of stage with the right codes', async () => {
    const f = fakeSaleActivities();
    await h.withWorker(f.activities, async (tq) => {
      const { handle } = await startSale(tq, await saleInput());
      expect(await refusal(handle.executeUpdate(recordFiling, { args: [{ actor, filingNo: 'BA' }] }))).toBe('SALE_WRONG_STAGE');
      expect(await refusal(handle.executeUpdate(recordPayment, { args: [{ actor, amount: '1.00' }] }))).toBe('SALE_WRONG_STAGE');
      expect(await refusal(handle.executeUpdate(signContract, { args: [{ actor: '', contractNo: 'HT' }] }))).toBe('INVALID_ACTION');
      await handle.executeUpdate(signContract, { args: [{ actor, contractNo: 'HT-006' }] });
      expect(await refusal(handle.executeUpdate(signContract, { args: [{ actor, contractNo: 'HT-006' }] }))).toBe('SALE_WRONG_STAGE');
      expect(await refusal(handle.executeUpdate(recordMortgageEvent, { args: [{ actor, event: 'documents_submitted' }] }))).toBe('SALE_WRONG_PAYMENT_METHOD');
      expect(await refusal(handle.executeUpdate(changePaymentMethod, { args: [{ actor, paymentMethod: 'full' }] }))).toBe('SALE_NOT_REJECTED_MORTGAGE');
      expect(await refusal(handle.executeUpdate(recordInspection, { args: [{ actor, defects: [] }] }))).toBe('SALE_WRONG_STAGE');
      expect(await refusal(handle.executeUpdate(recordHandover, { args: [{ actor, keysIssued: 1, measuredArea: '100' }] }))).toBe('SALE_WRONG_STAGE');
      expect(await refusal(handle.executeUpdate(recordPayment, { args: [{ actor, amount: '-5' }] }))).toBe('INVALID_ACTION');
      expect(await refusal(handle.executeUpdate(decideApproval, { args: [{ actor: manager, approvalId: 'nope', decision: 'approve' }] }))).toBe('SALE_APPROVAL_NOT_FOUND');
      expect(await refusal(handle.executeUpdate(requestApproval, { args: [{ actor, kind: 'cancel', reason: ' ' }] }))).toBe('INVALID_ACTION');
      const s = await handle.query(getSaleState);
      expect(s.stage).toBe('contracted');
    });
  });
});

describe('continue-as-new', () => {
  it('carries the whole state into the next run: deadlines, payments, progress emails and the project calendar', async () => {
    const f = fakeSaleActivities();
    await h.withWorker(f.activities, async (tq) => {
      const now = await env.currentTimeMs();
      const { handle, state } = await startSale(tq, await saleInput({ deliveryDate: plus(now, { months: 13 }), historyLimit: 40 }));
      await handle.executeUpdate(signContract, { args: [{ actor, contractNo: 'HT-007' }] });
      await handle.executeUpdate(recordPayment, { args: [{ actor, amount: '450000.00' }] });
      for (let m = 1; m <= 6; m++) {
        await h.travelTo(plus(state.createdAt, { months: m }) + SECOND);
        await eventually(() => f.notices.filter((n) => n.kind === 'progress').length === m, `progress notice ${m}`);
      }
      const after = await eventually(async () => {
        const q = await handle.query(getSaleState);
        return q.runs > 1 ? q : undefined;
      }, 'a second run');
      expect((await handle.describe()).runId).not.toBe(handle.firstExecutionRunId);
      expect(after).toMatchObject({ saleId: state.saleId, stage: 'paying', paidTotal: '500000.00', contract: { contractNo: 'HT-007' }, timeZone: ZONE });
      // The filing was missed in the first run, not again after it; the next progress email is still a calendar month on.
      expect(after.deadlines.find((d) => d.kind === 'filing')?.missedAt).not.toBeNull();
      await eventually(async () => (await handle.query(getSaleState)).progressCount === 6, 'six progress emails');
      expect((await handle.query(getSaleState)).nextProgressAt).toBe(plus(state.createdAt, { months: 7 }));
      const s = await handle.executeUpdate(recordPayment, { args: [{ actor, amount: '500000.00' }] });
      expect(s.stage).toBe('paid');
      await h.settle();
      const seqs = f.audit.map((e) => e.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      expect(f.ofType('sale.deadline_missed').filter((e) => e.data.deadline === 'filing')).toHaveLength(1);
      expect(f.ofType('sale.subscribed')).toHaveLength(1);
    });
  });
});
