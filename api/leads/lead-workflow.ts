import { ApplicationFailure, WorkflowIdConflictPolicy, WorkflowIdReusePolicy, WorkflowNotFoundError } from '@temporalio/common';
import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import { LEAD_FOLLOW_UP_WORKFLOW, getLeadState, type LeadFollowUpInput, type LeadState } from '../../workflows/leads/lead-follow-up.defs.js';
import { DomainError, ErrorCode, errorCodeOfLeadRejection } from '../http/errors.js';

/**
 * The API's side of the lead workflow contract (lead-follow-up.defs.ts): start, query, update, and
 * the mapping of the workflow's refusals to API errors. As for cases, the API never computes a
 * deadline it shows as live: live values come from the workflow's state, or from the read model
 * its projection writes.
 */

/** How long a query may take before the API falls back to the read model. */
const QUERY_TIMEOUT_MS = 3_000;
/** An update waits for the workflow to run it; without a worker it would wait for ever. */
const UPDATE_TIMEOUT_MS = 20_000;
const START_TIMEOUT_MS = 10_000;

export async function startLeadWorkflow(temporal: TemporalGateway, input: LeadFollowUpInput, workflowId: string): Promise<void> {
  const client = await temporal.getClient();
  await client.connection.withDeadline(Date.now() + START_TIMEOUT_MS, () =>
    client.workflow.start(LEAD_FOLLOW_UP_WORKFLOW, {
      workflowId,
      taskQueue: temporal.taskQueue,
      args: [input],
      // A retried start of the same lead joins the running workflow; an ended lead's id is never reused.
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    }),
  );
}

/** True when Temporal knows the workflow (running or closed); false when it does not or cannot say. */
export async function leadWorkflowExists(temporal: TemporalGateway, workflowId: string): Promise<boolean> {
  try {
    const client = await temporal.getClient();
    await client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => client.workflow.getHandle(workflowId).describe());
    return true;
  } catch {
    return false;
  }
}

/**
 * The workflow's live state; or why there is none: Temporal does not know the workflow
 * (`not_found`), or Temporal or a worker did not answer in time (`unavailable`).
 */
export type LeadStateAnswer = { state: LeadState } | { state: null; reason: 'not_found' | 'unavailable' };

export async function queryLeadState(temporal: TemporalGateway, workflowId: string, timeoutMs = QUERY_TIMEOUT_MS): Promise<LeadStateAnswer> {
  try {
    const client = await temporal.getClient();
    const state = await client.connection.withDeadline(Date.now() + timeoutMs, () => client.workflow.getHandle(workflowId).query(getLeadState));
    return { state };
  } catch (err) {
    return { state: null, reason: err instanceof WorkflowNotFoundError ? 'not_found' : 'unavailable' };
  }
}

/** The workflow's live state, or null when Temporal or the worker does not answer in time. */
export async function queryLeadStateOrNull(temporal: TemporalGateway, workflowId: string, timeoutMs = QUERY_TIMEOUT_MS): Promise<LeadState | null> {
  return (await queryLeadState(temporal, workflowId, timeoutMs)).state;
}

/**
 * 503 for an action on a lead whose workflow does not answer a query (no worker polls its task
 * queue, or Temporal is down): the action is then not sent as an Update at all, since an Update
 * admitted by the server would still be applied when a worker returns, after the caller was told
 * 503 (the same rule as for cases).
 */
export const leadWorkflowUnavailable = () =>
  new DomainError(ErrorCode.DEPENDENCY_UNAVAILABLE, 'The lead workflow does not answer; nothing was changed, retry shortly / 线索流程暂未响应，未做任何更改，请稍后重试');

/**
 * Runs one Update on the lead workflow and returns the state it answers with. A validator's
 * refusal (an ApplicationFailure whose type is one of LEAD_REJECTIONS) becomes 409 with that code;
 * a workflow that no longer runs is an ended lead.
 */
export async function executeLeadUpdate<Arg>(
  temporal: TemporalGateway,
  workflowId: string,
  update: UpdateDefinition<LeadState, [Arg]>,
  arg: Arg,
): Promise<LeadState> {
  const client = await temporal.getClient();
  const handle: WorkflowHandle = client.workflow.getHandle(workflowId);
  try {
    return await client.connection.withDeadline(Date.now() + UPDATE_TIMEOUT_MS, () => handle.executeUpdate(update, { args: [arg] }));
  } catch (err) {
    throw toLeadActionError(err);
  }
}

export function toLeadActionError(err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure) {
      const code = errorCodeOfLeadRejection(cause.type);
      return new DomainError(code ?? ErrorCode.INVALID_ACTION, cause.message || undefined);
    }
    return new DomainError(ErrorCode.INVALID_ACTION, cause?.message);
  }
  if (err instanceof WorkflowNotFoundError) return new DomainError(ErrorCode.LEAD_ENDED);
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
    // The Update reached the server but was not confirmed in time: it may still take effect.
    return new DomainError(
      ErrorCode.DEPENDENCY_UNAVAILABLE,
      'The lead workflow did not confirm the action in time; it may still take effect, reload the lead before retrying / 线索流程未及时确认，操作可能仍会生效，请刷新线索后再重试',
    );
  return err;
}
