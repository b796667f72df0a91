import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from '../http/zod.js';
import { coded } from '../http/errors.js';
import { ROLES, SCOPE_LEVELS, canGrantScope, type Principal } from '../../domain/access.js';
import { hashPassword } from '../../platform/passwords.js';
import type { ApiDeps } from '../context.js';
import { orgError } from '../../app/org/errors.js';
import { userError } from '../../app/users/errors.js';
import { PageQuery, defineRoute, pageOf, skipTake } from '../http/route.js';
import { UserView, toUserView } from '../auth/routes.js';

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

/** Users whose scope lies inside the principal's scope. */
function userScopeWhere(p: Principal) {
  switch (p.scopeLevel) {
    case 'GROUP':
      return { groupId: p.groupId };
    case 'COMPANY':
      return { groupId: p.groupId, OR: [{ companyId: p.companyId ?? '__none__' }, { project: { companyId: p.companyId ?? '__none__' } }] };
    case 'PROJECT':
      return { groupId: p.groupId, projectId: p.projectId ?? '__none__' };
  }
}

export function registerUserRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;

  async function findUserInScopeOrThrow(principal: Principal, id: string) {
    const user = await db.user.findFirst({ where: { id, groupId: principal.groupId } });
    if (!user) throw userError('USER_NOT_FOUND');
    const inScope = await db.user.count({ where: { id, ...userScopeWhere(principal) } });
    if (!inScope) throw userError('OUT_OF_SCOPE');
    return user;
  }

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/users',
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
      const where = {
        AND: [
          userScopeWhere(principal),
          query.role ? { role: query.role } : {},
          query.projectId ? { projectId: query.projectId } : {},
          query.active ? { active: query.active === 'true' } : {},
          query.q ? { OR: [{ username: { contains: query.q } }, { displayName: { contains: query.q } }] } : {},
        ],
      };
      const [rows, total] = await Promise.all([
        db.user.findMany({ where, orderBy: { username: 'asc' }, ...skipTake(query) }),
        db.user.count({ where }),
      ]);
      return { items: rows.map(toUserView), total, page: query.page, pageSize: query.pageSize };
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/users/:id',
    summary: 'One user / 员工详情',
    tags: ['users'],
    access: 'users:read',
    params: z.object({ id: Id }),
    response: UserView,
    async handler({ params, principal }) {
      return toUserView(await findUserInScopeOrThrow(principal, params.id));
    },
  });

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/users',
    summary: 'Create a user / 新建员工账号',
    tags: ['users'],
    access: 'users:write',
    body: CreateUserBody,
    response: UserView,
    status: 201,
    errors: [404, 409],
    idempotencyDb: db,
    async handler({ body, principal }) {
      let companyId: string | null = null;
      let project: { id: string; groupId: string; companyId: string } | null = null;
      if (body.scopeLevel === 'PROJECT') {
        project = await db.project.findFirst({ where: { id: body.projectId!, groupId: principal.groupId } });
        if (!project) throw orgError('PROJECT_NOT_FOUND');
        companyId = project.companyId;
      } else if (body.scopeLevel === 'COMPANY') {
        const company = await db.company.findFirst({ where: { id: body.companyId!, groupId: principal.groupId } });
        if (!company) throw orgError('COMPANY_NOT_FOUND');
        companyId = company.id;
      }
      if (!canGrantScope(principal, { scopeLevel: body.scopeLevel, companyId, project }))
        throw userError('SCOPE_WIDER_THAN_OWN');
      if (await db.user.findUnique({ where: { username: body.username } }))
        throw userError('USERNAME_TAKEN');
      const user = await db.user.create({
        data: {
          groupId: principal.groupId,
          username: body.username,
          displayName: body.displayName,
          email: body.email ?? null,
          passwordHash: await hashPassword(body.password),
          role: body.role,
          scopeLevel: body.scopeLevel,
          companyId,
          projectId: project?.id ?? null,
        },
      });
      return toUserView(user);
    },
  });

  defineRoute(router, registry, {
    method: 'patch',
    path: '/api/users/:id',
    summary: 'Change, deactivate or reset the password of a user / 修改员工账号',
    tags: ['users'],
    access: 'users:write',
    params: z.object({ id: Id }),
    body: UpdateUserBody,
    response: UserView,
    async handler({ params, body, principal }) {
      const user = await findUserInScopeOrThrow(principal, params.id);
      if (user.id === principal.id && body.active === false)
        throw userError('CANNOT_DEACTIVATE_SELF');
      const updated = await db.user.update({
        where: { id: user.id },
        data: {
          ...(body.displayName !== undefined ? { displayName: body.displayName } : {}),
          ...(body.email !== undefined ? { email: body.email } : {}),
          ...(body.active !== undefined ? { active: body.active } : {}),
          ...(body.password !== undefined ? { passwordHash: await hashPassword(body.password), failedLoginCount: 0, lockedUntil: null } : {}),
        },
      });
      return toUserView(updated);
    },
  });
}
