import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger as TemporalLogger, LogLevel, LogMetadata } from '@temporalio/common';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker, type NativeConnectionOptions, type WorkerOptions, type WorkflowBundleOption } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities } from '../../activities/index.js';
import type { AppConfig } from '../config.js';
import type { Db } from '../db.js';
import type { Mailer } from '../mail.js';
import { connectionOptions, TemporalGateway } from './connection.js';
import { appDataConverter } from './payload-codec.js';

type TemporalConfig = AppConfig['temporal'];

/** Activities run at once per worker; the worker process's database pool has as many connections. */
export const WORKER_ACTIVITY_CONCURRENCY = 20;

/** The workflow bundle's entry point, as TypeScript source (run through tsx in development). */
export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));
/** Failure messages and stack traces encoded (so encrypted): see failure-converter.cjs. In the bundle and the worker alike. */
export const FAILURE_CONVERTER_PATH = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));

/**
 * Bundles the workflow sources once (webpack, a couple of seconds). Workflow files import each
 * other with `.js` specifiers (NodeNext); the SDK's bundler resolves them to `.ts` itself
 * (`resolve.extensionAlias` in @temporalio/worker 1.24), so no webpack hook is needed.
 */
export async function bundleWorkflows(opts: { logger?: Logger } = {}): Promise<{ code: string }> {
  // Webpack's per-module statistics are logged at INFO: without a logger, keep warnings only.
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, failureConverterPath: FAILURE_CONVERTER_PATH, logger: opts.logger ? temporalLogger(opts.logger) : new DefaultLogger('WARN') });
}

/** Bundles the workflows and writes the bundle a production worker loads via `WORKFLOW_BUNDLE_PATH`. */
export async function buildWorkflowBundle(outFile: string, opts: { logger?: Logger } = {}): Promise<string> {
  const { code } = await bundleWorkflows(opts);
  const target = path.resolve(outFile);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, code);
  return target;
}

/** The client connection settings mapped to the worker's native (Rust core) connection. */
export async function nativeConnectionOptions(t: TemporalConfig): Promise<NativeConnectionOptions> {
  const c = await connectionOptions(t);
  return {
    address: c.address,
    ...(c.tls !== undefined ? { tls: c.tls } : {}),
    ...(c.apiKey !== undefined && typeof c.apiKey === 'string' ? { apiKey: c.apiKey } : {}),
    ...(c.metadata ? { metadata: c.metadata } : {}),
  };
}

/**
 * Connects the worker to Temporal, waiting for a server that is not up yet (the worker often
 * starts alongside it) with capped exponential backoff instead of crashing. Gives up only when
 * `signal` aborts (shutdown requested).
 */
export async function connectWithRetry(
  t: TemporalConfig,
  opts: { logger: Logger; signal?: AbortSignal; initialDelayMs?: number; maxDelayMs?: number },
): Promise<NativeConnection> {
  const options = await nativeConnectionOptions(t);
  let delay = opts.initialDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    opts.signal?.throwIfAborted();
    try {
      const connection = await NativeConnection.connect(options);
      if (attempt > 1) opts.logger.info({ address: t.address, attempt }, 'Connected to Temporal');
      return connection;
    } catch (err) {
      opts.logger.warn(
        { address: t.address, attempt, retryInMs: delay, err: (err as Error).message },
        'Temporal not reachable yet, retrying',
      );
    }
    await abortableDelay(delay, opts.signal);
    delay = Math.min(delay * 2, opts.maxDelayMs ?? 15_000);
  }
}

function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
}

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
    const worker = await Worker.create({
      connection,
      namespace: deps.config.temporal.namespace,
      taskQueue: deps.config.temporal.taskQueue,
      ...(deps.workflowBundle ? { workflowBundle: deps.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
      activities: createActivities({ db: deps.db, mailer: deps.mailer, logger: deps.logger, temporal }),
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

/** Routes the Temporal SDK's own log lines (worker state, bundling, workflow `log`) into pino. */
export function temporalLogger(logger: Logger): TemporalLogger {
  const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
    TRACE: 'trace',
    DEBUG: 'debug',
    INFO: 'info',
    WARN: 'warn',
    ERROR: 'error',
  };
  const log = (level: LogLevel, message: string, meta?: LogMetadata) => logger[levels[level]]({ ...meta }, message);
  return {
    log,
    trace: (m, meta) => log('TRACE', m, meta),
    debug: (m, meta) => log('DEBUG', m, meta),
    info: (m, meta) => log('INFO', m, meta),
    warn: (m, meta) => log('WARN', m, meta),
    error: (m, meta) => log('ERROR', m, meta),
  };
}
