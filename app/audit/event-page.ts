import type { Db } from '../../platform/db.js';
import type { Principal } from '../../domain/access.js';
import { findNames } from '../shared/names.js';
import { findAuditEventsOfStream } from './repository.js';

/** One audit event as a timeline reads it: its data may be expanded from the read model (a note's text). */
export interface AuditEventItem {
  seq: number;
  type: string;
  actor: string;
  /** The acting colleague's display name (null for `system` or a user not of the organisation). */
  actorName: string | null;
  at: string;
  data: unknown;
}

type StoredEvent = { seq: number; type: string; actor: string; data: Record<string, unknown> };

/**
 * One page of a workflow's audit trail (oldest first) as the console's timelines read it, for
 * every process alike (cases, leads, sales): each event's actor by name, and the display names of
 * the colleagues it mentions (actors, and the user ids in `userFields` of each event's data) in
 * `names`, in one query for the page; roles that cannot read the staff list still see who did what.
 * `expand` lets a process show, beside an event's stored data, what the event only names by id
 * (a note's text kept out of the workflow): it reads the page's events at once and answers the
 * data to show for each.
 */
export async function auditEventPage(
  db: Db,
  principal: Principal,
  o: {
    workflowId: string;
    page: number;
    pageSize: number;
    userFields: readonly string[];
    expand?: (events: readonly StoredEvent[]) => Promise<(event: StoredEvent) => unknown>;
  },
) {
  const { rows, total } = await findAuditEventsOfStream(db, o.workflowId, { skip: (o.page - 1) * o.pageSize, take: o.pageSize });
  const events: StoredEvent[] = rows.map((e) => ({
    seq: e.seq,
    type: e.type,
    actor: e.actor,
    data: e.data && typeof e.data === 'object' && !Array.isArray(e.data) ? (e.data as Record<string, unknown>) : {},
  }));
  const mentioned = events.flatMap((e) => [e.actor, ...o.userFields.map((key) => (typeof e.data[key] === 'string' ? (e.data[key] as string) : null))]);
  const [{ user }, shown] = await Promise.all([
    findNames(db, principal.groupId, { userIds: mentioned }),
    o.expand ? o.expand(events) : Promise.resolve((e: StoredEvent): unknown => e.data),
  ]);
  const names: Record<string, string> = Object.fromEntries(user);
  const items: AuditEventItem[] = rows.map((e, i) => ({
    seq: e.seq,
    type: e.type,
    actor: e.actor,
    actorName: names[e.actor] ?? null,
    at: e.at.toISOString(),
    data: o.expand ? shown(events[i]!) : e.data,
  }));
  return { items, total, page: o.page, pageSize: o.pageSize, names };
}
