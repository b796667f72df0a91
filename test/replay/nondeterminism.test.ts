import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordFigures } from '../support/figures.js';
import { loadHistories } from './histories.js';

/**
 * The replay check of replay.test.ts must be able to fail. Here the saved histories are replayed
 * against a deliberately non-deterministic change to the complaint-case workflow (a timer added
 * before its first activity, without `patched()`): every recorded complaint case must fail with a
 * determinism violation, the other workflow types must still pass. The same change behind
 * `patched()` replays cleanly.
 */
const histories = loadHistories();
const FIXTURES = path.resolve(import.meta.dirname, 'fixtures');

async function replay(workflowsPath: string) {
  const workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  const results: { file: string; workflowType: string; error?: Error }[] = [];
  for await (const r of Worker.runReplayHistories({ workflowBundle, replayName: path.basename(workflowsPath, '.ts') }, histories)) {
    const saved = histories.find((h) => h.workflowId === r.workflowId)!;
    results.push({ file: saved.file, workflowType: saved.workflowType, ...(r.error ? { error: r.error } : {}) });
  }
  return results;
}

beforeAll(() => {
  try {
    // The core's own warning for each failed replay task would repeat the message below.
    Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { forward: {}, filter: { core: 'ERROR', other: 'ERROR' } } } });
  } catch {
    // Already installed in this process.
  }
});

describe('the replay check', () => {
  it('fails every recorded complaint case against a change made without patched(), and nothing else', async () => {
    const results = await replay(path.join(FIXTURES, 'unpatched-change.ts'));
    expect(results).toHaveLength(histories.length);
    const cases = results.filter((r) => r.workflowType === 'complaintCase');
    expect(cases.length).toBeGreaterThan(0);
    for (const r of cases) {
      expect(r.error, r.file).toBeInstanceOf(DeterminismViolationError);
      expect(r.error!.message, r.file).toMatch(/nondetermin/i);
    }
    expect(results.filter((r) => r.workflowType !== 'complaintCase' && r.error).map((r) => `${r.file}: ${r.error!.message}`)).toEqual([]);
    // Shown once in the test output: what a developer sees when a change breaks running executions.
    const first = cases[0]!;
    recordFigures('replay-nondeterminism', {
      title: 'Determinism: saved histories replayed against a deliberately non-deterministic change / 非确定性变更的回放检查',
      lines: [
        `${histories.length} saved histories; a timer added before the complaint case's first activity without patched(): ${cases.length}/${cases.length} complaint-case histories fail, ${results.length - cases.length} others pass`,
        `${first.file}: ${first.error!.name}: ${first.error!.message.replace(/^.*?(\[TMPRL1100\][^"]*).*$/s, '$1')}`,
      ],
    });
  }, 120_000);

  it('replays every recorded history against the same change behind patched()', async () => {
    const results = await replay(path.join(FIXTURES, 'patched-change.ts'));
    expect(results).toHaveLength(histories.length);
    expect(results.filter((r) => r.error).map((r) => `${r.file}: ${r.error!.message}`)).toEqual([]);
    recordFigures('replay-patched', {
      title: 'Determinism: the same change behind patched() / 使用 patched() 的同一变更',
      lines: [`${results.length}/${histories.length} saved histories replay without error`],
    });
  }, 120_000);
});
