import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { inject } from 'vitest';
import { symbols as pinoSymbols, type DestinationStream } from 'pino';
import { createApp } from '../../api/app.js';
import { loadConfig, type AppConfig } from '../../platform/config.js';
import type { Db } from '../../platform/db.js';
import { createLogger } from '../../platform/logger.js';
import { createMailer, type Mailer } from '../../platform/mail.js';
import { TemporalGateway } from '../../platform/temporal/connection.js';
import { startDevServer, type DevServer } from '../../platform/temporal/dev-server.js';
import type { Worker } from '@temporalio/worker';
import { bundleWorkflows } from '../../platform/temporal/worker.js';
import { createAppWorker } from '../../activities/worker.js';
import { seedDemo, type SeedResult } from '../../prisma/seed.js';
import { createTestDatabase } from './database.js';
import { freePort } from '../../platform/ports.js';
import { createMetricsRegistry, startMetricsServer, temporalSdkMetrics, type MetricsServer } from '../../platform/metrics.js';
import { createSlaMetrics } from '../../activities/platform/sla-metrics.js';
import { installTracing } from '../../platform/tracing.js';
export { freePort };

/**
 * The fixed payload encryption keys of every test stack (TEMPORAL_PAYLOAD_KEYS): a test reading a
 * history (or a client of its own) decrypts with them. Test data only; never a real key.
 */
export const TEST_PAYLOAD_KEY_ID = 'test-2026';
export const TEST_PAYLOAD_KEYS = `${TEST_PAYLOAD_KEY_ID}:${Buffer.alloc(32, 'estate-care test payload key 1').toString('base64')}`;

export interface TestStack {
  baseUrl: string;
  db: Db;
  databaseUrl: string;
  config: AppConfig;
  mailer: Mailer;
  temporal: TemporalGateway;
  devServer: DevServer | null;
  /** The application's Temporal worker running in this process (`worker: true`). */
  worker: Worker | null;
  /** The worker's `GET /metrics` URL (`worker: true`), as worker.ts serves it on WORKER_METRICS_PORT. */
  workerMetricsUrl: string | null;
  seed: SeedResult | null;
  /** Logs in and returns a bearer token. */
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export interface TestStackOptions {
  seed?: boolean;
  /** Start a Temporal dev server (in memory, headless) for this stack. */
  temporal?: boolean;
  smtpUrl?: string;
  env?: Record<string, string>;
  /**
   * Run the application's Temporal worker (every workflow and activity) in this process, against
   * the stack's database and mailer. Needs `temporal: true` (or a reachable TEMPORAL_ADDRESS in `env`).
   */
  worker?: boolean;
  /**
   * Receives the API's log lines (JSON, one per write) instead of stdout. The logger is still the
   * production one from createLogger (level, redaction, fields); only its destination changes.
   * Pair with `env: { LOG_LEVEL: 'info' }`, since the default test level is silent.
   */
  logStream?: DestinationStream;
  /**
   * Where the process's Temporal Runtime exports its Prometheus metrics (`host:port`, when the test
   * installed the Runtime with one): the worker's /metrics appends them, as worker.ts does.
   */
  sdkMetricsAddress?: string;
}

/**
 * The real API (Express app, Prisma on a fresh PostgreSQL database, optionally a Temporal dev
 * server) listening on a free loopback port.
 */
export async function startTestStack(opts: TestStackOptions = {}): Promise<TestStack> {
  const database = await createTestDatabase();
  const devServer = opts.temporal
    ? await startDevServer({ cli: inject('temporalCli'), port: await freePort(), headless: true })
    : null;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: devServer?.address ?? `127.0.0.1:${await freePort()}`,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    TEMPORAL_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    CRM_DEMO_PASSWORD: 'demo',
    LOG_LEVEL: 'silent',
    ...(opts.smtpUrl ? { SMTP_URL: opts.smtpUrl } : {}),
    ...opts.env,
  });
  const logger = createLogger({ name: 'api-test', level: config.logLevel });
  // pino.symbols is pino's documented integration hook; child loggers (pino-http's per-request
  // ones) look the stream up through their prototype, so they write here too.
  if (opts.logStream) (logger as unknown as Record<symbol, unknown>)[pinoSymbols.streamSym] = opts.logStream;
  const temporal = new TemporalGateway(config.temporal);
  const mailer = createMailer({ db: database.db, smtpUrl: config.mail.smtpUrl, from: config.mail.from, logger });
  const seed = opts.seed ? await seedDemo(database.db, { password: 'demo' }) : null;
  // With OTEL_EXPORTER_OTLP_ENDPOINT in `env`: this process traces, as api/server.ts and worker.ts do.
  const tracing = installTracing(config, 'estate-care-test');
  const workerMetrics = opts.worker ? createMetricsRegistry() : null;
  const worker = workerMetrics
    ? await createAppWorker({
        config,
        db: database.db,
        mailer,
        logger,
        workflowBundle: await workflowBundleOnce(),
        metrics: createSlaMetrics(workerMetrics),
        workerOptions: { shutdownGraceTime: '2 seconds' },
      })
    : null;
  const metricsServer: MetricsServer | null = workerMetrics
    ? await startMetricsServer({
        host: '127.0.0.1',
        port: 0,
        token: config.metrics.token,
        registries: [workerMetrics],
        ...(opts.sdkMetricsAddress ? { extra: temporalSdkMetrics(opts.sdkMetricsAddress) } : {}),
        logger,
      })
    : null;
  const workerRun = worker?.run();
  // A worker that dies mid-test surfaces in close(), not as an unhandled rejection.
  workerRun?.catch(() => undefined);
  const app = createApp({ config, db: database.db, temporal, mailer, logger });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    db: database.db,
    databaseUrl: database.url,
    config,
    mailer,
    temporal,
    devServer,
    worker,
    workerMetricsUrl: metricsServer?.url ?? null,
    seed,
    async login(username, password = 'demo') {
      const res = await fetch(`${baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
    async close() {
      // Let requests in flight finish before Temporal's connection goes (a console page refreshing
      // itself would otherwise fail mid-query with "Channel has been shut down"); cut what lingers.
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 5_000).unref())]);
      server.closeAllConnections();
      await closed;
      if (worker?.getState() === 'RUNNING') worker.shutdown();
      await workerRun;
      await metricsServer?.close();
      await tracing?.shutdown();
      await temporal.close();
      mailer.close();
      await devServer?.stop();
      await database.drop();
    },
  };
}

let workflowBundle: Promise<{ code: string }> | undefined;
/** Bundling takes seconds: once per test file, shared by its stacks. */
function workflowBundleOnce(): Promise<{ code: string }> {
  workflowBundle ??= bundleWorkflows();
  return workflowBundle;
}
