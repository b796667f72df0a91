import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Logger } from 'pino';

/**
 * Prometheus metrics (README: "Metrics and traces"). Every process has registries of its own
 * (tests run several API and worker instances in one process); the Node process metrics (CPU,
 * memory, event-loop lag, GC) are one registry per process, added to every scrape.
 *
 * Labels carry enums only (tier, target, route template, status): never ids, numbers, names or phones.
 */
export const METRICS_PREFIX = 'estate_care_';

export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

let processRegistry: Registry | undefined;
/** The process's default metrics (`process_*`, `nodejs_*`), registered once however many apps it runs. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export function createMetricsRegistry(): Registry {
  return new Registry();
}

/**
 * The text of one scrape: the process's metrics, then each registry, then `extra` (the Temporal
 * SDK's own metrics, read from its exporter), each part ending in a newline.
 */
export async function metricsText(registries: Registry[], extra?: () => Promise<string>): Promise<string> {
  const parts = await Promise.all([processMetrics(), ...registries].map((r) => r.metrics()));
  if (extra) parts.push(await extra().catch(() => ''));
  return parts.map((p) => (p.endsWith('\n') || p === '' ? p : `${p}\n`)).join('');
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * Who may read `/metrics`: with a token, whoever presents it as a bearer token (from anywhere);
 * without one, callers on the loopback interface only (a Prometheus or agent on the same host).
 * `ip` is the caller's address as the server sees it after its trusted proxies, so a request a
 * local reverse proxy forwards from the internet is not "loopback".
 */
export function metricsAccessAllowed(opts: { token: string | undefined; ip: string | undefined; authorization: string | undefined }): boolean {
  if (opts.token) {
    const given = /^Bearer (.+)$/i.exec(opts.authorization ?? '')?.[1] ?? '';
    const a = crypto.createHash('sha256').update(given).digest();
    const b = crypto.createHash('sha256').update(opts.token).digest();
    return crypto.timingSafeEqual(a, b);
  }
  return LOOPBACK.test(opts.ip ?? '');
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * A small HTTP listener for a process without an HTTP server of its own (the worker): `GET /metrics`
 * only. Failing to bind (the port is taken) is logged, never fatal: metrics must not stop a worker.
 */
export async function startMetricsServer(opts: {
  host: string;
  port: number;
  token: string | undefined;
  registries: Registry[];
  extra?: () => Promise<string>;
  logger: Logger;
}): Promise<MetricsServer | null> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    if (!metricsAccessAllowed({ token: opts.token, ip: req.socket.remoteAddress, authorization: req.headers.authorization })) {
      res.writeHead(opts.token ? 401 : 403).end();
      return;
    }
    metricsText(opts.registries, opts.extra).then(
      (text) => res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' }).end(text),
      (err: unknown) => {
        opts.logger.error({ err }, 'Metrics scrape failed');
        res.writeHead(500).end();
      },
    );
  });
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', (err) => {
      opts.logger.error({ err, host: opts.host, port: opts.port }, 'Metrics listener failed to start; running without /metrics');
      resolve(false);
    });
    server.listen(opts.port, opts.host, () => resolve(true));
  });
  if (!listening) return null;
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Reads the Temporal SDK's Prometheus exporter (bound to loopback by the worker) for `/metrics`. */
export function temporalSdkMetrics(bindAddress: string): () => Promise<string> {
  return async () => {
    const res = await fetch(`http://${bindAddress}/metrics`, { signal: AbortSignal.timeout(2_000) });
    return res.ok ? res.text() : '';
  };
}
