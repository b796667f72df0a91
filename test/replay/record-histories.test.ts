import crypto from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { createLogger } from '../../platform/logger.js';
import { createMailer, type Mailer } from '../../platform/mail.js';
import { startDevServer, type DevServer } from '../../platform/temporal/dev-server.js';
import { createAppWorker } from '../../platform/temporal/worker.js';
import { scheduledNotice } from '../../workflows/index.js';
import {
  cancelNotice,
  getNoticeState,
  noticeRescheduled,
  scheduledNoticeWorkflowId,
  type ScheduledNoticeInput,
} from '../../workflows/platform/scheduled-notice.defs.js';
import { createTestDatabase } from '../support/database.js';
import { freePort } from '../support/stack.js';
import { startSmtpServer, type TestSmtpServer } from '../integration/smtp.js';
import { saveHistory } from './histories.js';

/**
 * Records the histories under test/histories from real runs: the Temporal dev server, the
 * application worker with its real activities, PostgreSQL and an SMTP server. Not part of the
 * normal run; after changing a workflow deliberately (with `patched()`), record new histories
 * next to the old ones (keep the old ones: running executions still have them):
 *
 *   RECORD_HISTORIES=1 npx vitest run test/replay/record-histories.test.ts
 */
const RECORD = process.env.RECORD_HISTORIES === '1';

describe.runIf(RECORD)('record workflow histories from real runs', () => {
  let devServer: DevServer;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let smtp: TestSmtpServer;
  let mailer: Mailer;
  let connection: Connection;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = 'record-histories';

  beforeAll(async () => {
    [devServer, database, smtp] = await Promise.all([
      startDevServer({ cli: inject('temporalCli'), port: await freePort(), headless: true }),
      createTestDatabase(),
      startSmtpServer(),
    ]);
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: devServer.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SMTP_URL: smtp.url,
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
      LOG_LEVEL: 'silent',
    });
    const logger = createLogger({ name: 'record-histories', level: 'silent' });
    mailer = createMailer({ db: database.db, smtpUrl: smtp.url, from: config.mail.from, logger });
    worker = await createAppWorker({ config, db: database.db, mailer, logger });
    running = worker.run();
    connection = await Connection.connect({ address: devServer.address });
    client = new Client({ connection });
  });

  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await connection?.close();
    mailer?.close();
    await smtp?.close();
    await devServer?.stop();
    await database?.drop();
  });

  function input(sendAtMs: number): ScheduledNoticeInput {
    return {
      noticeId: crypto.randomUUID(),
      sendAt: new Date(sendAtMs).toISOString(),
      to: 'owner@example.com',
      subject: 'Water shut-off on Friday / 周五停水通知',
      text: 'Building 3 water supply stops 09:00–12:00.',
      actor: 'user-agent-1',
      groupId: 'group-1',
    };
  }

  it('scheduled-notice.json: scheduled, queried, rescheduled, sent', async () => {
    const notice = input(Date.now() + 3000);
    const handle = await client.workflow.start(scheduledNotice, { taskQueue, workflowId: scheduledNoticeWorkflowId(notice.noticeId), args: [notice] });
    expect((await handle.query(getNoticeState)).status).toBe('SCHEDULED');
    await handle.signal(noticeRescheduled, { sendAt: new Date(Date.now() + 4000).toISOString(), actor: 'user-handler-2' });
    expect((await handle.result()).status).toBe('SENT');
    await smtp.waitForMessages(1);
    await saveHistory(client, handle.workflowId, 'scheduled-notice.json');
  });

  it('scheduled-notice-cancelled.json: a cancellation refused without a reason, then accepted', async () => {
    const notice = input(Date.now() + 3600_000);
    const handle = await client.workflow.start(scheduledNotice, { taskQueue, workflowId: scheduledNoticeWorkflowId(notice.noticeId), args: [notice] });
    await expect(handle.executeUpdate(cancelNotice, { args: [{ reason: ' ', actor: 'user-supervisor-3' }] })).rejects.toThrow();
    await handle.executeUpdate(cancelNotice, { args: [{ reason: 'Work postponed / 工程延期', actor: 'user-supervisor-3' }] });
    expect((await handle.result()).status).toBe('CANCELLED');
    await saveHistory(client, handle.workflowId, 'scheduled-notice-cancelled.json');
  });

  it('scheduled-notice-refused.json: the mail server refuses the email for good', async () => {
    smtp.refuseWith = { code: 550, message: 'Mailbox unavailable' };
    const notice = input(Date.now() + 1000);
    const handle = await client.workflow.start(scheduledNotice, { taskQueue, workflowId: scheduledNoticeWorkflowId(notice.noticeId), args: [notice] });
    expect((await handle.result()).status).toBe('FAILED');
    smtp.refuseWith = null;
    await saveHistory(client, handle.workflowId, 'scheduled-notice-refused.json');
  });
});

