/**
 * The contract of the work-order workflow, shared by the workflow, the API and tests. Importing
 * this module pulls in no workflow internals: only message definitions and types.
 *
 * Human actions are Updates with validators (a refusal becomes 409 with one of
 * WORK_ORDER_REJECTIONS). The workflow owns the arrival clock; the API never computes a deadline
 * it then stores.
 */
import { defineQuery } from '@temporalio/workflow';
import { commandUpdates, type ProcessInput } from '../kit/contract.js';
import type { WorkOrderCommandArgs, WorkOrderOpening } from '../../domain/repairs/work-order-process.js';
import type { WorkOrderState } from '../../domain/repairs/work-order-state.js';

export const WORK_ORDER_WORKFLOW = 'workOrder';
export const workOrderWorkflowId = (workOrderId: string) => `work-order-${workOrderId}`;

export type { ActionBase, Actor } from '../../domain/process.js';

/** The workflow's input: the order's opening (domain/repairs/work-order-process.ts) and what only the wiring needs. */
export interface WorkOrderInput extends WorkOrderOpening, ProcessInput<WorkOrderState> {
  /** When the API created the order (epoch ms): its first visit's arrival target counts from here. */
  createdAt?: number;
}

export type {
  WorkOrderAssignee,
  WorkOrderChargeBack,
  WorkOrderNotice,
  WorkOrderNoticeKind,
  WorkOrderRejection,
  WorkOrderState,
  WorkOrderStatus,
  WorkOrderVisit,
  WorkOrderWarranty,
} from '../../domain/repairs/work-order-state.js';
export { WORK_ORDER_REJECTIONS } from '../../domain/repairs/work-order-state.js';

// Updates, one per command of the reducer, named after it and taking its arguments. Each has a
// validator that refuses with an ApplicationFailure whose `type` is one of WORK_ORDER_REJECTIONS.
const UPDATES = commandUpdates<WorkOrderCommandArgs, WorkOrderState>({
  issueQuote: true,
  answerQuote: true,
  assign: true,
  reassign: true,
  bookAppointment: true,
  checkIn: true,
  recordResult: true,
  signOff: true,
  issueSignOffLink: true,
  recordNoShow: true,
  cancelWorkOrder: true,
});
export const { issueQuote, answerQuote, assign, reassign, bookAppointment, checkIn, recordResult, signOff, issueSignOffLink, recordNoShow, cancelWorkOrder } = UPDATES;
export const WORK_ORDER_UPDATES = Object.values(UPDATES);

export const getWorkOrderState = defineQuery<WorkOrderState>('getWorkOrderState');
