import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AesGcmPayloadCodec } from '../../platform/temporal/payload-codec.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { call, errorPaths, expectProblem, type Answer } from './http.js';

/**
 * The work-order API (issue 15) against the real thing: PostgreSQL, a Temporal dev server and the
 * application's worker running the complaintCase and workOrder workflows, photos on a local blob
 * store in a temporary folder.
 */
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

const HOUR = 3_600_000;
let stack: TestStack;
let blobDir: string;
const tokens = new Map<string, string>();
const ids = { bjhy: '', unitNew: '', unitOld: '', technician: '', otherTechnician: '', contractorCompany: '', otherCompany: '' };
const USERS = ['agent.project', 'handler.project', 'supervisor.company', 'technician.project', 'technician.company', 'contractor.project', 'manager.group', 'sales.project'];
// A second contractor company's staff member and a second technician, created in beforeAll.
const OTHER_CONTRACTOR = 'contractor.other';

async function as(user: string, method: string, url: string, json?: unknown, headers?: Record<string, string>): Promise<Answer> {
  return call(stack, method, url, { token: tokens.get(user)!, json, headers });
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A leak reported on a unit: a complaint case opened by the call centre. */
async function openCase(unitId: string): Promise<{ id: string; number: string }> {
  const a = await as('agent.project', 'POST', '/api/cases', {
    type: 'complaint',
    projectId: ids.bjhy,
    unitId,
    customer: { name: '王先生', phone: '138 0013 8001' },
    category: 'complaint.quality.leakage',
    severity: 'minor',
    channel: 'phone',
    description: '卫生间天花板渗水 / bathroom ceiling leaks',
  });
  expect(a.status, a.text).toBe(201);
  return a.body;
}

async function createOrder(caseId: string, order: Record<string, unknown> = {}, user = 'handler.project', headers?: Record<string, string>) {
  return as(user, 'POST', `/api/cases/${caseId}/work-orders`, { orders: [order] }, headers);
}

const getOrder = (id: string, user = 'handler.project') => as(user, 'GET', `/api/work-orders/${id}`);

async function upload(id: string, bytes: Uint8Array, user = 'technician.project', contentType = 'image/jpeg'): Promise<Answer> {
  const res = await fetch(`${stack.baseUrl}/api/work-orders/${id}/photos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.get(user)!}`, 'content-type': contentType },
    body: Buffer.from(bytes),
  });
  const text = await res.text();
  const ct = res.headers.get('content-type') ?? '';
  return { status: res.status, headers: res.headers, contentType: ct, body: /json/.test(ct) ? JSON.parse(text) : text, text };
}

/** Every payload of a workflow's history, decrypted and decoded, as one JSON text. */
async function decodedHistory(workflowId: string): Promise<string> {
  const history = await stack.temporal.use((client) => client.workflow.getHandle(workflowId).fetchHistory());
  const codec = new AesGcmPayloadCodec(stack.config.temporal.payloadKeys);
  const values: unknown[] = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (node instanceof Uint8Array) return;
    if ('metadata' in node && 'data' in node && (node as Payload).data instanceof Uint8Array) {
      const p = node as Payload;
      let plain = p;
      try {
        plain = codec.decryptOne(p);
      } catch {
        // Not encrypted (search attributes, memo).
      }
      try {
        values.push(defaultPayloadConverter.fromPayload(plain));
      } catch {
        values.push(Buffer.from(plain.data ?? []).toString('utf8'));
      }
      return;
    }
    for (const v of Array.isArray(node) ? node : Object.values(node)) walk(v);
  };
  walk(history);
  return JSON.stringify(values);
}

const jpeg = (colour: string) => sharp({ create: { width: 64, height: 48, channels: 3, background: colour } }).jpeg().toBuffer();

beforeAll(async () => {
  blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'work-order-blobs-'));
  stack = await startTestStack({ seed: true, temporal: true, worker: true, env: { BLOB_STORE: 'local', BLOB_DIR: blobDir } });
  const { db } = stack;
  const project = await db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } });
  ids.bjhy = project.id;
  // Building 1 accepted a year ago (a leak is 保内: five years of waterproofing; doors and windows
  // two years), building 2 in 2012 (保外: the construction warranty and any buyer's minimum are long over).
  const [b1, b2] = await db.building.findMany({ where: { projectId: project.id }, orderBy: { name: 'asc' } });
  const aYearAgo = new Date(Date.now() - 365 * 24 * HOUR);
  await db.building.update({ where: { id: b1!.id }, data: { completionAcceptedOn: new Date(`${aYearAgo.toISOString().slice(0, 10)}T00:00:00Z`) } });
  await db.building.update({ where: { id: b2!.id }, data: { completionAcceptedOn: new Date('2012-03-01T00:00:00Z') } });
  ids.unitNew = (await db.unit.findFirstOrThrow({ where: { buildingId: b1!.id } })).id;
  ids.unitOld = (await db.unit.findFirstOrThrow({ where: { buildingId: b2!.id } })).id;
  const technician = await db.user.findUniqueOrThrow({ where: { username: 'technician.project' } });
  ids.technician = technician.id;
  ids.otherTechnician = (await db.user.findUniqueOrThrow({ where: { username: 'technician.company' } })).id;
  const contractor = await db.user.findUniqueOrThrow({ where: { username: 'contractor.project' } });
  ids.contractorCompany = contractor.contractorCompanyId!;
  const other = await db.contractorCompany.create({ data: { groupId: project.groupId, name: '深圳另一家装修公司' } });
  ids.otherCompany = other.id;
  await db.user.create({
    data: { ...contractor, id: undefined, username: OTHER_CONTRACTOR, email: null, displayName: '另一承包商', contractorCompanyId: other.id, createdAt: undefined, updatedAt: undefined },
  });
  // The project's default for leaks: the in-house technician.
  await db.workOrderDefaultAssignment.create({ data: { groupId: project.groupId, projectId: project.id, category: 'complaint.quality.leakage', technicianId: technician.id } });
  for (const u of [...USERS, OTHER_CONTRACTOR]) tokens.set(u, await stack.login(u));
}, 180_000);
afterAll(async () => {
  await stack?.close();
  if (blobDir) fs.rmSync(blobDir, { recursive: true, force: true });
}, 60_000);

describe('creating work orders from a case', () => {
  it('dispatches a 保内 order to the category × project default technician', async () => {
    const c = await openCase(ids.unitNew);
    const a = await createOrder(c.id);
    expect(a.status, a.text).toBe(201);
    const [wo] = a.body.items;
    expect(wo).toMatchObject({
      caseId: c.id,
      caseNumber: c.number,
      category: 'complaint.quality.leakage',
      trade: 'waterproofing',
      status: 'awaiting_assignment',
      warranty: { covered: true, label: '保内', contractorCovered: true },
      urgent: true,
      live: true,
    });
    expect(wo.number).toMatch(/^WO-\d{8}-\d{4}$/);
    expect(wo.resolutionDueAt).not.toBeNull();
    const assigned = await eventually(() => getOrder(wo.id), (g) => g.body.status === 'assigned');
    expect(assigned.body).toMatchObject({ status: 'assigned', assignee: { kind: 'technician', id: ids.technician, name: expect.any(String) } });
    expect(assigned.body.visits).toHaveLength(1);
  });

  it('holds a 保外 order for a quote, dispatches it once the owner accepts', async () => {
    const c = await openCase(ids.unitOld);
    const a = await createOrder(c.id);
    expect(a.status, a.text).toBe(201);
    const wo = a.body.items[0];
    expect(wo).toMatchObject({ status: 'awaiting_quote', warranty: { covered: false, label: '保外' }, assignee: null });
    // Technicians are not dispatched before the owner's answer: the workflow refuses with its code.
    expectProblem(await as('handler.project', 'POST', `/api/work-orders/${wo.id}/assign`, { assignee: { kind: 'technician', userId: ids.technician } }), 409, 'WORK_ORDER_WRONG_STAGE');
    const quoted = await as('handler.project', 'POST', `/api/work-orders/${wo.id}/quote`, { items: [{ description: '防水层修补', amountFen: 30_000 }], totalFen: 30_000 });
    expect(quoted.status, quoted.text).toBe(200);
    expect(quoted.body.quote).toMatchObject({ totalFen: 30_000, status: 'pending' });
    const accepted = await as('handler.project', 'POST', `/api/work-orders/${wo.id}/quote/answer`, { accepted: true });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body.quote.status).toBe('accepted');
    expect(['awaiting_assignment', 'assigned']).toContain(accepted.body.status);
    // Lists read the read model: the quote's items are there too, as issued.
    const listed = await eventually(
      () => as('handler.project', 'GET', `/api/work-orders?caseId=${c.id}`),
      (l) => l.body.items?.[0]?.quote?.status === 'accepted',
    );
    expect(listed.body.items[0].quote).toMatchObject({ items: [{ description: '防水层修补', amountFen: 30_000 }], totalFen: 30_000, status: 'accepted' });

    // Cancelled by a dispatcher, the order's workflow ends; its reason stays on the order.
    const cancelled = await as('handler.project', 'POST', `/api/work-orders/${wo.id}/cancel`, { reason: '业主已自行维修 / the owner had it repaired' });
    expect(cancelled.status, cancelled.text).toBe(200);
    const ended = await eventually(() => getOrder(wo.id), (g) => g.body.status === 'cancelled' && g.body.live === false);
    expect(ended.body).toMatchObject({ outcome: 'cancelled', cancelReason: '业主已自行维修 / the owner had it repaired', quote: { items: [{ description: '防水层修补', amountFen: 30_000 }] } });
  });

  it('answers the same orders for the same Idempotency-Key, and creates them once', async () => {
    const c = await openCase(ids.unitNew);
    const headers = { 'Idempotency-Key': `wo-create-${c.id}` };
    const first = await createOrder(c.id, {}, 'handler.project', headers);
    const again = await createOrder(c.id, {}, 'handler.project', headers);
    expect(first.status, first.text).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.items.map((w: { id: string }) => w.id)).toEqual(first.body.items.map((w: { id: string }) => w.id));
    expect(await stack.db.workOrder.count({ where: { caseId: c.id } })).toBe(1);
  });

  it('refuses bad input with the fields named, and what is not a dispatcher’s', async () => {
    const c = await openCase(ids.unitNew);
    const bad = await as('handler.project', 'POST', `/api/cases/${c.id}/work-orders`, { orders: [{ category: 'not a category', assignee: { kind: 'technician' } }] });
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(errorPaths(bad)).toEqual(['body.orders.0.assignee.userId', 'body.orders.0.category']);
    const notTech = await createOrder(c.id, { assignee: { kind: 'technician', userId: (await stack.db.user.findUniqueOrThrow({ where: { username: 'handler.project' } })).id } });
    expectProblem(notTech, 400, 'VALIDATION_FAILED', 'WORK_ORDER_NOT_A_TECHNICIAN');
    expect(errorPaths(notTech)).toEqual(['body.orders.0.assignee.userId']);
    expectProblem(await createOrder(c.id, {}, 'technician.project'), 403, 'FORBIDDEN');
    expectProblem(await createOrder(c.id, {}, 'agent.project'), 403, 'FORBIDDEN');
    expectProblem(await createOrder('00000000-0000-0000-0000-000000000000'), 404, 'NOT_FOUND');
  });
});

describe('the field walk', () => {
  it('appointment → check-in with a position (never in the history) → photos → result → sign-off → done', async () => {
    const c = await openCase(ids.unitNew);
    const created = await createOrder(c.id, { assignee: { kind: 'technician', userId: ids.technician } });
    expect(created.status, created.text).toBe(201);
    const wo = created.body.items[0];
    expect(wo).toMatchObject({ status: 'assigned', assignee: { kind: 'technician', id: ids.technician } });
    // The case knows its order: its handler contacts the owner, and cannot resolve it before the sign-off.
    const handlerOf = 'handler.project';
    const contacted = await as(handlerOf, 'POST', `/api/cases/${c.id}/contact`, { note: '已约业主上门 / visit arranged' });
    expect(contacted.status, contacted.text).toBe(200);
    expectProblem(await as(handlerOf, 'POST', `/api/cases/${c.id}/resolve`, { resolution: '已修好' }), 409, 'CASE_WORK_ORDERS_OPEN');

    const start = Date.now() + HOUR;
    const booked = await as('technician.project', 'POST', `/api/work-orders/${wo.id}/appointment`, { start: new Date(start).toISOString(), end: new Date(start + HOUR).toISOString() });
    expect(booked.status, booked.text).toBe(200);
    expect(booked.body).toMatchObject({ status: 'scheduled', appointment: { start: new Date(start).toISOString() } });

    // Lists read the read model, which the workflow's projection brings up to date a moment later.
    const mine = await eventually(
      () => as('technician.project', 'GET', '/api/work-orders?assignee=me&status=scheduled&pageSize=100'),
      (l) => l.body.items?.some((w: { id: string }) => w.id === wo.id),
    );
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body.items.map((w: { id: string }) => w.id)).toContain(wo.id);
    // The technician holding the open order sees the owner's phone masked, and the call button dials the whole number.
    expect((await getOrder(wo.id, 'technician.project')).body.contact).toEqual({ name: '王先生', phone: '138****8001', callNumber: '13800138001' });

    const checkedIn = await as('technician.project', 'POST', `/api/work-orders/${wo.id}/check-in`, { location: { lat: 30.274151, lng: 120.155153, accuracy: 12 } });
    expect(checkedIn.status, checkedIn.text).toBe(200);
    expect(checkedIn.body).toMatchObject({ status: 'on_site' });
    expect(checkedIn.body.visits[0]).toMatchObject({ geolocated: true, onTime: true });
    const location = await stack.db.workOrderCheckInLocation.findFirstOrThrow({ where: { workOrderId: wo.id } });
    expect(Number(location.latitude)).toBeCloseTo(30.274151, 6);

    const before = await upload(wo.id, await jpeg('#888888'));
    expect(before.status, before.text).toBe(201);
    expect(before.body).toMatchObject({ key: expect.stringMatching(/^[0-9a-f]{64}$/), contentType: 'image/jpeg', kind: 'photo' });
    const after = await upload(wo.id, await jpeg('#22aa22'));
    expect(after.status, after.text).toBe(201);
    // The same bytes again: the same keys, linked once.
    expect((await upload(wo.id, await jpeg('#888888'))).body.key).toBe(before.body.key);

    const result = await as('technician.project', 'POST', `/api/work-orders/${wo.id}/result`, {
      text: '更换卫生间防水层 / waterproofing of the bathroom redone',
      materials: [{ name: '防水涂料', quantity: 2, unit: '桶' }],
      photoKeys: [before.body.key, after.body.key],
      costFen: 45_000,
    });
    expect(result.status, result.text).toBe(200);
    expect(result.body).toMatchObject({ status: 'awaiting_sign_off' });
    expect(result.body.visits[0].photoKeys).toEqual([before.body.key, after.body.key]);

    const signaturePng = await sharp({ create: { width: 200, height: 80, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 1 } } }).png().toBuffer();
    const signed = await as('technician.project', 'POST', `/api/work-orders/${wo.id}/sign-off`, { accepted: true, signature: { png: `data:image/png;base64,${signaturePng.toString('base64')}` } });
    expect(signed.status, signed.text).toBe(200);
    expect(signed.body).toMatchObject({ status: 'done', outcome: 'done' });

    const done = await eventually(() => getOrder(wo.id), (g) => g.body.status === 'done' && g.body.signOffs?.length === 1);
    // Its last order signed off, the case is resolved by it (its resolution target met at the sign-off).
    const resolvedCase = await eventually(() => as('handler.project', 'GET', `/api/cases/${c.id}`), (g) => g.body.status === 'resolved');
    expect(resolvedCase.body.status).toBe('resolved');
    const caseEvents = await as('handler.project', 'GET', `/api/cases/${c.id}/events`);
    expect(caseEvents.body.items.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['case.work_order_opened', 'case.work_order_ended', 'case.resolved']));
    expect(done.body).toMatchObject({ status: 'done', caseNumber: c.number, unit: { id: ids.unitNew }, address: { project: '滨江花园', label: expect.any(String) } });
    expect(done.body.results[0]).toMatchObject({ text: expect.stringContaining('防水'), materials: [{ name: '防水涂料', quantity: 2, unit: '桶' }], costFen: 45_000 });
    expect(done.body.signOffs[0]).toMatchObject({ accepted: true, signatureKey: expect.stringMatching(/^[0-9a-f]{64}$/), channel: 'on_site' });
    expect(done.body.photos.map((p: { kind: string }) => p.kind).sort()).toEqual(['photo', 'photo', 'signature']);
    // The owner's phone: whole for the handler who calls owners; masked for the technician, who has nothing left to call about once the order is done.
    expect(done.body.contact).toEqual({ name: '王先生', phone: '13800138001', callNumber: '13800138001' });
    const tech = await getOrder(wo.id, 'technician.project');
    expect(tech.body.contact).toEqual({ name: '王先生', phone: '138****8001', callNumber: null });

    // The photo and its thumbnail, through the order.
    const photo = await fetch(`${stack.baseUrl}/api/work-orders/${wo.id}/photos/${after.body.key}`, { headers: { authorization: `Bearer ${tokens.get('handler.project')}` } });
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/jpeg');
    const thumb = await fetch(`${stack.baseUrl}/api/work-orders/${wo.id}/photos/${after.body.key}?thumb=1`, { headers: { authorization: `Bearer ${tokens.get('technician.project')}` } });
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');

    // The audit trail, and no coordinates, result text or signature anywhere in the workflow's history.
    const events = await as('handler.project', 'GET', `/api/work-orders/${wo.id}/events`);
    expect(events.status, events.text).toBe(200);
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['work_order.created', 'work_order.assigned', 'work_order.checked_in', 'work_order.result_recorded', 'work_order.signed_off', 'work_order.done']));
    const history = await decodedHistory(`work-order-${wo.id}`);
    expect(history).toContain(location.id);
    expect(history).not.toMatch(/30\.27415|120\.15515/);
    expect(history).not.toContain('防水涂料');
    expect(history).not.toContain(signaturePng.toString('base64').slice(0, 40));
  });

  it('a rejected sign-off opens a rework visit with its own photos; reassigned, the former holder no longer sees it; an SVG signature closes it', async () => {
    const c = await openCase(ids.unitNew);
    const wo = (await createOrder(c.id, { assignee: { kind: 'contractor', companyId: ids.contractorCompany } })).body.items[0];
    expect(wo).toMatchObject({ status: 'assigned', assignee: { kind: 'contractor', id: ids.contractorCompany } });
    expect((await as('contractor.project', 'POST', `/api/work-orders/${wo.id}/check-in`, {})).body.visits[0]).toMatchObject({ geolocated: false });
    const firstPhoto = await upload(wo.id, await jpeg('#aa2222'), 'contractor.project');
    expect(firstPhoto.body).toMatchObject({ kind: 'photo', visit: 1 });
    expect((await as('contractor.project', 'POST', `/api/work-orders/${wo.id}/result`, { text: '打胶处理', photoKeys: [firstPhoto.body.key] })).status).toBe(200);
    const rejected = await as('contractor.project', 'POST', `/api/work-orders/${wo.id}/sign-off`, { accepted: false, reason: '仍有渗水 / still leaking' });
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'assigned', reworks: 1 });
    expect(rejected.body.visits.map((v: { reason: string; outcome: string | null }) => [v.reason, v.outcome])).toEqual([['first', 'rejected'], ['rework', null]]);
    const stored = await stack.db.workOrderSignOff.findFirstOrThrow({ where: { workOrderId: wo.id } });
    expect(stored).toMatchObject({ accepted: false, reason: '仍有渗水 / still leaking', visit: 1 });

    const reassigned = await as('handler.project', 'POST', `/api/work-orders/${wo.id}/reassign`, { assignee: { kind: 'technician', userId: ids.technician }, reason: '承包商返工未果' });
    expect(reassigned.status, reassigned.text).toBe(200);
    expect(reassigned.body).toMatchObject({ assignee: { kind: 'technician', id: ids.technician }, reassignments: 1 });
    expectProblem(await getOrder(wo.id, 'contractor.project'), 404, 'NOT_FOUND');
    expectProblem(await as('handler.project', 'POST', `/api/work-orders/${wo.id}/reassign`, { assignee: { kind: 'technician', userId: ids.technician }, reason: '再次' }), 409, 'WORK_ORDER_SAME_ASSIGNEE');

    expect((await as('technician.project', 'POST', `/api/work-orders/${wo.id}/check-in`, {})).status).toBe(200);
    // The rework visit's photos are its own: each visit's result picks from its visit's photos.
    const reworkPhoto = await upload(wo.id, await jpeg('#2222aa'));
    expect(reworkPhoto.status, reworkPhoto.text).toBe(201);
    expect(reworkPhoto.body).toMatchObject({ kind: 'photo', visit: 2 });
    expect((await as('technician.project', 'POST', `/api/work-orders/${wo.id}/result`, { text: '重做防水', costFen: 20_000, photoKeys: [reworkPhoto.body.key] })).status).toBe(200);
    const badSignature = await as('technician.project', 'POST', `/api/work-orders/${wo.id}/sign-off`, { accepted: true, signature: { svgPath: '<script>' } });
    expectProblem(badSignature, 400, 'VALIDATION_FAILED');
    expect(errorPaths(badSignature)).toEqual(['body.signature.svgPath']);
    const signed = await as('technician.project', 'POST', `/api/work-orders/${wo.id}/sign-off`, { accepted: true, signature: { svgPath: 'M10 10 L40 30 Q60 5 90 30' } });
    expect(signed.status, signed.text).toBe(200);
    expect(signed.body).toMatchObject({ status: 'done', reworks: 1 });
    const detail = await eventually(() => getOrder(wo.id), (g) => g.body.signOffs?.length === 2);
    expect(detail.body.signOffs[1]).toMatchObject({ accepted: true, signaturePath: 'M10 10 L40 30 Q60 5 90 30', signatureKey: null, visit: 2 });
    expect(detail.body.photos.map((p: { key: string; visit: number | null }) => [p.key, p.visit])).toEqual([
      [firstPhoto.body.key, 1],
      [reworkPhoto.body.key, 2],
    ]);
    expect(detail.body.results.map((r: { visit: number; photoKeys: string[] }) => [r.visit, r.photoKeys])).toEqual([
      [1, [firstPhoto.body.key]],
      [2, [reworkPhoto.body.key]],
    ]);
  });

  it('refuses a non-image upload with 415, whatever it is called', async () => {
    const c = await openCase(ids.unitNew);
    const wo = (await createOrder(c.id, { assignee: { kind: 'technician', userId: ids.technician } })).body.items[0];
    const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    expectProblem(await upload(wo.id, pdf, 'technician.project', 'image/jpeg'), 415, 'PHOTO_TYPE_NOT_ALLOWED');
    expectProblem(await as('technician.project', 'POST', `/api/work-orders/${wo.id}/photos`, { not: 'an image' }), 415, 'WORK_ORDER_PHOTO_BODY');
  });

  it('refuses a stranger’s oversized upload for who they are (401, 403), before its body is read (not 413)', async () => {
    const c = await openCase(ids.unitNew);
    const wo = (await createOrder(c.id, { assignee: { kind: 'technician', userId: ids.technician } })).body.items[0];
    const big = Buffer.alloc(16 * 1024 * 1024, 0xff);
    const anonymous = await fetch(`${stack.baseUrl}/api/work-orders/${wo.id}/photos`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: big });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { code: string }).code).toBe('UNAUTHENTICATED');
    expectProblem(await upload(wo.id, big, 'agent.project'), 403, 'FORBIDDEN');
    // The holder's oversized photo is read up to the limit and refused for its size.
    expect((await upload(wo.id, big)).status).toBe(413);
  });
});

describe('the dispatch board’s lists', () => {
  it('lists orders nobody holds (no default for the category) and late ones (arrival target passed, no check-in)', async () => {
    const c = await openCase(ids.unitNew);
    const created = await createOrder(c.id, { category: 'complaint.quality.doors_windows' });
    expect(created.status, created.text).toBe(201);
    const unassigned = created.body.items[0];
    expect(unassigned).toMatchObject({ trade: 'doors_windows', warranty: { covered: true } });
    // The default lookup finds nobody: the order waits for the dispatchers, on the board.
    const board = await eventually(
      () => as('supervisor.company', 'GET', '/api/work-orders?unassigned=true&pageSize=100'),
      (l) => l.body.items?.some((w: { id: string }) => w.id === unassigned.id),
    );
    expect(board.body.items.every((w: { status: string; assignee: unknown }) => w.status === 'awaiting_assignment' && w.assignee === null)).toBe(true);

    const assigned = await as('handler.project', 'POST', `/api/work-orders/${unassigned.id}/assign`, { assignee: { kind: 'technician', userId: ids.technician } });
    expect(assigned.status, assigned.text).toBe(200);
    expect(assigned.body).toMatchObject({ status: 'assigned', late: false });
    await eventually(() => stack.db.workOrder.findUniqueOrThrow({ where: { id: unassigned.id } }), (r) => r.status === 'assigned');
    // The read model as it will read once the target has passed (four working hours are not waited for here).
    await stack.db.workOrder.update({ where: { id: unassigned.id }, data: { arrivalDueAt: new Date(Date.now() - 60_000) } });
    const late = await as('supervisor.company', 'GET', '/api/work-orders?late=true&pageSize=100');
    expect(late.body.items.map((w: { id: string }) => w.id)).toContain(unassigned.id);
    expect(late.body.items.every((w: { late: boolean }) => w.late)).toBe(true);
    expect((await as('supervisor.company', 'GET', `/api/work-orders?unassigned=true&pageSize=100`)).body.items.map((w: { id: string }) => w.id)).not.toContain(unassigned.id);
    expectProblem(await as('supervisor.company', 'GET', '/api/work-orders?late=yes'), 400, 'VALIDATION_FAILED');
  });
});

describe('who an order can be given to', () => {
  it("lists the project's technicians and the group's contractor companies for dispatchers, by name", async () => {
    const a = await as('handler.project', 'GET', `/api/work-orders/assignees?projectId=${ids.bjhy}`);
    expect(a.status, a.text).toBe(200);
    expect(a.body.technicians.map((t: { id: string }) => t.id)).toContain(ids.technician);
    expect(a.body.contractors.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([ids.contractorCompany, ids.otherCompany]));
    expectProblem(await as('handler.project', 'GET', '/api/work-orders/assignees'), 400, 'VALIDATION_FAILED');
  });
});

describe('who sees which order', () => {
  it('a contractor sees only its company’s orders, a technician only their own (404 for the others)', async () => {
    const c = await openCase(ids.unitNew);
    const ours = (await createOrder(c.id, { assignee: { kind: 'contractor', companyId: ids.contractorCompany } })).body.items[0];
    const theirs = (await createOrder(c.id, { assignee: { kind: 'contractor', companyId: ids.otherCompany } })).body.items[0];
    const techs = (await createOrder(c.id, { assignee: { kind: 'technician', userId: ids.technician } })).body.items[0];

    expect((await getOrder(ours.id, 'contractor.project')).status).toBe(200);
    expectProblem(await getOrder(theirs.id, 'contractor.project'), 404, 'NOT_FOUND');
    expectProblem(await getOrder(ours.id, OTHER_CONTRACTOR), 404, 'NOT_FOUND');
    expect((await getOrder(theirs.id, OTHER_CONTRACTOR)).status).toBe(200);
    expectProblem(await getOrder(techs.id, 'contractor.project'), 404, 'NOT_FOUND');
    expectProblem(await as('contractor.project', 'GET', `/api/work-orders/${theirs.id}/events`), 404, 'NOT_FOUND');
    const list = await as('contractor.project', 'GET', `/api/work-orders?pageSize=100`);
    expect(list.body.items.every((w: { assignee: { id: string } | null }) => w.assignee?.id === ids.contractorCompany)).toBe(true);
    // A contractor sees an owner's phone masked; the call button of an order the company holds, while it is open, dials the number.
    expect((await getOrder(ours.id, 'contractor.project')).body.contact).toEqual({ name: '王先生', phone: '138****8001', callNumber: '13800138001' });

    expect((await getOrder(techs.id, 'technician.project')).status).toBe(200);
    expectProblem(await getOrder(techs.id, 'technician.company'), 404, 'NOT_FOUND');
    expectProblem(await getOrder(ours.id, 'technician.project'), 404, 'NOT_FOUND');
    // Working someone else's order is as unknown as reading it.
    expectProblem(await as('technician.company', 'POST', `/api/work-orders/${techs.id}/check-in`, {}), 404, 'NOT_FOUND');

    // The office reads them all in its scope; sales never.
    expect((await getOrder(theirs.id, 'manager.group')).status).toBe(200);
    expectProblem(await getOrder(theirs.id, 'sales.project'), 403, 'FORBIDDEN');
    // A dispatcher does not check in for the technician.
    expectProblem(await as('handler.project', 'POST', `/api/work-orders/${techs.id}/check-in`, {}), 403, 'OUT_OF_SCOPE', 'WORK_ORDER_WORK_DENIED');
  });
});
