/**
 * A project: its facts, its buildings' completion acceptance (components/Buildings), its units by status (on the list kit: the status and page in the address),
 * and its construction-progress notes (components/ProgressNotes).
 */
import { Card, Descriptions } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { UNIT_STATUSES, type Unit, type UnitStatus } from '../../../../../api/org/schemas.js';
import type { User } from '../../../api.js';
import { formatArea, formatCalendarDate, formatMoney, formatNumber } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Link } from '../../../router.js';
import { StatusTag } from '../../../shared/StatusTag.js';
import { DataTable, type DataColumn } from '../../../shared/table/DataTable.js';
import { FilterBar } from '../../../shared/table/FilterBar.js';
import { useListParams } from '../../../shared/table/useListParams.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useProject, useUnits } from '../api.js';
import { ProgressNotes } from '../components/ProgressNotes.js';
import { Buildings } from '../components/Buildings.js';

const SORTS = ['default'] as const;

export function ProjectDetailPage({ id, user }: { id: string; user: User }) {
  const { t, lang } = useI18n();
  const params = useListParams({ status: '' }, SORTS);
  const status = (UNIT_STATUSES as readonly string[]).includes(params.get('status')) ? (params.get('status') as UnitStatus) : undefined;
  const project = useProject(id);
  const units = useUnits(id, { page: params.page, pageSize: params.pageSize, status });

  const columns: DataColumn<Unit>[] = [
    { key: 'building', title: t('units.building'), width: 120, render: (_, u) => u.buildingName },
    { key: 'number', title: t('units.number'), always: true, width: 100, render: (_, u) => <span className="mono">{u.number}</span> },
    { key: 'floor', title: t('units.floor'), align: 'right', width: 80, render: (_, u) => u.floor },
    { key: 'area', title: t('units.area'), align: 'right', width: 120, render: (_, u) => formatArea(u.area, lang) },
    { key: 'status', title: t('units.status'), always: true, width: 100, render: (_, u) => <StatusTag kind="unit" status={u.status} /> },
  ];

  const p = project.data;
  return (
    <div className="page">
      <div className="breadcrumbs">
        <Link to="/projects" className="back-link">
          <ArrowLeftOutlined aria-hidden /> {t('projects.backToList')}
        </Link>
      </div>
      {project.error ? <ProblemAlert error={project.error} onRetry={() => void project.refetch()} /> : null}
      <Card title={<h2 className="card-title-h">{p ? p.name : t('table.loading')}</h2>} loading={project.isLoading}>
        {p ? (
          <Descriptions
            data-testid="project-detail"
            size="small"
            column={{ xs: 1, sm: 2, lg: 3 }}
            items={[
              { key: 'code', label: t('projects.code'), children: <span className="mono">{p.code}</span> },
              { key: 'company', label: t('projects.company'), children: p.companyName },
              { key: 'city', label: t('projects.city'), children: p.city ?? '—' },
              { key: 'tz', label: t('projects.timeZone'), children: p.timeZone },
              { key: 'warranty', label: t('projects.warranty'), children: formatMoney(p.warrantyAuthorisationAmount, lang) },
              { key: 'delivery', label: t('projects.deliveryDate'), children: formatCalendarDate(p.deliveryDate, lang) },
              { key: 'units', label: t('projects.units'), children: formatNumber(p.unitCount, lang) },
            ]}
          />
        ) : null}
      </Card>

      <Buildings projectId={id} user={user} />

      <ProgressNotes projectId={id} user={user} timeZone={p?.timeZone} />

      <Card title={<h2 className="card-title-h">{t('units.title')}</h2>}>
        <FilterBar
          id="units"
          params={params}
          filters={[{ name: 'status', label: t('units.filterStatus'), value: status ?? '', width: 120, options: [{ value: '', label: t('common.all') }, ...UNIT_STATUSES.map((s) => ({ value: s, label: t(`unitStatus.${s}` as const) }))] }]}
        />
        {units.error ? <ProblemAlert error={units.error} onRetry={() => void units.refetch()} /> : null}
        <DataTable<Unit, 'default'>
          id="units"
          rowKey="id"
          columns={columns}
          rows={units.data?.items}
          total={units.data?.total ?? 0}
          loading={units.isLoading}
          params={params}
          defaultSort="default"
        />
      </Card>
    </div>
  );
}
