import { canDispatchWorkOrder, canReadWorkOrder, canWorkWorkOrder, holdsWorkOrder, type Principal, type WorkOrderRef } from '../../domain/access.js';
import { isWorkOrderEnded } from '../../domain/repairs/work-order-process.js';
import type { WorkOrderState } from '../../domain/repairs/work-order-state.js';
import type { WorkOrder } from '../../prisma/generated/client.js';
import { accessRules } from '../shared/access-rules.js';
import type { AppDeps } from '../shared/deps.js';
import { workOrderError } from './errors.js';
import { findWorkOrderById } from './repository.js';
import { workOrderWorkflow } from './workflow.js';

/**
 * Which rule admits an actor on a work order: reading it, dispatching it (handlers and supervisors
 * of its project), the on-site steps (its holder alone), or scheduling (its holder or a dispatcher).
 */
const assertWorkOrderRule = accessRules(workOrderError, {
  read: { admits: canReadWorkOrder, denied: 'WORK_ORDER_READ_DENIED' },
  dispatch: { admits: canDispatchWorkOrder, denied: 'WORK_ORDER_DISPATCH_DENIED' },
  field: { admits: (o: WorkOrderRef & { principal: Principal }) => canWorkWorkOrder({ ...o, withDispatchers: false }), denied: 'WORK_ORDER_WORK_DENIED' },
  schedule: { admits: (o: WorkOrderRef & { principal: Principal }) => canWorkWorkOrder({ ...o, withDispatchers: true }), denied: 'WORK_ORDER_WORK_DENIED' },
});
export type WorkOrderRule = Parameters<typeof assertWorkOrderRule>[0];

const FIELD_ROLES: readonly string[] = ['TECHNICIAN', 'CONTRACTOR'];

/** A work order's place and holder: the live workflow's assignee when it answers, the row's otherwise. */
export function workOrderRefOf(row: WorkOrder, live: WorkOrderState | null): WorkOrderRef {
  const a = live ? live.assignee : row.assigneeKind ? (row.assigneeKind === 'technician' ? { kind: 'technician' as const, userId: row.technicianId! } : { kind: 'contractor' as const, companyId: row.contractorCompanyId! }) : null;
  return {
    groupId: row.groupId,
    companyId: row.companyId,
    projectId: row.projectId,
    technicianId: a?.kind === 'technician' ? a.userId : null,
    contractorCompanyId: a?.kind === 'contractor' ? a.companyId : null,
  };
}

/**
 * Loads a work order the principal may see and checks `rule` against its CURRENT holder (the live
 * workflow's, when it answers: a reassignment a moment ago may not be projected yet). 404 for
 * another organisation's order, and for a technician or contractor an order they do not hold (its
 * existence is not theirs to know); 403 for an office role outside its scope, or a rule refused.
 */
export async function loadWorkOrderFor(deps: AppDeps, principal: Principal, id: string, rule: WorkOrderRule) {
  const row = await findWorkOrderById(deps.db, id);
  if (!row || row.groupId !== principal.groupId) throw workOrderError('WORK_ORDER_NOT_FOUND');
  // An ended order's row is final (its workflow has completed); only a running one is asked.
  const live = isWorkOrderEnded({ status: row.status as WorkOrderState['status'] }) ? null : await workOrderWorkflow.liveState(deps.temporal, row.workflowId, { action: rule !== 'read' });
  const ref = workOrderRefOf(row, live);
  if (FIELD_ROLES.includes(principal.role) && !holdsWorkOrder(principal, ref)) throw workOrderError('WORK_ORDER_NOT_FOUND');
  assertWorkOrderRule('read', principal, ref);
  if (rule !== 'read') assertWorkOrderRule(rule, principal, ref);
  return { row, live, ref };
}
