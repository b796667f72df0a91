import { DefaultLogger, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { call, expectProblem, type Answer } from './http.js';
import type { z } from '../../api/http/zod.js';
import { pageOf } from '../../api/http/route.js';
import { CaseListItemView } from '../../api/cases/schemas.js';
import { LeadView } from '../../api/leads/schemas.js';
import { SaleSummaryView } from '../../api/sales/schemas.js';
import { CustomerLookupView, CustomerRecordsView } from '../../api/customers/records-schemas.js';
import { SearchResultView } from '../../api/search/schemas.js';

/**
 * Finding the caller (issue 13): phones typed any way, the one search box, the screen-pop of a
 * caller's number, a customer's records, and the case, lead and sale lists searched by the
 * customer. Against the real thing: PostgreSQL, a Temporal dev server and the application's worker.
 *
 * The demo organisation: agent.project, manager.project and handler.project work at HZ-BJHY;
 * company-tier users in HX-EAST (HZ-BJHY, SZ-HPMD); group-tier users everywhere (also SZ-HJW of
 * HX-SOUTH). Managers do not call customers back: they see phone numbers masked.
 */
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

let stack: TestStack;
const tokens = new Map<string, string>();
const USERS = [
  'agent.project', 'agent.company', 'agent.group', 'manager.project', 'manager.group', 'handler.project',
  'sales.project', 'salesmgr.project', 'salesmgr.group', 'admin',
];
const ids = { group: '', bjhy: '', hpmd: '', hjw: '', wang: '', wangUnit: '', wangUnitLabel: '', unitBjhy: '', agentProject: '', spareBjhy: '' };

/** The landline caller of these tests, as stored. */
const LANDLINE = '0571-88886666';
const LANDLINE_DIGITS = '057188886666';
/** Another caller, at SZ-HJW only (outside HX-EAST). */
const HJW_CALLER = '021-58881234';

const caller = { id: '', caseBjhy: '', caseBjhyNumber: '', caseHpmd: '', lead: '', leadNumber: '', sale: '', saleNumber: '' };
const hjw = { customer: '', case: '', caseNumber: '' };

async function as(user: string, method: string, path: string, json?: unknown, headers?: Record<string, string>): Promise<Answer> {
  return call(stack, method, path, { token: tokens.get(user)!, json, ...(headers ? { headers } : {}) });
}
/** The answer's schema, by path: every answer read here is held to what the OpenAPI document promises. */
const ANSWERS: [RegExp, z.ZodType][] = [
  [/^\/api\/search\?/, SearchResultView],
  [/^\/api\/customers\/lookup\?/, CustomerLookupView],
  [/^\/api\/customers\/[^/?]+\/records/, CustomerRecordsView],
  [/^\/api\/cases\?/, pageOf(CaseListItemView)],
  [/^\/api\/leads\?/, pageOf(LeadView)],
  [/^\/api\/sales\?/, pageOf(SaleSummaryView)],
];
const get = async (user: string, path: string, headers?: Record<string, string>) => {
  const a = await as(user, 'GET', path, undefined, headers);
  expect(a.status, `${user} ${path}: ${a.text}`).toBe(200);
  const schema = ANSWERS.find(([re]) => re.test(path))?.[1];
  if (schema) {
    const parsed = schema.safeParse(a.body);
    expect(parsed.success ? [] : parsed.error.issues, `${path} answers its schema`).toEqual([]);
  }
  return a;
};
const enc = encodeURIComponent;

const newCase = (over: Record<string, unknown> = {}) => ({
  type: 'repair',
  projectId: ids.bjhy,
  category: 'repair.plumbing.leak',
  severity: 'minor',
  channel: 'phone',
  description: '厨房水管漏水',
  ...over,
});

async function openCase(user: string, over: Record<string, unknown>) {
  const a = await as(user, 'POST', '/api/cases', newCase(over));
  expect(a.status, a.text).toBe(201);
  return a.body as { id: string; number: string; customerId: string };
}

beforeAll(async () => {
  stack = await startTestStack({ seed: true, temporal: true, worker: true });
  const { db } = stack;
  const project = (code: string) => db.project.findFirstOrThrow({ where: { code } }).then((p) => p.id);
  Object.assign(ids, { bjhy: await project('HZ-BJHY'), hpmd: await project('SZ-HPMD'), hjw: await project('SZ-HJW') });
  const wang = await db.customer.findFirstOrThrow({ where: { phone: '13800138001' } });
  ids.group = wang.groupId;
  ids.wang = wang.id;
  const owned = await db.unit.findFirstOrThrow({ where: { ownerCustomerId: wang.id }, include: { building: true } });
  ids.wangUnit = owned.id;
  ids.wangUnitLabel = `${owned.building.name} ${owned.number}`;
  const building1 = await db.building.findFirstOrThrow({ where: { projectId: ids.bjhy, name: '1栋' } });
  ids.unitBjhy = (await db.unit.findFirstOrThrow({ where: { buildingId: building1.id, number: '302' } })).id;
  ids.spareBjhy = (await db.unit.findFirstOrThrow({ where: { projectId: ids.bjhy, status: 'AVAILABLE', id: { notIn: [ids.unitBjhy, owned.id] } }, orderBy: { number: 'asc' } })).id;
  ids.agentProject = (await db.user.findUniqueOrThrow({ where: { username: 'agent.project' } })).id;
  for (const u of USERS) tokens.set(u, await stack.login(u));

  // A landline caller: a case at HZ-BJHY about 1栋 302, typed one way, and one at SZ-HPMD typed another.
  const first = await openCase('agent.project', { unitId: ids.unitBjhy, customer: { name: '赵女士', phone: '0571-88886666' } });
  Object.assign(caller, { id: first.customerId, caseBjhy: first.id, caseBjhyNumber: first.number });
  caller.caseHpmd = (await openCase('agent.company', { projectId: ids.hpmd, channel: 'wechat', customer: { name: '赵女士', phone: '(0571) 8888 6666' } })).id;
  // Their lead and their sale (of a spare unit of HZ-BJHY), for the sales team's views.
  const lead = await as('salesmgr.project', 'POST', '/api/leads', { projectId: ids.bjhy, customerId: caller.id, source: 'walk_in', grade: 'B' });
  expect(lead.status, lead.text).toBe(201);
  Object.assign(caller, { lead: lead.body.id, leadNumber: lead.body.number });
  const sale = await as('salesmgr.project', 'POST', '/api/sales', { customerId: caller.id, unitId: ids.spareBjhy, price: '2350000', deposit: '50000', paymentMethod: 'full' });
  expect(sale.status, sale.text).toBe(201);
  Object.assign(caller, { sale: sale.body.id, saleNumber: sale.body.number });
  // A caller of SZ-HJW, whose case no one of HX-EAST may see.
  const other = await openCase('agent.group', { projectId: ids.hjw, customer: { name: '钱女士', phone: '021 5888 1234' } });
  Object.assign(hjw, { customer: other.customerId, case: other.id, caseNumber: other.number });
}, 180_000);
afterAll(async () => {
  await stack?.close();
}, 60_000);

describe('phone numbers at the edge', () => {
  it('opens a case for a landline caller and stores the number in its canonical form', async () => {
    const customer = await stack.db.customer.findUniqueOrThrow({ where: { id: caller.id } });
    expect(customer).toMatchObject({ name: '赵女士', phone: LANDLINE, phoneDigits: LANDLINE_DIGITS });
  });

  it('finds the repeat caller by a landline typed with spaces, dashes and parentheses instead of registering a duplicate', async () => {
    for (const phone of ['0571 8888 6666', '0571-8888-6666', '+86 571 8888 6666', '（0571）88886666']) {
      const c = await openCase('agent.project', { customer: { name: '赵女士', phone } });
      expect(c.customerId, phone).toBe(caller.id);
    }
    expect(await stack.db.customer.count({ where: { phoneDigits: LANDLINE_DIGITS } })).toBe(1);
    const again = await as('agent.project', 'POST', '/api/customers', { name: '赵女士', phone: '0571 8888 6666' });
    expectProblem(again, 409, 'CONFLICT', 'CUSTOMER_PHONE_TAKEN');
  });

  it('refuses 12345 with the coded field error, in Chinese by default and in English when asked', async () => {
    const body = newCase({ customer: { name: '来电', phone: '12345' } });
    const zh = await as('agent.project', 'POST', '/api/cases', body);
    const en = await as('agent.project', 'POST', '/api/cases', body, { 'accept-language': 'en' });
    for (const a of [zh, en]) expectProblem(a, 400, 'VALIDATION_FAILED', 'REQUEST_INVALID');
    expect(zh.body.errors).toEqual([{ path: 'body.customer.phone', code: 'PHONE_MOBILE_LENGTH', params: { digits: '5' }, message: '手机号应为 11 位，这里是 5 位' }]);
    expect(en.body.errors).toEqual([{ path: 'body.customer.phone', code: 'PHONE_MOBILE_LENGTH', params: { digits: '5' }, message: 'A mobile number has 11 digits; this one has 5' }]);
  });

  it('says what is wrong with other numbers: no area code, an extension, not a number', async () => {
    const refusal = async (phone: string) => {
      const a = await as('agent.project', 'POST', '/api/customers', { name: '来电', phone }, { 'accept-language': 'en' });
      expectProblem(a, 400, 'VALIDATION_FAILED', 'REQUEST_INVALID');
      return a.body.errors.map((e: { path: string; code: string; message: string }) => [e.path, e.code, e.message]);
    };
    expect(await refusal('8888 6666')).toEqual([['body.phone', 'PHONE_AREA_CODE_MISSING', 'Add the area code to a landline number, such as 0571-88886666']]);
    expect(await refusal('0571-88886666转801')).toEqual([['body.phone', 'PHONE_EXTENSION', 'Leave out the extension (a caller’s number has none; note it in the description)']]);
    expect(await refusal('0571-888866')).toEqual([['body.phone', 'PHONE_LOCAL_NUMBER_LENGTH', 'The number after area code 0571 has 7 or 8 digits']]);
    expect(await refusal('call me')).toEqual([['body.phone', 'PHONE_FORMAT', 'Enter an 11-digit mobile number, or a landline with its area code (such as 0571-88886666)']]);
  });

  it('takes landlines wherever a phone is taken: leads and customers', async () => {
    const lead = await as('salesmgr.project', 'POST', '/api/leads', { projectId: ids.bjhy, customer: { name: '周先生', phone: '+86 10 6234 5678' }, source: 'walk_in', grade: 'C' });
    expect(lead.status, lead.text).toBe(201);
    expect(lead.body.customer).toMatchObject({ name: '周先生', phone: '010-62345678' });
    const customer = await as('agent.project', 'POST', '/api/customers', { name: '吴女士', phone: '0755.8888.6666' });
    expect(customer.status, customer.text).toBe(201);
    expect(customer.body.phone).toBe('0755-88886666');
  });

  it('masks a landline for roles that do not call customers back, keeping its area code', async () => {
    const whole = await get('agent.project', `/api/customers/${caller.id}`);
    const masked = await get('manager.project', `/api/customers/${caller.id}`);
    expect([whole.body.phone, masked.body.phone]).toEqual([LANDLINE, '0571-****6666']);
  });

  it('finds customers in their list by a piece of the number typed any way', async () => {
    for (const q of ['8888 6666', '0571-8888', '57188886666', '+86 571 8888 6666', '赵女士']) {
      const a = await get('agent.project', `/api/customers?q=${enc(q)}`);
      expect(a.body.items.map((c: { id: string }) => c.id), q).toContain(caller.id);
    }
  });
});

describe('the search box (GET /api/search)', () => {
  const search = (user: string, q: string, extra = '') => get(user, `/api/search?q=${enc(q)}${extra}`);

  it('finds the caller by a landline typed with spaces and dashes, with the phone whole for an agent', async () => {
    const a = await search('agent.project', '0571 8888-6666');
    expect(a.body.q).toBe('0571 8888-6666');
    expect(a.body.customers).toEqual({
      items: [
        {
          kind: 'customer', id: caller.id, label: '赵女士', secondary: LANDLINE, status: null, matched: 'phone',
          projectId: null, projectName: null, customerId: caller.id, at: expect.any(String),
        },
      ],
      total: 1,
      more: false,
    });
    // A phone number is no case number and no unit.
    expect(a.body.cases).toEqual({ items: [], total: 0, more: false });
    expect(a.body.units).toEqual({ items: [], total: 0, more: false });
  });

  it('finds customers from four digits of their number, and by name', async () => {
    expect((await search('agent.project', '6666')).body.customers.items.map((c: { id: string }) => c.id)).toContain(caller.id);
    expect((await search('agent.project', '8001')).body.customers.items.map((c: { id: string }) => c.id)).toContain(ids.wang);
    const byName = await search('agent.project', '王先生');
    expect(byName.body.customers.items).toEqual([expect.objectContaining({ id: ids.wang, label: '王先生', secondary: '13800138001', matched: 'name' })]);
  });

  it('masks phones in results for roles that do not call customers back', async () => {
    const a = await search('manager.project', '0571 8888 6666');
    expect(a.body.customers.items).toEqual([expect.objectContaining({ id: caller.id, secondary: '0571-****6666' })]);
  });

  it('finds a case by its number, whole or in part, with what its row shows', async () => {
    const day = caller.caseBjhyNumber.slice(0, 11);
    for (const q of [caller.caseBjhyNumber, caller.caseBjhyNumber.toLowerCase(), caller.caseBjhyNumber.replace(/-/g, ''), caller.caseBjhyNumber.slice(3)]) {
      const a = await search('agent.project', q);
      expect(a.body.cases.items, q).toEqual([
        {
          kind: 'case', id: caller.caseBjhy, label: caller.caseBjhyNumber, secondary: '赵女士', status: 'open', matched: 'number',
          projectId: ids.bjhy, projectName: expect.any(String), customerId: caller.id, at: expect.any(String),
        },
      ]);
    }
    const ofTheDay = await search('agent.group', day, '&limit=2');
    expect(ofTheDay.body.cases.total).toBeGreaterThan(2);
    expect(ofTheDay.body.cases.items).toHaveLength(2);
    expect(ofTheDay.body.cases.more).toBe(true);
  });

  it('finds leads and sales by number for the sales team, and only cases for agents', async () => {
    const lead = await search('salesmgr.project', caller.leadNumber);
    expect(lead.body.leads.items).toEqual([expect.objectContaining({ kind: 'lead', id: caller.lead, label: caller.leadNumber, secondary: '赵女士', status: expect.any(String) })]);
    expect(lead.body.cases).toBeNull();
    const sale = await search('salesmgr.project', caller.saleNumber);
    expect(sale.body.sales.items).toEqual([expect.objectContaining({ kind: 'sale', id: caller.sale, label: caller.saleNumber, secondary: '赵女士', status: 'subscribed' })]);
    // The prefix says which kind: a sale number finds no lead.
    expect(sale.body.leads.total).toBe(0);
    const agent = await search('agent.project', caller.leadNumber);
    expect({ leads: agent.body.leads, sales: agent.body.sales }).toEqual({ leads: null, sales: null });
  });

  it('finds a unit by building and room however it is written', async () => {
    for (const q of ['1-302', '1栋302', '1幢302室', '1号楼 302', '1 302']) {
      const a = await search('agent.project', q);
      expect(a.body.units.items, q).toEqual([
        { kind: 'unit', id: ids.unitBjhy, label: '1栋 302', secondary: null, status: 'AVAILABLE', matched: 'unit', projectId: ids.bjhy, projectName: expect.any(String), customerId: null, at: null },
      ]);
    }
    const room = await search('agent.project', '302');
    expect(room.body.units.items.map((u: { label: string }) => u.label)).toEqual(['1栋 302', '2栋 302']);
  });

  it("names a unit's owner", async () => {
    const [building, number] = ids.wangUnitLabel.split(' ');
    const a = await search('agent.project', `${building}${number}`);
    expect(a.body.units.items).toEqual([expect.objectContaining({ id: ids.wangUnit, secondary: '王先生', customerId: ids.wang, status: 'SOLD' })]);
  });

  it('keeps to the projects of the user’s scope', async () => {
    const counts = async (user: string) => (await search(user, '1-302')).body.units.total;
    expect([await counts('agent.project'), await counts('agent.company'), await counts('agent.group')]).toEqual([1, 2, 3]);
    // The SZ-HJW case: found by its number at group scope only.
    expect((await search('agent.project', hjw.caseNumber)).body.cases.total).toBe(0);
    expect((await search('agent.company', hjw.caseNumber)).body.cases.total).toBe(0);
    expect((await search('agent.group', hjw.caseNumber)).body.cases.items.map((c: { id: string }) => c.id)).toEqual([hjw.case]);
  });

  it('says how many there are and whether there are more than it shows', async () => {
    const a = await search('agent.group', '1栋', '&limit=3');
    expect(a.body.units.items).toHaveLength(3);
    expect(a.body.units).toMatchObject({ total: 72, more: true });
  });

  it('refuses an empty or overlong text, and a limit above 20', async () => {
    expectProblem(await as('agent.project', 'GET', '/api/search?q='), 400, 'VALIDATION_FAILED');
    expectProblem(await as('agent.project', 'GET', `/api/search?q=${'王'.repeat(51)}`), 400, 'VALIDATION_FAILED');
    expectProblem(await as('agent.project', 'GET', '/api/search?q=1&limit=21'), 400, 'VALIDATION_FAILED');
  });
});

describe('the screen-pop (GET /api/customers/lookup)', () => {
  const lookup = (user: string, phone: string, headers?: Record<string, string>) => get(user, `/api/customers/lookup?phone=${enc(phone)}`, headers);
  const viewsOf = (requestId: string) => stack.db.recordView.findMany({ where: { requestId } });

  it("shows a known caller's open cases, units and last contacts, and records the view", async () => {
    // The audit trail is written by the worker: wait until every opening is in it.
    const openingsRecorded = async () => (await stack.db.auditEvent.count({ where: { type: 'case.opened' } })) >= (await stack.db.case.count());
    await expect.poll(openingsRecorded, { timeout: 20_000 }).toBe(true);
    const a = await lookup('agent.group', '0571 8888-6666', { 'x-request-id': 'pop-agent-group' });
    expect(a.body.phone).toBe(LANDLINE);
    expect(a.body.customer).toMatchObject({ id: caller.id, name: '赵女士', phone: LANDLINE });
    const open = a.body.openCases.items as { id: string; status: string; unit: { label: string } | null; nextDueAt: string | null; customer: { id: string } }[];
    expect(a.body.openCases.total).toBe(open.length);
    expect(open.map((c) => c.id)).toEqual(expect.arrayContaining([caller.caseBjhy, caller.caseHpmd]));
    for (const c of open) expect(c.status).not.toBe('closed');
    const first = open.find((c) => c.id === caller.caseBjhy)!;
    expect(first).toMatchObject({ unit: { label: '1栋 302' }, customer: { id: caller.id } });
    expect(first.nextDueAt).not.toBeNull();
    // What breaches first on top.
    const dues = open.map((c) => Date.parse(c.nextDueAt!));
    expect(dues).toEqual([...dues].sort((x, y) => x - y));
    // Their sale's unit is no business of an agent's: agents read no sales.
    expect(a.body.units).toEqual([]);
    expect(a.body.lastContacts).toHaveLength(5);
    expect(a.body.lastContacts[0]).toMatchObject({ kind: 'case', event: 'case.opened', channel: 'phone', actor: { id: ids.agentProject, name: expect.any(String) } });
    const at = a.body.lastContacts.map((c: { at: string }) => c.at);
    expect(at).toEqual([...at].sort().reverse());
    expect(await viewsOf('pop-agent-group')).toEqual([expect.objectContaining({ customerId: caller.id, recordKind: 'customer', recordId: caller.id, contactShown: true })]);
  });

  it('answers 200 with no customer for an unknown number, and records no view', async () => {
    const a = await lookup('agent.project', '0571-87654321', { 'x-request-id': 'pop-unknown' });
    expect(a.body).toEqual({ phone: '0571-87654321', customer: null, openCases: { items: [], total: 0 }, units: [], lastContacts: [] });
    expect(await viewsOf('pop-unknown')).toEqual([]);
  });

  it('refuses a number that is no phone number with the field error', async () => {
    const a = await as('agent.project', 'GET', '/api/customers/lookup?phone=12345', undefined, { 'accept-language': 'en' });
    expectProblem(a, 400, 'VALIDATION_FAILED', 'REQUEST_INVALID');
    expect(a.body.errors).toEqual([{ path: 'query.phone', code: 'PHONE_MOBILE_LENGTH', params: { digits: '5' }, message: 'A mobile number has 11 digits; this one has 5' }]);
  });

  it("keeps to the user's scope: a project's agent does not see another project's case", async () => {
    const project = await lookup('agent.project', LANDLINE);
    expect(project.body.openCases.items.map((c: { id: string }) => c.id)).not.toContain(caller.caseHpmd);
    expect(project.body.openCases.items.map((c: { id: string }) => c.id)).toContain(caller.caseBjhy);
    for (const c of project.body.lastContacts) expect(c.recordId).not.toBe(caller.caseHpmd);
    const other = await lookup('agent.company', HJW_CALLER);
    expect(other.body.customer).toMatchObject({ id: hjw.customer });
    expect(other.body.openCases).toEqual({ items: [], total: 0 });
    expect(other.body.lastContacts).toEqual([]);
    expect((await lookup('agent.group', HJW_CALLER)).body.openCases.items.map((c: { id: string }) => c.id)).toEqual([hjw.case]);
  });

  it('masks the number for roles that do not call customers back, and records the masked view', async () => {
    const a = await lookup('manager.project', '0571 8888 6666', { 'x-request-id': 'pop-manager' });
    expect(a.body.phone).toBe('0571-****6666');
    expect(a.body.customer.phone).toBe('0571-****6666');
    for (const c of a.body.openCases.items) expect(c.customer.phone).toBe('0571-****6666');
    expect(a.text).not.toContain('88886666');
    expect(await viewsOf('pop-manager')).toEqual([expect.objectContaining({ customerId: caller.id, contactShown: false })]);
  });

  it('shows the sales team the units their sales hold and the units they own, but no cases', async () => {
    await expect.poll(() => stack.db.auditEvent.count({ where: { type: { in: ['lead.created', 'sale.subscribed'] } } }), { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    const a = await lookup('salesmgr.project', LANDLINE);
    expect(a.body.openCases).toBeNull();
    expect(a.body.units).toEqual([expect.objectContaining({ relation: 'buyer', saleId: caller.sale, projectId: ids.bjhy, status: 'RESERVED' })]);
    expect(a.body.lastContacts.map((c: { event: string }) => c.event)).toEqual(expect.arrayContaining(['lead.created', 'sale.subscribed']));
    const wang = await lookup('agent.project', '138-0013-8001');
    expect(wang.body.units).toEqual([expect.objectContaining({ id: ids.wangUnit, label: ids.wangUnitLabel, relation: 'owner', saleId: null, projectId: ids.bjhy })]);
  });

  it('is not taken for a customer id', async () => {
    const a = await as('agent.project', 'GET', '/api/customers/lookup');
    expectProblem(a, 400, 'VALIDATION_FAILED', 'REQUEST_INVALID');
  });
});

describe("a customer's records (GET /api/customers/:id/records)", () => {
  it('lists their cases newest first with totals, and records the view', async () => {
    const a = await get('agent.group', `/api/customers/${caller.id}/records`, { 'x-request-id': 'records-agent' });
    expect(a.body.customer).toMatchObject({ id: caller.id, phone: LANDLINE });
    const total = await stack.db.case.count({ where: { customerId: caller.id } });
    expect(a.body.cases.total).toBe(total);
    const opened = a.body.cases.items.map((c: { openedAt: string }) => c.openedAt);
    expect(opened).toEqual([...opened].sort().reverse());
    expect({ leads: a.body.leads, sales: a.body.sales, units: a.body.units }).toEqual({ leads: null, sales: null, units: [] });
    expect(await stack.db.recordView.findMany({ where: { requestId: 'records-agent' } })).toEqual([expect.objectContaining({ customerId: caller.id, recordKind: 'customer' })]);
  });

  it('caps each kind at the limit and keeps the total', async () => {
    const a = await get('agent.group', `/api/customers/${caller.id}/records?limit=2`);
    expect(a.body.cases.items).toHaveLength(2);
    expect(a.body.cases.total).toBeGreaterThan(2);
  });

  it("keeps to the user's scope", async () => {
    const projects = async (user: string) =>
      new Set((await get(user, `/api/customers/${caller.id}/records?limit=50`)).body.cases.items.map((c: { projectId: string }) => c.projectId));
    expect(await projects('agent.project')).toEqual(new Set([ids.bjhy]));
    expect(await projects('agent.company')).toEqual(new Set([ids.bjhy, ids.hpmd]));
  });

  it("shows the sales team their leads, sales and units, and managers the phone masked", async () => {
    const a = await get('salesmgr.project', `/api/customers/${caller.id}/records`);
    expect(a.body.cases).toBeNull();
    expect(a.body.leads.items.map((l: { id: string }) => l.id)).toEqual([caller.lead]);
    expect(a.body.sales).toMatchObject({ items: [expect.objectContaining({ id: caller.sale, stage: 'subscribed', customer: expect.objectContaining({ id: caller.id }) })], total: 1 });
    expect(a.body.units).toEqual([expect.objectContaining({ relation: 'buyer', saleId: caller.sale })]);
    const manager = await get('manager.group', `/api/customers/${caller.id}/records`);
    expect(manager.text).not.toContain('88886666');
    expect(manager.body.customer.phone).toBe('0571-****6666');
  });

  it('answers 404 for a customer of no one', async () => {
    expectProblem(await as('agent.project', 'GET', `/api/customers/${crypto.randomUUID()}/records`), 404, 'NOT_FOUND', 'CUSTOMER_NOT_FOUND');
  });
});

describe('lists searched by the customer (q)', () => {
  const items = (a: Answer) => a.body.items.map((c: { id: string }) => c.id);

  it("finds a caller's cases by their landline typed any way, by a piece of it, by name and by number", async () => {
    for (const q of ['0571 8888-6666', '0571-8888-6666', '8888 6666', '+86 571 8888 6666', '赵女士']) {
      const a = await get('agent.project', `/api/cases?pageSize=200&q=${enc(q)}`);
      expect(items(a), q).toContain(caller.caseBjhy);
      for (const c of a.body.items) expect(c.customer.id, q).toBe(caller.id);
    }
    expect(items(await get('agent.project', `/api/cases?q=${enc(caller.caseBjhyNumber)}`))).toEqual([caller.caseBjhy]);
  });

  it('shows the customer and the unit on each row, the phone masked per role', async () => {
    const agent = await get('agent.project', `/api/cases?q=${enc(caller.caseBjhyNumber)}`);
    expect(agent.body.items[0]).toMatchObject({ customer: { id: caller.id, name: '赵女士', phone: LANDLINE }, unit: { label: '1栋 302' } });
    const manager = await get('manager.project', `/api/cases?q=${enc(caller.caseBjhyNumber)}`);
    expect(manager.body.items[0].customer.phone).toBe('0571-****6666');
  });

  it("does not widen the scope: a project's agent finds no other project's case by its caller", async () => {
    expect(items(await get('agent.project', `/api/cases?pageSize=200&q=${enc(LANDLINE)}`))).not.toContain(caller.caseHpmd);
    expect(items(await get('agent.company', `/api/cases?pageSize=200&q=${enc(LANDLINE)}`))).toContain(caller.caseHpmd);
    expect((await get('agent.company', `/api/cases?q=${enc(HJW_CALLER)}`)).body.total).toBe(0);
    expect(items(await get('agent.group', `/api/cases?q=${enc(HJW_CALLER)}`))).toEqual([hjw.case]);
  });

  it("lists one customer's cases", async () => {
    const a = await get('agent.group', `/api/cases?pageSize=200&customerId=${caller.id}`);
    expect(a.body.total).toBe(await stack.db.case.count({ where: { customerId: caller.id } }));
  });

  it('finds leads and sales by their customer’s phone or name', async () => {
    expect(items(await get('salesmgr.project', `/api/leads?q=${enc('0571 8888 6666')}`))).toEqual([caller.lead]);
    expect(items(await get('salesmgr.project', `/api/leads?q=${enc('赵女士')}`))).toEqual([caller.lead]);
    expect(items(await get('salesmgr.project', `/api/sales?q=${enc('8888-6666')}`))).toEqual([caller.sale]);
    expect(items(await get('salesmgr.project', `/api/sales?customerId=${caller.id}`))).toEqual([caller.sale]);
    expect((await get('salesmgr.project', `/api/leads?q=${enc(HJW_CALLER)}`)).body.total).toBe(0);
  });
});
