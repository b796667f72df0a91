/**
 * The repairs module's queries (issue 15): who a work order goes to by default, who answers for a
 * defect under the construction warranty, and who a contractor company's staff are.
 */
import type { WorkOrderAssignee } from '../../domain/repairs/work-order-state.js';
import { DateTime } from 'luxon';
import type { Db } from '../../platform/db.js';
import { nextRecordNumber } from '../shared/record-numbers.js';
import type { Prisma, WorkOrder } from '../../prisma/generated/client.js';

/** A category code and each of its parents, the most specific first: `repair.plumbing.leak`, `repair.plumbing`, `repair`. */
const categoryAndParents = (category: string): string[] => category.split('.').map((_, i, parts) => parts.slice(0, parts.length - i).join('.'));

/**
 * The default assignee of a work order: the project's row for the order's category or, failing
 * that, for its nearest parent; a technician who is no longer an active TECHNICIAN, or a company no
 * longer active, counts as nobody (the dispatchers are told and assign by hand).
 */
export async function findDefaultWorkOrderAssignee(db: Db, o: { groupId: string; projectId: string; category: string }): Promise<WorkOrderAssignee | null> {
  const codes = categoryAndParents(o.category);
  const rows = await db.workOrderDefaultAssignment.findMany({ where: { groupId: o.groupId, projectId: o.projectId, category: { in: codes } } });
  const row = rows.sort((a, b) => codes.indexOf(a.category) - codes.indexOf(b.category))[0];
  if (!row) return null;
  if (row.technicianId) {
    const user = await db.user.findFirst({ where: { id: row.technicianId, groupId: o.groupId, role: 'TECHNICIAN', active: true }, select: { id: true } });
    return user ? { kind: 'technician', userId: user.id } : null;
  }
  if (row.contractorCompanyId) {
    const company = await db.contractorCompany.findFirst({ where: { id: row.contractorCompanyId, groupId: o.groupId, active: true }, select: { id: true } });
    return company ? { kind: 'contractor', companyId: company.id } : null;
  }
  return null;
}

/** The contractor company responsible for a trade's defects in a building: the building's row, else the project's. */
export async function findResponsibleContractorId(db: Db, o: { groupId: string; projectId: string; buildingId: string | null; trade: string }): Promise<string | null> {
  const rows = await db.contractorResponsibility.findMany({
    where: { groupId: o.groupId, projectId: o.projectId, trade: o.trade, OR: [{ buildingId: null }, ...(o.buildingId ? [{ buildingId: o.buildingId }] : [])] },
    select: { buildingId: true, contractorCompanyId: true },
  });
  return (rows.find((r) => r.buildingId !== null) ?? rows[0])?.contractorCompanyId ?? null;
}

/** A contractor company's active staff (role CONTRACTOR), with their addresses. */
export function findContractorStaff(db: Db, o: { groupId: string; contractorCompanyId: string }) {
  return db.user.findMany({
    where: { groupId: o.groupId, role: 'CONTRACTOR', contractorCompanyId: o.contractorCompanyId, active: true },
    select: { id: true, email: true },
    orderBy: { username: 'asc' },
  });
}

// ---------------------------------------------------------------------------------------------
// The API's reads and writes of work orders (issue 15 step 7).

/** A work order's number: `WO-<day in the project's zone>-<4 digits>`, the day's next. */
export function workOrderNumberPrefix(now: number, timeZone: string): string {
  return `WO-${DateTime.fromMillis(now, { zone: timeZone }).toFormat('yyyyLLdd')}-`;
}

/** Inserts work-order rows, each under the day's next number (record_number_counter: never repeated). */
export async function insertWorkOrdersWithNextNumbers(db: Db, o: { prefix: string; rows: Array<Omit<Prisma.WorkOrderUncheckedCreateInput, 'number'>> }): Promise<WorkOrder[]> {
  return db.$transaction(async (tx) => {
    const created: WorkOrder[] = [];
    for (const row of o.rows) created.push(await tx.workOrder.create({ data: { ...row, number: await nextRecordNumber(tx, 'workOrder', o.prefix) } }));
    return created;
  });
}

export function deleteWorkOrder(db: Db, id: string) {
  return db.workOrder.deleteMany({ where: { id, lastEventSeq: 0 } });
}

export function findWorkOrdersByIds(db: Db, ids: string[]) {
  return db.workOrder.findMany({ where: { id: { in: ids } }, orderBy: { number: 'asc' } });
}

export function findWorkOrderById(db: Db, id: string) {
  return db.workOrder.findUnique({ where: { id } });
}

/** Whether a technician may be given an order of the project: an active TECHNICIAN whose scope holds it. */
export async function findActiveTechnician(db: Db, o: { groupId: string; userId: string }) {
  return db.user.findFirst({
    where: { id: o.userId, groupId: o.groupId, role: 'TECHNICIAN', active: true },
    select: { id: true, groupId: true, role: true, username: true, scopeLevel: true, companyId: true, projectId: true },
  });
}

/**
 * Who a dispatcher may give a project's orders to: the active technicians whose scope holds the
 * project (the rule assertAssignees checks), and the group's active contractor companies; by name.
 */
export async function findAssigneesOfProject(db: Db, project: { id: string; groupId: string; companyId: string }) {
  const [technicians, contractors] = await Promise.all([
    db.user.findMany({
      where: {
        groupId: project.groupId,
        role: 'TECHNICIAN',
        active: true,
        OR: [{ scopeLevel: 'GROUP' }, { scopeLevel: 'COMPANY', companyId: project.companyId }, { scopeLevel: 'PROJECT', projectId: project.id }],
      },
      select: { id: true, displayName: true },
      orderBy: { displayName: 'asc' },
    }),
    db.contractorCompany.findMany({ where: { groupId: project.groupId, active: true }, select: { id: true, name: true }, orderBy: { name: 'asc' } }),
  ]);
  return { technicians: technicians.map((u) => ({ id: u.id, name: u.displayName })), contractors };
}

export function findActiveContractorCompany(db: Db, o: { groupId: string; id: string }) {
  return db.contractorCompany.findFirst({ where: { id: o.id, groupId: o.groupId, active: true }, select: { id: true, name: true } });
}

export function findContractorCompanyNames(db: Db, groupId: string, ids: string[]) {
  return db.contractorCompany.findMany({ where: { groupId, id: { in: ids } }, select: { id: true, name: true } });
}

/** The photos uploaded to a work order, oldest first. */
export function findWorkOrderPhotos(db: Db, workOrderId: string) {
  return db.workOrderPhoto.findMany({ where: { workOrderId }, orderBy: { createdAt: 'asc' } });
}
