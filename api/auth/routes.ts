import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ApiDeps } from '../context.js';
import { defineRoute } from '../http/route.js';
import { logIn } from '../../app/users/log-in.js';
import { findUserByIdOrThrow } from '../../app/users/repository.js';
import { toUserView } from '../users/user-view.js';
import { UserView } from '../users/schemas.js';
import { LoginBody, LoginResponse } from './schemas.js';
import { issueToken } from './tokens.js';

export function registerAuthRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  defineRoute(router, registry, {
    method: 'post',
    path: '/api/auth/login',
    operationId: 'logIn',
    summary: 'Log in with username and password / 登录',
    tags: ['auth'],
    access: 'public',
    body: LoginBody,
    response: LoginResponse,
    errors: [401, 423, 429],
    async handler({ body, req }) {
      const user = await logIn(deps.db, deps.config.login, body, (failed) => req.log?.warn(failed, 'login failed'));
      const { token, expiresAt } = await issueToken(deps.config.jwt.secret, deps.config.jwt.ttlSeconds, { sub: user.id, role: user.role });
      req.log?.info({ userId: user.id }, 'login');
      return { token, expiresAt: expiresAt.toISOString(), user: toUserView(user) };
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/auth/me',
    operationId: 'getCurrentUser',
    summary: 'The logged-in user / 当前用户',
    tags: ['auth'],
    access: 'org:read',
    response: UserView,
    async handler({ principal }) {
      return toUserView(await findUserByIdOrThrow(deps.db, principal.id));
    },
  });
}
