import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleWorkflows } from '../../platform/temporal/worker.js';
import * as workflows from '../../workflows/index.js';
import { loadHistories } from './histories.js';

/**
 * Histories recorded from real runs (test/replay/record-histories.test.ts, or
 * scripts/save-history.ts for any execution) replayed against the current workflow code: a change
 * that would break running executions fails here. Make such changes with `patched()`.
 */
const histories = loadHistories();
let workflowBundle: { code: string };

beforeAll(async () => {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed in this process.
  }
  workflowBundle = await bundleWorkflows();
});

describe('workflow replay', () => {
  it('has a saved history for every workflow type the worker registers', () => {
    const registered = Object.entries(workflows)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name)
      .sort();
    expect(registered.length).toBeGreaterThan(0);
    const recorded = new Set(histories.map((h) => h.workflowType));
    expect(registered.filter((name) => !recorded.has(name))).toEqual([]);
  });

  it('replays every saved history deterministically against the current code', async () => {
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowBundle, replayName: 'saved-histories' }, histories)) {
      replayed++;
      if (result.error) failures.push(`${result.workflowId}.json: ${result.error.name}: ${result.error.message}`);
    }
    expect(replayed).toBe(histories.length);
    expect(failures).toEqual([]);
  });
});
