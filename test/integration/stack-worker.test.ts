import { DefaultLogger, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCaseState } from '../../workflows/cases/complaint-case.defs.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { createProbeCase, createProbeOrg, PROBE_CASE_TRAIL, startProbeCase, waitForProbeToSettle } from '../support/probe-case.js';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ temporal: true, worker: true });
}, 120_000);
afterAll(async () => {
  await stack?.close();
}, 60_000);

describe('test stack with an in-process worker', () => {
  it('runs workflows against the stack database; without SMTP the email is held in the outbox', async () => {
    expect((await fetch(`${stack.baseUrl}/readyz`)).status).toBe(200);
    const client = await stack.temporal.getClient();
    const org = await createProbeOrg(stack.db, 'WORKER');
    const probe = await createProbeCase(stack.db, org, { firstContact: 'PT4S', warnAt: 0.5 });
    const handle = await startProbeCase(client, stack.config.temporal.taskQueue, probe);
    expect((await handle.query(getCaseState)).caseId).toBe(probe.caseId);

    expect(await waitForProbeToSettle({ db: stack.db, handle, probe, trail: PROBE_CASE_TRAIL, timeoutMs: 30_000 })).toEqual(PROBE_CASE_TRAIL);
    const email = await stack.db.emailMessage.findUniqueOrThrow({ where: { idempotencyKey: probe.emailKey(2) } });
    expect(email).toMatchObject({ status: 'HELD', transport: 'outbox', subject: probe.subjects.warning, toAddress: org.handler.email });
    expect(stack.mailer.transport).toBe('outbox');
  }, 60_000);
});
