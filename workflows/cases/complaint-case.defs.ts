/**
 * The contract of the complaint/repair case workflow, shared by the workflow, the API and tests.
 * Importing this module pulls in no workflow internals: only message definitions and types.
 *
 * Human actions are Updates with validators, so the API learns at once whether the action was
 * accepted (a validator rejection becomes 409 with the reason's code). The workflow owns every
 * clock; the API never computes a deadline it then stores.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { BusinessCalendar } from '../../domain/cases/business-calendar.js';
import type { SlaPolicy } from '../../domain/cases/sla-policy.js';
import type { CaseCommandArgs } from '../../domain/cases/case-process.js';
import type { CaseState } from '../../domain/cases/case-state.js';
import type { CaseType, Channel, Severity, Tier } from '../../domain/cases/types.js';
import type { Actor } from '../../domain/process.js';

export const COMPLAINT_CASE_WORKFLOW = 'complaintCase';
export const caseWorkflowId = (caseId: string) => `case-${caseId}`;

export type { ActionBase, Actor } from '../../domain/process.js';

export interface ComplaintCaseInput {
  caseId: string;
  caseNumber: string;
  groupId: string;
  companyId: string;
  projectId: string;
  type: CaseType;
  category: string;
  severity: Severity;
  channel: Channel;
  /** Initial tier, chosen by the API from severity and repair cost (domain/cases/routing.ts). */
  tier: Tier;
  assigneeId: string | null;
  openedBy: Actor;
  /** Policy and calendar resolved by the API at open, so the first targets start in the first workflow task. */
  policy: SlaPolicy;
  calendar: BusinessCalendar | null;
  /**
   * Continue-as-new after this many history events (default 2,000; Temporal's own suggestion
   * also triggers it). Tests lower it to prove the state carries over.
   */
  historyLimit?: number;
  /** The state carried over by continue-as-new; absent on the first run. */
  carried?: CaseState;
}

export type { CaseRejection, CaseState, EscalationSource, EscalationState, EscalationStatus, SlaState, TierPeriod } from '../../domain/cases/case-state.js';
export { CASE_REJECTIONS } from '../../domain/cases/case-state.js';

// Updates (imperative decisions/actions), one per CaseCommand of the reducer, named after it and
// taking its fields. Each has a validator that rejects with an ApplicationFailure whose `type` is
// one of CASE_REJECTIONS.
type Args<T extends keyof CaseCommandArgs> = CaseCommandArgs[T];
export const recordContact = defineUpdate<CaseState, [Args<'recordContact'>]>('recordContact');
export const pauseClock = defineUpdate<CaseState, [Args<'pauseClock'>]>('pauseClock');
export const resumeClock = defineUpdate<CaseState, [Args<'resumeClock'>]>('resumeClock');
export const resolveCase = defineUpdate<CaseState, [Args<'resolveCase'>]>('resolveCase');
export const recordCallback = defineUpdate<CaseState, [Args<'recordCallback'>]>('recordCallback');
export const changeCaseDetails = defineUpdate<CaseState, [Args<'changeCaseDetails'>]>('changeCaseDetails');
export const requestEscalation = defineUpdate<CaseState, [Args<'requestEscalation'>]>('requestEscalation');
export const approveEscalation = defineUpdate<CaseState, [Args<'approveEscalation'>]>('approveEscalation');
export const rejectEscalation = defineUpdate<CaseState, [Args<'rejectEscalation'>]>('rejectEscalation');
export const CASE_UPDATES = [recordContact, pauseClock, resumeClock, resolveCase, recordCallback, changeCaseDetails, requestEscalation, approveEscalation, rejectEscalation] as const;

export const getCaseState = defineQuery<CaseState>('getCaseState');
