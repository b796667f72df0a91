import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { temporal } from '@temporalio/proto';
import { inject } from 'vitest';
import { createApp } from '../../api/app.js';
import { loadConfig, type AppConfig } from '../../platform/config.js';
import type { Db } from '../../platform/db.js';
import { createLogger } from '../../platform/logger.js';
import { createMailer, type Mailer } from '../../platform/mail.js';
import { ROOT } from '../../platform/tools.js';
import { TemporalGateway } from '../../platform/temporal/connection.js';
import { workerNodeArgs, workerProcessEnv, workerRuntimeSettings } from '../../platform/worker-runtime.mjs';
import { startDevServer, type DevServer } from '../../platform/temporal/dev-server.js';
import { buildWorkflowBundle } from '../../platform/temporal/worker.js';
import { seedDemo } from '../../prisma/seed.js';
import { startSmtpServer, type TestSmtpServer } from '../integration/smtp.js';
import { createTestDatabase } from '../support/database.js';
import { freePort, TEST_PAYLOAD_KEYS } from '../support/stack.js';

/**
 * The stack of the fault tests, as in production but with every process a fault hits on its own:
 * per lane (one per scenario) a Temporal dev server on a SQLite file (restartable with its
 * state), the application worker as a separate OS process (so it can be SIGKILLed) and an API
 * instance in this process; shared by the lanes, a database cloned from the run's migrated
 * template, the demo seed, one workflow bundle, and a real SMTP server that keeps every message
 * it accepts (no deduplication). Then the proof: every case's audit trail, read model and emails
 * against what its workflow owes (auditLedger).
 */

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export { seconds };

/** Progress lines while a scenario runs (vitest shows a file's console output as it comes). */
export function progress(line: string) {
  process.stderr.write(`  … ${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

/**
 * Polls `probe` until `done` holds for its value. Bounded twice: it gives up when the value (as
 * `show` renders it) has not moved for `stallMs`, the sign of something lost rather than slow,
 * and in any case after `timeoutMs`. The error names what was awaited and the last value seen.
 * Progress goes to stderr at most every 5 s.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  opts: { timeoutMs: number; stallMs?: number; intervalMs?: number; show?: (value: T) => string; signal?: AbortSignal },
): Promise<T> {
  const started = Date.now();
  let shownAt = started;
  let last = '';
  let movedAt = started;
  for (;;) {
    opts.signal?.throwIfAborted();
    const value = await probe();
    if (done(value)) return value;
    const text = opts.show ? opts.show(value) : JSON.stringify(value);
    if (text !== last) {
      last = text;
      movedAt = Date.now();
    }
    if (Date.now() - shownAt >= 5000) {
      progress(`${what}: ${text}`);
      shownAt = Date.now();
    }
    if (opts.stallMs !== undefined && Date.now() - movedAt > opts.stallMs)
      throw new Error(`${what}: no progress for ${seconds(opts.stallMs)} (last: ${text})`);
    if (Date.now() - started > opts.timeoutMs) throw new Error(`${what}: not reached within ${seconds(opts.timeoutMs)} (last: ${text})`);
    await sleep(opts.intervalMs ?? 250);
  }
}

/**
 * Runs a scenario against the deadline its plan allows: past it the scenario fails, saying so, with
 * the plan and what it was sized from (`basis`) in the message; the runner's own timeout is a cap
 * never meant to be reached.
 */
export async function withinPlan<T>(what: string, planMs: number, basis: () => string, body: () => Promise<T>): Promise<T> {
  if (!(planMs > 0)) throw new Error(`${what}: no plan (the set-up did not finish)`);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} outgrew its plan of ${seconds(planMs)} (sized from ${basis()})`)), planMs);
  });
  try {
    return await Promise.race([body(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// Child processes that must never outlive the test file

const reapers = new Map<number, ChildProcess>();
const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

/**
 * Even if this test process is itself SIGKILLed (vitest tearing a fork down, a CI timeout), a
 * detached shell watching it kills the child (its process group with `group`) once it is gone.
 * The shell is stopped as soon as the child exits, so it never kills a recycled pid.
 */
export function guard(child: ChildProcess, opts: { group: boolean }) {
  const pid = child.pid!;
  // `kill -KILL -PID` (a negative pid: the group): dash, which runs `sh` here, refuses `kill -- -PID` ("Illegal number").
  const target = opts.group ? `-${pid}` : String(pid);
  if (opts.group) liveGroups.add(pid);
  const reaper = spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -KILL ${target} 2>/dev/null`], {
    detached: true,
    stdio: 'ignore',
  });
  reaper.unref();
  reapers.set(pid, reaper);
  const release = () => {
    liveGroups.delete(pid);
    reapers.get(pid)?.kill('SIGKILL');
    reapers.delete(pid);
  };
  if (child.exitCode !== null || child.signalCode !== null) release();
  else child.once('exit', release);
}

export interface WorkerProcess {
  pid: number;
  logFile: string;
  /** When `spawn` returned and when the worker logged that it polls its task queue (epoch ms). */
  spawnedAt: number;
  readyAt: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` to the worker's whole process group. */
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM (the worker finishes its tasks in flight), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * `worker.ts` as its own process (node with tsx's loader, one process, its own process group),
 * logging JSON lines to `logFile`. Resolves once the worker has started polling.
 */
export async function startWorkerProcess(o: { env: Record<string, string>; logFile: string; readyTimeoutMs?: number }): Promise<WorkerProcess> {
  // Launched as `npm run worker` launches it: with the worker's memory settings (platform/worker-runtime.mjs).
  const settings = workerRuntimeSettings(o.env);
  return startNodeProcess({
    ...o,
    env: workerProcessEnv(settings, o.env) as Record<string, string>,
    nodeArgs: workerNodeArgs(settings),
    script: 'worker.ts',
    what: 'worker',
    ready: async () => /Worker started on task queue/.test(fs.readFileSync(o.logFile, 'utf8')),
  });
}

/**
 * `api/server.ts` as its own process, like the worker (a process of its own that can be
 * SIGKILLed): ready once `GET /healthz` on its PORT answers.
 */
export async function startApiProcess(o: { env: Record<string, string>; logFile: string; readyTimeoutMs?: number }): Promise<WorkerProcess> {
  const url = `http://127.0.0.1:${o.env.PORT}/healthz`;
  return startNodeProcess({
    ...o,
    script: 'api/server.ts',
    what: 'API',
    ready: async () => {
      try {
        return (await fetch(url, { signal: AbortSignal.timeout(2000) })).status === 200;
      } catch {
        return false;
      }
    },
  });
}

async function startNodeProcess(o: {
  script: string;
  /** Node options before the script (the worker's memory settings). */
  nodeArgs?: string[];
  what: string;
  env: Record<string, string>;
  logFile: string;
  readyTimeoutMs?: number;
  ready: () => Promise<boolean>;
}): Promise<WorkerProcess> {
  const out = fs.openSync(o.logFile, 'a');
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), '--import', 'tsx', path.join(ROOT, o.script)], {
    cwd: ROOT,
    env: o.env,
    detached: true,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  if (!child.pid) throw new Error(`the ${o.what} process did not start`);
  guard(child, { group: true });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const pid = child.pid;
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  };
  let gone = false;
  void exited.then(() => (gone = true));
  const timeoutMs = o.readyTimeoutMs ?? 90_000;
  const deadline = Date.now() + timeoutMs;
  while (!(await o.ready())) {
    if (gone) throw new Error(`the ${o.what} process exited before it was ready:\n${tail(o.logFile)}`);
    if (Date.now() > deadline) {
      kill('SIGKILL');
      throw new Error(`the ${o.what} process was not ready within ${timeoutMs} ms:\n${tail(o.logFile)}`);
    }
    await sleep(100);
  }
  return {
    pid,
    logFile: o.logFile,
    spawnedAt,
    readyAt: Date.now(),
    exited,
    kill,
    async stop(graceMs = 15_000) {
      if (gone) return;
      kill('SIGTERM');
      const t = setTimeout(() => kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Counts the worker's "Activity failed" warnings (attempts Temporal retries) by activity type. */
export function failedActivityAttempts(logFiles: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const file of logFiles) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!line.includes('"Activity failed"')) continue;
      try {
        const entry = JSON.parse(line) as { activityType?: string; error?: { message?: string } };
        const key = `${entry.activityType ?? '?'}: ${(entry.error?.message ?? '').split('\n')[0]!.slice(0, 80)}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      } catch {
        counts.set('unparsed', (counts.get('unparsed') ?? 0) + 1);
      }
    }
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// The stack: shared database, seed, workflow bundle and SMTP server; one lane per scenario

/**
 * What one scenario faults: its own Temporal dev server (SQLite file), its own worker process and
 * its own API instance (createApp, in this process) on the shared database. Two lanes let the
 * scenarios run side by side, so their recovery waits overlap, without one's fault touching the
 * other's workflows.
 */
export interface Lane {
  name: string;
  baseUrl: string;
  taskQueue: string;
  gateway: TemporalGateway;
  devServer: DevServer | null;
  worker: WorkerProcess | null;
  /** Every worker log file of this lane so far (one per start). */
  workerLogs: string[];
  startTemporal(): Promise<DevServer>;
  startWorker(): Promise<WorkerProcess>;
}

export interface FaultStack {
  tmp: string;
  db: Db;
  smtp: TestSmtpServer;
  lanes: Record<string, Lane>;
  /** Bearer headers (the lanes share the database and JWT secret, so any lane accepts them). */
  agent: Record<string, string>;
  admin: Record<string, string>;
  project: { id: string; companyId: string; groupId: string };
  unitId: string;
  users: { handler: string; projectSupervisor: string; companySupervisor: string };
  /** Keep the temporary directory (logs, SQLite files) for a failed run. */
  keepTmp: boolean;
  close(): Promise<void>;
}

/** Message-ID the mailer derives from an idempotency key (platform/mail.ts), as mailparser shows it. */
export function messageIdFor(idempotencyKey: string): string {
  return `<${crypto.createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@estate-care>`;
}

const JWT_SECRET = 'test-secret-test-secret-test-secret-0123';

export async function startFaultStack(laneNames: string[]): Promise<FaultStack> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'estate-care-faults-'));
  const bundlePath = path.join(tmp, 'workflow-bundle.js');
  const cleanups: Array<() => unknown> = [];
  const stack = { tmp, lanes: {}, keepTmp: false } as FaultStack;
  stack.close = async () => {
    // Reverse order of start; every step runs even if an earlier one fails.
    while (cleanups.length) {
      try {
        await cleanups.pop()!();
      } catch (err) {
        console.error(`fault stack clean-up: ${(err as Error).message}`);
      }
    }
    if (stack.keepTmp) console.error(`fault stack: logs and Temporal databases kept in ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  };

  try {
    const [database, smtp] = await Promise.all([createTestDatabase(), startSmtpServer()]);
    cleanups.push(() => database.drop());
    cleanups.push(() => smtp.close());
    Object.assign(stack, { db: database.db, smtp });
    const logger = createLogger({ name: 'faults-api', level: 'silent' });

    const lanes = await Promise.all(
      laneNames.map(async (name) => {
        const port = await freePort();
        const taskQueue = `faults-${name}`;
        const env = {
          NODE_ENV: 'test',
          DATA_DIR: path.join(tmp, 'data'),
          DATABASE_URL: database.url,
          TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
          TEMPORAL_TASK_QUEUE: taskQueue,
          SMTP_URL: smtp.url,
          JWT_SECRET,
          TEMPORAL_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
          CRM_DEMO_PASSWORD: 'demo',
        };
        const config: AppConfig = loadConfig({ ...env, LOG_LEVEL: 'silent' });
        const gateway = new TemporalGateway(config.temporal);
        const lane: Lane = {
          name,
          baseUrl: '',
          taskQueue,
          gateway,
          devServer: null,
          worker: null,
          workerLogs: [],
          async startTemporal() {
            const server = await startDevServer({ cli: inject('temporalCli'), port, dbFile: path.join(tmp, `${name}-temporal.db`), headless: true, logFile: path.join(tmp, `${name}-temporal.log`) });
            guard(server.process, { group: false });
            return server;
          },
          async startWorker() {
            const logFile = path.join(tmp, `${name}-worker-${lane.workerLogs.length + 1}.log`);
            lane.workerLogs.push(logFile);
            lane.worker = await startWorkerProcess({
              env: {
                ...env,
                LOG_LEVEL: 'info',
                WORKFLOW_BUNDLE_PATH: bundlePath,
                PATH: process.env.PATH ?? '/usr/bin:/bin',
                HOME: process.env.HOME ?? tmp,
                TMPDIR: process.env.TMPDIR ?? os.tmpdir(),
              },
              logFile,
            });
            return lane.worker;
          },
        };
        // Whatever server and worker the lane has at the end (a scenario restarts them).
        cleanups.push(() => lane.devServer?.stop());
        cleanups.push(() => lane.worker?.stop());
        cleanups.push(() => gateway.close());
        const mailer: Mailer = createMailer({ db: database.db, smtpUrl: config.mail.smtpUrl, from: config.mail.from, logger });
        cleanups.push(() => mailer.close());
        const app = createApp({ config, db: database.db, temporal: gateway, mailer, logger });
        const server = await new Promise<Server>((resolve) => {
          const s = app.listen(0, '127.0.0.1', () => resolve(s));
        });
        cleanups.push(
          () =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        );
        lane.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        return lane;
      }),
    );
    for (const lane of lanes) stack.lanes[lane.name] = lane;

    const [seed] = await Promise.all([
      seedDemo(database.db, { password: 'demo' }),
      buildWorkflowBundle(bundlePath),
      ...lanes.map(async (lane) => {
        lane.devServer = await lane.startTemporal();
      }),
    ]);
    await Promise.all(lanes.map((lane) => lane.startWorker()));

    const baseUrl = lanes[0]!.baseUrl;
    const login = async (username: string) => {
      const res = await fetch(`${baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'demo' }),
      });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
      return { authorization: `Bearer ${((await res.json()) as { token: string }).token}`, 'content-type': 'application/json' };
    };
    stack.agent = await login('agent.project');
    stack.admin = await login('admin');
    stack.project = await database.db.project.findFirstOrThrow({ where: { id: seed.projectIds[0] }, select: { id: true, companyId: true, groupId: true } });
    stack.unitId = (await database.db.unit.findFirstOrThrow({ where: { projectId: stack.project.id }, orderBy: [{ floor: 'asc' }, { number: 'asc' }] })).id;
    const userId = async (username: string) => (await database.db.user.findUniqueOrThrow({ where: { username } })).id;
    stack.users = { handler: await userId('handler.project'), projectSupervisor: await userId('supervisor.project'), companySupervisor: await userId('supervisor.company') };
    return stack;
  } catch (err) {
    stack.keepTmp = true;
    await stack.close();
    throw err;
  }
}

/**
 * For a wait that gave up: what the first few unfinished workflows are doing (pending
 * activities with their attempt and last failure, and their last history events).
 */
export async function describeWorkflows(lane: Lane, workflowIds: string[]): Promise<string> {
  const client = await lane.gateway.getClient();
  const lines: string[] = [];
  for (const id of workflowIds.slice(0, 5)) {
    try {
      const handle = client.workflow.getHandle(id);
      const d = await handle.describe();
      const pending = (d.raw.pendingActivities ?? []).map(
        (a) => `${a.activityType?.name} ${temporal.api.enums.v1.PendingActivityState[a.state ?? 0]} attempt ${a.attempt}${a.lastFailure?.message ? ` (${a.lastFailure.message.split('\n')[0]})` : ''}`,
      );
      const history = await handle.fetchHistory();
      const last = (history.events ?? []).slice(-4).map((e) => `${e.eventId} ${temporal.api.enums.v1.EventType[e.eventType ?? 0]} ${e.eventTime ? new Date(Number(e.eventTime.seconds) * 1000).toISOString().slice(11, 19) : ''}`);
      lines.push(`${id}: ${d.status.name}; pending [${pending.join('; ')}]; last events [${last.join(', ')}]`);
    } catch (err) {
      lines.push(`${id}: ${(err as Error).message}`);
    }
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// SLA policies and cases through the API

export interface FaultPolicy {
  id: string;
  categoryPrefix: string;
  firstContactSeconds: number;
  warnAt: number;
}

/** Replaces the group's SLA policies (PUT /api/sla-policies as `admin`) with seconds-long first-contact targets. */
export async function putPolicies(stack: FaultStack, lane: Lane, policies: FaultPolicy[]): Promise<void> {
  const body = policies.map((p) => ({
    id: p.id,
    name: `faults: ${p.firstContactSeconds} s first contact`,
    categoryPrefix: p.categoryPrefix,
    firstContact: `PT${p.firstContactSeconds}S`,
    warnAt: p.warnAt,
    // Far beyond the test: no resolution warning, no automatic escalation.
    resolution: 'PT2H',
    approvalWindow: 'PT2H',
    // Every notice on its own, under its own key: the checks count one email per event.
    notifications: { digestMinutes: 0 },
  }));
  const res = await fetch(`${lane.baseUrl}/api/sla-policies`, { method: 'PUT', headers: stack.admin, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`PUT /api/sla-policies answered ${res.status}: ${await res.text()}`);
}

let caller = 0;
/**
 * Opens `count` minor repair cases through POST /api/cases, `concurrency` at a time (the API
 * waits for each workflow's first state, so the pace is what the worker absorbs). Ids are pushed
 * to `into` as the answers come, for watchers running meanwhile.
 */
export async function openCases(stack: FaultStack, lane: Lane, o: { count: number; category: string; concurrency: number; label: string; into?: string[] }) {
  const ids = o.into ?? [];
  let next = 0;
  let shownAt = Date.now();
  const started = Date.now();
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (next < o.count) {
        next++;
        const n = ++caller;
        const res = await fetch(`${lane.baseUrl}/api/cases`, {
          method: 'POST',
          headers: stack.agent,
          body: JSON.stringify({
            type: 'repair',
            category: o.category,
            projectId: stack.project.id,
            unitId: stack.unitId,
            customer: { name: `客户${n}`, phone: `139${String(n).padStart(8, '0')}` },
            severity: 'minor',
            channel: 'phone',
            description: '空调不制冷 / the air conditioning does not cool',
          }),
        });
        const json = (await res.json()) as { id: string };
        if (res.status !== 201) throw new Error(`${o.label}: POST /api/cases answered ${res.status}: ${JSON.stringify(json)}`);
        ids.push(json.id);
        if (Date.now() - shownAt > 10_000) {
          shownAt = Date.now();
          progress(`${o.label}: ${ids.length}/${o.count} cases opened`);
        }
      }
    }),
  );
  const ms = Date.now() - started;
  return { ids, ms, perSecond: (o.count * 1000) / ms };
}

/** How many of the cases have an audit row of `type` (one query; the audit trail, not the read model). */
export async function countAudit(db: Db, workflowIds: string[], type: string): Promise<number> {
  return db.auditEvent.count({ where: { streamId: { in: workflowIds }, type } });
}

// ---------------------------------------------------------------------------------------------
// The proof: every case's audit trail, read model and emails against what the workflow owes

export interface Ledger {
  cases: number;
  /** Cases whose stream is exactly the full sequence / the one without the warning. */
  fullSequence: number;
  warningOvertaken: number;
  /** Of those, the ones whose warning mark fell while the fault held timers back. */
  overtakenInFaultWindow: number;
  auditExpected: number;
  auditFound: number;
  auditLost: number;
  auditDuplicated: number;
  /** Streams whose seq numbers run 1..n without a gap. */
  contiguousStreams: number;
  readModelShowsBreach: number;
  breachesLateMs: number[];
  emailsExpected: number;
  emailRows: number;
  emailRowsSent: number;
  emailRowsUnexpected: number;
  delivered: number;
  distinctMessageIds: number;
  emailsLost: number;
  /** Two Message-IDs for one logical email (same recipient and subject), or a row's Message-ID not the key's. */
  logicalDuplicates: number;
  /** Extra SMTP deliveries of a Message-ID already received. */
  rawRedeliveries: number;
  redeliveredMessageIds: string[];
  problems: string[];
}

export const FULL_SEQUENCE = ['case.opened', 'case.assigned', 'sla.warned', 'sla.breached', 'escalation.requested'] as const;
/** A warning whose workflow woke only at its deadline is overtaken by the breach and not sent (domain/cases/sla-clock.ts). */
export const WITHOUT_WARNING = ['case.opened', 'case.assigned', 'sla.breached', 'escalation.requested'] as const;

/**
 * Checks every case of a scenario against what its workflow owes. A case may lack its warning:
 * a workflow that wakes for the warning mark only at or after the deadline records the breach
 * and, by the rules (domain/cases/sla-clock.ts recordDueEvents), no warning. That is no lost
 * timer (the one timer a case sleeps on also carries the breach, which must be there exactly
 * once); `inFaultWindow(warnDueAt)` only sorts these cases for the figures: held back by the
 * fault, or by a worker running late.
 */
export async function auditLedger(stack: FaultStack, caseIds: string[], opts: { warnAt: number; inFaultWindow: (warnDueAt: number) => boolean }): Promise<Ledger> {
  const { db, smtp, users } = stack;
  const problems: string[] = [];
  const problem = (p: string) => {
    if (problems.length < 30) problems.push(p);
  };
  const cases = await db.case.findMany({
    where: { id: { in: caseIds } },
    select: { id: true, number: true, workflowId: true, breached: true, lastEventSeq: true, targetRecords: { where: { target: 'firstContact' }, select: { dueAt: true, breachedAt: true, startedAt: true, tier: true } } },
  });
  if (cases.length !== caseIds.length) problem(`${caseIds.length - cases.length} case rows missing`);
  const workflowIds = cases.map((c) => c.workflowId);
  const audit = await db.auditEvent.findMany({ where: { streamId: { in: workflowIds } }, orderBy: [{ streamId: 'asc' }, { seq: 'asc' }] });
  const byStream = new Map<string, typeof audit>();
  for (const row of audit) byStream.set(row.streamId, [...(byStream.get(row.streamId) ?? []), row]);

  const recipientsOf: Record<string, string[]> = {
    'case.assigned': [users.handler],
    'sla.warned': [users.handler],
    'sla.breached': [users.handler, users.projectSupervisor],
    'escalation.requested': [users.companySupervisor],
  };
  const expectedKeys = new Set<string>();
  const ledger: Ledger = {
    cases: cases.length,
    fullSequence: 0,
    warningOvertaken: 0,
    overtakenInFaultWindow: 0,
    auditExpected: 0,
    auditFound: audit.length,
    auditLost: 0,
    auditDuplicated: 0,
    contiguousStreams: 0,
    readModelShowsBreach: 0,
    breachesLateMs: [],
    emailsExpected: 0,
    emailRows: 0,
    emailRowsSent: 0,
    emailRowsUnexpected: 0,
    delivered: 0,
    distinctMessageIds: 0,
    emailsLost: 0,
    logicalDuplicates: 0,
    rawRedeliveries: 0,
    redeliveredMessageIds: [],
    problems,
  };

  for (const c of cases) {
    const rows = byStream.get(c.workflowId) ?? [];
    const types = rows.map((r) => r.type);
    const seqs = rows.map((r) => r.seq);
    if (seqs.every((s, i) => s === i + 1)) ledger.contiguousStreams++;
    else problem(`${c.number}: seq ${seqs.join(',')} not 1..${seqs.length}`);
    const first = c.targetRecords.find((t) => t.tier === 'PROJECT');
    const warnDueAt = first ? first.startedAt.getTime() + Math.round((first.dueAt.getTime() - first.startedAt.getTime()) * opts.warnAt) : NaN;
    const full = types.join() === FULL_SEQUENCE.join();
    const short = types.join() === WITHOUT_WARNING.join();
    let expected: readonly string[] = FULL_SEQUENCE;
    if (full) ledger.fullSequence++;
    else if (short) {
      ledger.warningOvertaken++;
      if (opts.inFaultWindow(warnDueAt)) ledger.overtakenInFaultWindow++;
      expected = WITHOUT_WARNING;
    } else problem(`${c.number}: audit ${types.join(',')}`);
    ledger.auditExpected += expected.length;
    // Lost: an expected type absent; duplicated: more rows of a type than expected.
    for (const type of new Set([...expected, ...types])) {
      const want = expected.filter((t) => t === type).length;
      const got = types.filter((t) => t === type).length;
      if (got < want) ledger.auditLost += want - got;
      if (got > want) ledger.auditDuplicated += got - want;
    }
    const breach = rows.find((r) => r.type === 'sla.breached');
    if (breach) {
      const data = breach.data as { target?: string; lateMs?: number };
      if (data.target !== 'firstContact') problem(`${c.number}: breach of ${data.target}`);
      ledger.breachesLateMs.push(data.lateMs ?? NaN);
    }
    if (c.breached && first?.breachedAt && c.lastEventSeq === rows.length) ledger.readModelShowsBreach++;
    else problem(`${c.number}: read model breached=${c.breached} breachedAt=${first?.breachedAt?.toISOString()} lastEventSeq=${c.lastEventSeq}/${rows.length}`);
    for (const row of rows) for (const userId of recipientsOf[row.type] ?? []) expectedKeys.add(`${c.workflowId}:${row.seq}:${userId}`);
  }
  ledger.emailsExpected = expectedKeys.size;

  // The outbox rows of these cases: exactly the expected keys, each SENT under its own Message-ID.
  const rows = await db.emailMessage.findMany({
    where: { OR: workflowIds.map((w) => ({ idempotencyKey: { startsWith: `${w}:` } })) },
    select: { idempotencyKey: true, status: true, messageId: true, toAddress: true, subject: true, attempts: true },
  });
  ledger.emailRows = rows.length;
  const rowByKey = new Map(rows.map((r) => [r.idempotencyKey, r]));
  for (const r of rows) {
    if (!expectedKeys.has(r.idempotencyKey)) {
      ledger.emailRowsUnexpected++;
      problem(`unexpected email row ${r.idempotencyKey} (${r.subject})`);
    }
    if (r.status === 'SENT') ledger.emailRowsSent++;
    else problem(`email ${r.idempotencyKey} is ${r.status}`);
    if (r.status === 'SENT' && r.messageId !== messageIdFor(r.idempotencyKey)) {
      ledger.logicalDuplicates++;
      problem(`email ${r.idempotencyKey} went out as ${r.messageId}, not the key's ${messageIdFor(r.idempotencyKey)}`);
    }
  }

  // What the SMTP server received for these cases, grouped by Message-ID.
  const keyByMessageId = new Map([...expectedKeys].map((k) => [messageIdFor(k), k]));
  const caseNumbers = cases.map((c) => c.number);
  const received = smtp.messages.filter((m) => (m.messageId && keyByMessageId.has(m.messageId)) || caseNumbers.some((n) => m.subject?.includes(`[${n}]`)));
  ledger.delivered = received.length;
  const perMessageId = new Map<string, number>();
  const messageIdsPerLogical = new Map<string, Set<string>>();
  for (const m of received) {
    const id = m.messageId ?? '(none)';
    perMessageId.set(id, (perMessageId.get(id) ?? 0) + 1);
    if (!keyByMessageId.has(id)) problem(`SMTP received ${id} "${m.subject}", which no expected email has`);
    const to = Array.isArray(m.to) ? m.to.map((a) => a.text).join() : (m.to?.text ?? '');
    const logical = `${to} ${m.subject}`;
    messageIdsPerLogical.set(logical, (messageIdsPerLogical.get(logical) ?? new Set()).add(id));
  }
  ledger.distinctMessageIds = perMessageId.size;
  for (const [id, n] of perMessageId) {
    if (n > 1) {
      ledger.rawRedeliveries += n - 1;
      ledger.redeliveredMessageIds.push(id);
    }
  }
  for (const [logical, ids] of messageIdsPerLogical) {
    if (ids.size > 1) {
      ledger.logicalDuplicates += ids.size - 1;
      problem(`one email under ${ids.size} Message-IDs: ${logical}`);
    }
  }
  for (const key of expectedKeys) {
    if (!perMessageId.has(messageIdFor(key))) {
      ledger.emailsLost++;
      problem(`email ${key} (${rowByKey.get(key)?.status ?? 'no outbox row'}) never reached the SMTP server`);
    }
  }
  return ledger;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! : NaN;
}

/** The ledger as figure lines (shared by both scenarios). */
export function ledgerLines(l: Ledger, inFlightNote: string): string[] {
  const late = l.breachesLateMs.filter((x) => Number.isFinite(x));
  return [
    `audit events: expected ${l.auditExpected}, found ${l.auditFound}, lost ${l.auditLost}, duplicated ${l.auditDuplicated}; ` +
      `streams with seq 1..n contiguous ${l.contiguousStreams}/${l.cases}; read model shows the breach ${l.readModelShowsBreach}/${l.cases}`,
    `per case: ${l.fullSequence} × opened → assigned → warned → breached → escalation requested` +
      (l.warningOvertaken
        ? `; ${l.warningOvertaken} × the same without the warning: the case woke for its warning mark only after its deadline and recorded the breach instead, as the rules say ` +
          `(${l.overtakenInFaultWindow} with the mark inside the fault window, ${l.warningOvertaken - l.overtakenInFaultWindow} held back by a busy worker)`
        : ''),
    `breach recorded after its deadline by p50 ${(percentile(late, 0.5) / 1000).toFixed(1)} s, p99 ${(percentile(late, 0.99) / 1000).toFixed(1)} s, max ${(Math.max(...late) / 1000).toFixed(1)} s`,
    `emails: expected ${l.emailsExpected}, outbox rows ${l.emailRows} (${l.emailRowsSent} SENT, ${l.emailRowsUnexpected} unexpected), ` +
      `SMTP delivered ${l.delivered} with ${l.distinctMessageIds} distinct Message-IDs; lost ${l.emailsLost}, duplicated (second Message-ID for one email) ${l.logicalDuplicates}`,
    `raw re-deliveries of a Message-ID already received: ${l.rawRedeliveries} ${inFlightNote}`,
  ];
}
