import { describe, expect, it } from 'vitest';
import { budgetMs, durationBudgetMs, parseSlaDuration } from '../../../domain/cases/durations.js';
import { CaseRuleError } from '../../../domain/cases/errors.js';
import { HOUR, MINUTE } from './calendars.fixture.js';

const DAY = 24 * HOUR;

describe('SLA durations on the calendar clock', () => {
  it('reads the handbook targets as exact elapsed time', () => {
    expect(durationBudgetMs({ iso: 'PT24H', clock: 'calendar' })).toBe(DAY);
    expect(durationBudgetMs({ iso: 'P7D', clock: 'calendar' })).toBe(7 * DAY);
    expect(durationBudgetMs({ iso: 'P3D', clock: 'calendar' })).toBe(3 * DAY);
    expect(durationBudgetMs({ iso: 'PT4H', clock: 'calendar' })).toBe(4 * HOUR);
  });

  it('accepts seconds so tests and demos can use second-long targets', () => {
    expect(durationBudgetMs({ iso: 'PT5S', clock: 'calendar' })).toBe(5000);
    expect(durationBudgetMs({ iso: 'PT0.5S', clock: 'calendar' })).toBe(500);
  });

  it('reads a week as seven days and mixed units as their sum', () => {
    expect(durationBudgetMs({ iso: 'P1W', clock: 'calendar' })).toBe(7 * DAY);
    expect(durationBudgetMs({ iso: 'P1DT2H30M', clock: 'calendar' })).toBe(DAY + 2.5 * HOUR);
    expect(durationBudgetMs({ iso: 'PT1.5H', clock: 'calendar' })).toBe(90 * MINUTE);
  });
});

describe('SLA durations on the business clock', () => {
  it('counts hours, minutes and seconds as working time as written', () => {
    expect(durationBudgetMs({ iso: 'PT4H', clock: 'business' })).toBe(4 * HOUR);
    expect(durationBudgetMs({ iso: 'PT90M', clock: 'business' })).toBe(90 * MINUTE);
    expect(durationBudgetMs({ iso: 'PT5S', clock: 'business' })).toBe(5000);
  });

  it('counts a day as one working day of 8 hours by default', () => {
    expect(durationBudgetMs({ iso: 'P1D', clock: 'business' })).toBe(8 * HOUR);
    expect(durationBudgetMs({ iso: 'P7D', clock: 'business' })).toBe(56 * HOUR);
    expect(durationBudgetMs({ iso: 'P1DT2H', clock: 'business' })).toBe(10 * HOUR);
  });

  it("counts a day as the calendar's working day when it says how long that is", () => {
    expect(durationBudgetMs({ iso: 'P2D', clock: 'business', workingDayHours: 7.5 })).toBe(15 * HOUR);
    expect(durationBudgetMs({ iso: 'P0.5D', clock: 'business', workingDayHours: 7.5 })).toBe(3.75 * HOUR);
  });

  it('refuses weeks, which could mean five or seven working days', () => {
    const parsed = parseSlaDuration({ iso: 'P1W', clock: 'business' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/P5D/);
  });

  it('refuses a working day longer than a day', () => {
    const parsed = parseSlaDuration({ iso: 'P1D', clock: 'business' });
    if (!parsed.ok) throw new Error('P1D should parse');
    expect(() => budgetMs({ duration: parsed.value, clock: 'business', workingDayHours: 25 })).toThrow(CaseRuleError);
  });
});

describe('SLA duration validation', () => {
  it.each(['P1M', 'P1Y', 'P1Y2D', 'P0D', 'PT0S', 'P', 'PT', '-PT1H', 'PT-1H', 'P1DT-2H', 'PT24h', ' PT5S', '24h', '', 'PT0.0001S', 'PT99999999999999999999H'])(
    'refuses %j',
    (iso) => {
      expect(parseSlaDuration({ iso, clock: 'calendar' }).ok).toBe(false);
      expect(() => durationBudgetMs({ iso, clock: 'calendar' })).toThrow(CaseRuleError);
    },
  );

  it('says why years and months are refused', () => {
    const parsed = parseSlaDuration({ iso: 'P1M', clock: 'calendar' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/months/);
  });

  it('throws a typed error with a code the API can map', () => {
    try {
      durationBudgetMs({ iso: 'soon', clock: 'calendar' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CaseRuleError);
      expect((err as CaseRuleError).code).toBe('INVALID_DURATION');
    }
  });
});
