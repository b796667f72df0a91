import path from 'node:path';
import { Runtime, type Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { loadConfig } from './platform/config.js';
import { createDb } from './platform/db.js';
import { createLogger } from './platform/logger.js';
import { createMailer } from './platform/mail.js';
import { buildWorkflowBundle, bundleWorkflows, connectWithRetry, temporalLogger, WORKER_ACTIVITY_CONCURRENCY } from './platform/temporal/worker.js';
import { createAppWorker } from './activities/worker.js';
import { createSlaMetrics } from './activities/platform/sla-metrics.js';
import { createMetricsRegistry, startMetricsServer, temporalSdkMetrics } from './platform/metrics.js';
import { freePort } from './platform/ports.js';
import { installTracing } from './platform/tracing.js';
import { missingWorkerRuntime } from './platform/worker-runtime.mjs';

/**
 * The Temporal worker process: runs every workflow and activity on the configured task queue.
 *
 *   tsx worker.ts                          bundle the workflow sources at start and run
 *   WORKFLOW_BUNDLE_PATH=… tsx worker.ts    run a prebuilt bundle (production)
 *   tsx worker.ts bundle [out]             write the bundle (default dist/workflow-bundle.js) and exit
 */
const config = loadConfig();
const logger = createLogger({ name: 'worker', level: config.logLevel });

if (process.argv[2] === 'bundle') {
  const out = await buildWorkflowBundle(process.argv[3] ?? path.join('dist', 'workflow-bundle.js'), { logger });
  logger.info({ out }, 'Workflow bundle written');
  process.exit(0);
}

// The memory settings are applied when the process is launched (`npm run worker`, `npm start`:
// platform/worker-runtime.mjs); a worker started otherwise runs with the runtime's defaults, which
// on Node 24 held 10,000 waiting leads in ~900 MiB instead of < 512 (bench/README.md).
const missingRuntime = missingWorkerRuntime(config.worker.runtime);
if (missingRuntime.length)
  logger.warn(
    { missing: missingRuntime },
    `Worker launched without its memory settings (${missingRuntime.join(' ')}): start it with \`npm run worker\` (platform/worker-runtime.mjs)`,
  );

// The Temporal SDK's own metrics (polls, task latencies, slots, sticky cache) come from its
// Prometheus exporter on a loopback port of its own; the worker's /metrics reads and appends them,
// so Prometheus scrapes one target per worker.
const metricsEnabled = config.metrics.workerPort > 0;
const sdkMetricsAddress = metricsEnabled ? `127.0.0.1:${await freePort()}` : null;

// Signals are handled below (they must also interrupt the connect retries), not by the Runtime.
// The Rust core's own warnings (e.g. polls retrying while the server is away) join the JSON log.
Runtime.install({
  logger: temporalLogger(logger),
  shutdownSignals: [],
  telemetryOptions: {
    logging: { forward: {}, filter: { core: 'WARN', other: 'WARN' } },
    ...(sdkMetricsAddress ? { metrics: { prometheus: { bindAddress: sdkMetricsAddress, countersTotalSuffix: true, useSecondsForDurations: true } } } : {}),
  },
});

const tracing = installTracing(config, 'estate-care-worker');
const metricsRegistry = createMetricsRegistry();
const slaMetrics = createSlaMetrics(metricsRegistry);
const metricsServer = metricsEnabled
  ? await startMetricsServer({
      host: config.metrics.workerHost,
      port: config.metrics.workerPort,
      token: config.metrics.token,
      registries: [metricsRegistry],
      ...(sdkMetricsAddress ? { extra: temporalSdkMetrics(sdkMetricsAddress) } : {}),
      logger,
    })
  : null;
if (metricsServer) logger.info({ url: metricsServer.url }, 'Worker metrics listening');

const db = createDb(config.databaseUrl, { max: WORKER_ACTIVITY_CONCURRENCY });
const mailer = createMailer({ db, smtpUrl: config.mail.smtpUrl, from: config.mail.from, logger });
const stopping = new AbortController();
let worker: Worker | null = null;

function requestShutdown(signal: NodeJS.Signals) {
  if (stopping.signal.aborted) {
    logger.warn({ signal }, 'Second signal: exiting now');
    process.exit(130);
  }
  logger.info({ signal }, 'Worker stopping, finishing tasks in flight');
  stopping.abort(new Error(`received ${signal}`));
  if (worker?.getState() === 'RUNNING') worker.shutdown();
}
process.on('SIGINT', requestShutdown);
process.on('SIGTERM', requestShutdown);

const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
const workflowBundle: WorkflowBundleOption = bundlePath ? { codePath: path.resolve(bundlePath) } : await bundleWorkflows({ logger });

let restartDelayMs = 1000;
while (!stopping.signal.aborted) {
  const connection = await connectWithRetry(config.temporal, { logger, signal: stopping.signal }).catch(() => null);
  if (!connection) break;
  let startedAt = 0;
  try {
    worker = await createAppWorker({ config, db, mailer, logger, connection, workflowBundle, metrics: slaMetrics });
    if (stopping.signal.aborted) {
      // Asked to stop while the worker was being created: a created worker holds native resources
      // (and its connection) until it has run and shut down, so do exactly that.
      const running = worker.run();
      worker.shutdown();
      await running.catch(() => undefined);
      break;
    }
    logger.info(
      {
        address: config.temporal.address,
        namespace: config.temporal.namespace,
        taskQueue: config.temporal.taskQueue,
        mailTransport: mailer.transport,
        maxCachedWorkflows: worker.options.maxCachedWorkflows,
        ...config.worker.runtime,
      },
      `Worker started on task queue ${config.temporal.taskQueue}`,
    );
    startedAt = Date.now();
    await worker.run();
    if (!stopping.signal.aborted) throw new Error('worker stopped without a shutdown request');
  } catch (err) {
    if (stopping.signal.aborted) break;
    // A worker that ran for a while before failing starts again from a short backoff.
    if (startedAt && Date.now() - startedAt > 60_000) restartDelayMs = 1000;
    logger.error({ err, retryInMs: restartDelayMs }, 'Worker failed, restarting');
    await new Promise((r) => setTimeout(r, restartDelayMs));
    restartDelayMs = Math.min(restartDelayMs * 2, 30_000);
  } finally {
    worker = null;
    await connection.close().catch(() => undefined);
  }
}

mailer.close();
await metricsServer?.close();
await tracing?.shutdown();
await db.$disconnect();
logger.info('Worker stopped');
// The native runtime's threads must not keep a stopped worker alive.
process.exit(0);
