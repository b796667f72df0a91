import { DateTime } from 'luxon';
import { workOrderScopeWhere, type Principal } from '../../domain/access.js';
import type { WorkOrderStatus } from '../../domain/repairs/work-order-state.js';
import type { Db } from '../../platform/db.js';
import type { Prisma } from '../../prisma/generated/client.js';
import { findWorkOrderNames, type WorkOrderNames } from './work-order-record.js';

export interface WorkOrderFilters {
  status?: WorkOrderStatus[] | undefined;
  /** `me`: a technician's own orders, a contractor's company's; a dispatcher's has none (technicians only). */
  assignedToMe?: boolean | undefined;
  technicianId?: string | undefined;
  contractorCompanyId?: string | undefined;
  projectId?: string | undefined;
  caseId?: string | undefined;
  /** The current visit's appointment falls on this day (YYYY-MM-DD, China time). */
  date?: string | undefined;
  /** Dispatchable and nobody assigned yet. */
  unassigned?: boolean | undefined;
  /** The current visit's arrival target has passed without a check-in. */
  late?: boolean | undefined;
}

/** The zone appointment days are counted in: the organisation's (the demo group and its projects are all in China). */
const DAY_ZONE = 'Asia/Shanghai';

/**
 * Work orders the principal may see (workOrderScopeWhere: a technician's own, a contractor
 * company's, an office's scope), filtered, the day's appointments first in appointment order
 * (a technician's "today"), then the newest.
 */
export async function listWorkOrders(db: Db, principal: Principal, f: WorkOrderFilters, page: { skip: number; take: number }, now: number = Date.now()) {
  const and: Prisma.WorkOrderWhereInput[] = [workOrderScopeWhere(principal)];
  if (f.status?.length) and.push({ status: { in: f.status } });
  if (f.assignedToMe)
    and.push(principal.role === 'CONTRACTOR' ? { contractorCompanyId: principal.contractorCompanyId ?? '__none__' } : { technicianId: principal.id });
  if (f.technicianId) and.push({ technicianId: f.technicianId });
  if (f.contractorCompanyId) and.push({ contractorCompanyId: f.contractorCompanyId });
  if (f.projectId) and.push({ projectId: f.projectId });
  if (f.caseId) and.push({ caseId: f.caseId });
  if (f.date) {
    const start = DateTime.fromISO(f.date, { zone: DAY_ZONE }).startOf('day');
    and.push({ appointmentStart: { gte: start.toJSDate(), lt: start.plus({ days: 1 }).toJSDate() } });
  }
  if (f.unassigned) and.push({ status: 'awaiting_assignment', assigneeKind: null });
  if (f.late) and.push({ status: { in: ['assigned', 'scheduled'] }, checkedInAt: null, arrivalDueAt: { lt: new Date(now) } });
  const where: Prisma.WorkOrderWhereInput = { AND: and };
  const [rows, total] = await Promise.all([
    db.workOrder.findMany({ where, orderBy: [{ appointmentStart: { sort: 'asc', nulls: 'last' } }, { createdAt: 'desc' }, { id: 'asc' }], ...page }),
    db.workOrder.count({ where }),
  ]);
  const names: WorkOrderNames = await findWorkOrderNames(db, principal.groupId, rows);
  return { rows, total, names };
}
