import type { Db } from '../../platform/db.js';
import type { Prisma } from '../../prisma/generated/client.js';

/** The record-view log (`record_view`): one row per customer an answer showed whole, appended before the answer leaves. */

/** Appends rows in one insert (the table's own sequence numbers them): concurrent views never wait on each other. */
export async function createRecordViews(db: Db, rows: Prisma.RecordViewCreateManyInput[]): Promise<void> {
  await db.recordView.createMany({ data: rows });
}

/** Appends one row inside a transaction (a decode of workflow payloads, beside its audit event). */
export async function createRecordViewIn(tx: Prisma.TransactionClient, row: Prisma.RecordViewCreateManyInput): Promise<void> {
  await tx.recordView.create({ data: row });
}

/** A page of the log, newest first. */
export async function findRecordViews(db: Db, where: Prisma.RecordViewWhereInput, page: { skip: number; take: number }) {
  const [rows, total] = await Promise.all([db.recordView.findMany({ where, orderBy: [{ viewedAt: 'desc' }, { id: 'desc' }], ...page }), db.recordView.count({ where })]);
  return { rows, total };
}
