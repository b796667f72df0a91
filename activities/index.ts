import type { Logger } from 'pino';
import type { Db } from '../platform/db.js';
import type { Mailer } from '../platform/mail.js';
import type { TemporalGateway } from '../platform/temporal/connection.js';
import { createCaseActivities } from './cases/index.js';
import { createCaseRetimeActivities } from './cases/retime.js';
import { createLeadActivities } from './leads/index.js';
import { createStaffDigestActivities } from './notices/digest.js';
import { createAuditActivities } from './platform/audit.js';
import { createSaleActivities } from './sales/index.js';
import { createWorkOrderActivities } from './repairs/index.js';
import type { SlaMetrics } from './platform/sla-metrics.js';

export type * from './cases/index.js';
export type * from './leads/index.js';
export type * from './sales/index.js';
export type * from './repairs/index.js';
export type { AuditEventInput, AuditEventResult } from './platform/audit.js';

export interface ActivityDeps {
  db: Db;
  mailer: Mailer;
  logger: Logger;
  /** A client for activities that start workflows (a sale's defect cases); the worker always passes one. */
  temporal?: TemporalGateway;
  /** The SLA counters of the worker's `/metrics`, counted as audit events are written. */
  metrics?: SlaMetrics;
}

/** Every activity the worker registers, built once over the process's database, mailer and Temporal client. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createAuditActivities(deps),
    ...createCaseActivities(deps),
    ...createCaseRetimeActivities(deps),
    ...createLeadActivities(deps),
    ...createSaleActivities(deps),
    ...createStaffDigestActivities(deps),
    ...createWorkOrderActivities(deps),
  };
}

/** What workflows proxy: `proxyActivities<Activities>()`, imported as a type only. */
export type Activities = ReturnType<typeof createActivities>;
