import type { Principal } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';
import { findNames } from '../shared/names.js';
import { findEscalationsInScope } from './repository.js';

/** A page of the escalation requests the principal sees, with the names of who asked and who decided (one query for all). */
export async function listEscalations(db: Db, principal: Principal, filter: { status?: string | undefined; caseId?: string | undefined }, page: { skip: number; take: number }) {
  const { rows, total } = await findEscalationsInScope(db, principal, filter, page);
  const names = await findNames(db, principal.groupId, { userIds: rows.flatMap((e) => [e.requestedBy, e.decidedBy]) });
  return { rows, total, names };
}
