import { api, type Project } from '../api.js';
import { formatCalendarDate, formatMoney, formatNumber } from '../format.js';
import { useI18n } from '../i18n.js';
import { Link, navigate } from '../router.js';
import { Card, DataTable, Pagination, ProblemAlert, IconButton, useAsync, usePaging, type Column } from '../ui.js';

export function ProjectsPage() {
  const { t, lang } = useI18n();
  const { page, pageSize, setPage, setPageSize } = usePaging();
  const list = useAsync((signal) => api.projects({ page, pageSize }, signal), [page, pageSize]);

  const columns: Column<Project>[] = [
    { key: 'code', header: t('projects.code'), render: (p) => <span className="mono">{p.code}</span> },
    {
      key: 'name',
      header: t('projects.name'),
      render: (p) => (
        <Link to={`/projects/${encodeURIComponent(p.id)}`} className="strong-link" onClick={(e) => e.stopPropagation()}>
          {p.name}
        </Link>
      ),
    },
    { key: 'company', header: t('projects.company'), render: (p) => p.companyName },
    { key: 'city', header: t('projects.city'), render: (p) => p.city ?? '—' },
    { key: 'tz', header: t('projects.timeZone'), render: (p) => <span className="muted">{p.timeZone}</span> },
    { key: 'warranty', header: t('projects.warranty'), className: 'num nowrap', render: (p) => formatMoney(p.warrantyAuthorisationAmount, lang) },
    { key: 'delivery', header: t('projects.deliveryDate'), className: 'nowrap', render: (p) => formatCalendarDate(p.deliveryDate, lang) },
    { key: 'units', header: t('projects.units'), className: 'num', render: (p) => formatNumber(p.unitCount, lang) },
  ];

  return (
    <div className="page">
      <Card title={t('projects.title')} actions={<IconButton icon="refresh" label={t('action.refresh')} onClick={list.reload} />}>
        <p className="card-intro muted">{t('projects.intro')}</p>
        <ProblemAlert error={list.error} onRetry={list.reload} />
        <DataTable
          testId="projects-table"
          columns={columns}
          rows={list.data?.items}
          rowKey={(p) => p.id}
          loading={list.loading}
          onRowClick={(p) => navigate(`/projects/${encodeURIComponent(p.id)}`)}
        />
        <Pagination page={page} pageSize={pageSize} total={list.data?.total ?? 0} onPage={setPage} onPageSize={setPageSize} />
      </Card>
    </div>
  );
}
