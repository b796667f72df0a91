/**
 * Staff notices people can live with (issue 14 item 2), on the time-skipping server: the case
 * notice activity (the real one, over a fake read model) hands what must wait to the person's
 * `staffDigest` workflow, which sleeps on a durable timer and sends through the real digest
 * activity into a recording mailer that keeps the outbox's one-key-one-email rule.
 */
import crypto from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotifyCaseStaffInput } from '../../activities/index.js';
import { createCaseNotifyActivities } from '../../activities/cases/notify.js';
import { createStaffDigestActivities } from '../../activities/notices/digest.js';
import { CALENDAR_CN_DEFAULT, type BusinessCalendar } from '../../domain/cases/business-calendar.js';
import type { SlaNotifications } from '../../domain/cases/sla-policy.js';
import type { Db } from '../../platform/db.js';
import type { Mailer, OutgoingEmail } from '../../platform/mail.js';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import { createLogger } from '../../platform/logger.js';
import { getStaffDigest, staffDigestWorkflowId } from '../../workflows/notices/staff-digest.defs.js';
import { caseInput, CaseHarness, eventually, fakeCaseActivities, MINUTE, nextLocal, at as atLocal, SECOND, startCaseHarness, stopCaseHarness, CALENDAR_POLICY } from './complaint-case.support.js';

let env: TestWorkflowEnvironment;
let h: CaseHarness;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `digest-${crypto.randomUUID()}`;

/** A Shanghai office (09:00–12:00, 13:30–18:00) with 国庆 2027 as its own days (the State Council has not published 2027 yet) and its make-up Saturday. */
const OFFICE: BusinessCalendar = {
  ...CALENDAR_CN_DEFAULT,
  id: 'office',
  name: 'Office',
  holidays: ['2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07'],
  makeUpWorkdays: [
    { date: '2027-09-26', hoursLike: 1 },
    { date: '2027-10-09', hoursLike: 1 },
  ],
};

/** What the recording mailer received, with the (skipped) server time it was sent at. */
const sent: Array<OutgoingEmail & { at: number }> = [];
const users = new Map<string, string>();

/** The read model the activities read: users, projects, the group's calendars. */
const db = {
  user: {
    findMany: async ({ where }: { where: { id?: { in: string[] } } }) => (where.id ? where.id.in.filter((id) => users.has(id)).map((id) => ({ id, email: users.get(id)! })) : []),
    findFirst: async ({ where }: { where: { id: string } }) => (users.has(where.id) ? { email: users.get(where.id)! } : null),
  },
  project: {
    findUnique: async () => ({ timeZone: 'Asia/Shanghai' }),
    findMany: async ({ where }: { where: { id: { in: string[] } } }) => where.id.in.map((id) => ({ id, timeZone: 'Asia/Shanghai' })),
  },
  orgSetting: { findUnique: async ({ where }: { where: { groupId_key: { key: string } } }) => (where.groupId_key.key === 'calendars' ? { value: [OFFICE] } : null) },
} as unknown as Db;

const mailer: Mailer = {
  transport: 'outbox',
  async send(message) {
    const duplicate = sent.some((m) => m.idempotencyKey === message.idempotencyKey);
    if (!duplicate) sent.push({ ...message, at: await env.currentTimeMs() });
    return { id: message.idempotencyKey, status: 'SENT', duplicate };
  },
  close() {},
};

const logger = createLogger({ level: 'silent', name: 'staff-digest-test' });
let temporal: TemporalGateway;
let notify: ReturnType<typeof createCaseNotifyActivities>;

beforeAll(async () => {
  ({ env, h } = await startCaseHarness());
  temporal = { taskQueue, use: (fn: (c: typeof env.client) => Promise<unknown>) => fn(env.client) } as unknown as TemporalGateway;
  notify = createCaseNotifyActivities({ db, mailer, logger, temporal });
  const digest = createStaffDigestActivities({ db, mailer, logger });
  // The case's own activities are faked (fakeCaseActivities); notices and digests run for real.
  const { activities: caseFakes } = fakeCaseActivities();
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: h.workflowBundle,
    activities: { ...caseFakes, notifyCaseStaff: notify.notifyCaseStaff, sendStaffDigest: digest.sendStaffDigest },
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await stopCaseHarness({ env, h });
});

/** A member of staff of this test only (each has their own digest). */
const person = (name: string) => {
  const id = `${name}-${crypto.randomUUID().slice(0, 8)}`;
  users.set(id, `${id}@estate-care.test`);
  return id;
};
const mailsTo = (userId: string) => sent.filter((m) => m.to === users.get(userId));

/** A case notice as the case workflow hands it to the activity, `at` the workflow time of its event. */
const notice = (o: { userId: string; seq: number; kind?: NotifyCaseStaffInput['kind']; at: number; clock?: 'business' | 'calendar'; notifications?: SlaNotifications; caseNumber?: string }): NotifyCaseStaffInput => {
  const caseId = crypto.randomUUID();
  return {
    caseId,
    caseNumber: o.caseNumber ?? `CS-${caseId.slice(0, 6)}`,
    groupId: 'group-1',
    projectId: 'project-1',
    kind: o.kind ?? 'warning',
    target: 'firstContact',
    tier: 'PROJECT',
    dueAt: o.at + 60 * MINUTE,
    recipients: { userIds: [o.userId] },
    idempotencyKeyBase: `case-${caseId}:${o.seq}`,
    delivery: { at: o.at, clock: o.clock ?? 'business', calendarId: 'office', ...(o.notifications ? { notifications: o.notifications } : {}) },
  };
};

/** Moves the server's clock to `to` (forward only), letting timers on the way fire. */
const travelTo = async (to: number) => {
  const now = await env.currentTimeMs();
  if (to > now) await env.sleep(to - now);
};
const shanghai = (ms: number) => DateTime.fromMillis(ms, { zone: 'Asia/Shanghai' }).toFormat('yyyy-MM-dd HH:mm');

describe('working hours', () => {
  it('delivers a business-clock warning recorded at 03:00 on a working day at 09:00, the working period’s start', async () => {
    const userId = person('handler');
    const tue = nextLocal(await env.currentTimeMs(), 2, '03:00');
    await travelTo(atLocal(tue, '03:00'));
    const input = notice({ userId, seq: 4, at: await env.currentTimeMs() });
    const result = await notify.notifyCaseStaff(input);
    expect(result).toMatchObject({ sent: [], queued: [userId] });

    await travelTo(atLocal(tue, '08:59'));
    expect(mailsTo(userId)).toEqual([]);
    await travelTo(atLocal(tue, '09:00') + SECOND);
    const [mail] = await eventually(() => mailsTo(userId).length === 1 && mailsTo(userId), 'the morning email');
    expect(shanghai(mail!.at)).toBe(`${tue.toFormat('yyyy-MM-dd')} 09:00`);
    // One item reads as the notice's own email, under its own key.
    expect(mail!.idempotencyKey).toBe(`${input.idempotencyKeyBase}:${userId}`);
    expect(mail!.subject).toContain(input.caseNumber);
    expect(mail!.text).toContain('时效预警');
    expect(mail!.text).toContain('SLA warning');
    expect(mail!.text).toContain(`截止时间：${shanghai(input.dueAt!)}（Asia/Shanghai）`);
  });
});

describe('digest window', () => {
  it('sends three notices falling due within the window as one email listing all three, and a later one as a second email', async () => {
    const userId = person('digest');
    const notifications = { workingHoursOnly: true, digestMinutes: 5 };
    const wed = nextLocal(await env.currentTimeMs(), 3, '10:00');
    await travelTo(atLocal(wed, '10:00'));
    const first = notice({ userId, seq: 1, kind: 'assigned', at: await env.currentTimeMs(), notifications, caseNumber: 'CS-D-0' });
    await notify.notifyCaseStaff(first);
    await eventually(() => mailsTo(userId).length === 1, 'the first email, at once');

    const three = [];
    for (const [i, minute] of [1, 2, 3].entries()) {
      await travelTo(atLocal(wed, `10:0${minute}`));
      const n = notice({ userId, seq: 5, at: await env.currentTimeMs(), notifications, caseNumber: `CS-D-${i + 1}` });
      three.push(n);
      await notify.notifyCaseStaff(n);
    }
    // A retried activity (same input, same key) adds nothing.
    await notify.notifyCaseStaff(three[1]!);
    const digest = await env.client.workflow.getHandle(staffDigestWorkflowId(userId)).query(getStaffDigest);
    expect(digest.pending.map((i) => i.recordNumber)).toEqual(['CS-D-1', 'CS-D-2', 'CS-D-3']);

    await travelTo(atLocal(wed, '10:04'));
    expect(mailsTo(userId)).toHaveLength(1);
    await travelTo(atLocal(wed, '10:05') + SECOND);
    const mails = await eventually(() => mailsTo(userId).length === 2 && mailsTo(userId), 'the digest');
    const d = mails[1]!;
    expect(shanghai(d.at)).toBe(`${wed.toFormat('yyyy-MM-dd')} 10:05`);
    expect(d.subject).toContain('3 条工单提醒 / 3 case notices');
    for (const n of three) {
      expect(d.text.split(n.caseNumber).length - 1, `${n.caseNumber} in both languages, once each`).toBe(2);
    }
    expect(d.text).toContain('您有 3 条工单提醒');
    expect(d.text).toContain('You have 3 case notices');
    expect(d.idempotencyKey).toBe(`digest:${three[0]!.idempotencyKeyBase}:${userId}`);

    await travelTo(atLocal(wed, '10:30'));
    const later = notice({ userId, seq: 7, at: await env.currentTimeMs(), notifications, caseNumber: 'CS-D-4' });
    await notify.notifyCaseStaff(later);
    const all = await eventually(() => mailsTo(userId).length === 3 && mailsTo(userId), 'the later email');
    expect(all[2]!.subject).toContain('CS-D-4');
    expect(shanghai(all[2]!.at)).toBe(`${wed.toFormat('yyyy-MM-dd')} 10:30`);
    // A retry of an item long sent still adds nothing.
    await notify.notifyCaseStaff(three[0]!);
    await travelTo(atLocal(wed, '10:45'));
    expect(mailsTo(userId)).toHaveLength(3);
  });
});

describe('through the case workflow', () => {
  it('sends a breach of a calendar-clock target at once, inside the window of the warning just before it', async () => {
    const assigneeId = person('handler');
    const input = caseInput({
      assigneeId,
      // Warned a minute before the breach, with a 5-minute window: only the breach may break it.
      policy: { ...CALENDAR_POLICY, id: 'cal-digest', firstContact: 'PT1H', warnAt: 59 / 60, notifications: { workingHoursOnly: true, digestMinutes: 5 } },
    });
    const handle = await env.client.workflow.start('complaintCase', { taskQueue, workflowId: `case-${input.caseId}`, args: [input] });
    const openedAt = (await eventually(() => mailsTo(assigneeId)[0], 'the assignment email')).at;
    await travelTo(openedAt + 59 * MINUTE + SECOND);
    await eventually(() => mailsTo(assigneeId).length === 2, 'the warning');
    await travelTo(openedAt + 60 * MINUTE + SECOND);
    const mails = await eventually(() => mailsTo(assigneeId).length === 3 && mailsTo(assigneeId), 'the breach');
    expect(mails.map((m) => m.subject)).toEqual([expect.stringContaining('工单已分派给您'), expect.stringContaining('时效预警'), expect.stringContaining('时效超时')]);
    expect(mails[2]!.at - mails[1]!.at).toBeLessThan(5 * MINUTE);
    expect(mails[2]!.idempotencyKey.startsWith(`${handle.workflowId}:`)).toBe(true);
  });
});

describe('holidays', () => {
  it('delivers a warning recorded on 国庆 on the next working day, and one recorded on the Friday evening on the make-up Saturday', async () => {
    const holiday = person('holiday');
    const friday = person('friday');
    await travelTo(Date.parse('2027-10-03T10:00:00+08:00'));
    await notify.notifyCaseStaff(notice({ userId: holiday, seq: 4, at: await env.currentTimeMs() }));
    await travelTo(Date.parse('2027-10-08T08:00:00+08:00'));
    expect(mailsTo(holiday)).toEqual([]);
    await travelTo(Date.parse('2027-10-08T09:00:00+08:00') + SECOND);
    const [h1] = await eventually(() => mailsTo(holiday).length === 1 && mailsTo(holiday), 'the email after 国庆');
    expect(shanghai(h1!.at)).toBe('2027-10-08 09:00');

    await travelTo(Date.parse('2027-10-08T18:30:00+08:00'));
    await notify.notifyCaseStaff(notice({ userId: friday, seq: 4, at: await env.currentTimeMs() }));
    await travelTo(Date.parse('2027-10-09T09:00:00+08:00') + SECOND);
    const [f1] = await eventually(() => mailsTo(friday).length === 1 && mailsTo(friday), 'the make-up Saturday email');
    expect(shanghai(f1!.at)).toBe('2027-10-09 09:00');
  });
});
