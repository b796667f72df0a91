import type { UpdateDefinition } from '@temporalio/common';
import { canDecideEscalation, canRecordCallback, canWorkCase, type CaseRef, type Principal } from '../../domain/access.js';
import { isValidCategory } from '../../domain/cases/categories.js';
import type { BusinessCalendar } from '../../domain/cases/business-calendar.js';
import type { SlaPolicy } from '../../domain/cases/sla-policy.js';
import { isSeverity, isTier, type CaseType, type Severity, type Tier } from '../../domain/cases/types.js';
import {
  approveEscalation,
  changeCaseDetails,
  rejectEscalation,
  type ActionBase,
  type CaseState,
  type EscalationState,
} from '../../workflows/cases/complaint-case.defs.js';
import type { Case } from '../../prisma/generated/client.js';
import type { AppDeps } from '../shared/deps.js';
import { caseError } from './errors.js';
import { assertAssigneeForTier } from './assignee.js';
import { findCaseById, findCaseInScopeOrThrow, findEscalationById } from './repository.js';
import { findCategoriesByGroup, resolveCaseSlaForGroup } from './settings.js';
import { caseWorkflow } from './workflow.js';

/** Which rule admits an actor to an action: working the case, or the satisfaction callback. */
export type CaseActionRule = 'work' | 'callback';

const RULES: Record<CaseActionRule, (o: CaseRef & { principal: Principal }) => boolean> = {
  work: canWorkCase,
  callback: canRecordCallback,
};

/** A case row and the workflow's state after an action: what the API shows. */
export interface CaseAfterAction {
  row: Case;
  state: CaseState;
}

const caseRef = (row: Case, tier: Tier): CaseRef => ({ caseTier: tier, groupId: row.groupId, companyId: row.companyId, projectId: row.projectId });

/**
 * Loads a case for an action and checks who may act on it at its CURRENT tier: the live workflow's
 * tier when it answers (an approval may have moved the case a moment ago, before the read model
 * caught up), the row's otherwise.
 */
async function loadCaseForAction(deps: AppDeps, principal: Principal, id: string, rule: CaseActionRule) {
  const row = await findCaseInScopeOrThrow(deps.db, principal, id);
  // A closed case's row is final; only a running case is asked for its live tier.
  // No answer in time: no Update is sent (see liveState). A workflow Temporal does not know goes on
  // to the Update, which answers CASE_CLOSED.
  const live = row.status === 'closed' ? null : await caseWorkflow.liveState(deps.temporal, row.workflowId, { action: true });
  const tier = live?.tier ?? (isTier(row.tier) ? row.tier : 'PROJECT');
  if (!RULES[rule]({ principal, ...caseRef(row, tier) }))
    throw caseError('CASE_TIER_ONLY', { tier });
  if (row.status === 'closed' || live?.status === 'closed') throw caseError('CASE_CLOSED');
  return { row, live, tier };
}

/** Runs one action Update on a case and answers with the case as the workflow now reports it. */
export async function actOnCase<A extends object>(
  deps: AppDeps,
  principal: Principal,
  o: { id: string; rule: CaseActionRule; update: UpdateDefinition<CaseState, [ActionBase & A]>; args: A },
): Promise<CaseAfterAction> {
  const { row } = await loadCaseForAction(deps, principal, o.id, o.rule);
  const state = await caseWorkflow.executeUpdate(deps.temporal, row.workflowId, o.update, { ...o.args, actor: principal.id } as ActionBase & A);
  return { row, state };
}

/**
 * PATCH: a new severity or category takes the policy that now matches (resolved here, at the
 * case's current tier, and handed to the workflow, which re-budgets its clocks keeping elapsed and
 * paused time); a new assignee must be able to work the case where it sits.
 */
export async function changeCase(
  deps: AppDeps,
  principal: Principal,
  id: string,
  body: { severity?: Severity | undefined; category?: string | undefined; assigneeId?: string | undefined },
): Promise<CaseAfterAction> {
  const { db } = deps;
  const { row, live, tier } = await loadCaseForAction(deps, principal, id, 'work');
  if (body.category !== undefined) {
    const categories = await findCategoriesByGroup(db, row.groupId);
    if (!isValidCategory({ code: body.category, categories }))
      throw caseError('UNKNOWN_CATEGORY', { category: body.category }, { field: 'body.category' });
  }
  if (body.assigneeId !== undefined) await assertAssigneeForTier(db, { ...caseRef(row, tier), assigneeId: body.assigneeId });
  const args: ActionBase & { severity?: Severity; category?: string; assigneeId?: string; policy?: SlaPolicy; calendar?: BusinessCalendar | null } = {
    actor: principal.id,
    ...(body.severity !== undefined ? { severity: body.severity } : {}),
    ...(body.category !== undefined ? { category: body.category } : {}),
    ...(body.assigneeId !== undefined ? { assigneeId: body.assigneeId } : {}),
  };
  if (body.severity !== undefined || body.category !== undefined) {
    const current = { severity: live?.severity ?? row.severity, category: live?.category ?? row.category };
    const severity = body.severity ?? (isSeverity(current.severity) ? current.severity : 'minor');
    const { policy, calendar } = await resolveCaseSlaForGroup(db, row.groupId, {
      caseType: row.type as CaseType,
      category: body.category ?? current.category,
      severity,
      tier,
    });
    args.policy = policy;
    args.calendar = calendar;
  }
  const state = await caseWorkflow.executeUpdate(deps.temporal, row.workflowId, changeCaseDetails, args);
  return { row, state };
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
  o: { escalationId: string; decision: 'approve'; note?: string } | { escalationId: string; decision: 'reject'; reason: string },
): Promise<{ escalation: EscalationState; case: { caseId: string; caseNumber: string; projectId: string } }> {
  const { row, toTier, asked } = await findEscalationOrThrow(deps, principal, o.escalationId);
  if (!isTier(toTier) || !canDecideEscalation({ principal, toTier, groupId: row.groupId, companyId: row.companyId, projectId: row.projectId }))
    throw caseError('ESCALATION_DECIDER_ONLY', { tier: toTier });
  if (row.status === 'closed') throw caseError('CASE_CLOSED');
  // As for every action: no Update to a workflow that does not answer (see liveState).
  if (!asked) await caseWorkflow.liveState(deps.temporal, row.workflowId, { action: true });
  const state =
    o.decision === 'approve'
      ? await caseWorkflow.executeUpdate(deps.temporal, row.workflowId, approveEscalation, {
          actor: principal.id,
          escalationId: o.escalationId,
          ...(o.note ? { note: o.note } : {}),
        })
      : await caseWorkflow.executeUpdate(deps.temporal, row.workflowId, rejectEscalation, { actor: principal.id, escalationId: o.escalationId, reason: o.reason });
  const decided: EscalationState | undefined = state.escalations.find((e) => e.id === o.escalationId);
  if (!decided) throw caseError('ESCALATION_REQUEST_NOT_FOUND');
  return { escalation: decided, case: { caseId: row.id, caseNumber: row.number, projectId: row.projectId } };
}
