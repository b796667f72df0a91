import type { ROLES, SCOPE_LEVELS } from '../../domain/access.js';
import type { User } from './schemas.js';

/** A user as the API shows it (the password hash and lockout counters never leave). */
export function toUserView(u: {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  role: (typeof ROLES)[number];
  scopeLevel: (typeof SCOPE_LEVELS)[number];
  groupId: string;
  companyId: string | null;
  projectId: string | null;
  active: boolean;
}): User {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    email: u.email,
    role: u.role,
    scope: { level: u.scopeLevel, groupId: u.groupId, companyId: u.companyId, projectId: u.projectId },
    active: u.active,
  };
}
