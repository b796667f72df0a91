import { LEAD_FOLLOW_UP_WORKFLOW, LEAD_REJECTIONS, getLeadState, type LeadFollowUpInput, type LeadState } from '../../workflows/leads/lead-follow-up.defs.js';
import { leadError } from './errors.js';
import { createWorkflowGateway, workflowErrorsOf } from '../shared/workflow-gateway.js';

/**
 * The application's side of the lead workflow contract (lead-follow-up.defs.ts). As for cases, the API
 * never computes a deadline it shows as live: live values come from the workflow's state, or from
 * the read model its projection writes.
 */
export const leadWorkflow = createWorkflowGateway<LeadState, LeadFollowUpInput>({
  workflowType: LEAD_FOLLOW_UP_WORKFLOW,
  stateQuery: getLeadState,
  ...workflowErrorsOf(leadError, {
    refusals: LEAD_REJECTIONS,
    ended: 'LEAD_ENDED',
    notStarted: 'LEAD_WORKFLOWS_UNAVAILABLE',
    unanswered: 'LEAD_WORKFLOW_UNANSWERED',
    unconfirmed: 'LEAD_WORKFLOW_UNCONFIRMED',
  }),
});
