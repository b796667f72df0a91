import type { Db } from '../../platform/db.js';
import { findProjectNamesByIds, findUnitNamesByIds, type UnitName } from '../org/repository.js';
import { findUserNamesByIds } from '../users/repository.js';

export type { UnitName } from '../org/repository.js';

/**
 * The names records are shown with instead of ids: colleagues' display names, projects' names,
 * units as people say them (`1栋 302`). One query per kind however many records a page holds (no
 * N+1), and only of the organisation asking: an id of another group stays unnamed.
 */
export interface Names {
  user: ReadonlyMap<string, string>;
  project: ReadonlyMap<string, string>;
  unit: ReadonlyMap<string, UnitName>;
}

const ids = (values: Iterable<string | null | undefined>) => [...new Set([...values].filter((v): v is string => typeof v === 'string' && v !== '' && v !== 'system'))];

export async function findNames(
  db: Db,
  groupId: string,
  o: { userIds?: Iterable<string | null | undefined>; projectIds?: Iterable<string | null | undefined>; unitIds?: Iterable<string | null | undefined> },
): Promise<Names> {
  const [user, project, unit] = await Promise.all([
    findUserNamesByIds(db, ids(o.userIds ?? []), groupId),
    findProjectNamesByIds(db, ids(o.projectIds ?? []), groupId),
    findUnitNamesByIds(db, ids(o.unitIds ?? []), groupId),
  ]);
  return { user, project, unit };
}

/** No names (a view that has none to show). */
export const NO_NAMES: Names = { user: new Map(), project: new Map(), unit: new Map() };
