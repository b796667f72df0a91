/**
 * The warranty settings page's form (pages/WarrantySettings.tsx) without React: the values as the
 * form edits them (a scope kind, one number with its unit, a "none" box per season, empty
 * thresholds), the wire document they make (`toBody`), where an error of the document shows
 * (`fieldOfPath`: `overrides.2.months` → the period's cell), and the server's rules on the form
 * (`WarrantyForm`: the request schema, then the domain's parse — what the API runs — each issue
 * moved to its cell).
 */
import { z } from 'zod';
import { WarrantySettingsDoc } from '../../../../api/warranty/schemas.js';
import { parseWarrantySettings } from '../../../../domain/warranty/settings.js';
import type { WarrantyComponent } from '../../../../domain/warranty/statutory-periods.js';
import type { WarrantySettings, WarrantySettingsInput } from './api.js';

export interface SeasonValue {
  none: boolean;
  start: string;
  end: string;
}
export interface OverrideRow {
  scopeKind: 'project' | 'city';
  projectId: string;
  city: string;
  component: WarrantyComponent | '';
  /** The number of `unit`s; the document's `years` or `months`. */
  years: number | null;
  unit: 'years' | 'months';
  from: 'handover' | 'completion';
}
export const RETENTION_FIELDS = ['minDoneOrders', 'minFirstTimeFixPct', 'maxLatePct', 'maxRejectedPct'] as const;
export type RetentionField = (typeof RETENTION_FIELDS)[number];

export interface WarrantyFormValues {
  categoryComponents: Array<{ prefix: string; component: WarrantyComponent | '' }>;
  overrides: OverrideRow[];
  seasons: { heating: SeasonValue; cooling: SeasonValue };
  citySeasons: Array<{ city: string; heating: SeasonValue; cooling: SeasonValue }>;
  /** Empty (null): the default. */
  retention: Record<RetentionField, number | null>;
}

type Season = WarrantySettings['seasons']['heating'];
const seasonValue = (s: Season): SeasonValue => (s ? { none: false, start: s.start, end: s.end } : { none: true, start: '', end: '' });
const seasonOf = (v: SeasonValue): Season => (v.none ? null : { start: v.start.trim(), end: v.end.trim() });

/** The saved document as the form edits it. */
export function formValuesOf(s: WarrantySettings): WarrantyFormValues {
  return {
    categoryComponents: s.categoryComponents.map((r) => ({ prefix: r.prefix, component: r.component })),
    overrides: s.overrides.map((o) => ({
      scopeKind: 'projectId' in o.scope ? 'project' : 'city',
      projectId: 'projectId' in o.scope ? o.scope.projectId : '',
      city: 'city' in o.scope ? o.scope.city : '',
      component: o.component,
      // A period of years and months (possible through the API) is shown as months: the same end,
      // counted by calendar months (domain/warranty/coverage.ts).
      ...(o.months === undefined ? { years: o.years ?? null, unit: 'years' as const } : { years: (o.years ?? 0) * 12 + o.months, unit: 'months' as const }),
      from: o.from,
    })),
    seasons: { heating: seasonValue(s.seasons.heating), cooling: seasonValue(s.seasons.cooling) },
    citySeasons: s.citySeasons.map((c) => ({ city: c.city, heating: seasonValue(c.heating), cooling: seasonValue(c.cooling) })),
    retention: Object.fromEntries(RETENTION_FIELDS.map((k) => [k, s.retention[k] ?? null])) as Record<RetentionField, number | null>,
  };
}

/** The document a save sends: the whole settings, thresholds left empty left out (they take the defaults). */
export function toBody(v: WarrantyFormValues): WarrantySettingsInput {
  return {
    categoryComponents: v.categoryComponents.map((r) => ({ prefix: r.prefix.trim(), component: r.component as WarrantyComponent })),
    overrides: v.overrides.map((o) => ({
      scope: o.scopeKind === 'project' ? { projectId: o.projectId } : { city: o.city.trim() },
      component: o.component as WarrantyComponent,
      ...(o.years === null ? {} : { [o.unit]: o.years }),
      from: o.from,
    })),
    seasons: { heating: seasonOf(v.seasons.heating), cooling: seasonOf(v.seasons.cooling) },
    citySeasons: v.citySeasons.map((c) => ({ city: c.city.trim(), heating: seasonOf(c.heating), cooling: seasonOf(c.cooling) })),
    retention: Object.fromEntries(RETENTION_FIELDS.flatMap((k) => (v.retention[k] === null ? [] : [[k, v.retention[k]]]))),
  };
}

/**
 * The form's cell for a path of the document (`overrides.2.months` → `overrides.2.years`, the
 * number's cell; `seasons.heating` → its start), or null for a path no cell shows.
 */
export function fieldOfPath(path: string, v: WarrantyFormValues): string | null {
  const p = path.split('.').filter(Boolean);
  const [part, index, field] = p;
  const i = Number(index);
  switch (part) {
    case 'categoryComponents':
      return Number.isInteger(i) && (field === 'prefix' || field === 'component') ? `categoryComponents.${i}.${field}` : null;
    case 'overrides': {
      if (!Number.isInteger(i)) return null;
      if (field === 'scope') return `overrides.${i}.${v.overrides[i]?.scopeKind === 'city' ? 'city' : 'projectId'}`;
      if (field === 'years' || field === 'months') return `overrides.${i}.years`;
      return field === 'component' || field === 'from' ? `overrides.${i}.${field}` : null;
    }
    case 'seasons':
      return index === 'heating' || index === 'cooling' ? `seasons.${index}.${p[2] === 'end' ? 'end' : 'start'}` : null;
    case 'citySeasons': {
      if (!Number.isInteger(i)) return null;
      if (field === 'city') return `citySeasons.${i}.city`;
      return field === 'heating' || field === 'cooling' ? `citySeasons.${i}.${field}.${p[3] === 'end' ? 'end' : 'start'}` : null;
    }
    case 'retention':
      return (RETENTION_FIELDS as readonly string[]).includes(index ?? '') ? `retention.${index}` : null;
    default:
      return null;
  }
}

const splitPath = (field: string) => field.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));

/**
 * The server's rules on the form: the request schema, then the domain's parse, each issue moved
 * to its cell. A missing period is said as REQUIRED (the domain's own words are about the API).
 */
export const WarrantyForm = z.custom<WarrantyFormValues>((v) => typeof v === 'object' && v !== null).superRefine((v, ctx) => {
  const flagged = new Set<string>();
  v.overrides.forEach((o, i) => {
    if (o.years === null) {
      flagged.add(`overrides.${i}.years`);
      ctx.addIssue({ code: 'custom', message: 'REQUIRED', path: ['overrides', i, 'years'] });
    }
  });
  // Both the schema's issues and the domain's (the API answers the schema's first, then the
  // domain's): everything to fix shows at once, one error a cell, the schema's first.
  const body = toBody(v);
  const checked = WarrantySettingsDoc.safeParse(body, { reportInput: true });
  for (const issue of checked.success ? [] : checked.error.issues) {
    const field = fieldOfPath(issue.path.join('.'), v) ?? issue.path.join('.');
    flagged.add(field);
    ctx.addIssue({ ...issue, path: splitPath(field) } as never);
  }
  const parsed = parseWarrantySettings(checked.success ? checked.data : body);
  if (parsed.ok) return;
  for (const e of parsed.errors) {
    const field = fieldOfPath(e.path, v) ?? e.path;
    if (flagged.has(field)) continue;
    flagged.add(field);
    ctx.addIssue({ code: 'custom', message: e.message, path: splitPath(field) });
  }
});
