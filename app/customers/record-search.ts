import type { Db } from '../../platform/db.js';
import { findCustomerIdsMatching } from './repository.js';

/**
 * How many customers a list's `q` looks among (the most recently registered first): a name or a
 * piece of a number matching more callers than this is too vague to find one caller's records by.
 */
export const SEARCHED_CUSTOMERS_LIMIT = 200;

/** What the `q` of a list of cases, leads or sales finds: part of the record's number, or its customer's name or phone. */
export interface RecordSearch {
  number: string;
  customerIds: readonly string[];
}

/** Reads a list's `q`: the number as records are written (upper case), and the group's customers it names. */
export async function recordSearchOf(db: Db, groupId: string, q: string): Promise<RecordSearch> {
  return { number: q.toUpperCase(), customerIds: await findCustomerIdsMatching(db, groupId, q, SEARCHED_CUSTOMERS_LIMIT) };
}
