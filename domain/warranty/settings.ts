import { isCategoryCode } from '../cases/categories.js';
import { joinPath, type Parsed, type ValidationIssue } from '../cases/errors.js';
import { DEFAULT_CATEGORY_COMPONENTS, type CategoryComponentRule } from './category-components.js';
import type { WarrantyOverride } from './coverage.js';
import { NORTHERN_CITY_SEASONS, type SeasonDates, type WarrantySeasons } from './periods.js';
import { isWarrantyComponent } from './statutory-periods.js';
import { DEFAULT_RETENTION_THRESHOLDS, parseRetentionThresholds, type RetentionThresholds } from '../repairs/contractor-rating.js';

/**
 * An organisation's warranty settings (the `warranty` settings document): which component each
 * category is about, the longer periods its projects or cities promise, and the heating/cooling
 * seasons by city, and the thresholds by which the group judges a contractor's warranty retention
 * payment (保修尾款, domain/repairs/contractor-rating.ts). Absent parts take the defaults; the
 * statutory table itself is not a setting.
 */
export interface WarrantySettings {
  categoryComponents: CategoryComponentRule[];
  overrides: WarrantyOverride[];
  /** Seasons where a city has none of its own. */
  seasons: WarrantySeasons;
  /** A city's own seasons (a southern city without district heating: `heating: null`). */
  citySeasons: Array<{ city: string } & WarrantySeasons>;
  /** When a contractor's retention is released, reduced by its charge-backs, or held (the repair report's contractor ratings). */
  retention: RetentionThresholds;
}

export const DEFAULT_WARRANTY_SETTINGS: WarrantySettings = Object.freeze({
  categoryComponents: [...DEFAULT_CATEGORY_COMPONENTS],
  overrides: [],
  seasons: NORTHERN_CITY_SEASONS,
  citySeasons: [],
  retention: DEFAULT_RETENTION_THRESHOLDS,
}) as WarrantySettings;

/** The seasons of a city: its own, else the organisation's default. */
export function seasonsOfCity(settings: WarrantySettings, city: string | null): WarrantySeasons {
  const own = city ? settings.citySeasons.find((c) => c.city === city) : undefined;
  return own ? { heating: own.heating, cooling: own.cooling } : settings.seasons;
}

const MM_DD = /^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isMonthDay(value: unknown): value is string {
  if (typeof value !== 'string' || !MM_DD.test(value)) return false;
  const [m, d] = value.split('-').map(Number) as [number, number];
  return d <= DAYS_IN_MONTH[m - 1]!;
}

function seasonOf(raw: unknown, path: string, errors: ValidationIssue[]): SeasonDates | null {
  if (raw === null) return null;
  const s = raw as Partial<SeasonDates> | undefined;
  if (!s || typeof s !== 'object' || !isMonthDay(s.start) || !isMonthDay(s.end) || s.start === s.end) {
    errors.push({ path, message: 'a season is { start, end } as two different MM-DD days of a common year, or null' });
    return null;
  }
  return { start: s.start, end: s.end };
}

const isWhole = (n: unknown, max: number) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= max;

/** Validates a stored or submitted document; every problem is reported with its path. */
export function parseWarrantySettings(input: unknown): Parsed<WarrantySettings> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, errors: [{ path: '', message: 'expected an object' }] };
  const raw = input as Record<string, unknown>;
  const errors: ValidationIssue[] = [];
  const known = ['categoryComponents', 'overrides', 'seasons', 'citySeasons', 'retention'];
  for (const key of Object.keys(raw)) if (!known.includes(key)) errors.push({ path: joinPath(key), message: `unknown field ${key}` });

  const out: WarrantySettings = { ...DEFAULT_WARRANTY_SETTINGS, categoryComponents: [...DEFAULT_WARRANTY_SETTINGS.categoryComponents] };
  if (raw.categoryComponents !== undefined) {
    if (!Array.isArray(raw.categoryComponents)) errors.push({ path: 'categoryComponents', message: 'expected a list of { prefix, component }' });
    else {
      const seen = new Set<string>();
      out.categoryComponents = [];
      raw.categoryComponents.forEach((r: { prefix?: unknown; component?: unknown }, i) => {
        const path = joinPath('categoryComponents', i);
        if (!isCategoryCode(r?.prefix)) errors.push({ path: joinPath(path, 'prefix'), message: 'a category code or prefix, e.g. repair.plumbing' });
        else if (seen.has(r.prefix)) errors.push({ path: joinPath(path, 'prefix'), message: `${r.prefix} is listed twice` });
        if (!isWarrantyComponent(r?.component)) errors.push({ path: joinPath(path, 'component'), message: 'not a component of the warranty table' });
        if (isCategoryCode(r?.prefix) && isWarrantyComponent(r?.component)) {
          seen.add(r.prefix);
          out.categoryComponents.push({ prefix: r.prefix, component: r.component });
        }
      });
    }
  }
  if (raw.overrides !== undefined) {
    if (!Array.isArray(raw.overrides)) errors.push({ path: 'overrides', message: 'expected a list of overrides' });
    else {
      out.overrides = [];
      raw.overrides.forEach((o: Record<string, unknown>, i) => {
        const path = joinPath('overrides', i);
        const scope = o?.scope as Record<string, unknown> | undefined;
        const projectId = typeof scope?.projectId === 'string' && scope.projectId.length > 0 ? scope.projectId : null;
        const city = typeof scope?.city === 'string' && scope.city.trim().length > 0 ? scope.city.trim() : null;
        if ((projectId === null) === (city === null)) errors.push({ path: joinPath(path, 'scope'), message: 'either { projectId } or { city }' });
        if (!isWarrantyComponent(o?.component)) errors.push({ path: joinPath(path, 'component'), message: 'not a component of the warranty table' });
        if (o?.from !== 'handover' && o?.from !== 'completion') errors.push({ path: joinPath(path, 'from'), message: 'handover or completion' });
        const years = o?.years;
        const months = o?.months;
        if ((years !== undefined && !isWhole(years, 100)) || (months !== undefined && !isWhole(months, 1200)) || (years === undefined && months === undefined))
          errors.push({ path: joinPath(path, 'years'), message: 'a whole number of years (1–100) or months (1–1200)' });
        if ((projectId !== null) !== (city !== null) && isWarrantyComponent(o?.component) && (o?.from === 'handover' || o?.from === 'completion'))
          out.overrides.push({
            scope: projectId !== null ? { projectId } : { city: city! },
            component: o.component,
            from: o.from,
            ...(typeof years === 'number' ? { years } : {}),
            ...(typeof months === 'number' ? { months } : {}),
          });
      });
    }
  }
  if (raw.seasons !== undefined) {
    const s = raw.seasons as Record<string, unknown> | null;
    if (!s || typeof s !== 'object') errors.push({ path: 'seasons', message: 'expected { heating, cooling }' });
    else out.seasons = { heating: seasonOf(s.heating, 'seasons.heating', errors), cooling: seasonOf(s.cooling, 'seasons.cooling', errors) };
  }
  if (raw.citySeasons !== undefined) {
    if (!Array.isArray(raw.citySeasons)) errors.push({ path: 'citySeasons', message: 'expected a list of { city, heating, cooling }' });
    else {
      out.citySeasons = raw.citySeasons.map((c: Record<string, unknown>, i) => {
        const path = joinPath('citySeasons', i);
        const city = typeof c?.city === 'string' ? c.city.trim() : '';
        if (!city) errors.push({ path: joinPath(path, 'city'), message: 'a city name' });
        return { city, heating: seasonOf(c?.heating ?? null, joinPath(path, 'heating'), errors), cooling: seasonOf(c?.cooling ?? null, joinPath(path, 'cooling'), errors) };
      });
      const cities = out.citySeasons.map((c) => c.city);
      cities.forEach((c, i) => {
        if (c && cities.indexOf(c) !== i) errors.push({ path: joinPath('citySeasons', i, 'city'), message: `${c} is listed twice` });
      });
    }
  }
  if (raw.retention !== undefined) out.retention = parseRetentionThresholds(raw.retention, 'retention', errors);
  return errors.length ? { ok: false, errors } : { ok: true, value: out };
}
