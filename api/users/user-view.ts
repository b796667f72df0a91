import { z } from '../http/zod.js';
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
