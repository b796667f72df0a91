import crypto from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activities, AuditEventInput, NotifyLeadStaffInput, ProjectLeadInput } from '../../activities/index.js';
import { DEFAULT_CADENCES, type CadencePolicy } from '../../domain/leads/cadence.js';
import { leadFollowUp } from '../../workflows/index.js';
import {
  assignLead,
  convertLead,
  getLeadState,
  leadWorkflowId,
  logTouch,
  markLeadLost,
  regradeLead,
  reviewLostLead,
  type LeadFollowUpInput,
  type LeadState,
} from '../../workflows/leads/lead-follow-up.defs.js';
import { CaseHarness, DAY, eventually, HOUR, near, refusal, startCaseHarness, stopCaseHarness } from './complaint-case.support.js';

/**
 * The lead cadence on the time-skipping server: months of follow-up in seconds. Activities are
 * recording fakes: these tests are about the workflow's decisions (the activities have their own).
 */
let env: TestWorkflowEnvironment;
let h: CaseHarness;
const ZONE = 'Asia/Shanghai';

beforeAll(async () => {
  ({ env, h } = await startCaseHarness());
}, 120_000);
afterAll(async () => {
  await stopCaseHarness({ env, h });
});

function fakeLeadActivities(o: { overrides?: Partial<Activities> } = {}) {
  const audit: AuditEventInput[] = [];
  const notices: NotifyLeadStaffInput[] = [];
  const projections: ProjectLeadInput[] = [];
  const activities: Partial<Activities> = {
    async recordAuditEvent(event) {
      audit.push(event);
      return { inserted: true };
    },
    async notifyLeadStaff(input) {
      notices.push(input);
      return { sent: input.recipients.userIds ?? [], skipped: [], refused: [] };
    },
    async projectLead(input) {
      projections.push(input);
      return { applied: true };
    },
    ...o.overrides,
  };
  const types = () => audit.map((e) => e.type);
  const ofType = (type: string) => audit.filter((e) => e.type === type);
  return { audit, notices, projections, activities, types, ofType };
}

function leadInput(o: Partial<LeadFollowUpInput> = {}): LeadFollowUpInput {
  const leadId = crypto.randomUUID();
  return {
    leadId,
    leadNumber: `LD-TEST-${leadId.slice(0, 6)}`,
    groupId: 'group-1',
    companyId: 'company-1',
    projectId: 'project-1',
    timeZone: ZONE,
    source: 'web',
    grade: 'A',
    ownerId: 'sales-1',
    referrerCustomerId: null,
    createdBy: 'sales-1',
    policies: [...DEFAULT_CADENCES],
    ...o,
  };
}

async function startLead(taskQueue: string, input: LeadFollowUpInput) {
  const handle = await h.startWorkflow(leadFollowUp, { taskQueue, workflowId: leadWorkflowId(input.leadId), args: [input] });
  const state = await handle.query(getLeadState);
  return { handle, state };
}

/** Calendar arithmetic in the project's zone, as the workflow does it. */
const plus = (at: number, d: Record<string, number>) => DateTime.fromMillis(at, { zone: ZONE }).plus(d).toMillis();
const touch = { actor: 'sales-1', channel: 'phone', outcome: 'reached' } as const;
/** Waits until the fakes have been told `n` notices (activities run a moment after the update or timer). */
const noticesReach = (f: { notices: unknown[] }, n: number) => eventually(() => f.notices.length >= n, `${n} notice(s)`);

describe('grade A: first contact within 24 h, then daily', () => {
  it('reminds the owner at the deadline, tells the sales managers the first contact was missed, and pools the lead a day later', async () => {
    const f = fakeLeadActivities();
    await h.withWorker(f.activities, async (tq) => {
      const { handle, state } = await startLead(tq, leadInput());
      expect(state).toMatchObject({ status: 'new', grade: 'A', ownerId: 'sales-1', seq: 1, touchCount: 0 });
      expect(state.window!.dueAt).toBe(state.createdAt + 24 * HOUR);
      expect(state.firstContactDueAt).toBe(state.createdAt + 24 * HOUR);
      expect(state.window!.lapsesAt).toBe(plus(state.createdAt + 24 * HOUR, { days: 1 }));
      await noticesReach(f, 1);
      expect(f.notices.map((n) => n.kind)).toEqual(['assigned']);

      await h.travelTo(state.createdAt + 24 * HOUR + 1000);
      await noticesReach(f, 3);
      expect(f.notices.map((n) => [n.kind, n.recipients])).toEqual([
        ['assigned', { userIds: ['sales-1'] }],
        ['first_contact_due', { userIds: ['sales-1'] }],
        ['first_contact_missed', { salesManagers: true }],
      ]);
      expect(near(Date.parse(f.ofType('lead.touch_due')[0]!.at), state.createdAt + 24 * HOUR)).toBe(true);

      await h.travelTo(state.window!.lapsesAt + 1000);
      await eventually(() => f.ofType('lead.pooled').length === 1, 'pooling');
      await noticesReach(f, 4);
      const pooled = await handle.query(getLeadState);
      expect(pooled).toMatchObject({ status: 'pooled', ownerId: null, window: null });
      expect(f.ofType('lead.pooled')[0]!.data).toMatchObject({ previousOwnerId: 'sales-1' });
      expect(f.notices.at(-1)).toMatchObject({ kind: 'pooled', recipients: { salesManagers: true } });

      // While it waits in the pool the managers are reminded once per interval (daily for A).
      await h.travelTo(pooled.pooledAt! + 2 * DAY + 1000);
      await eventually(() => f.ofType('lead.pool_reminder').length === 2, 'two pool reminders');
      expect(await refusal(handle.executeUpdate(logTouch, { args: [touch] }))).toBe('LEAD_POOLED');
    });
  });

  it('asks for a touch every day for a simulated month when each one is logged in time, and never reminds', async () => {
    const f = fakeLeadActivities();
    await h.withWorker(f.activities, async (tq) => {
      const { handle, state } = await startLead(tq, leadInput());
      let t = state.createdAt + 2 * HOUR;
      for (let day = 0; day < 30; day++) {
        await h.travelTo(t);
        const s = await handle.executeUpdate(logTouch, { args: [{ ...touch, note: `day ${day}` }] });
        expect(s.window!.dueAt).toBe(plus(s.lastTouchAt!, { days: 1 }));
        t = s.window!.dueAt - HOUR; // the next touch an hour before it is due
      }
      await eventually(() => f.projections.at(-1)?.state.touchCount === 30, 'the 30th touch projected');
      const s = await handle.query(getLeadState);
      expect(s).toMatchObject({ status: 'contacting', touchCount: 30, firstContactMissedAt: null });
      expect(f.ofType('lead.touch_due')).toHaveLength(0);
      expect(f.ofType('lead.touched')[0]!.data).toMatchObject({ firstContact: true, withinTarget: true });
      expect(f.ofType('lead.touched')[1]!.data).toMatchObject({ firstContact: false, withinTarget: null });
      expect(f.notices.map((n) => n.kind)).toEqual(['assigned']);
    });
  });
});

describe('grade B: first contact within 3 days, weekly for a month, then C', () => {
  it('runs weekly, drops to C a month after it became B, and then asks for a touch monthly', async () => {
    const f = fakeLeadActivities();
    await h.withWorker(f.activities, async (tq) => {
      const { handle, state } = await startLead(tq, leadInput({ grade: 'B', ownerId: 'sales-2' }));
      expect(state.window!.dueAt).toBe(plus(state.createdAt, { days: 3 }));
      await h.travelTo(state.createdAt + 2 * DAY);
      let s = await handle.executeUpdate(logTouch, { args: [{ ...touch, actor: 'sales-2' }] });
      expect(s.window!.dueAt).toBe(plus(s.lastTouchAt!, { days: 7 }));
      // Weekly touches, each a day early, until the month is over.
      const monthEnd = plus(state.createdAt, { months: 1 });
      while (s.window!.dueAt - DAY < monthEnd) {
        await h.travelTo(s.window!.dueAt - DAY);
        s = await handle.executeUpdate(logTouch, { args: [{ ...touch, actor: 'sales-2' }] });
      }
      expect(f.ofType('lead.touch_due')).toHaveLength(0);
      await h.travelTo(monthEnd + 1000);
      await eventually(() => f.ofType('lead.regraded').length === 1, 'the drop to C');
      const dropped = await handle.query(getLeadState);
      expect(f.ofType('lead.regraded')[0]).toMatchObject({ actor: 'system', data: { from: 'B', to: 'C', reason: 'cadence_ended' } });
      expect(dropped).toMatchObject({ grade: 'C', ownerId: 'sales-2', status: 'contacting' });
      expect(near(dropped.gradeSince, monthEnd)).toBe(true);
      expect(dropped.window!.dueAt).toBe(plus(dropped.gradeSince, { months: 1 }));
      expect(dropped.touchCount).toBe(s.touchCount);
    });
  });
});

describe('grade C: a touch every month', () => {
  it('reminds the owner each month a touch falls due, and a touch answers each reminder, over half a year', async () => {
    const f = fakeLeadActivities();
    await h.withWorker(f.activities, async (tq) => {
      const { handle, state } = await startLead(tq, leadInput({ grade: 'C', ownerId: 'specialist-1' }));
      expect(state.window!.dueAt).toBe(plus(state.createdAt, { months: 1 }));
      let s: LeadState = state;
      for (let month = 1; month <= 6; month++) {
        await h.travelTo(s.window!.dueAt + HOUR);
        await eventually(() => f.ofType('lead.touch_due').length === month, `reminder ${month}`);
        // The owner calls two hours after the reminder: the next touch is due a month after that call.
        await h.travelTo(s.window!.dueAt + 2 * HOUR);
        s = await handle.executeUpdate(logTouch, { args: [{ ...touch, actor: 'specialist-1', channel: 'wechat', outcome: 'no_answer' }] });
        expect(s.window!.dueAt).toBe(plus(s.lastTouchAt!, { months: 1 }));
      }
      expect(f.notices.filter((n) => n.kind === 'touch_due' || n.kind === 'first_contact_due').map((n) => n.recipients)).toEqual(Array(6).fill({ userIds: ['specialist-1'] }));
      // Reminded late once (the first is also a missed first contact), never pooled.
      expect(f.ofType('lead.first_contact_missed')).toHaveLength(1);
      expect(f.ofType('lead.pooled')).toHaveLength(0);
      expect(s).toMatchObject({ status: 'contacting', touchCount: 6, grade: 'C' });
    });
  });
});

describe('re-grading', () => {
  it('switches to the new cadence at once, keeping the touches and the first-contact record', async () => {
    const f = fakeLeadActivities();
    await h.withWorker(f.activities, async (tq) => {
      const { handle, state } = await startLead(tq, leadInput({ grade: 'B' }));
      await h.travelTo(state.createdAt + HOUR);
      await handle.executeUpdate(logTouch, { args: [touch] });
      await h.travelTo(state.createdAt + 3 * DAY);
      const s = await handle.executeUpdate(regradeLead, { args: [{ actor: 'salesmgr-1', grade: 'A' }] });
      expect(s).toMatchObject({ grade: 'A', touchCount: 1, status: 'contacting' });
      expect(near(s.firstTouchAt, state.createdAt + HOUR)).toBe(true);
      expect(near(s.gradeSince, state.createdAt + 3 * DAY)).toBe(true);
      expect(s.window!.dueAt).toBe(plus(s.gradeSince, { days: 1 }));
      await eventually(() => f.ofType('lead.regraded').length === 1, 'the regrade event');
      expect(f.ofType('lead.regraded')[0]).toMatchObject({ actor: 'salesmgr-1', data: { from: 'B', to: 'A', reason: 'manual' } });
      // A has no end: the B → C drop is gone with the B grade.
      await h.travelTo(s.window!.dueAt - HOUR);
      const t = await handle.executeUpdate(logTouch, { args: [touch] });
      await h.travelTo(plus(state.createdAt, { months: 1, days: 1 }) - 2 * HOUR);
      expect((await handle.query(getLeadState)).grade).toBe('A');
      expect(f.ofType('lead.regraded')).toHaveLength(1);
      expect(t.window!.dueAt).toBe(plus(t.lastTouchAt!, { days: 1 }));
      expect(await refusal(handle.executeUpdate(regradeLead, { args: [{ actor: 'salesmgr-1', grade: 'A' }] }))).toBe('LEAD_SAME_GRADE');
    });
  });

  it('takes newer cadences brought by the update', async () => {
    const f = fakeLeadActivities();
    await h.withWorker(f.activities, async (tq) => {
      const { handle } = await startLead(tq, leadInput({ grade: 'C' }));
      const faster: CadencePolicy[] = DEFAULT_CADENCES.map((p) => (p.grade === 'B' ? { ...p, firstContact: 'PT12H', interval: 'P2D' } : p));
      const s = await handle.executeUpdate(regradeLead, { args: [{ actor: 'salesmgr-1', grade: 'B', policies: faster }] });
      expect(s.window!.dueAt).toBe(s.gradeSince + 12 * HOUR);
    });
  });
});

describe('the pool', () => {
  it('takes a lead without an owner at once, and a sales manager’s assignment puts it back into its cadence', async () => {
    const f = fakeLeadActivities();
    await h.withWorker(f.activities, async (tq) => {
      const { handle, state } = await startLead(tq, leadInput({ ownerId: null }));
      expect(state).toMatchObject({ status: 'pooled', ownerId: null, window: null });
      await noticesReach(f, 1);
      expect(f.notices.map((n) => [n.kind, n.recipients])).toEqual([['pooled', { salesManagers: true }]]);
      await h.travelTo(state.createdAt + 3 * HOUR);
      const s = await handle.executeUpdate(assignLead, { args: [{ actor: 'salesmgr-1', ownerId: 'sales-7' }] });
      expect(s).toMatchObject({ status: 'new', ownerId: 'sales-7', pooledAt: null, poolReminderAt: null });
      expect(s.window).toMatchObject({ firstContact: true, dueAt: s.window!.openedAt + 24 * HOUR });
      expect(near(s.window!.openedAt, state.createdAt + 3 * HOUR)).toBe(true);
      await eventually(() => f.ofType('lead.assigned').length === 1, 'the assignment event');
      expect(f.ofType('lead.assigned')[0]).toMatchObject({ actor: 'salesmgr-1', data: { ownerId: 'sales-7', previousOwnerId: null, fromPool: true } });
      await noticesReach(f, 2);
      expect(f.notices.at(-1)).toMatchObject({ kind: 'assigned', recipients: { userIds: ['sales-7'] } });
      expect(await refusal(handle.executeUpdate(assignLead, { args: [{ actor: 'salesmgr-1', ownerId: 'sales-7' }] }))).toBe('LEAD_SAME_OWNER');
    });
  });
});

describe('conversion', () => {
  it('ends the cadence and the workflow, recording the sale’s unit, price and deposit', async () => {
    const f = fakeLeadActivities();
    await h.withWorker(f.activities, async (tq) => {
      const { handle, state } = await startLead(tq, leadInput());
      await h.travelTo(state.createdAt + HOUR);
      await handle.executeUpdate(logTouch, { args: [touch] });
      const s = await handle.executeUpdate(convertLead, { args: [{ actor: 'sales-1', unitId: 'unit-9', price: '2350000.00', deposit: '50000' }] });
      expect(s).toMatchObject({ status: 'converted', window: null, conversion: { unitId: 'unit-9', price: '2350000.00', deposit: '50000', convertedBy: 'sales-1' } });
      const result = await handle.result();
      expect(result.status).toBe('converted');
      expect(f.types()).toEqual(['lead.created', 'lead.touched', 'lead.converted']);
      expect(f.projections.at(-1)!.state.status).toBe('converted');
      await h.travelTo(state.createdAt + 10 * DAY);
      expect(f.ofType('lead.touch_due')).toHaveLength(0);
    });
  });
});

describe('a lost lead', () => {
  const lose = async (tq: string) => {
    const started = await startLead(tq, leadInput());
    const s = await started.handle.executeUpdate(markLeadLost, { args: [{ actor: 'sales-1', reason: 'price', note: '预算不足' }] });
    expect(s).toMatchObject({ status: 'lost_pending_review', window: null, loss: { reason: 'price', note: '预算不足', lostBy: 'sales-1', decision: null } });
    return started;
  };

  it('waits for the sales manager without any reminder, and refuses touches meanwhile', async () => {
    const f = fakeLeadActivities();
    await h.withWorker(f.activities, async (tq) => {
      const { handle, state } = await lose(tq);
      await noticesReach(f, 2);
      expect(f.notices.at(-1)).toMatchObject({ kind: 'loss_review', recipients: { salesManagers: true } });
      await h.travelTo(state.createdAt + 5 * DAY);
      expect(f.ofType('lead.touch_due')).toHaveLength(0);
      expect(await refusal(handle.executeUpdate(logTouch, { args: [touch] }))).toBe('LEAD_PENDING_REVIEW');
      expect(await refusal(handle.executeUpdate(convertLead, { args: [{ actor: 'sales-1', unitId: 'u', price: '1', deposit: '1' }] }))).toBe('LEAD_PENDING_REVIEW');
    });
  });

  it('is taken over by the reviewing manager (VIP), back in its cadence', async () => {
    const f = fakeLeadActivities();
    await h.withWorker(f.activities, async (tq) => {
      const { handle } = await lose(tq);
      const s = await handle.executeUpdate(reviewLostLead, { args: [{ actor: 'salesmgr-1', decision: 'take_over' }] });
      expect(s).toMatchObject({ status: 'new', ownerId: 'salesmgr-1', loss: { decision: 'take_over', decidedBy: 'salesmgr-1' } });
      expect(s.window!.dueAt).toBe(s.loss!.decidedAt! + 24 * HOUR);
      await eventually(() => f.ofType('lead.reviewed').length === 1, 'the review event');
      expect(f.ofType('lead.reviewed')[0]!.data).toMatchObject({ decision: 'take_over', ownerId: 'salesmgr-1', previousOwnerId: 'sales-1' });
      expect(await refusal(handle.executeUpdate(reviewLostLead, { args: [{ actor: 'salesmgr-1', decision: 'close' }] }))).toBe('LEAD_NOT_LOST');
    });
  });

  it('is reassigned to another salesperson, who is told', async () => {
    const f = fakeLeadActivities();
    await h.withWorker(f.activities, async (tq) => {
      const { handle } = await lose(tq);
      const s = await handle.executeUpdate(reviewLostLead, { args: [{ actor: 'salesmgr-1', decision: 'reassign', ownerId: 'sales-3' }] });
      expect(s).toMatchObject({ status: 'new', ownerId: 'sales-3' });
      await noticesReach(f, 3);
      expect(f.notices.at(-1)).toMatchObject({ kind: 'assigned', recipients: { userIds: ['sales-3'] } });
    });
  });

  it('is confirmed closed, which ends the workflow', async () => {
    const f = fakeLeadActivities();
    await h.withWorker(f.activities, async (tq) => {
      const { handle } = await lose(tq);
      const s = await handle.executeUpdate(reviewLostLead, { args: [{ actor: 'salesmgr-1', decision: 'close' }] });
      expect(s.status).toBe('closed');
      expect((await handle.result()).status).toBe('closed');
      expect(f.types()).toEqual(['lead.created', 'lead.lost', 'lead.reviewed', 'lead.closed']);
    });
  });
});

describe('continue-as-new', () => {
  it('carries the whole state into the next run: sequence, touches, grade, first-contact record and timers', async () => {
    const f = fakeLeadActivities();
    await h.withWorker(f.activities, async (tq) => {
      const { handle, state } = await startLead(tq, leadInput({ historyLimit: 60 }));
      let s = state;
      for (let i = 0; i < 15; i++) {
        await h.travelTo(s.createdAt + (i + 1) * HOUR);
        s = await handle.executeUpdate(logTouch, { args: [{ ...touch, note: `touch ${i}` }] });
      }
      const after = await eventually(async () => {
        const q = await handle.query(getLeadState);
        return q.runs > 1 ? q : undefined;
      }, 'a second run');
      const description = await handle.describe();
      expect(description.runId).not.toBe(handle.firstExecutionRunId);
      expect(after).toMatchObject({ leadId: state.leadId, touchCount: 15, grade: 'A', status: 'contacting', firstTouchAt: s.firstTouchAt, firstContactDueAt: state.firstContactDueAt });
      expect(after.seq).toBe(16);
      // The cadence goes on in the new run: the last touch's window still ends in a reminder.
      await h.travelTo(after.window!.dueAt + 1000);
      await eventually(() => f.ofType('lead.touch_due').length === 1, 'the reminder after continue-as-new');
      const seqs = f.audit.map((e) => e.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(f.ofType('lead.created')).toHaveLength(1);
    });
  });
});
