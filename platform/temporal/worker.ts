import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger as TemporalLogger, LogLevel, LogMetadata } from '@temporalio/common';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { AppConfig } from '../config.js';
import { connectionOptions } from './connection.js';

type TemporalConfig = AppConfig['temporal'];

/** Activities run at once per worker; the worker process's database pool has as many connections. */
export const WORKER_ACTIVITY_CONCURRENCY = 20;

/** The workflow bundle's entry point, as TypeScript source (run through tsx in development). */
export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));
/** Failure messages and stack traces encoded (so encrypted): see failure-converter.cjs. In the bundle and the worker alike. */
export const FAILURE_CONVERTER_PATH = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));

/**
 * The workflow interceptor that carries trace context from workflow starts and Updates into the
 * activities (workflows/kit/trace-context.ts), always in the bundle: it only copies a header, so one
 * bundle serves workers with and without tracing and histories replay unchanged (test/replay runs
 * this bundle).
 */
export const TRACE_CONTEXT_INTERCEPTORS_PATH = fileURLToPath(new URL('../../workflows/kit/trace-context.ts', import.meta.url));

/**
 * Bundles the workflow sources once (webpack, a couple of seconds). Workflow files import each
 * other with `.js` specifiers (NodeNext); the SDK's bundler resolves them to `.ts` itself
 * (`resolve.extensionAlias` in @temporalio/worker 1.24), so no webpack hook is needed.
 */
export async function bundleWorkflows(opts: { logger?: Logger } = {}): Promise<{ code: string }> {
  // Webpack's per-module statistics are logged at INFO: without a logger, keep warnings only.
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, workflowInterceptorModules: [TRACE_CONTEXT_INTERCEPTORS_PATH], failureConverterPath: FAILURE_CONVERTER_PATH, logger: opts.logger ? temporalLogger(opts.logger) : new DefaultLogger('WARN') });
}

/**
 * The worker's build id, from its workflow bundle: `ec-` and the first 12 hex digits of the code's
 * SHA-256 (48 bits: unique across any number of builds one deployment sees). Every workflow task's
 * completion carries it (binaryChecksum; on newer servers also each task's workerVersion), so it is
 * kept short: the SDK's default, `@temporalio/worker@<version>+<the whole hash>`, is 89 characters
 * (about 1.3 KB of a case walk's history, issue 14). It names the same bundle the default named;
 * nothing here uses worker versioning, and operators read the SDK version from the completions'
 * sdkMetadata.
 */
export function workerBuildId(code: string): string {
  return `ec-${crypto.createHash('sha256').update(code).digest('hex').slice(0, 12)}`;
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
