import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPayloadConverter } from '@temporalio/common';
import { hashPassword } from '../../platform/passwords.js';
import { AesGcmPayloadCodec } from '../../platform/temporal/payload-codec.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { call, expectProblem, type Answer } from './http.js';

/**
 * Every view of a customer's full record is recorded (who, role, when, which customer, through
 * which record, contact whole or masked, request id), before the answer leaves; managers and group
 * administrators read the log within their scope.
 *
 * Records are written straight into the read model (a closed case, ended leads, a cancelled sale),
 * so no detail view needs a running workflow; Temporal runs only to answer "no such workflow" for
 * the sale. HZ-BJHY and SZ-HPMD are projects of HX-EAST, SZ-HJW of HX-SOUTH.
 */

let stack: TestStack;
const tokens = new Map<string, string>();
const id = {
  group: '', east: '', bjhy: '', hjw: '', wang: '', li: '', zhang: '',
  caseBjhy: '', caseHjw: '', leadBjhy: '', leadReferral: '', saleBjhy: '', saleHjw: '',
  agentProject: '', managerProject: '', salesmgrProject: '', managerCompany: '', admin: '',
};
const zx = { group: '', customer: '', manager: '', agent: '' };

async function as(user: string, method: string, path: string, o: { json?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const token = tokens.get(user);
  if (!token) throw new Error(`no token for ${user}`);
  return call(stack, method, path, { token, ...o });
}

/** A detail view under a request id of our choosing, and the rows that request wrote. */
async function view(user: string, path: string, requestId: string) {
  const a = await as(user, 'GET', path, { headers: { 'x-request-id': requestId } });
  const rows = await stack.db.recordView.findMany({ where: { requestId }, orderBy: { id: 'asc' } });
  return { a, rows };
}

const countRows = () => stack.db.recordView.count();

beforeAll(async () => {
  stack = await startTestStack({ seed: true, temporal: true });
  const { db } = stack;
  const group = await db.group.findFirstOrThrow({ where: { code: 'HX' } });
  const project = (code: string) => db.project.findFirstOrThrow({ where: { code } });
  const user = (u: string) => db.user.findUniqueOrThrow({ where: { username: u } }).then((x) => x.id);
  const customer = (phone: string) => db.customer.findFirstOrThrow({ where: { groupId: group.id, phone } }).then((c) => c.id);
  const [bjhy, hjw] = [await project('HZ-BJHY'), await project('SZ-HJW')];
  Object.assign(id, {
    group: group.id, east: bjhy.companyId, bjhy: bjhy.id, hjw: hjw.id,
    wang: await customer('13800138001'), li: await customer('13900139002'), zhang: await customer('13700137003'),
    agentProject: await user('agent.project'), managerProject: await user('manager.project'), salesmgrProject: await user('salesmgr.project'),
    managerCompany: await user('manager.company'), admin: await user('admin'),
  });
  const salesProject = await user('sales.project');
  const now = Date.now();

  const closedCase = (n: number, p: typeof bjhy, customerId: string) =>
    db.case.create({
      data: {
        number: `CS-20260101-${8000 + n}`, workflowId: `case-rv-${n}`, groupId: group.id, companyId: p.companyId, projectId: p.id, customerId,
        type: 'complaint', category: 'complaint.quality.leakage', severity: 'minor', channel: 'phone', description: '查看记录测试', status: 'closed',
        tier: 'PROJECT', policyId: 'default', sla: {}, openedById: id.agentProject, openedAt: new Date(now - 3_600_000), closedAt: new Date(now - 60_000),
      },
    });
  id.caseBjhy = (await closedCase(1, bjhy, id.wang)).id;
  id.caseHjw = (await closedCase(2, hjw, id.li)).id;

  const unit = await db.unit.findFirstOrThrow({ where: { projectId: bjhy.id, ownerCustomerId: null }, orderBy: { number: 'asc' } });
  const convertedLead = (n: number, referrerCustomerId: string | null) =>
    db.lead.create({
      data: {
        number: `LD-20260101-${8000 + n}`, workflowId: `lead-rv-${n}`, groupId: group.id, companyId: bjhy.companyId, projectId: bjhy.id, customerId: id.wang,
        referrerCustomerId, source: referrerCustomerId ? 'referral' : 'walk_in', grade: 'B', status: 'converted', ownerId: salesProject,
        createdById: id.salesmgrProject, createdAt: new Date(now - 3_600_000), firstContactDueAt: new Date(now + 86_400_000),
        convertedUnitId: unit.id, convertedPrice: '2350000.00', convertedDeposit: '50000.00', convertedAt: new Date(now - 60_000), closedAt: new Date(now - 60_000), lastEventSeq: 3,
      },
    });
  id.leadBjhy = (await convertedLead(1, null)).id;
  id.leadReferral = (await convertedLead(2, id.zhang)).id;

  const cancelledSale = async (n: number, p: typeof bjhy, customerId: string) => {
    const u = await db.unit.findFirstOrThrow({ where: { projectId: p.id, ownerCustomerId: null }, orderBy: { number: 'desc' } });
    return db.sale.create({
      data: {
        number: `SL-20260101-${8000 + n}`, workflowId: `sale-rv-${n}`, groupId: group.id, companyId: p.companyId, projectId: p.id, unitId: u.id, customerId,
        ownerId: salesProject, stage: 'cancelled', paymentMethod: 'full', price: '2350000.00', deposit: '50000.00', paidTotal: '50000.00', contractArea: '99.00',
        deadlines: [], payments: [], approvals: [], deliveryDate: new Date('2027-06-30T00:00:00Z'), inspectionAt: new Date('2027-05-30T00:00:00Z'),
        createdById: salesProject, createdAt: new Date(now - 3_600_000), cancelReason: '查看记录测试', closedAt: new Date(now - 60_000), lastEventSeq: 2,
      },
    });
  };
  id.saleBjhy = (await cancelledSale(1, bjhy, id.wang)).id;
  id.saleHjw = (await cancelledSale(2, hjw, id.li)).id;

  // A second organisation, with its own manager, agent and customer.
  const zxGroup = await db.group.create({ data: { code: 'ZX', name: '正信地产集团' } });
  const passwordHash = await hashPassword('other-org-password');
  zx.group = zxGroup.id;
  zx.manager = (await db.user.create({ data: { groupId: zxGroup.id, username: 'zx.manager', displayName: '正信经理', passwordHash, role: 'MANAGER', scopeLevel: 'GROUP' } })).id;
  zx.agent = (await db.user.create({ data: { groupId: zxGroup.id, username: 'zx.agent', displayName: '正信坐席', passwordHash, role: 'AGENT', scopeLevel: 'GROUP' } })).id;
  zx.customer = (await db.customer.create({ data: { groupId: zxGroup.id, name: '钱先生', phone: '13800138001' } })).id;

  for (const role of ['agent', 'handler', 'supervisor', 'manager', 'sales', 'salesmgr', 'specialist', 'admin'])
    for (const tier of ['project', 'company', 'group']) {
      const u = role === 'admin' && tier === 'group' ? 'admin' : `${role}.${tier}`;
      tokens.set(u, await stack.login(u));
    }
  tokens.set('zx.manager', await stack.login('zx.manager', 'other-org-password'));
  tokens.set('zx.agent', await stack.login('zx.agent', 'other-org-password'));
}, 120_000);

afterAll(async () => {
  await stack?.close();
}, 60_000);

describe('recording views of a customer’s full record', () => {
  it('writes one row for a customer detail view: the viewer, role, customer, the customer record itself, contact whole, request id', async () => {
    const before = await countRows();
    const { a, rows } = await view('agent.project', `/api/customers/${id.wang}`, 'rv-customer-agent');
    expect(a.status, a.text).toBe(200);
    expect(a.body.phone).toBe('13800138001');
    expect(rows).toEqual([
      expect.objectContaining({
        groupId: id.group, viewerId: id.agentProject, viewerRole: 'AGENT', customerId: id.wang, recordKind: 'customer', recordId: id.wang,
        companyId: null, projectId: null, contactShown: true, requestId: 'rv-customer-agent',
      }),
    ]);
    expect(Math.abs(rows[0]!.viewedAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(await countRows()).toBe(before + 1);
  });

  it('records a masked view as such', async () => {
    const { a, rows } = await view('manager.group', `/api/customers/${id.wang}`, 'rv-customer-manager');
    expect(a.body.phone).toBe('138****8001');
    expect(rows).toEqual([expect.objectContaining({ viewerRole: 'MANAGER', customerId: id.wang, recordKind: 'customer', contactShown: false })]);
  });

  it("writes one row for a case's detail view, through the case and its project", async () => {
    const { a, rows } = await view('manager.project', `/api/cases/${id.caseBjhy}`, 'rv-case');
    expect(a.status, a.text).toBe(200);
    expect(a.body.customer.id).toBe(id.wang);
    expect(rows).toEqual([
      expect.objectContaining({
        viewerId: id.managerProject, viewerRole: 'MANAGER', customerId: id.wang, recordKind: 'case', recordId: id.caseBjhy,
        companyId: id.east, projectId: id.bjhy, contactShown: false, requestId: 'rv-case',
      }),
    ]);
  });

  it("writes one row for a lead's detail view", async () => {
    const { a, rows } = await view('salesmgr.project', `/api/leads/${id.leadBjhy}`, 'rv-lead');
    expect(a.status, a.text).toBe(200);
    expect(rows).toEqual([
      expect.objectContaining({
        viewerId: id.salesmgrProject, viewerRole: 'SALES_MANAGER', customerId: id.wang, recordKind: 'lead', recordId: id.leadBjhy, projectId: id.bjhy, contactShown: true,
      }),
    ]);
  });

  it("writes a row for each customer a referral lead's detail view shows: the prospect and the referrer", async () => {
    const { a, rows } = await view('salesmgr.project', `/api/leads/${id.leadReferral}`, 'rv-lead-referral');
    expect(a.status, a.text).toBe(200);
    expect(a.body.referrer.id).toBe(id.zhang);
    expect(rows.map((r) => [r.customerId, r.recordKind, r.recordId]).sort()).toEqual(
      [[id.wang, 'lead', id.leadReferral], [id.zhang, 'lead', id.leadReferral]].sort(),
    );
  });

  it("writes one row for a sale's detail view", async () => {
    const { a, rows } = await view('manager.company', `/api/sales/${id.saleBjhy}`, 'rv-sale');
    expect(a.status, a.text).toBe(200);
    expect(a.body.customer.id).toBe(id.wang);
    expect(rows).toEqual([
      expect.objectContaining({
        viewerId: id.managerCompany, viewerRole: 'MANAGER', customerId: id.wang, recordKind: 'sale', recordId: id.saleBjhy, companyId: id.east, projectId: id.bjhy, contactShown: false,
      }),
    ]);
  });

  it('writes nothing for lists (masked) or audit trails', async () => {
    const before = await countRows();
    for (const [user, path] of [
      ['agent.project', '/api/customers?pageSize=200'],
      ['agent.project', '/api/customers?q=13800138001'],
      ['manager.group', '/api/cases?pageSize=200'],
      ['manager.group', `/api/cases/${id.caseBjhy}/events`],
      ['salesmgr.group', '/api/leads?pageSize=200'],
      ['salesmgr.group', `/api/leads/${id.leadBjhy}/events`],
      ['manager.group', '/api/sales?pageSize=200'],
      ['manager.group', `/api/sales/${id.saleBjhy}/events`],
    ] as const) {
      const a = await as(user, 'GET', path);
      expect(a.status, `${user} ${path}: ${a.text}`).toBe(200);
    }
    expect(await countRows()).toBe(before);
  });

  it('writes nothing for a view refused (403) or of a record the user cannot see (404)', async () => {
    const before = await countRows();
    expectProblem(await as('manager.project', 'GET', `/api/cases/${id.caseHjw}`), 403, 'OUT_OF_SCOPE');
    expectProblem(await as('sales.project', 'GET', `/api/cases/${id.caseBjhy}`), 403, 'FORBIDDEN');
    expectProblem(await as('sales.company', 'GET', `/api/leads/${id.leadBjhy}`), 403, 'OUT_OF_SCOPE');
    expectProblem(await as('manager.project', 'GET', `/api/sales/${id.saleHjw}`), 403, 'OUT_OF_SCOPE');
    expectProblem(await as('agent.project', 'GET', '/api/customers/no-such-customer'), 404, 'NOT_FOUND');
    expectProblem(await as('zx.agent', 'GET', `/api/customers/${id.wang}`), 404, 'NOT_FOUND');
    expectProblem(await as('agent.project', 'GET', `/api/customers/${zx.customer}`), 404, 'NOT_FOUND');
    expect(await countRows()).toBe(before);
  });

  it('refuses the view (503) rather than show it unrecorded when the log cannot be written', async () => {
    await stack.db.$executeRawUnsafe('ALTER TABLE "record_view" RENAME TO "record_view_unwritable"');
    try {
      for (const path of [`/api/customers/${id.wang}`, `/api/cases/${id.caseBjhy}`]) {
        const a = await as('agent.project', 'GET', path);
        expectProblem(a, 503, 'DEPENDENCY_UNAVAILABLE');
        expect(a.text).not.toContain('13800138001');
        expect(a.text).not.toContain('王先生');
      }
    } finally {
      await stack.db.$executeRawUnsafe('ALTER TABLE "record_view_unwritable" RENAME TO "record_view"');
    }
    const { a, rows } = await view('agent.project', `/api/customers/${id.wang}`, 'rv-after-outage');
    expect(a.status, a.text).toBe(200);
    expect(rows).toHaveLength(1);
  });

  it('keeps the log append-only: the database refuses to change or remove a row', async () => {
    await expect(stack.db.$executeRawUnsafe('UPDATE "record_view" SET "contactShown" = NOT "contactShown"')).rejects.toThrow(/append-only/);
    await expect(stack.db.$executeRawUnsafe('DELETE FROM "record_view"')).rejects.toThrow(/append-only/);
    expect(await countRows()).toBeGreaterThan(0);
  });

  it('records each decode of workflow payloads as a view of kind workflow-payloads, pointing at its audit event', async () => {
    const encrypted = new AesGcmPayloadCodec(stack.config.temporal.payloadKeys).encryptOne(defaultPayloadConverter.toPayload({ customer: '王先生' }));
    const payload = {
      metadata: Object.fromEntries(Object.entries(encrypted.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
      data: Buffer.from(encrypted.data ?? []).toString('base64'),
    };
    const { rows: none } = await (async () => {
      const a = await as('admin', 'POST', '/api/temporal-codec/encode', { json: { payloads: [payload] }, headers: { 'x-request-id': 'rv-encode' } });
      expect(a.status, a.text).toBe(200);
      return { rows: await stack.db.recordView.findMany({ where: { requestId: 'rv-encode' } }) };
    })();
    expect(none).toEqual([]);
    const a = await as('admin', 'POST', '/api/temporal-codec/decode', { json: { payloads: [payload] }, headers: { 'x-request-id': 'rv-decode' } });
    expect(a.status, a.text).toBe(200);
    const rows = await stack.db.recordView.findMany({ where: { requestId: 'rv-decode' } });
    const event = await stack.db.auditEvent.findFirstOrThrow({ where: { streamId: `temporal-codec:${id.admin}`, type: 'temporal-codec.decoded' }, orderBy: { seq: 'desc' } });
    expect(rows).toEqual([
      expect.objectContaining({
        groupId: id.group, viewerId: id.admin, viewerRole: 'ADMIN', customerId: null, recordKind: 'workflow-payloads', recordId: `temporal-codec:${id.admin}:${event.seq}`,
        companyId: null, projectId: null, contactShown: true,
      }),
    ]);
  });
});

describe('the record-view log', () => {
  /** What a group-wide reader must see: every row of the demo group, newest first. */
  const demoRows = () => stack.db.recordView.findMany({ where: { groupId: id.group }, orderBy: [{ viewedAt: 'desc' }, { id: 'desc' }] });
  const ids = (a: Answer): string[] => a.body.items.map((v: { id: string }) => v.id);

  beforeAll(async () => {
    // The other organisation's own views: never visible to the demo group's readers.
    const a = await as('zx.agent', 'GET', `/api/customers/${zx.customer}`, { headers: { 'x-request-id': 'rv-zx' } });
    expect(a.status, a.text).toBe(200);
    expect((await as('agent.project', 'GET', `/api/cases/${id.caseHjw}`)).status).toBe(403);
    expect((await as('agent.group', 'GET', `/api/cases/${id.caseHjw}`)).status).toBe(200);
  });

  it('shows a group manager every view of its organisation, newest first, with viewer name and role, and none of another organisation', async () => {
    const all = await demoRows();
    expect(all.length).toBeGreaterThanOrEqual(8);
    const a = await as('manager.group', 'GET', '/api/record-views?pageSize=200');
    expect(a.status, a.text).toBe(200);
    expect(a.body.total).toBe(all.length);
    expect(ids(a)).toEqual(all.map((r) => r.id.toString()));
    const caseView = a.body.items.find((v: { requestId: string }) => v.requestId === 'rv-case');
    expect(caseView).toEqual({
      id: expect.any(String),
      viewedAt: expect.any(String),
      viewer: { id: id.managerProject, name: expect.any(String), role: 'MANAGER' },
      customer: { id: id.wang, name: '王先生' },
      record: { kind: 'case', id: id.caseBjhy, number: 'CS-20260101-8001' },
      project: { id: id.bjhy, name: expect.any(String) },
      contactShown: false,
      requestId: 'rv-case',
    });
    expect(caseView.viewer.name.length).toBeGreaterThan(0);
    for (const v of a.body.items) expect(v.viewer.role).toMatch(/^[A-Z_]+$/);
    // Reading the log shows no contact details and nothing of the other organisation.
    expect(a.text).not.toContain('13800138001');
    for (const mark of [zx.customer, zx.agent, '钱先生', '正信', 'rv-zx']) expect(a.text).not.toContain(mark);
  });

  it('shows a group administrator the same, decodes of workflow payloads included', async () => {
    const a = await as('admin', 'GET', '/api/record-views?pageSize=200');
    expect(a.status, a.text).toBe(200);
    expect(ids(a)).toEqual((await demoRows()).map((r) => r.id.toString()));
    const decodes = await as('admin', 'GET', '/api/record-views?kind=workflow-payloads');
    expect(decodes.body.items).toEqual([
      expect.objectContaining({ viewer: expect.objectContaining({ id: id.admin, role: 'ADMIN' }), customer: null, project: null, record: expect.objectContaining({ kind: 'workflow-payloads' }) }),
    ]);
  });

  it('shows a project manager only views through cases, leads and sales of its project; a company manager those of its company', async () => {
    const all = await demoRows();
    const project = await as('manager.project', 'GET', '/api/record-views?pageSize=200');
    expect(project.status, project.text).toBe(200);
    const expectedProject = all.filter((r) => r.projectId === id.bjhy).map((r) => r.id.toString());
    expect(expectedProject.length).toBeGreaterThanOrEqual(4);
    expect(ids(project)).toEqual(expectedProject);
    // Not the customer record itself (group-level), not SZ-HJW's case, not workflow payloads.
    for (const v of project.body.items) expect(v.project.id).toBe(id.bjhy);
    const company = await as('manager.company', 'GET', '/api/record-views?pageSize=200');
    expect(ids(company)).toEqual(all.filter((r) => r.companyId === id.east).map((r) => r.id.toString()));
    expect(company.text).not.toContain(id.caseHjw);
    // A filter narrows what the user may see; it never widens it.
    expect((await as('manager.project', 'GET', `/api/record-views?customerId=${id.li}`)).body.total).toBe(0);
    expect((await as('manager.project', 'GET', '/api/record-views?kind=customer')).body.total).toBe(0);
    expectProblem(await as('manager.project', 'GET', `/api/record-views?projectId=${id.hjw}`), 403, 'OUT_OF_SCOPE');
    const group = await as('manager.group', 'GET', `/api/record-views?projectId=${id.hjw}`);
    expect(group.body.items.map((v: { record: { id: string } }) => v.record.id)).toEqual([id.caseHjw]);
  });

  it('filters by user, customer, kind and period, and pages', async () => {
    const all = await demoRows();
    const byUser = await as('manager.group', 'GET', `/api/record-views?pageSize=200&userId=${id.agentProject}`);
    expect(ids(byUser)).toEqual(all.filter((r) => r.viewerId === id.agentProject).map((r) => r.id.toString()));
    expect(byUser.body.total).toBeGreaterThanOrEqual(2);
    const byCustomer = await as('manager.group', 'GET', `/api/record-views?pageSize=200&customerId=${id.zhang}`);
    expect(byCustomer.body.items.map((v: { requestId: string }) => v.requestId)).toEqual(['rv-lead-referral']);
    const byKind = await as('manager.group', 'GET', '/api/record-views?pageSize=200&kind=sale');
    expect(byKind.body.items.map((v: { record: { id: string } }) => v.record.id)).toEqual([id.saleBjhy]);

    // The period: [from, to) around the views made after a mark.
    await new Promise((r) => setTimeout(r, 20));
    const mark = new Date();
    await view('agent.company', `/api/customers/${id.li}`, 'rv-after-mark');
    const after = await as('manager.group', 'GET', `/api/record-views?from=${encodeURIComponent(mark.toISOString())}`);
    expect(after.body.items.map((v: { requestId: string }) => v.requestId)).toEqual(['rv-after-mark']);
    const before = await as('manager.group', 'GET', `/api/record-views?pageSize=200&to=${encodeURIComponent(mark.toISOString())}`);
    expect(before.body.total).toBe(all.length);
    expectProblem(await as('manager.group', 'GET', `/api/record-views?from=${encodeURIComponent(mark.toISOString())}&to=${encodeURIComponent(mark.toISOString())}`), 400, 'VALIDATION_FAILED');
    expectProblem(await as('manager.group', 'GET', '/api/record-views?kind=everything'), 400, 'VALIDATION_FAILED');

    const now = await demoRows();
    const page2 = await as('manager.group', 'GET', '/api/record-views?page=2&pageSize=3');
    expect(page2.body).toMatchObject({ page: 2, pageSize: 3, total: now.length });
    expect(ids(page2)).toEqual(now.slice(3, 6).map((r) => r.id.toString()));
  });

  it("answers who viewed one customer, newest first, within the reader's scope", async () => {
    const a = await as('manager.group', 'GET', `/api/customers/${id.wang}/views?pageSize=200`);
    expect(a.status, a.text).toBe(200);
    const wang = (await demoRows()).filter((r) => r.customerId === id.wang);
    expect(ids(a)).toEqual(wang.map((r) => r.id.toString()));
    expect(a.body.items[0].customer).toEqual({ id: id.wang, name: '王先生' });
    const project = await as('manager.project', 'GET', `/api/customers/${id.wang}/views?pageSize=200`);
    expect(ids(project)).toEqual(wang.filter((r) => r.projectId === id.bjhy).map((r) => r.id.toString()));
    const paged = await as('manager.group', 'GET', `/api/customers/${id.wang}/views?pageSize=1&page=2`);
    expect(ids(paged)).toEqual([wang[1]!.id.toString()]);
    expectProblem(await as('manager.group', 'GET', `/api/customers/${zx.customer}/views`), 404, 'NOT_FOUND');
    expectProblem(await as('manager.group', 'GET', '/api/customers/no-such-customer/views'), 404, 'NOT_FOUND');
  });

  it('shows the other organisation its own views only', async () => {
    const a = await as('zx.manager', 'GET', '/api/record-views?pageSize=200');
    expect(a.body.items.map((v: { requestId: string }) => v.requestId)).toEqual(['rv-zx']);
    expect(a.body.items[0]).toMatchObject({ viewer: { id: zx.agent, name: '正信坐席', role: 'AGENT' }, customer: { id: zx.customer, name: '钱先生' } });
    expect((await as('zx.manager', 'GET', `/api/record-views?customerId=${id.wang}`)).body.total).toBe(0);
    expect((await as('zx.manager', 'GET', `/api/record-views?userId=${id.agentProject}`)).body.total).toBe(0);
    expectProblem(await as('zx.manager', 'GET', `/api/customers/${id.wang}/views`), 404, 'NOT_FOUND');
  });

  it('refuses roles without the permission (403 FORBIDDEN) and administrators below group scope (403 OUT_OF_SCOPE)', async () => {
    for (const role of ['agent', 'handler', 'supervisor', 'sales', 'salesmgr', 'specialist'])
      for (const tier of ['project', 'company', 'group']) {
        expectProblem(await as(`${role}.${tier}`, 'GET', '/api/record-views'), 403, 'FORBIDDEN');
        expectProblem(await as(`${role}.${tier}`, 'GET', `/api/customers/${id.wang}/views`), 403, 'FORBIDDEN');
      }
    for (const user of ['admin.project', 'admin.company']) {
      expectProblem(await as(user, 'GET', '/api/record-views'), 403, 'OUT_OF_SCOPE');
      expectProblem(await as(user, 'GET', `/api/customers/${id.wang}/views`), 403, 'OUT_OF_SCOPE');
    }
  });

  it('exports CSV with ids, staff names and record numbers, and no customer name or number', async () => {
    const a = await as('manager.group', 'GET', '/api/record-views', { headers: { accept: 'text/csv' } });
    expect(a.status, a.text).toBe(200);
    expect(a.contentType).toMatch(/^text\/csv/);
    const lines = a.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('查看时间,查看人ID,查看人,查看人角色,客户ID,记录类型,记录ID,记录编号,项目ID,项目,显示完整联系方式,请求ID,时区');
    expect(lines.length - 1).toBe(await stack.db.recordView.count({ where: { groupId: id.group } }));
    // The role and the kind in words, the time in the project's zone with its offset.
    const caseLine = lines.find((l) => l.includes(',rv-case,'))!;
    expect(caseLine).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?\\+08:00,`));
    expect(caseLine).toContain(`,客服经理,${id.wang},工单,${id.caseBjhy},CS-20260101-8001,${id.bjhy},滨江花园,否,rv-case,Asia/Shanghai`);
    for (const personal of ['王先生', '李女士', '张女士', '13800138001']) expect(a.text).not.toContain(personal);
    const en = await as('manager.group', 'GET', '/api/record-views', { headers: { accept: 'text/csv', 'accept-language': 'en' } });
    expect(en.text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
      'Viewed at,Viewer id,Viewer,Viewer role,Customer id,Record kind,Record id,Record number,Project id,Project,Contact details shown,Request id,Time zone',
    );
    expect(en.text).toContain(`,Service manager,${id.wang},Case,${id.caseBjhy},CS-20260101-8001,${id.bjhy},滨江花园,no,rv-case,Asia/Shanghai`);
  });

  it('is not itself a view: reading it writes no row', async () => {
    const before = await countRows();
    for (const path of ['/api/record-views', `/api/record-views?customerId=${id.wang}`, `/api/customers/${id.wang}/views`]) {
      expect((await as('manager.group', 'GET', path)).status).toBe(200);
      expect((await as('admin', 'GET', path)).status).toBe(200);
    }
    await as('manager.group', 'GET', '/api/record-views', { headers: { accept: 'text/csv' } });
    expect(await countRows()).toBe(before);
  });
});
