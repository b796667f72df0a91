import type { Principal } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';
import { findLeadRecords, findVisibleLeads, type LeadFilter } from './repository.js';

/** A page of the leads the principal may see, the next touch due first, with their names and sales. */
export async function listLeads(db: Db, principal: Principal, filter: LeadFilter, page: { skip: number; take: number }) {
  const { rows, total } = await findVisibleLeads(db, principal, filter, page);
  return { records: await findLeadRecords(db, rows), total };
}
