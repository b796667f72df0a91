import type { Db } from '../../platform/db.js';
import type { Principal } from '../../domain/access.js';
import { findAuditEventsOfStream } from '../../app/audit/repository.js';
import { findUserNamesByIds } from '../../app/users/repository.js';

/**
 * One page of a workflow's audit trail (oldest first) as the console's timelines read it, with the
 * display names of the colleagues it mentions (actors, and the user ids in `userFields` of each
 * event's data): sales staff cannot read the staff list, so the names come with the page.
 */
export async function auditEventPage(
  db: Db,
  principal: Principal,
  o: { workflowId: string; page: number; pageSize: number; userFields: readonly string[] },
) {
  const { rows, total } = await findAuditEventsOfStream(db, o.workflowId, { skip: (o.page - 1) * o.pageSize, take: o.pageSize });
  const mentioned = new Set<string>();
  for (const e of rows) {
    mentioned.add(e.actor);
    const data = (e.data ?? {}) as Record<string, unknown>;
    for (const key of o.userFields) if (typeof data[key] === 'string') mentioned.add(data[key] as string);
  }
  mentioned.delete('system');
  const names: Record<string, string> = Object.fromEntries(await findUserNamesByIds(db, [...mentioned], principal.groupId));
  return {
    items: rows.map((e) => ({ seq: e.seq, type: e.type, actor: e.actor, actorName: names[e.actor] ?? null, at: e.at.toISOString(), data: e.data })),
    total,
    page: o.page,
    pageSize: o.pageSize,
    names,
  };
}
