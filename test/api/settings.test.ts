import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATEGORIES } from '../../domain/cases/categories.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { call, errorPaths, expectProblem, type Answer } from './http.js';

let stack: TestStack;
const tokens = new Map<string, string>();
const as = (user: string, method: string, path: string, json?: unknown): Promise<Answer> => call(stack, method, path, { token: tokens.get(user)!, json });

beforeAll(async () => {
  stack = await startTestStack({ seed: true });
  for (const u of ['admin', 'admin.company', 'manager.group', 'supervisor.company', 'handler.project', 'agent.project', 'sales.group'])
    tokens.set(u, await stack.login(u));
});
afterAll(async () => {
  await stack?.close();
});

const policy = (over: Record<string, unknown> = {}) => ({ id: 'leak-major', name: '渗漏重大', categoryPrefix: 'complaint.quality.leakage', severity: 'major', firstContact: 'PT4H', ...over });

describe('SLA policies', () => {
  it('start empty, with the handbook defaults as the fallback', async () => {
    const a = await as('manager.group', 'GET', '/api/sla-policies');
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ items: [], total: 0, page: 1 });
    expect(a.body.fallback).toMatchObject({ firstContact: 'PT24H', resolution: 'P7D', callback: 'P3D', warnAt: 0.8, satisfactionThreshold: 3 });
  });

  it('are replaced by a group administrator, with omitted fields filled from the defaults', async () => {
    const put = await as('admin', 'PUT', '/api/sla-policies', [policy()]);
    expect(put.status, put.text).toBe(200);
    expect(put.body.items).toEqual([
      expect.objectContaining({ id: 'leak-major', caseType: '*', tier: '*', firstContact: 'PT4H', resolution: 'P7D', callback: 'P3D', clock: 'calendar' }),
    ]);
    const get = await as('supervisor.company', 'GET', '/api/sla-policies');
    expect(get.body.items.map((p: { id: string }) => p.id)).toEqual(['leak-major']);
    const audit = await stack.db.auditEvent.findMany({ where: { type: 'settings.changed' } });
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });

  it('refuse an invalid document with 400 and the path of every bad field, and keep the stored one', async () => {
    const a = await as('admin', 'PUT', '/api/sla-policies', [
      policy(),
      policy({ id: 'second', firstContact: 'tomorrow', warnAt: 1.5 }),
      policy({ id: 'leak-major', categoryPrefix: 'complaint', severity: '*' }),
      policy({ id: 'business', categoryPrefix: 'repair', clock: 'business', calendarId: 'no-such-calendar' }),
    ]);
    expectProblem(a, 400, 'VALIDATION_FAILED');
    expect(errorPaths(a)).toEqual(['body.1.firstContact', 'body.1.warnAt', 'body.2.id', 'body.3.calendarId']);
    const wrongType = await as('admin', 'PUT', '/api/sla-policies', [policy({ warnAt: 'high' })]);
    expect(errorPaths(wrongType)).toEqual(['body.0.warnAt']);
    const get = await as('admin', 'GET', '/api/sla-policies');
    expect(get.body.items.map((p: { id: string }) => p.id)).toEqual(['leak-major']);
  });

  it('take notification settings per policy (working hours, digest window), validated with codes, and show the effective ones', async () => {
    const put = await as('admin', 'PUT', '/api/sla-policies', [policy({ notifications: { digestMinutes: 5 } }), policy({ id: 'plain', categoryPrefix: 'repair' })]);
    expect(put.status, put.text).toBe(200);
    const get = await as('admin', 'GET', '/api/sla-policies');
    const byId = Object.fromEntries(get.body.items.map((p: { id: string }) => [p.id, p]));
    expect(byId['leak-major'].notifications).toEqual({ workingHoursOnly: true, digestMinutes: 5 });
    // Omitted: the defaults, shown as such (held to working time, no digest window).
    expect(byId['plain'].notifications).toEqual({ workingHoursOnly: true, digestMinutes: 5 });
    expect(get.body.fallback.notifications).toEqual({ workingHoursOnly: true, digestMinutes: 5 });

    const bad = await as('admin', 'PUT', '/api/sla-policies', [
      policy({ notifications: { digestMinutes: -1 } }),
      policy({ id: 'b', categoryPrefix: 'repair', notifications: { digestMinutes: 2.5, workingHoursOnly: 'yes' } }),
      policy({ id: 'c', categoryPrefix: 'enquiry', notifications: { digestMinutes: 100_000 } }),
    ]);
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(errorPaths(bad)).toEqual(['body.0.notifications.digestMinutes', 'body.1.notifications.digestMinutes', 'body.1.notifications.workingHoursOnly', 'body.2.notifications.digestMinutes']);
    const codes = (bad.body.errors as Array<{ path: string; code: string }>).map((e) => e.code);
    expect(codes.every((c) => typeof c === 'string' && /^[A-Z_]+$/.test(c)), codes.join()).toBe(true);
    // The stored document is unchanged.
    expect((await as('admin', 'GET', '/api/sla-policies')).body.items.find((p: { id: string }) => p.id === 'leak-major').notifications.digestMinutes).toBe(5);
  });

  it('are changed only by a group administrator', async () => {
    expectProblem(await as('admin.company', 'PUT', '/api/sla-policies', [policy()]), 403, 'OUT_OF_SCOPE');
    expectProblem(await as('manager.group', 'PUT', '/api/sla-policies', [policy()]), 403, 'FORBIDDEN');
    expectProblem(await as('handler.project', 'GET', '/api/sla-policies'), 403, 'FORBIDDEN');
  });
});

describe('business calendars', () => {
  const calendar = {
    id: 'hz-office',
    name: '杭州物业办公时间',
    timeZone: 'Asia/Shanghai',
    weekly: { 1: [{ start: '08:30', end: '12:00' }, { start: '13:00', end: '17:30' }], 2: [{ start: '08:30', end: '17:30' }], 6: [] },
    holidays: ['2026-10-01', '2026-10-02'],
    makeUpWorkdays: [{ date: '2026-10-10', hoursLike: 1 }],
  };

  it('default to the mainland-China working week and a 24×7 calendar', async () => {
    const a = await as('admin', 'GET', '/api/calendars');
    expect(a.body.items.map((c: { id: string }) => c.id)).toEqual(['cn-default', '24x7']);
  });

  it('are validated and stored normalised', async () => {
    const a = await as('admin', 'PUT', '/api/calendars', [calendar]);
    expect(a.status, a.text).toBe(200);
    expect(a.body.items[0].weekly['3']).toEqual([]);
    expect((await as('admin', 'GET', '/api/calendars')).body.items.map((c: { id: string }) => c.id)).toEqual(['hz-office']);
  });

  it('refuse bad times, zones and make-up days with field paths', async () => {
    const a = await as('admin', 'PUT', '/api/calendars', [
      { ...calendar, timeZone: 'Mars/Olympus', weekly: { 1: [{ start: '25:00', end: '12:00' }] }, makeUpWorkdays: [{ date: '2026-10-01', hoursLike: 1 }] },
      calendar,
      calendar,
    ]);
    expectProblem(a, 400, 'VALIDATION_FAILED');
    const paths = errorPaths(a);
    expect(paths).toEqual(expect.arrayContaining(['body.0.timeZone', 'body.2.id']));
    expect(paths.some((p) => p.startsWith('body.0.weekly.1'))).toBe(true);
    expect(paths.some((p) => p.startsWith('body.0.makeUpWorkdays.0'))).toBe(true);
  });

  it('cannot drop a calendar a policy counts on', async () => {
    const put = await as('admin', 'PUT', '/api/sla-policies', [policy({ clock: 'business', calendarId: 'hz-office', firstContact: 'PT4H' })]);
    expect(put.status, put.text).toBe(200);
    const a = await as('admin', 'PUT', '/api/calendars', [{ ...calendar, id: 'other' }]);
    expectProblem(a, 400, 'VALIDATION_FAILED');
    expect(a.body.errors).toEqual([
      { path: 'body', code: 'CALENDAR_IN_USE', params: { policy: expect.stringMatching(/leak-major/), calendar: 'hz-office' }, message: expect.stringMatching(/^时效策略 \S*leak-major\S* 使用日历 hz-office/) },
    ]);
  });
});

describe('categories', () => {
  it('are readable by every role, starting from the handbook taxonomy', async () => {
    for (const u of ['agent.project', 'sales.group', 'handler.project']) {
      const a = await as(u, 'GET', '/api/categories');
      expect(a.status).toBe(200);
      expect(a.body.total).toBe(DEFAULT_CATEGORIES.length);
    }
  });

  it('are replaced by an administrator and validated as a tree', async () => {
    const bad = await as('admin', 'PUT', '/api/categories', [
      { code: 'complaint', name: { zh: '投诉', en: 'Complaint' } },
      { code: 'complaint.noise.night', name: { zh: '夜间噪音', en: '' } },
      { code: 'Bad Code', name: { zh: 'x', en: 'x' } },
    ]);
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(errorPaths(bad)).toEqual(['body.1.name.en', 'body.1.parent', 'body.2.code']);
    const tree = [
      { code: 'complaint', name: { zh: '投诉', en: 'Complaint' } },
      { code: 'complaint.noise', name: { zh: '噪音', en: 'Noise' } },
    ];
    const ok = await as('admin', 'PUT', '/api/categories', tree);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.items[1]).toEqual({ code: 'complaint.noise', name: { zh: '噪音', en: 'Noise' }, parent: 'complaint' });
    expect((await as('agent.project', 'GET', '/api/categories')).body.total).toBe(2);
    expectProblem(await as('handler.project', 'PUT', '/api/categories', tree), 403, 'FORBIDDEN');
  });
});
