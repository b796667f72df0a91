import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALENDAR_CN_DEFAULT } from '../../domain/cases/business-calendar.js';
import { scheduleCoverage, CN_STATE_COUNCIL_SCHEDULE } from '../../domain/cases/holiday-schedules.js';
import { caseCalendarSnapshot } from '../../app/cases/settings.js';
import { caseWorkflow } from '../../app/cases/workflow.js';
import { call, errorPaths, expectProblem, type Answer } from '../api/http.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * Issue 14, item 1: the shipped calendar follows the State Council's schedule; admins import an ICS
 * file or feed into a calendar; a changed calendar re-times running cases' open targets (audited),
 * never met ones; admins see whether next year's holidays are known. Real PostgreSQL, Temporal dev
 * server, the application's worker and API.
 */
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

let stack: TestStack;
let feed: http.Server;
let feedBody = '';
const tokens = new Map<string, string>();
const as = (user: string, method: string, path: string, json?: unknown): Promise<Answer> => call(stack, method, path, { token: tokens.get(user)!, json });
const HOUR = 3_600_000;
const ZONE = 'Asia/Shanghai';

async function eventually<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 800)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** An all-day event per date, marked 休 (day off) or 班 (worked), like the published feeds. */
const ics = (days: Array<{ date: string; summary: string }>, extra = '') =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//estate-care test//CN',
    ...days.flatMap((d, i) => [
      'BEGIN:VEVENT',
      `UID:test-${i}-${d.date}`,
      'DTSTAMP:20261201T000000Z',
      `DTSTART;VALUE=DATE:${d.date.replaceAll('-', '')}`,
      `DTEND;VALUE=DATE:${DateTime.fromISO(d.date).plus({ days: 1 }).toFormat('yyyyLLdd')}`,
      `SUMMARY:${d.summary}`,
      'END:VEVENT',
    ]),
    extra,
    'END:VCALENDAR',
  ]
    .filter(Boolean)
    .join('\r\n');

const ALL_DAY = [{ start: '00:00', end: '24:00' }];
/** A service desk open round the clock every day, so a closed day moves a deadline by exactly 24 h. */
const DESK = { id: 'desk', name: '客服中心 / Service desk', timeZone: ZONE, weekly: { 1: ALL_DAY, 2: ALL_DAY, 3: ALL_DAY, 4: ALL_DAY, 5: ALL_DAY, 6: ALL_DAY, 7: ALL_DAY }, holidays: [], makeUpWorkdays: [], workingDayHours: 24 };
const localDay = (offsetDays: number) => DateTime.now().setZone(ZONE).plus({ days: offsetDays }).toISODate()!;

beforeAll(async () => {
  stack = await startTestStack({ seed: true, temporal: true, worker: true });
  for (const u of ['admin', 'agent.project', 'handler.project', 'manager.group']) tokens.set(u, await stack.login(u));
  feed = http.createServer((req, res) => {
    if (req.url === '/holidays.ics') {
      res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8' });
      res.end(feedBody);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => feed.listen(0, '127.0.0.1', r));
}, 180_000);
afterAll(async () => {
  await new Promise((r) => feed?.close(r));
  await stack?.close();
}, 60_000);

describe('the shipped Mainland China calendar', () => {
  it('follows the State Council schedule, and says whether next year is known', async () => {
    const cals = await as('manager.group', 'GET', '/api/calendars');
    expect(cals.body.items[0]).toMatchObject({ id: 'cn-default', publicHolidays: 'CN' });
    const coverage = await as('admin', 'GET', '/api/calendars/schedule-coverage');
    expect(coverage.status, coverage.text).toBe(200);
    // The same rule as the domain's, at the server's now (the warning depends on the date it runs).
    const expected = scheduleCoverage([CALENDAR_CN_DEFAULT], new Set(['cn-default']), Date.now())[0]!;
    expect(coverage.body.items[0]).toEqual({ ...expected, calendarId: 'cn-default', inUse: true });
    expect(coverage.body.items[0].years).toEqual(expect.arrayContaining([2020, 2021, 2022, 2023, 2024, 2025, 2026]));
    expect(coverage.body.items[1]).toMatchObject({ calendarId: '24x7', years: [], warn: false });
    expectProblem(await as('handler.project', 'GET', '/api/calendars/schedule-coverage'), 403, 'FORBIDDEN');
  });
});

describe('a changed calendar re-times running cases', () => {
  let c: { id: string; workflowId: string; openedAt: string; sla: { firstContact: { dueAt: string; metAt: string | null }; resolution: { dueAt: string } } };
  let resolutionDue = 0;
  let contactDue = '';

  it('opens a case on the service desk calendar, with the schedule applied to its snapshot', async () => {
    expect((await as('admin', 'PUT', '/api/calendars', [CALENDAR_CN_DEFAULT, DESK])).status).toBe(200);
    const put = await as('admin', 'PUT', '/api/sla-policies', [
      { id: 'desk-repairs', name: '报修（服务台日历）', categoryPrefix: 'repair', clock: 'business', calendarId: 'desk', firstContact: 'PT2H', resolution: 'P3D', callback: 'P3D' },
      { id: 'cn-complaints', name: '投诉（工作日）', categoryPrefix: 'complaint', clock: 'business', firstContact: 'PT4H', resolution: 'P5D', callback: 'P3D' },
    ]);
    expect(put.status, put.text).toBe(200);
    const projectId = (await stack.db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } })).id;
    const opened = await as('agent.project', 'POST', '/api/cases', {
      type: 'repair',
      projectId,
      customer: { name: '陈立', phone: '0571-8888 6666' },
      category: 'repair.plumbing.leak',
      severity: 'minor',
      channel: 'phone',
      description: '卫生间漏水 / the bathroom leaks',
    });
    expect(opened.status, opened.text).toBe(201);
    c = opened.body;
    resolutionDue = Date.parse(c.sla.resolution.dueAt);
    // Three 24-hour days from the opening (the API's openedAt, which the workflow counts from too).
    expect(resolutionDue - Date.parse(c.openedAt)).toBe(72 * HOUR);

    // A complaint on the Mainland China calendar: its workflow got the schedule's days, applied,
    // and only those from its opening day on.
    const complaint = await as('agent.project', 'POST', '/api/cases', {
      type: 'complaint',
      projectId,
      customer: { name: '陈立', phone: '0571-8888 6666' },
      category: 'complaint.service.parking',
      severity: 'minor',
      channel: 'phone',
      description: '车位被占 / my parking space is taken',
    });
    expect(complaint.status, complaint.text).toBe(201);
    const state = await caseWorkflow.queryStateOrNull(stack.temporal, complaint.body.workflowId);
    const openedAt = Date.parse(complaint.body.openedAt);
    expect(state?.calendar).toEqual(caseCalendarSnapshot(CALENDAR_CN_DEFAULT, openedAt, openedAt));
    // Item 3: the API answered without waiting for the worker, with deadlines from the same pure
    // reducer and the openedAt it passed in the input: the workflow's agree to the millisecond.
    expect(state?.openedAt).toBe(openedAt);
    expect(new Date(state!.targets.firstContact!.dueAt).toISOString()).toBe(complaint.body.sla.firstContact.dueAt);
    expect(new Date(state!.targets.resolution!.dueAt).toISOString()).toBe(complaint.body.sla.resolution.dueAt);
    expect(state?.calendar?.publicHolidays).toBeUndefined();
    for (const d of state?.calendar?.holidays ?? []) expect(CN_STATE_COUNCIL_SCHEDULE.holidays.has(d)).toBe(true);

    // The first contact is made: that target is met and must never move.
    expect((await as('handler.project', 'POST', `/api/cases/${c.id}/contact`, { note: '已联系业主 / called the owner' })).status).toBe(200);
    const contacted = await eventually('the contact in the read model', () => as('handler.project', 'GET', `/api/cases/${c.id}`), (a) => a.body.sla?.firstContact?.metAt !== null);
    contactDue = contacted.body.sla.firstContact.dueAt;
  });

  it('moves the open resolution deadline by the two days off an imported ICS file adds, audited with the admin as actor', async () => {
    const imported = await as('admin', 'POST', '/api/calendars/desk/import', {
      ics: ics([
        { date: localDay(1), summary: '公司年会(休)' },
        { date: localDay(2), summary: '公司年会(休)' },
      ]),
    });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.body.imported).toEqual({ holidays: 2, makeUpWorkdays: 0, skipped: 0 });
    expect(imported.body.calendar.holidays).toEqual([localDay(1), localDay(2)]);

    const after = await eventually('the re-timed deadline', () => as('handler.project', 'GET', `/api/cases/${c.id}`), (a) => Date.parse(a.body.sla.resolution.dueAt) !== resolutionDue);
    expect(Date.parse(after.body.sla.resolution.dueAt) - resolutionDue).toBe(48 * HOUR);
    expect(after.body.sla.firstContact.dueAt).toBe(contactDue);
    const events = await as('handler.project', 'GET', `/api/cases/${c.id}/events?pageSize=100`);
    const retimed = events.body.items.filter((e: { type: string }) => e.type === 'case.sla_retimed');
    expect(retimed).toHaveLength(1);
    const adminId = (await stack.db.user.findUniqueOrThrow({ where: { username: 'admin' } })).id;
    expect(retimed[0]).toMatchObject({
      actor: adminId,
      data: { calendarId: 'desk', targets: ['resolution'], resolutionFromDueAt: new Date(resolutionDue).toISOString(), resolutionDueAt: new Date(resolutionDue + 48 * HOUR).toISOString() },
    });
    resolutionDue += 48 * HOUR;
  });

  it('imports from a feed too, where a 班 day is worked: one day off less, the deadline comes back a day', async () => {
    feedBody = ics([{ date: localDay(2), summary: '调休(班)' }], 'BEGIN:VEVENT\r\nUID:meeting\r\nDTSTAMP:20261201T000000Z\r\nDTSTART:20261210T020000Z\r\nDTEND:20261210T030000Z\r\nSUMMARY:例会\r\nEND:VEVENT');
    const url = `http://127.0.0.1:${(feed.address() as AddressInfo).port}/holidays.ics`;
    const imported = await as('admin', 'POST', '/api/calendars/desk/import', { url });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.body.imported).toEqual({ holidays: 0, makeUpWorkdays: 1, skipped: 1 });
    // The desk works every day anyway: the worked day is simply no longer off.
    expect(imported.body.calendar.holidays).toEqual([localDay(1)]);
    const after = await eventually('the deadline a day earlier', () => as('handler.project', 'GET', `/api/cases/${c.id}`), (a) => Date.parse(a.body.sla.resolution.dueAt) !== resolutionDue);
    expect(Date.parse(after.body.sla.resolution.dueAt)).toBe(resolutionDue - 24 * HOUR);
  });

  it('refuses what it cannot read, with the field and the reason in the user’s language', async () => {
    const bad = await as('admin', 'POST', '/api/calendars/desk/import', { ics: 'hello' });
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(errorPaths(bad)).toEqual(['body.ics']);
    expect(bad.body.errors[0].code).toBe('ICS_INVALID');
    const empty = await as('admin', 'POST', '/api/calendars/desk/import', { ics: ics([]) });
    expect(empty.body.errors?.[0]?.code, empty.text).toBe('ICS_EMPTY');
    const both = await as('admin', 'POST', '/api/calendars/desk/import', { ics: ics([]), url: 'http://x' });
    expectProblem(both, 400, 'VALIDATION_FAILED');
    const unreachable = await as('admin', 'POST', '/api/calendars/desk/import', { url: `http://127.0.0.1:${(feed.address() as AddressInfo).port}/missing.ics` });
    expect(unreachable.body.errors?.[0], unreachable.text).toMatchObject({ path: 'body.url', code: 'ICS_FEED_UNREACHABLE' });
    expect(unreachable.body.errors[0].message).toMatch(/无法读取日历订阅地址/);
    const file = await as('admin', 'POST', '/api/calendars/no-such/import', { ics: ics([{ date: localDay(1), summary: '休' }]) });
    expectProblem(file, 404, 'NOT_FOUND');
    expectProblem(await as('manager.group', 'POST', '/api/calendars/desk/import', { ics: ics([{ date: localDay(1), summary: '休' }]) }), 403, 'FORBIDDEN');
  });
});
