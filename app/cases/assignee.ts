import type { Db } from '../../platform/db.js';
import { canBeAssignee, type CaseRef } from '../../domain/access.js';
import { findUserOfGroup } from '../users/repository.js';
import { caseError } from './errors.js';

/**
 * An assignee must be able to work the case where it sits: an active handler or supervisor of
 * that tier's office (domain/access.ts canBeAssignee). Anyone else is a 400 on `assigneeId`.
 */
export async function assertAssigneeForTier(db: Db, o: CaseRef & { assigneeId: string; path?: string }): Promise<void> {
  const user = await findUserOfGroup(db, o.groupId, o.assigneeId);
  const ok =
    user !== null &&
    canBeAssignee({
      user: { ...user, role: user.role, scopeLevel: user.scopeLevel },
      caseTier: o.caseTier,
      groupId: o.groupId,
      companyId: o.companyId,
      projectId: o.projectId,
    });
  if (!ok) {
    throw caseError('NOT_AN_ASSIGNEE', { tier: o.caseTier }, { field: o.path ?? 'body.assigneeId' });
  }
}
