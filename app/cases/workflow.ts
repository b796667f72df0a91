import type { UpdateDefinition } from '@temporalio/common';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import { COMPLAINT_CASE_WORKFLOW, CASE_REJECTIONS, getCaseState, type CaseState, type ComplaintCaseInput } from '../../workflows/cases/complaint-case.defs.js';
import { caseError } from './errors.js';
import { createWorkflowGateway, type StateAnswer } from '../shared/workflow-gateway.js';

/**
 * The application's side of the case workflow contract (complaint-case.defs.ts). The API never computes a
 * deadline: what it shows comes from the workflow's own state, or from the read model its
 * activities write.
 */
const cases = createWorkflowGateway<CaseState>({
  workflowType: COMPLAINT_CASE_WORKFLOW,
  stateQuery: getCaseState,
  refusal: (type, params) => ((CASE_REJECTIONS as readonly unknown[]).includes(type) ? caseError.fromReason(type as (typeof CASE_REJECTIONS)[number], params) : null),
  ended: () => caseError('CASE_CLOSED'),
  unanswered: () => caseError('CASE_WORKFLOW_UNANSWERED'),
  unconfirmed: () => caseError('CASE_WORKFLOW_UNCONFIRMED'),
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
