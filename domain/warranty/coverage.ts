import type { DateTime } from 'luxon';
import { WarrantyRuleError, WarrantyRuleErrorCode } from './errors.js';
import {
  chinaDayOf,
  endInstantOf,
  lastDayOfCalendarPeriod,
  lastDayOfSeasonPeriod,
  type WarrantySeasons,
} from './periods.js';
import {
  BUYER_MINIMUM,
  BUYER_REMAINING_CLAUSE,
  CONSTRUCTION_WARRANTY,
  isWarrantyComponent,
  NO_STATUTORY_PERIOD_CLAUSE,
  type StatutoryPeriod,
  type WarrantyClause,
  type WarrantyComponent,
} from './statutory-periods.js';

/**
 * A longer period a project or a city sets for a component (a developer's published promise, a
 * city's implementing rule). It competes with the statutory periods like any other: the latest end
 * wins, so an override never shortens a statutory period — a shorter one is simply not chosen.
 * `from` says what it is counted from: handover (a promise to buyers) or completion acceptance.
 */
export interface WarrantyOverride {
  scope: { projectId: string } | { city: string };
  component: WarrantyComponent;
  years?: number;
  months?: number;
  from: 'handover' | 'completion';
}

/** Where the unit is: the overrides that apply are those of its project and of its city. */
export interface WarrantyPlace {
  projectId: string;
  city: string;
}

export interface WarrantyCoverageInput {
  component: WarrantyComponent;
  /** Completion acceptance (竣工验收合格) of the building, epoch ms. */
  completionAcceptedAt: number;
  /** The sale's handover (交付), epoch ms; null while the unit is unsold or not handed over. */
  handedOverAt: number | null;
  /** When the owner reported the defect, epoch ms. */
  reportedAt: number;
  /** 设计文件规定的合理使用年限 of the building, whole years (typically 50). */
  designLifeYears: number;
  overrides: readonly WarrantyOverride[];
  place: WarrantyPlace;
  seasons: WarrantySeasons;
  /** Art. 33: a non-residential unit has no 1998 minimums, only the remaining construction period. Default true. */
  residential?: boolean;
}

export type WarrantyBasis = 'construction' | 'buyer' | 'override' | 'none';

export interface WarrantyCoverage {
  component: WarrantyComponent;
  /** Whether the report falls inside the winning period: 保内 (true) or 保外 (false). */
  covered: boolean;
  /** The screens' words for `covered`. */
  label: { zh: '保内' | '保外'; en: 'In warranty' | 'Out of warranty' };
  /** The first instant no longer covered: 00:00 China time after the last day; null without any period. */
  endsAt: number | null;
  /** The last covered day in China time (YYYY-MM-DD), inclusive; null without any period. */
  lastDay: string | null;
  clause: WarrantyClause;
  basis: WarrantyBasis;
}

interface Candidate {
  lastDay: DateTime;
  clause: WarrantyClause;
  basis: Exclude<WarrantyBasis, 'none'>;
  /** Tie-break: lower wins. After handover the owner holds the buyer's warranty, so it goes first. */
  rank: number;
}

const MAX_DESIGN_LIFE_YEARS = 200;

function lastDayOf({ period, fromDay, completionDay, designLifeYears, seasons }: {
  period: StatutoryPeriod;
  fromDay: DateTime;
  completionDay: DateTime;
  designLifeYears: number;
  seasons: WarrantySeasons;
}): DateTime | undefined {
  switch (period.kind) {
    case 'calendar':
      return lastDayOfCalendarPeriod({ fromDay, ...period });
    // The design life is the building's, counted from its completion whichever warranty asks.
    case 'design_life':
      return lastDayOfCalendarPeriod({ fromDay: completionDay, years: designLifeYears });
    case 'seasons':
      return lastDayOfSeasonPeriod({ fromDay, seasons, count: period.count });
    case 'as_agreed':
      return undefined;
  }
}

function overrideClause(o: WarrantyOverride): WarrantyClause {
  const years = o.years ?? 0;
  const months = o.months ?? 0;
  const zhLength = `${years > 0 ? `${years} 年` : ''}${months > 0 ? `${months} 个月` : ''}`;
  const enLength = [years > 0 ? `${years} year${years === 1 ? '' : 's'}` : '', months > 0 ? `${months} month${months === 1 ? '' : 's'}` : ''].filter(Boolean).join(' ');
  const zhFrom = o.from === 'handover' ? '自交付之日起' : '自竣工验收之日起';
  const enFrom = o.from === 'handover' ? 'from handover' : 'from completion acceptance';
  if ('projectId' in o.scope) {
    return { code: `override.project.${o.component}`, zh: `项目约定保修期：${zhFrom}${zhLength}`, en: `Project warranty: ${enLength} ${enFrom}` };
  }
  return { code: `override.city.${o.component}`, zh: `${o.scope.city}地方规定保修期：${zhFrom}${zhLength}`, en: `City rule (${o.scope.city}): ${enLength} ${enFrom}` };
}

function validOverride(o: WarrantyOverride): void {
  const years = o.years ?? 0;
  const months = o.months ?? 0;
  if (!Number.isInteger(years) || !Number.isInteger(months) || years < 0 || months < 0 || years + months === 0) {
    throw new WarrantyRuleError(WarrantyRuleErrorCode.INVALID_OVERRIDE, `an override needs a positive whole number of years or months (${o.component})`);
  }
}

function applies(o: WarrantyOverride, component: WarrantyComponent, place: WarrantyPlace): boolean {
  if (o.component !== component) return false;
  return 'projectId' in o.scope ? o.scope.projectId === place.projectId : o.scope.city === place.city;
}

/**
 * Whether a defect of `component` reported at `reportedAt` is under warranty, until when, and by
 * which clause. Every applicable period is a candidate — the construction warranty from completion
 * acceptance; after handover the buyer's warranty (the 1998 minimum from handover, and art. 33's
 * "not shorter than the remaining construction period"); the project's and city's overrides — and
 * the one ending last wins (ties: buyer, then construction, then override). The report is covered
 * when it comes before the winning period's end instant (`reportedAt < endsAt`); a report before
 * completion acceptance is inside the period too (the builder's defect, whoever is liable).
 */
export function warrantyCoverage(input: WarrantyCoverageInput): WarrantyCoverage {
  const { component, designLifeYears, overrides, place, seasons } = input;
  if (!isWarrantyComponent(component)) throw new WarrantyRuleError(WarrantyRuleErrorCode.UNKNOWN_COMPONENT, `unknown component ${String(component)}`);
  if (!Number.isInteger(designLifeYears) || designLifeYears < 1 || designLifeYears > MAX_DESIGN_LIFE_YEARS) {
    throw new WarrantyRuleError(WarrantyRuleErrorCode.INVALID_DESIGN_LIFE, `the design service life must be whole years between 1 and ${MAX_DESIGN_LIFE_YEARS}, got ${String(designLifeYears)}`);
  }
  const completionDay = chinaDayOf(input.completionAcceptedAt, 'completionAcceptedAt');
  const handoverDay = input.handedOverAt === null ? null : chinaDayOf(input.handedOverAt, 'handedOverAt');
  chinaDayOf(input.reportedAt, 'reportedAt');
  const residential = input.residential ?? true;
  const context = { completionDay, designLifeYears, seasons };

  const candidates: Candidate[] = [];
  const construction = CONSTRUCTION_WARRANTY[component];
  const constructionEnd = lastDayOf({ period: construction.period, fromDay: completionDay, ...context });
  if (constructionEnd) candidates.push({ lastDay: constructionEnd, clause: construction.clause, basis: 'construction', rank: 2 });

  if (handoverDay) {
    // Art. 33: the buyer's period is at least what remains of the construction warranty at handover…
    if (constructionEnd && constructionEnd >= handoverDay) {
      candidates.push({ lastDay: constructionEnd, clause: BUYER_REMAINING_CLAUSE, basis: 'buyer', rank: 1 });
    }
    // …and, for homes, at least the 1998 minimum counted from handover.
    const minimum = BUYER_MINIMUM[component];
    const minimumEnd = residential && minimum ? lastDayOf({ period: minimum.period, fromDay: handoverDay, ...context }) : undefined;
    if (minimum && minimumEnd) candidates.push({ lastDay: minimumEnd, clause: minimum.clause, basis: 'buyer', rank: 0 });
  }

  for (const o of overrides) {
    validOverride(o);
    if (!applies(o, component, place)) continue;
    const fromDay = o.from === 'handover' ? handoverDay : completionDay;
    if (!fromDay) continue;
    candidates.push({ lastDay: lastDayOfCalendarPeriod({ fromDay, years: o.years, months: o.months }), clause: overrideClause(o), basis: 'override', rank: 3 });
  }

  if (candidates.length === 0) {
    return { component, covered: false, label: { zh: '保外', en: 'Out of warranty' }, endsAt: null, lastDay: null, clause: NO_STATUTORY_PERIOD_CLAUSE, basis: 'none' };
  }
  const winner = candidates.reduce((best, c) => {
    const later = c.lastDay.toMillis() - best.lastDay.toMillis();
    return later > 0 || (later === 0 && c.rank < best.rank) ? c : best;
  });
  const endsAt = endInstantOf(winner.lastDay);
  const covered = input.reportedAt < endsAt;
  return {
    component,
    covered,
    label: covered ? { zh: '保内', en: 'In warranty' } : { zh: '保外', en: 'Out of warranty' },
    endsAt,
    lastDay: winner.lastDay.toISODate(),
    clause: winner.clause,
    basis: winner.basis,
  };
}
