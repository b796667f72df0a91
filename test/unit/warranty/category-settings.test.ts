import { describe, expect, it } from 'vitest';
import { componentOfCategory, DEFAULT_CATEGORY_COMPONENTS } from '../../../domain/warranty/category-components.js';
import { DEFAULT_CATEGORIES } from '../../../domain/cases/categories.js';
import { DEFAULT_WARRANTY_SETTINGS, parseWarrantySettings, seasonsOfCity } from '../../../domain/warranty/settings.js';
import { caseWarrantyOf } from '../../../app/warranty/case-warranty.js';

describe('the component a category is about', () => {
  it('is the longest covering prefix: a blocked drain is pipe blockage, a leaking pipe the pipes', () => {
    expect(componentOfCategory({ code: 'repair.plumbing.blockage' })).toBe('pipe_blockage');
    expect(componentOfCategory({ code: 'repair.plumbing.leak' })).toBe('plumbing_pipes');
    expect(componentOfCategory({ code: 'repair.plumbing' })).toBe('plumbing_pipes');
    expect(componentOfCategory({ code: 'repair.electrical.sockets' })).toBe('lamps_switches');
    expect(componentOfCategory({ code: 'repair.electrical.power' })).toBe('electrical_lines');
    expect(componentOfCategory({ code: 'complaint.quality.leakage' })).toBe('wet_room_waterproofing');
  });

  it('is none for categories about no part of the building, and matches whole segments only', () => {
    for (const code of ['complaint.service.cleaning', 'enquiry.warranty', 'suggestion.layout', 'repair', 'repair.common_areas']) expect(componentOfCategory({ code }), code).toBeNull();
    expect(componentOfCategory({ code: 'repair.plumbingx' })).toBeNull();
  });

  it('names only categories of the default tree', () => {
    const codes = new Set(DEFAULT_CATEGORIES.map((c) => c.code));
    for (const rule of DEFAULT_CATEGORY_COMPONENTS) expect(codes.has(rule.prefix), rule.prefix).toBe(true);
  });
});

describe('the warranty settings document', () => {
  it('fills what is missing from the defaults', () => {
    expect(parseWarrantySettings({})).toEqual({ ok: true, value: DEFAULT_WARRANTY_SETTINGS });
  });

  it('reports every bad field with its path', () => {
    const parsed = parseWarrantySettings({
      categoryComponents: [{ prefix: 'repair', component: 'roof' }, { prefix: 'repair.hvac', component: 'heating_cooling' }, { prefix: 'repair.hvac', component: 'equipment' }],
      overrides: [{ scope: { projectId: 'p', city: '杭州' }, component: 'equipment', years: 0, from: 'sale' }],
      citySeasons: [{ city: '深圳', heating: null, cooling: { start: '06-01', end: '06-01' } }, { city: '深圳', heating: null, cooling: null }],
      extra: 1,
    });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors.map((e) => e.path).sort()).toEqual([
      'categoryComponents.0.component',
      'categoryComponents.2.prefix',
      'citySeasons.0.cooling',
      'citySeasons.1.city',
      'extra',
      'overrides.0.from',
      'overrides.0.scope',
      'overrides.0.years',
    ]);
  });

  it("gives a city its own seasons and the default elsewhere (a southern city without heating)", () => {
    const parsed = parseWarrantySettings({ citySeasons: [{ city: '深圳', heating: null, cooling: { start: '05-01', end: '10-31' } }] });
    if (!parsed.ok) throw new Error('expected a valid document');
    expect(seasonsOfCity(parsed.value, '深圳')).toEqual({ heating: null, cooling: { start: '05-01', end: '10-31' } });
    expect(seasonsOfCity(parsed.value, '北京')).toEqual(DEFAULT_WARRANTY_SETTINGS.seasons);
  });
});

describe("a case's warranty from its facts", () => {
  const facts = { projectId: 'p', city: '深圳', completionAcceptedOn: new Date('2024-03-15T00:00:00Z'), designLifeYears: 50, handedOverAt: new Date('2025-01-10T02:00:00Z') };
  const subject = { groupId: 'g', unitId: 'u', category: 'repair.electrical.sockets', openedAt: new Date('2026-06-01T02:00:00Z') };

  it("runs the buyer's warranty from handover, never shorter than the construction warranty's remainder", () => {
    // Switches: buyer's minimum 6 months from handover (to 2025-07-10) < construction 2 years from completion (to 2026-03-15): the remainder wins, then ends.
    expect(caseWarrantyOf({ ...subject, openedAt: new Date('2026-03-15T15:00:00Z') }, facts, DEFAULT_WARRANTY_SETTINGS)).toMatchObject({ status: 'coverage', covered: true, lastDay: '2026-03-15', basis: 'buyer' });
    expect(caseWarrantyOf(subject, facts, DEFAULT_WARRANTY_SETTINGS)).toMatchObject({ status: 'coverage', covered: false });
  });

  it('is unknown for a season-counted part in a city without that season', () => {
    const south = { ...DEFAULT_WARRANTY_SETTINGS, citySeasons: [{ city: '深圳', heating: null, cooling: null }] };
    expect(caseWarrantyOf({ ...subject, category: 'repair.hvac' }, facts, south)).toEqual({ status: 'unknown', component: 'heating_cooling', reason: 'NO_SEASON' });
  });
});
