import type { Request, Response, Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from '../http/zod.js';
import type { ApiDeps } from '../context.js';
import type { Principal } from '../../domain/access.js';
import { TARGETS } from '../../domain/cases/types.js';
import { findCategoriesByGroup } from '../../app/cases/settings.js';
import { findLossReasonsByGroup } from '../../app/leads/settings.js';
import { commonError } from '../../app/errors.js';
import { defineRoute, pageAnswer, pageOf, skipTake, type RouteSpec } from '../http/route.js';
import { findProjectInScopeOrThrow, findProjectNamesByIds } from '../../app/org/repository.js';
import { findUserNamesByIds } from '../../app/users/repository.js';
import { sendCsv, toCsv, wantsCsv } from './csv.js';
import { findSlaBreaches, findSlaReportRows, type ReportScope, type SlaReportRowData } from './sla-report.js';
import { emptyLeadReportRow, findLeadReportRows } from './lead-report.js';
import { GRADES, LEAD_SOURCES } from '../../domain/leads/types.js';
import { buildSalesReport, salesReportCsv } from './sales-report.js';
import {
  LeadReportQuery,
  LeadReportView,
  SalesReportQuery,
  SalesReportView,
  SlaBreachView,
  SlaBreachesQuery,
  SlaPeriod,
  SlaReportQuery,
  SlaReportView,
  type LeadGroupBy,
  type LeadReportRow,
  type SlaGroupBy,
  type SlaReportRow,
} from './schemas.js';

const DAY_MS = 86_400_000;
const MAX_CSV_ROWS = 100_000;

const SOURCE_NAMES: Record<(typeof LEAD_SOURCES)[number], string> = {
  web: '官网 / Website',
  wechat: '微信 / WeChat',
  portal: '房产门户 / Property portal',
  walk_in: '到访 / Walk-in',
  event: '活动 / Event',
  referral: '老带新 / Referral',
  call: '来电 / Phone call',
};

/** Human labels for lead report keys: bilingual sources and grades, staff and project names. */
async function leadLabeller(deps: ApiDeps, groupBy: LeadGroupBy, keys: (string | null)[]) {
  const ids = keys.filter((k): k is string => k !== null);
  let names = new Map<string, string>();
  if (groupBy === 'source') names = new Map(Object.entries(SOURCE_NAMES));
  if (groupBy === 'grade') names = new Map(GRADES.map((g) => [g, `${g}级 / Grade ${g}`]));
  if (groupBy === 'project') names = await findProjectNamesByIds(deps.db, ids);
  if (groupBy === 'owner') names = await findUserNamesByIds(deps.db, ids);
  return (key: string | null) => (key === null ? (groupBy === 'owner' ? '公共池 / Pool (no owner)' : '—') : (names.get(key) ?? key));
}

/** One column per loss reason: the configured ones in their order, then any other code on record. */
function leadReportCsv(rows: LeadReportRow[], reasonCodes: string[]): string {
  const seen = new Set(reasonCodes);
  const codes = [...reasonCodes, ...[...new Set(rows.flatMap((r) => Object.keys(r.lossReasons)))].filter((c) => !seen.has(c)).sort()];
  const header = [
    'key', 'label', 'leads', 'open', 'pooled', 'contacted', 'contacted_within_target', 'first_contact_missed', 'contacted_within_target_pct',
    'converted', 'conversion_pct', 'median_days_to_convert', 'lost', ...codes.map((c) => `lost_${c}`),
  ];
  return toCsv(
    header,
    rows.map((r) => [
      r.key, r.label, r.leads, r.open, r.pooled, r.contacted, r.contactedWithinTarget, r.firstContactMissed, r.contactedWithinTargetPct,
      r.converted, r.conversionPct, r.medianDaysToConvert, r.lost, ...codes.map((c) => r.lossReasons[c] ?? 0),
    ]),
  );
}

/** `sla-report-tier-2026-01-01-2026-02-01.csv`: what a download holds, and for which period. */
const csvName = (what: string, period: { from: Date; to: Date }) => `${what}-${period.from.toISOString().slice(0, 10)}-${period.to.toISOString().slice(0, 10)}.csv`;

/**
 * A grouped report's answer: each group with its label, then the totals row (the empty row when
 * the cohort is empty), as JSON or, when the client asks for CSV, as a download.
 */
async function groupedReport<Row extends { key: string | null }, G extends string>(
  req: Request,
  res: Response,
  o: {
    name: string;
    groupBy: G;
    scope: { from: Date; to: Date };
    groups: Row[];
    totals: Row | undefined;
    empty: () => Row;
    label: (key: string | null) => string;
    csv: (rows: Array<Row & { label: string }>) => string | Promise<string>;
  },
) {
  const groups = o.groups.map((g) => ({ ...g, label: o.label(g.key) }));
  const totals = { ...(o.totals ?? o.empty()), key: 'all', label: '合计 / Total' };
  if (wantsCsv((t) => req.accepts(t))) {
    sendCsv(res, csvName(`${o.name}-${o.groupBy}`, o.scope), await o.csv([...groups, totals]));
    return undefined;
  }
  return { from: o.scope.from.toISOString(), to: o.scope.to.toISOString(), groupBy: o.groupBy, groups, totals };
}

async function reportScope(deps: ApiDeps, principal: Principal, q: z.output<typeof SlaPeriod>): Promise<ReportScope> {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY_MS);
  if (from >= to) throw commonError('RANGE_REVERSED', {}, { field: 'query.from' });
  if (q.projectId) await findProjectInScopeOrThrow(deps.db, principal, q.projectId);
  return { principal, from, to, projectId: q.projectId, timeZone: q.timeZone };
}

/** Human labels for report keys: project and staff names, bilingual category and tier names. */
async function labeller(deps: ApiDeps, principal: Principal, groupBy: SlaGroupBy, keys: (string | null)[]) {
  const ids = keys.filter((k): k is string => k !== null);
  const TIER_NAMES: Record<string, string> = { PROJECT: '项目 / Project', COMPANY: '公司 / Company', GROUP: '集团 / Group' };
  let names = new Map<string, string>();
  if (groupBy === 'project') names = await findProjectNamesByIds(deps.db, ids);
  if (groupBy === 'assignee') names = await findUserNamesByIds(deps.db, ids);
  if (groupBy === 'category')
    names = new Map((await findCategoriesByGroup(deps.db, principal.groupId)).map((c) => [c.code, `${c.name.zh} / ${c.name.en}`]));
  if (groupBy === 'tier') names = new Map(Object.entries(TIER_NAMES));
  return (key: string | null) => (key === null ? (groupBy === 'assignee' ? '未分配 / Unassigned' : '—') : (names.get(key) ?? key));
}

const hours = (ms: number | null) => (ms === null ? null : Math.round(ms / 36_000) / 100);

function reportCsv(rows: SlaReportRow[]): string {
  const header = [
    'key', 'label', 'cases',
    ...TARGETS.flatMap((t) => [`${t}_met`, `${t}_breached`, `${t}_met_pct`]),
    'first_contact_median_hours', 'first_contact_p90_hours', 'resolution_median_hours', 'resolution_p90_hours',
    'escalations', 'callbacks', 'satisfaction_avg',
  ];
  return toCsv(
    header,
    rows.map((r) => [
      r.key, r.label, r.cases,
      ...TARGETS.flatMap((t) => [r[t].met, r[t].breached, r[t].metPct]),
      hours(r.timeToFirstContactMs.median), hours(r.timeToFirstContactMs.p90), hours(r.timeToResolutionMs.median), hours(r.timeToResolutionMs.p90),
      r.escalations, r.callbacks, r.satisfactionAvg,
    ]),
  );
}

export function registerReportRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;
  /** A report: GET, JSON or CSV (Accept: text/csv), 404 for a `projectId` filter naming no project in the caller's scope. */
  const reportRoute = <QS extends z.ZodType<Record<string, unknown>>, RS extends z.ZodType>(
    o: Pick<RouteSpec<z.ZodType<Record<string, unknown>>, QS, z.ZodType, RS>, 'path' | 'operationId' | 'summary' | 'access' | 'query' | 'response' | 'handler'>,
  ) => defineRoute(router, registry, { method: 'get', tags: ['reports'], produces: ['text/csv'], errors: [404], ...o });

  reportRoute({
    path: '/api/reports/sla',
    operationId: 'getSlaReport',
    summary: 'SLA compliance by tier, category, project, assignee or period (JSON or CSV) / 时效达成报表',
    access: 'reports:read',
    query: SlaReportQuery,
    response: SlaReportView,
    async handler({ query, principal, req, res }) {
      const scope = await reportScope(deps, principal, query);
      const [groups, [totals]] = await Promise.all([findSlaReportRows(db, scope, query.groupBy), findSlaReportRows(db, scope, 'all')]);
      const label = await labeller(deps, principal, query.groupBy, groups.map((g) => g.key));
      return groupedReport(req, res, { name: 'sla-report', groupBy: query.groupBy, scope, groups, totals, empty: emptyRow, label, csv: reportCsv });
    },
  });

  reportRoute({
    path: '/api/reports/leads',
    operationId: 'getLeadReport',
    summary: 'Lead follow-up and conversion by source, grade, owner or project (JSON or CSV) / 线索跟进与转化报表',
    access: 'reports:leads',
    query: LeadReportQuery,
    response: LeadReportView,
    async handler({ query, principal, req, res }) {
      const scope = await reportScope(deps, principal, { ...query, timeZone: 'UTC' });
      const now = new Date();
      const [groups, [totals]] = await Promise.all([findLeadReportRows(db, scope, query.groupBy, now), findLeadReportRows(db, scope, 'all', now)]);
      const label = await leadLabeller(deps, query.groupBy, groups.map((g) => g.key));
      return groupedReport(req, res, {
        name: 'lead-report',
        groupBy: query.groupBy,
        scope,
        groups,
        totals,
        empty: emptyLeadReportRow,
        label,
        csv: async (rows) => leadReportCsv(rows, (await findLossReasonsByGroup(db, principal.groupId)).map((r) => r.code)),
      });
    },
  });

  reportRoute({
    path: '/api/reports/sales',
    operationId: 'getSaleReport',
    summary: 'Sales pipeline, value, mortgage turnaround and handover defects by stage, project or owner (JSON or CSV) / 销售报表',
    access: 'reports:sales',
    query: SalesReportQuery,
    response: SalesReportView,
    async handler({ query, principal, req, res }) {
      const scope = await reportScope(deps, principal, { ...query, timeZone: 'UTC' });
      const report = await buildSalesReport(db, scope, query.groupBy);
      if (wantsCsv((t) => req.accepts(t))) {
        sendCsv(res, csvName(`sales-report-${query.groupBy}`, scope), salesReportCsv(report));
        return;
      }
      return report;
    },
  });

  reportRoute({
    path: '/api/reports/sla/breaches',
    operationId: 'listSlaBreaches',
    summary: 'Every SLA breach with its case, target, tier, assignee and lateness (JSON or CSV) / 超时明细',
    access: 'reports:read',
    query: SlaBreachesQuery,
    response: pageOf(SlaBreachView),
    async handler({ query, principal, req, res }) {
      const scope = { ...(await reportScope(deps, principal, query)), target: query.target, tier: query.tier };
      const csv = wantsCsv((t) => req.accepts(t));
      const { rows, total } = await findSlaBreaches(db, scope, csv ? { skip: 0, take: MAX_CSV_ROWS } : skipTake(query));
      const projectName = await findProjectNamesByIds(db, rows.map((r) => r.projectId));
      const userName = await findUserNamesByIds(db, rows.flatMap((r) => (r.assigneeId ? [r.assigneeId] : [])));
      const items = rows.map((r) => ({
        ...r,
        projectName: projectName.get(r.projectId) ?? null,
        assigneeName: r.assigneeId ? (userName.get(r.assigneeId) ?? null) : null,
        startedAt: r.startedAt.toISOString(),
        dueAt: r.dueAt.toISOString(),
        breachedAt: r.breachedAt.toISOString(),
        metAt: r.metAt?.toISOString() ?? null,
      }));
      if (csv) {
        const header = ['case_number', 'target', 'tier', 'category', 'project', 'assignee', 'started_at', 'due_at', 'breached_at', 'met_at', 'lateness_hours'];
        sendCsv(
          res,
          csvName('sla-breaches', scope),
          toCsv(
            header,
            items.map((b) => [b.caseNumber, b.target, b.tier, b.category, b.projectName ?? b.projectId, b.assigneeName ?? b.assigneeId, b.startedAt, b.dueAt, b.breachedAt, b.metAt, hours(b.latenessMs)]),
          ),
        );
        return;
      }
      return pageAnswer(query, items, total);
    },
  });
}

function emptyRow(): SlaReportRowData {
  const none = { met: 0, breached: 0, metPct: null };
  return {
    key: 'all',
    cases: 0,
    firstContact: none,
    resolution: none,
    callback: none,
    timeToFirstContactMs: { median: null, p90: null },
    timeToResolutionMs: { median: null, p90: null },
    escalations: 0,
    callbacks: 0,
    satisfactionAvg: null,
  };
}
