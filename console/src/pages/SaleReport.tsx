/**
 * 销售看板 (sales managers, managers): sales subscribed in a period — the pipeline by stage (count
 * and value), the same sales by stage, project or owner with where they went, lapse and
 * cancellation reasons, mortgage turnaround and handover defects per unit — with CSV export.
 * Charts are small inline SVG components, as on the lead report (no chart library, nothing
 * inline-scripted). Money is summed in fen (BigInt), never in binary floats.
 */
import { useState } from 'react';
import { SALE_STAGES, type SaleStage } from '../../../domain/sales/types.js';
import type { User } from '../api.js';
import { formatNumber } from '../format.js';
import { useI18n } from '../i18n.js';
import { useOrgLookups } from '../lookups.js';
import { ReportFilters, useReportFilters } from '../report-filters.js';
import { fenOf, formatFen, pctOfFen, sumFen, yuan } from '../sale-ui.js';
import { SALE_REPORT_GROUPS, salesApi, type SalesGroupBy, type SalesReportRow } from '../sales-api.js';
import { Card, DataTable, ProblemAlert, SegmentedRadios, downloadBlob, useAsync, type Column } from '../ui.js';

const fmtPct = (p: number | null | undefined) => (p === null || p === undefined ? '—' : `${p.toFixed(p >= 99.95 || p === 0 ? 0 : 1)}%`);
const fmtNum = (n: number | null | undefined, digits = 1) => (n === null || n === undefined || !Number.isFinite(n) ? '—' : n.toFixed(digits));

/** One colour per stage (SVG fill attributes): the live stages in blues and ambers, the ends in green, grey, red. */
const STAGE_COLOR: Record<SaleStage, string> = {
  subscribed: '#6b8fd6',
  contracted: '#1f5fbf',
  paying: '#d69e2e',
  mortgage_pending: '#b7791f',
  paid: '#0e9f8e',
  inspection: '#805ad5',
  handed_over: '#1f9d55',
  lapsed: '#c53030',
  cancelled: '#8a94a6',
};

/** Where the sales of a group went, in stacking order. */
const OUTCOMES = [
  { key: 'handedOver', color: '#1f9d55', labelKey: 'saleReport.handedOver' },
  { key: 'live', color: '#1f5fbf', labelKey: 'saleReport.live' },
  { key: 'lapsed', color: '#c53030', labelKey: 'saleReport.lapsed' },
  { key: 'cancelled', color: '#8a94a6', labelKey: 'saleReport.cancelled' },
] as const;

export function SaleReportPage(_props: { user: User }) {
  const { t, lang } = useI18n();
  const lookups = useOrgLookups();
  const filters = useReportFilters(90);
  const { applied } = filters;
  const [groupBy, setGroupBy] = useState<SalesGroupBy>('stage');
  const [exportError, setExportError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);

  const query = { ...filters.query, groupBy };
  const report = useAsync((signal) => salesApi.report(query, signal), [applied.from, applied.to, applied.projectId, groupBy]);
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
    mortgageCount: rows.reduce((s, r) => s + r.mortgageCount, 0),
  };

  const groupLabel = (r: SalesReportRow): string => {
    if (r.key === null) return groupBy === 'owner' ? t('saleReport.noOwner') : '—';
    switch (groupBy) {
      case 'stage':
        return (SALE_STAGES as readonly string[]).includes(r.key) ? t(`saleStage.${r.key as SaleStage}` as const) : r.label;
      case 'project':
        return r.label || (lookups.projectName(r.key) ?? r.key);
      case 'owner':
        return r.label || r.key.slice(0, 8);
    }
  };
  const reasonName = (code: string) => (code === 'contract_deadline' ? t('sev.lapse.contract_deadline') : code === 'unspecified' ? t('saleReport.unspecified') : code);

  const exportCsv = () => {
    setExportError(null);
    setExporting(true);
    downloadBlob(salesApi.reportCsv(query), `sales-report-${groupBy}-${applied.from}-${applied.to}.csv`)
      .catch(setExportError)
      .finally(() => setExporting(false));
  };

  const columns: Column<SalesReportRow>[] = [
    { key: 'group', header: t('sla.group'), render: (r) => <strong>{r.key === '__total__' ? t('saleReport.total') : groupLabel(r)}</strong> },
    { key: 'sales', header: t('saleReport.sales'), className: 'num', render: (r) => formatNumber(r.sales, lang) },
    { key: 'live', header: t('saleReport.live'), className: 'num', render: (r) => formatNumber(r.live, lang) },
    { key: 'handedOver', header: t('saleReport.handedOver'), className: 'num', render: (r) => formatNumber(r.handedOver, lang) },
    { key: 'lapsed', header: t('saleReport.lapsed'), className: 'num', render: (r) => formatNumber(r.lapsed, lang) },
    { key: 'cancelled', header: t('saleReport.cancelled'), className: 'num', render: (r) => formatNumber(r.cancelled, lang) },
    { key: 'value', header: t('saleReport.value'), className: 'num nowrap', render: (r) => yuan(r.value, lang) },
    { key: 'paid', header: t('saleReport.paid'), className: 'num nowrap', render: (r) => yuan(r.paid, lang) },
    {
      key: 'paidPct',
      header: t('saleReport.paidPct'),
      className: 'num',
      render: (r) => fmtPct(pctOfFen(fenOf(r.paid) ?? 0n, fenOf(r.value) ?? 0n)),
    },
    { key: 'mortgages', header: t('saleReport.mortgages'), className: 'num', render: (r) => formatNumber(r.mortgageCount, lang) },
    {
      key: 'mortgageDays',
      header: t('saleReport.mortgageDays'),
      className: 'num nowrap',
      render: (r) =>
        r.mortgageMedianDays === null ? '—' : `${t('saleReport.days', { n: fmtNum(r.mortgageMedianDays) })} / ${t('saleReport.days', { n: fmtNum(r.mortgageP90Days) })}`,
    },
    { key: 'defects', header: t('saleReport.defectsPerUnit'), className: 'num', render: (r) => fmtNum(r.handoverDefectsPerUnit, 2) },
  ];
  const totalRow: SalesReportRow | null =
    data && rows.length > 0
      ? {
          key: '__total__',
          label: t('saleReport.total'),
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
    <div className="page" data-testid="sale-report">
      <Card>
        <ReportFilters filters={filters} projectLabel={t('sale.project')} loading={report.loading} exporting={exporting} onExport={exportCsv} exportTestId="export-sale-report" />
        <p className="card-intro muted">{t('saleReport.intro')}</p>
        <ProblemAlert error={exportError} withCode />
        <ProblemAlert error={report.error} onRetry={report.reload} withCode />
        <div className="stat-grid kpis">
          <Kpi label={t('saleReport.sales')} value={data ? formatNumber(totals.sales, lang) : '—'} testId="kpi-sales" />
          <Kpi label={t('saleReport.live')} value={data ? formatNumber(totals.live, lang) : '—'} testId="kpi-live" />
          <Kpi label={t('saleReport.handedOver')} value={data ? formatNumber(totals.handedOver, lang) : '—'} testId="kpi-handed-over" />
          <Kpi label={t('saleReport.value')} value={data ? formatFen(totals.value, lang) : '—'} testId="kpi-value" money />
          <Kpi label={t('saleReport.paid')} value={data ? formatFen(totals.paid, lang) : '—'} testId="kpi-paid" money />
          <Kpi label={t('saleReport.paidPct')} value={data ? fmtPct(pctOfFen(totals.paid, totals.value)) : '—'} testId="kpi-paid-pct" />
          <Kpi
            label={t('saleReport.mortgageMedian')}
            value={data?.mortgage.medianDays != null ? t('saleReport.days', { n: fmtNum(data.mortgage.medianDays) }) : '—'}
            testId="kpi-mortgage"
          />
          <Kpi label={t('saleReport.defectsPerUnit')} value={data ? fmtNum(data.handover.defectsPerUnit, 2) : '—'} testId="kpi-defects" />
        </div>
      </Card>

      <div className="chart-grid">
        <Card title={t('saleReport.pipeline')}>
          {!data && !report.loading ? <p className="muted">{t('sla.noData')}</p> : <PipelineBars pipeline={pipeline} />}
        </Card>
        <Card
          title={t('saleReport.chartTitle')}
          actions={
            <SegmentedRadios
              label={t('sla.groupBy')}
              testId="group-by"
              options={SALE_REPORT_GROUPS.map((g) => ({ value: g, label: t(`saleReport.groupBy.${g}` as const) }))}
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
        <Card title={t('saleReport.lapseReasons')}>
          {(data?.lapseReasons.length ?? 0) === 0 ? (
            <p className="muted">{t('sla.noData')}</p>
          ) : (
            <ReasonBars testId="lapse-chart" color="#c53030" rows={(data?.lapseReasons ?? []).map((r) => ({ key: r.reason, n: r.count, name: reasonName(r.reason) }))} />
          )}
        </Card>
        <Card title={t('saleReport.cancellationReasons')}>
          {(data?.cancellationReasons.length ?? 0) === 0 ? (
            <p className="muted">{t('sla.noData')}</p>
          ) : (
            <ReasonBars testId="cancel-chart" color="#8a94a6" rows={(data?.cancellationReasons ?? []).map((r) => ({ key: r.reason, n: r.count, name: reasonName(r.reason) }))} />
          )}
        </Card>
        <Card title={t('saleReport.mortgageTitle')}>
          <div className="stat-grid kpis" data-testid="mortgage-stats">
            <Kpi label={t('saleReport.mortgages')} value={data ? formatNumber(data.mortgage.count, lang) : '—'} />
            <Kpi label={t('saleReport.mortgageMedian')} value={data?.mortgage.medianDays != null ? t('saleReport.days', { n: fmtNum(data.mortgage.medianDays) }) : '—'} />
            <Kpi label="P90" value={data?.mortgage.p90Days != null ? t('saleReport.days', { n: fmtNum(data.mortgage.p90Days) }) : '—'} />
          </div>
        </Card>
        <Card title={t('saleReport.handoverTitle')}>
          <div className="stat-grid kpis" data-testid="handover-stats">
            <Kpi label={t('saleReport.handedOver')} value={data ? formatNumber(data.handover.handedOver, lang) : '—'} />
            <Kpi label={t('saleReport.inspectionDefects')} value={data ? formatNumber(data.handover.inspectionDefects, lang) : '—'} />
            <Kpi label={t('saleReport.handoverDefects')} value={data ? formatNumber(data.handover.handoverDefects, lang) : '—'} />
            <Kpi label={t('saleReport.defectsPerUnit')} value={data ? fmtNum(data.handover.defectsPerUnit, 2) : '—'} />
          </div>
        </Card>
      </div>

      <Card title={t('saleReport.tableTitle', { group: t(`saleReport.groupBy.${groupBy}` as const) })}>
        <DataTable
          testId="sale-report-table"
          columns={columns}
          rows={totalRow ? [...rows, totalRow] : rows}
          rowKey={(r) => r.key ?? '__none__'}
          loading={report.loading}
          emptyKey="sla.noData"
        />
      </Card>
    </div>
  );
}

/** Fen as a plain decimal string (`123456` → `"1234.56"`), for the totals row. */
function formatFenPlain(fen: bigint): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

function Swatch({ color }: { color: string }) {
  return (
    <svg className="legend-swatch" width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
      <rect width="10" height="10" rx="3" fill={color} />
    </svg>
  );
}

function Kpi({ label, value, testId, money }: { label: string; value: string; testId?: string; money?: boolean }) {
  return (
    <div className={`stat kpi${money ? ' kpi-money' : ''}`}>
      <div className="stat-label">{label}</div>
      <div className="stat-value" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

const truncate = (s: string, n: number) => (Array.from(s).length > n ? `${Array.from(s).slice(0, n - 1).join('')}…` : s);

/** One bar per stage, as long as its count, labelled with the count and the value. */
function PipelineBars({ pipeline }: { pipeline: readonly { stage: SaleStage; count: number; value: string }[] }) {
  const { t, lang } = useI18n();
  const labelW = 110;
  const barW = 300;
  const rowH = 28;
  const height = pipeline.length * rowH + 8;
  const max = Math.max(1, ...pipeline.map((p) => p.count));
  return (
    <svg className="chart" viewBox={`0 0 ${labelW + barW + 150} ${height}`} role="img" aria-label={t('saleReport.pipeline')} data-testid="pipeline-chart" preserveAspectRatio="xMinYMin meet">
      {pipeline.map((p, i) => {
        const y = i * rowH + 4;
        const w = (barW * p.count) / max;
        return (
          <g key={p.stage} data-stage={p.stage} data-count={p.count}>
            <text x={labelW - 8} y={y + 13} className="chart-label" textAnchor="end">
              {t(`saleStage.${p.stage}` as const)}
            </text>
            <rect x={labelW} y={y} width={barW} height={18} rx={3} className="chart-track" />
            {p.count > 0 ? <rect x={labelW} y={y} width={Math.max(2, w)} height={18} rx={3} fill={STAGE_COLOR[p.stage]} /> : null}
            <text x={labelW + w + 6} y={y + 13} className="chart-value">
              {p.count} · {yuan(p.value, lang)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Per group, one bar as long as its sales, split by where they went. */
function OutcomeBars({ rows, label }: { rows: readonly SalesReportRow[]; label: (r: SalesReportRow) => string }) {
  const { t } = useI18n();
  const labelW = 130;
  const barW = 340;
  const rowH = 30;
  const height = rows.length * rowH + 10;
  const max = Math.max(1, ...rows.map((r) => r.sales));
  return (
    <svg className="chart" viewBox={`0 0 ${labelW + barW + 50} ${height}`} role="img" aria-label={t('saleReport.chartTitle')} data-testid="outcome-chart" preserveAspectRatio="xMinYMin meet">
      {rows.map((r, i) => {
        const y = i * rowH + 6;
        let x = labelW;
        return (
          <g key={r.key ?? '__none__'} data-key={r.key ?? ''}>
            <text x={labelW - 8} y={y + 13} className="chart-label" textAnchor="end">
              {truncate(label(r), 10)}
            </text>
            <rect x={labelW} y={y} width={barW} height={18} rx={3} className="chart-track" />
            {OUTCOMES.map((o) => {
              const w = (barW * r[o.key]) / max;
              const rect = w > 0 ? <rect key={o.key} x={x} y={y} width={w} height={18} fill={o.color} data-series={o.key} /> : null;
              x += w;
              return rect;
            })}
            <text x={labelW + (barW * r.sales) / max + 6} y={y + 13} className="chart-value">
              {r.sales}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function ReasonBars({ rows, color, testId }: { rows: readonly { key: string; n: number; name: string }[]; color: string; testId: string }) {
  const { t } = useI18n();
  const labelW = 170;
  const barW = 300;
  const rowH = 26;
  const sorted = [...rows].sort((a, b) => b.n - a.n);
  const height = sorted.length * rowH + 8;
  const max = Math.max(1, ...sorted.map((r) => r.n));
  return (
    <svg className="chart" viewBox={`0 0 ${labelW + barW + 50} ${height}`} role="img" aria-label={t(testId === 'lapse-chart' ? 'saleReport.lapseReasons' : 'saleReport.cancellationReasons')} data-testid={testId} preserveAspectRatio="xMinYMin meet">
      {sorted.map((r, i) => {
        const y = i * rowH + 4;
        return (
          <g key={`${r.key}-${i}`} data-reason={r.key}>
            <title>{r.name}</title>
            <text x={labelW - 8} y={y + 12} className="chart-label" textAnchor="end">
              {truncate(r.name, 14)}
            </text>
            <rect x={labelW} y={y} width={barW} height={16} rx={3} className="chart-track" />
            <rect x={labelW} y={y} width={Math.max(2, (barW * r.n) / max)} height={16} rx={3} fill={color} />
            <text x={labelW + (barW * r.n) / max + 6} y={y + 12} className="chart-value">
              {r.n}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
