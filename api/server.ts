import { loadConfig } from '../platform/config.js';
import { createDb } from '../platform/db.js';
import { createLogger } from '../platform/logger.js';
import { createMailer } from '../platform/mail.js';
import { TemporalGateway } from '../platform/temporal/connection.js';
import { installTracing } from '../platform/tracing.js';
import { createApp } from './app.js';
import { finishAbandonedOpenings } from '../app/recovery/abandoned-openings.js';

const config = loadConfig();
const logger = createLogger({ name: 'api', level: config.logLevel });
const tracing = installTracing(config, 'estate-care-api');
const db = createDb(config.databaseUrl);
const temporal = new TemporalGateway(config.temporal);
const mailer = createMailer({ db, smtpUrl: config.mail.smtpUrl, from: config.mail.from, logger });
const app = createApp({ config, db, temporal, mailer, logger });

const server = app.listen(config.port, config.host, () => {
  logger.info({ port: config.port, host: config.host }, `API listening on http://${config.host}:${config.port}`);
});
// Openings whose API died between the row and the workflow's start, never retried: every API
// sweeps them (starting is idempotent, so two sweeps agree) every 60–70 s (a random part per
// process, so that the processes spread out).
const SWEEP_EVERY_MS = 60_000;
let sweeping = false;
const sweep = setInterval(() => {
  if (sweeping) return;
  sweeping = true;
  finishAbandonedOpenings({ db, temporal, logger }, { now: Date.now() })
    .catch((err: unknown) => logger.warn({ err: { message: (err as Error).message } }, 'sweep of abandoned openings failed'))
    .finally(() => (sweeping = false));
}, SWEEP_EVERY_MS + Math.floor(Math.random() * 10_000));
sweep.unref();

server.on('error', (err) => {
  logger.fatal({ err }, 'API failed to listen');
  process.exit(1);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'API shutting down');
  clearInterval(sweep);
  server.close();
  server.closeIdleConnections();
  setTimeout(() => server.closeAllConnections(), 5000).unref();
  await temporal.close();
  mailer.close();
  await db.$disconnect();
  await tracing?.shutdown();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
