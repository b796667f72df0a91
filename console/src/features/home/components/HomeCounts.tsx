/**
 * The role's counts on antd Statistic cards: each names what it counts, explains it in a tooltip,
 * and links to the list of exactly those records (/home/<key>, the count's own list query). Polled
 * every 30 s and on focus; the time of the last answer shows in the project's zone.
 */
import { InfoCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Skeleton, Statistic, Tooltip } from 'antd';
import { formatDateTimeSeconds } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Link } from '../../../router.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useHome, type HomeCount } from '../api.js';

export const homeListPath = (key: HomeCount['key']) => `/home/${encodeURIComponent(key)}`;

export function HomeCounts() {
  const { t, lang } = useI18n();
  const home = useHome();
  return (
    <section aria-labelledby="home-counts" className={home.isFetching ? 'is-refreshing' : undefined}>
      <div className="home-counts-head">
        <h2 className="section-title" id="home-counts">
          {t('home.counts')}
        </h2>
        {home.data ? (
          <span className="muted" data-testid="home-updated">
            {t('home.updated', { time: formatDateTimeSeconds(new Date(home.dataUpdatedAt), lang) })}
          </span>
        ) : null}
        <Button size="small" type="text" icon={<ReloadOutlined />} aria-label={t('home.refresh')} title={t('home.refresh')} onClick={() => void home.refetch()} />
      </div>
      <ProblemAlert error={home.error} onRetry={() => void home.refetch()} />
      {home.isPending ? (
        <div className="home-counts is-loading">
          <Skeleton active paragraph={{ rows: 1 }} />
        </div>
      ) : home.data && home.data.counts.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span className="muted">{t('home.noCounts')}</span>} />
      ) : (
        <div className="home-counts">
          {home.data?.counts.map((c) => (
            <Card key={c.key} size="small" className="home-count" data-testid="home-count" data-key={c.key} data-count={c.count}>
              <Statistic
                title={
                  <span className="home-count-title">
                    <Link to={homeListPath(c.key)} data-testid="home-count-link">
                      {t(`home.count.${c.key}`)}
                    </Link>
                    <Tooltip title={t(`home.count.${c.key}.tip`)}>
                      <Button
                        type="text"
                        size="small"
                        icon={<InfoCircleOutlined />}
                        aria-label={t(`home.count.${c.key}.tip`)}
                        data-testid="home-count-tip"
                      />
                    </Tooltip>
                  </span>
                }
                value={c.count}
                valueStyle={c.count > 0 && /overdue|Overdue|breached/i.test(c.key) ? { color: '#a8071a' } : undefined}
              />
            </Card>
          ))}
        </div>
      )}
    </section>
  );
}
