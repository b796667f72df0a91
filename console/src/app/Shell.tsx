/**
 * The frame around every page: Ant Design's Layout with the sidebar menu (pages folded into
 * sections, so no role scrolls through a long list), the header (page title, the search box for
 * roles that read customers, time zone, the user, language, log out), and on phone-sized screens a drawer behind a menu button.
 * Between a phone and a wide screen (the sidebar shown, under 1440 px) the time zone and "log out"
 * keep only their icons (their words stay for screen readers and as the hint), so the header fits.
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { ClockCircleOutlined, LogoutOutlined, MenuOutlined } from '@ant-design/icons';
import { Button, Drawer, Grid, Layout, Menu, type MenuProps } from 'antd';
import { hasPermission } from '../../../domain/access.js';
import { HeaderSearch } from '../features/search/components/HeaderSearch.js';
import { DEFAULT_TIME_ZONE } from '../format.js';
import { useI18n } from '../i18n.js';
import { Icon } from '../shared/icons.js';
import { LangSwitch } from './LangSwitch.js';
import { NAV_SECTIONS, SECTION_ICONS, SECTION_LABELS, navEntry, navFor, type NavSection } from '../nav.js';
import { Link } from '../router.js';
import type { User } from '../api.js';

type MenuItem = Required<MenuProps>['items'][number];

function useMenuItems(user: User): MenuItem[] {
  const { t } = useI18n();
  return useMemo(() => {
    const entries = navFor(user.role);
    const items: MenuItem[] = [];
    for (const section of NAV_SECTIONS) {
      const inSection = entries.filter((e) => e.section === section);
      if (inSection.length === 0) continue;
      const link = (e: (typeof inSection)[number]) => (
        <Link to={e.path} data-nav={e.key}>
          {t(e.labelKey)}
        </Link>
      );
      if (inSection.length === 1) {
        const e = inSection[0]!;
        items.push({ key: e.key, icon: <Icon name={e.icon} size={16} />, label: link(e) });
      } else {
        items.push({
          key: `section:${section}`,
          icon: <Icon name={SECTION_ICONS[section]} size={16} />,
          label: (
            <span data-nav-section={section} data-nav-keys={inSection.map((e) => e.key).join(' ')}>
              {t(SECTION_LABELS[section])}
            </span>
          ),
          children: inSection.map((e) => ({ key: e.key, label: link(e) })),
        });
      }
    }
    return items;
  }, [user.role, t]);
}

function SideMenu({ user, activeKey, onNavigate }: { user: User; activeKey: string | null; onNavigate?: () => void }) {
  const { t } = useI18n();
  const items = useMenuItems(user);
  const activeSection: NavSection | undefined = activeKey ? navEntry(activeKey)?.section : undefined;
  const [openKeys, setOpenKeys] = useState<string[]>(activeSection ? [`section:${activeSection}`] : []);
  // Arriving on a page of a folded section (a link, the back button) unfolds it.
  useEffect(() => {
    if (activeSection) setOpenKeys((keys) => (keys.includes(`section:${activeSection}`) ? keys : [...keys, `section:${activeSection}`]));
  }, [activeSection]);
  return (
    <nav aria-label={t('nav.label')}>
      <Menu
        theme="dark"
        mode="inline"
        items={items}
        selectedKeys={activeKey ? [activeKey] : []}
        openKeys={openKeys}
        onOpenChange={setOpenKeys}
        onClick={() => onNavigate?.()}
      />
    </nav>
  );
}

function Brand() {
  const { t } = useI18n();
  return (
    <Link to="/" className="brand">
      <span className="brand-mark">EC</span>
      <span className="brand-text">
        <span className="brand-name">{t('app.name')}</span>
        <span className="brand-sub">{t('app.subtitle')}</span>
      </span>
    </Link>
  );
}

export function Shell({ user, activeKey, title, onLogout, children }: { user: User; activeKey: string | null; title: string; onLogout: () => void; children: ReactNode }) {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  // Before the first measurement useBreakpoint is empty: treat it as a wide screen.
  const phone = screens.lg === false;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const initial = Array.from(user.displayName.trim() || user.username)[0] ?? '?';

  return (
    <Layout className="app-shell">
      {phone ? (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={260}
          closable={false}
          styles={{ body: { padding: 0, background: '#16213a' } }}
          title={null}
        >
          <Brand />
          <SideMenu user={user} activeKey={activeKey} onNavigate={() => setDrawerOpen(false)} />
        </Drawer>
      ) : (
        <Layout.Sider width={232} className="app-sider">
          <Brand />
          <SideMenu user={user} activeKey={activeKey} />
          <div className="sidebar-foot">{t('app.footer')}</div>
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header className="topbar">
          {phone && (
            <Button
              type="text"
              aria-label={t('nav.open')}
              data-testid="nav-open"
              onClick={() => setDrawerOpen(true)}
              icon={<MenuOutlined />}
            />
          )}
          <h1 className="page-title">{title}</h1>
          {hasPermission(user.role, 'customers:read') ? <HeaderSearch phone={phone} /> : null}
          <div className="topbar-right">
            {!phone && (
              <span className="tz-hint" data-testid="tz-hint" title={t('header.timeZoneHint')}>
                <ClockCircleOutlined aria-hidden />
                <span className="topbar-label">{t('header.timeZone', { tz: DEFAULT_TIME_ZONE })}</span>
              </span>
            )}
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
            <Button type="text" data-testid="logout" onClick={onLogout} aria-label={phone ? t('header.logout') : undefined} icon={<LogoutOutlined aria-hidden />}>
              {!phone && <span className="topbar-label">{t('header.logout')}</span>}
            </Button>
          </div>
        </Layout.Header>
        <Layout.Content className="content" id="main">
          {children}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
