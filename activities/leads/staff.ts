import type { Db } from '../../platform/db.js';

/**
 * The sales managers responsible for a project's leads: those of the project itself; where the
 * project has none, the company's; failing that, the group's. Nobody is ever left unnotified
 * because a project office has no sales manager of its own.
 */
export async function findNearestSalesManagers(db: Db, unit: { groupId: string; companyId: string; projectId: string }) {
  const select = { id: true, username: true, email: true } as const;
  for (const where of [
    { scopeLevel: 'PROJECT' as const, projectId: unit.projectId },
    { scopeLevel: 'COMPANY' as const, companyId: unit.companyId },
    { scopeLevel: 'GROUP' as const },
  ]) {
    const found = await db.user.findMany({ where: { groupId: unit.groupId, role: 'SALES_MANAGER', active: true, ...where }, select, orderBy: { username: 'asc' } });
    if (found.length) return found;
  }
  return [];
}
