import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal, Role, ScopeLevel } from '../../domain/access.js';
import { requestHash } from '../../api/http/idempotency.js';
import { CreateLeadBody } from '../../api/leads/schemas.js';
import { CreateSaleBody } from '../../api/sales/schemas.js';
import { OpenCaseBody } from '../../api/cases/schemas.js';
import { openCase } from '../../app/cases/open-case.js';
import { createLead } from '../../app/leads/create-lead.js';
import { finishAbandonedOpenings } from '../../app/recovery/abandoned-openings.js';
import { createSale } from '../../app/sales/create-sale.js';
import type { AppDeps } from '../../app/shared/deps.js';
import { REQUEST_LEASE_MS } from '../../app/shared/request-identity.js';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { call } from './http.js';

/**
 * An API process that dies between storing a new record and starting its workflow (a case, a lead;
 * a sale also between its row and its lead's conversion) leaves a row without its workflow and,
 * when the request carried an Idempotency-Key, a claim "in progress". The death is staged at that
 * exact point: the use case runs against a Temporal that never answers, so it stops, for good,
 * right after its row is written (nothing of it runs again: no undo, no answer), and the key's
 * claim is written as the dead process left it. Then either the client retries with the same key
 * (after the lease the claim is taken over and the run finds the row), or nobody does and the
 * sweep of abandoned openings finishes the row. Either way: one record, its workflow running, its
 * read model projected, and for a sale its lead converted once.
 */
let stack: TestStack;
const tokens = new Map<string, string>();
const principals = new Map<string, Principal>();
const ids = { bjhy: '', units: [] as string[] };
const silent = pino({ level: 'silent' });
let phoneSeq = 0;

async function principalOf(username: string): Promise<Principal> {
  const u = await stack.db.user.findUniqueOrThrow({ where: { username } });
  return { id: u.id, username: u.username, role: u.role as Role, groupId: u.groupId, scopeLevel: u.scopeLevel as ScopeLevel, companyId: u.companyId, projectId: u.projectId };
}

beforeAll(async () => {
  stack = await startTestStack({ seed: true, temporal: true, worker: true });
  ids.bjhy = (await stack.db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } })).id;
  ids.units = (await stack.db.unit.findMany({ where: { projectId: ids.bjhy, ownerCustomerId: null, status: 'AVAILABLE' }, orderBy: [{ floor: 'desc' }, { number: 'desc' }], take: 10 })).map((u) => u.id);
  for (const u of ['agent.project', 'salesmgr.project']) {
    tokens.set(u, await stack.login(u));
    principals.set(u, await principalOf(u));
  }
}, 180_000);
afterAll(async () => {
  await stack?.close();
}, 60_000);

/** Deps of a process that dies at its call number `callsBefore + 1` to Temporal: that call never returns. */
function dyingAtTemporal(callsBefore: number): AppDeps {
  const real = stack.temporal;
  let calls = 0;
  const dying = Object.create(real) as TemporalGateway;
  Object.defineProperty(dying, 'use', { value: (fn: Parameters<TemporalGateway['use']>[0]) => (calls++ < callsBefore ? real.use(fn) : new Promise(() => undefined)) });
  return { db: stack.db, temporal: dying, logger: silent };
}

/**
 * Runs `run` (a use case on dyingAtTemporal deps) until `stored` finds its row: the point where the
 * process dies (its Temporal call after `callsBefore` others: the workflow's start, or a sale's lead
 * conversion once the lead was read).
 */
async function dieAfterRow<R>(run: (deps: AppDeps) => Promise<unknown>, stored: () => Promise<R | null>, callsBefore = 0): Promise<R> {
  void run(dyingAtTemporal(callsBefore)).catch(() => undefined);
  const until = Date.now() + 20_000;
  for (;;) {
    const row = await stored();
    if (row) return row;
    if (Date.now() > until) throw new Error('the staged run never stored its row');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The key's claim as the dead process left it: in progress, taken `ageMs` ago. */
async function leaveClaim(user: string, key: string, path: string, body: unknown, ageMs: number) {
  await stack.db.idempotentRequest.create({
    data: { userId: principals.get(user)!.id, key, method: 'POST', path, requestHash: requestHash('POST', path, body), status: 0, response: {}, createdAt: new Date(Date.now() - ageMs) },
  });
}

const workflowStatus = (workflowId: string) =>
  stack.temporal.use((c) => c.workflow.getHandle(workflowId).describe()).then((d) => d.status.name, () => 'UNKNOWN');
const projected = <T extends { lastEventSeq: number }>(read: () => Promise<T | null>) =>
  expect.poll(async () => (await read())?.lastEventSeq ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);

async function leadOfPhone(phone: string) {
  const customer = await stack.db.customer.findFirst({ where: { phone } });
  return customer ? stack.db.lead.findFirst({ where: { customerId: customer.id } }) : null;
}

const leadBody = (over: Record<string, unknown> = {}) => ({
  projectId: ids.bjhy,
  customer: { name: '潜在客户', phone: `1361111${String(++phoneSeq).padStart(4, '0')}` },
  source: 'walk_in',
  grade: 'B',
  ...over,
});

describe('an API process that died between a new record and its workflow', () => {
  it('a lead: the retried request takes the claim over after the lease, finds the lead, starts its workflow and answers it (one lead)', async () => {
    const user = 'salesmgr.project';
    const key = 'abandoned-lead-0001';
    const body = leadBody();
    const parsed = CreateLeadBody.parse(body);
    const row = await dieAfterRow(
      (deps) => createLead(deps, principals.get(user)!, parsed, { requestKey: `${principals.get(user)!.id}:${key}` }),
      () => leadOfPhone(body.customer.phone),
    );
    await leaveClaim(user, key, '/api/leads', parsed, REQUEST_LEASE_MS + 1000);
    expect(row.lastEventSeq).toBe(0);
    expect(await workflowStatus(row.workflowId)).toBe('UNKNOWN');

    const retried = await call(stack, 'POST', '/api/leads', { token: tokens.get(user)!, json: body, headers: { 'idempotency-key': key } });
    expect(retried.status, retried.text).toBe(201);
    expect(retried.body.id).toBe(row.id);
    expect(retried.body.number).toBe(row.number);
    expect(await workflowStatus(row.workflowId)).toBe('RUNNING');
    await projected(() => stack.db.lead.findUnique({ where: { id: row.id } }));
    const customer = await stack.db.customer.findFirstOrThrow({ where: { phone: body.customer.phone } });
    expect(await stack.db.lead.count({ where: { customerId: customer.id } })).toBe(1);
    const again = await call(stack, 'POST', '/api/leads', { token: tokens.get(user)!, json: body, headers: { 'idempotency-key': key } });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(row.id);
  });

  it('a sale: the retried request converts the lead (once) and starts the sale the dead process stored, on the unit it reserved', async () => {
    const user = 'salesmgr.project';
    const lead = await call(stack, 'POST', '/api/leads', { token: tokens.get(user)!, json: leadBody() });
    expect(lead.status, lead.text).toBe(201);
    const key = 'abandoned-sale-0002';
    const body = { customerId: lead.body.customerId, unitId: ids.units.pop()!, price: '1880000', deposit: '20000', paymentMethod: 'full', leadId: lead.body.id };
    const parsed = CreateSaleBody.parse(body);
    // Dies after the row (and the unit's reservation), before the lead's conversion.
    const row = await dieAfterRow(
      (deps) => createSale(deps, principals.get(user)!, parsed, { requestKey: `${principals.get(user)!.id}:${key}` }),
      () => stack.db.sale.findFirst({ where: { leadId: lead.body.id } }),
      1, // the lead's live state, read before the row
    );
    await leaveClaim(user, key, '/api/sales', parsed, REQUEST_LEASE_MS + 1000);
    expect((await stack.db.unit.findUniqueOrThrow({ where: { id: body.unitId } })).reservedBySaleId).toBe(row.id);

    const retried = await call(stack, 'POST', '/api/sales', { token: tokens.get(user)!, json: body, headers: { 'idempotency-key': key } });
    expect(retried.status, retried.text).toBe(201);
    expect(retried.body.id).toBe(row.id);
    expect(retried.body.number).toBe(row.number);
    expect(retried.body.stage).toBe('subscribed');
    expect(await workflowStatus(row.workflowId)).toBe('RUNNING');
    await projected(() => stack.db.sale.findUnique({ where: { id: row.id } }));
    await expect.poll(async () => (await stack.db.lead.findUniqueOrThrow({ where: { id: lead.body.id } })).status, { timeout: 30_000 }).toBe('converted');
    await expect.poll(() => stack.db.auditEvent.count({ where: { streamId: lead.body.workflowId, type: 'lead.converted' } }), { timeout: 20_000 }).toBe(1);
    expect(await stack.db.sale.count({ where: { unitId: body.unitId } })).toBe(1);
  });

  it('a sale whose lead was converted before the death: the retry does not convert it again, only starts the sale', async () => {
    const user = 'salesmgr.project';
    const lead = await call(stack, 'POST', '/api/leads', { token: tokens.get(user)!, json: leadBody() });
    expect(lead.status, lead.text).toBe(201);
    const key = 'abandoned-sale-0005';
    const body = { customerId: lead.body.customerId, unitId: ids.units.pop()!, price: '1650000.5', deposit: '30000', paymentMethod: 'full', leadId: lead.body.id };
    const parsed = CreateSaleBody.parse(body);
    // Dies at the sale workflow's start: the lead was read and converted.
    const row = await dieAfterRow(
      (deps) => createSale(deps, principals.get(user)!, parsed, { requestKey: `${principals.get(user)!.id}:${key}` }),
      () => stack.db.sale.findFirst({ where: { leadId: lead.body.id } }),
      2,
    );
    await expect.poll(() => stack.db.auditEvent.count({ where: { streamId: lead.body.workflowId, type: 'lead.converted' } }), { timeout: 20_000 }).toBe(1);
    expect(await workflowStatus(row.workflowId)).toBe('UNKNOWN');
    await leaveClaim(user, key, '/api/sales', parsed, REQUEST_LEASE_MS + 1000);
    const retried = await call(stack, 'POST', '/api/sales', { token: tokens.get(user)!, json: body, headers: { 'idempotency-key': key } });
    expect(retried.status, retried.text).toBe(201);
    expect(retried.body.id).toBe(row.id);
    expect(retried.body.price).toBe('1650000.50');
    expect(await workflowStatus(row.workflowId)).toBe('RUNNING');
    await projected(() => stack.db.sale.findUnique({ where: { id: row.id } }));
    expect(await stack.db.auditEvent.count({ where: { streamId: lead.body.workflowId, type: 'lead.converted' } })).toBe(1);
  });

  it('a customer: the retried registration answers the customer the dead process registered instead of 409 CUSTOMER_PHONE_TAKEN', async () => {
    const user = 'agent.project';
    const key = 'abandoned-customer-0003';
    const body = { name: '吴女士', phone: '13711990004', consentToContact: true };
    const first = await call(stack, 'POST', '/api/customers', { token: tokens.get(user)!, json: body, headers: { 'idempotency-key': key } });
    expect(first.status, first.text).toBe(201);
    // Its process died before recording the answer: the claim is back in progress, older than the lease.
    await stack.db.idempotentRequest.updateMany({ where: { key }, data: { status: 0, response: {}, createdAt: new Date(Date.now() - REQUEST_LEASE_MS - 1000) } });
    const retried = await call(stack, 'POST', '/api/customers', { token: tokens.get(user)!, json: body, headers: { 'idempotency-key': key } });
    expect(retried.status, retried.text).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(retried.body.id).toBe(first.body.id);
    expect(await stack.db.customer.count({ where: { phone: body.phone } })).toBe(1);
    // Another request (another key) for the same phone is refused, as ever.
    const another = await call(stack, 'POST', '/api/customers', { token: tokens.get(user)!, json: body, headers: { 'idempotency-key': 'abandoned-customer-0004' } });
    expect(another.status).toBe(409);
    expect(another.body.reason).toBe('CUSTOMER_PHONE_TAKEN');
  });

  it('never retried: the sweep starts the workflow of each abandoned case, lead and sale once it is older than the lease, and a second sweep finds nothing to do', async () => {
    const agent = principals.get('agent.project')!;
    const mgr = principals.get('salesmgr.project')!;
    const caseBody = OpenCaseBody.parse({
      type: 'repair', category: 'repair.plumbing.leak', projectId: ids.bjhy, customer: { name: '郑先生', phone: '13711990005' }, severity: 'minor', channel: 'phone', description: 'abandoned opening: 水管破裂',
    });
    const caseRow = await dieAfterRow((deps) => openCase(deps, agent, caseBody), () => stack.db.case.findFirst({ where: { description: 'abandoned opening: 水管破裂' } }));
    const leadIn = CreateLeadBody.parse(leadBody());
    const leadRow = await dieAfterRow((deps) => createLead(deps, mgr, leadIn), () => leadOfPhone(leadIn.customer!.phone));
    const customerId = (await stack.db.customer.findFirstOrThrow({ where: { phone: '13711990005' } })).id;
    const saleIn = CreateSaleBody.parse({ customerId, unitId: ids.units.pop()!, price: '990000', deposit: '10000', paymentMethod: 'full' });
    const saleRow = await dieAfterRow((deps) => createSale(deps, mgr, saleIn), () => stack.db.sale.findFirst({ where: { unitId: saleIn.unitId } }));

    // Younger than the lease: their requests may still be running, the sweep leaves them alone.
    const early = await finishAbandonedOpenings({ db: stack.db, temporal: stack.temporal, logger: silent }, { now: Date.now() });
    expect(early.started).toEqual({ cases: 0, leads: 0, sales: 0 });
    expect(await workflowStatus(caseRow.workflowId)).toBe('UNKNOWN');

    const swept = await finishAbandonedOpenings({ db: stack.db, temporal: stack.temporal, logger: silent }, { now: Date.now() + REQUEST_LEASE_MS + 1000 });
    expect(swept.started).toEqual({ cases: 1, leads: 1, sales: 1 });
    expect(swept.failed).toBe(0);
    for (const r of [caseRow, leadRow, saleRow]) expect(await workflowStatus(r.workflowId)).toBe('RUNNING');
    await projected(() => stack.db.case.findUnique({ where: { id: caseRow.id } }));
    await projected(() => stack.db.lead.findUnique({ where: { id: leadRow.id } }));
    await projected(() => stack.db.sale.findUnique({ where: { id: saleRow.id } }));
    // Its deadlines are the ones its opening fixed: counted from the row's own time.
    const c = await call(stack, 'GET', `/api/cases/${caseRow.id}`, { token: tokens.get('agent.project')! });
    expect(c.status).toBe(200);
    expect(Date.parse(c.body.openedAt)).toBe(caseRow.openedAt.getTime());

    const again = await finishAbandonedOpenings({ db: stack.db, temporal: stack.temporal, logger: silent }, { now: Date.now() + REQUEST_LEASE_MS + 1000 });
    expect(again.started).toEqual({ cases: 0, leads: 0, sales: 0 });
  }, 90_000);
});
