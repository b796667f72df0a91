import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { rateLimit } from 'express-rate-limit';
import swaggerUi from 'swagger-ui-express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { pingDb } from '../platform/db.js';
import { ROOT } from '../platform/tools.js';
import type { ApiDeps } from './context.js';
import { authenticate } from './auth/authenticate.js';
import { registerAuthRoutes } from './auth/routes.js';
import { authError } from '../app/auth/errors.js';
import { workOrderError } from '../app/repairs/errors.js';
import { httpError } from './http/error-catalogue.js';
import { preferredLang, problemBody, problemHandler } from './http/errors.js';
import { createRegistry, generateDocument } from './http/openapi.js';
import { registerOrgRoutes } from './org/routes.js';
import { registerUserRoutes } from './users/routes.js';
import { registerCustomerRoutes } from './customers/routes.js';
import { registerOutboxRoutes } from './outbox/routes.js';
import { registerCaseRoutes } from './cases/routes.js';
import { registerEscalationRoutes } from './escalations/routes.js';
import { registerSettingsRoutes } from './settings/routes.js';
import { registerReportRoutes } from './reports/routes.js';
import { registerHomeRoutes } from './home/routes.js';
import { registerLeadRoutes } from './leads/routes.js';
import { registerSaleRoutes } from './sales/routes.js';
import { registerRecordViewRoutes } from './record-views/routes.js';
import { registerSearchRoutes } from './search/routes.js';
import { registerWorkOrderRoutes } from './repairs/routes.js';
import { CODEC_BASE_PATH, codecCors } from './temporal-codec/codec-cors.js';
import { registerTemporalCodecRoutes } from './temporal-codec/routes.js';
import { httpMetrics, metricsEndpoint, routeTemplate } from './http/metrics.js';
import { createMetricsRegistry } from '../platform/metrics.js';
import { traceHttpRequest } from '../platform/tracing.js';
import { registerReadModelGauges } from '../app/metrics/read-model-gauges.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Paths whose last segment is a credential: an owner's one-time sign-off link, as the API and the
 * console's page receive it. Logged with the segment replaced, so no log line can sign anything.
 */
const SECRET_PATH = /^(\/api\/sign-off\/|\/sign\/)[^/?#]+/;
export const loggablePath = (url: string) => (url.split('?')[0] ?? '').replace(SECRET_PATH, '$1:token');

/** Every API route: registered on `routes`, and described in `registry` for the OpenAPI document. */
export function registerApiRoutes(routes: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  registerAuthRoutes(routes, registry, deps);
  registerOrgRoutes(routes, registry, deps);
  registerUserRoutes(routes, registry, deps);
  registerCustomerRoutes(routes, registry, deps);
  registerOutboxRoutes(routes, registry, deps);
  registerCaseRoutes(routes, registry, deps);
  registerWorkOrderRoutes(routes, registry, deps);
  registerEscalationRoutes(routes, registry, deps);
  registerLeadRoutes(routes, registry, deps);
  registerSaleRoutes(routes, registry, deps);
  registerSettingsRoutes(routes, registry, deps);
  registerReportRoutes(routes, registry, deps);
  registerHomeRoutes(routes, registry, deps);
  registerRecordViewRoutes(routes, registry, deps);
  registerSearchRoutes(routes, registry, deps);
  registerTemporalCodecRoutes(routes, registry, deps);
}

/**
 * The OpenAPI document as `/api/openapi.json` serves it, built without serving anything: route
 * registration only keeps `deps` for the handlers, so a test may pass stand-ins that are never called.
 */
export function buildApiDocument(deps: ApiDeps): ReturnType<typeof generateDocument> {
  const registry = createRegistry();
  registerApiRoutes(Router(), registry, deps);
  return generateDocument(registry);
}

/** Builds the whole HTTP application from its dependencies; `api/server.ts` only listens. */
export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple');

  const metrics = createMetricsRegistry();
  registerReadModelGauges(metrics, deps.db);
  app.use(httpMetrics(metrics));
  app.use((req, res, next) => traceHttpRequest(req, res, () => routeTemplate(req), next));

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : crypto.randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Query strings can carry search terms (names, phone numbers): log the path only, and a
      // one-time link's token not even there.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: loggablePath(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics' },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
        },
      },
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/metrics', metricsEndpoint([metrics], deps.config.metrics.token));
  app.get('/readyz', async (_req, res) => {
    const [database, temporal] = await Promise.all([pingDb(deps.db), deps.temporal.ping()]);
    const ok = database && temporal;
    res.status(ok ? 200 : 503).json({
      status: ok ? 'ok' : 'unavailable',
      checks: { database: database ? 'ok' : 'down', temporal: temporal ? 'ok' : 'down' },
    });
  });

  // The Temporal Web UI calls the codec from its own origin, and sends a whole event's payloads
  // (up to Temporal's 2 MB per payload) at once: CORS and a larger body limit for these routes only.
  app.use(CODEC_BASE_PATH, codecCors(deps.config.temporal.codecCorsOrigins), express.json({ limit: '8mb', strict: true }));

  const api = Router();
  // API answers carry personal data and tokens: no browser or proxy may keep a copy.
  api.use((req, res, next) => {
    if (req.path.startsWith('/api/')) res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use(express.json({ limit: '256kb', strict: true }));
  api.use(
    '/api/auth/login',
    rateLimit({
      windowMs: 60_000,
      limit: deps.config.login.ratePerMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (req, _res, next) => next(authError('LOGIN_RATE_LIMITED')),
    }),
  );
  // An owner's sign-off link is guessed no faster than a password.
  api.use(
    '/api/sign-off',
    rateLimit({
      windowMs: 60_000,
      limit: deps.config.login.ratePerMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, _res, next) => next(workOrderError('SIGN_OFF_LINK_RATE_LIMITED')),
    }),
  );
  api.use(authenticate(deps));

  const registry = createRegistry();
  const routes = Router();
  registerApiRoutes(routes, registry, deps);
  const document = generateDocument(registry);

  app.get('/api/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use(
    '/api/docs',
    helmet({ contentSecurityPolicy: { directives: { scriptSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] } } }),
    swaggerUi.serve,
    swaggerUi.setup(document, { customSiteTitle: 'Estate Care API' }),
  );
  app.use(api);
  app.use(routes);
  app.use('/api', (req, _res, next) => next(httpError('ROUTE_NOT_FOUND', { method: req.method, path: req.originalUrl.split('?')[0] ?? '' })));

  // The console: a static single-page app built by Vite into console/dist.
  const consoleDir = path.join(ROOT, 'console', 'dist');
  app.use(express.static(consoleDir, { index: false, maxAge: '1h', setHeaders: noCacheHtml }));
  app.get(/^(?!\/api\/).*/, (req, res, next) => {
    const index = path.join(consoleDir, 'index.html');
    if (!fs.existsSync(index)) {
      res
        .status(503)
        .type('application/problem+json')
        .send(JSON.stringify(problemBody(httpError('CONSOLE_NOT_BUILT'), { lang: preferredLang(req.headers['accept-language']), instance: req.path })));
      return;
    }
    if (req.accepts('html')) res.setHeader('Cache-Control', 'no-cache').sendFile(index);
    else next();
  });

  app.use(problemHandler);
  return app;
}

function noCacheHtml(res: { setHeader(n: string, v: string): void }, file: string) {
  if (file.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
}
