import type { Logger } from 'pino';
import type { Db } from '../../platform/db.js';
import type { Mailer } from '../../platform/mail.js';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import { createCaseLinkActivities } from './case-link.js';
import { createWorkOrderAssignmentActivities } from './assignment.js';
import { createWorkOrderNotifyActivities } from './notify.js';
import { createWorkOrderProjectionActivities } from './projection.js';

export type { FindResponsibleContractorInput, PickWorkOrderAssigneeInput } from './assignment.js';
export type { NotifyWorkOrderStaffInput, NotifyWorkOrderStaffResult, WorkOrderNoticeKind } from './notify.js';
export type { ProjectWorkOrderInput, ProjectWorkOrderResult } from './projection.js';
export type { InformCaseOfWorkOrderInput, InformCaseOfWorkOrderResult } from './case-link.js';

/** The work-order workflow's activities: staff emails, the read-model projection, the default lookups and telling the case (audit is shared). */
export function createWorkOrderActivities(deps: { db: Db; mailer: Mailer; logger: Logger; temporal?: TemporalGateway }) {
  return {
    ...createCaseLinkActivities(deps),
    ...createWorkOrderAssignmentActivities(deps),
    ...createWorkOrderNotifyActivities(deps),
    ...createWorkOrderProjectionActivities(deps),
  };
}
