import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION_THRESHOLDS, parseRetentionThresholds, rateContractor, type ContractorWork } from '../../../domain/repairs/contractor-rating.js';
import { DEFAULT_WARRANTY_SETTINGS, parseWarrantySettings } from '../../../domain/warranty/settings.js';
import type { ValidationIssue } from '../../../domain/cases/errors.js';

/** A company that did `done` orders, each on its one visit, on time, never rejected, nothing charged back. */
const work = (over: Partial<ContractorWork> = {}): ContractorWork => {
  const done = over.done ?? 10;
  return { workOrders: done, done, firstTimeFixed: done, visits: done, reworks: 0, noShows: 0, lateArrivals: 0, defects: 0, chargeBackOrders: 0, chargeBackFen: 0n, ...over };
};

describe('the retention recommendation', () => {
  it('has the defaults the handbook suggests: 5 done orders, first-time fix ≥ 80 %, late ≤ 10 %, rejected ≤ 10 %', () => {
    expect(DEFAULT_RETENTION_THRESHOLDS).toEqual({ minDoneOrders: 5, minFirstTimeFixPct: 80, maxLatePct: 10, maxRejectedPct: 10 });
  });

  it('judges nobody with fewer done orders than the minimum, whatever else it did; exactly the minimum is judged', () => {
    const four = rateContractor(work({ done: 4, firstTimeFixed: 0, lateArrivals: 4, visits: 4, chargeBackOrders: 2, chargeBackFen: 5_000n }));
    expect(four).toMatchObject({ recommendation: 'insufficient_data', shortfalls: [], deductFen: 5_000n });
    expect(rateContractor(work({ done: 0, visits: 0, defects: 3, chargeBackOrders: 1, chargeBackFen: 100n }))).toMatchObject({ recommendation: 'insufficient_data', score: null, deductFen: 100n });
    expect(rateContractor(work({ done: 5 })).recommendation).toBe('release');
    expect(rateContractor(work({ done: 1 }), { ...DEFAULT_RETENTION_THRESHOLDS, minDoneOrders: 1 }).recommendation).toBe('release');
  });

  it('holds the retention when first-time fix is below the minimum (exactly at it passes)', () => {
    expect(rateContractor(work({ done: 5, firstTimeFixed: 4, visits: 6 })).recommendation).toBe('release'); // 80 %
    expect(rateContractor(work({ done: 5, firstTimeFixed: 3, visits: 7 }))).toMatchObject({ recommendation: 'hold', shortfalls: ['first_time_fix'] }); // 60 %
    expect(rateContractor(work({ done: 1000, firstTimeFixed: 799, visits: 1000 }))).toMatchObject({ recommendation: 'hold', shortfalls: ['first_time_fix'] }); // 79.9 %
  });

  it('holds it when more arrival targets were missed than allowed (exactly at the maximum passes)', () => {
    expect(rateContractor(work({ done: 10, lateArrivals: 1 })).recommendation).toBe('release'); // 1 of 10 visits
    expect(rateContractor(work({ done: 10, lateArrivals: 2 }))).toMatchObject({ recommendation: 'hold', shortfalls: ['late'] });
    expect(rateContractor(work({ done: 1000, lateArrivals: 101 }))).toMatchObject({ recommendation: 'hold', shortfalls: ['late'] }); // 10.1 %
    expect(rateContractor(work({ done: 10, lateArrivals: 0 }), { ...DEFAULT_RETENTION_THRESHOLDS, maxLatePct: 0 }).recommendation).toBe('release');
  });

  it('holds it when the owners rejected more sign-offs than allowed (exactly at the maximum passes)', () => {
    // 9 done + 1 rejected = 10 sign-offs asked, 1 refused: 10 %. The rework visit was not a first-time fix.
    expect(rateContractor(work({ done: 9, firstTimeFixed: 8, visits: 10, reworks: 1 })).recommendation).toBe('release');
    expect(rateContractor(work({ done: 18, firstTimeFixed: 15, visits: 21, reworks: 3 }))).toMatchObject({ recommendation: 'hold', shortfalls: ['rejected'] }); // 3 of 21
    expect(rateContractor(work({ done: 899, firstTimeFixed: 798, visits: 1000, reworks: 101 }))).toMatchObject({ recommendation: 'hold', shortfalls: ['rejected'] }); // 10.1 %
  });

  it('lists every threshold missed, and still shows the charge-backs a release would take off', () => {
    const r = rateContractor(work({ done: 5, firstTimeFixed: 2, visits: 8, reworks: 3, lateArrivals: 2, chargeBackOrders: 1, chargeBackFen: 30_000n }));
    expect(r).toMatchObject({ recommendation: 'hold', shortfalls: ['first_time_fix', 'late', 'rejected'], deductFen: 30_000n });
  });

  it('releases less the charge-backs when every threshold is met and something was charged back', () => {
    expect(rateContractor(work({ chargeBackOrders: 2, chargeBackFen: 42_050n }))).toMatchObject({ recommendation: 'deduct', shortfalls: [], deductFen: 42_050n });
    expect(rateContractor(work({ chargeBackOrders: 1, chargeBackFen: 1n })).recommendation).toBe('deduct');
  });

  it('releases in full when every threshold is met and nothing is owed (a charge-back of 0.00 owes nothing)', () => {
    expect(rateContractor(work())).toMatchObject({ recommendation: 'release', shortfalls: [], deductFen: 0n });
    expect(rateContractor(work({ chargeBackOrders: 1, chargeBackFen: 0n })).recommendation).toBe('release');
  });

  it('follows the group’s own thresholds', () => {
    const strict = { minDoneOrders: 20, minFirstTimeFixPct: 95, maxLatePct: 5, maxRejectedPct: 0 };
    expect(rateContractor(work({ done: 19 }), strict).recommendation).toBe('insufficient_data');
    expect(rateContractor(work({ done: 20, firstTimeFixed: 19, visits: 21, reworks: 1 }), strict)).toMatchObject({ recommendation: 'hold', shortfalls: ['rejected'] });
    expect(rateContractor(work({ done: 20, firstTimeFixed: 19, visits: 21, noShows: 1, lateArrivals: 1 }), strict).recommendation).toBe('release'); // 95 %, 1 of 21 late
  });
});

describe('the rates and the score', () => {
  it('rates first-time fix over done orders, lateness over visits, rejections over sign-offs asked', () => {
    const r = rateContractor(work({ done: 10, firstTimeFixed: 8, visits: 12, lateArrivals: 1, reworks: 1, noShows: 1 }));
    expect(r.firstTimeFix).toEqual({ part: 8, whole: 10 });
    expect(r.late).toEqual({ part: 1, whole: 12 });
    expect(r.rejected).toEqual({ part: 1, whole: 11 });
    // 50 × 0.8 + 25 × 11/12 + 25 × 10/11 = 40 + 22.917 + 22.727 = 85.64
    expect(r.score).toBe(86);
  });

  it('scores 100 for every order fixed first time, on time, never rejected; 0 for none fixed, every visit late, every sign-off rejected', () => {
    expect(rateContractor(work()).score).toBe(100);
    expect(rateContractor(work({ done: 1, firstTimeFixed: 0, visits: 1_000_000, lateArrivals: 1_000_000, reworks: 999_999 })).score).toBe(0); // 25 × 1/1,000,000 rounds down
  });

  it('rounds half up exactly, and has no score without done orders', () => {
    // 50 × 1/4 + 25 + 25 = 62.5
    expect(rateContractor(work({ done: 4, firstTimeFixed: 1 })).score).toBe(63);
    // 50 × 1/8 + 25 × 7/8 + 25 = 6.25 + 21.875 + 25 = 53.125
    expect(rateContractor(work({ done: 8, firstTimeFixed: 1, lateArrivals: 1 })).score).toBe(53);
    expect(rateContractor(work({ done: 0, visits: 0 })).score).toBeNull();
  });

  it('counts a visit late at most once, and a done order without a recorded visit as on time', () => {
    expect(rateContractor(work({ done: 3, visits: 3, lateArrivals: 5 })).late).toEqual({ part: 3, whole: 3 });
    expect(rateContractor(work({ done: 3, visits: 3, lateArrivals: 5 })).score).toBe(75);
    const noVisits = rateContractor(work({ done: 5, visits: 0 }));
    expect(noVisits).toMatchObject({ late: { part: 0, whole: 0 }, score: 100, recommendation: 'release' });
  });
});

describe('the retention thresholds in the warranty settings', () => {
  it('are the defaults when the document has none', () => {
    expect(DEFAULT_WARRANTY_SETTINGS.retention).toEqual(DEFAULT_RETENTION_THRESHOLDS);
    const parsed = parseWarrantySettings({});
    expect(parsed.ok && parsed.value.retention).toEqual(DEFAULT_RETENTION_THRESHOLDS);
  });

  it('take what the group sets, the rest from the defaults', () => {
    const parsed = parseWarrantySettings({ retention: { minDoneOrders: 3, maxLatePct: 0 } });
    expect(parsed.ok && parsed.value.retention).toEqual({ minDoneOrders: 3, minFirstTimeFixPct: 80, maxLatePct: 0, maxRejectedPct: 10 });
  });

  it('report every bad threshold with its path', () => {
    const parsed = parseWarrantySettings({ retention: { minDoneOrders: 0, minFirstTimeFixPct: 80.5, maxLatePct: 101, maxRejectedPct: '10', bonus: 1 } });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((e) => e.path).sort()).toEqual(['retention.bonus', 'retention.maxLatePct', 'retention.maxRejectedPct', 'retention.minDoneOrders', 'retention.minFirstTimeFixPct']);
    const errors: ValidationIssue[] = [];
    expect(parseRetentionThresholds([], 'retention', errors)).toEqual(DEFAULT_RETENTION_THRESHOLDS);
    expect(errors).toEqual([{ path: 'retention', message: expect.stringContaining('minDoneOrders') }]);
  });
});
