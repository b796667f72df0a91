import type { Db } from '../../platform/db.js';
import type { Prisma } from '../../prisma/generated/client.js';

/**
 * The audit trail (`audit_event`): append-only streams, one per workflow (`case:…`, `lead:…`) or
 * per organisational subject (`settings:<group>:<key>`, `temporal-codec:<user>`), numbered by `seq`.
 * Workflow streams are written by the audit activity (activities/platform/audit.ts).
 */

/** One page of a stream, oldest first, and the stream's length. */
export async function findAuditEventsOfStream(db: Db, streamId: string, page: { skip: number; take: number }) {
  const where = { streamId };
  const [rows, total] = await Promise.all([db.auditEvent.findMany({ where, orderBy: { seq: 'asc' }, ...page }), db.auditEvent.count({ where })]);
  return { rows, total };
}

/** The latest events of any of the streams whose type is one of `types`, newest first, at most `take`. */
export async function findLatestAuditEventsOfStreams(db: Db, streamIds: readonly string[], types: readonly string[], take: number) {
  if (streamIds.length === 0 || types.length === 0) return [];
  return db.auditEvent.findMany({
    where: { streamId: { in: [...new Set(streamIds)] }, type: { in: [...types] } },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take,
  });
}

/** The stream's last sequence number (0 for a new stream). */
async function findLastSeqOfStream(db: Db | Prisma.TransactionClient, streamId: string): Promise<number> {
  const last = await db.auditEvent.findFirst({ where: { streamId }, orderBy: { seq: 'desc' }, select: { seq: true } });
  return last?.seq ?? 0;
}

export interface NewAuditEvent {
  streamId: string;
  type: string;
  actor: string;
  at: Date;
  groupId: string;
  data: Prisma.InputJsonValue;
}

/** Appends an event after the stream's last one. Not serialised: for streams written one at a time (an administrator's settings). */
export async function appendAuditEvent(db: Db | Prisma.TransactionClient, e: NewAuditEvent): Promise<number> {
  const seq = (await findLastSeqOfStream(db, e.streamId)) + 1;
  await db.auditEvent.create({ data: { ...e, seq } });
  return seq;
}

/**
 * Appends an event inside a transaction that holds an advisory lock on the stream, so parallel
 * appends are numbered one after another instead of colliding on (streamId, seq). `alongside`
 * writes what must agree with the event in the same transaction (it gets the event's `seq`).
 */
export async function appendAuditEventSerialised(
  db: Db,
  e: NewAuditEvent,
  alongside?: (tx: Prisma.TransactionClient, seq: number) => Promise<unknown>,
): Promise<number> {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext(${e.streamId}))) AS l`;
    const seq = (await findLastSeqOfStream(tx, e.streamId)) + 1;
    if (alongside) await alongside(tx, seq);
    await tx.auditEvent.create({ data: { ...e, seq } });
    return seq;
  });
}
