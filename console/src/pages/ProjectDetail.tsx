import { useId, useState } from 'react';
import { api, UNIT_STATUSES, type Unit, type UnitStatus } from '../api.js';
import { formatArea, formatCalendarDate, formatMoney, formatNumber } from '../format.js';
import { useI18n } from '../i18n.js';
import { Icon } from '../icons.js';
import { Link } from '../router.js';
import { Badge, Card, DataTable, Pagination, ProblemAlert, useAsync, usePaging, type BadgeTone, type Column } from '../ui.js';

const UNIT_TONE: Record<UnitStatus, BadgeTone> = { AVAILABLE: 'green', RESERVED: 'amber', SOLD: 'blue', DELIVERED: 'grey' };

export function ProjectDetailPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const [status, setStatus] = useState<UnitStatus | ''>('');
  const { page, pageSize, setPage, setPageSize } = usePaging();
  const statusId = useId();
  const project = useAsync((signal) => api.project(id, signal), [id]);
  const units = useAsync((signal) => api.units(id, { page, pageSize, status: status || undefined }, signal), [id, page, pageSize, status]);

  const columns: Column<Unit>[] = [
    { key: 'building', header: t('units.building'), render: (u) => u.buildingName },
    { key: 'number', header: t('units.number'), render: (u) => <span className="mono">{u.number}</span> },
    { key: 'floor', header: t('units.floor'), className: 'num', render: (u) => u.floor },
    { key: 'area', header: t('units.area'), className: 'num', render: (u) => formatArea(u.area, lang) },
    { key: 'status', header: t('units.status'), render: (u) => <Badge tone={UNIT_TONE[u.status]}>{t(`unitStatus.${u.status}` as const)}</Badge> },
  ];

  const p = project.data;
  return (
    <div className="page">
      <div className="breadcrumbs">
        <Link to="/projects" className="back-link">
          <Icon name="back" size={16} /> {t('projects.backToList')}
        </Link>
      </div>
      <ProblemAlert error={project.error} onRetry={project.reload} />
      <Card title={p ? `${p.name}` : t('table.loading')}>
        {p ? (
          <dl className="detail-grid" data-testid="project-detail">
            <div>
              <dt>{t('projects.code')}</dt>
              <dd className="mono">{p.code}</dd>
            </div>
            <div>
              <dt>{t('projects.company')}</dt>
              <dd>{p.companyName}</dd>
            </div>
            <div>
              <dt>{t('projects.city')}</dt>
              <dd>{p.city ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('projects.timeZone')}</dt>
              <dd>{p.timeZone}</dd>
            </div>
            <div>
              <dt>{t('projects.warranty')}</dt>
              <dd>{formatMoney(p.warrantyAuthorisationAmount, lang)}</dd>
            </div>
            <div>
              <dt>{t('projects.deliveryDate')}</dt>
              <dd>{formatCalendarDate(p.deliveryDate, lang)}</dd>
            </div>
            <div>
              <dt>{t('projects.units')}</dt>
              <dd>{formatNumber(p.unitCount, lang)}</dd>
            </div>
          </dl>
        ) : null}
      </Card>

      <Card
        title={t('units.title')}
        actions={
          <div className="inline-field">
            <label htmlFor={statusId}>{t('units.filterStatus')}</label>
            <select
              id={statusId}
              name="status"
              value={status}
              onChange={(e) => {
                setStatus(e.target.value as UnitStatus | '');
                setPage(1);
              }}
            >
              <option value="">{t('common.all')}</option>
              {UNIT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`unitStatus.${s}` as const)}
                </option>
              ))}
            </select>
          </div>
        }
      >
        <ProblemAlert error={units.error} onRetry={units.reload} />
        <DataTable testId="units-table" columns={columns} rows={units.data?.items} rowKey={(u) => u.id} loading={units.loading} />
        <Pagination page={page} pageSize={pageSize} total={units.data?.total ?? 0} onPage={setPage} onPageSize={setPageSize} />
      </Card>
    </div>
  );
}
