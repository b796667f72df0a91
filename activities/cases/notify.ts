import type { Logger } from 'pino';
import type { TargetName, Tier } from '../../domain/cases/types.js';
import type { Db } from '../../platform/db.js';
import type { Mailer } from '../../platform/mail.js';
import { localTime, staffNoticeText } from '../platform/notice-text.js';
import { notifyStaff, type StaffEmailResult, type StaffNoticeInput } from '../platform/staff-email.js';
import { findActiveSupervisorsOfTier, type TierUnit } from './staff.js';

import type { CaseNoticeKind } from '../../domain/cases/case-state.js';
export { CASE_NOTICE_KINDS, type CaseNoticeKind } from '../../domain/cases/case-state.js';

export interface NotifyCaseStaffInput extends StaffNoticeInput<CaseNoticeKind> {
  caseId: string;
  caseNumber: string;
  target?: TargetName;
  /** Epoch ms: the target's deadline, or an escalation's decision deadline. */
  dueAt?: number;
  tier: Tier;
  recipients: { userIds?: string[]; supervisorsAt?: TierUnit };
}

/** Who was emailed, skipped (no address, inactive) or refused for good: see emailStaff. */
export type NotifyCaseStaffResult = StaffEmailResult;

const KIND_TEXT: Record<CaseNoticeKind, { zh: string; en: string }> = {
  warning: { zh: '时效预警', en: 'SLA warning' },
  breach: { zh: '时效超时', en: 'SLA breached' },
  escalation_requested: { zh: '升级申请待审批', en: 'Escalation awaiting approval' },
  escalated: { zh: '工单已升级至本级', en: 'Case escalated to your tier' },
  assigned: { zh: '工单已分派给您', en: 'Case assigned to you' },
};

const TARGET_TEXT: Record<TargetName, { zh: string; en: string }> = {
  firstContact: { zh: '首次联系', en: 'first contact' },
  resolution: { zh: '处理完成', en: 'resolution' },
  callback: { zh: '回访', en: 'satisfaction callback' },
};

const TIER_TEXT: Record<Tier, { zh: string; en: string }> = {
  PROJECT: { zh: '项目', en: 'project' },
  COMPANY: { zh: '公司', en: 'company' },
  GROUP: { zh: '集团', en: 'group' },
};

/**
 * The email for one case notice. It names the case by number, never the customer: no name, no
 * phone, no description (staff open the case in the console to read those).
 */
export function composeCaseNotice(input: Pick<NotifyCaseStaffInput, 'caseNumber' | 'kind' | 'target' | 'dueAt' | 'tier'>, timeZone: string) {
  const kind = KIND_TEXT[input.kind];
  const target = input.target ? TARGET_TEXT[input.target] : null;
  const tier = TIER_TEXT[input.tier];
  const due = input.dueAt !== undefined ? localTime(input.dueAt, timeZone) : null;
  const subject = `[${input.caseNumber}] ${kind.zh}${target ? `：${target.zh}` : ''} / ${kind.en}${target ? `: ${target.en}` : ''}`;
  const zh = [`工单 ${input.caseNumber}：${kind.zh}。`, `层级：${tier.zh}`, target ? `时效目标：${target.zh}` : null, due ? `截止时间：${due}（${timeZone}）` : null];
  const en = [`Case ${input.caseNumber}: ${kind.en}.`, `Tier: ${tier.en}`, target ? `Target: ${target.en}` : null, due ? `Due: ${due} (${timeZone})` : null];
  return { subject, text: staffNoticeText(zh, en, '请登录 Estate Care 控制台处理。 / Open the case in the Estate Care console.') };
}

export function createCaseNotifyActivities(deps: { db: Db; mailer: Mailer; logger: Logger }) {
  return {
    /**
     * Emails the named users and/or the supervisors of a tier about one case event. Each
     * recipient's email is keyed `${idempotencyKeyBase}:${userId}`, so a retried activity (or a
     * replayed workflow) sends nobody a second copy. Users without an address are skipped.
     */
    async notifyCaseStaff(input: NotifyCaseStaffInput): Promise<NotifyCaseStaffResult> {
      const { supervisorsAt } = input.recipients;
      return notifyStaff(deps, input, {
        picked: () => (supervisorsAt ? findActiveSupervisorsOfTier(deps.db, supervisorsAt) : []),
        compose: (timeZone) => composeCaseNotice(input, timeZone),
        log: ['case notice', { caseId: input.caseId }],
      });
    },
  };
}
