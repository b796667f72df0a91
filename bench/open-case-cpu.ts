/**
 * Where the API's CPU goes when it opens a case: the API in this process against one Temporal dev
 * server (no worker: only the opening is measured, not the workflow's tasks) and a throwaway
 * Debian PostgreSQL. Prints this process's CPU per `POST /api/cases` (and per `POST /api/leads`)
 * against per raw `caseWorkflow.start` (the baseline of bench/cases.ts), then the inspector's CPU
 * profile of the API requests, self time grouped by package and the top functions.
 *
 *   npm run pinned -- npx tsx bench/open-case-cpu.ts [requests=200] [--profile-out=file.cpuprofile]
 *
 * The HTTP client (fetch) runs in this process too: it shows as `undici` and `node:` in the groups.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { Session } from 'node:inspector/promises';
import { createApp } from '../api/app.js';
import { caseWorkflow } from '../app/cases/workflow.js';
import { caseNumberPrefix, createCaseWithNextNumber } from '../app/cases/repository.js';
import { findOrCreateCustomerByPhone } from '../app/customers/repository.js';
import { resolveCaseSlaForGroup } from '../app/cases/settings.js';
import { initialTier } from '../domain/cases/routing.js';
import { loadConfig } from '../platform/config.js';
import { generatePayloadKeyEntry } from '../platform/temporal/payload-keys.js';
import { createDb } from '../platform/db.js';
import { createLogger } from '../platform/logger.js';
import { createMailer } from '../platform/mail.js';
import { TemporalGateway } from '../platform/temporal/connection.js';
import { startDevServer } from '../platform/temporal/dev-server.js';
import { ensureTemporalTools } from '../platform/tools.js';
import { freePort } from '../platform/ports.js';
import { seedDemo } from '../prisma/seed.js';
import { benchDatabase, listenOnLoopback, loginAs } from './support.js';
import { caseWorkflowId, type ComplaintCaseInput } from '../workflows/cases/complaint-case.defs.js';

const N = Number(process.argv.find((a, i) => i >= 2 && /^\d+$/.test(a)) ?? 200);
const profileOut = process.argv.find((a) => a.startsWith('--profile-out='))?.slice('--profile-out='.length);
const CONCURRENCY = 8;
const progress = (line: string) => process.stderr.write(`  … ${line}\n`);

async function inParallel(count: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

/** CPU milliseconds of this process (user + system) spent while `fn` ran. */
async function cpuOf(fn: () => Promise<unknown>): Promise<{ cpuMs: number; wallS: number }> {
  const before = process.cpuUsage();
  const t = performance.now();
  await fn();
  const used = process.cpuUsage(before);
  return { cpuMs: (used.user + used.system) / 1000, wallS: (performance.now() - t) / 1000 };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/** Self time by package (node_modules/<pkg>, the project's folders, node: internals, (gc), (program)). */
function summarise(profile: { nodes: ProfileNode[]; startTime: number; endTime: number; samples?: number[]; timeDeltas?: number[] }, requests: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
  const group = (n: ProfileNode) => {
    const { url, functionName } = n.callFrame;
    if (!url) return functionName.startsWith('(') ? functionName : '(native)';
    const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (nm) return nm[1]!;
    if (url.startsWith('node:')) return 'node: internals';
    const m = /\/(api|app|domain|platform|workflows|activities|prisma|bench)\//.exec(url);
    return m ? `project ${m[1]}/` : url;
  };
  const groups = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const g = group(n);
    if (g === '(idle)') continue;
    total += us;
    groups.set(g, (groups.get(g) ?? 0) + us);
    const key = `${n.callFrame.functionName || '(anonymous)'}  ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/hot14\//, '')}:${n.callFrame.lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const per = (us: number) => `${(us / 1000 / requests).toFixed(2).padStart(6)} ms/req  ${((us / total) * 100).toFixed(1).padStart(5)}%`;
  console.log(`   sampled CPU (idle excluded): ${(total / 1000 / requests).toFixed(2)} ms per request`);
  console.log('   by package (self time):');
  for (const [g, us] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 22)) console.log(`     ${per(us)}  ${g}`);
  console.log('   top functions (self time):');
  for (const [f, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`     ${per(us)}  ${f}`);
}

async function main() {
  const cleanups: Array<() => unknown> = [];
  try {
    progress('starting PostgreSQL and the Temporal dev server (no worker)');
    const tools = ensureTemporalTools((m) => progress(m));
    const { url } = await benchDatabase({ onStarted: (pgServer) => cleanups.push(() => pgServer.stop()) });
    const devServer = await startDevServer({ cli: tools.cli, port: await freePort(), headless: true, detached: true });
    cleanups.push(() => devServer.stop());

    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: url,
      TEMPORAL_ADDRESS: devServer.address,
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
      TEMPORAL_PAYLOAD_KEYS: generatePayloadKeyEntry('bench'),
      CRM_DEMO_PASSWORD: 'demo',
      LOG_LEVEL: 'silent',
    });
    const logger = createLogger({ name: 'bench', level: 'silent' });
    const db = createDb(url);
    cleanups.push(() => db.$disconnect());
    await seedDemo(db, { password: 'demo' });
    const temporal = new TemporalGateway(config.temporal);
    cleanups.push(() => temporal.close());
    const app = createApp({ config, db, temporal, mailer: createMailer({ db, from: config.mail.from, logger }), logger });
    const { base, close } = await listenOnLoopback(app);
    cleanups.push(close);
    const agent = await loginAs(base, 'agent.project');
    const sales = await loginAs(base, 'salesmgr.project');
    const project = await db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } });
    const unit = await db.unit.findFirstOrThrow({ where: { projectId: project.id } });
    const agentUser = await db.user.findUniqueOrThrow({ where: { username: 'agent.project' } });

    let caller = 0;
    const caseBody = () => {
      caller++;
      return {
        type: 'complaint',
        category: 'complaint.quality.leakage',
        projectId: project.id,
        unitId: unit.id,
        customer: { name: `客户${caller}`, phone: `139${String(caller).padStart(8, '0')}` },
        severity: 'minor',
        channel: 'phone',
        description: '卫生间天花板渗水 / bathroom ceiling leaks',
      };
    };
    const post = async (path: string, headers: Record<string, string>, body: unknown) => {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      const text = await res.text();
      if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${text}`);
    };
    const openCase = () => post('/api/cases', agent, caseBody());
    const leadBody = () => {
      caller++;
      return { projectId: project.id, customer: { name: `客户${caller}`, phone: `138${String(caller).padStart(8, '0')}` }, source: 'walk_in', grade: 'B' };
    };
    const openLead = () => post('/api/leads', { ...sales, 'idempotency-key': crypto.randomUUID() }, leadBody());

    const prepareRaw = async (): Promise<{ input: ComplaintCaseInput; workflowId: string }> => {
      const b = caseBody();
      const customer = await findOrCreateCustomerByPhone(db, { groupId: project.groupId, name: b.customer.name, phone: b.customer.phone });
      const tier = initialTier({ severity: 'minor', caseType: 'complaint', estimatedCost: null, warrantyAuthorisationAmount: project.warrantyAuthorisationAmount.toNumber() });
      const { policy, calendar } = await resolveCaseSlaForGroup(db, project.groupId, { caseType: 'complaint', category: b.category, severity: 'minor', tier });
      const now = Date.now();
      const id = crypto.randomUUID();
      const workflowId = caseWorkflowId(id);
      const row = await createCaseWithNextNumber(db, {
        prefix: caseNumberPrefix(now, project.timeZone),
        data: { id, workflowId, groupId: project.groupId, companyId: project.companyId, projectId: project.id, unitId: unit.id, customerId: customer.id, type: 'complaint', category: b.category, severity: 'minor', channel: 'phone', description: b.description, status: 'open', tier, policyId: policy.id, sla: {}, openedById: agentUser.id, openedAt: new Date(now), lastEventSeq: 0 },
      });
      const input: ComplaintCaseInput = { caseId: row.id, caseNumber: row.number, groupId: row.groupId, companyId: row.companyId, projectId: row.projectId, type: 'complaint', category: b.category, severity: 'minor', channel: 'phone', tier, assigneeId: null, openedBy: agentUser.id, policy, calendar, openedAt: now };
      return { input, workflowId };
    };

    progress('warm-up: 40 cases, 20 leads, 20 raw starts');
    await inParallel(40, openCase);
    await inParallel(20, openLead).catch((err) => progress(`leads skipped: ${(err as Error).message}`));
    const warm: Array<{ input: ComplaintCaseInput; workflowId: string }> = [];
    for (let i = 0; i < 20; i++) warm.push(await prepareRaw());
    await inParallel(20, async (i) => void (await caseWorkflow.start(temporal, warm[i]!.input, warm[i]!.workflowId)));

    progress(`preparing ${N} raw case rows (untimed)`);
    const raw: Array<{ input: ComplaintCaseInput; workflowId: string }> = [];
    for (let i = 0; i < N; i++) raw.push(await prepareRaw());
    const rawRun = await cpuOf(() => inParallel(N, async (i) => void (await caseWorkflow.start(temporal, raw[i]!.input, raw[i]!.workflowId))));
    const apiRun = await cpuOf(() => inParallel(N, openCase));
    let leadRun: { cpuMs: number; wallS: number } | null = null;
    try {
      leadRun = await cpuOf(() => inParallel(N, openLead));
    } catch (err) {
      progress(`leads skipped: ${(err as Error).message}`);
    }

    progress(`profiling ${N} POST /api/cases`);
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    await inParallel(N, openCase);
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    if (profileOut) fs.writeFileSync(profileOut, JSON.stringify(profile));

    const line = (name: string, r: { cpuMs: number; wallS: number }) =>
      console.log(`   ${name.padEnd(28)} ${(r.cpuMs / N).toFixed(2).padStart(6)} ms CPU each   ${(N / r.wallS).toFixed(1).padStart(6)}/s   (×${(r.cpuMs / rawRun.cpuMs).toFixed(1)} the raw start's CPU)`);
    console.log('');
    console.log(`CPU of this process per opening · ${N} each, ${CONCURRENCY} concurrent, no worker · load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores`);
    line('raw caseWorkflow.start', rawRun);
    line('POST /api/cases', apiRun);
    if (leadRun) line('POST /api/leads', leadRun);
    console.log('');
    console.log(`Profile of ${N} POST /api/cases (sampling 200 µs)`);
    summarise(profile as never, N);
  } finally {
    while (cleanups.length) {
      try {
        await cleanups.pop()!();
      } catch (err) {
        console.error(`clean-up: ${(err as Error).message}`);
      }
    }
  }
}

await main();
