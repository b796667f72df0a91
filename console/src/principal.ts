/**
 * The signed-in user as the domain's access rules take them (`domain/access.ts`): the console asks
 * the same questions the API answers (may this person work this case, write these settings) to
 * show only the actions that will be accepted. The API still decides.
 */
import type { Principal } from '../../domain/access.js';
import type { User } from './api.js';

export function principalOf(user: User): Principal {
  return { id: user.id, username: user.username, role: user.role, groupId: user.scope.groupId, scopeLevel: user.scope.level, companyId: user.scope.companyId, projectId: user.scope.projectId };
}
