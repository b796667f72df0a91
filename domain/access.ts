/**
 * Who may do what, and over which part of the organisation. Pure rules shared by the API and the
 * console; no I/O. Every endpoint names one Permission; every read of an organisation's records is
 * narrowed by the caller's scope.
 */
export const ROLES = ['AGENT', 'HANDLER', 'SUPERVISOR', 'MANAGER', 'SALES', 'SALES_MANAGER', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPE_LEVELS = ['GROUP', 'COMPANY', 'PROJECT'] as const;
export type ScopeLevel = (typeof SCOPE_LEVELS)[number];

export interface Principal {
  id: string;
  username: string;
  role: Role;
  groupId: string;
  scopeLevel: ScopeLevel;
  companyId: string | null;
  projectId: string | null;
}

export interface ProjectRef {
  id: string;
  groupId: string;
  companyId: string;
}

export type Permission =
  | 'org:read'
  | 'projects:write'
  | 'units:read'
  | 'users:read'
  | 'users:write'
  | 'customers:read'
  | 'customers:write'
  | 'customers:read-contact'
  | 'outbox:read';

const ALL_ROLES: readonly Role[] = ROLES;
const SERVICE_AND_SALES: readonly Role[] = ['AGENT', 'HANDLER', 'SUPERVISOR', 'MANAGER', 'SALES', 'SALES_MANAGER', 'ADMIN'];

const GRANTS: Record<Permission, readonly Role[]> = {
  'org:read': ALL_ROLES,
  'projects:write': ['ADMIN'],
  'units:read': ALL_ROLES,
  // Supervisors and managers pick assignees, so they read the staff list of their scope.
  'users:read': ['ADMIN', 'SUPERVISOR', 'MANAGER', 'SALES_MANAGER'],
  'users:write': ['ADMIN'],
  'customers:read': SERVICE_AND_SALES,
  // Agents register callers; sales register prospects.
  'customers:write': ['AGENT', 'HANDLER', 'SUPERVISOR', 'SALES', 'SALES_MANAGER', 'ADMIN'],
  // Whole phone numbers only for the roles that call customers back.
  'customers:read-contact': ['AGENT', 'HANDLER', 'SUPERVISOR', 'SALES', 'SALES_MANAGER'],
  'outbox:read': ['ADMIN'],
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return GRANTS[permission].includes(role);
}

export function rolesWith(permission: Permission): readonly Role[] {
  return GRANTS[permission];
}

/** True when the project lies inside the principal's scope. */
export function isProjectInScope(p: Principal, project: ProjectRef): boolean {
  if (project.groupId !== p.groupId) return false;
  switch (p.scopeLevel) {
    case 'GROUP':
      return true;
    case 'COMPANY':
      return project.companyId === p.companyId;
    case 'PROJECT':
      return project.id === p.projectId;
  }
}

export function isCompanyInScope(p: Principal, company: { id: string; groupId: string }): boolean {
  if (company.groupId !== p.groupId) return false;
  return p.scopeLevel === 'GROUP' || company.id === p.companyId;
}

/**
 * True when the principal's authority spans the whole company (group-wide, or that very company):
 * what adding a project to the company takes. A project-scoped user's authority ends at its project,
 * even though its company is "in scope" for reading.
 */
export function coversCompany(p: Principal, company: { id: string; groupId: string }): boolean {
  if (company.groupId !== p.groupId) return false;
  return p.scopeLevel === 'GROUP' || (p.scopeLevel === 'COMPANY' && company.id === p.companyId);
}

/**
 * A principal may create or manage a user only inside its own scope, and never give the new user
 * a wider scope than its own.
 */
export function canGrantScope(
  p: Principal,
  target: { scopeLevel: ScopeLevel; companyId: string | null; project: ProjectRef | null },
): boolean {
  switch (target.scopeLevel) {
    case 'GROUP':
      return p.scopeLevel === 'GROUP';
    case 'COMPANY':
      return p.scopeLevel === 'GROUP' || (p.scopeLevel === 'COMPANY' && target.companyId === p.companyId);
    case 'PROJECT':
      return target.project !== null && isProjectInScope(p, target.project);
  }
}

/** Shape of a Prisma `where` on projects that keeps a principal inside its scope. */
export function projectScopeWhere(p: Principal): { groupId: string; companyId?: string; id?: string } {
  switch (p.scopeLevel) {
    case 'GROUP':
      return { groupId: p.groupId };
    case 'COMPANY':
      return { groupId: p.groupId, companyId: p.companyId ?? '__none__' };
    case 'PROJECT':
      return { groupId: p.groupId, id: p.projectId ?? '__none__' };
  }
}

/** Masks a phone number for roles that do not call customers: 13812345678 → 138****5678. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\s+/g, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  if (digits.length < 8) return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}
