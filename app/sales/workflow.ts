import type { UpdateDefinition } from '@temporalio/common';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import { SALE_LIFECYCLE_WORKFLOW, SALE_REJECTIONS, getSaleState, type SaleLifecycleInput, type SaleState } from '../../workflows/sales/sale-lifecycle.defs.js';
import { saleError } from './errors.js';
import { createWorkflowGateway, type StateAnswer } from '../shared/workflow-gateway.js';

/**
 * The application's side of the sale workflow contract (sale-lifecycle.defs.ts). As for cases and leads,
 * the API never computes a deadline it shows as live: live values come from the workflow's state,
 * or from the read model its projection writes.
 */
const sales = createWorkflowGateway<SaleState>({
  workflowType: SALE_LIFECYCLE_WORKFLOW,
  stateQuery: getSaleState,
  refusal: (type, params) => ((SALE_REJECTIONS as readonly unknown[]).includes(type) ? saleError.fromReason(type as (typeof SALE_REJECTIONS)[number], params) : null),
  ended: () => saleError('SALE_ENDED'),
  unanswered: () => saleError('SALE_WORKFLOW_UNANSWERED'),
  unconfirmed: () => saleError('SALE_WORKFLOW_UNCONFIRMED'),
});

export type SaleStateAnswer = StateAnswer<SaleState>;

export const startSaleWorkflow = (temporal: TemporalGateway, input: SaleLifecycleInput, workflowId: string) => sales.start(temporal, input, workflowId);
export const saleWorkflowExists = sales.exists;
export const querySaleState = sales.queryState;
export const querySaleStateOrNull = sales.queryStateOrNull;
export const saleWorkflowUnavailable = sales.unavailable;
export const executeSaleUpdate = <Arg, R>(temporal: TemporalGateway, workflowId: string, update: UpdateDefinition<R, [Arg]>, arg: Arg) =>
  sales.executeUpdate<Arg, R>(temporal, workflowId, update, arg);
