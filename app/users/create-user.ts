import { canGrantScope, type Principal, type Role, type ScopeLevel } from '../../domain/access.js';
import { hashPassword } from '../../platform/passwords.js';
import type { Db } from '../../platform/db.js';
import { findCompanyOfGroup, findProjectOfGroup } from '../org/repository.js';
import { orgError } from '../org/errors.js';
import { userError } from './errors.js';
import { createUser as insertUser, findUserByUsername } from './repository.js';

export interface NewUserInput {
  username: string;
  displayName: string;
  email?: string | undefined;
  password: string;
  role: Role;
  scopeLevel: ScopeLevel;
  companyId?: string | undefined;
  projectId?: string | undefined;
}

/**
 * Creates a staff account whose scope (its project or company, of the principal's organisation)
 * lies inside the principal's own: 404 for an unknown project or company, 403 for a wider scope,
 * 409 for a username taken.
 */
export async function createUser(db: Db, principal: Principal, body: NewUserInput) {
  let companyId: string | null = null;
  let project: { id: string; groupId: string; companyId: string } | null = null;
  if (body.scopeLevel === 'PROJECT') {
    project = await findProjectOfGroup(db, principal.groupId, body.projectId!);
    if (!project) throw orgError('PROJECT_NOT_FOUND');
    companyId = project.companyId;
  } else if (body.scopeLevel === 'COMPANY') {
    const company = await findCompanyOfGroup(db, principal.groupId, body.companyId!);
    if (!company) throw orgError('COMPANY_NOT_FOUND');
    companyId = company.id;
  }
  if (!canGrantScope(principal, { scopeLevel: body.scopeLevel, companyId, project }))
    throw userError('SCOPE_WIDER_THAN_OWN');
  if (await findUserByUsername(db, body.username)) throw userError('USERNAME_TAKEN');
  return insertUser(db, {
    groupId: principal.groupId,
    username: body.username,
    displayName: body.displayName,
    email: body.email ?? null,
    passwordHash: await hashPassword(body.password),
    role: body.role,
    scopeLevel: body.scopeLevel,
    companyId,
    projectId: project?.id ?? null,
  });
}
