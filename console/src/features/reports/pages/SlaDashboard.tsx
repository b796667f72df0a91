/**
 * 时效看板: how the targets went in a period — met and breached written out ("2 达标 · 3 超时",
 * rate 40% = met / (met + breached), "—" when nothing was decided), how long cases took in plain
 * words ("一半在 2小时 内 · 九成在 5小时 内" instead of median / P90), every figure explained by a
 * tooltip; the met rate by group and over time on ECharts; the cases that breached, one row per
 * case with its breaches; CSV downloads in the user's language.
 */
import { useMemo, useState } from 'react';
import { Button, Card, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import type { Tier } from '../../../../../domain/cases/types.js';
import { TARGETS, type TargetName } from '../../../../../domain/cases/types.js';
import type { User } from '../../../api.js';
import { useCategoryTree } from '../../cases/api.js';
import { categoryName } from '../../cases/categories.js';
import { DEFAULT_TIME_ZONE, formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Link } from '../../../router.js';
import { formatDuration } from '../../../shared/sla.js';
import { Chart, CHART_COLORS, type ChartOption } from '../../../shared/Chart.js';
import { Figure, Kpi } from '../../../shared/Figure.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useCsvDownload, SLA_GROUPS, useSlaBreachedCases, useSlaReport, type SlaBreachedCase, type SlaCaseBreach, type SlaReportRow, type TargetCounts } from '../api.js';
import { ReportFilters, useReportFilters } from '../components/ReportFilters.js';
import { ReportPage, ReportTable } from '../components/ReportPage.js';
import { formatCount, formatPct, metRate } from '../figures.js';
import '../i18n.js';
import '../reports.css';

const TARGET_COLOR: Record<TargetName, string> = { firstContact: CHART_COLORS.blue, resolution: CHART_COLORS.cyan, callback: CHART_COLORS.gold };
type Bucket = 'day' | 'week' | 'month';
type Counts = Pick<TargetCounts, 'met' | 'breached' | 'inProgress'>;

/** The three targets added up (the server's `overall`). */
const overall = (r: SlaReportRow): Counts => r.overall;

export function SlaDashboardPage(_props: { user: User }) {
  const { t, lang } = useI18n();
  const categories = useCategoryTree();
  const filters = useReportFilters({ days: 30, groups: SLA_GROUPS, defaultGroup: 'tier' });
  const { groupBy } = filters;
  const [breachPage, setBreachPage] = useState({ page: 1, pageSize: 50 });
  const csv = useCsvDownload();

  const period = { ...filters.query, timeZone: DEFAULT_TIME_ZONE };
  const days = (Date.parse(period.to) - Date.parse(period.from)) / 86_400_000;
  const bucket: Bucket = days <= 31 ? 'day' : days <= 183 ? 'week' : 'month';
  const report = useSlaReport({ ...period, groupBy });
  const trend = useSlaReport({ ...period, groupBy: bucket });
  const breaches = useSlaBreachedCases({ ...period, ...breachPage });

  const rows = report.data?.groups ?? [];
  const totals = report.data?.totals ?? null;

  const groupLabel = (r: SlaReportRow): string => {
    if (r.key === null) return groupBy === 'assignee' ? t('report.unassigned') : '—';
    if (groupBy === 'tier' && (['PROJECT', 'COMPANY', 'GROUP'] as const).includes(r.key as Tier)) return t(`report.tier.${r.key as Tier}`);
    if (groupBy === 'category') return categoryName(r.key, lang, categories, false);
    return r.label || r.key.slice(0, 8);
  };
  const targetName = (n: TargetName) => t(`report.target.${n}`);

  const exportCsv = (kind: 'report' | 'breaches') =>
    csv.mutate(
      kind === 'report'
        ? { path: '/api/reports/sla', query: { ...period, groupBy }, filename: `sla-${groupBy}-${filters.from}-${filters.to}.csv` }
        : { path: '/api/reports/sla/breached-cases', query: period, filename: `sla-breached-cases-${filters.from}-${filters.to}.csv` },
    );
  const exporting = (path: string) => csv.isPending && csv.variables?.path === path;

  /** "40%" over "2 达标 · 3 超时", each with what it counts. */
  const rateFigure = (c: Counts, what: string, testId?: string) => {
    const rate = metRate(c.met, c.breached);
    return (
      <div className="rate-cell">
        <Figure
          testId={testId}
          className="rate"
          hint={rate === null ? t('report.hint.rateNone', { what, inProgress: c.inProgress }) : t('report.hint.rate', { what, met: c.met, breached: c.breached, inProgress: c.inProgress, rate: formatPct(rate, lang) })}
        >
          {formatPct(rate, lang)}
        </Figure>
        <Figure className="counts" hint={t('report.hint.counts', { what, met: c.met, breached: c.breached })}>
          {t('report.metBreached', { met: c.met, breached: c.breached })}
        </Figure>
      </div>
    );
  };
  const timeFigure = (q: { median: number | null; p90: number | null }, what: string) =>
    q.median === null ? (
      <Figure hint={t('report.hint.timeNone', { what })}>—</Figure>
    ) : (
      <div className="time-cell">
        <Figure hint={t('report.hint.half', { what, time: formatDuration(q.median, lang) })}>{t('report.halfWithin', { time: formatDuration(q.median, lang) })}</Figure>
        <Figure hint={t('report.hint.ninety', { what, time: formatDuration(q.p90, lang) })}>{t('report.ninetyWithin', { time: formatDuration(q.p90, lang) })}</Figure>
      </div>
    );

  const columns: TableColumnsType<SlaReportRow> = [
    { key: 'group', title: t(`report.sla.groupBy.${groupBy}`), render: (_, r) => <strong>{r.key === '__total__' ? t('report.total') : groupLabel(r)}</strong> },
    {
      key: 'cases',
      title: t('report.cases'),
      align: 'right',
      render: (_, r) => <Figure hint={t('report.hint.cases', { n: r.cases })}>{formatCount(r.cases, lang)}</Figure>,
    },
    ...TARGETS.map((n) => ({ key: n, title: targetName(n), render: (_: unknown, r: SlaReportRow) => rateFigure(r[n], targetName(n)) })),
    { key: 'fc', title: t('report.fcTime'), render: (_, r) => timeFigure(r.timeToFirstContactMs, t('report.what.fc')) },
    { key: 'res', title: t('report.resTime'), render: (_, r) => timeFigure(r.timeToResolutionMs, t('report.what.res')) },
    {
      key: 'esc',
      title: t('report.escalations'),
      align: 'right',
      render: (_, r) => <Figure hint={t('report.hint.escalations', { n: r.escalations })}>{formatCount(r.escalations, lang)}</Figure>,
    },
    {
      key: 'sat',
      title: t('report.satisfaction'),
      align: 'right',
      render: (_, r) => (
        <Figure hint={r.satisfactionAvg === null ? t('report.hint.satisfactionNone') : t('report.hint.satisfaction', { avg: r.satisfactionAvg.toFixed(2), n: r.callbacks })}>
          {r.satisfactionAvg === null ? '—' : r.satisfactionAvg.toFixed(2)}
        </Figure>
      ),
    },
  ];

  const breachColumns: TableColumnsType<SlaBreachedCase> = [
    {
      key: 'case',
      title: t('report.case'),
      render: (_, c) => (
        <Link to={`/cases/${encodeURIComponent(c.caseId)}`} className="mono strong-link" data-testid="breach-case">
          {c.caseNumber}
        </Link>
      ),
    },
    {
      key: 'targets',
      title: t('report.breachedTargets'),
      render: (_, c) => (
        <Space size={[4, 4]} wrap data-testid="breach-targets">
          {c.breaches.map((b) => (
            <Tag key={b.id} color="red" data-target={b.target}>
              {/* A target breached at two tiers says where each time. */}
              {c.breaches.filter((x) => x.target === b.target).length > 1 ? `${targetName(b.target)} · ${t(`report.tier.${b.tier}`)}` : targetName(b.target)}
            </Tag>
          ))}
          {c.overdue ? (
            <Tag color="#a8071a" data-testid="breach-overdue">
              {t('report.stillLate')}
            </Tag>
          ) : null}
        </Space>
      ),
    },
    { key: 'category', title: t('report.category'), render: (_, c) => categoryName(c.category, lang, categories, false) },
    { key: 'project', title: t('report.project'), render: (_, c) => c.projectName ?? '—' },
    { key: 'assignee', title: t('report.assignee'), render: (_, c) => c.assigneeName ?? (c.assigneeId ? '—' : t('report.unassigned')) },
    {
      key: 'late',
      title: t('report.maxLateness'),
      render: (_, c) => (
        <Figure hint={t('report.hint.maxLateness', { n: c.breaches.length, late: formatDuration(c.maxLatenessMs, lang) })} testId="breach-lateness">
          <span className="late">{formatDuration(c.maxLatenessMs, lang)}</span>
        </Figure>
      ),
    },
    { key: 'last', title: t('report.lastBreachedAt'), render: (_, c) => formatDateTime(c.lastBreachedAt, lang) },
  ];
  const breachDetailColumns: TableColumnsType<SlaCaseBreach> = [
    { key: 'target', title: t('report.target'), render: (_, b) => targetName(b.target) },
    { key: 'tier', title: t('report.tierCol'), render: (_, b) => t(`report.tier.${b.tier}`) },
    { key: 'due', title: t('report.due'), render: (_, b) => formatDateTime(b.dueAt, lang) },
    { key: 'breachedAt', title: t('report.breachedAt'), render: (_, b) => formatDateTime(b.breachedAt, lang) },
    {
      key: 'late',
      title: t('report.lateness'),
      render: (_, b) => (
        <Figure hint={b.metAt ? t('report.hint.lateMet', { late: formatDuration(b.latenessMs, lang) }) : t('report.hint.lateOpen', { late: formatDuration(b.latenessMs, lang) })}>
          {formatDuration(b.latenessMs, lang)}
        </Figure>
      ),
    },
    { key: 'met', title: t('report.metAt'), render: (_, b) => (b.metAt ? formatDateTime(b.metAt, lang) : b.overdue ? t('report.stillLate') : t('report.notMet')) },
  ];

  const tableRows = totals && rows.length > 0 ? [...rows, { ...totals, key: '__total__' }] : rows;
  const points = (trend.data?.groups ?? []).filter((g) => g.key !== null).sort((a, b) => (a.key! < b.key! ? -1 : 1));

  return (
    <ReportPage testId="sla-dashboard">
      <Card>
        <ReportFilters
          filters={filters}
          groups={SLA_GROUPS.map((g) => ({ value: g, label: t(`report.sla.groupBy.${g}`) }))}
          projectLabel={t('report.project')}
          exporting={exporting('/api/reports/sla')}
          onExport={() => exportCsv('report')}
          exportTestId="export-report"
        />
        <Typography.Paragraph type="secondary" className="report-intro">
          {t('report.sla.intro')}
        </Typography.Paragraph>
        <ProblemAlert error={csv.error} />
        <ProblemAlert error={report.error} onRetry={() => void report.refetch()} />
        <div className="kpi-grid" data-testid="sla-kpis">
          <Kpi label={t('report.cases')} value={totals ? formatCount(totals.cases, lang) : '—'} hint={t('report.hint.cases', { n: totals?.cases ?? 0 })} testId="kpi-cases" />
          <Kpi
            label={t('report.overallRate')}
            value={totals ? formatPct(metRate(overall(totals).met, overall(totals).breached), lang) : '—'}
            hint={
              totals && metRate(overall(totals).met, overall(totals).breached) !== null
                ? t('report.hint.rate', { what: t('report.allTargets'), met: overall(totals).met, breached: overall(totals).breached, inProgress: overall(totals).inProgress, rate: formatPct(metRate(overall(totals).met, overall(totals).breached), lang) })
                : t('report.hint.rateNone', { what: t('report.allTargets'), inProgress: totals?.overall.inProgress ?? 0 })
            }
            testId="kpi-met"
            detail={totals ? <CountsLine c={overall(totals)} what={t('report.allTargets')} testId="kpi-met-counts" /> : null}
          />
          {TARGETS.map((n) => (
            <Kpi
              key={n}
              label={targetName(n)}
              color={TARGET_COLOR[n]}
              value={totals ? formatPct(metRate(totals[n].met, totals[n].breached), lang) : '—'}
              hint={
                totals && metRate(totals[n].met, totals[n].breached) !== null
                  ? t('report.hint.rate', { what: targetName(n), met: totals[n].met, breached: totals[n].breached, inProgress: totals[n].inProgress, rate: formatPct(metRate(totals[n].met, totals[n].breached), lang) })
                  : t('report.hint.rateNone', { what: targetName(n), inProgress: totals?.[n].inProgress ?? 0 })
              }
              testId={`kpi-${n}`}
              detail={totals ? <CountsLine c={totals[n]} what={targetName(n)} testId={`kpi-${n}-counts`} /> : null}
            />
          ))}
          <Kpi
            label={t('report.fcTime')}
            value={totals?.timeToFirstContactMs.median != null ? t('report.halfWithin', { time: formatDuration(totals.timeToFirstContactMs.median, lang) }) : '—'}
            hint={
              totals?.timeToFirstContactMs.median != null
                ? t('report.hint.half', { what: t('report.what.fc'), time: formatDuration(totals.timeToFirstContactMs.median, lang) })
                : t('report.hint.timeNone', { what: t('report.what.fc') })
            }
            testId="kpi-fc-half"
            detail={
              totals?.timeToFirstContactMs.p90 != null ? (
                <Figure hint={t('report.hint.ninety', { what: t('report.what.fc'), time: formatDuration(totals.timeToFirstContactMs.p90, lang) })}>
                  {t('report.ninetyWithin', { time: formatDuration(totals.timeToFirstContactMs.p90, lang) })}
                </Figure>
              ) : null
            }
          />
          <Kpi
            label={t('report.resTime')}
            value={totals?.timeToResolutionMs.median != null ? t('report.halfWithin', { time: formatDuration(totals.timeToResolutionMs.median, lang) }) : '—'}
            hint={
              totals?.timeToResolutionMs.median != null
                ? t('report.hint.half', { what: t('report.what.res'), time: formatDuration(totals.timeToResolutionMs.median, lang) })
                : t('report.hint.timeNone', { what: t('report.what.res') })
            }
            testId="kpi-res-half"
            detail={
              totals?.timeToResolutionMs.p90 != null ? (
                <Figure hint={t('report.hint.ninety', { what: t('report.what.res'), time: formatDuration(totals.timeToResolutionMs.p90, lang) })}>
                  {t('report.ninetyWithin', { time: formatDuration(totals.timeToResolutionMs.p90, lang) })}
                </Figure>
              ) : null
            }
          />
          <Kpi
            label={t('report.escalations')}
            value={totals ? formatCount(totals.escalations, lang) : '—'}
            hint={t('report.hint.escalations', { n: totals?.escalations ?? 0 })}
            testId="kpi-escalations"
          />
          <Kpi
            label={t('report.satisfaction')}
            value={totals?.satisfactionAvg != null ? totals.satisfactionAvg.toFixed(2) : '—'}
            hint={totals?.satisfactionAvg != null ? t('report.hint.satisfaction', { avg: totals.satisfactionAvg.toFixed(2), n: totals.callbacks }) : t('report.hint.satisfactionNone')}
            testId="kpi-satisfaction"
          />
        </div>
      </Card>

      <div className="report-charts">
        <Card title={t('report.sla.chartTitle', { group: t(`report.sla.groupBy.${groupBy}`) })}>
          {rows.length === 0 && !report.isLoading ? <Typography.Text type="secondary">{t('report.noData')}</Typography.Text> : <MetChart rows={rows} label={groupLabel} />}
        </Card>
        <Card title={t('report.sla.trendTitle', { unit: t(`report.unit.${bucket}`) })}>
          <ProblemAlert error={trend.error} onRetry={() => void trend.refetch()} />
          {points.length === 0 && !trend.isLoading ? <Typography.Text type="secondary">{t('report.noData')}</Typography.Text> : <TrendChart points={points} />}
        </Card>
      </div>

      <ReportTable<SlaReportRow>
        title={t('report.sla.tableTitle', { group: t(`report.sla.groupBy.${groupBy}`) })}
        testId="sla-table"
        columns={columns}
        rows={tableRows}
        totalKey="__total__"
        loading={report.isLoading}
      />

      <Card
        title={t('report.breachedCases')}
        extra={
          <Button icon={<DownloadOutlined />} data-testid="export-breaches" loading={exporting('/api/reports/sla/breached-cases')} onClick={() => exportCsv('breaches')}>
            {t('report.exportBreaches')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('report.breachedCasesIntro')}</Typography.Paragraph>
        <ProblemAlert error={breaches.error} onRetry={() => void breaches.refetch()} />
        <div className="report-table">
          <Table<SlaBreachedCase>
            data-testid="breaches-table"
            size="small"
            columns={breachColumns}
            dataSource={breaches.data?.items ?? []}
            rowKey={(c) => c.caseId}
            onRow={(c) => ({ 'data-case-id': c.caseId, 'data-breaches': c.breaches.length }) as React.HTMLAttributes<HTMLElement>}
            loading={breaches.isLoading}
            locale={{ emptyText: <Typography.Text type="secondary">{t('report.noBreaches')}</Typography.Text> }}
            expandable={{
              expandedRowRender: (c) => (
                <Table
                  data-testid="case-breaches"
                  size="small"
                  columns={breachDetailColumns}
                  dataSource={[...c.breaches]}
                  rowKey={(b) => b.id}
                  pagination={false}
                />
              ),
            }}
            pagination={{
              current: breachPage.page,
              pageSize: breachPage.pageSize,
              total: breaches.data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100],
              onChange: (page, pageSize) => setBreachPage({ page: pageSize === breachPage.pageSize ? page : 1, pageSize }),
            }}
          />
        </div>
      </Card>
    </ReportPage>
  );
}

function CountsLine({ c, what, testId }: { c: Counts; what: string; testId?: string }) {
  const { t } = useI18n();
  return (
    <Figure hint={t('report.hint.counts', { what, met: c.met, breached: c.breached })} testId={testId}>
      {t('report.metBreached', { met: c.met, breached: c.breached })}
    </Figure>
  );
}

/** Per group, each target's met rate as a bar; the tooltip and the hidden table say the counts. */
function MetChart({ rows, label }: { rows: readonly SlaReportRow[]; label: (r: SlaReportRow) => string }) {
  const { t, lang } = useI18n();
  const option = useMemo((): ChartOption => {
    const names = rows.map(label);
    return {
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => formatPct(v as number | null, lang) },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', data: names, inverse: true, axisLabel: { width: 110, overflow: 'truncate' } },
      series: TARGETS.map((n) => ({
        type: 'bar' as const,
        name: t(`report.target.${n}`),
        color: TARGET_COLOR[n],
        data: rows.map((r) => metRate(r[n].met, r[n].breached)),
        barMaxWidth: 14,
      })),
    };
  }, [rows, label, t, lang]);
  return (
    <Chart
      testId="met-chart"
      option={option}
      height={Math.max(200, rows.length * 56 + 60)}
      label={t('report.sla.chartLabel')}
      data={{
        columns: [t('report.group'), ...TARGETS.map((n) => t(`report.target.${n}`))],
        rows: rows.map((r) => ({
          key: r.key ?? '__none__',
          cells: [label(r), ...TARGETS.map((n) => `${formatPct(metRate(r[n].met, r[n].breached), lang)} (${t('report.metBreached', { met: r[n].met, breached: r[n].breached })})`)],
        })),
      }}
    />
  );
}

/** The overall and each target's met rate per day, week or month. */
function TrendChart({ points }: { points: readonly SlaReportRow[] }) {
  const { t, lang } = useI18n();
  const option = useMemo((): ChartOption => {
    const series = [
      { name: t('report.allTargets'), color: CHART_COLORS.ink, values: points.map((r) => metRate(overall(r).met, overall(r).breached)), width: 3 },
      ...TARGETS.map((n) => ({ name: t(`report.target.${n}`), color: TARGET_COLOR[n], values: points.map((r) => metRate(r[n].met, r[n].breached)), width: 1.5 })),
    ];
    return {
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', valueFormatter: (v) => formatPct(v as number | null, lang) },
      xAxis: { type: 'category', data: points.map((r) => (r.key ?? '').slice(5) || (r.key ?? '')) },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: series.map((s) => ({ type: 'line' as const, name: s.name, color: s.color, data: s.values, connectNulls: true, lineStyle: { width: s.width }, symbolSize: 6 })),
    };
  }, [points, t, lang]);
  return (
    <Chart
      testId="trend-chart"
      option={option}
      label={t('report.sla.trendLabel')}
      data={{
        columns: [t('report.period'), t('report.allTargets'), ...TARGETS.map((n) => t(`report.target.${n}`))],
        rows: points.map((r) => ({
          key: r.key ?? '',
          cells: [r.key ?? '', formatPct(metRate(overall(r).met, overall(r).breached), lang), ...TARGETS.map((n) => formatPct(metRate(r[n].met, r[n].breached), lang))],
        })),
      }}
    />
  );
}
