import type { Role } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';

/**
 * The active users of a role nearest to a project: those of the project itself; where the project
 * has none, the company's; failing that, the group's. Nobody is ever left unnotified because a
 * project office has nobody of that role.
 */
export async function findNearestStaffWithRole(db: Db, unit: { groupId: string; companyId: string; projectId: string }, role: Role) {
  const select = { id: true, username: true, email: true } as const;
  for (const where of [
    { scopeLevel: 'PROJECT' as const, projectId: unit.projectId },
    { scopeLevel: 'COMPANY' as const, companyId: unit.companyId },
    { scopeLevel: 'GROUP' as const },
  ]) {
    const found = await db.user.findMany({ where: { groupId: unit.groupId, role, active: true, ...where }, select, orderBy: { username: 'asc' } });
    if (found.length) return found;
  }
  return [];
}

/** The sales managers responsible for a project's leads (see findNearestStaffWithRole). */
export const findNearestSalesManagers = (db: Db, unit: { groupId: string; companyId: string; projectId: string }) => findNearestStaffWithRole(db, unit, 'SALES_MANAGER');
