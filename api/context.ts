import type { Logger } from 'pino';
import type { AppConfig } from '../platform/config.js';
import type { Db } from '../platform/db.js';
import type { TemporalGateway } from '../platform/temporal/connection.js';
import type { Mailer } from '../platform/mail.js';

/** Everything a route needs, passed in explicitly so tests can build the app against real parts. */
export interface ApiDeps {
  config: AppConfig;
  db: Db;
  temporal: TemporalGateway;
  mailer: Mailer;
  logger: Logger;
}
