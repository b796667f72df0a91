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
import { CALENDAR_CN_DEFAULT, isWorkingInstant, type BusinessCalendar, type IsoWeekday } from '../../domain/cases/business-calendar.js';
import { caseCalendarSnapshot } from '../../app/cases/settings.js';
import type { SlaNotifications } from '../../domain/cases/sla-policy.js';
import type { Db } from '../../platform/db.js';
import type { Mailer, OutgoingEmail } from '../../platform/mail.js';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import { createLogger } from '../../platform/logger.js';
import { getStaffDigest, staffDigestWorkflowId } from '../../workflows/notices/staff-digest.defs.js';
import { caseInput, CaseHarness, eventually, fakeCaseActivities,
  rememberCase, MINUTE, nextLocal, at as atLocal, SECOND, startCaseHarness, stopCaseHarness, CALENDAR_POLICY } from './complaint-case.support.js';

let env: TestWorkflowEnvironment;
let h: CaseHarness;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `digest-${crypto.randomUUID()}`;

const { publicHolidays: _schedule, ...CN_WEEK } = CALENDAR_CN_DEFAULT;
/**
 * A Shanghai office (09:00–12:00, 13:30–18:00) whose 国庆 is its own days, so no published
 * schedule can move what the tests expect: 1–7 October of the first October after the test
 * server's clock, with the first weekend day after it worked as a Monday (调休).
 */
let OFFICE: BusinessCalendar;
let GUOQING: { year: number; makeUp: DateTime };
function officeWithGuoqing(now: number): BusinessCalendar {
  const today = DateTime.fromMillis(now, { zone: 'Asia/Shanghai' });
  const year = today < today.set({ month: 9, day: 1 }) ? today.year : today.year + 1;
  let makeUp = DateTime.fromObject({ year, month: 10, day: 8 }, { zone: 'Asia/Shanghai' });
  while (makeUp.weekday < 6) makeUp = makeUp.plus({ days: 1 });
  GUOQING = { year, makeUp };
  return {
    ...CN_WEEK,
    id: 'office',
    name: 'Office',
    holidays: Array.from({ length: 7 }, (_, i) => `${year}-10-0${i + 1}`),
    makeUpWorkdays: [{ date: makeUp.toFormat('yyyy-MM-dd'), hoursLike: 1 }],
  };
}

/** What the recording mailer received, with the (skipped) server time it was sent at. */
const sent: Array<OutgoingEmail & { at: number }> = [];
const users = new Map<string, string>();
/** The read model's case targets the digest activity reads to drop superseded warnings. */
const targetRecords: Array<{ caseId: string; tier: string; target: string; dueAt: Date; metAt: Date | null; breachedAt: Date | null; periodEndedAt: Date | null }> = [];

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
  caseTargetRecord: { findMany: async ({ where }: { where: { caseId: { in: string[] } } }) => targetRecords.filter((r) => where.caseId.in.includes(r.caseId)) },
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
  OFFICE = officeWithGuoqing(await env.currentTimeMs());
  temporal = { taskQueue, use: (fn: (c: typeof env.client) => Promise<unknown>) => fn(env.client) } as unknown as TemporalGateway;
  notify = createCaseNotifyActivities({ db, mailer, logger, temporal });
  const digest = createStaffDigestActivities({ db, mailer, logger });
  // The case's own activities are faked (fakeCaseActivities); notices and digests run for real.
  // Since slim histories the case sends a batch's notices from its step activity, whose fake hands
  // each to notifyCaseStaff: the real one here.
  const { activities: caseFakes } = fakeCaseActivities({ overrides: { notifyCaseStaff: notify.notifyCaseStaff } });
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
/**
 * The next `weekday` at `time` (at least two days ahead) whose day is a working day of OFFICE with
 * the public schedule applied, so a run in a holiday week of a later year still tests what it says.
 */
const nextWorkingLocal = (from: number, weekday: IsoWeekday, time: string): DateTime => {
  for (let d = nextLocal(from, weekday, time); ; d = d.plus({ weeks: 1 })) {
    const calendar = caseCalendarSnapshot(OFFICE, d.toMillis(), d.toMillis());
    if (isWorkingInstant({ calendar, at: atLocal(d, '10:00') }) && isWorkingInstant({ calendar, at: atLocal(d.plus({ days: 1 }), '10:00') })) return d;
  }
};
const shanghai = (ms: number) => DateTime.fromMillis(ms, { zone: 'Asia/Shanghai' }).toFormat('yyyy-MM-dd HH:mm');

describe('working hours', () => {
  it('delivers a business-clock warning recorded at 03:00 on a working day at 09:00, the working period’s start', async () => {
    const userId = person('handler');
    const tue = nextWorkingLocal(await env.currentTimeMs(), 2, '03:00');
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

  it('sends what was held overnight from several cases as one email at the opening, even without a digest window', async () => {
    const userId = person('overnight');
    const thu = nextWorkingLocal(await env.currentTimeMs(), 4, '19:00');
    await travelTo(atLocal(thu, '19:00'));
    const evening = notice({ userId, seq: 4, at: await env.currentTimeMs(), caseNumber: 'CS-N-1' });
    await notify.notifyCaseStaff(evening);
    const fri = thu.plus({ days: 1 });
    await travelTo(atLocal(fri, '04:00'));
    const night = notice({ userId, seq: 6, kind: 'breach', at: await env.currentTimeMs(), caseNumber: 'CS-N-2' });
    await notify.notifyCaseStaff(night);
    await travelTo(atLocal(fri, '09:00') + SECOND);
    const [mail] = await eventually(() => mailsTo(userId).length === 1 && mailsTo(userId), 'the morning digest');
    expect(shanghai(mail!.at)).toBe(`${fri.toFormat('yyyy-MM-dd')} 09:00`);
    expect(mail!.subject).toContain('2 条工单提醒');
    expect(mail!.text.indexOf('CS-N-1')).toBeLessThan(mail!.text.indexOf('CS-N-2'));
    expect(mail!.text).toContain('时效超时');
    await travelTo(atLocal(fri, '09:30'));
    expect(mailsTo(userId)).toHaveLength(1);
  });
});

describe('superseded warnings', () => {
  it('drops a held warning whose target was breached before it went, and sends the rest of the digest', async () => {
    const userId = person('superseded');
    const wed = nextWorkingLocal(await env.currentTimeMs(), 3, '02:00');
    await travelTo(atLocal(wed, '02:00'));
    const breached = notice({ userId, seq: 4, at: await env.currentTimeMs(), caseNumber: 'CS-S-1' });
    const still = notice({ userId, seq: 5, at: await env.currentTimeMs(), caseNumber: 'CS-S-2' });
    await notify.notifyCaseStaff(breached);
    await notify.notifyCaseStaff(still);
    // Before the office opens, the first warning's target breaches (its breach email went at once).
    targetRecords.push(
      { caseId: breached.caseId, tier: 'PROJECT', target: 'firstContact', dueAt: new Date(breached.dueAt!), metAt: null, breachedAt: new Date(breached.dueAt!), periodEndedAt: null },
      { caseId: still.caseId, tier: 'PROJECT', target: 'firstContact', dueAt: new Date(still.dueAt!), metAt: null, breachedAt: null, periodEndedAt: null },
    );
    await travelTo(atLocal(wed, '09:00') + SECOND);
    const [mail] = await eventually(() => mailsTo(userId).length === 1 && mailsTo(userId), 'the morning email');
    expect(mail!.subject).toContain('CS-S-2');
    expect(mail!.text).not.toContain('CS-S-1');
    // Still the digest's email (its key names the first item held), now listing one item.
    expect(mail!.idempotencyKey).toBe(`digest:${breached.idempotencyKeyBase}:${userId}`);
    await travelTo(atLocal(wed, '09:30'));
    expect(mailsTo(userId)).toHaveLength(1);
  });

  it('sends nothing when every held warning was superseded (met before the office opened)', async () => {
    const userId = person('all-met');
    const thu = nextWorkingLocal(await env.currentTimeMs(), 4, '02:00');
    await travelTo(atLocal(thu, '02:00'));
    const met = notice({ userId, seq: 4, at: await env.currentTimeMs(), caseNumber: 'CS-S-3' });
    await notify.notifyCaseStaff(met);
    targetRecords.push({ caseId: met.caseId, tier: 'PROJECT', target: 'firstContact', dueAt: new Date(met.dueAt!), metAt: new Date(met.delivery!.at), breachedAt: null, periodEndedAt: null });
    await travelTo(atLocal(thu, '10:00'));
    expect(mailsTo(userId)).toEqual([]);
  });
});

describe('digest window', () => {
  it('sends three notices falling due within the window as one email listing all three, and a later one as a second email', async () => {
    const userId = person('digest');
    const notifications = { workingHoursOnly: true, digestMinutes: 5 };
    const wed = nextWorkingLocal(await env.currentTimeMs(), 3, '10:00');
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
    rememberCase(input);
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
  it('delivers a warning recorded on 国庆 on the next working day, and one recorded the evening before the make-up weekend day on that day', async () => {
    const holiday = person('holiday');
    const eve = person('eve');
    const { year, makeUp } = GUOQING;
    const local = (wall: string) => DateTime.fromFormat(wall, 'yyyy-MM-dd HH:mm', { zone: 'Asia/Shanghai' }).toMillis();
    await travelTo(local(`${year}-10-03 10:00`));
    await notify.notifyCaseStaff(notice({ userId: holiday, seq: 4, at: await env.currentTimeMs() }));
    await travelTo(local(`${year}-10-08 08:00`));
    expect(mailsTo(holiday)).toEqual([]);
    await travelTo(local(`${year}-10-08 09:00`) + SECOND);
    const [h1] = await eventually(() => mailsTo(holiday).length === 1 && mailsTo(holiday), 'the email after 国庆');
    expect(shanghai(h1!.at)).toBe(`${year}-10-08 09:00`);

    // The evening before the make-up day (a weekend day, worked): it goes then, not on the Monday after.
    await travelTo(Math.max(await env.currentTimeMs(), atLocal(makeUp.minus({ days: 1 }), '18:30')));
    await notify.notifyCaseStaff(notice({ userId: eve, seq: 4, at: await env.currentTimeMs() }));
    await travelTo(atLocal(makeUp, '09:00') + SECOND);
    const [f1] = await eventually(() => mailsTo(eve).length === 1 && mailsTo(eve), 'the make-up day email');
    expect(shanghai(f1!.at)).toBe(`${makeUp.toFormat('yyyy-MM-dd')} 09:00`);
    expect(makeUp.weekday).toBeGreaterThanOrEqual(6);
  });
});
