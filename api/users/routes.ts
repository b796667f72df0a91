import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ApiDeps } from '../context.js';
import { IdParams, defineRoute, pageAnswer, pageOf, skipTake } from '../http/route.js';
import { createUser } from '../../app/users/create-user.js';
import { findUserInScopeOrThrow, findUsersInScope } from '../../app/users/repository.js';
import { updateUser } from '../../app/users/update-user.js';
import { toUserView } from './user-view.js';
import { CreateUserBody, ListUsersQuery, UpdateUserBody, UserView } from './schemas.js';

export function registerUserRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/users',
    operationId: 'listUsers',
    summary: 'Staff in your scope / 员工列表',
    tags: ['users'],
    access: 'users:read',
    query: ListUsersQuery,
    response: pageOf(UserView),
    async handler({ query, principal }) {
      const { rows, total } = await findUsersInScope(
        db,
        principal,
        { role: query.role, projectId: query.projectId, active: query.active ? query.active === 'true' : undefined, q: query.q },
        skipTake(query),
      );
      return pageAnswer(query, rows.map(toUserView), total);
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/users/:id',
    operationId: 'getUser',
    summary: 'One user / 员工详情',
    tags: ['users'],
    access: 'users:read',
    params: IdParams,
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
    // The account's id is the request's: a retry after the process that created it died finds it.
    rerunSafe: true,
    handler: async ({ body, principal, requestKey }) => toUserView(await createUser(db, principal, body, { requestKey })),
  });

  defineRoute(router, registry, {
    method: 'patch',
    path: '/api/users/:id',
    operationId: 'updateUser',
    summary: 'Change, deactivate or reset the password of a user / 修改员工账号',
    tags: ['users'],
    access: 'users:write',
    params: IdParams,
    body: UpdateUserBody,
    response: UserView,
    handler: async ({ params, body, principal }) => toUserView(await updateUser(db, principal, params.id, body)),
  });
}
