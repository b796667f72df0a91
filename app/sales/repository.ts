import { DateTime } from 'luxon';
import { isUniqueViolation, type Db } from '../../platform/db.js';
import { nextRecordNumber } from '../shared/record-numbers.js';
import type { Customer, Prisma, Sale } from '../../prisma/generated/client.js';
import { hasPermission, type Principal, placeScopeWhere } from '../../domain/access.js';
import type { SaleApproval, SaleState } from '../../workflows/sales/sale-lifecycle.defs.js';
import { findCasesOfSale } from '../cases/repository.js';
import { findCustomersByIds } from '../customers/repository.js';
import { findProjectNamesByIds, findUnitLabelsByIds } from '../org/repository.js';
import { findUserNamesByIds } from '../users/repository.js';
import { saleError } from './errors.js';

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

/** Reserves a unit for a sale that exists already (a unit change holds the new unit while the request waits). */
export async function reserveUnitForSale(db: Db, o: { unitId: string; saleId: string }): Promise<void> {
  await db.$transaction((tx) => reserveUnit(tx, o));
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
 * taken from the day's counter (nextRecordNumber). 409 UNIT_NOT_AVAILABLE when the unit is
 * taken, 409 LEAD_ALREADY_SOLD when the lead already has a sale.
 */
export async function createSaleWithNextNumber(db: Db, o: { prefix: string; data: Omit<Prisma.SaleUncheckedCreateInput, 'number'> }): Promise<Sale> {
  try {
    return await db.$transaction(async (tx) => {
      await reserveUnit(tx, { unitId: o.data.unitId, saleId: o.data.id! });
      return tx.sale.create({ data: { ...o.data, number: await nextRecordNumber(tx, 'sale', o.prefix) } });
    });
  } catch (err) {
    // The number is serialised and the ids are fresh: the one unique key a request can collide on is the lead's.
    if (isUniqueViolation(err))
      throw saleError('LEAD_ALREADY_SOLD', {}, { field: 'body.leadId' });
    throw err;
  }
}

type Page = { skip: number; take: number };

export async function findSaleById(db: Db, id: string): Promise<Sale | null> {
  return db.sale.findUnique({ where: { id } });
}

/** Sales opened in [from, to) that no workflow has projected yet (lastEventSeq 0), oldest first. */
export async function findUnprojectedSalesCreatedBetween(db: Db, o: { from: Date; to: Date; take: number }) {
  return db.sale.findMany({ where: { lastEventSeq: 0, createdAt: { gte: o.from, lt: o.to } }, orderBy: { createdAt: 'asc' }, take: o.take });
}

export async function deleteSale(db: Db, id: string): Promise<void> {
  await db.sale.delete({ where: { id } });
}

/** The sales of leads, by lead id (a lead has at most one), in one query. */
export async function findSaleIdsByLeadIds(db: Db, leadIds: readonly string[]): Promise<Map<string, string>> {
  if (leadIds.length === 0) return new Map();
  const sales = await db.sale.findMany({ where: { leadId: { in: [...leadIds] } }, select: { id: true, leadId: true } });
  return new Map(sales.map((s) => [s.leadId!, s.id] as const));
}

export interface SaleFilter {
  ownerId?: string | undefined;
  stage?: string[] | undefined;
  projectId?: string | undefined;
  /** Next deadline before. */
  dueBefore?: Date | undefined;
  /** Only sales waiting for a sales manager's decision. */
  pendingApproval?: boolean | undefined;
  /** The sales of one customer. */
  customerId?: string | undefined;
  /** A search: part of the sale number, or a sale of one of these customers (found by name or phone). */
  search?: { number: string; customerIds: readonly string[] } | undefined;
  /** `due` (default): the next deadline first; `created_desc`: the newest first. */
  sort?: 'due' | 'created_desc' | undefined;
}

function saleFilterWhere(principal: Principal, f: SaleFilter): Prisma.SaleWhereInput {
  const and: Prisma.SaleWhereInput[] = [saleVisibilityWhere(principal)];
  if (f.ownerId) and.push({ ownerId: f.ownerId });
  if (f.stage) and.push({ stage: { in: f.stage } });
  if (f.projectId) and.push({ projectId: f.projectId });
  if (f.dueBefore) and.push({ nextDueAt: { lt: f.dueBefore } });
  if (f.pendingApproval) and.push({ pendingApproval: { not: null } });
  if (f.customerId) and.push({ customerId: f.customerId });
  if (f.search)
    and.push({ OR: [{ number: { contains: f.search.number } }, ...(f.search.customerIds.length ? [{ customerId: { in: [...f.search.customerIds] } }] : [])] });
  return { AND: and };
}

/** How many sales the principal may see match the filter: a list's total, without the list. */
export async function countVisibleSales(db: Db, principal: Principal, f: SaleFilter): Promise<number> {
  return db.sale.count({ where: saleFilterWhere(principal, f) });
}

/** A page of the sales the principal may see, the next deadline first. */
export async function findVisibleSales(db: Db, principal: Principal, f: SaleFilter, page: Page) {
  const where = saleFilterWhere(principal, f);
  const orderBy: Prisma.SaleOrderByWithRelationInput[] =
    f.sort === 'created_desc' ? [{ createdAt: 'desc' }, { id: 'asc' }] : [{ nextDueAt: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }, { id: 'asc' }];
  const [rows, total] = await Promise.all([db.sale.findMany({ where, orderBy, ...page }), db.sale.count({ where })]);
  return { rows, total };
}

/** Arrays stored by the projection as the workflow holds them (epoch ms); read defensively. */
const arrayOf = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/** The names a page of sales shows: projects, units (`<building> <number>`), colleagues and buyers. */
export interface SaleNameSources {
  projectName: Map<string, string>;
  unitNumber: Map<string, string>;
  userName: Map<string, string>;
  customer: Map<string, Customer>;
}

/** Loads the names a page of sales shows, in four queries whatever the number of sales. */
export async function findNamesForSales(db: Db, groupId: string, rows: Sale[], states: ReadonlyMap<string, SaleState | null>): Promise<SaleNameSources> {
  const ids = <T>(xs: T[]) => [...new Set(xs.filter((x): x is NonNullable<T> => x !== null && x !== undefined))] as string[];
  const unitIds = ids(rows.flatMap((r) => [r.unitId, states.get(r.id)?.unitId, ...(states.get(r.id)?.approvals ?? []).map((a) => a.unitId)]));
  const userIds = ids(
    rows.flatMap((r) => {
      const s = states.get(r.id);
      return [r.ownerId, s?.ownerId, ...(s?.approvals ?? []).flatMap((a) => [a.requestedBy, a.decidedBy]), ...arrayOf<SaleApproval>(r.approvals).flatMap((a) => [a.requestedBy, a.decidedBy])];
    }),
  );
  const [projectName, unitNumber, userName, customers] = await Promise.all([
    findProjectNamesByIds(db, ids(rows.map((r) => r.projectId))),
    findUnitLabelsByIds(db, unitIds),
    findUserNamesByIds(db, userIds, groupId),
    findCustomersByIds(db, ids(rows.map((r) => r.customerId)), groupId),
  ]);
  return { projectName, unitNumber, userName, customer: new Map(customers.map((c) => [c.id, c])) };
}

export async function findOwnerRegistrationOfSale(db: Db, saleId: string) {
  return db.ownerRegistration.findUnique({ where: { saleId }, select: { id: true } });
}

/** A sale with what its page shows: the live state (null when the workflow did not answer), names, repair cases, and whether the buyer is registered as owner. */
export interface SaleRecord {
  row: Sale;
  state: SaleState | null;
  names: SaleNameSources;
  cases: Awaited<ReturnType<typeof findCasesOfSale>>;
  ownerRegistered: boolean;
}

/** The sale with its names, linked repair cases and move-in record. */
export async function findSaleRecord(db: Db, principal: Principal, row: Sale, state: SaleState | null): Promise<SaleRecord> {
  const [names, cases, registration] = await Promise.all([
    findNamesForSales(db, principal.groupId, [row], new Map([[row.id, state]])),
    findCasesOfSale(db, { saleId: row.id, groupId: row.groupId }),
    findOwnerRegistrationOfSale(db, row.id),
  ]);
  return { row, state, names, cases, ownerRegistered: registration !== null };
}

/** A project's construction-progress notes, newest first (the monthly buyer email quotes the latest). */
export async function findProgressNotesOfProject(db: Db, projectId: string, page: Page) {
  const where = { projectId };
  const [rows, total] = await Promise.all([
    db.projectProgressNote.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], ...page }),
    db.projectProgressNote.count({ where }),
  ]);
  return { rows, total };
}

export async function createProgressNote(db: Db, n: { id?: string; projectId: string; text: string; createdById: string }) {
  return db.projectProgressNote.create({ data: n });
}

export async function findProgressNoteById(db: Db, id: string) {
  return db.projectProgressNote.findUnique({ where: { id } });
}

/** Numbers of sales of the group by id, in one query. */
export async function findSaleNumbersByIds(db: Db, ids: readonly string[], groupId: string): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.sale.findMany({ where: { id: { in: [...new Set(ids)] }, groupId }, select: { id: true, number: true } });
  return new Map(rows.map((r) => [r.id, r.number] as const));
}
