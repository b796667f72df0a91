import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Answer } from '../api/http.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { startSmtpServer, type TestSmtpServer } from './smtp.js';

/**
 * One sale, end to end on a Temporal dev server with second-long policies: a lead converts (the
 * sale opens, the unit is reserved), the contract is signed (welcome letter), the filing deadline
 * passes (reminder, then the miss told to the owner and the sales managers), the mortgage runs
 * documents → approval → disbursement, construction-progress emails quote the project's latest
 * note, the pre-handover inspection and the handover open repair cases that the case API shows,
 * and the owner is registered. Every email is read back from a real SMTP server. Nothing is
 * stubbed: PostgreSQL, the dev server, the worker, the API.
 */
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

let stack: TestStack;
let smtp: TestSmtpServer;
const tokens = new Map<string, string>();
const userIds = new Map<string, string>();
const USERS = ['sales.project', 'salesmgr.project', 'supervisor.project', 'admin'];
const BUYER = { name: '郑雅琴', phone: '13622223333', email: 'zheng.yaqin@buyer.example' };
const PROGRESS = '5 号楼外立面完成，园林景观施工中。Block 5 façade complete, landscaping under way.';
let bjhy = '';
const as = (user: string, method: string, path: string, json?: unknown): Promise<Answer> => call(stack, method, path, { token: tokens.get(user)!, json });
const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to : [m.to]).flatMap((a) => a?.value.map((v) => v.address) ?? []);
const mailbox = (user: string) => `${user}@demo.estate-care.local`;

async function eventually<T>(what: string, read: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const ok200 = async (a: Promise<Answer>, status = 200) => {
  const r = await a;
  expect(r.status, r.text).toBe(status);
  return r.body;
};

beforeAll(async () => {
  smtp = await startSmtpServer();
  stack = await startTestStack({ seed: true, temporal: true, worker: true, smtpUrl: smtp.url });
  for (const u of USERS) {
    tokens.set(u, await stack.login(u));
    userIds.set(u, (await stack.db.user.findUniqueOrThrow({ where: { username: u } })).id);
  }
  bjhy = (await stack.db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } })).id;
}, 180_000);
afterAll(async () => {
  await stack?.close();
  await smtp?.close();
}, 60_000);

describe('a mortgage sale from lead conversion to handover, on second-long policies', () => {
  let sale: { id: string; number: string; workflowId: string; unit: { id: string } };
  const ofSale = () => smtp.messages.filter((m) => m.subject?.includes(sale.number));
  const toBuyer = () => ofSale().filter((m) => to(m).includes(BUYER.email));
  const toStaff = (user: string) => ofSale().filter((m) => to(m).includes(mailbox(user)));

  it('opens the sale from the lead, reserves the unit and writes to the buyer', async () => {
    await ok200(
      as('admin', 'PUT', '/api/sales-policy', {
        contractWithin: 'PT60S',
        filingWithin: 'PT4S',
        mortgageDocumentsWithin: 'PT60S',
        bankDecisionWithin: 'PT60S',
        disbursementWithin: 'PT60S',
        fullPaymentWithin: 'PT60S',
        remindBefore: 'PT2S',
        progressEvery: 'PT6S',
        // Delivery (2027-06-30) is within two years: the inspection opens as soon as the sale is paid.
        inspectionBeforeDelivery: 'P2Y',
        defectResolution: 'P7D',
      }),
    );
    await ok200(as('salesmgr.project', 'POST', `/api/projects/${bjhy}/progress-notes`, { text: '2 号楼主体施工中。' }), 201);
    await ok200(as('salesmgr.project', 'POST', `/api/projects/${bjhy}/progress-notes`, { text: PROGRESS }), 201);
    const buyer = await ok200(as('sales.project', 'POST', '/api/customers', BUYER), 201);
    const lead = await ok200(
      as('sales.project', 'POST', '/api/leads', { projectId: bjhy, customerId: buyer.id, source: 'walk_in', grade: 'A', ownerId: userIds.get('sales.project') }),
      201,
    );
    const unit = await stack.db.unit.findFirstOrThrow({ where: { projectId: bjhy, ownerCustomerId: null, status: 'AVAILABLE' }, orderBy: { number: 'asc' } });
    const converted = await ok200(as('sales.project', 'POST', `/api/leads/${lead.id}/convert`, { unitId: unit.id, price: '2000000', deposit: '100000', paymentMethod: 'mortgage' }));
    expect(converted.status).toBe('converted');
    sale = await ok200(as('sales.project', 'GET', `/api/sales/${converted.saleId}`));
    expect(sale).toMatchObject({ stage: 'subscribed', paymentMethod: 'mortgage', leadId: lead.id, unit: { id: unit.id } });
    expect(await stack.db.unit.findUniqueOrThrow({ where: { id: unit.id } })).toMatchObject({ status: 'RESERVED', reservedBySaleId: sale.id });
    await eventually('the subscription email to the buyer', toBuyer, (ms) => ms.length >= 1);
  });

  it('signs the contract: welcome letter to the buyer; the filing deadline is reminded, then missed', async () => {
    await ok200(as('sales.project', 'POST', `/api/sales/${sale.id}/contract`, { contractNo: 'HT-E2E-0001' }));
    const welcome = await eventually('the welcome letter', () => toBuyer().filter((m) => m.text?.includes('HT-E2E-0001') || m.subject?.includes('欢迎')), (ms) => ms.length >= 1);
    expect(welcome[0]!.text).toContain('项目置业顾问');
    // filingWithin PT4S, remindBefore PT2S: the owner is reminded, then owner and sales manager learn it was missed.
    await eventually('the filing reminder and miss', () => toStaff('salesmgr.project'), (ms) => ms.length >= 1, 20_000);
    await eventually('the owner’s reminder and miss', () => toStaff('sales.project'), (ms) => ms.length >= 2, 10_000);
    await ok200(as('sales.project', 'POST', `/api/sales/${sale.id}/filing`, { filingNo: 'BA-E2E-0001' }));
  });

  it('runs the mortgage to disbursement; the inspection opens at once', async () => {
    await ok200(as('sales.project', 'POST', `/api/sales/${sale.id}/mortgage`, { event: 'documents_submitted', bank: '招商银行' }));
    await ok200(as('sales.project', 'POST', `/api/sales/${sale.id}/mortgage`, { event: 'approved', bank: '招商银行', amount: '1900000' }));
    const disbursed = await ok200(as('sales.project', 'POST', `/api/sales/${sale.id}/mortgage`, { event: 'disbursed' }));
    expect(disbursed.paidTotal).toBe('2000000.00');
    await eventually('the inspection stage', () => as('sales.project', 'GET', `/api/sales/${sale.id}`), (a) => a.body.stage === 'inspection');
  });

  it('has sent construction-progress emails quoting the latest note', async () => {
    const progress = await eventually('a progress email', () => toBuyer().filter((m) => m.text?.includes(PROGRESS)), (ms) => ms.length >= 1, 20_000);
    expect(progress[0]!.text).not.toContain('2 号楼主体施工中');
  });

  it('opens repair cases for the inspection and handover defects, visible in the case API, and registers the owner', async () => {
    await ok200(as('sales.project', 'POST', `/api/sales/${sale.id}/inspection`, { defects: [{ location: '厨房', description: '橱柜门铰链松动', category: 'repair.doors_windows' }] }));
    const area = (await stack.db.unit.findUniqueOrThrow({ where: { id: sale.unit.id } })).area.toFixed(2);
    const handed = await ok200(
      as('sales.project', 'POST', `/api/sales/${sale.id}/handover`, {
        keysIssued: 3,
        measuredArea: area,
        defects: [{ location: '阳台', description: '地漏排水慢', category: 'repair.plumbing.blockage' }],
      }),
    );
    expect(handed).toMatchObject({ stage: 'handed_over', ownerRegistered: true, handover: { areaSettlement: '0.00' } });
    const view = await eventually('both repair cases on the sale', () => as('sales.project', 'GET', `/api/sales/${sale.id}`), (a) => a.body.cases?.length === 2);
    for (const c of view.body.cases as Array<{ id: string; number: string }>) {
      const kase = await eventually('the repair case in the case API', () => as('supervisor.project', 'GET', `/api/cases/${c.id}`), (a) => a.status === 200 && Boolean(a.body.sla?.resolution?.dueAt));
      expect(kase.body).toMatchObject({ type: 'repair', number: c.number, unitId: sale.unit.id });
      expect(Math.abs(Date.parse(kase.body.sla.resolution.dueAt) - Date.parse(kase.body.openedAt) - 7 * 24 * 3_600_000)).toBeLessThan(5_000);
    }
    const list = await ok200(as('supervisor.project', 'GET', '/api/cases?pageSize=100'));
    const listed = new Set((list.items as Array<{ id: string }>).map((c) => c.id));
    for (const c of view.body.cases as Array<{ id: string }>) expect(listed.has(c.id)).toBe(true);

    const client = await stack.temporal.getClient();
    const described = await eventually('the sale workflow to complete', () => client.workflow.getHandle(sale.workflowId).describe(), (d) => d.status.name !== 'RUNNING');
    expect(described.status.name).toBe('COMPLETED');
    expect(await stack.db.ownerRegistration.findUnique({ where: { saleId: sale.id } })).toMatchObject({ unitId: sale.unit.id });
    expect(await stack.db.unit.findUniqueOrThrow({ where: { id: sale.unit.id } })).toMatchObject({ status: 'DELIVERED', reservedBySaleId: null });
  });

  it('wrote the audit trail in order and emailed exactly the right people, without customer data to staff', async () => {
    const events = await eventually(
      'the last audit events',
      () => as('sales.project', 'GET', `/api/sales/${sale.id}/events`),
      (a) => a.body.items?.filter((e: { type: string }) => e.type === 'sale.defect_cases_opened').length === 2,
    );
    const types: string[] = events.body.items.map((e: { type: string }) => e.type);
    const seqs: number[] = events.body.items.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    // Reminders and progress notices come from timers, and each defect list's cases are opened by an
    // activity after the step that recorded it (the handover may come first): the human steps in order.
    const core = types.filter((t) => !['sale.progress_notice', 'sale.deadline_reminder', 'sale.deadline_missed', 'sale.defect_cases_opened'].includes(t));
    expect(core, JSON.stringify(types)).toEqual([
      'sale.subscribed',
      'sale.contract_signed',
      'sale.welcome_letter',
      'sale.filed',
      'sale.mortgage_documents_submitted',
      'sale.mortgage_approved',
      'sale.mortgage_disbursed',
      'sale.paid',
      'sale.inspection_due',
      'sale.inspected',
      'sale.handed_over',
    ]);
    expect(types.indexOf('sale.defect_cases_opened')).toBeGreaterThan(types.indexOf('sale.inspected'));
    expect(types.filter((t) => t === 'sale.defect_cases_opened')).toHaveLength(2);
    expect(types.filter((t) => t === 'sale.deadline_missed')).toHaveLength(1);
    expect(types).toContain('sale.deadline_reminder');
    expect(types.filter((t) => t === 'sale.progress_notice').length).toBeGreaterThanOrEqual(1);

    // The buyer: subscription, welcome letter, progress notes, the inspection invitation, the handover.
    await eventually('the handover email', toBuyer, (ms) => ms.some((m) => m.subject?.includes('交付')));
    const progressCount = types.filter((t) => t === 'sale.progress_notice').length;
    expect(toBuyer()).toHaveLength(4 + progressCount);
    // Staff: the owner (filing reminder, filing missed, inspection invitation), the sales manager (filing missed).
    expect(toStaff('salesmgr.project')).toHaveLength(1);
    expect(toStaff('sales.project')).toHaveLength(3);
    for (const m of [...toStaff('sales.project'), ...toStaff('salesmgr.project')]) {
      expect(m.text).not.toContain(BUYER.name);
      expect(m.text).not.toContain('3333');
    }
    const outbox = await stack.db.emailMessage.findMany({ where: { idempotencyKey: { startsWith: sale.workflowId } } });
    expect(outbox.every((e) => e.status === 'SENT')).toBe(true);
    expect(outbox).toHaveLength(ofSale().length);
  });
});
