import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import type { Client, WorkflowHandle } from '@temporalio/client';
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
import { createAppWorker } from '../../activities/worker.js';
import { getCaseState } from '../../workflows/cases/complaint-case.defs.js';
import { createProbeCase, createProbeOrg, PROBE_CASE_LATE_TRAIL, PROBE_CASE_TRAIL, startProbeCase, waitForProbeToSettle, type ProbeCase, type ProbeOrg } from '../support/probe-case.js';
import { freePort, TEST_PAYLOAD_KEYS } from '../support/stack.js';
import { pgCtl, startTestPostgres, type TestPostgres } from '../support/test-postgres.js';
import { startSmtpServer, type TestSmtpServer } from './smtp.js';

/**
 * The whole stack as it runs in production, in one file: the Temporal dev server (SQLite file, so
 * it can be restarted with its state), a PostgreSQL cluster of this file's own (so stopping it
 * cannot disturb the other test files sharing the global one), the application worker, the API
 * and a real SMTP server. The process it runs is a complaint case with second-long targets
 * (test/support/probe-case.ts): its warning and breach are durable timers, announced by email.
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
let org: ProbeOrg;

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
  org = await createProbeOrg(db, 'STACK');
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

async function startCase(probe: ProbeCase): Promise<WorkflowHandle> {
  return startProbeCase(await temporalClient(), taskQueue, probe);
}

/** The probe's trail once it is idle, asked again should the server be briefly away. */
async function settled(handle: WorkflowHandle, probe: ProbeCase, trail: readonly string[], timeoutMs: number): Promise<string[]> {
  return waitForProbeToSettle({ db, handle, probe, trail, timeoutMs });
}

async function waitForTimerStarted(handle: WorkflowHandle) {
  for (let i = 0; i < 100; i++) {
    const history = await handle.fetchHistory();
    if (history.events?.some((e) => e.timerStartedEventAttributes)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the case never started its timer');
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

  it("delivers a case's SLA warning and breach at their due times through the worker, SMTP and the audit trail", async () => {
    // Warned after 2 s, breached after 4 s.
    const probe = await createProbeCase(db, org, { firstContact: 'PT4S', warnAt: 0.5 });
    const handle = await startCase(probe);
    const { warnDueAt, dueAt } = (await handle.query(getCaseState)).targets.firstContact!;

    expect(await settled(handle, probe, PROBE_CASE_TRAIL, 30_000)).toEqual(PROBE_CASE_TRAIL);
    const [warning] = await waitForEmail(probe.subjects.warning);
    const [breach] = await waitForEmail(probe.subjects.breach);
    expect(JSON.stringify(warning?.to)).toContain(org.handler.email);
    expect(JSON.stringify(breach?.to)).toContain(org.handler.email);
    const warned = await db.emailMessage.findUniqueOrThrow({ where: { idempotencyKey: probe.emailKey(2) } });
    const breached = await db.emailMessage.findUniqueOrThrow({ where: { idempotencyKey: probe.emailKey(3) } });
    expect(warned).toMatchObject({ status: 'SENT', subject: probe.subjects.warning });
    expect(breached).toMatchObject({ status: 'SENT', subject: probe.subjects.breach });
    // Each went out at its due time, not before.
    expect(warned.sentAt!.getTime()).toBeGreaterThanOrEqual(warnDueAt);
    expect(breached.sentAt!.getTime()).toBeGreaterThanOrEqual(dueAt);
    expect(warnDueAt).toBeLessThan(dueAt);
  }, 60_000);

  it('reports Temporal down while its server is stopped, recovers by itself, and a deadline due meanwhile still fires', async () => {
    // Warned after 6 s, breached after 8 s: both while the server is down.
    const probe = await createProbeCase(db, org, { firstContact: 'PT8S', warnAt: 0.75 });
    const handle = await startCase(probe);
    const { dueAt } = (await handle.query(getCaseState)).targets.firstContact!;
    await waitForTimerStarted(handle);

    await devServer!.stop();
    devServer = null;
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'unavailable', checks: { database: 'ok', temporal: 'down' } });

    // Keep it down past the due time: the timer must fire late rather than be lost.
    await new Promise((r) => setTimeout(r, Math.max(0, dueAt + 1000 - Date.now())));
    expect(messagesWithSubject(probe.subjects.warning)).toHaveLength(0);
    expect(messagesWithSubject(probe.subjects.breach)).toHaveLength(0);
    expect(await db.auditEvent.count({ where: { streamId: handle.workflowId, type: { in: ['sla.warned', 'sla.breached'] } } })).toBe(0);
    devServer = await startTemporal();

    const up = await waitForReadiness({ database: 'ok', temporal: 'ok' }, 30_000);
    expect(up.status).toBe(200);
    // The breach is recorded late, once; the warning it overtook is never sent.
    expect(await settled(handle, probe, PROBE_CASE_LATE_TRAIL, 60_000)).toEqual(PROBE_CASE_LATE_TRAIL);
    expect(await waitForEmail(probe.subjects.breach)).toHaveLength(1);
    expect(messagesWithSubject(probe.subjects.warning)).toHaveLength(0);
    const breached = await db.emailMessage.findUniqueOrThrow({ where: { idempotencyKey: probe.emailKey(2) } });
    expect(breached).toMatchObject({ status: 'SENT', subject: probe.subjects.breach });
    expect(breached.sentAt!.getTime()).toBeGreaterThan(dueAt + 1000);
  }, 120_000);

  it('reports the database down while PostgreSQL is stopped, recovers by itself, and the worker retries its writes', async () => {
    // The case row is the API's, written before the outage; the workflow's writes meet it.
    const probe = await createProbeCase(db, org, { firstContact: 'PT2S', warnAt: 0.5 });
    pgCtl(postgres.dataDir, 'stop', postgres.port);
    let restarted = false;
    try {
      const down = await waitForReadiness({ database: 'down', temporal: 'ok' }, 15_000);
      expect(down.status).toBe(503);
      expect(down.body.status).toBe('unavailable');

      // Its first write (since slim histories one step activity: the audit row and the projection in
      // one transaction) meets the stopped database and is retried, past the deadline.
      const handle = await startCase(probe);
      let attempt = 0;
      for (let i = 0; i < 60 && attempt < 2; i++) {
        await new Promise((r) => setTimeout(r, 250));
        attempt = (await handle.describe()).raw.pendingActivities?.[0]?.attempt ?? 0;
      }
      expect(attempt).toBeGreaterThanOrEqual(2);
      const { dueAt } = (await handle.query(getCaseState)).targets.firstContact!;
      await new Promise((r) => setTimeout(r, Math.max(0, dueAt + 1000 - Date.now())));
      expect(await handle.describe().then((d) => d.raw.pendingActivities?.[0]?.activityType?.name)).toBe('recordCaseStep');

      pgCtl(postgres.dataDir, 'start', postgres.port);
      restarted = true;
      const up = await waitForReadiness({ database: 'ok', temporal: 'ok' }, 30_000);
      expect(up.status).toBe(200);

      // Every write landed once, in order, the breach due meanwhile included.
      expect(await settled(handle, probe, PROBE_CASE_LATE_TRAIL, 60_000)).toEqual(PROBE_CASE_LATE_TRAIL);
      expect(await waitForEmail(probe.subjects.breach)).toHaveLength(1);
      expect(messagesWithSubject(probe.subjects.warning)).toHaveLength(0);
    } finally {
      if (!restarted) pgCtl(postgres.dataDir, 'start', postgres.port);
    }
  }, 120_000);
});
