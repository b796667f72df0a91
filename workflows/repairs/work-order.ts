import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import {
  assigneeIdOf,
  initialWorkOrderState,
  isWorkOrderEnded,
  reduceWorkOrder,
  validateWorkOrderCommand,
  workOrderNextWakeAt,
  type WorkOrderAction,
  type WorkOrderCommand,
  type WorkOrderTask,
} from '../../domain/repairs/work-order-process.js';
import type { WorkOrderNotice } from '../../domain/repairs/work-order-state.js';
import { DATABASE_ACTIVITY, keywordAttribute, MAIL_ACTIVITY, startProcess } from '../kit/process.js';
import { getWorkOrderState, WORK_ORDER_UPDATES, type WorkOrderInput, type WorkOrderState } from './work-order.defs.js';

const { recordAuditEvent, projectWorkOrder, pickWorkOrderAssignee, findResponsibleContractor, informCaseOfWorkOrder } = proxyActivities<Activities>(DATABASE_ACTIVITY);
const { notifyWorkOrderStaff } = proxyActivities<Activities>(MAIL_ACTIVITY);

/** Typed keys of the search attributes registered in platform/temporal/search-attributes.ts: ids and states only. */
export const WORK_ORDER_SEARCH_ATTRIBUTES = {
  WorkOrderStatus: keywordAttribute('WorkOrderStatus'),
  ProjectId: keywordAttribute('ProjectId'),
  AssigneeId: keywordAttribute('AssigneeId'),
} as const;

/**
 * One work order, from creation until the owner signs it off or it is cancelled (issue 15): wiring
 * of the order's rules (domain/repairs/work-order-process.ts, where its decisions are documented)
 * onto the workflow kit. The arrival warning and breach fire from durable timers; the default
 * assignee and the responsible contractor are tasks answered from the read model.
 */
export async function workOrder(input: WorkOrderInput): Promise<WorkOrderState> {
  const { groupId, companyId, projectId } = input;
  const state: WorkOrderState = input.carried ? { ...input.carried, runs: input.carried.runs + 1 } : initialWorkOrderState(input, input.createdAt ?? Date.now());

  const process = startProcess<WorkOrderState, WorkOrderAction, WorkOrderNotice, WorkOrderTask>({
    state,
    reduce: reduceWorkOrder,
    tick: { type: 'tick' },
    nextWakeAt: workOrderNextWakeAt,
    isEnded: isWorkOrderEnded,
    searchAttributes: (s) => [
      [WORK_ORDER_SEARCH_ATTRIBUTES.WorkOrderStatus, s.status],
      [WORK_ORDER_SEARCH_ATTRIBUTES.ProjectId, projectId],
      [WORK_ORDER_SEARCH_ATTRIBUTES.AssigneeId, assigneeIdOf(s.assignee)],
    ],
    effects: {
      audit: (record) => recordAuditEvent({ ...record, groupId }),
      notify: (notice, { idempotencyKeyBase, state: s }) =>
        notifyWorkOrderStaff({ ...notice, workOrderId: s.workOrderId, workOrderNumber: s.workOrderNumber, groupId, companyId, projectId, idempotencyKeyBase }),
      task: async (task, { state: s }): Promise<WorkOrderAction> => {
        switch (task.kind) {
          case 'pickAssignee':
            return { type: 'assigneePicked', assignee: await pickWorkOrderAssignee({ groupId, projectId, category: s.category }) };
          case 'findResponsibleContractor':
            return { type: 'responsibleContractorFound', contractorCompanyId: await findResponsibleContractor({ groupId, projectId, buildingId: s.buildingId, trade: s.trade }) };
          case 'informCase':
            await informCaseOfWorkOrder({
              caseId: s.caseId,
              workOrderId: s.workOrderId,
              workOrderWorkflowId: workflowInfo().workflowId,
              event: 'ended',
              outcome: task.outcome,
            });
            return { type: 'caseInformed' };
        }
      },
      project: ({ seq, state: s }) => projectWorkOrder({ workOrderId: s.workOrderId, seq, state: s }),
    },
    continueAsNew: {
      historyLimit: input.historyLimit,
      next: (carried) => {
        const { carried: _previous, ...rest } = input;
        return continueAsNew<typeof workOrder>({ ...rest, carried });
      },
    },
  });

  // Validators run in the workflow: Date.now() is the workflow's deterministic time (a slot already over is refused).
  process.commands(WORK_ORDER_UPDATES, (s, command) => validateWorkOrderCommand(s, command as WorkOrderCommand, Date.now()));
  process.query(getWorkOrderState);
  if (!input.carried) process.dispatch({ type: 'create', opening: input });
  return process.run();
}
