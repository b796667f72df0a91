import crypto from 'node:crypto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { DateTime } from 'luxon';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { DEFAULT_SALES_POLICY } from '../../domain/sales/policy.js';
import { createLogger } from '../../platform/logger.js';
import { caseWorkflowId, getCaseState } from '../../workflows/cases/complaint-case.defs.js';
import type { NotifySalePartiesInput, OpenDefectCasesInput, SaleApproval, SaleState } from '../../workflows/sales/sale-lifecycle.defs.js';
import { call } from '../api/http.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { startSmtpServer, type TestSmtpServer } from './smtp.js';

/**
 * The sale workflow's activities against the real parts: PostgreSQL (the read model, units,
 * customers), a real SMTP server, and a Temporal dev server whose worker runs the case workflows a
 * sale's defects open. The activities are called directly, as the worker would call them.
 */
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

const DAY = 86_400_000;
let stack: TestStack;
let smtp: TestSmtpServer;
let activities: ReturnType<typeof createActivities>;
const org = { groupId: '', companyId: '', projectId: '', otherProjectId: '', thirdProjectId: '', salesId: '', managerId: '' };

async function eventually<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to : [m.to]).flatMap((a) => a?.value.map((v) => v.address) ?? []);
const mailTo = (address: string) => smtp.messages.filter((m) => to(m).includes(address));

let phones = 0;
async function customer(o: { name: string; email?: string | null }) {
  const phone = `1350000${String(++phones).padStart(4, '0')}`;
  return stack.db.customer.create({ data: { groupId: org.groupId, name: o.name, phone, email: o.email === undefined ? `c${phones}@buyers.test` : o.email } });
}

/** The next unit nobody holds, owns or has sold, in the order of the project's units. */
async function freeUnit(projectId = org.projectId) {
  return stack.db.unit.findFirstOrThrow({ where: { projectId, status: 'AVAILABLE', reservedBySaleId: null, ownerCustomerId: null }, orderBy: [{ floor: 'asc' }, { number: 'asc' }] });
}

/** What the API does before it starts the workflow: the sale row, and the unit reserved for it. */
async function createSale(o: { customerId: string; referrerCustomerId?: string | null; projectId?: string }) {
  const id = crypto.randomUUID();
  const projectId = o.projectId ?? org.projectId;
  const unit = await freeUnit(projectId);
  await stack.db.unit.update({ where: { id: unit.id }, data: { reservedBySaleId: id, status: 'RESERVED' } });
  const now = Date.now();
  await stack.db.sale.create({
    data: {
      id,
      number: `SL-20261123-${id.slice(0, 8)}`,
      workflowId: `sale-${id}`,
      groupId: org.groupId,
      companyId: org.companyId,
      projectId,
      unitId: unit.id,
      customerId: o.customerId,
      ownerId: org.salesId,
      referrerCustomerId: o.referrerCustomerId ?? null,
      stage: 'subscribed',
      paymentMethod: 'full',
      price: '2350000.00',
      deposit: '50000.00',
      paidTotal: '50000.00',
      contractArea: '89.50',
      deadlines: [],
      payments: [],
      approvals: [],
      deliveryDate: new Date(now + 400 * DAY),
      inspectionAt: new Date(now + 370 * DAY),
      createdById: org.salesId,
      createdAt: new Date(now),
    },
  });
  return { id, unitId: unit.id, number: `SL-20261123-${id.slice(0, 8)}` };
}

function stateOf(sale: { id: string; unitId: string; number: string }, customerId: string, o: Partial<SaleState> = {}): SaleState {
  const now = Date.now();
  return {
    saleId: sale.id,
    saleNumber: sale.number,
    stage: 'subscribed',
    paymentMethod: 'full',
    unitId: sale.unitId,
    customerId,
    buyerName: null,
    ownerId: org.salesId,
    leadId: null,
    referrerCustomerId: null,
    price: '2350000.00',
    deposit: '50000.00',
    paidTotal: '50000.00',
    payments: [{ amount: '50000.00', paidAt: now, source: 'deposit', recordedBy: org.salesId }],
    contractArea: '89.50',
    deliveryDate: now + 400 * DAY,
    policy: DEFAULT_SALES_POLICY,
    deadlines: [{ kind: 'contract', dueAt: now + 7 * DAY, remindAt: now + 5 * DAY, reminded: false, missedAt: null }],
    contract: null,
    filing: null,
    mortgage: null,
    inspectionAt: now + 370 * DAY,
    nextProgressAt: now + 30 * DAY,
    progressCount: 0,
    inspection: null,
    handover: null,
    approvals: [],
    unitReleased: false,
    ownerRegistered: false,
    lapseReason: null,
    cancelReason: null,
    seq: 1,
    createdAt: now,
    closedAt: null,
    runs: 1,
    ...o,
  };
}

const contracted = (now = Date.now()): Partial<SaleState> => ({
  stage: 'contracted',
  contract: { contractNo: 'HT-001', signedAt: now, recordedBy: org.salesId },
  deadlines: [
    { kind: 'filing', dueAt: now + 30 * DAY, remindAt: now + 28 * DAY, reminded: false, missedAt: null },
    { kind: 'full_payment', dueAt: now + 60 * DAY, remindAt: now + 58 * DAY, reminded: false, missedAt: null },
  ],
});

function handedOver(now = Date.now()): Partial<SaleState> {
  return {
    ...contracted(now),
    stage: 'handed_over',
    deadlines: [],
    paidTotal: '2350000.00',
    handover: { handedOverAt: now, keysIssued: 2, measuredArea: '89.20', areaSettlement: '-7877.09', areaDifferencePct: -0.34, beyondTolerance: false, defects: [], caseIds: [], recordedBy: org.salesId },
    ownerRegistered: true,
    closedAt: now,
  };
}

const approval = (o: Partial<SaleApproval> & Pick<SaleApproval, 'kind'>): SaleApproval => ({
  id: `apr-${crypto.randomUUID()}`,
  reason: '客户要求 / customer asked',
  unitId: null,
  contractArea: null,
  buyerName: null,
  requestedBy: org.salesId,
  requestedAt: Date.now(),
  status: 'pending',
  decidedBy: null,
  decidedAt: null,
  note: null,
  ...o,
});

/** What the API does when a unit change is requested: the wanted unit is reserved too, while the sale keeps its own. */
async function reserveAlso(unitId: string, saleId: string) {
  try {
    await stack.db.unit.update({ where: { id: unitId }, data: { reservedBySaleId: saleId, status: 'RESERVED' } });
  } catch (err) {
    if ((err as { code?: string }).code !== 'P2002') throw err;
    throw new Error('unit.reservedBySaleId is @unique in prisma/schema.prisma, so a sale cannot hold its unit and the unit a pending change asks for; it needs a plain @@index instead');
  }
}

const unitRow = (id: string) => stack.db.unit.findUniqueOrThrow({ where: { id } });

beforeAll(async () => {
  smtp = await startSmtpServer();
  stack = await startTestStack({ seed: true, temporal: true, worker: true, smtpUrl: smtp.url });
  const project = await stack.db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } });
  const other = await stack.db.project.findFirstOrThrow({ where: { code: 'SZ-HPMD' } });
  Object.assign(org, {
    groupId: project.groupId,
    companyId: project.companyId,
    projectId: project.id,
    otherProjectId: other.id,
    thirdProjectId: (await stack.db.project.findFirstOrThrow({ where: { code: 'SZ-HJW' } })).id,
    salesId: (await stack.db.user.findUniqueOrThrow({ where: { username: 'sales.project' } })).id,
    managerId: (await stack.db.user.findUniqueOrThrow({ where: { username: 'salesmgr.project' } })).id,
  });
  activities = createActivities({ db: stack.db, mailer: stack.mailer, logger: createLogger({ name: 'sale-activities-test', level: 'silent' }), temporal: stack.temporal });
}, 180_000);

afterAll(async () => {
  await stack?.close();
  await smtp?.close();
}, 60_000);

describe('projectSale: the sale row', () => {
  it('maps the state onto the row, and an older or equal sequence changes nothing', async () => {
    const buyer = await customer({ name: '赵一' });
    const sale = await createSale({ customerId: buyer.id });
    const now = Date.now();
    const state = stateOf(sale, buyer.id, {
      ...contracted(now),
      deadlines: [
        { kind: 'full_payment', dueAt: now - DAY, remindAt: now - 3 * DAY, reminded: true, missedAt: now - DAY + 1 },
        { kind: 'filing', dueAt: now + 30 * DAY, remindAt: now + 28 * DAY, reminded: false, missedAt: null },
      ],
      approvals: [approval({ kind: 'rename', buyerName: '赵一 赵二' })],
      paidTotal: '150000.50',
      seq: 4,
    });
    expect(await activities.projectSale({ saleId: sale.id, seq: 4, state })).toEqual({ applied: true });
    const row = await stack.db.sale.findUniqueOrThrow({ where: { id: sale.id } });
    expect(row).toMatchObject({ stage: 'contracted', contractNo: 'HT-001', lastEventSeq: 4, pendingApproval: 'rename', inspectionDefects: 0, handoverDefects: 0 });
    // The missed payment deadline stays open, but the next one to act on is the filing.
    expect(row.nextDeadline).toBe('filing');
    expect(row.nextDueAt?.getTime()).toBe(now + 30 * DAY);
    expect(row.paidTotal.toString()).toBe('150000.5');
    expect(row.price.toFixed(2)).toBe('2350000.00');
    expect(row.deadlines).toHaveLength(2);

    // A late attempt with an older state, and a retry of the same one: nothing moves.
    expect(await activities.projectSale({ saleId: sale.id, seq: 3, state: stateOf(sale, buyer.id, { seq: 3 }) })).toEqual({ applied: false });
    expect(await activities.projectSale({ saleId: sale.id, seq: 4, state: stateOf(sale, buyer.id, { seq: 4, stage: 'lapsed' }) })).toEqual({ applied: false });
    const after = await stack.db.sale.findUniqueOrThrow({ where: { id: sale.id } });
    expect(after).toMatchObject({ stage: 'contracted', lastEventSeq: 4, contractNo: 'HT-001' });
    expect((await unitRow(sale.unitId)).status).toBe('SOLD');
  });

  it('shows the earliest deadline when every open one was missed', async () => {
    const buyer = await customer({ name: '赵三' });
    const sale = await createSale({ customerId: buyer.id });
    const now = Date.now();
    const deadlines = [
      { kind: 'filing' as const, dueAt: now - DAY, remindAt: now - 3 * DAY, reminded: true, missedAt: now },
      { kind: 'full_payment' as const, dueAt: now - 2 * DAY, remindAt: now - 4 * DAY, reminded: true, missedAt: now },
    ];
    await activities.projectSale({ saleId: sale.id, seq: 1, state: stateOf(sale, buyer.id, { ...contracted(now), deadlines }) });
    expect(await stack.db.sale.findUniqueOrThrow({ where: { id: sale.id } })).toMatchObject({ nextDeadline: 'full_payment', nextDueAt: new Date(now - 2 * DAY) });
  });

  it('retries (throws) while the API has not created the row yet', async () => {
    const ghost = { id: crypto.randomUUID(), unitId: crypto.randomUUID(), number: 'SL-GHOST' };
    await expect(activities.projectSale({ saleId: ghost.id, seq: 1, state: stateOf(ghost, crypto.randomUUID()) })).rejects.toThrow(/no sale row/);
  });
});

describe('projectSale: units', () => {
  it('sells the unit when the contract is signed, still held by the sale', async () => {
    const buyer = await customer({ name: '钱一' });
    const sale = await createSale({ customerId: buyer.id });
    await activities.projectSale({ saleId: sale.id, seq: 1, state: stateOf(sale, buyer.id) });
    expect(await unitRow(sale.unitId)).toMatchObject({ status: 'RESERVED', reservedBySaleId: sale.id });
    await activities.projectSale({ saleId: sale.id, seq: 2, state: stateOf(sale, buyer.id, contracted()) });
    expect(await unitRow(sale.unitId)).toMatchObject({ status: 'SOLD', reservedBySaleId: sale.id });
  });

  it('releases the unit when the subscription lapses', async () => {
    const buyer = await customer({ name: '钱二' });
    const sale = await createSale({ customerId: buyer.id });
    await activities.projectSale({ saleId: sale.id, seq: 3, state: stateOf(sale, buyer.id, { stage: 'lapsed', deadlines: [], lapseReason: 'contract_deadline', unitReleased: true, closedAt: Date.now() }) });
    expect(await unitRow(sale.unitId)).toMatchObject({ status: 'AVAILABLE', reservedBySaleId: null });
    expect(await stack.db.sale.findUniqueOrThrow({ where: { id: sale.id } })).toMatchObject({ stage: 'lapsed', lapseReason: 'contract_deadline' });
  });

  it('releases a sold unit when the sale is cancelled after the contract', async () => {
    const buyer = await customer({ name: '钱三' });
    const sale = await createSale({ customerId: buyer.id });
    await activities.projectSale({ saleId: sale.id, seq: 2, state: stateOf(sale, buyer.id, contracted()) });
    expect((await unitRow(sale.unitId)).status).toBe('SOLD');
    await activities.projectSale({
      saleId: sale.id,
      seq: 5,
      state: stateOf(sale, buyer.id, { ...contracted(), stage: 'cancelled', deadlines: [], cancelReason: '资金问题', unitReleased: true, closedAt: Date.now() }),
    });
    expect(await unitRow(sale.unitId)).toMatchObject({ status: 'AVAILABLE', reservedBySaleId: null });
  });

  it('keeps both units while a unit change waits, then releases the one given up (or the one refused)', async () => {
    const buyer = await customer({ name: '钱四' });
    const sale = await createSale({ customerId: buyer.id });
    // The API reserves the requested unit when the change is requested.
    const wanted = await freeUnit();
    await reserveAlso(wanted.id, sale.id);
    const request = approval({ kind: 'change_unit', unitId: wanted.id });
    await activities.projectSale({ saleId: sale.id, seq: 2, state: stateOf(sale, buyer.id, { approvals: [request] }) });
    expect(await unitRow(sale.unitId)).toMatchObject({ status: 'RESERVED', reservedBySaleId: sale.id });
    expect(await unitRow(wanted.id)).toMatchObject({ status: 'RESERVED', reservedBySaleId: sale.id });
    expect((await stack.db.sale.findUniqueOrThrow({ where: { id: sale.id } })).pendingApproval).toBe('change_unit');

    // Approved: the sale moves to the wanted unit and gives the old one back.
    const approved = { ...request, status: 'approved' as const, decidedBy: org.managerId, decidedAt: Date.now() };
    await activities.projectSale({ saleId: sale.id, seq: 4, state: stateOf(sale, buyer.id, { unitId: wanted.id, approvals: [approved] }) });
    expect(await unitRow(sale.unitId)).toMatchObject({ status: 'AVAILABLE', reservedBySaleId: null });
    expect(await unitRow(wanted.id)).toMatchObject({ status: 'RESERVED', reservedBySaleId: sale.id });
    expect(await stack.db.sale.findUniqueOrThrow({ where: { id: sale.id } })).toMatchObject({ unitId: wanted.id, pendingApproval: null });

    // A second request, refused: the unit it asked for is released, the sale keeps its own.
    const third = await freeUnit();
    await reserveAlso(third.id, sale.id);
    const refused = approval({ kind: 'change_unit', unitId: third.id, status: 'rejected', decidedBy: org.managerId, decidedAt: Date.now() });
    await activities.projectSale({ saleId: sale.id, seq: 6, state: stateOf(sale, buyer.id, { unitId: wanted.id, approvals: [approved, refused] }) });
    expect(await unitRow(third.id)).toMatchObject({ status: 'AVAILABLE', reservedBySaleId: null });
    expect(await unitRow(wanted.id)).toMatchObject({ status: 'RESERVED', reservedBySaleId: sale.id });
  });

  it('never touches a unit another sale holds', async () => {
    const buyer = await customer({ name: '钱五' });
    const mine = await createSale({ customerId: buyer.id });
    const theirs = await createSale({ customerId: buyer.id });
    // A (wrong) state naming the other sale's unit: neither sold nor released.
    await activities.projectSale({ saleId: mine.id, seq: 2, state: stateOf(mine, buyer.id, { ...contracted(), unitId: theirs.unitId }) });
    expect(await unitRow(theirs.unitId)).toMatchObject({ status: 'RESERVED', reservedBySaleId: theirs.id });
  });
});

describe('projectSale: handover', () => {
  it('delivers the unit to the buyer, registers the owner and credits buyer and referrer exactly once', async () => {
    const referrer = await customer({ name: '孙老业主' });
    const buyer = await customer({ name: '孙新业主' });
    const sale = await createSale({ customerId: buyer.id, referrerCustomerId: referrer.id });
    await activities.projectSale({ saleId: sale.id, seq: 2, state: stateOf(sale, buyer.id, { ...contracted(), referrerCustomerId: referrer.id }) });
    const handover = stateOf(sale, buyer.id, { ...handedOver(), referrerCustomerId: referrer.id });
    expect(await activities.projectSale({ saleId: sale.id, seq: 9, state: handover })).toEqual({ applied: true });

    expect(await unitRow(sale.unitId)).toMatchObject({ status: 'DELIVERED', ownerCustomerId: buyer.id, reservedBySaleId: null });
    const registration = await stack.db.ownerRegistration.findUniqueOrThrow({ where: { saleId: sale.id } });
    expect(registration).toMatchObject({ unitId: sale.unitId, customerId: buyer.id, registeredAt: new Date(handover.handover!.handedOverAt) });
    const row = await stack.db.sale.findUniqueOrThrow({ where: { id: sale.id } });
    expect(row).toMatchObject({ stage: 'handed_over', keysIssued: 2 });
    expect(row.areaSettlement?.toFixed(2)).toBe('-7877.09');
    expect(row.creditedAt).not.toBeNull();
    expect(await stack.db.customer.findUniqueOrThrow({ where: { id: referrer.id } })).toMatchObject({ referralCount: 1, purchaseCount: 0, membershipTier: 'silver' });
    expect(await stack.db.customer.findUniqueOrThrow({ where: { id: buyer.id } })).toMatchObject({ referralCount: 0, purchaseCount: 1, membershipTier: 'none' });

    // Later events of the ended sale (defect cases opened) and a retried attempt credit nothing again.
    expect(await activities.projectSale({ saleId: sale.id, seq: 10, state: { ...handover, seq: 10 } })).toEqual({ applied: true });
    expect(await activities.projectSale({ saleId: sale.id, seq: 10, state: { ...handover, seq: 10 } })).toEqual({ applied: false });
    expect(await stack.db.customer.findUniqueOrThrow({ where: { id: referrer.id } })).toMatchObject({ referralCount: 1, membershipTier: 'silver' });
    expect(await stack.db.customer.findUniqueOrThrow({ where: { id: buyer.id } })).toMatchObject({ purchaseCount: 1, membershipTier: 'none' });
    expect(await stack.db.ownerRegistration.count({ where: { saleId: sale.id } })).toBe(1);
    expect((await stack.db.sale.findUniqueOrThrow({ where: { id: sale.id } })).creditedAt).toEqual(row.creditedAt);

    // A second referral makes the referrer gold; the buyer's second purchase makes them silver.
    const friend = await customer({ name: '孙朋友' });
    const second = await createSale({ customerId: friend.id, referrerCustomerId: referrer.id });
    await activities.projectSale({ saleId: second.id, seq: 9, state: stateOf(second, friend.id, { ...handedOver(), referrerCustomerId: referrer.id }) });
    expect(await stack.db.customer.findUniqueOrThrow({ where: { id: referrer.id } })).toMatchObject({ referralCount: 2, membershipTier: 'gold' });
    expect(await stack.db.customer.findUniqueOrThrow({ where: { id: friend.id } })).toMatchObject({ purchaseCount: 1, membershipTier: 'none' });

    const again = await createSale({ customerId: buyer.id });
    await activities.projectSale({ saleId: again.id, seq: 9, state: stateOf(again, buyer.id, handedOver()) });
    expect(await stack.db.customer.findUniqueOrThrow({ where: { id: buyer.id } })).toMatchObject({ purchaseCount: 2, membershipTier: 'silver' });
  });

  it('counts two sales of one referrer handed over at the same moment', async () => {
    const referrer = await customer({ name: '周老业主' });
    const a = await customer({ name: '周甲' });
    const b = await customer({ name: '周乙' });
    const sa = await createSale({ customerId: a.id, referrerCustomerId: referrer.id });
    const sb = await createSale({ customerId: b.id, referrerCustomerId: referrer.id });
    await Promise.all([
      activities.projectSale({ saleId: sa.id, seq: 9, state: stateOf(sa, a.id, { ...handedOver(), referrerCustomerId: referrer.id }) }),
      activities.projectSale({ saleId: sb.id, seq: 9, state: stateOf(sb, b.id, { ...handedOver(), referrerCustomerId: referrer.id }) }),
    ]);
    expect(await stack.db.customer.findUniqueOrThrow({ where: { id: referrer.id } })).toMatchObject({ referralCount: 2, membershipTier: 'gold' });
  });
});

describe('notifySaleParties', () => {
  const notice = (sale: { id: string; unitId: string; number: string }, o: Partial<NotifySalePartiesInput>): NotifySalePartiesInput => ({
    saleId: sale.id,
    saleNumber: sale.number,
    groupId: org.groupId,
    companyId: org.companyId,
    projectId: org.projectId,
    unitId: sale.unitId,
    kind: 'subscribed',
    recipients: {},
    idempotencyKeyBase: `sale-${sale.id}:${crypto.randomUUID()}`,
    ...o,
  });

  it('writes to the buyer by name and to the staff without the buyer’s name or phone, each once', async () => {
    const buyer = await customer({ name: '吴佳怡' });
    const noEmail = await customer({ name: '吴无邮箱', email: null });
    const sale = await createSale({ customerId: buyer.id });
    const unit = await stack.db.unit.findUniqueOrThrow({ where: { id: sale.unitId }, include: { building: true } });
    const input = notice(sale, {
      kind: 'subscribed',
      dueAt: Date.parse('2026-11-30T09:00:00Z'),
      contactUserId: org.salesId,
      recipients: { userIds: [org.salesId], customerIds: [buyer.id, noEmail.id], salesManagers: true },
    });
    const before = smtp.messages.length;
    const result = await activities.notifySaleParties(input);
    expect(new Set(result.sent)).toEqual(new Set([org.salesId, org.managerId, buyer.id]));
    expect(result.skipped).toEqual([noEmail.id]);
    expect(result.refused).toEqual([]);
    await smtp.waitForMessages(before + 3);

    const letter = mailTo(buyer.email!).at(-1)!;
    expect(letter.subject).toContain(`滨江花园 ${unit.building.name} ${unit.number}`);
    expect(letter.text).toContain('尊敬的吴佳怡：');
    expect(letter.text).toContain('请于 2026-11-30 17:00（Asia/Shanghai）前签订购房合同');
    expect(letter.text).toContain('联系人：项目置业顾问（滨江花园）');

    for (const user of ['sales.project', 'salesmgr.project']) {
      const m = mailTo(`${user}@demo.estate-care.local`).at(-1)!;
      expect(m.subject).toBe(`[${sale.number}] 新认购，待签约 / New subscription, contract to be signed`);
      expect(m.text).toContain(`销售 ${sale.number}（滨江花园 ${unit.building.name} ${unit.number}）`);
      expect(m.text).not.toContain('吴佳怡');
      expect(m.text).not.toContain(buyer.phone);
      expect(m.subject).not.toContain('吴佳怡');
    }

    // The activity retried (its completion was lost): every key was sent already.
    const again = await activities.notifySaleParties(input);
    expect(new Set(again.sent)).toEqual(new Set(result.sent));
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.messages.length).toBe(before + 3);
    expect(await stack.db.emailMessage.count({ where: { idempotencyKey: { startsWith: input.idempotencyKeyBase } } })).toBe(3);
  });

  it('translates the deadline for the salesperson and shows its due time in the project’s time zone', async () => {
    const buyer = await customer({ name: '郑一' });
    const sale = await createSale({ customerId: buyer.id });
    const before = smtp.messages.length;
    await activities.notifySaleParties(notice(sale, { kind: 'deadline_reminder', deadline: 'mortgage_documents', dueAt: Date.parse('2026-12-01T02:30:00Z'), recipients: { userIds: [org.salesId] } }));
    const [m] = (await smtp.waitForMessages(before + 1)).slice(before);
    expect(m!.subject).toBe(`[${sale.number}] 按揭资料提交即将到期 / Due soon: mortgage documents submission`);
    expect(m!.text).toContain('截止时间：2026-12-01 10:30（Asia/Shanghai）');
  });

  it('quotes the project’s latest progress note in the progress email', async () => {
    const buyer = await customer({ name: '冯一' });
    const sale = await createSale({ customerId: buyer.id });
    // Stored newest first, so the order read must come from createdAt.
    await stack.db.projectProgressNote.create({ data: { projectId: org.projectId, text: '11月：主体结构已封顶，外立面施工中', createdById: org.managerId, createdAt: new Date('2026-11-20T02:00:00Z') } });
    await stack.db.projectProgressNote.create({ data: { projectId: org.projectId, text: '10月：主体施工至18层', createdById: org.managerId, createdAt: new Date('2026-10-20T02:00:00Z') } });
    await stack.db.projectProgressNote.create({ data: { projectId: org.thirdProjectId, text: '另一个项目的进度', createdById: org.managerId, createdAt: new Date('2026-11-21T02:00:00Z') } });
    const before = smtp.messages.length;
    await activities.notifySaleParties(notice(sale, { kind: 'progress', recipients: { customerIds: [buyer.id] } }));
    const [m] = (await smtp.waitForMessages(before + 1)).slice(before);
    expect(to(m!)).toEqual([buyer.email]);
    expect(m!.text).toContain('“11月：主体结构已封顶，外立面施工中”');
    expect(m!.text).not.toContain('主体施工至18层');
    expect(m!.text).not.toContain('另一个项目');
  });

  it('says the construction is on schedule, with the delivery date, when the project has no note', async () => {
    const buyer = await customer({ name: '冯二' });
    const sale = await createSale({ customerId: buyer.id, projectId: org.otherProjectId });
    const { deliveryDate } = await stack.db.sale.findUniqueOrThrow({ where: { id: sale.id } });
    const before = smtp.messages.length;
    await activities.notifySaleParties(notice(sale, { projectId: org.otherProjectId, kind: 'progress', recipients: { customerIds: [buyer.id] } }));
    const [m] = (await smtp.waitForMessages(before + 1)).slice(before);
    const day = DateTime.fromJSDate(deliveryDate, { zone: 'Asia/Shanghai' }).toFormat('yyyy-MM-dd');
    expect(m!.subject).toContain('湖畔名邸');
    expect(m!.text).toContain(`工程按计划推进，预计于 ${day} 交付`);
    expect(m!.text).toContain(`Construction is on schedule for delivery on ${day}`);
  });

  it('reports a mailbox refused for good instead of failing', async () => {
    const buyer = await customer({ name: '陈一' });
    const sale = await createSale({ customerId: buyer.id });
    smtp.refuseWith = { code: 550, message: 'mailbox unavailable' };
    try {
      const result = await activities.notifySaleParties(notice(sale, { kind: 'cancelled', recipients: { customerIds: [buyer.id] } }));
      expect(result).toEqual({ sent: [], skipped: [], refused: [buyer.id] });
    } finally {
      smtp.refuseWith = null;
    }
  });
});

describe('openDefectCases', () => {
  let admin = '';
  beforeAll(async () => {
    admin = await stack.login('admin');
    // The group's repair policy resolves in two days: a defect's case must get the sale policy's 7 days instead.
    const put = await call(stack, 'PUT', '/api/sla-policies', {
      token: admin,
      json: [{ id: 'repairs', name: '报修', caseType: 'repair', categoryPrefix: 'repair', firstContact: 'PT24H', resolution: 'P2D', callback: 'P3D' }],
    });
    expect(put.status, put.text).toBe(200);
  });

  const defects = [
    { location: '主卫', description: '地漏返水', category: 'repair.plumbing.blockage' },
    { location: '客厅', description: '墙面空鼓', category: 'no.such.category' },
  ];
  const input = (sale: { id: string; unitId: string; number: string }, customerId: string, key: string): OpenDefectCasesInput => ({
    saleId: sale.id,
    saleNumber: sale.number,
    groupId: org.groupId,
    companyId: org.companyId,
    projectId: org.projectId,
    unitId: sale.unitId,
    customerId,
    source: 'handover',
    defects,
    resolutionWithin: 'P7D',
    openedBy: org.salesId,
    idempotencyKey: key,
  });

  it('opens one minor walk-in repair case per defect, linked to the sale, with a 7-day resolution target, and starts its workflow', async () => {
    const buyer = await customer({ name: '褚一' });
    const sale = await createSale({ customerId: buyer.id });
    const key = `sale-${sale.id}:12`;
    const { caseIds } = await activities.openDefectCases(input(sale, buyer.id, key));
    expect(caseIds).toHaveLength(2);

    const rows = await Promise.all(caseIds.map((id) => stack.db.case.findUniqueOrThrow({ where: { id } })));
    expect(rows.map((r) => r.sourceKey)).toEqual([`${key}:0`, `${key}:1`]);
    for (const r of rows) {
      expect(r).toMatchObject({ saleId: sale.id, unitId: sale.unitId, customerId: buyer.id, projectId: org.projectId, type: 'repair', severity: 'minor', channel: 'walk_in', tier: 'PROJECT', openedById: org.salesId, policyId: 'repairs' });
    }
    expect(rows[0]!.category).toBe('repair.plumbing.blockage');
    // Not in the taxonomy: the repair root, so the case still opens.
    expect(rows[1]!.category).toBe('repair');
    expect(rows[0]!.description).toBe(`主卫: 地漏返水 [销售 ${sale.number} 交付]`);

    // The workflows run: they answer their state query, and project their targets onto the rows.
    const client = await stack.temporal.getClient();
    for (const r of rows) {
      const state = await client.workflow.getHandle(caseWorkflowId(r.id)).query(getCaseState);
      expect(state.targets.resolution!.budgetMs).toBe(7 * DAY);
      expect(state.policy).toMatchObject({ id: 'repairs', resolution: 'P7D', firstContact: 'PT24H' });
      const projected = await eventually('the projection', () => stack.db.case.findUniqueOrThrow({ where: { id: r.id } }), (x) => x.lastEventSeq > 0);
      const resolution = (projected.sla as { resolution: { dueAt: number; startedAt: number } }).resolution;
      expect(resolution.dueAt - resolution.startedAt).toBe(7 * DAY);
    }
  });

  it('opens nothing twice: a retry with the same key returns the same cases', async () => {
    const buyer = await customer({ name: '褚二' });
    const sale = await createSale({ customerId: buyer.id });
    const key = `sale-${sale.id}:7`;
    const first = await activities.openDefectCases(input(sale, buyer.id, key));
    const second = await activities.openDefectCases(input(sale, buyer.id, key));
    expect(second.caseIds).toEqual(first.caseIds);
    expect(await stack.db.case.count({ where: { saleId: sale.id } })).toBe(2);
  });

  it('opens nothing twice when two attempts run at once', async () => {
    const buyer = await customer({ name: '褚三' });
    const sale = await createSale({ customerId: buyer.id });
    const key = `sale-${sale.id}:8`;
    const [a, b] = await Promise.all([activities.openDefectCases(input(sale, buyer.id, key)), activities.openDefectCases(input(sale, buyer.id, key))]);
    expect(b.caseIds).toEqual(a.caseIds);
    expect(await stack.db.case.count({ where: { saleId: sale.id } })).toBe(2);
  });

  it('starts the workflow of a case an earlier attempt stored but did not start', async () => {
    const buyer = await customer({ name: '褚四' });
    const sale = await createSale({ customerId: buyer.id });
    const key = `sale-${sale.id}:9`;
    const id = crypto.randomUUID();
    // As if the worker died between storing the row and starting its workflow.
    await stack.db.case.create({
      data: {
        id,
        number: 'CS-20000101-0001',
        workflowId: caseWorkflowId(id),
        groupId: org.groupId,
        companyId: org.companyId,
        projectId: org.projectId,
        unitId: sale.unitId,
        customerId: buyer.id,
        type: 'repair',
        category: 'repair.plumbing.blockage',
        severity: 'minor',
        channel: 'walk_in',
        description: '主卫: 地漏返水',
        saleId: sale.id,
        sourceKey: `${key}:0`,
        status: 'open',
        tier: 'PROJECT',
        policyId: 'repairs',
        sla: {},
        openedById: org.salesId,
        openedAt: new Date(),
      },
    });
    const { caseIds } = await activities.openDefectCases(input(sale, buyer.id, key));
    expect(caseIds[0]).toBe(id);
    const client = await stack.temporal.getClient();
    const state = await client.workflow.getHandle(caseWorkflowId(id)).query(getCaseState);
    expect(state).toMatchObject({ caseId: id, status: 'open' });
    expect(state.targets.resolution!.budgetMs).toBe(7 * DAY);
    expect(await stack.db.case.count({ where: { saleId: sale.id } })).toBe(2);
  });
});
