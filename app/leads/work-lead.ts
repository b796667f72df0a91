import type { UpdateDefinition } from '@temporalio/common';
import { canManageLead, canReadLead, canWorkLead, type LeadRef, type Principal } from '../../domain/access.js';
import { isActiveLossReason } from '../../domain/leads/loss-reasons.js';
import type { Grade, LeadStatus, ReviewDecision, TouchChannel, TouchOutcome } from '../../domain/leads/types.js';
import type { Lead } from '../../prisma/generated/client.js';
import {
  assignLead,
  logTouch,
  markLeadLost,
  regradeLead,
  reviewLostLead,
  type ActionBase,
  type LeadState,
} from '../../workflows/leads/lead-follow-up.defs.js';
import type { AppDeps } from '../shared/deps.js';
import { accessRules } from '../shared/access-rules.js';
import { updateIdForRequest } from '../shared/request-identity.js';
import type { DomainError } from '../errors.js';
import { leadError } from './errors.js';
import { assertMayOwnLead } from './owners.js';
import { findLeadOfGroupOrThrow, findLeadRecord, type LeadRecord } from './repository.js';
import { findCadencePoliciesByGroup, findLossReasonsByGroup } from './settings.js';
import { leadWorkflow } from './workflow.js';

/** Which rule admits an actor: reading, working (owner or sales manager) or managing (sales manager). */
const assertLeadRule = accessRules(leadError, {
  read: { admits: canReadLead, denied: 'LEAD_READ_DENIED' },
  work: { admits: canWorkLead, denied: 'LEAD_WORK_DENIED' },
  manage: { admits: canManageLead, denied: 'LEAD_MANAGE_DENIED' },
});
export type LeadRule = Parameters<typeof assertLeadRule>[0];

const ENDED: readonly string[] = ['converted', 'closed'] satisfies LeadStatus[];

/**
 * Loads a lead and checks the principal against its CURRENT owner and status: the live workflow's
 * when it answers (an assignment a moment ago may not be in the read model yet), the row's
 * otherwise. 404 for another organisation's lead, 403 OUT_OF_SCOPE when the rule refuses.
 */
export async function loadLeadFor(deps: AppDeps, principal: Principal, id: string, rule: LeadRule) {
  const row = await findLeadOfGroupOrThrow(deps.db, principal, id);
  // An ended lead's row is final (its workflow has completed); only a running lead is asked.
  // Actions send no Update to a workflow that does not answer (see liveState); reads fall back to the row.
  const live = ENDED.includes(row.status) ? null : await leadWorkflow.liveState(deps.temporal, row.workflowId, { action: rule !== 'read' });
  const ref: LeadRef = {
    groupId: row.groupId,
    companyId: row.companyId,
    projectId: row.projectId,
    ownerId: live ? live.ownerId : row.ownerId,
    status: live?.status ?? row.status,
  };
  assertLeadRule(rule, principal, ref);
  return { row, live, ref };
}

/**
 * Loads a lead for an action: 409 LEAD_ENDED_AS on an ended lead. A request with an Idempotency-Key
 * may be the run again of the one that ended it (a review that closed it, its process dead before
 * the answer was stored): its Update then goes out under the first run's id, which Temporal answers
 * with the first outcome even once the workflow has completed; anything else it answers (another
 * request's action on an ended lead) is that refusal, `endedAs`.
 */
async function loadForAction(deps: AppDeps, principal: Principal, id: string, rule: Exclude<LeadRule, 'read'>, requestKey?: string | null) {
  const loaded = await loadLeadFor(deps, principal, id, rule);
  const endedAs = ENDED.includes(loaded.ref.status) ? leadError('LEAD_ENDED_AS', { number: loaded.row.number, status: loaded.ref.status }) : null;
  if (endedAs && !requestKey) throw endedAs;
  return { ...loaded, endedAs };
}

/**
 * Sends one action's Update and answers the lead as it then is. With the request's key
 * (`requestKey`, see updateIdForRequest) a run of the same request after its first process died
 * gets the first Update's outcome instead of a second touch or the action's own refusal.
 */
async function run<A extends object>(
  deps: AppDeps,
  principal: Principal,
  { row, endedAs }: { row: Lead; endedAs: DomainError | null },
  update: UpdateDefinition<LeadState, [ActionBase & A]>,
  args: A,
  requestKey: string | null | undefined,
): Promise<LeadRecord> {
  const state = await leadWorkflow
    .executeUpdate(deps.temporal, row.workflowId, update, { ...args, actor: principal.id } as ActionBase & A, updateIdForRequest(requestKey, update))
    .catch((err: unknown) => {
      throw endedAs ?? err;
    });
  return findLeadRecord(deps.db, row, state);
}

/** A touch (call, visit, message …) resets the cadence. The owner or a sales manager. */
export async function touchLead(
  deps: AppDeps,
  principal: Principal,
  id: string,
  body: { channel: TouchChannel; outcome: TouchOutcome; note?: string | undefined; nextStep?: string | undefined },
  requestKey?: string | null,
) {
  const { row, endedAs } = await loadForAction(deps, principal, id, 'work', requestKey);
  return run(deps, principal, { row, endedAs }, logTouch, {
    channel: body.channel,
    outcome: body.outcome,
    ...(body.note ? { note: body.note } : {}),
    ...(body.nextStep ? { nextStep: body.nextStep } : {}),
  }, requestKey);
}

/** Re-grading switches to the new grade's cadence at once, with the organisation's current cadences. */
export async function regrade(deps: AppDeps, principal: Principal, id: string, body: { grade: Grade }, requestKey?: string | null) {
  const { row, endedAs } = await loadForAction(deps, principal, id, 'work', requestKey);
  const policies = await findCadencePoliciesByGroup(deps.db, row.groupId);
  return run(deps, principal, { row, endedAs }, regradeLead, { grade: body.grade, policies }, requestKey);
}

/** A sales manager hands the lead (from the pool or from its owner) to someone who may own it. */
export async function assign(deps: AppDeps, principal: Principal, id: string, body: { ownerId: string }, requestKey?: string | null) {
  const { row, endedAs } = await loadForAction(deps, principal, id, 'manage', requestKey);
  await assertMayOwnLead(deps.db, { groupId: row.groupId, companyId: row.companyId, projectId: row.projectId, ownerId: body.ownerId, path: 'body.ownerId' });
  const policies = await findCadencePoliciesByGroup(deps.db, row.groupId);
  return run(deps, principal, { row, endedAs }, assignLead, { ownerId: body.ownerId, policies }, requestKey);
}

/** Marks the lead lost with one of the organisation's active loss reasons; the sales manager reviews it. */
export async function markLost(deps: AppDeps, principal: Principal, id: string, body: { reason: string; note?: string | undefined }, requestKey?: string | null) {
  const { row, endedAs } = await loadForAction(deps, principal, id, 'work', requestKey);
  const reasons = await findLossReasonsByGroup(deps.db, row.groupId);
  if (!isActiveLossReason({ code: body.reason, reasons })) throw leadError('LOSS_REASON_INACTIVE', { reason: body.reason }, { field: 'body.reason' });
  return run(deps, principal, { row, endedAs }, markLeadLost, { reason: body.reason, ...(body.note ? { note: body.note } : {}) }, requestKey);
}

/** The sales manager's review of a lost lead: take it over, reassign it, or confirm it closed. */
export async function review(deps: AppDeps, principal: Principal, id: string, body: { decision: ReviewDecision; ownerId?: string | undefined }, requestKey?: string | null) {
  const { row, endedAs } = await loadForAction(deps, principal, id, 'manage', requestKey);
  if (body.decision === 'reassign')
    await assertMayOwnLead(deps.db, { groupId: row.groupId, companyId: row.companyId, projectId: row.projectId, ownerId: body.ownerId!, path: 'body.ownerId' });
  const policies = body.decision === 'close' ? undefined : await findCadencePoliciesByGroup(deps.db, row.groupId);
  return run(deps, principal, { row, endedAs }, reviewLostLead, {
    decision: body.decision,
    ...(body.decision === 'reassign' ? { ownerId: body.ownerId! } : {}),
    ...(policies ? { policies } : {}),
  }, requestKey);
}
