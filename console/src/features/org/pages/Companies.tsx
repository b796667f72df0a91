/** 公司: the group's regional companies with their project counts, on the list kit (page in the address). */
import { Button, Card, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import type { Company } from '../../../api.js';
import { formatNumber } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { DataTable, type DataColumn } from '../../../shared/table/DataTable.js';
import { useListParams } from '../../../shared/table/useListParams.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useCompanies } from '../api.js';

const SORTS = ['default'] as const;

export function CompaniesPage() {
  const { t, lang } = useI18n();
  const params = useListParams({}, SORTS);
  const list = useCompanies({ page: params.page, pageSize: params.pageSize });

  const columns: DataColumn<Company>[] = [
    { key: 'code', title: t('companies.code'), always: true, width: 120, render: (_, c) => <span className="mono">{c.code}</span> },
    { key: 'name', title: t('companies.name'), always: true, width: 220, render: (_, c) => <strong>{c.name}</strong> },
    { key: 'projects', title: t('companies.projectCount'), align: 'right', width: 120, render: (_, c) => formatNumber(c.projectCount, lang) },
  ];

  return (
    <div className="page">
      <Card
        title={<h2 className="card-title-h">{t('companies.title')}</h2>}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isFetching && !list.isLoading}>
            {t('action.refresh')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('companies.intro')}</Typography.Paragraph>
        {list.error ? <ProblemAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
        <DataTable<Company, 'default'>
          id="companies"
          rowKey="id"
          columns={columns}
          rows={list.data?.items}
          total={list.data?.total ?? 0}
          loading={list.isLoading}
          params={params}
          defaultSort="default"
        />
      </Card>
    </div>
  );
}
