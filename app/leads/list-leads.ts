import type { Principal } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';
import { recordSearchOf } from '../customers/record-search.js';
import { findLeadRecords, findVisibleLeads, type LeadFilter } from './repository.js';

export interface LeadListFilter extends Omit<LeadFilter, 'search'> {
  /** Part of the lead number, or the customer's name or phone number (any format, four digits or more). */
  q?: string | undefined;
}

/** A page of the leads the principal may see, the next touch due first, with their names and sales. */
export async function listLeads(db: Db, principal: Principal, { q, ...filter }: LeadListFilter, page: { skip: number; take: number }) {
  const search = q ? await recordSearchOf(db, principal.groupId, q) : undefined;
  const { rows, total } = await findVisibleLeads(db, principal, { ...filter, search }, page);
  return { records: await findLeadRecords(db, rows), total };
}
