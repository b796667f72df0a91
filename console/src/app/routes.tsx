/**
 * The console's addresses. Each page is its own chunk, loaded when first visited (route-level code
 * splitting): the first load carries the shell and the login page only. A route names the nav
 * entry it belongs to; the entry's roles guard the page (app/RoutePage).
 */
import { lazy, type ComponentType } from 'react';
import type { User } from '../api.js';

export interface PageProps {
  user: User;
  /** The `:id` of the address, for detail pages. */
  id: string;
}

export interface PageRoute {
  path: string;
  nav: string;
  Page: ComponentType<PageProps>;
}

/** A page module's named export as a lazily loaded component. */
function page<M, K extends keyof M>(load: () => Promise<M>, name: K): ComponentType<PageProps> {
  return lazy(async () => ({ default: (await load())[name] as ComponentType<PageProps> }));
}

const CaseList = () => import('../features/cases/pages/CaseList.js');
const LeadList = () => import('../features/leads/pages/LeadList.js');
const SaleList = () => import('../features/sales/pages/SaleList.js');
const CaseListPage = page(CaseList, 'CaseListPage') as ComponentType<PageProps & { mode: 'mine' | 'queue' }>;

export const PAGE_ROUTES: readonly PageRoute[] = [
  { path: '/', nav: 'dashboard', Page: page(() => import('../features/home/pages/HomePage.js'), 'HomePage') },
  { path: '/home/:id', nav: 'home-list', Page: page(() => import('../features/home/pages/HomeListPage.js'), 'HomeListPage') },
  { path: '/projects', nav: 'projects', Page: page(() => import('../features/org/pages/Projects.js'), 'ProjectsPage') },
  { path: '/projects/:id', nav: 'projects', Page: page(() => import('../features/org/pages/ProjectDetail.js'), 'ProjectDetailPage') },
  { path: '/companies', nav: 'companies', Page: page(() => import('../features/org/pages/Companies.js'), 'CompaniesPage') },
  { path: '/customers', nav: 'customers', Page: page(() => import('../features/customers/pages/CustomersPage.js'), 'CustomersPage') },
  { path: '/customers/:id', nav: 'customer', Page: page(() => import('../features/customers/pages/CustomerPage.js'), 'CustomerPage') },
  { path: '/users', nav: 'users', Page: page(() => import('../features/org/pages/Users.js'), 'UsersPage') },
  { path: '/outbox', nav: 'outbox', Page: page(() => import('../features/admin/pages/Outbox.js'), 'OutboxPage') },
  { path: '/record-views', nav: 'record-views', Page: page(() => import('../features/admin/pages/RecordViews.js'), 'RecordViewsPage') },
  { path: '/cases/new', nav: 'cases-new', Page: page(() => import('../features/cases/pages/NewCase.js'), 'NewCasePage') },
  { path: '/cases/mine', nav: 'cases-mine', Page: (p) => <CaseListPage key="mine" {...p} mode="mine" /> },
  { path: '/cases/queue', nav: 'cases-queue', Page: (p) => <CaseListPage key="queue" {...p} mode="queue" /> },
  { path: '/cases/:id', nav: 'case', Page: page(() => import('../features/cases/pages/CaseDetail.js'), 'CaseDetailPage') },
  { path: '/field', nav: 'field', Page: page(() => import('../features/workorders/pages/FieldToday.js'), 'FieldTodayPage') },
  { path: '/field/:id', nav: 'field-job', Page: page(() => import('../features/workorders/pages/FieldJob.js'), 'FieldJobPage') },
  { path: '/dispatch', nav: 'dispatch', Page: page(() => import('../features/workorders/pages/Dispatch.js'), 'DispatchPage') },
  { path: '/escalations', nav: 'escalations', Page: page(() => import('../features/cases/pages/Escalations.js'), 'EscalationsPage') },
  { path: '/sla', nav: 'sla-dashboard', Page: page(() => import('../features/reports/pages/SlaDashboard.js'), 'SlaDashboardPage') },
  { path: '/repairs/report', nav: 'repair-report', Page: page(() => import('../features/reports/pages/RepairReport.js'), 'RepairReportPage') },
  { path: '/settings/sla', nav: 'sla-settings', Page: page(() => import('../features/admin/pages/SlaSettings.js'), 'SlaSettingsPage') },
  { path: '/settings/sales', nav: 'sales-settings', Page: page(() => import('../features/admin/pages/SalesSettings.js'), 'SalesSettingsPage') },
  { path: '/settings/warranty', nav: 'warranty-settings', Page: page(() => import('../features/admin/pages/WarrantySettings.js'), 'WarrantySettingsPage') },
  { path: '/leads/today', nav: 'leads-today', Page: page(LeadList, 'LeadsTodayPage') },
  { path: '/leads/new', nav: 'leads-new', Page: page(() => import('../features/leads/pages/NewLead.js'), 'NewLeadPage') },
  { path: '/leads', nav: 'leads', Page: page(LeadList, 'LeadListPage') },
  { path: '/leads/pool', nav: 'lead-pool', Page: page(() => import('../features/leads/pages/LeadPool.js'), 'LeadPoolPage') },
  { path: '/leads/reviews', nav: 'lead-reviews', Page: page(() => import('../features/leads/pages/LeadReviews.js'), 'LeadReviewsPage') },
  { path: '/leads/report', nav: 'lead-report', Page: page(() => import('../features/reports/pages/LeadReport.js'), 'LeadReportPage') },
  { path: '/leads/:id', nav: 'lead', Page: page(() => import('../features/leads/pages/LeadDetail.js'), 'LeadDetailPage') },
  { path: '/sales', nav: 'sales', Page: page(SaleList, 'SaleListPage') },
  { path: '/sales/mine', nav: 'sales-mine', Page: page(SaleList, 'SalesMinePage') },
  { path: '/sales/new', nav: 'sales-new', Page: page(() => import('../features/sales/pages/NewSale.js'), 'NewSalePage') },
  { path: '/sales/approvals', nav: 'sale-approvals', Page: page(() => import('../features/sales/pages/SaleApprovals.js'), 'SaleApprovalsPage') },
  { path: '/sales/report', nav: 'sale-report', Page: page(() => import('../features/reports/pages/SaleReport.js'), 'SaleReportPage') },
  { path: '/sales/:id', nav: 'sale', Page: page(() => import('../features/sales/pages/SaleDetail.js'), 'SaleDetailPage') },
];
