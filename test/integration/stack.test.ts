import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { loadConfig } from '../../platform/config.js';
import { createDb, type Db } from '../../platform/db.js';
import { createLogger } from '../../platform/logger.js';
import { createMailer, type Mailer } from '../../platform/mail.js';
import { ROOT } from '../../platform/tools.js';
import { TemporalGateway } from '../../platform/temporal/connection.js';
import { startDevServer, type DevServer } from '../../platform/temporal/dev-server.js';
import { createAppWorker } from '../../platform/temporal/worker.js';
import { scheduledNotice } from '../../workflows/index.js';
import { scheduledNoticeWorkflowId, type ScheduledNoticeInput } from '../../workflows/platform/scheduled-notice.defs.js';
import { freePort, TEST_PAYLOAD_KEYS } from '../support/stack.js';
import { pgCtl, startTestPostgres, type TestPostgres } from '../support/test-postgres.js';
import { startSmtpServer, type TestSmtpServer } from './smtp.js';

/**
 * The whole stack as it runs in production, in one file: the Temporal dev server (SQLite file, so
 * it can be restarted with its state), a PostgreSQL cluster of this file's own (so stopping it
 * cannot disturb the other test files sharing the global one), the application worker, the API
 * and a real SMTP server.
 */
try {
  // The SDK's own INFO lines (worker state changes) would drown the test output.
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'estate-care-stack-'));
const temporalDbFile = path.join(tmp, 'temporal.db');
const taskQueue = 'stack-test';
let postgres: TestPostgres;
let temporalPort: number;
let devServer: DevServer | null = null;
let smtp: TestSmtpServer;
let db: Db;
let mailer: Mailer;
let worker: Worker;
let workerRun: Promise<void>;
let gateway: TemporalGateway;
let server: Server;
let baseUrl: string;

function startTemporal(): Promise<DevServer> {
  return startDevServer({ cli: inject('temporalCli'), port: temporalPort, dbFile: temporalDbFile, headless: true, logFile: path.join(tmp, 'temporal.log') });
}

beforeAll(async () => {
  [postgres, temporalPort, smtp] = await Promise.all([freePort().then((port) => startTestPostgres(port)), freePort(), startSmtpServer()]);
  const admin = new pg.Client({ connectionString: postgres.adminUrl() });
  await admin.connect();
  await admin.query('CREATE DATABASE estate_care');
  await admin.end();
  const databaseUrl = postgres.adminUrl('estate_care');
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/prisma/build/index.js'), 'migrate', 'deploy'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: 'pipe',
  });
  devServer = await startTemporal();

  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: devServer.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    SMTP_URL: smtp.url,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    TEMPORAL_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    LOG_LEVEL: 'silent',
  });
  const logger = createLogger({ name: 'stack-test', level: config.logLevel });
  db = createDb(databaseUrl);
  mailer = createMailer({ db, smtpUrl: config.mail.smtpUrl, from: config.mail.from, logger });
  worker = await createAppWorker({ config, db, mailer, logger, workerOptions: { shutdownGraceTime: '2 seconds' } });
  workerRun = worker.run();
  workerRun.catch(() => undefined);
  gateway = new TemporalGateway(config.temporal);
  const app = createApp({ config, db, temporal: gateway, mailer, logger });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await workerRun?.catch(() => undefined);
  await gateway?.close();
  mailer?.close();
  await db?.$disconnect();
  await devServer?.stop();
  await smtp?.close();
  postgres?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}, 60_000);

interface Readiness {
  status: number;
  body: { status: string; checks: { database: 'ok' | 'down'; temporal: 'ok' | 'down' } };
}

async function readyz(): Promise<Readiness> {
  const res = await fetch(`${baseUrl}/readyz`);
  return { status: res.status, body: (await res.json()) as Readiness['body'] };
}

async function waitForReadiness(expected: Readiness['body']['checks'], timeoutMs: number): Promise<Readiness> {
  const deadline = Date.now() + timeoutMs;
  let last = await readyz();
  while (last.body.checks.database !== expected.database || last.body.checks.temporal !== expected.temporal) {
    if (Date.now() > deadline) throw new Error(`/readyz still ${JSON.stringify(last.body)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
    last = await readyz();
  }
  return last;
}

async function temporalClient(): Promise<Client> {
  return gateway.getClient();
}

function notice(sendAt: Date, subject: string): ScheduledNoticeInput {
  return { noticeId: crypto.randomUUID(), sendAt: sendAt.toISOString(), to: 'owner@example.com', subject, text: 'Notice body / 通知正文', actor: 'user-agent-1' };
}

async function startNotice(input: ScheduledNoticeInput): Promise<WorkflowHandle<typeof scheduledNotice>> {
  const client = await temporalClient();
  return client.workflow.start(scheduledNotice, { taskQueue, workflowId: scheduledNoticeWorkflowId(input.noticeId), args: [input] });
}

/**
 * The result, asked again should the server be briefly away while the long poll is open. On
 * timeout the error names the activity still retrying and its last failure.
 */
async function resultOf(workflowId: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  const client = await temporalClient();
  const handle = client.workflow.getHandle<typeof scheduledNotice>(workflowId);
  const ask = () => handle.result().then((value) => ({ value }), (error: unknown) => ({ error }));
  let answer = ask();
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      const pending = (await handle.describe().catch(() => null))?.raw.pendingActivities ?? [];
      const why = pending.map((a) => `${a.activityType?.name} attempt ${a.attempt}: ${a.lastFailure?.message ?? 'no failure yet'}`).join('; ');
      throw new Error(`${workflowId} did not complete within ${timeoutMs} ms (${why || 'no pending activity'})`);
    }
    const outcome = await Promise.race([answer, new Promise<null>((r) => setTimeout(() => r(null), Math.min(remaining, 2000)))]);
    if (outcome && 'value' in outcome) return outcome.value;
    if (outcome) {
      if (outcome.error instanceof WorkflowFailedError) throw outcome.error;
      await new Promise((r) => setTimeout(r, 500));
      answer = ask();
    }
  }
}

async function waitForTimerStarted(handle: WorkflowHandle) {
  for (let i = 0; i < 100; i++) {
    const history = await handle.fetchHistory();
    if (history.events?.some((e) => e.timerStartedEventAttributes)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the notice never started its timer');
}

async function auditTypes(streamId: string): Promise<string[]> {
  const rows = await db.auditEvent.findMany({ where: { streamId }, orderBy: { seq: 'asc' } });
  return rows.map((r) => `${r.seq}:${r.type}`);
}

function messagesWithSubject(subject: string) {
  return smtp.messages.filter((m) => m.subject === subject);
}

async function waitForEmail(subject: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (messagesWithSubject(subject).length === 0) {
    if (Date.now() > deadline) throw new Error(`no email "${subject}" arrived`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return messagesWithSubject(subject);
}

describe('the running stack', () => {
  it('reports ready when PostgreSQL and Temporal both answer', async () => {
    const { status, body } = await readyz();
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok', checks: { database: 'ok', temporal: 'ok' } });
  });

  it('delivers a scheduled notice at its due time through the worker, SMTP and the audit trail', async () => {
    const sendAt = new Date(Date.now() + 2000);
    const input = notice(sendAt, 'Lift maintenance / 电梯维保');
    const handle = await startNotice(input);

    expect(await resultOf(handle.workflowId, 30_000)).toMatchObject({ status: 'SENT', emailStatus: 'SENT' });
    const [email] = await waitForEmail(input.subject);
    expect(JSON.stringify(email?.to)).toContain('owner@example.com');
    expect(await auditTypes(handle.workflowId)).toEqual(['1:notice.scheduled', '2:notice.sent']);
    const row = await db.emailMessage.findUniqueOrThrow({ where: { idempotencyKey: `${handle.workflowId}:email:1` } });
    expect(row.status).toBe('SENT');
    expect(row.sentAt!.getTime()).toBeGreaterThanOrEqual(sendAt.getTime());
  }, 60_000);

  it('reports Temporal down while its server is stopped, recovers by itself, and a notice due meanwhile still goes out', async () => {
    const sendAt = new Date(Date.now() + 6000);
    const input = notice(sendAt, 'Fire drill / 消防演练');
    const handle = await startNotice(input);
    await waitForTimerStarted(handle);

    await devServer!.stop();
    devServer = null;
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'unavailable', checks: { database: 'ok', temporal: 'down' } });

    // Keep it down past the due time: the timer must fire late rather than be lost.
    await new Promise((r) => setTimeout(r, Math.max(0, sendAt.getTime() + 1000 - Date.now())));
    expect(messagesWithSubject(input.subject)).toHaveLength(0);
    devServer = await startTemporal();

    const up = await waitForReadiness({ database: 'ok', temporal: 'ok' }, 30_000);
    expect(up.status).toBe(200);
    expect(await resultOf(handle.workflowId, 60_000)).toMatchObject({ status: 'SENT' });
    expect(await waitForEmail(input.subject)).toHaveLength(1);
    expect(await auditTypes(handle.workflowId)).toEqual(['1:notice.scheduled', '2:notice.sent']);
  }, 120_000);

  it('reports the database down while PostgreSQL is stopped, recovers by itself, and the worker retries its writes', async () => {
    pgCtl(postgres.dataDir, 'stop', postgres.port);
    let restarted = false;
    try {
      const down = await waitForReadiness({ database: 'down', temporal: 'ok' }, 15_000);
      expect(down.status).toBe(503);
      expect(down.body.status).toBe('unavailable');

      // Due at once: its first audit write meets the stopped database and is retried.
      const input = notice(new Date(), 'Parking renewal / 车位续租');
      const handle = await startNotice(input);
      let attempt = 0;
      for (let i = 0; i < 60 && attempt < 2; i++) {
        await new Promise((r) => setTimeout(r, 250));
        attempt = (await handle.describe()).raw.pendingActivities?.[0]?.attempt ?? 0;
      }
      expect(attempt).toBeGreaterThanOrEqual(2);

      pgCtl(postgres.dataDir, 'start', postgres.port);
      restarted = true;
      const up = await waitForReadiness({ database: 'ok', temporal: 'ok' }, 30_000);
      expect(up.status).toBe(200);

      expect(await resultOf(handle.workflowId, 60_000)).toMatchObject({ status: 'SENT' });
      expect(await waitForEmail(input.subject)).toHaveLength(1);
      expect(await auditTypes(handle.workflowId)).toEqual(['1:notice.scheduled', '2:notice.sent']);
    } finally {
      if (!restarted) pgCtl(postgres.dataDir, 'start', postgres.port);
    }
  }, 120_000);
});
