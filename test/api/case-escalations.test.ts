import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.js';
import { bundleWorkflows } from '../../platform/temporal/worker.js';
import { createAppWorker } from '../../activities/worker.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { call, errorPaths, expectProblem, type Answer } from './http.js';

/**
 * Escalation requests end to end against the real thing (PostgreSQL, a Temporal dev server, the
 * application's worker): rejected by the receiving tier, escalated by themselves when nobody
 * decides, refused above GROUP; and what case actions answer while Temporal cannot run them.
 */
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const USERS = [
  'agent.project',
  'handler.project',
  'handler.company',
  'handler.group',
  'supervisor.project',
  'supervisor.company',
  'supervisor.group',
  'manager.group',
  'admin',
];

let stack: TestStack;
/** Each stack has its own database, so its own users and tokens. */
const tokens = new Map<TestStack, Map<string, string>>();
const ids = { bjhy: '', unitBjhy: '', handlerProject: '', supervisorCompany: '', supervisorGroup: '' };

async function login(s: TestStack, users: string[]) {
  const map = tokens.get(s) ?? new Map<string, string>();
  for (const u of users) map.set(u, await s.login(u));
  tokens.set(s, map);
}

async function as(user: string, method: string, path: string, json?: unknown, s: TestStack = stack): Promise<Answer> {
  return call(s, method, path, { token: tokens.get(s)!.get(user)!, json });
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const newCase = (over: Record<string, unknown> = {}) => ({
  type: 'complaint',
  projectId: ids.bjhy,
  unitId: ids.unitBjhy,
  customer: { name: '王先生', phone: '138 0013 8001' },
  category: 'complaint.quality.leakage',
  severity: 'minor',
  channel: 'phone',
  description: '阳台窗户渗水 / balcony window leaks',
  ...over,
});

async function open(over: Record<string, unknown> = {}, s: TestStack = stack) {
  const a = await as('agent.project', 'POST', '/api/cases', newCase(over), s);
  expect(a.status, a.text).toBe(201);
  return a.body as { id: string; number: string; tier: string; policyId: string; sla: { firstContact: { dueAt: string } } };
}

type Escalation = { id: string; status: string; fromTier: string; toTier: string; source: string; reason: string; requestedAt: string; dueAt: string; decidedBy: string | null; decidedAt: string | null; decisionNote: string | null };
type AuditEvent = { seq: number; type: string; actor: string; at: string; data: Record<string, unknown> };

async function escalationsOf(caseId: string, user = 'handler.project', s: TestStack = stack): Promise<Escalation[]> {
  const a = await as(user, 'GET', `/api/cases/${caseId}`, undefined, s);
  expect(a.status, a.text).toBe(200);
  return a.body.escalations;
}

async function eventsOf(caseId: string, until: (types: string[]) => boolean, s: TestStack = stack): Promise<AuditEvent[]> {
  const a = await eventually(
    () => as('manager.group', 'GET', `/api/cases/${caseId}/events`, undefined, s),
    (x) => x.status === 200 && until(x.body.items.map((e: AuditEvent) => e.type)),
  );
  expect(a.status, a.text).toBe(200);
  return a.body.items;
}

const pendingIds = async (user: string) =>
  (await as(user, 'GET', '/api/escalations?status=pending&pageSize=200')).body.items.map((e: { id: string }) => e.id) as string[];

beforeAll(async () => {
  stack = await startTestStack({ seed: true, temporal: true, worker: true });
  const { db } = stack;
  const user = (u: string) => db.user.findUniqueOrThrow({ where: { username: u } }).then((x) => x.id);
  ids.bjhy = (await db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } })).id;
  ids.unitBjhy = (await db.unit.findFirstOrThrow({ where: { projectId: ids.bjhy } })).id;
  ids.handlerProject = await user('handler.project');
  ids.supervisorCompany = await user('supervisor.company');
  ids.supervisorGroup = await user('supervisor.group');
  await login(stack, USERS);
  // A company supervisor of the other company (HX-SOUTH): the right tier, the wrong company.
  const south = await db.company.findFirstOrThrow({ where: { code: 'HX-SOUTH' } });
  const created = await as('admin', 'POST', '/api/users', {
    username: 'supervisor.south',
    displayName: '华南主管',
    password: 'south-supervisor-1',
    role: 'SUPERVISOR',
    scopeLevel: 'COMPANY',
    companyId: south.id,
  });
  expect(created.status, created.text).toBe(201);
  tokens.get(stack)!.set('supervisor.south', await stack.login('supervisor.south', 'south-supervisor-1'));
}, 180_000);
afterAll(async () => {
  await stack?.close();
}, 60_000);

describe('an escalation request the receiving tier rejects', () => {
  let c: Awaited<ReturnType<typeof open>>;
  let escalationId = '';
  const rejection = '属项目维修范围，请项目部继续处理';

  it('is raised by the handler of the case’s tier and waits for a company supervisor', async () => {
    c = await open();
    expect(c.tier).toBe('PROJECT');
    const a = await as('handler.project', 'POST', `/api/cases/${c.id}/escalations`, { reason: '业主要求公司介入' });
    expect(a.status, a.text).toBe(200);
    const [e, ...more] = await escalationsOf(c.id);
    expect(more).toEqual([]);
    expect(e).toMatchObject({ id: `${c.id}:esc:1`, status: 'pending', fromTier: 'PROJECT', toTier: 'COMPANY', source: 'handler', reason: '业主要求公司介入', decidedBy: null, decisionNote: null });
    escalationId = e!.id;
    const pending = await eventually(() => pendingIds('supervisor.company'), (list) => list.includes(escalationId));
    expect(pending).toContain(escalationId);
  });

  it('refuses a rejection without a reason with 400 naming the field', async () => {
    const none = await as('supervisor.company', 'POST', `/api/escalations/${escalationId}/reject`, {});
    expectProblem(none, 400, 'VALIDATION_FAILED');
    expect(errorPaths(none)).toEqual(['body.reason']);
    const blank = await as('supervisor.company', 'POST', `/api/escalations/${escalationId}/reject`, { reason: '   ' });
    expectProblem(blank, 400, 'VALIDATION_FAILED');
    expect(errorPaths(blank)).toEqual(['body.reason']);
  });

  it('refuses deciders of the wrong tier or company (403 OUT_OF_SCOPE) and of the wrong role (403 FORBIDDEN)', async () => {
    for (const user of ['supervisor.project', 'supervisor.group', 'supervisor.south'])
      expectProblem(await as(user, 'POST', `/api/escalations/${escalationId}/reject`, { reason: '越权驳回' }), 403, 'OUT_OF_SCOPE');
    for (const user of ['handler.company', 'manager.group'])
      expectProblem(await as(user, 'POST', `/api/escalations/${escalationId}/reject`, { reason: '越权驳回' }), 403, 'FORBIDDEN');
    const [e] = await escalationsOf(c.id);
    expect(e).toMatchObject({ status: 'pending', decidedBy: null });
  });

  it('is rejected by the company supervisor: 200 with status, reason and decider, and the case stays at PROJECT', async () => {
    const before = Date.now();
    const a = await as('supervisor.company', 'POST', `/api/escalations/${escalationId}/reject`, { reason: `  ${rejection}  ` });
    expect(a.status, a.text).toBe(200);
    expect(a.body).toMatchObject({
      id: escalationId,
      caseId: c.id,
      caseNumber: c.number,
      fromTier: 'PROJECT',
      toTier: 'COMPANY',
      reason: '业主要求公司介入',
      status: 'rejected',
      decidedBy: ids.supervisorCompany,
      decisionNote: rejection,
    });
    expect(Date.parse(a.body.decidedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(a.body.decidedAt)).toBeLessThanOrEqual(Date.now() + 1000);

    const detail = await as('handler.project', 'GET', `/api/cases/${c.id}`);
    expect(detail.body).toMatchObject({ tier: 'PROJECT', status: 'open', live: true });
    // The PROJECT clocks run on untouched: no fresh targets.
    expect(detail.body.sla.firstContact).toMatchObject({ dueAt: c.sla.firstContact.dueAt, metAt: null, status: 'running' });
    expect(detail.body.escalations).toEqual([expect.objectContaining({ id: escalationId, status: 'rejected', decidedBy: ids.supervisorCompany, decisionNote: rejection })]);
    // Still the project office's case.
    expectProblem(await as('handler.company', 'POST', `/api/cases/${c.id}/contact`, { note: '公司来电' }), 403, 'OUT_OF_SCOPE');
  });

  it('records the rejection in the audit trail and in the read model', async () => {
    const events = await eventsOf(c.id, (types) => types.includes('escalation.rejected'));
    const types = events.map((e) => e.type);
    expect(types).not.toContain('escalation.approved');
    expect(types).not.toContain('case.escalated');
    const requested = events.find((e) => e.type === 'escalation.requested')!;
    const rejected = events.find((e) => e.type === 'escalation.rejected')!;
    expect(requested).toMatchObject({ actor: ids.handlerProject, data: { escalationId, fromTier: 'PROJECT', toTier: 'COMPANY', source: 'handler' } });
    expect(rejected).toMatchObject({ actor: ids.supervisorCompany, data: { escalationId, reason: rejection, toTier: 'COMPANY' } });
    expect(rejected.seq).toBeGreaterThan(requested.seq);

    const list = await eventually(
      () => as('supervisor.company', 'GET', `/api/escalations?status=rejected&caseId=${c.id}`),
      (a) => a.body.items?.length === 1,
    );
    expect(list.body.items).toEqual([expect.objectContaining({ id: escalationId, status: 'rejected', decidedBy: ids.supervisorCompany, decisionNote: rejection, caseNumber: c.number })]);
    expect(await pendingIds('supervisor.company')).not.toContain(escalationId);
    const row = await stack.db.case.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.lastEventSeq).toBeGreaterThanOrEqual(rejected.seq);
    expect(row.tier).toBe('PROJECT');
  });

  it('refuses a second decision on the same request with 409 ESCALATION_NOT_PENDING and keeps the first', async () => {
    expectProblem(await as('supervisor.company', 'POST', `/api/escalations/${escalationId}/reject`, { reason: '再次驳回' }), 409, 'ESCALATION_NOT_PENDING');
    expectProblem(await as('supervisor.company', 'POST', `/api/escalations/${escalationId}/approve`, { note: '改为同意' }), 409, 'ESCALATION_NOT_PENDING');
    const [e] = await escalationsOf(c.id);
    expect(e).toMatchObject({ status: 'rejected', decisionNote: rejection, decidedBy: ids.supervisorCompany });
    expect((await as('handler.project', 'GET', `/api/cases/${c.id}`)).body.tier).toBe('PROJECT');
  });

  it('lets the handler raise a new request afterwards, which waits for a decision of its own', async () => {
    const a = await as('handler.project', 'POST', `/api/cases/${c.id}/escalations`, { reason: '业主再次投诉' });
    expect(a.status, a.text).toBe(200);
    const escalations = await escalationsOf(c.id);
    expect(escalations.map((e) => [e.id, e.status])).toEqual([
      [escalationId, 'rejected'],
      [`${c.id}:esc:2`, 'pending'],
    ]);
    expect(escalations[1]).toMatchObject({ reason: '业主再次投诉', decidedBy: null, toTier: 'COMPANY' });
    const pending = await eventually(() => pendingIds('supervisor.company'), (list) => list.includes(`${c.id}:esc:2`));
    expect(pending).toContain(`${c.id}:esc:2`);
    expect(pending).not.toContain(escalationId);
  });
});

describe('an escalation request nobody decides', () => {
  const APPROVAL_WINDOW_MS = 3000;
  let c: Awaited<ReturnType<typeof open>>;
  let escalationId = '';
  let dueAt = 0;

  it('escalates by itself when the approval window elapses: next tier, fresh targets from its policy, decided by the system', async () => {
    const put = await as('admin', 'PUT', '/api/sla-policies', [
      { id: 'parking-project', name: '停车（项目，快速升级）', categoryPrefix: 'complaint.service.parking', tier: 'PROJECT', approvalWindow: 'PT3S' },
      { id: 'parking-company', name: '停车（公司）', categoryPrefix: 'complaint.service.parking', tier: 'COMPANY', firstContact: 'PT5H', resolution: 'P2D', approvalWindow: 'PT1H' },
    ]);
    expect(put.status, put.text).toBe(200);
    c = await open({ category: 'complaint.service.parking', description: '车位被占 / parking space taken' });
    expect(c).toMatchObject({ tier: 'PROJECT', policyId: 'parking-project' });
    const a = await as('handler.project', 'POST', `/api/cases/${c.id}/escalations`, { reason: '需公司协调物业' });
    expect(a.status, a.text).toBe(200);
    const [requested] = await escalationsOf(c.id);
    expect(requested).toMatchObject({ status: 'pending', toTier: 'COMPANY' });
    expect(Date.parse(requested!.dueAt) - Date.parse(requested!.requestedAt)).toBe(APPROVAL_WINDOW_MS);
    escalationId = requested!.id;
    dueAt = Date.parse(requested!.dueAt);

    const moved = await eventually(
      () => as('handler.company', 'GET', `/api/cases/${c.id}`),
      (x) => x.body.tier === 'COMPANY' && x.body.escalations?.[0]?.status !== 'pending',
      30_000,
    );
    expect(moved.body).toMatchObject({ tier: 'COMPANY', status: 'open', policyId: 'parking-company', live: true });
    expect(moved.body.escalations).toEqual([
      expect.objectContaining({ id: escalationId, status: 'auto_escalated', decidedBy: 'system', decisionNote: 'approval window elapsed' }),
    ]);
    expect(Date.parse(moved.body.escalations[0].decidedAt)).toBeGreaterThanOrEqual(dueAt);
    const { firstContact, resolution, callback } = moved.body.sla;
    expect(firstContact).toMatchObject({ metAt: null, breachedAt: null, warnedAt: null, status: 'running', pausedMs: 0 });
    expect(Date.parse(firstContact.startedAt)).toBeGreaterThanOrEqual(dueAt);
    expect(Date.parse(firstContact.dueAt) - Date.parse(firstContact.startedAt)).toBe(5 * HOUR);
    expect(Date.parse(resolution.dueAt) - Date.parse(resolution.startedAt)).toBe(2 * DAY);
    expect(callback).toBeNull();
    const assignee = await stack.db.user.findUniqueOrThrow({ where: { id: moved.body.assigneeId } });
    expect(assignee.scopeLevel).toBe('COMPANY');
  }, 60_000);

  it('records the automatic escalation in the audit trail as the system, and in the read model', async () => {
    const events = await eventsOf(c.id, (types) => types.includes('case.escalated'));
    const types = events.map((e) => e.type);
    expect(types).not.toContain('escalation.approved');
    expect(types).not.toContain('escalation.rejected');
    const auto = events.find((e) => e.type === 'escalation.auto_escalated')!;
    const escalated = events.find((e) => e.type === 'case.escalated')!;
    expect(auto).toMatchObject({ actor: 'system', data: { escalationId, reason: 'approval window elapsed', toTier: 'COMPANY' } });
    expect(escalated).toMatchObject({ actor: 'system', data: { escalationId, fromTier: 'PROJECT', toTier: 'COMPANY', policyId: 'parking-company' } });
    expect(escalated.seq).toBeGreaterThan(auto.seq);
    expect(Date.parse(auto.at)).toBeGreaterThanOrEqual(dueAt);

    const list = await eventually(
      () => as('supervisor.company', 'GET', `/api/escalations?status=auto_escalated&caseId=${c.id}`),
      (a) => a.body.items?.length === 1,
    );
    expect(list.body.items[0]).toMatchObject({ id: escalationId, status: 'auto_escalated', decidedBy: 'system' });
    const row = await eventually(
      () => stack.db.case.findUniqueOrThrow({ where: { id: c.id } }),
      (r) => r.tier === 'COMPANY',
    );
    expect(row).toMatchObject({ tier: 'COMPANY', policyId: 'parking-company' });
  });

  it('leaves nothing to decide and hands the case to the company office', async () => {
    expectProblem(await as('supervisor.company', 'POST', `/api/escalations/${escalationId}/approve`, {}), 409, 'ESCALATION_NOT_PENDING');
    expectProblem(await as('handler.project', 'POST', `/api/cases/${c.id}/contact`, { note: '项目部' }), 403, 'OUT_OF_SCOPE');
    const contacted = await as('handler.company', 'POST', `/api/cases/${c.id}/contact`, { note: '公司已联系业主' });
    expect(contacted.status, contacted.text).toBe(200);
    expect(contacted.body).toMatchObject({ tier: 'COMPANY', status: 'contacted' });
  });

  it('cannot go above GROUP: a request at the group tier is refused with 409 TOP_TIER', async () => {
    expect((await as('handler.company', 'POST', `/api/cases/${c.id}/escalations`, { reason: '需集团决策' })).status).toBe(200);
    const [, toGroup] = await escalationsOf(c.id, 'handler.company');
    expect(toGroup).toMatchObject({ id: `${c.id}:esc:2`, fromTier: 'COMPANY', toTier: 'GROUP', status: 'pending' });
    // COMPANY's policy gives an hour to decide: the group supervisor approves in time.
    expect(Date.parse(toGroup!.dueAt) - Date.parse(toGroup!.requestedAt)).toBe(HOUR);
    const approved = await as('supervisor.group', 'POST', `/api/escalations/${toGroup!.id}/approve`, { note: '集团接手' });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: ids.supervisorGroup, toTier: 'GROUP' });
    expect((await as('handler.group', 'GET', `/api/cases/${c.id}`)).body).toMatchObject({ tier: 'GROUP', status: 'open' });

    expectProblem(await as('handler.group', 'POST', `/api/cases/${c.id}/escalations`, { reason: '还要再升' }), 409, 'TOP_TIER');
    const escalations = await escalationsOf(c.id, 'handler.group');
    expect(escalations.map((e) => e.status)).toEqual(['auto_escalated', 'approved']);
  });
});

describe('case actions while Temporal cannot run them', () => {
  let down: TestStack;
  /** HZ-BJHY and one of its units in this stack's database. */
  const at = { projectId: '', unitId: '' };
  /** The workflow code for a second worker, bundled while the first one still runs. */
  let bundle: Promise<{ code: string }>;
  let spare: { worker: Worker; run: Promise<void> } | null = null;
  /** An open case, a contacted one, and one with a pending escalation, made while everything ran. */
  const c = { open: '', contacted: '', escalating: '', escalationId: '', openedWhileWorkerDown: '' };
  const BOUND_MS = 10_000;

  const timed = async (f: () => Promise<Answer>) => {
    const t0 = Date.now();
    const a = await f();
    return { a, ms: Date.now() - t0 };
  };
  const asDown = (user: string, method: string, path: string, json?: unknown) => as(user, method, path, json, down);

  beforeAll(async () => {
    bundle = bundleWorkflows();
    bundle.catch(() => undefined);
    down = await startTestStack({ seed: true, temporal: true, worker: true });
    at.projectId = (await down.db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } })).id;
    at.unitId = (await down.db.unit.findFirstOrThrow({ where: { projectId: at.projectId } })).id;
    await login(down, ['agent.project', 'handler.project', 'supervisor.company', 'manager.group']);
    c.open = (await open({ ...at, description: 'open' }, down)).id;
    c.contacted = (await open({ ...at, description: 'contacted' }, down)).id;
    c.escalating = (await open({ ...at, description: 'escalating' }, down)).id;
    expect((await asDown('handler.project', 'POST', `/api/cases/${c.contacted}/contact`, { note: '已联系' })).status).toBe(200);
    expect((await asDown('handler.project', 'POST', `/api/cases/${c.escalating}/escalations`, { reason: '申请升级' })).status).toBe(200);
    c.escalationId = `${c.escalating}:esc:1`;
    // The decision below finds the request in the read model, as it would minutes later.
    await eventually(() => down.db.caseEscalation.findUnique({ where: { id: c.escalationId } }), (e) => e?.status === 'pending');
  }, 180_000);
  afterAll(async () => {
    if (spare?.worker.getState() === 'RUNNING') spare.worker.shutdown();
    await spare?.run.catch(() => undefined);
    await down?.close();
  }, 60_000);

  it('with no worker polling, answers every action 503 DEPENDENCY_UNAVAILABLE within seconds', async () => {
    down.worker!.shutdown();
    await eventually(async () => down.worker!.getState(), (s) => s === 'STOPPED', 15_000);
    expect(down.worker!.getState()).toBe('STOPPED');

    const answers = await Promise.all([
      timed(() => asDown('handler.project', 'POST', `/api/cases/${c.open}/contact`, { note: '工作流停摆时的联系' })),
      timed(() => asDown('handler.project', 'POST', `/api/cases/${c.contacted}/resolve`, { resolution: '工作流停摆时的办结' })),
      timed(() => asDown('handler.project', 'POST', `/api/cases/${c.open}/escalations`, { reason: '工作流停摆时的升级' })),
      timed(() => asDown('handler.project', 'PATCH', `/api/cases/${c.open}`, { severity: 'major' })),
      timed(() => asDown('supervisor.company', 'POST', `/api/escalations/${c.escalationId}/reject`, { reason: '工作流停摆时的驳回' })),
    ]);
    for (const { a, ms } of answers) {
      expectProblem(a, 503, 'DEPENDENCY_UNAVAILABLE');
      expect(a.headers.get('retry-after')).toBe('5');
      expect(ms, a.body.instance).toBeLessThan(BOUND_MS);
    }
    // Reading still works, from the read model.
    const detail = await asDown('handler.project', 'GET', `/api/cases/${c.open}`);
    expect(detail.status, detail.text).toBe(200);
    expect(detail.body).toMatchObject({ id: c.open, status: 'open', live: false });
  }, 60_000);

  it('with no worker polling, still opens a case: its row and its workflow both exist, and it runs once a worker polls', async () => {
    const before = await down.db.case.count();
    const a = await asDown('agent.project', 'POST', '/api/cases', newCase({ ...at, description: 'opened while no worker polls' }));
    expect(a.status, a.text).toBe(201);
    // Answered without the worker (issue 14, item 3): the first state is computed from the same input
    // by the same reducer the workflow runs, so the agent sees the deadlines at once.
    expect(a.body.live).toBe(true);
    expect(Date.parse(a.body.sla.firstContact.dueAt)).toBeGreaterThan(Date.parse(a.body.openedAt));
    c.openedWhileWorkerDown = a.body.id;
    expect(await down.db.case.count()).toBe(before + 1);
    const client = await down.temporal.getClient();
    const described = await client.workflow.getHandle(a.body.workflowId).describe();
    expect(described.status.name).toBe('RUNNING');
  }, 60_000);

  it('when a worker polls again, none of the refused actions has happened and each retry succeeds once', async () => {
    const worker = await createAppWorker({
      config: down.config,
      db: down.db,
      mailer: down.mailer,
      logger: createLogger({ name: 'spare-worker', level: 'silent' }),
      workflowBundle: await bundle,
      workerOptions: { shutdownGraceTime: '2 seconds' },
    });
    spare = { worker, run: worker.run() };

    const opened = await eventually(
      () => asDown('handler.project', 'GET', `/api/cases/${c.openedWhileWorkerDown}`),
      (x) => x.body.live === true,
      30_000,
    );
    expect(opened.body).toMatchObject({ status: 'open', live: true });
    expect(opened.body.sla.firstContact).toMatchObject({ status: 'running', metAt: null });

    const open_ = await asDown('handler.project', 'GET', `/api/cases/${c.open}`);
    expect(open_.body).toMatchObject({ live: true, status: 'open', severity: 'minor', tier: 'PROJECT' });
    expect(open_.body.escalations).toEqual([]);
    expect((await asDown('handler.project', 'GET', `/api/cases/${c.contacted}`)).body).toMatchObject({ live: true, status: 'contacted' });
    expect((await asDown('handler.project', 'GET', `/api/cases/${c.escalating}`)).body.escalations).toEqual([
      expect.objectContaining({ id: c.escalationId, status: 'pending', decidedBy: null }),
    ]);

    const contacted = await asDown('handler.project', 'POST', `/api/cases/${c.open}/contact`, { note: '恢复后的联系' });
    expect(contacted.status, contacted.text).toBe(200);
    expect(contacted.body.status).toBe('contacted');
    const rejected = await asDown('supervisor.company', 'POST', `/api/escalations/${c.escalationId}/reject`, { reason: '恢复后的驳回' });
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', decisionNote: '恢复后的驳回' });

    const events = await eventsOf(c.open, (types) => types.includes('case.contacted'), down);
    const contacts = events.filter((e) => e.type === 'case.contacted');
    expect(contacts.map((e) => e.data.note)).toEqual(['恢复后的联系']);
    expect(events.map((e) => e.type)).not.toContain('escalation.requested');
    expect(events.map((e) => e.type)).not.toContain('case.details_changed');

    worker.shutdown();
    await spare.run;
  }, 90_000);

  it('with the Temporal server stopped, answers actions and openings 503 and leaves no case row without its workflow', async () => {
    await down.devServer!.stop();
    const before = await down.db.case.count();
    const answers = await Promise.all([
      timed(() => asDown('handler.project', 'POST', `/api/cases/${c.open}/resolve`, { resolution: '服务器停机时的办结' })),
      timed(() => asDown('handler.project', 'POST', `/api/cases/${c.openedWhileWorkerDown}/contact`, { note: '服务器停机时的联系' })),
      timed(() => asDown('agent.project', 'POST', '/api/cases', newCase({ ...at, description: 'opened while Temporal is down' }))),
    ]);
    for (const { a, ms } of answers) {
      expectProblem(a, 503, 'DEPENDENCY_UNAVAILABLE');
      expect(a.headers.get('retry-after')).toBe('5');
      // An opening waits for the start (10 s) and then checks whether it reached the server.
      expect(ms, a.body.instance).toBeLessThan(a.body.instance === '/api/cases' ? 30_000 : BOUND_MS);
    }
    expect(await down.db.case.count({ where: { description: 'opened while Temporal is down' } })).toBe(0);
    expect(await down.db.case.count()).toBe(before);
    const detail = await asDown('handler.project', 'GET', `/api/cases/${c.open}`);
    expect(detail.status, detail.text).toBe(200);
    expect(detail.body).toMatchObject({ id: c.open, live: false });
  }, 90_000);
});
