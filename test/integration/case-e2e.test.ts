import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Answer } from '../api/http.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { startSmtpServer, type TestSmtpServer } from './smtp.js';

/**
 * One complaint, end to end on a Temporal dev server with second-long SLA policies: nobody calls
 * the customer back in time, the first-contact target breaches on its own timer, the breach raises
 * an escalation request, the company supervisor approves it, the company office contacts and
 * resolves, the call centre records the callback and the case closes. Along the way: the audit
 * trail in order, the emails as a real SMTP server received them, and the SLA report.
 * Nothing here is stubbed: PostgreSQL, the dev server, the application's worker and API.
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
let bjhy = '';
const USERS = ['agent.project', 'handler.project', 'handler.company', 'supervisor.project', 'supervisor.company', 'manager.group', 'admin'];
const as = (user: string, method: string, path: string, json?: unknown): Promise<Answer> => call(stack, method, path, { token: tokens.get(user)!, json });

async function eventually<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const CUSTOMER = { name: '欧阳娜娜', phone: '139 1234 5678' };
const email = (user: string) => `${user}@demo.estate-care.local`;
const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to : [m.to]).flatMap((a) => a?.value.map((v) => v.address) ?? []);

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

describe('a complaint nobody answers in time', () => {
  let c: { id: string; workflowId: string; number: string; assigneeId: string; sla: { firstContact: { dueAt: string } } };
  let openedAt = 0;
  let escalationId = '';

  it('gets a 3-second first-contact target at PROJECT from the configured policy', async () => {
    const put = await as('admin', 'PUT', '/api/sla-policies', [
      // Project office: 3 s to call back (warned at half time); company office: an hour for everything.
      { id: 'e2e-project', name: '端到端（项目）', categoryPrefix: 'complaint.service', tier: 'PROJECT', firstContact: 'PT3S', warnAt: 0.5, resolution: 'PT1H', callback: 'PT1H', approvalWindow: 'PT1H', notifications: { digestMinutes: 0 } },
      { id: 'e2e-company', name: '端到端（公司）', categoryPrefix: 'complaint.service', tier: 'COMPANY', firstContact: 'PT1H', resolution: 'PT1H', callback: 'PT1H', approvalWindow: 'PT1H', notifications: { digestMinutes: 0 } },
    ]);
    expect(put.status, put.text).toBe(200);
    openedAt = Date.now();
    const a = await as('agent.project', 'POST', '/api/cases', {
      type: 'complaint',
      projectId: bjhy,
      customer: CUSTOMER,
      category: 'complaint.service.parking',
      severity: 'minor',
      channel: 'phone',
      description: '地库车位被占用，物业不处理 / someone parks in my space',
    });
    expect(a.status, a.text).toBe(201);
    c = a.body;
    expect(a.body).toMatchObject({ status: 'open', tier: 'PROJECT' });
    const budget = Date.parse(c.sla.firstContact.dueAt) - openedAt;
    expect(budget).toBeGreaterThan(2_000);
    expect(budget).toBeLessThan(4_000);
    // The workflow picks the project office's handler by itself (nobody was named).
    const assigned = await eventually('the assignee', () => as('handler.project', 'GET', `/api/cases/${c.id}`), (x) => x.body.assigneeId != null);
    expect(assigned.body.assigneeId).toBe(userIds.get('handler.project'));
  });

  it('breaches at the deadline by its own timer and raises an escalation request to COMPANY', async () => {
    const detail = await eventually(
      'the breach',
      () => as('handler.project', 'GET', `/api/cases/${c.id}`),
      (a) => a.body.sla?.firstContact.breachedAt != null && a.body.escalations?.length > 0,
    );
    const fc = detail.body.sla.firstContact;
    expect(Date.parse(fc.warnedAt)).toBeGreaterThanOrEqual(Date.parse(fc.dueAt) - 1_500 - 50);
    expect(Date.parse(fc.warnedAt)).toBeLessThan(Date.parse(fc.dueAt));
    // Fired by the timer at the deadline: not before it, and not after some polling sweep.
    expect(Date.parse(fc.breachedAt)).toBeGreaterThanOrEqual(Date.parse(fc.dueAt));
    expect(Date.parse(fc.breachedAt) - Date.parse(fc.dueAt)).toBeLessThan(2_000);
    expect(fc.metAt).toBeNull();
    expect(detail.body.sla.resolution.breachedAt).toBeNull();
    expect(detail.body.escalations).toHaveLength(1);
    expect(detail.body.escalations[0]).toMatchObject({ source: 'breach', status: 'pending', fromTier: 'PROJECT', toTier: 'COMPANY' });
  });

  it('waits in the company supervisor’s queue, who approves it; the case moves to COMPANY with fresh targets', async () => {
    const pending = await eventually(
      'the pending escalation',
      () => as('supervisor.company', 'GET', '/api/escalations?status=pending'),
      (a) => a.body.items?.some((e: { caseId: string }) => e.caseId === c.id),
    );
    escalationId = pending.body.items.find((e: { caseId: string }) => e.caseId === c.id).id;
    const project = await as('supervisor.project', 'GET', '/api/escalations?status=pending');
    expect(project.body.items.map((e: { id: string }) => e.id)).not.toContain(escalationId);

    const approvedAt = Date.now();
    const a = await as('supervisor.company', 'POST', `/api/escalations/${escalationId}/approve`, { note: '同意升级 / approved' });
    expect(a.status, a.text).toBe(200);
    const moved = await eventually(
      'the move to COMPANY',
      () => as('handler.company', 'GET', `/api/cases/${c.id}`),
      (x) => x.body.tier === 'COMPANY',
    );
    expect(moved.body).toMatchObject({ tier: 'COMPANY', status: 'open', assigneeId: userIds.get('handler.company') });
    // Fresh targets from the company policy: an hour from the move, nothing met or breached yet.
    expect(Date.parse(moved.body.sla.firstContact.dueAt) - approvedAt).toBeGreaterThan(3_500_000);
    expect(moved.body.sla.firstContact).toMatchObject({ breachedAt: null, metAt: null });
  });

  it('is contacted and resolved by the company office; the project office may no longer act', async () => {
    expect((await as('handler.project', 'POST', `/api/cases/${c.id}/contact`, { note: '迟到的电话' })).status).toBe(403);
    const contact = await as('handler.company', 'POST', `/api/cases/${c.id}/contact`, { note: '已致电客户，约定明早处理 / called' });
    expect(contact.status, contact.text).toBe(200);
    const resolve = await as('handler.company', 'POST', `/api/cases/${c.id}/resolve`, { resolution: '已清理占位车辆并加装地锁 / cleared and fitted a lock' });
    expect(resolve.status, resolve.text).toBe(200);
    expect(resolve.body.status).toBe('resolved');
  });

  it('closes on a satisfied callback with both durations recorded', async () => {
    const a = await as('agent.project', 'POST', `/api/cases/${c.id}/callback`, { satisfaction: 4, comment: '处理及时' });
    expect(a.status, a.text).toBe(200);
    expect(a.body.status).toBe('closed');
    const row = await eventually('the closed row', () => stack.db.case.findUniqueOrThrow({ where: { id: c.id } }), (r) => r.status === 'closed');
    // The durations recorded are those of the tier that met the targets (COMPANY, counted from the
    // move), on the policy's clock: short here, and well inside the company's hour.
    const firstContactMs = Number(row.firstContactMs);
    const resolutionMs = Number(row.resolutionMs);
    expect(firstContactMs).toBeGreaterThan(0);
    expect(firstContactMs).toBeLessThan(Date.now() - openedAt);
    expect(resolutionMs).toBeGreaterThanOrEqual(firstContactMs);
    expect(resolutionMs).toBeLessThan(3_600_000);
    expect(row.satisfaction).toBe(4);
  });

  it('has an audit trail that tells the whole story in order, each event once', async () => {
    const a = await eventually(
      'the closing audit event',
      () => as('manager.group', 'GET', `/api/cases/${c.id}/events?pageSize=200`),
      (x) => x.body.items?.some((e: { type: string }) => e.type === 'case.closed'),
    );
    const events: { seq: number; type: string; actor: { kind: string; id?: string } | string; data: Record<string, unknown> }[] = a.body.items;
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.type)).toEqual([
      'case.opened',
      'case.assigned',
      'sla.warned',
      'sla.breached',
      'escalation.requested',
      'escalation.approved',
      'case.escalated',
      'case.contacted',
      'case.resolved',
      'callback.recorded',
      'case.closed',
    ]);
    const byType = Object.fromEntries(events.map((e) => [e.type, e]));
    expect(byType['sla.breached']!.data).toMatchObject({ target: 'firstContact', tier: 'PROJECT' });
    expect(byType['escalation.requested']!.data).toMatchObject({ source: 'breach', fromTier: 'PROJECT', toTier: 'COMPANY' });
    expect(byType['case.escalated']!.data).toMatchObject({ fromTier: 'PROJECT', toTier: 'COMPANY', policyId: 'e2e-company' });
    expect(JSON.stringify(byType['sla.breached']!.actor)).toContain('system');
    expect(JSON.stringify(byType['escalation.approved']!.actor)).toContain(userIds.get('supervisor.company')!);
    // The audit trail in the database agrees with the API, and carries no customer phone.
    const rows = await stack.db.auditEvent.findMany({ where: { streamId: c.workflowId }, orderBy: { seq: 'asc' } });
    expect(rows.map((r) => r.type)).toEqual(events.map((e) => e.type));
    expect(JSON.stringify(rows.map((r) => r.data))).not.toContain('13912345678');
  });

  it('emailed each notice once to the right people, as the SMTP server received it, without the customer in it', async () => {
    const subjects = (user: string) =>
      smtp.messages
        .filter((m) => to(m).includes(email(user)) && m.subject?.includes(c.number))
        .map((m) => m.subject!)
        .sort();
    // handler.project: warned, then the breach; supervisor.project: the breach at its tier;
    // supervisor.company: the request to decide, then the arrival; handler.company: the arrival.
    const expected = {
      'handler.project': ['时效超时：首次联系', '时效预警：首次联系', '工单已分派给您'],
      'supervisor.project': ['时效超时：首次联系'],
      'supervisor.company': ['升级申请待审批', '工单已升级至本级'],
      'handler.company': ['工单已升级至本级'],
    };
    const total = Object.values(expected).flat().length;
    await eventually('the emails', async () => smtp.messages.filter((m) => m.subject?.includes(c.number)).length, (n) => n >= total);
    for (const [user, parts] of Object.entries(expected)) {
      const got = subjects(user);
      expect(got, user).toHaveLength(parts.length);
      for (const part of parts) expect(got.some((s) => s.includes(part)), `${user}: ${part} in ${got.join(' | ')}`).toBe(true);
    }
    const mine = smtp.messages.filter((m) => m.subject?.includes(c.number));
    expect(mine).toHaveLength(total); // nobody else, nothing twice
    for (const m of mine) {
      expect(m.text).not.toContain(CUSTOMER.name);
      expect(m.text).not.toContain('5678');
      expect(m.text).toContain('Open the case in the Estate Care console');
    }
    const stored = await stack.db.emailMessage.findMany({ where: { subject: { contains: c.number } } });
    expect(stored).toHaveLength(total);
    expect(stored.every((e) => e.status === 'SENT')).toBe(true);
  });

  it('counts in the SLA report and the breach list', async () => {
    const report = await as('manager.group', 'GET', '/api/reports/sla?groupBy=tier');
    expect(report.status, report.text).toBe(200);
    const byTier = Object.fromEntries(report.body.groups.map((g: { key: string }) => [g.key, g]));
    // The only case of this organisation: its PROJECT first contact breached, then the company met all three.
    // The project office's resolution clock stopped when the case moved up: in progress nowhere, decided nowhere.
    expect(byTier.PROJECT).toMatchObject({
      firstContact: { met: 0, breached: 1, inProgress: 0, metPct: 0 },
      resolution: { met: 0, breached: 0, inProgress: 0, metPct: null },
      escalations: 1,
    });
    expect(byTier.COMPANY).toMatchObject({
      cases: 1,
      firstContact: { met: 1, breached: 0, metPct: 100 },
      resolution: { met: 1, breached: 0, metPct: 100 },
      callback: { met: 1, breached: 0, metPct: 100 },
      satisfactionAvg: 4,
    });
    expect(report.body.totals).toMatchObject({ cases: 1, escalations: 1, callbacks: 1 });

    const breaches = await as('manager.group', 'GET', '/api/reports/sla/breaches');
    expect(breaches.body.items).toHaveLength(1);
    expect(breaches.body.items[0]).toMatchObject({ caseId: c.id, caseNumber: c.number, target: 'firstContact', tier: 'PROJECT', metAt: null, assigneeId: userIds.get('handler.project') });
    expect(breaches.body.items[0].latenessMs).toBeGreaterThan(0);
    // The project office handed the case over: that breach stopped being late then, and the case is not late now.
    const handedOver = Date.parse(breaches.body.items[0].periodEndedAt);
    expect(breaches.body.items[0]).toMatchObject({ overdue: false });
    expect(breaches.body.items[0].latenessMs).toBe(handedOver - Date.parse(breaches.body.items[0].dueAt));
    const grouped = await as('manager.group', 'GET', '/api/reports/sla/breached-cases');
    expect(grouped.body).toMatchObject({ total: 1, items: [{ caseId: c.id, breachCount: 1, overdue: false, tier: 'COMPANY', status: 'closed' }] });
  });
});

describe('a handler who gets several cases within their digest window (issue 14)', () => {
  it('receives the first at once and the others as one digest listing each, at the real SMTP server', async () => {
    const put = await as('admin', 'PUT', '/api/sla-policies', [
      { id: 'e2e-digest', name: '端到端（汇总）', categoryPrefix: 'complaint.quality', tier: 'PROJECT', firstContact: 'PT1H', resolution: 'PT2H', callback: 'PT1H', approvalWindow: 'PT1H', notifications: { digestMinutes: 1 } },
    ]);
    expect(put.status, put.text).toBe(200);
    expect(put.body.items[0].notifications).toEqual({ workingHoursOnly: true, digestMinutes: 1 });
    const open = async (n: number) => {
      const a = await as('agent.project', 'POST', '/api/cases', {
        type: 'complaint',
        projectId: bjhy,
        customer: CUSTOMER,
        category: 'complaint.quality.leakage',
        severity: 'minor',
        channel: 'phone',
        description: `卫生间渗漏 ${n} / bathroom leak ${n}`,
      });
      expect(a.status, a.text).toBe(201);
      return a.body as { id: string; number: string; workflowId: string };
    };
    const first = await open(1);
    const handler = email('handler.project');
    const mine = (numbers: string[]) => smtp.messages.filter((m) => to(m).includes(handler) && numbers.some((n) => m.subject?.includes(n)));
    await eventually('the first assignment email', async () => mine([first.number]).length, (n) => n === 1);
    const sentFirstAt = Date.now();
    const others = [await open(2), await open(3)];
    const numbers = [first.number, ...others.map((c) => c.number)];
    // Both assignments wait for the window that the first email opened, then go as one.
    await eventually('both cases assigned', async () => Promise.all(others.map((c) => as('handler.project', 'GET', `/api/cases/${c.id}`))), (xs) => xs.every((x) => x.body.assigneeId));
    await new Promise((r) => setTimeout(r, 3_000));
    if (Date.now() - sentFirstAt < 50_000) expect(mine(numbers)).toHaveLength(1);
    const mails = await eventually('the digest', async () => mine(numbers), (ms) => ms.length >= 2, 120_000);
    expect(mails).toHaveLength(2);
    const digest = mails[1]!;
    expect(digest.subject).toContain('2 条工单提醒 / 2 case notices');
    for (const c of others) expect(digest.text).toContain(c.number);
    expect(digest.text).not.toContain(first.number);
    expect(digest.text).toContain('工单已分派给您');
    expect(digest.text).toContain('Case assigned to you');
    expect(digest.text).not.toContain(CUSTOMER.name);
    expect(digest.text).not.toContain('5678');
    const rows = await stack.db.emailMessage.findMany({ where: { toAddress: handler, OR: numbers.map((n) => ({ subject: { contains: n } })) } });
    expect(rows.map((r) => r.status)).toEqual(['SENT', 'SENT']);
    expect(rows.filter((r) => r.idempotencyKey.startsWith('digest:'))).toHaveLength(1);
    expect(rows.find((r) => !r.idempotencyKey.startsWith('digest:'))!.idempotencyKey).toMatch(new RegExp(`^${first.workflowId}:\\d+:${userIds.get('handler.project')}$`));
  }, 180_000);
});
