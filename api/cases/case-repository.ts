import { DateTime } from 'luxon';
import type { Db } from '../../platform/db.js';
import type { Prisma } from '../../prisma/generated/client.js';
import { isProjectInScope, type Principal, placeScopeWhere } from '../../domain/access.js';
import { caseError } from '../../app/cases/errors.js';

/** Read-model queries of cases (`case_record`, `case_escalation`, `audit_event`). */

/** A `where` on cases that keeps a principal inside its organisational scope. */
export function caseScopeWhere(p: Principal): Prisma.CaseWhereInput {
  return placeScopeWhere(p);
}

/** The cases the principal's office works at their current tier: its handler queue. */
export function caseQueueWhere(p: Principal): Prisma.CaseWhereInput {
  return { ...caseScopeWhere(p), tier: p.scopeLevel };
}

/** Loads a case the principal may see: 404 when unknown (or in another group), 403 outside its scope. */
export async function findCaseInScopeOrThrow(db: Db, principal: Principal, id: string) {
  const row = await db.case.findUnique({ where: { id } });
  if (!row || row.groupId !== principal.groupId) throw caseError('CASE_NOT_FOUND');
  if (!isProjectInScope(principal, { id: row.projectId, groupId: row.groupId, companyId: row.companyId })) throw caseError('OUT_OF_SCOPE');
  return row;
}

export async function findNamesForCases(db: Db, rows: { projectId: string; assigneeId: string | null }[]) {
  const projectIds = [...new Set(rows.map((r) => r.projectId))];
  const userIds = [...new Set(rows.flatMap((r) => (r.assigneeId ? [r.assigneeId] : [])))];
  const [projects, users] = await Promise.all([
    projectIds.length ? db.project.findMany({ where: { id: { in: projectIds } }, select: { id: true, name: true } }) : [],
    userIds.length ? db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, displayName: true } }) : [],
  ]);
  return {
    project: new Map(projects.map((p) => [p.id, p.name] as const)),
    user: new Map(users.map((u) => [u.id, u.displayName] as const)),
  };
}

/** `CS-YYYYMMDD-` in the project's time zone: the day the customer called, as staff say it. */
export function caseNumberPrefix(now: number, timeZone: string): string {
  return `CS-${DateTime.fromMillis(now, { zone: timeZone }).toFormat('yyyyLLdd')}-`;
}

/**
 * Inserts the case row with the day's next number. A transaction-scoped advisory lock on the day's
 * prefix serialises numbering, so concurrent openings never collide on a number (no retry loop).
 */
export async function createCaseWithNextNumber(
  db: Db,
  o: { prefix: string; data: Omit<Prisma.CaseUncheckedCreateInput, 'number'> },
) {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext(${o.prefix}))) AS l`;
    const [last] = await tx.$queryRaw<{ n: number | null }[]>`
      SELECT max(split_part("number", '-', 3)::int) AS n FROM case_record WHERE "number" LIKE ${`${o.prefix}%`}`;
    const n = (last?.n ?? 0) + 1;
    return tx.case.create({ data: { ...o.data, number: `${o.prefix}${String(n).padStart(4, '0')}` } });
  });
}

/** One customer per phone number and group: a caller already known is reused, never duplicated. */
export async function findOrCreateCustomerByPhone(db: Db, o: { groupId: string; name: string; phone: string }) {
  return db.customer.upsert({
    where: { groupId_phone: { groupId: o.groupId, phone: o.phone } },
    create: { groupId: o.groupId, name: o.name, phone: o.phone },
    update: {},
  });
}

export async function findCaseEventsByWorkflowId(db: Db, workflowId: string, page: { skip: number; take: number }) {
  const where = { streamId: workflowId };
  const [rows, total] = await Promise.all([
    db.auditEvent.findMany({ where, orderBy: { seq: 'asc' }, ...page }),
    db.auditEvent.count({ where }),
  ]);
  return { rows, total };
}
