import type { Request, Response, Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from '../http/zod.js';
import type { ApiDeps } from '../context.js';
import type { Principal } from '../../domain/access.js';
import { findCategoriesByGroup } from '../../app/cases/settings.js';
import { findLossReasonsByGroup } from '../../app/leads/settings.js';
import { findWarrantySettingsByGroup } from '../../app/warranty/settings.js';
import { commonError, type Lang } from '../../app/errors.js';
import { findTodayOfProjects } from '../../app/org/local-days.js';
import { findProjectInScopeOrThrow } from '../../app/org/repository.js';
import { findSlaBreachedCases, findSlaBreaches, type BreachFilter } from '../../app/reports/breaches.js';
import { preferredLang } from '../http/errors.js';
import { defineRoute, pageAnswer, pageOf, skipTake, type RouteSpec } from '../http/route.js';
import { sendCsv, wantsCsv } from './csv.js';
import { breachContext, breachedCasesCsv, breachesCsv, toBreachView, toBreachedCaseView } from './breach-view.js';
import { emptySlaReportRow, leadLabeller, leadReportCsv, slaLabeller, slaReportCsv } from './report-csv.js';
import { findSlaReport, type ReportScope } from './sla-report.js';
import { emptyLeadReportRow, findLeadReportRows } from './lead-report.js';
import { buildSalesReport, salesReportCsv } from './sales-report.js';
import { buildRepairReport, REPAIR_CSV_ROWS, repairReportCsv } from './repair-report.js';
import { WORDS } from './terms.js';
import {
  LeadReportQuery,
  LeadReportView,
  RepairReportQuery,
  RepairReportView,
  SalesReportQuery,
  SalesReportView,
  SlaBreachView,
  SlaBreachedCaseView,
  SlaBreachesQuery,
  SlaPeriod,
  SlaReportQuery,
  SlaReportView,
} from './schemas.js';

const DAY_MS = 86_400_000;
const MAX_CSV_ROWS = 100_000;

/** The language of the answer's words (Accept-Language: zh-CN by default, or en), said in its headers. */
function answerLanguage(req: Request, res: Response): Lang {
  const lang = preferredLang(req.headers['accept-language']);
  res.setHeader('Content-Language', lang);
  res.vary('Accept-Language');
  return lang;
}

/** `sla-report-tier-2026-01-01-2026-02-01.csv`: what a download holds, and for which period. */
const csvName = (what: string, period: { from: Date; to: Date }) => `${what}-${period.from.toISOString().slice(0, 10)}-${period.to.toISOString().slice(0, 10)}.csv`;

/**
 * A grouped report's answer: each group with its label, then the totals row (the empty row when
 * the cohort is empty), as JSON or, when the client asks for CSV, as a download; labels in `lang`.
 */
async function groupedReport<Row extends { key: string | null }, G extends string>(
  req: Request,
  res: Response,
  o: {
    name: string;
    lang: Lang;
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
  const totals = { ...(o.totals ?? o.empty()), key: 'all', label: WORDS.total[o.lang] };
  if (wantsCsv((t) => req.accepts(t))) {
    sendCsv(res, csvName(`${o.name}-${o.groupBy}`, o.scope), await o.csv([...groups, totals]), o.lang);
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

export function registerReportRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;
  /** A report: GET, JSON or CSV (Accept: text/csv), 404 for a `projectId` filter naming no project in the caller's scope. */
  const reportRoute = <QS extends z.ZodType<Record<string, unknown>>, RS extends z.ZodType>(
    o: Pick<RouteSpec<z.ZodType<Record<string, unknown>>, QS, z.ZodType, RS>, 'path' | 'operationId' | 'summary' | 'access' | 'query' | 'response' | 'handler'>,
  ) => defineRoute(router, registry, { method: 'get', tags: ['reports'], produces: ['text/csv'], errors: [404], ...o });

  reportRoute({
    path: '/api/reports/sla',
    operationId: 'getSlaReport',
    summary: 'SLA compliance by tier, category, project, assignee or period (JSON or CSV, in the language of Accept-Language) / 时效达成报表',
    access: 'reports:read',
    query: SlaReportQuery,
    response: SlaReportView,
    async handler({ query, principal, req, res }) {
      const lang = answerLanguage(req, res);
      const scope = await reportScope(deps, principal, query);
      const [{ groups, totals }, categories] = await Promise.all([
        findSlaReport(db, scope, query.groupBy),
        query.groupBy === 'category' ? findCategoriesByGroup(db, principal.groupId) : [],
      ]);
      const label = await slaLabeller(deps, query.groupBy, groups.map((g) => g.key), categories, lang);
      return groupedReport(req, res, {
        name: 'sla-report',
        lang,
        groupBy: query.groupBy,
        scope,
        groups,
        totals,
        empty: emptySlaReportRow,
        label,
        csv: (rows) => slaReportCsv(rows, lang),
      });
    },
  });

  reportRoute({
    path: '/api/reports/leads',
    operationId: 'getLeadReport',
    summary: 'Lead follow-up and conversion by source, grade, owner or project (JSON or CSV, in the language of Accept-Language) / 线索跟进与转化报表',
    access: 'reports:leads',
    query: LeadReportQuery,
    response: LeadReportView,
    async handler({ query, principal, req, res }) {
      const lang = answerLanguage(req, res);
      const scope = await reportScope(deps, principal, { ...query, timeZone: 'UTC' });
      const now = new Date();
      const [groups, [totals]] = await Promise.all([findLeadReportRows(db, scope, query.groupBy, now), findLeadReportRows(db, scope, 'all', now)]);
      const label = await leadLabeller(deps, query.groupBy, groups.map((g) => g.key), lang);
      return groupedReport(req, res, {
        name: 'lead-report',
        lang,
        groupBy: query.groupBy,
        scope,
        groups,
        totals,
        empty: emptyLeadReportRow,
        label,
        csv: async (rows) => leadReportCsv(rows, await findLossReasonsByGroup(db, principal.groupId), lang),
      });
    },
  });

  reportRoute({
    path: '/api/reports/sales',
    operationId: 'getSaleReport',
    summary: 'Sales pipeline, value, mortgage turnaround and handover defects by stage, project or owner (JSON or CSV, in the language of Accept-Language) / 销售报表',
    access: 'reports:sales',
    query: SalesReportQuery,
    response: SalesReportView,
    async handler({ query, principal, req, res }) {
      const lang = answerLanguage(req, res);
      const scope = await reportScope(deps, principal, { ...query, timeZone: 'UTC' });
      const report = await buildSalesReport(db, scope, query.groupBy, lang);
      if (wantsCsv((t) => req.accepts(t))) {
        sendCsv(res, csvName(`sales-report-${query.groupBy}`, scope), salesReportCsv(report, lang), lang);
        return;
      }
      return report;
    },
  });

  reportRoute({
    path: '/api/reports/repairs',
    operationId: 'getRepairReport',
    summary:
      'Work orders: first-time fix by technician or contractor, repeat repairs of a unit and category within 90 days, defects by responsible contractor, category and building, warranty charge-backs by contractor, contractor ratings with their warranty retention recommendation (JSON, or one table as CSV, in the language of Accept-Language) / 维修报表',
    access: 'reports:read',
    query: RepairReportQuery,
    response: RepairReportView,
    async handler({ query, principal, req, res }) {
      const lang = answerLanguage(req, res);
      const scope = await reportScope(deps, principal, query);
      const csv = wantsCsv((t) => req.accepts(t));
      const [categories, warranty] = await Promise.all([findCategoriesByGroup(db, principal.groupId), findWarrantySettingsByGroup(db, principal.groupId)]);
      const report = await buildRepairReport(db, scope, { lang, categories, retention: warranty.retention, repeatLimit: csv ? REPAIR_CSV_ROWS : undefined });
      if (csv) {
        sendCsv(res, csvName(`repair-report-${query.table}`, scope), repairReportCsv(report, query.table, lang, query.timeZone), lang);
        return;
      }
      return report;
    },
  });

  /** The breach lists' filter: the opening period (unless only today's breaches are asked for), the place, target, tier, today. */
  async function breachFilter(principal: Principal, query: z.output<typeof SlaBreachesQuery>, now: Date): Promise<{ filter: BreachFilter; file: (what: string) => string }> {
    const scope = await reportScope(deps, principal, query);
    const today = query.breachedToday === 'true';
    const anyOpening = today && !query.from && !query.to;
    const filter: BreachFilter = {
      principal,
      opened: anyOpening ? undefined : { from: scope.from, to: scope.to },
      projectId: query.projectId,
      target: query.target,
      tier: query.tier,
      breachedToday: today ? await findTodayOfProjects(db, principal.groupId, now.getTime()) : undefined,
      now,
    };
    const file = (what: string) => (anyOpening ? `${what}-breached-${now.toISOString().slice(0, 10)}.csv` : csvName(what, scope));
    return { filter, file };
  }

  reportRoute({
    path: '/api/reports/sla/breaches',
    operationId: 'listSlaBreaches',
    summary: 'Every SLA breach with its case, target, tier, assignee and lateness, one row per breach (JSON or CSV) / 超时明细',
    access: 'reports:read',
    query: SlaBreachesQuery,
    response: pageOf(SlaBreachView),
    async handler({ query, principal, req, res }) {
      const lang = answerLanguage(req, res);
      const { filter, file } = await breachFilter(principal, query, new Date());
      const csv = wantsCsv((t) => req.accepts(t));
      const { rows, total } = await findSlaBreaches(db, filter, csv ? { skip: 0, take: MAX_CSV_ROWS } : skipTake(query));
      const cx = await breachContext(deps, principal, lang, rows.map((r) => r.projectId), rows.map((r) => r.assigneeId));
      const items = rows.map((r) => toBreachView(r, cx));
      if (csv) {
        sendCsv(res, file('sla-breaches'), breachesCsv(items, cx), lang);
        return;
      }
      return pageAnswer(query, items, total);
    },
  });

  reportRoute({
    path: '/api/reports/sla/breached-cases',
    operationId: 'listSlaBreachedCases',
    summary: 'The cases with SLA breaches, one entry per case with its breaches, the latest breach first (JSON or CSV) / 超时工单（按工单汇总）',
    access: 'reports:read',
    query: SlaBreachesQuery,
    response: pageOf(SlaBreachedCaseView),
    async handler({ query, principal, req, res }) {
      const lang = answerLanguage(req, res);
      const { filter, file } = await breachFilter(principal, query, new Date());
      const csv = wantsCsv((t) => req.accepts(t));
      const { rows, total } = await findSlaBreachedCases(db, filter, csv ? { skip: 0, take: MAX_CSV_ROWS } : skipTake(query));
      const cx = await breachContext(
        deps,
        principal,
        lang,
        rows.map((r) => r.projectId),
        rows.flatMap((r) => [r.assigneeId, ...r.breaches.map((b) => b.assigneeId)]),
      );
      const items = rows.map((c) => toBreachedCaseView(c, cx));
      if (csv) {
        sendCsv(res, file('sla-breached-cases'), breachedCasesCsv(items, cx), lang);
        return;
      }
      return pageAnswer(query, items, total);
    },
  });
}

