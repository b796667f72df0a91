import { describe, expect, it } from 'vitest';
import {
  canBeAssignee,
  canDecideEscalation,
  canRecordCallback,
  canWorkCase,
  canWriteSettings,
  hasPermission,
  type CaseRef,
  type Principal,
  type Role,
  type ScopeLevel,
} from '../../domain/access.js';

const G = 'group-1';
const EAST = 'company-east';
const SOUTH = 'company-south';
const BJHY = 'p-bjhy'; // in EAST
const HPMD = 'p-hpmd'; // in EAST
const HJW = 'p-hjw'; // in SOUTH

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
const caseAt = (caseTier: ScopeLevel, projectId = BJHY, companyId = EAST): CaseRef => ({ caseTier, groupId: G, companyId, projectId });

describe('working a case (contact, pause, resolve, change, escalate)', () => {
  it('lets the project office work a PROJECT-tier case of its own project only', () => {
    expect(canWorkCase({ principal: user('HANDLER', 'PROJECT'), ...caseAt('PROJECT') })).toBe(true);
    expect(canWorkCase({ principal: user('SUPERVISOR', 'PROJECT'), ...caseAt('PROJECT') })).toBe(true);
    expect(canWorkCase({ principal: user('HANDLER', 'PROJECT'), ...caseAt('PROJECT', HPMD) })).toBe(false);
  });

  it('leaves a PROJECT-tier case to the project office, not to the company or head office above it', () => {
    expect(canWorkCase({ principal: user('HANDLER', 'COMPANY'), ...caseAt('PROJECT') })).toBe(false);
    expect(canWorkCase({ principal: user('HANDLER', 'GROUP'), ...caseAt('PROJECT') })).toBe(false);
  });

  it('hands a COMPANY-tier case to the handlers of that company, not to the project office or another company', () => {
    expect(canWorkCase({ principal: user('HANDLER', 'COMPANY'), ...caseAt('COMPANY', HPMD) })).toBe(true);
    expect(canWorkCase({ principal: user('HANDLER', 'PROJECT'), ...caseAt('COMPANY') })).toBe(false);
    expect(canWorkCase({ principal: user('HANDLER', 'COMPANY'), ...caseAt('COMPANY', HJW, SOUTH) })).toBe(false);
  });

  it('hands a GROUP-tier case to head office only', () => {
    expect(canWorkCase({ principal: user('HANDLER', 'GROUP'), ...caseAt('GROUP', HJW, SOUTH) })).toBe(true);
    expect(canWorkCase({ principal: user('HANDLER', 'COMPANY'), ...caseAt('GROUP') })).toBe(false);
  });

  it('never lets agents, managers, sales or administrators work a case, whatever their scope', () => {
    for (const role of ['AGENT', 'MANAGER', 'SALES', 'SALES_MANAGER', 'ADMIN'] as const)
      for (const tier of ['PROJECT', 'COMPANY', 'GROUP'] as const) expect(canWorkCase({ principal: user(role, tier), ...caseAt(tier) }), `${role} ${tier}`).toBe(false);
  });

  it('refuses a user of another group that carries the same ids', () => {
    expect(canWorkCase({ principal: user('HANDLER', 'GROUP', { groupId: 'group-2' }), ...caseAt('GROUP') })).toBe(false);
  });
});

describe('the satisfaction callback', () => {
  it('is the call centre’s: an agent calls back any case in its scope, at any tier', () => {
    expect(canRecordCallback({ principal: user('AGENT', 'GROUP'), ...caseAt('COMPANY', HJW, SOUTH) })).toBe(true);
    expect(canRecordCallback({ principal: user('AGENT', 'PROJECT'), ...caseAt('COMPANY') })).toBe(true);
    expect(canRecordCallback({ principal: user('AGENT', 'PROJECT'), ...caseAt('PROJECT', HPMD) })).toBe(false);
    expect(canRecordCallback({ principal: user('AGENT', 'COMPANY'), ...caseAt('PROJECT', HJW, SOUTH) })).toBe(false);
  });

  it('may also be recorded by the handlers who work the case, but not by a manager', () => {
    expect(canRecordCallback({ principal: user('HANDLER', 'PROJECT'), ...caseAt('PROJECT') })).toBe(true);
    expect(canRecordCallback({ principal: user('HANDLER', 'PROJECT'), ...caseAt('COMPANY') })).toBe(false);
    expect(canRecordCallback({ principal: user('MANAGER', 'GROUP'), ...caseAt('GROUP') })).toBe(false);
  });
});

describe('deciding an escalation', () => {
  const ref = { groupId: G, companyId: EAST, projectId: BJHY };

  it('belongs to a company supervisor of the case’s company when the case would move to COMPANY', () => {
    expect(canDecideEscalation({ principal: user('SUPERVISOR', 'COMPANY'), toTier: 'COMPANY', ...ref })).toBe(true);
    expect(canDecideEscalation({ principal: user('SUPERVISOR', 'COMPANY', { companyId: SOUTH }), toTier: 'COMPANY', ...ref })).toBe(false);
    expect(canDecideEscalation({ principal: user('SUPERVISOR', 'PROJECT'), toTier: 'COMPANY', ...ref })).toBe(false);
    expect(canDecideEscalation({ principal: user('SUPERVISOR', 'GROUP'), toTier: 'COMPANY', ...ref })).toBe(false);
  });

  it('belongs to a group supervisor when the case would move to GROUP', () => {
    expect(canDecideEscalation({ principal: user('SUPERVISOR', 'GROUP'), toTier: 'GROUP', ...ref })).toBe(true);
    expect(canDecideEscalation({ principal: user('SUPERVISOR', 'COMPANY'), toTier: 'GROUP', ...ref })).toBe(false);
  });

  it('is never a handler’s or a manager’s, even at the receiving tier', () => {
    expect(canDecideEscalation({ principal: user('HANDLER', 'COMPANY'), toTier: 'COMPANY', ...ref })).toBe(false);
    expect(canDecideEscalation({ principal: user('MANAGER', 'GROUP'), toTier: 'GROUP', ...ref })).toBe(false);
  });
});

describe('assignees and settings', () => {
  it('assigns a case only to an active handler or supervisor of its current tier’s office', () => {
    expect(canBeAssignee({ user: { ...user('HANDLER', 'PROJECT'), active: true }, ...caseAt('PROJECT') })).toBe(true);
    expect(canBeAssignee({ user: { ...user('HANDLER', 'PROJECT'), active: false }, ...caseAt('PROJECT') })).toBe(false);
    expect(canBeAssignee({ user: { ...user('AGENT', 'PROJECT'), active: true }, ...caseAt('PROJECT') })).toBe(false);
    expect(canBeAssignee({ user: { ...user('HANDLER', 'PROJECT'), active: true }, ...caseAt('COMPANY') })).toBe(false);
  });

  it('lets only a group administrator change the group’s settings', () => {
    expect(canWriteSettings(user('ADMIN', 'GROUP'))).toBe(true);
    expect(canWriteSettings(user('ADMIN', 'COMPANY'))).toBe(false);
    expect(canWriteSettings(user('MANAGER', 'GROUP'))).toBe(false);
  });

  it('keeps case records away from sales staff', () => {
    for (const role of ['SALES', 'SALES_MANAGER'] as const) {
      expect(hasPermission(role, 'cases:read')).toBe(false);
      expect(hasPermission(role, 'cases:create')).toBe(false);
    }
  });
});
