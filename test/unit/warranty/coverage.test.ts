import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATEGORIES } from '../../../domain/cases/categories.js';
import { warrantyCoverage, type WarrantyCoverageInput, type WarrantyOverride } from '../../../domain/warranty/coverage.js';
import { WarrantyRuleError } from '../../../domain/warranty/errors.js';
import { NORTHERN_CITY_SEASONS } from '../../../domain/warranty/periods.js';
import { componentOfCategory, WARRANTY_COMPONENTS, type WarrantyComponent } from '../../../domain/warranty/statutory-periods.js';

/** An instant in China time: `at('2025-03-01')` is 10:00 that day, `at('2025-03-01T23:59:59.999')` as written. */
const at = (local: string): number => {
  const dt = DateTime.fromISO(local.includes('T') ? local : `${local}T10:00`, { zone: 'Asia/Shanghai' });
  if (!dt.isValid) throw new Error(`bad test date ${local}`);
  return dt.toMillis();
};
/** 00:00 China time of a day: the first instant after the day before. */
const midnight = (day: string): number => at(`${day}T00:00`);

const PLACE = { projectId: 'p-1', city: '北京' };

const base = (over: Partial<WarrantyCoverageInput> & { component: WarrantyComponent }): WarrantyCoverageInput => ({
  completionAcceptedAt: at('2020-06-10'),
  handedOverAt: null,
  reportedAt: at('2021-01-01'),
  designLifeYears: 50,
  overrides: [],
  place: PLACE,
  seasons: NORTHERN_CITY_SEASONS,
  ...over,
});

const cover = (over: Partial<WarrantyCoverageInput> & { component: WarrantyComponent }) => warrantyCoverage(base(over));

describe('the construction warranty of 《建设工程质量管理条例》 art. 40, from completion acceptance', () => {
  it('(一) covers the foundation and main structure for the design service life', () => {
    const c = cover({ component: 'foundation_structure', designLifeYears: 50 });
    expect(c).toMatchObject({ covered: true, basis: 'construction', lastDay: '2070-06-10', endsAt: midnight('2070-06-11') });
    expect(c.clause.code).toBe('construction.art40.foundation_structure');
    expect(c.clause.zh).toContain('第四十条');
    expect(cover({ component: 'foundation_structure', designLifeYears: 70 }).lastDay).toBe('2090-06-10');
  });

  it.each(['roof_waterproofing', 'wet_room_waterproofing', 'exterior_wall_leakage'] as const)('(二) covers %s for 5 years', (component) => {
    const c = cover({ component });
    expect(c).toMatchObject({ basis: 'construction', lastDay: '2025-06-10', clause: { code: `construction.art40.${component}` } });
    expect(c.clause.zh).toContain('5 年');
  });

  it.each(['electrical_lines', 'plumbing_pipes', 'pipe_blockage', 'sanitary_fixtures', 'lamps_switches', 'doors_windows', 'plaster_finish', 'equipment'] as const)(
    '(四) covers %s for 2 years',
    (component) => {
      const c = cover({ component });
      expect(c).toMatchObject({ basis: 'construction', lastDay: '2022-06-10', clause: { code: `construction.art40.${component}` } });
      expect(c.clause.zh).toContain('2 年');
    },
  );

  it('(三) covers heating and cooling for two of each season that start after acceptance; the later end wins', () => {
    // Accepted 10 June 2020: the cooling season that began on 1 June is running and does not count;
    // cooling 2021 and 2022 end on 30 Sep 2022; heating 2020/21 and 2021/22 end on 15 Mar 2022.
    const c = cover({ component: 'heating_cooling' });
    expect(c).toMatchObject({ basis: 'construction', lastDay: '2022-09-30', clause: { code: 'construction.art40.heating_cooling' } });
    expect(cover({ component: 'heating_cooling', seasons: { heating: NORTHERN_CITY_SEASONS.heating, cooling: null } }).lastDay).toBe('2022-03-15');
    expect(cover({ component: 'heating_cooling', seasons: { heating: null, cooling: { start: '05-15', end: '10-15' } } }).lastDay).toBe('2022-10-15');
  });

  it('counts a heating season only when it starts after the acceptance day (民法典 art. 201: that day is not counted)', () => {
    const heatingOnly = { heating: NORTHERN_CITY_SEASONS.heating, cooling: null };
    expect(cover({ component: 'heating_cooling', seasons: heatingOnly, completionAcceptedAt: at('2020-11-14') }).lastDay).toBe('2022-03-15');
    expect(cover({ component: 'heating_cooling', seasons: heatingOnly, completionAcceptedAt: at('2020-11-15') }).lastDay).toBe('2023-03-15');
    expect(cover({ component: 'heating_cooling', seasons: heatingOnly, completionAcceptedAt: at('2021-01-20') }).lastDay).toBe('2023-03-15');
    // A season inside one calendar year.
    expect(cover({ component: 'heating_cooling', seasons: { heating: null, cooling: { start: '06-01', end: '09-30' } }, completionAcceptedAt: at('2020-05-31') }).lastDay).toBe('2021-09-30');
  });

  it('has no statutory period for other items (art. 40 last paragraph: as agreed)', () => {
    const c = cover({ component: 'other' });
    expect(c).toMatchObject({ covered: false, basis: 'none', endsAt: null, lastDay: null, label: { zh: '保外' } });
    expect(c.clause.code).toBe('none.as_agreed');
  });

  it('is out of warranty after the period, with the same end and clause', () => {
    const c = cover({ component: 'plumbing_pipes', reportedAt: at('2023-01-01') });
    expect(c).toMatchObject({ covered: false, label: { zh: '保外', en: 'Out of warranty' }, lastDay: '2022-06-10', basis: 'construction' });
  });
});

describe("the buyer's warranty of 《商品房销售管理办法》 art. 33, from handover", () => {
  // Completion 10 June 2020; the 2-year construction items end on 10 June 2022.
  it.each([
    ['roof_waterproofing', '2024-01-10', '2027-01-10', '3 年'],
    ['wet_room_waterproofing', '2025-07-10', '2026-07-10', '1 年'],
    ['exterior_wall_leakage', '2026-01-10', '2027-01-10', '1 年'],
    ['plumbing_pipes', '2023-01-10', '2024-01-10', '1 年'],
    ['pipe_blockage', '2023-01-10', '2023-03-10', '2 个月'],
    ['sanitary_fixtures', '2023-01-10', '2024-01-10', '1 年'],
    ['lamps_switches', '2023-01-10', '2023-07-10', '6 个月'],
    ['doors_windows', '2023-01-10', '2024-01-10', '1 年'],
    ['plaster_finish', '2023-01-10', '2024-01-10', '1 年'],
  ] as const)('gives %s the 1998 minimum from a handover on %s, to %s', (component, handover, lastDay, zh) => {
    const c = cover({ component, handedOverAt: at(handover), reportedAt: at(handover) });
    expect(c).toMatchObject({ covered: true, basis: 'buyer', lastDay, clause: { code: `buyer.minimum.${component}` } });
    expect(c.clause.zh).toContain(zh);
    expect(c.clause.zh).toContain('第三十三条');
  });

  it('gives the foundation and main structure the design service life of the building', () => {
    const c = cover({ component: 'foundation_structure', handedOverAt: at('2023-01-10'), designLifeYears: 50 });
    expect(c).toMatchObject({ basis: 'buyer', lastDay: '2070-06-10', clause: { code: 'buyer.minimum.foundation_structure' } });
  });

  it('gives heating and cooling one season of each kind after handover', () => {
    // Handed over 10 Jan 2023, after the construction warranty ended (30 Sep 2022): cooling 2023
    // ends 30 Sep 2023, heating 2023/24 ends 15 Mar 2024.
    const c = cover({ component: 'heating_cooling', handedOverAt: at('2023-01-10'), reportedAt: at('2024-03-01') });
    expect(c).toMatchObject({ covered: true, basis: 'buyer', lastDay: '2024-03-15', clause: { code: 'buyer.minimum.heating_cooling' } });
  });

  it('extends the buyer period to the end of the construction warranty when more of it remains (art. 33)', () => {
    // Wet room: 1 year from handover on 10 June 2021 ends 10 June 2022, the construction warranty
    // on 10 June 2025: the buyer holds the remaining construction period.
    const c = cover({ component: 'wet_room_waterproofing', handedOverAt: at('2021-06-10'), reportedAt: at('2024-12-01') });
    expect(c).toMatchObject({ covered: true, basis: 'buyer', lastDay: '2025-06-10', clause: { code: 'buyer.remaining_construction' } });
    // Lamps handed over late in the construction period: 6 months from 1 May 2022 run past its end (10 June 2022).
    expect(cover({ component: 'lamps_switches', handedOverAt: at('2022-05-01') })).toMatchObject({ lastDay: '2022-11-01', clause: { code: 'buyer.minimum.lamps_switches' } });
    // …but handed over early, the remaining 2-year construction period is longer than 6 months.
    expect(cover({ component: 'lamps_switches', handedOverAt: at('2020-09-01') })).toMatchObject({ lastDay: '2022-06-10', basis: 'buyer', clause: { code: 'buyer.remaining_construction' } });
  });

  it('gives a component without a 1998 minimum only the remaining construction period', () => {
    expect(cover({ component: 'electrical_lines', handedOverAt: at('2022-01-01'), reportedAt: at('2022-06-10T23:00') })).toMatchObject({
      covered: true,
      basis: 'buyer',
      lastDay: '2022-06-10',
      clause: { code: 'buyer.remaining_construction' },
    });
    // Handed over after the construction period ended: nothing remains; the construction clause is the answer, and it is over.
    expect(cover({ component: 'electrical_lines', handedOverAt: at('2023-01-01'), reportedAt: at('2023-02-01') })).toMatchObject({
      covered: false,
      basis: 'construction',
      lastDay: '2022-06-10',
    });
  });

  it('gives a non-residential unit only the remaining construction period (art. 33 last sentence)', () => {
    const c = cover({ component: 'plumbing_pipes', handedOverAt: at('2023-01-10'), reportedAt: at('2023-02-01'), residential: false });
    expect(c).toMatchObject({ covered: false, basis: 'construction', lastDay: '2022-06-10' });
  });
});

describe('boundary days (民法典 arts. 201–203, China time)', () => {
  const plumbing = (handover: string, reported: number) =>
    cover({ component: 'plumbing_pipes', completionAcceptedAt: at('2019-01-01'), handedOverAt: at(handover), reportedAt: reported });

  it('covers 1 year from 1 March 2025 through 1 March 2026, the whole day, and not 2 March', () => {
    expect(plumbing('2025-03-01', at('2026-03-01T23:59:59.999'))).toMatchObject({ covered: true, lastDay: '2026-03-01', endsAt: midnight('2026-03-02') });
    expect(plumbing('2025-03-01', midnight('2026-03-02')).covered).toBe(false);
  });

  it('counts from the day of handover in China, whatever the UTC date', () => {
    // 17:30 UTC on 28 Feb 2025 is 01:30 on 1 March in Shanghai.
    const c = plumbing('2025-03-01T01:30', at('2026-03-01T12:00'));
    expect(c).toMatchObject({ covered: true, lastDay: '2026-03-01' });
    expect(DateTime.fromISO('2025-03-01T01:30', { zone: 'Asia/Shanghai' }).toUTC().day).toBe(28);
  });

  it('ends a year from 29 February on 28 February (no corresponding day: the month end, art. 202)', () => {
    expect(plumbing('2024-02-29', at('2025-02-28T23:59')).covered).toBe(true);
    expect(plumbing('2024-02-29', midnight('2025-03-01'))).toMatchObject({ covered: false, lastDay: '2025-02-28' });
    // …and 5 years from 29 Feb 2024 (a roof's construction warranty) on 28 Feb 2029.
    expect(cover({ component: 'roof_waterproofing', completionAcceptedAt: at('2024-02-29') }).lastDay).toBe('2029-02-28');
    // A design life from 29 Feb 2020: 50 years end on 28 Feb 2070 (no leap year), 48 on 29 Feb 2068.
    expect(cover({ component: 'foundation_structure', completionAcceptedAt: at('2020-02-29') }).lastDay).toBe('2070-02-28');
    expect(cover({ component: 'foundation_structure', completionAcceptedAt: at('2020-02-29'), designLifeYears: 48 }).lastDay).toBe('2068-02-29');
  });

  it('ends 2 months from 31 January on 31 March, and 6 months from 31 August on the end of February', () => {
    const blockage = (handover: string, reported: number) =>
      cover({ component: 'pipe_blockage', completionAcceptedAt: at('2019-01-01'), handedOverAt: at(handover), reportedAt: reported });
    expect(blockage('2025-01-31', at('2025-03-31T23:59'))).toMatchObject({ covered: true, lastDay: '2025-03-31' });
    expect(blockage('2025-01-31', midnight('2025-04-01')).covered).toBe(false);
    const lamps = (handover: string) => cover({ component: 'lamps_switches', completionAcceptedAt: at('2019-01-01'), handedOverAt: at(handover) });
    expect(lamps('2024-08-31').lastDay).toBe('2025-02-28');
    expect(lamps('2023-08-31').lastDay).toBe('2024-02-29');
  });

  it('covers the last day of a season and not the day after', () => {
    const heatingOnly = { heating: NORTHERN_CITY_SEASONS.heating, cooling: null };
    const hvac = (reported: number) => cover({ component: 'heating_cooling', seasons: heatingOnly, reportedAt: reported });
    expect(hvac(at('2022-03-15T23:59')).covered).toBe(true);
    expect(hvac(midnight('2022-03-16')).covered).toBe(false);
  });
});

describe('project and city overrides', () => {
  const roof = (overrides: WarrantyOverride[], over: Partial<WarrantyCoverageInput> = {}) =>
    cover({ component: 'roof_waterproofing', handedOverAt: at('2023-01-10'), overrides, ...over });

  it('lets a longer project period win, counted from handover', () => {
    const c = roof([{ scope: { projectId: 'p-1' }, component: 'roof_waterproofing', years: 8, from: 'handover' }], { reportedAt: at('2029-01-01') });
    expect(c).toMatchObject({ covered: true, basis: 'override', lastDay: '2031-01-10', clause: { code: 'override.project.roof_waterproofing' } });
    expect(c.clause.zh).toContain('8 年');
  });

  it('ignores a shorter one: an override never shortens a statutory period', () => {
    const c = roof([{ scope: { projectId: 'p-1' }, component: 'roof_waterproofing', years: 1, from: 'handover' }]);
    expect(c).toMatchObject({ basis: 'buyer', lastDay: '2026-01-10', clause: { code: 'buyer.minimum.roof_waterproofing' } });
    // An equal one does not displace the statutory clause either.
    expect(roof([{ scope: { projectId: 'p-1' }, component: 'roof_waterproofing', years: 3, from: 'handover' }]).basis).toBe('buyer');
  });

  it('applies a city rule to the units of that city only, and a project rule to that project only', () => {
    const city: WarrantyOverride = { scope: { city: '北京' }, component: 'roof_waterproofing', years: 10, from: 'completion' };
    expect(roof([city])).toMatchObject({ basis: 'override', lastDay: '2030-06-10', clause: { code: 'override.city.roof_waterproofing' } });
    expect(roof([city], { place: { projectId: 'p-1', city: '上海' } }).basis).toBe('buyer');
    expect(roof([{ scope: { projectId: 'p-2' }, component: 'roof_waterproofing', years: 10, from: 'handover' }]).basis).toBe('buyer');
    // Another component's override does not apply.
    expect(roof([{ scope: { projectId: 'p-1' }, component: 'wet_room_waterproofing', years: 10, from: 'handover' }]).basis).toBe('buyer');
  });

  it('takes the longest of several, in months too', () => {
    const c = roof([
      { scope: { city: '北京' }, component: 'roof_waterproofing', years: 4, from: 'handover' },
      { scope: { projectId: 'p-1' }, component: 'roof_waterproofing', years: 4, months: 6, from: 'handover' },
    ]);
    expect(c).toMatchObject({ basis: 'override', lastDay: '2027-07-10', clause: { code: 'override.project.roof_waterproofing' } });
  });

  it('covers an "other" item only through an agreed period', () => {
    const c = cover({ component: 'other', overrides: [{ scope: { projectId: 'p-1' }, component: 'other', years: 1, from: 'completion' }], reportedAt: at('2021-06-10') });
    expect(c).toMatchObject({ covered: true, basis: 'override', lastDay: '2021-06-10' });
  });

  it('does not count a handover override before the unit is handed over', () => {
    const c = cover({ component: 'roof_waterproofing', overrides: [{ scope: { projectId: 'p-1' }, component: 'roof_waterproofing', years: 10, from: 'handover' }] });
    expect(c.basis).toBe('construction');
  });

  it('refuses an override without a positive whole period', () => {
    const bad = (o: Partial<WarrantyOverride>) => () =>
      roof([{ scope: { projectId: 'p-1' }, component: 'roof_waterproofing', from: 'handover', ...o }]);
    expect(bad({})).toThrow(expect.objectContaining({ code: 'INVALID_OVERRIDE' }));
    expect(bad({ years: -1 })).toThrow(WarrantyRuleError);
    expect(bad({ years: 1.5 })).toThrow(WarrantyRuleError);
  });
});

describe('inputs', () => {
  it('refuses a design life that is not whole years, and instants that are not numbers', () => {
    expect(() => cover({ component: 'foundation_structure', designLifeYears: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_DESIGN_LIFE' }));
    expect(() => cover({ component: 'foundation_structure', designLifeYears: 50.5 })).toThrow(WarrantyRuleError);
    expect(() => cover({ component: 'roof_waterproofing', reportedAt: Number.NaN })).toThrow(expect.objectContaining({ code: 'INVALID_INSTANT' }));
    expect(() => cover({ component: 'roof_waterproofing', handedOverAt: Number.POSITIVE_INFINITY })).toThrow(expect.objectContaining({ code: 'INVALID_INSTANT' }));
    expect(() => cover({ component: 'nope' as WarrantyComponent })).toThrow(expect.objectContaining({ code: 'UNKNOWN_COMPONENT' }));
  });

  it('refuses heating and cooling without seasons, and seasons that are not days of a common year', () => {
    expect(() => cover({ component: 'heating_cooling', seasons: { heating: null, cooling: null } })).toThrow(expect.objectContaining({ code: 'NO_SEASONS' }));
    expect(() => cover({ component: 'heating_cooling', seasons: { heating: { start: '02-29', end: '03-15' }, cooling: null } })).toThrow(expect.objectContaining({ code: 'INVALID_SEASON' }));
    expect(() => cover({ component: 'heating_cooling', seasons: { heating: { start: '11-15', end: '3-15' }, cooling: null } })).toThrow(expect.objectContaining({ code: 'INVALID_SEASON' }));
    // Components counted in years do not need seasons.
    expect(cover({ component: 'roof_waterproofing', seasons: { heating: null, cooling: null } }).covered).toBe(true);
  });
});

describe('repair categories and components', () => {
  it('maps the repair categories of the case taxonomy to components', () => {
    expect(componentOfCategory('repair.plumbing.leak')).toBe('plumbing_pipes');
    expect(componentOfCategory('repair.plumbing.blockage')).toBe('pipe_blockage');
    expect(componentOfCategory('repair.electrical.sockets')).toBe('lamps_switches');
    expect(componentOfCategory('repair.electrical.power')).toBe('electrical_lines');
    expect(componentOfCategory('repair.waterproofing')).toBe('wet_room_waterproofing');
    expect(componentOfCategory('repair.hvac')).toBe('heating_cooling');
    expect(componentOfCategory('repair.common_areas.elevator')).toBe('equipment');
    expect(componentOfCategory('complaint.quality.leakage')).toBe('wet_room_waterproofing');
  });

  it('falls back to the nearest listed ancestor, and to none outside the table', () => {
    expect(componentOfCategory('repair.plumbing.leak.kitchen')).toBe('plumbing_pipes');
    expect(componentOfCategory('repair')).toBeUndefined();
    expect(componentOfCategory('repair.garden')).toBeUndefined();
    expect(componentOfCategory('complaint.service.cleaning')).toBeUndefined();
  });

  it('gives every repair category of the default taxonomy a component of the table', () => {
    const repairs = DEFAULT_CATEGORIES.filter((c) => c.code.startsWith('repair.'));
    expect(repairs.length).toBeGreaterThan(5);
    for (const c of repairs) expect(WARRANTY_COMPONENTS, c.code).toContain(componentOfCategory(c.code));
  });
});
