import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import type { CalendarRetimeInput } from './calendar-retime.defs.js';

const { retimeCasesOnCalendar } = proxyActivities<Activities>({
  // One long activity that heartbeats its cursor: a retry (worker restart) resumes after the last case.
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Re-times the open cases of a group that count on a changed business calendar (app/cases/retime-cases.ts). */
export async function calendarRetime(input: CalendarRetimeInput): Promise<{ retimed: number; skipped: number }> {
  const { retimed, skipped } = await retimeCasesOnCalendar(input);
  return { retimed, skipped };
}
