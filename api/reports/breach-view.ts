import type { ApiDeps } from '../context.js';
import type { Principal } from '../../domain/access.js';
import type { Lang } from '../../app/errors.js';
import type { Category } from '../../domain/cases/categories.js';
import { findCategoriesByGroup } from '../../app/cases/settings.js';
import { findProjectNamesByIds, findProjectTimeZonesByIds } from '../../app/org/repository.js';
import type { BreachedCaseRow, BreachRow } from '../../app/reports/breaches.js';
import { findUserNamesByIds } from '../../app/users/repository.js';
import { csvOf, hoursOf, isoIn, type CsvColumn } from './csv.js';
import { CASE_STATUS_WORDS, CSV_HEADERS, TARGET_WORDS, TIER_WORDS, WORDS, categoryLabel, wordOf } from './terms.js';
import type { SlaBreach, SlaBreachedCase } from './schemas.js';

/** The breach lists' answers: each breach or breached case with names, and their CSV downloads in the caller's language. */

/** What the breach lists' rows need beyond the rows: names, categories, each project's time zone. */
export interface BreachContext {
  lang: Lang;
  projectName: Map<string, string>;
  projectZone: Map<string, string>;
  userName: Map<string, string>;
  categories: readonly Category[];
  defaultZone: string;
}

export async function breachContext(deps: ApiDeps, principal: Principal, lang: Lang, projectIds: string[], userIds: (string | null)[]): Promise<BreachContext> {
  const users = userIds.filter((u): u is string => u !== null);
  const [projectName, projectZone, userName, categories] = await Promise.all([
    findProjectNamesByIds(deps.db, projectIds),
    findProjectTimeZonesByIds(deps.db, projectIds),
    findUserNamesByIds(deps.db, users),
    findCategoriesByGroup(deps.db, principal.groupId),
  ]);
  return { lang, projectName, projectZone, userName, categories, defaultZone: deps.config.defaultTimeZone };
}

export function toBreachView(b: BreachRow, cx: BreachContext): SlaBreach {
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

export function breachesCsv(items: SlaBreach[], cx: BreachContext): string {
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

export function breachedCasesCsv(items: SlaBreachedCase[], cx: BreachContext): string {
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

/** A breached case with its breaches (latest first), the figures over them, and names. */
export function toBreachedCaseView(c: BreachedCaseRow, cx: BreachContext): SlaBreachedCase {
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
}
