import type { UpdateDefinition } from '@temporalio/common';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import { LEAD_FOLLOW_UP_WORKFLOW, LEAD_REJECTIONS, getLeadState, type LeadFollowUpInput, type LeadState } from '../../workflows/leads/lead-follow-up.defs.js';
import { leadError } from './errors.js';
import { createWorkflowGateway, type StateAnswer } from '../shared/workflow-gateway.js';

/**
 * The application's side of the lead workflow contract (lead-follow-up.defs.ts). As for cases, the API
 * never computes a deadline it shows as live: live values come from the workflow's state, or from
 * the read model its projection writes.
 */
const leads = createWorkflowGateway<LeadState>({
  workflowType: LEAD_FOLLOW_UP_WORKFLOW,
  stateQuery: getLeadState,
  refusal: (type, params) => ((LEAD_REJECTIONS as readonly unknown[]).includes(type) ? leadError.fromReason(type as (typeof LEAD_REJECTIONS)[number], params) : null),
  ended: () => leadError('LEAD_ENDED'),
  unanswered: () => leadError('LEAD_WORKFLOW_UNANSWERED'),
  unconfirmed: () => leadError('LEAD_WORKFLOW_UNCONFIRMED'),
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
