/**
 * The workflow kit: the one engine every long-running process runs on. A process workflow is
 * wiring — its reducer (domain/), its activities, its Updates — and this module does the rest:
 *
 * - the effect queue: every audit event, notice and task a reducer produces, run one at a time in
 *   order by the main loop, so two concurrent Updates never interleave their activities; audit rows
 *   and notices are keyed by workflow id + the event's seq;
 * - search attributes, upserted only when a value changed, and the read-model projection after
 *   the queue empties (monotonic by seq in the activity); with `slim` (issue 14), one `step` per
 *   batch of queued events instead — their audit rows, the projection, their notices and at most
 *   one task, in one (normal) activity — and Updates answering a small outcome;
 * - the wake-up loop: sleep until the next due instant or the next change, then let the reducer
 *   record what is due (`tick`);
 * - continue-as-new carrying the whole state when the history grows long;
 * - Update helpers whose validators run the reducer's pure checks and refuse with the rejection's
 *   code as a non-retryable ApplicationFailure.
 *
 * Decisions worth knowing: the command sequence this loop issues is the one the three processes
 * issued before the kit existed (the saved histories under test/histories replay against it), so
 * change its order of activities, timers and upserts only behind `patched()`.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type defineUpdate,
  type QueryDefinition,
} from '@temporalio/workflow';
import { Rejection, type ActionBase, type Actor, type AuditData, type ProcessEvent, type Reducer, type Sequenced } from '../../domain/process.js';

export { DATABASE_ACTIVITY, MAIL_ACTIVITY } from './activity-options.js';
export { keywordAttribute, type KeywordAttribute } from './search-attributes.js';
import type { KeywordAttribute } from './search-attributes.js';

const DEFAULT_HISTORY_LIMIT = 2_000;

/** @temporalio/common's UpdateDefinition, named through @temporalio/workflow. */
type UpdateDefinition<Result, Args extends unknown[]> = ReturnType<typeof defineUpdate<Result, Args>>;

/** One audit row as the kit hands it to the wiring's `audit` effect. */
export interface AuditRecord {
  streamId: string;
  seq: number;
  type: string;
  actor: Actor;
  /** ISO 8601 workflow time of the change. */
  at: string;
  data: AuditData;
}

export interface ProcessEffects<State, Action, Notice, Task> {
  audit(record: AuditRecord): Promise<unknown>;
  notify?(notice: Notice, ctx: { seq: number; idempotencyKeyBase: string; state: State }): Promise<unknown>;
  /** Runs a task; the action it returns is dispatched when it is done. */
  task?(task: Task, ctx: { seq: number; idempotencyKey: string; state: State }): Promise<Action | undefined>;
  project(ctx: { seq: number; state: State }): Promise<unknown>;
  /**
   * Slim histories: a batch of queued events handled by one activity — every audit row, the read
   * model at `seq`, every notice (each under its own key) and at most one task, which comes last —
   * answering the task's follow-up action. Used instead of `audit`, `project`, `notify` and `task`
   * while `ProcessOptions.slim` holds. Scheduled as an ordinary activity (never a local one): its
   * input is in the history before it runs, so what it writes under a seq is what replay decides.
   */
  step?(batch: StepBatch<State, Notice, Task>): Promise<Action | undefined>;
}

/** One slim step's work (see ProcessEffects.step). */
export interface StepBatch<State, Notice, Task> {
  records: AuditRecord[];
  notices: Array<{ notice: Notice; seq: number; idempotencyKeyBase: string }>;
  task?: { task: Task; seq: number; idempotencyKey: string };
  /** The state's seq the projection brings the read model to. */
  seq: number;
  state: State;
}

export interface ProcessOptions<State extends Sequenced, Action, Notice, Task, Outcome = State> {
  /** The first (or carried) state. */
  state: State;
  reduce: Reducer<State, Action, Notice, Task>;
  /** The action that records whatever is due at `now` (warnings, breaches, deadlines). */
  tick: Action;
  nextWakeAt(state: State): number | null;
  isEnded(state: State): boolean;
  /** What queries return and the projection stores (defaults to a copy of the state). */
  snapshot?(state: State): State;
  searchAttributes(state: State): Array<[KeywordAttribute, string | null]>;
  effects: ProcessEffects<State, Action, Notice, Task>;
  /** Turns a domain error thrown by the reducer into the failure the workflow raises (else it is rethrown). */
  failureOf?(err: unknown): Error | undefined;
  /**
   * Continue-as-new with the whole state when the history grows long. `guard` runs only when the
   * history asks for it (a `patched()` check for a process that did not always continue as new).
   */
  continueAsNew?: { historyLimit?: number; guard?: () => boolean; next(state: State): Promise<never> };
  /**
   * Bring the read model up to date as soon as every queued audit row is written and only emails
   * and tasks are left, instead of once the whole queue has run: lists read from the read model
   * then show a decision while the emails and tasks it asked for still run (an approved escalation
   * leaves the approvers' queue before its Update answers, not after the tier move and its emails).
   * A guard, for a process whose executions did not always do so (a `patched()` check).
   */
  projectBeforeWaiting?: () => boolean;
  /**
   * Slim histories (issue 14), for a process whose executions did not always keep them (a
   * `patched()` guard): each batch of queued events is one `effects.step` call (one activity: the
   * audit rows and the read model first, then notices and a task); Updates and the workflow answer
   * `result(state)` (status, seq, what changed) instead of the whole state.
   */
  slim?: { guard: () => boolean; result(state: State): Outcome };
  /**
   * Count the search attributes the execution started (or continued) with as published, so the
   * first upsert carries only what differs from them (the API starts a case with its first
   * state's): a `patched()` guard, for a process whose executions always upserted them all.
   */
  searchAttributesFromStart?: () => boolean;
}

/** What a slim Update answers besides the process's own result: the audit events the action recorded. */
export interface ChangedEvents {
  /** The audit events recorded since the Update arrived (its own and its tasks' follow-ups), oldest first. */
  events?: Array<{ seq: number; type: string }>;
}

type QueuedEffect<Notice, Task> =
  | { kind: 'audit'; seq: number; type: string; actor: Actor; at: number; data: AuditData }
  | { kind: 'notify'; seq: number; notice: Notice }
  | { kind: 'task'; seq: number; task: Task; done: boolean };

export interface UpdateWiring<State, Action, Args extends unknown[], Result> {
  /** The action the Update's arguments stand for. */
  action(...args: Args): Action;
  /** The reducer's pure checks: throw a Rejection to refuse. */
  validate?(state: State, action: Action): void;
  /** What the Update answers (default: the snapshot). */
  reply?(state: State): Result;
  /**
   * Whether the answer waits for the tasks the action asked for (default true). With false the
   * Update answers at once, the tasks left to the main loop: a process whose Updates always did
   * so (sales) keeps its command sequence, and an action that also ends the process does not wait
   * on a queue that is drained only after every handler has finished.
   */
  awaitTasks?: boolean;
}

export interface Process<State, Action, Outcome = State> {
  /** The current state (do not mutate). */
  readonly state: State;
  snapshot(): State;
  /** Applies an action now; resolves once the tasks it asked for have run. */
  dispatch(action: Action): { settled: Promise<void>; hasTasks: boolean };
  update<Args extends unknown[], Result = State>(def: UpdateDefinition<Result, Args>, wiring: UpdateWiring<State, Action, Args, Result>): void;
  /**
   * Registers one Update per command of the process: each Update's name is the command's `type`
   * and its single argument the command's fields; `validate` refuses with a Rejection.
   */
  commands<Result = State>(
    defs: ReadonlyArray<UpdateDefinition<Result, [ActionBase]>>,
    validate: (state: State, command: Action) => void,
    options?: Pick<UpdateWiring<State, Action, [ActionBase], Result>, 'awaitTasks'>,
  ): void;
  query(def: QueryDefinition<State>): void;
  /** The main loop; resolves with the final snapshot (slim: the final outcome) once the process has ended. */
  run(): Promise<State | Outcome>;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export function startProcess<State extends Sequenced, Action, Notice, Task = never, Outcome = State>(
  options: ProcessOptions<State, Action, Notice, Task, Outcome>,
): Process<State, Action, Outcome> {
  const workflowId = workflowInfo().workflowId;
  const { reduce, effects } = options;
  let state = options.state;
  const queue: Array<QueuedEffect<Notice, Task>> = [];
  let projectedSeq = state.seq;
  let published: Record<string, string | null> = {};
  /** The audit events of recent actions, for slim Update answers (what changed). */
  const recent: Array<{ seq: number; type: string }> = [];
  const isSlim = () => options.slim?.guard() ?? false;

  const snapshot = (): State => (options.snapshot ? options.snapshot(state) : clone(state));
  const isEnded = () => options.isEnded(state);

  const apply = (action: Action): Array<QueuedEffect<Notice, Task>> => {
    let next: ReturnType<typeof reduce>;
    try {
      next = reduce(state, action, Date.now());
    } catch (err) {
      throw options.failureOf?.(err) ?? err;
    }
    state = next.state;
    const tasks: Array<QueuedEffect<Notice, Task>> = [];
    for (const event of next.events as Array<ProcessEvent<Notice, Task>>) {
      if (event.kind === 'task') {
        const queued: QueuedEffect<Notice, Task> = { kind: 'task', seq: event.seq, task: event.task, done: false };
        queue.push(queued);
        tasks.push(queued);
        continue;
      }
      queue.push({ kind: 'audit', seq: event.seq, type: event.type, actor: event.actor, at: Date.now(), data: event.data });
      recent.push({ seq: event.seq, type: event.type });
      if (recent.length > 50) recent.shift();
      if (event.notice !== undefined) queue.push({ kind: 'notify', seq: event.seq, notice: event.notice });
    }
    return tasks;
  };

  const dispatch = (action: Action) => {
    const tasks = apply(action);
    return {
      hasTasks: tasks.length > 0,
      settled: tasks.length ? condition(() => tasks.every((t) => t.kind === 'task' && t.done)) : Promise.resolve(),
    };
  };

  const publishSearchAttributes = () => {
    const pairs = options.searchAttributes(state);
    const changed = pairs.filter(([key, value]) => published[key.name] !== value);
    if (changed.length === 0) return;
    upsertSearchAttributes(changed.map(([key, value]) => ({ key, value })));
    published = { ...published, ...Object.fromEntries(pairs.map(([key, value]) => [key.name, value])) };
  };

  const project = async () => {
    const seq = state.seq;
    await effects.project({ seq, state: snapshot() });
    projectedSeq = seq;
  };

  /** Every audit row of the state is written and what is left waits on the outside world (mail, a task). */
  const onlyWaitingLeft = () => state.seq > projectedSeq && !queue.some((e) => e.kind === 'audit');

  /** Slim: the queue's head up to its first task, as one step. */
  const runStep = async () => {
    const records: AuditRecord[] = [];
    const notices: StepBatch<State, Notice, Task>['notices'] = [];
    let task: (QueuedEffect<Notice, Task> & { kind: 'task' }) | undefined;
    let taken = 0;
    for (const effect of queue) {
      taken++;
      if (effect.kind === 'audit') {
        records.push({ streamId: workflowId, seq: effect.seq, type: effect.type, actor: effect.actor, at: new Date(effect.at).toISOString(), data: effect.data });
      } else if (effect.kind === 'notify') {
        notices.push({ notice: effect.notice, seq: effect.seq, idempotencyKeyBase: `${workflowId}:${effect.seq}` });
      } else {
        task = effect;
        break;
      }
    }
    const seq = state.seq;
    const followUp = await effects.step!({
      records,
      notices,
      ...(task ? { task: { task: task.task, seq: task.seq, idempotencyKey: `${workflowId}:${task.seq}` } } : {}),
      seq,
      state: snapshot(),
    });
    queue.splice(0, taken);
    projectedSeq = Math.max(projectedSeq, seq);
    if (task) {
      if (followUp !== undefined) apply(followUp);
      task.done = true;
    }
  };

  /** Runs queued effects in order, then brings the search attributes and the read model up to date. */
  const drain = async () => {
    for (;;) {
      if (queue.length > 0 && effects.step && isSlim()) {
        await runStep();
        continue;
      }
      const effect = queue[0];
      if (effect) {
        if (effect.kind !== 'audit' && onlyWaitingLeft() && (options.projectBeforeWaiting?.() ?? false)) {
          await project();
          continue;
        }
        if (effect.kind === 'audit') {
          await effects.audit({ streamId: workflowId, seq: effect.seq, type: effect.type, actor: effect.actor, at: new Date(effect.at).toISOString(), data: effect.data });
        } else if (effect.kind === 'notify') {
          await effects.notify?.(effect.notice, { seq: effect.seq, idempotencyKeyBase: `${workflowId}:${effect.seq}`, state });
        } else {
          const followUp = await effects.task?.(effect.task, { seq: effect.seq, idempotencyKey: `${workflowId}:${effect.seq}`, state });
          if (followUp !== undefined) apply(followUp);
          effect.done = true;
        }
        queue.shift();
        continue;
      }
      publishSearchAttributes();
      if (state.seq <= projectedSeq) return;
      await project();
    }
  };

  /**
   * Waits until every Update handler has finished, running what they queue meanwhile: a handler
   * may be waiting on its own task, which only the queue runs.
   */
  const settle = async () => {
    for (;;) {
      await condition(() => allHandlersFinished() || queue.length > 0);
      await drain();
      if (allHandlersFinished() && queue.length === 0) return;
    }
  };

  const toFailure = (err: unknown): unknown =>
    err instanceof Rejection ? ApplicationFailure.create({ type: err.code, message: err.message, nonRetryable: true }) : (options.failureOf?.(err) ?? err);

  const process: Process<State, Action, Outcome> = {
    get state() {
      return state;
    },
    snapshot,
    dispatch,
    update<Args extends unknown[], Result = State>(def: UpdateDefinition<Result, Args>, wiring: UpdateWiring<State, Action, Args, Result>) {
      setHandler(
        def,
        (...args: Args) => {
          const from = state.seq;
          // Slim: the outcome and the events recorded since the Update arrived; else the snapshot.
          const reply =
            wiring.reply ??
            ((options.slim && isSlim()
              ? () => ({ ...(options.slim!.result(state) as object), events: recent.filter((e) => e.seq > from) })
              : () => snapshot()) as unknown as (s: State) => Result);
          const { settled, hasTasks } = dispatch(wiring.action(...args));
          // Answer at once when nothing waits on the outside world: the handler stays synchronous,
          // as every Update was before the kit (no extra activation between change and answer).
          if (!hasTasks || wiring.awaitTasks === false) return reply(state);
          return settled.then(() => reply(state));
        },
        {
          validator: (...args: Args) => {
            try {
              wiring.validate?.(state, wiring.action(...args));
            } catch (err) {
              throw toFailure(err);
            }
          },
        },
      );
    },
    commands(defs, validate, options) {
      for (const def of defs) {
        process.update(def, { action: (args) => ({ ...args, type: def.name }) as Action, validate, ...options });
      }
    },
    query(def) {
      setHandler(def, snapshot);
    },
    async run() {
      if (options.searchAttributesFromStart?.()) {
        const started = workflowInfo().typedSearchAttributes;
        published = Object.fromEntries(options.searchAttributes(state).map(([key]) => [key.name, started.get(key) ?? null]));
      }
      publishSearchAttributes();
      const can = options.continueAsNew;
      const historyLimit = can?.historyLimit ?? DEFAULT_HISTORY_LIMIT;
      const shouldContinueAsNew = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= historyLimit;
      while (!isEnded()) {
        await drain();
        if (isEnded()) break;
        if (can && shouldContinueAsNew() && (can.guard?.() ?? true)) {
          // Let running Update handlers finish and their effects land before the state moves on.
          await settle();
          if (!isEnded()) await can.next(snapshot());
          break;
        }
        const wakeAt = options.nextWakeAt(state);
        if (wakeAt === null) {
          await condition(() => queue.length > 0 || isEnded());
          continue;
        }
        const delay = wakeAt - Date.now();
        if (delay > 0 && (await condition(() => queue.length > 0 || isEnded(), delay))) continue;
        apply(options.tick);
        // A deadline that rounds onto the current instant without anything being due: let time move.
        if (queue.length === 0) await condition(() => queue.length > 0, 1000);
      }
      await settle();
      return options.slim && isSlim() ? options.slim.result(state) : snapshot();
    },
  };
  return process;
}
