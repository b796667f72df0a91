import { WORK_ORDER_REJECTIONS, WORK_ORDER_WORKFLOW, getWorkOrderState, type WorkOrderInput, type WorkOrderState } from '../../workflows/repairs/work-order.defs.js';
import { createWorkflowGateway, workflowErrorsOf } from '../shared/workflow-gateway.js';
import { workOrderError } from './errors.js';

/**
 * The application's side of the work-order workflow contract (work-order.defs.ts): start, query,
 * Updates, and the mapping of its refusals to the repairs module's errors. The API never computes
 * an arrival target: what it shows comes from the workflow's state or the read model.
 */
export const workOrderWorkflow = createWorkflowGateway<WorkOrderState, WorkOrderInput>({
  workflowType: WORK_ORDER_WORKFLOW,
  stateQuery: getWorkOrderState,
  ...workflowErrorsOf(workOrderError, {
    refusals: WORK_ORDER_REJECTIONS,
    ended: 'WORK_ORDER_ENDED',
    notStarted: 'WORK_ORDER_WORKFLOWS_UNAVAILABLE',
    unanswered: 'WORK_ORDER_WORKFLOW_UNANSWERED',
    unconfirmed: 'WORK_ORDER_WORKFLOW_UNCONFIRMED',
  }),
});
