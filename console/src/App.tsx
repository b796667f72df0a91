import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { api, setUnauthorizedHandler, type LoginResponse, type User } from './api.js';
import { DEFAULT_TIME_ZONE } from './format.js';
import { useI18n, type MessageKey } from './i18n.js';
import { Icon } from './icons.js';
import { LangSwitch } from './LangSwitch.js';
import { navEntry, navFor } from './nav.js';
import { CaseDetailPage } from './pages/CaseDetail.js';
import { CaseListPage } from './pages/CaseList.js';
import { CompaniesPage } from './pages/Companies.js';
import { CustomersPage } from './pages/Customers.js';
import { DashboardPage } from './pages/Dashboard.js';
import { EscalationsPage } from './pages/Escalations.js';
import { LeadDetailPage } from './pages/LeadDetail.js';
import { LeadListPage, LeadsTodayPage } from './pages/LeadList.js';
import { LeadPoolPage } from './pages/LeadPool.js';
import { LeadReportPage } from './pages/LeadReport.js';
import { LeadReviewsPage } from './pages/LeadReviews.js';
import { LoginPage } from './pages/Login.js';
import { NewCasePage } from './pages/NewCase.js';
import { OutboxPage } from './pages/Outbox.js';
import { ProjectDetailPage } from './pages/ProjectDetail.js';
import { ProjectsPage } from './pages/Projects.js';
import { RecordViewsPage } from './pages/RecordViews.js';
import { NewLeadPage } from './pages/NewLead.js';
import { NewSalePage } from './pages/NewSale.js';
import { SaleApprovalsPage } from './pages/SaleApprovals.js';
import { SaleDetailPage } from './pages/SaleDetail.js';
import { SaleListPage, SalesMinePage } from './pages/SaleList.js';
import { SaleReportPage } from './pages/SaleReport.js';
import { SalesSettingsPage } from './pages/SalesSettings.js';
import { SlaDashboardPage } from './pages/SlaDashboard.js';
import { SlaSettingsPage } from './pages/SlaSettings.js';
import { UsersPage } from './pages/Users.js';
import { Link, navigate, usePath } from './router.js';
import { clearSession, getToken, saveSession } from './session.js';

interface Route {
  pattern: RegExp;
  /** The nav entry the page belongs to: its roles guard the page, its link is highlighted. */
  nav: string;
  render: (match: RegExpMatchArray, user: User) => ReactNode;
}

const ROUTES: readonly Route[] = [
  { pattern: /^\/$/, nav: 'dashboard', render: (_m, user) => <DashboardPage user={user} /> },
  { pattern: /^\/projects\/?$/, nav: 'projects', render: () => <ProjectsPage /> },
  { pattern: /^\/projects\/([^/]+)\/?$/, nav: 'projects', render: (m, user) => <ProjectDetailPage key={m[1]} id={safeDecode(m[1] ?? '')} user={user} /> },
  { pattern: /^\/companies\/?$/, nav: 'companies', render: () => <CompaniesPage /> },
  { pattern: /^\/customers\/?$/, nav: 'customers', render: (_m, user) => <CustomersPage user={user} /> },
  { pattern: /^\/users\/?$/, nav: 'users', render: (_m, user) => <UsersPage user={user} /> },
  { pattern: /^\/outbox\/?$/, nav: 'outbox', render: () => <OutboxPage /> },
  { pattern: /^\/record-views\/?$/, nav: 'record-views', render: (_m, user) => <RecordViewsPage user={user} /> },
  { pattern: /^\/cases\/new\/?$/, nav: 'cases-new', render: (_m, user) => <NewCasePage user={user} /> },
  { pattern: /^\/cases\/mine\/?$/, nav: 'cases-mine', render: (_m, user) => <CaseListPage key="mine" user={user} mode="mine" /> },
  { pattern: /^\/cases\/queue\/?$/, nav: 'cases-queue', render: (_m, user) => <CaseListPage key="queue" user={user} mode="queue" /> },
  { pattern: /^\/cases\/([^/]+)\/?$/, nav: 'case', render: (m, user) => <CaseDetailPage key={m[1]} id={safeDecode(m[1] ?? '')} user={user} /> },
  { pattern: /^\/escalations\/?$/, nav: 'escalations', render: (_m, user) => <EscalationsPage user={user} /> },
  { pattern: /^\/sla\/?$/, nav: 'sla-dashboard', render: (_m, user) => <SlaDashboardPage user={user} /> },
  { pattern: /^\/settings\/sla\/?$/, nav: 'sla-settings', render: () => <SlaSettingsPage /> },
  { pattern: /^\/settings\/sales\/?$/, nav: 'sales-settings', render: (_m, user) => <SalesSettingsPage user={user} /> },
  { pattern: /^\/leads\/today\/?$/, nav: 'leads-today', render: (_m, user) => <LeadsTodayPage user={user} /> },
  { pattern: /^\/leads\/new\/?$/, nav: 'leads-new', render: (_m, user) => <NewLeadPage user={user} /> },
  { pattern: /^\/leads\/?$/, nav: 'leads', render: (_m, user) => <LeadListPage user={user} /> },
  { pattern: /^\/leads\/pool\/?$/, nav: 'lead-pool', render: (_m, user) => <LeadPoolPage user={user} /> },
  { pattern: /^\/leads\/reviews\/?$/, nav: 'lead-reviews', render: (_m, user) => <LeadReviewsPage user={user} /> },
  { pattern: /^\/leads\/report\/?$/, nav: 'lead-report', render: (_m, user) => <LeadReportPage user={user} /> },
  { pattern: /^\/leads\/([^/]+)\/?$/, nav: 'lead', render: (m, user) => <LeadDetailPage key={m[1]} id={safeDecode(m[1] ?? '')} user={user} /> },
  { pattern: /^\/sales\/?$/, nav: 'sales', render: (_m, user) => <SaleListPage user={user} /> },
  { pattern: /^\/sales\/mine\/?$/, nav: 'sales-mine', render: (_m, user) => <SalesMinePage user={user} /> },
  { pattern: /^\/sales\/new\/?$/, nav: 'sales-new', render: (_m, user) => <NewSalePage user={user} /> },
  { pattern: /^\/sales\/approvals\/?$/, nav: 'sale-approvals', render: (_m, user) => <SaleApprovalsPage user={user} /> },
  { pattern: /^\/sales\/report\/?$/, nav: 'sale-report', render: (_m, user) => <SaleReportPage user={user} /> },
  { pattern: /^\/sales\/([^/]+)\/?$/, nav: 'sale', render: (m, user) => <SaleDetailPage key={m[1]} id={safeDecode(m[1] ?? '')} user={user} /> },
];

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function matchRoute(path: string): { route: Route; match: RegExpMatchArray } | null {
  for (const route of ROUTES) {
    const match = path.match(route.pattern);
    if (match) return { route, match };
  }
  return null;
}

export function App() {
  const { t } = useI18n();
  const path = usePath();
  const [user, setUser] = useState<User | null>(null);
  const [booting, setBooting] = useState(() => getToken() !== null);
  const [loginNotice, setLoginNotice] = useState<MessageKey | null>(null);

  // Any 401 from the API (expired or revoked token) ends the session.
  useEffect(() => {
    setUnauthorizedHandler(() => {
      clearSession();
      setUser(null);
      setLoginNotice('login.expired');
    });
    return () => setUnauthorizedHandler(null);
  }, []);

  // A reload keeps the tab's session: the token is in sessionStorage, the user comes from /me.
  useEffect(() => {
    if (!getToken()) {
      setBooting(false);
      return;
    }
    const controller = new AbortController();
    api.me(controller.signal).then(
      (u) => {
        setUser(u);
        setBooting(false);
      },
      () => {
        if (controller.signal.aborted) return;
        clearSession();
        setBooting(false);
      },
    );
    return () => controller.abort();
  }, []);

  const onLoggedIn = useCallback((res: LoginResponse) => {
    saveSession(res.token, res.expiresAt);
    setLoginNotice(null);
    setUser(res.user);
    if (window.location.pathname === '/login') navigate('/', { replace: true });
  }, []);

  const logout = useCallback(() => {
    clearSession();
    setUser(null);
    setLoginNotice('login.loggedOut');
    navigate('/', { replace: true });
  }, []);

  const resolved = matchRoute(path);
  const entry = resolved ? navEntry(resolved.route.nav) : undefined;
  const title = entry ? t(entry.labelKey) : t('notFound.title');

  useEffect(() => {
    document.title = user ? `${title} · ${t('app.name')}` : `${t('login.title')} · ${t('app.name')}`;
  }, [title, user, t]);

  if (booting) {
    return (
      <div className="boot" role="status">
        <span className="spinner" aria-hidden="true" /> {t('app.loading')}
      </div>
    );
  }
  if (!user) return <LoginPage onLoggedIn={onLoggedIn} notice={loginNotice} />;

  let content: ReactNode;
  if (!resolved || !entry) content = <Message titleKey="notFound.title" bodyKey="notFound.body" />;
  else if (!entry.roles.includes(user.role)) content = <Message titleKey="forbidden.title" bodyKey="forbidden.body" />;
  else content = resolved.route.render(resolved.match, user);

  return (
    <Shell user={user} activeKey={entry?.key ?? null} title={title} onLogout={logout}>
      {content}
    </Shell>
  );
}

function Shell({ user, activeKey, title, onLogout, children }: { user: User; activeKey: string | null; title: string; onLogout: () => void; children: ReactNode }) {
  const { t } = useI18n();
  const entries = navFor(user.role);
  const initial = Array.from(user.displayName.trim() || user.username)[0] ?? '?';
  return (
    <div className="shell">
      <aside className="sidebar">
        <Link to="/" className="brand">
          <span className="brand-mark">EC</span>
          <span className="brand-text">
            <span className="brand-name">{t('app.name')}</span>
            <span className="brand-sub">{t('app.subtitle')}</span>
          </span>
        </Link>
        <nav className="nav" aria-label={t('nav.label')}>
          {entries.map((e) => {
            const active = e.key === activeKey;
            return (
              <Link key={e.key} to={e.path} data-nav={e.key} className={`nav-link${active ? ' active' : ''}`} aria-current={active ? 'page' : undefined}>
                <Icon name={e.icon} />
                <span>{t(e.labelKey)}</span>
              </Link>
            );
          })}
        </nav>
        <div className="sidebar-foot">{t('app.footer')}</div>
      </aside>
      <div className="main">
        <header className="topbar">
          <h1 className="page-title">{title}</h1>
          <div className="topbar-right">
            <span className="tz-hint" data-testid="tz-hint" title={t('header.timeZoneHint')}>
              <Icon name="clock" size={15} />
              {t('header.timeZone', { tz: DEFAULT_TIME_ZONE })}
            </span>
            <div className="user-chip">
              <span className="avatar" aria-hidden="true">
                {initial}
              </span>
              <span className="user-text">
                <span className="user-name" data-testid="current-user">
                  {user.displayName}
                </span>
                <span className="user-role" data-testid="current-role" data-role={user.role}>
                  {t(`role.${user.role}` as const)}
                </span>
              </span>
            </div>
            <LangSwitch />
            <button type="button" className="btn btn-ghost" data-testid="logout" onClick={onLogout}>
              <Icon name="logout" size={16} />
              <span>{t('header.logout')}</span>
            </button>
          </div>
        </header>
        <main className="content" id="main">
          {children}
        </main>
      </div>
    </div>
  );
}

function Message({ titleKey, bodyKey }: { titleKey: MessageKey; bodyKey: MessageKey }) {
  const { t } = useI18n();
  return (
    <div className="page">
      <section className="card message-card">
        <h2 className="card-title">{t(titleKey)}</h2>
        <p className="muted">{t(bodyKey)}</p>
        <Link to="/" className="btn btn-primary">
          {t('notFound.home')}
        </Link>
      </section>
    </div>
  );
}
