/**
 * 首页: who is signed in (role and scope by name, never an id), the counts that matter for the role
 * (components/HomeCounts: each a number that links to the list of exactly those records, refreshed
 * live), and shortcuts to the role's pages.
 */
import { Card, Skeleton, Space, Tag, Typography } from 'antd';
import type { User } from '../../../api.js';
import { useI18n } from '../../../i18n.js';
import { Icon } from '../../../shared/icons.js';
import { navFor } from '../../../nav.js';
import { Link } from '../../../router.js';
import { useScopeName } from '../api.js';
import { HomeCounts } from '../components/HomeCounts.js';
import { ScheduleWarning } from '../../admin/components/CalendarSchedules.js';
import '../i18n.js';

function ScopeTag({ user }: { user: User }) {
  const { t } = useI18n();
  const name = useScopeName(user);
  const level = t(`scope.${user.scope.level}`);
  if (user.scope.level === 'GROUP') return <Tag data-testid="dashboard-scope">{level}</Tag>;
  if (name.isPending) return <Skeleton.Button active size="small" style={{ width: 120 }} />;
  return <Tag data-testid="dashboard-scope">{name.data ? `${level} · ${name.data}` : level}</Tag>;
}

export function HomePage({ user }: { user: User }) {
  const { t } = useI18n();
  const shortcuts = navFor(user.role).filter((e) => e.key !== 'dashboard');
  return (
    <div className="page home-page">
      <Card className="home-hello">
        <Space direction="vertical" size={4}>
          <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }} data-testid="greeting">
            {t('home.hello', { name: user.displayName })}
          </Typography.Title>
          <Space wrap size={6}>
            <Tag color="blue" data-testid="dashboard-role">
              {t(`role.${user.role}`)}
            </Tag>
            <ScopeTag user={user} />
            <span className="muted">{t(`role.${user.role}.desc`)}</span>
          </Space>
        </Space>
      </Card>

      {/* Group administrators, from 1 November: a calendar in use without next year's holidays. */}
      {user.role === 'ADMIN' && user.scope.level === 'GROUP' ? <ScheduleWarning linkToSettings /> : null}

      <HomeCounts />

      {shortcuts.length > 0 ? (
        <section aria-labelledby="home-shortcuts">
          <h2 className="section-title" id="home-shortcuts">
            {t('home.shortcuts')}
          </h2>
          <div className="shortcut-grid">
            {shortcuts.map((e) => (
              <Link key={e.key} to={e.path} className="shortcut">
                <span className="shortcut-icon">
                  <Icon name={e.icon} size={20} />
                </span>
                <span className="shortcut-text">
                  <span className="shortcut-title">{t(e.labelKey)}</span>
                  <span className="shortcut-desc">{t(e.descriptionKey)}</span>
                </span>
              </Link>
            ))}
          </div>
        </section>
      ) : null}
    </div>
  );
}
