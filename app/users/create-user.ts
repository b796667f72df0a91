import { canGrantScope, type Principal, type Role, type ScopeLevel } from '../../domain/access.js';
import { hashPassword } from '../../platform/passwords.js';
import type { Db } from '../../platform/db.js';
import { findCompanyOfGroup, findProjectOfGroup } from '../org/repository.js';
import { orgError } from '../org/errors.js';
import { userError } from './errors.js';
import { createUser as insertUser, findUserByUsername } from './repository.js';
import { recordIdForRequest } from '../shared/request-identity.js';

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
 *
 * With `requestKey` the account's id is the request's: run again after the process that ran it
 * first died, it finds the account that run created under the username (its own id, so not
 * USERNAME_TAKEN) and answers it instead of refusing or creating a second one.
 */
export async function createUser(db: Db, principal: Principal, body: NewUserInput, o: { requestKey?: string | null } = {}) {
  const id = o.requestKey ? recordIdForRequest('user', o.requestKey) : undefined;
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
  const taken = await findUserByUsername(db, body.username);
  if (taken && id !== undefined && taken.id === id) return taken;
  if (taken) throw userError('USERNAME_TAKEN');
  return insertUser(db, {
    ...(id !== undefined ? { id } : {}),
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
