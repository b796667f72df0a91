import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALENDAR_24x7 } from '../../domain/cases/business-calendar.js';
import { pauseClock, resumeClock } from '../../workflows/cases/complaint-case.defs.js';
import {
  at,
  atOf,
  caseInput,
  CaseHarness,
  eventOf,
  fakeCaseActivities,
  HOUR,
  MINUTE,
  near,
  nextLocal,
  officeCalendar,
  officePolicy,
  startCaseHarness,
  stopCaseHarness,
  SECOND,
  stateOf,
  waitForEvent,
  ymd,
  actOn,
} from './complaint-case.support.js';

/**
 * Business-clock cases on the time-skipping server: each test moves the server's clock to a
 * chosen local wall time (the server only moves forward, so dates are found relative to "now"),
 * opens a case there and checks that the timers fire at the working-time deadlines.
 */
let env: TestWorkflowEnvironment;
let h: CaseHarness;

beforeAll(async () => {
  ({ env, h } = await startCaseHarness());
});

afterAll(async () => {
  await stopCaseHarness({ env, h });
});

describe('business calendar clocks in the case workflow', () => {
  it('pauses across a holiday and resumes counting at the next working hour', async () => {
    const wed = nextLocal(await env.currentTimeMs(), 3, '10:00');
    const [thu, fri, mon] = [wed.plus({ days: 1 }), wed.plus({ days: 2 }), wed.plus({ days: 5 })];
    const calendar = officeCalendar({ holidays: [ymd(thu), ymd(fri)] });
    const { audit, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      await h.travelTo(at(wed, '10:00'));
      const handle = await h.start(taskQueue, caseInput({ policy: officePolicy({ firstContact: 'PT4H' }), calendar }));
      const opened = await stateOf(handle);
      expect(near(opened.targets.firstContact!.dueAt, at(wed, '15:30'))).toBe(true);

      await h.travelTo(at(wed, '11:30'));
      await handle.executeUpdate(pauseClock, { args: [{ actor: 'handler-1', reason: 'Owner away' }] });
      // Resumed on the holiday: the remaining 2.5 working hours start Monday 09:00.
      await h.travelTo(at(thu, '10:00'));
      const resumed = await actOn(handle, resumeClock, { args: [{ actor: 'handler-1' }] });
      expect(near(resumed.targets.firstContact!.dueAt, at(mon, '11:30'))).toBe(true);
      expect(resumed.targets.firstContact!.pausedMs / HOUR).toBeCloseTo(22.5, 2);

      await h.travelTo(at(mon, '11:20'));
      expect(eventOf(audit, 'sla.breached')).toBeUndefined();
      await h.travelTo(at(mon, '11:30') + SECOND);
      const breached = await waitForEvent(audit, 'sla.breached');
      expect(near(atOf(breached), at(mon, '11:30'))).toBe(true);
    });
  });

  it('counts a weekend make-up working day (调休) as working time', async () => {
    const fri = nextLocal(await env.currentTimeMs(), 5, '17:00');
    const sat = fri.plus({ days: 1 });
    const calendar = officeCalendar({ makeUpWorkdays: [{ date: ymd(sat), hoursLike: 1 }] });
    const { audit, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      await h.travelTo(at(fri, '17:00'));
      const handle = await h.start(taskQueue, caseInput({ policy: officePolicy({ firstContact: 'PT3H' }), calendar }));
      // 1 h on Friday, then 09:00–11:00 on the make-up Saturday (without it: Monday 11:00).
      expect(near((await stateOf(handle)).targets.firstContact!.dueAt, at(sat, '11:00'))).toBe(true);
      await h.travelTo(at(sat, '11:00') + SECOND);
      const breached = await waitForEvent(audit, 'sla.breached');
      expect(near(atOf(breached), at(sat, '11:00'))).toBe(true);
    });
  });

  it('skips the lunch break of a split shift for the warning and the breach', async () => {
    const mon = nextLocal(await env.currentTimeMs(), 1, '11:00');
    const { audit, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      await h.travelTo(at(mon, '11:00'));
      const handle = await h.start(taskQueue, caseInput({ policy: officePolicy({ firstContact: 'PT2H' }), calendar: officeCalendar() }));
      // 11:00–12:00, lunch, 13:30–14:30; the 80 % warning after 96 working minutes is at 14:06.
      const { targets } = await stateOf(handle);
      expect(near(targets.firstContact!.warnDueAt, at(mon, '14:06'))).toBe(true);
      expect(near(targets.firstContact!.dueAt, at(mon, '14:30'))).toBe(true);
      await h.travelTo(at(mon, '13:00'));
      expect(eventOf(audit, 'sla.warned')).toBeUndefined();
      await h.travelTo(at(mon, '14:06') + SECOND);
      const warned = await waitForEvent(audit, 'sla.warned');
      expect(near(atOf(warned), at(mon, '14:06'))).toBe(true);
      await h.travelTo(at(mon, '14:30') + SECOND);
      const breached = await waitForEvent(audit, 'sla.breached');
      expect(near(atOf(breached), at(mon, '14:30'))).toBe(true);
    });
  });

  it('runs a 24×7 business calendar straight across midnight', async () => {
    const evening = DateTime.fromMillis((await env.currentTimeMs()) + 2 * 24 * HOUR, { zone: 'UTC' }).set({ hour: 23, minute: 30, second: 0, millisecond: 0 });
    const { audit, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      await h.travelTo(evening.toMillis());
      const policy = officePolicy({ id: 'round-the-clock', calendarId: '24x7', firstContact: 'PT2H' });
      const handle = await h.start(taskQueue, caseInput({ policy, calendar: CALENDAR_24x7 }));
      const due = evening.plus({ hours: 2 }).toMillis();
      expect(near((await stateOf(handle)).targets.firstContact!.dueAt, due)).toBe(true);
      await h.travelTo(due - 5 * MINUTE);
      expect(eventOf(audit, 'sla.breached')).toBeUndefined();
      await h.travelTo(due + SECOND);
      const breached = await waitForEvent(audit, 'sla.breached');
      expect(near(atOf(breached), due)).toBe(true);
      expect(DateTime.fromMillis(atOf(breached), { zone: 'UTC' }).toFormat('HH:mm')).toBe('01:30');
    });
  });
});
