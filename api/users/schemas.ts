import { z } from '../http/zod.js';
import { coded } from '../http/schema-kit.js';
import { Id, PageQuery } from '../http/schema-kit.js';
import { ROLES, SCOPE_LEVELS } from '../../domain/access.js';


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

export const CreateUserBody = z
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

export const UpdateUserBody = z
  .object({
    displayName: z.string().trim().min(1).max(60).optional(),
    email: z.email().max(200).nullable().optional(),
    active: z.boolean().optional(),
    password: z.string().min(10).max(256).optional(),
  })
  .openapi('UpdateUserRequest');

export const ListUsersQuery = PageQuery.extend({
  role: z.enum(ROLES).optional(),
  projectId: Id.optional(),
  active: z.enum(['true', 'false']).optional(),
  q: z.string().trim().max(50).optional(),
});

export type User = z.output<typeof UserView>;
export type CreateUserRequest = z.input<typeof CreateUserBody>;
export type UpdateUserRequest = z.input<typeof UpdateUserBody>;
export type ListUsersQuery = z.input<typeof ListUsersQuery>;
