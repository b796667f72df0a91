/**
 * The contract of the lead follow-up workflow, shared by the workflow, the API and tests.
 * Importing this module pulls in no workflow internals: only message definitions and types.
 *
 * Human actions are Updates with validators (a refusal becomes 409 with one of LEAD_REJECTIONS).
 * The workflow owns the cadence's clock; the API never computes a deadline it then stores.
 */
import { defineQuery } from '@temporalio/workflow';
import { commandUpdates, type ProcessInput } from '../kit/contract.js';
import type { LeadArrival, LeadCommandArgs } from '../../domain/leads/lead-process.js';
import type { LeadState } from '../../domain/leads/lead-state.js';

export const LEAD_FOLLOW_UP_WORKFLOW = 'leadFollowUp';
export const leadWorkflowId = (leadId: string) => `lead-${leadId}`;

export type { ActionBase, Actor } from '../../domain/process.js';

/** The workflow's input: the lead's arrival (domain/leads/lead-process.ts) and what only the wiring needs. */
export interface LeadFollowUpInput extends LeadArrival, ProcessInput<LeadState> {
  /** The project's time zone: cadences are added on its calendar (`P1M` = same day next month). */
  timeZone: string;
  /**
   * When the API created the lead (epoch ms): the first window opens here, so the deadline the API
   * answers with (same pure rules) and the workflow's agree. Absent before issue 14: the first task's time.
   */
  createdAt?: number;
}

export type { LeadConversion, LeadLoss, LeadRejection, LeadState } from '../../domain/leads/lead-state.js';
export { LEAD_REJECTIONS } from '../../domain/leads/lead-state.js';

// Updates, one per command of the reducer, named after it and taking its arguments. Each has a
// validator that refuses with an ApplicationFailure whose `type` is one of LEAD_REJECTIONS.
const UPDATES = commandUpdates<LeadCommandArgs, LeadState>({ logTouch: true, regradeLead: true, assignLead: true, convertLead: true, markLeadLost: true, reviewLostLead: true });
export const { logTouch, regradeLead, assignLead, convertLead, markLeadLost, reviewLostLead } = UPDATES;
export const LEAD_UPDATES = Object.values(UPDATES);

export const getLeadState = defineQuery<LeadState>('getLeadState');
