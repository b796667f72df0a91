import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { ParsedMail } from 'mailparser';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Answer } from '../api/http.js';
import { startSeaweedS3, type SeaweedS3 } from '../support/seaweedfs.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { leakCaseOnAcceptedBuilding } from '../support/work-orders.js';
import { startSmtpServer, type TestSmtpServer } from './smtp.js';

/**
 * A repair end to end (issue 15) on a Temporal dev server with the application's worker, a real
 * SMTP server and the photo store on a real S3-compatible server (SeaweedFS): a leak reported on a
 * unit whose building was accepted a year ago (保内), dispatched to a contractor company, visited,
 * photographed, signed off by the owner on the contractor's phone; the case resolves by itself;
 * the repair report counts a first-time fix for the contractor; the contractor's staff had their
 * email. The same walk on the local disk store is `test/api/work-orders.test.ts`.
 */
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

let smtp: TestSmtpServer;
let seaweed: SeaweedS3;
let stack: TestStack;
const BUCKET = 'repair-e2e';
const tokens = new Map<string, string>();
const USERS = ['handler.project', 'contractor.project', 'manager.group'];
const as = (user: string, method: string, path: string, json?: unknown): Promise<Answer> => call(stack, method, path, { token: tokens.get(user)!, json });
const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to : [m.to]).flatMap((a) => a?.value.map((v) => v.address) ?? []);

async function eventually<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  seaweed = await startSeaweedS3();
  const s3 = seaweed.settings(BUCKET);
  stack = await startTestStack({
    seed: true,
    temporal: true,
    worker: true,
    smtpUrl: smtp.url,
    env: {
      BLOB_STORE: 's3',
      S3_ENDPOINT: s3.endpoint!,
      S3_REGION: s3.region,
      S3_BUCKET: s3.bucket,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    },
  });
  for (const u of USERS) tokens.set(u, await stack.login(u));
}, 240_000);
afterAll(async () => {
  await stack?.close();
  await seaweed?.stop();
  await smtp?.close();
}, 60_000);

describe('a leak under warranty, repaired by a contractor', () => {
  it('is dispatched, visited, photographed on S3, signed off; the case resolves, the report counts it, the contractor had its email', async () => {
    const { case: c } = await leakCaseOnAcceptedBuilding(stack, { name: '王先生', phone: '138 0013 8001', description: '卫生间天花板渗水 / bathroom ceiling leaks' });
    const contractor = await stack.db.user.findUniqueOrThrow({ where: { username: 'contractor.project' } });
    const companyId = contractor.contractorCompanyId!;

    expect((await as('handler.project', 'POST', `/api/cases/${c.id}/contact`, { note: '已联系业主 / owner called back' })).status).toBe(200);
    const created = await as('handler.project', 'POST', `/api/cases/${c.id}/work-orders`, { orders: [{ assignee: { kind: 'contractor', companyId } }] });
    expect(created.status, created.text).toBe(201);
    const wo = created.body.items[0];
    expect(wo).toMatchObject({ status: 'assigned', warranty: { covered: true, label: '保内' }, assignee: { kind: 'contractor', id: companyId } });

    // The contractor's staff are told (the contractor company's active users), once.
    const assigned = await eventually('the assignment email', async () => smtp.messages.filter((m) => to(m).includes(contractor.email!) && m.subject?.includes(wo.number)), (ms) => ms.length > 0);
    expect(assigned).toHaveLength(1);

    const start = Date.now() + 3_600_000;
    expect((await as('contractor.project', 'POST', `/api/work-orders/${wo.id}/appointment`, { start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString() })).status).toBe(200);
    expect((await as('contractor.project', 'POST', `/api/work-orders/${wo.id}/check-in`, { location: { lat: 30.27, lng: 120.15 } })).status).toBe(200);

    // Photos go to the bucket, content-addressed.
    const keys: string[] = [];
    for (const colour of ['#777777', '#33aa33']) {
      const bytes = await sharp({ create: { width: 80, height: 60, channels: 3, background: colour } }).jpeg().toBuffer();
      const res = await fetch(`${stack.baseUrl}/api/work-orders/${wo.id}/photos`, { method: 'POST', headers: { authorization: `Bearer ${tokens.get('contractor.project')}`, 'content-type': 'image/jpeg' }, body: bytes });
      expect(res.status, await res.clone().text()).toBe(201);
      keys.push(((await res.json()) as { key: string }).key);
    }
    const s3 = seaweed.settings(BUCKET);
    const client = new S3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    const names = (listed.Contents ?? []).map((o) => o.Key ?? '');
    for (const key of keys) expect(names.some((n) => n.includes(key)), `${key} in the bucket`).toBe(true);
    client.destroy();

    const result = await as('contractor.project', 'POST', `/api/work-orders/${wo.id}/result`, { text: '重做卫生间防水 / bathroom waterproofing redone', photoKeys: keys, costFen: 30_000 });
    expect(result.status, result.text).toBe(200);
    const signature = await sharp({ create: { width: 160, height: 60, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 1 } } }).png().toBuffer();
    const signed = await as('contractor.project', 'POST', `/api/work-orders/${wo.id}/sign-off`, { accepted: true, signature: { png: `data:image/png;base64,${signature.toString('base64')}` } });
    expect(signed.status, signed.text).toBe(200);
    expect(signed.body).toMatchObject({ status: 'done', outcome: 'done' });

    // A photo read back through the order, from the bucket.
    const photo = await fetch(`${stack.baseUrl}/api/work-orders/${wo.id}/photos/${keys[1]}`, { headers: { authorization: `Bearer ${tokens.get('handler.project')}` } });
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/jpeg');

    // The case resolved itself at the sign-off.
    const resolved = await eventually('the case resolved', () => as('handler.project', 'GET', `/api/cases/${c.id}`), (a) => a.body.status === 'resolved');
    expect(resolved.body.status).toBe('resolved');

    // The repair report: one order done, fixed the first time, by the contractor company.
    const today = new Date().toISOString().slice(0, 10);
    const from = `${today}T00:00:00Z`;
    const until = new Date(Date.parse(from) + 2 * 86_400_000).toISOString();
    const report = await eventually(
      'the report row',
      () => as('manager.group', 'GET', `/api/reports/repairs?from=${encodeURIComponent(new Date(Date.parse(from) - 86_400_000).toISOString())}&to=${encodeURIComponent(until)}`),
      (a) => a.status === 200 && a.body.firstTimeFix?.byAssignee?.some((r: { assigneeId: string; done: number }) => r.assigneeId === companyId && r.done >= 1),
    );
    const row = report.body.firstTimeFix.byAssignee.find((r: { assigneeId: string }) => r.assigneeId === companyId);
    expect(row).toMatchObject({ assigneeKind: 'contractor', done: 1, firstTimeFixed: 1, firstTimeFixPct: 100, reworks: 0, noShows: 0 });
    expect(report.body.defects.byCategory.find((r: { key: string }) => r.key === 'complaint.quality.leakage')).toMatchObject({ defects: 1, inWarranty: 1, done: 1 });

    // No email anywhere carries the owner's whole phone number.
    for (const m of smtp.messages) expect(`${m.subject ?? ''}\n${m.text ?? ''}`).not.toContain('13800138001');
  }, 180_000);
});
