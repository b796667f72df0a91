import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIM_LEASE_MS } from '../../api/http/idempotency.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { call, expectProblem } from './http.js';
import { requestHash } from '../../api/http/idempotency.js';
import { recordIdForRequest } from '../../app/shared/request-identity.js';

/**
 * A key claimed by an API process that died (SIGKILL between its work and the key's record) is
 * left IN_PROGRESS. Every route with an Idempotency-Key can run again for the same key (`rerunSafe`:
 * opening a case, registering a lead, a sale, a customer, a user or a project, a note, the actions
 * of cases, leads and sales, escalation and sale-approval decisions): a retry takes the claim over
 * once CLAIM_LEASE_MS have passed and finds the first run's work: the same record, the same
 * Update's outcome. Before the lease, the claim still answers 409. The process's death is staged here by putting the finished request's
 * claim back to "in progress", as the dead process left it; the real kill is in
 * test/faults/scale-out.test.ts.
 */
let stack: TestStack;
let agent: string;
let handler: string;
beforeAll(async () => {
  stack = await startTestStack({ seed: true, temporal: true, worker: true });
  agent = await stack.login('agent.project');
  handler = await stack.login('handler.project');
}, 180_000);
afterAll(async () => {
  await stack?.close();
}, 60_000);

/** The claim of `key` as a process that died while holding it left it, `ageMs` ago. */
const leaveClaimed = (key: string, ageMs: number) =>
  stack.db.idempotentRequest.updateMany({ where: { key }, data: { status: 0, response: {}, createdAt: new Date(Date.now() - ageMs) } });

async function openCaseBody() {
  const project = await stack.db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } });
  return {
    type: 'repair',
    category: 'repair.plumbing.leak',
    projectId: project.id,
    customer: { name: '钱女士', phone: '13700990001' },
    severity: 'minor',
    channel: 'phone',
    description: '卫生间漏水',
  };
}

describe('Idempotency-Key: a claim left by a process that died', () => {
  it('is taken over after the lease by a retried case opening, which answers the case the dead process stored (one case, one workflow)', async () => {
    const body = await openCaseBody();
    const headers = { 'idempotency-key': 'takeover-open-0001' };
    const first = await call(stack, 'POST', '/api/cases', { token: agent, json: body, headers });
    expect(first.status).toBe(201);
    await leaveClaimed('takeover-open-0001', CLAIM_LEASE_MS + 1000);
    const retried = await call(stack, 'POST', '/api/cases', { token: agent, json: body, headers });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(retried.body.id).toBe(first.body.id);
    expect(retried.body.number).toBe(first.body.number);
    expect(await stack.db.case.count({ where: { description: '卫生间漏水' } })).toBe(1);
    expect(await stack.temporal.use((c) => c.workflow.getHandle(first.body.workflowId).describe())).toMatchObject({ status: { name: 'RUNNING' } });
    // Recorded now: the next retry is a replay.
    const again = await call(stack, 'POST', '/api/cases', { token: agent, json: body, headers });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
  });

  it("is taken over by a retried action, which gets its first Update's outcome instead of the action's own refusal, and the action happens once", async () => {
    const opened = await call(stack, 'POST', '/api/cases', { token: agent, json: { ...(await openCaseBody()), customer: { name: '孙先生', phone: '13700990002' }, description: '阳台渗水' } });
    expect(opened.status).toBe(201);
    const headers = { 'idempotency-key': 'takeover-contact-0002' };
    const path = `/api/cases/${opened.body.id}/contact`;
    const first = await call(stack, 'POST', path, { token: handler, json: { note: '已联系' }, headers });
    expect(first.status).toBe(200);
    await leaveClaimed('takeover-contact-0002', CLAIM_LEASE_MS + 1000);
    // Run again, the Update goes under the same id: Temporal answers the first outcome (without
    // it, the workflow would refuse a second first contact with 409).
    const retried = await call(stack, 'POST', path, { token: handler, json: { note: '已联系' }, headers });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(retried.body.status).toBe(first.body.status);
    await expect
      .poll(() => stack.db.auditEvent.count({ where: { streamId: opened.body.workflowId, type: 'case.contacted' } }), { timeout: 20_000 })
      .toBe(1);
    // A new request (another key) for the same action is refused by the workflow, as ever.
    const another = await call(stack, 'POST', path, { token: handler, json: { note: '已联系' }, headers: { 'idempotency-key': 'takeover-contact-0003' } });
    expect(another.status).toBe(409);
  });

  it('is not taken over before the lease has passed: the retry is told the request is still in progress', async () => {
    const headers = { 'idempotency-key': 'takeover-young-0004' };
    const body = { ...(await openCaseBody()), customer: { name: '周先生', phone: '13700990003' }, description: '门锁损坏' };
    expect((await call(stack, 'POST', '/api/cases', { token: agent, json: body, headers })).status).toBe(201);
    await leaveClaimed('takeover-young-0004', 1000);
    const retried = await call(stack, 'POST', '/api/cases', { token: agent, json: body, headers });
    expect(retried.status).toBe(409);
    expect(retried.body.reason).toBe('REQUEST_IN_PROGRESS');
  }, 30_000);

});

/**
 * The routes that answered 409 REQUEST_IN_PROGRESS for good after the API that claimed their key
 * died (issue 14, item 9): each request runs once, its claim is then left as the dead process left
 * it, and the retry must answer as the first run did with nothing done twice.
 */
describe('Idempotency-Key: every idempotent route runs again for a claim left by a dead process', () => {
  const users = new Map<string, string>();
  const tokens = new Map<string, string>();
  let bjhy = '';
  let unitCursor = 0;
  let units: string[] = [];
  let li = '';
  beforeAll(async () => {
    for (const u of ['salesmgr.project', 'sales.project', 'admin', 'agent.project']) {
      tokens.set(u, await stack.login(u));
      users.set(u, (await stack.db.user.findUniqueOrThrow({ where: { username: u } })).id);
    }
    bjhy = (await stack.db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } })).id;
    units = (await stack.db.unit.findMany({ where: { projectId: bjhy, ownerCustomerId: null, status: 'AVAILABLE' }, orderBy: [{ floor: 'desc' }, { number: 'desc' }], take: 10 })).map((u) => u.id);
    li = (await stack.db.customer.findFirstOrThrow({ where: { phone: '13900139002' } })).id;
    await call(stack, 'PUT', '/api/sales-policy', { token: tokens.get('admin')!, json: { inspectionBeforeDelivery: 'P2Y' } });
  }, 60_000);

  /** Runs the request, leaves its claim as a dead process would, retries it: both answers. */
  async function diedAndRetried(user: string, path: string, json: unknown, key: string, status = 200) {
    const o = { token: tokens.get(user)!, json, headers: { 'idempotency-key': key } };
    const first = await call(stack, 'POST', path, o);
    expect(first.status, first.text).toBe(status);
    await leaveClaimed(key, CLAIM_LEASE_MS + 1000);
    const retried = await call(stack, 'POST', path, o);
    expect(retried.status, retried.text).toBe(status);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    return { first: first.body, retried: retried.body };
  }
  const workflowStatus = async (workflowId: string) => (await stack.temporal.use((c) => c.workflow.getHandle(workflowId).describe())).status.name;
  const auditCount = (workflowId: string, type: string) => stack.db.auditEvent.count({ where: { streamId: workflowId, type } });
  const eventuallyOne = (workflowId: string, type: string) => expect.poll(() => auditCount(workflowId, type), { timeout: 20_000 }).toBe(1);
  const as = (user: string, method: string, path: string, json?: unknown) => call(stack, method, path, { token: tokens.get(user)!, json });
  let phone = 0;
  async function newLead() {
    const a = await as('salesmgr.project', 'POST', '/api/leads', { projectId: bjhy, customer: { name: '接管线索', phone: `1370077${String(++phone).padStart(4, '0')}` }, source: 'walk_in', grade: 'B', ownerId: users.get('sales.project') });
    expect(a.status, a.text).toBe(201);
    return a.body as { id: string; workflowId: string };
  }
  async function newSale() {
    const a = await as('sales.project', 'POST', '/api/sales', { customerId: li, unitId: units[unitCursor++]!, price: '2350000', deposit: '50000', paymentMethod: 'full' });
    expect(a.status, a.text).toBe(201);
    return a.body as { id: string; workflowId: string };
  }

  it("a lead's touch: one touch, the first outcome", async () => {
    const lead = await newLead();
    const { first, retried } = await diedAndRetried('salesmgr.project', `/api/leads/${lead.id}/touches`, { channel: 'phone', outcome: 'interested' }, 'takeover-touch-0101');
    expect(retried.status).toBe(first.status);
    await eventuallyOne(lead.workflowId, 'lead.touched');
  });

  it("a lead's review that closed it, its workflow since completed: the retry answers the closed lead, one review", async () => {
    const lead = await newLead();
    expect((await as('sales.project', 'POST', `/api/leads/${lead.id}/lost`, { reason: 'competitor' })).status).toBe(200);
    const o = { token: tokens.get('salesmgr.project')!, json: { decision: 'close' }, headers: { 'idempotency-key': 'takeover-review-0102' } };
    const first = await call(stack, 'POST', `/api/leads/${lead.id}/review`, o);
    expect(first.status, first.text).toBe(200);
    await leaveClaimed('takeover-review-0102', CLAIM_LEASE_MS + 1000);
    // The closed lead's workflow completes; Temporal still answers a repeated Update id with the
    // first outcome, so the retry is not refused as ended.
    await expect.poll(() => workflowStatus(lead.workflowId), { timeout: 30_000 }).toBe('COMPLETED');
    const retried = await call(stack, 'POST', `/api/leads/${lead.id}/review`, o);
    expect(retried.status, retried.text).toBe(200);
    expect(retried.body.status).toBe(first.body.status);
    await eventuallyOne(lead.workflowId, 'lead.reviewed');
    // Another request on the ended lead is refused as ever, with or without a key.
    const other = await call(stack, 'POST', `/api/leads/${lead.id}/touches`, { token: tokens.get('salesmgr.project')!, json: { channel: 'phone', outcome: 'reached' }, headers: { 'idempotency-key': 'takeover-review-0102b' } });
    expectProblem(other, 409, 'LEAD_ENDED', 'LEAD_ENDED_AS');
  });

  it('a lead converted by the dead process: the retry answers the converted lead with its one sale', async () => {
    const lead = await newLead();
    const unitId = units[unitCursor++]!;
    const { first, retried } = await diedAndRetried('salesmgr.project', `/api/leads/${lead.id}/convert`, { unitId, price: '2350000', deposit: '50000', paymentMethod: 'full' }, 'takeover-convert-0103');
    expect(first.status).toBe('converted');
    expect(retried).toMatchObject({ status: 'converted', conversion: { unitId } });
    expect(await stack.db.sale.count({ where: { leadId: lead.id } })).toBe(1);
    await eventuallyOne(lead.workflowId, 'lead.converted');
  });

  it("a sale's contract: signed once, the first outcome", async () => {
    const sale = await newSale();
    const { retried } = await diedAndRetried('sales.project', `/api/sales/${sale.id}/contract`, { contractNo: 'HT-TAKEOVER-1' }, 'takeover-sign-0105');
    expect(retried.stage).toBe('contracted');
    await eventuallyOne(sale.workflowId, 'sale.contract_signed');
  });

  it("a sale's cancellation request and its approval that ended the sale: one request, one decision", async () => {
    const sale = await newSale();
    const { retried: asked } = await diedAndRetried('sales.project', `/api/sales/${sale.id}/cancel`, { reason: '客户资金周转困难' }, 'takeover-cancel-0106');
    expect(asked.pendingApproval).toBe('cancel');
    await eventuallyOne(sale.workflowId, 'sale.approval_requested');
    const path = `/api/sales/${sale.id}/approvals/${asked.approvals[0].id}`;
    const o = { token: tokens.get('salesmgr.project')!, json: { decision: 'approve' }, headers: { 'idempotency-key': 'takeover-decide-0107' } };
    const first = await call(stack, 'POST', path, o);
    expect(first.status, first.text).toBe(200);
    expect(first.body.stage).toBe('cancelled');
    await leaveClaimed('takeover-decide-0107', CLAIM_LEASE_MS + 1000);
    // As for a closed lead: the first outcome, also once the cancelled sale's workflow has completed.
    await expect.poll(() => workflowStatus(sale.workflowId), { timeout: 30_000 }).toBe('COMPLETED');
    const retried = await call(stack, 'POST', path, o);
    expect(retried.status, retried.text).toBe(200);
    expect(retried.body.stage).toBe('cancelled');
    await eventuallyOne(sale.workflowId, 'sale.approval_decided');
    await eventuallyOne(sale.workflowId, 'sale.cancelled');
    const other = await call(stack, 'POST', `/api/sales/${sale.id}/payments`, { token: tokens.get('sales.project')!, json: { amount: '1000' }, headers: { 'idempotency-key': 'takeover-decide-0107b' } });
    expectProblem(other, 409, 'SALE_ENDED', 'SALE_ENDED_AS');
  });

  it("a case's note, also when the dead process stored the note but sent no Update: one note, one case.note_added", async () => {
    const opened = await call(stack, 'POST', '/api/cases', { token: agent, json: { ...(await openCaseBody()), customer: { name: '吴先生', phone: '13700990011' }, description: '墙面开裂' } });
    expect(opened.status, opened.text).toBe(201);
    const path = `/api/cases/${opened.body.id}/notes`;
    const { first, retried } = await diedAndRetried('agent.project', path, { text: '客户再次来电' }, 'takeover-note-0108', 201);
    expect(retried).toMatchObject({ id: first.id, seq: first.seq });
    expect(await stack.db.caseNote.count({ where: { caseId: opened.body.id } })).toBe(1);
    await eventuallyOne(opened.body.workflowId, 'case.note_added');

    // Partial: the claim and the note row as the dead process left them, no Update sent.
    const key = 'takeover-note-0109';
    const c = await stack.db.case.findUniqueOrThrow({ where: { id: opened.body.id } });
    const json = { text: '客户第三次来电' };
    await stack.db.idempotentRequest.create({
      data: { userId: users.get('agent.project')!, key, method: 'POST', path, requestHash: requestHash('POST', path, json), status: 0, response: {}, createdAt: new Date(Date.now() - CLAIM_LEASE_MS - 1000) },
    });
    const noteId = recordIdForRequest('case-note', `${users.get('agent.project')}:${key}`);
    await stack.db.caseNote.create({ data: { id: noteId, caseId: c.id, groupId: c.groupId, companyId: c.companyId, projectId: c.projectId, authorId: users.get('agent.project')!, text: json.text } });
    const finished = await call(stack, 'POST', path, { token: agent, json, headers: { 'idempotency-key': key } });
    expect(finished.status, finished.text).toBe(201);
    expect(finished.body.id).toBe(noteId);
    expect(await stack.db.caseNote.count({ where: { caseId: opened.body.id } })).toBe(2);
    await expect.poll(() => auditCount(opened.body.workflowId, 'case.note_added'), { timeout: 20_000 }).toBe(2);
  });

  it("a project's progress note: published once", async () => {
    const path = `/api/projects/${bjhy}/progress-notes`;
    const { first, retried } = await diedAndRetried('salesmgr.project', path, { text: '主体结构封顶（接管测试）' }, 'takeover-progress-0110', 201);
    expect(retried.id).toBe(first.id);
    expect(await stack.db.projectProgressNote.count({ where: { text: '主体结构封顶（接管测试）' } })).toBe(1);
  });

  it('a new user account: the retry answers the account the dead process created, not USERNAME_TAKEN', async () => {
    const body = { username: 'takeover.user', displayName: '接管测试', email: 'takeover.user@demo.estate-care.local', password: 'takeover-user-password', role: 'AGENT', scopeLevel: 'PROJECT', projectId: bjhy };
    const { first, retried } = await diedAndRetried('admin', '/api/users', body, 'takeover-user-0111', 201);
    expect(retried.id).toBe(first.id);
    expect(await stack.db.user.count({ where: { username: 'takeover.user' } })).toBe(1);
    // Another request for the same username is refused as ever.
    const other = await call(stack, 'POST', '/api/users', { token: tokens.get('admin')!, json: body, headers: { 'idempotency-key': 'takeover-user-0112' } });
    expectProblem(other, 409, 'CONFLICT', 'USERNAME_TAKEN');
  });

  it('a new project: the retry answers the project the dead process created, with its units once', async () => {
    const east = (await stack.db.project.findUniqueOrThrow({ where: { id: bjhy } })).companyId;
    const body = { companyId: east, code: 'TK-0113', name: '接管项目', timeZone: 'Asia/Shanghai', warrantyAuthorisationAmount: 5000, buildings: [{ name: '1栋', units: [{ number: '101', floor: 1, area: 88 }] }] };
    const { first, retried } = await diedAndRetried('admin', '/api/projects', body, 'takeover-project-0113', 201);
    expect(retried.id).toBe(first.id);
    expect(await stack.db.project.count({ where: { code: 'TK-0113' } })).toBe(1);
    expect(await stack.db.unit.count({ where: { projectId: first.id } })).toBe(1);
  });
});
