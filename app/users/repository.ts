import { queryRows, type Db } from '../../platform/db.js';
import type { Prisma } from '../../prisma/generated/client.js';
import type { Principal } from '../../domain/access.js';
import type { LeadOwnerRole } from '../../domain/leads/types.js';
import { userError } from './errors.js';

/** Staff accounts (`app_user`): who they are, their role and scope, and their login state. */

type Page = { skip: number; take: number };

export async function findUserById(db: Db, id: string) {
  return db.user.findUnique({ where: { id } });
}

/**
 * What authentication needs of a user, read on every request (a deactivated user or a changed role
 * takes effect at once): one plain statement, not Prisma's model API, whose query compiler cost
 * more CPU than the read (bench/open-case-cpu.ts).
 */
export async function findPrincipalUserById(db: Db, id: string) {
  const [row] = await queryRows<Pick<Principal, 'id' | 'username' | 'role' | 'groupId' | 'scopeLevel' | 'companyId' | 'projectId'> & { contractorCompanyId: string | null; active: boolean }>(
    db,
    'SELECT id, username, role::text AS role, "groupId", "scopeLevel"::text AS "scopeLevel", "companyId", "projectId", "contractorCompanyId", active FROM app_user WHERE id = $1',
    [id],
  );
  return row ?? null;
}

export async function findUserByIdOrThrow(db: Db, id: string) {
  return db.user.findUniqueOrThrow({ where: { id } });
}

export async function findUserByUsername(db: Db, username: string) {
  return db.user.findUnique({ where: { username } });
}

export async function findUserOfGroup(db: Db, groupId: string, id: string) {
  return db.user.findFirst({ where: { id, groupId } });
}

/** Display names of users by id, in one query (none for an empty list); of one group when `groupId` is given. */
export async function findUserNamesByIds(db: Db, ids: readonly string[], groupId?: string): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.user.findMany({ where: { id: { in: [...new Set(ids)] }, ...(groupId ? { groupId } : {}) }, select: { id: true, displayName: true } });
  return new Map(rows.map((u) => [u.id, u.displayName] as const));
}

/** Users whose scope lies inside the principal's scope. */
export function userScopeWhere(p: Principal): Prisma.UserWhereInput {
  switch (p.scopeLevel) {
    case 'GROUP':
      return { groupId: p.groupId };
    case 'COMPANY':
      return { groupId: p.groupId, OR: [{ companyId: p.companyId ?? '__none__' }, { project: { companyId: p.companyId ?? '__none__' } }] };
    case 'PROJECT':
      return { groupId: p.groupId, projectId: p.projectId ?? '__none__' };
  }
}

/** A user of the principal's organisation whose scope lies inside the principal's: 404 when unknown, 403 outside. */
export async function findUserInScopeOrThrow(db: Db, principal: Principal, id: string) {
  const user = await findUserOfGroup(db, principal.groupId, id);
  if (!user) throw userError('USER_NOT_FOUND');
  const inScope = await db.user.count({ where: { id, ...userScopeWhere(principal) } });
  if (!inScope) throw userError('OUT_OF_SCOPE');
  return user;
}

export interface UserFilter {
  role?: Prisma.UserWhereInput['role'] | undefined;
  projectId?: string | undefined;
  active?: boolean | undefined;
  /** In the username or display name. */
  q?: string | undefined;
}

/** A page of the staff in the principal's scope, by username. */
export async function findUsersInScope(db: Db, principal: Principal, f: UserFilter, page: Page) {
  const where = {
    AND: [
      userScopeWhere(principal),
      f.role ? { role: f.role } : {},
      f.projectId ? { projectId: f.projectId } : {},
      f.active !== undefined ? { active: f.active } : {},
      f.q ? { OR: [{ username: { contains: f.q } }, { displayName: { contains: f.q } }] } : {},
    ],
  };
  const [rows, total] = await Promise.all([db.user.findMany({ where, orderBy: { username: 'asc' }, ...page }), db.user.count({ where })]);
  return { rows, total };
}

export async function createUser(db: Db, data: Prisma.UserUncheckedCreateInput) {
  return db.user.create({ data });
}

export async function updateUser(db: Db, id: string, data: Prisma.UserUncheckedUpdateInput) {
  return db.user.update({ where: { id }, data });
}

/** Counts a failed login in the database, not read-modify-write: parallel guesses must not undercount. */
export async function incrementFailedLogins(db: Db, id: string): Promise<number> {
  const { failedLoginCount } = await db.user.update({ where: { id }, data: { failedLoginCount: { increment: 1 } }, select: { failedLoginCount: true } });
  return failedLoginCount;
}

/**
 * The staff a new lead of the grade's owner role goes round to: the active users of that role
 * whose scope is exactly the project; when the project has none, those of its company; failing
 * that, those of the group. In username order, so the rotation is stable.
 */
export async function findRoundRobinCandidates(db: Db, place: { groupId: string; companyId: string; projectId: string }, role: LeadOwnerRole) {
  const select = { id: true, username: true } as const;
  for (const where of [
    { scopeLevel: 'PROJECT' as const, projectId: place.projectId },
    { scopeLevel: 'COMPANY' as const, companyId: place.companyId },
    { scopeLevel: 'GROUP' as const },
  ]) {
    const found = await db.user.findMany({ where: { groupId: place.groupId, role, active: true, ...where }, select, orderBy: { username: 'asc' } });
    if (found.length) return found;
  }
  return [];
}
