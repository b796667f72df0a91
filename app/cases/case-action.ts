import { canNoteCase, canRecordCallback, canWorkCase, type CaseRef, type Principal } from '../../domain/access.js';
import { isTier, type Tier } from '../../domain/cases/types.js';
import type { CaseState } from '../../workflows/cases/complaint-case.defs.js';
import type { Case } from '../../prisma/generated/client.js';
import type { AppDeps } from '../shared/deps.js';
import { caseError } from './errors.js';
import type { Names } from '../shared/names.js';
import { findCaseInScopeOrThrow, findNamesForCases } from './repository.js';
import { caseWorkflow } from './workflow.js';

/** Which rule admits an actor to an action: working the case, the satisfaction callback, or a note. */
export type CaseActionRule = 'work' | 'callback' | 'note';

const RULES: Record<CaseActionRule, (o: CaseRef & { principal: Principal }) => boolean> = {
  work: canWorkCase,
  callback: canRecordCallback,
  note: canNoteCase,
};

/** A case row and the workflow's state after an action, with the names they mention: what the API shows. */
export interface CaseAfterAction {
  row: Case;
  state: CaseState;
  names: Names;
}

/** The answer to an action: the row and the new state, with the names of its project, unit and people (the live assignee's too). */
export async function caseAfterAction(deps: Pick<AppDeps, 'db'>, row: Case, state: CaseState): Promise<CaseAfterAction> {
  return { row, state, names: await findNamesForCases(deps.db, row.groupId, [row], [state.assigneeId]) };
}

export const caseRef = (row: Pick<Case, 'groupId' | 'companyId' | 'projectId'>, tier: Tier): CaseRef => ({
  caseTier: tier,
  groupId: row.groupId,
  companyId: row.companyId,
  projectId: row.projectId,
});

/**
 * Loads a case for an action and checks who may act on it at its CURRENT tier: the live workflow's
 * tier when it answers (an approval may have moved the case a moment ago, before the read model
 * caught up), the row's otherwise.
 */
export async function loadCaseForAction(deps: AppDeps, principal: Principal, id: string, rule: CaseActionRule) {
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
