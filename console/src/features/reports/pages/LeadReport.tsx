/**
 * 线索报表 (sales managers, managers): leads registered in a period by source, grade, owner or
 * project — where they went (converted, still followed up, in the pool, lost), contacted within
 * target and conversion, typical days to convert, the loss reasons — on ECharts, every figure
 * explained by a tooltip, with a CSV download in the user's language.
 */
import { useMemo } from 'react';
import { Card, Typography, type TableColumnsType } from 'antd';
import { GRADES, LEAD_SOURCES, type Grade, type LeadSource } from '../../../../../domain/leads/types.js';
import type { User } from '../../../api.js';
import { useI18n } from '../../../i18n.js';
import { lossReasonName, useLossReasons } from '../../leads/components/lead-ui.js';
import { Chart, CHART_COLORS, type ChartOption } from '../../../shared/Chart.js';
import { Figure, Kpi } from '../../../shared/Figure.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useCsvDownload, LEAD_GROUPS, useLeadReport, type LeadReportRow } from '../api.js';
import { ReportFilters, useReportFilters } from '../components/ReportFilters.js';
import { ReportPage, ReportTable } from '../components/ReportPage.js';
import { formatCount, formatDecimal, formatPct } from '../figures.js';
import '../i18n.js';
import '../reports.css';

/** Where the leads of a group went, in stacking order. */
const OUTCOMES = [
  { key: 'converted', color: CHART_COLORS.green, labelKey: 'report.lead.converted' },
  { key: 'inCadence', color: CHART_COLORS.blue, labelKey: 'report.lead.inCadence' },
  { key: 'pooled', color: CHART_COLORS.gold, labelKey: 'report.lead.pooled' },
  { key: 'lost', color: CHART_COLORS.red, labelKey: 'report.lead.lost' },
] as const;

function split(r: LeadReportRow): Record<(typeof OUTCOMES)[number]['key'], number> {
  return { converted: r.converted, inCadence: Math.max(0, r.open - r.pooled), pooled: r.pooled, lost: r.lost };
}

export function LeadReportPage(_props: { user: User }) {
  const { t, lang } = useI18n();
  const { reasons } = useLossReasons();
  const filters = useReportFilters({ days: 30, groups: LEAD_GROUPS, defaultGroup: 'source' });
  const { groupBy } = filters;
  const csv = useCsvDownload();
  const query = { ...filters.query, groupBy };
  const report = useLeadReport(query);
  const rows = report.data?.groups ?? [];
  const totals = report.data?.totals ?? null;

  const groupLabel = (r: LeadReportRow): string => {
    if (r.key === null) return groupBy === 'owner' ? t('report.lead.noOwner') : '—';
    if (r.key === 'all') return t('report.total');
    if (groupBy === 'source' && (LEAD_SOURCES as readonly string[]).includes(r.key)) return t(`source.${r.key as LeadSource}`);
    if (groupBy === 'grade' && (GRADES as readonly string[]).includes(r.key)) return t(`grade.${r.key as Grade}`);
    return r.label || r.key.slice(0, 8);
  };

  const exportCsv = () => csv.mutate({ path: '/api/reports/leads', query, filename: `lead-report-${groupBy}-${filters.from}-${filters.to}.csv` });

  const withinHint = (r: LeadReportRow) =>
    r.contactedWithinTargetPct === null
      ? t('report.lead.hint.withinNone')
      : t('report.lead.hint.within', { within: r.contactedWithinTarget, missed: r.firstContactMissed, rate: formatPct(r.contactedWithinTargetPct, lang) });
  const conversionHint = (r: LeadReportRow) =>
    r.conversionPct === null ? t('report.lead.hint.conversionNone') : t('report.lead.hint.conversion', { converted: r.converted, leads: r.leads, rate: formatPct(r.conversionPct, lang) });
  const daysHint = (r: LeadReportRow) =>
    r.medianDaysToConvert === null ? t('report.lead.hint.daysNone') : t('report.lead.hint.days', { n: formatDecimal(r.medianDaysToConvert, lang) });
  const within = (r: LeadReportRow) => <Figure hint={withinHint(r)}>{formatPct(r.contactedWithinTargetPct, lang)}</Figure>;
  const conversion = (r: LeadReportRow) => <Figure hint={conversionHint(r)}>{formatPct(r.conversionPct, lang)}</Figure>;
  const days = (r: LeadReportRow) => (
    <Figure hint={daysHint(r)}>{r.medianDaysToConvert === null ? '—' : t('report.lead.halfDays', { n: formatDecimal(r.medianDaysToConvert, lang) })}</Figure>
  );
  const count = (n: number, hintKey: Parameters<typeof t>[0]) => <Figure hint={t(hintKey, { n })}>{formatCount(n, lang)}</Figure>;

  const columns: TableColumnsType<LeadReportRow> = [
    { key: 'group', title: t(`report.lead.groupBy.${groupBy}`), render: (_, r) => <strong>{groupLabel(r)}</strong> },
    { key: 'leads', title: t('report.lead.leads'), align: 'right', render: (_, r) => count(r.leads, 'report.lead.hint.leads') },
    { key: 'open', title: t('report.lead.open'), align: 'right', render: (_, r) => count(r.open, 'report.lead.hint.open') },
    { key: 'pooled', title: t('report.lead.pooled'), align: 'right', render: (_, r) => count(r.pooled, 'report.lead.hint.pooled') },
    { key: 'contacted', title: t('report.lead.contacted'), align: 'right', render: (_, r) => count(r.contacted, 'report.lead.hint.contacted') },
    { key: 'within', title: t('report.lead.withinTarget'), align: 'right', render: (_, r) => within(r) },
    { key: 'converted', title: t('report.lead.converted'), align: 'right', render: (_, r) => count(r.converted, 'report.lead.hint.converted') },
    { key: 'conversion', title: t('report.lead.conversion'), align: 'right', render: (_, r) => conversion(r) },
    { key: 'days', title: t('report.lead.daysToConvert'), align: 'right', render: (_, r) => days(r) },
    { key: 'lost', title: t('report.lead.lost'), align: 'right', render: (_, r) => count(r.lost, 'report.lead.hint.lost') },
  ];

  const reasonRows = Object.entries(totals?.lossReasons ?? {})
    .map(([code, n]) => ({ code, n, name: lossReasonName(code, reasons, lang) }))
    .sort((a, b) => b.n - a.n);

  return (
    <ReportPage testId="lead-report">
      <Card>
        <ReportFilters
          filters={filters}
          groups={LEAD_GROUPS.map((g) => ({ value: g, label: t(`report.lead.groupBy.${g}`) }))}
          projectLabel={t('report.project')}
          exporting={csv.isPending}
          onExport={exportCsv}
          exportTestId="export-lead-report"
        />
        <Typography.Paragraph type="secondary" className="report-intro">
          {t('report.lead.intro')}
        </Typography.Paragraph>
        <ProblemAlert error={csv.error} withCode />
        <ProblemAlert error={report.error} onRetry={() => void report.refetch()} withCode />
        <div className="kpi-grid">
          <Kpi label={t('report.lead.leads')} value={totals ? formatCount(totals.leads, lang) : '—'} hint={t('report.lead.hint.leads', { n: totals?.leads ?? 0 })} testId="kpi-leads" />
          <Kpi label={t('report.lead.withinTarget')} value={totals ? formatPct(totals.contactedWithinTargetPct, lang) : '—'} hint={totals ? withinHint(totals) : t('report.lead.hint.withinNone')} testId="kpi-within" />
          <Kpi label={t('report.lead.conversion')} value={totals ? formatPct(totals.conversionPct, lang) : '—'} hint={totals ? conversionHint(totals) : t('report.lead.hint.conversionNone')} testId="kpi-conversion" />
          <Kpi
            label={t('report.lead.daysToConvert')}
            value={totals?.medianDaysToConvert != null ? t('report.lead.halfDays', { n: formatDecimal(totals.medianDaysToConvert, lang) }) : '—'}
            hint={totals ? daysHint(totals) : t('report.lead.hint.daysNone')}
            testId="kpi-days"
          />
          <Kpi label={t('report.lead.open')} value={totals ? formatCount(totals.open, lang) : '—'} hint={t('report.lead.hint.open', { n: totals?.open ?? 0 })} testId="kpi-open" />
          <Kpi label={t('report.lead.pooled')} value={totals ? formatCount(totals.pooled, lang) : '—'} hint={t('report.lead.hint.pooled', { n: totals?.pooled ?? 0 })} testId="kpi-pooled" />
          <Kpi label={t('report.lead.lost')} value={totals ? formatCount(totals.lost, lang) : '—'} hint={t('report.lead.hint.lost', { n: totals?.lost ?? 0 })} testId="kpi-lost" />
        </div>
      </Card>

      <div className="report-charts">
        <Card title={t('report.lead.chartTitle')}>
          {rows.length === 0 && !report.isLoading ? <Typography.Text type="secondary">{t('report.noData')}</Typography.Text> : <OutcomeChart rows={rows} label={groupLabel} />}
        </Card>
        <Card title={t('report.lead.rateTitle')}>
          {rows.length === 0 && !report.isLoading ? <Typography.Text type="secondary">{t('report.noData')}</Typography.Text> : <RateChart rows={rows} label={groupLabel} />}
        </Card>
        <Card title={t('report.lead.lossReasons')}>
          {reasonRows.length === 0 ? <Typography.Text type="secondary">{t('report.noData')}</Typography.Text> : <ReasonChart rows={reasonRows} />}
        </Card>
      </div>

      <ReportTable<LeadReportRow>
        title={t('report.lead.tableTitle', { group: t(`report.lead.groupBy.${groupBy}`) })}
        testId="lead-report-table"
        columns={columns}
        rows={totals && rows.length > 0 ? [...rows, totals] : rows}
        totalKey="all"
        loading={report.isLoading}
      />
    </ReportPage>
  );
}

/** Per group, one bar as long as its leads, stacked by where they went. */
function OutcomeChart({ rows, label }: { rows: readonly LeadReportRow[]; label: (r: LeadReportRow) => string }) {
  const { t, lang } = useI18n();
  const option = useMemo(
    (): ChartOption => ({
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rows.map(label), inverse: true, axisLabel: { width: 110, overflow: 'truncate' } },
      series: OUTCOMES.map((o) => ({ type: 'bar' as const, stack: 'leads', name: t(o.labelKey), color: o.color, data: rows.map((r) => split(r)[o.key]), barMaxWidth: 22 })),
    }),
    [rows, label, t],
  );
  return (
    <Chart
      testId="outcome-chart"
      option={option}
      height={Math.max(180, rows.length * 36 + 60)}
      label={t('report.lead.chartLabel')}
      data={{
        columns: [t('report.group'), t('report.lead.leads'), ...OUTCOMES.map((o) => t(o.labelKey))],
        rows: rows.map((r) => ({ key: r.key ?? '__none__', attrs: { 'data-key': r.key ?? '' }, cells: [label(r), formatCount(r.leads, lang), ...OUTCOMES.map((o) => formatCount(split(r)[o.key], lang))] })),
      }}
    />
  );
}

/** Per group, contacted-within-target % and conversion % side by side. */
function RateChart({ rows, label }: { rows: readonly LeadReportRow[]; label: (r: LeadReportRow) => string }) {
  const { t, lang } = useI18n();
  const option = useMemo(
    (): ChartOption => ({
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => formatPct(v as number | null, lang) },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', data: rows.map(label), inverse: true, axisLabel: { width: 110, overflow: 'truncate' } },
      series: [
        { type: 'bar' as const, name: t('report.lead.withinTarget'), color: CHART_COLORS.blue, data: rows.map((r) => r.contactedWithinTargetPct), barMaxWidth: 14 },
        { type: 'bar' as const, name: t('report.lead.conversion'), color: CHART_COLORS.green, data: rows.map((r) => r.conversionPct), barMaxWidth: 14 },
      ],
    }),
    [rows, label, t, lang],
  );
  return (
    <Chart
      testId="rate-chart"
      option={option}
      height={Math.max(180, rows.length * 44 + 60)}
      label={t('report.lead.rateLabel')}
      data={{
        columns: [t('report.group'), t('report.lead.withinTarget'), t('report.lead.conversion')],
        rows: rows.map((r) => ({ key: r.key ?? '__none__', cells: [label(r), formatPct(r.contactedWithinTargetPct, lang), formatPct(r.conversionPct, lang)] })),
      }}
    />
  );
}

function ReasonChart({ rows }: { rows: readonly { code: string; n: number; name: string }[] }) {
  const { t, lang } = useI18n();
  const option = useMemo(
    (): ChartOption => ({
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rows.map((r) => r.name), inverse: true, axisLabel: { width: 130, overflow: 'truncate' } },
      series: [{ type: 'bar' as const, name: t('report.lead.lost'), color: CHART_COLORS.red, data: rows.map((r) => r.n), barMaxWidth: 18 }],
    }),
    [rows, t],
  );
  return (
    <Chart
      testId="reason-chart"
      option={option}
      height={Math.max(140, rows.length * 30 + 30)}
      label={t('report.lead.reasonLabel')}
      data={{
        columns: [t('report.lead.reason'), t('report.lead.lost')],
        rows: rows.map((r) => ({ key: r.code, attrs: { 'data-reason': r.code }, cells: [r.name, formatCount(r.n, lang)] })),
      }}
    />
  );
}
