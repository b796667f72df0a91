import { burnPasswordCheck, verifyPassword } from '../../platform/passwords.js';
import type { Db } from '../../platform/db.js';
import type { User } from '../../prisma/generated/client.js';
import { authError } from '../auth/errors.js';
import { findUserByUsername, incrementFailedLogins, updateUser } from './repository.js';

export interface LoginPolicy {
  /** Failed attempts in a row that lock the account. */
  maxFailures: number;
  lockMinutes: number;
}

/**
 * Checks a username and password. Unknown or inactive users cost as much time as a wrong
 * password (no user enumeration by timing); `maxFailures` wrong passwords in a row lock the
 * account for `lockMinutes`; a success clears the count. `onFailure` hears of each wrong password.
 */
export async function logIn(
  db: Db,
  policy: LoginPolicy,
  credentials: { username: string; password: string },
  onFailure?: (o: { userId: string; failures: number; locked: boolean }) => void,
): Promise<User> {
  const user = await findUserByUsername(db, credentials.username);
  const now = new Date();
  if (!user || !user.active) {
    await burnPasswordCheck(credentials.password);
    throw authError('INVALID_CREDENTIALS');
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    throw authError('ACCOUNT_LOCKED_UNTIL', { until: user.lockedUntil.toISOString() });
  }
  if (!(await verifyPassword(user.passwordHash, credentials.password))) {
    const failures = await incrementFailedLogins(db, user.id);
    const lock = failures >= policy.maxFailures;
    if (lock) await updateUser(db, user.id, { failedLoginCount: 0, lockedUntil: new Date(now.getTime() + policy.lockMinutes * 60_000) });
    onFailure?.({ userId: user.id, failures, locked: lock });
    throw authError(lock ? 'ACCOUNT_LOCKED' : 'INVALID_CREDENTIALS');
  }
  if (user.failedLoginCount > 0 || user.lockedUntil) await updateUser(db, user.id, { failedLoginCount: 0, lockedUntil: null });
  return user;
}
