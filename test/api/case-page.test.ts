import { DefaultLogger, Runtime } from '@temporalio/worker';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AesGcmPayloadCodec } from '../../platform/temporal/payload-codec.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { call, errorPaths, expectProblem, type Answer } from './http.js';

/**
 * The case page's server side (issue 13, problems 3–7) against the real thing (PostgreSQL, a
 * Temporal dev server, the application's worker): notes without a status change, edits of the
 * description and contact with their audit, people, projects and units by name, what a callback
 * led to, one type driving the category tree, and an approval whose answer the lists agree with.
 */
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const USERS = ['agent.project', 'handler.project', 'handler.company', 'supervisor.company', 'manager.group'];

let stack: TestStack;
const tokens = new Map<string, string>();
const ids = { bjhy: '', unit: '', unitLabel: '', agent: '', handler: '', supervisorCompany: '' };
const names = new Map<string, string>();

async function as(user: string, method: string, path: string, json?: unknown, headers?: Record<string, string>): Promise<Answer> {
  return call(stack, method, path, { token: tokens.get(user)!, json, headers });
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const newCase = (over: Record<string, unknown> = {}) => ({
  type: 'complaint',
  projectId: ids.bjhy,
  unitId: ids.unit,
  customer: { name: '王先生', phone: '13800138001' },
  category: 'complaint.quality.leakage',
  severity: 'minor',
  channel: 'phone',
  description: '主卧窗台渗水 / bedroom window sill leaks',
  // Assigned at intake: no assignee picked later, so the audit trail holds only what each test does.
  assigneeId: ids.handler,
  ...over,
});

async function open(over: Record<string, unknown> = {}) {
  const a = await as('agent.project', 'POST', '/api/cases', newCase(over));
  expect(a.status, a.text).toBe(201);
  return a.body as { id: string; number: string; workflowId: string; sla: { firstContact: { dueAt: string }; resolution: { dueAt: string } } };
}

type Event = { seq: number; type: string; actor: string; actorName: string | null; data: Record<string, unknown> };
async function events(caseId: string, user = 'handler.project', until: (e: Event[]) => boolean = () => true): Promise<{ items: Event[]; names: Record<string, string> }> {
  const a = await eventually(
    () => as(user, 'GET', `/api/cases/${caseId}/events`),
    (x) => x.status === 200 && until(x.body.items),
  );
  expect(a.status, a.text).toBe(200);
  return a.body;
}

/** Every payload of the case's workflow history, decrypted, as text: what the history holds. */
async function historyText(workflowId: string): Promise<string> {
  const history = await stack.temporal.use((client) => client.workflow.getHandle(workflowId).fetchHistory());
  const codec = new AesGcmPayloadCodec(stack.config.temporal.payloadKeys);
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object' || node instanceof Uint8Array) return;
    const o = node as Record<string, unknown>;
    if (o.metadata && typeof o.metadata === 'object' && 'encoding' in (o.metadata as object) && o.data instanceof Uint8Array) {
      const plain = codec.decryptOne(o as unknown as Payload);
      texts.push(JSON.stringify(defaultPayloadConverter.fromPayload(plain) ?? null));
      return;
    }
    Object.values(o).forEach(walk);
  };
  walk(history);
  expect(texts.length).toBeGreaterThan(5);
  return texts.join('\n');
}

async function closedCase() {
  const c = await open();
  expect((await as('handler.project', 'POST', `/api/cases/${c.id}/contact`, { note: '已联系' })).status).toBe(200);
  expect((await as('handler.project', 'POST', `/api/cases/${c.id}/resolve`, { resolution: '已修复' })).status).toBe(200);
  const closed = await as('agent.project', 'POST', `/api/cases/${c.id}/callback`, { satisfaction: 5 });
  expect(closed.status, closed.text).toBe(200);
  return c;
}

beforeAll(async () => {
  stack = await startTestStack({ seed: true, temporal: true, worker: true });
  const { db } = stack;
  ids.bjhy = (await db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } })).id;
  const unit = await db.unit.findFirstOrThrow({ where: { projectId: ids.bjhy, number: '302' }, include: { building: true }, orderBy: { building: { name: 'asc' } } });
  ids.unit = unit.id;
  ids.unitLabel = `${unit.building.name} 302`;
  for (const u of await db.user.findMany()) names.set(u.username, u.displayName);
  const user = (u: string) => db.user.findUniqueOrThrow({ where: { username: u } }).then((x) => x.id);
  ids.agent = await user('agent.project');
  ids.handler = await user('handler.project');
  ids.supervisorCompany = await user('supervisor.company');
  for (const u of USERS) tokens.set(u, await stack.login(u));
}, 180_000);
afterAll(async () => {
  await stack?.close();
}, 60_000);

describe('a note on a case (POST /api/cases/:id/notes)', () => {
  it('is added by the agent who takes a repeat call: 201 with the note, its audit seq and its author by name; status and clocks unchanged', async () => {
    const c = await open();
    const before = await as('handler.project', 'GET', `/api/cases/${c.id}`);
    const a = await as('agent.project', 'POST', `/api/cases/${c.id}/notes`, { text: '  业主王先生再次来电，周六上午在家，电话13800138001  ' });
    expect(a.status, a.text).toBe(201);
    expect(a.body).toEqual({
      id: expect.any(String),
      caseId: c.id,
      seq: 2,
      text: '业主王先生再次来电，周六上午在家，电话13800138001',
      authorId: ids.agent,
      authorName: names.get('agent.project'),
      at: expect.any(String),
    });
    const after = await as('handler.project', 'GET', `/api/cases/${c.id}`);
    expect(after.body).toMatchObject({ status: 'open', tier: 'PROJECT', live: true });
    expect(after.body.sla.firstContact.dueAt).toBe(before.body.sla.firstContact.dueAt);
    expect(after.body.sla.resolution.dueAt).toBe(before.body.sla.resolution.dueAt);
    const { items } = await events(c.id, 'handler.project', (e) => e.some((x) => x.type === 'case.note_added'));
    expect(items.at(-1)).toMatchObject({
      seq: 2,
      type: 'case.note_added',
      actor: ids.agent,
      actorName: names.get('agent.project'),
      data: { noteId: a.body.id, text: a.body.text, tier: 'PROJECT', status: 'open' },
    });
  });

  it('keeps the note text out of the workflow history (like the description): the Update carries its id', async () => {
    const c = await open();
    const text = '租户李女士说漏水在夜间加重，联系13911112222';
    expect((await as('agent.project', 'POST', `/api/cases/${c.id}/notes`, { text })).status).toBe(201);
    await events(c.id, 'handler.project', (e) => e.some((x) => x.type === 'case.note_added'));
    const history = await historyText(c.workflowId);
    expect(history).toContain('noteId');
    expect(history).not.toContain('13911112222');
    expect(history).not.toContain('李女士');
    expect(history).not.toContain('主卧窗台渗水');
  });

  it('answers a retry with the same Idempotency-Key with the first note, recording one', async () => {
    const c = await open();
    const headers = { 'idempotency-key': `note-${c.id.slice(0, 8)}` };
    const first = await as('agent.project', 'POST', `/api/cases/${c.id}/notes`, { text: '第一次来电' }, headers);
    const again = await as('agent.project', 'POST', `/api/cases/${c.id}/notes`, { text: '第一次来电' }, headers);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await stack.db.caseNote.count({ where: { caseId: c.id } })).toBe(1);
    const { items } = await events(c.id, 'handler.project', (e) => e.some((x) => x.type === 'case.note_added'));
    expect(items.filter((e) => e.type === 'case.note_added')).toHaveLength(1);
  });

  it('may be added by the office of another tier whose scope holds the project, which may not work the case', async () => {
    const c = await open();
    expect((await as('handler.company', 'POST', `/api/cases/${c.id}/notes`, { text: '公司层已知悉' })).status).toBe(201);
    expectProblem(await as('handler.company', 'POST', `/api/cases/${c.id}/contact`, { note: '越级联系' }), 403, 'OUT_OF_SCOPE');
    expectProblem(await as('manager.group', 'POST', `/api/cases/${c.id}/notes`, { text: '经理备注' }), 403, 'FORBIDDEN');
  });

  it('refuses an empty or overlong text with 400 on body.text', async () => {
    const c = await open();
    for (const text of ['   ', 'x'.repeat(4001)]) {
      const a = await as('agent.project', 'POST', `/api/cases/${c.id}/notes`, { text });
      expectProblem(a, 400, 'VALIDATION_FAILED');
      expect(errorPaths(a)).toEqual(['body.text']);
    }
  });

  it('is refused on a closed case (409 CASE_CLOSED), leaving no note behind', async () => {
    const c = await closedCase();
    expectProblem(await as('agent.project', 'POST', `/api/cases/${c.id}/notes`, { text: '结案后来电' }), 409, 'CASE_CLOSED');
    expect(await stack.db.caseNote.count({ where: { caseId: c.id } })).toBe(0);
  });
});

describe('editing the description and the contact (PATCH /api/cases/:id)', () => {
  it('changes both, audited as case.record_edited with what each was and became', async () => {
    const c = await open();
    const a = await as('handler.project', 'PATCH', `/api/cases/${c.id}`, {
      description: '主卧及次卧窗台渗水',
      contact: { name: '李女士（租户）', phone: '139 1111-2222' },
    });
    expect(a.status, a.text).toBe(200);
    expect(a.body).toMatchObject({ id: c.id, description: '主卧及次卧窗台渗水', status: 'open', assigneeName: expect.any(String) });
    const detail = await as('handler.project', 'GET', `/api/cases/${c.id}`);
    expect(detail.body).toMatchObject({
      description: '主卧及次卧窗台渗水',
      contact: { name: '李女士（租户）', phone: '13911112222', source: 'case' },
      customer: { name: '王先生', phone: '13800138001' },
    });
    const { items } = await events(c.id, 'handler.project', (e) => e.some((x) => x.type === 'case.record_edited'));
    expect(items.at(-1)).toMatchObject({
      type: 'case.record_edited',
      actor: ids.handler,
      actorName: names.get('handler.project'),
      data: {
        fields: ['description', 'contact'],
        applied: true,
        changes: {
          description: { from: '主卧窗台渗水 / bedroom window sill leaks', to: '主卧及次卧窗台渗水' },
          contact: { from: null, to: { name: '李女士（租户）', phone: '13911112222' } },
        },
      },
    });
    // Personal data stays out of the workflow: the Update named the revision, not its values.
    const history = await historyText(c.workflowId);
    expect(history).not.toContain('13911112222');
    expect(history).not.toContain('李女士');
    expect(history).not.toContain('次卧');
  });

  it('masks the contact’s phone for a manager, in the case and in its audit trail, and records the view', async () => {
    const c = await open();
    expect((await as('handler.project', 'PATCH', `/api/cases/${c.id}`, { contact: { name: '张先生', phone: '13722223333' } })).status).toBe(200);
    const detail = await as('manager.group', 'GET', `/api/cases/${c.id}`);
    expect(detail.body.contact).toEqual({ name: '张先生', phone: '137****3333', source: 'case' });
    const requestId = `case-page-events-${c.id.slice(0, 8)}`;
    const a = await eventually(
      () => call(stack, 'GET', `/api/cases/${c.id}/events`, { token: tokens.get('manager.group')!, headers: { 'x-request-id': requestId } }),
      (x) => x.body.items?.some((e: Event) => e.type === 'case.record_edited'),
    );
    expect(a.text).not.toContain('13722223333');
    expect(a.body.items.at(-1).data.changes.contact.to).toEqual({ name: '张先生', phone: '137****3333' });
    const views = await stack.db.recordView.findMany({ where: { requestId } });
    expect(views).toEqual([expect.objectContaining({ recordKind: 'case', recordId: c.id, contactShown: false, viewerRole: 'MANAGER' })]);
  });

  it('sets the contact back to the customer with null', async () => {
    const c = await open();
    expect((await as('handler.project', 'PATCH', `/api/cases/${c.id}`, { contact: { name: '张先生', phone: '13722223333' } })).status).toBe(200);
    expect((await as('handler.project', 'PATCH', `/api/cases/${c.id}`, { contact: null })).status).toBe(200);
    const detail = await as('handler.project', 'GET', `/api/cases/${c.id}`);
    expect(detail.body.contact).toEqual({ name: '王先生', phone: '13800138001', source: 'customer' });
    const { items } = await events(c.id, 'handler.project', (e) => e.filter((x) => x.type === 'case.record_edited').length === 2);
    expect(items.at(-1)!.data.changes).toEqual({ contact: { from: { name: '张先生', phone: '13722223333' }, to: null } });
  });

  it('refuses a phone in the wrong format on body.contact.phone and an empty description', async () => {
    const c = await open();
    const bad = await as('handler.project', 'PATCH', `/api/cases/${c.id}`, { contact: { name: '张先生', phone: '12' } });
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(errorPaths(bad)).toEqual(['body.contact.phone']);
    expect(errorPaths(await as('handler.project', 'PATCH', `/api/cases/${c.id}`, { description: ' ' }))).toEqual(['body.description']);
  });

  it('refuses an edit that changes nothing (409 INVALID_ACTION), and records details and record edits of one request in that order', async () => {
    const c = await open();
    expectProblem(await as('handler.project', 'PATCH', `/api/cases/${c.id}`, { description: newCase().description }), 409, 'INVALID_ACTION');
    const a = await as('handler.project', 'PATCH', `/api/cases/${c.id}`, { severity: 'major', description: '渗水扩大至客厅' });
    expect(a.status, a.text).toBe(200);
    expect(a.body).toMatchObject({ severity: 'major', description: '渗水扩大至客厅' });
    const { items } = await events(c.id, 'handler.project', (e) => e.some((x) => x.type === 'case.record_edited'));
    expect(items.map((e) => e.type).slice(-2)).toEqual(['case.details_changed', 'case.record_edited']);
    expect(await stack.db.caseRevision.count({ where: { caseId: c.id } })).toBe(1);
  });

  it('is for those who work the case: an agent is refused (403)', async () => {
    const c = await open();
    expectProblem(await as('agent.project', 'PATCH', `/api/cases/${c.id}`, { description: '坐席修改' }), 403, 'FORBIDDEN');
  });
});

describe('names instead of ids', () => {
  it('shows the project, the unit by building and room, the opener and the assignee by name, in the case and in lists', async () => {
    const c = await open();
    const detail = await as('handler.project', 'GET', `/api/cases/${c.id}`);
    expect(detail.body).toMatchObject({
      projectName: expect.any(String),
      unitId: ids.unit,
      unit: { id: ids.unit, label: ids.unitLabel, building: ids.unitLabel.split(' ')[0], room: '302' },
      openedById: ids.agent,
      openedByName: names.get('agent.project'),
      assigneeId: ids.handler,
      assigneeName: names.get('handler.project'),
    });
    // One way to say the unit: `unit` (its label included), no second `unitLabel` beside it.
    expect(detail.body).not.toHaveProperty('unitLabel');
    const list = await eventually(
      () => as('handler.project', 'GET', '/api/cases?pageSize=200'),
      (a) => a.body.items?.some((i: { id: string }) => i.id === c.id),
    );
    const row = list.body.items.find((i: { id: string }) => i.id === c.id);
    expect(row).toMatchObject({ projectName: detail.body.projectName, unit: detail.body.unit, openedByName: names.get('agent.project') });
    expect(list.body.items.every((i: { projectName: string | null }) => i.projectName !== null)).toBe(true);
  });

  it('names the people of an escalation request, in the case, the approvers’ list and the audit trail', async () => {
    const c = await open();
    expect((await as('handler.project', 'POST', `/api/cases/${c.id}/escalations`, { reason: '需公司协调' })).status).toBe(200);
    const pending = await eventually(
      () => as('supervisor.company', 'GET', `/api/escalations?status=pending&caseId=${c.id}`),
      (a) => a.body.items?.length === 1,
    );
    expect(pending.body.items[0]).toMatchObject({ requestedBy: ids.handler, requestedByName: names.get('handler.project'), decidedByName: null });
    const approved = await as('supervisor.company', 'POST', `/api/escalations/${c.id}:esc:1/approve`, {});
    expect(approved.body).toMatchObject({ decidedBy: ids.supervisorCompany, decidedByName: names.get('supervisor.company'), requestedByName: names.get('handler.project') });
    const detail = await as('handler.company', 'GET', `/api/cases/${c.id}`);
    expect(detail.body.escalations[0]).toMatchObject({ requestedByName: names.get('handler.project'), decidedByName: names.get('supervisor.company') });
    expect(detail.body).toMatchObject({ tier: 'COMPANY', assigneeName: expect.any(String) });
    const trail = await events(c.id, 'manager.group', (e) => e.some((x) => x.type === 'case.escalated'));
    expect(trail.items.find((e) => e.type === 'escalation.approved')).toMatchObject({ actorName: names.get('supervisor.company') });
    expect(trail.items.find((e) => e.type === 'case.escalated')).toMatchObject({ actor: 'system', actorName: null });
    const assignee = trail.items.find((e) => e.type === 'case.escalated')!.data.assigneeId as string;
    expect(trail.names[assignee]).toEqual(expect.any(String));
  });
});

describe('a callback says what happened and what comes next', () => {
  async function resolved() {
    const c = await open();
    expect((await as('handler.project', 'POST', `/api/cases/${c.id}/contact`, { note: '已联系业主' })).status).toBe(200);
    expect((await as('handler.project', 'POST', `/api/cases/${c.id}/resolve`, { resolution: '已重新打胶' })).status).toBe(200);
    return c;
  }

  it('closed: nothing runs next', async () => {
    const c = await resolved();
    const a = await as('agent.project', 'POST', `/api/cases/${c.id}/callback`, { satisfaction: 5 });
    expect(a.status, a.text).toBe(200);
    expect(a.body).toMatchObject({ status: 'closed', callback: { outcome: 'closed', satisfaction: 5, tier: 'PROJECT', handler: null, nextDeadline: null, escalation: null } });
  });

  it('reopened: the same tier and handler by name, and the fresh resolution deadline; the case then reads sensibly', async () => {
    const c = await resolved();
    const before = Date.now();
    const a = await as('agent.project', 'POST', `/api/cases/${c.id}/callback`, { satisfaction: 2, comment: '仍有渗水' });
    expect(a.status, a.text).toBe(200);
    expect(a.body.callback).toMatchObject({ outcome: 'reopened', satisfaction: 2, tier: 'PROJECT', handler: { id: expect.any(String), name: expect.any(String) }, escalation: null });
    expect(a.body.callback.nextDeadline.target).toBe('resolution');
    expect(Date.parse(a.body.callback.nextDeadline.dueAt) - before).toBeGreaterThan(7 * DAY - HOUR);
    expect(a.body.callback.handler.id).toBe(a.body.assigneeId);

    const detail = await as('handler.project', 'GET', `/api/cases/${c.id}`);
    expect(detail.body).toMatchObject({ status: 'contacted', period: { index: 1, tier: 'PROJECT', reason: 'reopened' } });
    // The first contact was made before the reopening: it reads as met, not "not started, due —".
    expect(detail.body.sla.firstContact).toMatchObject({ status: 'met', metAt: expect.any(String), dueAt: expect.any(String), period: { index: 0, reason: 'opened', current: false } });
    expect(detail.body.sla.resolution).toMatchObject({ status: 'running', metAt: null, dueAt: a.body.callback.nextDeadline.dueAt, period: { index: 1, reason: 'reopened', current: true } });
    // The read model says the same (what lists and a closed case show).
    const row = await eventually(
      () => stack.db.case.findUniqueOrThrow({ where: { id: c.id } }),
      (r) => (r.sla as { period?: { index: number } }).period?.index === 1,
    );
    expect((row.sla as Record<string, { period?: unknown; metAt?: unknown }>).firstContact).toMatchObject({ period: { index: 0, current: false } });
  });

  it('escalated: reopened, and the request to the company with its decision deadline', async () => {
    const c = await resolved();
    const a = await as('agent.project', 'POST', `/api/cases/${c.id}/callback`, { satisfaction: 1, comment: '要求公司介入', escalate: true });
    expect(a.status, a.text).toBe(200);
    expect(a.body.callback).toMatchObject({
      outcome: 'escalated',
      tier: 'PROJECT',
      nextDeadline: { target: 'resolution' },
      escalation: { id: `${c.id}:esc:1`, fromTier: 'PROJECT', toTier: 'COMPANY', dueAt: expect.any(String) },
    });
  });
});

describe('one case type drives the category tree', () => {
  it('answers the tree of one type with its labels (GET /api/categories?type=)', async () => {
    const complaint = await as('agent.project', 'GET', '/api/categories?type=complaint');
    expect(complaint.status, complaint.text).toBe(200);
    expect(complaint.body.items.every((c: { code: string }) => c.code.startsWith('complaint'))).toBe(true);
    expect(complaint.body.tree.map((n: { code: string }) => n.code)).toEqual(['complaint']);
    expect(complaint.body.tree[0]).toMatchObject({ name: { zh: '投诉', en: 'Complaint' }, caseType: 'complaint', leaf: false });
    expect(complaint.body.tree[0].children[0].children[0]).toMatchObject({ code: 'complaint.quality.leakage', name: { zh: '渗漏' }, leaf: true, children: [] });
    const enquiry = await as('agent.project', 'GET', '/api/categories?type=enquiry');
    expect(enquiry.body.tree.map((n: { code: string }) => n.code)).toEqual(['enquiry', 'suggestion']);
    const all = await as('agent.project', 'GET', '/api/categories');
    expect(all.body.tree.map((n: { code: string }) => n.code)).toEqual(['complaint', 'repair', 'enquiry', 'suggestion']);
    expect(all.body.total).toBe(complaint.body.total + enquiry.body.total + (await as('agent.project', 'GET', '/api/categories?type=repair')).body.total);
    expect(errorPaths(await as('agent.project', 'GET', '/api/categories?type=praise'))).toEqual(['query.type']);
  });

  it('refuses a complaint filed under 咨询/销售咨询 with a coded field error, in zh-CN and English', async () => {
    const zh = await as('agent.project', 'POST', '/api/cases', newCase({ category: 'enquiry.sales' }));
    expectProblem(zh, 400, 'VALIDATION_FAILED');
    expect(zh.body.errors).toEqual([expect.objectContaining({ path: 'body.category', code: 'CATEGORY_NOT_OF_TYPE', params: { category: 'enquiry.sales', type: 'complaint' } })]);
    expect(zh.body.errors[0].message).toMatch(/不属于该工单类型/);
    const en = await as('agent.project', 'POST', '/api/cases', newCase({ category: 'enquiry.sales' }), { 'accept-language': 'en' });
    expect(en.body.errors[0].message).toMatch(/not one of the categories of type complaint/);
    expect(await stack.db.case.count({ where: { category: 'enquiry.sales', type: 'complaint' } })).toBe(0);
  });

  it('files a suggestion as an enquiry, and refuses moving a case to another type’s category', async () => {
    expect((await as('agent.project', 'POST', '/api/cases', newCase({ type: 'enquiry', category: 'suggestion.facilities' }))).status).toBe(201);
    const c = await open();
    const a = await as('handler.project', 'PATCH', `/api/cases/${c.id}`, { category: 'repair.plumbing.leak' });
    expectProblem(a, 400, 'VALIDATION_FAILED');
    expect(a.body.errors).toEqual([expect.objectContaining({ path: 'body.category', code: 'CATEGORY_NOT_OF_TYPE' })]);
  });
});

describe('an approval answers with the decision the lists already show (issue 13 problem 3)', () => {
  it('answers approved, and the approvers’ pending list read right after the answer no longer holds it', async () => {
    const timings: number[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await open();
      expect((await as('handler.project', 'POST', `/api/cases/${c.id}/escalations`, { reason: `需公司协调 ${i}` })).status).toBe(200);
      const id = `${c.id}:esc:1`;
      await eventually(
        () => as('supervisor.company', 'GET', '/api/escalations?status=pending&pageSize=200'),
        (a) => a.body.items?.some((e: { id: string }) => e.id === id),
      );
      const t0 = performance.now();
      const a = await as('supervisor.company', 'POST', `/api/escalations/${id}/approve`, { note: '同意' });
      timings.push(Math.round(performance.now() - t0));
      expect(a.status, a.text).toBe(200);
      expect(a.body).toMatchObject({ id, status: 'approved', decidedBy: ids.supervisorCompany, decisionNote: '同意', decidedAt: expect.any(String) });
      // What the console does next: reload the list. No waiting: the read model already has it.
      const pending = await as('supervisor.company', 'GET', '/api/escalations?status=pending&pageSize=200');
      expect(pending.body.items.map((e: { id: string }) => e.id)).not.toContain(id);
      const decided = await as('supervisor.company', 'GET', `/api/escalations?status=approved&caseId=${c.id}`);
      expect(decided.body.items).toEqual([expect.objectContaining({ id, status: 'approved', decidedByName: names.get('supervisor.company') })]);
      const detail = await as('handler.company', 'GET', `/api/cases/${c.id}`);
      expect(detail.body).toMatchObject({ tier: 'COMPANY', status: 'open' });
    }
    console.log(`approve answered in ${timings.join(', ')} ms`);
  });

  it('answers a retried approval with the same Idempotency-Key with the first answer, not 409', async () => {
    const c = await open();
    expect((await as('handler.project', 'POST', `/api/cases/${c.id}/escalations`, { reason: '需公司协调' })).status).toBe(200);
    const headers = { 'idempotency-key': `approve-${c.id.slice(0, 8)}` };
    const first = await as('supervisor.company', 'POST', `/api/escalations/${c.id}:esc:1/approve`, {}, headers);
    const again = await as('supervisor.company', 'POST', `/api/escalations/${c.id}:esc:1/approve`, {}, headers);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });
});
