import { DateTime } from 'luxon';
import { isUniqueViolation, type Db } from '../../platform/db.js';
import type { Prisma, Sale } from '../../prisma/generated/client.js';
import { hasPermission, type Principal, placeScopeWhere } from '../../domain/access.js';
import { saleError } from '../../app/sales/errors.js';

/** Read-model queries of sales (`sale`, unit reservations, `audit_event`). */

/** A `where` on sales that keeps a principal inside its organisational scope (group, company, project). */
export function saleScopeWhere(p: Principal): Prisma.SaleWhereInput {
  return placeScopeWhere(p);
}

/**
 * The sales a principal may read, as a `where` (domain/access.ts canReadSale): sales managers and
 * managers every sale of the projects in their scope; sales staff and specialists their own.
 */
export function saleVisibilityWhere(p: Principal): Prisma.SaleWhereInput {
  if (hasPermission(p.role, 'sales:approve') || p.role === 'MANAGER') return saleScopeWhere(p);
  return { groupId: p.groupId, ownerId: p.id };
}

/** Loads a sale of the principal's organisation: 404 when unknown or in another group. Access is checked by the caller. */
export async function findSaleOfGroupOrThrow(db: Db, principal: Principal, id: string): Promise<Sale> {
  const row = await db.sale.findUnique({ where: { id } });
  if (!row || row.groupId !== principal.groupId) throw saleError('SALE_NOT_FOUND');
  return row;
}

/** `SL-YYYYMMDD-` in the project's time zone: the day of the subscription, as staff say it. */
export function saleNumberPrefix(now: number, timeZone: string): string {
  return `SL-${DateTime.fromMillis(now, { zone: timeZone }).toFormat('yyyyLLdd')}-`;
}

const unitTaken = () => saleError('UNIT_NOT_AVAILABLE', {}, { field: 'body.unitId' });

/**
 * Reserves `unitId` for `saleId` inside `tx`: one conditional UPDATE, so of two concurrent sales
 * of one unit exactly one wins (the row lock serialises them) and the other gets 409. A unit is
 * free when no live sale holds it, it is AVAILABLE and has no registered owner. Reserving a unit
 * the same sale already holds is a no-op (a SOLD unit stays SOLD).
 */
export async function reserveUnit(tx: Prisma.TransactionClient, o: { unitId: string; saleId: string }): Promise<void> {
  const count = await tx.$executeRaw`
    UPDATE unit SET "reservedBySaleId" = ${o.saleId}, status = CASE WHEN "reservedBySaleId" = ${o.saleId} THEN status ELSE 'RESERVED' END
    WHERE id = ${o.unitId} AND "ownerCustomerId" IS NULL
      AND (("reservedBySaleId" IS NULL AND status = 'AVAILABLE') OR "reservedBySaleId" = ${o.saleId})`;
  if (count !== 1) throw unitTaken();
}

/** Gives a unit back when the sale that reserved it did not come about (only if that sale still holds it). */
export async function releaseUnit(db: Db | Prisma.TransactionClient, o: { unitId: string; saleId: string }): Promise<void> {
  await db.$executeRaw`
    UPDATE unit SET "reservedBySaleId" = NULL, status = 'AVAILABLE'
    WHERE id = ${o.unitId} AND "reservedBySaleId" = ${o.saleId} AND status = 'RESERVED'`;
}

/**
 * Inserts the sale row with the day's next number and reserves its unit, in one transaction: a
 * sale row never exists without its unit, nor a reservation without its sale. The numbering is
 * serialised by an advisory lock on the day's prefix. 409 UNIT_NOT_AVAILABLE when the unit is
 * taken, 409 LEAD_ALREADY_SOLD when the lead already has a sale.
 */
export async function createSaleWithNextNumber(db: Db, o: { prefix: string; data: Omit<Prisma.SaleUncheckedCreateInput, 'number'> }): Promise<Sale> {
  try {
    return await db.$transaction(async (tx) => {
      await reserveUnit(tx, { unitId: o.data.unitId, saleId: o.data.id! });
      await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext(${o.prefix}))) AS l`;
      const [last] = await tx.$queryRaw<{ n: number | null }[]>`
        SELECT max(split_part("number", '-', 3)::int) AS n FROM sale WHERE "number" LIKE ${`${o.prefix}%`}`;
      const n = (last?.n ?? 0) + 1;
      return tx.sale.create({ data: { ...o.data, number: `${o.prefix}${String(n).padStart(4, '0')}` } });
    });
  } catch (err) {
    // The number is serialised and the ids are fresh: the one unique key a request can collide on is the lead's.
    if (isUniqueViolation(err))
      throw saleError('LEAD_ALREADY_SOLD', {}, { field: 'body.leadId' });
    throw err;
  }
}

