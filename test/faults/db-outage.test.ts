import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFileSync, spawnSync } from 'node:child_process';
import pg from 'pg';
import type { WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { DEFAULT_POLICY } from '../../domain/cases/sla-policy.js';
import { loadConfig } from '../../platform/config.js';
import { createDb, type Db } from '../../platform/db.js';
import { createLogger } from '../../platform/logger.js';
import { createMailer, type Mailer } from '../../platform/mail.js';
import { ROOT } from '../../platform/tools.js';
import { TemporalGateway } from '../../platform/temporal/connection.js';
import { startDevServer, type DevServer } from '../../platform/temporal/dev-server.js';
import { failureMessage } from '../../platform/temporal/payload-codec.js';
import { parsePayloadKeys } from '../../platform/temporal/payload-keys.js';
import { createAppWorker } from '../../activities/worker.js';
import { seedDemo } from '../../prisma/seed.js';
import { getCaseState, type CaseState } from '../../workflows/cases/complaint-case.defs.js';
import { getLeadState, type LeadState } from '../../workflows/leads/lead-follow-up.defs.js';
import { recordFigures } from '../support/figures.js';
import { freePort, TEST_PAYLOAD_KEYS } from '../support/stack.js';
import { pgCtl, startTestPostgres, type TestPostgres } from '../support/test-postgres.js';
import { startSmtpServer, type TestSmtpServer } from '../integration/smtp.js';

/**
 * Fault: PostgreSQL stopped for 30 seconds under a steady trickle of API requests, with SLA timers
 * falling due and actions in flight during the outage. Proves that
 *  (a) activities retry through the outage: every timer due meanwhile and every action accepted
 *      just before it is recorded once the database is back;
 *  (b) the API answers every request meanwhile with 503 + Retry-After (problem+json
 *      DEPENDENCY_UNAVAILABLE), never with a 500, and serves again after recovery by itself;
 *  (c) nothing is lost: each workflow's audit trail is complete (seq 1…n, the expected events, no
 *      duplicate), the read model agrees with the workflow's own state, and every expected email
 *      reached the real SMTP server exactly once.
 * The stack is the production one, in this process: the Temporal dev server, a PostgreSQL cluster
 * of this file's own (so stopping it disturbs no other test file), the application worker, the
 * API and a real SMTP server.
 */
try {
  // The SDK's own lines would drown the test output: here every activity fails while the database
  // is down, which it logs as a warning each time.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
} catch {
  // Already installed in this process.
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const OUTAGE_MS = 30_000;
/** A request every this many ms, from before the outage until after recovery. */
const TRICKLE_EVERY_MS = 250;
/** How long the trickle goes on after the database is back. */
const AFTER_RECOVERY_MS = 10_000;
/** Generous bound for the retries to drain after recovery (activity backoff reaches 32 s, email backoff 40 s). */
const SETTLE_TIMEOUT_MS = 180_000;
/** The timer cases' first-contact target: warned at half time, breached at the end, both inside the outage. */
const TIMER_TARGET_S = 24;
const TIMER_CASES = 4;
const SETTLED_CASES = 3;
const INFLIGHT_LEADS = 3;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'estate-care-db-outage-'));
const taskQueue = 'db-outage';
let postgres: TestPostgres;
let pgRunning = false;
let devServer: DevServer | null = null;
let smtp: TestSmtpServer;
let db: Db;
let mailer: Mailer;
let worker: Worker;
let workerRun: Promise<void>;
let gateway: TemporalGateway;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  let temporalPort: number;
  [postgres, temporalPort, smtp] = await Promise.all([freePort().then((port) => startTestPostgres(port)), freePort(), startSmtpServer()]);
  pgRunning = true;
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
  devServer = await startDevServer({ cli: inject('temporalCli'), port: temporalPort, headless: true, logFile: path.join(tmp, 'temporal.log') });

  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: devServer.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    SMTP_URL: smtp.url,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    TEMPORAL_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    CRM_DEMO_PASSWORD: 'demo',
    LOG_LEVEL: 'silent',
  });
  const logger = createLogger({ name: 'db-outage-test', level: config.logLevel });
  db = createDb(databaseUrl);
  await seedDemo(db, { password: 'demo' });
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
  // Each step bounded and timed: a slow teardown says which step was slow instead of timing out.
  const step = async (name: string, run: () => unknown) => {
    const t0 = Date.now();
    try {
      await Promise.race([Promise.resolve().then(run), sleep(20_000).then(() => Promise.reject(new Error('still running after 20 s')))]);
    } catch (err) {
      console.warn(`db-outage teardown: ${name}: ${(err as Error).message}`);
    }
    if (Date.now() - t0 > 5_000) console.warn(`db-outage teardown: ${name} took ${Date.now() - t0} ms`);
  };
  if (postgres && !pgRunning) await step('restart PostgreSQL', () => pgCtl(postgres.dataDir, 'start', postgres.port));
  if (server)
    await step('close the API', () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    });
  await step('stop the worker', async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await workerRun?.catch(() => undefined);
  });
  await step('close the Temporal client', () => gateway?.close());
  await step('close the mailer and database', async () => {
    mailer?.close();
    await db?.$disconnect();
  });
  await step('stop Temporal', () => devServer?.stop());
  await step('stop SMTP', () => smtp?.close());
  await step('remove PostgreSQL', () => postgres?.stop());
  fs.rmSync(tmp, { recursive: true, force: true });
}, 180_000);

// ---------------------------------------------------------------------------------------------
// HTTP

interface Answer {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

async function request(method: string, urlPath: string, opts: { token?: string; json?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${urlPath}`, {
    method,
    headers,
    body: opts.json === undefined ? undefined : JSON.stringify(opts.json),
    // Bounded: a request that hangs is an answer too (counted as a timeout), never a stuck test.
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let body: unknown = text;
  if (/json/.test(res.headers.get('content-type') ?? '')) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body, text };
}

async function ok(answer: Promise<Answer>, status: number): Promise<any> {
  const a = await answer;
  expect(a.status, `${a.status} ${a.text}`).toBe(status);
  return a.body;
}


async function eventually<T>(what: string, read: () => Promise<T>, good: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read().catch(() => undefined);
    if (v !== undefined && good(v)) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

let phoneCounter = 0;
/** A phone number of its own per record (13 + 9 digits), so every record is a new customer. */
const nextPhone = () => `137${String(process.pid % 1000).padStart(3, '0')}${String(++phoneCounter).padStart(5, '0')}`;

// ---------------------------------------------------------------------------------------------
// The trickle: one API request every TRICKLE_EVERY_MS, writes and reads in turn, every answer counted

type Phase = 'before' | 'outage' | 'recovery';
interface TrickleAnswer {
  /** When it was sent. */
  phase: Phase;
  /**
   * When it was answered: a request sent in the last moments of the outage may be answered once
   * the database is back (it waited for a connection), which is right, not a 503.
   */
  answeredIn: Phase;
  kind: string;
  status: number | 'timeout' | 'network';
  retryAfter: string | null;
  code: string | null;
  problemJson: boolean;
  created?: { kind: 'case' | 'lead'; id: string };
}

function startTrickle(o: {
  agent: string;
  sales: string;
  handler: string;
  handlerId: string;
  salesId: string;
  projectId: string;
  contactCaseIds: string[];
  readCaseId: string;
  phase: () => Phase;
}) {
  const answers: TrickleAnswer[] = [];
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let i = 0;
  const kinds: { kind: string; send: () => Promise<Answer> }[] = [
    {
      kind: 'POST /api/cases',
      send: () =>
        request('POST', '/api/cases', {
          token: o.agent,
          json: {
            type: 'complaint',
            projectId: o.projectId,
            customer: { name: '钱女士', phone: nextPhone() },
            category: 'complaint.quality.leakage',
            severity: 'minor',
            channel: 'phone',
            description: '数据库故障期间来电 / call during the outage',
            assigneeId: o.handlerId,
          },
        }),
    },
    {
      kind: 'POST /api/leads',
      send: () =>
        request('POST', '/api/leads', {
          token: o.sales,
          json: { projectId: o.projectId, customer: { name: '孙先生', phone: nextPhone() }, source: 'walk_in', grade: 'B', ownerId: o.salesId },
        }),
    },
    {
      // A case action: contact the next case of the list (each at most once: a 409 is no error here).
      kind: 'POST /api/cases/:id/contact',
      send: () => request('POST', `/api/cases/${o.contactCaseIds[i % o.contactCaseIds.length]}/contact`, { token: o.handler, json: { note: '故障期间致电 / called' } }),
    },
    { kind: 'POST /api/auth/login', send: () => request('POST', '/api/auth/login', { json: { username: 'agent.project', password: 'demo' } }) },
    { kind: 'GET /api/cases', send: () => request('GET', '/api/cases?pageSize=5', { token: o.agent }) },
    { kind: 'GET /api/cases/:id', send: () => request('GET', `/api/cases/${o.readCaseId}`, { token: o.agent }) },
    { kind: 'GET /api/leads', send: () => request('GET', '/api/leads?pageSize=5', { token: o.sales }) },
  ];
  const loop = (async () => {
    while (!stopped) {
      const k = kinds[i % kinds.length]!;
      i++;
      const phase = o.phase();
      const p = k
        .send()
        .then(
          (a): void => {
            const created =
              a.status === 201 && k.kind === 'POST /api/cases'
                ? { kind: 'case' as const, id: String(a.body.id) }
                : a.status === 201 && k.kind === 'POST /api/leads'
                  ? { kind: 'lead' as const, id: String(a.body.id) }
                  : undefined;
            answers.push({
              phase,
              answeredIn: o.phase(),
              kind: k.kind,
              status: a.status,
              retryAfter: a.headers.get('retry-after'),
              code: typeof a.body === 'object' && a.body ? (a.body.code ?? null) : null,
              problemJson: (a.headers.get('content-type') ?? '').startsWith('application/problem+json'),
              ...(created ? { created } : {}),
            });
          },
          (err: Error): void => void answers.push({ phase, answeredIn: o.phase(), kind: k.kind, status: err.name === 'TimeoutError' ? 'timeout' : 'network', retryAfter: null, code: null, problemJson: false }),
        )
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      // Never more than a handful at once: a trickle, not a load test.
      while (inFlight.size >= 4) await Promise.race(inFlight);
      await sleep(TRICKLE_EVERY_MS);
    }
  })();
  return {
    answers,
    async stop() {
      stopped = true;
      await loop;
      await Promise.all(inFlight);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Audit trail, read model and emails

interface Trail {
  workflowId: string;
  kind: 'case' | 'lead';
  id: string;
  /** Expected audit event types, in order of seq. */
  types: string[];
  /** Expected emails: `${seq}:${username}` (idempotency key `${workflowId}:${seq}:${userId}`). */
  emails: string[];
}

const messageIdOf = (idempotencyKey: string) => `<${crypto.createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@estate-care>`;

async function auditOf(streamId: string) {
  return db.auditEvent.findMany({ where: { streamId }, orderBy: { seq: 'asc' }, select: { seq: true, type: true } });
}

/** True when the row the API reads agrees with the workflow's own state, through the last event. */
async function readModelAgrees(t: Trail): Promise<string | null> {
  const client = await gateway.getClient();
  const handle: WorkflowHandle = client.workflow.getHandle(t.workflowId);
  if (t.kind === 'case') {
    const state: CaseState = await handle.query(getCaseState);
    const row = await db.case.findUniqueOrThrow({ where: { id: t.id } });
    const fc = state.targets.firstContact;
    const agrees =
      row.lastEventSeq === state.seq &&
      row.status === state.status &&
      row.tier === state.tier &&
      row.assigneeId === state.assigneeId &&
      row.breached === Boolean(fc?.breachedAt);
    return agrees ? null : `case ${row.number}: row seq ${row.lastEventSeq}/${row.status}/${row.tier}/${row.breached} vs workflow ${state.seq}/${state.status}/${state.tier}/${Boolean(fc?.breachedAt)}`;
  }
  const state: LeadState = await handle.query(getLeadState);
  const row = await db.lead.findUniqueOrThrow({ where: { id: t.id } });
  const agrees = row.lastEventSeq === state.seq && row.status === state.status && row.grade === state.grade && row.ownerId === state.ownerId;
  return agrees ? null : `lead ${row.number}: row seq ${row.lastEventSeq}/${row.status} vs workflow ${state.seq}/${state.status}`;
}

/** Activity retries seen in a workflow's history: activities started more than once, and the highest attempt. */
async function activityRetries(workflowId: string) {
  const client = await gateway.getClient();
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  let retried = 0;
  let retries = 0;
  let maxAttempt = 1;
  for (const e of history.events ?? []) {
    const attempt = e.activityTaskStartedEventAttributes?.attempt;
    if (!attempt) continue;
    if (attempt > 1) {
      retried++;
      retries += attempt - 1;
    }
    maxAttempt = Math.max(maxAttempt, attempt);
  }
  return { retried, retries, maxAttempt };
}

/** Runs pg_ctl of the Debian package as the `postgres` user (as test-postgres.ts does), without waiting. */
function pgCtlNoWait(args: string[]) {
  const root = '/usr/lib/postgresql';
  const version = fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))[0]!;
  const bin = path.join(root, version, 'bin', 'pg_ctl');
  const r = process.getuid?.() === 0 ? spawnSync('runuser', ['-u', 'postgres', '--', bin, ...args], { encoding: 'utf8' }) : spawnSync(bin, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pg_ctl ${args.join(' ')}: ${r.stderr || r.stdout}`);
}

describe('PostgreSQL going away under a request', () => {
  it('answers 503 with Retry-After, not 500, to a query terminated by the server (57P01) and to a session refused while it shuts down (57P03)', async () => {
    const token = (await ok(request('POST', '/api/auth/login', { json: { username: 'agent.project', password: 'demo' } }), 200)).token as string;
    const admin = new pg.Client({ connectionString: postgres.adminUrl('estate_care') });
    await admin.connect();
    const others = `datname = 'estate_care' AND pid <> pg_backend_pid() AND backend_type = 'client backend'`;
    try {
      // 57P01 admin_shutdown, as a fast shutdown sends it to every busy session: the request's
      // query waits on a lock, and its backend is terminated meanwhile.
      await admin.query('BEGIN');
      await admin.query('LOCK TABLE app_user IN ACCESS EXCLUSIVE MODE');
      const pending = request('GET', '/api/cases?pageSize=1', { token });
      await eventually('the request to wait on the lock', async () => (await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE ${others} AND wait_event_type = 'Lock'`)).rows[0].n as number, (n) => n > 0, 20_000);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${others} AND wait_event_type = 'Lock'`);
      const terminated = await pending;
      await admin.query('ROLLBACK');

      // 57P03 cannot_connect_now: a smart shutdown waits for the sessions left (this one) and
      // refuses new ones; the API's pooled sessions are gone, so its next query needs a new one.
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${others}`);
      await sleep(500);
      pgCtlNoWait(['-D', postgres.dataDir, '-m', 'smart', 'stop', '-W']);
      pgRunning = false;
      await sleep(500);
      const refused = await request('GET', '/api/cases?pageSize=1', { token });

      for (const [what, a] of [['terminated mid-query (57P01)', terminated], ['refused while shutting down (57P03)', refused]] as const) {
        expect({ what, status: a.status, code: a.body?.code }, a.text).toEqual({ what, status: 503, code: 'DEPENDENCY_UNAVAILABLE' });
        expect(a.headers.get('retry-after'), what).toMatch(/^\d+$/);
      }
    } finally {
      await admin.end().catch(() => undefined);
    }
    // The last session gone, the smart shutdown completes; then the database comes back.
    await eventually(
      'PostgreSQL to restart',
      async () => {
        if (!pgRunning) {
          pgCtl(postgres.dataDir, 'start', postgres.port);
          pgRunning = true;
        }
        return true;
      },
      (v) => v,
      60_000,
    );
    await eventually('/readyz to say ready', () => request('GET', '/readyz'), (a) => a.status === 200, 30_000);
  }, 120_000);
});

describe('PostgreSQL stopped for 30 seconds under a trickle of requests', () => {
  it('answers 503 with Retry-After meanwhile, retries the activities, and loses or duplicates nothing after recovery', async () => {
    const testStarted = Date.now();
    const login = async (username: string): Promise<string> => (await ok(request('POST', '/api/auth/login', { json: { username, password: 'demo' } }), 200)).token;
    const [agent, handler, sales, adminToken] = [await login('agent.project'), await login('handler.project'), await login('sales.project'), await login('admin')];
    const userId = async (username: string) => (await db.user.findUniqueOrThrow({ where: { username } })).id;
    const users = { handler: await userId('handler.project'), sales: await userId('sales.project'), supervisorProject: await userId('supervisor.project'), supervisorCompany: await userId('supervisor.company') };
    const usernameOf = new Map(Object.entries({ 'handler.project': users.handler, 'sales.project': users.sales, 'supervisor.project': users.supervisorProject, 'supervisor.company': users.supervisorCompany }).map(([k, v]) => [v, k]));
    const projectId = (await db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } })).id;

    // Property-service complaints at the project office get a seconds-long first-contact target.
    await ok(
      request('PUT', '/api/sla-policies', {
        token: adminToken,
        json: [
          { id: 'outage-timers', name: '故障演练', categoryPrefix: 'complaint.service', tier: 'PROJECT', firstContact: `PT${TIMER_TARGET_S}S`, warnAt: 0.5, resolution: 'PT1H', callback: 'PT1H', approvalWindow: 'PT1H', notifications: { digestMinutes: 0 } },
          // Every other case keeps the default targets, each notice on its own under its own key
          // (the checks count one email per event; the default policy's 5-minute digest would group them).
          { ...DEFAULT_POLICY, id: 'outage-rest', name: '故障演练：其余 / drill: the rest', notifications: { digestMinutes: 0 } },
        ],
      }),
      200,
    );
    const openCase = (category: string) =>
      ok(
        request('POST', '/api/cases', {
          token: agent,
          json: {
            type: 'complaint',
            projectId,
            customer: { name: '周先生', phone: nextPhone() },
            category,
            severity: 'minor',
            channel: 'phone',
            description: '故障演练工单 / outage drill case',
            assigneeId: users.handler,
          },
        }),
        201,
      );
    const trails: Trail[] = [];

    // 1. Settled cases: opened and fully recorded before the outage; contacted just before it, so
    //    the contact's audit row and projection are in flight when the database stops.
    const settled: any[] = [];
    for (let n = 0; n < SETTLED_CASES; n++) settled.push(await openCase('complaint.quality.leakage'));
    await eventually(
      'the settled cases to be fully recorded',
      async () => Promise.all(settled.map(async (c) => (await db.case.findUniqueOrThrow({ where: { id: c.id } })).lastEventSeq >= 1 && (await db.emailMessage.count({ where: { idempotencyKey: { startsWith: `${c.workflowId}:1:` }, status: 'SENT' } })) === 1)),
      (done) => done.every(Boolean),
      60_000,
    );
    for (const c of settled) trails.push({ workflowId: c.workflowId, kind: 'case', id: c.id, types: ['case.opened', 'case.contacted'], emails: ['1:handler.project'] });
    // Cases the trickle acts on (its contacts meet the outage, then succeed or get 409 after it).
    const trickleTargets: any[] = [];
    for (let n = 0; n < 2; n++) trickleTargets.push(await openCase('complaint.quality.cracks'));

    // 2. Timer cases: warned at TIMER_TARGET_S/2 and breached at TIMER_TARGET_S after opening, inside
    //    the outage that starts a few seconds later. Their opening is recorded first, so that each
    //    workflow waits on its timer when the database stops (a workflow still busy retrying its
    //    opening would only look at its clock after recovery, when the breach supersedes the warning).
    const timer: any[] = [];
    for (let n = 0; n < TIMER_CASES; n++) timer.push(await openCase('complaint.service.parking'));
    await eventually(
      'the timer cases to be fully recorded',
      async () => Promise.all(timer.map(async (c) => (await db.case.findUniqueOrThrow({ where: { id: c.id } })).lastEventSeq >= 1 && (await db.emailMessage.count({ where: { idempotencyKey: { startsWith: `${c.workflowId}:1:` }, status: 'SENT' } })) === 1)),
      (done) => done.every(Boolean),
      60_000,
    );
    for (const c of timer)
      trails.push({
        workflowId: c.workflowId,
        kind: 'case',
        id: c.id,
        types: ['case.opened', 'sla.warned', 'sla.breached', 'escalation.requested'],
        emails: ['1:handler.project', '2:handler.project', '3:handler.project', '3:supervisor.project', '4:supervisor.company'],
      });

    // 3. Leads created just before the outage: their creation's audit row, email and projection in flight.
    for (let n = 0; n < INFLIGHT_LEADS; n++) {
      const l = await ok(
        request('POST', '/api/leads', { token: sales, json: { projectId, customer: { name: '吴女士', phone: nextPhone() }, source: 'walk_in', grade: 'B', ownerId: users.sales } }),
        201,
      );
      trails.push({ workflowId: l.workflowId, kind: 'lead', id: l.id, types: ['lead.created'], emails: ['1:sales.project'] });
    }
    // 4. Actions accepted just before the outage: the workflow takes them, the activities recording them meet the outage.
    for (const c of settled) await ok(request('POST', `/api/cases/${c.id}/contact`, { token: handler, json: { note: '故障前致电 / called' } }), 200);

    let phase: Phase = 'before';
    const trickle = startTrickle({
      agent,
      sales,
      handler,
      handlerId: users.handler,
      salesId: users.sales,
      projectId,
      contactCaseIds: trickleTargets.map((c) => c.id),
      readCaseId: settled[0].id,
      phase: () => phase,
    });
    await sleep(1_000);
    // ---- The outage ----------------------------------------------------------------------------
    pgCtl(postgres.dataDir, 'stop', postgres.port);
    pgRunning = false;
    const outageStart = Date.now();
    phase = 'outage';
    const timerDueAts = timer.flatMap((c) => {
      const due = Date.parse(c.sla.firstContact.dueAt);
      return [due - (TIMER_TARGET_S * 1000) / 2, due];
    });
    let maxPendingAttempt = 0;
    let lastPendingFailure = '';
    let readyDuring: Answer | null = null;
    const client = await gateway.getClient();
    while (Date.now() - outageStart < OUTAGE_MS) {
      await sleep(2_000);
      readyDuring ??= await request('GET', '/readyz');
      for (const t of trails) {
        const d = await client.workflow.getHandle(t.workflowId).describe().catch(() => null);
        for (const a of d?.raw.pendingActivities ?? []) {
          if ((a.attempt ?? 0) > maxPendingAttempt) {
            maxPendingAttempt = a.attempt ?? 0;
            // Prisma's message ends with the line that says why.
            const why = (await failureMessage(a.lastFailure, parsePayloadKeys(TEST_PAYLOAD_KEYS))).split('\n').map((l) => l.trim()).filter(Boolean).at(-1) ?? '';
            lastPendingFailure = `${a.activityType?.name}: ${why}`;
          }
        }
      }
    }
    phase = 'recovery';
    pgCtl(postgres.dataDir, 'start', postgres.port);
    pgRunning = true;
    const outageEnd = Date.now();
    const outageMs = outageEnd - outageStart;
    await sleep(AFTER_RECOVERY_MS);
    await trickle.stop();
    const readyAfter = await eventually('/readyz to say ready', () => request('GET', '/readyz'), (a) => a.status === 200, 30_000);

    // ---- What the API answered -------------------------------------------------------------------
    const during = trickle.answers.filter((a) => a.phase === 'outage' && a.answeredIn === 'outage');
    const after = trickle.answers.filter((a) => a.answeredIn === 'recovery');
    const byStatus = (xs: TrickleAnswer[]) =>
      Object.entries(xs.reduce<Record<string, number>>((m, a) => ({ ...m, [String(a.status)]: (m[String(a.status)] ?? 0) + 1 }), {}))
        .sort()
        .map(([s, n]) => `${s}×${n}`)
        .join(', ');
    const during503 = during.filter((a) => a.status === 503);
    const duringOther = during.filter((a) => a.status !== 503);
    const badDuring503 = during503.filter((a) => a.retryAfter === null || !/^\d+$/.test(a.retryAfter) || a.code !== 'DEPENDENCY_UNAVAILABLE' || !a.problemJson);
    const kindsDuring = [...new Set(during.map((a) => a.kind))];
    const anyServerError = trickle.answers.filter((a) => typeof a.status !== 'number' || (a.status >= 500 && a.status !== 503));

    // Every record the trickle was told exists must be complete too.
    for (const a of trickle.answers) {
      if (!a.created) continue;
      if (a.created.kind === 'case') {
        const row = await db.case.findUniqueOrThrow({ where: { id: a.created.id } });
        trails.push({ workflowId: row.workflowId, kind: 'case', id: row.id, types: ['case.opened'], emails: ['1:handler.project'] });
      } else {
        const row = await db.lead.findUniqueOrThrow({ where: { id: a.created.id } });
        trails.push({ workflowId: row.workflowId, kind: 'lead', id: row.id, types: ['lead.created'], emails: ['1:sales.project'] });
      }
    }
    // The trickle's contacts: whichever succeeded (before or after the outage) is on the trail once.
    for (const c of trickleTargets) {
      const row = await db.case.findUniqueOrThrow({ where: { id: c.id } });
      const state: CaseState = await client.workflow.getHandle(c.workflowId).query(getCaseState);
      trails.push({ workflowId: row.workflowId, kind: 'case', id: row.id, types: state.contactedAt ? ['case.opened', 'case.contacted'] : ['case.opened'], emails: ['1:handler.project'] });
    }

    // ---- Nothing lost: audit trails, read model, emails ---------------------------------------------
    const expectedKeys = new Map<string, Trail>();
    for (const t of trails)
      for (const e of t.emails) {
        const [seq, username] = e.split(':') as [string, string];
        const uid = [...usernameOf.entries()].find(([, name]) => name === username)![0];
        expectedKeys.set(`${t.workflowId}:${seq}:${uid}`, t);
      }
    const expectedEvents = trails.reduce((n, t) => n + t.types.length, 0);
    const settle = async () => {
      const problems: string[] = [];
      for (const t of trails) {
        const rows = await auditOf(t.workflowId);
        const types = rows.map((r) => r.type);
        if (rows.length < t.types.length) problems.push(`${t.workflowId}: ${types.join(',')} of ${t.types.join(',')}`);
        else {
          const mismatch = await readModelAgrees(t).catch((err: Error) => `${t.workflowId}: ${err.message}`);
          if (mismatch) problems.push(mismatch);
        }
      }
      const delivered = new Set(smtp.messages.map((m) => m.messageId));
      for (const key of expectedKeys.keys()) if (!delivered.has(messageIdOf(key))) problems.push(`email ${key} not delivered`);
      return problems;
    };
    const settleStarted = Date.now();
    let lastProblems: string[] = [];
    try {
      await eventually('every audit trail, projection and email after recovery', async () => (lastProblems = await settle()), (p) => p.length === 0, SETTLE_TIMEOUT_MS);
    } catch (err) {
      throw new Error(`${(err as Error).message}: ${lastProblems.slice(0, 10).join('; ')}`);
    }
    const settledAfterMs = Date.now() - outageEnd;
    // Let any straggling duplicate (a retried send, a double projection) show itself before counting.
    await sleep(3_000);

    let eventsFound = 0;
    let eventsDuplicated = 0;
    let eventsUnexpected = 0;
    const trailProblems: string[] = [];
    for (const t of trails) {
      const rows = await auditOf(t.workflowId);
      eventsFound += rows.length;
      const types = rows.map((r) => r.type);
      eventsDuplicated += types.length - new Set(types).size;
      eventsUnexpected += types.filter((x) => !t.types.includes(x)).length;
      if (rows.some((r, i) => r.seq !== i + 1)) trailProblems.push(`${t.workflowId}: seq ${rows.map((r) => r.seq).join(',')}`);
      if (JSON.stringify(types) !== JSON.stringify(t.types)) trailProblems.push(`${t.workflowId}: ${types.join(',')} (expected ${t.types.join(',')})`);
    }
    const eventsLost = expectedEvents - (eventsFound - eventsUnexpected - eventsDuplicated);

    const smtpCount = new Map<string, number>();
    for (const m of smtp.messages) smtpCount.set(m.messageId ?? '', (smtpCount.get(m.messageId ?? '') ?? 0) + 1);
    let emailsDelivered = 0;
    let emailsDuplicated = 0;
    for (const key of expectedKeys.keys()) {
      const n = smtpCount.get(messageIdOf(key)) ?? 0;
      if (n > 0) emailsDelivered++;
      if (n > 1) emailsDuplicated += n - 1;
    }
    // Emails of these workflows nobody expected (another recipient, another event).
    const trailIds = new Set(trails.map((t) => t.workflowId));
    const stored = await db.emailMessage.findMany({ select: { idempotencyKey: true, status: true } });
    const unexpectedEmails = stored.filter((e) => trailIds.has(e.idempotencyKey.split(':').slice(0, 1).join(':')) && !expectedKeys.has(e.idempotencyKey)).map((e) => e.idempotencyKey);
    const unsent = stored.filter((e) => e.status !== 'SENT').map((e) => `${e.idempotencyKey}:${e.status}`);
    // Every case and lead row has its workflow: the outage left no half-created record behind.
    const rowsWithoutWorkflow: string[] = [];
    for (const r of [...(await db.case.findMany({ select: { workflowId: true } })), ...(await db.lead.findMany({ select: { workflowId: true } }))])
      if (!(await client.workflow.getHandle(r.workflowId).describe().then(() => true, () => false))) rowsWithoutWorkflow.push(r.workflowId);

    const retries = await Promise.all(trails.map((t) => activityRetries(t.workflowId)));
    const retriedActivities = retries.reduce((n, r) => n + r.retried, 0);
    const totalRetries = retries.reduce((n, r) => n + r.retries, 0);
    const maxAttempt = Math.max(maxPendingAttempt, ...retries.map((r) => r.maxAttempt));
    const timersDuringOutage = timerDueAts.filter((at) => at >= outageStart && at < outageEnd).length;

    recordFigures('fault-db-outage', {
      title: `PostgreSQL stopped for ${(outageMs / 1000).toFixed(1)} s under a trickle of API requests (every ${TRICKLE_EVERY_MS} ms)`,
      lines: [
        `requests sent and answered during the outage: ${during.length} (${kindsDuring.length} kinds: writes, login, reads) → 503 ${during503.length} (all with Retry-After: ${badDuring503.length === 0 ? 'yes' : `no, ${badDuring503.length} without`}), other ${duringOther.length}${duringOther.length ? ` (${byStatus(duringOther)})` : ''}`,
        `requests in the ${AFTER_RECOVERY_MS / 1000} s after restart: ${byStatus(after)}; 5xx other than 503 over the whole run: ${anyServerError.length}`,
        `activities retried: ${retriedActivities} (${totalRetries} retries in all, highest attempt ${maxAttempt}); last failure seen: ${lastPendingFailure.slice(0, 120)}`,
        `timers due during the outage: ${timersDuringOutage} of ${timerDueAts.length} (warnings and breaches of ${TIMER_CASES} cases), all recorded after recovery`,
        `workflows checked: ${trails.length} (${trails.filter((t) => t.kind === 'case').length} cases, ${trails.filter((t) => t.kind === 'lead').length} leads); settled ${(settledAfterMs / 1000).toFixed(1)} s after restart`,
        `audit events expected ${expectedEvents} / found ${eventsFound} / lost ${eventsLost} / duplicated ${eventsDuplicated} / unexpected ${eventsUnexpected}`,
        `emails expected ${expectedKeys.size} / delivered ${emailsDelivered} / lost ${expectedKeys.size - emailsDelivered} / duplicated ${emailsDuplicated} (real SMTP server, by Message-ID)`,
        `read model agrees with every workflow's state: yes; rows without a workflow: ${rowsWithoutWorkflow.length}; wall time ${((Date.now() - testStarted) / 1000).toFixed(0)} s`,
      ],
    });

    // (b) The API during the outage.
    expect(readyDuring?.status).toBe(503);
    expect(readyDuring?.body.checks.database).toBe('down');
    expect(readyAfter.body.checks.database).toBe('ok');
    expect(during.length).toBeGreaterThanOrEqual(20);
    expect(kindsDuring.sort()).toEqual(['GET /api/cases', 'GET /api/cases/:id', 'GET /api/leads', 'POST /api/auth/login', 'POST /api/cases', 'POST /api/cases/:id/contact', 'POST /api/leads'].sort());
    expect(duringOther.map((a) => `${a.kind} → ${a.status}`)).toEqual([]);
    expect(badDuring503).toEqual([]);
    expect(anyServerError.map((a) => `${a.phase} ${a.kind} → ${a.status}`)).toEqual([]);
    // After recovery the API serves again by itself: the last writes of the trickle succeeded.
    expect(after.some((a) => a.kind === 'POST /api/cases' && a.status === 201)).toBe(true);
    expect(after.some((a) => a.kind === 'POST /api/leads' && a.status === 201)).toBe(true);
    // (a) Activities retried through the outage; timers due meanwhile fired.
    expect(maxAttempt).toBeGreaterThanOrEqual(2);
    expect(timersDuringOutage).toBeGreaterThanOrEqual(TIMER_CASES);
    // (c) Nothing lost, nothing twice.
    expect(trailProblems).toEqual([]);
    expect({ eventsLost, eventsDuplicated, eventsUnexpected }).toEqual({ eventsLost: 0, eventsDuplicated: 0, eventsUnexpected: 0 });
    expect({ emailsLost: expectedKeys.size - emailsDelivered, emailsDuplicated }).toEqual({ emailsLost: 0, emailsDuplicated: 0 });
    expect(unexpectedEmails).toEqual([]);
    expect(unsent).toEqual([]);
    expect(rowsWithoutWorkflow).toEqual([]);
  }, 420_000);
});
