import { SALE_LIFECYCLE_WORKFLOW, SALE_REJECTIONS, getSaleState, type SaleLifecycleInput, type SaleState } from '../../workflows/sales/sale-lifecycle.defs.js';
import { saleError } from './errors.js';
import { createWorkflowGateway, workflowErrorsOf } from '../shared/workflow-gateway.js';

/**
 * The application's side of the sale workflow contract (sale-lifecycle.defs.ts). As for cases and leads,
 * the API never computes a deadline it shows as live: live values come from the workflow's state,
 * or from the read model its projection writes.
 */
export const saleWorkflow = createWorkflowGateway<SaleState, SaleLifecycleInput>({
  workflowType: SALE_LIFECYCLE_WORKFLOW,
  stateQuery: getSaleState,
  ...workflowErrorsOf(saleError, {
    refusals: SALE_REJECTIONS,
    ended: 'SALE_ENDED',
    notStarted: 'SALE_WORKFLOWS_UNAVAILABLE',
    unanswered: 'SALE_WORKFLOW_UNANSWERED',
    unconfirmed: 'SALE_WORKFLOW_UNCONFIRMED',
  }),
});
