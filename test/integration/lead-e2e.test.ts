import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CADENCES } from '../../domain/leads/cadence.js';
import { call, type Answer } from '../api/http.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { startSmtpServer, type TestSmtpServer } from './smtp.js';

/**
 * One lead, end to end on a Temporal dev server with second-long cadences: it arrives, its owner's
 * reminder email reaches a real SMTP server when the first contact falls due, the sales manager is
 * told the first contact was missed, a logged touch starts the next window, and the lead converts,
 * which ends its cadence. Nothing is stubbed: PostgreSQL, the dev server, the worker, the API.
 */
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

let stack: TestStack;
let smtp: TestSmtpServer;
const tokens = new Map<string, string>();
const userIds = new Map<string, string>();
const USERS = ['sales.project', 'salesmgr.project', 'admin'];
let bjhy = '';
const as = (user: string, method: string, path: string, json?: unknown): Promise<Answer> => call(stack, method, path, { token: tokens.get(user)!, json });
const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to : [m.to]).flatMap((a) => a?.value.map((v) => v.address) ?? []);
const mailbox = (user: string) => `${user}@demo.estate-care.local`;

async function eventually<T>(what: string, read: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
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
  stack = await startTestStack({ seed: true, temporal: true, worker: true, smtpUrl: smtp.url });
  for (const u of USERS) {
    tokens.set(u, await stack.login(u));
    userIds.set(u, (await stack.db.user.findUniqueOrThrow({ where: { username: u } })).id);
  }
  bjhy = (await stack.db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } })).id;
}, 180_000);
afterAll(async () => {
  await stack?.close();
  await smtp?.close();
}, 60_000);

describe('a grade-B lead on second-long cadences', () => {
  let lead: { id: string; number: string; workflowId: string; nextTouchDueAt: string };
  let createdAt = 0;

  it('arrives with its owner and a first contact due in 3 seconds', async () => {
    // First contact in 3 s, then every 60 s: long enough that nothing lapses while the test works.
    const fast = DEFAULT_CADENCES.map((p) => ({ ...p, firstContact: 'PT3S', interval: 'PT60S', lastsFor: p.lastsFor ? 'PT1H' : null }));
    const put = await as('admin', 'PUT', '/api/cadence-policies', fast);
    expect(put.status, put.text).toBe(200);
    createdAt = Date.now();
    const a = await as('salesmgr.project', 'POST', '/api/leads', {
      projectId: bjhy,
      customer: { name: '赵晓雯', phone: '136 1111 2222' },
      source: 'walk_in',
      grade: 'B',
      ownerId: userIds.get('sales.project'),
      note: '看过样板间，关注三房 / saw the show flat',
    });
    expect(a.status, a.text).toBe(201);
    lead = a.body;
    expect(a.body).toMatchObject({ grade: 'B', status: 'new', ownerId: userIds.get('sales.project') });
    const budget = Date.parse(lead.nextTouchDueAt) - createdAt;
    expect(budget).toBeGreaterThan(2_000);
    expect(budget).toBeLessThan(4_000);
  });

  it('reminds the owner by email when the first contact falls due, and tells the sales manager it was missed', async () => {
    const mine = () => smtp.messages.filter((m) => m.subject?.includes(lead.number));
    await eventually('the reminder and the missed-contact notice', mine, (ms) => ms.length >= 3);
    const byRecipient = (user: string) => mine().filter((m) => to(m).includes(mailbox(user))).map((m) => m.subject!);
    expect(byRecipient('sales.project').some((s) => s.includes('新线索已分配给您'))).toBe(true);
    expect(byRecipient('sales.project').some((s) => s.includes('首次联系到期'))).toBe(true);
    expect(byRecipient('salesmgr.project')).toEqual([expect.stringContaining('线索首次联系超时')]);
    for (const m of mine()) {
      expect(m.text).not.toContain('赵晓雯');
      expect(m.text).not.toContain('2222');
    }
    const events = await as('sales.project', 'GET', `/api/leads/${lead.id}/events`);
    const types = events.body.items.map((e: { type: string }) => e.type);
    expect(types.slice(0, 3)).toEqual(['lead.created', 'lead.touch_due', 'lead.first_contact_missed']);
    const touchDue = events.body.items.find((e: { type: string }) => e.type === 'lead.touch_due');
    expect(Date.parse(touchDue.at)).toBeGreaterThanOrEqual(Date.parse(lead.nextTouchDueAt));
  });

  it('starts the next window when the owner logs a touch', async () => {
    const before = Date.now();
    const a = await as('sales.project', 'POST', `/api/leads/${lead.id}/touches`, { channel: 'phone', outcome: 'visit_booked', note: '约周六看房', nextStep: '周六带看' });
    expect(a.status, a.text).toBe(200);
    expect(a.body.status).toBe('contacting');
    const next = Date.parse(a.body.nextTouchDueAt);
    expect(next - before).toBeGreaterThan(55_000);
    expect(next - before).toBeLessThan(65_000);
    const detail = await eventually('the projected touch', () => as('sales.project', 'GET', `/api/leads/${lead.id}`), (x) => x.body.touchCount === 1);
    expect(detail.body.lastTouchAt).not.toBeNull();
  });

  it('converts, which ends the cadence and records the sale’s start', async () => {
    const unit = await stack.db.unit.findFirstOrThrow({ where: { projectId: bjhy, ownerCustomerId: null }, orderBy: { number: 'asc' } });
    const a = await as('sales.project', 'POST', `/api/leads/${lead.id}/convert`, { unitId: unit.id, price: 2_350_000, deposit: 50_000 });
    expect(a.status, a.text).toBe(200);
    expect(a.body.status).toBe('converted');
    const client = await stack.temporal.getClient();
    const described = await eventually('the workflow to complete', () => client.workflow.getHandle(lead.workflowId).describe(), (d) => d.status.name !== 'RUNNING');
    expect(described.status.name).toBe('COMPLETED');
    const row = await eventually('the converted row', () => stack.db.lead.findUniqueOrThrow({ where: { id: lead.id } }), (r) => r.status === 'converted');
    expect(row.convertedUnitId).toBe(unit.id);
    expect(row.convertedPrice?.toString()).toBe('2350000');
    expect(row.nextTouchDueAt).toBeNull();
    const events = await as('salesmgr.project', 'GET', `/api/leads/${lead.id}/events`);
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual(['lead.created', 'lead.touch_due', 'lead.first_contact_missed', 'lead.touched', 'lead.converted']);
    // No further reminders after the conversion.
    const count = smtp.messages.filter((m) => m.subject?.includes(lead.number)).length;
    expect(count).toBe(3);
  });
});
