import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { call } from './http.js';

let stack: TestStack;
let token: string;
beforeAll(async () => {
  stack = await startTestStack({ seed: true });
  token = await stack.login('agent.project');
});
afterAll(async () => {
  await stack?.close();
});

const customer = (phone: string) => ({ name: '赵先生', phone, consentToContact: true });

describe('Idempotency-Key', () => {
  it('returns the first answer to a retried create instead of a second record', async () => {
    const headers = { 'idempotency-key': 'retry-key-0001' };
    const first = await call(stack, 'POST', '/api/customers', { token, json: customer('13600000001'), headers });
    const second = await call(stack, 'POST', '/api/customers', { token, json: customer('13600000001'), headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await stack.db.customer.count({ where: { phone: '13600000001' } })).toBe(1);
  });

  it('creates one record when the same retry arrives many times at once', async () => {
    const headers = { 'idempotency-key': 'burst-key-0002' };
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => call(stack, 'POST', '/api/customers', { token, json: customer('13600000002'), headers })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await stack.db.customer.count({ where: { phone: '13600000002' } })).toBe(1);
  });

  it('refuses a key reused for a different request with 422', async () => {
    const headers = { 'idempotency-key': 'reused-key-0003' };
    expect((await call(stack, 'POST', '/api/customers', { token, json: customer('13600000003'), headers })).status).toBe(201);
    const other = await call(stack, 'POST', '/api/customers', { token, json: customer('13600000004'), headers });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('keeps keys per user: another user with the same key makes its own request', async () => {
    const other = await stack.login('sales.project');
    const headers = { 'idempotency-key': 'shared-key-0004' };
    const a = await call(stack, 'POST', '/api/customers', { token, json: customer('13600000005'), headers });
    const b = await call(stack, 'POST', '/api/customers', { token: other, json: customer('13600000006'), headers });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('forgets a failed request so that the corrected retry runs', async () => {
    const headers = { 'idempotency-key': 'failed-key-0005' };
    const dup = await call(stack, 'POST', '/api/customers', { token, json: customer('13800138001'), headers });
    expect(dup.status).toBe(409);
    const again = await call(stack, 'POST', '/api/customers', { token, json: customer('13800138001'), headers });
    expect(again.status).toBe(409);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });

  it('rejects a malformed key with 400 naming the header', async () => {
    const bad = await call(stack, 'POST', '/api/customers', { token, json: customer('13600000007'), headers: { 'idempotency-key': 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('headers.idempotency-key');
    expect(await stack.db.customer.count({ where: { phone: '13600000007' } })).toBe(0);
  });
});
