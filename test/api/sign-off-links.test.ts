import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import sharp from 'sharp';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AesGcmPayloadCodec } from '../../platform/temporal/payload-codec.js';
import { startSmtpServer, type TestSmtpServer } from '../integration/smtp.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { call, errorPaths, expectProblem, type Answer } from './http.js';

/**
 * The owner's sign-off through a one-time link (issue 15) against the real thing: PostgreSQL, a
 * Temporal dev server with the application's worker, a real SMTP server, photos on a local blob
 * store. The owner's calls carry no credentials but the link's token.
 */
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

const HOUR = 3_600_000;
const OWNER_EMAIL = 'owner.wang@example.com';
let stack: TestStack;
let smtp: TestSmtpServer;
let blobDir: string;
const logLines: string[] = [];
const tokens = new Map<string, string>();
const ids = { bjhy: '', unit: '', technician: '', contractorCompany: '' };

const as = (user: string, method: string, url: string, json?: unknown): Promise<Answer> => call(stack, method, url, { token: tokens.get(user)!, json });
/** The owner: no account, no token but the link's. */
const owner = (method: string, url: string, json?: unknown): Promise<Answer> => call(stack, method, url, { json });
const tokenOf = (url: string) => new URL(url).pathname.split('/').pop()!;

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A leak on a unit of 滨江花园 (保内), its order given to `holder`, checked in and its result recorded: awaiting the owner's sign-off. */
async function orderAwaitingSignOff(holder: { kind: 'technician'; userId: string; user: string } | { kind: 'contractor'; companyId: string; user: string }) {
  const c = await as('agent.project', 'POST', '/api/cases', {
    type: 'complaint',
    projectId: ids.bjhy,
    unitId: ids.unit,
    customer: { name: '王先生', phone: '138 0013 8001' },
    category: 'complaint.quality.leakage',
    severity: 'minor',
    channel: 'phone',
    description: '卫生间天花板渗水 / bathroom ceiling leaks',
  });
  expect(c.status, c.text).toBe(201);
  const assignee = holder.kind === 'technician' ? { kind: 'technician', userId: holder.userId } : { kind: 'contractor', companyId: holder.companyId };
  const created = await as('handler.project', 'POST', `/api/cases/${c.body.id}/work-orders`, { orders: [{ assignee }] });
  expect(created.status, created.text).toBe(201);
  const wo = created.body.items[0];
  expect((await as(holder.user, 'POST', `/api/work-orders/${wo.id}/check-in`, {})).status).toBe(200);
  const result = await as(holder.user, 'POST', `/api/work-orders/${wo.id}/result`, {
    text: '更换卫生间防水层 / waterproofing redone',
    materials: [{ name: '防水涂料', quantity: 2, unit: '桶' }],
    costFen: 45_000,
  });
  expect(result.status, result.text).toBe(200);
  expect(result.body.status).toBe('awaiting_sign_off');
  return { caseId: c.body.id as string, caseNumber: c.body.number as string, wo: wo as { id: string; number: string } };
}

async function signaturePng(): Promise<string> {
  const png = await sharp({ create: { width: 200, height: 80, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 1 } } })
    .composite([{ input: Buffer.from('<svg width="200" height="80"><path d="M10 60 Q60 5 110 50 T190 30" stroke="black" stroke-width="3" fill="none"/></svg>'), top: 0, left: 0 }])
    .png()
    .toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

/** Every payload of a workflow's history, decrypted and decoded, as one JSON text. */
async function decodedHistory(workflowId: string): Promise<string> {
  const history = await stack.temporal.use((client) => client.workflow.getHandle(workflowId).fetchHistory());
  const codec = new AesGcmPayloadCodec(stack.config.temporal.payloadKeys);
  const values: unknown[] = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return;
    if ('metadata' in node && 'data' in node && (node as Payload).data instanceof Uint8Array) {
      let plain = node as Payload;
      try {
        plain = codec.decryptOne(plain);
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

beforeAll(async () => {
  blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sign-off-link-blobs-'));
  smtp = await startSmtpServer();
  const logStream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l.trim()) logLines.push(l);
      done();
    },
  });
  stack = await startTestStack({
    seed: true,
    temporal: true,
    worker: true,
    smtpUrl: smtp.url,
    logStream,
    env: { BLOB_STORE: 'local', BLOB_DIR: blobDir, LOG_LEVEL: 'info', PUBLIC_URL: 'https://care.example.com/' },
  });
  const { db } = stack;
  const project = await db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } });
  ids.bjhy = project.id;
  const [b1] = await db.building.findMany({ where: { projectId: project.id }, orderBy: { name: 'asc' } });
  const aYearAgo = new Date(Date.now() - 365 * 24 * HOUR);
  await db.building.update({ where: { id: b1!.id }, data: { completionAcceptedOn: new Date(`${aYearAgo.toISOString().slice(0, 10)}T00:00:00Z`) } });
  ids.unit = (await db.unit.findFirstOrThrow({ where: { buildingId: b1!.id } })).id;
  ids.technician = (await db.user.findUniqueOrThrow({ where: { username: 'technician.project' } })).id;
  ids.contractorCompany = (await db.user.findUniqueOrThrow({ where: { username: 'contractor.project' } })).contractorCompanyId!;
  for (const u of ['agent.project', 'handler.project', 'technician.project', 'technician.company', 'contractor.project']) tokens.set(u, await stack.login(u));
}, 180_000);
afterAll(async () => {
  await stack?.close();
  await smtp?.close();
  if (blobDir) fs.rmSync(blobDir, { recursive: true, force: true });
}, 60_000);

const technician = () => ({ kind: 'technician' as const, userId: ids.technician, user: 'technician.project' });

describe("the owner's sign-off through a link", () => {
  it('is issued by the holder and emailed; the owner reads the summary, signs, and the order is done and its case resolved', async () => {
    const { caseId, wo } = await orderAwaitingSignOff(technician());
    // The case's handler has contacted the owner: the case may resolve at the order's sign-off.
    expect((await as('handler.project', 'POST', `/api/cases/${caseId}/contact`, { note: '已约业主上门 / visit arranged' })).status).toBe(200);
    // The owner's customer record has an email: the link goes there too.
    const customer = await stack.db.customer.findFirstOrThrow({ where: { phone: '13800138001' } });
    await stack.db.customer.update({ where: { id: customer.id }, data: { email: OWNER_EMAIL } });
    const mailsBefore = smtp.messages.length;

    const issued = await as('technician.project', 'POST', `/api/work-orders/${wo.id}/sign-off-link`);
    expect(issued.status, issued.text).toBe(201);
    expect(issued.body).toMatchObject({ url: expect.stringMatching(/^https:\/\/care\.example\.com\/sign\/[A-Za-z0-9_-]{43}$/), emailed: true });
    const expiresIn = Date.parse(issued.body.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(71 * HOUR);
    expect(expiresIn).toBeLessThanOrEqual(72 * HOUR);
    const token = tokenOf(issued.body.url);

    // The owner's email carries the link; the stored email row does not.
    const toOwner = (m: (typeof smtp.messages)[number]) => (m.to && 'text' in m.to ? m.to.text : '').includes(OWNER_EMAIL);
    const [mail] = await eventually(async () => smtp.messages.slice(mailsBefore).filter(toOwner), (ms) => ms.length > 0);
    expect(mail, 'the email to the owner').toBeDefined();
    expect(mail!.subject).toContain(wo.number);
    expect(mail!.text).toContain(issued.body.url);
    const stored = await stack.db.emailMessage.findFirstOrThrow({ where: { idempotencyKey: { startsWith: 'work-order-sign-off-link:' }, toAddress: OWNER_EMAIL } });
    expect(stored.status).toBe('SENT');
    expect(stored.text).not.toContain(token);
    // Only the token's hash is kept.
    const link = await stack.db.workOrderSignOffLink.findFirstOrThrow({ where: { workOrderId: wo.id } });
    expect(link).toMatchObject({ visit: 1, emailed: true, usedAt: null, revokedAt: null, createdBy: ids.technician });
    expect(JSON.stringify(link)).not.toContain(token);

    // What the owner reads: enough to decide, no personal data.
    const summary = await owner('GET', `/api/sign-off/${token}`);
    expect(summary.status, summary.text).toBe(200);
    expect(summary.body).toEqual({
      workOrderNumber: wo.number,
      category: { code: 'complaint.quality.leakage', zh: '渗漏', en: 'Leakage' },
      warranty: 'covered',
      visit: 1,
      result: { text: '更换卫生间防水层 / waterproofing redone', materials: [{ name: '防水涂料', quantity: 2, unit: '桶' }], recordedAt: expect.any(String) },
      holder: expect.any(String),
      project: '滨江花园',
      unit: expect.any(String),
      expiresAt: issued.body.expiresAt,
    });
    expect(summary.text).not.toMatch(/王先生|13800138001|138\*\*\*\*8001|owner\.wang/);
    // Reading signs nothing (a link scanner's GET changes nothing).
    expect((await owner('GET', `/api/sign-off/${token}`)).status).toBe(200);
    expect((await stack.db.workOrderSignOffLink.findUniqueOrThrow({ where: { id: link.id } })).usedAt).toBeNull();

    const signed = await owner('POST', `/api/sign-off/${token}`, { accepted: true, signature: { png: await signaturePng() } });
    expect(signed.status, signed.text).toBe(200);
    expect(signed.body).toEqual({ workOrderNumber: wo.number, accepted: true, status: 'done' });

    const done = await eventually(() => as('handler.project', 'GET', `/api/work-orders/${wo.id}`), (g) => g.body.status === 'done' && g.body.signOffs?.length === 1);
    expect(done.body.signOffs[0]).toMatchObject({ accepted: true, channel: 'link', signatureKey: expect.stringMatching(/^[0-9a-f]{64}$/), visit: 1 });
    expect(done.body.photos.map((p: { kind: string }) => p.kind)).toEqual(['signature']);
    const resolved = await eventually(() => as('handler.project', 'GET', `/api/cases/${caseId}`), (g) => g.body.status === 'resolved');
    expect(resolved.body.status).toBe('resolved');
    const used = await stack.db.workOrderSignOffLink.findUniqueOrThrow({ where: { id: link.id } });
    expect(used.usedAt).not.toBeNull();
    expect(used.signOffId).toBe((await stack.db.workOrderSignOff.findFirstOrThrow({ where: { workOrderId: wo.id } })).id);

    // Audited like the other actions: the link by id, the sign-off by the owner as the case's customer.
    const events = await as('handler.project', 'GET', `/api/work-orders/${wo.id}/events`);
    const byType = new Map(events.body.items.map((e: { type: string }) => [e.type, e]));
    expect(byType.get('work_order.sign_off_link_issued')).toMatchObject({ actor: ids.technician, data: { visit: 1, linkId: link.id, expiresAt: issued.body.expiresAt } });
    expect(byType.get('work_order.signed_off')).toMatchObject({ actor: `customer:${customer.id}` });
    const auditRows = await stack.db.auditEvent.findMany({ where: { streamId: `work-order-${wo.id}` } });
    expect(auditRows.length).toBeGreaterThan(0);
    expect(JSON.stringify(auditRows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(token);
    // Nor in the workflow's history, nor in any log line (the path is logged with the token replaced).
    expect(await decodedHistory(`work-order-${wo.id}`)).not.toContain(token);
    expect(logLines.join('\n')).not.toContain(token);
    expect(logLines.some((l) => l.includes('/api/sign-off/:token'))).toBe(true);

    // Used: a second answer is refused, and so is reading it.
    expectProblem(await owner('POST', `/api/sign-off/${token}`, { accepted: true, signature: { svgPath: 'M1 1 L2 2' } }), 410, 'SIGN_OFF_LINK_GONE', 'SIGN_OFF_LINK_USED');
    expectProblem(await owner('GET', `/api/sign-off/${token}`), 410, 'SIGN_OFF_LINK_GONE', 'SIGN_OFF_LINK_USED');
  });

  it('signs once when the owner confirms twice at the same moment', async () => {
    const { wo } = await orderAwaitingSignOff({ kind: 'contractor', companyId: ids.contractorCompany, user: 'contractor.project' });
    const issued = await as('contractor.project', 'POST', `/api/work-orders/${wo.id}/sign-off-link`);
    expect(issued.status, issued.text).toBe(201);
    const token = tokenOf(issued.body.url);
    const summary = await owner('GET', `/api/sign-off/${token}`);
    expect(summary.body.holder).toBe((await stack.db.contractorCompany.findUniqueOrThrow({ where: { id: ids.contractorCompany } })).name);
    const body = { accepted: true, signature: { svgPath: 'M10 10 L40 30 Q60 5 90 30' } };
    const answers = await Promise.all([owner('POST', `/api/sign-off/${token}`, body), owner('POST', `/api/sign-off/${token}`, body)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 410]);
    expectProblem(answers.find((a) => a.status === 410)!, 410, 'SIGN_OFF_LINK_GONE', 'SIGN_OFF_LINK_USED');
    expect(await stack.db.workOrderSignOff.count({ where: { workOrderId: wo.id } })).toBe(1);
    const events = await as('handler.project', 'GET', `/api/work-orders/${wo.id}/events`);
    expect(events.body.items.filter((e: { type: string }) => e.type === 'work_order.signed_off')).toHaveLength(1);
  });

  it('a rejection through the link opens rework, and the link then no longer works', async () => {
    const { wo } = await orderAwaitingSignOff(technician());
    const token = tokenOf((await as('technician.project', 'POST', `/api/work-orders/${wo.id}/sign-off-link`)).body.url);
    const badReason = await owner('POST', `/api/sign-off/${token}`, { accepted: false, reason: '  ' });
    expectProblem(badReason, 400, 'VALIDATION_FAILED');
    expect(errorPaths(badReason)).toEqual(['body.reason']);
    const rejected = await owner('POST', `/api/sign-off/${token}`, { accepted: false, reason: '仍有渗水 / still leaking' });
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body).toEqual({ workOrderNumber: wo.number, accepted: false, status: 'assigned' });
    const order = await as('technician.project', 'GET', `/api/work-orders/${wo.id}`);
    expect(order.body).toMatchObject({ status: 'assigned', reworks: 1 });
    expect(order.body.visits.map((v: { reason: string; outcome: string | null }) => [v.reason, v.outcome])).toEqual([['first', 'rejected'], ['rework', null]]);
    expect(await stack.db.workOrderSignOff.findFirstOrThrow({ where: { workOrderId: wo.id } })).toMatchObject({ accepted: false, reason: '仍有渗水 / still leaking', channel: 'link', visit: 1 });
    expectProblem(await owner('GET', `/api/sign-off/${token}`), 410, 'SIGN_OFF_LINK_GONE', 'SIGN_OFF_LINK_USED');
    // The new visit has no result yet: no link for it.
    expectProblem(await as('technician.project', 'POST', `/api/work-orders/${wo.id}/sign-off-link`), 409, 'WORK_ORDER_WRONG_STAGE');
  });

  it('answers 404 for an unknown token, 410 for a revoked, an expired or an outdated link, 400 for a malformed one', async () => {
    const { wo } = await orderAwaitingSignOff(technician());
    await stack.db.customer.updateMany({ where: { phone: '13800138001' }, data: { email: null } });
    const first = tokenOf((await as('technician.project', 'POST', `/api/work-orders/${wo.id}/sign-off-link`)).body.url);
    const second = await as('technician.project', 'POST', `/api/work-orders/${wo.id}/sign-off-link`);
    expect(second.status, second.text).toBe(201);
    // No email on the owner's record here: nothing is sent, the QR code is the way.
    expect(second.body.emailed).toBe(false);
    const secondToken = tokenOf(second.body.url);
    expect(secondToken).not.toBe(first);
    // A newer link revokes the older one.
    expectProblem(await owner('GET', `/api/sign-off/${first}`), 410, 'SIGN_OFF_LINK_GONE', 'SIGN_OFF_LINK_REVOKED');
    expectProblem(await owner('POST', `/api/sign-off/${first}`, { accepted: false, reason: 'x' }), 410, 'SIGN_OFF_LINK_GONE', 'SIGN_OFF_LINK_REVOKED');
    expect((await owner('GET', `/api/sign-off/${secondToken}`)).status).toBe(200);

    // Expired: the clock is the database row's.
    await stack.db.workOrderSignOffLink.updateMany({ where: { workOrderId: wo.id, revokedAt: null }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    const expired = await owner('GET', `/api/sign-off/${secondToken}`);
    expectProblem(expired, 410, 'SIGN_OFF_LINK_GONE', 'SIGN_OFF_LINK_EXPIRED');
    expectProblem(await owner('POST', `/api/sign-off/${secondToken}`, { accepted: true, signature: { svgPath: 'M1 1 L2 2' } }), 410, 'SIGN_OFF_LINK_GONE', 'SIGN_OFF_LINK_EXPIRED');
    const english = await call(stack, 'GET', `/api/sign-off/${secondToken}`, { headers: { 'accept-language': 'en' } });
    expect(english.body.detail).toMatch(/expired at/);

    // A link of a visit the holder signed on the phone meanwhile no longer applies.
    // (Issued for the QR code only: not emailed, though the record has an email again.)
    await stack.db.customer.updateMany({ where: { phone: '13800138001' }, data: { email: OWNER_EMAIL } });
    const thirdLink = await as('technician.project', 'POST', `/api/work-orders/${wo.id}/sign-off-link`, { email: false });
    expect(thirdLink.body.emailed).toBe(false);
    const third = tokenOf(thirdLink.body.url);
    expect((await as('technician.project', 'POST', `/api/work-orders/${wo.id}/sign-off`, { accepted: true, signature: { svgPath: 'M1 1 L5 5' } })).status).toBe(200);
    expectProblem(await owner('GET', `/api/sign-off/${third}`), 410, 'SIGN_OFF_LINK_GONE', 'SIGN_OFF_LINK_REVOKED');

    expectProblem(await owner('GET', `/api/sign-off/${'A'.repeat(43)}`), 404, 'NOT_FOUND', 'SIGN_OFF_LINK_NOT_FOUND');
    expectProblem(await owner('POST', `/api/sign-off/${'A'.repeat(43)}`, { accepted: false, reason: 'x' }), 404, 'NOT_FOUND', 'SIGN_OFF_LINK_NOT_FOUND');
    expectProblem(await owner('GET', '/api/sign-off/too-short'), 400, 'VALIDATION_FAILED');
  });

  it('is issued only by the holder, once the result is recorded', async () => {
    const { wo } = await orderAwaitingSignOff(technician());
    // A dispatcher may not (the same rule as the phone's sign-off), another technician does not even see the order.
    expectProblem(await as('handler.project', 'POST', `/api/work-orders/${wo.id}/sign-off-link`), 403, 'OUT_OF_SCOPE', 'WORK_ORDER_WORK_DENIED');
    expectProblem(await as('technician.company', 'POST', `/api/work-orders/${wo.id}/sign-off-link`), 404, 'NOT_FOUND');
    expectProblem(await as('contractor.project', 'POST', `/api/work-orders/${wo.id}/sign-off-link`), 404, 'NOT_FOUND');
    expectProblem(await call(stack, 'POST', `/api/work-orders/${wo.id}/sign-off-link`), 401, 'UNAUTHENTICATED');
    expect(await stack.db.workOrderSignOffLink.count({ where: { workOrderId: wo.id } })).toBe(0);
  });
});
