import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../platform/config.js';
import { missingWorkerRuntime, WORKER_RUNTIME_DEFAULTS, workerNodeArgs, workerProcessEnv, workerRuntimeSettings } from '../../../platform/worker-runtime.mjs';

/**
 * Issue 14 item 5: the worker process is launched with a bounded V8 young generation and few
 * glibc arenas (on Node 24, 10,000 waiting leads took 914 MiB without them; bench/README.md).
 * The settings are read twice — by platform/config.ts (validated, documented) and by the
 * launchers' plain-JS module — and must agree.
 */
let dataDir: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'estate-care-worker-runtime-'));
});
afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the worker process launch settings', () => {
  it('default to 8 MiB semi-spaces and 2 malloc arenas, the same in the configuration and in the launchers', () => {
    expect(WORKER_RUNTIME_DEFAULTS).toEqual({ maxSemiSpaceMiB: 8, mallocArenaMax: 2 });
    expect(workerRuntimeSettings({})).toEqual(WORKER_RUNTIME_DEFAULTS);
    expect(loadConfig({ DATA_DIR: dataDir }).worker).toEqual({ maxCachedWorkflows: 150, runtime: WORKER_RUNTIME_DEFAULTS });
  });

  it('are read from WORKER_MAX_SEMI_SPACE_MIB and WORKER_MALLOC_ARENA_MAX alike by both', () => {
    for (const env of [
      { WORKER_MAX_SEMI_SPACE_MIB: '16', WORKER_MALLOC_ARENA_MAX: '4' },
      { WORKER_MAX_SEMI_SPACE_MIB: '0', WORKER_MALLOC_ARENA_MAX: '0' },
      { WORKER_MAX_SEMI_SPACE_MIB: '', WORKER_MALLOC_ARENA_MAX: '1' },
    ]) {
      expect(loadConfig({ DATA_DIR: dataDir, ...env }).worker.runtime).toEqual(workerRuntimeSettings(env));
    }
    expect(workerRuntimeSettings({ WORKER_MAX_SEMI_SPACE_MIB: '16', WORKER_MALLOC_ARENA_MAX: '4' })).toEqual({ maxSemiSpaceMiB: 16, mallocArenaMax: 4 });
  });

  it('refuse what is not a whole number from 0 to 1024, naming the setting, in both', () => {
    for (const [key, value] of [
      ['WORKER_MAX_SEMI_SPACE_MIB', 'big'],
      ['WORKER_MAX_SEMI_SPACE_MIB', '-1'],
      ['WORKER_MALLOC_ARENA_MAX', '2.5'],
      ['WORKER_MALLOC_ARENA_MAX', '2000'],
    ] as const) {
      expect(() => loadConfig({ DATA_DIR: dataDir, [key]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ DATA_DIR: dataDir, [key]: value })).toThrow(new RegExp(key));
      expect(() => workerRuntimeSettings({ [key]: value })).toThrow(new RegExp(`^${key}=`));
    }
  });

  it('become a Node option before the script and MALLOC_ARENA_MAX in the environment; 0 leaves the runtime its default', () => {
    const env = { PATH: '/bin', MALLOC_ARENA_MAX: '8' };
    expect(workerNodeArgs({ maxSemiSpaceMiB: 8, mallocArenaMax: 2 })).toEqual(['--max-semi-space-size=8']);
    expect(workerProcessEnv({ maxSemiSpaceMiB: 8, mallocArenaMax: 2 }, env)).toEqual({ PATH: '/bin', MALLOC_ARENA_MAX: '2' });
    expect(workerNodeArgs({ maxSemiSpaceMiB: 0, mallocArenaMax: 0 })).toEqual([]);
    expect(workerProcessEnv({ maxSemiSpaceMiB: 0, mallocArenaMax: 0 }, env)).toEqual(env);
    expect(env.MALLOC_ARENA_MAX).toBe('8');
  });

  it('are checked by the worker itself: it names what its launch did not apply', () => {
    const settings = { maxSemiSpaceMiB: 8, mallocArenaMax: 2 };
    const applied = { execArgv: ['--max-semi-space-size=8', '--import', 'tsx'], env: { MALLOC_ARENA_MAX: '2' } };
    expect(missingWorkerRuntime(settings, applied)).toEqual([]);
    expect(missingWorkerRuntime(settings, { execArgv: [], env: { NODE_OPTIONS: '--max_semi_space_size=8', MALLOC_ARENA_MAX: '2' } })).toEqual([]);
    expect(missingWorkerRuntime(settings, { execArgv: ['--import', 'tsx'], env: {} })).toEqual(['--max-semi-space-size=8', 'MALLOC_ARENA_MAX=2']);
    expect(missingWorkerRuntime(settings, { execArgv: ['--max-semi-space-size=64'], env: { MALLOC_ARENA_MAX: '2' } })).toEqual(['--max-semi-space-size=8']);
    expect(missingWorkerRuntime({ maxSemiSpaceMiB: 0, mallocArenaMax: 0 }, { execArgv: [], env: {} })).toEqual([]);
  });
});
