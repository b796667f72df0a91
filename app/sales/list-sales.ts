import type { Principal } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';
import { recordSearchOf } from '../customers/record-search.js';
import { findNamesForSales, findVisibleSales, type SaleFilter } from './repository.js';

export interface SaleListFilter extends Omit<SaleFilter, 'search'> {
  /** Part of the sale number, or the buyer's name or phone number (any format, four digits or more). */
  q?: string | undefined;
}

/** A page of the sales the principal may see, the next deadline first, with the names the list shows (from the read model). */
export async function listSales(db: Db, principal: Principal, { q, ...filter }: SaleListFilter, page: { skip: number; take: number }) {
  const search = q ? await recordSearchOf(db, principal.groupId, q) : undefined;
  const { rows, total } = await findVisibleSales(db, principal, { ...filter, search }, page);
  const names = await findNamesForSales(db, principal.groupId, rows, new Map());
  return { rows, total, names };
}
