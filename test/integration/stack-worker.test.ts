import crypto from 'node:crypto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduledNotice } from '../../workflows/index.js';
import { getNoticeState, scheduledNoticeWorkflowId } from '../../workflows/platform/scheduled-notice.defs.js';
import { startTestStack, type TestStack } from '../support/stack.js';

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
    const noticeId = crypto.randomUUID();
    const handle = await client.workflow.start(scheduledNotice, {
      taskQueue: stack.config.temporal.taskQueue,
      workflowId: scheduledNoticeWorkflowId(noticeId),
      args: [{ noticeId, sendAt: new Date(Date.now() + 1000).toISOString(), to: 'owner@example.com', subject: 'Outbox check', text: 'x', actor: 'user-1' }],
    });
    expect((await handle.query(getNoticeState)).noticeId).toBe(noticeId);

    expect(await handle.result()).toMatchObject({ status: 'SENT', emailStatus: 'HELD' });
    const email = await stack.db.emailMessage.findUniqueOrThrow({ where: { idempotencyKey: `${handle.workflowId}:email:1` } });
    expect(email).toMatchObject({ status: 'HELD', transport: 'outbox', subject: 'Outbox check' });
    const audit = await stack.db.auditEvent.findMany({ where: { streamId: handle.workflowId }, orderBy: { seq: 'asc' } });
    expect(audit.map((e) => e.type)).toEqual(['notice.scheduled', 'notice.sent']);
  }, 60_000);
});
