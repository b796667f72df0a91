import type { Logger } from 'pino';
import type { Grade } from '../../domain/leads/types.js';
import type { Db } from '../../platform/db.js';
import type { Mailer } from '../../platform/mail.js';
import { localTime, staffNoticeText } from '../platform/notice-text.js';
import { notifyStaff, type StaffEmailResult, type StaffNoticeInput } from '../platform/staff-email.js';
import { findNearestSalesManagers } from './staff.js';

import type { LeadNoticeKind } from '../../domain/leads/lead-state.js';
export { LEAD_NOTICE_KINDS, type LeadNoticeKind } from '../../domain/leads/lead-state.js';

export interface NotifyLeadStaffInput extends StaffNoticeInput<LeadNoticeKind> {
  leadId: string;
  leadNumber: string;
  grade: Grade;
  companyId: string;
  /** The project whose time zone the due time is shown in, and whose sales managers are told. */
  projectId: string;
  /** Epoch ms: the touch's due time, where the notice is about one. */
  dueAt?: number;
  recipients: { userIds?: string[]; salesManagers?: boolean };
}

/** Who was emailed, skipped (no address, inactive) or refused for good: see emailStaff. */
export type NotifyLeadStaffResult = StaffEmailResult;

const KIND_TEXT: Record<LeadNoticeKind, { zh: string; en: string }> = {
  assigned: { zh: '新线索已分配给您', en: 'A lead is now yours' },
  first_contact_due: { zh: '首次联系到期', en: 'First contact due' },
  touch_due: { zh: '跟进到期', en: 'Follow-up due' },
  first_contact_missed: { zh: '线索首次联系超时', en: 'First contact missed' },
  pooled: { zh: '线索已回到公共池，待重新分配', en: 'Lead returned to the pool for reassignment' },
  pool_reminder: { zh: '公共池线索仍待分配', en: 'Pooled lead still waiting for an owner' },
  loss_review: { zh: '战败线索待审核', en: 'Lost lead awaiting review' },
};

/**
 * The email for one lead notice. It names the lead by number and grade, never the customer: no
 * name, no phone (staff open the lead in the console to read those).
 */
export function composeLeadNotice(input: Pick<NotifyLeadStaffInput, 'leadNumber' | 'kind' | 'dueAt' | 'grade'>, timeZone: string) {
  const kind = KIND_TEXT[input.kind];
  const due = input.dueAt !== undefined ? localTime(input.dueAt, timeZone) : null;
  const subject = `[${input.leadNumber}] ${kind.zh} / ${kind.en}`;
  const zh = [`线索 ${input.leadNumber}（${input.grade}级）：${kind.zh}。`, due ? `跟进截止：${due}（${timeZone}）` : null];
  const en = [`Lead ${input.leadNumber} (grade ${input.grade}): ${kind.en}.`, due ? `Due: ${due} (${timeZone})` : null];
  return { subject, text: staffNoticeText(zh, en, '请登录 Estate Care 控制台跟进。 / Open the lead in the Estate Care console.') };
}

export function createLeadNotifyActivities(deps: { db: Db; mailer: Mailer; logger: Logger }) {
  return {
    /**
     * Emails the named users and/or the project's sales managers about one lead event. Each
     * recipient's email is keyed `${idempotencyKeyBase}:${userId}`, so a retried activity (or a
     * replayed workflow) sends nobody a second copy.
     */
    async notifyLeadStaff(input: NotifyLeadStaffInput): Promise<NotifyLeadStaffResult> {
      return notifyStaff(deps, input, {
        picked: () => (input.recipients.salesManagers ? findNearestSalesManagers(deps.db, input) : []),
        compose: (timeZone) => composeLeadNotice(input, timeZone),
        log: ['lead notice', { leadId: input.leadId }],
      });
    },
  };
}
