import { describe, expect, it } from 'vitest';
import { percentOf } from '../../../api/reports/percent.js';
import { isoIn } from '../../../api/reports/csv.js';
import { CSV_HEADERS, TIER_WORDS, wordOf } from '../../../api/reports/terms.js';
import { localDayOf } from '../../../domain/local-day.js';

describe('percentages next to their counts', () => {
  it('is null when there is nothing to divide by', () => {
    expect(percentOf(0, 0)).toBeNull();
  });

  it('rounds to one decimal', () => {
    expect(percentOf(2, 5)).toBe(40);
    expect(percentOf(1, 3)).toBe(33.3);
    expect(percentOf(2, 3)).toBe(66.7);
  });

  it('reads 100 only when every one counted, and 0 only when none did', () => {
    expect(percentOf(2, 2)).toBe(100);
    expect(percentOf(2499, 2500)).toBe(99.9);
    expect(percentOf(0, 2500)).toBe(0);
    expect(percentOf(1, 2500)).toBe(0.1);
  });
});

describe('times and words in downloads', () => {
  it('writes an instant in the project’s zone with its offset', () => {
    expect(isoIn(new Date('2026-12-03T01:30:00Z'), 'Asia/Shanghai')).toBe('2026-12-03T09:30:00+08:00');
    expect(isoIn('2026-07-01T12:00:00.250Z', 'America/Los_Angeles')).toBe('2026-07-01T05:00:00.250-07:00');
    expect(isoIn(null, 'Asia/Shanghai')).toBeNull();
  });

  it('names codes in the caller’s language and keeps an unknown code as it is', () => {
    expect(wordOf(TIER_WORDS, 'COMPANY', 'zh-CN')).toBe('公司');
    expect(wordOf(TIER_WORDS, 'COMPANY', 'en')).toBe('Company');
    expect(wordOf(TIER_WORDS, 'REGION', 'en')).toBe('REGION');
  });

  it('writes no header that would need quoting', () => {
    const words: string[] = [];
    const collect = (v: unknown): void => {
      if (typeof v === 'function') collect((v as (w: { 'zh-CN': string; en: string }) => unknown)({ 'zh-CN': '甲', en: 'X' }));
      else if (v && typeof v === 'object') for (const x of Object.values(v)) collect(x);
      else if (typeof v === 'string') words.push(v);
    };
    collect(CSV_HEADERS);
    expect(words.length).toBeGreaterThan(50);
    for (const word of words) expect(word).not.toMatch(/[",\r\n]/);
  });
});

describe('today in a project’s time zone', () => {
  it('starts and ends at local midnight', () => {
    const now = Date.parse('2026-12-02T17:00:00Z'); // 01:00 on 3 December in Shanghai
    expect(localDayOf({ now, timeZone: 'Asia/Shanghai' })).toEqual({ start: Date.parse('2026-12-02T16:00:00Z'), end: Date.parse('2026-12-03T16:00:00Z') });
    expect(localDayOf({ now, timeZone: 'UTC' })).toEqual({ start: Date.parse('2026-12-02T00:00:00Z'), end: Date.parse('2026-12-03T00:00:00Z') });
  });

  it('refuses an unknown zone', () => {
    expect(() => localDayOf({ now: 0, timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });
});
