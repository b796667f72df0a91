import { DateTime } from 'luxon';
import { queryRows, type Db } from '../../platform/db.js';
import { nextRecordNumber } from '../shared/record-numbers.js';
import type { Customer, Lead, Prisma } from '../../prisma/generated/client.js';
import { hasPermission, type Principal, placeScopeWhere } from '../../domain/access.js';
import type { LeadState } from '../../workflows/leads/lead-follow-up.defs.js';
import { findCustomersByIds } from '../customers/repository.js';
import { findTodayOfProjects } from '../org/local-days.js';
import { findProjectNamesByIds, type ProjectPlace } from '../org/repository.js';
import { findSaleIdsByLeadIds } from '../sales/repository.js';
import { findUserNamesByIds } from '../users/repository.js';
import { leadError } from './errors.js';

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

/** Inserts the lead row with the day's next number (nextRecordNumber: concurrent creations never collide). */
export async function createLeadWithNextNumber(db: Db, o: { prefix: string; data: Omit<Prisma.LeadUncheckedCreateInput, 'number'> }) {
  return db.lead.create({ data: { ...o.data, number: await nextRecordNumber(db, 'lead', o.prefix) } });
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

type Page = { skip: number; take: number };

/**
 * What registering a lead reads before its checks, in one plain statement (queryRows): the project's
 * place, name and time zone, whether the request's lead is already stored (a retry after the
 * process that ran it died), and the cadences document's text (`cadenceKey`: app/leads/settings.ts
 * names and parses it).
 */
export async function findLeadOpeningContext(
  db: Db,
  o: { groupId: string; projectId: string; requestLeadId: string | null; cadenceKey: string },
): Promise<{ project: ProjectPlace | null; requestStored: boolean; cadencePolicies: string | null }> {
  const [row] = await queryRows<{ project: ProjectPlace | null; requestStored: boolean; cadencePolicies: string | null }>(
    db,
    `SELECT
       (SELECT json_build_object('id', p.id, 'groupId', p."groupId", 'companyId', p."companyId", 'name', p.name, 'timeZone', p."timeZone")
          FROM project p WHERE p.id = $1) AS project,
       ($2::text IS NOT NULL AND EXISTS (SELECT 1 FROM lead l WHERE l.id = $2)) AS "requestStored",
       (SELECT s.value::text FROM org_setting s WHERE s."groupId" = $3 AND s.key = $4) AS "cadencePolicies"`,
    [o.projectId, o.requestLeadId, o.groupId, o.cadenceKey],
  );
  return row!;
}

export async function findLeadById(db: Db, id: string) {
  return db.lead.findUnique({ where: { id } });
}

/** Leads created in [from, to) that no workflow has projected yet (lastEventSeq 0), oldest first. */
export async function findUnprojectedLeadsCreatedBetween(db: Db, o: { from: Date; to: Date; take: number }) {
  return db.lead.findMany({ where: { lastEventSeq: 0, createdAt: { gte: o.from, lt: o.to } }, orderBy: { createdAt: 'asc' }, take: o.take });
}

export async function deleteLead(db: Db, id: string): Promise<void> {
  await db.lead.delete({ where: { id } });
}

/** The loss reasons recorded on the group's leads (each once). */
export async function findLossReasonCodesRecordedOnLeads(db: Db, groupId: string): Promise<string[]> {
  const used = await db.lead.findMany({ where: { groupId, lostReason: { not: null } }, distinct: ['lostReason'], select: { lostReason: true } });
  return used.map((u) => u.lostReason!);
}

export interface LeadFilter {
  ownerId?: string | undefined;
  status?: string[] | undefined;
  grade?: string[] | undefined;
  source?: string[] | undefined;
  projectId?: string | undefined;
  /** Next touch due before. */
  dueBefore?: Date | undefined;
  /** The leads of one customer. */
  customerId?: string | undefined;
  /** A search: part of the lead number, or a lead of one of these customers (found by name or phone). */
  search?: { number: string; customerIds: readonly string[] } | undefined;
  /** `due` (default): the next deadline first; `created_desc`: the newest first. */
  sort?: 'due' | 'created_desc' | undefined;
  /** The next touch is due before the end of today, each lead by its project's day (overdue ones included). */
  dueToday?: boolean | undefined;
  /** The next touch's deadline has passed. */
  overdue?: boolean | undefined;
}

/** Leads in their cadence (new, contacting): the ones with a next touch due; pooled and ended leads have none. */
const IN_CADENCE: Prisma.LeadWhereInput = { status: { in: ['new', 'contacting'] } };

/** The filter as a `where` over the leads the principal may see; `now` anchors the relative filters. */
async function leadFilterWhere(db: Db, principal: Principal, f: LeadFilter, now: Date): Promise<Prisma.LeadWhereInput> {
  const and: Prisma.LeadWhereInput[] = [leadVisibilityWhere(principal)];
  if (f.ownerId) and.push({ ownerId: f.ownerId });
  if (f.status) and.push({ status: { in: f.status } });
  if (f.grade) and.push({ grade: { in: f.grade } });
  if (f.source) and.push({ source: { in: f.source } });
  if (f.projectId) and.push({ projectId: f.projectId });
  if (f.dueBefore) and.push({ nextTouchDueAt: { lt: f.dueBefore } });
  if (f.customerId) and.push({ customerId: f.customerId });
  if (f.search)
    and.push({ OR: [{ number: { contains: f.search.number } }, ...(f.search.customerIds.length ? [{ customerId: { in: [...f.search.customerIds] } }] : [])] });
  if (f.overdue) and.push(IN_CADENCE, { nextTouchDueAt: { lt: now } });
  if (f.dueToday) {
    const days = await findTodayOfProjects(db, principal.groupId, now.getTime());
    and.push(IN_CADENCE, {
      OR:
        days.length === 1
          ? [{ nextTouchDueAt: { lt: days[0]!.end } }]
          : days.map((d) => ({ projectId: { in: d.projectIds }, nextTouchDueAt: { lt: d.end } })),
    });
  }
  return { AND: and };
}

/** How many leads the principal may see match the filter: a list's total, without the list. */
export async function countVisibleLeads(db: Db, principal: Principal, f: LeadFilter, now: Date): Promise<number> {
  return db.lead.count({ where: await leadFilterWhere(db, principal, f, now) });
}

/** A page of the leads the principal may see, the next touch due first (today's follow-ups). */
export async function findVisibleLeads(db: Db, principal: Principal, f: LeadFilter, page: Page, now = new Date()) {
  const where = await leadFilterWhere(db, principal, f, now);
  const orderBy: Prisma.LeadOrderByWithRelationInput[] =
    f.sort === 'created_desc' ? [{ createdAt: 'desc' }, { id: 'asc' }] : [{ nextTouchDueAt: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }, { id: 'asc' }];
  const [rows, total] = await Promise.all([db.lead.findMany({ where, orderBy, ...page }), db.lead.count({ where })]);
  return { rows, total };
}

/** A lead with what its view shows: the live state (where asked), its project's name, users' names, its customer and its sale. */
export interface LeadRecord {
  row: Lead;
  state: LeadState | null;
  projectName: string | null;
  /** Names of users by id (the owner's is looked up here, whoever it is now). */
  userNames: ReadonlyMap<string, string>;
  customer: Customer | null;
  /** The sale the lead converted to, if any. */
  saleId: string | null;
}

/**
 * The leads with the names the console shows (project, owner, customer) and their sales, loaded
 * in four queries whatever the number of leads. `states` overlays the live workflow state of some of them.
 */
export async function findLeadRecords(db: Db, rows: Lead[], states: ReadonlyMap<string, LeadState | null> = new Map()): Promise<LeadRecord[]> {
  const userIds = rows.flatMap((r) => [r.ownerId, states.get(r.id)?.ownerId ?? null]).filter((x): x is string => x !== null);
  const [projectName, userNames, customers, saleOf] = await Promise.all([
    findProjectNamesByIds(db, rows.map((r) => r.projectId)),
    findUserNamesByIds(db, userIds),
    findCustomersByIds(db, rows.map((r) => r.customerId)),
    findSaleIdsByLeadIds(db, rows.map((r) => r.id)),
  ]);
  const customer = new Map(customers.map((c) => [c.id, c] as const));
  return rows.map((r) => ({
    row: r,
    state: states.get(r.id) ?? null,
    projectName: projectName.get(r.projectId) ?? null,
    userNames,
    customer: customer.get(r.customerId) ?? null,
    saleId: saleOf.get(r.id) ?? null,
  }));
}

/** One lead's record (see findLeadRecords). */
export async function findLeadRecord(db: Db, row: Lead, state: LeadState | null): Promise<LeadRecord> {
  const [record] = await findLeadRecords(db, [row], new Map([[row.id, state]]));
  return record!;
}

/** Numbers of leads of the group by id, in one query. */
export async function findLeadNumbersByIds(db: Db, ids: readonly string[], groupId: string): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.lead.findMany({ where: { id: { in: [...new Set(ids)] }, groupId }, select: { id: true, number: true } });
  return new Map(rows.map((r) => [r.id, r.number] as const));
}
