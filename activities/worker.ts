import fs from 'node:fs/promises';
import { NativeConnection, Worker, type WorkerOptions, type WorkflowBundleOption } from '@temporalio/worker';
import { OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { Logger } from 'pino';
import type { AppConfig } from '../platform/config.js';
import type { Db } from '../platform/db.js';
import type { Mailer } from '../platform/mail.js';
import { TemporalGateway } from '../platform/temporal/connection.js';
import { appDataConverter } from '../platform/temporal/payload-codec.js';
import { bundleWorkflows, FAILURE_CONVERTER_PATH, nativeConnectionOptions, WORKER_ACTIVITY_CONCURRENCY, workerBuildId } from '../platform/temporal/worker.js';
import { createActivities } from './index.js';
import type { SlaMetrics } from './platform/sla-metrics.js';

export interface AppWorkerDeps {
  config: AppConfig;
  db: Db;
  mailer: Mailer;
  logger: Logger;
  /** An open connection (tests, or worker.ts after its retries); otherwise one is opened here. */
  connection?: NativeConnection;
  /**
   * Prebuilt workflow code: `{ codePath }` of a bundle written by `buildWorkflowBundle`, or
   * `{ code }` from `bundleWorkflows()` reused across workers. Without it the sources are bundled.
   */
  workflowBundle?: WorkflowBundleOption;
  /** The SLA counters (`createSlaMetrics` on the process's metrics registry, made once per process). */
  metrics?: SlaMetrics;
  /** Overrides for tests (e.g. a prebuilt `workflowBundle: { code }`, a shorter grace time). */
  workerOptions?: Partial<WorkerOptions>;
}

/**
 * The application's worker: every workflow under workflows/ and every activity from
 * activities/, on the configured namespace and task queue. Activities get a Temporal client of
 * their own (a sale's defects start case workflows), closed once `run()` settles; so is the
 * connection when the worker opened it itself.
 */
export async function createAppWorker(deps: AppWorkerDeps): Promise<Worker> {
  const connection = deps.connection ?? (await NativeConnection.connect(await nativeConnectionOptions(deps.config.temporal)));
  // Lazy: connects on the first activity that needs it, so a worker never waits for it to start.
  const temporal = new TemporalGateway(deps.config.temporal);
  try {
    // The bundle's code names the build (workerBuildId); without a prebuilt bundle, it is built here.
    const given = deps.workerOptions?.workflowBundle ?? deps.workflowBundle;
    const code = given ? ('code' in given ? given.code : await fs.readFile(given.codePath, 'utf8')) : (await bundleWorkflows({ logger: deps.logger })).code;
    const worker = await Worker.create({
      connection,
      namespace: deps.config.temporal.namespace,
      taskQueue: deps.config.temporal.taskQueue,
      workflowBundle: given ?? { code },
      buildId: workerBuildId(code),
      activities: createActivities({ db: deps.db, mailer: deps.mailer, logger: deps.logger, temporal, ...(deps.metrics ? { metrics: deps.metrics } : {}) }),
      // Payloads are decrypted and encrypted here, outside the workflow sandbox; the failure
      // converter (message and stack trace into an encrypted payload) also runs inside it, so the
      // bundle must include it (bundleWorkflows does).
      dataConverter: { ...appDataConverter(deps.config.temporal.payloadKeys), failureConverterPath: FAILURE_CONVERTER_PATH },
      // Lets an email or audit write in flight finish on SIGTERM before its task is abandoned.
      shutdownGraceTime: '10 seconds',
      // Activities hold database connections: no more at once than the worker's pool has
      // (worker.ts), or bursts of timers fail transactions waiting for a connection (P2028) and
      // only succeed on retry (seen in bench/cases.ts with the SDK's default of 100).
      maxConcurrentActivityTaskExecutions: WORKER_ACTIVITY_CONCURRENCY,
      // Memory: the sticky cache is bounded explicitly (WORKER_MAX_CACHED_WORKFLOWS, platform/config.ts),
      // not left at the SDK's default, which grows with the heap limit (2,310 workflows ≈ 1.2 GiB here).
      maxCachedWorkflows: deps.config.worker.maxCachedWorkflows,
      // Traces (platform/tracing.ts): the workflow interceptor (in the bundle) passes the trace context
      // of a start or Update to the activities, whose interceptors continue it; a no-op without a
      // tracer provider.
      interceptors: {
        // The workflow side is in the bundle (bundleWorkflows).
        activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
      },
      ...deps.workerOptions,
    });
    const run = worker.run.bind(worker);
    worker.run = () =>
      run().finally(async () => {
        await temporal.close();
        if (!deps.connection) await connection.close();
      });
    return worker;
  } catch (err) {
    await temporal.close();
    if (!deps.connection) await connection.close().catch(() => undefined);
    throw err;
  }
}

