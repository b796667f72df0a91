import { Context } from '@temporalio/activity';
import type { Db } from '../../platform/db.js';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import { retimeCasesOnCalendar, type RetimeProgress } from '../../app/cases/retime-cases.js';
import type { CalendarRetimeInput } from '../../workflows/cases/calendar-retime.defs.js';

export function createCaseRetimeActivities(deps: { db: Db; temporal?: TemporalGateway | undefined }) {
  return {
    /** Works through the group's open cases, heartbeating its cursor so a retry resumes where it stopped. */
    async retimeCasesOnCalendar(input: CalendarRetimeInput): Promise<RetimeProgress> {
      if (!deps.temporal) throw new Error('retimeCasesOnCalendar needs a Temporal client');
      const ctx = Context.current();
      const from = ctx.info.heartbeatDetails as RetimeProgress | undefined;
      return retimeCasesOnCalendar({ db: deps.db, temporal: deps.temporal }, input, from, (p) => ctx.heartbeat(p));
    },
  };
}
