/**
 * 销售看板 (sales managers, managers): sales subscribed in a period — the pipeline by stage (count
 * and value), the same sales by stage, project or owner with where they went, lapse and
 * cancellation reasons, mortgage turnaround and handover defects per unit — on ECharts, every
 * figure explained by a tooltip, with a CSV download in the user's language. Money is summed in
 * fen (BigInt), never in binary floats.
 */
import { useMemo } from 'react';
import { Card, Typography, type TableColumnsType } from 'antd';
import { SALE_STAGES, type SaleStage } from '../../../../../domain/sales/types.js';
import type { User } from '../../../api.js';
import { useI18n } from '../../../i18n.js';
import { fenOf, formatFen, pctOfFen, sumFen, yuan } from '../../sales/model.js';
import { Chart, CHART_COLORS, type ChartOption } from '../../../shared/Chart.js';
import { Figure, Kpi } from '../../../shared/Figure.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useCsvDownload, SALE_GROUPS, useSalesReport, type SalesReportRow } from '../api.js';
import { ReportFilters, useReportFilters } from '../components/ReportFilters.js';
import { ReportPage, ReportTable } from '../components/ReportPage.js';
import { formatCount, formatDecimal, formatPct } from '../figures.js';
import '../i18n.js';
import '../reports.css';

const STAGE_COLOR: Record<SaleStage, string> = {
  subscribed: '#69b1ff',
  contracted: CHART_COLORS.blue,
  paying: CHART_COLORS.gold,
  mortgage_pending: '#ad6800',
  paid: CHART_COLORS.cyan,
  inspection: '#722ed1',
  handed_over: CHART_COLORS.green,
  lapsed: CHART_COLORS.red,
  cancelled: CHART_COLORS.grey,
};

/** Where the sales of a group went, in stacking order. */
const OUTCOMES = [
  { key: 'handedOver', color: CHART_COLORS.green, labelKey: 'report.sale.handedOver' },
  { key: 'live', color: CHART_COLORS.blue, labelKey: 'report.sale.live' },
  { key: 'lapsed', color: CHART_COLORS.red, labelKey: 'report.sale.lapsed' },
  { key: 'cancelled', color: CHART_COLORS.grey, labelKey: 'report.sale.cancelled' },
] as const;

/** Fen as a plain decimal string (`123456` → `"1234.56"`), for the totals row. */
function formatFenPlain(fen: bigint): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export function SaleReportPage(_props: { user: User }) {
  const { t, lang } = useI18n();
  const filters = useReportFilters({ days: 90, groups: SALE_GROUPS, defaultGroup: 'stage' });
  const { groupBy } = filters;
  const csv = useCsvDownload();
  const query = { ...filters.query, groupBy };
  const report = useSalesReport(query);
  const data = report.data;
  const rows = data?.rows ?? [];
  // The API lists every stage; an older answer may not: fill the gaps with zeros, in lifecycle order.
  const pipeline = SALE_STAGES.map((stage) => data?.pipeline.find((p) => p.stage === stage) ?? { stage, count: 0, value: '0' });

  const totals = {
    sales: rows.reduce((s, r) => s + r.sales, 0),
    live: rows.reduce((s, r) => s + r.live, 0),
    handedOver: rows.reduce((s, r) => s + r.handedOver, 0),
    lapsed: rows.reduce((s, r) => s + r.lapsed, 0),
    cancelled: rows.reduce((s, r) => s + r.cancelled, 0),
    value: sumFen(rows.map((r) => r.value)),
    paid: sumFen(rows.map((r) => r.paid)),
  };

  const groupLabel = (r: SalesReportRow): string => {
    if (r.key === '__total__') return t('report.total');
    if (r.key === null) return groupBy === 'owner' ? t('report.sale.noOwner') : '—';
    if (groupBy === 'stage' && (SALE_STAGES as readonly string[]).includes(r.key)) return t(`saleStage.${r.key as SaleStage}`);
    return r.label || r.key.slice(0, 8);
  };
  const reasonName = (code: string) => (code === 'contract_deadline' ? t('sev.lapse.contract_deadline') : code === 'unspecified' ? t('report.sale.unspecified') : code);

  const exportCsv = () => csv.mutate({ path: '/api/reports/sales', query, filename: `sales-report-${groupBy}-${filters.from}-${filters.to}.csv` });

  const count = (n: number, hintKey: Parameters<typeof t>[0]) => <Figure hint={t(hintKey, { n })}>{formatCount(n, lang)}</Figure>;
  const paidPct = (paid: string, value: string) => pctOfFen(fenOf(paid) ?? 0n, fenOf(value) ?? 0n);
  const paidHint = (paid: string, value: string) =>
    paidPct(paid, value) === null ? t('report.sale.hint.paidPctNone') : t('report.sale.hint.paidPct', { paid: yuan(paid, lang), value: yuan(value, lang), rate: formatPct(paidPct(paid, value), lang) });
  const mortgageText = (median: number | null) => (median === null ? '—' : t('report.sale.halfDays', { n: formatDecimal(median, lang) }));
  const mortgageHint = (median: number | null, p90: number | null) =>
    median === null ? t('report.sale.hint.mortgageNone') : t('report.sale.hint.mortgage', { half: formatDecimal(median, lang), ninety: formatDecimal(p90, lang) });
  const defectsHint = (n: number | null) => (n === null ? t('report.sale.hint.defectsNone') : t('report.sale.hint.defects', { n: formatDecimal(n, lang, 2) }));

  const columns: TableColumnsType<SalesReportRow> = [
    { key: 'group', title: t(`report.sale.groupBy.${groupBy}`), render: (_, r) => <strong>{groupLabel(r)}</strong> },
    { key: 'sales', title: t('report.sale.sales'), align: 'right', render: (_, r) => count(r.sales, 'report.sale.hint.sales') },
    { key: 'live', title: t('report.sale.live'), align: 'right', render: (_, r) => count(r.live, 'report.sale.hint.live') },
    { key: 'handedOver', title: t('report.sale.handedOver'), align: 'right', render: (_, r) => count(r.handedOver, 'report.sale.hint.handedOver') },
    { key: 'lapsed', title: t('report.sale.lapsed'), align: 'right', render: (_, r) => count(r.lapsed, 'report.sale.hint.lapsed') },
    { key: 'cancelled', title: t('report.sale.cancelled'), align: 'right', render: (_, r) => count(r.cancelled, 'report.sale.hint.cancelled') },
    { key: 'value', title: t('report.sale.value'), align: 'right', render: (_, r) => <Figure hint={t('report.sale.hint.value', { v: yuan(r.value, lang) })}>{yuan(r.value, lang)}</Figure> },
    { key: 'paid', title: t('report.sale.paid'), align: 'right', render: (_, r) => <Figure hint={t('report.sale.hint.paid', { v: yuan(r.paid, lang) })}>{yuan(r.paid, lang)}</Figure> },
    { key: 'paidPct', title: t('report.sale.paidPct'), align: 'right', render: (_, r) => <Figure hint={paidHint(r.paid, r.value)}>{formatPct(paidPct(r.paid, r.value), lang)}</Figure> },
    { key: 'mortgages', title: t('report.sale.mortgages'), align: 'right', render: (_, r) => count(r.mortgageCount, 'report.sale.hint.mortgages') },
    {
      key: 'mortgageDays',
      title: t('report.sale.mortgageTime'),
      render: (_, r) => <Figure hint={mortgageHint(r.mortgageMedianDays, r.mortgageP90Days)}>{mortgageText(r.mortgageMedianDays)}</Figure>,
    },
    { key: 'defects', title: t('report.sale.defectsPerUnit'), align: 'right', render: (_, r) => <Figure hint={defectsHint(r.handoverDefectsPerUnit)}>{formatDecimal(r.handoverDefectsPerUnit, lang, 2)}</Figure> },
  ];
  const totalRow: SalesReportRow | null =
    data && rows.length > 0
      ? {
          key: '__total__',
          label: t('report.total'),
          sales: totals.sales,
          live: totals.live,
          handedOver: totals.handedOver,
          lapsed: totals.lapsed,
          cancelled: totals.cancelled,
          value: formatFenPlain(totals.value),
          paid: formatFenPlain(totals.paid),
          mortgageCount: data.mortgage.count,
          mortgageMedianDays: data.mortgage.medianDays,
          mortgageP90Days: data.mortgage.p90Days,
          handoverDefectsPerUnit: data.handover.defectsPerUnit,
        }
      : null;

  return (
    <ReportPage testId="sale-report">
      <Card>
        <ReportFilters
          filters={filters}
          groups={SALE_GROUPS.map((g) => ({ value: g, label: t(`report.sale.groupBy.${g}`) }))}
          projectLabel={t('report.project')}
          exporting={csv.isPending}
          onExport={exportCsv}
          exportTestId="export-sale-report"
        />
        <Typography.Paragraph type="secondary" className="report-intro">
          {t('report.sale.intro')}
        </Typography.Paragraph>
        <ProblemAlert error={csv.error} withCode />
        <ProblemAlert error={report.error} onRetry={() => void report.refetch()} withCode />
        <div className="kpi-grid">
          <Kpi label={t('report.sale.sales')} value={data ? formatCount(totals.sales, lang) : '—'} hint={t('report.sale.hint.sales', { n: totals.sales })} testId="kpi-sales" />
          <Kpi label={t('report.sale.live')} value={data ? formatCount(totals.live, lang) : '—'} hint={t('report.sale.hint.live', { n: totals.live })} testId="kpi-live" />
          <Kpi label={t('report.sale.handedOver')} value={data ? formatCount(totals.handedOver, lang) : '—'} hint={t('report.sale.hint.handedOver', { n: totals.handedOver })} testId="kpi-handed-over" />
          <Kpi label={t('report.sale.value')} value={data ? formatFen(totals.value, lang) : '—'} hint={t('report.sale.hint.value', { v: formatFen(totals.value, lang) })} testId="kpi-value" />
          <Kpi label={t('report.sale.paid')} value={data ? formatFen(totals.paid, lang) : '—'} hint={t('report.sale.hint.paid', { v: formatFen(totals.paid, lang) })} testId="kpi-paid" />
          <Kpi
            label={t('report.sale.paidPct')}
            value={data ? formatPct(pctOfFen(totals.paid, totals.value), lang) : '—'}
            hint={paidHint(formatFenPlain(totals.paid), formatFenPlain(totals.value))}
            testId="kpi-paid-pct"
          />
          <Kpi
            label={t('report.sale.mortgageTime')}
            value={mortgageText(data?.mortgage.medianDays ?? null)}
            hint={mortgageHint(data?.mortgage.medianDays ?? null, data?.mortgage.p90Days ?? null)}
            testId="kpi-mortgage"
            detail={
              data?.mortgage.p90Days != null ? (
                <Figure hint={mortgageHint(data.mortgage.medianDays, data.mortgage.p90Days)}>{t('report.sale.ninetyDays', { n: formatDecimal(data.mortgage.p90Days, lang) })}</Figure>
              ) : null
            }
          />
          <Kpi
            label={t('report.sale.defectsPerUnit')}
            value={data ? formatDecimal(data.handover.defectsPerUnit, lang, 2) : '—'}
            hint={defectsHint(data?.handover.defectsPerUnit ?? null)}
            testId="kpi-defects"
            detail={
              data ? (
                <Figure hint={t('report.sale.hint.defectCounts', { inspection: data.handover.inspectionDefects, handover: data.handover.handoverDefects, units: data.handover.handedOver })}>
                  {t('report.sale.defectCounts', { inspection: data.handover.inspectionDefects, handover: data.handover.handoverDefects })}
                </Figure>
              ) : null
            }
          />
        </div>
      </Card>

      <div className="report-charts">
        <Card title={t('report.sale.pipeline')}>
          <PipelineChart pipeline={pipeline} />
        </Card>
        <Card title={t('report.sale.chartTitle', { group: t(`report.sale.groupBy.${groupBy}`) })}>
          {rows.length === 0 && !report.isLoading ? <Typography.Text type="secondary">{t('report.noData')}</Typography.Text> : <OutcomeChart rows={rows} label={groupLabel} />}
        </Card>
        <Card title={t('report.sale.lapseReasons')}>
          {(data?.lapseReasons.length ?? 0) === 0 ? (
            <Typography.Text type="secondary">{t('report.noData')}</Typography.Text>
          ) : (
            <ReasonChart testId="lapse-chart" label={t('report.sale.lapseLabel')} color={CHART_COLORS.red} rows={(data?.lapseReasons ?? []).map((r) => ({ key: r.reason, n: r.count, name: reasonName(r.reason) }))} />
          )}
        </Card>
        <Card title={t('report.sale.cancellationReasons')}>
          {(data?.cancellationReasons.length ?? 0) === 0 ? (
            <Typography.Text type="secondary">{t('report.noData')}</Typography.Text>
          ) : (
            <ReasonChart testId="cancel-chart" label={t('report.sale.cancelLabel')} color={CHART_COLORS.grey} rows={(data?.cancellationReasons ?? []).map((r) => ({ key: r.reason, n: r.count, name: reasonName(r.reason) }))} />
          )}
        </Card>
      </div>

      <ReportTable<SalesReportRow>
        title={t('report.sale.tableTitle', { group: t(`report.sale.groupBy.${groupBy}`) })}
        testId="sale-report-table"
        columns={columns}
        rows={totalRow ? [...rows, totalRow] : rows}
        totalKey="__total__"
        loading={report.isLoading}
      />
    </ReportPage>
  );
}

/** One bar per stage, as long as its count; the tooltip and the hidden table give the value. */
function PipelineChart({ pipeline }: { pipeline: readonly { stage: SaleStage; count: number; value: string }[] }) {
  const { t, lang } = useI18n();
  const option = useMemo(
    (): ChartOption => ({
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: pipeline.map((p) => t(`saleStage.${p.stage}`)), inverse: true },
      series: [
        {
          type: 'bar' as const,
          name: t('report.sale.count'),
          data: pipeline.map((p) => ({ value: p.count, itemStyle: { color: STAGE_COLOR[p.stage] } })),
          barMaxWidth: 18,
          label: { show: true, position: 'right', formatter: (x) => `${x.value as number} · ${yuan(pipeline[x.dataIndex]!.value, lang)}` },
        },
      ],
    }),
    [pipeline, t, lang],
  );
  return (
    <Chart
      testId="pipeline-chart"
      option={option}
      height={pipeline.length * 30 + 30}
      label={t('report.sale.pipelineLabel')}
      data={{
        columns: [t('report.sale.stage'), t('report.sale.count'), t('report.sale.value')],
        rows: pipeline.map((p) => ({ key: p.stage, attrs: { 'data-stage': p.stage, 'data-count': p.count }, cells: [t(`saleStage.${p.stage}`), formatCount(p.count, lang), yuan(p.value, lang)] })),
      }}
    />
  );
}

/** Per group, one bar as long as its sales, stacked by where they went. */
function OutcomeChart({ rows, label }: { rows: readonly SalesReportRow[]; label: (r: SalesReportRow) => string }) {
  const { t, lang } = useI18n();
  const option = useMemo(
    (): ChartOption => ({
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rows.map(label), inverse: true, axisLabel: { width: 110, overflow: 'truncate' } },
      series: OUTCOMES.map((o) => ({ type: 'bar' as const, stack: 'sales', name: t(o.labelKey), color: o.color, data: rows.map((r) => r[o.key]), barMaxWidth: 22 })),
    }),
    [rows, label, t],
  );
  return (
    <Chart
      testId="outcome-chart"
      option={option}
      height={Math.max(180, rows.length * 36 + 60)}
      label={t('report.sale.chartLabel')}
      data={{
        columns: [t('report.group'), t('report.sale.sales'), ...OUTCOMES.map((o) => t(o.labelKey))],
        rows: rows.map((r) => ({ key: r.key ?? '__none__', attrs: { 'data-key': r.key ?? '' }, cells: [label(r), formatCount(r.sales, lang), ...OUTCOMES.map((o) => formatCount(r[o.key], lang))] })),
      }}
    />
  );
}

function ReasonChart({ rows, color, testId, label }: { rows: readonly { key: string; n: number; name: string }[]; color: string; testId: string; label: string }) {
  const { t, lang } = useI18n();
  const sorted = useMemo(() => [...rows].sort((a, b) => b.n - a.n), [rows]);
  const option = useMemo(
    (): ChartOption => ({
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: sorted.map((r) => r.name), inverse: true, axisLabel: { width: 140, overflow: 'truncate' } },
      series: [{ type: 'bar' as const, name: t('report.sale.count'), color, data: sorted.map((r) => r.n), barMaxWidth: 18 }],
    }),
    [sorted, color, t],
  );
  return (
    <Chart
      testId={testId}
      option={option}
      height={Math.max(120, sorted.length * 30 + 30)}
      label={label}
      data={{
        columns: [t('report.lead.reason'), t('report.sale.count')],
        rows: sorted.map((r, i) => ({ key: `${r.key}-${i}`, attrs: { 'data-reason': r.key }, cells: [r.name, formatCount(r.n, lang)] })),
      }}
    />
  );
}
