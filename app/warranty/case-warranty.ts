import { componentOfCategory } from '../../domain/warranty/category-components.js';
import { warrantyCoverage, type WarrantyCoverage, type WarrantyCoverageInput } from '../../domain/warranty/coverage.js';
import { WarrantyRuleError } from '../../domain/warranty/errors.js';
import { seasonsOfCity, type WarrantySettings } from '../../domain/warranty/settings.js';
import type { WarrantyComponent } from '../../domain/warranty/statutory-periods.js';
import type { Db } from '../../platform/db.js';
import { findUnitWarrantyFacts, type UnitWarrantyFacts } from './repository.js';
import { findWarrantySettingsByGroup } from './settings.js';

/**
 * What a case says about warranty:
 * - `coverage`: 保内/保外 with its end and clause (the statutory table, `domain/warranty`);
 * - `unknown`: a warranty question the data cannot answer yet, with why — no unit on the case,
 *   the building's completion acceptance not recorded, or a season-counted component in a city
 *   without that season configured;
 * - null: the category is not about a part of the building (a service complaint, an enquiry).
 */
export type CaseWarranty =
  | ({ status: 'coverage' } & WarrantyCoverage)
  | { status: 'unknown'; component: WarrantyComponent; reason: 'NO_UNIT' | 'COMPLETION_NOT_RECORDED' | 'NO_SEASON' | 'INVALID_FACTS' };

export interface CaseWarrantySubject {
  groupId: string;
  unitId: string | null;
  category: string;
  /** When the owner reported the defect: the case's opening. */
  openedAt: Date;
}

/**
 * The statutory table's input for a defect of `component` in a unit with these facts, reported at
 * `reportedAt`: what a case shows and what a work order is created with.
 */
export function warrantyInputOf(component: WarrantyComponent, facts: UnitWarrantyFacts & { completionAcceptedOn: Date }, settings: WarrantySettings, reportedAt: number): WarrantyCoverageInput {
  return {
    component,
    // A DATE column reads as UTC midnight of that day; the table counts China days, so the day is
    // taken as noon UTC, which is the same day in China (UTC+8).
    completionAcceptedAt: facts.completionAcceptedOn.getTime() + 12 * 3600_000,
    handedOverAt: facts.handedOverAt?.getTime() ?? null,
    reportedAt,
    designLifeYears: facts.designLifeYears,
    overrides: settings.overrides,
    place: { projectId: facts.projectId, city: facts.city ?? '' },
    seasons: seasonsOfCity(settings, facts.city),
  };
}

/** The pure part: a case's warranty from its facts and the organisation's settings. */
export function caseWarrantyOf(subject: CaseWarrantySubject, facts: UnitWarrantyFacts | null, settings: WarrantySettings): CaseWarranty | null {
  const component = componentOfCategory({ code: subject.category, rules: settings.categoryComponents });
  if (!component) return null;
  if (!facts) return { status: 'unknown', component, reason: 'NO_UNIT' };
  const { completionAcceptedOn } = facts;
  if (!completionAcceptedOn) return { status: 'unknown', component, reason: 'COMPLETION_NOT_RECORDED' };
  try {
    return { status: 'coverage', ...warrantyCoverage(warrantyInputOf(component, { ...facts, completionAcceptedOn }, settings, subject.openedAt.getTime())) };
  } catch (err) {
    if (!(err instanceof WarrantyRuleError)) throw err;
    return { status: 'unknown', component, reason: err.code === 'NO_SEASONS' ? 'NO_SEASON' : 'INVALID_FACTS' };
  }
}

/** A case's warranty, read from its unit, building, sale and the organisation's settings. */
export async function findCaseWarranty(db: Db, subject: CaseWarrantySubject): Promise<CaseWarranty | null> {
  const settings = await findWarrantySettingsByGroup(db, subject.groupId);
  if (!componentOfCategory({ code: subject.category, rules: settings.categoryComponents })) return null;
  const facts = subject.unitId ? await findUnitWarrantyFacts(db, subject.groupId, subject.unitId) : null;
  return caseWarrantyOf(subject, facts, settings);
}
