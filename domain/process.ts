/**
 * The shape every long-running process's rules take: a pure reducer
 * `(state, action, now) → { state, events }`, with no I/O and time passed in. The workflow kit
 * (workflows/kit) runs the events as activities; tests call the reducers directly.
 *
 * - An `event` is one audit-trail entry (numbered by the process's own `seq`), optionally with the
 *   notice that announces it. Its audit row and notice are keyed by workflow id + seq.
 * - A `task` is work that needs the outside world before the process can go on (pick an assignee,
 *   resolve a policy, open repair cases). The wiring runs it and answers with a follow-up action.
 * Events and tasks run in the order the reducer produced them.
 */

/** Who did something: a user id, or `system` for timers. */
export type Actor = string;

/** What every command carries: who acts. */
export interface ActionBase {
  actor: Actor;
}

export type AuditValue = string | number | boolean | null | string[];
export type AuditData = Record<string, AuditValue>;

export interface AuditEvent<Notice> {
  kind: 'event';
  seq: number;
  type: string;
  actor: Actor;
  data: AuditData;
  notice?: Notice;
}

export interface TaskEvent<Task> {
  kind: 'task';
  /** The seq of the event the task follows (its idempotency key), 0 before any. */
  seq: number;
  task: Task;
}

export type ProcessEvent<Notice, Task = never> = AuditEvent<Notice> | TaskEvent<Task>;

export interface Transition<State, Notice, Task = never> {
  state: State;
  events: ProcessEvent<Notice, Task>[];
}

export type Reducer<State, Action, Notice, Task = never> = (state: State, action: Action, now: number) => Transition<State, Notice, Task>;

/**
 * The command union of a process from a map of command name → arguments (the arguments of the
 * Update of that name), so the Updates' types and the reducer's commands are written once.
 */
export type CommandOf<ArgsByName> = { [K in keyof ArgsByName & string]: { type: K } & ArgsByName[K] }[keyof ArgsByName & string];

/** The state every process keeps: the number of its last audit event. */
export interface Sequenced {
  seq: number;
}

/**
 * A refusal of an action in the current state (a wrong stage, a missing reason). `code` is one of
 * the process's published rejection codes; the kit raises it as a non-retryable ApplicationFailure
 * of that type and the API maps it to 409.
 */
export class Rejection<Code extends string = string> extends Error {
  override name = 'Rejection';
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
  }
}

/** Refuses with `code`. Typed `never` so validators read as guards. */
export function refuse<Code extends string>(code: Code, message: string): never {
  throw new Rejection(code, message);
}

/** What a reducer writes into while it changes its working copy. */
export interface Outbox<Notice, Task> {
  /** Records one event; returns its seq. */
  emit(type: string, actor: Actor, data: AuditData, notice?: Notice): number;
  /** Asks for outside work after the events so far. */
  task(task: Task): void;
}

/**
 * Runs `change` on a deep copy of `state` (the reducer's working copy: states are plain JSON) and
 * collects what it records, so reducers read like the rules they implement while staying pure.
 */
export function transition<State extends Sequenced, Notice, Task = never>(
  state: State,
  change: (s: State, out: Outbox<Notice, Task>) => void,
  hasRecipients: (notice: Notice) => boolean = () => true,
): Transition<State, Notice, Task> {
  const s = JSON.parse(JSON.stringify(state)) as State;
  const events: ProcessEvent<Notice, Task>[] = [];
  change(s, {
    emit(type, actor, data, notice) {
      const seq = ++s.seq;
      const event: AuditEvent<Notice> = { kind: 'event', seq, type, actor, data };
      if (notice !== undefined && hasRecipients(notice)) event.notice = notice;
      events.push(event);
      return seq;
    },
    task(task) {
      events.push({ kind: 'task', seq: s.seq, task });
    },
  });
  return { state: s, events };
}

/** An instant as ISO 8601 for audit data, null kept. */
export const isoOrNull = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** A non-empty string after trimming. */
export const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
