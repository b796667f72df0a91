import type { Principal } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';
import { findCasesInScope, findNamesForCases, type CaseFilter } from './repository.js';

/** A page of the cases the principal may see (or its office's queue), with their projects' and assignees' names. */
export async function listCases(db: Db, principal: Principal, filter: CaseFilter, page: { skip: number; take: number }) {
  const { rows, total } = await findCasesInScope(db, principal, filter, page);
  const names = await findNamesForCases(db, rows);
  return { rows, total, names };
}
