import { DateTime } from 'luxon';
import type { Db } from '../../platform/db.js';
import type { Lead, Prisma } from '../../prisma/generated/client.js';
import { hasPermission, type Principal, placeScopeWhere } from '../../domain/access.js';
import { toCustomerView } from '../customers/routes.js';
import { leadError } from '../../app/leads/errors.js';
import type { LeadState } from '../../workflows/leads/lead-follow-up.defs.js';
import { toLeadView } from './lead-view.js';

/** Read-model queries of leads (`lead`, `assignment_cursor`, `audit_event`). */

/** A `where` on leads that keeps a principal inside its organisational scope (group, company, project). */
export function leadScopeWhere(p: Principal): Prisma.LeadWhereInput {
  return placeScopeWhere(p);
}

/**
 * The leads a principal may read, as a `where` (domain/access.ts canReadLead): sales managers
 * every lead of the projects in their scope; sales staff and specialists the leads they own and
 * the pool of the projects in their scope.
 */
export function leadVisibilityWhere(p: Principal): Prisma.LeadWhereInput {
  if (hasPermission(p.role, 'leads:manage')) return leadScopeWhere(p);
  return { groupId: p.groupId, OR: [{ ownerId: p.id }, { ...leadScopeWhere(p), status: 'pooled' }] };
}

/** Loads a lead of the principal's organisation: 404 when unknown or in another group. Access is checked by the caller. */
export async function findLeadOfGroupOrThrow(db: Db, principal: Principal, id: string): Promise<Lead> {
  const row = await db.lead.findUnique({ where: { id } });
  if (!row || row.groupId !== principal.groupId) throw leadError('LEAD_NOT_FOUND');
  return row;
}

/** `LD-YYYYMMDD-` in the project's time zone: the day the lead arrived, as staff say it. */
export function leadNumberPrefix(now: number, timeZone: string): string {
  return `LD-${DateTime.fromMillis(now, { zone: timeZone }).toFormat('yyyyLLdd')}-`;
}

/**
 * Inserts the lead row with the day's next number. A transaction-scoped advisory lock on the day's
 * prefix serialises numbering, so concurrent creations never collide on a number (no retry loop).
 */
export async function createLeadWithNextNumber(db: Db, o: { prefix: string; data: Omit<Prisma.LeadUncheckedCreateInput, 'number'> }) {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext(${o.prefix}))) AS l`;
    const [last] = await tx.$queryRaw<{ n: number | null }[]>`
      SELECT max(split_part("number", '-', 3)::int) AS n FROM lead WHERE "number" LIKE ${`${o.prefix}%`}`;
    const n = (last?.n ?? 0) + 1;
    return tx.lead.create({ data: { ...o.data, number: `${o.prefix}${String(n).padStart(4, '0')}` } });
  });
}

/**
 * Moves the round-robin cursor of `key` one step and returns its new position (0 on first use).
 * One statement (an upsert that increments), so two concurrent creations never get the same turn.
 */
export async function nextAssignmentPosition(db: Db, key: string): Promise<number> {
  const [row] = await db.$queryRaw<{ position: number }[]>`
    INSERT INTO assignment_cursor ("key", "position", "updatedAt") VALUES (${key}, 0, now())
    ON CONFLICT ("key") DO UPDATE SET "position" = assignment_cursor."position" + 1, "updatedAt" = now()
    RETURNING "position"`;
  return row!.position;
}


/**
 * Lead views with the names the console shows (project, owner, customer), loaded in three queries
 * whatever the number of leads. `states` overlays the live workflow state of some of them.
 */
export async function toLeadViews(db: Db, principal: Principal, rows: Lead[], states: ReadonlyMap<string, LeadState | null> = new Map()) {
  const projectIds = [...new Set(rows.map((r) => r.projectId))];
  const userIds = [...new Set(rows.flatMap((r) => [r.ownerId, states.get(r.id)?.ownerId ?? null]).filter((x): x is string => x !== null))];
  const customerIds = [...new Set(rows.map((r) => r.customerId))];
  const leadIds = rows.map((r) => r.id);
  const [projects, users, customers, sales] = await Promise.all([
    projectIds.length ? db.project.findMany({ where: { id: { in: projectIds } }, select: { id: true, name: true } }) : [],
    userIds.length ? db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, displayName: true } }) : [],
    customerIds.length ? db.customer.findMany({ where: { id: { in: customerIds } } }) : [],
    leadIds.length ? db.sale.findMany({ where: { leadId: { in: leadIds } }, select: { id: true, leadId: true } }) : [],
  ]);
  const saleOf = new Map(sales.map((s) => [s.leadId!, s.id] as const));
  const projectName = new Map(projects.map((p) => [p.id, p.name] as const));
  const userNames = new Map(users.map((u) => [u.id, u.displayName] as const));
  const customer = new Map(customers.map((c) => [c.id, toCustomerView(principal, c)] as const));
  return rows.map((r) =>
    toLeadView(r, { state: states.get(r.id) ?? null, projectName: projectName.get(r.projectId) ?? null, userNames, customer: customer.get(r.customerId) ?? null, saleId: saleOf.get(r.id) ?? null }),
  );
}

/** One lead's view (see toLeadViews). */
export async function toLeadViewWithNames(db: Db, principal: Principal, row: Lead, state: LeadState | null) {
  const [view] = await toLeadViews(db, principal, [row], new Map([[row.id, state]]));
  return view!;
}
