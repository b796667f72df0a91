import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { isLeadEnded, leadProcess, type LeadAction, type LeadCommand } from '../../domain/leads/lead-process.js';
import type { LeadNotice } from '../../domain/leads/lead-state.js';
import { DATABASE_ACTIVITY, keywordAttribute, MAIL_ACTIVITY, startProcess } from '../kit/process.js';
import { getLeadState, LEAD_UPDATES, type LeadFollowUpInput, type LeadState } from './lead-follow-up.defs.js';

const { recordAuditEvent, projectLead } = proxyActivities<Activities>(DATABASE_ACTIVITY);
const { notifyLeadStaff } = proxyActivities<Activities>(MAIL_ACTIVITY);

/** Typed keys of the search attributes registered in platform/temporal/search-attributes.ts: ids and states only. */
export const LEAD_SEARCH_ATTRIBUTES = {
  LeadStatus: keywordAttribute('LeadStatus'),
  LeadGrade: keywordAttribute('LeadGrade'),
  ProjectId: keywordAttribute('ProjectId'),
  AssigneeId: keywordAttribute('AssigneeId'),
} as const;

/**
 * One lead, from arrival until it converts or is closed (DESIGN.md §2): wiring of the lead's rules
 * (domain/leads/lead-process.ts, where its decisions are documented) onto the workflow kit. Leads
 * live for months to years, so the workflow continues as new whenever its history grows long,
 * carrying its state.
 */
export async function leadFollowUp(input: LeadFollowUpInput): Promise<LeadState> {
  const rules = leadProcess(input.timeZone);
  const state: LeadState = input.carried ? { ...input.carried, runs: input.carried.runs + 1 } : rules.initialState(input, input.createdAt ?? Date.now());

  const process = startProcess<LeadState, LeadAction, LeadNotice>({
    state,
    reduce: rules.reduce,
    tick: { type: 'tick' },
    nextWakeAt: rules.nextWakeAt,
    isEnded: isLeadEnded,
    searchAttributes: (s) => [
      [LEAD_SEARCH_ATTRIBUTES.LeadStatus, s.status],
      [LEAD_SEARCH_ATTRIBUTES.LeadGrade, s.grade],
      [LEAD_SEARCH_ATTRIBUTES.ProjectId, input.projectId],
      [LEAD_SEARCH_ATTRIBUTES.AssigneeId, s.ownerId],
    ],
    effects: {
      audit: (record) => recordAuditEvent({ ...record, groupId: input.groupId }),
      notify: (notice, { idempotencyKeyBase, state: s }) =>
        notifyLeadStaff({
          ...notice,
          leadId: input.leadId,
          leadNumber: input.leadNumber,
          grade: s.grade,
          groupId: input.groupId,
          companyId: input.companyId,
          projectId: input.projectId,
          idempotencyKeyBase,
        }),
      project: ({ seq, state: s }) => projectLead({ leadId: input.leadId, seq, state: s }),
    },
    continueAsNew: {
      historyLimit: input.historyLimit,
      next: (carried) => continueAsNew<typeof leadFollowUp>({ ...input, policies: carried.policies, carried }),
    },
  });

  process.commands(LEAD_UPDATES, (s, command) => rules.validate(s, command as LeadCommand));
  process.query(getLeadState);
  if (!input.carried) process.dispatch({ type: 'create', arrival: input });
  return process.run();
}
