import type { Principal } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';
import { recordSearchOf } from '../customers/record-search.js';
import { findCustomersByIds } from '../customers/repository.js';
import { findCasesInScope, findNamesForCases, type CaseFilter } from './repository.js';

export interface CaseListFilter extends Omit<CaseFilter, 'search'> {
  /** Part of the case number, or the customer's name or phone number (any format, four digits or more). */
  q?: string | undefined;
}

/**
 * A page of the cases the principal may see (or its office's queue), with the names of their
 * projects, units, assignees and openers, and their customers.
 */
export async function listCases(db: Db, principal: Principal, { q, ...filter }: CaseListFilter, page: { skip: number; take: number }) {
  const search = q ? await recordSearchOf(db, principal.groupId, q) : undefined;
  const { rows, total } = await findCasesInScope(db, principal, { ...filter, search }, page);
  const [names, customers] = await Promise.all([findNamesForCases(db, principal.groupId, rows), findCustomersByIds(db, rows.map((r) => r.customerId), principal.groupId)]);
  return { rows, total, names, customers: new Map(customers.map((c) => [c.id, c] as const)) };
}
