import { nextWorkingInstant, type BusinessCalendar } from './business-calendar.js';
import type { CaseNoticeKind } from './case-state.js';
import { notificationsOf, type SlaNotifications } from './sla-policy.js';
import type { ClockKind } from './types.js';

/**
 * When a case's staff notice may reach people (issue 14 item 2). Decisions worth knowing:
 *
 * - The case's clock decides whether a notice waits for working time: on the business clock (and
 *   with `workingHoursOnly`), every notice of the case — warnings, breaches, escalation requests,
 *   arrivals — is held to the start of the next working period of the case's calendar (its
 *   holidays and make-up working days included), because nobody is at work to act on it before;
 *   on the calendar clock it is never held.
 * - A breach of a calendar-clock target goes at once, on its own: the deadline has passed on a
 *   clock that runs day and night, and someone on duty must know now.
 * - Everything else goes through the person's digest: at most one email per `digestMinutes`, what
 *   falls due meanwhile listed in one email. With a zero window and nothing held, the notice goes
 *   at once as before.
 */
export type NoticeDelivery = { mode: 'now' } | { mode: 'digest'; notBefore: number; digestMs: number };

export function caseNoticeDelivery(o: {
  kind: CaseNoticeKind;
  /** The clock of the notice's target, else the case's policy's. */
  clock: ClockKind;
  /** The case's business calendar (its snapshot or the group's current one); null on the calendar clock. */
  calendar: BusinessCalendar | null;
  notifications?: SlaNotifications | undefined;
  /** When the event the notice announces happened (workflow time). */
  at: number;
}): NoticeDelivery {
  if (o.kind === 'breach' && o.clock === 'calendar') return { mode: 'now' };
  const settings = notificationsOf(o.notifications ? { notifications: o.notifications } : null);
  const notBefore = settings.workingHoursOnly ? nextNoticeInstant({ calendar: o.clock === 'business' ? o.calendar : null, at: o.at }) : o.at;
  const digestMs = settings.digestMinutes * 60_000;
  if (notBefore <= o.at && digestMs === 0) return { mode: 'now' };
  return { mode: 'digest', notBefore, digestMs };
}

/**
 * The first instant at or after `at` at which a notice may be delivered: `at` itself inside
 * working hours (opening included, closing excluded: at 18:00 the office has closed) or without a
 * calendar, else the start of the next working period — after lunch, the next working day, the
 * first working day after a holiday (a make-up Saturday counts).
 */
export function nextNoticeInstant({ calendar, at }: { calendar: BusinessCalendar | null; at: number }): number {
  return calendar ? nextWorkingInstant({ calendar, at }) : at;
}
