import { api, type Company } from '../api.js';
import { formatNumber } from '../format.js';
import { useI18n } from '../i18n.js';
import { Card, DataTable, IconButton, Pagination, ProblemAlert, useAsync, usePaging, type Column } from '../ui.js';

export function CompaniesPage() {
  const { t, lang } = useI18n();
  const { page, pageSize, setPage, setPageSize } = usePaging();
  const list = useAsync((signal) => api.companies({ page, pageSize }, signal), [page, pageSize]);

  const columns: Column<Company>[] = [
    { key: 'code', header: t('companies.code'), render: (c) => <span className="mono">{c.code}</span> },
    { key: 'name', header: t('companies.name'), render: (c) => <strong>{c.name}</strong> },
    { key: 'projects', header: t('companies.projectCount'), className: 'num', render: (c) => formatNumber(c.projectCount, lang) },
  ];

  return (
    <div className="page">
      <Card title={t('companies.title')} actions={<IconButton icon="refresh" label={t('action.refresh')} onClick={list.reload} />}>
        <p className="card-intro muted">{t('companies.intro')}</p>
        <ProblemAlert error={list.error} onRetry={list.reload} />
        <DataTable testId="companies-table" columns={columns} rows={list.data?.items} rowKey={(c) => c.id} loading={list.loading} />
        <Pagination page={page} pageSize={pageSize} total={list.data?.total ?? 0} onPage={setPage} onPageSize={setPageSize} />
      </Card>
    </div>
  );
}
