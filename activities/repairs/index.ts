import type { Logger } from 'pino';
import type { Db } from '../../platform/db.js';
import type { Mailer } from '../../platform/mail.js';
import { createWorkOrderAssignmentActivities } from './assignment.js';
import { createWorkOrderNotifyActivities } from './notify.js';
import { createWorkOrderProjectionActivities } from './projection.js';

export type { FindResponsibleContractorInput, PickWorkOrderAssigneeInput } from './assignment.js';
export type { NotifyWorkOrderStaffInput, NotifyWorkOrderStaffResult, WorkOrderNoticeKind } from './notify.js';
export type { ProjectWorkOrderInput, ProjectWorkOrderResult } from './projection.js';

/** The work-order workflow's activities: staff emails, the read-model projection and the default lookups (audit is shared). */
export function createWorkOrderActivities(deps: { db: Db; mailer: Mailer; logger: Logger }) {
  return {
    ...createWorkOrderAssignmentActivities(deps),
    ...createWorkOrderNotifyActivities(deps),
    ...createWorkOrderProjectionActivities(deps),
  };
}
