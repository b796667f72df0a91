import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { startTestStack, type TestStack } from '../support/stack.js';
import { findSeededPlaces, findUserIds, insertCaseRows } from '../support/read-model.js';
import { call, expectProblem, type Answer } from './http.js';

/**
 * The home page's counts, on read-model rows written straight into the database (as the workflows'
 * projections would), so each expected number can be worked out by hand; and, for every count of
 * every role, the list it links to holds exactly that many records.
 */
let stack: TestStack;
const tokens = new Map<string, string>();
const get = (user: string, path: string, headers: Record<string, string> = {}): Promise<Answer> => call(stack, 'GET', path, { token: tokens.get(user)!, headers });

const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;
const now = Date.now();
const ids = { group: '', east: '', south: '', bjhy: '', hpmd: '', hjw: '', customer: '' };
const user: Record<string, string> = {};
const USERS = [
  'agent.project', 'agent.company', 'agent.group',
  'handler.project', 'handler.company',
  'supervisor.project', 'supervisor.company', 'supervisor.group',
  'manager.project', 'manager.company', 'manager.group',
  'sales.project', 'sales.company', 'specialist.project',
  'salesmgr.project', 'salesmgr.group',
  'admin',
];
/** Whether lead L8 (at 湖畔名邸, which keeps Los Angeles time) is due before the end of its project's day. */
let l8DueToday = false;

let caseNo = 0;
async function insertCase(o: {
  projectId: string;
  companyId: string;
  tier: string;
  status: string;
  assigneeId: string | null;
  openedBy: string;
  nextDueAt?: number;
  targets: { tier: string; target: string; dueAt: number; metAt?: number; breachedAt?: number; periodEndedAt?: number }[];
  escalation?: { fromTier: string; toTier: string; status: string };
}) {
  caseNo++;
  const id = `00000000-0000-4000-8000-${String(caseNo).padStart(12, '0')}`;
  const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));
  await insertCaseRows(stack.db, {
    id,
    number: `CS-20261201-${String(caseNo).padStart(4, '0')}`,
    groupId: ids.group,
    companyId: o.companyId,
    projectId: o.projectId,
    customerId: ids.customer,
    tier: o.tier,
    status: o.status,
    assigneeId: o.assigneeId,
    openedById: user[o.openedBy]!,
    openedAt: new Date(now - 5 * DAY),
    nextDueAt: o.nextDueAt ? new Date(o.nextDueAt) : null,
    targets: o.targets.map((t) => ({ tier: t.tier, target: t.target, dueAt: new Date(t.dueAt), metAt: date(t.metAt), breachedAt: date(t.breachedAt), periodEndedAt: date(t.periodEndedAt) })),
    escalations: o.escalation
      ? [{ ...o.escalation, source: 'handler', reason: 'needs the company', requestedBy: o.assigneeId ?? 'system', requestedAt: new Date(now - DAY), dueAt: new Date(now + DAY) }]
      : [],
  });
}

let leadNo = 0;
async function insertLead(o: { projectId: string; companyId: string; status: string; owner: string | null; nextTouchDueAt: number | null }) {
  leadNo++;
  const id = `00000000-0000-4000-a000-${String(leadNo).padStart(12, '0')}`;
  await stack.db.lead.create({
    data: {
      id,
      number: `LD-20261201-${String(leadNo).padStart(4, '0')}`,
      workflowId: `lead-${id}`,
      groupId: ids.group,
      companyId: o.companyId,
      projectId: o.projectId,
      customerId: ids.customer,
      source: 'web',
      grade: 'B',
      status: o.status,
      ownerId: o.owner ? user[o.owner]! : null,
      createdById: user['salesmgr.project']!,
      createdAt: new Date(now - 10 * DAY),
      firstContactDueAt: new Date(now - 7 * DAY),
      firstTouchAt: new Date(now - 9 * DAY),
      nextTouchDueAt: o.nextTouchDueAt === null ? null : new Date(o.nextTouchDueAt),
      pooledAt: o.status === 'pooled' ? new Date(now - DAY) : null,
      lostReason: o.status === 'lost_pending_review' ? 'price' : null,
      lastEventSeq: 1,
    },
  });
}

let saleNo = 0;
async function insertSale(o: { projectId: string; companyId: string; owner: string; pendingApproval: string | null }) {
  saleNo++;
  const id = `00000000-0000-4000-b000-${String(saleNo).padStart(12, '0')}`;
  const unit = await stack.db.unit.findFirstOrThrow({ where: { projectId: o.projectId, ownerCustomerId: null }, orderBy: { id: 'asc' }, skip: saleNo });
  await stack.db.sale.create({
    data: {
      id,
      number: `SL-20261201-${String(saleNo).padStart(4, '0')}`,
      workflowId: `sale-${id}`,
      groupId: ids.group,
      companyId: o.companyId,
      projectId: o.projectId,
      unitId: unit.id,
      customerId: ids.customer,
      ownerId: user[o.owner]!,
      stage: 'subscribed',
      paymentMethod: 'full',
      price: '1000000.00',
      deposit: '20000.00',
      paidTotal: '20000.00',
      contractArea: '89.50',
      deadlines: [],
      payments: [],
      approvals: [],
      pendingApproval: o.pendingApproval,
      deliveryDate: new Date('2027-06-30T00:00:00Z'),
      inspectionAt: new Date('2027-05-30T00:00:00Z'),
      createdById: user[o.owner]!,
      createdAt: new Date(now - 3 * DAY),
      lastEventSeq: 1,
    },
  });
}

beforeAll(async () => {
  stack = await startTestStack({ seed: true });
  const { db } = stack;
  Object.assign(ids, await findSeededPlaces(db));
  Object.assign(user, await findUserIds(db, USERS));
  // 湖畔名邸 keeps Los Angeles time: its leads' "today" is its own.
  await db.project.update({ where: { id: ids.hpmd }, data: { timeZone: 'America/Los_Angeles' } });

  const bjhy = { projectId: ids.bjhy, companyId: ids.east };
  const startOfTodaySh = DateTime.fromMillis(now, { zone: 'Asia/Shanghai' }).startOf('day').toMillis();
  // K1: late now — its first contact was breached 3 days ago and is still unmet at its tier.
  await insertCase({
    ...bjhy, tier: 'PROJECT', status: 'open', assigneeId: user['handler.project']!, openedBy: 'agent.project', nextDueAt: now + 5 * DAY,
    targets: [
      { tier: 'PROJECT', target: 'firstContact', dueAt: now - 3 * DAY, breachedAt: now - 3 * DAY },
      { tier: 'PROJECT', target: 'resolution', dueAt: now + 5 * DAY },
    ],
  });
  // K2: first contact met, resolution due in an hour.
  await insertCase({
    ...bjhy, tier: 'PROJECT', status: 'contacted', assigneeId: user['handler.project']!, openedBy: 'agent.project', nextDueAt: now + H,
    targets: [
      { tier: 'PROJECT', target: 'firstContact', dueAt: now - 4 * DAY, metAt: now - 4.5 * DAY },
      { tier: 'PROJECT', target: 'resolution', dueAt: now + H },
    ],
  });
  // K3: waiting on the customer (clocks paused), an escalation to the company waiting for its supervisor.
  await insertCase({
    ...bjhy, tier: 'PROJECT', status: 'waiting_on_customer', assigneeId: user['handler.project']!, openedBy: 'agent.project',
    targets: [
      { tier: 'PROJECT', target: 'firstContact', dueAt: now - 4 * DAY, metAt: now - 4.5 * DAY },
      { tier: 'PROJECT', target: 'resolution', dueAt: now + 3 * DAY },
    ],
    escalation: { fromTier: 'PROJECT', toTier: 'COMPANY', status: 'pending' },
  });
  // K4: breached at the project office, which then handed it to the company: not late now.
  await insertCase({
    ...bjhy, tier: 'COMPANY', status: 'open', assigneeId: user['handler.company']!, openedBy: 'agent.project', nextDueAt: now + 10 * H,
    targets: [
      { tier: 'PROJECT', target: 'firstContact', dueAt: now - 4 * DAY, breachedAt: now - 4 * DAY, periodEndedAt: now - 3 * DAY },
      { tier: 'COMPANY', target: 'firstContact', dueAt: now + 10 * H },
    ],
  });
  // K5: resolved, the callback due in two days.
  await insertCase({
    ...bjhy, tier: 'PROJECT', status: 'resolved', assigneeId: user['handler.project']!, openedBy: 'agent.project', nextDueAt: now + 2 * DAY,
    targets: [{ tier: 'PROJECT', target: 'callback', dueAt: now + 2 * DAY }],
  });
  // K6: closed: never counted as open or late.
  await insertCase({
    ...bjhy, tier: 'PROJECT', status: 'closed', assigneeId: user['handler.project']!, openedBy: 'agent.project',
    targets: [{ tier: 'PROJECT', target: 'firstContact', dueAt: now - 4 * DAY, breachedAt: now - 4 * DAY }],
  });
  // K7: another company's project, unassigned, its first contact breached today; an escalation pending there too.
  const todayInShanghai = startOfTodaySh + (now - startOfTodaySh) / 2;
  await insertCase({
    projectId: ids.hjw, companyId: ids.south, tier: 'PROJECT', status: 'open', assigneeId: null, openedBy: 'agent.group',
    targets: [{ tier: 'PROJECT', target: 'firstContact', dueAt: todayInShanghai, breachedAt: todayInShanghai }],
    escalation: { fromTier: 'PROJECT', toTier: 'COMPANY', status: 'pending' },
  });
  // K8: first contact met late (a breach, not late now), resolution due in 30 minutes.
  await insertCase({
    ...bjhy, tier: 'PROJECT', status: 'contacted', assigneeId: user['handler.project']!, openedBy: 'agent.company', nextDueAt: now + 30 * MIN,
    targets: [
      { tier: 'PROJECT', target: 'firstContact', dueAt: now - 2 * DAY, breachedAt: now - 2 * DAY, metAt: now - 1.5 * DAY },
      { tier: 'PROJECT', target: 'resolution', dueAt: now + 30 * MIN },
    ],
  });

  const endOfTodaySh = startOfTodaySh + DAY;
  const endOfTodayLa = DateTime.fromMillis(now, { zone: 'America/Los_Angeles' }).startOf('day').plus({ days: 1 }).toMillis();
  await insertLead({ ...bjhy, status: 'contacting', owner: 'sales.project', nextTouchDueAt: now - H }); // L1 overdue
  await insertLead({ ...bjhy, status: 'new', owner: 'sales.project', nextTouchDueAt: now + (endOfTodaySh - now) / 2 }); // L2 due later today
  await insertLead({ ...bjhy, status: 'contacting', owner: 'sales.project', nextTouchDueAt: endOfTodaySh + H }); // L3 due tomorrow
  await insertLead({ ...bjhy, status: 'pooled', owner: null, nextTouchDueAt: null }); // L4 in the pool
  await insertLead({ projectId: ids.hjw, companyId: ids.south, status: 'pooled', owner: null, nextTouchDueAt: null }); // L5 another company's pool
  await insertLead({ ...bjhy, status: 'contacting', owner: 'sales.company', nextTouchDueAt: now - 2 * H }); // L6 a colleague's, overdue
  await insertLead({ ...bjhy, status: 'lost_pending_review', owner: 'sales.project', nextTouchDueAt: null }); // L7 waiting for the loss review
  // L8 at 湖畔名邸: due between the end of today in Shanghai and in Los Angeles, so it is due today in exactly one of them.
  const l8At = (endOfTodaySh + endOfTodayLa) / 2;
  l8DueToday = l8At < endOfTodayLa;
  await insertLead({ projectId: ids.hpmd, companyId: ids.east, status: 'contacting', owner: 'sales.project', nextTouchDueAt: l8At });

  await insertSale({ ...bjhy, owner: 'sales.project', pendingApproval: 'rename' });
  await insertSale({ ...bjhy, owner: 'sales.project', pendingApproval: null });
  await insertSale({ projectId: ids.hjw, companyId: ids.south, owner: 'sales.company', pendingApproval: 'cancellation' });

  for (const u of USERS) tokens.set(u, await stack.login(u));
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

type Count = { key: string; count: number; list: { operationId: string; path: string; query: Record<string, string> } };
const countsOf = async (u: string): Promise<Record<string, number>> => {
  const a = await get(u, '/api/home');
  expect(a.status, a.text).toBe(200);
  return Object.fromEntries((a.body.counts as Count[]).map((c) => [c.key, c.count]));
};

describe('home counts per role', () => {
  it('counts an agent’s cases not yet closed and the resolved cases awaiting the callback', async () => {
    expect(await countsOf('agent.project')).toEqual({ 'cases.openedByMeNotClosed': 5, 'cases.awaitingCallback': 1 });
  });

  it('counts a handler’s cases in progress, late now, and due within 2 hours', async () => {
    // In progress: K1, K2, K3, K8 (K5 resolved, K6 closed). Late: K1 only (K8 met late, K6 closed). Due soon: K2 (1 h), K8 (30 min).
    const a = await get('handler.project', '/api/home');
    expect(a.body.role).toBe('HANDLER');
    expect(a.body.counts).toEqual([
      { key: 'cases.mineInProgress', count: 4, list: { operationId: 'listCases', path: '/api/cases', query: { assigneeId: 'me', status: 'open,contacted,waiting_on_customer' } } },
      { key: 'cases.mineOverdue', count: 1, list: { operationId: 'listCases', path: '/api/cases', query: { assigneeId: 'me', overdue: 'true' } } },
      { key: 'cases.mineDueWithin2h', count: 2, list: { operationId: 'listCases', path: '/api/cases', query: { assigneeId: 'me', dueWithinMinutes: '120' } } },
    ]);
    // K4 was breached at the project office before it moved on: not late at the company.
    expect(await countsOf('handler.company')).toEqual({ 'cases.mineInProgress': 1, 'cases.mineOverdue': 0, 'cases.mineDueWithin2h': 0 });
  });

  it('counts the escalations waiting for a supervisor’s decision and the overdue cases of its scope', async () => {
    expect(await countsOf('supervisor.company')).toEqual({ 'escalations.awaitingMyDecision': 1, 'cases.overdue': 1 });
    expect(await countsOf('supervisor.group')).toEqual({ 'escalations.awaitingMyDecision': 0, 'cases.overdue': 2 });
  });

  it('counts a manager’s overdue cases, pending escalations and cases breached today', async () => {
    expect(await countsOf('manager.group')).toEqual({ 'cases.overdue': 2, 'escalations.pending': 2, 'cases.breachedToday': 1 });
    expect(await countsOf('manager.company')).toEqual({ 'cases.overdue': 1, 'escalations.pending': 1, 'cases.breachedToday': 0 });
  });

  it('counts a salesperson’s leads due today (by each project’s day) and overdue, and the pool it sees', async () => {
    expect(await countsOf('sales.project')).toEqual({ 'leads.mineDueToday': l8DueToday ? 3 : 2, 'leads.mineOverdue': 1, 'leads.pooled': 1 });
    expect(await countsOf('specialist.project')).toEqual({ 'leads.mineDueToday': 0, 'leads.mineOverdue': 0, 'leads.pooled': 1 });
  });

  it('counts a sales manager’s approvals and loss reviews waiting, overdue leads and the pool of its projects', async () => {
    expect(await countsOf('salesmgr.project')).toEqual({ 'sales.approvalsPending': 1, 'leads.lossReviewsPending': 1, 'leads.overdue': 2, 'leads.pooled': 1 });
    expect(await countsOf('salesmgr.group')).toEqual({ 'sales.approvalsPending': 2, 'leads.lossReviewsPending': 1, 'leads.overdue': 2, 'leads.pooled': 2 });
  });

  it('has nothing to count for an administrator', async () => {
    expect((await get('admin', '/api/home')).body).toEqual({ role: 'ADMIN', counts: [] });
  });
});

describe('each count and its list', () => {
  it('equals the total of the list it links to, for every count of every role', async () => {
    let checked = 0;
    for (const u of USERS) {
      const home = await get(u, '/api/home');
      for (const c of home.body.counts as Count[]) {
        const list = await get(u, `${c.list.path}?${new URLSearchParams(c.list.query).toString()}`);
        expect({ user: u, key: c.key, status: list.status, total: list.body.total }).toEqual({ user: u, key: c.key, status: 200, total: c.count });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(25);
  });

  it('lists what it counts: the overdue case, the cases due soon, the leads due today', async () => {
    const numbers = (a: Answer) => a.body.items.map((i: { number?: string; caseNumber?: string }) => i.number ?? i.caseNumber).sort();
    expect(numbers(await get('handler.project', '/api/cases?assigneeId=me&overdue=true'))).toEqual(['CS-20261201-0001']);
    expect(numbers(await get('handler.project', '/api/cases?assigneeId=me&dueWithinMinutes=120'))).toEqual(['CS-20261201-0002', 'CS-20261201-0008']);
    expect(numbers(await get('handler.project', '/api/cases?assigneeId=me&dueWithinMinutes=45'))).toEqual(['CS-20261201-0008']);
    expect(numbers(await get('manager.group', '/api/reports/sla/breached-cases?breachedToday=true'))).toEqual(['CS-20261201-0007']);
    expect(numbers(await get('sales.project', '/api/leads?ownerId=me&dueToday=true'))).toEqual(['LD-20261201-0001', 'LD-20261201-0002', ...(l8DueToday ? ['LD-20261201-0008'] : [])]);
    expect(numbers(await get('salesmgr.project', '/api/leads?overdue=true'))).toEqual(['LD-20261201-0001', 'LD-20261201-0006']);
  });

  it('refuses a due window that is not a positive number of minutes up to a week', async () => {
    for (const q of ['dueWithinMinutes=0', 'dueWithinMinutes=abc', 'dueWithinMinutes=10081', 'overdue=false'])
      expectProblem(await get('handler.project', `/api/cases?${q}`), 400, 'VALIDATION_FAILED');
  });
});

describe('polling the home page', () => {
  it('answers 304 to a client that already holds the counts, and the new counts once they change', async () => {
    const first = await get('handler.project', '/api/home');
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    // As a browser's cache revalidates (fetch() itself would add Cache-Control: no-cache to a conditional request).
    const revalidate = () =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        http
          .get(`${stack.baseUrl}/api/home`, { headers: { authorization: `Bearer ${tokens.get('handler.project')}`, 'if-none-match': etag! } }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode!, body }));
          })
          .on('error', reject);
      });
    expect(await revalidate()).toEqual({ status: 304, body: '' });
    await stack.db.case.update({ where: { id: '00000000-0000-4000-8000-000000000003' }, data: { status: 'resolved' } });
    const changed = await revalidate();
    expect(changed.status).toBe(200);
    expect((JSON.parse(changed.body) as { counts: Count[] }).counts[0]).toMatchObject({ key: 'cases.mineInProgress', count: 3 });
    await stack.db.case.update({ where: { id: '00000000-0000-4000-8000-000000000003' }, data: { status: 'waiting_on_customer' } });
  });

  it('is for signed-in users only', async () => {
    expectProblem(await call(stack, 'GET', '/api/home'), 401, 'UNAUTHENTICATED');
  });
});
