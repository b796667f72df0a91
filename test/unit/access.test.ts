import { describe, expect, it } from 'vitest';
import {
  canDecodeWorkflowPayloads,
  canReadRecordViews,
  canGrantScope,
  coversCompany,
  hasPermission,
  isCompanyInScope,
  isProjectInScope,
  maskPhone,
  projectScopeWhere,
  recordViewScopeWhere,
  rolesWith,
  type Principal,
  type ProjectRef,
} from '../../domain/access.js';

const G = 'group-1';
const EAST = 'company-east';
const SOUTH = 'company-south';
const bjhy: ProjectRef = { id: 'p-bjhy', groupId: G, companyId: EAST };
const hpmd: ProjectRef = { id: 'p-hpmd', groupId: G, companyId: EAST };
const hjw: ProjectRef = { id: 'p-hjw', groupId: G, companyId: SOUTH };
const foreign: ProjectRef = { id: 'p-foreign', groupId: 'group-2', companyId: 'company-foreign' };

const principal = (scopeLevel: Principal['scopeLevel'], over: Partial<Principal> = {}): Principal => ({
  id: 'u1',
  username: 'u1',
  role: 'ADMIN',
  groupId: G,
  scopeLevel,
  companyId: scopeLevel === 'GROUP' ? null : EAST,
  projectId: scopeLevel === 'PROJECT' ? bjhy.id : null,
  ...over,
});
const groupUser = principal('GROUP');
const companyUser = principal('COMPANY');
const projectUser = principal('PROJECT');

describe('project scope', () => {
  it('lets a group user see every project of its group', () => {
    expect([bjhy, hpmd, hjw].map((p) => isProjectInScope(groupUser, p))).toEqual([true, true, true]);
  });

  it("keeps a group user out of another group's projects", () => {
    expect(isProjectInScope(groupUser, foreign)).toBe(false);
  });

  it("keeps a company supervisor out of another company's projects", () => {
    expect(isProjectInScope({ ...companyUser, role: 'SUPERVISOR' }, hjw)).toBe(false);
    expect(isProjectInScope({ ...companyUser, role: 'SUPERVISOR' }, bjhy)).toBe(true);
    expect(isProjectInScope({ ...companyUser, role: 'SUPERVISOR' }, hpmd)).toBe(true);
  });

  it('keeps a project handler inside its own project, even in its own company', () => {
    const handler = { ...projectUser, role: 'HANDLER' as const };
    expect([bjhy, hpmd, hjw].map((p) => isProjectInScope(handler, p))).toEqual([true, false, false]);
  });

  it('does not match a project in another group that happens to carry the same ids', () => {
    expect(isProjectInScope(projectUser, { ...bjhy, groupId: 'group-2' })).toBe(false);
    expect(isProjectInScope(companyUser, { ...bjhy, groupId: 'group-2' })).toBe(false);
  });

  it('grants nothing to a company or project user whose scope row lacks its id', () => {
    for (const p of [bjhy, hpmd, hjw]) {
      expect(isProjectInScope(principal('COMPANY', { companyId: null }), p)).toBe(false);
      expect(isProjectInScope(principal('PROJECT', { projectId: null }), p)).toBe(false);
    }
  });
});

describe('company scope', () => {
  it('counts its own company as in scope for every tier below group, and every company for group', () => {
    expect(isCompanyInScope(groupUser, { id: SOUTH, groupId: G })).toBe(true);
    expect(isCompanyInScope(companyUser, { id: EAST, groupId: G })).toBe(true);
    expect(isCompanyInScope(companyUser, { id: SOUTH, groupId: G })).toBe(false);
    expect(isCompanyInScope(projectUser, { id: EAST, groupId: G })).toBe(true);
    expect(isCompanyInScope(groupUser, { id: 'company-foreign', groupId: 'group-2' })).toBe(false);
  });

  it('lets only group users and users of that very company act for the whole company', () => {
    expect(coversCompany(groupUser, { id: SOUTH, groupId: G })).toBe(true);
    expect(coversCompany(companyUser, { id: EAST, groupId: G })).toBe(true);
    expect(coversCompany(companyUser, { id: SOUTH, groupId: G })).toBe(false);
    expect(coversCompany(projectUser, { id: EAST, groupId: G })).toBe(false);
    expect(coversCompany(groupUser, { id: 'company-foreign', groupId: 'group-2' })).toBe(false);
  });
});

describe('granting scope', () => {
  const target = (scopeLevel: Principal['scopeLevel'], companyId: string | null, project: ProjectRef | null) => ({ scopeLevel, companyId, project });

  it('lets only a group user create group-wide users', () => {
    expect(canGrantScope(groupUser, target('GROUP', null, null))).toBe(true);
    expect(canGrantScope(companyUser, target('GROUP', null, null))).toBe(false);
    expect(canGrantScope(projectUser, target('GROUP', null, null))).toBe(false);
  });

  it('lets a company user create company users of its own company only', () => {
    expect(canGrantScope(companyUser, target('COMPANY', EAST, null))).toBe(true);
    expect(canGrantScope(companyUser, target('COMPANY', SOUTH, null))).toBe(false);
    expect(canGrantScope(groupUser, target('COMPANY', SOUTH, null))).toBe(true);
  });

  it('refuses a project user any company-wide user, even of its own company', () => {
    expect(canGrantScope(projectUser, target('COMPANY', EAST, null))).toBe(false);
  });

  it('lets users create project users only for projects inside their own scope', () => {
    expect(canGrantScope(projectUser, target('PROJECT', EAST, bjhy))).toBe(true);
    expect(canGrantScope(projectUser, target('PROJECT', EAST, hpmd))).toBe(false);
    expect(canGrantScope(companyUser, target('PROJECT', EAST, hpmd))).toBe(true);
    expect(canGrantScope(companyUser, target('PROJECT', SOUTH, hjw))).toBe(false);
    expect(canGrantScope(groupUser, target('PROJECT', SOUTH, hjw))).toBe(true);
    expect(canGrantScope(groupUser, target('PROJECT', 'company-foreign', foreign))).toBe(false);
  });

  it('refuses a project-scoped grant that names no project', () => {
    expect(canGrantScope(groupUser, target('PROJECT', null, null))).toBe(false);
  });
});

describe('project query scope', () => {
  it('narrows a group user to its group', () => {
    expect(projectScopeWhere(groupUser)).toEqual({ groupId: G });
  });

  it('narrows a company user to its group and company', () => {
    expect(projectScopeWhere(companyUser)).toEqual({ groupId: G, companyId: EAST });
  });

  it('narrows a project user to its group and project', () => {
    expect(projectScopeWhere(projectUser)).toEqual({ groupId: G, id: bjhy.id });
  });

  it('matches nothing, not everything, when a scoped user lacks its company or project id', () => {
    const noCompany = projectScopeWhere(principal('COMPANY', { companyId: null }));
    const noProject = projectScopeWhere(principal('PROJECT', { projectId: null }));
    expect(noCompany.companyId).toEqual(expect.any(String));
    expect(noProject.id).toEqual(expect.any(String));
    expect(noCompany.companyId).not.toBe(EAST);
    expect(noProject.id).not.toBe(bjhy.id);
  });
});

describe('permissions', () => {
  // Written out from the design: who may do what.
  const EXPECTED: Record<string, string[]> = {
    'org:read': ['AGENT', 'HANDLER', 'SUPERVISOR', 'MANAGER', 'SALES', 'SALES_MANAGER', 'SPECIALIST', 'ADMIN', 'TECHNICIAN', 'CONTRACTOR'],
    'projects:write': ['ADMIN'],
    'units:read': ['AGENT', 'HANDLER', 'SUPERVISOR', 'MANAGER', 'SALES', 'SALES_MANAGER', 'SPECIALIST', 'ADMIN', 'TECHNICIAN', 'CONTRACTOR'],
    'users:read': ['SUPERVISOR', 'MANAGER', 'SALES_MANAGER', 'ADMIN'],
    'users:write': ['ADMIN'],
    'customers:read': ['AGENT', 'HANDLER', 'SUPERVISOR', 'MANAGER', 'SALES', 'SALES_MANAGER', 'SPECIALIST', 'ADMIN'],
    'customers:write': ['AGENT', 'HANDLER', 'SUPERVISOR', 'SALES', 'SALES_MANAGER', 'SPECIALIST', 'ADMIN'],
    'customers:read-contact': ['AGENT', 'HANDLER', 'SUPERVISOR', 'SALES', 'SALES_MANAGER', 'SPECIALIST'],
    'outbox:read': ['ADMIN'],
    // Leads belong to the sales team; sales managers alone manage the pool and loss reviews.
    'leads:read': ['SALES', 'SALES_MANAGER', 'SPECIALIST'],
    'leads:create': ['SALES', 'SALES_MANAGER', 'SPECIALIST'],
    'leads:work': ['SALES', 'SALES_MANAGER', 'SPECIALIST'],
    'leads:manage': ['SALES_MANAGER'],
    'sales-settings:read': ['SALES', 'SALES_MANAGER', 'SPECIALIST', 'ADMIN'],
    'reports:leads': ['MANAGER', 'SALES_MANAGER'],
    // Who viewed which customer's full record: managers and (group) administrators.
    'record-views:read': ['MANAGER', 'ADMIN'],
    // Everyone has a home page; what it counts depends on the role.
    'home:read': ['AGENT', 'HANDLER', 'SUPERVISOR', 'MANAGER', 'SALES', 'SALES_MANAGER', 'SPECIALIST', 'ADMIN', 'TECHNICIAN', 'CONTRACTOR'],
  };
  // Issue 15's field roles have only what everyone has (who am I, the organisation, units, home) until their routes come.
  const ROLES = ['AGENT', 'HANDLER', 'SUPERVISOR', 'MANAGER', 'SALES', 'SALES_MANAGER', 'SPECIALIST', 'ADMIN', 'TECHNICIAN', 'CONTRACTOR'] as const;

  for (const [permission, roles] of Object.entries(EXPECTED))
    it(`grants ${permission} to ${roles.join(', ')} only`, () => {
      const p = permission as Parameters<typeof hasPermission>[1];
      expect(ROLES.filter((r) => hasPermission(r, p))).toEqual(roles);
      expect([...rolesWith(p)].sort()).toEqual([...roles].sort());
    });
});

describe('phone masking', () => {
  it('keeps the first three and last four digits of a mainland mobile number', () => {
    expect(maskPhone('13800138001')).toBe('138****8001');
  });

  it('masks the middle of an international number and keeps its prefix', () => {
    expect(maskPhone('+8613800138001')).toBe('+86*******8001');
  });

  it('ignores spaces written into the number', () => {
    expect(maskPhone('138 0013 8001')).toBe('138****8001');
  });

  it('masks numbers of four characters or fewer entirely', () => {
    expect(maskPhone('1234')).toBe('****');
    expect(maskPhone('12')).toBe('**');
    expect(maskPhone('')).toBe('');
  });

  it('keeps only the last four digits of short numbers', () => {
    expect(maskPhone('12345')).toBe('*2345');
    expect(maskPhone('1234567')).toBe('***4567');
  });

  it('hides at least one digit of an eight-digit number', () => {
    expect(maskPhone('12345678')).toBe('123*5678');
  });

  it('never reveals more than seven digits of any number', () => {
    for (let n = 0; n <= 20; n++) {
      const digits = '9'.repeat(n);
      const masked = maskPhone(digits);
      expect(masked).toHaveLength(n);
      expect(masked.replace(/\*/g, '').length).toBeLessThanOrEqual(Math.max(0, Math.min(7, n - 1)));
    }
  });
});

describe('decoding workflow payloads (the Temporal codec endpoint)', () => {
  it('is for group administrators only: payloads span every company and project', () => {
    expect(rolesWith('workflow-payloads:decode')).toEqual(['ADMIN']);
    expect([groupUser, companyUser, projectUser].map(canDecodeWorkflowPayloads)).toEqual([true, false, false]);
    for (const role of ['AGENT', 'HANDLER', 'SUPERVISOR', 'MANAGER', 'SALES', 'SALES_MANAGER', 'SPECIALIST'] as const)
      expect(canDecodeWorkflowPayloads({ ...groupUser, role }), role).toBe(false);
  });
});

describe('reading the record-view log', () => {
  it('is for managers at any scope and administrators at group scope', () => {
    for (const u of [groupUser, companyUser, projectUser]) expect(canReadRecordViews({ ...u, role: 'MANAGER' }), u.scopeLevel).toBe(true);
    expect([groupUser, companyUser, projectUser].map(canReadRecordViews)).toEqual([true, false, false]);
    for (const role of ['AGENT', 'HANDLER', 'SUPERVISOR', 'SALES', 'SALES_MANAGER', 'SPECIALIST'] as const)
      expect(canReadRecordViews({ ...groupUser, role }), role).toBe(false);
  });

  it("narrows a company or project manager to its company's or project's rows, a group reader to its organisation", () => {
    expect(recordViewScopeWhere({ ...groupUser, role: 'MANAGER' })).toEqual({ groupId: G });
    expect(recordViewScopeWhere({ ...companyUser, role: 'MANAGER' })).toEqual({ groupId: G, companyId: EAST });
    expect(recordViewScopeWhere({ ...projectUser, role: 'MANAGER' })).toEqual({ groupId: G, projectId: bjhy.id });
  });
});
