import { describe, expect, it } from 'vitest';
import {
  canManageLead,
  canOwnLead,
  canReadLead,
  canWorkLead,
  hasPermission,
  rolesWith,
  type LeadRef,
  type Principal,
  type Role,
  type ScopeLevel,
} from '../../domain/access.js';
import { mayNameOwner, pickInTurn } from '../../app/leads/owners.js';

/** The lead access rules, written out from the design (DESIGN.md section 2, issue 4). */
const G = 'group-1';
const EAST = 'company-east';
const SOUTH = 'company-south';
const BJHY = 'p-bjhy'; // in EAST
const HPMD = 'p-hpmd'; // in EAST
const HJW = 'p-hjw'; // in SOUTH

const ROLES: readonly Role[] = ['AGENT', 'HANDLER', 'SUPERVISOR', 'MANAGER', 'SALES', 'SALES_MANAGER', 'SPECIALIST', 'ADMIN'];
const TIERS: readonly ScopeLevel[] = ['PROJECT', 'COMPANY', 'GROUP'];

const user = (role: Role, scopeLevel: ScopeLevel, over: Partial<Principal> = {}): Principal => ({
  id: `${role}-${scopeLevel}`,
  username: `${role}.${scopeLevel}`.toLowerCase(),
  role,
  groupId: G,
  scopeLevel,
  companyId: scopeLevel === 'GROUP' ? null : EAST,
  projectId: scopeLevel === 'PROJECT' ? BJHY : null,
  ...over,
});
const lead = (over: Partial<LeadRef> = {}): LeadRef => ({ groupId: G, companyId: EAST, projectId: BJHY, ownerId: 'someone-else', status: 'contacting', ...over });

describe('lead permissions', () => {
  const EXPECTED: Record<string, Role[]> = {
    'leads:read': ['SALES', 'SALES_MANAGER', 'SPECIALIST'],
    'leads:create': ['SALES', 'SALES_MANAGER', 'SPECIALIST'],
    'leads:work': ['SALES', 'SALES_MANAGER', 'SPECIALIST'],
    'leads:manage': ['SALES_MANAGER'],
    'sales-settings:read': ['SALES', 'SALES_MANAGER', 'SPECIALIST', 'ADMIN'],
    'reports:leads': ['MANAGER', 'SALES_MANAGER'],
  };
  for (const [permission, roles] of Object.entries(EXPECTED))
    it(`grants ${permission} to ${roles.join(', ')} only`, () => {
      const p = permission as Parameters<typeof hasPermission>[1];
      expect(ROLES.filter((r) => hasPermission(r, p))).toEqual(ROLES.filter((r) => roles.includes(r)));
      expect([...rolesWith(p)].sort()).toEqual([...roles].sort());
    });

  it('keeps the customer-service roles and administrators away from leads', () => {
    for (const role of ['AGENT', 'HANDLER', 'SUPERVISOR', 'MANAGER', 'ADMIN'] as const)
      for (const tier of TIERS) {
        const p = user(role, tier);
        expect(canReadLead({ principal: p, ...lead({ ownerId: p.id }) }), `${role} ${tier}`).toBe(false);
        expect(canReadLead({ principal: p, ...lead({ ownerId: null, status: 'pooled' }) }), `${role} ${tier}`).toBe(false);
        expect(canWorkLead({ principal: p, ...lead({ ownerId: p.id }) }), `${role} ${tier}`).toBe(false);
      }
  });
});

describe('reading a lead', () => {
  it('shows sales staff and specialists their own leads, wherever they are, and nobody else’s', () => {
    for (const role of ['SALES', 'SPECIALIST'] as const) {
      const p = user(role, 'PROJECT');
      expect(canReadLead({ principal: p, ...lead({ ownerId: p.id }) })).toBe(true);
      expect(canReadLead({ principal: p, ...lead({ ownerId: p.id, projectId: HJW, companyId: SOUTH }) })).toBe(true);
      expect(canReadLead({ principal: p, ...lead() })).toBe(false);
      expect(canReadLead({ principal: p, ...lead({ status: 'lost_pending_review' }) })).toBe(false);
    }
  });

  it('shows sales staff the pool of the projects in their scope only', () => {
    const pooled = (projectId: string, companyId = EAST) => lead({ ownerId: null, status: 'pooled', projectId, companyId });
    expect(canReadLead({ principal: user('SALES', 'PROJECT'), ...pooled(BJHY) })).toBe(true);
    expect(canReadLead({ principal: user('SALES', 'PROJECT'), ...pooled(HPMD) })).toBe(false);
    expect(canReadLead({ principal: user('SALES', 'COMPANY'), ...pooled(HPMD) })).toBe(true);
    expect(canReadLead({ principal: user('SALES', 'COMPANY'), ...pooled(HJW, SOUTH) })).toBe(false);
    expect(canReadLead({ principal: user('SPECIALIST', 'GROUP'), ...pooled(HJW, SOUTH) })).toBe(true);
  });

  it('shows sales managers every lead of the projects in their scope', () => {
    expect(canReadLead({ principal: user('SALES_MANAGER', 'PROJECT'), ...lead() })).toBe(true);
    expect(canReadLead({ principal: user('SALES_MANAGER', 'PROJECT'), ...lead({ projectId: HPMD }) })).toBe(false);
    expect(canReadLead({ principal: user('SALES_MANAGER', 'COMPANY'), ...lead({ projectId: HPMD, status: 'closed' }) })).toBe(true);
    expect(canReadLead({ principal: user('SALES_MANAGER', 'COMPANY'), ...lead({ projectId: HJW, companyId: SOUTH }) })).toBe(false);
    expect(canReadLead({ principal: user('SALES_MANAGER', 'GROUP'), ...lead({ projectId: HJW, companyId: SOUTH }) })).toBe(true);
  });

  it('refuses a user of another group that carries the same ids', () => {
    const p = user('SALES_MANAGER', 'GROUP', { groupId: 'group-2' });
    expect(canReadLead({ principal: p, ...lead() })).toBe(false);
    expect(canReadLead({ principal: user('SALES', 'GROUP', { groupId: 'group-2', id: 'x' }), ...lead({ ownerId: 'x' }) })).toBe(false);
  });
});

describe('working and managing a lead', () => {
  it('lets the owner work it, and the sales managers over its project', () => {
    const sales = user('SALES', 'PROJECT');
    expect(canWorkLead({ principal: sales, ...lead({ ownerId: sales.id }) })).toBe(true);
    expect(canWorkLead({ principal: sales, ...lead() })).toBe(false);
    // A pooled lead has no owner: only a sales manager works it (and must assign it first).
    expect(canWorkLead({ principal: sales, ...lead({ ownerId: null, status: 'pooled' }) })).toBe(false);
    expect(canWorkLead({ principal: user('SALES_MANAGER', 'PROJECT'), ...lead({ ownerId: null, status: 'pooled' }) })).toBe(true);
    expect(canWorkLead({ principal: user('SALES_MANAGER', 'PROJECT'), ...lead({ projectId: HPMD }) })).toBe(false);
  });

  it('leaves assignment and loss reviews to the sales managers over the project', () => {
    expect(canManageLead({ principal: user('SALES_MANAGER', 'PROJECT'), ...lead() })).toBe(true);
    expect(canManageLead({ principal: user('SALES_MANAGER', 'COMPANY'), ...lead({ projectId: HJW, companyId: SOUTH }) })).toBe(false);
    const sales = user('SALES', 'GROUP');
    expect(canManageLead({ principal: sales, ...lead({ ownerId: sales.id }) })).toBe(false);
    expect(canManageLead({ principal: user('MANAGER', 'GROUP'), ...lead() })).toBe(false);
  });
});

describe('owning a lead', () => {
  const place = { groupId: G, companyId: EAST, projectId: BJHY };
  it('takes an active member of the sales team whose scope holds the project', () => {
    for (const role of ['SALES', 'SPECIALIST', 'SALES_MANAGER'] as const) {
      expect(canOwnLead({ user: { ...user(role, 'PROJECT'), active: true }, ...place }), role).toBe(true);
      expect(canOwnLead({ user: { ...user(role, 'COMPANY'), active: true }, ...place }), role).toBe(true);
      expect(canOwnLead({ user: { ...user(role, 'PROJECT'), active: false }, ...place }), role).toBe(false);
      expect(canOwnLead({ user: { ...user(role, 'PROJECT', { projectId: HPMD }), active: true }, ...place }), role).toBe(false);
      expect(canOwnLead({ user: { ...user(role, 'COMPANY', { companyId: SOUTH }), active: true }, ...place }), role).toBe(false);
    }
    for (const role of ['AGENT', 'HANDLER', 'SUPERVISOR', 'MANAGER', 'ADMIN'] as const)
      expect(canOwnLead({ user: { ...user(role, 'GROUP'), active: true }, ...place }), role).toBe(false);
  });

  it('is named on a new lead by a sales manager for anyone, by sales staff only for themselves', () => {
    const sales = user('SALES', 'PROJECT');
    expect(mayNameOwner(sales, sales.id)).toBe(true);
    expect(mayNameOwner(sales, 'a-colleague')).toBe(false);
    expect(mayNameOwner(user('SPECIALIST', 'COMPANY'), 'a-colleague')).toBe(false);
    expect(mayNameOwner(user('SALES_MANAGER', 'PROJECT'), 'a-colleague')).toBe(true);
  });

  it('goes round the candidates in turn, whatever the cursor’s position', () => {
    const c = ['a', 'b', 'c'];
    expect([0, 1, 2, 3, 4, 5, 6].map((p) => pickInTurn(c, p))).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
    expect(pickInTurn(c, -1)).toBe('c');
    expect(pickInTurn([], 5)).toBeNull();
  });
});
