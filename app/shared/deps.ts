import type { Logger } from 'pino';
import type { Db } from '../../platform/db.js';
import type { TemporalGateway } from '../../platform/temporal/connection.js';

/** What a use case works with: the database, Temporal (to start and update workflows) and a logger. The API and the worker pass theirs. */
export interface AppDeps {
  db: Db;
  temporal: TemporalGateway;
  logger: Logger;
}
