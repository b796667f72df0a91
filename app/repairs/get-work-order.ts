import { holdsWorkOrder, type Principal } from '../../domain/access.js';
import { isWorkOrderEnded } from '../../domain/repairs/work-order-process.js';
import type { WorkOrderState } from '../../domain/repairs/work-order-state.js';
import { findCustomerById } from '../customers/repository.js';
import type { AppDeps } from '../shared/deps.js';
import { loadWorkOrderFor } from './load-work-order.js';
import { findWorkOrderPhotos } from './repository.js';
import { workOrderRecord } from './work-order-record.js';

/**
 * One work order the principal may see, with what its page shows: the live state (none for an
 * ended order, whose row is final, or when the workflow does not answer), its case's number, the
 * address (project, building, unit), the person to call (the case's contact, else its customer:
 * the API masks the phone for roles that do not call owners), the photos uploaded to it, and each
 * visit's result and sign-off as stored.
 *
 * `holderMayCall`: the principal holds the order (its technician, or staff of its contractor
 * company) and the order is still open — the one case where field staff, who see the owner's
 * phone masked, are given the number behind the call button. Once the order ends (done,
 * cancelled, quote refused) or passes to someone else, the number is no longer theirs.
 */
export async function getWorkOrder(deps: AppDeps, principal: Principal, id: string) {
  const { db } = deps;
  const { row, live, ref } = await loadWorkOrderFor(deps, principal, id, 'read');
  const caseRow = await db.case.findUniqueOrThrow({ where: { id: row.caseId }, select: { id: true, number: true, customerId: true, contactName: true, contactPhone: true, description: true } });
  const [record, customer, photos, results, signOffs, project] = await Promise.all([
    workOrderRecord(db, row, live),
    findCustomerById(db, caseRow.customerId),
    findWorkOrderPhotos(db, row.id),
    db.workOrderResult.findMany({ where: { workOrderId: row.id }, orderBy: { createdAt: 'asc' } }),
    db.workOrderSignOff.findMany({ where: { workOrderId: row.id }, orderBy: { createdAt: 'asc' } }),
    db.project.findUnique({ where: { id: row.projectId }, select: { name: true, city: true } }),
  ]);
  const contact = caseRow.contactName !== null && caseRow.contactPhone !== null ? { name: caseRow.contactName, phone: caseRow.contactPhone } : customer ? { name: customer.name, phone: customer.phone } : null;
  const unit = row.unitId ? (record.names.unit.get(row.unitId) ?? null) : null;
  return {
    ...record,
    caseRow,
    contact,
    holderMayCall: holdsWorkOrder(principal, ref) && !isWorkOrderEnded({ status: (live?.status ?? row.status) as WorkOrderState['status'] }),
    customerId: customer?.id ?? null,
    address: { city: project?.city ?? null, project: project?.name ?? null, building: unit?.building ?? null, room: unit?.room ?? null, label: unit?.label ?? null },
    photos,
    results,
    signOffs,
  };
}
