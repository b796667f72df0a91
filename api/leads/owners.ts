import type { Db } from '../../platform/db.js';
import { canOwnLead, hasPermission, type Principal } from '../../domain/access.js';
import type { LeadOwnerRole } from '../../domain/leads/types.js';
import { leadError } from '../../app/leads/errors.js';
import { nextAssignmentPosition } from './lead-repository.js';

/** Where a lead belongs, as the owner rules need it. */
export interface LeadPlace {
  groupId: string;
  companyId: string;
  projectId: string;
}

/**
 * Who may name a lead's owner when creating it. Sales managers name anyone who may own the lead;
 * sales staff and specialists register their own prospects (ownerId = themselves) or leave the
 * owner to the round robin, but never hand a new lead to a colleague: handing leads out is the
 * sales manager's job (the same rule as `leads:manage` for assignment later on).
 */
export function mayNameOwner(principal: Principal, ownerId: string): boolean {
  return ownerId === principal.id || hasPermission(principal.role, 'leads:manage');
}

/** The candidate whose turn `position` is, over candidates in a stable order; null when there are none. */
export function pickInTurn<T>(candidates: readonly T[], position: number): T | null {
  if (candidates.length === 0) return null;
  const n = candidates.length;
  return candidates[((position % n) + n) % n]!;
}

/**
 * An owner must be an active member of the sales team whose scope holds the lead's project
 * (domain/access.ts canOwnLead). Anyone else is a 400 on the field that named them.
 */
export async function assertMayOwnLead(db: Db, o: LeadPlace & { ownerId: string; path: string }): Promise<void> {
  const user = await db.user.findFirst({ where: { id: o.ownerId, groupId: o.groupId } });
  if (user && canOwnLead({ user, groupId: o.groupId, companyId: o.companyId, projectId: o.projectId })) return;
  throw leadError('NOT_A_LEAD_OWNER', {}, { field: o.path });
}

/**
 * The staff a new lead of the grade's owner role goes round to: the active users of that role
 * whose scope is exactly the project; when the project has none, those of its company; failing
 * that, those of the group. In username order, so the rotation is stable.
 */
export async function findRoundRobinCandidates(db: Db, place: LeadPlace, role: LeadOwnerRole) {
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

/**
 * The next owner in turn for a new lead of the project (cursor `${projectId}:${role}`), or null
 * when nobody holds the role: the lead then starts in the pool. The cursor moves only when there
 * is someone to give the lead to.
 */
export async function nextRoundRobinOwner(db: Db, place: LeadPlace, role: LeadOwnerRole): Promise<string | null> {
  const candidates = await findRoundRobinCandidates(db, place, role);
  if (candidates.length === 0) return null;
  const position = await nextAssignmentPosition(db, `${place.projectId}:${role}`);
  return pickInTurn(candidates, position)!.id;
}

/** 403 when the caller names an owner other than itself without being a sales manager. */
export function assertMayNameOwner(principal: Principal, ownerId: string, path: string): void {
  if (mayNameOwner(principal, ownerId)) return;
  throw leadError('OWNER_NAMED_BY_MANAGER', {}, { field: path });
}
