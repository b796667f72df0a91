import type { Principal } from '../../domain/access.js';
import { findCustomerById } from '../customers/repository.js';
import type { AppDeps } from '../shared/deps.js';
import { findCaseInScopeOrThrow, findEscalationsOfCase, findNamesForCases } from './repository.js';
import { caseWorkflow } from './workflow.js';
import { findCaseWarranty } from '../warranty/case-warranty.js';

/**
 * One case the principal may see, with what its page shows: the live workflow state (none for a
 * closed case, whose clocks the read model holds final, or when the workflow does not answer),
 * its customer, its escalation requests as stored, the names of its project, unit and people, and
 * its warranty (保内/保外 of the part of the building it is about, app/warranty).
 */
export async function getCase(deps: AppDeps, principal: Principal, id: string) {
  const { db } = deps;
  const row = await findCaseInScopeOrThrow(db, principal, id);
  const [state, customer, escalations, warranty] = await Promise.all([
    row.status === 'closed' ? null : caseWorkflow.queryStateOrNull(deps.temporal, row.workflowId),
    findCustomerById(db, row.customerId),
    findEscalationsOfCase(db, row.id),
    findCaseWarranty(db, row),
  ]);
  const people = (state?.escalations ?? escalations).flatMap((e) => [e.requestedBy, e.decidedBy]);
  const names = await findNamesForCases(db, row.groupId, [row], [state?.assigneeId, ...people]);
  return { row, state, customer, escalations, names, warranty };
}
