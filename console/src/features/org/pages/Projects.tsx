/**
 * 项目: the projects the user may see, found by name or code, filtered by company (administrators
 * and group staff), on the list kit: filters and page in the address, a column chooser, rows that
 * open the project.
 */
import { Button, Card, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import type { Project, User } from '../../../api.js';
import { formatCalendarDate, formatMoney, formatNumber } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Link } from '../../../router.js';
import { DataTable, type DataColumn } from '../../../shared/table/DataTable.js';
import { FilterBar } from '../../../shared/table/FilterBar.js';
import { useListParams } from '../../../shared/table/useListParams.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useAllCompanies, useProjects } from '../api.js';

const SORTS = ['default'] as const;
const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });
export const projectPath = (id: string) => `/projects/${encodeURIComponent(id)}`;

export function ProjectsPage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const params = useListParams({ q: '', companyId: '' }, SORTS);
  const q = params.get('q');
  const companyId = params.get('companyId');
  // Only someone who sees more than one company needs the company filter.
  const companies = useAllCompanies();
  const showCompanies = user.scope.level === 'GROUP' && (companies.data?.length ?? 0) > 1;
  const list = useProjects({ page: params.page, pageSize: params.pageSize, q: q || undefined, companyId: companyId || undefined });

  const columns: DataColumn<Project>[] = [
    { key: 'code', title: t('projects.code'), width: 110, render: (_, p) => <span className="mono">{p.code}</span> },
    {
      key: 'name',
      title: t('projects.name'),
      always: true,
      width: 160,
      render: (_, p) => (
        <Link to={projectPath(p.id)} className="strong-link" onClick={(e) => e.stopPropagation()}>
          {p.name}
        </Link>
      ),
    },
    { key: 'company', title: t('projects.company'), width: 140, render: (_, p) => p.companyName },
    { key: 'city', title: t('projects.city'), width: 100, render: (_, p) => p.city ?? '—' },
    { key: 'tz', title: t('projects.timeZone'), optional: true, width: 140, render: (_, p) => <Typography.Text type="secondary">{p.timeZone}</Typography.Text> },
    { key: 'warranty', title: t('projects.warranty'), align: 'right', width: 130, onCell: nowrap, render: (_, p) => formatMoney(p.warrantyAuthorisationAmount, lang) },
    { key: 'delivery', title: t('projects.deliveryDate'), width: 130, onCell: nowrap, render: (_, p) => formatCalendarDate(p.deliveryDate, lang) },
    { key: 'units', title: t('projects.units'), align: 'right', width: 90, render: (_, p) => formatNumber(p.unitCount, lang) },
  ];

  return (
    <div className="page">
      <Card
        title={<h2 className="card-title-h">{t('projects.title')}</h2>}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isFetching && !list.isLoading}>
            {t('action.refresh')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('projects.intro')}</Typography.Paragraph>
        <FilterBar
          id="projects"
          params={params}
          search={{ name: 'q', label: t('projects.search'), width: 280, maxLength: 50 }}
          filters={[
            showCompanies && {
              name: 'companyId',
              id: 'projects-company',
              label: t('projects.company'),
              width: 180,
              search: true,
              options: [{ value: '', label: t('common.all') }, ...(companies.data ?? []).map((c) => ({ value: c.id, label: c.name }))],
            },
          ]}
        />
        {list.error ? <ProblemAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
        <DataTable<Project, 'default'>
          id="projects"
          rowKey="id"
          columns={columns}
          rows={list.data?.items}
          total={list.data?.total ?? 0}
          loading={list.isLoading}
          params={params}
          defaultSort="default"
          rowHref={(p) => projectPath(p.id)}
          emptyText={q ? t('projects.noMatch', { q }) : undefined}
        />
      </Card>
    </div>
  );
}
