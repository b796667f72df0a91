/** The contract of the `calendarRetime` workflow (workflows/cases/calendar-retime.ts). */
export const CALENDAR_RETIME_WORKFLOW = 'calendarRetime';
export const calendarRetimeWorkflowId = (groupId: string, calendarId: string) => `calendar-retime-${groupId}-${calendarId}`;

export interface CalendarRetimeInput {
  groupId: string;
  calendarId: string;
  /** The administrator whose change it is: the cases' audit trails name them. */
  actor: string;
}
