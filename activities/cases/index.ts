import type { Logger } from 'pino';
import type { Db } from '../../platform/db.js';
import type { Mailer } from '../../platform/mail.js';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import { createCaseAssigneeActivities } from './assignee.js';
import { createCaseNotifyActivities } from './notify.js';
import { createCaseProjectionActivities } from './projection.js';
import { createCaseRevisionActivities } from './revision.js';
import { createCaseSlaActivities } from './sla.js';
import { createCaseStepActivities } from './step.js';
import type { SlaMetrics } from '../platform/sla-metrics.js';

export type { PickCaseAssigneeInput } from './assignee.js';
export type { CaseNoticeKind, NotifyCaseStaffInput, NotifyCaseStaffResult } from './notify.js';
export type { ProjectCaseInput, ProjectCaseResult } from './projection.js';
export type { ApplyCaseRevisionInput } from './revision.js';
export type { ResolveCaseSlaInput, ResolvedCaseSla } from './sla.js';
export type { CaseStepEvent, CaseStepLookup, RecordCaseStepInput, RecordCaseStepResult } from './step.js';

/** The complaint-case workflow's activities: SLA resolution, assignment, staff emails (or their digests), read-model projection, edits of the case record; since slim histories one step activity doing a batch's share of them. */
export function createCaseActivities(deps: { db: Db; mailer: Mailer; logger: Logger; temporal?: TemporalGateway | undefined; metrics?: SlaMetrics }) {
  return {
    ...createCaseSlaActivities(deps),
    ...createCaseAssigneeActivities(deps),
    ...createCaseNotifyActivities(deps),
    ...createCaseProjectionActivities(deps),
    ...createCaseRevisionActivities(deps),
    ...createCaseStepActivities(deps),
  };
}
