/**
 * Who may do what, and over which part of the organisation. Pure rules shared by the API and the
 * console; no I/O. Every endpoint names one Permission; every read of an organisation's records is
 * narrowed by the caller's scope.
 */
export const ROLES = ['AGENT', 'HANDLER', 'SUPERVISOR', 'MANAGER', 'SALES', 'SALES_MANAGER', 'SPECIALIST', 'ADMIN', 'TECHNICIAN', 'CONTRACTOR'] as const;
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
  /** A CONTRACTOR's company (contractor_company): the only work orders such a user sees and works. */
  contractorCompanyId?: string | null;
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
  | 'outbox:read'
  | 'cases:read'
  | 'cases:create'
  | 'cases:work'
  | 'cases:callback'
  | 'cases:note'
  | 'escalations:read'
  | 'escalations:decide'
  | 'categories:read'
  | 'settings:read'
  | 'settings:write'
  | 'reports:read'
  | 'leads:read'
  | 'leads:create'
  | 'leads:work'
  | 'leads:manage'
  | 'sales-settings:read'
  | 'reports:leads'
  | 'sales:read'
  | 'sales:create'
  | 'sales:work'
  | 'sales:approve'
  | 'progress-notes:write'
  | 'reports:sales'
  | 'workflow-payloads:decode'
  | 'record-views:read'
  | 'home:read'
  | 'work-orders:read'
  | 'work-orders:dispatch'
  | 'work-orders:work';

const ALL_ROLES: readonly Role[] = ROLES;
const SERVICE_AND_SALES: readonly Role[] = ['AGENT', 'HANDLER', 'SUPERVISOR', 'MANAGER', 'SALES', 'SALES_MANAGER', 'SPECIALIST', 'ADMIN'];
/** The sales team: sales staff, customer specialists (grade-C follow-up) and sales managers. */
const SALES_TEAM: readonly Role[] = ['SALES', 'SPECIALIST', 'SALES_MANAGER'];

const GRANTS: Record<Permission, readonly Role[]> = {
  'org:read': ALL_ROLES,
  'projects:write': ['ADMIN'],
  'units:read': ALL_ROLES,
  // Supervisors and managers pick assignees, so they read the staff list of their scope.
  'users:read': ['ADMIN', 'SUPERVISOR', 'MANAGER', 'SALES_MANAGER'],
  'users:write': ['ADMIN'],
  'customers:read': SERVICE_AND_SALES,
  // Agents register callers; sales register prospects.
  'customers:write': ['AGENT', 'HANDLER', 'SUPERVISOR', 'SALES', 'SALES_MANAGER', 'SPECIALIST', 'ADMIN'],
  // Whole phone numbers only for the roles that call customers back.
  'customers:read-contact': ['AGENT', 'HANDLER', 'SUPERVISOR', 'SALES', 'SALES_MANAGER', 'SPECIALIST'],
  'outbox:read': ['ADMIN'],
  // Case records carry customers' complaints: the customer-service roles only, never sales.
  'cases:read': ['AGENT', 'HANDLER', 'SUPERVISOR', 'MANAGER'],
  // Agents open cases from calls; handlers and supervisors from walk-ins at their office.
  'cases:create': ['AGENT', 'HANDLER', 'SUPERVISOR'],
  // Working a case (contact, pause, resolve, edit, escalate) also needs canWorkCase: the case's tier.
  'cases:work': ['HANDLER', 'SUPERVISOR'],
  // The satisfaction callback (回访) is the call centre's job; the tier's handlers may record it too.
  'cases:callback': ['AGENT', 'HANDLER', 'SUPERVISOR'],
  // A note records what someone learnt (a repeat call, a walk-in) and changes nothing of the case:
  // the front line whose scope holds the case's project (canNoteCase).
  'cases:note': ['AGENT', 'HANDLER', 'SUPERVISOR'],
  'escalations:read': ['SUPERVISOR', 'MANAGER'],
  // Handbook: a supervisor of the receiving tier decides (canDecideEscalation).
  'escalations:decide': ['SUPERVISOR'],
  // The taxonomy is not personal data, and every screen that shows a case names its category.
  'categories:read': ALL_ROLES,
  'settings:read': ['ADMIN', 'SUPERVISOR', 'MANAGER'],
  // Settings belong to the whole group: a group-scoped administrator (see canWriteSettings).
  'settings:write': ['ADMIN'],
  'reports:read': ['MANAGER', 'SUPERVISOR'],
  // Leads are the sales team's: which leads each member sees is narrowed by canReadLead.
  'leads:read': SALES_TEAM,
  'leads:create': SALES_TEAM,
  // Touch, re-grade, mark lost, convert: the lead's owner, or a sales manager over its project (canWorkLead).
  'leads:work': SALES_TEAM,
  // Assign from the pool, review lost leads: sales managers over the lead's project (canManageLead).
  'leads:manage': ['SALES_MANAGER'],
  // Cadences and loss reasons: the sales team reads them (the lost-lead form lists the reasons).
  'sales-settings:read': ['ADMIN', 'SALES', 'SPECIALIST', 'SALES_MANAGER'],
  'reports:leads': ['SALES_MANAGER', 'MANAGER'],
  // Sales: the salesperson responsible reads and works their own (canWorkSale), sales managers every
  // sale of their projects; the group's managers read them (canReadSale) for the pipeline.
  'sales:read': [...SALES_TEAM, 'MANAGER'],
  'sales:create': SALES_TEAM,
  'sales:work': SALES_TEAM,
  // Cancellation, unit change and rename: a sales manager over the sale's project (canApproveSale).
  'sales:approve': ['SALES_MANAGER'],
  // The construction-progress note the monthly buyer email quotes: sales managers of the project, administrators.
  'progress-notes:write': ['SALES_MANAGER', 'ADMIN'],
  'reports:sales': ['SALES_MANAGER', 'MANAGER'],
  // The Temporal codec endpoint decrypts any payload of the namespace: cases, leads and sales of
  // every company and project. A codec request names no workflow, so no scope can narrow it: only
  // those who run the system and may see workflow internals whole, group administrators
  // (canDecodeWorkflowPayloads). Supervisors and managers are held to their scope and their
  // domain, and read what they need through the console; every decode is audited.
  'workflow-payloads:decode': ['ADMIN'],
  // Who looked at which customer's full record: managers audit their scope's staff, group
  // administrators the whole organisation (canReadRecordViews, recordViewScopeWhere).
  'record-views:read': ['MANAGER', 'ADMIN'],
  // The home page's counts of one's own work: each count is of a list its role may read (app/home).
  'home:read': ALL_ROLES,
  // Work orders (issue 15): the service office reads them in its scope (agents answer the owner's
  // "when is the technician coming?"; managers audit); field staff only those assigned to them
  // (canReadWorkOrder). Administrators read them for support, and change nothing.
  'work-orders:read': ['AGENT', 'HANDLER', 'SUPERVISOR', 'MANAGER', 'ADMIN', 'TECHNICIAN', 'CONTRACTOR'],
  // Create from a case, assign, reassign, quote, cancel: the dispatchers, the handlers and
  // supervisors whose scope holds the order's project (canDispatchWorkOrder).
  'work-orders:dispatch': ['HANDLER', 'SUPERVISOR'],
  // Field work: the assignee (a technician, a contractor company's staff) checks in, records the
  // result and photos and takes the owner's sign-off; the dispatchers may book the appointment or
  // record a no-show from the phone too (canWorkWorkOrder).
  'work-orders:work': ['HANDLER', 'SUPERVISOR', 'TECHNICIAN', 'CONTRACTOR'],
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

/**
 * Shape of a Prisma `where` on records that belong to a project (cases, leads, sales: columns
 * groupId, companyId, projectId) that keeps a principal inside its scope.
 */
export function placeScopeWhere(p: Principal): { groupId: string; companyId?: string; projectId?: string } {
  switch (p.scopeLevel) {
    case 'GROUP':
      return { groupId: p.groupId };
    case 'COMPANY':
      return { groupId: p.groupId, companyId: p.companyId ?? '__none__' };
    case 'PROJECT':
      return { groupId: p.groupId, projectId: p.projectId ?? '__none__' };
  }
}

/** Masks a phone number for roles that do not call customers back (mobiles, landlines and other numbers): see domain/customers/phone.ts. */
export { maskPhone } from './customers/phone.js';

// ---------------------------------------------------------------------------------------------
// Cases: who works a case depends on the tier it sits at now, not only on the user's role.

/** Where a case belongs, as the access rules need it. `caseTier` is the case's current tier. */
export interface CaseRef {
  caseTier: ScopeLevel;
  groupId: string;
  companyId: string;
  projectId: string;
}

/**
 * True when the user's scope is exactly the office of that tier for the case: a PROJECT-tier case
 * is worked at its project's office, a COMPANY-tier case by its company, a GROUP-tier case at head
 * office. A wider scope does not cover a lower tier (head office does not work the property
 * office's queue), and a narrower one never a higher tier.
 */
export function isOfficeOfTier(p: Principal, c: CaseRef): boolean {
  if (p.groupId !== c.groupId || p.scopeLevel !== c.caseTier) return false;
  switch (c.caseTier) {
    case 'GROUP':
      return true;
    case 'COMPANY':
      return p.companyId === c.companyId;
    case 'PROJECT':
      return p.projectId === c.projectId;
  }
}

/**
 * Handlers and supervisors work (contact, pause, resume, resolve, change, escalate) the cases of
 * their own tier and organisation only.
 */
export function canWorkCase({ principal, ...c }: CaseRef & { principal: Principal }): boolean {
  return hasPermission(principal.role, 'cases:work') && isOfficeOfTier(principal, c);
}

/**
 * The satisfaction callback: the call centre (agents) calls back any case in its scope; handlers
 * and supervisors only the cases they may work.
 */
export function canRecordCallback({ principal, ...c }: CaseRef & { principal: Principal }): boolean {
  if (!hasPermission(principal.role, 'cases:callback')) return false;
  if (principal.role === 'AGENT') return isProjectInScope(principal, { id: c.projectId, groupId: c.groupId, companyId: c.companyId });
  return canWorkCase({ principal, ...c });
}

/**
 * A note on a case (a repeat call, an owner back at the property office, what a colleague learnt)
 * changes none of its clocks, its tier or its status: it records information. So anyone of the
 * front line (agents, handlers, supervisors) whose scope holds the case's project may add one,
 * whatever tier the case sits at: the agent who takes the repeat call, the property office where
 * the owner walks in again after the case moved up to the company, and those who work it.
 * Managers audit cases and write nothing on them.
 */
export function canNoteCase({ principal, ...c }: CaseRef & { principal: Principal }): boolean {
  return hasPermission(principal.role, 'cases:note') && isProjectInScope(principal, { id: c.projectId, groupId: c.groupId, companyId: c.companyId });
}

/**
 * A request to move a case up is decided by a supervisor of the tier it would move to: COMPANY →
 * a company-scoped supervisor of the case's company, GROUP → a group-scoped supervisor.
 */
export function canDecideEscalation({
  principal,
  toTier,
  ...c
}: Omit<CaseRef, 'caseTier'> & { principal: Principal; toTier: ScopeLevel }): boolean {
  return hasPermission(principal.role, 'escalations:decide') && isOfficeOfTier(principal, { ...c, caseTier: toTier });
}

/** Group-wide settings (SLA policies, calendars, categories) are edited at group scope only. */
export function canWriteSettings(p: Principal): boolean {
  return hasPermission(p.role, 'settings:write') && p.scopeLevel === 'GROUP';
}

/**
 * The codec endpoint for the Temporal Web UI and CLI: a group-scoped administrator, since the
 * payloads it decrypts belong to the whole group (see GRANTS).
 */
export function canDecodeWorkflowPayloads(p: Principal): boolean {
  return hasPermission(p.role, 'workflow-payloads:decode') && p.scopeLevel === 'GROUP';
}

/**
 * The log of customer record views: managers at any scope, administrators at group scope only (an
 * administrator's authority below group scope is over its office's accounts, not its staff's reading).
 */
export function canReadRecordViews(p: Principal): boolean {
  return hasPermission(p.role, 'record-views:read') && (p.role !== 'ADMIN' || p.scopeLevel === 'GROUP');
}

/**
 * Shape of a Prisma `where` on the record-view log that keeps a reader inside its scope. A group-scope
 * reader sees every view in its organisation, including views of the customer record itself and
 * decodes of workflow payloads (group-level: no company or project). A company- or project-scope
 * manager sees the views made through cases, leads and sales of its company's or its project's, and
 * no group-level rows (their company and project are null, so they never match).
 */
export function recordViewScopeWhere(p: Principal): { groupId: string; companyId?: string; projectId?: string } {
  return placeScopeWhere(p);
}

/** Who may be a case's assignee at a tier: an active handler or supervisor of that tier's office. */
export function canBeAssignee({ user, ...c }: CaseRef & { user: Principal & { active: boolean } }): boolean {
  return user.active && canWorkCase({ principal: user, ...c });
}

// ---------------------------------------------------------------------------------------------
// Records a salesperson holds in a project (leads, sales): the holder works the record; the sales
// managers over its project manage it and work it too; those who work it read it.

type ProjectPlace = { groupId: string; companyId: string; projectId: string };
const projectOf = (r: ProjectPlace): ProjectRef => ({ id: r.projectId, groupId: r.groupId, companyId: r.companyId });

/** The rules of one kind of held record, from the permissions its module grants for each. */
function heldRecordRules(permissions: { read: Permission; work: Permission; manage: Permission }) {
  const canManage = (principal: Principal, r: ProjectPlace) => hasPermission(principal.role, permissions.manage) && isProjectInScope(principal, projectOf(r));
  const canWork = (principal: Principal, r: ProjectPlace & { ownerId: string | null }) =>
    hasPermission(principal.role, permissions.work) && principal.groupId === r.groupId && (r.ownerId === principal.id || canManage(principal, r));
  /** `othersInProject`: whether those in the project's scope who do not work the record read it too. */
  const canRead = (principal: Principal, r: ProjectPlace & { ownerId: string | null }, othersInProject: boolean) =>
    hasPermission(principal.role, permissions.read) && principal.groupId === r.groupId && (canWork(principal, r) || (othersInProject && isProjectInScope(principal, projectOf(r))));
  return { canManage, canWork, canRead };
}

// ---------------------------------------------------------------------------------------------
// Leads: sales staff see their own leads and their project's pool; sales managers their projects.

/** Where a lead belongs and who holds it, as the access rules need it. */
export interface LeadRef {
  groupId: string;
  companyId: string;
  projectId: string;
  ownerId: string | null;
  status: string;
}

const leadRules = heldRecordRules({ read: 'leads:read', work: 'leads:work', manage: 'leads:manage' });

/** Sales managers over the lead's project: its assignments, pool and loss reviews. */
export function canManageLead({ principal, ...l }: LeadRef & { principal: Principal }): boolean {
  return leadRules.canManage(principal, l);
}

/** The owner, and the sales managers over the project, work the lead (touch, re-grade, mark lost, convert). */
export function canWorkLead({ principal, ...l }: LeadRef & { principal: Principal }): boolean {
  return leadRules.canWork(principal, l);
}

/** Sales staff read their own leads and their project's pool; sales managers every lead of their projects. */
export function canReadLead({ principal, ...l }: LeadRef & { principal: Principal }): boolean {
  return leadRules.canRead(principal, l, l.status === 'pooled');
}

/** Who may own a lead: an active member of the sales team whose scope holds the lead's project. */
export function canOwnLead({ user, ...l }: Omit<LeadRef, 'ownerId' | 'status'> & { user: Principal & { active: boolean } }): boolean {
  return user.active && hasPermission(user.role, 'leads:work') && isProjectInScope(user, projectOf(l));
}

// ---------------------------------------------------------------------------------------------
// Sales: the salesperson responsible works their own sales; sales managers every sale of their projects.

/** Where a sale belongs and who is responsible for it. */
export interface SaleRef {
  groupId: string;
  companyId: string;
  projectId: string;
  ownerId: string;
}

const saleRules = heldRecordRules({ read: 'sales:read', work: 'sales:work', manage: 'sales:approve' });

/** Sales managers over the sale's project decide its cancellation, unit change and rename. */
export function canApproveSale({ principal, ...s }: SaleRef & { principal: Principal }): boolean {
  return saleRules.canManage(principal, s);
}

/** The salesperson responsible and the sales managers over the project record the sale's steps. */
export function canWorkSale({ principal, ...s }: SaleRef & { principal: Principal }): boolean {
  return saleRules.canWork(principal, s);
}

/** Those who work the sale read it; so do managers over its project (the pipeline and its audit). */
export function canReadSale({ principal, ...s }: SaleRef & { principal: Principal }): boolean {
  return saleRules.canRead(principal, s, principal.role === 'MANAGER');
}

// ---------------------------------------------------------------------------------------------
// Work orders (issue 15): dispatchers over the order's project; field staff over their own orders.

/** Where a work order belongs and who holds it, as the access rules need it (the read model's columns). */
export interface WorkOrderRef {
  groupId: string;
  companyId: string;
  projectId: string;
  /** The assigned in-house technician (user id), when the assignee is one. */
  technicianId: string | null;
  /** The assigned contractor company, when the assignee is one. */
  contractorCompanyId: string | null;
}

const placeOfWorkOrder = (w: WorkOrderRef): ProjectRef => ({ id: w.projectId, groupId: w.groupId, companyId: w.companyId });

/**
 * Whether the principal holds the order as its assignee: the technician it is assigned to (inside
 * the technician's own project or company scope), or a member of the contractor company it is
 * assigned to. A reassigned order leaves its former holder's view.
 */
export function holdsWorkOrder(p: Principal, w: WorkOrderRef): boolean {
  if (p.groupId !== w.groupId) return false;
  if (p.role === 'TECHNICIAN') return w.technicianId === p.id && isProjectInScope(p, placeOfWorkOrder(w));
  if (p.role === 'CONTRACTOR') return !!p.contractorCompanyId && w.contractorCompanyId === p.contractorCompanyId;
  return false;
}

/** Field staff read the orders they hold; the office roles every order of a project in their scope. */
export function canReadWorkOrder({ principal, ...w }: WorkOrderRef & { principal: Principal }): boolean {
  if (!hasPermission(principal.role, 'work-orders:read')) return false;
  if (principal.role === 'TECHNICIAN' || principal.role === 'CONTRACTOR') return holdsWorkOrder(principal, w);
  return isProjectInScope(principal, placeOfWorkOrder(w));
}

/** Handlers and supervisors whose scope holds the order's project dispatch it (assign, reassign, quote, cancel). */
export function canDispatchWorkOrder({ principal, ...w }: WorkOrderRef & { principal: Principal }): boolean {
  return hasPermission(principal.role, 'work-orders:dispatch') && isProjectInScope(principal, placeOfWorkOrder(w));
}

/**
 * On-site steps (check-in, result, photos, sign-off) are the holder's alone; `withDispatchers`:
 * a step the dispatchers may record too (the appointment agreed on the phone, a no-show).
 */
export function canWorkWorkOrder({ principal, withDispatchers, ...w }: WorkOrderRef & { principal: Principal; withDispatchers: boolean }): boolean {
  if (!hasPermission(principal.role, 'work-orders:work')) return false;
  if (holdsWorkOrder(principal, w)) return true;
  return withDispatchers && canDispatchWorkOrder({ principal, ...w });
}

/**
 * Shape of a Prisma `where` on work orders that keeps a reader inside what canReadWorkOrder admits:
 * a technician's own orders in scope, a contractor's company's orders, an office role's scope.
 */
export function workOrderScopeWhere(p: Principal): { groupId: string; companyId?: string; projectId?: string; technicianId?: string; contractorCompanyId?: string } {
  if (p.role === 'TECHNICIAN') return { ...placeScopeWhere(p), technicianId: p.id };
  if (p.role === 'CONTRACTOR') return { groupId: p.groupId, contractorCompanyId: p.contractorCompanyId ?? '__none__' };
  return placeScopeWhere(p);
}
