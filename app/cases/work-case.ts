import type { UpdateDefinition } from '@temporalio/common';
import { canDecideEscalation, type Principal } from '../../domain/access.js';
import type { BusinessCalendar } from '../../domain/cases/business-calendar.js';
import type { SlaPolicy } from '../../domain/cases/sla-policy.js';
import { isSeverity, isTier, type CaseType, type Severity } from '../../domain/cases/types.js';
import {
  approveEscalation,
  changeCaseDetails,
  rejectEscalation,
  type ActionBase,
  type CaseOutcome,
  type CaseState,
  type EscalationState,
} from '../../workflows/cases/complaint-case.defs.js';
import type { AppDeps } from '../shared/deps.js';
import { updateIdForRequest } from '../shared/request-identity.js';
import { findNames, type Names } from '../shared/names.js';
import { caseError } from './errors.js';
import { assertAssigneeForTier } from './assignee.js';
import { caseAfterAction, caseRef, loadCaseForAction, type CaseActionRule, type CaseAfterAction } from './case-action.js';
import { changedRecordFields, editCaseRecordOf, reloadCase, type CaseContact } from './case-record.js';
import { commonError } from '../errors.js';
import { findCaseById, findEscalationById } from './repository.js';
import { resolveCaseSlaForGroup } from './settings.js';
import { assertCategoryForType } from './category.js';
import { caseWorkflow } from './workflow.js';

export type { CaseActionRule, CaseAfterAction } from './case-action.js';

/** Runs one action Update on a case and answers with the case as the workflow now reports it. */
export async function actOnCase<A extends object>(
  deps: AppDeps,
  principal: Principal,
  o: { id: string; rule: CaseActionRule; update: UpdateDefinition<CaseOutcome, [ActionBase & A]>; args: A; requestKey?: string | null },
): Promise<CaseAfterAction> {
  const { row } = await loadCaseForAction(deps, principal, o.id, o.rule);
  const state = await caseWorkflow.executeAction(deps.temporal, row.workflowId, o.update, { ...o.args, actor: principal.id } as ActionBase & A, updateIdForRequest(o.requestKey, o.update));
  return caseAfterAction(deps, row, state);
}

/**
 * PATCH: a new severity or category takes the policy that now matches (resolved here, at the
 * case's current tier, and handed to the workflow, which re-budgets its clocks keeping elapsed and
 * paused time); a new category must be of the case's type; a new assignee must be able to work the
 * case where it sits. A new description or contact is a revision of the case record
 * (case-record.ts), audited as `case.record_edited` after the details' own events.
 *
 * Fields that would not change anything are left out; a request that changes nothing at all is
 * refused (409 INVALID_ACTION), as the workflow refuses a details change that changes nothing.
 */
export async function changeCase(
  deps: AppDeps,
  principal: Principal,
  id: string,
  body: {
    severity?: Severity | undefined;
    category?: string | undefined;
    assigneeId?: string | undefined;
    description?: string | undefined;
    contact?: CaseContact | null | undefined;
  },
): Promise<CaseAfterAction> {
  const { db } = deps;
  const { row, live, tier } = await loadCaseForAction(deps, principal, id, 'work');
  if (body.category !== undefined) await assertCategoryForType(deps, { groupId: row.groupId, type: row.type, category: body.category });
  if (body.assigneeId !== undefined) await assertAssigneeForTier(db, { ...caseRef(row, tier), assigneeId: body.assigneeId });

  const current = { severity: live?.severity ?? row.severity, category: live?.category ?? row.category, assigneeId: live ? live.assigneeId : row.assigneeId };
  const detailsGiven = body.severity !== undefined || body.category !== undefined || body.assigneeId !== undefined;
  const detailsChange =
    (body.severity !== undefined && body.severity !== current.severity) ||
    (body.category !== undefined && body.category !== current.category) ||
    (body.assigneeId !== undefined && body.assigneeId !== current.assigneeId);
  const recordGiven = body.description !== undefined || body.contact !== undefined;
  const recordChange = changedRecordFields(row, body).length > 0;
  if (recordGiven && !recordChange && !detailsChange) throw commonError('INVALID_ACTION');

  let state: CaseState | null = null;
  // Details alone go to the workflow as before, even unchanged (it refuses them itself).
  if (detailsGiven && (detailsChange || !recordGiven)) {
    const args: ActionBase & { severity?: Severity; category?: string; assigneeId?: string; policy?: SlaPolicy; calendar?: BusinessCalendar | null } = {
      actor: principal.id,
      ...(body.severity !== undefined ? { severity: body.severity } : {}),
      ...(body.category !== undefined ? { category: body.category } : {}),
      ...(body.assigneeId !== undefined ? { assigneeId: body.assigneeId } : {}),
    };
    if (body.severity !== undefined || body.category !== undefined) {
      const severity = body.severity ?? (isSeverity(current.severity) ? current.severity : 'minor');
      const { policy, calendar } = await resolveCaseSlaForGroup(db, row.groupId, {
        caseType: row.type as CaseType,
        category: body.category ?? current.category,
        severity,
        tier,
      }, row.openedAt.getTime());
      args.policy = policy;
      args.calendar = calendar;
    }
    state = await caseWorkflow.executeAction(deps.temporal, row.workflowId, changeCaseDetails, args);
  }
  if (recordChange) {
    state = (await editCaseRecordOf(deps, principal, row, { description: body.description, contact: body.contact })) ?? state;
    return caseAfterAction(deps, await reloadCase(db, row.id), state!);
  }
  return caseAfterAction(deps, row, state!);
}

/**
 * Finds an escalation request: the read model's row, or (before the projection has written it)
 * the case workflow's own state, since the id names its case (`${caseId}:esc:${n}`).
 */
async function findEscalationOrThrow(deps: AppDeps, principal: Principal, escalationId: string) {
  const { db } = deps;
  const stored = await findEscalationById(db, escalationId);
  const caseId = stored?.caseId ?? escalationId.split(':esc:')[0]!;
  const row = await findCaseById(db, caseId);
  if (!row || row.groupId !== principal.groupId) throw caseError('ESCALATION_REQUEST_NOT_FOUND');
  if (stored) return { row, toTier: stored.toTier, status: stored.status, asked: false };
  // Not yet projected and the workflow does not answer: it may well exist, so 503, not a 404.
  const live = await caseWorkflow.liveState(deps.temporal, row.workflowId, { action: true });
  const fromState = live?.escalations.find((e) => e.id === escalationId);
  if (!fromState) throw caseError('ESCALATION_REQUEST_NOT_FOUND');
  return { row, toTier: fromState.toTier as string, status: fromState.status as string, asked: true };
}

/**
 * A supervisor of the receiving tier approves or rejects an escalation request. The workflow's
 * validator decides whether the request is still pending (409 ESCALATION_NOT_PENDING otherwise).
 */
export async function decideEscalation(
  deps: AppDeps,
  principal: Principal,
  o: ({ escalationId: string; decision: 'approve'; note?: string } | { escalationId: string; decision: 'reject'; reason: string }) & { requestKey?: string | null },
): Promise<{ escalation: EscalationState; case: { caseId: string; caseNumber: string; projectId: string }; names: Names }> {
  const { row, toTier, asked } = await findEscalationOrThrow(deps, principal, o.escalationId);
  if (!isTier(toTier) || !canDecideEscalation({ principal, toTier, groupId: row.groupId, companyId: row.companyId, projectId: row.projectId }))
    throw caseError('ESCALATION_DECIDER_ONLY', { tier: toTier });
  if (row.status === 'closed') throw caseError('CASE_CLOSED');
  // As for every action: no Update to a workflow that does not answer (see liveState).
  if (!asked) await caseWorkflow.liveState(deps.temporal, row.workflowId, { action: true });
  const state =
    o.decision === 'approve'
      ? await caseWorkflow.executeAction(deps.temporal, row.workflowId, approveEscalation, {
          actor: principal.id,
          escalationId: o.escalationId,
          ...(o.note ? { note: o.note } : {}),
        }, updateIdForRequest(o.requestKey, approveEscalation))
      : await caseWorkflow.executeAction(deps.temporal, row.workflowId, rejectEscalation, { actor: principal.id, escalationId: o.escalationId, reason: o.reason }, updateIdForRequest(o.requestKey, rejectEscalation));
  const decided: EscalationState | undefined = state.escalations.find((e) => e.id === o.escalationId);
  if (!decided) throw caseError('ESCALATION_REQUEST_NOT_FOUND');
  const names = await findNames(deps.db, row.groupId, { userIds: [decided.requestedBy, decided.decidedBy] });
  return { escalation: decided, case: { caseId: row.id, caseNumber: row.number, projectId: row.projectId }, names };
}
