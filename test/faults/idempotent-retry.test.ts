import crypto from 'node:crypto';
import http from 'node:http';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFigures } from '../support/figures.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { startDropProxy, type DropProxy } from './net-proxy.js';

/**
 * Fault: a client's connection drops before it reads the answer to a create, and it retries with
 * the same Idempotency-Key. Two real TCP drops:
 *  - `answer lost`: a proxy in front of the API forwards the request and resets the client's
 *    connection the moment the answer starts (the server finished the work);
 *  - `client gone`: the client closes its socket right after sending the request (the server is
 *    still working: the retry may meet the in-progress claim).
 * Either way the retry must end with the same record, and the database must hold exactly one.
 * Against the real API, PostgreSQL, a Temporal dev server and the application's worker.
 */
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

const PER_ENDPOINT_AND_VARIANT = 10;
/** Bounded retries: a client that gets nothing in this long has a bug to report, not to wait out. */
const RETRY_BUDGET_MS = 60_000;

let stack: TestStack;
let proxy: DropProxy;
const tokens = new Map<string, string>();
const userIds = new Map<string, string>();
const ids = { bjhy: '', buyer: '', units: [] as string[] };

beforeAll(async () => {
  stack = await startTestStack({ seed: true, temporal: true, worker: true });
  const url = new URL(stack.baseUrl);
  proxy = await startDropProxy({ host: url.hostname, port: Number(url.port) });
  for (const u of ['agent.project', 'sales.project']) {
    tokens.set(u, await stack.login(u));
    userIds.set(u, (await stack.db.user.findUniqueOrThrow({ where: { username: u } })).id);
  }
  ids.bjhy = (await stack.db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } })).id;
  ids.buyer = (await stack.db.customer.findFirstOrThrow({ where: { phone: '13900139002' } })).id;
  ids.units = (await stack.db.unit.findMany({ where: { projectId: ids.bjhy, ownerCustomerId: null, status: 'AVAILABLE' }, orderBy: [{ floor: 'asc' }, { number: 'asc' }], take: 2 * PER_ENDPOINT_AND_VARIANT })).map((u) => u.id);
}, 180_000);

afterAll(async () => {
  await proxy?.close();
  await stack?.close();
}, 60_000);

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/**
 * One POST on a connection of its own (no keep-alive pool, so one drop touches one request).
 * `hangUpAfterSend`: the client closes its socket as soon as the request is written.
 */
function post(base: string, path: string, o: { token: string; key: string; json: unknown; hangUpAfterSend?: boolean }): Promise<RawAnswer> {
  const payload = JSON.stringify(o.json);
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, {
      method: 'POST',
      agent: false,
      headers: {
        authorization: `Bearer ${o.token}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
        'idempotency-key': o.key,
      },
      timeout: 30_000,
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Not JSON: kept as text for the failure message.
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end(payload, () => {
      // Written to the kernel: the request is on its way; the client is gone before any answer.
      if (o.hangUpAfterSend) req.destroy(Object.assign(new Error('client hung up after sending'), { code: 'CLIENT_HUNG_UP' }));
    });
  });
}

type Variant = 'answer lost' | 'client gone';
interface Endpoint {
  name: string;
  path: string;
  user: string;
  body: (marker: string, n: number) => unknown;
  /** How many records of this marker the database holds, and their ids. */
  records: (marker: string, n: number) => Promise<string[]>;
}

let phone = 0;
const phoneOf = (n: number) => `136${String(process.pid % 1000).padStart(3, '0')}${String(n).padStart(5, '0')}`;

const endpoints: Endpoint[] = [
  {
    name: 'POST /api/cases',
    path: '/api/cases',
    user: 'agent.project',
    body: (marker) => ({
      type: 'complaint',
      projectId: ids.bjhy,
      customer: { name: '郑先生', phone: phoneOf(++phone) },
      category: 'complaint.quality.leakage',
      severity: 'minor',
      channel: 'phone',
      description: `卫生间漏水 / leaking bathroom ${marker}`,
    }),
    records: async (marker) => (await stack.db.case.findMany({ where: { description: { endsWith: marker } }, select: { id: true } })).map((r) => r.id),
  },
  {
    name: 'POST /api/leads',
    path: '/api/leads',
    user: 'sales.project',
    body: (marker) => ({ projectId: ids.bjhy, customer: { name: '冯女士', phone: phoneOf(++phone) }, source: 'walk_in', grade: 'B', note: marker }),
    records: async (marker) => (await stack.db.lead.findMany({ where: { note: marker }, select: { id: true } })).map((r) => r.id),
  },
  {
    name: 'POST /api/sales',
    path: '/api/sales',
    user: 'sales.project',
    // A unit of its own per sale: a second sale of the same unit would be refused (409), not duplicated.
    body: (_marker, n) => ({ customerId: ids.buyer, unitId: ids.units[n]!, price: '2350000', deposit: '50000', paymentMethod: 'full' }),
    records: async (_marker, n) => (await stack.db.sale.findMany({ where: { unitId: ids.units[n]! }, select: { id: true } })).map((r) => r.id),
  },
];

interface Tally {
  attempts: number;
  drops: number;
  records: number;
  duplicates: number;
  missing: number;
  /** Retries after the dropped attempt until an answer with the record. */
  retries: number;
  /** Answers of 409 CONFLICT "still being processed" (the server waits ~5 s on a claim before answering so). */
  inProgress: number;
  /** The first request's claim on the key when the retry was sent: still in progress, completed, or none (not yet there, or never run). */
  claimAtRetry: { inProgress: number; completed: number; none: number };
  replayed: number;
  sameRecord: number;
  failures: string[];
}

const isInProgress = (a: RawAnswer) => a.status === 409 && a.body?.code === 'CONFLICT' && a.body?.reason === 'REQUEST_IN_PROGRESS';

/** One logical create: the dropped attempt, then retries with the same key until the record comes back. */
async function createThroughDrop(e: Endpoint, variant: Variant, n: number, tally: Tally) {
  const marker = `idem-${variant === 'answer lost' ? 'a' : 'b'}-${n}-${crypto.randomBytes(3).toString('hex')}`;
  const key = `fault-${marker}`;
  const json = e.body(marker, n);
  const token = tokens.get(e.user)!;

  tally.attempts++;
  proxy.mode = variant === 'answer lost' ? 'drop-on-response' : 'pass';
  const first = await post(variant === 'answer lost' ? proxy.url : stack.baseUrl, e.path, { token, key, json, hangUpAfterSend: variant === 'client gone' }).then(
    (a) => ({ answer: a }),
    (err: Error & { code?: string }) => ({ error: err }),
  );
  proxy.mode = 'pass';
  if ('answer' in first) {
    tally.failures.push(`${e.name} ${variant} #${n}: the first attempt was not dropped (${first.answer.status})`);
    return;
  }
  tally.drops++;

  const claim = await stack.db.idempotentRequest.findUnique({ where: { userId_key: { userId: userIds.get(e.user)!, key } } });
  if (!claim) tally.claimAtRetry.none++;
  else if (claim.status === 0) tally.claimAtRetry.inProgress++;
  else tally.claimAtRetry.completed++;

  const until = Date.now() + RETRY_BUDGET_MS;
  let final: RawAnswer | null = null;
  while (Date.now() < until) {
    tally.attempts++;
    tally.retries++;
    const a = await post(stack.baseUrl, e.path, { token, key, json }).catch(() => null);
    if (a && a.status === 201) {
      final = a;
      break;
    }
    if (a && isInProgress(a)) tally.inProgress++;
    else if (a && a.status !== 503) {
      tally.failures.push(`${e.name} ${variant} #${n}: retry answered ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`);
      break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!final) {
    tally.failures.push(`${e.name} ${variant} #${n}: no 201 within ${RETRY_BUDGET_MS} ms of retries`);
  } else if (final.headers['idempotent-replayed'] === 'true') {
    tally.replayed++;
  }

  const records = await e.records(marker, n);
  tally.records += records.length;
  if (records.length > 1) tally.duplicates += records.length - 1;
  if (records.length === 0) tally.missing++;
  if (final && records.length === 1 && final.body?.id === records[0]) tally.sameRecord++;
  else if (final) tally.failures.push(`${e.name} ${variant} #${n}: answered ${final.body?.id}, database holds ${records.join(', ') || 'nothing'}`);
}

describe('a create retried with the same Idempotency-Key after a dropped connection', () => {
  it('always ends with the same single record, whether the answer was lost or the client left while the server worked', async () => {
    const started = Date.now();
    expect(ids.units).toHaveLength(2 * PER_ENDPOINT_AND_VARIANT);
    const tallies = new Map<string, Tally>();
    for (const e of endpoints)
      for (const variant of ['answer lost', 'client gone'] as Variant[]) {
        const tally: Tally = { attempts: 0, drops: 0, records: 0, duplicates: 0, missing: 0, retries: 0, inProgress: 0, claimAtRetry: { inProgress: 0, completed: 0, none: 0 }, replayed: 0, sameRecord: 0, failures: [] };
        tallies.set(`${e.name} · ${variant}`, tally);
        for (let i = 0; i < PER_ENDPOINT_AND_VARIANT; i++) {
          // Sales take a unit each: the first variant uses units 0…9, the second 10…19.
          const n = (variant === 'answer lost' ? 0 : PER_ENDPOINT_AND_VARIANT) + i;
          await createThroughDrop(e, variant, n, tally);
        }
      }

    const all = [...tallies.values()];
    const sum = (f: (t: Tally) => number) => all.reduce((s, t) => s + f(t), 0);
    recordFigures('fault-idempotent-retry', {
      title: `Creates retried with the same Idempotency-Key after a TCP drop (${PER_ENDPOINT_AND_VARIANT} per endpoint and variant; "answer lost": proxy resets the client when the answer starts; "client gone": client closes right after sending)`,
      lines: [
        ...[...tallies.entries()].map(
          ([name, t]) =>
            `${name.padEnd(30)} attempts ${t.attempts}, drops ${t.drops}, records ${t.records}, duplicates ${t.duplicates}, missing ${t.missing}, retries ${t.retries} (first request at the retry: in progress ${t.claimAtRetry.inProgress}, done ${t.claimAtRetry.completed}, not claimed ${t.claimAtRetry.none}; 409 in progress ${t.inProgress}), replayed ${t.replayed}, same record ${t.sameRecord}/${PER_ENDPOINT_AND_VARIANT}`,
        ),
        `total: ${sum((t) => t.drops)} drops, ${sum((t) => t.records)} records for ${all.length * PER_ENDPOINT_AND_VARIANT} requests, ${sum((t) => t.duplicates)} duplicates; proxy resets ${proxy.drops}; wall time ${((Date.now() - started) / 1000).toFixed(0)} s`,
      ],
    });

    expect(all.flatMap((t) => t.failures)).toEqual([]);
    for (const [name, t] of tallies) {
      expect({ name, drops: t.drops, records: t.records, duplicates: t.duplicates, missing: t.missing, sameRecord: t.sameRecord }).toEqual({
        name,
        drops: PER_ENDPOINT_AND_VARIANT,
        records: PER_ENDPOINT_AND_VARIANT,
        duplicates: 0,
        missing: 0,
        sameRecord: PER_ENDPOINT_AND_VARIANT,
      });
      // The answer was stored before it was lost: every retry is its replay.
      if (name.endsWith('answer lost')) expect(t.replayed, name).toBe(PER_ENDPOINT_AND_VARIANT);
    }
    expect(proxy.drops).toBe(endpoints.length * PER_ENDPOINT_AND_VARIANT);
  }, 420_000);
});
