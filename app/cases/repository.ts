import crypto from 'node:crypto';
import { DateTime } from 'luxon';
import { queryRows, type Db } from '../../platform/db.js';
import { nextRecordNumber } from '../shared/record-numbers.js';
import { Prisma, type Case } from '../../prisma/generated/client.js';
import { isProjectInScope, type Principal, placeScopeWhere } from '../../domain/access.js';
import type { Tier } from '../../domain/cases/types.js';
import { findNames, type Names } from '../shared/names.js';
import type { UnitName } from '../org/repository.js';
import { caseError } from './errors.js';

/** Read-model queries of cases (`case_record`, `case_escalation`, `audit_event`). */

type Page = { skip: number; take: number };

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

export async function findCaseById(db: Db, id: string) {
  return db.case.findUnique({ where: { id } });
}

/**
 * Cases opened in [from, to) that no workflow has projected yet (lastEventSeq 0), oldest first: a
 * request's process may have died between storing one and starting its workflow.
 */
export async function findUnprojectedCasesOpenedBetween(db: Db, o: { from: Date; to: Date; take: number }) {
  return db.case.findMany({ where: { lastEventSeq: 0, openedAt: { gte: o.from, lt: o.to } }, orderBy: { openedAt: 'asc' }, take: o.take });
}

/** The case opened for `sourceKey` (a sale's defect, say), if any. */
export async function findCaseBySourceKey(db: Db, sourceKey: string) {
  return db.case.findUnique({ where: { sourceKey } });
}

export async function deleteCase(db: Db, id: string): Promise<void> {
  await db.case.delete({ where: { id } });
}

/**
 * The names the case views show instead of ids: projects, units, assignees and openers, and any
 * `moreUserIds` (the people of escalation requests, a live assignee): three queries whatever the
 * number of cases.
 */
export async function findNamesForCases(
  db: Db,
  groupId: string,
  rows: readonly { projectId: string; unitId: string | null; assigneeId: string | null; openedById: string }[],
  moreUserIds: Iterable<string | null | undefined> = [],
): Promise<Names> {
  return findNames(db, groupId, {
    projectIds: rows.map((r) => r.projectId),
    unitIds: rows.map((r) => r.unitId),
    userIds: [...rows.flatMap((r) => [r.assigneeId, r.openedById]), ...moreUserIds],
  });
}

export interface CaseFilter {
  /** The principal's handler queue (its tier) instead of its whole scope. */
  queue?: boolean | undefined;
  status?: string[] | undefined;
  tier?: Tier | undefined;
  projectId?: string | undefined;
  assigneeId?: string | undefined;
  openedById?: string | undefined;
  breached?: boolean | undefined;
  openedFrom?: Date | undefined;
  openedBefore?: Date | undefined;
  /** The cases of one customer. */
  customerId?: string | undefined;
  /** A search: part of the case number, or a case of one of these customers (found by name or phone). */
  search?: { number: string; customerIds: readonly string[] } | undefined;
  /** Late now: a target of the case's current tier breached and not met (see caseOverdueWhere). */
  overdue?: boolean | undefined;
  /** The next deadline of a running target falls within this many minutes from now (not yet passed). */
  dueWithinMinutes?: number | undefined;
  /** `due`: what breaches first on top; otherwise by opening time. */
  sort?: 'due' | 'opened_asc' | 'opened_desc' | undefined;
}

/**
 * A case is overdue while a target of its current tier period is breached and not met: the case is
 * late now. A breach of a tier that handed the case over, or one met late, no longer makes it so.
 * The same rule as a breach's `overdue` in the SLA breach lists (app/reports/breaches.ts).
 */
export const caseOverdueWhere: Prisma.CaseWhereInput = {
  status: { not: 'closed' },
  targetRecords: { some: { breachedAt: { not: null }, metAt: null, periodEndedAt: null } },
};

/** The filter as a `where` inside the principal's scope (or queue); `now` anchors the relative filters. */
function caseFilterWhere(principal: Principal, f: CaseFilter, now: Date): Prisma.CaseWhereInput {
  const and: Prisma.CaseWhereInput[] = [f.queue ? caseQueueWhere(principal) : caseScopeWhere(principal)];
  if (f.status) and.push({ status: { in: f.status } });
  if (f.tier) and.push({ tier: f.tier });
  if (f.projectId) and.push({ projectId: f.projectId });
  if (f.assigneeId) and.push({ assigneeId: f.assigneeId });
  if (f.openedById) and.push({ openedById: f.openedById });
  if (f.breached !== undefined) and.push({ breached: f.breached });
  if (f.openedFrom || f.openedBefore) and.push({ openedAt: { ...(f.openedFrom ? { gte: f.openedFrom } : {}), ...(f.openedBefore ? { lt: f.openedBefore } : {}) } });
  if (f.customerId) and.push({ customerId: f.customerId });
  if (f.search)
    and.push({ OR: [{ number: { contains: f.search.number } }, ...(f.search.customerIds.length ? [{ customerId: { in: [...f.search.customerIds] } }] : [])] });
  if (f.overdue) and.push(caseOverdueWhere);
  if (f.dueWithinMinutes !== undefined) and.push({ nextDueAt: { gte: now, lt: new Date(now.getTime() + f.dueWithinMinutes * 60_000) } });
  return { AND: and };
}

/** How many cases in the principal's scope (or queue) match the filter: a list's total, without the list. */
export async function countCasesInScope(db: Db, principal: Principal, f: CaseFilter, now: Date): Promise<number> {
  return db.case.count({ where: caseFilterWhere(principal, f, now) });
}

/** A page of the cases in the principal's scope (or queue) that match the filter. */
export async function findCasesInScope(db: Db, principal: Principal, f: CaseFilter, page: Page, now = new Date()) {
  const where = caseFilterWhere(principal, f, now);
  const orderBy: Prisma.CaseOrderByWithRelationInput[] =
    f.sort === 'due'
      ? [{ nextDueAt: { sort: 'asc', nulls: 'last' } }, { openedAt: 'asc' }, { id: 'asc' }]
      : [{ openedAt: f.sort === 'opened_asc' ? 'asc' : 'desc' }, { id: 'asc' }];
  const [rows, total] = await Promise.all([db.case.findMany({ where, orderBy, ...page }), db.case.count({ where })]);
  return { rows, total };
}

/** A sale's repair cases (its inspection's and handover's defects), oldest first. */
export async function findCasesOfSale(db: Db, o: { saleId: string; groupId: string }) {
  return db.case.findMany({
    where: { saleId: o.saleId, groupId: o.groupId },
    select: { id: true, number: true, status: true, category: true, description: true, openedAt: true },
    orderBy: { openedAt: 'asc' },
  });
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
  return db.case.create({ data: { ...o.data, number: await nextRecordNumber(db, 'case', o.prefix) } });
}

/** What opening a case checks and names, read in one statement (see findCaseOpeningContext). */
export interface CaseOpeningContext {
  project: { id: string; groupId: string; companyId: string; name: string; timeZone: string; warrantyAuthorisationAmount: number } | null;
  unit: { projectId: string; name: UnitName } | null;
  /** Whether the registered customer asked for is one of the group's (null when none was asked for). */
  customerOfGroup: boolean | null;
  /** The stored settings documents' text (null: none saved, the handbook's defaults apply). */
  settings: { slaPolicies: string | null; calendars: string | null; categories: string | null };
  /** Display names of the people asked for, of the group. */
  userNames: Map<string, string>;
}

/**
 * Everything opening a case reads before it writes, in one statement and one round trip: the
 * project, the unit with its building, whether a registered customer is the group's, the three
 * case settings documents (as text: app/cases/settings.ts parses each text once) and the names of
 * the people the answer shows. Plain SQL through queryRows: Prisma's query compiler and client
 * cost several times the statement's own time here (bench/open-case-cpu.ts).
 */
export async function findCaseOpeningContext(
  db: Db,
  o: { groupId: string; projectId: string; unitId: string | null; customerId: string | null; userIds: readonly string[] },
): Promise<CaseOpeningContext> {
  const [row] = await queryRows<{
    project: { id: string; groupId: string; companyId: string; name: string; timeZone: string; warrantyAuthorisationAmount: string } | null;
    unit: { id: string; projectId: string; number: string; building: string } | null;
    customerOfGroup: boolean | null;
    slaPolicies: string | null;
    calendars: string | null;
    categories: string | null;
    userNames: Record<string, string> | null;
  }>(
    db,
    `SELECT
       (SELECT json_build_object('id', p.id, 'groupId', p."groupId", 'companyId', p."companyId", 'name', p.name, 'timeZone', p."timeZone",
                                 'warrantyAuthorisationAmount', p."warrantyAuthorisationAmount"::text)
          FROM project p WHERE p.id = $1) AS project,
       (SELECT json_build_object('id', u.id, 'projectId', u."projectId", 'number', u.number, 'building', b.name)
          FROM unit u JOIN building b ON b.id = u."buildingId" WHERE u.id = $2) AS unit,
       CASE WHEN $3::text IS NULL THEN NULL ELSE EXISTS (SELECT 1 FROM customer c WHERE c.id = $3 AND c."groupId" = $4) END AS "customerOfGroup",
       (SELECT s.value::text FROM org_setting s WHERE s."groupId" = $4 AND s.key = 'sla-policies') AS "slaPolicies",
       (SELECT s.value::text FROM org_setting s WHERE s."groupId" = $4 AND s.key = 'calendars') AS calendars,
       (SELECT s.value::text FROM org_setting s WHERE s."groupId" = $4 AND s.key = 'categories') AS categories,
       (SELECT json_object_agg(a.id, a."displayName") FROM app_user a WHERE a.id = ANY($5::text[]) AND a."groupId" = $4) AS "userNames"`,
    [o.projectId, o.unitId, o.customerId, o.groupId, [...new Set(o.userIds)]],
  );
  const { project, unit } = row!;
  return {
    project: project && { ...project, warrantyAuthorisationAmount: Number(project.warrantyAuthorisationAmount) },
    unit: unit && { projectId: unit.projectId, name: { id: unit.id, label: `${unit.building} ${unit.number}`, building: unit.building, room: unit.number } },
    customerOfGroup: row!.customerOfGroup,
    settings: { slaPolicies: row!.slaPolicies, calendars: row!.calendars, categories: row!.categories },
    userNames: new Map(Object.entries(row!.userNames ?? {})),
  };
}

/** A case row as opening stores it (the columns Prisma's defaults do not fill). */
export type CaseInsert = Omit<Prisma.CaseUncheckedCreateInput, 'number' | 'customerId' | 'sla' | 'openedAt' | 'estimatedCost'> & {
  id: string;
  workflowId: string;
  unitId: string | null;
  estimatedCost: number | null;
  saleId: string | null;
  sourceKey: string | null;
  assigneeId: string | null;
  openedAt: Date;
};

/**
 * Stores a case under the day's next number in one statement: the counter's increment (as
 * nextRecordNumber), the caller found or registered by phone (or the registered customer given),
 * and the row, all or nothing. Null when the statement could not do it alone: the day's counter
 * does not exist yet (its first number continues after the rows already stored, see
 * nextRecordNumber), or a caller with the same phone was registered by a concurrent request after
 * this statement began (it cannot see that row); the caller then takes the general path
 * (findOrCreateCustomerByPhone, createCaseWithNextNumber), which handles both.
 */
export async function insertCaseWithNextNumber(
  db: Db,
  o: { prefix: string; data: CaseInsert; customer: { id: string } | { groupId: string; name: string; phone: string } },
): Promise<Case | null> {
  const d = o.data;
  const caller = 'phone' in o.customer ? o.customer : null;
  const rows = await queryRows<Omit<Case, 'estimatedCost' | 'firstContactMs' | 'resolutionMs'> & { estimatedCost: string | null; firstContactMs: string | null; resolutionMs: string | null }>(
    db,
    `WITH n AS (
       UPDATE record_number_counter SET "last" = "last" + 1 WHERE "prefix" = $1 RETURNING "last"
     ), registered AS (
       INSERT INTO customer (id, "groupId", name, phone, "updatedAt")
       SELECT $2, $3, $4, $5, now() FROM n WHERE $5::text IS NOT NULL
       ON CONFLICT ("groupId", phone) DO NOTHING
       RETURNING id
     ), caller AS (
       SELECT id FROM registered
       UNION ALL SELECT c.id FROM customer c WHERE $5::text IS NOT NULL AND c."groupId" = $3 AND c.phone = $5
       UNION ALL SELECT $6::text WHERE $6::text IS NOT NULL
       LIMIT 1
     )
     INSERT INTO case_record (id, number, "workflowId", "groupId", "companyId", "projectId", "unitId", "customerId", type, category, severity, channel,
                              description, "estimatedCost", "saleId", "sourceKey", status, tier, "assigneeId", "policyId", sla, "openedById", "openedAt",
                              "lastEventSeq", projection, "updatedAt")
     SELECT $7, $1 || CASE WHEN n."last" < 10000 THEN lpad(n."last"::text, 4, '0') ELSE n."last"::text END, $8, $3, $9, $10, $11, caller.id, $12, $13, $14, $15,
            $16, $17::numeric, $18, $19, $20, $21, $22, $23, '{}'::jsonb, $24, $25::timestamp, $26, $27::jsonb, now()
       FROM n, caller
     RETURNING *`,
    [
      o.prefix,
      crypto.randomUUID(),
      d.groupId,
      caller?.name ?? null,
      caller?.phone ?? null,
      'id' in o.customer ? o.customer.id : null,
      d.id,
      d.workflowId,
      d.companyId,
      d.projectId,
      d.unitId,
      d.type,
      d.category,
      d.severity,
      d.channel,
      d.description,
      d.estimatedCost === null ? null : String(d.estimatedCost),
      d.saleId,
      d.sourceKey,
      d.status,
      d.tier,
      d.assigneeId,
      d.policyId,
      d.openedById,
      d.openedAt.toISOString(),
      d.lastEventSeq ?? 0,
      d.projection === undefined || d.projection === null ? null : JSON.stringify(d.projection),
    ],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    ...r,
    estimatedCost: r.estimatedCost === null ? null : new Prisma.Decimal(r.estimatedCost),
    firstContactMs: r.firstContactMs === null ? null : BigInt(r.firstContactMs),
    resolutionMs: r.resolutionMs === null ? null : BigInt(r.resolutionMs),
  };
}

export async function findEscalationById(db: Db, id: string) {
  return db.caseEscalation.findUnique({ where: { id } });
}

/** A case's escalation requests, oldest first. */
export async function findEscalationsOfCase(db: Db, caseId: string) {
  return db.caseEscalation.findMany({ where: { caseId }, orderBy: { requestedAt: 'asc' } });
}

/**
 * The requests a principal sees. A supervisor sees the requests INTO its own office's tier (the
 * ones it decides): a company supervisor those to COMPANY of its company, a group supervisor those
 * to GROUP. A manager audits every request of the cases in its scope.
 */
export function escalationScopeWhere(p: Principal): Prisma.CaseEscalationWhereInput {
  const org: Prisma.CaseEscalationWhereInput =
    p.scopeLevel === 'GROUP'
      ? { groupId: p.groupId }
      : p.scopeLevel === 'COMPANY'
        ? { groupId: p.groupId, companyId: p.companyId ?? '__none__' }
        : { groupId: p.groupId, projectId: p.projectId ?? '__none__' };
  return p.role === 'SUPERVISOR' ? { ...org, toTier: p.scopeLevel } : org;
}

type EscalationFilter = { status?: string | undefined; caseId?: string | undefined };
const escalationFilterWhere = (principal: Principal, f: EscalationFilter): Prisma.CaseEscalationWhereInput => ({
  AND: [escalationScopeWhere(principal), f.status ? { status: f.status } : {}, f.caseId ? { caseId: f.caseId } : {}],
});

/** How many escalation requests the principal sees that match the filter. */
export async function countEscalationsInScope(db: Db, principal: Principal, f: EscalationFilter): Promise<number> {
  return db.caseEscalation.count({ where: escalationFilterWhere(principal, f) });
}

/** A page of the escalation requests the principal sees, with their cases' numbers; pending ones by due time. */
export async function findEscalationsInScope(db: Db, principal: Principal, f: EscalationFilter, page: Page) {
  const where = escalationFilterWhere(principal, f);
  const orderBy: Prisma.CaseEscalationOrderByWithRelationInput[] =
    f.status === 'pending' ? [{ dueAt: 'asc' }, { id: 'asc' }] : [{ requestedAt: 'desc' }, { id: 'asc' }];
  const [rows, total] = await Promise.all([
    db.caseEscalation.findMany({ where, orderBy, ...page, include: { case: { select: { number: true } } } }),
    db.caseEscalation.count({ where }),
  ]);
  return { rows, total };
}

/** Numbers of cases of the group by id, in one query. */
export async function findCaseNumbersByIds(db: Db, ids: readonly string[], groupId: string): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.case.findMany({ where: { id: { in: [...new Set(ids)] }, groupId }, select: { id: true, number: true } });
  return new Map(rows.map((r) => [r.id, r.number] as const));
}

// ------------------------------------------------------------------------------------------
// The case record's personal data outside the workflow: notes and revisions (description, contact).

type CasePlace = { caseId: string; groupId: string; companyId: string; projectId: string };

export async function createCaseNote(db: Db, o: CasePlace & { id?: string; authorId: string; text: string }) {
  return db.caseNote.create({ data: o });
}

export async function deleteCaseNote(db: Db, id: string): Promise<void> {
  await db.caseNote.deleteMany({ where: { id } });
}

/** Notes of one case by id, in one query. */
export async function findCaseNotesByIds(db: Db, caseId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.caseNote.findMany({ where: { caseId, id: { in: [...new Set(ids)] } } });
}

export async function createCaseRevision(db: Db, o: CasePlace & { authorId: string; changes: Prisma.InputJsonValue }) {
  return db.caseRevision.create({ data: o });
}

export async function deleteCaseRevision(db: Db, id: string): Promise<void> {
  await db.caseRevision.deleteMany({ where: { id, appliedAt: null } });
}

/** Revisions of one case by id, in one query. */
export async function findCaseRevisionsByIds(db: Db, caseId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.caseRevision.findMany({ where: { caseId, id: { in: [...new Set(ids)] } } });
}

/**
 * Applies a revision to its case row once, in one transaction: what each field was goes into the
 * revision (`from`) beside what it became (`to`), and `appliedAt` marks it done, so a retried
 * activity changes nothing a second time. False when already applied or unknown.
 */
export async function applyCaseRevisionOnce(
  db: Db,
  o: { caseId: string; revisionId: string; at: Date },
  change: (current: { description: string; contactName: string | null; contactPhone: string | null }, changes: unknown) => {
    data: Prisma.CaseUpdateInput;
    changes: Prisma.InputJsonValue;
  },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const revision = await tx.caseRevision.findFirst({ where: { id: o.revisionId, caseId: o.caseId } });
    if (!revision || revision.appliedAt) return false;
    const row = await tx.case.findUniqueOrThrow({ where: { id: o.caseId }, select: { description: true, contactName: true, contactPhone: true } });
    const { data, changes } = change(row, revision.changes);
    await tx.case.update({ where: { id: o.caseId }, data });
    const { count } = await tx.caseRevision.updateMany({ where: { id: o.revisionId, appliedAt: null }, data: { changes, appliedAt: o.at } });
    if (count !== 1) throw new Error(`revision ${o.revisionId} was applied concurrently`);
    return true;
  });
}
