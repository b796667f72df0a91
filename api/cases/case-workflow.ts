import { ApplicationFailure, WorkflowIdConflictPolicy, WorkflowIdReusePolicy, WorkflowNotFoundError } from '@temporalio/common';
import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import {
  COMPLAINT_CASE_WORKFLOW,
  getCaseState,
  type CaseState,
  type ComplaintCaseInput,
} from '../../workflows/cases/complaint-case.defs.js';
import { DomainError, ErrorCode, errorCodeOfCaseRejection } from '../http/errors.js';

/**
 * The API's side of the case workflow contract (complaint-case.defs.ts): start, query, update,
 * and the mapping of the workflow's refusals to API errors. The API never computes a deadline:
 * what it shows comes from the workflow's own state, or from the read model its activities write.
 */

/** How long a query may take before the API falls back to the read model. */
const QUERY_TIMEOUT_MS = 3_000;
/** An update waits for the workflow to run it; without a worker it would wait for ever. */
const UPDATE_TIMEOUT_MS = 20_000;
const START_TIMEOUT_MS = 10_000;

export async function startCaseWorkflow(temporal: TemporalGateway, input: ComplaintCaseInput, workflowId: string): Promise<void> {
  const client = await temporal.getClient();
  await client.connection.withDeadline(Date.now() + START_TIMEOUT_MS, () =>
    client.workflow.start(COMPLAINT_CASE_WORKFLOW, {
      workflowId,
      taskQueue: temporal.taskQueue,
      args: [input],
      // A retried start of the same case (same id) joins the running workflow instead of failing or
      // starting a second one; a finished case's id is never reused.
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    }),
  );
}

/** True when Temporal knows the workflow (running or closed); false when it does not or cannot say. */
export async function caseWorkflowExists(temporal: TemporalGateway, workflowId: string): Promise<boolean> {
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
export type CaseStateAnswer = { state: CaseState } | { state: null; reason: 'not_found' | 'unavailable' };

export async function queryCaseState(temporal: TemporalGateway, workflowId: string, timeoutMs = QUERY_TIMEOUT_MS): Promise<CaseStateAnswer> {
  try {
    const client = await temporal.getClient();
    const state = await client.connection.withDeadline(Date.now() + timeoutMs, () => client.workflow.getHandle(workflowId).query(getCaseState));
    return { state };
  } catch (err) {
    return { state: null, reason: err instanceof WorkflowNotFoundError ? 'not_found' : 'unavailable' };
  }
}

/** The workflow's live state, or null when Temporal or the worker does not answer in time. */
export async function queryCaseStateOrNull(temporal: TemporalGateway, workflowId: string, timeoutMs = QUERY_TIMEOUT_MS): Promise<CaseState | null> {
  return (await queryCaseState(temporal, workflowId, timeoutMs)).state;
}

/**
 * 503 for an action on a case whose workflow does not answer a query: no worker polls its task
 * queue, or Temporal is down. The action must then not be sent as an Update at all. An Update to a
 * workflow without a worker waits for the whole UPDATE_TIMEOUT_MS and, worse, stays admitted on the
 * server: a worker that comes back later still applies it, although the caller was told 503 and
 * retries (then meeting a 409 for an action it was told had not happened).
 */
export const caseWorkflowUnavailable = () =>
  new DomainError(ErrorCode.DEPENDENCY_UNAVAILABLE, 'The case workflow does not answer; nothing was changed, retry shortly / 工单流程暂未响应，未做任何更改，请稍后重试');

/**
 * Runs one Update on the case workflow and returns the state it answers with. A validator's
 * refusal (an ApplicationFailure whose type is one of CASE_REJECTIONS) becomes 409 with that code;
 * a workflow that no longer runs is a closed case.
 */
export async function executeCaseUpdate<Arg>(
  temporal: TemporalGateway,
  workflowId: string,
  update: UpdateDefinition<CaseState, [Arg]>,
  arg: Arg,
): Promise<CaseState> {
  const client = await temporal.getClient();
  const handle: WorkflowHandle = client.workflow.getHandle(workflowId);
  try {
    return await client.connection.withDeadline(Date.now() + UPDATE_TIMEOUT_MS, () => handle.executeUpdate(update, { args: [arg] }));
  } catch (err) {
    throw toCaseActionError(err);
  }
}

export function toCaseActionError(err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure) {
      const code = errorCodeOfCaseRejection(cause.type);
      return new DomainError(code ?? ErrorCode.INVALID_ACTION, cause.message || undefined);
    }
    return new DomainError(ErrorCode.INVALID_ACTION, cause?.message);
  }
  if (err instanceof WorkflowNotFoundError) return new DomainError(ErrorCode.CASE_CLOSED);
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
    // The Update reached the workflow's server but was not confirmed in time: it may still take
    // effect, so the caller should look at the case before retrying.
    return new DomainError(
      ErrorCode.DEPENDENCY_UNAVAILABLE,
      'The case workflow did not confirm the action in time; it may still take effect, reload the case before retrying / 工单流程未及时确认，操作可能仍会生效，请刷新工单后再重试',
    );
  return err;
}
