import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from '../http/zod.js';
import { ROLES, SCOPE_LEVELS } from '../../domain/access.js';
import { burnPasswordCheck, verifyPassword } from '../../platform/passwords.js';
import type { ApiDeps } from '../context.js';
import { authError } from '../../app/auth/errors.js';
import { defineRoute } from '../http/route.js';
import { issueToken } from './tokens.js';

export const LoginBody = z
  .object({
    username: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(256),
  })
  .openapi('LoginRequest');

export const UserView = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    email: z.string().nullable(),
    role: z.enum(ROLES),
    scope: z.object({
      level: z.enum(SCOPE_LEVELS),
      groupId: z.string(),
      companyId: z.string().nullable(),
      projectId: z.string().nullable(),
    }),
    active: z.boolean(),
  })
  .openapi('User');

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
}): z.infer<typeof UserView> {
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

const LoginResponse = z.object({ token: z.string(), expiresAt: z.string(), user: UserView }).openapi('LoginResponse');

export function registerAuthRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  defineRoute(router, registry, {
    method: 'post',
    path: '/api/auth/login',
    summary: 'Log in with username and password / 登录',
    tags: ['auth'],
    access: 'public',
    body: LoginBody,
    response: LoginResponse,
    errors: [401, 423, 429],
    async handler({ body, req }) {
      const user = await deps.db.user.findUnique({ where: { username: body.username } });
      const now = new Date();
      if (!user || !user.active) {
        await burnPasswordCheck(body.password);
        throw authError('INVALID_CREDENTIALS');
      }
      if (user.lockedUntil && user.lockedUntil > now) {
        throw authError('ACCOUNT_LOCKED_UNTIL', { until: user.lockedUntil.toISOString() });
      }
      if (!(await verifyPassword(user.passwordHash, body.password))) {
        // Counted in the database, not read-modify-write: parallel guesses must not undercount.
        const { failedLoginCount: failures } = await deps.db.user.update({
          where: { id: user.id },
          data: { failedLoginCount: { increment: 1 } },
          select: { failedLoginCount: true },
        });
        const lock = failures >= deps.config.login.maxFailures;
        if (lock)
          await deps.db.user.update({
            where: { id: user.id },
            data: { failedLoginCount: 0, lockedUntil: new Date(now.getTime() + deps.config.login.lockMinutes * 60_000) },
          });
        req.log?.warn({ userId: user.id, failures, locked: lock }, 'login failed');
        throw authError(lock ? 'ACCOUNT_LOCKED' : 'INVALID_CREDENTIALS');
      }
      if (user.failedLoginCount > 0 || user.lockedUntil)
        await deps.db.user.update({ where: { id: user.id }, data: { failedLoginCount: 0, lockedUntil: null } });
      const { token, expiresAt } = await issueToken(deps.config.jwt.secret, deps.config.jwt.ttlSeconds, { sub: user.id, role: user.role });
      req.log?.info({ userId: user.id }, 'login');
      return { token, expiresAt: expiresAt.toISOString(), user: toUserView(user) };
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/auth/me',
    summary: 'The logged-in user / 当前用户',
    tags: ['auth'],
    access: 'org:read',
    response: UserView,
    async handler({ principal }) {
      const user = await deps.db.user.findUniqueOrThrow({ where: { id: principal.id } });
      return toUserView(user);
    },
  });
}
