/**
 * The sidebar: one entry per page with the roles that see it. Later pages (cases, leads, sales)
 * are added here and in the route table of App.tsx; nothing else needs to change.
 */
import { hasPermission, ROLES, rolesWith, type Role } from '../../domain/access.js';
import type { MessageKey } from './i18n.js';
import type { IconName } from './shared/icons.js';

export interface NavEntry {
  /** Stable key: the link carries `data-nav="<key>"`. */
  key: string;
  path: string;
  labelKey: MessageKey;
  /** One-line description on the dashboard's shortcut cards. */
  descriptionKey: MessageKey;
  icon: IconName;
  roles: readonly Role[];
  /** A page reached from other pages (a case), not listed in the sidebar or on the dashboard. */
  hidden?: boolean;
  /** The sidebar's group: a section of several pages folds into one menu entry. */
  section: NavSection;
}

/** The sidebar's groups, in order: a role sees a section's pages folded under one entry. */
export const NAV_SECTIONS = ['home', 'cases', 'leads', 'sales', 'customers', 'organisation', 'settings'] as const;
export type NavSection = (typeof NAV_SECTIONS)[number];
export const SECTION_LABELS: Record<NavSection, MessageKey> = {
  home: 'nav.dashboard',
  cases: 'nav.section.cases',
  leads: 'nav.section.leads',
  sales: 'nav.section.sales',
  customers: 'nav.customers',
  organisation: 'nav.section.organisation',
  settings: 'nav.section.settings',
};
export const SECTION_ICONS: Record<NavSection, IconName> = {
  home: 'dashboard',
  cases: 'cases',
  leads: 'leads',
  sales: 'sale',
  customers: 'customers',
  organisation: 'companies',
  settings: 'settings',
};

// Case pages follow the API's grants (domain/access.ts), so no role sees a page it would get 403 on.
const CASE_READERS = rolesWith('cases:read');

const ALL: readonly Role[] = ROLES;

/** Who works orders on site and holds none but their own: technicians and contractors (work without dispatch). */
const FIELD_WORKERS = rolesWith('work-orders:work').filter((r) => !hasPermission(r, 'work-orders:dispatch'));

/** Who reads customers (and so has the header's search and the customer pages). */
export const CUSTOMER_READERS = rolesWith('customers:read');

/** Who sees more sales than their own: those who approve them, and readers who work none (managers). */
const SALES_OVERSEERS = rolesWith('sales:read').filter((r) => hasPermission(r, 'sales:approve') || !hasPermission(r, 'sales:work'));

export const NAV: readonly NavEntry[] = [
  { key: 'dashboard', section: 'home', path: '/', labelKey: 'nav.dashboard', descriptionKey: 'nav.dashboard.desc', icon: 'dashboard', roles: ALL },
  // The records behind one of the home page's counts (/home/<count key>).
  { key: 'home-list', section: 'home', path: '/home', labelKey: 'nav.homeList', descriptionKey: 'nav.homeList.desc', icon: 'dashboard', roles: ALL, hidden: true },
  {
    key: 'cases-new', section: 'cases',
    path: '/cases/new',
    labelKey: 'nav.casesNew',
    descriptionKey: 'nav.casesNew.desc',
    icon: 'caseNew',
    roles: rolesWith('cases:create'),
  },
  { key: 'cases-mine', section: 'cases', path: '/cases/mine', labelKey: 'nav.casesMine', descriptionKey: 'nav.casesMine.desc', icon: 'cases', roles: ['AGENT', 'HANDLER'] },
  {
    key: 'cases-queue', section: 'cases',
    path: '/cases/queue',
    labelKey: 'nav.casesQueue',
    descriptionKey: 'nav.casesQueue.desc',
    icon: 'queue',
    roles: CASE_READERS.filter((r) => r !== 'AGENT'),
  },
  {
    key: 'escalations', section: 'cases',
    path: '/escalations',
    labelKey: 'nav.escalations',
    descriptionKey: 'nav.escalations.desc',
    icon: 'escalation',
    roles: rolesWith('escalations:read'),
  },
  {
    key: 'sla-dashboard', section: 'cases',
    path: '/sla',
    labelKey: 'nav.slaDashboard',
    descriptionKey: 'nav.slaDashboard.desc',
    icon: 'chart',
    roles: rolesWith('reports:read'),
  },
  // Work orders' first-time fix, repeats, defects and charge-backs: the SLA report's readers (the API's grant).
  { key: 'repair-report', section: 'cases', path: '/repairs/report', labelKey: 'nav.repairReport', descriptionKey: 'nav.repairReport.desc', icon: 'chart', roles: rolesWith('reports:read') },
  // Work orders (issue 15): the technician's phone for those who do the work in the field.
  { key: 'field', section: 'cases', path: '/field', labelKey: 'nav.field', descriptionKey: 'nav.field.desc', icon: 'today', roles: FIELD_WORKERS },
  { key: 'field-job', section: 'cases', path: '/field/', labelKey: 'nav.fieldJob', descriptionKey: 'nav.fieldJob.desc', icon: 'today', roles: FIELD_WORKERS, hidden: true },
  { key: 'dispatch', section: 'cases', path: '/dispatch', labelKey: 'nav.dispatch', descriptionKey: 'nav.dispatch.desc', icon: 'queue', roles: rolesWith('work-orders:dispatch') },
  { key: 'case', section: 'cases', path: '/cases', labelKey: 'nav.case', descriptionKey: 'nav.case.desc', icon: 'cases', roles: CASE_READERS, hidden: true },
  // Leads: the sales team's pages, again following the API's grants.
  { key: 'leads-today', section: 'leads', path: '/leads/today', labelKey: 'nav.leadsToday', descriptionKey: 'nav.leadsToday.desc', icon: 'today', roles: rolesWith('leads:work') },
  { key: 'leads-new', section: 'leads', path: '/leads/new', labelKey: 'nav.leadsNew', descriptionKey: 'nav.leadsNew.desc', icon: 'leadNew', roles: rolesWith('leads:create') },
  { key: 'leads', section: 'leads', path: '/leads', labelKey: 'nav.leads', descriptionKey: 'nav.leads.desc', icon: 'leads', roles: rolesWith('leads:read') },
  { key: 'lead-pool', section: 'leads', path: '/leads/pool', labelKey: 'nav.leadPool', descriptionKey: 'nav.leadPool.desc', icon: 'pool', roles: rolesWith('leads:manage') },
  { key: 'lead-reviews', section: 'leads', path: '/leads/reviews', labelKey: 'nav.leadReviews', descriptionKey: 'nav.leadReviews.desc', icon: 'review', roles: rolesWith('leads:manage') },
  { key: 'lead-report', section: 'leads', path: '/leads/report', labelKey: 'nav.leadReport', descriptionKey: 'nav.leadReport.desc', icon: 'chart', roles: rolesWith('reports:leads') },
  { key: 'lead', section: 'leads', path: '/leads/', labelKey: 'nav.lead', descriptionKey: 'nav.lead.desc', icon: 'leads', roles: rolesWith('leads:read'), hidden: true },
  // Sales: the salesperson's own, everything in scope for sales managers and managers, the approval queue and the pipeline.
  { key: 'sales-mine', section: 'sales', path: '/sales/mine', labelKey: 'nav.salesMine', descriptionKey: 'nav.salesMine.desc', icon: 'sale', roles: rolesWith('sales:work') },
  { key: 'sales-new', section: 'sales', path: '/sales/new', labelKey: 'nav.salesNew', descriptionKey: 'nav.salesNew.desc', icon: 'saleNew', roles: rolesWith('sales:create') },
  { key: 'sales', section: 'sales', path: '/sales', labelKey: 'nav.sales', descriptionKey: 'nav.sales.desc', icon: 'saleList', roles: SALES_OVERSEERS },
  { key: 'sale-approvals', section: 'sales', path: '/sales/approvals', labelKey: 'nav.saleApprovals', descriptionKey: 'nav.saleApprovals.desc', icon: 'approval', roles: rolesWith('sales:approve') },
  { key: 'sale-report', section: 'sales', path: '/sales/report', labelKey: 'nav.saleReport', descriptionKey: 'nav.saleReport.desc', icon: 'pipeline', roles: rolesWith('reports:sales') },
  { key: 'sale', section: 'sales', path: '/sales/', labelKey: 'nav.sale', descriptionKey: 'nav.sale.desc', icon: 'sale', roles: rolesWith('sales:read'), hidden: true },
  { key: 'projects', section: 'organisation', path: '/projects', labelKey: 'nav.projects', descriptionKey: 'nav.projects.desc', icon: 'projects', roles: ALL },
  {
    key: 'companies', section: 'organisation',
    path: '/companies',
    labelKey: 'nav.companies',
    descriptionKey: 'nav.companies.desc',
    icon: 'companies',
    roles: ['ADMIN', 'MANAGER', 'SUPERVISOR', 'SALES_MANAGER'],
  },
  {
    key: 'customers', section: 'customers',
    path: '/customers',
    labelKey: 'nav.customers',
    descriptionKey: 'nav.customers.desc',
    icon: 'customers',
    roles: CUSTOMER_READERS,
  },
  // A customer's page (their cases, leads, sales and units), reached from the customers list and the header's search.
  { key: 'customer', section: 'customers', path: '/customers/', labelKey: 'nav.customer', descriptionKey: 'nav.customer.desc', icon: 'customers', roles: CUSTOMER_READERS, hidden: true },
  {
    // ADMIN manages users; supervisors and managers read the staff list of their scope.
    key: 'users', section: 'organisation',
    path: '/users',
    labelKey: 'nav.users',
    descriptionKey: 'nav.users.desc',
    icon: 'users',
    roles: ['ADMIN', 'SUPERVISOR', 'MANAGER', 'SALES_MANAGER'],
  },
  { key: 'outbox', section: 'organisation', path: '/outbox', labelKey: 'nav.outbox', descriptionKey: 'nav.outbox.desc', icon: 'outbox', roles: ['ADMIN'] },
  // Who viewed customers' full records: managers (their scope's) and group administrators (domain/access.ts canReadRecordViews).
  { key: 'record-views', section: 'organisation', path: '/record-views', labelKey: 'nav.recordViews', descriptionKey: 'nav.recordViews.desc', icon: 'review', roles: rolesWith('record-views:read') },
  { key: 'sla-settings', section: 'settings', path: '/settings/sla', labelKey: 'nav.settings', descriptionKey: 'nav.settings.desc', icon: 'settings', roles: rolesWith('settings:write') },
  {
    // Group administrators edit the sales settings; sales managers read them.
    key: 'sales-settings', section: 'settings',
    path: '/settings/sales',
    labelKey: 'nav.salesSettings',
    descriptionKey: 'nav.salesSettings.desc',
    icon: 'settings',
    roles: rolesWith('sales-settings:read').filter((r) => r === 'ADMIN' || r === 'SALES_MANAGER'),
  },
  // Warranty settings (issue 15): whoever the API lets read them (settings:read); only a group administrator edits (canWriteSettings).
  { key: 'warranty-settings', section: 'settings', path: '/settings/warranty', labelKey: 'nav.warrantySettings', descriptionKey: 'nav.warrantySettings.desc', icon: 'settings', roles: rolesWith('settings:read') },
];

export function navFor(role: Role): NavEntry[] {
  return NAV.filter((e) => !e.hidden && e.roles.includes(role));
}

export function navEntry(key: string): NavEntry | undefined {
  return NAV.find((e) => e.key === key);
}

/** The entry a path belongs to (longest matching prefix): `/projects/p1` → projects. */
export function navEntryForPath(path: string): NavEntry | undefined {
  let best: NavEntry | undefined;
  for (const e of NAV) {
    const matches = e.path === '/' ? path === '/' : path === e.path || path.startsWith(`${e.path}/`);
    if (matches && (!best || e.path.length > best.path.length)) best = e;
  }
  return best;
}
