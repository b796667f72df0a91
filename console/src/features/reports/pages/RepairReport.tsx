/**
 * 维修报表 (managers, supervisors: the SLA report's readers): the work orders created in a period —
 * first-time fix by technician or contractor, repeat repairs of a unit and category within 90 days,
 * defects by responsible contractor, category and building (the product-defect feedback to design
 * and construction), warranty charge-backs by contractor, and each contractor's rating with what to
 * do with its warranty retention (保修尾款: release, release less charge-backs, hold, too little to
 * judge) under the group's thresholds. Each table has its own CSV download in the user's language;
 * the definitions are the server's (api/reports/repair-report.ts, domain/repairs/contractor-rating.ts).
 */
import { useMemo } from 'react';
import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Tag, Typography, type TableColumnsType } from 'antd';
import type { User } from '../../../api.js';
import { useI18n } from '../../../i18n.js';
import { formatDateTime } from '../../../format.js';
import { Chart, CHART_COLORS, type ChartOption } from '../../../shared/Chart.js';
import { Figure, Kpi } from '../../../shared/Figure.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { TONE } from '../../../shared/StatusTag.js';
import { yuan } from '../../sales/model.js';
import { useCsvDownload, useRepairReport, type ChargeBackRow, type ContractorRatingRow, type DefectRow, type FirstTimeFixRow, type RepairReportTable, type RepeatRepair } from '../api.js';
import { ReportFilters, useReportFilters } from '../components/ReportFilters.js';
import { ReportPage, ReportTable } from '../components/ReportPage.js';
import { formatCount, formatPct } from '../figures.js';
import '../i18n.js';
import '../reports.css';

const NO_GROUPS = ['all'] as const;
/** The retention recommendation's colour: release green, deduct amber, hold red, too little to judge the plain tag. */
const RECOMMENDATION_COLOR: Record<ContractorRatingRow['recommendation'], string | undefined> = {
  release: TONE.done,
  deduct: TONE.waiting,
  hold: TONE.alert,
  insufficient_data: undefined,
};
const TOTAL = '__total__';

export function RepairReportPage(_props: { user: User }) {
  const { t, lang } = useI18n();
  const filters = useReportFilters({ days: 90, groups: NO_GROUPS, defaultGroup: 'all' });
  const csv = useCsvDownload();
  const report = useRepairReport(filters.query);
  const data = report.data;
  const loading = report.isLoading;

  const download = (table: RepairReportTable) =>
    csv.mutate({ path: '/api/reports/repairs', query: { ...filters.query, table }, filename: `repair-report-${table}-${filters.from}-${filters.to}.csv` });
  const csvButton = (table: RepairReportTable) => (
    <Button
      size="small"
      icon={<DownloadOutlined />}
      data-testid={`export-repairs-${table}`}
      aria-label={t('report.repair.exportTable', { table: t(`report.repair.table.${table}`) })}
      loading={csv.isPending && (csv.variables?.query as { table?: string } | undefined)?.table === table}
      onClick={() => download(table)}
    >
      CSV
    </Button>
  );

  const ftfRate = (r: FirstTimeFixRow) => (
    <Figure hint={r.done === 0 ? t('report.repair.hint.ftfNone') : t('report.repair.hint.ftf', { fixed: r.firstTimeFixed, done: r.done })}>{formatPct(r.firstTimeFixPct, lang)}</Figure>
  );
  const kindLabel = (r: FirstTimeFixRow) => (r.assigneeKind === null ? '—' : t(`report.repair.kind.${r.assigneeKind}`));
  type FtfView = FirstTimeFixRow & { key: string };
  const ftfRows: FtfView[] = [
    ...(data?.firstTimeFix.byAssignee ?? []).map((r) => ({ ...r, key: `${r.assigneeKind ?? 'none'}:${r.assigneeId ?? ''}` })),
    ...(data && data.firstTimeFix.byAssignee.length > 0 ? [{ ...data.firstTimeFix.overall, key: TOTAL, label: t('report.total') }] : []),
  ];
  const ftfColumns: TableColumnsType<FtfView> = [
    { key: 'assignee', title: t('report.repair.assignee'), render: (_, r) => <strong>{r.label}</strong> },
    { key: 'kind', title: t('report.repair.kind'), render: (_, r) => kindLabel(r) },
    { key: 'done', title: t('report.repair.done'), align: 'right', render: (_, r) => formatCount(r.done, lang) },
    { key: 'fixed', title: t('report.repair.firstTimeFixed'), align: 'right', render: (_, r) => formatCount(r.firstTimeFixed, lang) },
    { key: 'rate', title: t('report.repair.firstTimeFixPct'), align: 'right', render: (_, r) => ftfRate(r) },
    { key: 'reworks', title: t('report.repair.reworks'), align: 'right', render: (_, r) => formatCount(r.reworks, lang) },
    { key: 'noShows', title: t('report.repair.noShows'), align: 'right', render: (_, r) => formatCount(r.noShows, lang) },
    { key: 'late', title: t('report.repair.arrivalBreaches'), align: 'right', render: (_, r) => formatCount(r.arrivalBreaches, lang) },
  ];

  type RepeatView = RepeatRepair & { key: string };
  const repeatRows: RepeatView[] = (data?.repeats.items ?? []).map((r) => ({ ...r, key: r.workOrderId }));
  const repeatColumns: TableColumnsType<RepeatView> = [
    { key: 'number', title: t('report.repair.workOrder'), render: (_, r) => <strong>{r.number}</strong> },
    { key: 'previous', title: t('report.repair.previous'), render: (_, r) => r.previousNumber },
    { key: 'days', title: t('report.repair.daysSince'), align: 'right', render: (_, r) => formatCount(r.daysSincePrevious, lang) },
    { key: 'unit', title: t('report.repair.unit'), render: (_, r) => [r.projectName, r.unitLabel].filter(Boolean).join(' · ') },
    { key: 'category', title: t('report.repair.category'), render: (_, r) => r.categoryLabel },
    { key: 'created', title: t('report.repair.createdAt'), render: (_, r) => formatDateTime(r.createdAt, lang) },
  ];

  const defectRows = (rows: readonly DefectRow[] | undefined) =>
    rows && rows.length > 0 && data ? [...rows, { ...data.defects.total, key: TOTAL, label: t('report.total') }] : [...(rows ?? [])];
  const defectColumns = (group: string): TableColumnsType<DefectRow> => [
    { key: 'group', title: group, render: (_, r) => <strong>{r.label}</strong> },
    { key: 'defects', title: t('report.repair.defects'), align: 'right', render: (_, r) => formatCount(r.defects, lang) },
    { key: 'inWarranty', title: t('report.repair.inWarranty'), align: 'right', render: (_, r) => formatCount(r.inWarranty, lang) },
    { key: 'done', title: t('report.repair.doneDefects'), align: 'right', render: (_, r) => formatCount(r.done, lang) },
    { key: 'repeats', title: t('report.repair.repeats'), align: 'right', render: (_, r) => formatCount(r.repeats, lang) },
  ];

  type ChargeBackView = ChargeBackRow & { key: string };
  const chargeBackRows: ChargeBackView[] = [
    ...(data?.chargeBacks.byContractor ?? []).map((r) => ({ ...r, key: r.contractorCompanyId })),
    ...(data && data.chargeBacks.byContractor.length > 0
      ? [{ key: TOTAL, contractorCompanyId: TOTAL, label: t('report.total'), workOrders: data.chargeBacks.workOrders, amount: data.chargeBacks.total }]
      : []),
  ];
  const chargeBackColumns: TableColumnsType<ChargeBackView> = [
    { key: 'contractor', title: t('report.repair.contractor'), render: (_, r) => <strong>{r.label}</strong> },
    { key: 'orders', title: t('report.repair.chargedBackOrders'), align: 'right', render: (_, r) => formatCount(r.workOrders, lang) },
    { key: 'amount', title: t('report.repair.chargeBackAmount'), align: 'right', render: (_, r) => yuan(r.amount, lang) },
  ];

  type RatingView = ContractorRatingRow & { key: string };
  const ratingRows: RatingView[] = (data?.contractorRatings.byContractor ?? []).map((r) => ({ ...r, key: r.contractorCompanyId }));
  const thresholds = data?.contractorRatings.thresholds;
  const ratingColumns: TableColumnsType<RatingView> = [
    { key: 'contractor', title: t('report.repair.rating.contractor'), render: (_, r) => <strong>{r.label}</strong> },
    {
      key: 'recommendation',
      title: t('report.repair.rating.recommendation'),
      render: (_, r) => (
        <div className="rating-cell">
          <Tag color={RECOMMENDATION_COLOR[r.recommendation]} data-recommendation={r.recommendation}>
            {t(`report.repair.rating.rec.${r.recommendation}`)}
          </Tag>
          {r.recommendation === 'insufficient_data' && thresholds ? (
            <span className="rating-why">{t('report.repair.rating.hint.insufficient', { done: r.done, minDone: thresholds.minDoneOrders })}</span>
          ) : null}
          {r.shortfalls.map((f) => (
            <span key={f} className="rating-why">
              {t(`report.repair.rating.shortfall.${f}`)}
            </span>
          ))}
        </div>
      ),
    },
    { key: 'deduct', title: t('report.repair.rating.deduct'), align: 'right', render: (_, r) => yuan(r.deductAmount, lang) },
    {
      key: 'score',
      title: t('report.repair.rating.score'),
      align: 'right',
      render: (_, r) => (r.score === null ? '—' : <Figure hint={t('report.repair.rating.hint.score')}>{formatCount(r.score, lang)}</Figure>),
    },
    { key: 'done', title: t('report.repair.done'), align: 'right', render: (_, r) => formatCount(r.done, lang) },
    {
      key: 'ftf',
      title: t('report.repair.firstTimeFixPct'),
      align: 'right',
      render: (_, r) => <Figure hint={r.done === 0 ? t('report.repair.hint.ftfNone') : t('report.repair.hint.ftf', { fixed: r.firstTimeFixed, done: r.done })}>{formatPct(r.firstTimeFixPct, lang)}</Figure>,
    },
    {
      key: 'late',
      title: t('report.repair.rating.latePct'),
      align: 'right',
      render: (_, r) => (r.visits === 0 ? '—' : <Figure hint={t('report.repair.rating.hint.late', { late: r.arrivalBreaches, visits: r.visits })}>{formatPct(r.latePct, lang)}</Figure>),
    },
    {
      key: 'rejected',
      title: t('report.repair.rating.rejectedPct'),
      align: 'right',
      render: (_, r) =>
        r.done + r.reworks === 0 ? '—' : <Figure hint={t('report.repair.rating.hint.rejected', { rejected: r.reworks, asked: r.done + r.reworks })}>{formatPct(r.rejectedPct, lang)}</Figure>,
    },
    { key: 'defects', title: t('report.repair.defects'), align: 'right', render: (_, r) => formatCount(r.defects, lang) },
  ];

  const overall = data?.firstTimeFix.overall;
  return (
    <ReportPage testId="repair-report">
      <Card>
        <ReportFilters filters={filters} groups={[]} projectLabel={t('report.project')} exporting={csv.isPending} exportTestId="export-repairs" />
        <Typography.Paragraph type="secondary" className="report-intro">
          {t('report.repair.intro')}
        </Typography.Paragraph>
        <ProblemAlert error={csv.error} withCode />
        <ProblemAlert error={report.error} onRetry={() => void report.refetch()} withCode />
        <div className="kpi-grid">
          <Kpi label={t('report.repair.workOrders')} value={data ? formatCount(data.workOrders, lang) : '—'} hint={t('report.repair.hint.workOrders', { n: data?.workOrders ?? 0 })} testId="kpi-work-orders" />
          <Kpi
            label={t('report.repair.firstTimeFixPct')}
            value={overall ? formatPct(overall.firstTimeFixPct, lang) : '—'}
            hint={!overall || overall.done === 0 ? t('report.repair.hint.ftfNone') : t('report.repair.hint.ftf', { fixed: overall.firstTimeFixed, done: overall.done })}
            testId="kpi-ftf"
          />
          <Kpi label={t('report.repair.repeats')} value={data ? formatCount(data.repeats.count, lang) : '—'} hint={t('report.repair.hint.repeats', { n: data?.repeats.count ?? 0 })} testId="kpi-repeats" />
          <Kpi label={t('report.repair.defects')} value={data ? formatCount(data.defects.total.defects, lang) : '—'} hint={t('report.repair.hint.defects', { n: data?.defects.total.defects ?? 0 })} testId="kpi-defects" />
          <Kpi label={t('report.repair.chargeBackAmount')} value={data ? yuan(data.chargeBacks.total, lang) : '—'} hint={t('report.repair.hint.chargeBacks', { n: data?.chargeBacks.workOrders ?? 0 })} testId="kpi-charge-backs" />
        </div>
      </Card>

      <div className="report-charts">
        <Card title={t('report.repair.categoryChart')}>
          {(data?.defects.byCategory.length ?? 0) === 0 ? (
            <Typography.Text type="secondary">{t('report.noData')}</Typography.Text>
          ) : (
            <DefectChart rows={data!.defects.byCategory} />
          )}
        </Card>
      </div>

      <ReportTable<FtfView> title={t('report.repair.table.first-time-fix')} extra={csvButton('first-time-fix')} testId="repair-ftf-table" columns={ftfColumns} rows={ftfRows} totalKey={TOTAL} loading={loading} />
      <ReportTable<RepeatView>
        title={t('report.repair.table.repeats')}
        extra={csvButton('repeats')}
        note={
          data && data.repeats.count > data.repeats.items.length ? (
            <Typography.Paragraph type="secondary">{t('report.repair.repeatsCapped', { shown: data.repeats.items.length, n: data.repeats.count })}</Typography.Paragraph>
          ) : null
        }
        testId="repair-repeats-table"
        columns={repeatColumns}
        rows={repeatRows}
        totalKey={TOTAL}
        loading={loading}
      />
      <ReportTable<DefectRow> title={t('report.repair.table.contractors')} extra={csvButton('contractors')} testId="repair-contractors-table" columns={defectColumns(t('report.repair.contractor'))} rows={defectRows(data?.defects.byContractor)} totalKey={TOTAL} loading={loading} />
      <ReportTable<DefectRow> title={t('report.repair.table.categories')} extra={csvButton('categories')} testId="repair-categories-table" columns={defectColumns(t('report.repair.category'))} rows={defectRows(data?.defects.byCategory)} totalKey={TOTAL} loading={loading} />
      <ReportTable<DefectRow> title={t('report.repair.table.buildings')} extra={csvButton('buildings')} testId="repair-buildings-table" columns={defectColumns(t('report.repair.building'))} rows={defectRows(data?.defects.byBuilding)} totalKey={TOTAL} loading={loading} />
      <ReportTable<ChargeBackView> title={t('report.repair.table.charge-backs')} extra={csvButton('charge-backs')} testId="repair-charge-backs-table" columns={chargeBackColumns} rows={chargeBackRows} totalKey={TOTAL} loading={loading} />
      <ReportTable<RatingView>
        title={t('report.repair.table.contractor-ratings')}
        extra={csvButton('contractor-ratings')}
        note={
          thresholds ? (
            <Typography.Paragraph type="secondary" className="report-note" data-testid="repair-ratings-rule">
              {t('report.repair.rating.rule', { minDone: thresholds.minDoneOrders, minFtf: thresholds.minFirstTimeFixPct, maxLate: thresholds.maxLatePct, maxRejected: thresholds.maxRejectedPct })}
            </Typography.Paragraph>
          ) : null
        }
        testId="repair-ratings-table"
        columns={ratingColumns}
        rows={ratingRows}
        totalKey={TOTAL}
        loading={loading}
      />
    </ReportPage>
  );
}

/** Defects per category, split in and out of the owner's warranty. */
function DefectChart({ rows }: { rows: readonly DefectRow[] }) {
  const { t, lang } = useI18n();
  const option = useMemo(
    (): ChartOption => ({
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rows.map((r) => r.label), inverse: true, axisLabel: { width: 140, overflow: 'truncate' } },
      series: [
        { type: 'bar' as const, stack: 'defects', name: t('report.repair.inWarranty'), color: CHART_COLORS.blue, data: rows.map((r) => r.inWarranty), barMaxWidth: 18 },
        { type: 'bar' as const, stack: 'defects', name: t('report.repair.outOfWarranty'), color: CHART_COLORS.gold, data: rows.map((r) => r.defects - r.inWarranty), barMaxWidth: 18 },
      ],
    }),
    [rows, t],
  );
  return (
    <Chart
      testId="repair-category-chart"
      option={option}
      height={Math.max(160, rows.length * 32 + 60)}
      label={t('report.repair.categoryChartLabel')}
      data={{
        columns: [t('report.repair.category'), t('report.repair.defects'), t('report.repair.inWarranty'), t('report.repair.outOfWarranty')],
        rows: rows.map((r) => ({
          key: r.key ?? '__none__',
          attrs: { 'data-key': r.key ?? '', 'data-defects': r.defects },
          cells: [r.label, formatCount(r.defects, lang), formatCount(r.inWarranty, lang), formatCount(r.defects - r.inWarranty, lang)],
        })),
      }}
    />
  );
}
