import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIM_LEASE_MS } from '../../api/http/idempotency.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { call } from './http.js';

/**
 * A key claimed by an API process that died (SIGKILL between its work and the key's record) is
 * left IN_PROGRESS. On routes whose handler can run again for the same key (`rerunSafe`: opening a
 * case, registering a lead, a sale or a customer, a case's actions, escalation decisions) a retry takes the claim over once CLAIM_LEASE_MS
 * have passed and finds the first run's work: the same case, the same Update's outcome. Elsewhere
 * the claim still answers 409. The process's death is staged here by putting the finished request's
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

  it('is never taken over on a route whose handler cannot run twice (a new user account): 409 as before', async () => {
    const admin = await stack.login('admin');
    const headers = { 'idempotency-key': 'takeover-user-0005' };
    const body = { username: 'takeover.user', displayName: '接管测试', email: 'takeover.user@demo.estate-care.local', password: 'takeover-user-password', role: 'AGENT', scopeLevel: 'PROJECT', projectId: (await stack.db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } })).id };
    const first = await call(stack, 'POST', '/api/users', { token: admin, json: body, headers });
    expect(first.status, first.text).toBe(201);
    await leaveClaimed('takeover-user-0005', CLAIM_LEASE_MS + 1000);
    const retried = await call(stack, 'POST', '/api/users', { token: admin, json: body, headers });
    expect(retried.status).toBe(409);
    expect(retried.body.reason).toBe('REQUEST_IN_PROGRESS');
    expect(await stack.db.user.count({ where: { username: 'takeover.user' } })).toBe(1);
  }, 30_000);
});
