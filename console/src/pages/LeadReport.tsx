/**
 * 线索报表 (sales managers, managers): leads registered in a period by source, grade, owner or
 * project — where they went (converted, lost, still open, in the pool), contacted within target
 * and conversion rates, median days to convert, the loss reasons — with CSV export. Charts are
 * small inline SVG components, as on the SLA dashboard (no chart library, nothing inline-scripted).
 */
import { useState } from 'react';
import { GRADES, LEAD_SOURCES, type Grade, type LeadSource } from '../../../domain/leads/types.js';
import type { User } from '../api.js';
import { formatNumber } from '../format.js';
import { useI18n } from '../i18n.js';
import { useOrgLookups } from '../lookups.js';
import { ReportFilters, useReportFilters } from '../report-filters.js';
import { lossReasonName, useLossReasons } from '../lead-ui.js';
import { LEAD_REPORT_GROUPS, leadsApi, type LeadGroupBy, type LeadReportRow } from '../leads-api.js';
import { Card, DataTable, ProblemAlert, SegmentedRadios, downloadBlob, useAsync, type Column } from '../ui.js';

const fmtPct = (p: number | null | undefined) => (p === null || p === undefined ? '—' : `${p.toFixed(p >= 99.95 || p === 0 ? 0 : 1)}%`);

/** Where the leads of a group went, in stacking order, with their colours (SVG fill attributes). */
const OUTCOMES = [
  { key: 'converted', color: '#1f9d55', labelKey: 'leadReport.converted' },
  { key: 'inCadence', color: '#1f5fbf', labelKey: 'leadReport.open' },
  { key: 'pooled', color: '#d69e2e', labelKey: 'leadReport.pooled' },
  { key: 'lost', color: '#c53030', labelKey: 'leadReport.lost' },
] as const;
const RATE_COLORS = { within: '#1f5fbf', conversion: '#1f9d55' } as const;

function split(r: LeadReportRow): Record<(typeof OUTCOMES)[number]['key'], number> {
  return { converted: r.converted, inCadence: Math.max(0, r.open - r.pooled), pooled: r.pooled, lost: r.lost };
}

export function LeadReportPage(_props: { user: User }) {
  const { t, lang } = useI18n();
  const lookups = useOrgLookups();
  const { reasons } = useLossReasons();
  const filters = useReportFilters(30);
  const { applied } = filters;
  const [groupBy, setGroupBy] = useState<LeadGroupBy>('source');
  const [exportError, setExportError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);

  const query = { ...filters.query, groupBy };
  const report = useAsync((signal) => leadsApi.report(query, signal), [applied.from, applied.to, applied.projectId, groupBy]);
  const rows = report.data?.groups ?? [];
  const totals = report.data?.totals ?? null;

  const groupLabel = (r: LeadReportRow): string => {
    if (r.key === null) return groupBy === 'owner' ? t('leadReport.noOwner') : '—';
    if (r.key === 'all') return t('leadReport.total');
    switch (groupBy) {
      case 'source':
        return (LEAD_SOURCES as readonly string[]).includes(r.key) ? t(`source.${r.key as LeadSource}` as const) : r.label;
      case 'grade':
        return (GRADES as readonly string[]).includes(r.key) ? t(`grade.${r.key as Grade}` as const) : r.label;
      case 'project':
        return r.label || (lookups.projectName(r.key) ?? r.key);
      case 'owner':
        return r.label || r.key.slice(0, 8);
    }
  };

  const exportCsv = () => {
    setExportError(null);
    setExporting(true);
    downloadBlob(leadsApi.reportCsv(query), `lead-report-${groupBy}-${applied.from}-${applied.to}.csv`)
      .catch(setExportError)
      .finally(() => setExporting(false));
  };

  const columns: Column<LeadReportRow>[] = [
    { key: 'group', header: t('sla.group'), render: (r) => <strong>{groupLabel(r)}</strong> },
    { key: 'leads', header: t('leadReport.leads'), className: 'num', render: (r) => formatNumber(r.leads, lang) },
    { key: 'open', header: t('leadReport.open'), className: 'num', render: (r) => formatNumber(r.open, lang) },
    { key: 'pooled', header: t('leadReport.pooled'), className: 'num', render: (r) => formatNumber(r.pooled, lang) },
    { key: 'contacted', header: t('leadReport.contacted'), className: 'num', render: (r) => formatNumber(r.contacted, lang) },
    {
      key: 'within',
      header: t('leadReport.withinTarget'),
      className: 'num nowrap',
      render: (r) => (
        <span>
          {fmtPct(r.contactedWithinTargetPct)}{' '}
          <span className="muted">
            ({r.contactedWithinTarget}/{r.contactedWithinTarget + r.firstContactMissed})
          </span>
        </span>
      ),
    },
    { key: 'converted', header: t('leadReport.converted'), className: 'num', render: (r) => formatNumber(r.converted, lang) },
    { key: 'conversion', header: t('leadReport.conversion'), className: 'num', render: (r) => fmtPct(r.conversionPct) },
    {
      key: 'days',
      header: t('leadReport.medianDays'),
      className: 'num nowrap',
      render: (r) => (r.medianDaysToConvert === null ? '—' : t('leadReport.days', { n: r.medianDaysToConvert.toFixed(1) })),
    },
    { key: 'lost', header: t('leadReport.lost'), className: 'num', render: (r) => formatNumber(r.lost, lang) },
  ];

  const reasonRows = Object.entries(totals?.lossReasons ?? {})
    .map(([code, n]) => ({ code, n, name: lossReasonName(code, reasons, lang) }))
    .sort((a, b) => b.n - a.n);

  return (
    <div className="page" data-testid="lead-report">
      <Card>
        <ReportFilters filters={filters} projectLabel={t('leads.project')} loading={report.loading} exporting={exporting} onExport={exportCsv} exportTestId="export-lead-report" />
        <p className="card-intro muted">{t('leadReport.intro')}</p>
        <ProblemAlert error={exportError} withCode />
        <ProblemAlert error={report.error} onRetry={report.reload} withCode />
        <div className="stat-grid kpis">
          <Kpi label={t('leadReport.leads')} value={totals ? formatNumber(totals.leads, lang) : '—'} testId="kpi-leads" />
          <Kpi label={t('leadReport.withinTarget')} value={totals ? fmtPct(totals.contactedWithinTargetPct) : '—'} testId="kpi-within" color={RATE_COLORS.within} />
          <Kpi label={t('leadReport.conversion')} value={totals ? fmtPct(totals.conversionPct) : '—'} testId="kpi-conversion" color={RATE_COLORS.conversion} />
          <Kpi
            label={t('leadReport.medianDays')}
            value={totals?.medianDaysToConvert != null ? t('leadReport.days', { n: totals.medianDaysToConvert.toFixed(1) }) : '—'}
            testId="kpi-days"
          />
          <Kpi label={t('leadReport.open')} value={totals ? formatNumber(totals.open, lang) : '—'} testId="kpi-open" />
          <Kpi label={t('leadReport.pooled')} value={totals ? formatNumber(totals.pooled, lang) : '—'} testId="kpi-pooled" />
          <Kpi label={t('leadReport.lost')} value={totals ? formatNumber(totals.lost, lang) : '—'} testId="kpi-lost" />
        </div>
      </Card>

      <div className="chart-grid">
        <Card
          title={t('leadReport.chartTitle')}
          actions={
            <SegmentedRadios
              label={t('sla.groupBy')}
              testId="group-by"
              options={LEAD_REPORT_GROUPS.map((g) => ({ value: g, label: t(`leadReport.groupBy.${g}` as const) }))}
              value={groupBy}
              onChange={setGroupBy}
            />
          }
        >
          {rows.length === 0 && !report.loading ? <p className="muted">{t('sla.noData')}</p> : <OutcomeBars rows={rows} label={groupLabel} />}
          <div className="legend">
            {OUTCOMES.map((o) => (
              <span key={o.key}>
                <Swatch color={o.color} /> {t(o.labelKey)}
              </span>
            ))}
          </div>
        </Card>
        <Card title={t('leadReport.rateTitle')}>
          {rows.length === 0 && !report.loading ? <p className="muted">{t('sla.noData')}</p> : <RateBars rows={rows} label={groupLabel} />}
          <div className="legend">
            <span>
              <Swatch color={RATE_COLORS.within} /> {t('leadReport.withinTarget')}
            </span>
            <span>
              <Swatch color={RATE_COLORS.conversion} /> {t('leadReport.conversion')}
            </span>
          </div>
        </Card>
        <Card title={t('leadReport.lossReasons')}>
          {reasonRows.length === 0 ? <p className="muted">{t('sla.noData')}</p> : <ReasonBars rows={reasonRows} />}
        </Card>
      </div>

      <Card title={t('leadReport.tableTitle', { group: t(`leadReport.groupBy.${groupBy}` as const) })}>
        <DataTable
          testId="lead-report-table"
          columns={columns}
          rows={totals && rows.length > 0 ? [...rows, totals] : rows}
          rowKey={(r) => r.key ?? '__none__'}
          loading={report.loading}
          emptyKey="sla.noData"
        />
      </Card>
    </div>
  );
}

function Swatch({ color }: { color: string }) {
  return (
    <svg className="legend-swatch" width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
      <rect width="10" height="10" rx="3" fill={color} />
    </svg>
  );
}

function Kpi({ label, value, color, testId }: { label: string; value: string; color?: string; testId?: string }) {
  return (
    <div className="stat kpi">
      <div className="stat-label">
        {color ? <Swatch color={color} /> : null} {label}
      </div>
      <div className="stat-value" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

const truncate = (s: string, n: number) => (Array.from(s).length > n ? `${Array.from(s).slice(0, n - 1).join('')}…` : s);

/** Per group, one bar as long as its leads, split by where they went. */
function OutcomeBars({ rows, label }: { rows: readonly LeadReportRow[]; label: (r: LeadReportRow) => string }) {
  const { t } = useI18n();
  const labelW = 130;
  const barW = 360;
  const rowH = 30;
  const height = rows.length * rowH + 10;
  const max = Math.max(1, ...rows.map((r) => r.leads));
  return (
    <svg className="chart" viewBox={`0 0 ${labelW + barW + 50} ${height}`} role="img" aria-label={t('leadReport.chartTitle')} data-testid="outcome-chart" preserveAspectRatio="xMinYMin meet">
      {rows.map((r, i) => {
        const y = i * rowH + 6;
        const parts = split(r);
        let x = labelW;
        return (
          <g key={r.key ?? '__none__'} data-key={r.key ?? ''}>
            <text x={labelW - 8} y={y + 13} className="chart-label" textAnchor="end">
              {truncate(label(r), 10)}
            </text>
            <rect x={labelW} y={y} width={barW} height={18} rx={3} className="chart-track" />
            {OUTCOMES.map((o) => {
              const w = (barW * parts[o.key]) / max;
              const rect = w > 0 ? <rect key={o.key} x={x} y={y} width={w} height={18} fill={o.color} data-series={o.key} /> : null;
              x += w;
              return rect;
            })}
            <text x={labelW + (barW * r.leads) / max + 6} y={y + 13} className="chart-value">
              {r.leads}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Per group, contacted-within-target % and conversion % side by side. */
function RateBars({ rows, label }: { rows: readonly LeadReportRow[]; label: (r: LeadReportRow) => string }) {
  const { t } = useI18n();
  const labelW = 130;
  const barW = 340;
  const rowH = 34;
  const height = rows.length * rowH + 24;
  const series = [
    { key: 'within', color: RATE_COLORS.within, value: (r: LeadReportRow) => r.contactedWithinTargetPct },
    { key: 'conversion', color: RATE_COLORS.conversion, value: (r: LeadReportRow) => r.conversionPct },
  ] as const;
  return (
    <svg className="chart" viewBox={`0 0 ${labelW + barW + 60} ${height}`} role="img" aria-label={t('leadReport.rateTitle')} data-testid="rate-chart" preserveAspectRatio="xMinYMin meet">
      {[0, 50, 100].map((p) => (
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
            <text x={labelW - 8} y={y + 14} className="chart-label" textAnchor="end">
              {truncate(label(r), 10)}
            </text>
            {series.map((s, j) => {
              const p = s.value(r);
              const by = y + j * 12;
              return (
                <g key={s.key}>
                  <rect x={labelW} y={by} width={barW} height={9} rx={2} className="chart-track" />
                  {p !== null ? <rect x={labelW} y={by} width={Math.max(1, (barW * p) / 100)} height={9} rx={2} fill={s.color} /> : null}
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

function ReasonBars({ rows }: { rows: readonly { code: string; n: number; name: string }[] }) {
  const { t } = useI18n();
  const labelW = 150;
  const barW = 320;
  const rowH = 26;
  const height = rows.length * rowH + 8;
  const max = Math.max(1, ...rows.map((r) => r.n));
  return (
    <svg className="chart" viewBox={`0 0 ${labelW + barW + 50} ${height}`} role="img" aria-label={t('leadReport.lossReasons')} data-testid="reason-chart" preserveAspectRatio="xMinYMin meet">
      {rows.map((r, i) => {
        const y = i * rowH + 4;
        return (
          <g key={r.code} data-reason={r.code}>
            <text x={labelW - 8} y={y + 12} className="chart-label" textAnchor="end">
              {truncate(r.name, 12)}
            </text>
            <rect x={labelW} y={y} width={barW} height={16} rx={3} className="chart-track" />
            <rect x={labelW} y={y} width={Math.max(2, (barW * r.n) / max)} height={16} rx={3} fill="#c53030" />
            <text x={labelW + (barW * r.n) / max + 6} y={y + 12} className="chart-value">
              {r.n}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
