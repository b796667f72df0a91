import type { UpdateDefinition } from '@temporalio/common';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import { SALE_LIFECYCLE_WORKFLOW, getSaleState, type SaleLifecycleInput, type SaleState } from '../../workflows/sales/sale-lifecycle.defs.js';
import { ErrorCode, errorCodeOfSaleRejection } from '../http/errors.js';
import { createWorkflowGateway, type StateAnswer } from '../http/workflow-gateway.js';

/**
 * The API's side of the sale workflow contract (sale-lifecycle.defs.ts). As for cases and leads,
 * the API never computes a deadline it shows as live: live values come from the workflow's state,
 * or from the read model its projection writes.
 */
const sales = createWorkflowGateway<SaleState>({
  workflowType: SALE_LIFECYCLE_WORKFLOW,
  stateQuery: getSaleState,
  rejectionCode: errorCodeOfSaleRejection,
  endedCode: ErrorCode.SALE_ENDED,
  noun: { en: 'sale', zh: '销售' },
});

export type SaleStateAnswer = StateAnswer<SaleState>;

export const startSaleWorkflow = (temporal: TemporalGateway, input: SaleLifecycleInput, workflowId: string) => sales.start(temporal, input, workflowId);
export const saleWorkflowExists = sales.exists;
export const querySaleState = sales.queryState;
export const querySaleStateOrNull = sales.queryStateOrNull;
export const saleWorkflowUnavailable = sales.unavailable;
export const executeSaleUpdate = <Arg, R>(temporal: TemporalGateway, workflowId: string, update: UpdateDefinition<R, [Arg]>, arg: Arg) =>
  sales.executeUpdate<Arg, R>(temporal, workflowId, update, arg);
