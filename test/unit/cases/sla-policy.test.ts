import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  isSatisfactory,
  parseSlaPolicies,
  parseSlaPolicy,
  resolvePolicy,
  type PolicySelector,
  type SlaPolicy,
} from '../../../domain/cases/sla-policy.js';

const policy = (id: string, over: Partial<SlaPolicy>): SlaPolicy => ({ ...DEFAULT_POLICY, id, name: id, ...over });

const leakage: PolicySelector = { caseType: 'complaint', category: 'complaint.quality.leakage', severity: 'major', tier: 'COMPANY' };

describe('SLA policy resolution', () => {
  it('falls back to the handbook defaults when nothing matches', () => {
    const resolved = resolvePolicy({ policies: [policy('repairs', { caseType: 'repair' })], ...leakage });
    expect(resolved).toBe(DEFAULT_POLICY);
    expect(resolved).toMatchObject({ firstContact: 'PT24H', resolution: 'P7D', callback: 'P3D', warnAt: 0.8, approvalWindow: 'PT4H', satisfactionThreshold: 3, clock: 'calendar' });
  });

  it('prefers the longest matching category prefix over every other selector', () => {
    const policies = [
      policy('exact-everything', { caseType: 'complaint', categoryPrefix: 'complaint', severity: 'major', tier: 'COMPANY' }),
      policy('quality', { categoryPrefix: 'complaint.quality' }),
      policy('leakage', { categoryPrefix: 'complaint.quality.leakage' }),
    ];
    expect(resolvePolicy({ policies, ...leakage }).id).toBe('leakage');
    expect(resolvePolicy({ policies, ...leakage, category: 'complaint.quality.cracks' }).id).toBe('quality');
    expect(resolvePolicy({ policies, ...leakage, category: 'complaint.service.cleaning' }).id).toBe('exact-everything');
  });

  it('matches a category prefix on whole segments only', () => {
    const policies = [policy('quality', { categoryPrefix: 'complaint.quality' })];
    expect(resolvePolicy({ policies, ...leakage, category: 'complaint.quality' }).id).toBe('quality');
    expect(resolvePolicy({ policies, ...leakage, category: 'complaint.qualityx' })).toBe(DEFAULT_POLICY);
    expect(resolvePolicy({ policies, ...leakage, category: 'complaint.qualityx.leakage' })).toBe(DEFAULT_POLICY);
  });

  it('then prefers an exact case type, then an exact severity, then an exact tier', () => {
    const bySeverityAndTier = policy('a-severity-tier', { severity: 'major', tier: 'COMPANY' });
    const byType = policy('b-type', { caseType: 'complaint' });
    const bySeverity = policy('c-severity', { severity: 'major' });
    const byTier = policy('d-tier', { tier: 'COMPANY' });
    expect(resolvePolicy({ policies: [bySeverityAndTier, byType, bySeverity, byTier], ...leakage }).id).toBe('b-type');
    expect(resolvePolicy({ policies: [bySeverityAndTier, bySeverity, byTier], ...leakage }).id).toBe('a-severity-tier');
    expect(resolvePolicy({ policies: [bySeverity, byTier], ...leakage }).id).toBe('c-severity');
    expect(resolvePolicy({ policies: [byTier], ...leakage }).id).toBe('d-tier');
  });

  it('gives each tier its own targets', () => {
    const policies = [policy('group', { tier: 'GROUP', resolution: 'P3D' })];
    expect(resolvePolicy({ policies, ...leakage, tier: 'GROUP' }).resolution).toBe('P3D');
    expect(resolvePolicy({ policies, ...leakage, tier: 'COMPANY' })).toBe(DEFAULT_POLICY);
  });

  it('breaks remaining ties by id, whatever order the policies are stored in', () => {
    const a = policy('a', { caseType: 'complaint' });
    const b = policy('b', { caseType: 'complaint' });
    expect(resolvePolicy({ policies: [a, b], ...leakage }).id).toBe('a');
    expect(resolvePolicy({ policies: [b, a], ...leakage }).id).toBe('a');
  });

  it('lets a configured catch-all policy replace the built-in default', () => {
    expect(resolvePolicy({ policies: [policy('house', { resolution: 'P5D' })], ...leakage }).id).toBe('house');
  });
});

describe('SLA policy validation', () => {
  it('fills the handbook defaults and wildcards for what is omitted', () => {
    const parsed = parseSlaPolicy({ id: 'p1', name: 'Leakage' , categoryPrefix: 'complaint.quality.leakage' });
    expect(parsed).toEqual({ ok: true, value: { ...DEFAULT_POLICY, id: 'p1', name: 'Leakage', categoryPrefix: 'complaint.quality.leakage' } });
  });

  it('keeps a business clock with its calendar', () => {
    const parsed = parseSlaPolicy({ id: 'p1', name: 'Office hours', clock: 'business', calendarId: 'cn-2026', firstContact: 'PT4H', resolution: 'P5D' });
    expect(parsed.ok && parsed.value).toMatchObject({ clock: 'business', calendarId: 'cn-2026', firstContact: 'PT4H', resolution: 'P5D' });
  });

  it('reports every invalid field by name', () => {
    const parsed = parseSlaPolicy({
      id: 'p1',
      name: '',
      caseType: 'suggestion',
      categoryPrefix: 'complaint.',
      severity: 'critical',
      tier: 'REGION',
      firstContact: 'P1M',
      resolution: 7,
      warnAt: 1,
      satisfactionThreshold: 2.5,
      clock: 'business',
      callback: 'P1W',
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors.map((e) => e.path).sort()).toEqual(
        ['name', 'caseType', 'categoryPrefix', 'severity', 'tier', 'firstContact', 'resolution', 'callback', 'warnAt', 'satisfactionThreshold'].sort(),
      );
    }
  });

  it.each([0, 1, -0.2, 1.5])('refuses warnAt %s', (warnAt) => {
    expect(parseSlaPolicy({ id: 'p', name: 'p', warnAt }).ok).toBe(false);
  });

  it.each([0, 6, 2.5])('refuses a satisfaction threshold of %s', (satisfactionThreshold) => {
    expect(parseSlaPolicy({ id: 'p', name: 'p', satisfactionThreshold }).ok).toBe(false);
  });

  it('refuses duplicate ids, duplicate selectors and unknown calendars in a policy set', () => {
    const parsed = parseSlaPolicies({
      policies: [
        { id: 'a', name: 'A', caseType: 'repair' },
        { id: 'a', name: 'A again', caseType: 'complaint' },
        { id: 'b', name: 'Same selector as a', caseType: 'repair' },
        { id: 'c', name: 'Business', clock: 'business', calendarId: 'mars' },
      ],
      calendarIds: ['cn-2026'],
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.map((e) => e.path)).toEqual(['1.id', '2', '3.calendarId']);
  });

  it('accepts a consistent policy set', () => {
    const parsed = parseSlaPolicies({ policies: [{ id: 'a', name: 'A', caseType: 'repair' }, { id: 'b', name: 'B', caseType: 'repair', severity: 'major' }] });
    expect(parsed.ok).toBe(true);
  });
});

describe('callback satisfaction', () => {
  it('closes at or above the threshold and reopens below it', () => {
    expect(isSatisfactory({ policy: DEFAULT_POLICY, satisfaction: 3 })).toBe(true);
    expect(isSatisfactory({ policy: DEFAULT_POLICY, satisfaction: 5 })).toBe(true);
    expect(isSatisfactory({ policy: DEFAULT_POLICY, satisfaction: 2 })).toBe(false);
  });
});
