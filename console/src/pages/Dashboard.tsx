import { useEffect, useState } from 'react';
import type { User } from '../api.js';
import { DEFAULT_TIME_ZONE, formatDateTimeSeconds, formatLongDate, hourIn } from '../format.js';
import { useI18n, type MessageKey } from '../i18n.js';
import { Icon } from '../icons.js';
import { scopeLabel, useOrgLookups } from '../lookups.js';
import { navFor } from '../nav.js';
import { Link } from '../router.js';

function useNow(intervalMs: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function greetingKey(hour: number): MessageKey {
  if (hour < 5) return 'dashboard.greeting.night';
  if (hour < 12) return 'dashboard.greeting.morning';
  if (hour < 18) return 'dashboard.greeting.afternoon';
  return 'dashboard.greeting.evening';
}

export function DashboardPage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const now = useNow(1000);
  const lookups = useOrgLookups();
  const shortcuts = navFor(user.role).filter((e) => e.key !== 'dashboard');

  return (
    <div className="page">
      <section className="hero-card">
        <div>
          <h2 className="hero-title" data-testid="greeting">
            {t(greetingKey(hourIn(now, DEFAULT_TIME_ZONE)), { name: user.displayName })}
          </h2>
          <p className="hero-sub">{t('dashboard.intro')}</p>
        </div>
        <div className="hero-clock" aria-live="off">
          <div className="hero-clock-time" data-testid="current-time" data-time-zone={DEFAULT_TIME_ZONE}>
            {formatDateTimeSeconds(now, lang, DEFAULT_TIME_ZONE)}
          </div>
          <div className="hero-clock-date">{formatLongDate(now, lang, DEFAULT_TIME_ZONE)}</div>
          <div className="hero-clock-zone">
            <Icon name="clock" size={14} /> {t('header.timeZone', { tz: DEFAULT_TIME_ZONE })}
          </div>
        </div>
      </section>

      <div className="stat-grid">
        <div className="stat">
          <div className="stat-label">{t('dashboard.yourRole')}</div>
          <div className="stat-value" data-testid="dashboard-role">
            {t(`role.${user.role}` as const)}
          </div>
          <div className="stat-foot">{t(`role.${user.role}.desc` as const)}</div>
        </div>
        <div className="stat">
          <div className="stat-label">{t('dashboard.yourScope')}</div>
          <div className="stat-value" data-testid="dashboard-scope">
            {scopeLabel(user.scope, lookups, t)}
          </div>
          <div className="stat-foot">{t(`scope.${user.scope.level}.desc` as const)}</div>
        </div>
        <div className="stat">
          <div className="stat-label">{t('dashboard.account')}</div>
          <div className="stat-value mono">{user.username}</div>
          <div className="stat-foot">{user.email ?? t('common.noEmail')}</div>
        </div>
      </div>

      {shortcuts.length > 0 ? (
        <section>
          <h2 className="section-title">{t('dashboard.shortcuts')}</h2>
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
