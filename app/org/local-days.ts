import type { Db } from '../../platform/db.js';
import { localDayOf } from '../../domain/local-day.js';
import { findProjectIdsByTimeZone } from './repository.js';

/** Today in one time zone, and the group's projects that keep it. */
export interface ProjectsToday {
  timeZone: string;
  projectIds: string[];
  start: Date;
  end: Date;
}

/**
 * Today in each time zone the group's projects keep (one, usually): what "due today" and
 * "breached today" are measured against, each record by its own project's day.
 */
export async function findTodayOfProjects(db: Db, groupId: string, now: number): Promise<ProjectsToday[]> {
  const byZone = await findProjectIdsByTimeZone(db, groupId);
  return [...byZone].map(([timeZone, projectIds]) => {
    const day = localDayOf({ now, timeZone });
    return { timeZone, projectIds, start: new Date(day.start), end: new Date(day.end) };
  });
}
