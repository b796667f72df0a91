import { ApplicationFailure, continueAsNew, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { caseSnapshot, caseNextWakeAt, initialCaseState, isCaseClosed, reduceCase, validateCaseCommand, type CaseAction, type CaseCommand, type CaseTask } from '../../domain/cases/case-process.js';
import { slaStateOf } from '../../domain/cases/case-readings.js';
import type { CaseNotice } from '../../domain/cases/case-state.js';
import type { TargetName } from '../../domain/cases/types.js';
import { CaseRuleError } from '../../domain/cases/errors.js';
import { FailureType } from '../failures.js';
import { DATABASE_ACTIVITY, keywordAttribute, MAIL_ACTIVITY, startProcess } from '../kit/process.js';
import { CASE_UPDATES, getCaseState, type CaseState, type ComplaintCaseInput } from './complaint-case.defs.js';

const { recordAuditEvent, projectCase, resolveCaseSla, pickCaseAssignee, applyCaseRevision } = proxyActivities<Activities>(DATABASE_ACTIVITY);
const { notifyCaseStaff } = proxyActivities<Activities>(MAIL_ACTIVITY);

/** Typed keys of the search attributes registered in platform/temporal/search-attributes.ts: ids and states only. */
export const CASE_SEARCH_ATTRIBUTES = {
  CaseStatus: keywordAttribute('CaseStatus'),
  CaseTier: keywordAttribute('CaseTier'),
  SlaState: keywordAttribute('SlaState'),
  ProjectId: keywordAttribute('ProjectId'),
  CaseType: keywordAttribute('CaseType'),
  AssigneeId: keywordAttribute('AssigneeId'),
} as const;

/** Cases did not always continue as new: executions older than the kit replay without it. */
export const CASE_CONTINUE_AS_NEW_PATCH = 'case-continue-as-new';
/**
 * Cases did not always project before waiting on mail or a task (issue 13: an approval stayed in
 * the approvers' list until the tier move and its emails had run); older executions replay without.
 */
export const CASE_PROJECT_BEFORE_WAITING_PATCH = 'case-project-before-waiting';

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
export async function complaintCase(input: ComplaintCaseInput): Promise<CaseState> {
  const unit = { groupId: input.groupId, companyId: input.companyId, projectId: input.projectId };
  let first: CaseState;
  try {
    // Deterministic either way: the input's openedAt (the API answered with deadlines counted from
    // it), or, in executions started before there was one, the first task's time as before.
    first = input.carried ?? initialCaseState(input, input.openedAt ?? Date.now());
  } catch (err) {
    throw failureOf(err) ?? err;
  }

  const process = startProcess<CaseState, CaseAction, CaseNotice, CaseTask>({
    state: first,
    reduce: reduceCase,
    tick: { type: 'tick' },
    nextWakeAt: caseNextWakeAt,
    isEnded: isCaseClosed,
    snapshot: caseSnapshot,
    failureOf,
    searchAttributes: (s) => [
      [CASE_SEARCH_ATTRIBUTES.CaseStatus, s.status],
      [CASE_SEARCH_ATTRIBUTES.CaseTier, s.tier],
      [CASE_SEARCH_ATTRIBUTES.SlaState, slaStateOf(s)],
      [CASE_SEARCH_ATTRIBUTES.ProjectId, input.projectId],
      [CASE_SEARCH_ATTRIBUTES.CaseType, input.type],
      [CASE_SEARCH_ATTRIBUTES.AssigneeId, s.assigneeId],
    ],
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
    },
    continueAsNew: {
      historyLimit: input.historyLimit,
      guard: () => patched(CASE_CONTINUE_AS_NEW_PATCH),
      next: (carried) => continueAsNew<typeof complaintCase>({ ...input, carried }),
    },
    projectBeforeWaiting: () => patched(CASE_PROJECT_BEFORE_WAITING_PATCH),
  });

  process.query(getCaseState);
  process.commands(CASE_UPDATES, (state, command) => validateCaseCommand(state, command as CaseCommand));
  if (!input.carried) process.dispatch({ type: 'open', opening: input });
  return process.run();
}
