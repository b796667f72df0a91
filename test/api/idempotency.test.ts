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

  describe('when the database refuses the key\'s bookkeeping for a moment (an outage)', () => {
    // A trigger stands in for the outage: the request itself runs, the key's own write is refused.
    const refuse = async (op: 'DELETE' | 'UPDATE') => {
      await stack.db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION test_refuse_key() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the database is away'; END $$`);
      await stack.db.$executeRawUnsafe(`CREATE TRIGGER test_refuse_key BEFORE ${op} ON idempotent_request FOR EACH ROW EXECUTE FUNCTION test_refuse_key()`);
    };
    const recover = () => stack.db.$executeRawUnsafe('DROP TRIGGER IF EXISTS test_refuse_key ON idempotent_request');
    const claimOf = (key: string) => stack.db.idempotentRequest.findFirst({ where: { key } });
    afterAll(recover);

    it('still forgets a failed request once the database is back, so the retry runs instead of waiting for good', async () => {
      const headers = { 'idempotency-key': 'outage-key-0006' };
      await refuse('DELETE');
      const failed = await call(stack, 'POST', '/api/customers', { token, json: customer('13800138001'), headers });
      expect(failed.status).toBe(409);
      expect(failed.body.code).toBe('CONFLICT');
      expect(await claimOf('outage-key-0006')).toMatchObject({ status: 0 });
      await recover();
      await expect.poll(() => claimOf('outage-key-0006'), { timeout: 10_000 }).toBeNull();
      const retried = await call(stack, 'POST', '/api/customers', { token, json: customer('13800138001'), headers });
      // The request ran again (the phone exists: its own 409), not "still being processed".
      expect(retried.status).toBe(409);
      expect(retried.body).toMatchObject({ code: 'CONFLICT', reason: 'CUSTOMER_PHONE_TAKEN', detail: expect.stringMatching(/^该电话号码已登记为客户/) });
    });

    it('answers a request whose key could not be stored yet, and replays it to the retry once stored', async () => {
      const headers = { 'idempotency-key': 'outage-key-0007' };
      await refuse('UPDATE');
      const first = await call(stack, 'POST', '/api/customers', { token, json: customer('13600000008'), headers });
      expect(first.status, first.text).toBe(201);
      expect(await claimOf('outage-key-0007')).toMatchObject({ status: 0 });
      await recover();
      await expect.poll(async () => (await claimOf('outage-key-0007'))?.status, { timeout: 10_000 }).toBe(201);
      const retried = await call(stack, 'POST', '/api/customers', { token, json: customer('13600000008'), headers });
      expect(retried.status).toBe(201);
      expect(retried.headers.get('idempotent-replayed')).toBe('true');
      expect(retried.body.id).toBe(first.body.id);
      expect(await stack.db.customer.count({ where: { phone: '13600000008' } })).toBe(1);
    });
  });
});
