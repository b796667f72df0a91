import type { Request, Response, Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from '../http/zod.js';
import type { ApiDeps } from '../context.js';
import type { Principal } from '../../domain/access.js';
import { TARGETS } from '../../domain/cases/types.js';
import type { Category } from '../../domain/cases/categories.js';
import { findCategoriesByGroup } from '../../app/cases/settings.js';
import { findLossReasonsByGroup } from '../../app/leads/settings.js';
import { commonError, type Lang } from '../../app/errors.js';
import { findTodayOfProjects } from '../../app/org/local-days.js';
import { findSlaBreachedCases, findSlaBreaches, type BreachFilter, type BreachRow } from '../../app/reports/breaches.js';
import { preferredLang } from '../http/errors.js';
import { defineRoute, pageAnswer, pageOf, skipTake, type RouteSpec } from '../http/route.js';
import { findProjectInScopeOrThrow, findProjectNamesByIds, findProjectTimeZonesByIds } from '../../app/org/repository.js';
import { findUserNamesByIds } from '../../app/users/repository.js';
import { csvOf, hoursOf, isoIn, sendCsv, wantsCsv, type CsvColumn } from './csv.js';
import { findSlaReportRows, type ReportScope, type SlaReportRowData } from './sla-report.js';
import { emptyLeadReportRow, findLeadReportRows } from './lead-report.js';
import { buildSalesReport, salesReportCsv } from './sales-report.js';
import {
  CASE_STATUS_WORDS,
  CSV_HEADERS,
  GRADE_WORDS,
  LEAD_SOURCE_WORDS,
  TARGET_WORDS,
  TIER_WORDS,
  WORDS,
  categoryLabel,
  nameIn,
  wordOf,
} from './terms.js';
import {
  LeadReportQuery,
  LeadReportView,
  SalesReportQuery,
  SalesReportView,
  SlaBreachView,
  SlaBreachedCaseView,
  SlaBreachesQuery,
  SlaPeriod,
  SlaReportQuery,
  SlaReportView,
  type LeadGroupBy,
  type LeadReportRow,
  type SlaBreach,
  type SlaBreachedCase,
  type SlaGroupBy,
  type SlaReportRow,
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

/** Human labels for lead report keys: sources and grades in `lang`, staff and project names. */
async function leadLabeller(deps: ApiDeps, groupBy: LeadGroupBy, keys: (string | null)[], lang: Lang) {
  const ids = keys.filter((k): k is string => k !== null);
  let names = new Map<string, string>();
  if (groupBy === 'project') names = await findProjectNamesByIds(deps.db, ids);
  if (groupBy === 'owner') names = await findUserNamesByIds(deps.db, ids);
  return (key: string | null) => {
    if (key === null) return groupBy === 'owner' ? WORDS.pool[lang] : WORDS.none[lang];
    if (groupBy === 'source') return wordOf(LEAD_SOURCE_WORDS, key, lang);
    if (groupBy === 'grade') return wordOf(GRADE_WORDS, key, lang);
    return names.get(key) ?? key;
  };
}

/** One column per loss reason (by its name in `lang`): the configured ones in their order, then any other code on record. */
function leadReportCsv(rows: LeadReportRow[], reasons: { code: string; name: { zh: string; en: string } }[], lang: Lang): string {
  const H = CSV_HEADERS.leads;
  const seen = new Set(reasons.map((r) => r.code));
  const others = [...new Set(rows.flatMap((r) => Object.keys(r.lossReasons)))].filter((c) => !seen.has(c)).sort();
  const columns: CsvColumn<LeadReportRow>[] = [
    { header: H.group, cell: (r) => r.label },
    { header: H.leads, cell: (r) => r.leads },
    { header: H.open, cell: (r) => r.open },
    { header: H.pooled, cell: (r) => r.pooled },
    { header: H.contacted, cell: (r) => r.contacted },
    { header: H.withinTarget, cell: (r) => r.contactedWithinTarget },
    { header: H.missed, cell: (r) => r.firstContactMissed },
    { header: H.withinTargetPct, cell: (r) => r.contactedWithinTargetPct },
    { header: H.converted, cell: (r) => r.converted },
    { header: H.conversionPct, cell: (r) => r.conversionPct },
    { header: H.medianDays, cell: (r) => r.medianDaysToConvert },
    { header: H.lost, cell: (r) => r.lost },
    ...[...reasons.map((r) => ({ code: r.code, name: nameIn(r.name, lang) })), ...others.map((code) => ({ code, name: code }))].map(
      ({ code, name }): CsvColumn<LeadReportRow> => ({ header: H.lostFor(name), cell: (r) => r.lossReasons[code] ?? 0 }),
    ),
  ];
  return csvOf(lang, columns, rows);
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

/** Human labels for report keys: project and staff names, category and tier names in `lang`. */
async function labeller(deps: ApiDeps, groupBy: SlaGroupBy, keys: (string | null)[], categories: readonly Category[], lang: Lang) {
  const ids = keys.filter((k): k is string => k !== null);
  let names = new Map<string, string>();
  if (groupBy === 'project') names = await findProjectNamesByIds(deps.db, ids);
  if (groupBy === 'assignee') names = await findUserNamesByIds(deps.db, ids);
  return (key: string | null) => {
    if (key === null) return groupBy === 'assignee' ? WORDS.unassigned[lang] : WORDS.none[lang];
    if (groupBy === 'tier') return wordOf(TIER_WORDS, key, lang);
    if (groupBy === 'category') return categoryLabel(key, categories, lang);
    return names.get(key) ?? key;
  };
}

function slaReportCsv(rows: SlaReportRow[], lang: Lang): string {
  const H = CSV_HEADERS.sla;
  const counts = (words: (typeof TARGET_WORDS)[keyof typeof TARGET_WORDS], of: (r: SlaReportRow) => SlaReportRow['overall']): CsvColumn<SlaReportRow>[] => [
    { header: H.met(words), cell: (r) => of(r).met },
    { header: H.breached(words), cell: (r) => of(r).breached },
    { header: H.inProgress(words), cell: (r) => of(r).inProgress },
    { header: H.metPct(words), cell: (r) => of(r).metPct },
  ];
  const columns: CsvColumn<SlaReportRow>[] = [
    { header: H.group, cell: (r) => r.label },
    { header: H.cases, cell: (r) => r.cases },
    ...TARGETS.flatMap((t) => counts(TARGET_WORDS[t], (r) => r[t])),
    ...counts(H.overall, (r) => r.overall),
    { header: H.typical(TARGET_WORDS.firstContact), cell: (r) => hoursOf(r.timeToFirstContactMs.median) },
    { header: H.slow(TARGET_WORDS.firstContact), cell: (r) => hoursOf(r.timeToFirstContactMs.p90) },
    { header: H.typical(TARGET_WORDS.resolution), cell: (r) => hoursOf(r.timeToResolutionMs.median) },
    { header: H.slow(TARGET_WORDS.resolution), cell: (r) => hoursOf(r.timeToResolutionMs.p90) },
    { header: H.escalations, cell: (r) => r.escalations },
    { header: H.callbacks, cell: (r) => r.callbacks },
    { header: H.satisfaction, cell: (r) => r.satisfactionAvg },
  ];
  return csvOf(lang, columns, rows);
}

/** What the breach lists' rows need beyond the rows: names, categories, each project's time zone. */
interface BreachContext {
  lang: Lang;
  projectName: Map<string, string>;
  projectZone: Map<string, string>;
  userName: Map<string, string>;
  categories: readonly Category[];
  defaultZone: string;
}

async function breachContext(deps: ApiDeps, principal: Principal, lang: Lang, projectIds: string[], userIds: (string | null)[]): Promise<BreachContext> {
  const users = userIds.filter((u): u is string => u !== null);
  const [projectName, projectZone, userName, categories] = await Promise.all([
    findProjectNamesByIds(deps.db, projectIds),
    findProjectTimeZonesByIds(deps.db, projectIds),
    findUserNamesByIds(deps.db, users),
    findCategoriesByGroup(deps.db, principal.groupId),
  ]);
  return { lang, projectName, projectZone, userName, categories, defaultZone: deps.config.defaultTimeZone };
}

function toBreachView(b: BreachRow, cx: BreachContext): SlaBreach {
  return {
    id: b.id,
    caseId: b.caseId,
    caseNumber: b.caseNumber,
    target: b.target,
    tier: b.tier,
    category: b.category,
    projectId: b.projectId,
    projectName: cx.projectName.get(b.projectId) ?? null,
    assigneeId: b.assigneeId,
    assigneeName: b.assigneeId ? (cx.userName.get(b.assigneeId) ?? null) : null,
    startedAt: b.startedAt.toISOString(),
    dueAt: b.dueAt.toISOString(),
    breachedAt: b.breachedAt.toISOString(),
    metAt: b.metAt?.toISOString() ?? null,
    periodEndedAt: b.periodEndedAt?.toISOString() ?? null,
    latenessMs: b.latenessMs,
    overdue: b.overdue,
  };
}

function breachesCsv(items: SlaBreach[], cx: BreachContext): string {
  const H = CSV_HEADERS.breaches;
  const { lang } = cx;
  const zone = (b: SlaBreach) => cx.projectZone.get(b.projectId) ?? cx.defaultZone;
  const columns: CsvColumn<SlaBreach>[] = [
    { header: H.caseNumber, cell: (b) => b.caseNumber },
    { header: H.target, cell: (b) => wordOf(TARGET_WORDS, b.target, lang) },
    { header: H.tier, cell: (b) => wordOf(TIER_WORDS, b.tier, lang) },
    { header: H.category, cell: (b) => categoryLabel(b.category, cx.categories, lang) },
    { header: H.project, cell: (b) => b.projectName ?? b.projectId },
    { header: H.assignee, cell: (b) => b.assigneeName ?? (b.assigneeId ? b.assigneeId : WORDS.unassigned[lang]) },
    { header: H.startedAt, cell: (b) => isoIn(b.startedAt, zone(b)) },
    { header: H.dueAt, cell: (b) => isoIn(b.dueAt, zone(b)) },
    { header: H.breachedAt, cell: (b) => isoIn(b.breachedAt, zone(b)) },
    { header: H.metAt, cell: (b) => isoIn(b.metAt, zone(b)) },
    { header: H.periodEndedAt, cell: (b) => isoIn(b.periodEndedAt, zone(b)) },
    { header: H.lateness, cell: (b) => hoursOf(b.latenessMs) },
    { header: H.overdue, cell: (b) => (b.overdue ? WORDS.yes : WORDS.no)[lang] },
    { header: H.timeZone, cell: (b) => zone(b) },
  ];
  return csvOf(lang, columns, items);
}

function breachedCasesCsv(items: SlaBreachedCase[], cx: BreachContext): string {
  const H = CSV_HEADERS.breachedCases;
  const { lang } = cx;
  const zone = (c: SlaBreachedCase) => cx.projectZone.get(c.projectId) ?? cx.defaultZone;
  const which = (c: SlaBreachedCase) =>
    c.breaches
      .map((b) => (lang === 'zh-CN' ? `${wordOf(TARGET_WORDS, b.target, lang)}（${wordOf(TIER_WORDS, b.tier, lang)}）` : `${wordOf(TARGET_WORDS, b.target, lang)} (${wordOf(TIER_WORDS, b.tier, lang)})`))
      .join(lang === 'zh-CN' ? '、' : '; ');
  const columns: CsvColumn<SlaBreachedCase>[] = [
    { header: H.caseNumber, cell: (c) => c.caseNumber },
    { header: H.project, cell: (c) => c.projectName ?? c.projectId },
    { header: H.tier, cell: (c) => wordOf(TIER_WORDS, c.tier, lang) },
    { header: H.status, cell: (c) => wordOf(CASE_STATUS_WORDS, c.status, lang) },
    { header: H.category, cell: (c) => categoryLabel(c.category, cx.categories, lang) },
    { header: H.assignee, cell: (c) => c.assigneeName ?? (c.assigneeId ? c.assigneeId : WORDS.unassigned[lang]) },
    { header: H.openedAt, cell: (c) => isoIn(c.openedAt, zone(c)) },
    { header: H.breachCount, cell: (c) => c.breachCount },
    { header: H.breaches, cell: which },
    { header: H.lastBreachedAt, cell: (c) => isoIn(c.lastBreachedAt, zone(c)) },
    { header: H.maxLateness, cell: (c) => hoursOf(c.maxLatenessMs) },
    { header: H.overdue, cell: (c) => (c.overdue ? WORDS.yes : WORDS.no)[lang] },
    { header: H.timeZone, cell: (c) => zone(c) },
  ];
  return csvOf(lang, columns, items);
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
      const [groups, [totals], categories] = await Promise.all([
        findSlaReportRows(db, scope, query.groupBy),
        findSlaReportRows(db, scope, 'all'),
        query.groupBy === 'category' ? findCategoriesByGroup(db, principal.groupId) : [],
      ]);
      const label = await labeller(deps, query.groupBy, groups.map((g) => g.key), categories, lang);
      return groupedReport(req, res, {
        name: 'sla-report',
        lang,
        groupBy: query.groupBy,
        scope,
        groups,
        totals,
        empty: emptyRow,
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
      const items: SlaBreachedCase[] = rows.map((c) => {
        const breaches = c.breaches.map((b) => {
          const { caseId: _c, caseNumber: _n, projectId: _p, projectName: _pn, ...rest } = toBreachView(b, cx);
          return rest;
        });
        return {
          caseId: c.caseId,
          caseNumber: c.caseNumber,
          projectId: c.projectId,
          projectName: cx.projectName.get(c.projectId) ?? null,
          tier: c.tier,
          status: c.status as SlaBreachedCase['status'],
          category: c.category,
          assigneeId: c.assigneeId,
          assigneeName: c.assigneeId ? (cx.userName.get(c.assigneeId) ?? null) : null,
          openedAt: c.openedAt.toISOString(),
          breachCount: breaches.length,
          lastBreachedAt: breaches[0]!.breachedAt,
          maxLatenessMs: Math.max(...breaches.map((b) => b.latenessMs)),
          overdue: breaches.some((b) => b.overdue),
          breaches,
        };
      });
      if (csv) {
        sendCsv(res, file('sla-breached-cases'), breachedCasesCsv(items, cx), lang);
        return;
      }
      return pageAnswer(query, items, total);
    },
  });
}

function emptyRow(): SlaReportRowData {
  const none = { met: 0, breached: 0, inProgress: 0, metPct: null };
  return {
    key: 'all',
    cases: 0,
    firstContact: none,
    resolution: none,
    callback: none,
    overall: none,
    timeToFirstContactMs: { median: null, p90: null },
    timeToResolutionMs: { median: null, p90: null },
    escalations: 0,
    callbacks: 0,
    satisfactionAvg: null,
  };
}
