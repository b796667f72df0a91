/**
 * The console: providers (app/providers.tsx), the data router (react-router) over the page table
 * (app/routes.tsx), and the session — the login page until someone signs in, then the shell with
 * the page of the address, guarded by the roles of its nav entry.
 */
import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react';
import { Outlet, RouterProvider, ScrollRestoration, createBrowserRouter, useMatches, useParams } from 'react-router';
import { Spin } from 'antd';
import { api, setUnauthorizedHandler, type LoginResponse, type User } from './api.js';
import { useI18n, type MessageKey } from './i18n.js';
import { navEntry } from './nav.js';
import { LoginPage } from './features/auth/pages/Login.js';
import { Link, attachNavigator, navigate } from './router.js';
import { clearSession, getToken, saveSession } from './session.js';
import { Providers } from './app/providers.js';
import { PAGE_ROUTES, type PageRoute } from './app/routes.js';
import { SessionContext, useUser } from './app/session.js';
import { Shell } from './app/Shell.js';

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** One page of the table, for the signed-in user, if their role may see it. */
function RoutePage({ route }: { route: PageRoute }) {
  const user = useUser();
  const { id = '' } = useParams();
  const entry = navEntry(route.nav);
  if (!entry || !entry.roles.includes(user.role)) return <Message titleKey="forbidden.title" bodyKey="forbidden.body" />;
  const { Page } = route;
  // A new id is a new page (its own state), as when following a link from one case to another.
  return <Page key={id} id={safeDecode(id)} user={user} />;
}

function Loading() {
  const { t } = useI18n();
  return (
    <div className="boot" role="status">
      <Spin size="small" /> {t('app.loading')}
    </div>
  );
}

/** The signed-out login page or the signed-in shell around the current page. */
function Root() {
  const { t } = useI18n();
  const [user, setUser] = useState<User | null>(null);
  const [booting, setBooting] = useState(() => getToken() !== null);
  const [loginNotice, setLoginNotice] = useState<MessageKey | null>(null);
  const matches = useMatches();
  const navKey = (matches.at(-1)?.handle as { nav?: string } | undefined)?.nav ?? null;

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

  const entry = navKey ? navEntry(navKey) : undefined;
  const title = entry ? t(entry.labelKey) : t('notFound.title');
  useEffect(() => {
    document.title = user ? `${title} · ${t('app.name')}` : `${t('login.title')} · ${t('app.name')}`;
  }, [title, user, t]);

  const session = useMemo(() => (user ? { user, logout } : null), [user, logout]);

  if (booting) return <Loading />;
  if (!user || !session) return <LoginPage onLoggedIn={onLoggedIn} notice={loginNotice} />;
  return (
    <SessionContext.Provider value={session}>
      <Shell user={user} activeKey={entry?.key ?? null} title={title} onLogout={logout}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </Shell>
      <ScrollRestoration />
    </SessionContext.Provider>
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

// The owner's one-time sign-off link: a page of its own, outside the session (no login, no shell).
const OwnerSignOffPage = lazy(async () => ({ default: (await import('./features/workorders/pages/OwnerSignOff.js')).OwnerSignOffPage }));

const router = createBrowserRouter([
  {
    path: '/sign/:token',
    element: (
      <Suspense fallback={<Loading />}>
        <OwnerSignOffPage />
      </Suspense>
    ),
  },
  {
    element: <Root />,
    children: [
      ...PAGE_ROUTES.map((route) => ({ path: route.path, handle: { nav: route.nav }, element: <RoutePage route={route} /> })),
      { path: '*', element: <Message titleKey="notFound.title" bodyKey="notFound.body" /> },
    ],
  },
]);
attachNavigator(router);

export function App() {
  return (
    <Providers>
      <RouterProvider router={router} />
    </Providers>
  );
}
