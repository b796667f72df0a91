import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../api/reports/csv.js';
import { startTestStack, type TestStack } from '../support/stack.js';
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
const ids = { group: '', east: '', south: '', bjhy: '', hjw: '', handlerProject: '', handlerCompany: '', customer: '' };

async function insertCase(o: {
  id: string;
  projectId: string;
  companyId: string;
  tier: string;
  status: string;
  assigneeId: string | null;
  openedAt: string;
  satisfaction?: number;
  targets: { tier: string; target: string; startedAt: string; dueAt: string; metAt?: string; breachedAt?: string; durationMs?: number }[];
  escalations?: { fromTier: string; toTier: string }[];
}) {
  const { db } = stack;
  await db.case.create({
    data: {
      id: o.id,
      number: `CS-20260110-${o.id.slice(-4)}`,
      workflowId: `case-${o.id}`,
      groupId: ids.group,
      companyId: o.companyId,
      projectId: o.projectId,
      customerId: ids.customer,
      type: 'complaint',
      category: 'complaint.quality.leakage',
      severity: 'minor',
      channel: 'phone',
      description: 'x',
      status: o.status,
      tier: o.tier,
      assigneeId: o.assigneeId,
      policyId: 'default',
      sla: {},
      breached: o.targets.some((t) => t.breachedAt),
      satisfaction: o.satisfaction ?? null,
      openedById: ids.handlerProject,
      openedAt: at(o.openedAt),
    },
  });
  for (const [i, t] of o.targets.entries())
    await db.caseTargetRecord.create({
      data: {
        id: `${o.id}:${i}:${t.target}`,
        caseId: o.id,
        groupId: ids.group,
        projectId: o.projectId,
        tier: t.tier,
        target: t.target,
        category: 'complaint.quality.leakage',
        assigneeId: o.assigneeId,
        startedAt: at(t.startedAt),
        dueAt: at(t.dueAt),
        metAt: t.metAt ? at(t.metAt) : null,
        breachedAt: t.breachedAt ? at(t.breachedAt) : null,
        durationMs: t.durationMs === undefined ? null : BigInt(t.durationMs),
      },
    });
  for (const [i, e] of (o.escalations ?? []).entries())
    await db.caseEscalation.create({
      data: {
        id: `${o.id}:esc:${i + 1}`,
        caseId: o.id,
        groupId: ids.group,
        companyId: o.companyId,
        projectId: o.projectId,
        fromTier: e.fromTier,
        toTier: e.toTier,
        source: 'breach',
        reason: 'firstContact target breached',
        requestedBy: 'system',
        requestedAt: at(o.openedAt),
        dueAt: at(o.openedAt),
        status: 'approved',
      },
    });
}

beforeAll(async () => {
  stack = await startTestStack({ seed: true });
  const { db } = stack;
  ids.group = (await db.group.findFirstOrThrow({ where: { code: 'HX' } })).id;
  ids.east = (await db.company.findFirstOrThrow({ where: { code: 'HX-EAST' } })).id;
  ids.south = (await db.company.findFirstOrThrow({ where: { code: 'HX-SOUTH' } })).id;
  ids.bjhy = (await db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } })).id;
  ids.hjw = (await db.project.findFirstOrThrow({ where: { code: 'SZ-HJW' } })).id;
  ids.handlerProject = (await db.user.findUniqueOrThrow({ where: { username: 'handler.project' } })).id;
  ids.handlerCompany = (await db.user.findUniqueOrThrow({ where: { username: 'handler.company' } })).id;
  ids.customer = (await db.customer.findFirstOrThrow({ where: { phone: '13800138001' } })).id;

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
      label: '项目 / Project',
      cases: 2, // C1 and C3 are at PROJECT now; C2 moved on
      firstContact: { met: 1, breached: 2, metPct: 33.3 },
      resolution: { met: 1, breached: 0, metPct: 100 },
      callback: { met: 0, breached: 0, metPct: null },
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
    expect(last).toMatchObject({ key: null, label: '未分配 / Unassigned', cases: 1, firstContact: { breached: 1 } });
    expect(byAssignee.body.groups.map((g: { label: string }) => g.label)).toEqual(expect.arrayContaining(['项目处理人', '公司处理人']));
  });

  it('groups by category and by day of opening in the project time zone', async () => {
    const byCategory = await as('manager.group', `/api/reports/sla?${PERIOD}&groupBy=category`);
    expect(byCategory.body.groups).toEqual([expect.objectContaining({ key: 'complaint.quality.leakage', label: '渗漏 / Leakage', cases: 3 })]);
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
    expect(c3).toMatchObject({ caseNumber: 'CS-20260110-0003', target: 'firstContact', tier: 'PROJECT', projectName: '海景湾', assigneeId: null, metAt: null });
    expect(c3.latenessMs).toBeGreaterThan(Date.now() - Date.parse('2026-01-21T00:00:00Z') - 60_000);
    expect(c2).toMatchObject({ caseNumber: 'CS-20260110-0002', assigneeName: '公司处理人', latenessMs: 6 * H, breachedAt: '2026-01-13T00:00:01.000Z' });
    const company = await as('manager.company', `/api/reports/sla/breaches?${PERIOD}`);
    expect(company.body.items.map((b: { caseNumber: string }) => b.caseNumber)).toEqual(['CS-20260110-0002']);
    const resolution = await as('manager.group', `/api/reports/sla/breaches?${PERIOD}&target=resolution`);
    expect(resolution.body.total).toBe(0);
  });
});

describe('CSV export', () => {
  it('answers the report as CSV with a BOM and a header row on Accept: text/csv', async () => {
    const a = await as('manager.group', `/api/reports/sla?${PERIOD}&groupBy=tier`, { accept: 'text/csv' });
    expect(a.status).toBe(200);
    expect(a.contentType).toBe('text/csv; charset=utf-8');
    // fetch's text() drops a leading BOM: look at the bytes.
    const raw = Buffer.from(
      await (await fetch(`${stack.baseUrl}/api/reports/sla?${PERIOD}&groupBy=tier`, { headers: { accept: 'text/csv', authorization: `Bearer ${tokens.get('manager.group')}` } })).arrayBuffer(),
    );
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = a.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]!.split(',').slice(0, 6)).toEqual(['key', 'label', 'cases', 'firstContact_met', 'firstContact_breached', 'firstContact_met_pct']);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['COMPANY', 'PROJECT', 'all']);
    expect(lines[2]).toMatch(/^PROJECT,项目 \/ Project,2,1,2,33\.3,1,0,100,0,0,,15\.5,27\.1,10,10,1,1,5$/);
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
