import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { csvCell, toCsv } from '../../api/reports/csv.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { findSeededPlaces, insertCaseRows } from '../support/read-model.js';
import { call, expectProblem, type Answer } from './http.js';

/**
 * The SLA report's arithmetic on read-model rows written straight into the database (as the case
 * workflow's projection would), so every expected figure can be worked out by hand.
 */
let stack: TestStack;
const tokens = new Map<string, string>();
const as = (user: string, path: string, headers: Record<string, string> = {}): Promise<Answer> =>
  call(stack, 'GET', path, { token: tokens.get(user)!, headers });

const H = 3_600_000;
const PERIOD = 'from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z';
const at = (iso: string) => new Date(iso);
const today = { c9Counts: false };
const ids = { group: '', east: '', south: '', bjhy: '', hpmd: '', hjw: '', handlerProject: '', handlerCompany: '', customer: '' };

async function insertCase(o: {
  id: string;
  projectId: string;
  companyId: string;
  tier: string;
  status: string;
  assigneeId: string | null;
  openedAt: string;
  satisfaction?: number;
  targets: { tier: string; target: string; startedAt: string; dueAt: string; metAt?: string; breachedAt?: string; durationMs?: number; periodEndedAt?: string }[];
  escalations?: { fromTier: string; toTier: string }[];
}) {
  const date = (iso: string | undefined) => (iso === undefined ? undefined : at(iso));
  await insertCaseRows(stack.db, {
    id: o.id,
    number: `CS-20260110-${o.id.slice(-4)}`,
    groupId: ids.group,
    companyId: o.companyId,
    projectId: o.projectId,
    customerId: ids.customer,
    tier: o.tier,
    status: o.status,
    assigneeId: o.assigneeId,
    openedById: ids.handlerProject,
    openedAt: at(o.openedAt),
    satisfaction: o.satisfaction ?? null,
    targets: o.targets.map((t) => ({
      tier: t.tier,
      target: t.target,
      startedAt: at(t.startedAt),
      dueAt: at(t.dueAt),
      metAt: date(t.metAt),
      breachedAt: date(t.breachedAt),
      durationMs: t.durationMs,
      periodEndedAt: date(t.periodEndedAt),
    })),
    escalations: (o.escalations ?? []).map((e) => ({
      ...e,
      status: 'approved',
      source: 'breach',
      reason: 'firstContact target breached',
      requestedBy: 'system',
      requestedAt: at(o.openedAt),
      dueAt: at(o.openedAt),
    })),
  });
}

beforeAll(async () => {
  stack = await startTestStack({ seed: true });
  const { db } = stack;
  Object.assign(ids, await findSeededPlaces(db));
  ids.handlerProject = (await db.user.findUniqueOrThrow({ where: { username: 'handler.project' } })).id;
  ids.handlerCompany = (await db.user.findUniqueOrThrow({ where: { username: 'handler.company' } })).id;

  // C1: met both targets at the project office, closed with satisfaction 5.
  await insertCase({
    id: '00000000-0000-4000-8000-000000000001', projectId: ids.bjhy, companyId: ids.east, tier: 'PROJECT', status: 'closed',
    assigneeId: ids.handlerProject, openedAt: '2026-01-10T02:00:00Z', satisfaction: 5,
    targets: [
      { tier: 'PROJECT', target: 'firstContact', startedAt: '2026-01-10T02:00:00Z', dueAt: '2026-01-11T02:00:00Z', metAt: '2026-01-10T03:00:00Z', durationMs: 1 * H },
      { tier: 'PROJECT', target: 'resolution', startedAt: '2026-01-10T02:00:00Z', dueAt: '2026-01-17T02:00:00Z', metAt: '2026-01-10T12:00:00Z', durationMs: 10 * H },
    ],
  });
  // C2: first contact breached at the project office (met late after 30 h), escalated, then met at COMPANY; satisfaction 3.
  await insertCase({
    id: '00000000-0000-4000-8000-000000000002', projectId: ids.bjhy, companyId: ids.east, tier: 'COMPANY', status: 'closed',
    assigneeId: ids.handlerCompany, openedAt: '2026-01-12T00:00:00Z', satisfaction: 3,
    targets: [
      { tier: 'PROJECT', target: 'firstContact', startedAt: '2026-01-12T00:00:00Z', dueAt: '2026-01-13T00:00:00Z', breachedAt: '2026-01-13T00:00:01Z', metAt: '2026-01-13T06:00:00Z', durationMs: 30 * H },
      { tier: 'COMPANY', target: 'firstContact', startedAt: '2026-01-13T06:00:00Z', dueAt: '2026-01-14T06:00:00Z', metAt: '2026-01-13T08:00:00Z', durationMs: 2 * H },
      { tier: 'COMPANY', target: 'resolution', startedAt: '2026-01-13T06:00:00Z', dueAt: '2026-01-20T06:00:00Z', metAt: '2026-01-14T02:00:00Z', durationMs: 20 * H },
    ],
    escalations: [{ fromTier: 'PROJECT', toTier: 'COMPANY' }],
  });
  // C3: another company's project, first contact breached and still unmet, no assignee.
  await insertCase({
    id: '00000000-0000-4000-8000-000000000003', projectId: ids.hjw, companyId: ids.south, tier: 'PROJECT', status: 'open',
    assigneeId: null, openedAt: '2026-01-20T00:00:00Z',
    targets: [{ tier: 'PROJECT', target: 'firstContact', startedAt: '2026-01-20T00:00:00Z', dueAt: '2026-01-21T00:00:00Z', breachedAt: '2026-01-21T00:00:00Z' }],
  });
  // C4: opened before the period: in no figure.
  await insertCase({
    id: '00000000-0000-4000-8000-000000000004', projectId: ids.bjhy, companyId: ids.east, tier: 'PROJECT', status: 'open',
    assigneeId: null, openedAt: '2025-12-31T23:59:59Z',
    targets: [{ tier: 'PROJECT', target: 'firstContact', startedAt: '2025-12-31T23:59:59Z', dueAt: '2026-01-01T23:59:59Z', breachedAt: '2026-01-01T23:59:59Z' }],
  });
  // 海景湾 keeps Pacific time: times of its cases are written in its zone, and its "today" is its own.
  await db.project.update({ where: { id: ids.hjw }, data: { timeZone: 'America/Los_Angeles' } });

  // March 2026, for the figures in progress and the grouped breaches.
  // C6: first contact breached at the project office and never met there; escalated (the PROJECT period
  // ended 6 h after the deadline, its resolution clock abandoned); first contact met at COMPANY, whose
  // resolution is breached and still unmet: late now.
  await insertCase({
    id: '00000000-0000-4000-8000-000000000006', projectId: ids.bjhy, companyId: ids.east, tier: 'COMPANY', status: 'contacted',
    assigneeId: ids.handlerCompany, openedAt: '2026-03-01T00:00:00Z',
    targets: [
      { tier: 'PROJECT', target: 'firstContact', startedAt: '2026-03-01T00:00:00Z', dueAt: '2026-03-02T00:00:00Z', breachedAt: '2026-03-02T00:00:00Z', periodEndedAt: '2026-03-02T06:00:00Z' },
      { tier: 'PROJECT', target: 'resolution', startedAt: '2026-03-01T00:00:00Z', dueAt: '2026-03-08T00:00:00Z', periodEndedAt: '2026-03-02T06:00:00Z' },
      { tier: 'COMPANY', target: 'firstContact', startedAt: '2026-03-02T06:00:00Z', dueAt: '2026-03-03T06:00:00Z', metAt: '2026-03-02T08:00:00Z', durationMs: 2 * H },
      { tier: 'COMPANY', target: 'resolution', startedAt: '2026-03-02T06:00:00Z', dueAt: '2026-03-09T06:00:00Z', breachedAt: '2026-03-09T06:00:00Z' },
    ],
    escalations: [{ fromTier: 'PROJECT', toTier: 'COMPANY' }],
  });
  // C7: at the project office, both clocks running (neither met nor breached).
  await insertCase({
    id: '00000000-0000-4000-8000-000000000007', projectId: ids.bjhy, companyId: ids.east, tier: 'PROJECT', status: 'open',
    assigneeId: ids.handlerProject, openedAt: '2026-03-05T00:00:00Z',
    targets: [
      { tier: 'PROJECT', target: 'firstContact', startedAt: '2026-03-05T00:00:00Z', dueAt: '2099-03-06T00:00:00Z' },
      { tier: 'PROJECT', target: 'resolution', startedAt: '2026-03-05T00:00:00Z', dueAt: '2099-03-12T00:00:00Z' },
    ],
  });

  // Today's breaches, of cases opened 40 days ago (outside the default period). C8 at 滨江花园
  // (Shanghai) breached today there. C9 at 海景湾 (Los Angeles) breached at an instant that is today
  // in exactly one of the two zones: it counts only if it is today in Los Angeles.
  const now = Date.now();
  const startSh = DateTime.fromMillis(now, { zone: 'Asia/Shanghai' }).startOf('day').toMillis();
  const startLa = DateTime.fromMillis(now, { zone: 'America/Los_Angeles' }).startOf('day').toMillis();
  const c8At = new Date(startSh + (now - startSh) / 2).toISOString();
  const c9At = new Date((startSh + startLa) / 2).toISOString();
  today.c9Counts = Date.parse(c9At) >= startLa;
  const opened40 = new Date(now - 40 * 86_400_000).toISOString();
  for (const [id, projectId, companyId, breachedAt] of [
    ['00000000-0000-4000-8000-000000000008', ids.bjhy, ids.east, c8At],
    ['00000000-0000-4000-8000-000000000009', ids.hjw, ids.south, c9At],
  ] as const)
    await insertCase({
      id, projectId, companyId, tier: 'PROJECT', status: 'open', assigneeId: null, openedAt: opened40,
      targets: [{ tier: 'PROJECT', target: 'firstContact', startedAt: opened40, dueAt: breachedAt, breachedAt }],
    });

  for (const u of ['manager.group', 'manager.company', 'manager.project', 'supervisor.group', 'handler.group', 'admin', 'agent.group']) tokens.set(u, await stack.login(u));
});
afterAll(async () => {
  await stack?.close();
});

describe('SLA report by tier', () => {
  it('counts met and breached targets where they ran, with median and p90 durations of the met ones', async () => {
    const a = await as('manager.group', `/api/reports/sla?${PERIOD}&groupBy=tier`);
    expect(a.status, a.text).toBe(200);
    expect(a.body.groups.map((g: { key: string }) => g.key)).toEqual(['COMPANY', 'PROJECT']);
    const [company, project] = a.body.groups;
    expect(project).toMatchObject({
      label: '项目',
      cases: 2, // C1 and C3 are at PROJECT now; C2 moved on
      firstContact: { met: 1, breached: 2, inProgress: 0, metPct: 33.3 },
      resolution: { met: 1, breached: 0, inProgress: 0, metPct: 100 },
      callback: { met: 0, breached: 0, inProgress: 0, metPct: null },
      overall: { met: 2, breached: 2, inProgress: 0, metPct: 50 },
      // Met first contacts at PROJECT: 1 h (C1) and 30 h (C2, late): median 15.5 h, p90 1 + 0.9 × 29 = 27.1 h.
      timeToFirstContactMs: { median: 15.5 * H, p90: 27.1 * H },
      timeToResolutionMs: { median: 10 * H, p90: 10 * H },
      escalations: 1,
      satisfactionAvg: 5,
    });
    expect(company).toMatchObject({
      cases: 1,
      firstContact: { met: 1, breached: 0, metPct: 100 },
      resolution: { met: 1, breached: 0 },
      timeToFirstContactMs: { median: 2 * H, p90: 2 * H },
      timeToResolutionMs: { median: 20 * H, p90: 20 * H },
      escalations: 0,
      satisfactionAvg: 3,
    });
    expect(a.body.totals).toMatchObject({ key: 'all', cases: 3, firstContact: { met: 2, breached: 2, metPct: 50 }, escalations: 1, satisfactionAvg: 4, callbacks: 2 });
  });

  it('narrows to the caller’s company or project', async () => {
    const company = await as('manager.company', `/api/reports/sla?${PERIOD}&groupBy=tier`);
    expect(company.body.totals).toMatchObject({ cases: 2, firstContact: { met: 2, breached: 1 } });
    const project = await as('manager.project', `/api/reports/sla?${PERIOD}&groupBy=project`);
    expect(project.body.groups.map((g: { label: string }) => g.label)).toEqual(['滨江花园']);
    expectProblem(await as('manager.project', `/api/reports/sla?${PERIOD}&projectId=${ids.hjw}`), 403, 'OUT_OF_SCOPE');
  });
});

describe('SLA report by other dimensions', () => {
  it('groups by project and by assignee with names, the unassigned last', async () => {
    const byProject = await as('manager.group', `/api/reports/sla?${PERIOD}&groupBy=project`);
    const projects = byProject.body.groups.map((g: { key: string; label: string; cases: number }) => [g.key, g.label, g.cases]);
    expect(projects).toEqual(
      [
        [ids.bjhy, '滨江花园', 2],
        [ids.hjw, '海景湾', 1],
      ].sort((x, y) => (x[0]! < y[0]! ? -1 : 1)),
    );
    const byAssignee = await as('manager.group', `/api/reports/sla?${PERIOD}&groupBy=assignee`);
    const last = byAssignee.body.groups.at(-1);
    expect(last).toMatchObject({ key: null, label: '未分派', cases: 1, firstContact: { breached: 1 } });
    expect(byAssignee.body.groups.map((g: { label: string }) => g.label)).toEqual(expect.arrayContaining(['项目处理人', '公司处理人']));
  });

  it('groups by category and by day of opening in the project time zone', async () => {
    const byCategory = await as('manager.group', `/api/reports/sla?${PERIOD}&groupBy=category`);
    expect(byCategory.body.groups).toEqual([expect.objectContaining({ key: 'complaint.quality.leakage', label: '投诉 / 工程质量 / 渗漏', cases: 3 })]);
    const byDay = await as('manager.group', `/api/reports/sla?${PERIOD}&groupBy=day`);
    expect(byDay.body.groups.map((g: { key: string }) => g.key)).toEqual(['2026-01-10', '2026-01-12', '2026-01-20']);
  });

  it('refuses an empty period and an unknown grouping with 400', async () => {
    expectProblem(await as('manager.group', '/api/reports/sla?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z'), 400, 'VALIDATION_FAILED');
    expectProblem(await as('manager.group', '/api/reports/sla?groupBy=weather'), 400, 'VALIDATION_FAILED');
  });

  it('is for managers and supervisors only', async () => {
    expect((await as('supervisor.group', `/api/reports/sla?${PERIOD}`)).status).toBe(200);
    for (const u of ['handler.group', 'admin', 'agent.group']) expectProblem(await as(u, `/api/reports/sla?${PERIOD}`), 403, 'FORBIDDEN');
  });
});

describe('breach list', () => {
  it('lists each breach of the period with its case, target, tier, assignee and lateness, latest first', async () => {
    const a = await as('manager.group', `/api/reports/sla/breaches?${PERIOD}`);
    expect(a.status, a.text).toBe(200);
    expect(a.body).toMatchObject({ total: 2, page: 1, pageSize: 20 });
    const [c3, c2] = a.body.items;
    expect(c3).toMatchObject({ caseNumber: 'CS-20260110-0003', target: 'firstContact', tier: 'PROJECT', projectName: '海景湾', assigneeId: null, metAt: null, overdue: true });
    const late3 = Date.now() - Date.parse('2026-01-21T00:00:00Z');
    expect(c3.latenessMs).toBeGreaterThan(late3 - 60_000);
    expect(c3.latenessMs).toBeLessThan(late3 + 60_000);
    expect(c2).toMatchObject({ caseNumber: 'CS-20260110-0002', assigneeName: '公司处理人', latenessMs: 6 * H, breachedAt: '2026-01-13T00:00:01.000Z', overdue: false });
    const company = await as('manager.company', `/api/reports/sla/breaches?${PERIOD}`);
    expect(company.body.items.map((b: { caseNumber: string }) => b.caseNumber)).toEqual(['CS-20260110-0002']);
    const resolution = await as('manager.group', `/api/reports/sla/breaches?${PERIOD}&target=resolution`);
    expect(resolution.body.total).toBe(0);
  });
});

const MARCH = 'from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z';

describe('figures that read right', () => {
  it('counts targets in progress apart from met and breached, and a target its tier abandoned in none', async () => {
    const a = await as('manager.group', `/api/reports/sla?${MARCH}&groupBy=tier`);
    expect(a.status, a.text).toBe(200);
    const [company, project] = a.body.groups;
    // PROJECT: C6's first contact breached there; C7's two clocks running; C6's abandoned resolution nowhere.
    expect(project).toMatchObject({
      key: 'PROJECT',
      firstContact: { met: 0, breached: 1, inProgress: 1, metPct: 0 },
      resolution: { met: 0, breached: 0, inProgress: 1, metPct: null },
      overall: { met: 0, breached: 1, inProgress: 2, metPct: 0 },
    });
    expect(company).toMatchObject({
      key: 'COMPANY',
      firstContact: { met: 1, breached: 0, inProgress: 0, metPct: 100 },
      resolution: { met: 0, breached: 1, inProgress: 0, metPct: 0 },
    });
    expect(a.body.totals.overall).toEqual({ met: 1, breached: 2, inProgress: 2, metPct: 33.3 });
    for (const row of [...a.body.groups, a.body.totals])
      for (const t of ['firstContact', 'resolution', 'callback', 'overall']) {
        const { met, breached, metPct } = row[t];
        // A rate agrees with its counts: null when nothing was decided, 100 only without breaches, 0 only without a met one.
        if (met + breached === 0) expect(metPct).toBeNull();
        else expect(metPct === 100).toBe(breached === 0);
        if (met + breached > 0) expect(metPct === 0).toBe(met === 0);
      }
  });

  it('stops a breach’s lateness when its tier handed the case over, and says which breaches are late now', async () => {
    const a = await as('manager.group', `/api/reports/sla/breaches?${MARCH}`);
    const [companyResolution, projectContact] = a.body.items;
    expect(projectContact).toMatchObject({
      target: 'firstContact', tier: 'PROJECT', metAt: null, periodEndedAt: '2026-03-02T06:00:00.000Z', latenessMs: 6 * H, overdue: false,
    });
    expect(companyResolution).toMatchObject({ target: 'resolution', tier: 'COMPANY', periodEndedAt: null, overdue: true });
    expect(companyResolution.latenessMs).toBeGreaterThan(Date.now() - Date.parse('2026-03-09T06:00:00Z') - 60_000);
  });
});

describe('breaches grouped per case', () => {
  it('lists each case once with its breaches, the latest breach first', async () => {
    const a = await as('manager.group', `/api/reports/sla/breached-cases?${MARCH}`);
    expect(a.status, a.text).toBe(200);
    expect(a.body).toMatchObject({ total: 1, page: 1, pageSize: 20 });
    const [c6] = a.body.items;
    expect(c6).toMatchObject({
      caseNumber: 'CS-20260110-0006',
      projectName: '滨江花园',
      tier: 'COMPANY',
      status: 'contacted',
      assigneeName: '公司处理人',
      breachCount: 2,
      lastBreachedAt: '2026-03-09T06:00:00.000Z',
      overdue: true,
    });
    expect(c6.breaches.map((b: { target: string; tier: string; overdue: boolean }) => [b.target, b.tier, b.overdue])).toEqual([
      ['resolution', 'COMPANY', true],
      ['firstContact', 'PROJECT', false],
    ]);
    expect(c6.maxLatenessMs).toBe(c6.breaches[0].latenessMs);
    expect(c6.breaches[0]).not.toHaveProperty('caseNumber');
  });

  it('pages by case, filters the breaches it shows, and keeps the caller’s scope', async () => {
    const jan = await as('manager.group', `/api/reports/sla/breached-cases?${PERIOD}&pageSize=1`);
    expect(jan.body).toMatchObject({ total: 2, pageSize: 1 });
    expect(jan.body.items.map((c: { caseNumber: string }) => c.caseNumber)).toEqual(['CS-20260110-0003']);
    const second = await as('manager.group', `/api/reports/sla/breached-cases?${PERIOD}&pageSize=1&page=2`);
    expect(second.body.items.map((c: { caseNumber: string }) => c.caseNumber)).toEqual(['CS-20260110-0002']);
    const projectTier = await as('manager.group', `/api/reports/sla/breached-cases?${MARCH}&tier=PROJECT`);
    expect(projectTier.body.items[0]).toMatchObject({ breachCount: 1, overdue: false });
    const south = await as('manager.project', `/api/reports/sla/breached-cases?${PERIOD}`);
    expect(south.body.items.map((c: { caseNumber: string }) => c.caseNumber)).toEqual(['CS-20260110-0002']);
    for (const u of ['handler.group', 'agent.group']) expectProblem(await as(u, `/api/reports/sla/breached-cases?${PERIOD}`), 403, 'FORBIDDEN');
  });

  it('exports one line per case with its breaches in words', async () => {
    const a = await as('manager.group', `/api/reports/sla/breached-cases?${MARCH}`, { accept: 'text/csv' });
    expect(a.headers.get('content-disposition')).toBe('attachment; filename="sla-breached-cases-2026-03-01-2026-04-01.csv"');
    const lines = a.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('工单号,项目,当前层级,当前状态,分类,当前处理人,受理时间,超时次数,超时时限(层级),最近超时时间,最长超时(小时),目前仍超时,时区');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^CS-20260110-0006,滨江花园,公司,已联系,投诉 \/ 工程质量 \/ 渗漏,公司处理人,2026-03-01T08:00:00\+08:00,2,解决（公司）、首次联系（项目）,2026-03-09T14:00:00\+08:00,\d+(\.\d+)?,是,Asia\/Shanghai$/,
    );
  });
});

describe('breaches today', () => {
  it('lists the breaches recorded today by each project’s day, whenever the case opened', async () => {
    const expected = ['CS-20260110-0008', ...(today.c9Counts ? ['CS-20260110-0009'] : [])];
    const flat = await as('manager.group', '/api/reports/sla/breaches?breachedToday=true');
    expect(flat.status, flat.text).toBe(200);
    expect(flat.body.items.map((b: { caseNumber: string }) => b.caseNumber).sort()).toEqual(expected);
    const grouped = await as('manager.group', '/api/reports/sla/breached-cases?breachedToday=true');
    expect(grouped.body.total).toBe(expected.length);
    // An explicit opening period still applies.
    expect((await as('manager.group', `/api/reports/sla/breached-cases?breachedToday=true&${PERIOD}`)).body.total).toBe(0);
    const company = await as('manager.company', '/api/reports/sla/breached-cases?breachedToday=true');
    expect(company.body.items.map((c: { caseNumber: string }) => c.caseNumber)).toEqual(['CS-20260110-0008']);
  });
});

describe('CSV export', () => {
  const csvLines = (a: Answer) => a.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');

  it('answers the report as CSV with a BOM, headers in Chinese by default and words for tiers', async () => {
    const a = await as('manager.group', `/api/reports/sla?${PERIOD}&groupBy=tier`, { accept: 'text/csv' });
    expect(a.status).toBe(200);
    expect(a.contentType).toBe('text/csv; charset=utf-8');
    expect(a.headers.get('content-language')).toBe('zh-CN');
    // fetch's text() drops a leading BOM: look at the bytes.
    const raw = Buffer.from(
      await (await fetch(`${stack.baseUrl}/api/reports/sla?${PERIOD}&groupBy=tier`, { headers: { accept: 'text/csv', authorization: `Bearer ${tokens.get('manager.group')}` } })).arrayBuffer(),
    );
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csvLines(a);
    expect(lines[0]!.split(',')).toEqual([
      '分组', '工单数',
      '首次联系·达标', '首次联系·超时', '首次联系·进行中', '首次联系·达标率(%)',
      '解决·达标', '解决·超时', '解决·进行中', '解决·达标率(%)',
      '回访·达标', '回访·超时', '回访·进行中', '回访·达标率(%)',
      '整体·达标', '整体·超时', '整体·进行中', '整体·达标率(%)',
      '首次联系用时·一般(中位数，小时)', '首次联系用时·较慢(90%不超过，小时)', '解决用时·一般(中位数，小时)', '解决用时·较慢(90%不超过，小时)',
      '升级次数', '已回访工单', '平均满意度(1-5)', '分组代码',
    ]);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['公司', '项目', '合计']);
    // Numbers stay plain: 2 met, 2 breached (33.3 %), 15.5 h typical, …
    expect(lines[2]).toBe('项目,2,1,2,0,33.3,1,0,0,100,0,0,0,,2,2,0,50,15.5,27.1,10,10,1,1,5,PROJECT');
    // The last column keeps each group's code, for joining sheets.
    expect(lines.slice(1).map((l) => l.split(',').at(-1))).toEqual(['COMPANY', 'PROJECT', 'all']);
  });

  it('writes the headers and words in English on Accept-Language: en', async () => {
    const a = await as('manager.group', `/api/reports/sla?${PERIOD}&groupBy=tier`, { accept: 'text/csv', 'accept-language': 'en-GB,en;q=0.9' });
    expect(a.headers.get('content-language')).toBe('en');
    const lines = csvLines(a);
    expect(lines[0]!.split(',').slice(0, 6)).toEqual(['Group', 'Cases', 'First contact: met', 'First contact: breached', 'First contact: in progress', 'First contact: met rate (%)']);
    expect(lines[0]!.split(',').at(-1)).toBe('Group key');
    expect(lines[0]).toContain(',First contact: typical hours (median),First contact: slow-end hours (90% within),');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['Company', 'Project', 'Total']);
  });

  it('exports breaches with words for targets and tiers, and times in each project’s zone with the offset', async () => {
    const zh = csvLines(await as('manager.group', `/api/reports/sla/breaches?${PERIOD}`, { accept: 'text/csv' }));
    expect(zh[0]!.split(',')).toEqual([
      '工单号', '时限', '超时层级', '分类', '项目', '处理人', '开始时间', '截止时间', '超时时间', '完成时间', '该层级结束时间', '超时时长(小时)', '目前仍超时', '时区',
    ]);
    // C2 at 滨江花园 (Asia/Shanghai): breached 2026-01-13T00:00:01Z = 08:00:01 in Shanghai.
    expect(zh[2]).toBe(
      'CS-20260110-0002,首次联系,项目,投诉 / 工程质量 / 渗漏,滨江花园,公司处理人,2026-01-12T08:00:00+08:00,2026-01-13T08:00:00+08:00,2026-01-13T08:00:01+08:00,2026-01-13T14:00:00+08:00,,6,否,Asia/Shanghai',
    );
    // C3 at 海景湾, whose project keeps America/Los_Angeles time (set in beforeAll): -08:00 in January.
    expect(zh[1]).toMatch(/^CS-20260110-0003,首次联系,项目,投诉 \/ 工程质量 \/ 渗漏,海景湾,未分派,2026-01-19T16:00:00-08:00,2026-01-20T16:00:00-08:00,2026-01-20T16:00:00-08:00,,,\d+(\.\d+)?,是,America\/Los_Angeles$/);
    const en = csvLines(await as('manager.group', `/api/reports/sla/breaches?${PERIOD}`, { accept: 'text/csv', 'accept-language': 'en' }));
    expect(en[0]!.split(',').slice(0, 6)).toEqual(['Case number', 'Target', 'Tier breached at', 'Category', 'Project', 'Assignee']);
    expect(en[2]).toMatch(/^CS-20260110-0002,First contact,Project,Complaint › Building quality › Leakage,滨江花园,公司处理人,2026-01-12T08:00:00\+08:00,/);
  });

  it('quotes commas, quotes and line breaks, and defuses spreadsheet formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+86 138')).toBe("'+86 138");
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
    expect(toCsv(['a', 'b'], [[1, '中文']])).toBe('\uFEFFa,b\r\n1,中文\r\n');
  });
});
