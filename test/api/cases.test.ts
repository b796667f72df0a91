import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { AesGcmPayloadCodec } from '../../platform/temporal/payload-codec.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { call, errorPaths, expectProblem, type Answer } from './http.js';
import { nextRecordNumber } from '../../app/shared/record-numbers.js';

/**
 * The case API against the real thing: PostgreSQL, a Temporal dev server and the application's
 * worker running the complaintCase workflow and its activities.
 */
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

const HOUR = 3_600_000;
let stack: TestStack;
const tokens = new Map<string, string>();
const ids = { bjhy: '', hpmd: '', hjw: '', unitBjhy: '', unitHjw: '', wang: '', handlerProject: '', handlerCompany: '', agentProject: '', supervisorProject: '' };

const USERS = ['agent.project', 'agent.group', 'handler.project', 'handler.company', 'handler.group', 'supervisor.project', 'supervisor.company', 'supervisor.group', 'manager.group', 'manager.project', 'sales.project', 'admin'];

async function as(user: string, method: string, path: string, json?: unknown, headers?: Record<string, string>): Promise<Answer> {
  return call(stack, method, path, { token: tokens.get(user)!, json, headers });
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
  description: '卫生间天花板渗水 / bathroom ceiling leaks',
  ...over,
});

async function open(over: Record<string, unknown> = {}, user = 'agent.project') {
  const a = await as(user, 'POST', '/api/cases', newCase(over));
  expect(a.status, a.text).toBe(201);
  return a.body;
}

beforeAll(async () => {
  stack = await startTestStack({ seed: true, temporal: true, worker: true });
  const { db } = stack;
  const project = (code: string) => db.project.findFirstOrThrow({ where: { code } }).then((p) => p.id);
  const user = (u: string) => db.user.findUniqueOrThrow({ where: { username: u } }).then((x) => x.id);
  Object.assign(ids, { bjhy: await project('HZ-BJHY'), hpmd: await project('SZ-HPMD'), hjw: await project('SZ-HJW') });
  ids.unitBjhy = (await db.unit.findFirstOrThrow({ where: { projectId: ids.bjhy } })).id;
  ids.unitHjw = (await db.unit.findFirstOrThrow({ where: { projectId: ids.hjw } })).id;
  ids.wang = (await db.customer.findFirstOrThrow({ where: { phone: '13800138001' } })).id;
  ids.handlerProject = await user('handler.project');
  ids.handlerCompany = await user('handler.company');
  ids.agentProject = await user('agent.project');
  ids.supervisorProject = await user('supervisor.project');
  for (const u of USERS) tokens.set(u, await stack.login(u));
}, 180_000);
afterAll(async () => {
  await stack?.close();
}, 60_000);

describe('opening a case', () => {
  it('answers 201 with the contract fields and the default 24 h first-contact and 7 day resolution deadlines', async () => {
    const before = Date.now();
    const c = await open();
    expect(c).toMatchObject({
      workflowId: `case-${c.id}`,
      type: 'complaint',
      status: 'open',
      tier: 'PROJECT',
      severity: 'minor',
      category: 'complaint.quality.leakage',
      projectId: ids.bjhy,
      customerId: ids.wang,
      live: true,
    });
    expect(c.number).toMatch(/^CS-\d{8}-\d{4}$/);
    expect(Object.keys(c.sla).sort()).toEqual(['callback', 'firstContact', 'resolution']);
    for (const key of ['dueAt', 'warnedAt', 'metAt', 'breachedAt', 'pausedMs']) expect(c.sla.firstContact).toHaveProperty(key);
    const due = Date.parse(c.sla.firstContact.dueAt);
    expect(due).toBeGreaterThanOrEqual(before + 24 * HOUR - 1000);
    expect(due).toBeLessThanOrEqual(Date.now() + 24 * HOUR + 1000);
    expect(Date.parse(c.sla.resolution.dueAt) - Date.parse(c.sla.firstContact.dueAt)).toBeGreaterThan(6 * 24 * HOUR - 5000);
    expect(c.sla.firstContact).toMatchObject({ warnedAt: null, metAt: null, breachedAt: null, pausedMs: 0, status: 'running' });
    expect(c.sla.callback).toBeNull();
    const row = await stack.db.case.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ number: c.number, openedById: ids.agentProject, status: 'open' });
  });

  it('stores the opened case’s view with its row, from which the worker’s first step sends only what changed (one step, no rebase)', async () => {
    const c = await open();
    const stored = await stack.db.case.findUniqueOrThrow({ where: { id: c.id } });
    expect(stored.projection).toMatchObject({ seq: 0, view: { status: 'open', tier: 'PROJECT', tiers: [{ tier: 'PROJECT' }] } });
    // The steps, read from the history whenever they ran (a loaded machine may run the assignee's
    // step before a poll of the row sees the first one): each carries a delta, none the whole view.
    const stepInputs = async () => {
      const history = await stack.temporal.use((client) => client.workflow.getHandle(c.workflowId).fetchHistory());
      const codec = new AesGcmPayloadCodec(stack.config.temporal.payloadKeys);
      return history
        .events!.filter((e) => /^recordCaseStep/.test(e.activityTaskScheduledEventAttributes?.activityType?.name ?? ''))
        .map((e) => defaultPayloadConverter.fromPayload(codec.decryptOne(e.activityTaskScheduledEventAttributes!.input!.payloads![0] as Payload)) as { seq: number; delta?: { base: number; changes: unknown[] }; view?: unknown });
    };
    const steps = await eventually(stepInputs, (s) => s.length > 0);
    expect(steps[0]).toMatchObject({ seq: 1, delta: { base: 0, changes: [] } });
    expect(steps[0]).not.toHaveProperty('view');
    const projected = await eventually(() => stack.db.case.findUniqueOrThrow({ where: { id: c.id } }), (r) => r.lastEventSeq >= 1);
    expect((projected.projection as { seq: number }).seq).toBe(projected.lastEventSeq);
    for (const step of await stepInputs()) expect(step).not.toHaveProperty('view');
  });

  it('finds the caller by phone instead of registering a duplicate, and registers a new caller once', async () => {
    const c = await open({ customer: { name: '新客户', phone: '13912340001' } });
    const again = await open({ customer: { name: '新客户', phone: '139-1234-0001' } });
    expect(again.customerId).toBe(c.customerId);
    expect(await stack.db.customer.count({ where: { phone: '13912340001' } })).toBe(1);
    expect((await open({ customer: undefined, customerId: ids.wang })).customerId).toBe(ids.wang);
  });

  it('starts major cases and repairs above the warranty authorisation amount at COMPANY', async () => {
    expect((await open({ severity: 'major' })).tier).toBe('COMPANY');
    expect((await open({ type: 'repair', category: 'repair.plumbing.leak', estimatedCost: 5001 })).tier).toBe('COMPANY');
    expect((await open({ type: 'repair', category: 'repair.plumbing.leak', estimatedCost: 5000 })).tier).toBe('PROJECT');
  });

  it('numbers the day’s cases one after another', async () => {
    const [a, b] = await Promise.all([open(), open()]);
    const n = (x: { number: string }) => Number(x.number.split('-')[2]);
    expect(Math.abs(n(a) - n(b))).toBe(1);
  });

  it('numbers ten cases opened at once with ten consecutive numbers, continuing after the day’s rows when its counter is new', async () => {
    const first = await open();
    const prefix = first.number.slice(0, -4);
    // As on the first day after the counter table arrived: the day's rows exist, its counter not.
    await stack.db.recordNumberCounter.delete({ where: { prefix } });
    const opened = await Promise.all(Array.from({ length: 10 }, () => open()));
    const n = (x: { number: string }) => Number(x.number.split('-')[2]);
    expect(opened.map(n).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => n(first) + 1 + i));
  });

  it('never hands out a number twice, even after the record holding it is removed', async () => {
    const prefix = 'CS-20991231-';
    expect(await nextRecordNumber(stack.db, 'case', prefix)).toBe('CS-20991231-0001');
    expect(await nextRecordNumber(stack.db, 'case', prefix)).toBe('CS-20991231-0002');
    // Nothing was stored under 0002 (as when a case's workflow did not start and its row was removed): 0003 next.
    expect(await nextRecordNumber(stack.db, 'case', prefix)).toBe('CS-20991231-0003');
    expect(await nextRecordNumber(stack.db, 'lead', 'LD-20991231-')).toBe('LD-20991231-0001');
  });

  it('returns the same case to a retried request with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'open-case-retry-0001' };
    const first = await as('agent.project', 'POST', '/api/cases', newCase({ description: 'retry me' }), headers);
    const second = await as('agent.project', 'POST', '/api/cases', newCase({ description: 'retry me' }), headers);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await stack.db.case.count({ where: { description: 'retry me' } })).toBe(1);
  });

  it('refuses an unknown category, a unit of another project and a missing customer with 400 naming the field', async () => {
    const badCategory = await as('agent.project', 'POST', '/api/cases', newCase({ category: 'complaint.quality.no_such' }));
    expectProblem(badCategory, 400, 'VALIDATION_FAILED');
    expect(errorPaths(badCategory)).toEqual(['body.category']);
    const badUnit = await as('agent.project', 'POST', '/api/cases', newCase({ unitId: ids.unitHjw }));
    expectProblem(badUnit, 400, 'VALIDATION_FAILED');
    expect(errorPaths(badUnit)).toEqual(['body.unitId']);
    const noCustomer = await as('agent.project', 'POST', '/api/cases', newCase({ customer: undefined }));
    expect(errorPaths(noCustomer)).toEqual(['body.customer']);
    const badPhone = await as('agent.project', 'POST', '/api/cases', newCase({ customer: { name: 'x', phone: '12345' } }));
    expect(errorPaths(badPhone)).toEqual(['body.customer.phone']);
    const badEnum = await as('agent.project', 'POST', '/api/cases', newCase({ severity: 'critical', channel: 'fax' }));
    expect(errorPaths(badEnum)).toEqual(['body.channel', 'body.severity']);
  });

  it('refuses a project outside the caller’s scope (403) and a caller whose role does not open cases', async () => {
    expectProblem(await as('agent.project', 'POST', '/api/cases', newCase({ projectId: ids.hjw, unitId: ids.unitHjw })), 403, 'OUT_OF_SCOPE');
    expectProblem(await as('sales.project', 'POST', '/api/cases', newCase()), 403, 'FORBIDDEN');
    expectProblem(await as('agent.project', 'POST', '/api/cases', newCase({ projectId: '00000000-0000-0000-0000-000000000000', unitId: undefined })), 404, 'NOT_FOUND');
  });

  it('accepts an assignee of the starting tier only', async () => {
    const c = await open({ assigneeId: ids.handlerProject });
    expect(c.assigneeId).toBe(ids.handlerProject);
    const wrong = await as('agent.project', 'POST', '/api/cases', newCase({ assigneeId: ids.handlerCompany }));
    expectProblem(wrong, 400, 'VALIDATION_FAILED');
    expect(errorPaths(wrong)).toEqual(['body.assigneeId']);
  });
});

describe('a case from call to close', () => {
  let c: { id: string; number: string };
  let escalationId = '';

  it('is contacted by the project office; a second contact is refused with CASE_ALREADY_CONTACTED', async () => {
    c = await open({ description: 'walk-through' });
    expectProblem(await as('agent.project', 'POST', `/api/cases/${c.id}/contact`, { note: 'x' }), 403, 'FORBIDDEN');
    expectProblem(await as('handler.company', 'POST', `/api/cases/${c.id}/contact`, { note: 'x' }), 403, 'OUT_OF_SCOPE');
    expectProblem(await as('handler.group', 'POST', `/api/cases/${c.id}/contact`, { note: 'x' }), 403, 'OUT_OF_SCOPE');
    const a = await as('handler.project', 'POST', `/api/cases/${c.id}/contact`, { note: '已电话联系业主，约明早上门' });
    expect(a.status, a.text).toBe(200);
    expect(a.body.status).toBe('contacted');
    expect(a.body.sla.firstContact.metAt).not.toBeNull();
    expect(a.body.sla.resolution.metAt).toBeNull();
    // The workflow's refusal, as its code, in the language asked for.
    const again = await as('handler.project', 'POST', `/api/cases/${c.id}/contact`, { note: 'again' });
    expectProblem(again, 409, 'CASE_ALREADY_CONTACTED', 'CASE_ALREADY_CONTACTED');
    expect({ title: again.body.title, detail: again.body.detail }).toEqual({ title: '已联系过客户', detail: '已联系过客户' });
    const againInEnglish = await as('handler.project', 'POST', `/api/cases/${c.id}/contact`, { note: 'again' }, { 'accept-language': 'en' });
    expect({ title: againInEnglish.body.title, detail: againInEnglish.body.detail }).toEqual({ title: 'The customer was already contacted', detail: 'The customer was already contacted' });
    const empty = await as('handler.project', 'POST', `/api/cases/${c.id}/contact`, { note: '' });
    expectProblem(empty, 400, 'VALIDATION_FAILED', 'REQUEST_INVALID');
    expect(empty.body.errors).toEqual([{ path: 'body.note', code: 'REQUIRED', message: '必填' }]);
  });

  it('pauses while waiting on the customer and resumes where it stopped', async () => {
    const paused = await as('handler.project', 'POST', `/api/cases/${c.id}/pause`, { reason: '业主出差，下周回来' });
    expect(paused.status, paused.text).toBe(200);
    expect(paused.body.status).toBe('waiting_on_customer');
    expect(paused.body.sla.resolution.status).toBe('paused');
    expectProblem(await as('handler.project', 'POST', `/api/cases/${c.id}/pause`, { reason: 'again' }), 409, 'CASE_ALREADY_PAUSED');
    expectProblem(await as('handler.project', 'POST', `/api/cases/${c.id}/resolve`, { resolution: 'x' }), 409, 'CASE_PAUSED');
    await new Promise((r) => setTimeout(r, 300));
    const resumed = await as('handler.project', 'POST', `/api/cases/${c.id}/resume`);
    expect(resumed.status, resumed.text).toBe(200);
    expect(resumed.body.status).toBe('contacted');
    expect(resumed.body.sla.resolution.status).toBe('running');
    expect(resumed.body.sla.resolution.pausedMs).toBeGreaterThanOrEqual(250);
    expectProblem(await as('handler.project', 'POST', `/api/cases/${c.id}/resume`), 409, 'CASE_NOT_PAUSED');
  });

  it('refuses a callback before the resolution', async () => {
    expectProblem(await as('agent.project', 'POST', `/api/cases/${c.id}/callback`, { satisfaction: 5 }), 409, 'CASE_NOT_RESOLVED');
  });

  it('asks to escalate; a second request while one is pending is refused', async () => {
    const a = await as('handler.project', 'POST', `/api/cases/${c.id}/escalations`, { reason: '需公司工程部评估' });
    expect(a.status, a.text).toBe(200);
    expectProblem(await as('handler.project', 'POST', `/api/cases/${c.id}/escalations`, { reason: 'again' }), 409, 'ESCALATION_PENDING');
    const detail = await as('handler.project', 'GET', `/api/cases/${c.id}`);
    const pending = detail.body.escalations.filter((e: { status: string }) => e.status === 'pending');
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ fromTier: 'PROJECT', toTier: 'COMPANY', source: 'handler', reason: '需公司工程部评估' });
    escalationId = pending[0].id;
  });

  it('shows the request to the company supervisor who decides it, and to no other supervisor', async () => {
    const list = await eventually(
      () => as('supervisor.company', 'GET', '/api/escalations?status=pending&pageSize=200'),
      (a) => a.body.items?.some((e: { id: string }) => e.id === escalationId),
    );
    expect(list.body.items.find((e: { id: string }) => e.id === escalationId)).toMatchObject({ caseId: c.id, caseNumber: c.number, status: 'pending' });
    for (const other of ['supervisor.group', 'supervisor.project']) {
      const a = await as(other, 'GET', '/api/escalations?status=pending&pageSize=200');
      expect(a.body.items.map((e: { id: string }) => e.id), other).not.toContain(escalationId);
    }
    const manager = await as('manager.group', 'GET', '/api/escalations?pageSize=200');
    expect(manager.body.items.map((e: { id: string }) => e.id)).toContain(escalationId);
    expectProblem(await as('handler.company', 'GET', '/api/escalations'), 403, 'FORBIDDEN');
  });

  it('lets only a supervisor of the receiving tier decide; the approval moves the case to COMPANY with fresh targets', async () => {
    expectProblem(await as('supervisor.group', 'POST', `/api/escalations/${escalationId}/approve`, {}), 403, 'OUT_OF_SCOPE');
    expectProblem(await as('supervisor.project', 'POST', `/api/escalations/${escalationId}/approve`, {}), 403, 'OUT_OF_SCOPE');
    expectProblem(await as('handler.company', 'POST', `/api/escalations/${escalationId}/approve`, {}), 403, 'FORBIDDEN');
    expectProblem(await as('supervisor.company', 'POST', `/api/escalations/${c.id}:esc:99/approve`, {}), 404, 'NOT_FOUND');
    const a = await as('supervisor.company', 'POST', `/api/escalations/${escalationId}/approve`, { note: '同意，由公司工程部跟进' });
    expect(a.status, a.text).toBe(200);
    expect(a.body).toMatchObject({ id: escalationId, status: 'approved', toTier: 'COMPANY', decisionNote: '同意，由公司工程部跟进' });
    expectProblem(await as('supervisor.company', 'POST', `/api/escalations/${escalationId}/reject`, { reason: 'too late' }), 409, 'ESCALATION_NOT_PENDING');
    const detail = await as('handler.company', 'GET', `/api/cases/${c.id}`);
    expect(detail.body).toMatchObject({ tier: 'COMPANY', status: 'open', live: true });
    expect(detail.body.sla.firstContact).toMatchObject({ metAt: null, status: 'running' });
  });

  it('is now worked by the company office, not the project office', async () => {
    expectProblem(await as('handler.project', 'POST', `/api/cases/${c.id}/contact`, { note: 'x' }), 403, 'OUT_OF_SCOPE');
    expect((await as('handler.company', 'POST', `/api/cases/${c.id}/contact`, { note: '工程师已联系' })).status).toBe(200);
    const resolved = await as('handler.company', 'POST', `/api/cases/${c.id}/resolve`, { resolution: '更换防水层，已验收' });
    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.body.status).toBe('resolved');
    expect(resolved.body.sla.callback).toMatchObject({ status: 'running', metAt: null });
    expectProblem(await as('handler.company', 'POST', `/api/cases/${c.id}/resolve`, { resolution: 'again' }), 409, 'CASE_ALREADY_RESOLVED');
  });

  it('closes on a satisfied callback by the call centre; later actions are refused with CASE_CLOSED', async () => {
    expectProblem(await as('agent.project', 'POST', `/api/cases/${c.id}/callback`, { satisfaction: 6 }), 400, 'VALIDATION_FAILED');
    const a = await as('agent.project', 'POST', `/api/cases/${c.id}/callback`, { satisfaction: 5, comment: '满意' });
    expect(a.status, a.text).toBe(200);
    expect(a.body.status).toBe('closed');
    expect(a.body.firstContactMs).toEqual(expect.any(Number));
    expect(a.body.resolutionMs).toEqual(expect.any(Number));
    const row = await eventually(
      () => stack.db.case.findUniqueOrThrow({ where: { id: c.id } }),
      (r) => r.status === 'closed',
    );
    expect(row.closedAt).not.toBeNull();
    const detail = await as('agent.project', 'GET', `/api/cases/${c.id}`);
    expect(detail.body).toMatchObject({ status: 'closed', tier: 'COMPANY', live: false, satisfaction: 5 });
    expect(detail.body.sla.firstContact.metAt).not.toBeNull();
    expectProblem(await as('handler.company', 'POST', `/api/cases/${c.id}/resolve`, { resolution: 'x' }), 409, 'CASE_CLOSED');
  });

  it('lists the audit trail in sequence, from opening to closing', async () => {
    const a = await eventually(
      () => as('agent.project', 'GET', `/api/cases/${c.id}/events`),
      (x) => x.body.items?.some((e: { type: string }) => e.type === 'case.closed'),
    );
    const seqs: number[] = a.body.items.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    const types: string[] = a.body.items.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('case.opened');
    expect(types.at(-1)).toBe('case.closed');
    expect(types).toEqual(expect.arrayContaining(['escalation.approved', 'callback.recorded']));
    expect(a.body.total).toBe(seqs.length);
  });

  it('counts the case in the SLA report: targets met at each tier, one escalation out of PROJECT, satisfaction 5', async () => {
    const a = await as('manager.group', 'GET', `/api/reports/sla?groupBy=tier&projectId=${ids.bjhy}`);
    expect(a.status, a.text).toBe(200);
    const byTier = Object.fromEntries(a.body.groups.map((g: { key: string }) => [g.key, g]));
    expect(byTier.PROJECT.firstContact.met).toBeGreaterThanOrEqual(1);
    expect(byTier.PROJECT.escalations).toBeGreaterThanOrEqual(1);
    expect(byTier.COMPANY.resolution.met).toBeGreaterThanOrEqual(1);
    expect(byTier.COMPANY.satisfactionAvg).toBe(5);
    expect(a.body.totals.cases).toBeGreaterThanOrEqual(1);
  });
});

describe('changing a case', () => {
  it('re-budgets the targets from the policy that matches the new severity, keeping elapsed time', async () => {
    const put = await as('admin', 'PUT', '/api/sla-policies', [
      { id: 'parking-major', name: '停车重大', categoryPrefix: 'complaint.service.parking', severity: 'major', tier: '*', firstContact: 'PT2H' },
    ]);
    expect(put.status, put.text).toBe(200);
    const c = await open({ category: 'complaint.service.parking' });
    const opened = Date.parse(c.sla.firstContact.startedAt);
    const a = await as('handler.project', 'PATCH', `/api/cases/${c.id}`, { severity: 'major' });
    expect(a.status, a.text).toBe(200);
    expect(a.body).toMatchObject({ severity: 'major', policyId: 'parking-major', tier: 'PROJECT' });
    expect(Date.parse(a.body.sla.firstContact.dueAt) - opened).toBe(2 * HOUR);
    expectProblem(await as('handler.project', 'PATCH', `/api/cases/${c.id}`, { severity: 'major' }), 409, 'INVALID_ACTION');
  });

  it('assigns only a handler of the case’s current tier', async () => {
    const c = await open();
    const wrong = await as('handler.project', 'PATCH', `/api/cases/${c.id}`, { assigneeId: ids.handlerCompany });
    expectProblem(wrong, 400, 'VALIDATION_FAILED');
    expect(errorPaths(wrong)).toEqual(['body.assigneeId']);
    // The project's supervisor works the project's cases too.
    const ok = await as('handler.project', 'PATCH', `/api/cases/${c.id}`, { assigneeId: ids.supervisorProject });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.assigneeId).toBe(ids.supervisorProject);
    const mine = await eventually(
      () => as('supervisor.project', 'GET', '/api/cases?assigneeId=me&pageSize=200'),
      (x) => x.body.items?.some((i: { id: string }) => i.id === c.id),
    );
    expect(mine.body.items.every((i: { assigneeId: string }) => i.assigneeId === ids.supervisorProject)).toBe(true);
    expectProblem(await as('handler.project', 'PATCH', `/api/cases/${c.id}`, {}), 400, 'VALIDATION_FAILED');
    expectProblem(await as('handler.project', 'PATCH', `/api/cases/${c.id}`, { category: 'complaint.nope' }), 400, 'VALIDATION_FAILED');
  });
});

describe('a breached target', () => {
  let c: { id: string; number: string; sla: { firstContact: { dueAt: string } } };

  it('is recorded at its deadline, raises an escalation request and shows in the breach list', async () => {
    const put = await as('admin', 'PUT', '/api/sla-policies', [
      { id: 'hvac-fast', name: '空调（测试）', categoryPrefix: 'repair.hvac', firstContact: 'PT2S', resolution: 'PT1H', approvalWindow: 'PT1H' },
    ]);
    expect(put.status, put.text).toBe(200);
    c = await open({ type: 'repair', category: 'repair.hvac', description: '空调不制冷' });
    expect(Date.parse(c.sla.firstContact.dueAt) - Date.now()).toBeLessThan(3000);
    const breached = await eventually(
      () => as('handler.project', 'GET', '/api/cases?breached=true&pageSize=200'),
      (a) => a.body.items?.some((i: { id: string }) => i.id === c.id),
    );
    expect(breached.body.items.map((i: { id: string }) => i.id)).toContain(c.id);
    const detail = await as('handler.project', 'GET', `/api/cases/${c.id}`);
    expect(detail.body.sla.firstContact.breachedAt).not.toBeNull();
    expect(detail.body.escalations.find((e: { source: string }) => e.source === 'breach')).toMatchObject({ status: 'pending', toTier: 'COMPANY' });

    const breaches = await eventually(
      () => as('manager.group', 'GET', '/api/reports/sla/breaches?pageSize=200'),
      (a) => a.body.items?.some((b: { caseId: string }) => b.caseId === c.id),
    );
    const b = breaches.body.items.find((x: { caseId: string }) => x.caseId === c.id);
    expect(b).toMatchObject({ caseNumber: c.number, target: 'firstContact', tier: 'PROJECT', metAt: null });
    expect(b.latenessMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(b.breachedAt)).toBeGreaterThanOrEqual(Date.parse(b.dueAt));
  });

  it('exports the breach list as CSV for Excel', async () => {
    const a = await as('manager.group', 'GET', '/api/reports/sla/breaches', undefined, { accept: 'text/csv' });
    expect(a.status).toBe(200);
    expect(a.contentType).toMatch(/^text\/csv/);
    expect(a.headers.get('content-disposition')).toMatch(/attachment; filename="sla-breaches-.*\.csv"/);
    const body = Buffer.from(await (await fetch(`${stack.baseUrl}/api/reports/sla/breaches`, { headers: { accept: 'text/csv', authorization: `Bearer ${tokens.get('manager.group')}` } })).arrayBuffer());
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = a.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('工单号,时限,超时层级,分类,项目,处理人,开始时间,截止时间,超时时间,完成时间,该层级结束时间,超时时长(小时),目前仍超时,时区');
    expect(lines.some((l) => l.startsWith(`${c.number},首次联系,项目,报修 / 暖通空调,滨江花园,`) && l.endsWith(',Asia/Shanghai'))).toBe(true);
  });
});

describe('case lists', () => {
  it('show each office only the cases of its scope, what breaches first on top', async () => {
    const hjw = await open({ projectId: ids.hjw, unitId: ids.unitHjw }, 'agent.group');
    const project = await as('handler.project', 'GET', '/api/cases?pageSize=200');
    expect(project.status).toBe(200);
    expect(project.body.items.every((i: { projectId: string }) => i.projectId === ids.bjhy)).toBe(true);
    const group = await as('manager.group', 'GET', '/api/cases?pageSize=200');
    expect(group.body.items.map((i: { id: string }) => i.id)).toContain(hjw.id);
    const dues = project.body.items.map((i: { nextDueAt: string | null }) => i.nextDueAt);
    const withDue = dues.filter((d: string | null) => d !== null);
    expect(withDue).toEqual([...withDue].sort());
    expect(dues.slice(withDue.length).every((d: string | null) => d === null)).toBe(true);
    expectProblem(await as('handler.project', 'GET', `/api/cases/${hjw.id}`), 403, 'OUT_OF_SCOPE');
    expectProblem(await as('sales.project', 'GET', '/api/cases'), 403, 'FORBIDDEN');
  });

  it('filter by status, tier and the caller’s own queue', async () => {
    const major = await open({ severity: 'major' });
    const companyQueue = await as('handler.company', 'GET', '/api/cases?queue=true&pageSize=200');
    expect(companyQueue.body.items.map((i: { id: string }) => i.id)).toContain(major.id);
    expect(companyQueue.body.items.every((i: { tier: string }) => i.tier === 'COMPANY')).toBe(true);
    const open_ = await as('manager.group', 'GET', '/api/cases?status=open,contacted&tier=COMPANY&pageSize=200');
    expect(open_.body.items.every((i: { status: string; tier: string }) => ['open', 'contacted'].includes(i.status) && i.tier === 'COMPANY')).toBe(true);
    expect(errorPaths(await as('manager.group', 'GET', '/api/cases?status=bogus'))).toEqual(['query.status.0']);
    const future = await as('manager.group', 'GET', `/api/cases?from=${encodeURIComponent(new Date(Date.now() + HOUR).toISOString())}`);
    expect(future.body).toMatchObject({ items: [], total: 0, page: 1, pageSize: 20 });
  });
});
