import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../platform/tools.js';
import { installPinnedNode, PINNED_NODE_VERSION, pinnedNodeHome } from '../../platform/node-runtime.mjs';

/**
 * The project runs on its own pinned Node.js 24 (platform/node-runtime.mjs), never on the
 * system's (Node 20 on these machines, end of life since April 2026): `npm test` runs this file
 * through scripts/bootstrap.mjs, so every assertion here fails on any other Node.
 */
const PINNED = `v${PINNED_NODE_VERSION}`;
const BOOTSTRAP = path.join(ROOT, 'scripts', 'bootstrap.mjs');
const run = promisify(execFile);
const real = (p: string) => fs.realpathSync(p);
const version = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf8' }).trim();

const scratch: string[] = [];
const scratchDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'estate-care-node-'));
  scratch.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

/** A Node on PATH other than the pinned one: the system's, which only bootstraps. */
function systemNode(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'node');
    if (fs.existsSync(candidate) && real(candidate) !== real(process.execPath)) return candidate;
  }
  return process.execPath;
}

describe('the suite runs on the pinned Node.js 24', () => {
  it('runs this test file on the pinned Node', () => {
    expect(process.version).toBe(PINNED);
    expect(process.env.ESTATE_CARE_NODE, 'npm test sets ESTATE_CARE_NODE (scripts/bootstrap.mjs)').toBeTruthy();
    expect(real(process.execPath)).toBe(real(process.env.ESTATE_CARE_NODE!));
  });

  it('gives the pinned Node to processes started by name: node, npm, npx and the tools of node_modules/.bin', () => {
    expect(version('node', ['-p', 'process.version'])).toBe(PINNED);
    expect(version('tsx', ['-e', 'console.log(process.version)'])).toBe(PINNED);
    expect(version('npx', ['--no-install', 'tsx', '-e', 'console.log(process.version)'])).toBe(PINNED);
    // npm reports the Node it runs on.
    expect((JSON.parse(version('npm', ['version', '--json'])) as { node: string }).node).toBe(PINNED_NODE_VERSION);
  });

  it('loads every native module of the project on it: the Temporal core bridge, argon2, swc, esbuild, rollup', () => {
    const probe = `
      const { Runtime } = require('@temporalio/worker');
      Runtime.instance();
      const argon2 = require('@node-rs/argon2');
      if (!argon2.verifySync(argon2.hashSync('secret'), 'secret')) throw new Error('argon2');
      require('@swc/core').transformSync('const a: number = 1', { jsc: { parser: { syntax: 'typescript' } } });
      require('esbuild').transformSync('let a: number = 1', { loader: 'ts' });
      require('rollup');
      console.log(process.version);
    `;
    expect(version(process.execPath, ['-e', probe])).toBe(PINNED);
  });
});

describe('a fresh clone gets the pinned Node', () => {
  it('installs it into an empty tools folder once, even with two bootstraps racing, and runs scripts and commands on it', async () => {
    const home = scratchDir();
    const env: NodeJS.ProcessEnv = { ...process.env, ESTATE_CARE_NODE_HOME: home };
    delete env.ESTATE_CARE_NODE;
    // The PATH of a fresh shell: without the pinned Node this run put first.
    env.PATH = (env.PATH ?? '').split(path.delimiter).filter((d) => !d.startsWith(path.dirname(pinnedNodeHome(path.join(ROOT, '.tools'))))).join(path.delimiter);
    const probe = path.join(home, 'probe.ts');
    fs.writeFileSync(
      probe,
      `import { execFileSync } from 'node:child_process';
       const child: string = execFileSync('node', ['-p', 'process.version'], { encoding: 'utf8' }).trim();
       console.log(JSON.stringify({ version: process.version, execPath: process.execPath, child }));`,
    );
    const bootstrapper = systemNode();
    const runs = await Promise.all([1, 2].map(() => run(bootstrapper, [BOOTSTRAP, probe], { cwd: ROOT, env, timeout: 240_000 })));

    for (const r of runs) {
      const seen = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { version: string; execPath: string; child: string };
      expect(seen.version).toBe(PINNED);
      expect(seen.child).toBe(PINNED);
      expect(real(seen.execPath)).toBe(real(path.join(pinnedNodeHome(home), 'bin', 'node')));
    }
    expect(runs.some((r) => r.stdout.includes(`Installing Node.js ${PINNED_NODE_VERSION}`))).toBe(true);
    // One finished install, no partial copy left behind.
    expect(fs.readdirSync(path.join(home, 'node'))).toEqual([path.basename(pinnedNodeHome(home))]);
    const installed = fs.statSync(path.join(pinnedNodeHome(home), 'bin', 'node'));

    // The next start finds it: nothing is downloaded, the same binary runs the command.
    const again = await run(bootstrapper, [BOOTSTRAP, 'node', '-p', 'process.version'], { cwd: ROOT, env });
    expect(again.stdout).not.toContain('Installing Node.js');
    expect(again.stdout.trim().split('\n').at(-1)).toBe(PINNED);
    expect(fs.statSync(path.join(pinnedNodeHome(home), 'bin', 'node')).ino).toBe(installed.ino);
  }, 300_000);

  it('refuses a download whose integrity is not the pinned one, and installs nothing', () => {
    const home = scratchDir();
    expect(() => installPinnedNode({ toolsDir: home, integrity: 'sha512-not-the-pinned-one', log: () => undefined })).toThrow(/integrity/);
    expect(fs.existsSync(pinnedNodeHome(home))).toBe(false);
    expect(fs.readdirSync(path.join(home, 'node'))).toEqual([]);
  }, 120_000);

  const other = systemNode();
  const otherVersion = version(other, ['-p', 'process.version']);
  it.skipIf(otherVersion.startsWith('v24.'))('refuses ESTATE_CARE_NODE naming a Node of another major version', async () => {
    const r = await run(process.execPath, [BOOTSTRAP], { cwd: ROOT, env: { ...process.env, ESTATE_CARE_NODE: other } }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => err,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`is Node ${otherVersion}; the project runs on Node 24`);
  });
});
