import type { Principal } from '../../domain/access.js';
import { findCustomerById } from '../customers/repository.js';
import type { AppDeps } from '../shared/deps.js';
import { findCaseEventsByWorkflowId, findCaseInScopeOrThrow, findEscalationsOfCase, findNamesForCases } from './repository.js';
import { caseWorkflow } from './workflow.js';

/**
 * One case the principal may see, with what its page shows: the live workflow state (none for a
 * closed case, whose clocks the read model holds final, or when the workflow does not answer),
 * its customer, its escalation requests as stored, and the names of its project and assignee.
 */
export async function getCase(deps: AppDeps, principal: Principal, id: string) {
  const { db } = deps;
  const row = await findCaseInScopeOrThrow(db, principal, id);
  const [state, customer, escalations, names] = await Promise.all([
    row.status === 'closed' ? null : caseWorkflow.queryStateOrNull(deps.temporal, row.workflowId),
    findCustomerById(db, row.customerId),
    findEscalationsOfCase(db, row.id),
    findNamesForCases(db, [row]),
  ]);
  return { row, state, customer, escalations, names };
}

/** A page of the audit trail of a case the principal may see, oldest first. */
export async function getCaseEvents(deps: Pick<AppDeps, 'db'>, principal: Principal, id: string, page: { skip: number; take: number }) {
  const row = await findCaseInScopeOrThrow(deps.db, principal, id);
  return findCaseEventsByWorkflowId(deps.db, row.workflowId, page);
}
