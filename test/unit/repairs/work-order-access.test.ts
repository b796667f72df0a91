import { describe, expect, it } from 'vitest';
import { canDispatchWorkOrder, canReadWorkOrder, canWorkWorkOrder, workOrderScopeWhere, type Principal, type Role, type ScopeLevel, type WorkOrderRef } from '../../../domain/access.js';
import { tradeOfCategory } from '../../../domain/repairs/trades.js';

const user = (role: Role, scopeLevel: ScopeLevel, over: Partial<Principal> = {}): Principal => ({
  id: `${role}-${scopeLevel}`,
  username: `${role}.${scopeLevel}`.toLowerCase(),
  role,
  groupId: 'g',
  scopeLevel,
  companyId: scopeLevel === 'GROUP' ? null : 'east',
  projectId: scopeLevel === 'PROJECT' ? 'bjhy' : null,
  ...over,
});
const order = (over: Partial<WorkOrderRef> = {}): WorkOrderRef => ({ groupId: 'g', companyId: 'east', projectId: 'bjhy', technicianId: null, contractorCompanyId: null, ...over });

describe('who reads a work order', () => {
  it('lets the office read the orders of its scope, and sales none', () => {
    expect(canReadWorkOrder({ principal: user('AGENT', 'PROJECT'), ...order() })).toBe(true);
    expect(canReadWorkOrder({ principal: user('MANAGER', 'PROJECT'), ...order({ projectId: 'hpmd' }) })).toBe(false);
    expect(canReadWorkOrder({ principal: user('ADMIN', 'COMPANY'), ...order({ projectId: 'hpmd' }) })).toBe(true);
    expect(canReadWorkOrder({ principal: user('SALES_MANAGER', 'GROUP'), ...order() })).toBe(false);
  });

  it('lets a technician read only the orders assigned to them, inside their own scope', () => {
    const tech = user('TECHNICIAN', 'PROJECT');
    expect(canReadWorkOrder({ principal: tech, ...order({ technicianId: tech.id }) })).toBe(true);
    expect(canReadWorkOrder({ principal: tech, ...order({ technicianId: 'someone-else' }) })).toBe(false);
    expect(canReadWorkOrder({ principal: tech, ...order({ technicianId: tech.id, projectId: 'hjw', companyId: 'south' }) })).toBe(false);
  });

  it("lets contractor staff read their company's orders in any project, never another company's", () => {
    const staff = user('CONTRACTOR', 'PROJECT', { contractorCompanyId: 'builder' });
    expect(canReadWorkOrder({ principal: staff, ...order({ contractorCompanyId: 'builder', projectId: 'hjw', companyId: 'south' }) })).toBe(true);
    expect(canReadWorkOrder({ principal: staff, ...order({ contractorCompanyId: 'rival' }) })).toBe(false);
    expect(canReadWorkOrder({ principal: user('CONTRACTOR', 'GROUP', { contractorCompanyId: null }), ...order({ contractorCompanyId: 'builder' }) })).toBe(false);
  });

  it('narrows lists the same way', () => {
    expect(workOrderScopeWhere(user('TECHNICIAN', 'PROJECT'))).toEqual({ groupId: 'g', projectId: 'bjhy', technicianId: 'TECHNICIAN-PROJECT' });
    expect(workOrderScopeWhere(user('CONTRACTOR', 'PROJECT', { contractorCompanyId: 'builder' }))).toEqual({ groupId: 'g', contractorCompanyId: 'builder' });
    expect(workOrderScopeWhere(user('CONTRACTOR', 'PROJECT'))).toEqual({ groupId: 'g', contractorCompanyId: '__none__' });
    expect(workOrderScopeWhere(user('HANDLER', 'COMPANY'))).toEqual({ groupId: 'g', companyId: 'east' });
  });
});

describe('who dispatches and works a work order', () => {
  it('lets handlers and supervisors of the scope dispatch, not managers or the field', () => {
    expect(canDispatchWorkOrder({ principal: user('HANDLER', 'PROJECT'), ...order() })).toBe(true);
    expect(canDispatchWorkOrder({ principal: user('SUPERVISOR', 'PROJECT'), ...order({ projectId: 'hpmd' }) })).toBe(false);
    expect(canDispatchWorkOrder({ principal: user('MANAGER', 'GROUP'), ...order() })).toBe(false);
    expect(canDispatchWorkOrder({ principal: user('TECHNICIAN', 'GROUP'), ...order({ technicianId: 'TECHNICIAN-GROUP' }) })).toBe(false);
  });

  it('keeps the on-site steps to the holder, and lets dispatchers schedule', () => {
    const tech = user('TECHNICIAN', 'PROJECT');
    const mine = order({ technicianId: tech.id });
    expect(canWorkWorkOrder({ principal: tech, ...mine, withDispatchers: false })).toBe(true);
    expect(canWorkWorkOrder({ principal: user('HANDLER', 'PROJECT'), ...mine, withDispatchers: false })).toBe(false);
    expect(canWorkWorkOrder({ principal: user('HANDLER', 'PROJECT'), ...mine, withDispatchers: true })).toBe(true);
    expect(canWorkWorkOrder({ principal: user('AGENT', 'PROJECT'), ...mine, withDispatchers: true })).toBe(false);
    expect(canWorkWorkOrder({ principal: user('CONTRACTOR', 'GROUP', { contractorCompanyId: 'builder' }), ...order({ contractorCompanyId: 'builder' }), withDispatchers: false })).toBe(true);
  });
});

describe('the trade of a category', () => {
  it('follows the warranty component, so a leak is the waterproofing contractor’s', () => {
    expect(tradeOfCategory({ code: 'complaint.quality.leakage' })).toBe('waterproofing');
    expect(tradeOfCategory({ code: 'repair.plumbing.blockage' })).toBe('plumbing');
    expect(tradeOfCategory({ code: 'repair.electrical.sockets' })).toBe('electrical');
    expect(tradeOfCategory({ code: 'repair.walls_floors' })).toBe('decoration');
  });

  it('reads the administrators’ own rules, and is general where none applies', () => {
    expect(tradeOfCategory({ code: 'complaint.quality.cracks', rules: [{ prefix: 'complaint.quality.cracks', component: 'foundation_structure' }] })).toBe('structure');
    expect(tradeOfCategory({ code: 'complaint.service.attitude' })).toBe('general');
  });
});
