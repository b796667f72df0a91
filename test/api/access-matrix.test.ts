import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../platform/passwords.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { call, expectProblem, type Answer } from './http.js';

/**
 * Who may call what, over which part of the organisation. The expectations are written out by
 * hand from the design (domain/access.ts GRANTS and the scope rules), not computed from the code
 * under test: a change to either must change this table on purpose.
 */

const ROLES = ['AGENT', 'HANDLER', 'SUPERVISOR', 'MANAGER', 'SALES', 'SALES_MANAGER', 'SPECIALIST', 'ADMIN'] as const;
type Role = (typeof ROLES)[number];
const TIERS = ['PROJECT', 'COMPANY', 'GROUP'] as const;
type Tier = (typeof TIERS)[number];
const PREFIX: Record<Role, string> = {
  AGENT: 'agent',
  HANDLER: 'handler',
  SUPERVISOR: 'supervisor',
  MANAGER: 'manager',
  SALES: 'sales',
  SALES_MANAGER: 'salesmgr',
  SPECIALIST: 'specialist',
  ADMIN: 'admin',
};
const username = (role: Role, tier: Tier) => (role === 'ADMIN' && tier === 'GROUP' ? 'admin' : `${PREFIX[role]}.${tier.toLowerCase()}`);

// Outcomes: a success status, or 403 with the code that says why.
const F = 'FORBIDDEN'; // the role lacks the permission
const S = 'OUT_OF_SCOPE'; // the role has it, the record lies outside the user's scope
const C = 'CASE_CLOSED'; // admitted to act on the case, which is closed (409): the rules ran before the state check
type Outcome = 200 | 201 | 400 | typeof F | typeof S | typeof C;
/** [PROJECT tier, COMPANY tier, GROUP tier] */
type ByTier = readonly [Outcome, Outcome, Outcome];
const ALL_200: ByTier = [200, 200, 200];
const ALL_201: ByTier = [201, 201, 201];
const NONE: ByTier = [F, F, F];

/*
 * Demo organisation: group HX; companies HX-EAST (projects HZ-BJHY, SZ-HPMD) and HX-SOUTH
 * (SZ-HJW). Project-tier users work on HZ-BJHY, company-tier users in HX-EAST.
 */
const MATRIX: Record<string, Record<Role, ByTier>> = {
  'GET /api/auth/me': {
    AGENT: ALL_200, HANDLER: ALL_200, SUPERVISOR: ALL_200, MANAGER: ALL_200, SALES: ALL_200, SALES_MANAGER: ALL_200, SPECIALIST: ALL_200, ADMIN: ALL_200,
  },
  'GET /api/companies': {
    AGENT: ALL_200, HANDLER: ALL_200, SUPERVISOR: ALL_200, MANAGER: ALL_200, SALES: ALL_200, SALES_MANAGER: ALL_200, SPECIALIST: ALL_200, ADMIN: ALL_200,
  },
  'GET /api/projects': {
    AGENT: ALL_200, HANDLER: ALL_200, SUPERVISOR: ALL_200, MANAGER: ALL_200, SALES: ALL_200, SALES_MANAGER: ALL_200, SPECIALIST: ALL_200, ADMIN: ALL_200,
  },
  'POST /api/projects (in HX-EAST)': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: NONE, MANAGER: NONE, SALES: NONE, SALES_MANAGER: NONE,
    SPECIALIST: NONE, ADMIN: [S, 201, 201], // a project-tier administrator's authority ends at its own project
  },
  'GET /api/projects/:id (own project HZ-BJHY)': {
    AGENT: ALL_200, HANDLER: ALL_200, SUPERVISOR: ALL_200, MANAGER: ALL_200, SALES: ALL_200, SALES_MANAGER: ALL_200, SPECIALIST: ALL_200, ADMIN: ALL_200,
  },
  'GET /api/projects/:id (sibling project SZ-HPMD)': {
    AGENT: [S, 200, 200], HANDLER: [S, 200, 200], SUPERVISOR: [S, 200, 200], MANAGER: [S, 200, 200],
    SALES: [S, 200, 200], SALES_MANAGER: [S, 200, 200], SPECIALIST: [S, 200, 200], ADMIN: [S, 200, 200],
  },
  'GET /api/projects/:id (other company SZ-HJW)': {
    AGENT: [S, S, 200], HANDLER: [S, S, 200], SUPERVISOR: [S, S, 200], MANAGER: [S, S, 200],
    SALES: [S, S, 200], SALES_MANAGER: [S, S, 200], SPECIALIST: [S, S, 200], ADMIN: [S, S, 200],
  },
  'GET /api/projects/:id/units (own project HZ-BJHY)': {
    AGENT: ALL_200, HANDLER: ALL_200, SUPERVISOR: ALL_200, MANAGER: ALL_200, SALES: ALL_200, SALES_MANAGER: ALL_200, SPECIALIST: ALL_200, ADMIN: ALL_200,
  },
  'GET /api/projects/:id/units (sibling project SZ-HPMD)': {
    AGENT: [S, 200, 200], HANDLER: [S, 200, 200], SUPERVISOR: [S, 200, 200], MANAGER: [S, 200, 200],
    SALES: [S, 200, 200], SALES_MANAGER: [S, 200, 200], SPECIALIST: [S, 200, 200], ADMIN: [S, 200, 200],
  },
  'GET /api/projects/:id/units (other company SZ-HJW)': {
    AGENT: [S, S, 200], HANDLER: [S, S, 200], SUPERVISOR: [S, S, 200], MANAGER: [S, S, 200],
    SALES: [S, S, 200], SALES_MANAGER: [S, S, 200], SPECIALIST: [S, S, 200], ADMIN: [S, S, 200],
  },
  'GET /api/users': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: ALL_200, MANAGER: ALL_200, SALES: NONE, SALES_MANAGER: ALL_200, SPECIALIST: NONE, ADMIN: ALL_200,
  },
  'POST /api/users (project scope HZ-BJHY)': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: NONE, MANAGER: NONE, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: ALL_201,
  },
  'GET /api/users/:id (project-tier agent.project)': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: ALL_200, MANAGER: ALL_200, SALES: NONE, SALES_MANAGER: ALL_200, SPECIALIST: NONE, ADMIN: ALL_200,
  },
  'GET /api/users/:id (company-tier agent.company)': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: [S, 200, 200], MANAGER: [S, 200, 200], SALES: NONE,
    SALES_MANAGER: [S, 200, 200], SPECIALIST: NONE, ADMIN: [S, 200, 200],
  },
  'GET /api/users/:id (group-tier agent.group)': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: [S, S, 200], MANAGER: [S, S, 200], SALES: NONE,
    SALES_MANAGER: [S, S, 200], SPECIALIST: NONE, ADMIN: [S, S, 200],
  },
  'PATCH /api/users/:id (project-tier agent.project)': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: NONE, MANAGER: NONE, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: ALL_200,
  },
  'PATCH /api/users/:id (group-tier agent.group)': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: NONE, MANAGER: NONE, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: [S, S, 200],
  },
  'GET /api/customers': {
    AGENT: ALL_200, HANDLER: ALL_200, SUPERVISOR: ALL_200, MANAGER: ALL_200, SALES: ALL_200, SALES_MANAGER: ALL_200, SPECIALIST: ALL_200, ADMIN: ALL_200,
  },
  'POST /api/customers': {
    AGENT: ALL_201, HANDLER: ALL_201, SUPERVISOR: ALL_201, MANAGER: NONE, SALES: ALL_201, SALES_MANAGER: ALL_201, SPECIALIST: ALL_201, ADMIN: ALL_201,
  },
  'GET /api/customers/:id': {
    AGENT: ALL_200, HANDLER: ALL_200, SUPERVISOR: ALL_200, MANAGER: ALL_200, SALES: ALL_200, SALES_MANAGER: ALL_200, SPECIALIST: ALL_200, ADMIN: ALL_200,
  },
  'GET /api/outbox': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: NONE, MANAGER: NONE, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: [S, S, 200],
  },
  'GET /api/outbox/:id (an email of the group)': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: NONE, MANAGER: NONE, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: [S, S, 200],
  },
  // Cases: customer-service roles only. Scope is checked before the body's content (400 = admitted).
  'POST /api/cases (other company SZ-HJW, unknown category)': {
    AGENT: [S, S, 400], HANDLER: [S, S, 400], SUPERVISOR: [S, S, 400], MANAGER: NONE, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: NONE,
  },
  'GET /api/cases': {
    AGENT: ALL_200, HANDLER: ALL_200, SUPERVISOR: ALL_200, MANAGER: ALL_200, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: NONE,
  },
  'GET /api/cases/:id (HZ-BJHY)': {
    AGENT: ALL_200, HANDLER: ALL_200, SUPERVISOR: ALL_200, MANAGER: ALL_200, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: NONE,
  },
  'GET /api/cases/:id (other company SZ-HJW)': {
    AGENT: [S, S, 200], HANDLER: [S, S, 200], SUPERVISOR: [S, S, 200], MANAGER: [S, S, 200], SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: NONE,
  },
  'GET /api/cases/:id/events (HZ-BJHY)': {
    AGENT: ALL_200, HANDLER: ALL_200, SUPERVISOR: ALL_200, MANAGER: ALL_200, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: NONE,
  },
  // Working a case: the handlers and supervisors of the office of the case's tier (PROJECT: HZ-BJHY's).
  'POST /api/cases/:id/contact (PROJECT tier, HZ-BJHY)': {
    AGENT: NONE, HANDLER: [C, S, S], SUPERVISOR: [C, S, S], MANAGER: NONE, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: NONE,
  },
  'POST /api/cases/:id/resolve (COMPANY tier, HZ-BJHY)': {
    AGENT: NONE, HANDLER: [S, C, S], SUPERVISOR: [S, C, S], MANAGER: NONE, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: NONE,
  },
  'POST /api/cases/:id/pause (PROJECT tier, HZ-BJHY)': {
    AGENT: NONE, HANDLER: [C, S, S], SUPERVISOR: [C, S, S], MANAGER: NONE, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: NONE,
  },
  'POST /api/cases/:id/resume (COMPANY tier, HZ-BJHY)': {
    AGENT: NONE, HANDLER: [S, C, S], SUPERVISOR: [S, C, S], MANAGER: NONE, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: NONE,
  },
  // Asking to escalate is working the case: its current tier's office, not the receiving one.
  'POST /api/cases/:id/escalations (GROUP tier, HZ-BJHY)': {
    AGENT: NONE, HANDLER: [S, S, C], SUPERVISOR: [S, S, C], MANAGER: NONE, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: NONE,
  },
  'PATCH /api/cases/:id (GROUP tier, HZ-BJHY)': {
    AGENT: NONE, HANDLER: [S, S, C], SUPERVISOR: [S, S, C], MANAGER: NONE, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: NONE,
  },
  // The callback: any agent whose scope holds the case; handlers as for working it.
  'POST /api/cases/:id/callback (PROJECT tier, HZ-BJHY)': {
    AGENT: [C, C, C], HANDLER: [C, S, S], SUPERVISOR: [C, S, S], MANAGER: NONE, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: NONE,
  },
  'GET /api/escalations': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: ALL_200, MANAGER: ALL_200, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: NONE,
  },
  // Deciding: a supervisor of the receiving tier (COMPANY of HX-EAST here).
  'POST /api/escalations/:id/approve (to COMPANY, HZ-BJHY)': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: [S, C, S], MANAGER: NONE, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: NONE,
  },
  'POST /api/escalations/:id/reject (to COMPANY, HZ-BJHY)': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: [S, C, S], MANAGER: NONE, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: NONE,
  },
  'GET /api/sla-policies': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: ALL_200, MANAGER: ALL_200, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: ALL_200,
  },
  'PUT /api/sla-policies': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: NONE, MANAGER: NONE, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: [S, S, 200],
  },
  'GET /api/calendars': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: ALL_200, MANAGER: ALL_200, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: ALL_200,
  },
  'PUT /api/calendars': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: NONE, MANAGER: NONE, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: [S, S, 200],
  },
  'GET /api/categories': {
    AGENT: ALL_200, HANDLER: ALL_200, SUPERVISOR: ALL_200, MANAGER: ALL_200, SALES: ALL_200, SALES_MANAGER: ALL_200, SPECIALIST: ALL_200, ADMIN: ALL_200,
  },
  'PUT /api/categories': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: NONE, MANAGER: NONE, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: [S, S, 200],
  },
  'GET /api/reports/sla': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: ALL_200, MANAGER: ALL_200, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: NONE,
  },
  'GET /api/reports/sla (project HZ-BJHY)': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: ALL_200, MANAGER: ALL_200, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: NONE,
  },
  'GET /api/reports/sla (project SZ-HJW)': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: [S, S, 200], MANAGER: [S, S, 200], SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: NONE,
  },
  'GET /api/reports/sla/breaches': {
    AGENT: NONE, HANDLER: NONE, SUPERVISOR: ALL_200, MANAGER: ALL_200, SALES: NONE, SALES_MANAGER: NONE, SPECIALIST: NONE, ADMIN: NONE,
  },
};

let stack: TestStack;
const tokens = new Map<string, string>();
const id = {
  group: '', east: '', south: '', bjhy: '', hpmd: '', hjw: '',
  agentProject: '', agentCompany: '', agentGroup: '', customer: '',
  /** Closed cases written straight into the read model (no Temporal in this stack): one per tier, plus one in SZ-HJW. */
  caseProjectTier: '', caseCompanyTier: '', caseGroupTier: '', caseHjw: '',
  /** An open case of HZ-BJHY at PROJECT tier with a pending escalation to COMPANY and a breached first contact. */
  caseOpen: '', pendingEscalation: '', breach: '',
  email: '',
};
/** The second organisation, created straight in the database. */
const other = {
  group: '', company: '', project: '', building: '', units: [] as string[], admin: '', agent: '', manager: '', supervisor: '', customers: [] as string[],
  /** Its open case (PROJECT tier of BJ-ZXY) with a pending escalation to COMPANY, a breached target and an audit event. */
  case: '', caseNumber: 'CS-20260101-9101', workflowId: 'case-zx-1', escalation: '', breach: '', email: '',
};

let seq = 0;
const next = () => String(++seq).padStart(4, '0');

/** The request each MATRIX row stands for. */
function request(endpoint: string): { method: string; path: string; json?: unknown } {
  switch (endpoint) {
    case 'GET /api/auth/me': return { method: 'GET', path: '/api/auth/me' };
    case 'GET /api/companies': return { method: 'GET', path: '/api/companies' };
    case 'GET /api/projects': return { method: 'GET', path: '/api/projects' };
    case 'POST /api/projects (in HX-EAST)': return { method: 'POST', path: '/api/projects', json: { companyId: id.east, code: `MX-${next()}`, name: '矩阵项目' } };
    case 'GET /api/projects/:id (own project HZ-BJHY)': return { method: 'GET', path: `/api/projects/${id.bjhy}` };
    case 'GET /api/projects/:id (sibling project SZ-HPMD)': return { method: 'GET', path: `/api/projects/${id.hpmd}` };
    case 'GET /api/projects/:id (other company SZ-HJW)': return { method: 'GET', path: `/api/projects/${id.hjw}` };
    case 'GET /api/projects/:id/units (own project HZ-BJHY)': return { method: 'GET', path: `/api/projects/${id.bjhy}/units` };
    case 'GET /api/projects/:id/units (sibling project SZ-HPMD)': return { method: 'GET', path: `/api/projects/${id.hpmd}/units` };
    case 'GET /api/projects/:id/units (other company SZ-HJW)': return { method: 'GET', path: `/api/projects/${id.hjw}/units` };
    case 'GET /api/users': return { method: 'GET', path: '/api/users' };
    case 'POST /api/users (project scope HZ-BJHY)':
      return { method: 'POST', path: '/api/users', json: { username: `mx.${next()}`, displayName: '矩阵', password: 'matrix-password-1', role: 'AGENT', scopeLevel: 'PROJECT', projectId: id.bjhy } };
    case 'GET /api/users/:id (project-tier agent.project)': return { method: 'GET', path: `/api/users/${id.agentProject}` };
    case 'GET /api/users/:id (company-tier agent.company)': return { method: 'GET', path: `/api/users/${id.agentCompany}` };
    case 'GET /api/users/:id (group-tier agent.group)': return { method: 'GET', path: `/api/users/${id.agentGroup}` };
    case 'PATCH /api/users/:id (project-tier agent.project)': return { method: 'PATCH', path: `/api/users/${id.agentProject}`, json: { displayName: '项目坐席' } };
    case 'PATCH /api/users/:id (group-tier agent.group)': return { method: 'PATCH', path: `/api/users/${id.agentGroup}`, json: { displayName: '集团坐席' } };
    case 'GET /api/customers': return { method: 'GET', path: '/api/customers' };
    case 'POST /api/customers': return { method: 'POST', path: '/api/customers', json: { name: '矩阵客户', phone: `1370000${next()}` } };
    case 'GET /api/customers/:id': return { method: 'GET', path: `/api/customers/${id.customer}` };
    case 'GET /api/outbox': return { method: 'GET', path: '/api/outbox' };
    case 'GET /api/outbox/:id (an email of the group)': return { method: 'GET', path: `/api/outbox/${id.email}` };
    case 'POST /api/cases (other company SZ-HJW, unknown category)':
      return { method: 'POST', path: '/api/cases', json: { type: 'complaint', projectId: id.hjw, customerId: id.customer, category: 'complaint.no_such', severity: 'minor', channel: 'phone', description: '矩阵' } };
    case 'GET /api/cases': return { method: 'GET', path: '/api/cases' };
    case 'GET /api/cases/:id (HZ-BJHY)': return { method: 'GET', path: `/api/cases/${id.caseProjectTier}` };
    case 'GET /api/cases/:id (other company SZ-HJW)': return { method: 'GET', path: `/api/cases/${id.caseHjw}` };
    case 'GET /api/cases/:id/events (HZ-BJHY)': return { method: 'GET', path: `/api/cases/${id.caseProjectTier}/events` };
    case 'POST /api/cases/:id/contact (PROJECT tier, HZ-BJHY)': return { method: 'POST', path: `/api/cases/${id.caseProjectTier}/contact`, json: { note: '矩阵' } };
    case 'POST /api/cases/:id/resolve (COMPANY tier, HZ-BJHY)': return { method: 'POST', path: `/api/cases/${id.caseCompanyTier}/resolve`, json: { resolution: '矩阵' } };
    case 'POST /api/cases/:id/pause (PROJECT tier, HZ-BJHY)': return { method: 'POST', path: `/api/cases/${id.caseProjectTier}/pause`, json: { reason: '矩阵' } };
    case 'POST /api/cases/:id/resume (COMPANY tier, HZ-BJHY)': return { method: 'POST', path: `/api/cases/${id.caseCompanyTier}/resume`, json: {} };
    case 'POST /api/cases/:id/escalations (GROUP tier, HZ-BJHY)': return { method: 'POST', path: `/api/cases/${id.caseGroupTier}/escalations`, json: { reason: '矩阵' } };
    case 'PATCH /api/cases/:id (GROUP tier, HZ-BJHY)': return { method: 'PATCH', path: `/api/cases/${id.caseGroupTier}`, json: { severity: 'major' } };
    case 'POST /api/cases/:id/callback (PROJECT tier, HZ-BJHY)': return { method: 'POST', path: `/api/cases/${id.caseProjectTier}/callback`, json: { satisfaction: 4 } };
    case 'GET /api/escalations': return { method: 'GET', path: '/api/escalations' };
    case 'POST /api/escalations/:id/approve (to COMPANY, HZ-BJHY)': return { method: 'POST', path: `/api/escalations/${id.caseProjectTier}:esc:1/approve`, json: {} };
    case 'POST /api/escalations/:id/reject (to COMPANY, HZ-BJHY)': return { method: 'POST', path: `/api/escalations/${id.caseProjectTier}:esc:1/reject`, json: { reason: '矩阵' } };
    case 'GET /api/sla-policies': return { method: 'GET', path: '/api/sla-policies' };
    case 'PUT /api/sla-policies': return { method: 'PUT', path: '/api/sla-policies', json: [] };
    case 'GET /api/calendars': return { method: 'GET', path: '/api/calendars' };
    case 'PUT /api/calendars':
      return { method: 'PUT', path: '/api/calendars', json: [{ id: '24x7', name: '全天候', timeZone: 'UTC', weekly: { 1: [{ start: '00:00', end: '24:00' }] } }] };
    case 'GET /api/categories': return { method: 'GET', path: '/api/categories' };
    case 'PUT /api/categories': return { method: 'PUT', path: '/api/categories', json: [{ code: 'complaint', name: { zh: '投诉', en: 'Complaint' } }, { code: 'complaint.noise', name: { zh: '噪音', en: 'Noise' } }] };
    case 'GET /api/reports/sla': return { method: 'GET', path: '/api/reports/sla' };
    case 'GET /api/reports/sla (project HZ-BJHY)': return { method: 'GET', path: `/api/reports/sla?projectId=${id.bjhy}` };
    case 'GET /api/reports/sla (project SZ-HJW)': return { method: 'GET', path: `/api/reports/sla?projectId=${id.hjw}` };
    case 'GET /api/reports/sla/breaches': return { method: 'GET', path: '/api/reports/sla/breaches' };
    default: throw new Error(`no request for ${endpoint}`);
  }
}

async function as(user: string, method: string, path: string, json?: unknown): Promise<Answer> {
  return call(stack, method, path, { token: tokens.get(user)!, json });
}

async function createOtherOrganisation() {
  const { db } = stack;
  const group = await db.group.create({ data: { code: 'ZX', name: '正信地产集团' } });
  const company = await db.company.create({ data: { groupId: group.id, code: 'ZX-NORTH', name: '华北公司' } });
  const project = await db.project.create({ data: { groupId: group.id, companyId: company.id, code: 'BJ-ZXY', name: '正信园', city: '北京' } });
  const building = await db.building.create({ data: { projectId: project.id, name: 'A座' } });
  for (const n of ['101', '102', '201', '202'])
    await db.unit.create({ data: { projectId: project.id, buildingId: building.id, number: n, floor: Number(n[0]), area: 99 } });
  const passwordHash = await hashPassword('other-org-password');
  const admin = await db.user.create({
    data: { groupId: group.id, username: 'zx.admin', displayName: '正信管理员', passwordHash, role: 'ADMIN', scopeLevel: 'GROUP' },
  });
  const agent = await db.user.create({
    data: { groupId: group.id, username: 'zx.agent', displayName: '正信坐席', passwordHash, role: 'AGENT', scopeLevel: 'PROJECT', companyId: company.id, projectId: project.id },
  });
  const manager = await db.user.create({
    data: { groupId: group.id, username: 'zx.manager', displayName: '正信经理', passwordHash, role: 'MANAGER', scopeLevel: 'GROUP' },
  });
  const supervisor = await db.user.create({
    data: { groupId: group.id, username: 'zx.supervisor', displayName: '正信主管', passwordHash, role: 'SUPERVISOR', scopeLevel: 'COMPANY', companyId: company.id },
  });
  // Same phone as a demo customer: phone numbers are unique per group, not across groups.
  const c1 = await db.customer.create({ data: { groupId: group.id, name: '钱先生', phone: '13800138001' } });
  const c2 = await db.customer.create({ data: { groupId: group.id, name: '孙女士', phone: '13500135005' } });
  Object.assign(other, {
    group: group.id,
    company: company.id,
    project: project.id,
    building: building.id,
    units: (await db.unit.findMany({ where: { projectId: project.id } })).map((u) => u.id),
    admin: admin.id,
    agent: agent.id,
    manager: manager.id,
    supervisor: supervisor.id,
    customers: [c1.id, c2.id],
  });
  await createOpenCase({
    groupId: group.id, companyId: company.id, projectId: project.id, customerId: c1.id, openedById: agent.id,
    number: other.caseNumber, workflowId: other.workflowId,
  }).then((x) => Object.assign(other, { case: x.caseId, escalation: x.escalationId, breach: x.breachId }));
  other.email = (await db.emailMessage.create({
    data: { idempotencyKey: 'matrix-zx-email', groupId: group.id, toAddress: 'zx.agent@zx.example', subject: '正信工单提醒', text: '正信', transport: 'outbox' },
  })).id;
}

/**
 * An open case as the case workflow's projection would have written it (this stack runs no
 * Temporal): PROJECT tier, a pending escalation to COMPANY, a breached first-contact target, one
 * audit event.
 */
async function createOpenCase(o: { groupId: string; companyId: string; projectId: string; customerId: string; openedById: string; number: string; workflowId: string }) {
  const { db } = stack;
  const now = Date.now();
  const c = await db.case.create({
    data: {
      number: o.number, workflowId: o.workflowId, groupId: o.groupId, companyId: o.companyId, projectId: o.projectId, customerId: o.customerId,
      type: 'complaint', category: 'complaint.quality.leakage', severity: 'minor', channel: 'phone', description: '矩阵未结工单', status: 'open',
      tier: 'PROJECT', policyId: 'default', sla: {}, breached: true, openedById: o.openedById, openedAt: new Date(now - 3_600_000),
      nextDueAt: new Date(now + 3_600_000), lastEventSeq: 3,
    },
  });
  const escalation = await db.caseEscalation.create({
    data: {
      id: `${c.id}:esc:1`, caseId: c.id, groupId: o.groupId, companyId: o.companyId, projectId: o.projectId, fromTier: 'PROJECT', toTier: 'COMPANY',
      source: 'breach', reason: 'firstContact target breached', requestedBy: 'system', requestedAt: new Date(now - 60_000), dueAt: new Date(now + 3_600_000), status: 'pending',
    },
  });
  const breach = await db.caseTargetRecord.create({
    data: {
      id: `${c.id}:0:firstContact`, caseId: c.id, groupId: o.groupId, projectId: o.projectId, tier: 'PROJECT', target: 'firstContact',
      category: 'complaint.quality.leakage', startedAt: new Date(now - 3_600_000), dueAt: new Date(now - 120_000), breachedAt: new Date(now - 120_000),
    },
  });
  await db.auditEvent.create({
    data: { streamId: o.workflowId, seq: 1, type: 'case.opened', actor: o.openedById, at: new Date(now - 3_600_000), data: { caseNumber: o.number }, groupId: o.groupId },
  });
  return { caseId: c.id, escalationId: escalation.id, breachId: breach.id };
}

/**
 * Closed cases at each tier of HZ-BJHY (HX-EAST), one in SZ-HJW, and a decided escalation into
 * COMPANY; an open HZ-BJHY case with a pending escalation and a breach; an email in the outbox.
 */
async function createClosedCases() {
  const { db } = stack;
  const group = await db.group.findFirstOrThrow({ where: { code: 'HX' } });
  const opener = await db.user.findUniqueOrThrow({ where: { username: 'agent.group' } });
  const make = async (n: number, tier: string, projectId: string, companyId: string) => {
    const c = await db.case.create({
      data: {
        number: `CS-20260101-${String(9000 + n)}`, workflowId: `case-matrix-${n}`, groupId: group.id, companyId, projectId, customerId: id.customer,
        type: 'complaint', category: 'complaint.quality.leakage', severity: 'minor', channel: 'phone', description: '矩阵工单', status: 'closed',
        tier, policyId: 'default', sla: {}, openedById: opener.id, openedAt: new Date(), closedAt: new Date(),
      },
    });
    return c.id;
  };
  id.caseProjectTier = await make(1, 'PROJECT', id.bjhy, id.east);
  id.caseCompanyTier = await make(2, 'COMPANY', id.bjhy, id.east);
  id.caseGroupTier = await make(3, 'GROUP', id.bjhy, id.east);
  id.caseHjw = await make(4, 'PROJECT', id.hjw, id.south);
  const open = await createOpenCase({
    groupId: group.id, companyId: id.east, projectId: id.bjhy, customerId: id.customer, openedById: opener.id, number: 'CS-20260101-9005', workflowId: 'case-matrix-5',
  });
  Object.assign(id, { caseOpen: open.caseId, pendingEscalation: open.escalationId, breach: open.breachId });
  id.email = (await db.emailMessage.create({
    data: { idempotencyKey: 'matrix-hx-email', groupId: group.id, toAddress: 'agent.project@hx.example', subject: '工单提醒', text: '矩阵', transport: 'outbox' },
  })).id;
  await db.caseEscalation.create({
    data: {
      id: `${id.caseProjectTier}:esc:1`, caseId: id.caseProjectTier, groupId: group.id, companyId: id.east, projectId: id.bjhy, fromTier: 'PROJECT',
      toTier: 'COMPANY', source: 'handler', reason: '矩阵', requestedBy: opener.id, requestedAt: new Date(), dueAt: new Date(), status: 'approved',
    },
  });
}

const otherIds = () => [
  other.group, other.company, other.project, other.building, ...other.units, other.admin, other.agent, other.manager, other.supervisor, ...other.customers,
  other.case, other.escalation, other.breach, other.email,
];

beforeAll(async () => {
  stack = await startTestStack({ seed: true });
  const { db } = stack;
  const company = (code: string) => db.company.findFirstOrThrow({ where: { code } }).then((c) => c.id);
  const project = (code: string) => db.project.findFirstOrThrow({ where: { code } }).then((p) => p.id);
  const user = (u: string) => db.user.findUniqueOrThrow({ where: { username: u } }).then((x) => x.id);
  Object.assign(id, {
    group: (await db.group.findFirstOrThrow({ where: { code: 'HX' } })).id,
    east: await company('HX-EAST'),
    south: await company('HX-SOUTH'),
    bjhy: await project('HZ-BJHY'),
    hpmd: await project('SZ-HPMD'),
    hjw: await project('SZ-HJW'),
    agentProject: await user('agent.project'),
    agentCompany: await user('agent.company'),
    agentGroup: await user('agent.group'),
    customer: (await db.customer.findFirstOrThrow({ where: { phone: '13800138001', group: { code: 'HX' } } })).id,
  });
  await createOtherOrganisation();
  await createClosedCases();
  for (const role of ROLES) for (const tier of TIERS) tokens.set(username(role, tier), await stack.login(username(role, tier)));
  tokens.set('zx.admin', await stack.login('zx.admin', 'other-org-password'));
  tokens.set('zx.agent', await stack.login('zx.agent', 'other-org-password'));
  tokens.set('zx.manager', await stack.login('zx.manager', 'other-org-password'));
  tokens.set('zx.supervisor', await stack.login('zx.supervisor', 'other-org-password'));
});
afterAll(async () => {
  await stack?.close();
});

describe('lists stay inside the caller scope', () => {
  const COMPANIES: Record<Tier, string[]> = { PROJECT: ['HX-EAST'], COMPANY: ['HX-EAST'], GROUP: ['HX-EAST', 'HX-SOUTH'] };
  const PROJECTS: Record<Tier, string[]> = { PROJECT: ['HZ-BJHY'], COMPANY: ['HZ-BJHY', 'SZ-HPMD'], GROUP: ['HZ-BJHY', 'SZ-HJW', 'SZ-HPMD'] };
  // Seeded staff a user of each tier sees: project tier its project's, company tier its company's
  // (company and project tiers), group tier everyone in the group.
  const STAFF: Record<Tier, Tier[]> = { PROJECT: ['PROJECT'], COMPANY: ['PROJECT', 'COMPANY'], GROUP: ['PROJECT', 'COMPANY', 'GROUP'] };
  const STAFF_READERS: Role[] = ['SUPERVISOR', 'MANAGER', 'SALES_MANAGER', 'ADMIN'];

  for (const role of ROLES)
    for (const tier of TIERS) {
      const user = username(role, tier);

      it(`shows ${user} the companies ${COMPANIES[tier].join(', ')} only`, async () => {
        const a = await as(user, 'GET', '/api/companies?pageSize=200');
        expect(a.body.items.map((c: { code: string }) => c.code)).toEqual(COMPANIES[tier]);
        expect(a.body.total).toBe(COMPANIES[tier].length);
      });

      it(`shows ${user} the projects ${PROJECTS[tier].join(', ')} only`, async () => {
        const a = await as(user, 'GET', '/api/projects?pageSize=200');
        const codes: string[] = a.body.items.map((p: { code: string }) => p.code);
        // MX-… projects are created in HX-EAST by the matrix below when it runs first.
        expect(tier === 'PROJECT' ? codes : codes.filter((c) => !c.startsWith('MX-'))).toEqual(PROJECTS[tier]);
        for (const p of a.body.items) if (tier !== 'GROUP') expect(p.companyId).toBe(id.east);
        const searched = await as(user, 'GET', '/api/projects?pageSize=200&q=SZ');
        expect(searched.body.items.map((p: { code: string }) => p.code)).toEqual(PROJECTS[tier].filter((c) => c.startsWith('SZ')));
        const byCompany = await as(user, 'GET', `/api/projects?pageSize=200&companyId=${id.south}`);
        expect(byCompany.body.items.map((p: { code: string }) => p.code)).toEqual(tier === 'GROUP' ? ['SZ-HJW'] : []);
      });

      if (STAFF_READERS.includes(role))
        it(`shows ${user} the staff of its scope only`, async () => {
          const a = await as(user, 'GET', '/api/users?pageSize=200');
          const seeded = ROLES.flatMap((r) => STAFF[tier].map((t) => username(r, t))).sort();
          const names: string[] = a.body.items.map((u: { username: string }) => u.username);
          expect(names.filter((n) => !n.startsWith('mx.')).sort()).toEqual(seeded);
          for (const u of a.body.items) {
            if (tier === 'COMPANY') expect(u.scope.companyId, u.username).toBe(id.east);
            if (tier === 'PROJECT') expect(u.scope.projectId, u.username).toBe(id.bjhy);
          }
        });

      it(`shows ${user} the group's customers and units of ${tier === 'PROJECT' ? 'its project' : 'HZ-BJHY'}`, async () => {
        const customers = await as(user, 'GET', '/api/customers?pageSize=200');
        const names: string[] = customers.body.items.map((c: { name: string }) => c.name);
        expect(names).toEqual(expect.arrayContaining(['王先生', '李女士', '张女士']));
        const units = await as(user, 'GET', `/api/projects/${id.bjhy}/units?pageSize=200`);
        expect(units.body.total).toBe(48);
        const buildings = await stack.db.building.findMany({ where: { projectId: id.bjhy } });
        for (const u of units.body.items) expect(buildings.map((b) => b.id)).toContain(u.buildingId);
      });
    }
});

describe('access matrix', () => {
  for (const [endpoint, byRole] of Object.entries(MATRIX))
    for (const role of ROLES)
      TIERS.forEach((tier, i) => {
        const expected = byRole[role][i]!;
        const user = username(role, tier);
        it(`${endpoint} answers ${typeof expected === 'number' ? expected : `${expected === C ? 409 : 403} ${expected}`} to ${user}`, async () => {
          const { method, path, json } = request(endpoint);
          const a = await as(user, method, path, json);
          if (typeof expected === 'number') expect(a.status, a.text).toBe(expected);
          else expectProblem(a, expected === C ? 409 : 403, expected);
        });
      });

  it('covers every role and tier for every endpoint', () => {
    for (const [endpoint, byRole] of Object.entries(MATRIX)) expect(Object.keys(byRole).sort(), endpoint).toEqual([...ROLES].sort());
  });
});

describe('a second organisation', () => {
  const everyone = () => ROLES.flatMap((r) => TIERS.map((t) => username(r, t)));

  it('never appears in any list a demo user reads', async () => {
    for (const user of everyone()) {
      const lists = ['/api/companies', '/api/projects', '/api/users', '/api/customers', `/api/projects/${id.bjhy}/units`, '/api/auth/me'];
      for (const list of lists) {
        const a = await as(user, 'GET', `${list}${list.includes('me') ? '' : '?pageSize=200'}`);
        if (a.status !== 200) continue; // refused by role: nothing to leak
        for (const x of otherIds()) expect(a.text, `${user} ${list}`).not.toContain(x);
        expect(a.text, `${user} ${list}`).not.toMatch(/ZX-NORTH|BJ-ZXY|zx\.(admin|agent|manager|supervisor)|正信|钱先生|孙女士/);
      }
      for (const q of ['钱先生', '孙女士', '正信']) {
        const customers = await as(user, 'GET', `/api/customers?q=${encodeURIComponent(q)}`);
        expect(customers.body.total, `${user} q=${q}`).toBe(0);
      }
    }
  });

  it('answers 404 NOT_FOUND to demo users for its project, units, staff and customers', async () => {
    for (const user of everyone()) {
      expectProblem(await as(user, 'GET', `/api/projects/${other.project}`), 404, 'NOT_FOUND');
      expectProblem(await as(user, 'GET', `/api/projects/${other.project}/units`), 404, 'NOT_FOUND');
      for (const c of other.customers) expectProblem(await as(user, 'GET', `/api/customers/${c}`), 404, 'NOT_FOUND');
    }
    for (const user of ['admin', 'supervisor.group', 'manager.group', 'salesmgr.group'])
      for (const u of [other.admin, other.agent, other.manager, other.supervisor]) expectProblem(await as(user, 'GET', `/api/users/${u}`), 404, 'NOT_FOUND');
    expectProblem(await as('admin', 'PATCH', `/api/users/${other.agent}`, { active: false }), 404, 'NOT_FOUND');
    expect((await stack.db.user.findUniqueOrThrow({ where: { id: other.agent } })).active).toBe(true);
  });

  it('answers 404 NOT_FOUND to a demo administrator placing a project or user in it', async () => {
    expectProblem(await as('admin', 'POST', '/api/projects', { companyId: other.company, code: 'ZX-SNEAK', name: '越界' }), 404, 'NOT_FOUND');
    const newUser = { username: 'sneak.one', displayName: '越界', password: 'sneaky-password-1', role: 'AGENT' };
    expectProblem(await as('admin', 'POST', '/api/users', { ...newUser, scopeLevel: 'PROJECT', projectId: other.project }), 404, 'NOT_FOUND');
    expectProblem(await as('admin', 'POST', '/api/users', { ...newUser, scopeLevel: 'COMPANY', companyId: other.company }), 404, 'NOT_FOUND');
    expect(await stack.db.project.count({ where: { groupId: other.group } })).toBe(1);
    expect(await stack.db.user.count({ where: { groupId: other.group } })).toBe(4);
  });

  it("does not count its customers' phone numbers as duplicates for the demo group", async () => {
    const a = await as('admin', 'POST', '/api/customers', { name: '周先生', phone: '13500135005' });
    expect(a.status, a.text).toBe(201);
  });

  it('sees its own records and nothing of the demo group', async () => {
    const companies = await as('zx.admin', 'GET', '/api/companies');
    expect(companies.body.items.map((c: { code: string }) => c.code)).toEqual(['ZX-NORTH']);
    const projects = await as('zx.admin', 'GET', '/api/projects?pageSize=200');
    expect(projects.body.items.map((p: { code: string }) => p.code)).toEqual(['BJ-ZXY']);
    const users = await as('zx.admin', 'GET', '/api/users?pageSize=200');
    expect(users.body.items.map((u: { username: string }) => u.username).sort()).toEqual(['zx.admin', 'zx.agent', 'zx.manager', 'zx.supervisor']);
    const customers = await as('zx.agent', 'GET', '/api/customers?pageSize=200');
    expect(customers.body.items.map((c: { name: string }) => c.name).sort()).toEqual(['孙女士', '钱先生'].sort());
    expectProblem(await as('zx.admin', 'GET', `/api/projects/${id.bjhy}`), 404, 'NOT_FOUND');
    expectProblem(await as('zx.admin', 'GET', `/api/users/${id.agentGroup}`), 404, 'NOT_FOUND');
    expectProblem(await as('zx.agent', 'GET', `/api/customers/${id.customer}`), 404, 'NOT_FOUND');
  });

  // Who holds which permission, written out from domain/access.ts GRANTS.
  const CASE_READERS: Role[] = ['AGENT', 'HANDLER', 'SUPERVISOR', 'MANAGER'];
  /** escalations:read and reports:read */
  const OVERSEERS: Role[] = ['SUPERVISOR', 'MANAGER'];
  /** The demo cases a user of each tier sees (project tier HZ-BJHY, company tier HX-EAST). */
  const demoScope = (tier: Tier) => (tier === 'PROJECT' ? { projectId: id.bjhy } : tier === 'COMPANY' ? { companyId: id.east } : {});
  const itemIds = (a: Answer): string[] => a.body.items.map((x: { id: string }) => x.id).sort();
  const otherCaseMarks = () => [other.case, other.caseNumber, other.workflowId, other.escalation, other.breach, other.project];
  const demoCaseMarks = () => [id.caseOpen, id.caseProjectTier, id.caseCompanyTier, id.caseGroupTier, id.caseHjw, id.pendingEscalation, id.breach, 'CS-20260101-900', id.bjhy, id.hjw];

  it('never shows its case, pending escalation or breach to a demo user in case lists, escalation lists or SLA reports', async () => {
    for (const role of ROLES)
      for (const tier of TIERS) {
        const user = username(role, tier);
        const readsCases = CASE_READERS.includes(role);
        const oversees = OVERSEERS.includes(role);
        /** The list as the user reads it, checked for any trace of the other organisation; null when refused by role. */
        const read = async (path: string, allowed: boolean): Promise<Answer | null> => {
          const a = await as(user, 'GET', path);
          if (!allowed) {
            expectProblem(a, 403, 'FORBIDDEN');
            return null;
          }
          expect(a.status, `${user} ${path}: ${a.text}`).toBe(200);
          for (const mark of otherCaseMarks()) expect(a.text, `${user} ${path}`).not.toContain(mark);
          return a;
        };
        const demoCases = (await stack.db.case.findMany({ where: { groupId: id.group, ...demoScope(tier) }, select: { id: true } })).map((c) => c.id).sort();
        expect(demoCases.length, user).toBeGreaterThanOrEqual(4);

        const cases = await read('/api/cases?pageSize=200', readsCases);
        if (cases) expect(itemIds(cases), user).toEqual(demoCases);
        const byNumber = await read(`/api/cases?q=${other.caseNumber}`, readsCases);
        if (byNumber) expect(byNumber.body.total, user).toBe(0);

        const pending = await read('/api/escalations?status=pending&pageSize=200', oversees);
        // A supervisor sees the requests into its own tier (COMPANY of HX-EAST here); a manager every request in scope.
        if (pending) expect(itemIds(pending), user).toEqual(role === 'MANAGER' || tier === 'COMPANY' ? [id.pendingEscalation] : []);
        await read('/api/escalations?pageSize=200', oversees);

        const report = await read('/api/reports/sla', oversees);
        if (report) expect(report.body.totals.cases, user).toBe(demoCases.length);
        const byProject = await read('/api/reports/sla?groupBy=project', oversees);
        if (byProject) expect(byProject.body.groups.map((g: { key: string }) => g.key).sort(), user).toEqual(tier === 'GROUP' ? [id.bjhy, id.hjw].sort() : [id.bjhy]);
        const breaches = await read('/api/reports/sla/breaches?pageSize=200', oversees);
        if (breaches) expect(itemIds(breaches), user).toEqual([id.breach]);

        // By id: unknown to whoever may read such records, refused by role to everyone else.
        for (const path of [`/api/cases/${other.case}`, `/api/cases/${other.case}/events`])
          expectProblem(await as(user, 'GET', path), readsCases ? 404 : 403, readsCases ? 'NOT_FOUND' : 'FORBIDDEN');
        expectProblem(await as(user, 'GET', `/api/reports/sla?projectId=${other.project}`), oversees ? 404 : 403, oversees ? 'NOT_FOUND' : 'FORBIDDEN');
      }

    const csv = await call(stack, 'GET', '/api/reports/sla/breaches', { token: tokens.get('manager.group')!, headers: { accept: 'text/csv' } });
    expect(csv.contentType).toMatch(/^text\/csv/);
    expect(csv.text).toContain('CS-20260101-9005,firstContact,PROJECT');
    expect(csv.text).not.toContain(other.caseNumber);
    expect(csv.text).not.toContain('正信');
  });

  it('answers 404 NOT_FOUND to demo users acting on its case or deciding its escalation, and changes nothing', async () => {
    for (const user of ['handler.project', 'handler.company', 'handler.group', 'supervisor.group']) {
      expectProblem(await as(user, 'POST', `/api/cases/${other.case}/contact`, { note: '越界' }), 404, 'NOT_FOUND');
      expectProblem(await as(user, 'POST', `/api/cases/${other.case}/escalations`, { reason: '越界' }), 404, 'NOT_FOUND');
      expectProblem(await as(user, 'PATCH', `/api/cases/${other.case}`, { severity: 'major' }), 404, 'NOT_FOUND');
    }
    for (const user of ['supervisor.project', 'supervisor.company', 'supervisor.group']) {
      expectProblem(await as(user, 'POST', `/api/escalations/${other.escalation}/approve`, {}), 404, 'NOT_FOUND');
      expectProblem(await as(user, 'POST', `/api/escalations/${other.escalation}/reject`, { reason: '越界' }), 404, 'NOT_FOUND');
    }
    expect(await stack.db.caseEscalation.findUniqueOrThrow({ where: { id: other.escalation } })).toMatchObject({ status: 'pending', decidedBy: null });
    expect(await stack.db.case.findUniqueOrThrow({ where: { id: other.case } })).toMatchObject({ status: 'open', tier: 'PROJECT', severity: 'minor', lastEventSeq: 3 });
    const outbox = await as('admin', 'GET', '/api/outbox?pageSize=200');
    expect(itemIds(outbox)).toContain(id.email);
    expect(itemIds(outbox)).not.toContain(other.email);
    expectProblem(await as('admin', 'GET', `/api/outbox/${other.email}`), 404, 'NOT_FOUND');
  });

  it("shows its own users its case, escalation and breach, and nothing of the demo group's", async () => {
    /** The list as a ZX user reads it, checked for any trace of the demo group's cases. */
    const read = async (user: string, path: string): Promise<Answer> => {
      const a = await as(user, 'GET', path);
      expect(a.status, `${user} ${path}: ${a.text}`).toBe(200);
      for (const mark of demoCaseMarks()) expect(a.text, `${user} ${path}`).not.toContain(mark);
      return a;
    };
    for (const user of ['zx.agent', 'zx.supervisor', 'zx.manager']) expect(itemIds(await read(user, '/api/cases?pageSize=200')), user).toEqual([other.case]);
    expect((await read('zx.manager', '/api/cases?q=CS-20260101-900')).body.total).toBe(0);
    expect(itemIds(await read('zx.manager', '/api/escalations?pageSize=200'))).toEqual([other.escalation]);
    expect(itemIds(await read('zx.manager', '/api/escalations?status=pending&pageSize=200'))).toEqual([other.escalation]);
    expect(itemIds(await read('zx.supervisor', '/api/escalations?status=pending&pageSize=200'))).toEqual([other.escalation]);
    const report = await read('zx.manager', '/api/reports/sla');
    expect(report.body.totals).toMatchObject({ cases: 1, escalations: 1, firstContact: { met: 0, breached: 1 } });
    const byProject = await read('zx.manager', '/api/reports/sla?groupBy=project');
    expect(byProject.body.groups.map((g: { key: string }) => g.key)).toEqual([other.project]);
    const breaches = await read('zx.manager', '/api/reports/sla/breaches?pageSize=200');
    expect(breaches.body.items).toEqual([expect.objectContaining({ id: other.breach, caseId: other.case, caseNumber: other.caseNumber, target: 'firstContact', tier: 'PROJECT' })]);
    const csv = await call(stack, 'GET', '/api/reports/sla/breaches', { token: tokens.get('zx.manager')!, headers: { accept: 'text/csv' } });
    expect(csv.text).toContain(`${other.caseNumber},firstContact,PROJECT`);
    expect(csv.text).not.toContain('CS-20260101-900');

    for (const c of [id.caseOpen, id.caseProjectTier]) {
      expectProblem(await as('zx.manager', 'GET', `/api/cases/${c}`), 404, 'NOT_FOUND');
      expectProblem(await as('zx.manager', 'GET', `/api/cases/${c}/events`), 404, 'NOT_FOUND');
    }
    expectProblem(await as('zx.manager', 'GET', `/api/reports/sla?projectId=${id.bjhy}`), 404, 'NOT_FOUND');
    expectProblem(await as('zx.supervisor', 'POST', `/api/escalations/${id.pendingEscalation}/approve`, {}), 404, 'NOT_FOUND');
    expectProblem(await as('zx.supervisor', 'POST', `/api/escalations/${id.pendingEscalation}/reject`, { reason: '越界' }), 404, 'NOT_FOUND');
    expect(await stack.db.caseEscalation.findUniqueOrThrow({ where: { id: id.pendingEscalation } })).toMatchObject({ status: 'pending', decidedBy: null });
    const outbox = await as('zx.admin', 'GET', '/api/outbox?pageSize=200');
    expect(itemIds(outbox)).toEqual([other.email]);
    expectProblem(await as('zx.admin', 'GET', `/api/outbox/${id.email}`), 404, 'NOT_FOUND');
  });
});
