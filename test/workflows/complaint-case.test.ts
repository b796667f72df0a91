import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_SEARCH_ATTRIBUTES } from '../../workflows/cases/complaint-case.js';
import {
  addCaseNote,
  approveEscalation,
  changeCaseDetails,
  editCaseRecord,
  getCaseState,
  pauseClock,
  recordCallback,
  recordContact,
  rejectEscalation,
  requestEscalation,
  resolveCase,
  resumeClock,
} from '../../workflows/cases/complaint-case.defs.js';
import {
  atOf,
  CALENDAR_POLICY,
  caseInput,
  CaseHarness,
  DAY,
  eventOf,
  eventually,
  fakeCaseActivities,
  HOUR,
  MINUTE,
  near,
  refusal,
  startCaseHarness,
  stopCaseHarness,
  SECOND,
  stateOf,
  tierPolicy,
  waitForEvent,
  actOn,
} from './complaint-case.support.js';

let env: TestWorkflowEnvironment;
let h: CaseHarness;

beforeAll(async () => {
  ({ env, h } = await startCaseHarness());
});

afterAll(async () => {
  await stopCaseHarness({ env, h });
});

describe('opening a case', () => {
  it('starts the first-contact and resolution clocks in the first task and records case.opened as seq 1', async () => {
    const { audit, notices, projections, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      const input = caseInput();
      const handle = await h.start(taskQueue, input);
      const state = await handle.query(getCaseState);
      expect(state).toMatchObject({ status: 'open', tier: 'PROJECT', assigneeId: 'handler-1', seq: 1, slaState: 'on_track' });
      expect(state.targets.firstContact?.dueAt).toBe(state.openedAt + 24 * HOUR);
      expect(state.targets.resolution?.dueAt).toBe(state.openedAt + 7 * DAY);
      expect(state.targets.callback).toBeNull();
      // The read model is written before the assignment email goes (projectBeforeWaiting): wait for both.
      await eventually(() => projections.length > 0 && notices.length > 0, 'projection and assignment email');
      expect(audit[0]).toMatchObject({ streamId: handle.workflowId, seq: 1, type: 'case.opened', actor: 'agent-1', groupId: 'group-1' });
      expect(notices[0]).toMatchObject({ kind: 'assigned', recipients: { userIds: ['handler-1'] }, idempotencyKeyBase: `${handle.workflowId}:1` });
      expect(projections[0]).toMatchObject({ caseId: input.caseId, seq: 1 });
      const described = await handle.describe();
      expect(described.typedSearchAttributes.get(CASE_SEARCH_ATTRIBUTES.CaseStatus)).toBe('open');
    });
  });
});

describe('opening a case: assignment', () => {
  it('picks a handler of the initial tier when the API gave none, and tells them', async () => {
    const { audit, notices, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      const handle = await h.start(taskQueue, caseInput({ assigneeId: null, tier: 'COMPANY', severity: 'major' }));
      const assigned = await waitForEvent(audit, 'case.assigned');
      expect(assigned).toMatchObject({ seq: 2, actor: 'system', data: { assigneeId: 'handler-company', tier: 'COMPANY' } });
      expect(await stateOf(handle)).toMatchObject({ assigneeId: 'handler-company', tiers: [{ tier: 'COMPANY', assigneeId: 'handler-company' }] });
      await eventually(() => notices.some((n) => n.idempotencyKeyBase === `${handle.workflowId}:2`), 'assignment email');
      expect(notices.find((n) => n.idempotencyKeyBase === `${handle.workflowId}:2`)).toMatchObject({ kind: 'assigned', recipients: { userIds: ['handler-company'] } });
      await eventually(async () => (await handle.describe()).typedSearchAttributes.get(CASE_SEARCH_ATTRIBUTES.AssigneeId) === 'handler-company', 'AssigneeId search attribute');
    });
  });
});

describe('warnings and breaches fire from durable timers', () => {
  it('warns the assignee at 80 % of the first-contact target, at that moment', async () => {
    const { audit, notices, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      const handle = await h.start(taskQueue, caseInput());
      const { openedAt } = await stateOf(handle);
      await h.travelTo(openedAt + 19 * HOUR);
      expect(eventOf(audit, 'sla.warned')).toBeUndefined();
      await h.travelTo(openedAt + 19.2 * HOUR + SECOND);
      const warned = await waitForEvent(audit, 'sla.warned');
      expect(near(atOf(warned), openedAt + 19.2 * HOUR)).toBe(true);
      expect(warned).toMatchObject({ actor: 'system', data: { target: 'firstContact', tier: 'PROJECT' } });
      await eventually(() => notices.find((n) => n.kind === 'warning'), 'warning email');
      expect(notices.find((n) => n.kind === 'warning')).toMatchObject({ target: 'firstContact', recipients: { userIds: ['handler-1'] }, idempotencyKeyBase: `${handle.workflowId}:${warned!.seq}` });
      expect((await stateOf(handle)).slaState).toBe('warned');
    });
  });

  it('records the breach at the deadline, emails the assignee and the tier supervisors, and asks the next tier to take over', async () => {
    const { audit, notices, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      const handle = await h.start(taskQueue, caseInput());
      const { openedAt } = await stateOf(handle);
      await h.travelTo(openedAt + 24 * HOUR - MINUTE);
      expect(eventOf(audit, 'sla.breached')).toBeUndefined();
      await h.travelTo(openedAt + 24 * HOUR + SECOND);
      const breached = await waitForEvent(audit, 'sla.breached');
      expect(near(atOf(breached), openedAt + 24 * HOUR)).toBe(true);
      expect(breached?.data).toMatchObject({ target: 'firstContact', tier: 'PROJECT', dueAt: new Date(openedAt + 24 * HOUR).toISOString() });
      expect(breached?.data.lateMs).toBeLessThan(5 * SECOND);
      const requested = await waitForEvent(audit, 'escalation.requested');
      expect(requested).toMatchObject({ actor: 'system', data: { source: 'breach', fromTier: 'PROJECT', toTier: 'COMPANY' } });
      await eventually(() => notices.some((n) => n.kind === 'escalation_requested'), 'escalation email');
      expect(notices.find((n) => n.kind === 'breach')).toMatchObject({
        recipients: { userIds: ['handler-1'], supervisorsAt: { tier: 'PROJECT', companyId: 'company-1', projectId: 'project-1' } },
      });
      expect(notices.find((n) => n.kind === 'escalation_requested')).toMatchObject({ recipients: { supervisorsAt: { tier: 'COMPANY' } } });
      const state = await stateOf(handle);
      expect(state.slaState).toBe('breached');
      expect(state.escalations).toEqual([
        expect.objectContaining({ id: `${state.caseId}:esc:1`, status: 'pending', source: 'breach', dueAt: atOf(requested) + 4 * HOUR }),
      ]);
      expect(state.targets.firstContact?.breachedAt).not.toBeNull();
    });
  });

  it('records no breach for a target met one second before its deadline', async () => {
    const { audit, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      const handle = await h.start(taskQueue, caseInput());
      const { openedAt } = await stateOf(handle);
      await h.travelTo(openedAt + 24 * HOUR - SECOND);
      const state = await actOn(handle, recordContact, { args: [{ actor: 'handler-1', note: 'Called the owner back' }] });
      expect(state.targets.firstContact).toMatchObject({ breachedAt: null });
      expect(state.targets.firstContact!.metAt!).toBeLessThan(openedAt + 24 * HOUR);
      await h.travelTo(openedAt + 30 * HOUR);
      await eventually(() => eventOf(audit, 'case.contacted'), 'contact');
      expect(eventOf(audit, 'case.contacted')?.data).toMatchObject({ withinTarget: true });
      expect(audit.filter((e) => e.type === 'sla.breached')).toEqual([]);
      expect(audit.filter((e) => e.type === 'escalation.requested')).toEqual([]);
    });
  });

  it('does not escalate a breach at the group tier', async () => {
    const { audit, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      const handle = await h.start(taskQueue, caseInput({ tier: 'GROUP' }));
      const { openedAt } = await stateOf(handle);
      await h.travelTo(openedAt + 24 * HOUR + SECOND);
      await waitForEvent(audit, 'sla.breached');
      await h.travelTo(openedAt + 25 * HOUR);
      expect(eventOf(audit, 'escalation.requested')).toBeUndefined();
      expect((await stateOf(handle)).escalations).toEqual([]);
    });
  });
});

describe('escalation decisions', () => {
  it('moves the case to the company tier on approval, with fresh targets from its policy and a company handler', async () => {
    const { audit, notices, slaRequests, activities } = fakeCaseActivities({
      sla: (i) => ({ policy: tierPolicy(i.tier, { firstContact: 'PT12H', resolution: 'P5D' }), calendar: null }),
    });
    await h.withWorker(activities, async (taskQueue) => {
      const handle = await h.start(taskQueue, caseInput());
      const { openedAt } = await stateOf(handle);
      await h.travelTo(openedAt + 24 * HOUR + SECOND);
      await waitForEvent(audit, 'escalation.requested');
      const escalationId = (await stateOf(handle)).escalations[0]!.id;
      await h.travelTo(openedAt + 25 * HOUR);

      const moved = await actOn(handle, approveEscalation, { args: [{ actor: 'supervisor-company', escalationId, note: 'Take it over' }] });
      expect(moved).toMatchObject({ tier: 'COMPANY', status: 'open', assigneeId: 'handler-company', policy: { id: 'policy-company' } });
      expect(moved.escalations[0]).toMatchObject({ status: 'approved', decidedBy: 'supervisor-company', decisionNote: 'Take it over' });
      expect(moved.tiers.map((p) => [p.tier, p.reason])).toEqual([
        ['PROJECT', 'opened'],
        ['COMPANY', 'escalated'],
      ]);
      const enteredAt = moved.tiers[1]!.enteredAt;
      expect(moved.tiers[0]!.leftAt).toBe(enteredAt);
      expect(moved.targets.firstContact).toMatchObject({ startedAt: enteredAt, dueAt: enteredAt + 12 * HOUR, breachedAt: null, metAt: null });
      expect(moved.targets.resolution).toMatchObject({ startedAt: enteredAt, dueAt: enteredAt + 5 * DAY });
      // The project tier's record keeps its breach; its unmet clock stopped at the hand-over.
      expect(moved.tiers[0]!.targets.firstContact).toMatchObject({ breachedAt: expect.any(Number), runningSince: null });
      expect(slaRequests).toEqual([expect.objectContaining({ tier: 'COMPANY', category: 'complaint.quality.leakage', severity: 'minor' })]);
      await waitForEvent(audit, 'case.escalated');
      expect(audit.map((e) => e.type)).toEqual(['case.opened', 'sla.warned', 'sla.breached', 'escalation.requested', 'escalation.approved', 'case.escalated']);
      expect(audit.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      await eventually(() => notices.some((n) => n.kind === 'escalated'), 'escalated email');
      expect(notices.find((n) => n.kind === 'escalated')).toMatchObject({ tier: 'COMPANY', recipients: { userIds: ['handler-company'], supervisorsAt: { tier: 'COMPANY' } } });
      // The main loop upserts search attributes in the workflow task after the update's reply.
      await eventually(async () => (await handle.describe()).typedSearchAttributes.get(CASE_SEARCH_ATTRIBUTES.CaseTier) === 'COMPANY', 'CaseTier COMPANY');

      // The new tier's own deadline fires from its own timer.
      await h.travelTo(enteredAt + 12 * HOUR + SECOND);
      const second = await waitForEvent(audit, 'sla.breached', 1);
      expect(second.data).toMatchObject({ target: 'firstContact', tier: 'COMPANY' });
      expect(near(atOf(second), enteredAt + 12 * HOUR)).toBe(true);
    });
  });

  it('keeps the tier when a supervisor rejects with a reason, and refuses a rejection without one', async () => {
    const { audit, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      const handle = await h.start(taskQueue, caseInput());
      await handle.executeUpdate(requestEscalation, { args: [{ actor: 'handler-1', reason: 'Needs a structural engineer' }] });
      const escalationId = (await stateOf(handle)).escalations[0]!.id;
      expect(await refusal(handle.executeUpdate(rejectEscalation, { args: [{ actor: 'supervisor-company', escalationId, reason: '  ' }] }))).toBe('INVALID_ACTION');
      const state = await actOn(handle, rejectEscalation, { args: [{ actor: 'supervisor-company', escalationId, reason: 'Project engineer can fix it' }] });
      expect(state).toMatchObject({ tier: 'PROJECT', escalations: [{ status: 'rejected', decidedBy: 'supervisor-company', decisionNote: 'Project engineer can fix it', source: 'handler' }] });
      expect(await refusal(handle.executeUpdate(approveEscalation, { args: [{ actor: 'supervisor-company', escalationId }] }))).toBe('ESCALATION_NOT_PENDING');
      await waitForEvent(audit, 'escalation.rejected');
      expect(eventOf(audit, 'escalation.rejected')).toMatchObject({ actor: 'supervisor-company', data: { reason: 'Project engineer can fix it' } });
      // The approval window passes: nothing escalates any more.
      await h.travelTo((await stateOf(handle)).openedAt + 5 * HOUR);
      expect(eventOf(audit, 'escalation.auto_escalated')).toBeUndefined();
    });
  });

  it('escalates by itself when nobody decides within the approval window, and says so', async () => {
    const { audit, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      const handle = await h.start(taskQueue, caseInput());
      const requested = await actOn(handle, requestEscalation, { args: [{ actor: 'handler-1', reason: 'Owner threatens media' }] });
      const dueAt = requested.escalations[0]!.dueAt;
      expect(dueAt).toBe(requested.escalations[0]!.requestedAt + 4 * HOUR);
      await h.travelTo(dueAt - MINUTE);
      expect((await stateOf(handle)).tier).toBe('PROJECT');
      await h.travelTo(dueAt + SECOND);
      const auto = await waitForEvent(audit, 'escalation.auto_escalated');
      expect(auto).toMatchObject({ actor: 'system', data: { reason: 'approval window elapsed', toTier: 'COMPANY' } });
      expect(near(atOf(auto), dueAt)).toBe(true);
      await waitForEvent(audit, 'case.escalated');
      const state = await stateOf(handle);
      expect(state).toMatchObject({ tier: 'COMPANY', assigneeId: 'handler-company', escalations: [{ status: 'auto_escalated', decidedBy: 'system', decisionNote: 'approval window elapsed' }] });
      expect(await refusal(handle.executeUpdate(approveEscalation, { args: [{ actor: 'supervisor-company', escalationId: state.escalations[0]!.id }] }))).toBe('ESCALATION_NOT_PENDING');
    });
  });
});

describe('pausing while waiting on the customer', () => {
  it('stops the clock, fires nothing while paused, and resumes exactly where it stopped', async () => {
    const { audit, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      const handle = await h.start(taskQueue, caseInput());
      const { openedAt } = await stateOf(handle);
      await h.travelTo(openedAt + 10 * HOUR);
      const paused = await actOn(handle, pauseClock, { args: [{ actor: 'handler-1', reason: 'Owner abroad until next week' }] });
      expect(paused).toMatchObject({ status: 'waiting_on_customer', pausedFrom: 'open', slaState: 'paused' });
      const pausedAt = paused.targets.firstContact!.pausedSince!;
      // Three days paused: the 24 h target would long have warned and breached.
      await h.travelTo(pausedAt + 3 * DAY);
      expect(audit.filter((e) => e.type.startsWith('sla.'))).toEqual([]);
      const resumed = await actOn(handle, resumeClock, { args: [{ actor: 'handler-1' }] });
      const resumedAt = resumed.targets.firstContact!.runningSince!;
      expect(resumed.status).toBe('open');
      const consumed = pausedAt - openedAt;
      expect(resumed.targets.firstContact).toMatchObject({ consumedMs: consumed, pausedMs: resumedAt - pausedAt, dueAt: resumedAt + 24 * HOUR - consumed });
      await h.travelTo(resumedAt + 24 * HOUR - consumed + SECOND);
      const breached = await waitForEvent(audit, 'sla.breached');
      expect(near(atOf(breached), resumedAt + 24 * HOUR - consumed)).toBe(true);
    });
  });

  it('recomputes the targets after a severity change that follows a pause, keeping consumed and paused time', async () => {
    const { audit, activities } = fakeCaseActivities();
    const major = tierPolicy('PROJECT', { id: 'major-8h', firstContact: 'PT8H', resolution: 'P2D' });
    await h.withWorker(activities, async (taskQueue) => {
      const handle = await h.start(taskQueue, caseInput());
      const { openedAt } = await stateOf(handle);
      await h.travelTo(openedAt + 2 * HOUR);
      const p = (await actOn(handle, pauseClock, { args: [{ actor: 'handler-1', reason: 'Waiting for photos' }] })).targets.firstContact!.pausedSince!;
      await h.travelTo(p + 3 * HOUR);
      const r = (await actOn(handle, resumeClock, { args: [{ actor: 'handler-1' }] })).targets.firstContact!.runningSince!;
      await h.travelTo(r + HOUR);
      const changed = await actOn(handle, changeCaseDetails, { args: [{ actor: 'supervisor-1', severity: 'major', policy: major, calendar: null }] });
      const consumedBeforePause = p - openedAt;
      const paused = r - p;
      expect(changed).toMatchObject({ severity: 'major', policy: { id: 'major-8h' }, tiers: [{ policyId: 'major-8h' }] });
      expect(changed.targets.firstContact).toMatchObject({ budgetMs: 8 * HOUR, pausedMs: paused, dueAt: openedAt + 8 * HOUR + paused });
      expect(changed.targets.resolution).toMatchObject({ budgetMs: 2 * DAY, dueAt: openedAt + 2 * DAY + paused });
      expect(consumedBeforePause).toBeGreaterThan(0);
      await waitForEvent(audit, 'case.details_changed');
      expect(eventOf(audit, 'case.details_changed')?.data).toMatchObject({ fromSeverity: 'minor', severity: 'major', fromPolicyId: 'calendar-default', policyId: 'major-8h' });
      // The new, earlier deadline fires from a re-armed timer.
      await h.travelTo(openedAt + 8 * HOUR + paused + SECOND);
      const breached = await waitForEvent(audit, 'sla.breached');
      expect(near(atOf(breached), openedAt + 8 * HOUR + paused)).toBe(true);
    });
  });

  it('resolves the policy itself when the API sends none, and keeps a met target met', async () => {
    const { audit, slaRequests, activities } = fakeCaseActivities({ sla: () => ({ policy: tierPolicy('PROJECT', { id: 'cleaning', firstContact: 'PT2H', resolution: 'P1D' }), calendar: null }) });
    await h.withWorker(activities, async (taskQueue) => {
      const handle = await h.start(taskQueue, caseInput());
      const contacted = await actOn(handle, recordContact, { args: [{ actor: 'handler-1', note: 'Spoke to owner' }] });
      const changed = await actOn(handle, changeCaseDetails, { args: [{ actor: 'handler-1', category: 'complaint.service.cleaning' }] });
      expect(slaRequests).toEqual([expect.objectContaining({ category: 'complaint.service.cleaning', tier: 'PROJECT', severity: 'minor' })]);
      expect(changed.targets.firstContact).toEqual(contacted.targets.firstContact);
      expect(changed.targets.resolution).toMatchObject({ budgetMs: DAY });
      expect(changed).toMatchObject({ category: 'complaint.service.cleaning', policy: { id: 'cleaning' } });
      await waitForEvent(audit, 'case.details_changed');
    });
  });

  it('records a new assignee and tells them', async () => {
    const { audit, notices, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      const handle = await h.start(taskQueue, caseInput());
      const state = await actOn(handle, changeCaseDetails, { args: [{ actor: 'supervisor-1', assigneeId: 'handler-2' }] });
      expect(state).toMatchObject({ assigneeId: 'handler-2', tiers: [{ assigneeId: 'handler-2' }] });
      const assigned = await waitForEvent(audit, 'case.assigned');
      expect(assigned).toMatchObject({ actor: 'supervisor-1', data: { assigneeId: 'handler-2', previousAssigneeId: 'handler-1' } });
      await eventually(() => notices.find((n) => n.idempotencyKeyBase === `${handle.workflowId}:${assigned.seq}`), 'assignment email');
      expect(notices.at(-1)).toMatchObject({ kind: 'assigned', recipients: { userIds: ['handler-2'] } });
    });
  });
});

describe('contact, resolution and callback', () => {
  it('meets each target separately, closes on a satisfactory callback and records the durations', async () => {
    const { audit, projections, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      const handle = await h.start(taskQueue, caseInput());
      const { openedAt } = await stateOf(handle);
      await h.travelTo(openedAt + 3 * HOUR);
      const contacted = await actOn(handle, recordContact, { args: [{ actor: 'handler-1', note: 'Visited the unit' }] });
      expect(contacted).toMatchObject({ status: 'contacted', targets: { resolution: { metAt: null }, callback: null } });
      await h.travelTo(openedAt + 2 * DAY);
      const resolved = await actOn(handle, resolveCase, { args: [{ actor: 'handler-1', resolution: 'Resealed the window' }] });
      expect(resolved.status).toBe('resolved');
      expect(resolved.targets.callback).toMatchObject({ startedAt: resolved.targets.resolution!.metAt, dueAt: resolved.targets.resolution!.metAt! + 3 * DAY, metAt: null });
      await h.travelTo(openedAt + 3 * DAY);
      const closed = await actOn(handle, recordCallback, { args: [{ actor: 'agent-1', satisfaction: 4, comment: 'Fine now' }] });
      expect(closed).toMatchObject({ status: 'closed', satisfaction: 4 });
      expect(closed.firstContactMs).toBe(closed.targets.firstContact!.metAt! - openedAt);
      expect(closed.resolutionMs).toBe(closed.targets.resolution!.metAt! - openedAt);
      // The workflow's result is the closing outcome (slim histories), not the whole state.
      const result = await handle.result();
      expect(result).toEqual({ seq: closed.seq, status: 'closed', tier: 'PROJECT', assigneeId: 'handler-1', slaState: 'met' });
      expect(audit.map((e) => e.type)).toEqual(['case.opened', 'case.contacted', 'case.resolved', 'callback.recorded', 'case.closed']);
      expect(audit.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(projections.at(-1)).toMatchObject({ seq: 5, state: { status: 'closed' } });
      // Projections only move forward.
      const seqs = projections.map((p) => p.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(seqs.length);
    });
  });

  it('reopens at the same tier with a fresh resolution target when the callback is below the threshold', async () => {
    const { audit, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      const handle = await h.start(taskQueue, caseInput());
      await handle.executeUpdate(recordContact, { args: [{ actor: 'handler-1', note: 'ok' }] });
      await handle.executeUpdate(resolveCase, { args: [{ actor: 'handler-1', resolution: 'Fixed' }] });
      const reopened = await actOn(handle, recordCallback, { args: [{ actor: 'agent-1', satisfaction: 2, comment: 'Still leaking' }] });
      expect(reopened).toMatchObject({ status: 'contacted', tier: 'PROJECT', satisfaction: 2, closedAt: null, escalations: [] });
      expect(reopened.tiers.map((p) => [p.tier, p.reason])).toEqual([
        ['PROJECT', 'opened'],
        ['PROJECT', 'reopened'],
      ]);
      const fresh = reopened.targets.resolution!;
      expect(fresh).toMatchObject({ metAt: null, startedAt: reopened.tiers[1]!.enteredAt, dueAt: reopened.tiers[1]!.enteredAt + 7 * DAY });
      expect(reopened.targets.firstContact).toBeNull();
      expect(reopened.tiers[0]!.targets.resolution!.metAt).not.toBeNull();
      await waitForEvent(audit, 'case.reopened');
      expect(eventOf(audit, 'callback.recorded')?.data).toMatchObject({ satisfaction: 2, satisfied: false, comment: 'Still leaking' });
      // It can be resolved again and then close.
      await handle.executeUpdate(resolveCase, { args: [{ actor: 'handler-1', resolution: 'Replaced the frame' }] });
      const closed = await actOn(handle, recordCallback, { args: [{ actor: 'agent-1', satisfaction: 5 }] });
      expect(closed.status).toBe('closed');
      expect(closed.resolutionMs).toBe(closed.tiers[1]!.targets.resolution!.consumedMs);
      expect(closed.firstContactMs).toBe(closed.tiers[0]!.targets.firstContact!.consumedMs);
    });
  });

  it('also asks the next tier to take over when the unsatisfied callback asks to escalate', async () => {
    const { audit, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      const handle = await h.start(taskQueue, caseInput());
      await handle.executeUpdate(recordContact, { args: [{ actor: 'handler-1', note: 'ok' }] });
      await handle.executeUpdate(resolveCase, { args: [{ actor: 'handler-1', resolution: 'Fixed' }] });
      const state = await actOn(handle, recordCallback, { args: [{ actor: 'agent-1', satisfaction: 1, comment: 'Nobody came', escalate: true }] });
      expect(state).toMatchObject({ status: 'contacted', escalations: [{ source: 'callback', status: 'pending', fromTier: 'PROJECT', toTier: 'COMPANY', requestedBy: 'agent-1', reason: 'Nobody came' }] });
      await waitForEvent(audit, 'escalation.requested');
      expect(audit.map((e) => e.type)).toEqual(['case.opened', 'case.contacted', 'case.resolved', 'callback.recorded', 'case.reopened', 'escalation.requested']);
    });
  });
});

describe('validators refuse wrong-state actions with a code', () => {
  it('answers each wrong action with the code the API maps to 409, and changes nothing', async () => {
    const { audit, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      const handle = await h.start(taskQueue, caseInput({ tier: 'COMPANY' }));
      const actor = 'handler-1';
      expect(await refusal(handle.executeUpdate(resolveCase, { args: [{ actor, resolution: 'x' }] }))).toBe('CASE_NOT_CONTACTED');
      expect(await refusal(handle.executeUpdate(recordCallback, { args: [{ actor, satisfaction: 5 }] }))).toBe('CASE_NOT_RESOLVED');
      expect(await refusal(handle.executeUpdate(resumeClock, { args: [{ actor }] }))).toBe('CASE_NOT_PAUSED');
      expect(await refusal(handle.executeUpdate(approveEscalation, { args: [{ actor, escalationId: 'nope' }] }))).toBe('ESCALATION_NOT_FOUND');
      expect(await refusal(handle.executeUpdate(changeCaseDetails, { args: [{ actor, severity: 'minor' }] }))).toBe('INVALID_ACTION');
      expect(await refusal(handle.executeUpdate(pauseClock, { args: [{ actor: '', reason: 'x' }] }))).toBe('INVALID_ACTION');

      await handle.executeUpdate(pauseClock, { args: [{ actor, reason: 'Owner travelling' }] });
      expect(await refusal(handle.executeUpdate(pauseClock, { args: [{ actor, reason: 'again' }] }))).toBe('CASE_ALREADY_PAUSED');
      expect(await refusal(handle.executeUpdate(recordContact, { args: [{ actor, note: 'x' }] }))).toBe('CASE_PAUSED');
      await handle.executeUpdate(resumeClock, { args: [{ actor }] });

      await handle.executeUpdate(requestEscalation, { args: [{ actor, reason: 'Needs HQ' }] });
      expect(await refusal(handle.executeUpdate(requestEscalation, { args: [{ actor, reason: 'again' }] }))).toBe('ESCALATION_PENDING');
      await handle.executeUpdate(recordContact, { args: [{ actor, note: 'x' }] });
      expect(await refusal(handle.executeUpdate(recordContact, { args: [{ actor, note: 'x' }] }))).toBe('CASE_ALREADY_CONTACTED');
      const escalationId = (await stateOf(handle)).escalations[0]!.id;
      const atGroup = await actOn(handle, approveEscalation, { args: [{ actor: 'supervisor-group', escalationId }] });
      expect(atGroup).toMatchObject({ tier: 'GROUP', status: 'open' });
      expect(await refusal(handle.executeUpdate(requestEscalation, { args: [{ actor, reason: 'further' }] }))).toBe('TOP_TIER');

      await handle.executeUpdate(recordContact, { args: [{ actor, note: 'HQ called' }] });
      await handle.executeUpdate(resolveCase, { args: [{ actor, resolution: 'Compensated' }] });
      expect(await refusal(handle.executeUpdate(resolveCase, { args: [{ actor, resolution: 'again' }] }))).toBe('CASE_ALREADY_RESOLVED');
      expect(await refusal(handle.executeUpdate(recordCallback, { args: [{ actor, satisfaction: 7 }] }))).toBe('INVALID_ACTION');
      expect(await refusal(handle.executeUpdate(recordCallback, { args: [{ actor, satisfaction: 1, escalate: true }] }))).toBe('TOP_TIER');
      await handle.executeUpdate(recordCallback, { args: [{ actor, satisfaction: 3 }] });
      expect((await handle.result()).status).toBe('closed');

      const seqs = audit.map((e) => e.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      expect(new Set(audit.map((e) => e.streamId))).toEqual(new Set([handle.workflowId]));
    });
  });

  it('refuses everything once the case is closed', async () => {
    const { activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      const handle = await h.start(taskQueue, caseInput());
      await handle.executeUpdate(recordContact, { args: [{ actor: 'h', note: 'x' }] });
      await handle.executeUpdate(resolveCase, { args: [{ actor: 'h', resolution: 'x' }] });
      await handle.executeUpdate(recordCallback, { args: [{ actor: 'h', satisfaction: 5 }] });
      // The workflow may still be finishing its effects: the validator answers CASE_CLOSED meanwhile.
      // Once it has completed (at once since slim histories: its last writes are local), Temporal
      // answers WorkflowNotFoundError, which the API maps to CASE_CLOSED too (workflow-gateway.ts).
      const err = await handle.executeUpdate(pauseClock, { args: [{ actor: 'h', reason: 'x' }] }).catch((e: unknown) => e);
      const closedOrCompleted =
        err instanceof WorkflowNotFoundError || (err instanceof Error && /CASE_CLOSED|completed/i.test(String((err as { cause?: { type?: string } }).cause?.type ?? err.message)));
      expect(closedOrCompleted).toBe(true);
    });
  });
});

describe('email idempotency keys', () => {
  it('derives each email key from the workflow id and event seq, the same on every retry', async () => {
    const keys: string[] = [];
    let failures = 0;
    const { audit, activities } = fakeCaseActivities({
      overrides: {
        async notifyCaseStaff(input) {
          keys.push(input.idempotencyKeyBase);
          if (input.kind === 'warning' && failures++ === 0) throw new Error('SMTP connection reset');
          return { sent: [], skipped: [], refused: [] };
        },
      },
    });
    await h.withWorker(activities, async (taskQueue) => {
      const handle = await h.start(taskQueue, caseInput());
      const { openedAt } = await stateOf(handle);
      await h.travelTo(openedAt + 20 * HOUR);
      const warned = await waitForEvent(audit, 'sla.warned');
      await eventually(() => failures > 0, 'first email attempt');
      // The retry's backoff timer runs on the server's (skipped) clock.
      await h.travelTo((await env.currentTimeMs()) + MINUTE);
      await eventually(() => keys.filter((k) => k === `${handle.workflowId}:${warned.seq}`).length === 2, 'retried warning email');
      expect(keys).toEqual([`${handle.workflowId}:1`, `${handle.workflowId}:${warned.seq}`, `${handle.workflowId}:${warned.seq}`]);
    });
  });
});

describe('continue-as-new', () => {
  // Retried: in one fresh-clone run under a CPU hog (issue 14 item 11) the time-skipping server's
  // clock stayed locked after an Update met the continue-as-new and the test hung to its timeout;
  // alone, and in every other run, it passes in ~2 s. A retry starts a fresh case on a fresh queue.
  it('carries the whole case into the next run: sequence, tier, targets and a pending escalation that still decides itself', { retry: 2 }, async () => {
    const { audit, activities } = fakeCaseActivities({ sla: ({ tier }) => ({ policy: tierPolicy(tier), calendar: null }) });
    await h.withWorker(activities, async (taskQueue) => {
      const input = caseInput({ historyLimit: 40 });
      const handle = await h.start(taskQueue, input);
      const { openedAt } = await stateOf(handle);
      // Pause and resume until the history passes its limit: each pair is two Updates and their activities.
      // Each Update once the case is idle: an Update racing a continue-as-new left the time-skipping
      // server's clock locked (slim histories continue as new more often at this limit).
      for (let i = 0; i < 6; i++) {
        await handle.executeUpdate(pauseClock, { args: [{ actor: 'handler-1', reason: `customer away ${i}` }] });
        await h.settle();
        await handle.executeUpdate(resumeClock, { args: [{ actor: 'handler-1' }] });
        await h.settle();
      }
      await handle.executeUpdate(requestEscalation, { args: [{ actor: 'handler-1', reason: 'needs the company' }] });
      const after = await eventually(async () => {
        const d = await handle.describe();
        return d.runId !== handle.firstExecutionRunId ? stateOf(handle) : undefined;
      }, 'a second run');
      expect(after).toMatchObject({ caseId: input.caseId, status: 'open', tier: 'PROJECT', openedAt, seq: 14 });
      expect(after.escalations).toHaveLength(1);
      expect(after.escalations[0]).toMatchObject({ status: 'pending' });
      // The new run keeps the escalation's decision deadline: undecided, it escalates by itself.
      await h.travelTo(after.escalations[0]!.dueAt + SECOND);
      await waitForEvent(audit, 'case.escalated');
      expect(await stateOf(handle)).toMatchObject({ tier: 'COMPANY', seq: 16 });
      const seqs = audit.map((e) => e.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(audit.filter((e) => e.type === 'case.opened')).toHaveLength(1);
    });
  });
});

describe('the read model while a decision waits on the outside world (issue 13: an approval looked frozen)', () => {
  it('projects the approved request before the tier move runs, so it has left the approvers\' list when the approval answers', async () => {
    const { calls, projections, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      const handle = await h.start(taskQueue, caseInput());
      await handle.executeUpdate(requestEscalation, { args: [{ actor: 'handler-1', reason: 'Needs the company' }] });
      await eventually(() => calls.includes('notify:escalation_requested'), 'the request\'s email');
      await h.settle();
      const escalationId = (await stateOf(handle)).escalations[0]!.id;
      calls.length = 0;
      const answer = await actOn(handle, approveEscalation, { args: [{ actor: 'supervisor-company', escalationId }] });
      expect(answer).toMatchObject({ tier: 'COMPANY', escalations: [{ id: escalationId, status: 'approved', decidedBy: 'supervisor-company' }] });
      // What had run when the Update answered: the decision's audit row, its projection, then the move.
      const approvedSeq = answer.seq - 1;
      expect(calls.slice(0, 4)).toEqual(['audit:escalation.approved', `project:${approvedSeq}`, 'resolveCaseSla:COMPANY', 'pickCaseAssignee:COMPANY']);
      const projected = projections.find((p) => p.seq === approvedSeq)!;
      expect(projected.state).toMatchObject({ tier: 'PROJECT', escalations: [{ id: escalationId, status: 'approved' }] });
      // The move's own events follow; the read model is brought up to date before their email.
      await eventually(() => calls.includes('notify:escalated'), 'escalated email');
      expect(calls.slice(4)).toEqual(['audit:case.escalated', `project:${answer.seq}`, 'notify:escalated']);
    });
  });

  it('projects a request before its email to the supervisors', async () => {
    const { calls, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      const handle = await h.start(taskQueue, caseInput());
      await eventually(() => calls.includes('notify:assigned'), 'the opening\'s email');
      await h.settle();
      calls.length = 0;
      const state = await actOn(handle, requestEscalation, { args: [{ actor: 'handler-1', reason: 'Needs the company' }] });
      await eventually(() => calls.includes('notify:escalation_requested'), 'request email');
      expect(calls).toEqual(['audit:escalation.requested', `project:${state.seq}`, 'notify:escalation_requested']);
    });
  });
});

describe('notes and edits of the case record', () => {
  it('records a note by id in the audit trail, with no email, and leaves the clocks, tier and status alone', async () => {
    const { audit, notices, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      const handle = await h.start(taskQueue, caseInput());
      await handle.executeUpdate(recordContact, { args: [{ actor: 'handler-1', note: 'Called the owner' }] });
      await h.settle();
      const before = await stateOf(handle);
      const noticesBefore = notices.length;
      const after = await actOn(handle, addCaseNote, { args: [{ actor: 'agent-2', noteId: 'note-1' }] });
      expect(after.seq).toBe(before.seq + 1);
      expect({ ...after, seq: before.seq, slaState: before.slaState }).toEqual(before);
      const noted = await waitForEvent(audit, 'case.note_added');
      expect(noted).toMatchObject({ seq: after.seq, actor: 'agent-2', data: { noteId: 'note-1', tier: 'PROJECT', status: 'contacted' } });
      await h.settle();
      expect(notices.length).toBe(noticesBefore);
      expect(await refusal(handle.executeUpdate(addCaseNote, { args: [{ actor: 'agent-2', noteId: '' }] }))).toBe('INVALID_ACTION');
    });
  });

  it('records an edit by revision id, then applies the revision, and answers once it is applied', async () => {
    const { audit, calls, revisions, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      const input = caseInput();
      const handle = await h.start(taskQueue, input);
      await h.settle();
      calls.length = 0;
      const after = await actOn(handle, editCaseRecord, { args: [{ actor: 'handler-1', revisionId: 'rev-1', fields: ['description', 'contact'] }] });
      // The Update answered after its task: the revision was applied by then, after its audit row.
      expect(revisions).toEqual([{ caseId: input.caseId, revisionId: 'rev-1' }]);
      expect(calls.indexOf('audit:case.record_edited')).toBeLessThan(calls.indexOf('applyCaseRevision:rev-1'));
      expect(eventOf(audit, 'case.record_edited')).toMatchObject({ seq: after.seq, actor: 'handler-1', data: { revisionId: 'rev-1', fields: ['description', 'contact'] } });
      expect(after).toMatchObject({ status: 'open', tier: 'PROJECT' });
    });
  });
});
