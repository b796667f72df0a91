import type { Prisma } from '../../prisma/generated/client.js';
import type { Db } from '../../platform/db.js';
import type { SlaMetrics } from './sla-metrics.js';

export interface AuditEventInput {
  /** The workflow id (or an entity id for changes made by the API). */
  streamId: string;
  /** The event's position in its stream; (streamId, seq) is the idempotency key. */
  seq: number;
  type: string;
  actor: string;
  /** ISO-8601 instant the event happened (workflow time, not the time the activity ran). */
  at: string;
  data: Prisma.InputJsonObject;
  groupId?: string;
}

export interface AuditEventResult {
  /** False when a previous attempt had already written this (streamId, seq). */
  inserted: boolean;
}

/**
 * Appends events to the audit trail, each once: an event whose (streamId, seq) is taken (a retried
 * attempt whose first one wrote the row) writes nothing. Answers the events written now, to count.
 * `db` may be an open transaction.
 */
export async function insertAuditEvents(db: Pick<Db, 'auditEvent'>, events: readonly AuditEventInput[]): Promise<AuditEventInput[]> {
  const inserted: AuditEventInput[] = [];
  for (const event of events) {
    const { count } = await db.auditEvent.createMany({
      data: [{ streamId: event.streamId, seq: event.seq, type: event.type, actor: event.actor, at: new Date(event.at), data: event.data, groupId: event.groupId ?? null }],
      skipDuplicates: true,
    });
    if (count === 1) inserted.push(event);
  }
  return inserted;
}

export function createAuditActivities(deps: { db: Db; metrics?: SlaMetrics }) {
  return {
    /**
     * Appends one event to the audit trail. A retried attempt (the first one wrote the row but
     * its completion was lost) finds the unique (streamId, seq) taken and writes nothing.
     */
    async recordAuditEvent(event: AuditEventInput): Promise<AuditEventResult> {
      const inserted = await insertAuditEvents(deps.db, [event]);
      for (const e of inserted) deps.metrics?.countAuditEvent(e);
      return { inserted: inserted.length === 1 };
    },
  };
}
