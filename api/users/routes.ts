import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from '../http/zod.js';
import { ROLES, SCOPE_LEVELS } from '../../domain/access.js';
import type { ApiDeps } from '../context.js';
import { coded } from '../http/errors.js';
import { PageQuery, defineRoute, pageOf, skipTake } from '../http/route.js';
import { createUser } from '../../app/users/create-user.js';
import { findUserInScopeOrThrow, findUsersInScope } from '../../app/users/repository.js';
import { updateUser } from '../../app/users/update-user.js';
import { UserView, toUserView } from './user-view.js';

const Id = z.string().min(1).max(64);

const CreateUserBody = z
  .object({
    username: z.string().trim().regex(/^[a-z0-9._-]{3,40}$/, coded('USERNAME_FORMAT')),
    displayName: z.string().trim().min(1).max(60),
    email: z.email().max(200).optional(),
    password: z.string().min(10).max(256),
    role: z.enum(ROLES),
    scopeLevel: z.enum(SCOPE_LEVELS),
    companyId: Id.optional(),
    projectId: Id.optional(),
  })
  .superRefine((b, ctx) => {
    if (b.scopeLevel === 'COMPANY' && !b.companyId) ctx.addIssue({ code: 'custom', path: ['companyId'], message: coded('SCOPE_NEEDS_COMPANY') });
    if (b.scopeLevel === 'PROJECT' && !b.projectId) ctx.addIssue({ code: 'custom', path: ['projectId'], message: coded('SCOPE_NEEDS_PROJECT') });
  })
  .openapi('CreateUserRequest');

const UpdateUserBody = z
  .object({
    displayName: z.string().trim().min(1).max(60).optional(),
    email: z.email().max(200).nullable().optional(),
    active: z.boolean().optional(),
    password: z.string().min(10).max(256).optional(),
  })
  .openapi('UpdateUserRequest');

export function registerUserRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/users',
    operationId: 'listUsers',
    summary: 'Staff in your scope / 员工列表',
    tags: ['users'],
    access: 'users:read',
    query: PageQuery.extend({
      role: z.enum(ROLES).optional(),
      projectId: Id.optional(),
      active: z.enum(['true', 'false']).optional(),
      q: z.string().trim().max(50).optional(),
    }),
    response: pageOf(UserView),
    async handler({ query, principal }) {
      const { rows, total } = await findUsersInScope(
        db,
        principal,
        { role: query.role, projectId: query.projectId, active: query.active ? query.active === 'true' : undefined, q: query.q },
        skipTake(query),
      );
      return { items: rows.map(toUserView), total, page: query.page, pageSize: query.pageSize };
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/users/:id',
    operationId: 'getUser',
    summary: 'One user / 员工详情',
    tags: ['users'],
    access: 'users:read',
    params: z.object({ id: Id }),
    response: UserView,
    async handler({ params, principal }) {
      return toUserView(await findUserInScopeOrThrow(db, principal, params.id));
    },
  });

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/users',
    operationId: 'createUser',
    summary: 'Create a user / 新建员工账号',
    tags: ['users'],
    access: 'users:write',
    body: CreateUserBody,
    response: UserView,
    status: 201,
    errors: [404, 409],
    idempotencyDb: db,
    handler: async ({ body, principal }) => toUserView(await createUser(db, principal, body)),
  });

  defineRoute(router, registry, {
    method: 'patch',
    path: '/api/users/:id',
    operationId: 'updateUser',
    summary: 'Change, deactivate or reset the password of a user / 修改员工账号',
    tags: ['users'],
    access: 'users:write',
    params: z.object({ id: Id }),
    body: UpdateUserBody,
    response: UserView,
    handler: async ({ params, body, principal }) => toUserView(await updateUser(db, principal, params.id, body)),
  });
}
