/**
 * The contract of the complaint/repair case workflow, shared by the workflow, the API and tests.
 * Importing this module pulls in no workflow internals: only message definitions and types.
 *
 * Human actions are Updates with validators, so the API learns at once whether the action was
 * accepted (a validator rejection becomes 409 with the reason's code). The workflow owns every
 * clock; the API never computes a deadline it then stores.
 */
import { defineQuery } from '@temporalio/workflow';
import { commandUpdates, type ProcessInput } from '../kit/contract.js';
import type { CaseCommandArgs, CaseOpening } from '../../domain/cases/case-process.js';
import type { CaseOutcome, CaseState } from '../../domain/cases/case-state.js';
import { slaStateOf } from '../../domain/cases/case-readings.js';
import { keywordAttribute, type KeywordAttribute } from '../kit/search-attributes.js';

export const COMPLAINT_CASE_WORKFLOW = 'complaintCase';
export const caseWorkflowId = (caseId: string) => `case-${caseId}`;

export type { ActionBase, Actor } from '../../domain/process.js';

/**
 * The workflow's input: the case's opening (domain/cases/case-process.ts) and what only the wiring
 * needs. The API resolves the policy and calendar at open, so the first targets start in the first
 * workflow task, and chooses the initial tier from severity and repair cost (domain/cases/routing.ts).
 */
export interface ComplaintCaseInput extends CaseOpening, ProcessInput<CaseState> {
  /**
   * When the API opened the case (epoch ms): the first targets start here, so the deadlines the API
   * answers with (computed by the same pure reducer) and the workflow's agree to the millisecond.
   * Absent in executions started before issue 14: those start at their first workflow task.
   */
  openedAt?: number;
}

/** Typed keys of the search attributes registered in platform/temporal/search-attributes.ts: ids and states only. */
export const CASE_SEARCH_ATTRIBUTES = {
  CaseStatus: keywordAttribute('CaseStatus'),
  CaseTier: keywordAttribute('CaseTier'),
  SlaState: keywordAttribute('SlaState'),
  ProjectId: keywordAttribute('ProjectId'),
  CaseType: keywordAttribute('CaseType'),
  AssigneeId: keywordAttribute('AssigneeId'),
} as const;

/**
 * A case's search attributes in a state: what the workflow upserts as they change, and what the API
 * starts it with (from the first state it answers with), so the first workflow task upserts none.
 */
export function caseSearchAttributes(s: CaseState, input: Pick<ComplaintCaseInput, 'projectId' | 'type'>): Array<[KeywordAttribute, string | null]> {
  return [
    [CASE_SEARCH_ATTRIBUTES.CaseStatus, s.status],
    [CASE_SEARCH_ATTRIBUTES.CaseTier, s.tier],
    [CASE_SEARCH_ATTRIBUTES.SlaState, slaStateOf(s)],
    [CASE_SEARCH_ATTRIBUTES.ProjectId, input.projectId],
    [CASE_SEARCH_ATTRIBUTES.CaseType, input.type],
    [CASE_SEARCH_ATTRIBUTES.AssigneeId, s.assigneeId],
  ];
}

export type { CaseOutcome, CaseRejection, CaseState, EscalationSource, EscalationState, EscalationStatus, SlaState, TierPeriod } from '../../domain/cases/case-state.js';
export { CASE_REJECTIONS } from '../../domain/cases/case-state.js';
export { CASE_RECORD_FIELDS, type CaseRecordField } from '../../domain/cases/case-process.js';

// Updates (imperative decisions/actions), one per command of the reducer, named after it and
// taking its arguments. Each has a validator that rejects with an ApplicationFailure whose `type`
// is one of CASE_REJECTIONS. Each answers a CaseOutcome (the whole state in executions older than
// the slim-histories patch, which is one too): read the state with getCaseState.
const UPDATES = commandUpdates<CaseCommandArgs, CaseOutcome>({
  recordContact: true,
  pauseClock: true,
  resumeClock: true,
  resolveCase: true,
  recordCallback: true,
  changeCaseDetails: true,
  requestEscalation: true,
  approveEscalation: true,
  rejectEscalation: true,
  addCaseNote: true,
  editCaseRecord: true,
  retimeCalendar: true,
  recordWorkOrderOpened: true,
  recordWorkOrderEnded: true,
});
export const {
  recordContact,
  pauseClock,
  resumeClock,
  resolveCase,
  recordCallback,
  changeCaseDetails,
  requestEscalation,
  approveEscalation,
  rejectEscalation,
  addCaseNote,
  editCaseRecord,
  retimeCalendar,
  recordWorkOrderOpened,
  recordWorkOrderEnded,
} = UPDATES;
export const CASE_UPDATES = Object.values(UPDATES);

export const getCaseState = defineQuery<CaseState>('getCaseState');
