import { ApplicationFailure, continueAsNew, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { caseProjectionDelta, caseProjectionView, type CaseProjectionView } from '../../domain/cases/case-projection.js';
import { caseOutcome, caseSnapshot, caseNextWakeAt, initialCaseState, isCaseClosed, reduceCase, validateCaseCommand, type CaseAction, type CaseCommand, type CaseTask } from '../../domain/cases/case-process.js';
import type { CaseNotice, CaseOutcome } from '../../domain/cases/case-state.js';
import type { TargetName } from '../../domain/cases/types.js';
import { CaseRuleError } from '../../domain/cases/errors.js';
import { FailureType } from '../failures.js';
import { DATABASE_ACTIVITY, MAIL_ACTIVITY, startProcess } from '../kit/process.js';
import { CASE_UPDATES, caseSearchAttributes, getCaseState, type CaseState, type ComplaintCaseInput } from './complaint-case.defs.js';

const { recordAuditEvent, projectCase, resolveCaseSla, pickCaseAssignee, applyCaseRevision } = proxyActivities<Activities>(DATABASE_ACTIVITY);
const { notifyCaseStaff } = proxyActivities<Activities>(MAIL_ACTIVITY);
/** Slim histories: a step with notices runs under the mail activity's timeouts and retries, one without under the database's. */
const { recordCaseStep } = proxyActivities<Activities>(DATABASE_ACTIVITY);
const { recordCaseStep: recordCaseStepWithMail } = proxyActivities<Activities>(MAIL_ACTIVITY);

export { CASE_SEARCH_ATTRIBUTES } from './complaint-case.defs.js';

/** Cases did not always continue as new: executions older than the kit replay without it. */
export const CASE_CONTINUE_AS_NEW_PATCH = 'case-continue-as-new';
/**
 * Cases did not always project before waiting on mail or a task (issue 13: an approval stayed in
 * the approvers' list until the tier move and its emails had run); older executions replay without.
 */
export const CASE_PROJECT_BEFORE_WAITING_PATCH = 'case-project-before-waiting';
/**
 * Slim histories (issue 14): each batch of events is one ordinary activity (audit rows and the read
 * model in one transaction, then notices, then the task's lookup), its projection input without the
 * policy and with each calendar once; Updates and the result answer a CaseOutcome. Older executions
 * replay without.
 */
export const CASE_SLIM_HISTORY_PATCH = 'case-slim-history';
/**
 * Slimmer histories (issue 14): a step carries only what changed in the projection view since the
 * last step of the run that completed (caseProjectionDelta) or, for the first step of a case the API
 * opened, since the opened case's view the API stored with the row (seq 0); the first step of any
 * other run and a step the activity asks to rebase carry the whole (compact) view; the first search-attribute upsert only what differs from
 * the start's. Implies CASE_SLIM_HISTORY_PATCH, which new executions then do not record (each patch
 * costs a marker and a TemporalChangeVersion upsert). Older executions replay without.
 */
export const CASE_STEP_DELTA_PATCH = 'case-step-delta';

/**
 * What the notice activity needs to time a notice (domain/cases/notice-delivery.ts): the event's
 * workflow time, the clock of its target (else the policy's), the calendar by id and the policy's
 * notification settings — ids and settings only, never the calendar itself.
 */
const noticeDelivery = (state: CaseState, target: TargetName | undefined) => {
  const clock = (target ? state.targets[target]?.clock : undefined) ?? state.policy.clock;
  return {
    at: Date.now(),
    clock,
    ...(clock === 'business' ? { calendarId: (target ? state.targets[target]?.calendar?.id : undefined) ?? state.calendar?.id ?? state.policy.calendarId ?? null } : {}),
    ...(state.policy.notifications ? { notifications: state.policy.notifications } : {}),
  };
};

/** A policy the SLA clock cannot use is the input's fault: fail for good rather than retry. */
const failureOf = (err: unknown) =>
  err instanceof CaseRuleError ? ApplicationFailure.create({ type: FailureType.INVALID_WORKFLOW_INPUT, message: err.message, nonRetryable: true }) : undefined;

/**
 * One complaint, repair or enquiry case (DESIGN.md §1, issue 3): wiring of the case's rules
 * (domain/cases/case-process.ts, where its decisions are documented) onto the workflow kit.
 * Human actions arrive as Updates whose validators refuse wrong-state actions with a
 * CASE_REJECTIONS code; warnings, breaches and undecided escalations fire from durable timers at
 * the instant they fall due. The read model and audit trail follow through idempotent activities.
 */
export async function complaintCase(input: ComplaintCaseInput): Promise<CaseState | CaseOutcome> {
  const unit = { groupId: input.groupId, companyId: input.companyId, projectId: input.projectId };
  let first: CaseState;
  try {
    // Deterministic either way: the input's openedAt (the API answered with deadlines counted from
    // it), or, in executions started before there was one, the first task's time as before.
    first = input.carried ?? initialCaseState(input, input.openedAt ?? Date.now());
  } catch (err) {
    throw failureOf(err) ?? err;
  }

  const slaOf = (state: CaseState, o: { tier: CaseState['tier']; category?: string; severity?: CaseState['severity'] }) => ({
    groupId: input.groupId,
    caseType: input.type,
    category: o.category ?? state.category,
    severity: o.severity ?? state.severity,
    tier: o.tier,
    since: state.openedAt,
  });
  /** The view of the last step this run completed under CASE_STEP_DELTA_PATCH, which the read model then holds (or a later one). */
  let sent: { seq: number; view: CaseProjectionView } | undefined;
  let opened: CaseState | undefined;
  const deltas = () => patched(CASE_STEP_DELTA_PATCH);
  const process = startProcess<CaseState, CaseAction, CaseNotice, CaseTask, CaseOutcome>({
    state: first,
    reduce: reduceCase,
    tick: { type: 'tick' },
    nextWakeAt: caseNextWakeAt,
    isEnded: isCaseClosed,
    snapshot: caseSnapshot,
    failureOf,
    searchAttributes: (s) => caseSearchAttributes(s, input),
    effects: {
      audit: (record) => recordAuditEvent({ ...record, groupId: input.groupId }),
      notify: ({ recipients, ...notice }, { idempotencyKeyBase, state }) =>
        notifyCaseStaff({
          ...notice,
          // Only the activity's input grows (no command changes): old histories replay as they are.
          delivery: noticeDelivery(state, notice.target),
          recipients: {
            ...(recipients.userIds ? { userIds: recipients.userIds } : {}),
            ...(recipients.supervisorsOfTier ? { supervisorsAt: { ...unit, tier: recipients.supervisorsOfTier } } : {}),
          },
          caseId: input.caseId,
          caseNumber: input.caseNumber,
          groupId: input.groupId,
          projectId: input.projectId,
          idempotencyKeyBase,
        }),
      task: async (task, { state }): Promise<CaseAction | undefined> => {
        switch (task.kind) {
          case 'pickAssignee':
            return { type: 'assigneePicked', assigneeId: await pickCaseAssignee({ ...unit, tier: state.tier }) };
          case 'moveTier': {
            const sla = await resolveCaseSla({ groupId: input.groupId, caseType: input.type, category: state.category, severity: state.severity, tier: task.toTier, since: state.openedAt });
            const assigneeId = await pickCaseAssignee({ ...unit, tier: task.toTier });
            return { type: 'tierEntered', escalationId: task.escalationId, policy: sla.policy, calendar: sla.calendar, assigneeId };
          }
          case 'resolveDetails': {
            const { kind: _kind, ...change } = task;
            const sla = await resolveCaseSla({ groupId: input.groupId, caseType: input.type, category: task.category, severity: task.severity, tier: state.tier, since: state.openedAt });
            return { type: 'detailsResolved', ...change, policy: sla.policy, calendar: sla.calendar };
          }
          case 'applyRevision':
            await applyCaseRevision({ caseId: input.caseId, revisionId: task.revisionId });
            return undefined;
        }
      },
      project: ({ seq, state }) => projectCase({ caseId: input.caseId, seq, state, at: Date.now() }),
      step: async ({ records, notices, task, seq, state }): Promise<CaseAction | undefined> => {
        const t = task?.task;
        const lookup =
          t?.kind === 'pickAssignee'
            ? ({ kind: 'assignee', tier: state.tier } as const)
            : t?.kind === 'moveTier'
              ? ({ kind: 'tier', sla: slaOf(state, { tier: t.toTier }) } as const)
              : t?.kind === 'resolveDetails'
                ? ({ kind: 'sla', sla: slaOf(state, { tier: state.tier, category: t.category, severity: t.severity }) } as const)
                : t?.kind === 'applyRevision'
                  ? ({ kind: 'revision', revisionId: t.revisionId } as const)
                  : undefined;
        const step = notices.length ? recordCaseStepWithMail : recordCaseStep;
        const useDelta = deltas();
        const view = caseProjectionView(state, { compact: useDelta });
        const batch = {
          caseId: input.caseId,
          seq,
          at: Date.now(),
          events: records.map(({ seq, type, actor, at, data }) => ({ seq, type, actor, at, data })),
          ...(notices.length ? { notices: notices.map(({ notice, seq }) => ({ ...notice, seq, delivery: noticeDelivery(state, notice.target) })) } : {}),
          ...(lookup ? { lookup } : {}),
        };
        const from = sent ?? (opened ? { seq: 0, view: caseProjectionView(opened, { compact: true }) } : undefined);
        let done = await step(useDelta && from ? { ...batch, delta: caseProjectionDelta(from, view) } : { ...batch, view });
        // The read model did not stand at the delta's base (nothing was written): the whole view.
        if (done.rebase) done = await step({ ...batch, view });
        if (useDelta) sent = { seq, view };
        switch (t?.kind) {
          case 'pickAssignee':
            return { type: 'assigneePicked', assigneeId: done.assigneeId ?? null };
          case 'moveTier':
            return { type: 'tierEntered', escalationId: t.escalationId, policy: done.sla!.policy, calendar: done.sla!.calendar, assigneeId: done.assigneeId ?? null };
          case 'resolveDetails': {
            const { kind: _kind, ...change } = t;
            return { type: 'detailsResolved', ...change, policy: done.sla!.policy, calendar: done.sla!.calendar };
          }
          default:
            return undefined;
        }
      },
    },
    continueAsNew: {
      historyLimit: input.historyLimit,
      guard: () => patched(CASE_CONTINUE_AS_NEW_PATCH),
      next: (carried) => continueAsNew<typeof complaintCase>({ ...input, carried }),
    },
    projectBeforeWaiting: () => patched(CASE_PROJECT_BEFORE_WAITING_PATCH),
    slim: { guard: () => deltas() || patched(CASE_SLIM_HISTORY_PATCH), result: caseOutcome },
    searchAttributesFromStart: deltas,
  });

  process.query(getCaseState);
  process.commands(CASE_UPDATES, (state, command) => validateCaseCommand(state, command as CaseCommand));
  if (!input.carried) process.dispatch({ type: 'open', opening: input });
  // A case the API opened (openedAt in its input) has its row's projection at seq 0 already: the
  // opened case's view (app/cases/open-case.ts), from which the first step's delta starts.
  if (!input.carried && input.openedAt !== undefined) opened = process.state;
  return process.run();
}
