import crypto from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activities, AuditEventInput, NotifyWorkOrderStaffInput, ProjectWorkOrderInput } from '../../activities/index.js';
import { arrivalTargetOf, workOrderWarrantyOf } from '../../domain/repairs/work-order-process.js';
import { DEFAULT_ARRIVAL_POLICY, type WorkOrderAssignee } from '../../domain/repairs/work-order-state.js';
import { NORTHERN_CITY_SEASONS } from '../../domain/warranty/periods.js';
import { workOrder } from '../../workflows/index.js';
import {
  answerQuote,
  assign,
  bookAppointment,
  cancelWorkOrder,
  checkIn,
  getWorkOrderState,
  issueQuote,
  reassign,
  recordNoShow,
  recordResult,
  signOff,
  workOrderWorkflowId,
  type WorkOrderInput,
  type WorkOrderState,
} from '../../workflows/repairs/work-order.defs.js';
import { actOn, CaseHarness, caseInput, DAY, eventOf, eventually, fakeCaseActivities, HOUR, MINUTE, officeCalendar, refusal, startCaseHarness, stateOf as caseStateOf, stopCaseHarness } from './complaint-case.support.js';
import { createCaseLinkActivities } from '../../activities/repairs/case-link.js';
import { createLogger } from '../../platform/logger.js';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import { recordContact, recordWorkOrderOpened, resolveCase } from '../../workflows/cases/complaint-case.defs.js';

/**
 * The work order on the time-skipping server: arrival targets of working hours and days in
 * seconds. Activities are recording fakes: these tests are about the workflow's decisions (the
 * reducer's rules have their unit tests, test/unit/repairs).
 */
let env: TestWorkflowEnvironment;
let h: CaseHarness;

beforeAll(async () => {
  ({ env, h } = await startCaseHarness());
}, 120_000);
afterAll(async () => {
  await stopCaseHarness({ env, h });
});

const CALENDAR = officeCalendar();
const tech = (userId: string): WorkOrderAssignee => ({ kind: 'technician', userId });
const contractor = (companyId: string): WorkOrderAssignee => ({ kind: 'contractor', companyId });

function fakeWorkOrderActivities(o: { assignee?: WorkOrderAssignee | null; responsible?: string | null; overrides?: Partial<Activities> } = {}) {
  const audit: AuditEventInput[] = [];
  const notices: NotifyWorkOrderStaffInput[] = [];
  const projections: ProjectWorkOrderInput[] = [];
  const lookups: string[] = [];
  const caseReports: string[] = [];
  const activities: Partial<Activities> = {
    async informCaseOfWorkOrder(input) {
      caseReports.push(input.event === 'ended' ? `ended:${input.outcome}` : 'opened');
      return { recorded: true };
    },
    async recordAuditEvent(event) {
      audit.push(event);
      return { inserted: true };
    },
    async notifyWorkOrderStaff(input) {
      notices.push(input);
      return { sent: input.recipients.userIds ?? [], skipped: [], refused: [] };
    },
    async projectWorkOrder(input) {
      projections.push(input);
      return { applied: true };
    },
    async pickWorkOrderAssignee(input) {
      lookups.push(`assignee:${input.category}`);
      return o.assignee === undefined ? tech('t1') : o.assignee;
    },
    async findResponsibleContractor(input) {
      lookups.push(`responsible:${input.buildingId}:${input.trade}`);
      return o.responsible ?? null;
    },
    ...o.overrides,
  };
  const types = () => audit.map((e) => e.type);
  const ofType = (type: string) => audit.filter((e) => e.type === type);
  const kinds = () => notices.map((n) => n.kind);
  return { audit, notices, projections, lookups, caseReports, activities, types, ofType, kinds };
}

/** The verdict of the statutory table for a defect of `component` reported `yearsSinceHandover` after handover (a year after completion). */
const warrantyOf = (component: 'wet_room_waterproofing' | 'plumbing_pipes', yearsSinceHandover: number, reportedAt: number) =>
  workOrderWarrantyOf({
    component,
    completionAcceptedAt: reportedAt - (yearsSinceHandover + 1) * 365 * DAY,
    handedOverAt: reportedAt - yearsSinceHandover * 365 * DAY,
    reportedAt,
    designLifeYears: 50,
    overrides: [],
    place: { projectId: 'project-1', city: '北京' },
    seasons: NORTHERN_CITY_SEASONS,
  });
/** A wet-room leak two years after handover: 保内 for the owner and under the contractor's construction warranty. */
const inWarranty = (reportedAt: number) => warrantyOf('wet_room_waterproofing', 2, reportedAt);
/** Plumbing nine years after handover: 保外. */
const outOfWarranty = (reportedAt: number) => warrantyOf('plumbing_pipes', 9, reportedAt);

async function orderInput(o: Partial<WorkOrderInput> & { outOfWarranty?: boolean } = {}): Promise<WorkOrderInput> {
  const { outOfWarranty: paid, ...rest } = o;
  const now = await env.currentTimeMs();
  const workOrderId = crypto.randomUUID();
  return {
    workOrderId,
    workOrderNumber: `WO-TEST-${workOrderId.slice(0, 6)}`,
    groupId: 'group-1',
    companyId: 'company-1',
    projectId: 'project-1',
    caseId: `case-${workOrderId.slice(0, 6)}`,
    category: 'repair.plumbing.leak',
    trade: 'waterproofing',
    buildingId: 'building-1',
    unitId: 'unit-1',
    warranty: paid ? outOfWarranty(now) : inWarranty(now),
    resolutionDueAt: now + 7 * DAY,
    calendar: CALENDAR,
    createdBy: 'agent-1',
    createdAt: now,
    ...rest,
  };
}

async function startOrder(taskQueue: string, input: WorkOrderInput) {
  const handle = await h.startWorkflow(workOrder, { taskQueue, workflowId: workOrderWorkflowId(input.workOrderId), args: [input] });
  return handle;
}
type Handle = Awaited<ReturnType<typeof startOrder>>;
const stateOf = (handle: Handle): Promise<WorkOrderState> => handle.query(getWorkOrderState);
const untilState = (handle: Handle, check: (s: WorkOrderState) => boolean, what: string) => eventually(async () => (check(await stateOf(handle)) ? stateOf(handle) : undefined), what);

/** A two-hour slot starting an hour from now (the resolution target is a week away). */
async function slotSoon() {
  const now = await env.currentTimeMs();
  return { start: now + HOUR, end: now + 3 * HOUR };
}

describe('dispatch → appointment → arrival warning → check-in → sign-off', () => {
  it('assigns the default technician, books a slot, warns before the arrival target, and is done once the owner signs off', async () => {
    const f = fakeWorkOrderActivities();
    await h.withWorker(f.activities, async (tq) => {
      const input = await orderInput();
      const handle = await startOrder(tq, input);
      const assigned = await untilState(handle, (s) => s.status === 'assigned', 'the default assignee');
      expect(assigned).toMatchObject({ assignee: tech('t1'), urgent: true, warranty: { covered: true, label: '保内' } });
      expect(f.lookups).toEqual(['responsible:building-1:waterproofing', 'assignee:repair.plumbing.leak']);
      const visit = assigned.visits[0]!;
      expect(visit.arrivalDueAt).toBe(arrivalTargetOf({ calendar: CALENDAR, policy: DEFAULT_ARRIVAL_POLICY, urgent: true, from: input.createdAt! }));

      // A slot ending before the arrival target leaves the target as it is.
      const slot = { start: visit.arrivalDueAt - 3 * HOUR, end: visit.arrivalDueAt - HOUR };
      const booked = await handle.executeUpdate(bookAppointment, { args: [{ actor: 'dispatcher-1', ...slot }] });
      expect(booked).toMatchObject({ status: 'scheduled', visits: [{ appointment: slot, arrivalDueAt: visit.arrivalDueAt }] });

      await h.travelTo(visit.warnAt + 1000);
      await eventually(() => f.ofType('work_order.arrival_warning').length === 1, 'the arrival warning');
      await eventually(() => f.kinds().includes('arrival_warning'), 'the warning notice');
      expect(f.notices.find((n) => n.kind === 'arrival_warning')).toMatchObject({ recipients: { userIds: ['t1'] }, dueAt: visit.arrivalDueAt, workOrderNumber: input.workOrderNumber });

      const onSite = await handle.executeUpdate(checkIn, { args: [{ actor: 't1', locationId: 'loc-1' }] });
      expect(onSite.visits[0]).toMatchObject({ onTime: true, locationId: 'loc-1' });
      await handle.executeUpdate(recordResult, { args: [{ actor: 't1', resultId: 'res-1', photoIds: ['sha256-before', 'sha256-after'], costFen: 8_000 }] });
      await handle.executeUpdate(signOff, { args: [{ actor: 'owner-1', accepted: true, signOffId: 'sig-1' }] });

      const done = await handle.result();
      expect(done).toMatchObject({ status: 'done', outcome: 'done', reworks: 0, chargeBack: null });
      expect(f.types()).toEqual([
        'work_order.created',
        'work_order.assigned',
        'work_order.appointment_booked',
        'work_order.arrival_warning',
        'work_order.checked_in',
        'work_order.result_recorded',
        'work_order.signed_off',
        'work_order.done',
      ]);
      expect(f.audit.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(f.audit.every((e) => e.streamId === workOrderWorkflowId(input.workOrderId))).toBe(true);
      expect(f.projections.at(-1)).toMatchObject({ seq: 8, state: { status: 'done' } });
      // The check-in and the result are recorded by the ids of their read-model rows, nothing else.
      expect(Object.keys(f.ofType('work_order.checked_in')[0]!.data).sort()).toEqual(['arrivalDueAt', 'geolocated', 'locationId', 'onTime', 'visit']);
      expect(f.ofType('work_order.result_recorded')[0]!.data).toEqual({ visit: 1, resultId: 'res-1', photoIds: ['sha256-before', 'sha256-after'], costFen: 8_000 });
    });
  });
});

describe('rework after a rejected sign-off', () => {
  it('opens a second visit that needs its own appointment, and counts the rework when it is finally signed off', async () => {
    const f = fakeWorkOrderActivities();
    await h.withWorker(f.activities, async (tq) => {
      const handle = await startOrder(tq, await orderInput({ category: 'repair.walls_floors' }));
      await untilState(handle, (s) => s.status === 'assigned', 'assignment');
      for (const accepted of [false, true]) {
        await handle.executeUpdate(bookAppointment, { args: [{ actor: 'dispatcher-1', ...(await slotSoon()) }] });
        await handle.executeUpdate(checkIn, { args: [{ actor: 't1' }] });
        await handle.executeUpdate(recordResult, { args: [{ actor: 't1', resultId: `res-${String(accepted)}`, photoIds: [] }] });
        const after = await handle.executeUpdate(signOff, { args: [{ actor: 'owner-1', accepted, signOffId: `sig-${String(accepted)}` }] });
        if (!accepted) {
          expect(after).toMatchObject({ status: 'assigned', reworks: 1 });
          expect(after.visits.map((v) => [v.reason, v.outcome])).toEqual([
            ['first', 'rejected'],
            ['rework', null],
          ]);
        }
      }
      const done = await handle.result();
      expect(done).toMatchObject({ status: 'done', reworks: 1 });
      expect(done.visits.map((v) => v.outcome)).toEqual(['rejected', 'signed_off']);
      await eventually(() => f.kinds().includes('rework'), 'the rework notice');
      expect(f.notices.find((n) => n.kind === 'rework')!.recipients).toEqual({ userIds: ['t1'], dispatchers: true });
    });
  });
});

describe('reassignment', () => {
  it('tells the dispatchers nobody was found, takes their assignment, and records a reassignment to a contractor', async () => {
    const f = fakeWorkOrderActivities({ assignee: null });
    await h.withWorker(f.activities, async (tq) => {
      const handle = await startOrder(tq, await orderInput());
      await eventually(() => f.kinds().includes('unassigned'), 'the dispatchers told');
      expect(f.notices.find((n) => n.kind === 'unassigned')!.recipients).toEqual({ dispatchers: true });
      expect(await stateOf(handle)).toMatchObject({ status: 'awaiting_assignment', assignee: null });

      await handle.executeUpdate(assign, { args: [{ actor: 'dispatcher-1', assignee: tech('t2') }] });
      expect(await refusal(handle.executeUpdate(reassign, { args: [{ actor: 'dispatcher-1', assignee: tech('t2'), reason: 'again' }] }))).toBe('WORK_ORDER_SAME_ASSIGNEE');
      const moved = await handle.executeUpdate(reassign, { args: [{ actor: 'dispatcher-1', assignee: contractor('co-1'), reason: 'specialist needed' }] });
      expect(moved).toMatchObject({ assignee: contractor('co-1'), reassignments: 1 });

      await eventually(() => f.kinds().includes('unassigned_away'), 'the previous assignee told');
      expect(f.ofType('work_order.reassigned')[0]!.data).toMatchObject({ previousAssigneeId: 't2', assigneeId: 'co-1', reason: 'specialist needed' });
      expect(f.notices.filter((n) => n.kind === 'assigned').map((n) => n.recipients)).toEqual([{ userIds: ['t2'] }, { contractorCompanyId: 'co-1' }]);
      expect(f.notices.find((n) => n.kind === 'unassigned_away')!.recipients).toEqual({ userIds: ['t2'] });

      await handle.executeUpdate(cancelWorkOrder, { args: [{ actor: 'dispatcher-1', reason: 'test over' }] });
      expect(await handle.result()).toMatchObject({ status: 'cancelled', outcome: 'cancelled' });
    });
  });
});

describe('no-show', () => {
  it('records the missed arrival target and the no-show, and takes a new appointment for the next visit', async () => {
    const f = fakeWorkOrderActivities();
    await h.withWorker(f.activities, async (tq) => {
      const handle = await startOrder(tq, await orderInput());
      const assigned = await untilState(handle, (s) => s.status === 'assigned', 'assignment');
      const due = assigned.visits[0]!.arrivalDueAt;
      await handle.executeUpdate(bookAppointment, { args: [{ actor: 'dispatcher-1', start: due - 2 * HOUR, end: due - HOUR }] });

      await h.travelTo(due + MINUTE);
      await eventually(() => f.ofType('work_order.arrival_breached').length === 1, 'the breach');
      await eventually(() => f.kinds().includes('arrival_breached'), 'the breach notice');
      expect(f.notices.find((n) => n.kind === 'arrival_breached')!.recipients).toEqual({ userIds: ['t1'], dispatchers: true });

      const after = await handle.executeUpdate(recordNoShow, { args: [{ actor: 'dispatcher-1', party: 'technician' }] });
      expect(after).toMatchObject({ status: 'assigned', noShows: 1, arrivalBreaches: 1 });
      expect(after.visits.map((v) => [v.reason, v.outcome])).toEqual([
        ['first', 'no_show_technician'],
        ['no_show', null],
      ]);
      const rebooked = await handle.executeUpdate(bookAppointment, { args: [{ actor: 'dispatcher-1', ...(await slotSoon()) }] });
      expect(rebooked.status).toBe('scheduled');
      expect(await refusal(handle.executeUpdate(recordNoShow, { args: [{ actor: 'dispatcher-1', party: 'martian' as 'owner' }] }))).toBe('INVALID_ACTION');

      await handle.executeUpdate(cancelWorkOrder, { args: [{ actor: 'dispatcher-1', reason: 'test over' }] });
      await handle.result();
    });
  });

  it('refuses a slot that ends after the case resolution target', async () => {
    const f = fakeWorkOrderActivities();
    await h.withWorker(f.activities, async (tq) => {
      const input = await orderInput();
      const handle = await startOrder(tq, input);
      await untilState(handle, (s) => s.status === 'assigned', 'assignment');
      const late = { actor: 'dispatcher-1', start: input.resolutionDueAt! - HOUR, end: input.resolutionDueAt! + HOUR };
      expect(await refusal(handle.executeUpdate(bookAppointment, { args: [late] }))).toBe('WORK_ORDER_SLOT_OUTSIDE_TARGET');
      await handle.executeUpdate(cancelWorkOrder, { args: [{ actor: 'dispatcher-1', reason: 'test over' }] });
      await handle.result();
    });
  });
});

describe('contractor charge-back', () => {
  it('charges the repair to the contractor responsible for the building and trade when the construction warranty covers it', async () => {
    const f = fakeWorkOrderActivities({ responsible: 'co-builder' });
    await h.withWorker(f.activities, async (tq) => {
      const handle = await startOrder(tq, await orderInput());
      await untilState(handle, (s) => s.status === 'assigned' && s.responsibleContractorId === 'co-builder', 'assignment and responsibility');
      await handle.executeUpdate(bookAppointment, { args: [{ actor: 'dispatcher-1', ...(await slotSoon()) }] });
      await handle.executeUpdate(checkIn, { args: [{ actor: 't1' }] });
      await handle.executeUpdate(recordResult, { args: [{ actor: 't1', resultId: 'res-1', photoIds: ['sha256-x'], costFen: 15_000 }] });
      await handle.executeUpdate(signOff, { args: [{ actor: 'owner-1', accepted: true }] });
      const done = await handle.result();
      expect(done.chargeBack).toMatchObject({ contractorCompanyId: 'co-builder', amountFen: 15_000 });
      expect(f.ofType('work_order.charged_back')[0]!.data).toMatchObject({ contractorCompanyId: 'co-builder', amountFen: 15_000, trade: 'waterproofing', buildingId: 'building-1' });
      await eventually(() => f.kinds().includes('charge_back'), 'the charge-back notice');
      expect(f.notices.find((n) => n.kind === 'charge_back')!.recipients).toEqual({ contractorCompanyId: 'co-builder', dispatchers: true });
    });
  });
});

describe('out of warranty: the quote', () => {
  const quote = { actor: 'dispatcher-1', items: [{ description: '更换水管 / replace pipe', amountFen: 30_000 }, { description: '人工 / labour', amountFen: 10_000 }], totalFen: 40_000 };

  it('dispatches nobody until the owner accepts the quote, then looks up the default assignee', async () => {
    const f = fakeWorkOrderActivities();
    await h.withWorker(f.activities, async (tq) => {
      const handle = await startOrder(tq, await orderInput({ outOfWarranty: true }));
      expect(await stateOf(handle)).toMatchObject({ status: 'awaiting_quote', warranty: { covered: false, label: '保外' } });
      expect(await refusal(handle.executeUpdate(assign, { args: [{ actor: 'dispatcher-1', assignee: tech('t1') }] }))).toBe('WORK_ORDER_WRONG_STAGE');
      expect(await refusal(handle.executeUpdate(issueQuote, { args: [{ ...quote, totalFen: 1 }] }))).toBe('WORK_ORDER_QUOTE_INVALID');
      await handle.executeUpdate(issueQuote, { args: [quote] });
      // The Update answers once the default lookup it asked for has run.
      const accepted = await handle.executeUpdate(answerQuote, { args: [{ actor: 'owner-1', accepted: true }] });
      expect(accepted).toMatchObject({ status: 'assigned', assignee: tech('t1'), quote: { status: 'accepted', totalFen: 40_000 } });
      expect(f.lookups).toEqual(['assignee:repair.plumbing.leak']);
      await handle.executeUpdate(cancelWorkOrder, { args: [{ actor: 'dispatcher-1', reason: 'test over' }] });
      await handle.result();
    });
  });

  it('cancels the order with outcome quote_refused when the owner refuses, for the case to close with', async () => {
    const f = fakeWorkOrderActivities();
    await h.withWorker(f.activities, async (tq) => {
      const handle = await startOrder(tq, await orderInput({ outOfWarranty: true }));
      await handle.executeUpdate(issueQuote, { args: [quote] });
      await handle.executeUpdate(answerQuote, { args: [{ actor: 'owner-1', accepted: false }] });
      const ended = await handle.result();
      expect(ended).toMatchObject({ status: 'cancelled', outcome: 'quote_refused', assignee: null });
      expect(f.ofType('work_order.quote_refused')[0]!.data).toMatchObject({ closeCaseWith: 'quote_refused', totalFen: 40_000 });
      expect(f.kinds()).toEqual(['quote_refused']);
      expect(f.lookups).toEqual([]);
    });
  });
});

describe('long histories', () => {
  it('continues as new with the whole state when the history passes its limit, and goes on from there', async () => {
    const f = fakeWorkOrderActivities();
    await h.withWorker(f.activities, async (tq) => {
      const input = await orderInput({ category: 'repair.walls_floors', historyLimit: 60 });
      const started = await startOrder(tq, input);
      // The handle start() returns is pinned to the first run: this test reads and acts on the
      // latest run (the first may continue as new before the assignment already, when its opening
      // activities complete in separate workflow tasks on a loaded machine).
      const handle = h.env.client.workflow.getHandle(started.workflowId) as Handle;
      await untilState(handle, (s) => s.status === 'assigned', 'assignment');
      // Rebooking is the cheapest way to a long history: each is an Update, an audit row and a notice.
      let s = await stateOf(handle);
      for (let i = 0; i < 20 && (i === 0 || s.runs === 1); i++) {
        // Each booking once the order is idle, as a dispatcher's would be: an Update that reaches the
        // time-skipping test server in the very task that continues as new is never handed to the
        // next run (its executeUpdate waits for good; it hung here beside a CPU hog).
        await h.settle();
        await handle.executeUpdate(bookAppointment, { args: [{ actor: 'dispatcher-1', ...(await slotSoon()) }] });
        s = await stateOf(handle);
      }
      const continued = await untilState(handle, (x) => x.runs > 1, 'the next run');
      expect(continued).toMatchObject({ status: 'scheduled', assignee: tech('t1'), visits: [{ number: 1 }] });
      const latest = h.env.client.workflow.getHandle(handle.workflowId) as Handle;
      await latest.executeUpdate(checkIn, { args: [{ actor: 't1' }] });
      await latest.executeUpdate(recordResult, { args: [{ actor: 't1', resultId: 'res-1', photoIds: [] }] });
      await latest.executeUpdate(signOff, { args: [{ actor: 'owner-1', accepted: true }] });
      expect(await latest.result()).toMatchObject({ status: 'done', runs: continued.runs });
      // Audit sequence numbers carry on across runs: no seq is used twice.
      const seqs = f.audit.map((e) => e.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
    });
  });
});

describe("the case's resolution waiting for its orders", () => {
  it('refuses the handler’s resolution while the order runs, and resolves the case when the owner signs the order off', async () => {
    // The case runs on its own fakes; the order tells it how it ended through the real activity.
    const caseFakes = fakeCaseActivities();
    const temporal = { taskQueue: h.taskQueue, use: (fn: (c: typeof env.client) => Promise<unknown>) => fn(env.client) } as unknown as TemporalGateway;
    const link = createCaseLinkActivities({ logger: createLogger({ level: 'silent', name: 'work-order-case-link' }), temporal });
    const input = caseInput({ assigneeId: 'handler-1' });
    const caseHandle = await h.withWorker(caseFakes.activities, (tq) => h.start(tq, input));
    await actOn(caseHandle, recordContact, { args: [{ actor: 'handler-1', note: '已联系业主' }] });
    const f = fakeWorkOrderActivities({ overrides: { informCaseOfWorkOrder: link.informCaseOfWorkOrder } });
    await h.withWorker(f.activities, async (tq) => {
      const order = await orderInput({ caseId: input.caseId });
      // What the API does before it starts the order: the case records it.
      await actOn(caseHandle, recordWorkOrderOpened, { args: [{ actor: 'dispatcher-1', workOrderId: order.workOrderId }] });
      expect(await refusal(caseHandle.executeUpdate(resolveCase, { args: [{ actor: 'handler-1', resolution: '已修好' }] }))).toBe('CASE_WORK_ORDERS_OPEN');
      const handle = await startOrder(tq, order);
      await untilState(handle, (s) => s.status === 'assigned', 'assignment');
      await handle.executeUpdate(bookAppointment, { args: [{ actor: 'dispatcher-1', ...(await slotSoon()) }] });
      await handle.executeUpdate(checkIn, { args: [{ actor: 't1' }] });
      await handle.executeUpdate(recordResult, { args: [{ actor: 't1', resultId: 'res-1', photoIds: [] }] });
      const signedAt = await env.currentTimeMs();
      await handle.executeUpdate(signOff, { args: [{ actor: 'owner-1', accepted: true, signOffId: 'sig-1' }] });
      expect(await handle.result()).toMatchObject({ status: 'done' });
      const resolved = await eventually(async () => {
        const s = await caseStateOf(caseHandle);
        return s.status === 'resolved' ? s : undefined;
      }, 'the case resolved by the sign-off');
      expect(resolved.workOrders).toEqual([{ id: order.workOrderId, status: 'done' }]);
      expect(resolved.targets.resolution?.metAt).toBeGreaterThanOrEqual(signedAt);
      expect(eventOf(caseFakes.audit, 'case.resolved')).toMatchObject({ actor: 'system', data: { resolution: 'work_orders_signed_off' } });
    });
  });
});
