import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import type { BusinessCalendar } from '../../domain/cases/business-calendar.js';
import type { Db } from '../../platform/db.js';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import { retimeCalendar } from '../../workflows/cases/complaint-case.defs.js';
import { CALENDAR_RETIME_WORKFLOW, calendarRetimeWorkflowId, type CalendarRetimeInput } from '../../workflows/cases/calendar-retime.defs.js';
import type { Principal } from '../../domain/access.js';
import { DomainError } from '../errors.js';
import { settingsError } from '../settings/errors.js';
import { saveOrgSettingWithAudit } from '../settings/org-settings.js';
import { CASE_SETTING_KEYS, caseCalendarSnapshot, findCalendarsByGroup } from './settings.js';
import { caseWorkflow } from './workflow.js';

/** The calendars whose days or hours changed between two versions of the group's list (removed ones excluded). */
export function changedCalendarIds(before: readonly BusinessCalendar[], after: readonly BusinessCalendar[]): string[] {
  const old = new Map(before.map((c) => [c.id, JSON.stringify(c)] as const));
  return after.filter((c) => old.get(c.id) !== JSON.stringify(c)).map((c) => c.id);
}

/**
 * Starts re-timing the open cases that count on a changed calendar, durably: the `calendarRetime`
 * workflow's activity works through them and survives a restart. A newer change of the same
 * calendar replaces a re-timing still running (it reads the calendar as saved when it runs).
 */
export async function startCalendarRetime(temporal: TemporalGateway, input: CalendarRetimeInput): Promise<void> {
  await temporal.use((client) =>
    client.workflow.start(CALENDAR_RETIME_WORKFLOW, {
      workflowId: calendarRetimeWorkflowId(input.groupId, input.calendarId),
      taskQueue: temporal.taskQueue,
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.TERMINATE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    }),
  );
}

export interface RetimeProgress {
  /** The last case id handled: the next page starts after it. */
  cursor: string | null;
  retimed: number;
  skipped: number;
}

const PAGE = 100;

/**
 * Sends each open case of the group its new snapshot of the calendar (from its opening day on) as
 * the `retimeCalendar` Update; the case moves the deadlines of the open targets that count on that
 * calendar and audits it (`case.sla_retimed`). A case that does not count on it, or has closed
 * meanwhile, refuses: skipped. Resumes after `from.cursor`; `progress` is told after every case.
 */
export async function retimeCasesOnCalendar(
  deps: { db: Db; temporal: TemporalGateway },
  input: CalendarRetimeInput,
  from: RetimeProgress = { cursor: null, retimed: 0, skipped: 0 },
  progress: (p: RetimeProgress) => void = () => undefined,
): Promise<RetimeProgress> {
  const calendar = (await findCalendarsByGroup(deps.db, input.groupId)).find((c) => c.id === input.calendarId);
  const p = { ...from };
  if (!calendar) return p;
  for (;;) {
    const rows = await deps.db.case.findMany({
      where: { groupId: input.groupId, status: { not: 'closed' }, ...(p.cursor ? { id: { gt: p.cursor } } : {}) },
      select: { id: true, workflowId: true, openedAt: true },
      orderBy: { id: 'asc' },
      take: PAGE,
    });
    if (rows.length === 0) return p;
    for (const row of rows) {
      try {
        await caseWorkflow.executeUpdate(deps.temporal, row.workflowId, retimeCalendar, {
          actor: input.actor,
          calendar: caseCalendarSnapshot(calendar, row.openedAt.getTime()),
        });
        p.retimed++;
      } catch (err) {
        // 409 (does not count on it, closed) and 410 (the workflow ended): nothing to re-time.
        if (!(err instanceof DomainError) || err.status >= 500) throw err;
        p.skipped++;
      }
      p.cursor = row.id;
      progress({ ...p });
    }
  }
}

/**
 * Saves a change of the group's calendars (`save`), then starts re-timing the open cases of each
 * calendar whose days or hours changed. When the re-timing cannot start (Temporal down), the
 * previous calendars are put back and the change is refused (503): saved calendars and running
 * deadlines never disagree, and the administrator's retry re-times.
 */
export async function saveCalendarsAndRetime<T>(
  deps: { db: Db; temporal: TemporalGateway },
  principal: Principal,
  save: () => Promise<T>,
): Promise<T> {
  const before = await findCalendarsByGroup(deps.db, principal.groupId);
  const result = await save();
  const after = await findCalendarsByGroup(deps.db, principal.groupId);
  const changed = changedCalendarIds(before, after);
  // Nothing runs that could count on it (a new organisation, a test stack): no re-timing to start.
  if (changed.length === 0 || (await deps.db.case.count({ where: { groupId: principal.groupId, status: { not: 'closed' } } })) === 0) return result;
  try {
    for (const calendarId of changed) await startCalendarRetime(deps.temporal, { groupId: principal.groupId, calendarId, actor: principal.id });
  } catch {
    await saveOrgSettingWithAudit(deps.db, principal, CASE_SETTING_KEYS.calendars, before);
    throw settingsError('CALENDAR_RETIME_UNAVAILABLE');
  }
  return result;
}
