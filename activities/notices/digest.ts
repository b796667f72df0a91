import type { Logger } from 'pino';
import { CASE_NOTICE_KINDS, type CaseNoticeKind } from '../../domain/cases/case-state.js';
import { isTier, type TargetName, type Tier } from '../../domain/cases/types.js';
import type { Db } from '../../platform/db.js';
import { PermanentMailError, type Mailer } from '../../platform/mail.js';
import type { SendStaffDigestInput, StaffDigestItem } from '../../workflows/notices/staff-digest.defs.js';
import { caseNoticeLine, composeCaseNotice } from '../cases/notify.js';
import { staffNoticeText } from '../platform/notice-text.js';

const OPEN_IN_CONSOLE = '请登录 Estate Care 控制台处理。 / Open the case in the Estate Care console.';
const DEFAULT_ZONE = 'Asia/Shanghai';

/** A digest item as the case composer reads it (items only ever hold a case notice's codes). */
const caseNoticeOf = (item: StaffDigestItem) => ({
  caseNumber: item.recordNumber,
  kind: (CASE_NOTICE_KINDS as readonly string[]).includes(item.kind) ? (item.kind as CaseNoticeKind) : 'warning',
  tier: (isTier(item.tier) ? item.tier : 'PROJECT') as Tier,
  ...(item.target ? { target: item.target as TargetName } : {}),
  ...(item.dueAt !== undefined ? { dueAt: item.dueAt } : {}),
});

/**
 * The email of one digest: a single item reads exactly as its own notice would have; several are
 * listed one per line (oldest first), in zh-CN then English, each time in its project's zone.
 * Case numbers only: no customer, no phone, no description.
 */
export function composeStaffDigest(items: readonly StaffDigestItem[], zoneOf: (projectId: string) => string): { subject: string; text: string } {
  const [first] = items;
  if (!first) throw new Error('a digest lists at least one item');
  if (items.length === 1) return composeCaseNotice(caseNoticeOf(first), zoneOf(first.projectId));
  const lines = items.map((i) => caseNoticeLine(caseNoticeOf(i), zoneOf(i.projectId)));
  const numbers = [...new Set(items.map((i) => i.recordNumber))];
  const shown = numbers.slice(0, 3).join(', ') + (numbers.length > 3 ? ', …' : '');
  const subject = `[${shown}] ${items.length} 条工单提醒 / ${items.length} case notices`;
  const zh = [`您有 ${items.length} 条工单提醒：`, ...lines.map((l) => l.zh)];
  const en = [`You have ${items.length} case notices:`, ...lines.map((l) => l.en)];
  return { subject, text: staffNoticeText(zh, en, OPEN_IN_CONSOLE) };
}

/**
 * The keys of held warnings that no longer need saying: their target has been met or breached (a
 * breach of a calendar-clock target goes at once, so its warning held in the digest would arrive
 * after it), or its tier period ended (the case escalated or closed). Read from the read model
 * when the digest goes, so superseding costs no signal per notice.
 */
async function supersededWarnings(db: Db, items: readonly StaffDigestItem[]): Promise<Set<string>> {
  const warnings = items.filter((i) => i.source === 'case' && i.kind === 'warning' && i.target && i.dueAt !== undefined);
  if (warnings.length === 0) return new Set();
  const rows = await db.caseTargetRecord.findMany({
    where: { caseId: { in: [...new Set(warnings.map((w) => w.recordId))] } },
    select: { caseId: true, tier: true, target: true, dueAt: true, metAt: true, breachedAt: true, periodEndedAt: true },
  });
  const settled = new Set(
    rows.filter((r) => r.metAt || r.breachedAt || r.periodEndedAt).map((r) => `${r.caseId}|${r.tier}|${r.target}|${r.dueAt.getTime()}`),
  );
  return new Set(warnings.filter((w) => settled.has(`${w.recordId}|${w.tier}|${w.target}|${w.dueAt}`)).map((w) => w.key));
}

export function createStaffDigestActivities(deps: { db: Db; mailer: Mailer; logger: Logger }) {
  return {
    /**
     * Sends one digest email to a member of staff through the outbox, keyed by the digest
     * (`idempotencyKey`): a retried activity sends nothing twice, and a transient SMTP failure is
     * thrown and retried. The address and the projects' time zones are read now, from the read
     * model; an inactive user, one without an address, or a mailbox refused for good is logged and
     * the items dropped (the digest moves on). A held warning whose target has meanwhile been met,
     * breached or left behind is dropped (`supersededWarnings`); with nothing left, nothing is sent.
     */
    async sendStaffDigest(input: SendStaffDigestInput): Promise<{ sent: boolean }> {
      const user = await deps.db.user.findFirst({ where: { id: input.userId, active: true }, select: { email: true } });
      const log = { userId: input.userId, items: input.items.length };
      if (!user?.email) {
        deps.logger.info(log, 'staff digest: recipient inactive or without an email address, skipped');
        return { sent: false };
      }
      const superseded = await supersededWarnings(deps.db, input.items);
      const items = input.items.filter((i) => !superseded.has(i.key));
      if (items.length === 0) {
        deps.logger.info({ ...log, superseded: superseded.size }, 'staff digest: every held warning was superseded (its target met, breached or left), nothing sent');
        return { sent: false };
      }
      const projectIds = [...new Set(items.map((i) => i.projectId))];
      const projects = await deps.db.project.findMany({ where: { id: { in: projectIds } }, select: { id: true, timeZone: true } });
      const zones = new Map(projects.map((p) => [p.id, p.timeZone]));
      const { subject, text } = composeStaffDigest(items, (id) => zones.get(id) ?? DEFAULT_ZONE);
      try {
        await deps.mailer.send({ idempotencyKey: input.idempotencyKey, groupId: input.groupId, to: user.email, subject, text });
        return { sent: true };
      } catch (err) {
        if (!(err instanceof PermanentMailError)) throw err;
        deps.logger.warn(log, 'staff digest refused permanently');
        return { sent: false };
      }
    },
  };
}
