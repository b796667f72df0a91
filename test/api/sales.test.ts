import { DefaultLogger, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { call, errorPaths, expectProblem, type Answer } from './http.js';
import { saleWorkflow } from '../../app/sales/workflow.js';

/**
 * The sales API against the real thing: PostgreSQL, a Temporal dev server and the application's
 * worker running the saleLifecycle workflow and its activities (projection, unit reservations,
 * repair cases, emails held in the outbox).
 *
 * Demo organisation: group HX; HX-EAST holds HZ-BJHY (delivery 2027-06-30, where the
 * project-tier users work); HX-SOUTH holds SZ-HJW. 王先生 (13800138001) owns a unit at HZ-BJHY.
 * The organisation's sales policy is set so that the pre-handover inspection is already open
 * (inspection `P2Y` before delivery), so paid sales go straight on to inspection and handover.
 */
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

const DAY = 24 * 3_600_000;
let stack: TestStack;
const tokens = new Map<string, string>();
const ids = { bjhy: '', hjw: '', wang: '', li: '', sales: '', sales2: '', salesmgr: '', units: [] as string[], spare: '', unitHjw: '', soldUnit: '' };
const USERS = ['sales.project', 'sales.company', 'salesmgr.project', 'salesmgr.company', 'specialist.project', 'agent.project', 'supervisor.project', 'manager.group', 'admin'];

const as = (user: string, method: string, path: string, json?: unknown, headers?: Record<string, string>): Promise<Answer> =>
  call(stack, method, path, { token: tokens.get(user)!, json, headers });
const post = (user: string, id: string, action: string, json: unknown) => as(user, 'POST', `/api/sales/${id}/${action}`, json);
const ok = async (a: Promise<Answer>, status = 200) => {
  const r = await a;
  expect(r.status, r.text).toBe(status);
  return r.body;
};
async function eventually<T>(read: () => Promise<T>, good: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (good(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}
let unitCursor = 0;
const nextUnit = () => ids.units[unitCursor++]!;
const newSale = (over: Record<string, unknown> = {}) => ({ customerId: ids.li, unitId: nextUnit(), price: '2350000', deposit: '50000', paymentMethod: 'full', ...over });
async function open(over: Record<string, unknown> = {}, user = 'sales.project') {
  return ok(as(user, 'POST', '/api/sales', newSale(over)), 201);
}
const unitRow = (id: string) => stack.db.unit.findUniqueOrThrow({ where: { id } });
const events = async (id: string) => ((await as('salesmgr.project', 'GET', `/api/sales/${id}/events`)).body.items as Array<{ type: string; data: Record<string, unknown> }>).map((e) => e.type);

beforeAll(async () => {
  stack = await startTestStack({ seed: true, temporal: true, worker: true });
  const { db } = stack;
  const user = (u: string) => db.user.findUniqueOrThrow({ where: { username: u } }).then((x) => x.id);
  ids.bjhy = (await db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } })).id;
  ids.hjw = (await db.project.findFirstOrThrow({ where: { code: 'SZ-HJW' } })).id;
  ids.units = (await db.unit.findMany({ where: { projectId: ids.bjhy, ownerCustomerId: null }, orderBy: [{ floor: 'asc' }, { number: 'asc' }], take: 60 })).map((u) => u.id);
  // The last one stays free for the validation tests (nothing may reserve it).
  ids.spare = ids.units.pop()!;
  ids.unitHjw = (await db.unit.findFirstOrThrow({ where: { projectId: ids.hjw, ownerCustomerId: null } })).id;
  ids.wang = (await db.customer.findFirstOrThrow({ where: { phone: '13800138001' } })).id;
  ids.li = (await db.customer.findFirstOrThrow({ where: { phone: '13900139002' } })).id;
  ids.soldUnit = (await db.unit.findFirstOrThrow({ where: { ownerCustomerId: ids.wang } })).id;
  ids.sales = await user('sales.project');
  ids.salesmgr = await user('salesmgr.project');
  for (const u of USERS) tokens.set(u, await stack.login(u));
  const created = await as('admin', 'POST', '/api/users', {
    username: 'sales2.project',
    displayName: '项目置业顾问二',
    email: 'sales2.project@demo.estate-care.local',
    password: 'second-sales-password',
    role: 'SALES',
    scopeLevel: 'PROJECT',
    projectId: ids.bjhy,
  });
  expect(created.status, created.text).toBe(201);
  ids.sales2 = created.body.id;
  tokens.set('sales2.project', await stack.login('sales2.project', 'second-sales-password'));
  await ok(as('admin', 'PUT', '/api/sales-policy', { inspectionBeforeDelivery: 'P2Y' }));
}, 180_000);
afterAll(async () => {
  await stack?.close();
}, 60_000);

describe('opening a sale', () => {
  it('answers 201 with the stage, the contract deadline (P7D) and reserves the unit', async () => {
    const before = Date.now();
    const unitId = ids.units[0]!;
    const s = await open({ unitId, price: 2350000.5, deposit: '50000' });
    unitCursor = Math.max(unitCursor, 1);
    expect(s).toMatchObject({
      workflowId: `sale-${s.id}`,
      stage: 'subscribed',
      paymentMethod: 'full',
      project: { id: ids.bjhy, name: '滨江花园' },
      unit: { id: unitId },
      owner: { id: ids.sales, name: '项目置业顾问' },
      price: '2350000.50',
      deposit: '50000.00',
      paidTotal: '50000.00',
      outstanding: '2300000.50',
      pendingApproval: null,
      live: true,
      cases: [],
    });
    expect(s.number).toMatch(/^SL-\d{8}-\d{4}$/);
    expect(s.nextDeadline.kind).toBe('contract');
    expect(Math.abs(Date.parse(s.nextDeadline.dueAt) - (before + 7 * DAY))).toBeLessThan(10_000);
    expect(s.payments).toEqual([expect.objectContaining({ amount: '50000.00', source: 'deposit' })]);
    expect(await unitRow(unitId)).toMatchObject({ status: 'RESERVED', reservedBySaleId: s.id });
    const row = await eventually(
      () => stack.db.sale.findUniqueOrThrow({ where: { id: s.id } }),
      (r) => r.lastEventSeq > 0,
    );
    expect(row).toMatchObject({ stage: 'subscribed', nextDeadline: 'contract' });
    expect(row.nextDueAt?.toISOString()).toBe(s.nextDeadline.dueAt);
  });

  it('answers without waiting for the worker, with the deadlines the workflow then holds to the millisecond (issue 14, item 3)', async () => {
    const s = await open();
    const state = await saleWorkflow.queryStateOrNull(stack.temporal, s.workflowId);
    expect(state, 'the workflow answers its state').not.toBeNull();
    const contract = state!.deadlines.find((d) => d.kind === 'contract')!;
    expect(s.deadlines.find((d: { kind: string }) => d.kind === 'contract')).toMatchObject({ dueAt: new Date(contract.dueAt).toISOString(), remindAt: new Date(contract.remindAt).toISOString() });
  });

  it('refuses a second live sale of the same unit with 409, also when two race for it', async () => {
    const unitId = nextUnit();
    const [a, b] = await Promise.all([as('sales.project', 'POST', '/api/sales', newSale({ unitId })), as('salesmgr.project', 'POST', '/api/sales', newSale({ unitId }))]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expectProblem(a.status === 409 ? a : b, 409, 'UNIT_NOT_AVAILABLE');
    expect(await stack.db.sale.count({ where: { unitId } })).toBe(1);
    expectProblem(await as('sales.project', 'POST', '/api/sales', newSale({ unitId: ids.soldUnit })), 409, 'UNIT_NOT_AVAILABLE');
  });

  it('gives the same sale to a client retrying with the same Idempotency-Key', async () => {
    const body = newSale();
    const headers = { 'Idempotency-Key': 'sale-retry-0001' };
    const [a, b] = [await as('sales.project', 'POST', '/api/sales', body, headers), await as('sales.project', 'POST', '/api/sales', body, headers)];
    expect(a.status, a.text).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(await stack.db.sale.count({ where: { unitId: body.unitId } })).toBe(1);
  });

  it('validates at the edge and against the organisation', async () => {
    const bad = await as('sales.project', 'POST', '/api/sales', { customerId: ids.li, unitId: ids.spare, price: '100', deposit: '200', paymentMethod: 'cash' });
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(errorPaths(bad)).toEqual(['body.paymentMethod']);
    const deposit = await as('sales.project', 'POST', '/api/sales', { customerId: ids.li, unitId: ids.spare, price: '100', deposit: '200', paymentMethod: 'full' });
    expectProblem(deposit, 400, 'VALIDATION_FAILED');
    expect(errorPaths(deposit)).toEqual(['body.deposit']);
    expectProblem(await as('sales.project', 'POST', '/api/sales', newSale({ unitId: 'no-such-unit' })), 404, 'NOT_FOUND');
    expectProblem(await as('sales.project', 'POST', '/api/sales', newSale({ customerId: 'no-such-customer', unitId: ids.spare })), 404, 'NOT_FOUND');
    // A project-scoped salesperson may not sell another project's unit.
    expectProblem(await as('sales.project', 'POST', '/api/sales', newSale({ unitId: ids.unitHjw })), 403, 'OUT_OF_SCOPE');
    // Only a sales manager hands a sale to a colleague.
    const named = await as('sales.project', 'POST', '/api/sales', newSale({ unitId: ids.spare, ownerId: ids.sales2 }));
    expectProblem(named, 403, 'FORBIDDEN');
    expect(errorPaths(named)).toEqual(['body.ownerId']);
    expectProblem(await as('agent.project', 'POST', '/api/sales', newSale({ unitId: ids.spare })), 403, 'FORBIDDEN');
    expect(await unitRow(ids.spare)).toMatchObject({ status: 'AVAILABLE', reservedBySaleId: null });
  });
});

describe('the whole path', () => {
  it('full payment: contract, filing, instalments, inspection with defects opening repair cases, handover', async () => {
    const s = await open({ price: '1000000', deposit: '100000' });
    const contracted = await ok(post('sales.project', s.id, 'contract', { contractNo: 'HT-2026-0001' }));
    expect(contracted).toMatchObject({ stage: 'contracted', contract: { contractNo: 'HT-2026-0001' } });
    expect(contracted.deadlines.map((d: { kind: string }) => d.kind).sort()).toEqual(['filing', 'full_payment']);
    expectProblem(await post('sales.project', s.id, 'contract', { contractNo: 'again' }), 409, 'SALE_WRONG_STAGE');
    expectProblem(await post('sales.project', s.id, 'mortgage', { event: 'documents_submitted' }), 409, 'SALE_WRONG_PAYMENT_METHOD');
    await ok(post('sales.project', s.id, 'filing', { filingNo: 'BA-330100-0001' }));
    expectProblem(await post('sales.project', s.id, 'filing', { filingNo: 'again' }), 409, 'SALE_ALREADY_RECORDED');
    const paying = await ok(post('sales.project', s.id, 'payments', { amount: '400000' }));
    expect(paying).toMatchObject({ stage: 'paying', paidTotal: '500000.00', outstanding: '500000.00' });
    // Paid in full: the inspection is open already (policy P2Y before delivery).
    const paid = await ok(post('sales.project', s.id, 'payments', { amount: '500000.00' }));
    expect(paid.paidTotal).toBe('1000000.00');
    const inspecting = await eventually(
      () => as('sales.project', 'GET', `/api/sales/${s.id}`),
      (a) => a.body.stage === 'inspection',
    );
    expect(inspecting.body.stage).toBe('inspection');

    const badCategory = await post('sales.project', s.id, 'inspection', { defects: [{ location: '卫生间', description: '地漏返水', category: 'no.such' }] });
    expectProblem(badCategory, 400, 'VALIDATION_FAILED');
    expect(errorPaths(badCategory)).toEqual(['body.defects.0.category']);
    // A defect becomes a repair case: a complaint's category is not one of its type's.
    const notRepair = await post('sales.project', s.id, 'inspection', { defects: [{ location: '卫生间', description: '地漏返水', category: 'complaint.quality.leakage' }] });
    expectProblem(notRepair, 400, 'VALIDATION_FAILED');
    expect(notRepair.body.errors).toEqual([expect.objectContaining({ path: 'body.defects.0.category', code: 'CATEGORY_NOT_OF_TYPE', params: { category: 'complaint.quality.leakage', type: 'repair' } })]);
    await ok(
      post('sales.project', s.id, 'inspection', {
        defects: [
          { location: '主卧', description: '窗框密封条脱落', category: 'repair.doors_windows' },
          { location: '卫生间', description: '地漏返水', category: 'repair.plumbing.blockage' },
        ],
      }),
    );
    const withCases = await eventually(
      () => as('sales.project', 'GET', `/api/sales/${s.id}`),
      (a) => a.body.cases?.length === 2 && a.body.inspection?.caseIds?.length === 2,
    );
    expect(withCases.body.cases.map((c: { category: string }) => c.category).sort()).toEqual(['repair.doors_windows', 'repair.plumbing.blockage']);
    // The repair cases are ordinary cases: the customer-service staff see them in the case API, with a 7-day resolution target.
    for (const c of withCases.body.cases as Array<{ id: string }>) {
      const kase = await eventually(
        () => as('supervisor.project', 'GET', `/api/cases/${c.id}`),
        (a) => a.status === 200 && a.body.sla?.resolution?.dueAt,
      );
      expect(kase.status, kase.text).toBe(200);
      expect(kase.body).toMatchObject({ type: 'repair', projectId: ids.bjhy, unitId: s.unit.id, customerId: ids.li });
      expect(Math.abs(Date.parse(kase.body.sla.resolution.dueAt) - Date.parse(kase.body.openedAt) - 7 * DAY)).toBeLessThan(5_000);
    }
    expectProblem(await post('sales.project', s.id, 'inspection', { defects: [] }), 409, 'SALE_ALREADY_RECORDED');

    const unitArea = (await unitRow(s.unit.id)).area.toNumber();
    const handedOver = await ok(
      post('sales.project', s.id, 'handover', {
        keysIssued: 2,
        measuredArea: (unitArea * 1.05).toFixed(2),
        defects: [{ location: '客厅', description: '墙面空鼓', category: 'repair.walls_floors' }],
      }),
    );
    expect(handedOver).toMatchObject({ stage: 'handed_over', ownerRegistered: true, handover: { keysIssued: 2, beyondTolerance: true } });
    // 5 % larger: the buyer pays for 3 % at the price; the rest is free to them.
    expect(Number(handedOver.handover.areaSettlement)).toBeGreaterThan(0);
    await eventually(
      () => stack.db.unit.findUniqueOrThrow({ where: { id: s.unit.id } }),
      (u) => u.status === 'DELIVERED',
    );
    expect(await unitRow(s.unit.id)).toMatchObject({ status: 'DELIVERED', ownerCustomerId: ids.li, reservedBySaleId: null });
    const registration = await eventually(
      () => stack.db.ownerRegistration.findUnique({ where: { saleId: s.id } }),
      (r) => r !== null,
    );
    expect(registration).toMatchObject({ unitId: s.unit.id, customerId: ids.li });
    const finalView = await eventually(
      () => as('sales.project', 'GET', `/api/sales/${s.id}`),
      (a) => a.body.cases?.length === 3,
    );
    expect(finalView.body.cases).toHaveLength(3);
    expectProblem(await post('sales.project', s.id, 'payments', { amount: '1' }), 409, 'SALE_ENDED');
    const types = await eventually(
      () => events(s.id),
      (t) => t.filter((x) => x === 'sale.defect_cases_opened').length === 2,
    );
    expect(types).toEqual(
      expect.arrayContaining(['sale.subscribed', 'sale.contract_signed', 'sale.welcome_letter', 'sale.filed', 'sale.payment_recorded', 'sale.paid', 'sale.inspection_due', 'sale.inspected', 'sale.handed_over']),
    );
  });

  it('mortgage: documents, a rejection, the switch to full payment', async () => {
    const s = await open({ paymentMethod: 'mortgage', price: '2000000', deposit: '100000' });
    await ok(post('sales.project', s.id, 'contract', { contractNo: 'HT-2026-0002' }));
    expectProblem(await post('sales.project', s.id, 'payment-method', { paymentMethod: 'full' }), 409, 'SALE_NOT_REJECTED_MORTGAGE');
    const submitted = await ok(post('sales.project', s.id, 'mortgage', { event: 'documents_submitted', bank: '工商银行' }));
    expect(submitted).toMatchObject({ stage: 'mortgage_pending', mortgage: { status: 'documents_submitted', bank: '工商银行' } });
    expect(submitted.deadlines.map((d: { kind: string }) => d.kind)).toContain('bank_decision');
    const approvalWithoutAmount = await post('sales.project', s.id, 'mortgage', { event: 'approved', bank: '工商银行' });
    expectProblem(approvalWithoutAmount, 400, 'VALIDATION_FAILED');
    expectProblem(await post('sales.project', s.id, 'mortgage', { event: 'disbursed' }), 409, 'SALE_WRONG_STAGE');
    await ok(post('sales.project', s.id, 'mortgage', { event: 'rejected' }));
    const switched = await ok(post('sales.project', s.id, 'payment-method', { paymentMethod: 'full' }));
    expect(switched).toMatchObject({ stage: 'paying', paymentMethod: 'full' });
    expect(switched.deadlines.map((d: { kind: string }) => d.kind)).toContain('full_payment');
    await ok(post('sales.project', s.id, 'payments', { amount: '1900000' }));
    await eventually(
      () => as('sales.project', 'GET', `/api/sales/${s.id}`),
      (a) => a.body.stage === 'inspection',
    );
  });

  it('mortgage approved and disbursed pays the sale', async () => {
    const s = await open({ paymentMethod: 'mortgage', price: '1500000', deposit: '450000' });
    await ok(post('sales.project', s.id, 'contract', { contractNo: 'HT-2026-0003' }));
    await ok(post('sales.project', s.id, 'mortgage', { event: 'documents_submitted' }));
    await ok(post('sales.project', s.id, 'mortgage', { event: 'approved', bank: '建设银行', amount: '1050000' }));
    const disbursed = await ok(post('sales.project', s.id, 'mortgage', { event: 'disbursed' }));
    expect(disbursed.paidTotal).toBe('1500000.00');
    expect(disbursed.mortgage).toMatchObject({ status: 'disbursed', bank: '建设银行', amount: '1050000.00' });
    expect(['paid', 'inspection']).toContain(disbursed.stage);
  });
});

describe('approvals', () => {
  it("cancels on a sales manager's approval and releases the unit; the salesperson cannot decide", async () => {
    const s = await open();
    const asked = await ok(post('sales.project', s.id, 'cancel', { reason: '客户资金周转困难' }));
    expect(asked.pendingApproval).toBe('cancel');
    const approval = asked.approvals[0];
    expect(approval).toMatchObject({ kind: 'cancel', status: 'pending', reason: '客户资金周转困难', requestedBy: ids.sales });
    expectProblem(await post('sales.project', s.id, 'rename', { buyerName: '李四', reason: '夫妻共有' }), 409, 'SALE_APPROVAL_PENDING');
    expectProblem(await as('sales.project', 'POST', `/api/sales/${s.id}/approvals/${approval.id}`, { decision: 'approve' }), 403, 'FORBIDDEN');
    // The approval queue: sales waiting for a decision.
    const queue = await eventually(
      () => as('salesmgr.project', 'GET', '/api/sales?pendingApproval=true'),
      (a) => a.body.items.some((i: { id: string }) => i.id === s.id),
    );
    expect(queue.body.items.find((i: { id: string }) => i.id === s.id)).toMatchObject({ pendingApproval: 'cancel' });
    const cancelled = await ok(as('salesmgr.project', 'POST', `/api/sales/${s.id}/approvals/${approval.id}`, { decision: 'approve', note: '同意退订' }));
    expect(cancelled).toMatchObject({ stage: 'cancelled', cancelReason: '客户资金周转困难' });
    expectProblem(await as('salesmgr.project', 'POST', `/api/sales/${s.id}/approvals/${approval.id}`, { decision: 'approve' }), 409, 'SALE_ENDED');
    const unit = await eventually(
      () => unitRow(s.unit.id),
      (u) => u.reservedBySaleId === null,
    );
    expect(unit).toMatchObject({ status: 'AVAILABLE', reservedBySaleId: null });
    // Released: the unit can be sold again.
    await open({ unitId: s.unit.id });
  });

  it('holds the new unit during a unit change, releases the old one on approval', async () => {
    const s = await open();
    const target = nextUnit();
    const asked = await ok(post('sales.project', s.id, 'change-unit', { unitId: target, reason: '客户希望换到高楼层' }));
    expect(await unitRow(target)).toMatchObject({ status: 'RESERVED', reservedBySaleId: s.id });
    expectProblem(await as('sales2.project', 'POST', '/api/sales', newSale({ unitId: target })), 409, 'UNIT_NOT_AVAILABLE');
    const decided = await ok(as('salesmgr.project', 'POST', `/api/sales/${s.id}/approvals/${asked.approvals[0].id}`, { decision: 'approve' }));
    expect(decided.unit.id).toBe(target);
    const old = await eventually(
      () => unitRow(s.unit.id),
      (u) => u.reservedBySaleId === null,
    );
    expect(old).toMatchObject({ status: 'AVAILABLE' });
    expect(await unitRow(target)).toMatchObject({ reservedBySaleId: s.id });
  });

  it('gives the held unit back when a unit change is rejected, and renames on approval', async () => {
    const s = await open();
    const target = nextUnit();
    const asked = await ok(post('sales.project', s.id, 'change-unit', { unitId: target, reason: '换房' }));
    await ok(as('salesmgr.project', 'POST', `/api/sales/${s.id}/approvals/${asked.approvals[0].id}`, { decision: 'reject', note: '不符合换房条件' }));
    const released = await eventually(
      () => unitRow(target),
      (u) => u.reservedBySaleId === null,
    );
    expect(released.status).toBe('AVAILABLE');
    const renamed = await ok(post('sales.project', s.id, 'rename', { buyerName: '李四 <script>alert(1)</script>', reason: '增加共有人' }));
    const done = await ok(as('salesmgr.project', 'POST', `/api/sales/${s.id}/approvals/${renamed.approvals[1].id}`, { decision: 'approve' }));
    expect(done.buyerName).toBe('李四 <script>alert(1)</script>');
    expectProblem(await as('salesmgr.project', 'POST', `/api/sales/${s.id}/approvals/${s.id}:apr:9`, { decision: 'approve' }), 409, 'SALE_APPROVAL_NOT_FOUND');
  });
});

describe('who sees and works a sale', () => {
  it('lists own sales for sales staff, the projects’ sales for managers; others get 403', async () => {
    const mine = await open();
    const theirs = await open({}, 'sales2.project');
    const list = (user: string) => as(user, 'GET', '/api/sales?pageSize=200').then((a) => (a.body.items as Array<{ id: string; owner: { id: string } }>) ?? []);
    const forSales = await list('sales.project');
    expect(forSales.every((s) => s.owner.id === ids.sales)).toBe(true);
    expect(forSales.map((s) => s.id)).toContain(mine.id);
    expect(forSales.map((s) => s.id)).not.toContain(theirs.id);
    expect((await list('salesmgr.project')).map((s) => s.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect((await list('manager.group')).map((s) => s.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expectProblem(await as('sales.project', 'GET', `/api/sales/${theirs.id}`), 403, 'OUT_OF_SCOPE');
    expectProblem(await post('sales.project', theirs.id, 'contract', { contractNo: 'X' }), 403, 'OUT_OF_SCOPE');
    expectProblem(await post('manager.group', theirs.id, 'contract', { contractNo: 'X' }), 403, 'FORBIDDEN');
    expectProblem(await as('agent.project', 'GET', '/api/sales'), 403, 'FORBIDDEN');
    // A sales manager records steps on any sale of the project.
    await ok(post('salesmgr.project', theirs.id, 'contract', { contractNo: 'HT-MGR-1' }));
    const events = await as('sales2.project', 'GET', `/api/sales/${theirs.id}/events`);
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['sale.subscribed', 'sale.contract_signed']));
    expect(events.body.names[ids.salesmgr]).toBe('项目销售经理');
    // Filters.
    // Lists read the read model, which follows the workflow within moments.
    const contracted = await eventually(
      () => as('salesmgr.project', 'GET', '/api/sales?stage=contracted&pageSize=200'),
      (a) => a.body.items.some((s: { id: string }) => s.id === theirs.id),
    );
    expect(contracted.body.items.map((s: { id: string }) => s.id)).toContain(theirs.id);
    expect(contracted.body.items.every((s: { stage: string }) => s.stage === 'contracted')).toBe(true);
  });
});

describe('lead conversion', () => {
  it('opens the sale of the lead’s customer; the lead ends converted and links to it; a referrer is credited at handover', async () => {
    const lead = await ok(
      as('sales.project', 'POST', '/api/leads', {
        projectId: ids.bjhy,
        customer: { name: '周女士', phone: '13600009001' },
        source: 'referral',
        grade: 'A',
        ownerId: ids.sales,
        referrerCustomerId: ids.wang,
      }),
      201,
    );
    const unitId = nextUnit();
    const converted = await ok(as('sales.project', 'POST', `/api/leads/${lead.id}/convert`, { unitId, price: '1800000', deposit: '80000' }));
    expect(converted).toMatchObject({ status: 'converted', conversion: { unitId, price: '1800000.00' } });
    expect(converted.saleId).toEqual(expect.any(String));
    const sale = await ok(as('sales.project', 'GET', `/api/sales/${converted.saleId}`));
    expect(sale).toMatchObject({ leadId: lead.id, referrerCustomerId: ids.wang, stage: 'subscribed', paymentMethod: 'full', customer: { id: lead.customerId } });
    expectProblem(await as('sales.project', 'POST', `/api/leads/${lead.id}/convert`, { unitId: nextUnit(), price: '1', deposit: '1' }), 409, 'LEAD_ENDED');
    expectProblem(await as('sales.project', 'POST', '/api/sales', newSale({ customerId: lead.customerId, leadId: lead.id })), 409, 'LEAD_ENDED');

    await ok(post('sales.project', sale.id, 'contract', { contractNo: 'HT-REF-1' }));
    await ok(post('sales.project', sale.id, 'payments', { amount: '1720000' }));
    await eventually(
      () => as('sales.project', 'GET', `/api/sales/${sale.id}`),
      (a) => a.body.stage === 'inspection',
    );
    await ok(post('sales.project', sale.id, 'inspection', { defects: [] }));
    const area = (await unitRow(unitId)).area.toFixed(2);
    await ok(post('sales.project', sale.id, 'handover', { keysIssued: 2, measuredArea: area }));
    const wang = await eventually(
      () => stack.db.customer.findUniqueOrThrow({ where: { id: ids.wang } }),
      (c) => c.referralCount === 1,
    );
    expect(wang).toMatchObject({ referralCount: 1, membershipTier: 'silver' });
    expect(await stack.db.customer.findUniqueOrThrow({ where: { id: lead.customerId } })).toMatchObject({ purchaseCount: 1, membershipTier: 'none' });
  });

  it('leaves the lead open when the unit is taken', async () => {
    const lead = await ok(
      as('sales.project', 'POST', '/api/leads', { projectId: ids.bjhy, customer: { name: '吴先生', phone: '13600009002' }, source: 'walk_in', grade: 'B', ownerId: ids.sales }),
      201,
    );
    const taken = (await stack.db.unit.findFirstOrThrow({ where: { projectId: ids.bjhy, status: 'RESERVED' } })).id;
    expectProblem(await as('sales.project', 'POST', `/api/leads/${lead.id}/convert`, { unitId: taken, price: '1000000', deposit: '10000' }), 409, 'UNIT_NOT_AVAILABLE');
    expect((await ok(as('sales.project', 'GET', `/api/leads/${lead.id}`))).status).not.toBe('converted');
  });
});

describe('settings', () => {
  it('reads the sales policy for the sales team; only an administrator replaces it, with validation', async () => {
    const got = await ok(as('sales.project', 'GET', '/api/sales-policy'));
    expect(got.policy).toMatchObject({ contractWithin: 'P7D', inspectionBeforeDelivery: 'P2Y' });
    expect(got.defaults.contractWithin).toBe('P7D');
    expectProblem(await as('salesmgr.project', 'PUT', '/api/sales-policy', { contractWithin: 'P3D' }), 403, 'FORBIDDEN');
    const bad = await as('admin', 'PUT', '/api/sales-policy', { contractWithin: 'seven days', inspectionBeforeDelivery: 'P2Y' });
    expectProblem(bad, 400, 'VALIDATION_FAILED');
  });

  it('keeps progress notes per project, written by its sales managers', async () => {
    expectProblem(await as('sales.project', 'POST', `/api/projects/${ids.bjhy}/progress-notes`, { text: '主体结构封顶' }), 403, 'FORBIDDEN');
    const note = await ok(as('salesmgr.project', 'POST', `/api/projects/${ids.bjhy}/progress-notes`, { text: '3 号楼主体结构已封顶，进入外立面施工。' }), 201);
    expect(note).toMatchObject({ projectId: ids.bjhy, text: '3 号楼主体结构已封顶，进入外立面施工。' });
    expectProblem(await as('salesmgr.project', 'POST', `/api/projects/${ids.hjw}/progress-notes`, { text: 'x' }), 403, 'OUT_OF_SCOPE');
    const list = await ok(as('sales.project', 'GET', `/api/projects/${ids.bjhy}/progress-notes`));
    expect(list.items[0]).toMatchObject({ id: note.id });
  });
});
