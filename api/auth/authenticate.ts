import type { RequestHandler } from 'express';
import type { Principal } from '../../domain/access.js';
import type { ApiDeps } from '../context.js';
import { authError } from '../../app/auth/errors.js';
import { findPrincipalUserById } from '../../app/users/repository.js';
import { verifyToken } from './tokens.js';

/**
 * Resolves `Authorization: Bearer <token>` to a principal. The user row is read on every request
 * so that a deactivated user or a changed role takes effect at once, not at token expiry.
 * Routes decide whether a principal is required (see defineRoute).
 */
export function authenticate(deps: ApiDeps): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    if (!header) return next();
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) return next(authError('AUTHORIZATION_MALFORMED'));
    const userId = await verifyToken(deps.config.jwt.secret, match[1]);
    if (!userId) return next(authError('TOKEN_INVALID'));
    const user = await findPrincipalUserById(deps.db, userId);
    if (!user || !user.active) return next(authError('ACCOUNT_INACTIVE'));
    const principal: Principal = {
      id: user.id,
      username: user.username,
      role: user.role,
      groupId: user.groupId,
      scopeLevel: user.scopeLevel,
      companyId: user.companyId,
      projectId: user.projectId,
      contractorCompanyId: user.contractorCompanyId,
    };
    res.locals.principal = principal;
    req.log?.setBindings?.({ userId: user.id, role: user.role });
    next();
  };
}
