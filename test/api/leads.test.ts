import { DefaultLogger, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CADENCES } from '../../domain/leads/cadence.js';
import { DEFAULT_LOSS_REASONS } from '../../domain/leads/loss-reasons.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { call, errorPaths, expectProblem, type Answer } from './http.js';
import { leadWorkflow } from '../../app/leads/workflow.js';

/**
 * The lead API against the real thing: PostgreSQL, a Temporal dev server and the application's
 * worker running the leadFollowUp workflow and its activities.
 *
 * Demo organisation: group HX; HX-EAST holds HZ-BJHY (where the project-tier users work) and
 * SZ-HPMD; HX-SOUTH holds SZ-HJW. 王先生 (13800138001) owns a unit at HZ-BJHY.
 */
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let stack: TestStack;
const tokens = new Map<string, string>();
const ids = {
  group: '',
  east: '',
  bjhy: '',
  hpmd: '',
  hjw: '',
  unitBjhy: '',
  unitBjhy2: '',
  unitHjw: '',
  soldUnit: '',
  wang: '',
  li: '',
  sales: '',
  sales2: '',
  salesCompany: '',
  salesGroup: '',
  salesSouth: '',
  salesmgr: '',
  specialist: '',
  specialistGroup: '',
  agent: '',
};

const USERS = [
  'sales.project',
  'sales.company',
  'sales.group',
  'salesmgr.project',
  'salesmgr.company',
  'salesmgr.group',
  'specialist.project',
  'agent.project',
  'manager.group',
  'admin',
  'admin.company',
];

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

let phoneSeq = 0;
/** A new prospect each time unless `customer` is given. */
const newLead = (over: Record<string, unknown> = {}) => ({
  projectId: ids.bjhy,
  customer: { name: '潜在客户', phone: `1360000${String(++phoneSeq).padStart(4, '0')}` },
  source: 'walk_in',
  grade: 'B',
  ...over,
});

async function create(over: Record<string, unknown> = {}, user = 'salesmgr.project') {
  const a = await as(user, 'POST', '/api/leads', newLead(over));
  expect(a.status, a.text).toBe(201);
  return a.body;
}

const post = (user: string, id: string, action: string, json: unknown) => as(user, 'POST', `/api/leads/${id}/${action}`, json);
const ok = async (a: Promise<Answer>) => {
  const r = await a;
  expect(r.status, r.text).toBe(200);
  return r.body;
};
const near = (iso: string | null, expected: number, slackMs = 5_000) => {
  expect(iso).not.toBeNull();
  expect(Math.abs(Date.parse(iso!) - expected), `${iso} vs ${new Date(expected).toISOString()}`).toBeLessThan(slackMs);
};
const listIds = (a: Answer) => a.body.items.map((i: { id: string }) => i.id) as string[];

/** Creates leads while nobody holds the SPECIALIST role: grade-C leads then start in the pool. */
async function withoutSpecialists<T>(run: () => Promise<T>): Promise<T> {
  await stack.db.user.updateMany({ where: { role: 'SPECIALIST' }, data: { active: false } });
  try {
    return await run();
  } finally {
    await stack.db.user.updateMany({ where: { role: 'SPECIALIST' }, data: { active: true } });
  }
}

beforeAll(async () => {
  stack = await startTestStack({ seed: true, temporal: true, worker: true });
  const { db } = stack;
  const project = (code: string) => db.project.findFirstOrThrow({ where: { code } }).then((p) => p.id);
  const user = (u: string) => db.user.findUniqueOrThrow({ where: { username: u } }).then((x) => x.id);
  ids.group = (await db.group.findFirstOrThrow({ where: { code: 'HX' } })).id;
  ids.east = (await db.company.findFirstOrThrow({ where: { code: 'HX-EAST' } })).id;
  const south = (await db.company.findFirstOrThrow({ where: { code: 'HX-SOUTH' } })).id;
  Object.assign(ids, { bjhy: await project('HZ-BJHY'), hpmd: await project('SZ-HPMD'), hjw: await project('SZ-HJW') });
  const bjhyUnits = await db.unit.findMany({ where: { projectId: ids.bjhy, ownerCustomerId: null }, orderBy: [{ floor: 'asc' }, { number: 'asc' }], take: 2 });
  ids.unitBjhy = bjhyUnits[0]!.id;
  ids.unitBjhy2 = bjhyUnits[1]!.id;
  ids.unitHjw = (await db.unit.findFirstOrThrow({ where: { projectId: ids.hjw } })).id;
  ids.wang = (await db.customer.findFirstOrThrow({ where: { phone: '13800138001' } })).id;
  ids.li = (await db.customer.findFirstOrThrow({ where: { phone: '13900139002' } })).id;
  ids.soldUnit = (await db.unit.findFirstOrThrow({ where: { ownerCustomerId: ids.wang } })).id;
  ids.sales = await user('sales.project');
  ids.salesCompany = await user('sales.company');
  ids.salesGroup = await user('sales.group');
  ids.salesmgr = await user('salesmgr.project');
  ids.specialist = await user('specialist.project');
  ids.specialistGroup = await user('specialist.group');
  ids.agent = await user('agent.project');
  for (const u of USERS) tokens.set(u, await stack.login(u));

  // A second sales consultant at 滨江花园, created the way an administrator does it.
  const created = await as('admin', 'POST', '/api/users', {
    username: 'sales2.project',
    displayName: '项目置业顾问二',
    email: 'sales2.project@demo.estate-care.local',
    password: 'second-sales-password',
    role: 'SALES',
    scopeLevel: 'PROJECT',
    projectId: ids.bjhy,
  });
  expect(created.status, created.text).toBe(201);
  ids.sales2 = created.body.id;
  tokens.set('sales2.project', await stack.login('sales2.project', 'second-sales-password'));
  // A sales consultant of the other company: may not own 滨江花园's leads.
  ids.salesSouth = (
    await db.user.create({
      data: { username: 'sales.south', displayName: '华南置业顾问', passwordHash: 'x', role: 'SALES', groupId: ids.group, scopeLevel: 'COMPANY', companyId: south },
    })
  ).id;
}, 180_000);
afterAll(async () => {
  await stack?.close();
}, 60_000);

describe('creating a lead', () => {
  it('answers 201 with the contract fields and the grade’s first-contact deadline (B: 3 days)', async () => {
    const before = Date.now();
    const l = await create({ ownerId: ids.sales, customer: { name: '赵先生', phone: '137 0000 1001' }, note: '周末到访，关注三居室' });
    expect(l).toMatchObject({
      workflowId: `lead-${l.id}`,
      projectId: ids.bjhy,
      projectName: '滨江花园',
      source: 'walk_in',
      grade: 'B',
      status: 'new',
      ownerId: ids.sales,
      ownerName: '项目置业顾问',
      touchCount: 0,
      note: '周末到访，关注三居室',
      createdById: ids.salesmgr,
      loss: null,
      conversion: null,
      live: true,
    });
    expect(l.number).toMatch(/^LD-\d{8}-\d{4}$/);
    expect(l.customer).toMatchObject({ name: '赵先生', phone: '13700001001' });
    near(l.nextTouchDueAt, before + 3 * DAY, 10_000);
    expect(l.firstContactDueAt).toBe(l.nextTouchDueAt);
    expect(Date.parse(l.lapsesAt) - Date.parse(l.nextTouchDueAt)).toBe(7 * DAY);
    const row = await eventually(
      () => stack.db.lead.findUniqueOrThrow({ where: { id: l.id } }),
      (r) => r.lastEventSeq > 0,
    );
    expect(row).toMatchObject({ number: l.number, ownerId: ids.sales, status: 'new', grade: 'B' });
    expect(row.firstContactDueAt.toISOString()).toBe(l.firstContactDueAt);
    expect(row.nextTouchDueAt?.toISOString()).toBe(l.nextTouchDueAt);
  });

  it('answers without waiting for the worker, with the deadline the workflow then holds to the millisecond (issue 14, item 3)', async () => {
    const l = await create({ ownerId: ids.sales, customer: { name: '钱女士', phone: '137 0000 1099' } });
    const state = await leadWorkflow.queryStateOrNull(stack.temporal, l.workflowId);
    expect(state, 'the workflow answers its state').not.toBeNull();
    expect(l.firstContactDueAt).toBe(new Date(state!.firstContactDueAt).toISOString());
    expect(l.nextTouchDueAt).toBe(new Date(state!.window!.dueAt).toISOString());
  });

  it('finds the prospect by phone instead of registering a duplicate', async () => {
    const a = await create({ ownerId: ids.sales, customer: { name: '钱女士', phone: '13700001002' } });
    const b = await create({ ownerId: ids.sales, customer: { name: '钱女士', phone: '137-0000-1002' } });
    expect(b.customerId).toBe(a.customerId);
    expect(await stack.db.customer.count({ where: { phone: '13700001002' } })).toBe(1);
    expect((await create({ ownerId: ids.sales, customer: undefined, customerId: ids.li })).customerId).toBe(ids.li);
    expectProblem(await as('salesmgr.project', 'POST', '/api/leads', newLead({ customer: undefined, customerId: '00000000-0000-0000-0000-000000000000' })), 404, 'NOT_FOUND');
  });

  it('gives new leads to the grade’s owner role: A to a sales manager, B to sales, C to a customer specialist', async () => {
    expect((await create({ grade: 'A' })).ownerId).toBe(ids.salesmgr);
    expect((await create({ grade: 'C' })).ownerId).toBe(ids.specialist);
  });

  it('goes round robin between the project’s two sales consultants', async () => {
    const owners: string[] = [];
    for (let i = 0; i < 4; i++) owners.push((await create({ grade: 'B' })).ownerId);
    expect(new Set(owners.slice(0, 2))).toEqual(new Set([ids.sales, ids.sales2]));
    expect(owners[2]).toBe(owners[0]);
    expect(owners[3]).toBe(owners[1]);
    const cursor = await stack.db.assignmentCursor.findUniqueOrThrow({ where: { key: `${ids.bjhy}:SALES` } });
    expect(cursor.position).toBeGreaterThanOrEqual(3);
  });

  it('falls back to the company’s staff of the role, then the group’s, where the project has none', async () => {
    expect((await create({ projectId: ids.hpmd, grade: 'B' }, 'salesmgr.company')).ownerId).toBe(ids.salesCompany);
    expect((await create({ projectId: ids.hjw, grade: 'B' }, 'salesmgr.group')).ownerId).toBe(ids.salesSouth);
    // 海景湾 and 华南 have no customer specialist of their own: the group's takes grade C.
    expect((await create({ projectId: ids.hjw, grade: 'C' }, 'salesmgr.group')).ownerId).toBe(ids.specialistGroup);
  });

  it('starts in the pool, without an owner or a due touch, when nobody holds the role', async () => {
    const l = await withoutSpecialists(() => create({ grade: 'C' }));
    expect(l).toMatchObject({ status: 'pooled', ownerId: null, nextTouchDueAt: null, live: true });
    expect(l.pooledAt).not.toBeNull();
  });

  it('accepts a named owner who may own the project’s leads, and refuses anyone else with 400 on ownerId', async () => {
    expect((await create({ ownerId: ids.salesCompany })).ownerId).toBe(ids.salesCompany);
    for (const ownerId of [ids.agent, ids.salesSouth, '00000000-0000-0000-0000-000000000000']) {
      const a = await as('salesmgr.project', 'POST', '/api/leads', newLead({ ownerId }));
      expectProblem(a, 400, 'VALIDATION_FAILED');
      expect(errorPaths(a)).toEqual(['body.ownerId']);
    }
  });

  it('lets sales staff register leads for themselves or for the round robin, never for a colleague (403 on ownerId)', async () => {
    expect((await create({ ownerId: ids.sales }, 'sales.project')).ownerId).toBe(ids.sales);
    expect((await create({ grade: 'A' }, 'sales.project')).ownerId).toBe(ids.salesmgr);
    const other = await as('sales.project', 'POST', '/api/leads', newLead({ ownerId: ids.sales2 }));
    expectProblem(other, 403, 'FORBIDDEN');
    expect(errorPaths(other)).toEqual(['body.ownerId']);
    expectProblem(await as('specialist.project', 'POST', '/api/leads', newLead({ ownerId: ids.salesmgr })), 403, 'FORBIDDEN');
  });

  it('keeps a referrer who owns a unit (老带新), and refuses a referrer who owns none or refers themselves', async () => {
    const l = await create({ source: 'referral', ownerId: ids.sales, referrerCustomerId: ids.wang });
    expect(l.referrerCustomerId).toBe(ids.wang);
    const detail = await as('sales.project', 'GET', `/api/leads/${l.id}`);
    expect(detail.body.referrer).toMatchObject({ id: ids.wang, name: '王先生' });
    for (const over of [{ referrerCustomerId: ids.li }, { referrerCustomerId: '00000000-0000-0000-0000-000000000000' }, { customer: undefined, customerId: ids.wang, referrerCustomerId: ids.wang }]) {
      const a = await as('salesmgr.project', 'POST', '/api/leads', newLead({ source: 'referral', ...over }));
      expectProblem(a, 400, 'VALIDATION_FAILED');
      expect(errorPaths(a)).toEqual(['body.referrerCustomerId']);
    }
  });

  it('returns the same lead to a retried request with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'create-lead-retry-0001' };
    const body = newLead({ ownerId: ids.sales, note: 'retry me' });
    const first = await as('salesmgr.project', 'POST', '/api/leads', body, headers);
    const second = await as('salesmgr.project', 'POST', '/api/leads', body, headers);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await stack.db.lead.count({ where: { note: 'retry me' } })).toBe(1);
  });

  it('numbers the day’s leads one after another', async () => {
    const [a, b] = await Promise.all([create({ ownerId: ids.sales }), create({ ownerId: ids.sales })]);
    const n = (x: { number: string }) => Number(x.number.split('-')[2]);
    expect(Math.abs(n(a) - n(b))).toBe(1);
  });

  it('refuses bad fields with 400 naming them, a project outside the caller’s scope with 403, other roles with 403', async () => {
    const bad = await as('salesmgr.project', 'POST', '/api/leads', newLead({ source: 'fax', grade: 'D', customer: { name: 'x', phone: '123' } }));
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(errorPaths(bad)).toEqual(['body.customer.phone', 'body.grade', 'body.source']);
    expect(errorPaths(await as('salesmgr.project', 'POST', '/api/leads', newLead({ customer: undefined })))).toEqual(['body.customer']);
    expectProblem(await as('sales.project', 'POST', '/api/leads', newLead({ projectId: ids.hjw })), 403, 'OUT_OF_SCOPE');
    expectProblem(await as('salesmgr.company', 'POST', '/api/leads', newLead({ projectId: ids.hjw })), 403, 'OUT_OF_SCOPE');
    for (const u of ['agent.project', 'manager.group', 'admin']) expectProblem(await as(u, 'POST', '/api/leads', newLead()), 403, 'FORBIDDEN');
  });
});

describe('who sees which leads', () => {
  const seen = { own: '', colleague: '', pooled: '', manager: '', hpmd: '', hjw: '', foreign: '' };

  beforeAll(async () => {
    seen.own = (await create({ ownerId: ids.sales, grade: 'B' })).id;
    seen.colleague = (await create({ ownerId: ids.sales2, grade: 'B' })).id;
    seen.manager = (await create({ ownerId: ids.salesmgr, grade: 'A' })).id;
    seen.pooled = (await withoutSpecialists(() => create({ grade: 'C' }))).id;
    seen.hpmd = (await create({ projectId: ids.hpmd, ownerId: ids.salesCompany }, 'salesmgr.company')).id;
    seen.hjw = (await create({ projectId: ids.hjw, ownerId: ids.salesGroup }, 'salesmgr.group')).id;
    // Another organisation's lead, straight in the read model.
    const foreign = await stack.db.lead.create({
      data: {
        number: 'LD-20260101-9999',
        workflowId: 'lead-foreign',
        groupId: '00000000-0000-4000-8000-00000000f0f0',
        companyId: 'c',
        projectId: 'p',
        customerId: 'x',
        source: 'web',
        grade: 'A',
        status: 'new',
        createdById: 'u',
        createdAt: new Date(),
        firstContactDueAt: new Date(),
      },
    });
    seen.foreign = foreign.id;
    // The list reads the read model: wait for the projection of the last one.
    await eventually(
      () => stack.db.lead.findUniqueOrThrow({ where: { id: seen.hjw } }),
      (r) => r.lastEventSeq > 0,
    );
  });

  it('shows sales staff their own leads and the pool of their projects, nothing else', async () => {
    const a = await as('sales.project', 'GET', '/api/leads?pageSize=200');
    expect(a.status, a.text).toBe(200);
    const visible = listIds(a);
    expect(visible).toEqual(expect.arrayContaining([seen.own, seen.pooled]));
    for (const hidden of [seen.colleague, seen.manager, seen.hpmd, seen.hjw, seen.foreign]) expect(visible).not.toContain(hidden);
    expect(a.body.items.every((i: { ownerId: string | null; status: string }) => i.ownerId === ids.sales || i.status === 'pooled')).toBe(true);
    expect(a.body.total).toBe(visible.length);

    expect((await as('sales.project', 'GET', `/api/leads/${seen.own}`)).status).toBe(200);
    expect((await as('sales.project', 'GET', `/api/leads/${seen.pooled}`)).body).toMatchObject({ status: 'pooled', live: true });
    expectProblem(await as('sales.project', 'GET', `/api/leads/${seen.colleague}`), 403, 'OUT_OF_SCOPE');
    expectProblem(await as('sales.project', 'GET', `/api/leads/${seen.colleague}/events`), 403, 'OUT_OF_SCOPE');
    expectProblem(await as('sales.project', 'GET', `/api/leads/${seen.foreign}`), 404, 'NOT_FOUND');
    // A company-tier consultant sees the pool of every project of the company.
    expect(listIds(await as('sales.company', 'GET', '/api/leads?status=pooled&pageSize=200'))).toContain(seen.pooled);
  });

  it('shows sales managers every lead of the projects in their scope', async () => {
    const project = listIds(await as('salesmgr.project', 'GET', '/api/leads?pageSize=200'));
    expect(project).toEqual(expect.arrayContaining([seen.own, seen.colleague, seen.manager, seen.pooled]));
    for (const hidden of [seen.hpmd, seen.hjw, seen.foreign]) expect(project).not.toContain(hidden);
    const company = listIds(await as('salesmgr.company', 'GET', '/api/leads?pageSize=200'));
    expect(company).toEqual(expect.arrayContaining([seen.own, seen.hpmd]));
    expect(company).not.toContain(seen.hjw);
    expect(listIds(await as('salesmgr.group', 'GET', '/api/leads?pageSize=200'))).toEqual(expect.arrayContaining([seen.own, seen.hjw]));
    expectProblem(await as('salesmgr.project', 'GET', `/api/leads/${seen.hpmd}`), 403, 'OUT_OF_SCOPE');
    expectProblem(await as('salesmgr.company', 'GET', `/api/leads/${seen.foreign}`), 404, 'NOT_FOUND');
  });

  it('is closed to the customer-service roles and administrators', async () => {
    for (const u of ['agent.project', 'manager.group', 'admin']) {
      expectProblem(await as(u, 'GET', '/api/leads'), 403, 'FORBIDDEN');
      expectProblem(await as(u, 'GET', `/api/leads/${seen.own}`), 403, 'FORBIDDEN');
    }
  });

  it('orders by the next touch due (none last) and filters by owner, status, grade, project and due time', async () => {
    const all = await as('salesmgr.group', 'GET', '/api/leads?pageSize=200');
    const dues: (string | null)[] = all.body.items.map((i: { nextTouchDueAt: string | null }) => i.nextTouchDueAt);
    const withDue = dues.filter((d): d is string => d !== null);
    expect(withDue).toEqual([...withDue].sort());
    expect(dues.slice(withDue.length).every((d) => d === null)).toBe(true);

    const mine = await as('sales.project', 'GET', '/api/leads?ownerId=me&pageSize=200');
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((i: { ownerId: string }) => i.ownerId === ids.sales)).toBe(true);
    const pooled = await as('salesmgr.project', 'GET', '/api/leads?status=pooled,lost_pending_review&pageSize=200');
    expect(pooled.body.items.every((i: { status: string }) => ['pooled', 'lost_pending_review'].includes(i.status))).toBe(true);
    expect(listIds(pooled)).toContain(seen.pooled);
    const gradeA = await as('salesmgr.group', 'GET', `/api/leads?grade=A&projectId=${ids.bjhy}&pageSize=200`);
    expect(gradeA.body.items.every((i: { grade: string; projectId: string }) => i.grade === 'A' && i.projectId === ids.bjhy)).toBe(true);
    expect(listIds(gradeA)).toContain(seen.manager);
    // Today's follow-ups: A leads are due within a day, B leads in three.
    const dueSoon = await eventually(
      () => as('salesmgr.project', 'GET', `/api/leads?dueBefore=${encodeURIComponent(new Date(Date.now() + 2 * DAY).toISOString())}&pageSize=200`),
      (x) => listIds(x).includes(seen.manager),
    );
    expect(listIds(dueSoon)).toContain(seen.manager);
    expect(listIds(dueSoon)).not.toContain(seen.own);
    expect(errorPaths(await as('salesmgr.project', 'GET', '/api/leads?status=bogus'))).toEqual(['query.status.0']);
    expect(errorPaths(await as('salesmgr.project', 'GET', '/api/leads?dueBefore=tomorrow'))).toEqual(['query.dueBefore']);
    const page = await as('salesmgr.project', 'GET', '/api/leads?page=2&pageSize=1');
    expect(page.body).toMatchObject({ page: 2, pageSize: 1 });
    expect(page.body.items).toHaveLength(1);
  });
});

describe('working a lead', () => {
  let lead: { id: string; number: string };

  it('logs a touch by its owner: contacting, and the next touch due an interval later (B: 7 days)', async () => {
    lead = await create({ ownerId: ids.sales, grade: 'B' });
    const before = Date.now();
    const a = await ok(post('sales.project', lead.id, 'touches', { channel: 'phone', outcome: 'interested', note: '意向三居，预算300万', nextStep: '周六带看' }));
    expect(a).toMatchObject({ status: 'contacting', touchCount: 1, ownerId: ids.sales, live: true });
    near(a.firstTouchAt, before);
    near(a.nextTouchDueAt, before + 7 * DAY);
    expectProblem(await post('sales2.project', lead.id, 'touches', { channel: 'phone', outcome: 'reached' }), 403, 'OUT_OF_SCOPE');
    expectProblem(await post('agent.project', lead.id, 'touches', { channel: 'phone', outcome: 'reached' }), 403, 'FORBIDDEN');
    const bad = await post('sales.project', lead.id, 'touches', { channel: 'pigeon', outcome: 'maybe' });
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(errorPaths(bad)).toEqual(['body.channel', 'body.outcome']);
  });

  it('logs a retried touch (same Idempotency-Key) once, and answers the retry with the first answer', async () => {
    const headers = { 'idempotency-key': 'touch-retry-0001' };
    const body = { channel: 'wechat', outcome: 'reached', note: '发了户型图' };
    const first = await as('sales.project', 'POST', `/api/leads/${lead.id}/touches`, body, headers);
    const second = await as('sales.project', 'POST', `/api/leads/${lead.id}/touches`, body, headers);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(first.body.touchCount).toBe(2);
    const live = await as('sales.project', 'GET', `/api/leads/${lead.id}`);
    expect(live.body.touchCount).toBe(2);
  });

  it('re-grades at once to the new grade’s cadence; the same grade again is LEAD_SAME_GRADE', async () => {
    const before = Date.now();
    const a = await ok(post('sales.project', lead.id, 'grade', { grade: 'A' }));
    expect(a).toMatchObject({ grade: 'A', status: 'contacting', touchCount: 2 });
    near(a.nextTouchDueAt, before + DAY);
    expectProblem(await post('sales.project', lead.id, 'grade', { grade: 'A' }), 409, 'LEAD_SAME_GRADE');
    expectProblem(await post('sales.project', lead.id, 'grade', { grade: 'Z' }), 400, 'VALIDATION_FAILED');
  });

  it('is assigned by a sales manager only, to someone who may own it; the same owner again is LEAD_SAME_OWNER', async () => {
    expectProblem(await post('sales.project', lead.id, 'assign', { ownerId: ids.sales2 }), 403, 'FORBIDDEN');
    expectProblem(await post('salesmgr.project', lead.id, 'assign', { ownerId: ids.sales }), 409, 'LEAD_SAME_OWNER');
    const wrong = await post('salesmgr.project', lead.id, 'assign', { ownerId: ids.salesSouth });
    expectProblem(wrong, 400, 'VALIDATION_FAILED');
    expect(errorPaths(wrong)).toEqual(['body.ownerId']);
    expectProblem(await post('salesmgr.company', lead.id, 'assign', { ownerId: ids.agent }), 400, 'VALIDATION_FAILED');
    const a = await ok(post('salesmgr.project', lead.id, 'assign', { ownerId: ids.sales2 }));
    expect(a).toMatchObject({ ownerId: ids.sales2, ownerName: '项目置业顾问二', status: 'contacting' });
    // The previous owner no longer works (or sees) it.
    expectProblem(await post('sales.project', lead.id, 'touches', { channel: 'phone', outcome: 'reached' }), 403, 'OUT_OF_SCOPE');
    expectProblem(await as('sales.project', 'GET', `/api/leads/${lead.id}`), 403, 'OUT_OF_SCOPE');
    expect((await as('sales2.project', 'GET', `/api/leads/${lead.id}`)).body).toMatchObject({ ownerId: ids.sales2, live: true });
  });

  it('is marked lost with an active loss reason only, then waits for the review (LEAD_PENDING_REVIEW)', async () => {
    const unknown = await post('sales2.project', lead.id, 'lost', { reason: 'astrology' });
    expectProblem(unknown, 400, 'VALIDATION_FAILED');
    expect(errorPaths(unknown)).toEqual(['body.reason']);
    const a = await ok(post('sales2.project', lead.id, 'lost', { reason: 'price', note: '预算不足' }));
    expect(a).toMatchObject({ status: 'lost_pending_review', nextTouchDueAt: null, loss: { reason: 'price', note: '预算不足', lostBy: ids.sales2, decision: null } });
    expectProblem(await post('sales2.project', lead.id, 'touches', { channel: 'phone', outcome: 'reached' }), 409, 'LEAD_PENDING_REVIEW');
    expectProblem(await post('sales2.project', lead.id, 'lost', { reason: 'price' }), 409, 'LEAD_PENDING_REVIEW');
    expectProblem(await post('salesmgr.project', lead.id, 'assign', { ownerId: ids.sales }), 409, 'LEAD_PENDING_REVIEW');
    // The review queue.
    const queue = await eventually(
      () => as('salesmgr.project', 'GET', '/api/leads?status=lost_pending_review&pageSize=200'),
      (x) => listIds(x).includes(lead.id),
    );
    expect(listIds(queue)).toContain(lead.id);
  });

  it('is reviewed by a sales manager: reassign needs an owner who may own it', async () => {
    expectProblem(await post('sales2.project', lead.id, 'review', { decision: 'close' }), 403, 'FORBIDDEN');
    expect(errorPaths(await post('salesmgr.project', lead.id, 'review', { decision: 'reassign' }))).toEqual(['body.ownerId']);
    expect(errorPaths(await post('salesmgr.project', lead.id, 'review', { decision: 'close', ownerId: ids.sales }))).toEqual(['body.ownerId']);
    expect(errorPaths(await post('salesmgr.project', lead.id, 'review', { decision: 'reassign', ownerId: ids.agent }))).toEqual(['body.ownerId']);
    const a = await ok(post('salesmgr.project', lead.id, 'review', { decision: 'reassign', ownerId: ids.sales }));
    expect(a).toMatchObject({ status: 'contacting', ownerId: ids.sales, loss: { reason: 'price', decision: 'reassign', decidedBy: ids.salesmgr } });
    expect(a.nextTouchDueAt).not.toBeNull();
    expectProblem(await post('salesmgr.project', lead.id, 'review', { decision: 'close' }), 409, 'LEAD_NOT_LOST');
  });

  it('is taken over by the sales manager after a second loss', async () => {
    await ok(post('sales.project', lead.id, 'lost', { reason: 'competitor' }));
    const a = await ok(post('salesmgr.project', lead.id, 'review', { decision: 'take_over' }));
    expect(a).toMatchObject({ status: 'contacting', ownerId: ids.salesmgr, loss: { reason: 'competitor', decision: 'take_over' } });
  });

  it('converts on a unit of its own project, with a price and a deposit no larger; later actions are LEAD_ENDED', async () => {
    const convert = (json: unknown) => post('salesmgr.project', lead.id, 'convert', json);
    const paths = async (json: unknown) => {
      const a = await convert(json);
      expectProblem(a, 400, 'VALIDATION_FAILED');
      return errorPaths(a);
    };
    expect(await paths({ unitId: ids.unitHjw, price: '2350000', deposit: '50000' })).toEqual(['body.unitId']);
    // A sold unit (or one another live sale holds) is a conflict: the sale this conversion opens cannot reserve it.
    expectProblem(await convert({ unitId: ids.soldUnit, price: '2350000', deposit: '50000' }), 409, 'UNIT_NOT_AVAILABLE');
    expect(await paths({ unitId: ids.unitBjhy, price: '2350000', deposit: '2350000.01' })).toEqual(['body.deposit']);
    expect(await paths({ unitId: ids.unitBjhy, price: '1.234', deposit: '0' })).toEqual(['body.deposit', 'body.price']);
    expect(await paths({ unitId: ids.unitBjhy, price: -5, deposit: 'lots' })).toEqual(['body.deposit', 'body.price']);
    const a = await ok(convert({ unitId: ids.unitBjhy, price: '2350000', deposit: 50000.5 }));
    expect(a).toMatchObject({ status: 'converted', nextTouchDueAt: null, conversion: { unitId: ids.unitBjhy, price: '2350000.00', deposit: '50000.50', convertedBy: ids.salesmgr } });
    expect(a.closedAt).not.toBeNull();
    const row = await eventually(
      () => stack.db.lead.findUniqueOrThrow({ where: { id: lead.id } }),
      (r) => r.status === 'converted',
    );
    expect(row.convertedPrice?.toFixed(2)).toBe('2350000.00');
    expect(row.convertedDeposit?.toFixed(2)).toBe('50000.50');
    const ended = await post('salesmgr.project', lead.id, 'touches', { channel: 'phone', outcome: 'reached' });
    expectProblem(ended, 409, 'LEAD_ENDED', 'LEAD_ENDED_AS');
    expect(ended.body).toMatchObject({ params: { number: lead.number, status: 'converted' }, detail: `线索 ${lead.number} 已结束（converted）` });
    expectProblem(await post('salesmgr.project', lead.id, 'lost', { reason: 'price' }), 409, 'LEAD_ENDED');
    const detail = await as('salesmgr.project', 'GET', `/api/leads/${lead.id}`);
    expect(detail.body).toMatchObject({ status: 'converted', live: false, conversion: { price: '2350000.00', deposit: '50000.50' } });
  });

  it('keeps the whole story in the audit trail, in sequence', async () => {
    const a = await eventually(
      () => as('salesmgr.project', 'GET', `/api/leads/${lead.id}/events`),
      (x) => x.body.items?.some((e: { type: string }) => e.type === 'lead.converted'),
    );
    expect(a.status, a.text).toBe(200);
    const seqs: number[] = a.body.items.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    const types: string[] = a.body.items.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('lead.created');
    expect(types.at(-1)).toBe('lead.converted');
    expect(types).toEqual(expect.arrayContaining(['lead.touched', 'lead.regraded', 'lead.assigned', 'lead.lost', 'lead.reviewed']));
    expect(a.body.items.find((e: { type: string }) => e.type === 'lead.touched')).toMatchObject({ actor: ids.sales, data: { channel: 'phone', outcome: 'interested', firstContact: true } });
    expect(a.body.total).toBe(seqs.length);
    // Colleagues are named (sales staff cannot read the staff list); timers act as `system`.
    const salesName = (await stack.db.user.findUniqueOrThrow({ where: { id: ids.sales } })).displayName;
    expect(a.body.items.find((e: { type: string }) => e.type === 'lead.touched').actorName).toBe(salesName);
    expect(a.body.names[ids.sales]).toBe(salesName);
    const asSales = await as('sales.project', 'GET', `/api/leads/${lead.id}/events`);
    if (asSales.status === 200) expect(asSales.body.names[ids.sales]).toBe(salesName);
  });

  it('closes when the review confirms the loss', async () => {
    const l = await create({ ownerId: ids.sales });
    await ok(post('sales.project', l.id, 'lost', { reason: 'no_need', note: '已在别处购房' }));
    const a = await ok(post('salesmgr.project', l.id, 'review', { decision: 'close' }));
    expect(a).toMatchObject({ status: 'closed', loss: { reason: 'no_need', decision: 'close' } });
    // Once closed the lead is read from the database: the note and who decided stay on record.
    const closed = await eventually(
      () => as('salesmgr.project', 'GET', `/api/leads/${l.id}`),
      (x) => x.body.live === false && x.body.loss?.decidedBy != null,
    );
    expect(closed.body.loss).toMatchObject({ reason: 'no_need', note: '已在别处购房', lostBy: ids.sales, decision: 'close', decidedBy: expect.any(String), decidedAt: expect.any(String) });
    expectProblem(await post('salesmgr.project', l.id, 'review', { decision: 'close' }), 409, 'LEAD_ENDED');
    expectProblem(await post('salesmgr.project', l.id, 'grade', { grade: 'A' }), 409, 'LEAD_ENDED');
  });

  it('waits in the pool for a sales manager: nobody touches it (LEAD_POOLED) until it is assigned', async () => {
    const l = await withoutSpecialists(() => create({ grade: 'C' }));
    expectProblem(await post('sales.project', l.id, 'touches', { channel: 'phone', outcome: 'reached' }), 403, 'OUT_OF_SCOPE');
    expectProblem(await post('salesmgr.project', l.id, 'touches', { channel: 'phone', outcome: 'reached' }), 409, 'LEAD_POOLED');
    expectProblem(await post('salesmgr.project', l.id, 'convert', { unitId: ids.unitBjhy2, price: '1000000', deposit: '10000' }), 409, 'LEAD_POOLED');
    const before = Date.now();
    const a = await ok(post('salesmgr.project', l.id, 'assign', { ownerId: ids.specialist }));
    expect(a).toMatchObject({ status: 'new', ownerId: ids.specialist, pooledAt: null });
    near(a.nextTouchDueAt, before + 31 * DAY, 3 * DAY); // C: first contact within a month
    const touched = await ok(post('specialist.project', l.id, 'touches', { channel: 'wechat', outcome: 'no_answer' }));
    expect(touched.status).toBe('contacting');
  });
});

describe('sales settings', () => {
  it('read the cadences and loss reasons (handbook defaults) for the sales team, not for others', async () => {
    const cadences = await as('sales.project', 'GET', '/api/cadence-policies');
    expect(cadences.status, cadences.text).toBe(200);
    expect(cadences.body.items).toEqual(DEFAULT_CADENCES);
    expect(cadences.body.defaults).toEqual(DEFAULT_CADENCES);
    const reasons = await as('specialist.project', 'GET', '/api/loss-reasons');
    expect(reasons.body.items.map((r: { code: string }) => r.code)).toEqual(DEFAULT_LOSS_REASONS.map((r) => r.code));
    expect((await as('admin', 'GET', '/api/loss-reasons')).status).toBe(200);
    for (const path of ['/api/cadence-policies', '/api/loss-reasons']) {
      expectProblem(await as('agent.project', 'GET', path), 403, 'FORBIDDEN');
      expectProblem(await as('manager.group', 'GET', path), 403, 'FORBIDDEN');
    }
  });

  it('refuse an invalid cadence document with 400 and the path of every bad field', async () => {
    const [a, b, c] = DEFAULT_CADENCES;
    const bad = await as('admin', 'PUT', '/api/cadence-policies', [
      { ...a, firstContact: 'tomorrow', interval: 'P2M' },
      { ...b, dropTo: 'B' },
      { ...c, ownerRole: 'BOSS' },
    ]);
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(errorPaths(bad)).toEqual(['body.0.firstContact', 'body.0.interval', 'body.1.dropTo', 'body.2.ownerRole']);
    const missing = await as('admin', 'PUT', '/api/cadence-policies', [a, b]);
    expect(errorPaths(missing)).toEqual(['body']);
    const wrongType = await as('admin', 'PUT', '/api/cadence-policies', [{ ...a, interval: 7 }, b, c]);
    expect(errorPaths(wrongType)).toEqual(['body.0.interval']);
    expect((await as('sales.project', 'GET', '/api/cadence-policies')).body.items).toEqual(DEFAULT_CADENCES);
  });

  it('are replaced by a group administrator only; new leads run on the new cadence at once', async () => {
    const [a, b, c] = DEFAULT_CADENCES;
    const changed = [{ ...a, firstContact: 'PT2H' }, b, c];
    expectProblem(await as('admin.company', 'PUT', '/api/cadence-policies', changed), 403, 'OUT_OF_SCOPE');
    expectProblem(await as('salesmgr.group', 'PUT', '/api/cadence-policies', changed), 403, 'FORBIDDEN');
    const put = await as('admin', 'PUT', '/api/cadence-policies', changed);
    expect(put.status, put.text).toBe(200);
    expect(put.body.items[0]).toMatchObject({ grade: 'A', firstContact: 'PT2H' });
    try {
      const before = Date.now();
      const l = await create({ grade: 'A' });
      near(l.nextTouchDueAt, before + 2 * HOUR);
      const detail = await as('salesmgr.project', 'GET', `/api/leads/${l.id}`);
      expect(detail.body.cadence).toMatchObject({ grade: 'A', firstContact: 'PT2H', interval: 'P1D' });
    } finally {
      expect((await as('admin', 'PUT', '/api/cadence-policies', DEFAULT_CADENCES)).status).toBe(200);
    }
    const audit = await stack.db.auditEvent.findMany({ where: { streamId: `settings:${ids.group}:cadence-policies` } });
    expect(audit.map((e) => e.type)).toEqual(['settings.changed', 'settings.changed']);
  });

  it('validate loss reasons, keep those on record, and refuse retired ones for new losses', async () => {
    const bad = await as('admin', 'PUT', '/api/loss-reasons', [
      { code: 'price', name: { zh: '价格', en: 'Price' } },
      { code: 'Price Too High', name: { zh: '价格', en: 'Price' } },
      { code: 'price', name: { zh: '', en: 'Again' } },
    ]);
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(errorPaths(bad)).toEqual(['body.1.code', 'body.2.code', 'body.2.name.zh']);
    // `competitor` and `no_need` are recorded on leads above (the first loss's `price` was replaced by the second): they cannot disappear.
    const dropped = await as('admin', 'PUT', '/api/loss-reasons', [{ code: 'school', name: { zh: '学区不满意', en: 'School district' } }]);
    expectProblem(dropped, 400, 'VALIDATION_FAILED');
    expect(dropped.body.errors.map((e: { code: string; params: { reason: string } }) => `${e.code}:${e.params.reason}`)).toEqual(['LOSS_REASON_IN_USE:competitor', 'LOSS_REASON_IN_USE:no_need']);
    expect(dropped.body.errors.map((e: { message: string }) => e.message).join(' ')).toMatch(/competitor.*no_need/);
    const reasons = [...DEFAULT_LOSS_REASONS.map((r) => ({ ...r, active: r.code !== 'price' })), { code: 'school', name: { zh: '学区不满意', en: 'School district' } }];
    const put = await as('admin', 'PUT', '/api/loss-reasons', reasons);
    expect(put.status, put.text).toBe(200);
    expect(put.body.items.find((r: { code: string }) => r.code === 'school')).toMatchObject({ active: true });
    expectProblem(await as('salesmgr.project', 'PUT', '/api/loss-reasons', reasons), 403, 'FORBIDDEN');

    const l = await create({ ownerId: ids.sales });
    const retired = await post('sales.project', l.id, 'lost', { reason: 'price' });
    expectProblem(retired, 400, 'VALIDATION_FAILED');
    expect(errorPaths(retired)).toEqual(['body.reason']);
    expect((await ok(post('sales.project', l.id, 'lost', { reason: 'school' }))).loss.reason).toBe('school');
  });
});
