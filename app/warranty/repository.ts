import type { Db } from '../../platform/db.js';

/** What a unit's warranty counts from: its building's completion acceptance and design life, its project's city, its handover. */
export interface UnitWarrantyFacts {
  projectId: string;
  city: string | null;
  completionAcceptedOn: Date | null;
  designLifeYears: number;
  /** The latest handover of a sale of the unit; null while unsold or not handed over. */
  handedOverAt: Date | null;
}

/** The facts of one unit of a group (null: no such unit in the group). */
export async function findUnitWarrantyFacts(db: Db, groupId: string, unitId: string): Promise<UnitWarrantyFacts | null> {
  const unit = await db.unit.findFirst({
    where: { id: unitId, project: { groupId } },
    select: {
      projectId: true,
      project: { select: { city: true } },
      building: { select: { completionAcceptedOn: true, designLifeYears: true } },
    },
  });
  if (!unit) return null;
  const sale = await db.sale.findFirst({
    where: { unitId, groupId, handedOverAt: { not: null } },
    orderBy: { handedOverAt: 'desc' },
    select: { handedOverAt: true },
  });
  return {
    projectId: unit.projectId,
    city: unit.project.city,
    completionAcceptedOn: unit.building.completionAcceptedOn,
    designLifeYears: unit.building.designLifeYears,
    handedOverAt: sale?.handedOverAt ?? null,
  };
}
