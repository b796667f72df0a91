import { isProjectInScope, type Principal } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';
import { appendAuditEventSerialised } from '../audit/repository.js';
import { orgError } from './errors.js';

/** A building as its page shows it: what its warranty counts from. */
export interface BuildingRecord {
  id: string;
  projectId: string;
  name: string;
  /** YYYY-MM-DD, or null until completion acceptance is recorded. */
  completionAcceptedOn: string | null;
  designLifeYears: number;
}

const select = { id: true, projectId: true, name: true, completionAcceptedOn: true, designLifeYears: true, project: { select: { groupId: true, companyId: true, id: true } } } as const;

function recordOf(b: { id: string; projectId: string; name: string; completionAcceptedOn: Date | null; designLifeYears: number }): BuildingRecord {
  return { id: b.id, projectId: b.projectId, name: b.name, completionAcceptedOn: b.completionAcceptedOn?.toISOString().slice(0, 10) ?? null, designLifeYears: b.designLifeYears };
}

/** The buildings of a project the caller has checked the principal may see. */
export async function findBuildingsOfProject(db: Db, projectId: string): Promise<BuildingRecord[]> {
  const rows = await db.building.findMany({ where: { projectId }, select, orderBy: { name: 'asc' } });
  return rows.map(recordOf);
}

/**
 * Records a building's completion acceptance (竣工验收合格之日) and design service life, from which
 * its units' construction warranty counts: 404 for another group's building, 403 outside the
 * principal's scope. Audited (`building:<id>`), so a changed date that turned a case's warranty
 * is on record.
 */
export async function updateBuilding(
  db: Db,
  principal: Principal,
  id: string,
  change: { completionAcceptedOn?: string | null | undefined; designLifeYears?: number | undefined },
): Promise<BuildingRecord> {
  const building = await db.building.findUnique({ where: { id }, select });
  if (!building || building.project.groupId !== principal.groupId) throw orgError('BUILDING_NOT_FOUND');
  if (!isProjectInScope(principal, building.project)) throw orgError('OUT_OF_SCOPE');
  const data = {
    ...(change.completionAcceptedOn !== undefined ? { completionAcceptedOn: change.completionAcceptedOn === null ? null : new Date(`${change.completionAcceptedOn}T00:00:00Z`) } : {}),
    ...(change.designLifeYears !== undefined ? { designLifeYears: change.designLifeYears } : {}),
  };
  let updated = building;
  await appendAuditEventSerialised(
    db,
    {
      streamId: `building:${id}`,
      type: 'building.updated',
      actor: principal.id,
      at: new Date(),
      groupId: principal.groupId,
      data: { before: { completionAcceptedOn: recordOf(building).completionAcceptedOn, designLifeYears: building.designLifeYears }, after: { ...change } },
    },
    async (tx) => (updated = await tx.building.update({ where: { id }, data, select })),
  );
  return recordOf(updated);
}
