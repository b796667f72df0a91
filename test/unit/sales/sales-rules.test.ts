import { describe, expect, it } from 'vitest';
import { settleAreaDifference } from '../../../domain/sales/area-settlement.js';
import { membershipTierOf } from '../../../domain/sales/membership.js';
import { fenToString, isAmount, roundFen, toCentiSquareMetres, toFen } from '../../../domain/sales/money.js';

describe('money in fen', () => {
  it('reads amounts with up to two decimals exactly, from strings or numbers', () => {
    expect(toFen('2350000.5')).toBe(235000050);
    expect(toFen('0.07')).toBe(7);
    expect(toFen(50000)).toBe(5000000);
    expect(toFen(0.1 + 0.2)).toBe(30); // a float's noise is rounded away at the edge, never carried
    expect(fenToString(235000050)).toBe('2350000.50');
    expect(fenToString(-7)).toBe('-0.07');
  });

  it('refuses negative amounts, three decimals and text', () => {
    for (const bad of ['-1', '1.005', 'abc', '', '1e5']) expect(() => toFen(bad), bad).toThrow(RangeError);
    expect(isAmount('12.30')).toBe(true);
    expect(isAmount('12.301')).toBe(false);
  });

  it('rounds half away from zero to the fen', () => {
    expect(roundFen(5n, 2n)).toBe(3);
    expect(roundFen(-5n, 2n)).toBe(-3);
    expect(roundFen(4n, 3n)).toBe(1);
    expect(toCentiSquareMetres('89.5')).toBe(8950);
    expect(() => toCentiSquareMetres('0')).toThrow(RangeError);
  });
});

describe('area difference settlement (面积补差)', () => {
  // 1,000,000.00 for 100.00 m²: 10,000 per m².
  const settle = (measuredArea: string) => settleAreaDifference({ contractPrice: '1000000.00', contractArea: '100.00', measuredArea });

  it('settles a difference within 3 % at the contract price, both ways', () => {
    expect(settle('102.00')).toEqual({ amountFen: 2_000_000, differencePct: 2, beyondTolerance: false });
    expect(settle('98.00')).toEqual({ amountFen: -2_000_000, differencePct: -2, beyondTolerance: false });
    expect(settle('100.00').amountFen).toBe(0);
  });

  it('counts exactly 3 % as within the tolerance', () => {
    expect(settle('103.00')).toEqual({ amountFen: 3_000_000, differencePct: 3, beyondTolerance: false });
    expect(settle('97.00')).toEqual({ amountFen: -3_000_000, differencePct: -3, beyondTolerance: false });
  });

  it('charges the buyer only the first 3 % of a larger flat: the rest is the developer’s', () => {
    expect(settle('105.00')).toEqual({ amountFen: 3_000_000, differencePct: 5, beyondTolerance: true });
  });

  it('refunds a smaller flat’s shortfall beyond 3 % twice over', () => {
    // 3 m² at 10,000 + 2 m² at 20,000 = 70,000.00 back to the buyer.
    expect(settle('95.00')).toEqual({ amountFen: -7_000_000, differencePct: -5, beyondTolerance: true });
  });

  it('keeps the price per m² as a fraction and rounds only the final amount', () => {
    // 2,350,000 / 89.50 m² × 0.23 m² = 6,039.106… → 6,039.11
    expect(settleAreaDifference({ contractPrice: '2350000.00', contractArea: '89.50', measuredArea: '89.73' }).amountFen).toBe(603_911);
  });
});

describe('membership', () => {
  it('makes an owner silver after one referral or a repeat purchase, gold after two or more', () => {
    expect(membershipTierOf({ referrals: 0, purchases: 1 })).toBe('none');
    expect(membershipTierOf({ referrals: 1, purchases: 1 })).toBe('silver');
    expect(membershipTierOf({ referrals: 0, purchases: 2 })).toBe('silver');
    expect(membershipTierOf({ referrals: 2, purchases: 1 })).toBe('gold');
    expect(membershipTierOf({ referrals: 1, purchases: 2 })).toBe('gold');
    expect(membershipTierOf({ referrals: 0, purchases: 0 })).toBe('none');
    expect(() => membershipTierOf({ referrals: -1, purchases: 1 })).toThrow(RangeError);
  });
});

describe('sales policy', () => {
  it('fills what an administrator leaves out with the defaults (contract within 7 days)', async () => {
    const { parseSalesPolicy, DEFAULT_SALES_POLICY } = await import('../../../domain/sales/policy.js');
    expect(parseSalesPolicy({ contractWithin: 'PT30S' })).toEqual({ ok: true, value: { ...DEFAULT_SALES_POLICY, contractWithin: 'PT30S' } });
    expect(DEFAULT_SALES_POLICY.contractWithin).toBe('P7D');
  });

  it('names every bad field', async () => {
    const { parseSalesPolicy } = await import('../../../domain/sales/policy.js');
    const r = parseSalesPolicy({ contractWithin: '-P1D', filingWithin: 'soon', colour: 'red' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path).sort()).toEqual(['colour', 'contractWithin', 'filingWithin']);
    expect(parseSalesPolicy([]).ok).toBe(false);
  });
});
