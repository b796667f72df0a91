import crypto from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Activities, AuditEventInput, SendEmailInput } from '../../activities/index.js';
import { bundleWorkflows } from '../../platform/temporal/worker.js';
import { FailureType } from '../../workflows/failures.js';
import { scheduledNotice } from '../../workflows/index.js';
import {
  cancelNotice,
  getNoticeState,
  noticeRescheduled,
  scheduledNoticeWorkflowId,
  type ScheduledNoticeInput,
} from '../../workflows/platform/scheduled-notice.defs.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

try {
  // The SDK's own INFO lines (worker state changes) would drown the test output.
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

let env: TestWorkflowEnvironment;
let workflowBundle: { code: string };

beforeAll(async () => {
  // The pinned binary from .tools: @temporalio/testing must never download a server.
  [env, workflowBundle] = await Promise.all([
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: inject('temporalTestServer') } } }),
    bundleWorkflows(),
  ]);
});

afterAll(async () => {
  await env?.teardown();
});

/** Activities recorded in memory: these tests are about the workflow's decisions. */
function fakeActivities(overrides: Partial<Activities> = {}) {
  const audit: AuditEventInput[] = [];
  const emails: SendEmailInput[] = [];
  // The notice uses only these two; the worker registers nothing else here.
  const activities: Pick<Activities, 'recordAuditEvent' | 'sendEmail'> & Partial<Activities> = {
    async recordAuditEvent(event) {
      audit.push(event);
      return { inserted: true };
    },
    async sendEmail(message) {
      emails.push(message);
      return { id: `email-${emails.length}`, status: 'SENT', duplicate: false };
    },
    ...overrides,
  };
  return { audit, emails, activities };
}

async function withWorker<T>(activities: Partial<Activities>, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `test-${crypto.randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities });
  return worker.runUntil(() => fn(taskQueue));
}

function noticeInput(sendAtMs: number, overrides: Partial<ScheduledNoticeInput> = {}): ScheduledNoticeInput {
  return {
    noticeId: crypto.randomUUID(),
    sendAt: new Date(sendAtMs).toISOString(),
    to: 'owner@example.com',
    subject: 'Water shut-off on Friday / 周五停水通知',
    text: 'Building 3 water supply stops 09:00–12:00.',
    actor: 'user-agent-1',
    ...overrides,
  };
}

async function startNotice(taskQueue: string, input: ScheduledNoticeInput) {
  return env.client.workflow.start(scheduledNotice, { taskQueue, workflowId: scheduledNoticeWorkflowId(input.noticeId), args: [input] });
}

/**
 * Waits until the workflow has started `count` timers, so that skipping time afterwards is
 * measured from the due time the workflow actually set (not from before its first task ran).
 */
async function waitForTimers(handle: WorkflowHandle, count: number) {
  for (let i = 0; i < 200; i++) {
    const history = await handle.fetchHistory();
    if ((history.events ?? []).filter((e) => e.timerStartedEventAttributes).length >= count) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`workflow did not start ${count} timer(s)`);
}

function eventAt(audit: AuditEventInput[], type: string): number {
  const event = audit.find((e) => e.type === type);
  if (!event) throw new Error(`no ${type} event in ${audit.map((e) => e.type).join(', ')}`);
  return Date.parse(event.at);
}

describe('scheduled notice: due time', () => {
  it('sends the email when the due time arrives three simulated days later, and not before', async () => {
    const { audit, emails, activities } = fakeActivities();
    await withWorker(activities, async (taskQueue) => {
      const dueAt = (await env.currentTimeMs()) + 3 * DAY;
      const handle = await startNotice(taskQueue, noticeInput(dueAt));
      await waitForTimers(handle, 1);

      await env.sleep(3 * DAY - HOUR);
      expect((await handle.query(getNoticeState)).status).toBe('SCHEDULED');
      expect(emails).toHaveLength(0);

      const result = await handle.result();
      expect(result).toMatchObject({ status: 'SENT', emailStatus: 'SENT' });
      expect(emails).toHaveLength(1);
      expect(eventAt(audit, 'notice.sent')).toBeGreaterThanOrEqual(dueAt);
      expect(eventAt(audit, 'notice.sent')).toBeLessThan(dueAt + MINUTE);
      expect(audit.map((e) => [e.seq, e.type])).toEqual([
        [1, 'notice.scheduled'],
        [2, 'notice.sent'],
      ]);
      expect(audit[0]).toMatchObject({ streamId: handle.workflowId, actor: 'user-agent-1' });
    });
  });

  it('sends at once when the due time is already past', async () => {
    const { emails, activities } = fakeActivities();
    await withWorker(activities, async (taskQueue) => {
      const handle = await startNotice(taskQueue, noticeInput((await env.currentTimeMs()) - HOUR));
      expect((await handle.result()).status).toBe('SENT');
      expect(emails).toHaveLength(1);
    });
  });

  it('fails the workflow without retrying when sendAt is not a date', async () => {
    const { audit, activities } = fakeActivities();
    await withWorker(activities, async (taskQueue) => {
      const handle = await startNotice(taskQueue, { ...noticeInput(0), sendAt: 'next friday' });
      const err = await handle.result().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect(((err as WorkflowFailedError).cause as ApplicationFailure).type).toBe(FailureType.INVALID_WORKFLOW_INPUT);
      expect(audit).toHaveLength(0);
    });
  });
});

describe('scheduled notice: rescheduling', () => {
  it('moves the email to the new, later due time', async () => {
    const { audit, emails, activities } = fakeActivities();
    await withWorker(activities, async (taskQueue) => {
      const start = await env.currentTimeMs();
      const handle = await startNotice(taskQueue, noticeInput(start + DAY));
      await waitForTimers(handle, 1);
      await handle.signal(noticeRescheduled, { sendAt: new Date(start + 5 * DAY).toISOString(), actor: 'user-handler-2' });
      await waitForTimers(handle, 2);

      await env.sleep(2 * DAY);
      expect(await handle.query(getNoticeState)).toMatchObject({ status: 'SCHEDULED', reschedules: 1 });
      expect(emails).toHaveLength(0);

      expect((await handle.result()).status).toBe('SENT');
      expect(eventAt(audit, 'notice.sent')).toBeGreaterThanOrEqual(start + 5 * DAY);
      expect(eventAt(audit, 'notice.sent')).toBeLessThan(start + 5 * DAY + MINUTE);
      expect(audit.find((e) => e.type === 'notice.rescheduled')).toMatchObject({
        seq: 2,
        actor: 'user-handler-2',
        data: { from: new Date(start + DAY).toISOString(), to: new Date(start + 5 * DAY).toISOString() },
      });
    });
  });

  it('moves the email to the new, earlier due time', async () => {
    const { audit, activities } = fakeActivities();
    await withWorker(activities, async (taskQueue) => {
      const start = await env.currentTimeMs();
      const handle = await startNotice(taskQueue, noticeInput(start + 5 * DAY));
      await waitForTimers(handle, 1);
      await handle.signal(noticeRescheduled, { sendAt: new Date(start + 2 * HOUR).toISOString() });

      expect((await handle.result()).status).toBe('SENT');
      expect(eventAt(audit, 'notice.sent')).toBeGreaterThanOrEqual(start + 2 * HOUR);
      expect(eventAt(audit, 'notice.sent')).toBeLessThan(start + 2 * HOUR + MINUTE);
    });
  });
});

describe('scheduled notice: cancelling', () => {
  it('accepts a cancellation with a reason, records it and never sends', async () => {
    const { audit, emails, activities } = fakeActivities();
    await withWorker(activities, async (taskQueue) => {
      const handle = await startNotice(taskQueue, noticeInput((await env.currentTimeMs()) + 2 * DAY));
      await waitForTimers(handle, 1);

      const accepted = await handle.executeUpdate(cancelNotice, { args: [{ reason: 'Work postponed / 工程延期', actor: 'user-supervisor-3' }] });
      expect(accepted).toMatchObject({ status: 'CANCELLED', cancelledBy: 'user-supervisor-3', cancelReason: 'Work postponed / 工程延期' });

      expect((await handle.result()).status).toBe('CANCELLED');
      expect(emails).toHaveLength(0);
      expect(audit.map((e) => e.type)).toEqual(['notice.scheduled', 'notice.cancelled']);
      expect(audit[1]).toMatchObject({ seq: 2, actor: 'user-supervisor-3', data: { reason: 'Work postponed / 工程延期' } });
    });
  });

  it('rejects a cancellation without a reason and still sends on time', async () => {
    const { emails, activities } = fakeActivities();
    await withWorker(activities, async (taskQueue) => {
      const handle = await startNotice(taskQueue, noticeInput((await env.currentTimeMs()) + DAY));
      await waitForTimers(handle, 1);

      const err = await handle.executeUpdate(cancelNotice, { args: [{ reason: '   ', actor: 'user-supervisor-3' }] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((err as WorkflowUpdateFailedError).cause?.message).toMatch(/reason is required/);
      expect((await handle.query(getNoticeState)).status).toBe('SCHEDULED');

      expect((await handle.result()).status).toBe('SENT');
      expect(emails).toHaveLength(1);
    });
  });

  it('rejects a cancellation once the email has been sent', async () => {
    // Hold the workflow between "email sent" and "audit recorded", while it is still running.
    let reachedSentAudit!: () => void;
    const sentAuditReached = new Promise<void>((r) => (reachedSentAudit = r));
    let releaseSentAudit!: () => void;
    const sentAuditReleased = new Promise<void>((r) => (releaseSentAudit = r));
    const fakes = fakeActivities();
    const { emails, activities } = fakeActivities({
      async recordAuditEvent(event) {
        if (event.type === 'notice.sent') {
          reachedSentAudit();
          await sentAuditReleased;
        }
        return fakes.activities.recordAuditEvent(event);
      },
    });
    await withWorker(activities, async (taskQueue) => {
      const handle = await startNotice(taskQueue, noticeInput((await env.currentTimeMs()) + HOUR));
      const result = handle.result();
      await sentAuditReached;

      const err = await handle.executeUpdate(cancelNotice, { args: [{ reason: 'Too late', actor: 'user-supervisor-3' }] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((err as WorkflowUpdateFailedError).cause?.message).toMatch(/notice is SENT/);

      releaseSentAudit();
      expect((await result).status).toBe('SENT');
      expect(emails).toHaveLength(1);
      expect(fakes.audit.map((e) => e.type)).toEqual(['notice.scheduled', 'notice.sent']);
    });
  });
});

describe('scheduled notice: email delivery', () => {
  it('retries a transient failure under the same idempotency key, one email per notice', async () => {
    const keys: string[] = [];
    const { audit, activities } = fakeActivities({
      async sendEmail(message) {
        keys.push(message.idempotencyKey);
        if (keys.length === 1) throw new Error('SMTP connection reset');
        return { id: 'email-1', status: 'SENT', duplicate: false };
      },
    });
    await withWorker(activities, async (taskQueue) => {
      const handle = await startNotice(taskQueue, noticeInput((await env.currentTimeMs()) + HOUR));
      expect((await handle.result()).status).toBe('SENT');
      expect(keys).toEqual([`${handle.workflowId}:email:1`, `${handle.workflowId}:email:1`]);
      expect(audit.filter((e) => e.type === 'notice.sent')).toHaveLength(1);
    });
  });

  it('records a permanent refusal once, without retrying, and ends FAILED', async () => {
    let attempts = 0;
    const { audit, activities } = fakeActivities({
      async sendEmail() {
        attempts++;
        throw ApplicationFailure.create({ type: FailureType.PERMANENT_EMAIL, message: '550 mailbox unavailable', nonRetryable: true });
      },
    });
    await withWorker(activities, async (taskQueue) => {
      const handle = await startNotice(taskQueue, noticeInput((await env.currentTimeMs()) + HOUR));
      expect(await handle.result()).toMatchObject({ status: 'FAILED', failure: '550 mailbox unavailable' });
      expect(attempts).toBe(1);
      expect(audit.map((e) => [e.seq, e.type])).toEqual([
        [1, 'notice.scheduled'],
        [2, 'notice.failed'],
      ]);
    });
  });
});
