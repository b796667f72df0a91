import type { ApiDeps } from '../context.js';
import type { Lang } from '../../app/errors.js';
import type { Category } from '../../domain/cases/categories.js';
import { TARGETS } from '../../domain/cases/types.js';
import { findProjectNamesByIds } from '../../app/org/repository.js';
import { findUserNamesByIds } from '../../app/users/repository.js';
import { csvOf, hoursOf, type CsvColumn } from './csv.js';
import type { SlaReportRowData } from './sla-report.js';
import { CSV_HEADERS, GRADE_WORDS, LEAD_SOURCE_WORDS, TARGET_WORDS, TIER_WORDS, WORDS, categoryLabel, nameIn, wordOf } from './terms.js';
import type { LeadGroupBy, LeadReportRow, SlaGroupBy, SlaReportRow } from './schemas.js';

/** The SLA and lead reports' group labels and CSV downloads, in the caller's language. */

/** Human labels for report keys: project and staff names, category and tier names in `lang`. */
export async function slaLabeller(deps: ApiDeps, groupBy: SlaGroupBy, keys: (string | null)[], categories: readonly Category[], lang: Lang) {
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

export function slaReportCsv(rows: SlaReportRow[], lang: Lang): string {
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
    { header: CSV_HEADERS.groupKey, cell: (r) => r.key },
  ];
  return csvOf(lang, columns, rows);
}

/** Human labels for lead report keys: sources and grades in `lang`, staff and project names. */
export async function leadLabeller(deps: ApiDeps, groupBy: LeadGroupBy, keys: (string | null)[], lang: Lang) {
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
export function leadReportCsv(rows: LeadReportRow[], reasons: { code: string; name: { zh: string; en: string } }[], lang: Lang): string {
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
    { header: CSV_HEADERS.groupKey, cell: (r) => r.key },
  ];
  return csvOf(lang, columns, rows);
}

export function emptySlaReportRow(): SlaReportRowData {
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

