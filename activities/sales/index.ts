import type { Logger } from 'pino';
import type { Db } from '../../platform/db.js';
import type { Mailer } from '../../platform/mail.js';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import type { SaleActivities } from '../../workflows/sales/sale-lifecycle.defs.js';
import { createSaleDefectCaseActivities } from './defect-cases.js';
import { createSaleNotifyActivities } from './notify.js';
import { createSaleProjectionActivities } from './projection.js';

export type { SaleNotice } from './notify.js';

/**
 * The sale workflow's activities: emails to staff and buyers, the read-model projection (units,
 * owner registration, membership credits), and repair cases for defects (audit is shared).
 * `temporal` starts the defect cases' workflows; without it only openDefectCases fails.
 */
export function createSaleActivities(deps: { db: Db; mailer: Mailer; logger: Logger; temporal?: TemporalGateway | undefined }) {
  return {
    ...createSaleNotifyActivities(deps),
    ...createSaleProjectionActivities(deps),
    ...createSaleDefectCaseActivities(deps),
  } satisfies Omit<SaleActivities, 'recordAuditEvent'>;
}
