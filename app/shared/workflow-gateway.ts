import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy, WorkflowNotFoundError, type QueryDefinition, type UpdateDefinition } from '@temporalio/common';
import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, type WorkflowHandle } from '@temporalio/client';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import type { KeywordAttribute } from '../../workflows/kit/search-attributes.js';
import { commonError, type Catalogue, type DomainError, type ErrorFactory, type Params } from '../errors.js';

/**
 * The application's side of one long-running process's workflow contract (a case, a lead, a sale):
 * start, query, update, and the mapping of the workflow's refusals to domain errors. One
 * implementation, so every process treats an unreachable Temporal, a missing worker and a refused
 * Update alike, whether the API or an activity (a sale's defect cases) calls it.
 */

/** How long a query may take before the API falls back to the read model. */
const QUERY_TIMEOUT_MS = 3_000;
/** An update waits for the workflow to run it; without a worker it would wait for ever. */
const UPDATE_TIMEOUT_MS = 20_000;
const START_TIMEOUT_MS = 10_000;

/** Search attributes a workflow starts with (its first state's), so its first task need not upsert them. */
type StartAttributes = ReadonlyArray<readonly [KeywordAttribute, string | null]>;

/** The workflow's live state; or why there is none: Temporal does not know the workflow, or Temporal or a worker did not answer in time. */
type StateAnswer<S> = { state: S } | { state: null; reason: 'not_found' | 'unavailable' };

/** How a process's workflow failures become its module's errors. */
export interface WorkflowErrors {
  /**
   * The module's error for a validator's refusal (its ApplicationFailure type), or null when the
   * type is not one of the process's refusals. `params` come from the failure's first detail, when
   * the workflow gives one (an object of values the refusal's message names).
   */
  refusal: (type: string | undefined | null, params: Params) => DomainError | null;
  /** An action on a workflow that no longer runs (the record has ended). */
  ended: () => DomainError;
  /** A new record's workflow did not start: the record is not kept. */
  notStarted: () => DomainError;
  /** The workflow does not answer a query: the action is not sent. */
  unanswered: () => DomainError;
  /** An Update reached the server but was not confirmed in time: it may still take effect. */
  unconfirmed: () => DomainError;
}

/**
 * A module's WorkflowErrors from its error factory and the reasons of its catalogue that say each
 * (each reason, refusals included, must be one of the catalogue's: else this does not compile).
 */
export function workflowErrorsOf<C extends Catalogue>(
  errors: ErrorFactory<C>,
  reasons: { refusals: readonly (keyof C & string)[]; ended: keyof C & string; notStarted: keyof C & string; unanswered: keyof C & string; unconfirmed: keyof C & string },
): WorkflowErrors {
  const refusals: readonly string[] = reasons.refusals;
  return {
    refusal: (type, params) => (type && refusals.includes(type) ? errors.fromReason(type as keyof C & string, params) : null),
    ended: () => errors.fromReason(reasons.ended),
    notStarted: () => errors.fromReason(reasons.notStarted),
    unanswered: () => errors.fromReason(reasons.unanswered),
    unconfirmed: () => errors.fromReason(reasons.unconfirmed),
  };
}

export interface WorkflowGatewaySpec<S> extends WorkflowErrors {
  workflowType: string;
  stateQuery: QueryDefinition<S>;
  /**
   * For a process whose Updates answer a small outcome (slim histories): true when an answer is
   * the whole state already (an execution older than the change answers so).
   */
  isWholeState?: (answer: unknown) => answer is S;
}

/** A refusal's params: the failure's first detail when it is an object of strings and numbers. */
function paramsOf(failure: ApplicationFailure): Params {
  const first: unknown = failure.details?.[0];
  if (typeof first !== 'object' || first === null || Array.isArray(first)) return {};
  return Object.fromEntries(Object.entries(first).filter(([, v]) => typeof v === 'string' || typeof v === 'number')) as Params;
}

/**
 * The gateway of one process: `S` its state, `I` its workflow's input. Each module exports its own
 * (`caseWorkflow`, `leadWorkflow`, `saleWorkflow`) and its use cases call its methods.
 */
export function createWorkflowGateway<S, I>(spec: WorkflowGatewaySpec<S>) {
  function toActionError(err: unknown): unknown {
    if (err instanceof WorkflowUpdateFailedError) {
      const cause = err.cause;
      // The workflow's own message is English for operators; the answer carries the refusal's code.
      if (cause instanceof ApplicationFailure) return spec.refusal(cause.type, paramsOf(cause)) ?? commonError('INVALID_ACTION');
      return commonError('INVALID_ACTION');
    }
    if (err instanceof WorkflowNotFoundError) return spec.ended();
    // The Update reached the server but was not confirmed in time: it may still take effect, so
    // the caller should look at the record before retrying.
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return spec.unconfirmed();
    return err;
  }

  async function queryState(temporal: TemporalGateway, workflowId: string, timeoutMs = QUERY_TIMEOUT_MS): Promise<StateAnswer<S>> {
    try {
      const state = await temporal.use((client) => client.connection.withDeadline(Date.now() + timeoutMs, () => client.workflow.getHandle(workflowId).query(spec.stateQuery)));
      return { state };
    } catch (err) {
      return { state: null, reason: err instanceof WorkflowNotFoundError ? 'not_found' : 'unavailable' };
    }
  }

  async function start(temporal: TemporalGateway, input: I, workflowId: string, searchAttributes: StartAttributes = []): Promise<void> {
    const typedSearchAttributes = searchAttributes.filter(([, value]) => value !== null).map(([key, value]) => ({ key, value: value! }));
    await temporal.use((client) =>
      client.connection.withDeadline(Date.now() + START_TIMEOUT_MS, () =>
        client.workflow.start(spec.workflowType, {
          workflowId,
          taskQueue: temporal.taskQueue,
          args: [input],
          ...(typedSearchAttributes.length ? { typedSearchAttributes } : {}),
          // A retried start of the same record (same id) joins the running workflow instead of
          // failing or starting a second one; an ended record's id is never reused.
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        }),
      ),
    );
  }

  /** True when Temporal knows the workflow (running or closed); false when it does not or cannot say. */
  async function exists(temporal: TemporalGateway, workflowId: string): Promise<boolean> {
    try {
      await temporal.use((client) => client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => client.workflow.getHandle(workflowId).describe()));
      return true;
    } catch {
      return false;
    }
  }

  return {
    start,

    /**
     * Starts a new record's workflow. When the start fails and Temporal does not know the workflow,
     * `undo` removes what the use case wrote (the row) and the module's notStarted error (503) is
     * thrown; a start that timed out may still have reached the server, so when the workflow exists
     * the record is kept.
     */
    async startOrUndo(temporal: TemporalGateway, input: I, workflowId: string, undo: (err: unknown) => Promise<void>, searchAttributes?: StartAttributes): Promise<void> {
      try {
        await start(temporal, input, workflowId, searchAttributes);
      } catch (err) {
        if (await exists(temporal, workflowId)) return;
        await undo(err);
        throw spec.notStarted();
      }
    },

    exists,

    /**
     * Makes sure a stored record's workflow runs: started with `input` unless Temporal knows it
     * (running, or ended: an ended record's id is never reused). For a record a request stored
     * whose process died before the start (the request's retry, or the sweep of abandoned
     * openings). Nothing is undone when the start fails: the record stays, and the module's
     * `unanswered` error (503: nothing changed, retry shortly) tells the caller to try again.
     */
    async ensureStarted(temporal: TemporalGateway, input: I, workflowId: string): Promise<'started' | 'known'> {
      if (await exists(temporal, workflowId)) return 'known';
      try {
        await start(temporal, input, workflowId);
        return 'started';
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return 'known';
        if (await exists(temporal, workflowId)) return 'known';
        throw spec.unanswered();
      }
    },

    /** The workflow's live state, or null when Temporal or the worker does not answer in time. */
    async queryStateOrNull(temporal: TemporalGateway, workflowId: string, timeoutMs = QUERY_TIMEOUT_MS): Promise<S | null> {
      return (await queryState(temporal, workflowId, timeoutMs)).state;
    },

    /**
     * The live state a read or an action goes by: null when Temporal does not know the workflow,
     * or (for a read, which then falls back to the read model) when it does not answer in time.
     * For an action, a workflow that does not answer a query (no worker polls its task queue, or
     * Temporal is down) is 503 (the module's `unanswered`): the action must then not be sent as an
     * Update at all. An Update admitted by the server stays admitted: a worker that comes back
     * later still applies it, although the caller was told 503 and retries (then meeting a 409 for
     * an action it was told had not happened).
     */
    async liveState(temporal: TemporalGateway, workflowId: string, o: { action: boolean }): Promise<S | null> {
      const answer = await queryState(temporal, workflowId);
      if (o.action && 'reason' in answer && answer.reason === 'unavailable') throw spec.unanswered();
      return answer.state;
    },

    /**
     * Runs one Update and returns what it answers (usually the state). A validator's refusal
     * becomes 409 with its code; a workflow that no longer runs is an ended record. With
     * `updateId`, a repeat of the same id gets the first one's outcome (Temporal deduplicates).
     */
    async executeUpdate<Arg, R = S>(temporal: TemporalGateway, workflowId: string, update: UpdateDefinition<R, [Arg]>, arg: Arg, o?: { updateId?: string }): Promise<R> {
      try {
        return await temporal.use((client) => {
          const handle: WorkflowHandle = client.workflow.getHandle(workflowId);
          return client.connection.withDeadline(Date.now() + UPDATE_TIMEOUT_MS, () => handle.executeUpdate(update, { args: [arg], ...(o?.updateId ? { updateId: o.updateId } : {}) }));
        });
      } catch (err) {
        throw toActionError(err);
      }
    },

    /**
     * Runs one Update and answers the state after it, for a process whose Updates answer a small
     * outcome (`{ seq, … }`, slim histories): the state is then read with the state query, which
     * adds nothing to the workflow's history, and must have reached the outcome's seq. An older
     * execution that answers with the whole state is taken at its word.
     */
    async executeAction<Arg>(temporal: TemporalGateway, workflowId: string, update: UpdateDefinition<{ seq: number }, [Arg]>, arg: Arg, o?: { updateId?: string }): Promise<S> {
      const answer = await this.executeUpdate(temporal, workflowId, update, arg, o);
      if (spec.isWholeState?.(answer)) return answer;
      for (let attempt = 0; ; attempt++) {
        const { state } = await queryState(temporal, workflowId);
        if (state && (state as unknown as { seq: number }).seq >= answer.seq) return state;
        // The Update took effect: a query that does not answer now is a worker busy or away a moment.
        if (attempt >= 4) throw spec.unanswered();
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    },

    toActionError,
  };
}
