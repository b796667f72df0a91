import type { Db } from '../../platform/db.js';
import { canOwnLead, hasPermission, type Principal } from '../../domain/access.js';
import type { LeadOwnerRole } from '../../domain/leads/types.js';
import { findRoundRobinCandidates, findUserOfGroup } from '../users/repository.js';
import { leadError } from './errors.js';
import { nextAssignmentPosition } from './repository.js';

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
  const user = await findUserOfGroup(db, o.groupId, o.ownerId);
  if (user && canOwnLead({ user, groupId: o.groupId, companyId: o.companyId, projectId: o.projectId })) return;
  throw leadError('NOT_A_LEAD_OWNER', {}, { field: o.path });
}

/**
 * The next owner in turn for a new lead of the project (cursor `${projectId}:${role}`), or null
 * when nobody holds the role: the lead then starts in the pool. The cursor moves only when there
 * is someone to give the lead to. Candidates: the role's active staff of the project, else of its
 * company, else of the group (findRoundRobinCandidates), in username order.
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
