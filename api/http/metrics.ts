import type { Request, RequestHandler } from 'express';
import { Histogram, type Registry } from 'prom-client';
import { METRICS_PREFIX, metricsAccessAllowed, metricsText, PROMETHEUS_CONTENT_TYPE } from '../../platform/metrics.js';

/**
 * The route a request matched, as declared (`/api/cases/:id`), never the URL it was called with:
 * ids stay out of labels, and the label's values stay few. Requests no route declared (static files,
 * the console's pages, unknown paths) share one value each.
 */
export function routeTemplate(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl ?? ''}${route.path}`;
  if (route) return 'console';
  return req.path.startsWith('/api/') ? 'unmatched' : 'static';
}

/** Times every request by method, route template and status (`estate_care_http_request_duration_seconds`). */
export function httpMetrics(registry: Registry): RequestHandler {
  const duration = new Histogram({
    name: `${METRICS_PREFIX}http_request_duration_seconds`,
    help: 'HTTP requests by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      duration.observe({ method: req.method, route: routeTemplate(req), status: String(res.statusCode) }, seconds);
    });
    next();
  };
}

/**
 * `GET /metrics`: loopback callers, or anyone with `METRICS_TOKEN` as a bearer token when it is set
 * (platform/metrics.ts). `req.ip` follows the app's `trust proxy`, so a request a local proxy
 * forwards is judged by its real client.
 */
export function metricsEndpoint(registries: Registry[], token: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (!metricsAccessAllowed({ token, ip: req.ip, authorization: req.headers.authorization })) {
      res.status(token ? 401 : 403).end();
      return;
    }
    metricsText(registries).then((text) => res.setHeader('Cache-Control', 'no-store').type(PROMETHEUS_CONTENT_TYPE).send(text), next);
  };
}
