/**
 * How much an authenticated, scope-narrowed, validated API read costs compared with the bare
 * HTTP floor (/healthz) measured in the same run on the same machine. Prints ratios, never
 * absolute targets: machines are noisy.
 *
 *   npx tsx bench/api-latency.ts [requestsPerEndpoint=400]
 *
 * Uses a throwaway Debian PostgreSQL cluster (as the tests do) and the real Express app.
 */
import { createApp } from '../api/app.js';
import { loadConfig } from '../platform/config.js';
import { generatePayloadKeyEntry } from '../platform/temporal/payload-keys.js';
import { createDb } from '../platform/db.js';
import { createLogger } from '../platform/logger.js';
import { createMailer } from '../platform/mail.js';
import { TemporalGateway } from '../platform/temporal/connection.js';
import { seedDemo } from '../prisma/seed.js';
import { benchDatabase, listenOnLoopback, loginAs } from './support.js';
import { freePort } from '../platform/ports.js';

const N = Number(process.argv[2] ?? 400);
const CONCURRENCY = 8;

async function measure(url: string, headers: Record<string, string>): Promise<{ p50: number; p95: number; rps: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        next++;
        const t = performance.now();
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { p50: latencies[Math.floor(N * 0.5)]!, p95: latencies[Math.floor(N * 0.95)]!, rps: N / seconds };
}

const { pgServer, url } = await benchDatabase();
try {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
    JWT_SECRET: 'x'.repeat(40),
    TEMPORAL_PAYLOAD_KEYS: generatePayloadKeyEntry('bench'),
    LOG_LEVEL: 'silent',
  });
  const db = createDb(url);
  await seedDemo(db, { password: 'demo' });
  const logger = createLogger({ name: 'bench', level: 'silent' });
  const app = createApp({ config, db, temporal: new TemporalGateway(config.temporal), mailer: createMailer({ db, from: 'x', logger }), logger });
  const { base, close } = await listenOnLoopback(app);
  const { authorization } = await loginAs(base, 'supervisor.company');
  const auth = { authorization };

  await measure(`${base}/healthz`, {}); // warm-up
  const baseline = await measure(`${base}/healthz`, {});
  const rows = [
    ['GET /api/projects (auth + scope + 2 queries)', await measure(`${base}/api/projects`, auth)],
    ['GET /api/projects/:id/units?pageSize=50', await measure(`${base}/api/projects/${(await db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } })).id}/units?pageSize=50`, auth)],
    ['GET /api/customers?q=138', await measure(`${base}/api/customers?q=138`, auth)],
  ] as const;
  console.log(`API latency vs /healthz baseline · ${N} requests each, ${CONCURRENCY} concurrent`);
  console.log(`baseline /healthz: p50 ${baseline.p50.toFixed(2)} ms, p95 ${baseline.p95.toFixed(2)} ms, ${baseline.rps.toFixed(0)} req/s`);
  for (const [name, r] of rows)
    console.log(
      `${name.padEnd(46)} p50 ×${(r.p50 / baseline.p50).toFixed(2)}  p95 ×${(r.p95 / baseline.p95).toFixed(2)}  throughput ×${(r.rps / baseline.rps).toFixed(2)}`,
    );
  await close();
  await db.$disconnect();
} finally {
  pgServer.stop();
}
