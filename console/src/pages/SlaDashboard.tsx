/**
 * 时效看板: met % by tier / category / project / assignee, met % per week, the breach list and
 * CSV exports of both reports. Charts are small inline SVG components (no chart library).
 */
import { useId, useState } from 'react';
import type { TargetName, Tier } from '../../../domain/cases/types.js';
import { TARGETS } from '../../../domain/cases/types.js';
import type { User } from '../api.js';
import { categoryName, TierBadge, useCategories } from '../case-ui.js';
import { casesApi, REPORT_GROUPS, type SlaBreach, type SlaReportRow } from '../cases-api.js';
import { DEFAULT_TIME_ZONE, formatDateTime, formatNumber } from '../format.js';
import { useI18n } from '../i18n.js';
import { Icon } from '../icons.js';
import { useOrgLookups } from '../lookups.js';
import { Link } from '../router.js';
import { formatDuration } from '../sla.js';
import { Card, DataTable, Pagination, ProblemAlert, SegmentedRadios, downloadBlob, useAsync, type Column } from '../ui.js';

const TARGET_COLOR: Record<TargetName, string> = { firstContact: '#1f5fbf', resolution: '#0e9f8e', callback: '#b7791f' };
const DAY = 86_400_000;

/** YYYY-MM-DD of an instant in the group's time zone. */
function isoDate(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: DEFAULT_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}

/**
 * A calendar day's start in the group's time zone as an ISO instant. Asia/Shanghai keeps +08:00
 * all year; another zone would take its offset from Intl.
 */
function dayStart(date: string): string {
  const guess = Date.parse(`${date}T00:00:00Z`);
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: DEFAULT_TIME_ZONE, timeZoneName: 'longOffset' }).formatToParts(new Date(guess));
  const offset = parts.find((p) => p.type === 'timeZoneName')?.value.replace('GMT', '') || '+00:00';
  return new Date(`${date}T00:00:00${offset === '' ? 'Z' : offset}`).toISOString();
}

const nextDay = (date: string) => isoDate(Date.parse(`${date}T12:00:00Z`) + DAY);

const pctOf = (met: number, breached: number) => (met + breached > 0 ? (met / (met + breached)) * 100 : null);
const fmtPct = (p: number | null) => (p === null ? '—' : `${p.toFixed(p >= 99.95 || p === 0 ? 0 : 1)}%`);
const overallPct = (r: SlaReportRow) =>
  pctOf(
    TARGETS.reduce((s, n) => s + r[n].met, 0),
    TARGETS.reduce((s, n) => s + r[n].breached, 0),
  );

type DashGroup = (typeof REPORT_GROUPS)[number];
type Bucket = 'day' | 'week' | 'month';

export function SlaDashboardPage(_props: { user: User }) {
  const { t, lang } = useI18n();
  const lookups = useOrgLookups();
  const categories = useCategories();
  const today = isoDate(Date.now());
  const [from, setFrom] = useState(isoDate(Date.now() - 29 * DAY));
  const [to, setTo] = useState(today);
  const [applied, setApplied] = useState({ from, to });
  const [groupBy, setGroupBy] = useState<DashGroup>('tier');
  const [breachPage, setBreachPage] = useState(1);
  const [breachPageSize, setBreachPageSize] = useState(20);
  const [exportError, setExportError] = useState<unknown>(null);
  const fromId = useId();
  const toId = useId();

  const range = { from: dayStart(applied.from), to: dayStart(nextDay(applied.to)), timeZone: DEFAULT_TIME_ZONE };
  const days = (Date.parse(range.to) - Date.parse(range.from)) / DAY;
  const bucket: Bucket = days <= 31 ? 'day' : days <= 183 ? 'week' : 'month';
  const report = useAsync((signal) => casesApi.slaReport({ ...range, groupBy }, signal), [applied.from, applied.to, groupBy]);
  const trend = useAsync((signal) => casesApi.slaReport({ ...range, groupBy: bucket }, signal), [applied.from, applied.to, bucket]);
  const breaches = useAsync(
    (signal) => casesApi.slaBreaches({ ...range, page: breachPage, pageSize: breachPageSize }, signal),
    [applied.from, applied.to, breachPage, breachPageSize],
  );

  const rows = report.data?.groups ?? [];
  const totals = report.data?.totals ?? null;
  const groupLabel = (r: SlaReportRow): string => {
    if (r.key === null) return groupBy === 'assignee' ? t('cases.unassigned') : '—';
    switch (groupBy) {
      case 'tier':
        return ['PROJECT', 'COMPANY', 'GROUP'].includes(r.key) ? t(`tier.${r.key as Tier}` as const) : r.label;
      case 'category':
        return categoryName(r.key, lang, categories, false);
      case 'project':
        return r.label || (lookups.projectName(r.key) ?? r.key);
      case 'assignee':
        return r.label || r.key.slice(0, 8);
    }
  };

  const exportCsv = (kind: 'report' | 'breaches') => {
    setExportError(null);
    const name = kind === 'report' ? `sla-${groupBy}-${applied.from}-${applied.to}.csv` : `sla-breaches-${applied.from}-${applied.to}.csv`;
    downloadBlob(kind === 'report' ? casesApi.slaReportCsv({ ...range, groupBy }) : casesApi.slaBreachesCsv(range), name).catch(setExportError);
  };

  const columns: Column<SlaReportRow>[] = [
    { key: 'group', header: t('sla.group'), render: (r) => <strong>{groupLabel(r)}</strong> },
    { key: 'cases', header: t('sla.cases'), className: 'num', render: (r) => formatNumber(r.cases, lang) },
    ...TARGETS.map(
      (n): Column<SlaReportRow> => ({
        key: n,
        header: `${t(`target.${n}` as const)} ${t('sla.metPct')}`,
        className: 'num nowrap',
        render: (r) => (
          <span title={`${t('sla.metBreached')}: ${r[n].met} / ${r[n].breached}`}>
            {fmtPct(r[n].metPct)} <span className="muted">({r[n].met}/{r[n].breached})</span>
          </span>
        ),
      }),
    ),
    {
      key: 'fc',
      header: t('sla.fcMedian'),
      className: 'nowrap',
      render: (r) => `${formatDuration(r.timeToFirstContactMs.median, lang)} / ${formatDuration(r.timeToFirstContactMs.p90, lang)}`,
    },
    {
      key: 'res',
      header: t('sla.resMedian'),
      className: 'nowrap',
      render: (r) => `${formatDuration(r.timeToResolutionMs.median, lang)} / ${formatDuration(r.timeToResolutionMs.p90, lang)}`,
    },
    { key: 'esc', header: t('sla.escalations'), className: 'num', render: (r) => formatNumber(r.escalations, lang) },
    { key: 'sat', header: t('sla.satisfaction'), className: 'num', render: (r) => (r.satisfactionAvg === null ? '—' : r.satisfactionAvg.toFixed(2)) },
  ];

  const breachColumns: Column<SlaBreach>[] = [
    {
      key: 'case',
      header: t('esc.case'),
      className: 'nowrap',
      render: (b) => (
        <Link to={`/cases/${encodeURIComponent(b.caseId)}`} className="mono strong-link" data-testid="breach-case">
          {b.caseNumber}
        </Link>
      ),
    },
    { key: 'target', header: t('sla.target'), render: (b) => t(`target.${b.target}` as const) },
    { key: 'tier', header: t('cases.tier'), render: (b) => <TierBadge tier={b.tier} /> },
    { key: 'category', header: t('cases.category'), render: (b) => <span className="ellipsis">{categoryName(b.category, lang, categories, false)}</span> },
    { key: 'project', header: t('cases.project'), render: (b) => b.projectName ?? lookups.projectName(b.projectId) ?? '—' },
    { key: 'assignee', header: t('cases.assignee'), render: (b) => b.assigneeName ?? (b.assigneeId ? b.assigneeId.slice(0, 8) : t('cases.unassigned')) },
    { key: 'due', header: t('case.due'), className: 'nowrap', render: (b) => formatDateTime(b.dueAt, lang) },
    { key: 'breachedAt', header: t('case.breachedAt'), className: 'nowrap', render: (b) => formatDateTime(b.breachedAt, lang) },
    {
      key: 'late',
      header: t('sla.lateness'),
      className: 'nowrap',
      render: (b) => (
        <span className="countdown countdown-breached" data-testid="breach-lateness">
          {formatDuration(b.latenessMs, lang)}
        </span>
      ),
    },
    { key: 'met', header: t('case.metAt'), className: 'nowrap', render: (b) => formatDateTime(b.metAt, lang) },
  ];

  return (
    <div className="page" data-testid="sla-dashboard">
      <Card>
        <form
          className="toolbar dashboard-filters"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied({ from, to });
            setBreachPage(1);
          }}
        >
          <div className="inline-field">
            <label htmlFor={fromId}>{t('sla.from')}</label>
            <input id={fromId} name="from" type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
          </div>
          <div className="inline-field">
            <label htmlFor={toId}>{t('sla.to')}</label>
            <input id={toId} name="to" type="date" value={to} min={from} max={today} onChange={(e) => setTo(e.target.value)} />
          </div>
          <button type="submit" className="btn" data-testid="sla-apply">
            {t('sla.apply')}
          </button>
          <span className="toolbar-spacer" />
          <button type="button" className="btn" data-testid="export-report" onClick={() => exportCsv('report')}>
            <Icon name="download" size={16} /> {t('sla.export')}
          </button>
        </form>
        <ProblemAlert error={exportError} />
        <ProblemAlert error={report.error} onRetry={report.reload} />
        <div className="stat-grid kpis">
          <Kpi label={t('sla.cases')} value={totals ? formatNumber(totals.cases, lang) : '—'} testId="kpi-cases" />
          <Kpi label={`${t('sla.overall')} ${t('sla.metPct')}`} value={totals ? fmtPct(overallPct(totals)) : '—'} testId="kpi-met" />
          {TARGETS.map((n) => (
            <Kpi key={n} label={`${t(`target.${n}` as const)} ${t('sla.metPct')}`} value={totals ? fmtPct(totals[n].metPct) : '—'} color={TARGET_COLOR[n]} testId={`kpi-${n}`} />
          ))}
          <Kpi label={t('sla.escalations')} value={totals ? formatNumber(totals.escalations, lang) : '—'} testId="kpi-escalations" />
          <Kpi label={t('sla.satisfaction')} value={totals?.satisfactionAvg != null ? totals.satisfactionAvg.toFixed(2) : '—'} testId="kpi-satisfaction" />
        </div>
      </Card>

      <div className="chart-grid">
        <Card
          title={t('sla.chartTitle')}
          actions={
            <SegmentedRadios
              label={t('sla.groupBy')}
              testId="group-by"
              options={REPORT_GROUPS.map((g) => ({ value: g, label: t(`sla.groupBy.${g}` as const) }))}
              value={groupBy}
              onChange={setGroupBy}
            />
          }
        >
          {rows.length === 0 && !report.loading ? <p className="muted">{t('sla.noData')}</p> : <MetBars rows={rows} label={groupLabel} />}
          <Legend />
        </Card>
        <Card title={t('sla.trendTitle', { unit: t(`sla.unit.${bucket}` as const) })}>
          <ProblemAlert error={trend.error} onRetry={trend.reload} />
          {(trend.data?.groups.length ?? 0) === 0 && !trend.loading ? (
            <p className="muted">{t('sla.noData')}</p>
          ) : (
            <TrendChart points={(trend.data?.groups ?? []).filter((g) => g.key !== null).sort((a, b) => (a.key! < b.key! ? -1 : 1))} />
          )}
          <Legend overall />
        </Card>
      </div>

      <Card title={t('sla.tableTitle', { group: t(`sla.groupBy.${groupBy}` as const) })}>
        <DataTable
          testId="sla-table"
          columns={columns}
          rows={totals && rows.length > 0 ? [...rows, { ...totals, key: '__total__', label: t('sla.overall') }] : rows}
          rowKey={(r) => r.key ?? '__none__'}
          loading={report.loading}
          emptyKey="sla.noData"
        />
      </Card>

      <Card
        title={t('sla.breaches')}
        actions={
          <button type="button" className="btn" data-testid="export-breaches" onClick={() => exportCsv('breaches')}>
            <Icon name="download" size={16} /> {t('sla.exportBreaches')}
          </button>
        }
      >
        <ProblemAlert error={breaches.error} onRetry={breaches.reload} />
        <DataTable testId="breaches-table" columns={breachColumns} rows={breaches.data?.items} rowKey={(b) => b.id} loading={breaches.loading} emptyKey="sla.noData" />
        <Pagination
          page={breachPage}
          pageSize={breachPageSize}
          total={breaches.data?.total ?? 0}
          onPage={setBreachPage}
          onPageSize={(n) => {
            setBreachPageSize(n);
            setBreachPage(1);
          }}
        />
      </Card>
    </div>
  );
}

function Kpi({ label, value, color, testId }: { label: string; value: string; color?: string; testId?: string }) {
  return (
    <div className="stat kpi">
      <div className="stat-label">
        {color ? <span className="legend-dot" data-color={color} style={{ background: color }} /> : null}
        {label}
      </div>
      <div className="stat-value" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

function Legend({ overall }: { overall?: boolean }) {
  const { t } = useI18n();
  return (
    <div className="legend">
      {overall ? (
        <span>
          <span className="legend-dot" style={{ background: '#1c2433' }} /> {t('sla.overall')}
        </span>
      ) : null}
      {TARGETS.map((n) => (
        <span key={n}>
          <span className="legend-dot" style={{ background: TARGET_COLOR[n] }} /> {t(`target.${n}` as const)}
        </span>
      ))}
    </div>
  );
}

/** Horizontal bars: per group, the met % of each target (an empty track when nothing was decided). */
function MetBars({ rows, label }: { rows: readonly SlaReportRow[]; label: (r: SlaReportRow) => string }) {
  const { t } = useI18n();
  const labelW = 150;
  const barW = 360;
  const rowH = 46;
  const height = rows.length * rowH + 24;
  const width = labelW + barW + 60;
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={t('sla.chartTitle')} data-testid="met-chart" preserveAspectRatio="xMinYMin meet">
      {[0, 25, 50, 75, 100].map((p) => (
        <g key={p}>
          <line x1={labelW + (barW * p) / 100} x2={labelW + (barW * p) / 100} y1={0} y2={height - 18} className="chart-grid-line" />
          <text x={labelW + (barW * p) / 100} y={height - 4} className="chart-axis" textAnchor="middle">
            {p}%
          </text>
        </g>
      ))}
      {rows.map((r, i) => {
        const y = i * rowH + 6;
        return (
          <g key={r.key ?? '__none__'}>
            <text x={labelW - 8} y={y + 20} className="chart-label" textAnchor="end">
              {truncate(label(r), 12)}
            </text>
            {TARGETS.map((n, j) => {
              const p = r[n].metPct;
              const by = y + j * 12;
              return (
                <g key={n}>
                  <rect x={labelW} y={by} width={barW} height={9} rx={2} className="chart-track" />
                  {p !== null ? <rect x={labelW} y={by} width={Math.max(1, (barW * p) / 100)} height={9} rx={2} fill={TARGET_COLOR[n]} /> : null}
                  <text x={labelW + barW + 6} y={by + 8} className="chart-value">
                    {fmtPct(p)}
                  </text>
                </g>
              );
            })}
          </g>
        );
      })}
    </svg>
  );
}

function TrendChart({ points }: { points: readonly SlaReportRow[] }) {
  const { t } = useI18n();
  const w = 520;
  const h = 220;
  const pad = { l: 36, r: 12, t: 12, b: 26 };
  const x = (i: number) => pad.l + (points.length <= 1 ? (w - pad.l - pad.r) / 2 : ((w - pad.l - pad.r) * i) / (points.length - 1));
  const y = (p: number) => pad.t + (h - pad.t - pad.b) * (1 - p / 100);
  const series: { key: string; color: string; values: (number | null)[] }[] = [
    { key: 'overall', color: '#1c2433', values: points.map(overallPct) },
    ...TARGETS.map((n) => ({ key: n, color: TARGET_COLOR[n], values: points.map((r) => pctOf(r[n].met, r[n].breached)) })),
  ];
  const labelEvery = Math.max(1, Math.ceil(points.length / 8));
  return (
    <svg className="chart" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={t('sla.chartTitle')} data-testid="trend-chart" preserveAspectRatio="xMinYMin meet">
      {[0, 50, 100].map((p) => (
        <g key={p}>
          <line x1={pad.l} x2={w - pad.r} y1={y(p)} y2={y(p)} className="chart-grid-line" />
          <text x={pad.l - 6} y={y(p) + 4} className="chart-axis" textAnchor="end">
            {p}%
          </text>
        </g>
      ))}
      {points.map((r, i) =>
        i % labelEvery === 0 ? (
          <text key={r.key} x={x(i)} y={h - 8} className="chart-axis" textAnchor="middle">
            {(r.key ?? '').slice(5) || r.key}
          </text>
        ) : null,
      )}
      {series.map((s) => {
        const pts = s.values.map((p, i) => (p === null ? null : ([x(i), y(p)] as const)));
        const d = pts.reduce((acc, p, i) => (p === null ? acc : `${acc}${acc && pts[i - 1] ? 'L' : 'M'}${p[0].toFixed(1)},${p[1].toFixed(1)}`), '');
        return (
          <g key={s.key} data-series={s.key}>
            {d ? <path d={d} fill="none" stroke={s.color} strokeWidth={s.key === 'overall' ? 2.5 : 1.5} /> : null}
            {pts.map((p, i) => (p ? <circle key={i} cx={p[0]} cy={p[1]} r={s.key === 'overall' ? 3.5 : 2.5} fill={s.color} /> : null))}
          </g>
        );
      })}
    </svg>
  );
}

const truncate = (s: string, n: number) => (Array.from(s).length > n ? `${Array.from(s).slice(0, n - 1).join('')}…` : s);
