import { COMPLAINT_CASE_WORKFLOW, CASE_REJECTIONS, getCaseState, type CaseState, type ComplaintCaseInput } from '../../workflows/cases/complaint-case.defs.js';
import { caseError } from './errors.js';
import { createWorkflowGateway, workflowErrorsOf } from '../shared/workflow-gateway.js';

/**
 * The application's side of the case workflow contract (complaint-case.defs.ts). The API never computes a
 * deadline: what it shows comes from the workflow's own state, or from the read model its
 * activities write.
 */
export const caseWorkflow = createWorkflowGateway<CaseState, ComplaintCaseInput>({
  workflowType: COMPLAINT_CASE_WORKFLOW,
  stateQuery: getCaseState,
  // Updates answer a CaseOutcome since the slim-histories patch; older executions the whole state.
  isWholeState: (answer): answer is CaseState => typeof answer === 'object' && answer !== null && 'targets' in answer,
  ...workflowErrorsOf(caseError, {
    refusals: CASE_REJECTIONS,
    ended: 'CASE_CLOSED',
    notStarted: 'CASE_WORKFLOWS_UNAVAILABLE',
    unanswered: 'CASE_WORKFLOW_UNANSWERED',
    unconfirmed: 'CASE_WORKFLOW_UNCONFIRMED',
  }),
});
