import type { Db } from '../../platform/db.js';
import type { Prisma } from '../../prisma/generated/client.js';
import { isProjectInScope, projectScopeWhere, type Principal } from '../../domain/access.js';
import { orgError } from './errors.js';

/** The organisation's data: companies, projects, buildings, units (`company`, `project`, `building`, `unit`). Its settings documents: app/settings. */

type Page = { skip: number; take: number };

/** What a project is shown with: its company's name and its number of units. */
const projectInclude = { company: { select: { name: true } }, _count: { select: { units: true } } } as const;

/** Loads a project the principal may see: 404 when unknown, 403 when outside the principal's scope. */
export async function findProjectInScopeOrThrow(db: Db, principal: Principal, id: string) {
  const project = await db.project.findUnique({ where: { id }, include: projectInclude });
  if (!project || project.groupId !== principal.groupId) throw orgError('PROJECT_NOT_FOUND');
  if (!isProjectInScope(principal, project)) throw orgError('OUT_OF_SCOPE');
  return project;
}

export type ProjectWithCounts = Awaited<ReturnType<typeof findProjectInScopeOrThrow>>;

/** A project's place, name and time zone: what opening a lead needs (read in app/leads/repository.ts's findLeadOpeningContext). */
export type ProjectPlace = { id: string; groupId: string; companyId: string; name: string; timeZone: string };

/** A project read by the caller (null: no such id): 404 unless of the principal's group, 403 outside its scope. */
export function projectPlaceInScopeOrThrow<P extends { id: string; groupId: string; companyId: string }>(principal: Principal, project: P | null): P {
  if (!project || project.groupId !== principal.groupId) throw orgError('PROJECT_NOT_FOUND');
  if (!isProjectInScope(principal, project)) throw orgError('OUT_OF_SCOPE');
  return project;
}

export async function findProjectById(db: Db, id: string) {
  return db.project.findUnique({ where: { id } });
}

/** A project of the group, as a user's scope names it (no scope check: the caller grants scopes). */
export async function findProjectOfGroup(db: Db, groupId: string, id: string) {
  return db.project.findFirst({ where: { id, groupId } });
}

export async function findProjectOfGroupByCode(db: Db, groupId: string, code: string) {
  return db.project.findUnique({ where: { groupId_code: { groupId, code } } });
}

/** Names of projects by id, in one query (none for an empty list). */
export async function findProjectNamesByIds(db: Db, ids: readonly string[], groupId?: string): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.project.findMany({ where: { id: { in: [...new Set(ids)] }, ...(groupId ? { groupId } : {}) }, select: { id: true, name: true } });
  return new Map(rows.map((p) => [p.id, p.name] as const));
}

/** The companies a principal sees: the whole group's at group scope, its own otherwise. */
export async function findCompaniesInScope(db: Db, principal: Principal, page: Page) {
  const where = principal.scopeLevel === 'GROUP' ? { groupId: principal.groupId } : { groupId: principal.groupId, id: principal.companyId ?? '__none__' };
  const [rows, total] = await Promise.all([
    db.company.findMany({ where, orderBy: { code: 'asc' }, ...page, include: { _count: { select: { projects: true } } } }),
    db.company.count({ where }),
  ]);
  return { rows, total };
}

export async function findCompanyById(db: Db, id: string) {
  return db.company.findUnique({ where: { id } });
}

export async function findCompanyOfGroup(db: Db, groupId: string, id: string) {
  return db.company.findFirst({ where: { id, groupId } });
}

/** The projects in a principal's scope, by code; optionally of one company, or matching `q` in name or code. */
export async function findProjectsInScope(db: Db, principal: Principal, filter: { companyId?: string | undefined; q?: string | undefined }, page: Page) {
  const where = {
    ...projectScopeWhere(principal),
    ...(filter.companyId ? { AND: [{ companyId: filter.companyId }] } : {}),
    ...(filter.q ? { OR: [{ name: { contains: filter.q } }, { code: { contains: filter.q, mode: 'insensitive' as const } }] } : {}),
  };
  const [rows, total] = await Promise.all([db.project.findMany({ where, orderBy: { code: 'asc' }, ...page, include: projectInclude }), db.project.count({ where })]);
  return { rows, total };
}

export interface NewProject {
  /** Given by a request with an Idempotency-Key (recordIdForRequest); else a fresh uuid. */
  id?: string;
  groupId: string;
  companyId: string;
  code: string;
  name: string;
  city: string | null;
  timeZone: string;
  warrantyAuthorisationAmount: number;
  deliveryDate: Date | null;
  buildings: { name: string; units: { number: string; floor: number; area: number }[] }[];
}

/** Creates a project with its buildings and units in one transaction. */
export async function createProjectWithBuildings(db: Db, p: NewProject): Promise<ProjectWithCounts> {
  const { buildings, ...project } = p;
  return db.$transaction(async (tx) => {
    const created = await tx.project.create({ data: project });
    for (const b of buildings) {
      const building = await tx.building.create({ data: { projectId: created.id, name: b.name } });
      if (b.units.length)
        await tx.unit.createMany({
          data: b.units.map((u) => ({ projectId: created.id, buildingId: building.id, number: u.number, floor: u.floor, area: u.area })),
          skipDuplicates: true,
        });
    }
    return tx.project.findUniqueOrThrow({ where: { id: created.id }, include: projectInclude });
  });
}

/** A project's units, by building, floor and number. */
export async function findUnitsOfProject(
  db: Db,
  projectId: string,
  filter: { status?: 'AVAILABLE' | 'RESERVED' | 'SOLD' | 'DELIVERED' | undefined; buildingId?: string | undefined },
  page: Page,
) {
  const where = { projectId, ...(filter.status ? { status: filter.status } : {}), ...(filter.buildingId ? { buildingId: filter.buildingId } : {}) };
  const [rows, total] = await Promise.all([
    db.unit.findMany({
      where,
      orderBy: [{ building: { name: 'asc' } }, { floor: 'asc' }, { number: 'asc' }],
      ...page,
      include: { building: { select: { name: true } } },
    }),
    db.unit.count({ where }),
  ]);
  return { rows, total };
}

export async function findUnitById(db: Db, id: string) {
  return db.unit.findUnique({ where: { id } });
}

/** A unit with the name it is shown by (`1栋 302`), in one query; null when unknown. */
export async function findUnitWithNameById(db: Db, id: string): Promise<{ projectId: string; name: UnitName } | null> {
  const u = await db.unit.findUnique({ where: { id }, select: { id: true, projectId: true, number: true, building: { select: { name: true } } } });
  return u && { projectId: u.projectId, name: unitName(u) };
}

const unitName = (u: { id: string; number: string; building: { name: string } }): UnitName => ({ id: u.id, label: `${u.building.name} ${u.number}`, building: u.building.name, room: u.number });

/** Unit labels (`<building> <number>`) by id, in one query. */
export async function findUnitLabelsByIds(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.unit.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, number: true, building: { select: { name: true } } } });
  return new Map(rows.map((u) => [u.id, `${u.building.name} ${u.number}`] as const));
}

/** A unit as people name it: its building and room, and both together (`1栋 302`). */
export interface UnitName {
  id: string;
  label: string;
  building: string;
  room: string;
}

/** Units of the group's projects by id, with their buildings' names, in one query. */
export async function findUnitNamesByIds(db: Db, ids: readonly string[], groupId: string): Promise<Map<string, UnitName>> {
  if (ids.length === 0) return new Map();
  const rows = await db.unit.findMany({
    where: { id: { in: [...new Set(ids)] }, project: { groupId } },
    select: { id: true, number: true, building: { select: { name: true } } },
  });
  return new Map(rows.map((u) => [u.id, unitName(u)] as const));
}

/** A unit of one of the group's projects owned by the customer (业主), if any. */
export async function findUnitOwnedByCustomerInGroup(db: Db, groupId: string, customerId: string) {
  return db.unit.findFirst({ where: { ownerCustomerId: customerId, project: { groupId } }, select: { id: true } });
}

/** What a unit is shown with in searches and on a customer's page: its building's and project's names. */
const unitInclude = { building: { select: { name: true } }, project: { select: { name: true } } } as const;

/**
 * A page of the units of the projects in the principal's scope in one of the buildings named (any
 * of `buildingNames`, letters in any case) whose number starts with `room`; either may be left out.
 * By project, building, floor and number.
 */
export async function findUnitsInScopeMatching(db: Db, principal: Principal, q: { buildingNames: readonly string[] | null; room: string | null }, page: Page) {
  const where: Prisma.UnitWhereInput = {
    project: projectScopeWhere(principal),
    ...(q.buildingNames ? { building: { OR: q.buildingNames.map((name) => ({ name: { equals: name, mode: 'insensitive' as const } })) } } : {}),
    ...(q.room ? { number: { startsWith: q.room } } : {}),
  };
  const [rows, total] = await Promise.all([
    db.unit.findMany({
      where,
      orderBy: [{ project: { name: 'asc' } }, { building: { name: 'asc' } }, { floor: 'asc' }, { number: 'asc' }, { id: 'asc' }],
      ...page,
      include: unitInclude,
    }),
    db.unit.count({ where }),
  ]);
  return { rows, total };
}

/** The units of the projects in the principal's scope that the customer owns (业主) or that are among `alsoIds` (their sales'), by project, building and number, at most `take`. */
export async function findUnitsOfCustomerInScope(db: Db, principal: Principal, customerId: string, alsoIds: readonly string[], take: number) {
  return db.unit.findMany({
    take,
    where: { project: projectScopeWhere(principal), OR: [{ ownerCustomerId: customerId }, ...(alsoIds.length ? [{ id: { in: [...alsoIds] } }] : [])] },
    orderBy: [{ project: { name: 'asc' } }, { building: { name: 'asc' } }, { number: 'asc' }, { id: 'asc' }],
    include: unitInclude,
  });
}

export type UnitWithNames = Awaited<ReturnType<typeof findUnitsOfCustomerInScope>>[number];

/** Time zones of projects by id, in one query (none for an empty list). */
export async function findProjectTimeZonesByIds(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.project.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, timeZone: true } });
  return new Map(rows.map((p) => [p.id, p.timeZone] as const));
}

/** The group's projects by time zone: usually one zone for all of them. */
export async function findProjectIdsByTimeZone(db: Db, groupId: string): Promise<Map<string, string[]>> {
  const rows = await db.project.findMany({ where: { groupId }, select: { id: true, timeZone: true }, orderBy: { id: 'asc' } });
  const byZone = new Map<string, string[]>();
  for (const p of rows) byZone.set(p.timeZone, [...(byZone.get(p.timeZone) ?? []), p.id]);
  return byZone;
}
