import { ApplicationFailure, continueAsNew, patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { caseOutcome, caseSnapshot, caseNextWakeAt, initialCaseState, isCaseClosed, reduceCase, validateCaseCommand, type CaseAction, type CaseCommand, type CaseTask } from '../../domain/cases/case-process.js';
import type { CaseNotice, CaseOutcome } from '../../domain/cases/case-state.js';
import type { TargetName } from '../../domain/cases/types.js';
import { CaseRuleError } from '../../domain/cases/errors.js';
import { FailureType } from '../failures.js';
import { DATABASE_ACTIVITY, LOCAL_DATABASE_ACTIVITY, MAIL_ACTIVITY, startProcess } from '../kit/process.js';
import { CASE_UPDATES, caseSearchAttributes, getCaseState, type CaseState, type ComplaintCaseInput } from './complaint-case.defs.js';

const { recordAuditEvent, projectCase, resolveCaseSla, pickCaseAssignee, applyCaseRevision } = proxyActivities<Activities>(DATABASE_ACTIVITY);
const { notifyCaseStaff, notifyCaseStaffAll } = proxyActivities<Activities>(MAIL_ACTIVITY);
/** Slim histories: the database work of a case runs as local activities (a marker each, no input in the history). */
const local = proxyLocalActivities<Activities>(LOCAL_DATABASE_ACTIVITY);

export { CASE_SEARCH_ATTRIBUTES } from './complaint-case.defs.js';

/** Cases did not always continue as new: executions older than the kit replay without it. */
export const CASE_CONTINUE_AS_NEW_PATCH = 'case-continue-as-new';
/**
 * Cases did not always project before waiting on mail or a task (issue 13: an approval stayed in
 * the approvers' list until the tier move and its emails had run); older executions replay without.
 */
export const CASE_PROJECT_BEFORE_WAITING_PATCH = 'case-project-before-waiting';
/**
 * Slim histories (issue 14): audit rows and projection in one local activity before any email or
 * task, tasks' lookups as local activities, the notices of one batch sent together, Updates and the
 * result answering a CaseOutcome. Older executions replay without.
 */
export const CASE_SLIM_HISTORY_PATCH = 'case-slim-history';

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
export async function complaintCase(input: ComplaintCaseInput): Promise<CaseOutcome> {
  const unit = { groupId: input.groupId, companyId: input.companyId, projectId: input.projectId };
  let first: CaseState;
  try {
    // Deterministic either way: the input's openedAt (the API answered with deadlines counted from
    // it), or, in executions started before there was one, the first task's time as before.
    first = input.carried ?? initialCaseState(input, input.openedAt ?? Date.now());
  } catch (err) {
    throw failureOf(err) ?? err;
  }

  const theCase = { caseId: input.caseId, caseNumber: input.caseNumber, groupId: input.groupId, projectId: input.projectId };
  const staffNotice = ({ recipients, ...notice }: CaseNotice, idempotencyKeyBase: string) => ({
    ...notice,
    recipients: {
      ...(recipients.userIds ? { userIds: recipients.userIds } : {}),
      ...(recipients.supervisorsOfTier ? { supervisorsAt: { ...unit, tier: recipients.supervisorsOfTier } } : {}),
    },
    idempotencyKeyBase,
  });
  const slim = () => patched(CASE_SLIM_HISTORY_PATCH);
  const db = () => (slim() ? local : { resolveCaseSla, pickCaseAssignee, applyCaseRevision });
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
      notify: (notice, { idempotencyKeyBase, state }) =>
        // Only the activity's input grows (no command changes): old histories replay as they are.
        notifyCaseStaff({ ...staffNotice(notice, idempotencyKeyBase), delivery: noticeDelivery(state, notice.target), ...theCase }),
      notifyAll: (notices, { state }) =>
        notifyCaseStaffAll({ caseId: input.caseId, notices: notices.map(({ notice, seq }) => ({ ...notice, seq, delivery: noticeDelivery(state, notice.target) })) }),
      task: async (task, { state }): Promise<CaseAction | undefined> => {
        switch (task.kind) {
          case 'pickAssignee':
            return { type: 'assigneePicked', assigneeId: await db().pickCaseAssignee({ ...unit, tier: state.tier }) };
          case 'moveTier': {
            const tierOf = { groupId: input.groupId, caseType: input.type, category: state.category, severity: state.severity, tier: task.toTier, since: state.openedAt };
            if (slim()) {
              const { policy, calendar, assigneeId } = await local.enterCaseTier({ ...tierOf, companyId: input.companyId, projectId: input.projectId });
              return { type: 'tierEntered', escalationId: task.escalationId, policy, calendar, assigneeId };
            }
            const sla = await resolveCaseSla(tierOf);
            const assigneeId = await pickCaseAssignee({ ...unit, tier: task.toTier });
            return { type: 'tierEntered', escalationId: task.escalationId, policy: sla.policy, calendar: sla.calendar, assigneeId };
          }
          case 'resolveDetails': {
            const { kind: _kind, ...change } = task;
            const sla = await db().resolveCaseSla({ groupId: input.groupId, caseType: input.type, category: task.category, severity: task.severity, tier: state.tier, since: state.openedAt });
            return { type: 'detailsResolved', ...change, policy: sla.policy, calendar: sla.calendar };
          }
          case 'applyRevision':
            await db().applyCaseRevision({ caseId: input.caseId, revisionId: task.revisionId });
            return undefined;
        }
      },
      project: ({ seq, state }) => projectCase({ caseId: input.caseId, seq, state, at: Date.now() }),
      record: ({ records, seq, state }) =>
        local.recordCaseChanges({ caseId: input.caseId, seq, state, at: Date.now(), events: records.map((r) => ({ ...r, groupId: input.groupId })) }),
    },
    continueAsNew: {
      historyLimit: input.historyLimit,
      guard: () => patched(CASE_CONTINUE_AS_NEW_PATCH),
      next: (carried) => continueAsNew<typeof complaintCase>({ ...input, carried }),
    },
    projectBeforeWaiting: () => patched(CASE_PROJECT_BEFORE_WAITING_PATCH),
    slim: { guard: slim, result: caseOutcome },
  });

  process.query(getCaseState);
  process.commands(CASE_UPDATES, (state, command) => validateCaseCommand(state, command as CaseCommand));
  if (!input.carried) process.dispatch({ type: 'open', opening: input });
  return process.run();
}
