import type { Principal } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';
import { findNamesForSales, findVisibleSales, type SaleFilter } from './repository.js';

/** A page of the sales the principal may see, the next deadline first, with the names the list shows (from the read model). */
export async function listSales(db: Db, principal: Principal, filter: SaleFilter, page: { skip: number; take: number }) {
  const { rows, total } = await findVisibleSales(db, principal, filter, page);
  const names = await findNamesForSales(db, principal.groupId, rows, new Map());
  return { rows, total, names };
}
