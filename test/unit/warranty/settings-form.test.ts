/**
 * The warranty settings page's form without a browser (console/src/features/admin/warranty-form.ts):
 * the saved document round-trips through the form's values, the form refuses what the API refuses
 * with the same codes, and every path the API names lands on a cell of the right row.
 */
import { describe, expect, it } from 'vitest';
import { fieldErrorsFromZod } from '../../../api/http/field-errors.js';
import { DEFAULT_WARRANTY_SETTINGS, parseWarrantySettings, type WarrantySettings } from '../../../domain/warranty/settings.js';
import { fieldOfPath, formValuesOf, toBody, WarrantyForm, type OverrideRow, type WarrantyFormValues } from '../../../console/src/features/admin/warranty-form.js';

const SAVED: WarrantySettings = {
  ...DEFAULT_WARRANTY_SETTINGS,
  overrides: [
    { scope: { projectId: 'p-1' }, component: 'pipe_blockage', years: 3, from: 'handover' },
    { scope: { city: '苏州' }, component: 'roof_waterproofing', months: 90, from: 'completion' },
  ],
  seasons: { heating: { start: '11-15', end: '03-15' }, cooling: null },
  citySeasons: [{ city: '深圳', heating: null, cooling: { start: '05-01', end: '10-31' } }],
  retention: { minDoneOrders: 5, minFirstTimeFixPct: 85, maxLatePct: 10, maxRejectedPct: 10 },
};

const override = (o: Partial<OverrideRow>): OverrideRow => ({ scopeKind: 'project', projectId: 'p-1', city: '', component: 'pipe_blockage', years: 3, unit: 'years', from: 'handover', ...o });
const withOverrides = (...rows: OverrideRow[]): WarrantyFormValues => ({ ...formValuesOf(DEFAULT_WARRANTY_SETTINGS), overrides: rows });

/** The form's refusal as the console shows it: path → code. */
function refusal(values: WarrantyFormValues): Record<string, string> {
  const parsed = WarrantyForm.safeParse(values, { reportInput: true });
  if (parsed.success) return {};
  return Object.fromEntries(fieldErrorsFromZod(parsed.error, '').map((e) => [e.path, e.reason]));
}

describe('the warranty settings form', () => {
  it('turns a saved document into form values and back into the same document', () => {
    for (const doc of [DEFAULT_WARRANTY_SETTINGS, SAVED]) {
      const parsed = parseWarrantySettings(toBody(formValuesOf(doc)));
      expect(parsed).toEqual({ ok: true, value: doc });
    }
    expect(formValuesOf(SAVED).seasons.cooling).toEqual({ none: true, start: '', end: '' });
    expect(formValuesOf(SAVED).overrides[1]).toMatchObject({ scopeKind: 'city', city: '苏州', years: 90, unit: 'months' });
  });

  it('shows a period of years and months (possible through the API) as the same number of months', () => {
    const values = formValuesOf({ ...SAVED, overrides: [{ scope: { city: '杭州' }, component: 'other', years: 2, months: 6, from: 'handover' }] });
    expect(values.overrides[0]).toMatchObject({ years: 30, unit: 'months' });
    expect(toBody(values).overrides?.[0]).toEqual({ scope: { city: '杭州' }, component: 'other', months: 30, from: 'handover' });
  });

  it('leaves an emptied threshold out of the document, so it takes the default', () => {
    const values = formValuesOf(SAVED);
    values.retention.maxLatePct = null;
    expect(toBody(values).retention).toEqual({ minDoneOrders: 5, minFirstTimeFixPct: 85, maxRejectedPct: 10 });
  });

  it('refuses what the API refuses, with its codes, at the cell of the row', () => {
    expect(refusal(withOverrides(override({}), override({ years: 0 })))).toEqual({ 'overrides.1.years': 'TOO_SMALL' });
    expect(refusal(withOverrides(override({ unit: 'months', years: 1201 })))).toEqual({ 'overrides.0.years': 'TOO_BIG' });
    // No period at all: said once, as "required", not also as the domain's sentence.
    expect(refusal(withOverrides(override({ years: null })))).toEqual({ 'overrides.0.years': 'REQUIRED' });
    expect(refusal(withOverrides(override({ projectId: '' })))).toHaveProperty(['overrides.0.projectId']);
    expect(Object.keys(refusal(withOverrides(override({ scopeKind: 'city', city: ' ' }))))).toEqual(['overrides.0.city']);
    expect(refusal(withOverrides(override({ component: '' })))).toEqual({ 'overrides.0.component': 'INVALID_OPTION' });

    const values = formValuesOf(SAVED);
    values.seasons.heating = { none: false, start: '02-30', end: '03-15' };
    values.categoryComponents[1]!.prefix = 'Repair!';
    values.retention.maxRejectedPct = 101;
    values.citySeasons.push({ city: '深圳', heating: { none: true, start: '', end: '' }, cooling: { none: true, start: '', end: '' } });
    expect(refusal(values)).toEqual({
      'seasons.heating.start': 'RULE_BROKEN',
      'categoryComponents.1.prefix': 'RULE_BROKEN',
      'retention.maxRejectedPct': 'TOO_BIG',
      'citySeasons.1.city': 'RULE_BROKEN',
    });
    expect(refusal(formValuesOf(SAVED))).toEqual({});
  });

  it("puts the API's error paths on the cells that show them", () => {
    const values = withOverrides(override({}), override({ scopeKind: 'city', city: '苏州' }));
    const cells = ['categoryComponents.0.prefix', 'overrides.0.years', 'overrides.1.months', 'overrides.0.scope', 'overrides.1.scope.city', 'overrides.0.from', 'seasons.heating', 'seasons.cooling.end', 'citySeasons.2.city', 'citySeasons.2.heating.end', 'retention.maxLatePct', 'retention', 'overrides', 'nonsense.1'].map(
      (p) => fieldOfPath(p, values),
    );
    expect(cells).toEqual([
      'categoryComponents.0.prefix',
      'overrides.0.years',
      'overrides.1.years',
      'overrides.0.projectId',
      'overrides.1.city',
      'overrides.0.from',
      'seasons.heating.start',
      'seasons.cooling.end',
      'citySeasons.2.city',
      'citySeasons.2.heating.end',
      'retention.maxLatePct',
      null,
      null,
      null,
    ]);
  });
});
