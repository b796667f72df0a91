import type { Principal } from '../../domain/access.js';
import { auditEventPage } from '../audit/event-page.js';
import type { AppDeps } from '../shared/deps.js';
import { loadWorkOrderFor } from './load-work-order.js';

/** Colleague ids the work order's events carry in their data (shown by name). */
const USER_FIELDS = ['assigneeId', 'previousAssigneeId'] as const;

/**
 * One page of a work order's audit trail, oldest first, for those who may see the order. Its
 * events name check-in locations, results and sign-offs by id only: no coordinates, texts or
 * signatures are in them.
 */
export async function getWorkOrderEventPage(deps: AppDeps, principal: Principal, id: string, page: { page: number; pageSize: number }) {
  const { row } = await loadWorkOrderFor(deps, principal, id, 'read');
  return auditEventPage(deps.db, principal, { workflowId: row.workflowId, page: page.page, pageSize: page.pageSize, userFields: USER_FIELDS });
}
