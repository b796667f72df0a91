import type { Tier } from '../../domain/cases/types.js';
import type { Db } from '../../platform/db.js';
import type { Prisma } from '../../prisma/generated/client.js';

/** The organisational unit of a tier: its project, its company, or the whole group. */
export interface TierUnit {
  tier: Tier;
  groupId: string;
  companyId: string;
  projectId: string;
}

/** Users whose scope is exactly the tier's unit: PROJECT → that project, COMPANY → that company, GROUP → the group. */
export function scopeOfTier(unit: TierUnit): Prisma.UserWhereInput {
  switch (unit.tier) {
    case 'PROJECT':
      return { groupId: unit.groupId, scopeLevel: 'PROJECT', projectId: unit.projectId };
    case 'COMPANY':
      return { groupId: unit.groupId, scopeLevel: 'COMPANY', companyId: unit.companyId };
    case 'GROUP':
      return { groupId: unit.groupId, scopeLevel: 'GROUP' };
  }
}

export async function findActiveHandlersOfTier(db: Db, unit: TierUnit) {
  return db.user.findMany({ where: { ...scopeOfTier(unit), role: 'HANDLER', active: true }, select: { id: true, username: true }, orderBy: { username: 'asc' } });
}

export async function findActiveSupervisorsOfTier(db: Db, unit: TierUnit) {
  return db.user.findMany({ where: { ...scopeOfTier(unit), role: 'SUPERVISOR', active: true }, select: { id: true, username: true, email: true }, orderBy: { username: 'asc' } });
}
