import crypto from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle, type WorkflowHandleWithFirstExecutionRunId, type WorkflowStartOptions } from '@temporalio/client';
import type { UpdateDefinition, Workflow } from '@temporalio/common';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Context } from '@temporalio/activity';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { bundleWorkflows, workerBuildId } from '../../platform/temporal/worker.js';

const activityInfo = () => Context.current().info;
import { temporal } from '@temporalio/proto';
import { DateTime } from 'luxon';
import type { Activities, ApplyCaseRevisionInput, AuditEventInput, NotifyCaseStaffInput, ProjectCaseInput, ResolveCaseSlaInput } from '../../activities/index.js';
import { CALENDAR_CN_DEFAULT, type BusinessCalendar, type IsoWeekday } from '../../domain/cases/business-calendar.js';
import { DEFAULT_POLICY, type SlaPolicy } from '../../domain/cases/sla-policy.js';
import type { Tier } from '../../domain/cases/types.js';
import { SEARCH_ATTRIBUTES } from '../../platform/temporal/search-attributes.js';
import { complaintCase } from '../../workflows/index.js';
import { caseSearchAttributes, caseWorkflowId, getCaseState, type CaseOutcome, type CaseState, type ComplaintCaseInput } from '../../workflows/cases/complaint-case.defs.js';
import { firstCaseState, openingProjection } from '../../app/cases/open-case.js';
import { applyCaseProjectionDelta, caseProjectionViewHash, projectedCaseOf, type CaseProjectionView } from '../../domain/cases/case-projection.js';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The handbook defaults on the calendar clock: contact in 24 h, resolve in 7 days, callback in 3, approval in 4 h. */
export const CALENDAR_POLICY: SlaPolicy = { ...DEFAULT_POLICY, id: 'calendar-default' };

/** A Shanghai property office (Mon–Fri 09:00–12:00 + 13:30–18:00) with the given holidays and make-up days. */
export function officeCalendar(o: { holidays?: string[]; makeUpWorkdays?: BusinessCalendar['makeUpWorkdays'] } = {}): BusinessCalendar {
  return { ...CALENDAR_CN_DEFAULT, id: 'office', name: 'Office', holidays: o.holidays ?? [], makeUpWorkdays: o.makeUpWorkdays ?? [] };
}

export const officePolicy = (o: Partial<SlaPolicy> = {}): SlaPolicy => ({ ...DEFAULT_POLICY, id: 'office-hours', clock: 'business', calendarId: 'office', ...o });

/** The input of every case the harness started, by case id: what the step activity reads from the case row. */
const STARTED_CASES = new Map<string, ComplaintCaseInput>();

/** For a case a test starts without the harness: its fakes read the case's number and place from here. */
export const rememberCase = (input: ComplaintCaseInput): void => void STARTED_CASES.set(input.caseId, input);

/** Recording fakes of every activity the case workflow calls: these tests are about its decisions. */
export function fakeCaseActivities(o: { sla?: (input: ResolveCaseSlaInput) => { policy: SlaPolicy; calendar: BusinessCalendar | null }; overrides?: Partial<Activities> } = {}) {
  const audit: AuditEventInput[] = [];
  const notices: NotifyCaseStaffInput[] = [];
  const projections: ProjectCaseInput[] = [];
  const slaRequests: ResolveCaseSlaInput[] = [];
  const revisions: ApplyCaseRevisionInput[] = [];
  /** Every activity call in the order the workflow made them (name, and for projections the state's seq). */
  const calls: string[] = [];
  const views = new Map<string, { seq: number; view: CaseProjectionView }>();
  const activities: Partial<Activities> = {
    async recordAuditEvent(event) {
      calls.push(`audit:${event.type}`);
      audit.push(event);
      return { inserted: true };
    },
    async notifyCaseStaff(input) {
      calls.push(`notify:${input.kind}`);
      notices.push(input);
      return { sent: input.recipients.userIds ?? [], skipped: [], refused: [] };
    },
    async projectCase(input) {
      calls.push(`project:${input.seq}`);
      projections.push(input);
      return { applied: true };
    },
    async resolveCaseSla(input) {
      calls.push(`resolveCaseSla:${input.tier}`);
      slaRequests.push(input);
      return o.sla ? o.sla(input) : { policy: { ...CALENDAR_POLICY, id: `policy-${input.tier.toLowerCase()}` }, calendar: null };
    },
    async pickCaseAssignee(input) {
      calls.push(`pickCaseAssignee:${input.tier}`);
      return `handler-${input.tier.toLowerCase()}`;
    },
    async applyCaseRevision(input) {
      calls.push(`applyCaseRevision:${input.revisionId}`);
      revisions.push(input);
      return { applied: true };
    },
    // Slim histories: one step activity per batch, recorded as the activities it stands for (each
    // through its fake or the test's override), in the order the real one runs them.
    async recordCaseStep({ caseId, seq, at, events, view: whole, delta, notices: batch = [], lookup }) {
      const input = STARTED_CASES.get(caseId)!;
      // The views a delta applies to, as case_record.projection keeps them.
      // A case started as the API starts it (openedAt in its input) has its opened view at seq 0, as the API stores it with the row.
      const stored = views.get(caseId) ?? (input.openedAt !== undefined ? (openingProjection(input) as unknown as { seq: number; view: CaseProjectionView }) : undefined);
      const view = whole ?? (stored && delta && stored.seq === delta.base && caseProjectionViewHash(stored.view) === delta.hash ? applyCaseProjectionDelta(stored.view, delta) : undefined);
      if (!view) return { inserted: 0, applied: false, rebase: true as const };
      views.set(caseId, { seq, view });
      const streamId = caseWorkflowId(caseId);
      for (const event of events) await activities.recordAuditEvent!({ ...event, streamId, groupId: input.groupId });
      await activities.projectCase!({ caseId, seq, at, state: projectedCaseOf(view) as unknown as CaseState });
      const unit = { groupId: input.groupId, companyId: input.companyId, projectId: input.projectId };
      for (const { seq: noticeSeq, recipients, ...notice } of batch) {
        await activities.notifyCaseStaff!({
          ...notice,
          recipients: { ...(recipients.userIds ? { userIds: recipients.userIds } : {}), ...(recipients.supervisorsOfTier ? { supervisorsAt: { ...unit, tier: recipients.supervisorsOfTier } } : {}) },
          caseId,
          caseNumber: input.caseNumber,
          groupId: input.groupId,
          projectId: input.projectId,
          idempotencyKeyBase: `${streamId}:${noticeSeq}`,
        });
      }
      const answer = { inserted: events.length, applied: true };
      switch (lookup?.kind) {
        case 'sla':
          return { ...answer, sla: await activities.resolveCaseSla!(lookup.sla) };
        case 'assignee':
          return { ...answer, assigneeId: await activities.pickCaseAssignee!({ ...unit, tier: lookup.tier }) };
        case 'tier': {
          const sla = await activities.resolveCaseSla!(lookup.sla);
          return { ...answer, sla, assigneeId: await activities.pickCaseAssignee!({ ...unit, tier: lookup.sla.tier }) };
        }
        case 'revision':
          await activities.applyCaseRevision!({ caseId, revisionId: lookup.revisionId });
          return answer;
        default:
          return answer;
      }
    },
    ...o.overrides,
  };
  return { audit, notices, projections, slaRequests, revisions, calls, activities };
}

export function caseInput(o: Partial<ComplaintCaseInput> = {}): ComplaintCaseInput {
  const caseId = crypto.randomUUID();
  return {
    caseId,
    caseNumber: `CS-TEST-${caseId.slice(0, 6)}`,
    groupId: 'group-1',
    companyId: 'company-1',
    projectId: 'project-1',
    type: 'complaint',
    category: 'complaint.quality.leakage',
    severity: 'minor',
    channel: 'phone',
    tier: 'PROJECT',
    assigneeId: 'handler-1',
    openedBy: 'agent-1',
    policy: CALENDAR_POLICY,
    calendar: null,
    ...o,
  };
}

/**
 * The time-skipping server refuses undeclared custom search attributes (like a real cluster):
 * register the ones the case workflow upserts, as the dev server does at start.
 */
export async function registerCaseSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const searchAttributes = Object.fromEntries(Object.keys(SEARCH_ATTRIBUTES).map((name) => [name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]));
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes });
}

/**
 * One worker for a whole test file, whose activities delegate to the fakes of the test that
 * started the calling case. Cases are left running rather than terminated: terminating a case
 * on the time-skipping server (1.24's pinned build) intermittently left its clock locked, so every
 * later `sleep` hung. A running case with its own worker and fakes disturbs no other test.
 */
export class CaseHarness {
  /** Fakes per workflow id, so a case left running by an earlier test keeps calling its own. */
  private readonly fakes = new Map<string, Partial<Activities>>();
  private current: Partial<Activities> = {};
  private worker: Worker | undefined;
  private running: Promise<void> | undefined;
  /** Unique per harness, and about as long as the application's queue ('estate-care'): every task's events name it, and the history-size test measures them. */
  readonly taskQueue = `case-${crypto.randomUUID().slice(0, 8)}`;

  constructor(
    readonly env: TestWorkflowEnvironment,
    readonly workflowBundle: { code: string },
  ) {}

  private async ensureWorker() {
    if (this.worker) return;
    // The sale workflow's activities (SaleActivities) are faked here before the worker has them.
    const names: Array<keyof Activities | 'notifySaleParties' | 'projectSale' | 'openDefectCases'> = ['recordAuditEvent', 'notifyCaseStaff', 'projectCase', 'resolveCaseSla', 'pickCaseAssignee', 'applyCaseRevision', 'recordCaseStep', 'notifyLeadStaff', 'projectLead', 'notifySaleParties', 'projectSale', 'openDefectCases', 'notifyWorkOrderStaff', 'projectWorkOrder', 'pickWorkOrderAssignee', 'findResponsibleContractor', 'informCaseOfWorkOrder'];
    const activities = Object.fromEntries(
      names.map((name) => [
        name,
        (...args: unknown[]) => {
          const owner = this.fakes.get(activityInfo().workflowExecution?.workflowId ?? "") ?? this.current;
          const fn = (owner as Record<string, unknown>)[name] as ((...a: unknown[]) => Promise<unknown>) | undefined;
          if (!fn) throw new Error(`activity ${name} is not faked in this test`);
          return fn(...args);
        },
      ]),
    );
    // The build id the application's worker gives itself (activities/worker.ts), as the histories measured here carry it.
    this.worker = await Worker.create({ connection: this.env.nativeConnection, taskQueue: this.taskQueue, workflowBundle: this.workflowBundle, buildId: workerBuildId(this.workflowBundle.code), activities });
    this.running = this.worker.run();
  }

  async withWorker<T>(activities: Partial<Activities>, fn: (taskQueue: string) => Promise<T>): Promise<T> {
    await this.ensureWorker();
    this.current = activities;
    return fn(this.taskQueue);
  }

  async stop() {
    this.worker?.shutdown();
    await this.running;
  }

  private readonly started: WorkflowHandle[] = [];

  /** Starts a case; `asTheApi` starts it as the API does, with its first state's search attributes. */
  async start(taskQueue: string, input: ComplaintCaseInput, o: { asTheApi?: boolean } = {}) {
    STARTED_CASES.set(input.caseId, input);
    const typedSearchAttributes = o.asTheApi
      ? caseSearchAttributes(firstCaseState(input), input).flatMap(([key, value]) => (value === null ? [] : [{ key, value }]))
      : undefined;
    return this.startWorkflow(complaintCase, { taskQueue, workflowId: caseWorkflowId(input.caseId), args: [input], ...(typedSearchAttributes ? { typedSearchAttributes } : {}) });
  }

  /** Starts any workflow of the bundle whose activities are the current test's fakes. */
  async startWorkflow<W extends Workflow>(workflow: W, options: WorkflowStartOptions<W> & { workflowId: string }): Promise<WorkflowHandleWithFirstExecutionRunId<W>> {
    this.fakes.set(options.workflowId, this.current);
    const handle = await this.env.client.workflow.start(workflow, options);
    this.started.push(handle);
    return handle;
  }

  /**
   * Moves the test server's clock to `at` (it only moves forward), once the running cases are
   * idle. Skipping hours while an activity is in flight would time it out on the skipped clock
   * (and intermittently wedged the test server's time lock): a human acts after the system has.
   */
  async travelTo(at: number) {
    await this.settle();
    const now = await this.env.currentTimeMs();
    if (at > now) await this.env.sleep(at - now);
  }

  /** Waits until no started case has an activity or workflow task outstanding. */
  async settle() {
    for (const handle of this.started) {
      await eventually(async () => {
        const d = await handle.describe();
        return d.status.name !== 'RUNNING' || ((d.raw.pendingActivities ?? []).length === 0 && !d.raw.pendingWorkflowTask);
      }, `workflow ${handle.workflowId} to be idle`);
    }
  }

  async sleepUntil(at: number) {
    await this.travelTo(at);
  }
}

/** Polls until `check` holds: timers fire on the server, the worker's task completes a moment later. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const eventOf = (audit: AuditEventInput[], type: string, nth = 0) => audit.filter((e) => e.type === type)[nth];
export const waitForEvent = (audit: AuditEventInput[], type: string, nth = 0) => eventually(() => eventOf(audit, type, nth), `${type} #${nth + 1}`);
export const atOf = (e: AuditEventInput | undefined) => Date.parse(e?.at ?? 'x');

export async function stateOf(handle: WorkflowHandle): Promise<CaseState> {
  return handle.query(getCaseState);
}

/**
 * Runs an Update and answers the state after it, as the API does (app/shared/workflow-gateway.ts
 * `executeAction`): since slim histories (issue 14) an Update answers a CaseOutcome, not the state.
 */
export async function actOn<A>(handle: WorkflowHandle, update: UpdateDefinition<CaseOutcome, [A]>, options: { args: [A] }): Promise<CaseState> {
  const answer = await handle.executeUpdate(update, options);
  const state = await stateOf(handle);
  if (state.seq < answer.seq) throw new Error(`the state query (seq ${state.seq}) is behind the Update's answer (seq ${answer.seq})`);
  return state;
}

/** The rejection code (ApplicationFailure type) of a refused update. */
export async function refusal(p: Promise<unknown>): Promise<string | undefined> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof WorkflowUpdateFailedError)) throw new Error(`expected the update to be refused, got ${String(err)}`);
  const cause = err.cause;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

/** The next local `weekday` at `time` in `zone`, at least two days after `from`. */
export function nextLocal(from: number, weekday: IsoWeekday, time: string, zone = 'Asia/Shanghai'): DateTime {
  const [h, m] = time.split(':').map(Number) as [number, number];
  let d = DateTime.fromMillis(from + 2 * DAY, { zone }).set({ hour: h, minute: m, second: 0, millisecond: 0 });
  while (d.weekday !== weekday) d = d.plus({ days: 1 });
  return d;
}

export const ymd = (d: DateTime) => d.toFormat('yyyy-MM-dd');
export const at = (d: DateTime, time: string) => {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return d.set({ hour: h, minute: m, second: 0, millisecond: 0 }).toMillis();
};

/** Asserts `actual` is within `toleranceMs` after (or at) `expected`: server clocks move a few ms between steps. */
export function near(actual: number | null | undefined, expected: number, toleranceMs = 5 * SECOND): boolean {
  return typeof actual === 'number' && actual >= expected - toleranceMs && actual <= expected + toleranceMs;
}

export const tierPolicy = (tier: Tier, o: Partial<SlaPolicy> = {}): SlaPolicy => ({ ...CALENDAR_POLICY, id: `policy-${tier.toLowerCase()}`, ...o });

/**
 * One time-skipping server (the pinned binary, never a download), the workflow bundle and a
 * harness for a test file; call from `beforeAll`, then `stopCaseHarness` from `afterAll`.
 */
export async function startCaseHarness(): Promise<{ env: TestWorkflowEnvironment; h: CaseHarness }> {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed in this process.
  }
  const [env, bundle] = await Promise.all([
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: inject('temporalTestServer') } } }),
    bundleWorkflows(),
  ]);
  await registerCaseSearchAttributes(env);
  return { env, h: new CaseHarness(env, bundle) };
}

export async function stopCaseHarness(s: { env?: TestWorkflowEnvironment; h?: CaseHarness }): Promise<void> {
  await s.h?.stop();
  await s.env?.teardown();
}
