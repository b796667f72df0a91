import type { Principal } from '../../domain/access.js';
import { hashPassword } from '../../platform/passwords.js';
import type { Db } from '../../platform/db.js';
import { userError } from './errors.js';
import { findUserInScopeOrThrow, updateUser as writeUser } from './repository.js';

export interface UserChanges {
  displayName?: string | undefined;
  email?: string | null | undefined;
  active?: boolean | undefined;
  /** A new password also clears failed logins and any lock. */
  password?: string | undefined;
}

/** Changes, deactivates or resets the password of a user in the principal's scope; nobody deactivates themselves. */
export async function updateUser(db: Db, principal: Principal, id: string, body: UserChanges) {
  const user = await findUserInScopeOrThrow(db, principal, id);
  if (user.id === principal.id && body.active === false) throw userError('CANNOT_DEACTIVATE_SELF');
  return writeUser(db, user.id, {
    ...(body.displayName !== undefined ? { displayName: body.displayName } : {}),
    ...(body.email !== undefined ? { email: body.email } : {}),
    ...(body.active !== undefined ? { active: body.active } : {}),
    ...(body.password !== undefined ? { passwordHash: await hashPassword(body.password), failedLoginCount: 0, lockedUntil: null } : {}),
  });
}
