import type { Db } from '../../platform/db.js';
import type { Role } from '../../domain/access.js';

/**
 * A member of staff for an activity test: scoped to the organisation's project, its company or the
 * group, with an address (`<username>@estate-care.test` unless given; null for none). Answers the id.
 */
export async function createStaffUser(
  db: Db,
  org: { groupId: string; companyId: string; projectId: string },
  o: { username: string; role: Role; scope: 'PROJECT' | 'COMPANY' | 'GROUP'; projectId?: string; email?: string | null; active?: boolean; contractorCompanyId?: string },
): Promise<string> {
  const u = await db.user.create({
    data: {
      groupId: org.groupId,
      username: o.username,
      displayName: o.username,
      email: o.email === undefined ? `${o.username}@estate-care.test` : o.email,
      passwordHash: 'x',
      role: o.role,
      scopeLevel: o.scope,
      companyId: o.scope === 'GROUP' ? null : org.companyId,
      projectId: o.scope === 'PROJECT' ? (o.projectId ?? org.projectId) : null,
      contractorCompanyId: o.contractorCompanyId ?? null,
      active: o.active ?? true,
    },
  });
  return u.id;
}
