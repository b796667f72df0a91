import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addCadence, cadenceOf, DEFAULT_CADENCES, gradeEndsAt, openWindow, parseCadencePolicies } from '../../../domain/leads/cadence.js';
import { DEFAULT_LOSS_REASONS, isActiveLossReason, parseLossReasons } from '../../../domain/leads/loss-reasons.js';

const ZONE = 'Asia/Shanghai';
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();

describe('cadence windows', () => {
  it('gives a new grade-A lead 24 hours for the first contact and one more day before it lapses', () => {
    const w = openWindow({ policy: cadenceOf({ policies: DEFAULT_CADENCES, grade: 'A' }), timeZone: ZONE, at: at('2026-03-10T09:30'), contacted: false });
    expect(w).toEqual({ openedAt: at('2026-03-10T09:30'), firstContact: true, dueAt: at('2026-03-11T09:30'), lapsesAt: at('2026-03-12T09:30') });
  });

  it('counts a B lead’s touches weekly once contacted, and lets it lapse a week after a missed touch', () => {
    const w = openWindow({ policy: cadenceOf({ policies: DEFAULT_CADENCES, grade: 'B' }), timeZone: ZONE, at: at('2026-03-10T09:30'), contacted: true });
    expect(w.dueAt).toBe(at('2026-03-17T09:30'));
    expect(w.lapsesAt).toBe(at('2026-03-24T09:30'));
  });

  it('adds months on the calendar: a C touch on 31 January is due on the last day of February', () => {
    const w = openWindow({ policy: cadenceOf({ policies: DEFAULT_CADENCES, grade: 'C' }), timeZone: ZONE, at: at('2026-01-31T15:00'), contacted: true });
    expect(w.dueAt).toBe(at('2026-02-28T15:00'));
    expect(w.lapsesAt).toBe(at('2026-03-28T15:00'));
  });

  it('keeps "tomorrow at this time" across a daylight-saving change in a zone that has one', () => {
    const before = DateTime.fromISO('2026-03-07T10:00', { zone: 'America/New_York' }).toMillis();
    expect(addCadence({ at: before, iso: 'P1D', timeZone: 'America/New_York' })).toBe(DateTime.fromISO('2026-03-08T10:00', { zone: 'America/New_York' }).toMillis());
    expect(addCadence({ at: before, iso: 'PT24H', timeZone: 'America/New_York' })).toBe(DateTime.fromISO('2026-03-08T11:00', { zone: 'America/New_York' }).toMillis());
  });

  it('ends grade B a month after the lead became B; A and C never end', () => {
    expect(gradeEndsAt({ policy: cadenceOf({ policies: DEFAULT_CADENCES, grade: 'B' }), timeZone: ZONE, gradeSince: at('2026-05-15T08:00') })).toBe(at('2026-06-15T08:00'));
    expect(gradeEndsAt({ policy: cadenceOf({ policies: DEFAULT_CADENCES, grade: 'A' }), timeZone: ZONE, gradeSince: at('2026-05-15T08:00') })).toBeNull();
    expect(gradeEndsAt({ policy: cadenceOf({ policies: DEFAULT_CADENCES, grade: 'C' }), timeZone: ZONE, gradeSince: at('2026-05-15T08:00') })).toBeNull();
  });
});

describe('cadence policies as an administrator edits them', () => {
  it('accepts the handbook defaults and second-long demo cadences', () => {
    expect(parseCadencePolicies(DEFAULT_CADENCES)).toEqual({ ok: true, value: DEFAULT_CADENCES });
    const demo = DEFAULT_CADENCES.map((p) => ({ ...p, firstContact: 'PT5S', interval: 'PT10S', lastsFor: p.lastsFor ? 'PT30S' : null }));
    expect(parseCadencePolicies(demo).ok).toBe(true);
  });

  it('refuses a window longer than a month: every open lead needs a touch monthly', () => {
    const r = parseCadencePolicies(DEFAULT_CADENCES.map((p) => (p.grade === 'C' ? { ...p, interval: 'P2M' } : p)));
    expect(r).toEqual({ ok: false, errors: [{ path: '2.interval', message: expect.stringMatching(/longer than a month/) }] });
  });

  it('names each bad field by its path', () => {
    const r = parseCadencePolicies([{ ...DEFAULT_CADENCES[0], firstContact: 'soon', ownerRole: 'AGENT', extra: 1 }, DEFAULT_CADENCES[1], DEFAULT_CADENCES[2]]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path).sort()).toEqual(['0.extra', '0.firstContact', '0.ownerRole']);
  });

  it('refuses a grade that ends before its first contact is due', () => {
    const r = parseCadencePolicies(DEFAULT_CADENCES.map((p) => (p.grade === 'B' ? { ...p, lastsFor: 'P2D' } : p)));
    expect(r).toEqual({ ok: false, errors: [{ path: '1.lastsFor', message: 'P2D ends the grade before its first contact (P3D) is even due' }] });
  });

  it('needs exactly one cadence per grade', () => {
    const r = parseCadencePolicies([DEFAULT_CADENCES[0], DEFAULT_CADENCES[0], DEFAULT_CADENCES[2]]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.message)).toEqual(['grade A has 2 cadences; give exactly one', 'grade B has no cadence']);
  });

  it('refuses a drop without a duration, a drop to itself and grades dropping in a circle', () => {
    const noDuration = parseCadencePolicies(DEFAULT_CADENCES.map((p) => (p.grade === 'B' ? { ...p, lastsFor: null } : p)));
    expect(noDuration.ok).toBe(false);
    const self = parseCadencePolicies(DEFAULT_CADENCES.map((p) => (p.grade === 'B' ? { ...p, dropTo: 'B' } : p)));
    expect(self.ok).toBe(false);
    const circle = parseCadencePolicies(DEFAULT_CADENCES.map((p) => (p.grade === 'C' ? { ...p, lastsFor: 'P2M', dropTo: 'B' } : p)));
    expect(circle.ok).toBe(false);
    if (!circle.ok) expect(circle.errors[0]!.message).toMatch(/circle/);
  });
});

describe('loss reasons', () => {
  it('accepts the defaults and knows which reasons may still be chosen', () => {
    expect(parseLossReasons(DEFAULT_LOSS_REASONS).ok).toBe(true);
    const reasons = [...DEFAULT_LOSS_REASONS.slice(0, 2), { ...DEFAULT_LOSS_REASONS[2]!, active: false }];
    expect(isActiveLossReason({ code: 'price', reasons })).toBe(true);
    expect(isActiveLossReason({ code: 'layout', reasons })).toBe(false);
    expect(isActiveLossReason({ code: 'nope', reasons })).toBe(false);
  });

  it('refuses duplicate codes, missing names and a list with nothing active', () => {
    const r = parseLossReasons([{ code: 'price', name: { zh: '价格', en: 'Price' } }, { code: 'price', name: { zh: '', en: 'x' } }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path)).toEqual(['1.code', '1.name.zh']);
    const none = parseLossReasons([{ code: 'price', name: { zh: '价格', en: 'Price' }, active: false }]);
    expect(none.ok).toBe(false);
  });
});
