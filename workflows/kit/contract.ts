/**
 * The contract side of the kit, imported by a process's `*.defs.ts` (and so by the API and tests):
 * message definitions only, nothing that runs inside a workflow.
 */
import { defineUpdate } from '@temporalio/workflow';

type UpdateOf<Result, Args> = ReturnType<typeof defineUpdate<Result, [Args]>>;

/**
 * One Update per command of a process, named after the command and taking its arguments, from the
 * reducer's map of command name → arguments. `names` must list every command (a missing one does
 * not compile), so a process cannot gain a command its workflow does not accept.
 */
export function commandUpdates<ArgsByName, Result>(names: Record<keyof ArgsByName & string, true>): { [K in keyof ArgsByName & string]: UpdateOf<Result, ArgsByName[K]> } {
  return Object.fromEntries(Object.keys(names).map((name) => [name, defineUpdate(name)])) as unknown as { [K in keyof ArgsByName & string]: UpdateOf<Result, ArgsByName[K]> };
}

/** What every process workflow's input carries besides its own fields. */
export interface ProcessInput<State> {
  groupId: string;
  companyId: string;
  projectId: string;
  /**
   * Continue-as-new after this many history events (default 2,000; Temporal's own suggestion
   * also triggers it). Tests lower it to prove the state carries over.
   */
  historyLimit?: number;
  /** The state carried over by continue-as-new; absent on the first run. */
  carried?: State;
}
