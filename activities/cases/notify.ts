import type { Logger } from 'pino';
import { caseNoticeDelivery, type NoticeDelivery } from '../../domain/cases/notice-delivery.js';
import type { SlaNotifications } from '../../domain/cases/sla-policy.js';
import type { ClockKind, TargetName, Tier } from '../../domain/cases/types.js';
import { calendarOfPolicy, caseCalendarSnapshot, findCalendarsByGroup } from '../../app/cases/settings.js';
import { queueStaffNotice } from '../../app/notices/staff-digest.js';
import type { Db } from '../../platform/db.js';
import type { Mailer } from '../../platform/mail.js';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import { localTime, staffNoticeText } from '../platform/notice-text.js';
import { findStaffRecipients, logUndelivered, notifyStaff, type StaffEmailResult, type StaffNoticeInput } from '../platform/staff-email.js';
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
  /**
   * How the notice is delivered (domain/cases/notice-delivery.ts): when its event happened
   * (workflow time), the clock of its target (else of the case's policy), the business calendar
   * the case counts on (by id) and the policy's notification settings. Absent in calls scheduled
   * before issue 14's digests: those email at once, as they always did.
   */
  delivery?: { at: number; clock: ClockKind; calendarId?: string | null; notifications?: SlaNotifications };
}

/**
 * Who was emailed, skipped (no address, inactive) or refused for good (see emailStaff), and who
 * got the notice in their digest instead (`queued`: it waits for working time or their window).
 */
export type NotifyCaseStaffResult = StaffEmailResult & { queued?: string[] };

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

/** When and how one case notice goes: at once, or into each recipient's digest (see caseNoticeDelivery). */
async function caseNoticeDeliveryOf(db: Db, input: NotifyCaseStaffInput): Promise<NoticeDelivery> {
  const d = input.delivery;
  if (!d) return { mode: 'now' };
  // The calendar as the group keeps it now (a changed calendar re-times the case's targets too),
  // with its public-holiday schedule applied around the notice's day.
  const calendar = d.clock === 'business' ? caseCalendarSnapshot(calendarOfPolicy({ calendarId: d.calendarId ?? undefined }, await findCalendarsByGroup(db, input.groupId)), d.at, d.at) : null;
  return caseNoticeDelivery({ kind: input.kind, clock: d.clock, calendar, notifications: d.notifications, at: d.at });
}

/**
 * One case notice as a line of a digest, in both languages: number, kind, target, tier and due
 * time in the project's zone (the same facts as its own email, composeCaseNotice).
 */
export function caseNoticeLine(input: Pick<NotifyCaseStaffInput, 'caseNumber' | 'kind' | 'target' | 'dueAt' | 'tier'>, timeZone: string): { zh: string; en: string } {
  const kind = KIND_TEXT[input.kind];
  const target = input.target ? TARGET_TEXT[input.target] : null;
  const tier = TIER_TEXT[input.tier];
  const due = input.dueAt !== undefined ? localTime(input.dueAt, timeZone) : null;
  return {
    zh: `· 工单 ${input.caseNumber}：${kind.zh}${target ? `：${target.zh}` : ''}；层级：${tier.zh}${due ? `；截止时间：${due}（${timeZone}）` : ''}`,
    en: `· Case ${input.caseNumber}: ${kind.en}${target ? `: ${target.en}` : ''}; tier: ${tier.en}${due ? `; due ${due} (${timeZone})` : ''}`,
  };
}

export function createCaseNotifyActivities(deps: { db: Db; mailer: Mailer; logger: Logger; temporal?: TemporalGateway | undefined }) {
  return {
    notifyCaseStaff: (input: NotifyCaseStaffInput) => notifyCaseStaffWith(deps, input),
  };
}

/**
 * Tells the named users and/or the supervisors of a tier about one case event: at once by
 * email, or (held to working time, or within the person's digest window) as an item of each
 * recipient's digest (workflows/notices/staff-digest.ts), keyed `${idempotencyKeyBase}:${userId}`
 * either way, so a retried activity (or a replayed workflow) tells nobody twice. Users without
 * an address are skipped. Without a Temporal client (some tests) everything goes at once.
 */
export async function notifyCaseStaffWith(deps: { db: Db; mailer: Mailer; logger: Logger; temporal?: TemporalGateway | undefined }, input: NotifyCaseStaffInput): Promise<NotifyCaseStaffResult> {
  const { supervisorsAt } = input.recipients;
  const picked = () => (supervisorsAt ? findActiveSupervisorsOfTier(deps.db, supervisorsAt) : []);
  const delivery = deps.temporal ? await caseNoticeDeliveryOf(deps.db, input) : ({ mode: 'now' } as const);
  if (delivery.mode === 'now' || !deps.temporal) {
    return notifyStaff(deps, input, { picked, compose: (timeZone) => composeCaseNotice(input, timeZone), log: ['case notice', { caseId: input.caseId }] });
  }
  const { recipients, requestedIds } = await findStaffRecipients(deps.db, input.recipients.userIds, picked);
  const queued: string[] = [];
  const skipped = [...requestedIds].filter((id) => !recipients.has(id));
  for (const [userId, email] of [...recipients].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!email) {
      skipped.push(userId);
      continue;
    }
    await queueStaffNotice(deps.temporal, {
      userId,
      groupId: input.groupId,
      item: {
        key: `${input.idempotencyKeyBase}:${userId}`,
        source: 'case',
        recordId: input.caseId,
        recordNumber: input.caseNumber,
        projectId: input.projectId,
        kind: input.kind,
        tier: input.tier,
        ...(input.target ? { target: input.target } : {}),
        ...(input.dueAt !== undefined ? { dueAt: input.dueAt } : {}),
        at: input.delivery?.at ?? Date.now(),
        notBefore: delivery.notBefore,
        digestMs: delivery.digestMs,
      },
    });
    queued.push(userId);
  }
  logUndelivered(deps.logger, 'case notice', { caseId: input.caseId, kind: input.kind }, { skipped, refused: [] });
  return { sent: [], skipped, refused: [], queued };
}
