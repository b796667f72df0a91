import { describe, expect, it } from 'vitest';
import { initialTier } from '../../../domain/cases/routing.js';
import { higherTier, nextTier, tierRank } from '../../../domain/cases/types.js';

describe('initial tier', () => {
  it('starts minor cases at the project and major cases at the company', () => {
    expect(initialTier({ severity: 'minor', caseType: 'complaint' })).toBe('PROJECT');
    expect(initialTier({ severity: 'major', caseType: 'complaint' })).toBe('COMPANY');
    expect(initialTier({ severity: 'minor', caseType: 'enquiry' })).toBe('PROJECT');
  });

  it('sends a minor repair that costs more than the warranty authorisation amount to the company', () => {
    expect(initialTier({ severity: 'minor', caseType: 'repair', estimatedCost: 5001, warrantyAuthorisationAmount: 5000 })).toBe('COMPANY');
  });

  it('keeps a repair that costs exactly the authorised amount, or less, at the project', () => {
    expect(initialTier({ severity: 'minor', caseType: 'repair', estimatedCost: 5000, warrantyAuthorisationAmount: 5000 })).toBe('PROJECT');
    expect(initialTier({ severity: 'minor', caseType: 'repair', estimatedCost: 120, warrantyAuthorisationAmount: 5000 })).toBe('PROJECT');
  });

  it('never lowers the tier that severity gives', () => {
    expect(initialTier({ severity: 'major', caseType: 'repair', estimatedCost: 10, warrantyAuthorisationAmount: 5000 })).toBe('COMPANY');
    expect(initialTier({ severity: 'major', caseType: 'repair', estimatedCost: 90_000, warrantyAuthorisationAmount: 5000 })).toBe('COMPANY');
  });

  it('applies the cost rule to repairs only', () => {
    expect(initialTier({ severity: 'minor', caseType: 'complaint', estimatedCost: 90_000, warrantyAuthorisationAmount: 5000 })).toBe('PROJECT');
  });

  it('routes by severity alone when the cost or the authorisation amount is unknown', () => {
    expect(initialTier({ severity: 'minor', caseType: 'repair', estimatedCost: 90_000, warrantyAuthorisationAmount: null })).toBe('PROJECT');
    expect(initialTier({ severity: 'minor', caseType: 'repair', estimatedCost: null, warrantyAuthorisationAmount: 5000 })).toBe('PROJECT');
  });
});

describe('tiers', () => {
  it('escalates PROJECT → COMPANY → GROUP and stops at GROUP', () => {
    expect(nextTier('PROJECT')).toBe('COMPANY');
    expect(nextTier('COMPANY')).toBe('GROUP');
    expect(nextTier('GROUP')).toBeNull();
  });

  it('orders tiers from the project up', () => {
    expect(tierRank('PROJECT')).toBeLessThan(tierRank('COMPANY'));
    expect(higherTier('GROUP', 'COMPANY')).toBe('GROUP');
    expect(higherTier('PROJECT', 'COMPANY')).toBe('COMPANY');
  });
});
