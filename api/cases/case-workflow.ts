import type { UpdateDefinition } from '@temporalio/common';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import { COMPLAINT_CASE_WORKFLOW, getCaseState, type CaseState, type ComplaintCaseInput } from '../../workflows/cases/complaint-case.defs.js';
import { ErrorCode, errorCodeOfCaseRejection } from '../http/errors.js';
import { createWorkflowGateway, type StateAnswer } from '../http/workflow-gateway.js';

/**
 * The API's side of the case workflow contract (complaint-case.defs.ts). The API never computes a
 * deadline: what it shows comes from the workflow's own state, or from the read model its
 * activities write.
 */
const cases = createWorkflowGateway<CaseState>({
  workflowType: COMPLAINT_CASE_WORKFLOW,
  stateQuery: getCaseState,
  rejectionCode: errorCodeOfCaseRejection,
  endedCode: ErrorCode.CASE_CLOSED,
  noun: { en: 'case', zh: '工单' },
});

export type CaseStateAnswer = StateAnswer<CaseState>;

export const startCaseWorkflow = (temporal: TemporalGateway, input: ComplaintCaseInput, workflowId: string) => cases.start(temporal, input, workflowId);
export const caseWorkflowExists = cases.exists;
export const queryCaseState = cases.queryState;
export const queryCaseStateOrNull = cases.queryStateOrNull;
export const caseWorkflowUnavailable = cases.unavailable;
export const toCaseActionError = cases.toActionError;
export const executeCaseUpdate = <Arg>(temporal: TemporalGateway, workflowId: string, update: UpdateDefinition<CaseState, [Arg]>, arg: Arg) =>
  cases.executeUpdate(temporal, workflowId, update, arg);
