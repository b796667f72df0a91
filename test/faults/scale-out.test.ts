import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { CLAIM_LEASE_MS } from '../../api/http/idempotency.js';
import { DEFAULT_POLICY } from '../../domain/cases/sla-policy.js';
import { loadConfig } from '../../platform/config.js';
import type { Db } from '../../platform/db.js';
import { startDevServer, type DevServer } from '../../platform/temporal/dev-server.js';
import { TemporalGateway } from '../../platform/temporal/connection.js';
import { buildWorkflowBundle } from '../../platform/temporal/worker.js';
import { ensureNginx } from '../../platform/tools.js';
import { seedDemo } from '../../prisma/seed.js';
import { caseWorkflowId } from '../../workflows/cases/complaint-case.defs.js';
import { startSmtpServer, type TestSmtpServer } from '../integration/smtp.js';
import { createTestDatabase } from '../support/database.js';
import { recordFigures } from '../support/figures.js';
import { freePort, TEST_PAYLOAD_KEYS } from '../support/stack.js';
import { startNginx, type Nginx } from './nginx.js';
import { failedActivityAttempts, guard, messageIdFor, progress, seconds, sleep, startApiProcess, startWorkerProcess, waitUntil, withinPlan, type WorkerProcess } from './support.js';

/**
 * Scale-out on one machine, as README "Production topology" describes it: two API processes
 * behind nginx (Debian's, running ops/nginx/estate-care.conf) and two worker processes, on one
 * PostgreSQL database and one Temporal server. A client walks CASES cases, CONCURRENCY at a time,
 * through the case's life — open, read, record the first contact, ask to escalate, the company
 * supervisor rejects, resolve — every POST with its own Idempotency-Key, retried with the same key
 * when the answer is 503 (or 409 REQUEST_IN_PROGRESS), as a client should. A third of the way
 * through, one API process is SIGKILLed; halfway, one worker. Both stay dead: the survivors carry
 * the rest.
 *
 * Then the proof: no answer was a 500 or a 502/504 (nginx answers 503 when no process could, the
 * client retries); every operation ended in its success; the cases the client was told were
 * created are exactly the cases in the read model and exactly the running workflows (none lost,
 * none twice); every case's audit trail is the reference walk's, once each; every email the
 * reference walk sends went to the SMTP server once (a re-delivery under the same Message-ID is
 * allowed only for a send the killed worker may have had in flight).
 *
 * Bounded by work (a fixed number of requests); its deadline follows from a warm-up walk's pace.
 */

const CASES = 36;
const CONCURRENCY = 4;
/** The steps of every case's walk, each one request. */
const WALK = ['open', 'read', 'contact', 'escalate', 'reject', 'resolve'] as const;
type Step = (typeof WALK)[number];
const REQUESTS = CASES * WALK.length;
const RUNNER_CAP_MS = 2_700_000;
/** A stranded activity is retried after its start-to-close timeout (2 min for emails) plus its retry interval. */
const STALL_MS = 180_000;

let tmp = '';
let db: Db;
let smtp: TestSmtpServer;
let devServer: DevServer | null = null;
let gateway: TemporalGateway;
let nginx: Nginx;
const apis: WorkerProcess[] = [];
const workers: WorkerProcess[] = [];
const apiPorts: number[] = [];
const headers: Record<'agent' | 'handler' | 'supervisor', Record<string, string>> = { agent: {}, handler: {}, supervisor: {} };
let project = { id: '' };
let unitId = '';
let failed = true;
let plannedMs = 0;
let reference: { auditTypes: string[]; emailKeys: string[]; msPerRequest: number };
const runTag = crypto.randomBytes(3).toString('hex');
const cleanups: Array<() => unknown> = [];

beforeAll(async () => {
  const started = Date.now();
  const nginxBin = ensureNginx((m) => progress(m));
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'estate-care-scale-'));
  const [database, mail] = await Promise.all([createTestDatabase(), startSmtpServer()]);
  cleanups.push(() => database.drop(), () => mail.close());
  db = database.db;
  smtp = mail;
  const [temporalPort, api1, api2, m1, m2, proxyPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
  apiPorts.push(api1, api2);
  const env = {
    NODE_ENV: 'test',
    DATA_DIR: path.join(tmp, 'data'),
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    TEMPORAL_TASK_QUEUE: 'scale-out',
    SMTP_URL: smtp.url,
    JWT_SECRET: 'scale-out-secret-scale-out-secret-0123',
    TEMPORAL_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    CRM_DEMO_PASSWORD: 'demo',
    LOG_LEVEL: 'info',
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmp,
    TMPDIR: process.env.TMPDIR ?? os.tmpdir(),
  };
  gateway = new TemporalGateway(loadConfig({ ...env, LOG_LEVEL: 'silent' }).temporal);
  cleanups.push(() => gateway.close());
  const bundlePath = path.join(tmp, 'workflow-bundle.js');
  const [seed] = await Promise.all([
    seedDemo(db, { password: 'demo' }),
    buildWorkflowBundle(bundlePath),
    (async () => {
      devServer = await startDevServer({ cli: inject('temporalCli'), port: temporalPort, dbFile: path.join(tmp, 'temporal.db'), headless: true, logFile: path.join(tmp, 'temporal.log') });
      guard(devServer.process, { group: false });
      cleanups.push(() => devServer?.stop());
    })(),
  ]);
  // Two workers on one host: each its own metrics port (WORKER_METRICS_PORT).
  for (const [i, metricsPort] of [m1, m2].entries()) {
    const w = await startWorkerProcess({ env: { ...env, WORKFLOW_BUNDLE_PATH: bundlePath, WORKER_METRICS_PORT: String(metricsPort) }, logFile: path.join(tmp, `worker-${i + 1}.log`) });
    workers.push(w);
    cleanups.push(() => w.stop());
  }
  for (const [i, port] of apiPorts.entries()) {
    const a = await startApiProcess({ env: { ...env, HOST: '127.0.0.1', PORT: String(port) }, logFile: path.join(tmp, `api-${i + 1}.log`) });
    apis.push(a);
    cleanups.push(() => a.stop());
  }
  nginx = await startNginx({ bin: nginxBin, dir: path.join(tmp, 'nginx'), port: proxyPort, upstreams: apiPorts });
  cleanups.push(() => nginx.stop());
  progress(
    `stack up in ${seconds(Date.now() - started)}: nginx ${nginx.url} → APIs pid ${apis.map((a) => a.pid).join(', ')} (ports ${apiPorts.join(', ')}); ` +
      `workers pid ${workers.map((w) => w.pid).join(', ')} (metrics ${m1}, ${m2}); Temporal ${devServer!.address}`,
  );

  const login = async (username: string) => {
    const res = await fetch(`${nginx.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    return { authorization: `Bearer ${((await res.json()) as { token: string }).token}`, 'content-type': 'application/json' };
  };
  headers.agent = await login('agent.project');
  headers.handler = await login('handler.project');
  headers.supervisor = await login('supervisor.company');
  // The handbook's targets, with every notice sent on its own under its own key (no digest window):
  // the checks count one email per event.
  const policies = await fetch(`${nginx.url}/api/sla-policies`, {
    method: 'PUT',
    headers: await login('admin'),
    body: JSON.stringify([{ ...DEFAULT_POLICY, id: 'scale-out', name: 'scale-out: the handbook targets, no digest', notifications: { workingHoursOnly: true, digestMinutes: 0 } }]),
  });
  if (policies.status !== 200) throw new Error(`PUT /api/sla-policies: ${policies.status} ${await policies.text()}`);
  project = await db.project.findFirstOrThrow({ where: { id: seed.projectIds[0] }, select: { id: true } });
  unitId = (await db.unit.findFirstOrThrow({ where: { projectId: project.id }, orderBy: [{ floor: 'asc' }, { number: 'asc' }] })).id;

  // The reference: two walks with nothing failing, one after the other. Their audit trails and
  // email keys are what every case of the run must show; their pace sizes the run's deadline.
  const walks: Array<{ id: string; ms: number }> = [];
  for (const n of [1, 2]) {
    const t0 = Date.now();
    const client = new Client();
    const id = await walkCase(client, `warm-${n}`);
    if (client.problems.length) throw new Error(`the reference walk failed: ${client.problems.join('; ')}`);
    walks.push({ id, ms: Date.now() - t0 });
  }
  const ids = walks.map((w) => w.id);
  const settled = await waitSettled(ids, null);
  // Emails are queued by activities after their audit rows: the reference is read once it holds still.
  const read = async () => (await Promise.all(ids.map((id) => trailOf(id)))).map((t) => ({ types: t.audit.map((r) => r.type).sort(), keys: t.emailKeys }));
  let perCase = await read();
  for (let same = 0; same < 3; ) {
    await sleep(2000);
    const again = await read();
    same = JSON.stringify(again) === JSON.stringify(perCase) ? same + 1 : 0;
    perCase = again;
  }
  const [a, b] = perCase;
  if (a!.types.join() !== b!.types.join() || a!.keys.join() !== b!.keys.join())
    throw new Error(`the two reference walks differ: ${a!.types.join()} / ${b!.types.join()}; ${a!.keys.join()} / ${b!.keys.join()}`);
  reference = { auditTypes: a!.types, emailKeys: a!.keys, msPerRequest: walks[1]!.ms / WALK.length };
  // The run's requests at a third of the reference's pace (CONCURRENCY at a time on a loaded
  // machine is no faster), the claims the killed API left taken over after CLAIM_LEASE_MS, what
  // the killed worker held retried after its timeouts, then the checks.
  plannedMs = 3 * REQUESTS * reference.msPerRequest + CLAIM_LEASE_MS + 2 * STALL_MS + 120_000;
  progress(
    `reference walk: ${reference.auditTypes.join(', ')}; ${reference.emailKeys.length} emails; ${reference.msPerRequest.toFixed(0)} ms a request ` +
      `(settled ${seconds(settled)}) → plan for ${REQUESTS} requests ≤ ${seconds(plannedMs)}`,
  );
  failed = false;
}, 600_000);

afterAll(async () => {
  while (cleanups.length) {
    try {
      await cleanups.pop()!();
    } catch (err) {
      console.error(`scale-out clean-up: ${(err as Error).message}`);
    }
  }
  if (failed) console.error(`scale-out: logs kept in ${tmp}`);
  else if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}, 120_000);

// ---------------------------------------------------------------------------------------------
// The client: every request through nginx, retried as a careful client would

/** What the client saw: every answer by status, and the operations that did not end in success. */
class Client {
  statuses = new Map<string, number>();
  retried = 0;
  /** Operations told REQUEST_IN_PROGRESS that then succeeded: a claim its dead API left, taken over after the lease. */
  takenOver = 0;
  problems: string[] = [];
  /** Operations finished (successfully or not). */
  done = 0;

  /**
   * One operation: the request, retried with the same Idempotency-Key while the answer says "try
   * again" (503 from nginx or the API, 409 REQUEST_IN_PROGRESS, a dropped connection). Bounded:
   * a claim left by a dead process is taken over after CLAIM_LEASE_MS, so past twice that plus
   * the longest wait nothing is coming.
   */
  async call(what: string, method: 'GET' | 'POST', url: string, who: keyof typeof headers, body?: unknown, want = 200): Promise<any> {
    const key = `scale-${runTag}-${crypto.randomUUID()}`;
    const giveUpAt = Date.now() + 2 * CLAIM_LEASE_MS + 120_000;
    let inProgressSeen = false;
    try {
      for (let attempt = 1; ; attempt++) {
        let status: string;
        let json: any = null;
        let retryAfterMs = 500;
        try {
          const res = await fetch(`${nginx.url}${url}`, {
            method,
            headers: { ...headers[who], ...(method === 'POST' ? { 'idempotency-key': key } : {}) },
            ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
            signal: AbortSignal.timeout(120_000),
          });
          status = String(res.status);
          json = await res.json().catch(() => null);
          const retryAfter = Number(res.headers.get('retry-after'));
          if (retryAfter > 0) retryAfterMs = retryAfter * 1000;
        } catch (err) {
          status = `network: ${(err as Error).name}`;
        }
        const shown = status.startsWith('2') || !json?.reason ? status : `${status} ${json.reason}`;
        this.statuses.set(shown, (this.statuses.get(shown) ?? 0) + 1);
        if (status === String(want)) {
          if (inProgressSeen) this.takenOver++;
          return json;
        }
        if (shown === '409 REQUEST_IN_PROGRESS') inProgressSeen = true;
        const again = status === '503' || status.startsWith('network') || shown === '409 REQUEST_IN_PROGRESS';
        if (!again || Date.now() > giveUpAt) {
          this.problems.push(`${what}: ${method} ${url} answered ${status} ${JSON.stringify(json)?.slice(0, 300)} (attempt ${attempt})`);
          return null;
        }
        this.retried++;
        await sleep(Math.min(retryAfterMs, 2000));
      }
    } finally {
      this.done++;
    }
  }
}

/** One case's walk; returns its id ('' when the opening failed). */
async function walkCase(client: Client, label: string, onStep?: (step: Step) => void): Promise<string> {
  // A step that did not succeed ends the walk (the client has reported it): the next would only fail after it.
  let broken = false;
  const step = async (s: Step, f: () => Promise<unknown>) => {
    if (broken) return null;
    const r = await f();
    onStep?.(s);
    if (r === null) broken = true;
    return r;
  };
  const opened = (await step('open', () =>
    client.call(`${label} open`, 'POST', '/api/cases', 'agent', {
      type: 'repair',
      category: 'repair.plumbing.leak',
      projectId: project.id,
      unitId,
      customer: { name: `客户${label}`, phone: `137${String(crypto.randomInt(1e8)).padStart(8, '0')}` },
      severity: 'minor',
      channel: 'phone',
      description: `scale-out ${runTag} ${label}: 厨房漏水`,
    }, 201),
  )) as { id: string } | null;
  if (!opened) return '';
  const id = opened.id;
  await step('read', () => client.call(`${label} read`, 'GET', `/api/cases/${id}`, 'agent'));
  await step('contact', () => client.call(`${label} contact`, 'POST', `/api/cases/${id}/contact`, 'handler', { note: '已电话联系业主' }));
  await step('escalate', () => client.call(`${label} escalate`, 'POST', `/api/cases/${id}/escalations`, 'handler', { reason: '需要公司工程师评估' }));
  await step('reject', () => client.call(`${label} reject`, 'POST', `/api/escalations/${encodeURIComponent(`${id}:esc:1`)}/reject`, 'supervisor', { reason: '项目可处理' }));
  await step('resolve', () => client.call(`${label} resolve`, 'POST', `/api/cases/${id}/resolve`, 'handler', { resolution: '已更换水管' }));
  return id;
}

// ---------------------------------------------------------------------------------------------
// What the database and the SMTP server hold

async function trailOf(caseId: string) {
  const workflowId = caseWorkflowId(caseId);
  const audit = await db.auditEvent.findMany({ where: { streamId: workflowId }, orderBy: { seq: 'asc' }, select: { seq: true, type: true } });
  const emails = await db.emailMessage.findMany({ where: { idempotencyKey: { startsWith: `${workflowId}:` } }, select: { idempotencyKey: true, status: true, messageId: true } });
  // What each email is for, as "<audit event type> → <recipient id>", so two cases' emails compare
  // (a case's events are not always in the same order: its assignment is a task the workflow runs
  // beside the client's first actions, so their seq numbers differ from case to case).
  const typeOf = new Map(audit.map((a) => [a.seq, a.type]));
  const emailKeys = emails
    .map((e) => {
      const [seq, userId] = e.idempotencyKey.slice(workflowId.length + 1).split(':');
      return `${typeOf.get(Number(seq)) ?? `seq ${seq}`} → ${userId}`;
    })
    .sort();
  return { workflowId, audit, emails, emailKeys };
}

/** Outbox rows of these cases not yet SENT. */
async function emailsNotSent(caseIds: string[]): Promise<number> {
  const streams = new Set(caseIds.map(caseWorkflowId));
  const rows = await db.emailMessage.findMany({ where: { status: { not: 'SENT' } }, select: { idempotencyKey: true } });
  return rows.filter((r) => streams.has(r.idempotencyKey.slice(0, r.idempotencyKey.indexOf(':')))).length;
}

/**
 * Waits until every case is resolved in the read model with its whole trail projected, and every
 * email of it (as many as the reference's, once `reference` is known) is queued and SENT.
 */
async function waitSettled(caseIds: string[], expect: { audit: number; emails: number } | null): Promise<number> {
  const t0 = Date.now();
  const workflowIds = caseIds.map(caseWorkflowId);
  await waitUntil(
    `${caseIds.length} cases settled`,
    async () => {
      const rows = await db.case.findMany({ where: { id: { in: caseIds } }, select: { status: true, lastEventSeq: true, workflowId: true } });
      const audit = await db.auditEvent.groupBy({ by: ['streamId'], where: { streamId: { in: workflowIds } }, _count: true });
      const auditBy = new Map(audit.map((a) => [a.streamId, a._count]));
      const emails = await db.emailMessage.count({ where: { OR: workflowIds.map((w) => ({ idempotencyKey: { startsWith: `${w}:` } })) } });
      return {
        resolved: rows.filter((r) => r.status === 'resolved' && r.lastEventSeq === auditBy.get(r.workflowId) && (!expect || r.lastEventSeq === expect.audit)).length,
        emails,
        unsent: await emailsNotSent(caseIds),
      };
    },
    (v) => v.resolved === caseIds.length && v.unsent === 0 && (!expect || v.emails === caseIds.length * expect.emails),
    { timeoutMs: 900_000, stallMs: STALL_MS, intervalMs: 500, show: (v) => `resolved and projected ${v.resolved}/${caseIds.length}, emails queued ${v.emails}, not yet SENT ${v.unsent}` },
  );
  return Date.now() - t0;
}

describe('faults: scale-out behind nginx', () => {
  it(
    `two APIs behind nginx and two workers, ${CASES} cases walked by ${REQUESTS} requests: SIGKILL of one API and one worker loses, duplicates and fails nothing`,
    () =>
      withinPlan('scale-out scenario', plannedMs, () => `the reference walk's ${reference.msPerRequest.toFixed(0)} ms a request`, async () => {
        const started = Date.now();
        const client = new Client();
        const told = new Map<number, string>();
        const killApiAt = Math.ceil(REQUESTS / 3);
        const killWorkerAt = Math.ceil(REQUESTS / 2);
        const kills: Array<{ what: string; pid: number; afterRequests: number; at: number; signal: string | null; emailsNotSent?: number }> = [];
        const killed = { api: false, worker: false };
        const killer = async (what: 'api' | 'worker') => {
          const proc = what === 'api' ? apis[0]! : workers[0]!;
          const afterRequests = client.done;
          proc.kill('SIGKILL');
          const at = Date.now();
          const exit = await proc.exited;
          const emailsNotSent = what === 'worker' ? await db.emailMessage.count({ where: { status: { not: 'SENT' } } }) : undefined;
          kills.push({ what: what === 'api' ? `API (port ${apiPorts[0]})` : 'worker', pid: proc.pid, afterRequests, at, signal: exit.signal, ...(emailsNotSent !== undefined ? { emailsNotSent } : {}) });
          progress(`SIGKILL of the ${what} pid ${proc.pid} after ${afterRequests}/${REQUESTS} requests${emailsNotSent !== undefined ? ` (${emailsNotSent} outbox rows not SENT)` : ''}`);
        };
        const pending: Promise<void>[] = [];
        const onStep = () => {
          if (!killed.api && client.done >= killApiAt) {
            killed.api = true;
            pending.push(killer('api'));
          }
          if (!killed.worker && client.done >= killWorkerAt) {
            killed.worker = true;
            pending.push(killer('worker'));
          }
        };
        let next = 0;
        let shownAt = Date.now();
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (next < CASES) {
              const n = next++;
              const id = await walkCase(client, `case-${n}`, () => {
                onStep();
                if (Date.now() - shownAt > 10_000) {
                  shownAt = Date.now();
                  progress(`${client.done}/${REQUESTS} requests done, ${client.retried} retried, ${told.size} cases opened`);
                }
              });
              if (id) told.set(n, id);
            }
          }),
        );
        await Promise.all(pending);
        const requestsDoneAt = Date.now();
        progress(`all ${REQUESTS} requests answered in ${seconds(requestsDoneAt - started)} (${client.retried} retries); waiting for the trails and emails`);
        // A walk that broke off never settles: say why now rather than after a stall.
        if (client.problems.length) failed = true;
        expect(client.problems).toEqual([]);

        // What the stack holds once every workflow has caught up.
        const rows = await db.case.findMany({ where: { description: { startsWith: `scale-out ${runTag} case-` } }, select: { id: true, number: true, workflowId: true, description: true, status: true, lastEventSeq: true } });
        const toldIds = new Set(told.values());
        const lost = [...toldIds].filter((id) => !rows.some((r) => r.id === id));
        const perLabel = new Map<string, number>();
        for (const r of rows) {
          const label = r.description.split(' ')[2]!.replace(/:$/, '');
          perLabel.set(label, (perLabel.get(label) ?? 0) + 1);
        }
        const duplicatedCases = [...perLabel.values()].reduce((a, n) => a + Math.max(0, n - 1), 0);
        const untold = rows.filter((r) => !toldIds.has(r.id)).map((r) => r.number);
        const settledMs = await waitSettled([...toldIds], { audit: reference.auditTypes.length, emails: reference.emailKeys.length }).catch((err: Error) => {
          failed = true;
          throw err;
        });

        // Every told case's workflow runs (a resolved case waits for its callback), and Temporal
        // runs no other case workflow than the reference walks' and these.
        const client2 = await gateway.getClient();
        const notRunning: string[] = [];
        for (const r of rows) {
          const d = await client2.workflow.getHandle(r.workflowId).describe().catch(() => null);
          if (d?.status.name !== 'RUNNING') notRunning.push(`${r.number}: ${d?.status.name ?? 'unknown to Temporal'}`);
        }
        const workflowsListed = await waitUntil(
          'Temporal visibility lists every case workflow',
          async () => (await client2.workflow.count(`WorkflowType = 'complaintCase'`)).count,
          (n) => n >= rows.length + 2,
          { timeoutMs: 60_000, intervalMs: 1000 },
        );

        // Audit trails and emails against the reference walk.
        let auditLost = 0;
        let auditDuplicated = 0;
        let contiguous = 0;
        let emailsExpected = 0;
        let emailsLost = 0;
        let emailsUnexpected = 0;
        let emailRowsNotSent = 0;
        const problems: string[] = [];
        const smtpCount = new Map<string, number>();
        for (const m of smtp.messages) if (m.messageId) smtpCount.set(m.messageId, (smtpCount.get(m.messageId) ?? 0) + 1);
        const expectedMessageIds = new Set<string>();
        for (const r of rows) {
          const t = await trailOf(r.id);
          const types = t.audit.map((a) => a.type).sort();
          if (t.audit.every((a, i) => a.seq === i + 1)) contiguous++;
          else problems.push(`${r.number}: audit seq ${t.audit.map((a) => a.seq).join(',')}`);
          for (const type of new Set([...reference.auditTypes, ...types])) {
            const want = reference.auditTypes.filter((x) => x === type).length;
            const got = types.filter((x) => x === type).length;
            if (got < want) auditLost += want - got;
            if (got > want) auditDuplicated += got - want;
          }
          if (types.join() !== reference.auditTypes.join()) problems.push(`${r.number}: audit ${t.audit.map((a) => a.type).join(',')}`);
          emailsExpected += reference.emailKeys.length;
          const count = (list: string[], key: string) => list.filter((k) => k === key).length;
          for (const key of new Set([...reference.emailKeys, ...t.emailKeys])) {
            const want = count(reference.emailKeys, key);
            const got = count(t.emailKeys, key);
            if (got < want) {
              emailsLost += want - got;
              problems.push(`${r.number}: ${want - got} outbox row(s) missing for ${key}`);
            }
            if (got > want) {
              emailsUnexpected += got - want;
              problems.push(`${r.number}: ${got - want} outbox row(s) too many for ${key}`);
            }
          }
          for (const e of t.emails) {
            if (e.status !== 'SENT') emailRowsNotSent++;
            const id = messageIdFor(e.idempotencyKey);
            expectedMessageIds.add(id);
            if (!smtpCount.has(id)) {
              emailsLost++;
              problems.push(`${r.number}: ${e.idempotencyKey} never reached the SMTP server`);
            }
          }
        }
        const caseNumbers = rows.map((r) => r.number);
        const foreign = smtp.messages.filter((m) => caseNumbers.some((n) => m.subject?.includes(`[${n}]`)) && !expectedMessageIds.has(m.messageId ?? ''));
        for (const m of foreign) problems.push(`SMTP received ${m.messageId} "${m.subject}", which no outbox row has`);
        const redeliveries = [...expectedMessageIds].reduce((a, id) => a + Math.max(0, (smtpCount.get(id) ?? 0) - 1), 0);
        const workerKill = kills.find((k) => k.what === 'worker');

        // What nginx saw: requests it passed to the other API, and the ones no API could answer.
        const proxied = nginx.requests().filter((r) => r.uri.startsWith('/api/'));
        const failedOver = proxied.filter((r) => r.upstreams.length > 1).length;
        // Its own 503: the last process it tried failed too (502/504 from nginx's view), not an API's 503.
        const byNginx = proxied.filter((r) => r.status === 503 && ['502', '504'].includes(r.upstreamStatuses.at(-1) ?? '')).length;
        const perUpstream = new Map<string, number>();
        for (const r of proxied) {
          const last = r.upstreams.at(-1);
          if (last) perUpstream.set(last, (perUpstream.get(last) ?? 0) + 1);
        }
        const statuses = [...client.statuses].sort(([a], [b]) => a.localeCompare(b));
        const activityRetries = [...failedActivityAttempts(workers.map((w) => w.logFile))].reduce((a, [, n]) => a + n, 0);
        const lines = [
          `topology: nginx (Debian's, ops/nginx/estate-care.conf) → 2 API processes; 2 worker processes (metrics ports apart); one PostgreSQL, one Temporal dev server`,
          `workload: ${CASES} cases × ${WALK.join(' → ')} = ${REQUESTS} requests, ${CONCURRENCY} cases at a time, every POST with an Idempotency-Key (reference walk ${reference.msPerRequest.toFixed(0)} ms a request)`,
          ...kills.map((k) => `fault: SIGKILL of the ${k.what} (pid ${k.pid}, exit ${k.signal}) after ${k.afterRequests}/${REQUESTS} requests, ${seconds(k.at - started)} into the run${k.emailsNotSent !== undefined ? `; ${k.emailsNotSent} outbox rows not SENT then` : ''}`),
          `answers by status (every attempt): ${statuses.map(([s, n]) => `${s} × ${n}`).join(', ')}; client retries ${client.retried}; ` +
            `${client.takenOver} operations answered after their claim (left by the killed API) was taken over at the ${CLAIM_LEASE_MS / 1000} s lease; operations not ending in success ${client.problems.length}`,
          `nginx: ${proxied.length} API requests, ${failedOver} passed to the other API after a failure, ${byNginx} answered 503 by nginx itself (the API holding them died); ` +
            `answered by ${[...perUpstream].map(([u, n]) => `${u} × ${n}`).join(', ')}`,
          `cases: told created ${toldIds.size}/${CASES}, in the read model ${rows.length}, lost ${lost.length}, duplicated ${duplicatedCases}, never told ${untold.length}; workflows not running ${notRunning.length}; Temporal lists ${workflowsListed} case workflows (${rows.length} + 2 reference)`,
          `audit events: expected ${rows.length * reference.auditTypes.length}, lost ${auditLost}, duplicated ${auditDuplicated}; streams with seq 1..n contiguous ${contiguous}/${rows.length}`,
          `emails: expected ${emailsExpected}, lost ${emailsLost}, unexpected ${emailsUnexpected + foreign.length}, outbox rows not SENT ${emailRowsNotSent}; ` +
            `re-deliveries under the same Message-ID ${redeliveries} (allowed: at most the ${workerKill?.emailsNotSent ?? 0} rows not SENT at the worker's kill)`,
          `failed activity attempts retried by Temporal (worker logs): ${activityRetries}`,
          `durations: requests ${seconds(requestsDoneAt - started)}, then every trail and email settled in ${seconds(settledMs)}; scenario ${seconds(Date.now() - started)}`,
        ];
        recordFigures('faults-scale-out', { title: `scale-out: 2 APIs behind nginx and 2 workers, one of each SIGKILLed under ${REQUESTS} requests`, lines });
        if (client.problems.length || problems.length || lost.length || duplicatedCases || untold.length || notRunning.length) failed = true;

        expect(kills.map((k) => k.signal)).toEqual(['SIGKILL', 'SIGKILL']);
        expect(client.problems).toEqual([]);
        // Success, or "try again": 503 (from nginx or an API whose workflow did not answer) and 409 REQUEST_IN_PROGRESS.
        expect([...client.statuses.keys()].filter((s) => !['200', '201', '409 REQUEST_IN_PROGRESS'].includes(s) && !s.startsWith('503'))).toEqual([]);
        expect(problems).toEqual([]);
        expect(lost).toEqual([]);
        expect(duplicatedCases).toBe(0);
        expect(untold).toEqual([]);
        expect(toldIds.size).toBe(CASES);
        expect(notRunning).toEqual([]);
        expect(auditLost).toBe(0);
        expect(auditDuplicated).toBe(0);
        expect(contiguous).toBe(rows.length);
        expect(emailsLost).toBe(0);
        expect(emailsUnexpected + foreign.length).toBe(0);
        expect(emailRowsNotSent).toBe(0);
        expect(redeliveries).toBeLessThanOrEqual(workerKill?.emailsNotSent ?? 0);
        // The survivors answered after the kill, through nginx.
        expect(perUpstream.get(`127.0.0.1:${apiPorts[1]}`) ?? 0).toBeGreaterThan(0);
      }),
    RUNNER_CAP_MS,
  );
});
