import type { Logger } from 'pino';
import type { Db } from '../../platform/db.js';
import type { Mailer } from '../../platform/mail.js';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import { createCaseAssigneeActivities } from './assignee.js';
import { createCaseNotifyActivities } from './notify.js';
import { createCaseProjectionActivities } from './projection.js';
import { createCaseRevisionActivities } from './revision.js';
import { createCaseSlaActivities } from './sla.js';

export type { PickCaseAssigneeInput } from './assignee.js';
export type { CaseNoticeKind, NotifyCaseStaffInput, NotifyCaseStaffResult } from './notify.js';
export type { ProjectCaseInput, ProjectCaseResult } from './projection.js';
export type { ApplyCaseRevisionInput } from './revision.js';
export type { ResolveCaseSlaInput, ResolvedCaseSla } from './sla.js';

/** The complaint-case workflow's activities: SLA resolution, assignment, staff emails (or their digests), read-model projection, edits of the case record. */
export function createCaseActivities(deps: { db: Db; mailer: Mailer; logger: Logger; temporal?: TemporalGateway | undefined }) {
  return {
    ...createCaseSlaActivities(deps),
    ...createCaseAssigneeActivities(deps),
    ...createCaseNotifyActivities(deps),
    ...createCaseProjectionActivities(deps),
    ...createCaseRevisionActivities(deps),
  };
}
