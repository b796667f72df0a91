import type { UpdateDefinition } from '@temporalio/common';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import { LEAD_FOLLOW_UP_WORKFLOW, getLeadState, type LeadFollowUpInput, type LeadState } from '../../workflows/leads/lead-follow-up.defs.js';
import { ErrorCode, errorCodeOfLeadRejection } from '../http/errors.js';
import { createWorkflowGateway, type StateAnswer } from '../http/workflow-gateway.js';

/**
 * The API's side of the lead workflow contract (lead-follow-up.defs.ts). As for cases, the API
 * never computes a deadline it shows as live: live values come from the workflow's state, or from
 * the read model its projection writes.
 */
const leads = createWorkflowGateway<LeadState>({
  workflowType: LEAD_FOLLOW_UP_WORKFLOW,
  stateQuery: getLeadState,
  rejectionCode: errorCodeOfLeadRejection,
  endedCode: ErrorCode.LEAD_ENDED,
  noun: { en: 'lead', zh: '线索' },
});

export type LeadStateAnswer = StateAnswer<LeadState>;

export const startLeadWorkflow = (temporal: TemporalGateway, input: LeadFollowUpInput, workflowId: string) => leads.start(temporal, input, workflowId);
export const leadWorkflowExists = leads.exists;
export const queryLeadState = leads.queryState;
export const queryLeadStateOrNull = leads.queryStateOrNull;
export const leadWorkflowUnavailable = leads.unavailable;
export const toLeadActionError = leads.toActionError;
export const executeLeadUpdate = <Arg>(temporal: TemporalGateway, workflowId: string, update: UpdateDefinition<LeadState, [Arg]>, arg: Arg) =>
  leads.executeUpdate(temporal, workflowId, update, arg);
