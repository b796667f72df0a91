import { describe, expect, it } from 'vitest';
import { CALENDAR_24x7, CALENDAR_CN_DEFAULT } from '../../../domain/cases/business-calendar.js';
import { effectiveCalendar, snapshotWindow } from '../../../domain/cases/holiday-schedules.js';
import { caseNoticeDelivery, nextNoticeInstant } from '../../../domain/cases/notice-delivery.js';
import { NOTIFICATION_DEFAULTS, notificationsOf, parseSlaPolicy } from '../../../domain/cases/sla-policy.js';
import { cst, MINUTE } from './calendars.fixture.js';

/** The shipped Mainland China calendar with the State Council's 2026 schedule applied, as a case counts on it. */
const CN = effectiveCalendar(CALENDAR_CN_DEFAULT, snapshotWindow(CALENDAR_CN_DEFAULT, cst('2026-09-01 00:00')));
const next = (wall: string) => nextNoticeInstant({ calendar: CN, at: cst(wall) });

describe('next working period (when a held notice may go)', () => {
  it('is the instant itself inside working hours, the opening included', () => {
    expect(next('2026-09-14 09:00')).toBe(cst('2026-09-14 09:00'));
    expect(next('2026-09-14 10:15')).toBe(cst('2026-09-14 10:15'));
    expect(next('2026-09-14 17:59')).toBe(cst('2026-09-14 17:59'));
  });

  it('is the next opening just before it, at lunch, and at closing time (closing excluded)', () => {
    expect(next('2026-09-14 08:59')).toBe(cst('2026-09-14 09:00'));
    expect(next('2026-09-14 12:00')).toBe(cst('2026-09-14 13:30'));
    expect(next('2026-09-14 18:00')).toBe(cst('2026-09-15 09:00'));
  });

  it('moves 03:00 on a working day to 09:00 that day', () => {
    expect(next('2026-09-15 03:00')).toBe(cst('2026-09-15 09:00'));
  });

  it('moves a weekend to Monday, and 国庆 to the first working day after it', () => {
    expect(next('2026-09-12 11:00')).toBe(cst('2026-09-14 09:00'));
    expect(next('2026-09-30 18:00')).toBe(cst('2026-10-08 09:00'));
    expect(next('2026-10-03 10:00')).toBe(cst('2026-10-08 09:00'));
  });

  it('counts a make-up working Saturday (调休) as a working day', () => {
    expect(next('2026-10-09 19:00')).toBe(cst('2026-10-10 09:00'));
    expect(next('2026-09-19 23:00')).toBe(cst('2026-09-20 09:00'));
  });

  it('never holds a notice without a calendar or on a round-the-clock one', () => {
    expect(nextNoticeInstant({ calendar: null, at: cst('2026-10-03 03:00') })).toBe(cst('2026-10-03 03:00'));
    expect(nextNoticeInstant({ calendar: CALENDAR_24x7, at: cst('2026-10-03 03:00') })).toBe(cst('2026-10-03 03:00'));
  });
});

describe('case notice delivery', () => {
  const at = cst('2026-10-03 03:00');

  it('sends a breach of a calendar-clock target at once, whatever the settings', () => {
    expect(caseNoticeDelivery({ kind: 'breach', clock: 'calendar', calendar: null, notifications: { workingHoursOnly: true, digestMinutes: 30 }, at })).toEqual({ mode: 'now' });
  });

  it('holds a business-clock warning, and a business-clock breach, to the next working period', () => {
    expect(caseNoticeDelivery({ kind: 'warning', clock: 'business', calendar: CN, at, notifications: { workingHoursOnly: true, digestMinutes: 0 } })).toEqual({ mode: 'digest', notBefore: cst('2026-10-08 09:00'), digestMs: 0 });
    // By default, held and grouped in the person's 5-minute window.
    expect(caseNoticeDelivery({ kind: 'warning', clock: 'business', calendar: CN, at })).toEqual({ mode: 'digest', notBefore: cst('2026-10-08 09:00'), digestMs: 5 * MINUTE });
    expect(caseNoticeDelivery({ kind: 'breach', clock: 'business', calendar: CN, at, notifications: { workingHoursOnly: true, digestMinutes: 5 } })).toEqual({
      mode: 'digest',
      notBefore: cst('2026-10-08 09:00'),
      digestMs: 5 * MINUTE,
    });
  });

  it('does not hold a business-clock notice when the policy says so, nor a calendar-clock warning', () => {
    expect(caseNoticeDelivery({ kind: 'warning', clock: 'business', calendar: CN, at, notifications: { workingHoursOnly: false, digestMinutes: 0 } })).toEqual({ mode: 'now' });
    expect(caseNoticeDelivery({ kind: 'warning', clock: 'calendar', calendar: null, at, notifications: { workingHoursOnly: true, digestMinutes: 0 } })).toEqual({ mode: 'now' });
  });

  it('sends a notice due inside working hours at once without a window, and through the digest with one', () => {
    const open = cst('2026-10-08 10:00');
    expect(caseNoticeDelivery({ kind: 'assigned', clock: 'business', calendar: CN, at: open, notifications: { workingHoursOnly: true, digestMinutes: 0 } })).toEqual({ mode: 'now' });
    // The default window: through the person's digest.
    expect(caseNoticeDelivery({ kind: 'assigned', clock: 'business', calendar: CN, at: open })).toEqual({
      mode: 'digest',
      notBefore: open,
      digestMs: 5 * MINUTE,
    });
  });
});

describe('policy notification settings', () => {
  const base = { id: 'p', name: 'P' };

  it('default to held-to-working-time without a digest window', () => {
    expect(notificationsOf(null)).toEqual(NOTIFICATION_DEFAULTS);
    expect(NOTIFICATION_DEFAULTS).toEqual({ workingHoursOnly: true, digestMinutes: 5 });
    const parsed = parseSlaPolicy(base);
    expect(parsed.ok && parsed.value.notifications).toBeUndefined();
  });

  it('fill omitted fields and refuse wrong ones with their path', () => {
    const ok = parseSlaPolicy({ ...base, notifications: { digestMinutes: 10 } });
    expect(ok.ok && ok.value.notifications).toEqual({ workingHoursOnly: true, digestMinutes: 10 });
    const bad = parseSlaPolicy({ ...base, notifications: { digestMinutes: 1.5, workingHoursOnly: 'no' } });
    expect(bad.ok ? [] : bad.errors.map((e) => e.path).sort()).toEqual(['notifications.digestMinutes', 'notifications.workingHoursOnly']);
    const tooLong = parseSlaPolicy({ ...base, notifications: { digestMinutes: 1441 } });
    expect(tooLong.ok).toBe(false);
  });
});
