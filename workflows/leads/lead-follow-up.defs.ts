/**
 * The contract of the lead follow-up workflow, shared by the workflow, the API and tests.
 * Importing this module pulls in no workflow internals: only message definitions and types.
 *
 * Human actions are Updates with validators (a refusal becomes 409 with one of LEAD_REJECTIONS).
 * The workflow owns the cadence's clock; the API never computes a deadline it then stores.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CadencePolicy } from '../../domain/leads/cadence.js';
import type { LeadCommandArgs } from '../../domain/leads/lead-process.js';
import type { LeadState } from '../../domain/leads/lead-state.js';
import type { Grade, LeadSource } from '../../domain/leads/types.js';
import type { Actor } from '../../domain/process.js';

export const LEAD_FOLLOW_UP_WORKFLOW = 'leadFollowUp';
export const leadWorkflowId = (leadId: string) => `lead-${leadId}`;

export type { ActionBase, Actor } from '../../domain/process.js';

export interface LeadFollowUpInput {
  leadId: string;
  leadNumber: string;
  groupId: string;
  companyId: string;
  projectId: string;
  /** The project's time zone: cadences are added on its calendar (`P1M` = same day next month). */
  timeZone: string;
  source: LeadSource;
  grade: Grade;
  /** Chosen by the API (named, or round robin among the project's staff of the grade's role); null sends the lead to the pool. */
  ownerId: string | null;
  referrerCustomerId: string | null;
  createdBy: Actor;
  /** The organisation's cadences when the lead arrived; Updates that open a window may bring newer ones. */
  policies: CadencePolicy[];
  /**
   * Continue-as-new after this many history events (default 2,000; Temporal's own suggestion
   * also triggers it). Tests lower it to prove the state carries over.
   */
  historyLimit?: number;
  /** The state carried over by continue-as-new; absent on the first run. */
  carried?: LeadState;
}

export type { LeadConversion, LeadLoss, LeadRejection, LeadState } from '../../domain/leads/lead-state.js';
export { LEAD_REJECTIONS } from '../../domain/leads/lead-state.js';

// Updates, one per LeadCommand of the reducer, named after it and taking its fields. Each has a
// validator that refuses with an ApplicationFailure whose `type` is one of LEAD_REJECTIONS.
type Args<T extends keyof LeadCommandArgs> = LeadCommandArgs[T];
export const logTouch = defineUpdate<LeadState, [Args<'logTouch'>]>('logTouch');
export const regradeLead = defineUpdate<LeadState, [Args<'regradeLead'>]>('regradeLead');
export const assignLead = defineUpdate<LeadState, [Args<'assignLead'>]>('assignLead');
export const convertLead = defineUpdate<LeadState, [Args<'convertLead'>]>('convertLead');
export const markLeadLost = defineUpdate<LeadState, [Args<'markLeadLost'>]>('markLeadLost');
export const reviewLostLead = defineUpdate<LeadState, [Args<'reviewLostLead'>]>('reviewLostLead');
export const LEAD_UPDATES = [logTouch, regradeLead, assignLead, convertLead, markLeadLost, reviewLostLead] as const;

export const getLeadState = defineQuery<LeadState>('getLeadState');
