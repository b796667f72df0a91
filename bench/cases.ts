/**
 * Two figures about complaint cases, measured in one run against ONE Temporal dev server, the
 * application's real worker (worker.ts in its own process, as in production) and a throwaway Debian
 * PostgreSQL; the API runs in this process:
 *
 * 1. What opening a case through the API costs compared with starting the same `complaintCase`
 *    workflow directly. `POST /api/cases` (authenticated as agent.project: scope check, category,
 *    customer upsert, SLA policy, numbered case row, workflow start; since issue 14 the answer's
 *    deadlines are computed by the same pure reducer from the openedAt passed in the input, without
 *    waiting for the worker) against raw `caseWorkflow.start` calls (the API's own start: same
 *    options, same kind of input, case rows prepared beforehand and not timed), at the same
 *    concurrency. A third way adds a first-state query to the raw start: what the API used to wait
 *    for. Target (issue 14, item 3): API/raw throughput ≥ 0.9×, p99 ≤ 1.5×. The three run in
 *    interleaved rounds and print as ratios against the raw start of the same run: machines are
 *    noisy, and these ones are shared. A fourth way sends API calls and raw starts alternating in
 *    one stream: one after the other, a raw start's burst ends before the worker (which shares the
 *    dev server and the 2 cores) gets going, while the API's longer run meets it working, so only
 *    the stream compares the two under the same conditions. Last, the two alternating at a rate
 *    the whole system sustains (PACED_LOAD × the cases/s until the worker was idle): the figure
 *    for a service centre's real load, where the bursts' ratios no longer decide. Then each way's
 *    CPU per case by process, while its calls ran and until the worker was idle.
 * 2. How late SLA breaches are recorded: a seconds-long first-contact policy (PUT
 *    /api/sla-policies as admin), 200 cases opened through the API at half the worker's measured
 *    capacity, all before the first deadline, then the lag from each deadline to (a) the breach
 *    time the workflow stamped, (b) the `sla.breached` audit row, (c) the read-model projection.
 *
 *   npx tsx bench/cases.ts [cases=300] [--part1]
 *
 * `--part1` stops after part 1 (the openings), skipping the breach phase's minutes.
 *
 * Mail has no SMTP_URL here, so notifications are HELD in the outbox table (as in development).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { spawn, type ChildProcess } from 'node:child_process';
import { createApp } from '../api/app.js';
import { firstCaseState } from '../app/cases/open-case.js';
import { caseSearchAttributes } from '../workflows/cases/complaint-case.defs.js';
import { caseWorkflow } from '../app/cases/workflow.js';
import { caseNumberPrefix, createCaseWithNextNumber } from '../app/cases/repository.js';
import { findOrCreateCustomerByPhone } from '../app/customers/repository.js';
import { initialTier } from '../domain/cases/routing.js';
import { loadConfig } from '../platform/config.js';
import { generatePayloadKeyEntry } from '../platform/temporal/payload-keys.js';
import { createDb, type Db } from '../platform/db.js';
import { createLogger } from '../platform/logger.js';
import { createMailer } from '../platform/mail.js';
import { resolveCaseSlaForGroup } from '../app/cases/settings.js';
import { TemporalGateway } from '../platform/temporal/connection.js';
import { startDevServer } from '../platform/temporal/dev-server.js';
import { buildWorkflowBundle } from '../platform/temporal/worker.js';
import { ROOT, ensureTemporalTools } from '../platform/tools.js';
import { seedDemo } from '../prisma/seed.js';
import { benchDatabase, leanClient, listenOnLoopback, loginAs, processTreeCpuMs } from './support.js';
import { caseWorkflowId, type ComplaintCaseInput } from '../workflows/cases/complaint-case.defs.js';
import { freePort } from '../platform/ports.js';
import { workerNodeArgs, workerProcessEnv, workerRuntimeSettings } from '../platform/worker-runtime.mjs';

const N = Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 300);
if (!Number.isInteger(N) || N < 20) throw new Error('usage: npx tsx bench/cases.ts [cases>=20] [--part1] [--api-process]');
/** Part 1 only: the openings, without the breach phase. */
const PART1_ONLY = process.argv.includes('--part1');
/**
 * `--api-process`: the API as production runs it, `api/server.ts` in a process of its own (its own
 * event loop and pool), instead of the Express app in this process beside the HTTP client and the
 * raw starter.
 */
const API_PROCESS = process.argv.includes('--api-process');
/** Cases in the breach phase. */
const BREACH_CASES = 200;
/**
 * The breach phase opens its cases at this fraction of the worker's capacity measured in part 1
 * (raw starts, counted until the worker was idle), so their deadlines fall due at a rate the
 * worker can absorb: each breach (plus the warning before it) costs the worker more activities
 * than an opening, and deadlines arriving at full opening speed saturate a 2-core machine, which
 * would measure the backlog rather than the timers.
 */
const BREACH_PACE = 0.5;
const CONCURRENCY = 8;
/** Part 1 runs its three ways of opening in this many interleaved rounds. */
const ROUNDS = 3;
const WARM_UP = 10;
/** The paced comparison offers this fraction of the cases/s the system sustained until the worker was idle. */
const PACED_LOAD = 0.8;
const BREACH_CATEGORY = 'repair.hvac';

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Progress goes to stderr, results to stdout. */
const progress = (line: string) => process.stderr.write(`  … ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/**
 * The processes whose CPU part 1 adds up per way of opening (named once they run): this one (the
 * API, its HTTP client and the raw starter), the worker, the Temporal dev server, PostgreSQL.
 */
let cpuProcesses: Record<string, number> = {};

interface Run {
  latencies: number[];
  seconds: number;
  /** CPU ms of each of cpuProcesses when the first call went out. */
  cpuAtStart: Record<string, number>;
}

/**
 * Runs `task(0..count-1)` with CONCURRENCY in flight; latency of each, throughput of the whole.
 * With `perSecond`, task i starts no earlier than i / perSecond seconds after the first.
 */
async function measure(count: number, task: (i: number) => Promise<void>, label: string, perSecond?: number): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  let lastShown = Date.now();
  const cpuAtStart = processTreeCpuMs(cpuProcesses);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        const wait = perSecond ? started + (i * 1000) / perSecond - performance.now() : 0;
        if (wait > 0) await sleep(wait);
        const t = performance.now();
        await task(i);
        latencies.push(performance.now() - t);
        if (Date.now() - lastShown > 2000) {
          lastShown = Date.now();
          progress(`${label}: ${latencies.length}/${count}`);
        }
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000, cpuAtStart };
}

/**
 * How late a 100 ms setTimeout fires in this process until `stop()`: how starved of CPU the
 * machine is while something else is being measured (these machines are shared).
 */
function watchTimerLateness() {
  const late: number[] = [];
  let timer: NodeJS.Timeout;
  const tick = (expected: number) => {
    timer = setTimeout(() => {
      late.push(performance.now() - expected);
      tick(performance.now() + 100);
    }, 100);
  };
  tick(performance.now() + 100);
  return {
    stop() {
      clearTimeout(timer);
      const sorted = late.sort((a, b) => a - b);
      return sorted.length ? `p50 ${percentile(sorted, 0.5).toFixed(0)} ms, p99 ${percentile(sorted, 0.99).toFixed(0)} ms` : 'n/a';
    },
  };
}

/** The 1-minute load average against the core count, the other noise on a shared machine. */
const load = () => `${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores`;

type Summary = ReturnType<Tally['summary']>;
/** One way of opening cases, added up over the rounds. */
class Tally {
  latencies: number[] = [];
  seconds = 0;
  /** Time the worker still needed after the last call of each round. */
  drainSeconds = 0;
  /** CPU ms by process while the calls ran, and from the first call until the worker was idle. */
  cpuCalls: Record<string, number> = {};
  cpuUntilIdle: Record<string, number> = {};
  add(run: Run, drainSeconds: number, cpu: { afterCalls: Record<string, number>; whenIdle: Record<string, number> }) {
    this.latencies.push(...run.latencies);
    this.seconds += run.seconds;
    this.drainSeconds += drainSeconds;
    for (const [name, ms] of Object.entries(run.cpuAtStart)) {
      this.cpuCalls[name] = (this.cpuCalls[name] ?? 0) + cpu.afterCalls[name]! - ms;
      this.cpuUntilIdle[name] = (this.cpuUntilIdle[name] ?? 0) + cpu.whenIdle[name]! - ms;
    }
  }
  /** CPU ms per case by process, and their total. */
  cpuPerCase(which: 'cpuCalls' | 'cpuUntilIdle') {
    const n = this.latencies.length;
    const by = Object.entries(this[which]).map(([name, ms]) => `${name} ${(ms / n).toFixed(1)}`);
    const total = Object.values(this[which]).reduce((a, b) => a + b, 0) / n;
    return `${by.join(', ')} = ${total.toFixed(1)}`;
  }
  summary() {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      perSecond: sorted.length / this.seconds,
      /** Cases per second counting the time the worker still needed after the calls. */
      sustainedPerSecond: sorted.length / (this.seconds + this.drainSeconds),
      drainSeconds: this.drainSeconds,
    };
  }
}

/**
 * Waits until every started workflow has run its opening effects (audit, assignee, emails) and
 * projected itself (lastEventSeq > 0), so one phase's backlog does not slow the next one down.
 * Returns how long the worker still needed after the phase's last call returned, in seconds.
 */
async function settle(db: Db, label: string): Promise<number> {
  const started = performance.now();
  let lastShown = 0;
  for (;;) {
    const pending = await db.case.count({ where: { lastEventSeq: 0 } });
    if (pending === 0) return (performance.now() - started) / 1000;
    if (Date.now() - lastShown > 2000) {
      lastShown = Date.now();
      progress(`${label}: worker still projecting ${pending} case(s)`);
    }
    await sleep(200);
  }
}

/**
 * Failed activity attempts (retried by Temporal, so they add to latencies and lags), counted by
 * activity and error from the worker process's log instead of printing the SDK's multi-line
 * warning for each. Its other warnings and errors are printed on one line.
 */
const failedAttempts = new Map<string, number>();
function onWorkerLogLine(line: string) {
  let entry: { level?: number; msg?: string; activityType?: string; error?: { code?: string; message?: string } };
  try {
    entry = JSON.parse(line) as typeof entry;
  } catch {
    if (line.trim()) process.stderr.write(`  [worker] ${line}\n`);
    return;
  }
  if (entry.msg === 'Activity failed' && entry.activityType) {
    const key = `${entry.activityType}${entry.error?.code ? ` ${entry.error.code}` : ''}: ${(entry.error?.message ?? '').split('\n')[0]}`;
    failedAttempts.set(key, (failedAttempts.get(key) ?? 0) + 1);
    return;
  }
  if ((entry.level ?? 0) >= 40) process.stderr.write(`  [worker ${entry.level === 40 ? 'warn' : 'error'}] ${entry.msg}\n`);
}

/** SIGTERM, then SIGKILL after 15 s: a child process of the bench (API or worker) stopped for good. */
async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killLater = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(killLater);
}

/**
 * The API as production runs it (`--api-process`): `api/server.ts` in a process of its own, its
 * request log at production's level (info) going nowhere. `ready` resolves once /healthz answers.
 */
function startApiProcess(port: number, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid!,
    async ready(base: string) {
      for (let i = 0; i < 600; i++) {
        if (child.exitCode !== null) throw new Error(`api/server.ts exited (${child.exitCode}) before it was ready`);
        const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
        if (ok) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('api/server.ts did not answer /healthz within 60 s');
    },
    stop: () => stopChild(child, exited),
  };
}

/**
 * The application's worker as production runs it: `worker.ts` in a process of its own (here with a
 * prebuilt bundle), its JSON log read line by line. `ready` resolves once it polls its task queue.
 */
function startWorkerProcess(env: Record<string, string>) {
  // With the worker's memory settings, as `npm run worker` launches it (platform/worker-runtime.mjs).
  const workerEnv = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', ...env };
  const settings = workerRuntimeSettings(workerEnv);
  const child = spawn(process.execPath, [...workerNodeArgs(settings), '--import', 'tsx', 'worker.ts'], {
    cwd: ROOT,
    env: workerProcessEnv(settings, workerEnv),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let onReady: () => void = () => undefined;
  let onFailed: (err: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => ((onReady = resolve), (onFailed = reject)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => onFailed(new Error(`worker.ts exited (${code ?? signal}) before it was ready`)));
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        if (line.includes('Worker started on task queue')) onReady();
        onWorkerLogLine(line);
      }
    });
  }
  return {
    pid: child.pid!,
    ready,
    stop: () => stopChild(child, exited),
  };
}
function reportFailedAttempts() {
  if (failedAttempts.size === 0) console.log('   failed activity attempts: none');
  for (const [what, n] of failedAttempts) console.log(`   failed activity attempts (retried): ${n} × ${what}`);
  failedAttempts.clear();
}

// ---------------------------------------------------------------------------------------------
// Clean-up, in reverse order of start, also on failure and on Ctrl-C

const cleanups: Array<() => unknown> = [];
let cleaning: Promise<void> | null = null;
/** Runs once, however often it is called (the end of main and Ctrl-C may both ask). */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const step = cleanups.pop()!;
      try {
        await step();
      } catch (err) {
        console.error(`clean-up step failed: ${(err as Error).message}`);
      }
    }
  })();
  return cleaning;
}
// `on`, not `once`: Ctrl-C under tsx arrives twice (terminal and tsx's relay), and a second
// signal without a listener would kill the process before PostgreSQL is stopped.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: stopping worker, Temporal and PostgreSQL`);
    void cleanUp().finally(() => process.exit(130));
  });
}

/**
 * tsx answers Ctrl-C by SIGKILLing its child when the child has not acknowledged the signal within
 * ~60 ms, which this bench, busy on a loaded machine, can miss: no clean-up runs then. A detached
 * shell waits for this process to end and, if clean-up did not finish (PostgreSQL's data directory
 * still exists; it is removed last), runs `command`.
 */
function reapIfKilled(pgDataDir: string, command: string) {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; [ -d '${pgDataDir}' ] || exit 0; ${command}`;
  spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' }).unref();
}

// ---------------------------------------------------------------------------------------------

async function main() {
  progress('starting PostgreSQL, Temporal dev server, worker and API');
  const tools = ensureTemporalTools((m) => progress(m));
  const { pgServer, url } = await benchDatabase({
    onStarted(pgServer) {
      cleanups.push(() => pgServer.stop());
      // SIGINT to the postmaster is PostgreSQL's fast shutdown.
      reapIfKilled(pgServer.dataDir, `kill -INT $(head -1 '${pgServer.dataDir}/postmaster.pid'); sleep 3; rm -rf '${pgServer.dataDir}'`);
    },
  });

  // Its own process group: Ctrl-C reaches this process only, which stops the worker before the server.
  const devServer = await startDevServer({ cli: tools.cli, port: await freePort(), headless: true, detached: true });
  cleanups.push(() => devServer.stop());
  reapIfKilled(pgServer.dataDir, `kill -TERM ${devServer.process.pid}`);

  const payloadKeys = generatePayloadKeyEntry('bench');
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    TEMPORAL_ADDRESS: devServer.address,
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    // A fresh key per run: the figures include encrypting every payload, as in production.
    TEMPORAL_PAYLOAD_KEYS: payloadKeys,
    CRM_DEMO_PASSWORD: 'demo',
    LOG_LEVEL: 'silent',
  });
  const logger = createLogger({ name: 'bench', level: 'silent' });
  // The API's pool, and the bench's own for its checks and progress (the worker has its own process).
  const apiDb = createDb(url);
  const benchDb = createDb(url);
  cleanups.push(() => apiDb.$disconnect(), () => benchDb.$disconnect());
  await seedDemo(apiDb, { password: 'demo' });

  // The worker runs as in production: worker.ts in its own process (prebuilt bundle, its own
  // connection pool), so its activities do not share the API's thread in either way of opening.
  progress('bundling workflows');
  const bundleFile = path.join(os.tmpdir(), `estate-care-bench-bundle-${process.pid}.js`);
  await buildWorkflowBundle(bundleFile);
  cleanups.push(() => fs.rmSync(bundleFile, { force: true }));
  const worker = startWorkerProcess({
    DATABASE_URL: url,
    TEMPORAL_ADDRESS: devServer.address,
    TEMPORAL_PAYLOAD_KEYS: payloadKeys,
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    CRM_DEMO_PASSWORD: 'demo',
    WORKFLOW_BUNDLE_PATH: bundleFile,
    WORKER_METRICS_PORT: '0',
  });
  cleanups.push(() => worker.stop());
  reapIfKilled(pgServer.dataDir, `kill -TERM ${worker.pid}`);
  await worker.ready;
  cpuProcesses = {
    'this process': process.pid,
    worker: worker.pid,
    'Temporal dev server': devServer.process.pid!,
    PostgreSQL: Number(fs.readFileSync(path.join(pgServer.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]),
  };

  const temporal = new TemporalGateway(config.temporal);
  cleanups.push(() => temporal.close());
  let base: string;
  if (API_PROCESS) {
    const port = await freePort();
    const api = startApiProcess(port, {
      DATABASE_URL: url,
      TEMPORAL_ADDRESS: devServer.address,
      TEMPORAL_PAYLOAD_KEYS: payloadKeys,
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
      CRM_DEMO_PASSWORD: 'demo',
    });
    cleanups.push(() => api.stop());
    reapIfKilled(pgServer.dataDir, `kill -TERM ${api.pid}`);
    base = `http://127.0.0.1:${port}`;
    await api.ready(base);
    cpuProcesses['API process'] = api.pid;
  } else {
    const app = createApp({ config, db: apiDb, temporal, mailer: createMailer({ db: apiDb, from: config.mail.from, logger }), logger });
    const listening = await listenOnLoopback(app);
    cleanups.push(listening.close);
    base = listening.base;
  }
  const agent = await loginAs(base, 'agent.project');
  const adminAuth = await loginAs(base, 'admin');

  const project = await apiDb.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } });
  const unit = await apiDb.unit.findFirstOrThrow({ where: { projectId: project.id } });
  const agentUser = await apiDb.user.findUniqueOrThrow({ where: { username: 'agent.project' } });

  /** The request body a call-centre agent sends; a different caller (phone) each time. */
  let caller = 0;
  const caseBody = (over: { type: 'complaint' | 'repair'; category: string }) => {
    caller++;
    return {
      ...over,
      projectId: project.id,
      unitId: unit.id,
      customer: { name: `客户${caller}`, phone: `139${String(caller).padStart(8, '0')}` },
      severity: 'minor' as const,
      channel: 'phone' as const,
      description: '卫生间天花板渗水 / bathroom ceiling leaks',
    };
  };

  // The calls go out through a lean keep-alive client (bench/support.ts): fetch's own CPU per call
  // was about the API's, on the same 2 cores.
  const client = leanClient(base, CONCURRENCY * 2);
  cleanups.push(async () => client.close());
  let answeredWithoutLiveState = 0;
  const openThroughApi = async (body: ReturnType<typeof caseBody>) => {
    const res = await client.post('/api/cases', agent, body);
    const json = res.json as { id: string; live: boolean };
    if (res.status !== 201) throw new Error(`POST /api/cases answered ${res.status}: ${JSON.stringify(json)}`);
    if (!json.live) answeredWithoutLiveState++;
    return json;
  };

  /**
   * Everything POST /api/cases does before it starts the workflow, done here untimed: customer,
   * tier, SLA policy, numbered case row (the workflow's activities project into it), and the
   * workflow input built from them as app/cases/open-case.ts builds it.
   */
  type RawCase = { input: ComplaintCaseInput; workflowId: string; searchAttributes: ReturnType<typeof caseSearchAttributes> };
  const prepareRawCase = async (): Promise<RawCase> => {
    const body = caseBody({ type: 'complaint', category: 'complaint.quality.leakage' });
    const customer = await findOrCreateCustomerByPhone(apiDb, { groupId: project.groupId, name: body.customer.name, phone: body.customer.phone });
    const tier = initialTier({ severity: body.severity, caseType: body.type, estimatedCost: null, warrantyAuthorisationAmount: project.warrantyAuthorisationAmount.toNumber() });
    const { policy, calendar } = await resolveCaseSlaForGroup(apiDb, project.groupId, { caseType: body.type, category: body.category, severity: body.severity, tier });
    const now = Date.now();
    const id = crypto.randomUUID();
    const workflowId = caseWorkflowId(id);
    const row = await createCaseWithNextNumber(apiDb, {
      prefix: caseNumberPrefix(now, project.timeZone),
      data: {
        id,
        workflowId,
        groupId: project.groupId,
        companyId: project.companyId,
        projectId: project.id,
        unitId: body.unitId,
        customerId: customer.id,
        type: body.type,
        category: body.category,
        severity: body.severity,
        channel: body.channel,
        description: body.description,
        status: 'open',
        tier,
        policyId: policy.id,
        sla: {},
        openedById: agentUser.id,
        openedAt: new Date(now),
        lastEventSeq: 0,
      },
    });
    const input: ComplaintCaseInput = {
      caseId: row.id,
      caseNumber: row.number,
      groupId: row.groupId,
      companyId: row.companyId,
      projectId: row.projectId,
      type: body.type,
      category: body.category,
      severity: body.severity,
      channel: body.channel,
      tier,
      assigneeId: row.assigneeId,
      openedBy: agentUser.id,
      policy,
      calendar,
      openedAt: now,
    };
    // Started as the API starts it: with its first state's search attributes (slim histories).
    return { input, workflowId, searchAttributes: caseSearchAttributes(firstCaseState(input), input) };
  };
  /** A raw start: the API's own call, with the same options and the same kind of input. */
  const startRaw = (c: RawCase) => caseWorkflow.start(temporal, c.input, c.workflowId, c.searchAttributes);
  const prepareRawCases = async (count: number) => {
    const out = [];
    for (let i = 0; i < count; i++) out.push(await prepareRawCase());
    return out;
  };

  // -------------------------------------------------------------------------------------------
  // 1. POST /api/cases against raw workflow starts
  //
  // Interleaved in ROUNDS rounds, the order rotating each round, so background load on a shared
  // machine falls on all three alike. After each step the worker finishes the step's opening
  // work before the next one starts.

  const complaint = () => caseBody({ type: 'complaint', category: 'complaint.quality.leakage' });
  progress(`warm-up: ${WARM_UP} cases each way`);
  await measure(WARM_UP, async () => void (await openThroughApi(complaint())), 'warm-up API');
  const warm = await prepareRawCases(WARM_UP);
  await measure(WARM_UP, async (i) => startRaw(warm[i]!), 'warm-up raw');
  await settle(benchDb, 'warm-up');
  answeredWithoutLiveState = 0;
  failedAttempts.clear();
  const loadBefore = load();
  const part1Timer = watchTimerLateness();

  let rawQueryMissed = 0;
  const mixed = { api: [] as number[], raw: [] as number[] };
  const ways = [
    { name: 'POST /api/cases', tally: new Tally(), run: (count: number, label: string) => measure(count, async () => void (await openThroughApi(complaint())), label) },
    {
      name: 'raw workflow start',
      tally: new Tally(),
      async run(count: number, label: string) {
        progress(`${label}: preparing ${count} case rows (untimed)`);
        const cases = await prepareRawCases(count);
        return measure(count, async (i) => startRaw(cases[i]!), label);
      },
    },
    {
      name: 'raw start + first-state query',
      tally: new Tally(),
      async run(count: number, label: string) {
        progress(`${label}: preparing ${count} case rows (untimed)`);
        const cases = await prepareRawCases(count);
        return measure(
          count,
          async (i) => {
            await startRaw(cases[i]!);
            if (!(await caseWorkflow.queryStateOrNull(temporal, cases[i]!.workflowId, 10_000))) rawQueryMissed++;
          },
          label,
        );
      },
    },
    {
      // Both kinds of call in one stream, so they meet the same worker, dev server and machine:
      // the ways above run one after another, and a raw start's short burst leaves its worker
      // work for after its calls, while the API's longer run meets the worker working.
      name: 'mixed: API and raw alternating',
      tally: new Tally(),
      async run(count: number, label: string) {
        progress(`${label}: preparing ${count} case rows (untimed)`);
        const cases = await prepareRawCases(count);
        let apiCalls = 0;
        let rawCalls = 0;
        return measure(
          2 * count,
          async (i) => {
            const t = performance.now();
            if (i % 2 === 0 && apiCalls < count) {
              apiCalls++;
              await openThroughApi(complaint());
              mixed.api.push(performance.now() - t);
            } else {
              const c = cases[rawCalls++]!;
              await startRaw(c);
              mixed.raw.push(performance.now() - t);
            }
          },
          label,
        );
      },
    },
  ];
  for (let round = 0; round < ROUNDS; round++) {
    const count = Math.floor(N / ROUNDS) + (round < N % ROUNDS ? 1 : 0);
    for (let k = 0; k < ways.length; k++) {
      const way = ways[(round + k) % ways.length]!;
      const label = `round ${round + 1}/${ROUNDS} ${way.name}`;
      const run = await way.run(count, label);
      const afterCalls = processTreeCpuMs(cpuProcesses);
      const drained = await settle(benchDb, label);
      way.tally.add(run, drained, { afterCalls, whenIdle: processTreeCpuMs(cpuProcesses) });
    }
  }
  const [api, rawStart, rawStartQuery, mixedWay] = ways.map((w) => w.tally.summary()) as [Summary, Summary, Summary, Summary];

  // The same two calls alternating at a rate the whole system sustains (PACED_LOAD × the slower of
  // the two ways' cases/s until the worker was idle): the rate a service centre can keep up, at which
  // the bursts' ratios (CPU of 2 cores shared with the worker: see bench/README.md) no longer decide.
  const pacedRate = PACED_LOAD * Math.min(api.sustainedPerSecond, rawStart.sustainedPerSecond);
  const paced = { api: [] as number[], raw: [] as number[], apiSpan: { first: Infinity, last: 0 }, rawSpan: { first: Infinity, last: 0 } };
  {
    progress(`paced: ${N} + ${N} calls alternating at ${pacedRate.toFixed(1)} calls/s`);
    const cases = await prepareRawCases(N);
    let apiCalls = 0;
    let rawCalls = 0;
    await measure(
      2 * N,
      async (i) => {
        const t = performance.now();
        const [latencies, span] = i % 2 === 0 && apiCalls < N ? [paced.api, paced.apiSpan] : [paced.raw, paced.rawSpan];
        if (latencies === paced.api) {
          apiCalls++;
          await openThroughApi(complaint());
        } else await startRaw(cases[rawCalls++]!);
        const end = performance.now();
        latencies.push(end - t);
        span.first = Math.min(span.first, t);
        span.last = Math.max(span.last, end);
      },
      'paced',
      pacedRate,
    );
    await settle(benchDb, 'paced');
  }
  const [apiTally, rawTally, rawQueryTally] = ways.map((w) => w.tally) as [Tally, Tally, Tally];
  const part1Noise = `load average ${loadBefore} before, ${load()} after; a 100 ms timer in this process fired late by ${part1Timer.stop()}`;

  const ratio = (a: number, b: number) => `×${(a / b).toFixed(2)}`;
  const row = (name: string, r: Summary) =>
    console.log(
      `${name.padEnd(30)} ${r.perSecond.toFixed(1).padStart(5)}/s (${ratio(r.perSecond, rawStart.perSecond).padStart(5)})` +
        `   p50 ${r.p50.toFixed(0).padStart(5)} ms (${ratio(r.p50, rawStart.p50).padStart(5)})` +
        `   p99 ${r.p99.toFixed(0).padStart(5)} ms (${ratio(r.p99, rawStart.p99).padStart(5)})` +
        `   ${r.drainSeconds.toFixed(1).padStart(5)} s → ${r.sustainedPerSecond.toFixed(1).padStart(4)}/s (${ratio(r.sustainedPerSecond, rawStart.sustainedPerSecond).padStart(5)})`,
    );
  console.log('');
  console.log(`1. Opening cases · ${N} each way in ${ROUNDS} interleaved rounds, ${CONCURRENCY} concurrent, one Temporal dev server, ${API_PROCESS ? 'api/server.ts' : 'API in this process'}, worker.ts in its own`);
  console.log(`   ratios against the raw start; last column: worker busy after the calls → cases/s until the worker was idle`);
  row('raw workflow start (baseline)', rawStart);
  row('raw start + first-state query', rawStartQuery);
  row('POST /api/cases', api);
  console.log(
    `   API/raw: throughput ${ratio(api.perSecond, rawStart.perSecond)}, p50 ${ratio(api.p50, rawStart.p50)}, p99 ${ratio(api.p99, rawStart.p99)}` +
      `   (API/raw+query: throughput ${ratio(api.perSecond, rawStartQuery.perSecond)}, p50 ${ratio(api.p50, rawStartQuery.p50)}, p99 ${ratio(api.p99, rawStartQuery.p99)})`,
  );
  {
    const a = [...mixed.api].sort((x, y) => x - y);
    const r = [...mixed.raw].sort((x, y) => x - y);
    const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
    console.log(
      `   the same calls alternating in one stream (${a.length} + ${r.length}, ${mixedWay.perSecond.toFixed(1)} calls/s): raw p50 ${percentile(r, 0.5).toFixed(0)} ms, p99 ${percentile(r, 0.99).toFixed(0)} ms;` +
        ` API p50 ${percentile(a, 0.5).toFixed(0)} ms, p99 ${percentile(a, 0.99).toFixed(0)} ms → API/raw p50 ${ratio(percentile(a, 0.5), percentile(r, 0.5))}, p99 ${ratio(percentile(a, 0.99), percentile(r, 0.99))},` +
        ` mean latency ${ratio(mean(a), mean(r))} (at a fixed concurrency, throughput ${ratio(mean(r), mean(a))})`,
    );
  }
  {
    const a = [...paced.api].sort((x, y) => x - y);
    const r = [...paced.raw].sort((x, y) => x - y);
    const rate = (n: number, span: { first: number; last: number }) => (n * 1000) / (span.last - span.first);
    const apiRate = rate(a.length, paced.apiSpan);
    const rawRate = rate(r.length, paced.rawSpan);
    console.log(
      `   at a sustained rate (${a.length} + ${r.length} alternating, offered ${pacedRate.toFixed(1)} calls/s = ${PACED_LOAD} × the slower way's cases/s until idle):` +
        ` raw ${rawRate.toFixed(1)}/s, p50 ${percentile(r, 0.5).toFixed(0)} ms, p99 ${percentile(r, 0.99).toFixed(0)} ms;` +
        ` API ${apiRate.toFixed(1)}/s, p50 ${percentile(a, 0.5).toFixed(0)} ms, p99 ${percentile(a, 0.99).toFixed(0)} ms` +
        ` → API/raw throughput ${ratio(apiRate, rawRate)}, p50 ${ratio(percentile(a, 0.5), percentile(r, 0.5))}, p99 ${ratio(percentile(a, 0.99), percentile(r, 0.99))}`,
    );
  }
  console.log('   "worker busy": until every case had run its opening activities (audit, assignee, email, projection). A raw');
  console.log('   start returns before any of that work, and so does the API now (raw+query still waits for the first workflow task).');
  if (answeredWithoutLiveState || rawQueryMissed)
    console.log(`   note: ${answeredWithoutLiveState} API answer(s) and ${rawQueryMissed} raw quer(ies) got no workflow state within 10 s (counted in the latencies)`);
  if (Object.keys(cpuProcesses).length) {
    console.log('   CPU ms per case by process (this one: API + HTTP client + raw starter), while the calls ran | until the worker was idle:');
    for (const [name, t] of [['raw workflow start', rawTally], ['raw start + first-state query', rawQueryTally], ['POST /api/cases', apiTally]] as const)
      console.log(`     ${name.padEnd(30)} ${t.cpuPerCase('cpuCalls')}   |   ${t.cpuPerCase('cpuUntilIdle')}`);
  }
  reportFailedAttempts();
  console.log(`   noise: ${part1Noise}`);
  if (PART1_ONLY) return;

  // -------------------------------------------------------------------------------------------
  // 2. Deadline → recorded breach

  // Opening at a steady pace, the deadlines fall due at that pace too. The target is the planned
  // opening time plus 10 s, so every case is open before the first deadline.
  const pace = rawStart.sustainedPerSecond * BREACH_PACE;
  const targetSeconds = Math.max(20, Math.ceil(BREACH_CASES / pace + 10));
  const existing = await fetch(`${base}/api/sla-policies`, { headers: adminAuth });
  const { items: policies } = (await existing.json()) as { items: unknown[] };
  const put = await fetch(`${base}/api/sla-policies`, {
    method: 'PUT',
    headers: adminAuth,
    body: JSON.stringify([
      ...policies,
      { id: 'bench-breach', name: 'bench: seconds-long first contact', categoryPrefix: BREACH_CATEGORY, firstContact: `PT${targetSeconds}S`, resolution: 'PT1H', approvalWindow: 'PT1H' },
    ]),
  });
  if (put.status !== 200) throw new Error(`PUT /api/sla-policies answered ${put.status}: ${await put.text()}`);

  progress(`opening ${BREACH_CASES} ${BREACH_CATEGORY} cases at ${pace.toFixed(1)}/s with a ${targetSeconds} s first-contact target`);
  const breachIds: string[] = [];
  const opening = await measure(BREACH_CASES, async () => void breachIds.push((await openThroughApi(caseBody({ type: 'repair', category: BREACH_CATEGORY }))).id), 'opening', pace);
  const firstDue = await benchDb.caseTargetRecord.aggregate({ where: { caseId: { in: breachIds }, target: 'firstContact' }, _min: { dueAt: true }, _max: { dueAt: true } });
  const allOpenBeforeFirstDue = firstDue._min.dueAt !== null && Date.now() < firstDue._min.dueAt.getTime();

  // Wait for the read model to show every breach (the workflow projects its state after it has
  // written the audit rows and queued the emails of the breach and its escalation request).
  const loadAtFirstDue = { value: '' };
  const part2Timer = watchTimerLateness();
  const lastDue = firstDue._max.dueAt?.getTime() ?? Date.now();
  const giveUpAt = lastDue + 180_000;
  let recorded = 0;
  let shown = { at: 0, recorded: -1 };
  while (recorded < BREACH_CASES && Date.now() < giveUpAt) {
    recorded = await benchDb.caseTargetRecord.count({ where: { caseId: { in: breachIds }, target: 'firstContact', breachedAt: { not: null } } });
    const untilFirst = (firstDue._min.dueAt?.getTime() ?? 0) - Date.now();
    if (untilFirst <= 0 && !loadAtFirstDue.value) loadAtFirstDue.value = load();
    // Every 5 s while waiting for the first deadline, then each second the count moves.
    const due = recorded !== shown.recorded ? Date.now() - shown.at > 1000 || recorded === BREACH_CASES : Date.now() - shown.at > 5000;
    if (due) {
      shown = { at: Date.now(), recorded };
      progress(`breaches recorded ${recorded}/${BREACH_CASES}${untilFirst > 0 ? ` (first deadline in ${(untilFirst / 1000).toFixed(0)} s)` : ''}`);
    }
    if (recorded < BREACH_CASES) await sleep(250);
  }
  const part2Noise = `load average ${loadAtFirstDue.value || load()} at the first deadline, ${load()} at the last breach; while waiting, a 100 ms timer in this process fired late by ${part2Timer.stop()}`;

  const targets = await benchDb.caseTargetRecord.findMany({
    where: { caseId: { in: breachIds }, target: 'firstContact', breachedAt: { not: null } },
    select: { dueAt: true, breachedAt: true, case: { select: { workflowId: true, updatedAt: true } } },
  });
  const audits = await benchDb.auditEvent.findMany({
    where: { type: 'sla.breached', streamId: { in: targets.map((t) => t.case.workflowId) } },
    select: { streamId: true, recordedAt: true },
  });
  const auditAt = new Map(audits.map((a) => [a.streamId, a.recordedAt.getTime()]));
  const lags = { stamped: [] as number[], audit: [] as number[], readModel: [] as number[] };
  for (const t of targets) {
    const due = t.dueAt.getTime();
    lags.stamped.push(t.breachedAt!.getTime() - due);
    const a = auditAt.get(t.case.workflowId);
    if (a !== undefined) lags.audit.push(a - due);
    lags.readModel.push(t.case.updatedAt.getTime() - due);
  }
  const projectedBeforeStamp = targets.filter((t) => t.case.updatedAt.getTime() < t.breachedAt!.getTime()).length;
  const line = (name: string, xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const f = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;
    console.log(`${name.padEnd(58)} p50 ${f(percentile(s, 0.5))}   p99 ${f(percentile(s, 0.99))}   max ${f(s.at(-1)!)}   (n=${s.length})`);
  };
  console.log('');
  console.log(
    `2. Deadline → recorded breach · ${BREACH_CASES} cases opened through the API in ${opening.seconds.toFixed(1)} s ` +
      `(paced at ${BREACH_PACE} × the worker's ${rawStart.sustainedPerSecond.toFixed(1)}/s above: ${(BREACH_CASES / opening.seconds).toFixed(1)} cases/s), first-contact target PT${targetSeconds}S, ` +
      `${allOpenBeforeFirstDue ? 'all open before the first deadline' : 'NOT all open before the first deadline (the lags include opening load)'}`,
  );
  console.log(`   deadlines fell due over ${(((firstDue._max.dueAt?.getTime() ?? 0) - (firstDue._min.dueAt?.getTime() ?? 0)) / 1000).toFixed(1)} s; breaches recorded: ${targets.length}/${BREACH_CASES}`);
  if (targets.length > 0) {
    line('a) breachedAt stamped by the workflow − dueAt', lags.stamped);
    line('b) sla.breached audit row inserted (recordedAt) − dueAt', lags.audit);
    line('c) read model updated (case_record.updatedAt) − dueAt', lags.readModel);
  }
  console.log('   a) is the workflow\'s own clock: Date.now() of the workflow task the timer woke, i.e. Temporal timer');
  console.log('      firing + task dispatch to the worker. It is the value stored in case_target_record.breachedAt.');
  console.log('   b) is when PostgreSQL inserted the audit row (column default now()): the first DB write of the breach.');
  console.log('   c) is when the projectCase activity wrote the breach into case_target_record/case_record (Prisma');
  console.log('      @updatedAt of case_record; case_target_record has no write-time column). It comes after the');
  console.log('      breach\'s audit rows and HELD emails (breach notice and escalation request), so it is end-to-end.');
  reportFailedAttempts();
  console.log(`   noise: ${part2Noise}`);
  if (projectedBeforeStamp > 0)
    console.log(`   warning: ${projectedBeforeStamp} case row(s) were last written before their breach stamp; c) is not the breach projection for them`);
  if (targets.length < BREACH_CASES) {
    process.exitCode = 1;
    console.log(`   ${BREACH_CASES - targets.length} breach(es) were still not in the read model 180 s after the last deadline`);
  }
}

try {
  await main();
} catch (err) {
  // After Ctrl-C the stack is being torn down under main: its failures are expected.
  if (!interrupted) console.error(err);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
