import type { Logger } from 'pino';
import type { Db } from '../../platform/db.js';
import type { Mailer } from '../../platform/mail.js';
import { createLeadNotifyActivities } from './notify.js';
import { createLeadProjectionActivities } from './projection.js';

export type { LeadNoticeKind, NotifyLeadStaffInput, NotifyLeadStaffResult } from './notify.js';
export type { ProjectLeadInput, ProjectLeadResult } from './projection.js';

/** The lead workflow's activities: staff emails and the read-model projection (audit is shared). */
export function createLeadActivities(deps: { db: Db; mailer: Mailer; logger: Logger }) {
  return {
    ...createLeadNotifyActivities(deps),
    ...createLeadProjectionActivities(deps),
  };
}
