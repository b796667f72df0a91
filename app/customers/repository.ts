import { isUniqueViolation, type Db } from '../../platform/db.js';
import type { Prisma } from '../../prisma/generated/client.js';
import { phoneSearchKey } from '../../domain/customers/phone.js';
import { customerError } from './errors.js';

/** Customers of an organisation (`customer`): callers, prospects, buyers and owners (业主), one per phone number and group. */

type Page = { skip: number; take: number };

/** One customer per phone number and group: a caller already known is reused, never duplicated. */
export async function findOrCreateCustomerByPhone(db: Db, o: { groupId: string; name: string; phone: string }) {
  // Not `upsert` with an empty update: Prisma runs that as read, insert and read again in a
  // transaction (five statements). A read, and an insert when new; a caller registered by a
  // concurrent request meanwhile (the unique key decides) is read again.
  const where = { groupId_phone: { groupId: o.groupId, phone: o.phone } };
  const found = await db.customer.findUnique({ where });
  if (found) return found;
  try {
    return await db.customer.create({ data: { groupId: o.groupId, name: o.name, phone: o.phone } });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return db.customer.findUniqueOrThrow({ where });
  }
}

export async function findCustomerOfGroup(db: Db, groupId: string, id: string) {
  return db.customer.findFirst({ where: { id, groupId } });
}

export async function findCustomerOfGroupByPhone(db: Db, groupId: string, phone: string) {
  return db.customer.findFirst({ where: { groupId, phone } });
}

export async function findCustomerById(db: Db, id: string) {
  return db.customer.findUnique({ where: { id } });
}

/** Customers by id, in one query (none for an empty list); of one group when `groupId` is given. */
export async function findCustomersByIds(db: Db, ids: readonly string[], groupId?: string) {
  if (ids.length === 0) return [];
  return db.customer.findMany({ where: { id: { in: [...new Set(ids)] }, ...(groupId ? { groupId } : {}) } });
}

/** Customer names by id, in one query, of one group. */
export async function findCustomerNamesByIds(db: Db, ids: readonly string[], groupId: string): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.customer.findMany({ where: { id: { in: [...new Set(ids)] }, groupId }, select: { id: true, name: true } });
  return new Map(rows.map((c) => [c.id, c.name] as const));
}

/**
 * What a search text matches among customers: part of the name, or, when the text is a phone
 * number or a piece of one (four digits or more, typed any way: `8888 6666`, `0571-8888`,
 * `+86 138`), part of the number's digits.
 */
export function customerSearchWhere(q: string): Prisma.CustomerWhereInput {
  const digits = phoneSearchKey(q);
  return { OR: [{ name: { contains: q, mode: 'insensitive' } }, ...(digits ? [{ phoneDigits: { contains: digits } }] : [])] };
}

/** A page of the group's customers, newest first; `q` matches the name or the phone number (customerSearchWhere). */
export async function findCustomersOfGroup(db: Db, groupId: string, q: string | undefined, page: Page) {
  const where: Prisma.CustomerWhereInput = { groupId, ...(q ? customerSearchWhere(q) : {}) };
  const [rows, total] = await Promise.all([db.customer.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], ...page }), db.customer.count({ where })]);
  return { rows, total };
}

/**
 * The ids of the group's customers `q` matches (customerSearchWhere), the most recently registered
 * first, at most `limit`: what lists of cases, leads and sales filter their records by.
 */
export async function findCustomerIdsMatching(db: Db, groupId: string, q: string, limit: number): Promise<string[]> {
  const rows = await db.customer.findMany({ where: { groupId, ...customerSearchWhere(q) }, select: { id: true }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: limit });
  return rows.map((r) => r.id);
}

export async function createCustomer(db: Db, c: { id?: string; groupId: string; name: string; phone: string; email: string | null; consentToContact: boolean }) {
  return db.customer.create({ data: c });
}

/** A customer of the principal's organisation: 404 when unknown or another group's. */
export async function findCustomerOfGroupOrThrow(db: Db, groupId: string, id: string) {
  const customer = await findCustomerOfGroup(db, groupId, id);
  if (!customer) throw customerError('CUSTOMER_NOT_FOUND');
  return customer;
}
