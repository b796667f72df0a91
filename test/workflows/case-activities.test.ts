import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { startTarget } from '../../domain/cases/sla-clock.js';
import { applyCaseProjectionDelta, caseProjectionDelta, caseProjectionView, projectedCaseOf } from '../../domain/cases/case-projection.js';
import { CALENDAR_CN_DEFAULT } from '../../domain/cases/business-calendar.js';
import { DEFAULT_POLICY } from '../../domain/cases/sla-policy.js';
import type { Tier } from '../../domain/cases/types.js';
import { createLogger } from '../../platform/logger.js';
import { createMailer, type Mailer } from '../../platform/mail.js';
import type { CaseState } from '../../workflows/cases/complaint-case.defs.js';
import { startSmtpServer, type TestSmtpServer } from '../integration/smtp.js';
import { createTestDatabase } from '../support/database.js';
import { createStaffUser } from '../support/staff.js';

const logger = createLogger({ name: 'case-activities-test', level: 'silent' });
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let smtp: TestSmtpServer;
let mailer: Mailer;
let activities: ReturnType<typeof createActivities>;
const org = { groupId: '', companyId: '', projectId: '', otherProjectId: '' };

const user = (o: { username: string; role: 'HANDLER' | 'SUPERVISOR' | 'AGENT'; scope: Tier; projectId?: string; email?: string | null; active?: boolean }) =>
  createStaffUser(database.db, org, o);

async function caseRow(o: { assigneeId?: string | null; status?: string } = {}) {
  const id = crypto.randomUUID();
  await database.db.case.create({
    data: {
      id,
      number: `CS-${id.slice(0, 8)}`,
      workflowId: `case-${id}`,
      groupId: org.groupId,
      companyId: org.companyId,
      projectId: org.projectId,
      customerId: 'customer-1',
      type: 'complaint',
      category: 'complaint.quality.leakage',
      severity: 'minor',
      channel: 'phone',
      description: 'Window leaks',
      status: o.status ?? 'open',
      tier: 'PROJECT',
      assigneeId: o.assigneeId ?? null,
      policyId: 'default',
      sla: {},
      openedById: 'agent',
      openedAt: new Date(),
    },
  });
  return id;
}

beforeAll(async () => {
  [database, smtp] = await Promise.all([createTestDatabase(), startSmtpServer()]);
  mailer = createMailer({ db: database.db, smtpUrl: smtp.url, from: 'Estate Care <noreply@estate-care.test>', logger });
  activities = createActivities({ db: database.db, mailer, logger });
  const group = await database.db.group.create({ data: { code: 'G1', name: 'Group' } });
  const company = await database.db.company.create({ data: { groupId: group.id, code: 'C1', name: 'Company' } });
  const project = await database.db.project.create({ data: { groupId: group.id, companyId: company.id, code: 'P1', name: 'Project', timeZone: 'Asia/Shanghai' } });
  const other = await database.db.project.create({ data: { groupId: group.id, companyId: company.id, code: 'P2', name: 'Other' } });
  Object.assign(org, { groupId: group.id, companyId: company.id, projectId: project.id, otherProjectId: other.id });
});

afterAll(async () => {
  mailer?.close();
  await smtp?.close();
  await database?.drop();
});

describe('pickCaseAssignee', () => {
  it('picks the handler of the tier unit with the fewest open cases, ties by username', async () => {
    const zed = await user({ username: 'p-zed', role: 'HANDLER', scope: 'PROJECT' });
    const amy = await user({ username: 'p-amy', role: 'HANDLER', scope: 'PROJECT' });
    await user({ username: 'p-aaa-inactive', role: 'HANDLER', scope: 'PROJECT', active: false });
    await user({ username: 'p-aab-other-project', role: 'HANDLER', scope: 'PROJECT', projectId: org.otherProjectId });
    await user({ username: 'p-aac-supervisor', role: 'SUPERVISOR', scope: 'PROJECT' });
    const unit = { groupId: org.groupId, companyId: org.companyId, projectId: org.projectId };

    expect(await activities.pickCaseAssignee({ ...unit, tier: 'PROJECT' })).toBe(amy);
    await caseRow({ assigneeId: amy });
    expect(await activities.pickCaseAssignee({ ...unit, tier: 'PROJECT' })).toBe(zed);
    await caseRow({ assigneeId: zed, status: 'closed' });
    expect(await activities.pickCaseAssignee({ ...unit, tier: 'PROJECT' })).toBe(zed);

    expect(await activities.pickCaseAssignee({ ...unit, tier: 'COMPANY' })).toBeNull();
    const companyHandler = await user({ username: 'c-handler', role: 'HANDLER', scope: 'COMPANY' });
    const groupHandler = await user({ username: `delta-gap-${crypto.randomUUID().slice(0, 8)}`, role: 'HANDLER', scope: 'GROUP' });
    expect(await activities.pickCaseAssignee({ ...unit, tier: 'COMPANY' })).toBe(companyHandler);
    expect(await activities.pickCaseAssignee({ ...unit, tier: 'GROUP' })).toBe(groupHandler);
  });
});

describe('notifyCaseStaff', () => {
  it('emails the named users and the tier supervisors once each, also when the activity runs again', async () => {
    const handler = await user({ username: 'n-handler', role: 'HANDLER', scope: 'PROJECT' });
    const supervisor = await user({ username: 'n-supervisor', role: 'SUPERVISOR', scope: 'COMPANY' });
    const noEmail = await user({ username: 'n-noemail', role: 'SUPERVISOR', scope: 'COMPANY', email: null });
    const before = smtp.messages.length;
    const input = {
      caseId: 'case-n',
      caseNumber: 'CS-20261122-0042',
      groupId: org.groupId,
      projectId: org.projectId,
      kind: 'breach' as const,
      target: 'firstContact' as const,
      dueAt: Date.parse('2026-11-23T02:00:00Z'),
      tier: 'PROJECT' as const,
      recipients: { userIds: [handler], supervisorsAt: { tier: 'COMPANY' as const, groupId: org.groupId, companyId: org.companyId, projectId: org.projectId } },
      idempotencyKeyBase: 'case-n:7',
    };
    const first = await activities.notifyCaseStaff(input);
    const second = await activities.notifyCaseStaff(input);
    expect(first.sent.sort()).toEqual([handler, supervisor].sort());
    expect(first.skipped).toEqual([noEmail]);
    expect(second.sent.sort()).toEqual(first.sent.sort());

    const received = (await smtp.waitForMessages(before + 2)).slice(before);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages).toHaveLength(before + 2);
    const rows = await database.db.emailMessage.findMany({ where: { idempotencyKey: { startsWith: 'case-n:7:' } } });
    expect(rows.map((r) => r.idempotencyKey).sort()).toEqual([`case-n:7:${handler}`, `case-n:7:${supervisor}`].sort());
    const mail = received[0]!;
    expect(mail.subject).toBe('[CS-20261122-0042] 时效超时：首次联系 / SLA breached: first contact');
    // Due time in the project's zone (Asia/Shanghai), and nothing about the customer.
    expect(mail.text).toContain('2026-11-23 10:00');
    expect(mail.text).not.toMatch(/Window leaks|customer-1/);
  });
});

describe('projectCase', () => {
  function stateAt(caseId: string, seq: number, status: CaseState['status'], now: number): CaseState {
    const firstContact = startTarget({ name: 'firstContact', policy: DEFAULT_POLICY, now });
    const resolution = startTarget({ name: 'resolution', policy: DEFAULT_POLICY, now });
    const targets = { firstContact, resolution, callback: null };
    return {
      caseId,
      caseNumber: 'CS-1',
      status,
      tier: 'PROJECT',
      severity: 'minor',
      category: 'complaint.quality.leakage',
      assigneeId: 'handler-x',
      policy: DEFAULT_POLICY,
      targets,
      tiers: [{ tier: 'PROJECT', enteredAt: now, leftAt: null, policyId: 'default', targets, assigneeId: 'handler-x' }],
      escalations: [
        {
          id: `${caseId}:esc:1`,
          fromTier: 'PROJECT',
          toTier: 'COMPANY',
          source: 'handler',
          reason: 'Needs HQ',
          requestedBy: 'handler-x',
          requestedAt: now,
          dueAt: now + 4 * 3600_000,
          status: seq >= 3 ? 'approved' : 'pending',
          decidedBy: seq >= 3 ? 'supervisor-y' : null,
          decidedAt: seq >= 3 ? now + 1000 : null,
          decisionNote: null,
        },
      ],
      satisfaction: null,
      firstContactMs: null,
      resolutionMs: null,
      seq,
      openedAt: now,
      closedAt: null,
    };
  }

  it('moves the read model forward only, with escalation and per-tier target rows', async () => {
    const caseId = await caseRow();
    const now = Date.parse('2026-11-22T08:00:00Z');
    expect(await activities.projectCase({ caseId, seq: 2, state: stateAt(caseId, 2, 'contacted', now), at: now + 60_000 })).toEqual({ applied: true });
    expect(await activities.projectCase({ caseId, seq: 3, state: stateAt(caseId, 3, 'resolved', now), at: now + 60_000 })).toEqual({ applied: true });
    // A late retry of seq 2 must not move the row (or its escalation) back.
    expect(await activities.projectCase({ caseId, seq: 2, state: stateAt(caseId, 2, 'contacted', now), at: now })).toEqual({ applied: false });
    expect(await activities.projectCase({ caseId, seq: 3, state: stateAt(caseId, 3, 'resolved', now), at: now })).toEqual({ applied: false });

    const row = await database.db.case.findUniqueOrThrow({ where: { id: caseId }, include: { escalations: true, targetRecords: { orderBy: { id: 'asc' } } } });
    expect(row).toMatchObject({ status: 'resolved', lastEventSeq: 3, assigneeId: 'handler-x', policyId: 'default', breached: false });
    expect(row.nextDueAt?.toISOString()).toBe(new Date(now + 24 * 3600_000).toISOString());
    expect((row.sla as Record<string, { status: string; elapsedMs: number } | null>).firstContact).toMatchObject({ status: 'running', elapsedMs: 60_000 });
    expect(row.escalations).toEqual([expect.objectContaining({ id: `${caseId}:esc:1`, status: 'approved', decidedBy: 'supervisor-y', groupId: org.groupId, projectId: org.projectId })]);
    expect(row.targetRecords.map((r) => [r.id, r.tier, r.target, r.assigneeId])).toEqual([
      [`${caseId}:0:firstContact`, 'PROJECT', 'firstContact', 'handler-x'],
      [`${caseId}:0:resolution`, 'PROJECT', 'resolution', 'handler-x'],
    ]);
  });

  it('records when each tier period ended, so a breach of a tier that handed the case over stops being late', async () => {
    const caseId = await caseRow();
    const now = Date.parse('2026-11-22T08:00:00Z');
    const left = now + 30 * 3600_000;
    const base = stateAt(caseId, 4, 'open', now);
    const breachedContact = { ...base.targets.firstContact!, breachedAt: now + 24 * 3600_000 };
    const company = {
      firstContact: startTarget({ name: 'firstContact', policy: DEFAULT_POLICY, now: left }),
      resolution: startTarget({ name: 'resolution', policy: DEFAULT_POLICY, now: left }),
      callback: null,
    };
    const state: CaseState = {
      ...base,
      tier: 'COMPANY',
      targets: company,
      tiers: [
        { tier: 'PROJECT', enteredAt: now, leftAt: left, policyId: 'default', targets: { ...base.targets, firstContact: breachedContact }, assigneeId: 'handler-x' },
        { tier: 'COMPANY', enteredAt: left, leftAt: null, policyId: 'default', targets: company, assigneeId: 'handler-y' },
      ],
    };
    expect(await activities.projectCase({ caseId, seq: 4, state, at: left })).toEqual({ applied: true });
    const rows = await database.db.caseTargetRecord.findMany({ where: { caseId }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.id.slice(caseId.length), r.tier, r.breachedAt?.toISOString() ?? null, r.periodEndedAt?.toISOString() ?? null])).toEqual([
      [':0:firstContact', 'PROJECT', new Date(now + 24 * 3600_000).toISOString(), new Date(left).toISOString()],
      [':0:resolution', 'PROJECT', null, new Date(left).toISOString()],
      [':1:firstContact', 'COMPANY', null, null],
      [':1:resolution', 'COMPANY', null, null],
    ]);
  });

  it('gives each target record its case’s company and openedAt, by which the reports find a cohort’s targets', async () => {
    const caseId = await caseRow();
    const now = Date.parse('2026-11-22T08:00:00Z');
    expect(await activities.projectCase({ caseId, seq: 2, state: stateAt(caseId, 2, 'contacted', now), at: now + 60_000 })).toEqual({ applied: true });
    const row = await database.db.case.findUniqueOrThrow({ where: { id: caseId }, include: { targetRecords: { orderBy: { id: 'asc' } } } });
    expect(row.targetRecords).toHaveLength(2);
    for (const r of row.targetRecords) {
      expect(r.companyId).toBe(row.companyId);
      expect(r.caseOpenedAt.toISOString()).toBe(row.openedAt.toISOString());
    }
  });
});

describe('recordCaseStep (slim histories)', () => {
  it('writes the audit rows and the read model in one go, then the notices under their keys and the task lookup; a retry writes nothing twice', async () => {
    const handler = await user({ username: 's-handler', role: 'HANDLER', scope: 'PROJECT' });
    const caseId = await caseRow({ assigneeId: handler });
    const now = Date.parse('2026-11-22T08:00:00Z');
    const firstContact = { ...startTarget({ name: 'firstContact', policy: DEFAULT_POLICY, now }), breachedAt: now + 24 * 3600_000 };
    const targets = { firstContact, resolution: startTarget({ name: 'resolution', policy: DEFAULT_POLICY, now }), callback: null };
    const state: CaseState = {
      caseId, caseNumber: 'CS-S', status: 'open', tier: 'PROJECT', severity: 'minor', category: 'complaint.quality.leakage', assigneeId: handler,
      policy: DEFAULT_POLICY, targets, tiers: [{ tier: 'PROJECT', enteredAt: now, leftAt: null, policyId: 'default', targets, assigneeId: handler }],
      escalations: [], satisfaction: null, firstContactMs: null, resolutionMs: null, seq: 3, openedAt: now, closedAt: null,
    };
    const at = now + 24 * 3600_000;
    const input = {
      caseId,
      seq: 3,
      at,
      events: [
        { seq: 2, type: 'sla.warned', actor: 'system', at: new Date(at - 1000).toISOString(), data: { target: 'firstContact' } },
        { seq: 3, type: 'sla.breached', actor: 'system', at: new Date(at).toISOString(), data: { target: 'firstContact' } },
      ],
      view: caseProjectionView(state),
      notices: [{ kind: 'breach' as const, target: 'firstContact' as const, dueAt: at, tier: 'PROJECT' as const, recipients: { userIds: [handler] }, seq: 3 }],
      lookup: { kind: 'assignee' as const, tier: 'PROJECT' as const },
    };
    const before = smtp.messages.length;
    const first = await activities.recordCaseStep(input);
    expect(first).toMatchObject({ inserted: 2, applied: true, notices: [{ sent: 1 }], assigneeId: expect.any(String) });
    const again = await activities.recordCaseStep(input);
    expect(again).toMatchObject({ inserted: 0, applied: false, notices: [{ sent: 1 }], assigneeId: first.assigneeId });

    const trail = await database.db.auditEvent.findMany({ where: { streamId: `case-${caseId}` }, orderBy: { seq: 'asc' } });
    expect(trail.map((e) => [e.seq, e.type, e.groupId])).toEqual([[2, 'sla.warned', org.groupId], [3, 'sla.breached', org.groupId]]);
    const row = await database.db.case.findUniqueOrThrow({ where: { id: caseId }, include: { targetRecords: true } });
    expect(row).toMatchObject({ lastEventSeq: 3, breached: true, policyId: DEFAULT_POLICY.id });
    expect(row.targetRecords).toHaveLength(2);
    await smtp.waitForMessages(before + 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages).toHaveLength(before + 1);
    const mails = await database.db.emailMessage.findMany({ where: { idempotencyKey: `case-${caseId}:3:${handler}` } });
    expect(mails).toHaveLength(1);
  });

  it('keeps a calendar once in the projection view and puts it back on every target', () => {
    const now = Date.parse('2026-11-22T08:00:00Z');
    const calendar = { ...CALENDAR_CN_DEFAULT, id: 'office' };
    const policy = { ...DEFAULT_POLICY, clock: 'business' as const, calendarId: 'office' };
    const targets = {
      firstContact: startTarget({ name: 'firstContact', policy, calendar, now }),
      resolution: startTarget({ name: 'resolution', policy, calendar, now }),
      callback: null,
    };
    const state: CaseState = {
      caseId: 'c', caseNumber: 'CS-C', status: 'open', tier: 'PROJECT', severity: 'minor', category: 'x', assigneeId: null, policy, calendar,
      targets, tiers: [{ tier: 'PROJECT', enteredAt: now, leftAt: null, policyId: policy.id, targets: { ...targets }, assigneeId: null }],
      escalations: [], satisfaction: null, firstContactMs: null, resolutionMs: null, seq: 1, openedAt: now, closedAt: null,
    };
    const view = caseProjectionView(state);
    expect(view.calendars).toHaveLength(1);
    expect(view.targets).toBeUndefined();
    expect(JSON.stringify(view)).not.toContain('"policy"');
    const back = projectedCaseOf(view);
    expect(back.targets).toEqual(state.targets);
    expect(back.tiers).toEqual(state.tiers);
  });
});

describe('recordCaseStep with projection deltas (case-step-delta)', () => {
  const HOUR = 3600_000;
  const now = Date.parse('2026-11-22T08:00:00Z');
  /** A case's states as its workflow moves: opened, warned, breached with an escalation asked for, escalated to COMPANY. */
  function states(caseId: string, handler: string): CaseState[] {
    const fc = startTarget({ name: 'firstContact', policy: DEFAULT_POLICY, now });
    const res = startTarget({ name: 'resolution', policy: DEFAULT_POLICY, now });
    const opened: CaseState = {
      caseId, caseNumber: 'CS-D', status: 'open', tier: 'PROJECT', severity: 'minor', category: 'complaint.quality.leakage', assigneeId: handler,
      policy: DEFAULT_POLICY, targets: { firstContact: fc, resolution: res, callback: null },
      tiers: [{ tier: 'PROJECT', enteredAt: now, leftAt: null, policyId: DEFAULT_POLICY.id, targets: { firstContact: fc, resolution: res, callback: null }, assigneeId: handler }],
      escalations: [], satisfaction: null, firstContactMs: null, resolutionMs: null, seq: 1, openedAt: now, closedAt: null,
    };
    const warnedFc = { ...fc, warnedAt: now + 19 * HOUR };
    const warned: CaseState = { ...opened, seq: 2, targets: { ...opened.targets, firstContact: warnedFc }, tiers: [{ ...opened.tiers[0]!, targets: { ...opened.targets, firstContact: warnedFc } }] };
    const breachedFc = { ...warnedFc, breachedAt: now + 24 * HOUR };
    const escalation = { id: `${caseId}:esc:1`, fromTier: 'PROJECT' as const, toTier: 'COMPANY' as const, source: 'breach' as const, reason: 'breached', requestedBy: 'system', requestedAt: now + 24 * HOUR, dueAt: now + 28 * HOUR, status: 'pending' as const, decidedBy: null, decidedAt: null, decisionNote: null };
    const breached: CaseState = { ...warned, seq: 4, targets: { ...warned.targets, firstContact: breachedFc }, tiers: [{ ...warned.tiers[0]!, targets: { ...warned.targets, firstContact: breachedFc } }], escalations: [escalation] };
    const companyFc = startTarget({ name: 'firstContact', policy: DEFAULT_POLICY, now: now + 25 * HOUR });
    const companyTargets = { firstContact: companyFc, resolution: startTarget({ name: 'resolution', policy: DEFAULT_POLICY, now: now + 25 * HOUR }), callback: null };
    const escalated: CaseState = {
      ...breached, seq: 6, tier: 'COMPANY', assigneeId: null, targets: companyTargets,
      tiers: [{ ...breached.tiers[0]!, leftAt: now + 25 * HOUR }, { tier: 'COMPANY', enteredAt: now + 25 * HOUR, leftAt: null, policyId: DEFAULT_POLICY.id, targets: companyTargets, assigneeId: null }],
      escalations: [{ ...escalation, status: 'approved', decidedBy: 'boss', decidedAt: now + 25 * HOUR, decisionNote: 'go' }],
    };
    return [opened, warned, breached, escalated];
  }
  const event = (seq: number, type: string) => ({ seq, type, actor: 'system', at: new Date(now + seq * HOUR).toISOString(), data: {} });
  const readModel = (caseId: string) => database.db.case.findUniqueOrThrow({ where: { id: caseId }, include: { targetRecords: { orderBy: { id: 'asc' } }, escalations: true } });
  /** The read model as one full view of `state` writes it, on a fresh row: what each delta must reproduce. */
  async function expected(step: number, handler: string) {
    const caseId = await caseRow({ assigneeId: handler });
    const state = states(caseId, handler)[step]!;
    await activities.recordCaseStep({ caseId, seq: state.seq, at: now + 30 * HOUR, events: [], view: caseProjectionView(state) });
    return comparable(await readModel(caseId));
  }
  /** A read model without what differs between two rows of the same state (ids, numbers, the row's own opening). */
  function comparable({ id: _id, number: _n, workflowId: _w, updatedAt: _u, openedAt: _o, targetRecords, escalations, projection: _p, ...row }: Awaited<ReturnType<typeof readModel>>) {
    const key = (id: string) => id.slice(id.indexOf(':'));
    return {
      row,
      targets: targetRecords.map(({ id, caseId: _c, caseOpenedAt: _co, ...t }) => ({ ...t, id: key(id) })),
      escalations: escalations.map(({ caseId: _c, ...e }) => ({ ...e, id: key(e.id) })),
    };
  }
  async function actual(caseId: string) {
    return comparable(await readModel(caseId));
  }

  it('diffs a view down to what changed and applies it back exactly', () => {
    const [opened, warned, breached, escalated] = states('c', 'h').map((s) => caseProjectionView(s));
    const warning = caseProjectionDelta({ seq: 1, view: opened! }, warned!);
    expect(warning).toEqual({ base: 1, hash: expect.stringMatching(/^[0-9a-f]{8}$/), changes: [[['tiers', 0, 'targets', 'firstContact', 'warnedAt'], now + 19 * HOUR]] });
    expect(warning.hash).not.toBe(caseProjectionDelta({ seq: 1, view: warned! }, breached!).hash);
    for (const [a, b] of [[opened, warned], [warned, breached], [breached, escalated], [opened, escalated], [escalated, opened]] as const) {
      expect(applyCaseProjectionDelta(a!, caseProjectionDelta({ seq: 1, view: a! }, b!))).toEqual(b);
    }
    const withTargets = { ...escalated!, targets: escalated!.tiers[0]!.targets };
    expect(applyCaseProjectionDelta(withTargets, caseProjectionDelta({ seq: 1, view: withTargets }, escalated!))).toEqual(escalated);
    expect(() => applyCaseProjectionDelta(opened!, { base: 1, hash: '', changes: [[['__proto__', 'x'], 1]] })).toThrow(/bad path/);
  });

  it('leaves each target’s name and starting values out of a compact view and puts them back', () => {
    const all = states('c', 'h');
    for (const s of all) {
      const compact = caseProjectionView(s, { compact: true });
      expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(caseProjectionView(s)).length * 0.85);
      expect(projectedCaseOf(compact)).toEqual(projectedCaseOf(caseProjectionView(s)));
    }
    const [opened, warned] = all.map((s) => caseProjectionView(s, { compact: true }));
    expect(caseProjectionDelta({ seq: 1, view: opened! }, warned!).changes).toEqual([[['tiers', 0, 'targets', 'firstContact', 'warnedAt'], now + 19 * HOUR]]);
  });

  it('brings the read model where the whole views would, step by step; a retry or a late step changes nothing', async () => {
    const handler = await user({ username: `delta-${crypto.randomUUID().slice(0, 8)}`, role: 'HANDLER', scope: 'PROJECT' });
    const caseId = await caseRow({ assigneeId: handler });
    const [opened, warned, breached, escalated] = states(caseId, handler);
    const at = now + 30 * HOUR;
    // Compact views, as the workflow sends them; expected() writes whole ones.
    const first = await activities.recordCaseStep({ caseId, seq: 1, at, events: [event(1, 'case.opened')], view: caseProjectionView(opened!, { compact: true }) });
    expect(first).toMatchObject({ applied: true });
    let sent = { seq: 1, view: caseProjectionView(opened!, { compact: true }) };
    for (const [step, s] of [warned!, breached!, escalated!].entries()) {
      const view = caseProjectionView(s, { compact: true });
      const input = { caseId, seq: s.seq, at, events: [event(s.seq, `step.${s.seq}`)], delta: caseProjectionDelta(sent, view) };
      expect(await activities.recordCaseStep(input)).toMatchObject({ inserted: 1, applied: true });
      expect(await activities.recordCaseStep(input)).toMatchObject({ inserted: 0, applied: false });
      expect(await actual(caseId)).toEqual(await expected(step + 1, handler));
      sent = { seq: s.seq, view };
    }
    // A late attempt of an earlier step (full or delta) lands on nothing.
    expect(await activities.recordCaseStep({ caseId, seq: 2, at, events: [], view: caseProjectionView(warned!) })).toMatchObject({ applied: false });
    expect(await activities.recordCaseStep({ caseId, seq: 4, at, events: [], delta: caseProjectionDelta({ seq: 2, view: caseProjectionView(warned!) }, caseProjectionView(breached!)) })).toMatchObject({ applied: false });
    expect(await actual(caseId)).toEqual(await expected(3, handler));
    const row = await database.db.case.findUniqueOrThrow({ where: { id: caseId } });
    expect(row.projection).toEqual({ seq: 6, view: JSON.parse(JSON.stringify(caseProjectionView(escalated!, { compact: true }))) });
  });

  it('never applies a delta to a row that does not stand at its base: it writes nothing and asks for the whole view', async () => {
    const handler = await user({ username: `delta-gap-${crypto.randomUUID().slice(0, 8)}`, role: 'HANDLER', scope: 'PROJECT' });
    const caseId = await caseRow({ assigneeId: handler });
    const [opened, warned, breached] = states(caseId, handler);
    const at = now + 30 * HOUR;
    await activities.recordCaseStep({ caseId, seq: 1, at, events: [event(1, 'case.opened')], view: caseProjectionView(opened!) });
    // A skipped step: the delta from seq 2 arrives while the row stands at 1.
    const gap = { caseId, seq: 4, at, events: [event(3, 'sla.breached'), event(4, 'escalation.requested')], delta: caseProjectionDelta({ seq: 2, view: caseProjectionView(warned!) }, caseProjectionView(breached!)) };
    expect(await activities.recordCaseStep(gap)).toEqual({ inserted: 0, applied: false, rebase: true });
    expect(await database.db.auditEvent.count({ where: { streamId: `case-${caseId}`, seq: { gt: 1 } } })).toBe(0);
    expect((await readModel(caseId)).lastEventSeq).toBe(1);
    // The whole view of the same step then brings it up (as the workflow sends it).
    const { delta: _d, ...rest } = gap;
    expect(await activities.recordCaseStep({ ...rest, view: caseProjectionView(breached!) })).toMatchObject({ inserted: 2, applied: true });
    expect(await actual(caseId)).toEqual(await expected(2, handler));

    // Another view under the delta's base seq (e.g. written by an API of another version): refused by its hash.
    const stored = (await readModel(caseId)).projection as { seq: number; view: Record<string, string> };
    await database.db.case.update({ where: { id: caseId }, data: { projection: { seq: 4, view: { ...stored.view, assigneeId: 'someone-else' } } } });
    const after = caseProjectionView({ ...breached!, seq: 5, status: 'contacted' });
    expect(await activities.recordCaseStep({ caseId, seq: 5, at, events: [], delta: caseProjectionDelta({ seq: 4, view: caseProjectionView(breached!) }, after) })).toMatchObject({ rebase: true });
    await database.db.case.update({ where: { id: caseId }, data: { projection: stored } });
    expect(await activities.recordCaseStep({ caseId, seq: 5, at, events: [], delta: caseProjectionDelta({ seq: 4, view: caseProjectionView(breached!) }, after) })).toMatchObject({ applied: true });
    expect(await actual(caseId)).toEqual(await expected(2, handler).then((e) => ({ ...e, row: { ...e.row, status: 'contacted', lastEventSeq: 5 } })));

    // Wound back by a restore (lastEventSeq lowered, the stored view left at a later seq): a delta from either seq is refused.
    await database.db.case.update({ where: { id: caseId }, data: { lastEventSeq: 2 } });
    const next = caseProjectionView({ ...breached!, seq: 5, status: 'contacted' });
    expect(await activities.recordCaseStep({ caseId, seq: 5, at, events: [], delta: caseProjectionDelta({ seq: 4, view: caseProjectionView(breached!) }, next) })).toMatchObject({ rebase: true });
    expect(await activities.recordCaseStep({ caseId, seq: 5, at, events: [], delta: caseProjectionDelta({ seq: 2, view: caseProjectionView(warned!) }, next) })).toMatchObject({ rebase: true });
    // A row projected from a whole state by the old projectCase keeps no view: deltas are refused too.
    await activities.projectCase({ caseId, seq: 5, state: { ...breached!, seq: 5 }, at });
    expect((await readModel(caseId)).projection).toBeNull();
    expect(await activities.recordCaseStep({ caseId, seq: 6, at, events: [], delta: caseProjectionDelta({ seq: 5, view: caseProjectionView(breached!) }, next) })).toMatchObject({ rebase: true });
  });
});
