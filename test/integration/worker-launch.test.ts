import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../platform/tools.js';
import { freePort } from '../../platform/ports.js';

/**
 * Issue 14 item 5: production's `npm run worker` (scripts/bootstrap.mjs) launches worker.ts with
 * the worker's memory settings (platform/worker-runtime.mjs: `--max-semi-space-size`,
 * MALLOC_ARENA_MAX), seen in /proc as the kernel started it; a worker started by hand says what it
 * lacks. The worker gets nothing to connect to (a closed port) and a prebuilt bundle path, so it
 * reaches its connect retries at once and is stopped there.
 */
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'estate-care-worker-launch-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

async function launch(command: string[], extraEnv: Record<string, string> = {}) {
  const marker = crypto.randomBytes(8).toString('hex');
  const closed = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: scratch,
    DATABASE_URL: `postgresql://nobody:nothing@127.0.0.1:${closed}/none`,
    TEMPORAL_ADDRESS: `127.0.0.1:${closed}`,
    WORKFLOW_BUNDLE_PATH: path.join(scratch, 'no-bundle.js'),
    WORKER_METRICS_PORT: '0',
    LOG_LEVEL: 'info',
    ESTATE_CARE_LAUNCH_PROBE: marker,
    ...extraEnv,
  };
  delete env.MALLOC_ARENA_MAX;
  delete env.NODE_OPTIONS;
  const child = spawn(command[0]!, command.slice(1), { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  try {
    const deadline = Date.now() + 90_000;
    while (!output.includes('Temporal not reachable yet')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the worker did not reach its connect retries:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // The worker's own process: the one with the marker whose command line runs worker.ts with tsx.
    for (const pid of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
      let environ: string[];
      let cmdline: string[];
      try {
        environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
        cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      } catch {
        continue;
      }
      if (environ.includes(`ESTATE_CARE_LAUNCH_PROBE=${marker}`) && cmdline.includes('--import') && cmdline.some((a) => a.endsWith('worker.ts')))
        return { cmdline, environ, output };
    }
    throw new Error(`no worker process found:\n${output}`);
  } finally {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}

describe('the worker process is launched with its memory settings', () => {
  it('by `npm run worker`: --max-semi-space-size=8 before the script, MALLOC_ARENA_MAX=2, and no warning', async () => {
    const { cmdline, environ, output } = await launch([process.execPath, path.join(ROOT, 'scripts', 'bootstrap.mjs'), 'worker.ts']);
    expect(cmdline.indexOf('--max-semi-space-size=8')).toBeGreaterThanOrEqual(0);
    expect(cmdline.indexOf('--max-semi-space-size=8')).toBeLessThan(cmdline.findIndex((a) => a.endsWith('worker.ts')));
    expect(environ).toContain('MALLOC_ARENA_MAX=2');
    expect(output).not.toContain('launched without its memory settings');
  }, 120_000);

  it('with the configured values (WORKER_MAX_SEMI_SPACE_MIB, WORKER_MALLOC_ARENA_MAX), 0 leaving the runtime its default', async () => {
    const { cmdline, environ, output } = await launch([process.execPath, path.join(ROOT, 'scripts', 'bootstrap.mjs'), 'worker.ts'], {
      WORKER_MAX_SEMI_SPACE_MIB: '16',
      WORKER_MALLOC_ARENA_MAX: '0',
    });
    expect(cmdline).toContain('--max-semi-space-size=16');
    expect(environ.some((e) => e.startsWith('MALLOC_ARENA_MAX='))).toBe(false);
    expect(output).not.toContain('launched without its memory settings');
  }, 120_000);

  it('by hand (`tsx worker.ts`): it runs, and warns naming what it lacks', async () => {
    const { cmdline, output } = await launch([process.execPath, '--import', 'tsx', 'worker.ts']);
    expect(cmdline.some((a) => a.startsWith('--max-semi-space-size'))).toBe(false);
    expect(output).toMatch(/Worker launched without its memory settings \(--max-semi-space-size=8 MALLOC_ARENA_MAX=2\)/);
  }, 120_000);
});
