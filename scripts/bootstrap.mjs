#!/usr/bin/env node
// Runs before every command of the project (`npm start`, `npm test`, `npm run api`, …) with
// nothing but the system's Node, which does nothing else: it provisions the pinned Node.js 24 into
// .tools/node (platform/node-runtime.mjs), installs dependencies with it when package-lock.json
// changed (or node_modules is missing), regenerates the Prisma client when the schema changed, and
// then runs the command it was given on the pinned Node:
//
//   node scripts/bootstrap.mjs                          provision only
//   node scripts/bootstrap.mjs scripts/start.ts [args]  a .ts/.mts/.js/.mjs file: pinned node (with tsx for TypeScript)
//   node scripts/bootstrap.mjs npx vitest run [args]    any other command: run with the pinned Node first on PATH
//
// Quick when nothing changed: one file check, two hashes and two file reads before the command starts.
import { createHash } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensurePinnedNode, pinnedNodeEnv } from '../platform/node-runtime.mjs';
import { workerNodeArgs, workerProcessEnv, workerRuntimeSettings } from '../platform/worker-runtime.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = path.join(root, 'node_modules', '.estate-care-bootstrap.json');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// This script itself only needs a Node that can download and unpack the pinned one.
const [major] = process.versions.node.split('.').map(Number);
if (major < 18) {
  console.error(`Node ${process.versions.node} cannot bootstrap the project: need >= 18 to start (the project then runs on its own Node 24) / Node 版本过低，引导需要 18 以上`);
  process.exit(1);
}

let runtime;
try {
  // ESTATE_CARE_NODE_HOME: where the pinned Node goes instead of .tools (a fresh, empty one in the runtime test).
  runtime = ensurePinnedNode({ toolsDir: process.env.ESTATE_CARE_NODE_HOME ?? path.join(root, '.tools'), log: (m) => console.log(m) });
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
const env = pinnedNodeEnv({ ...runtime, root });

const hash = (...files) => {
  const h = createHash('sha256');
  for (const f of files) h.update(fs.existsSync(path.join(root, f)) ? fs.readFileSync(path.join(root, f)) : '');
  return h.digest('hex');
};
let stamp = {};
try {
  stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
} catch {}

const depsHash = hash('package.json', 'package-lock.json');
if (stamp.deps !== depsHash || !fs.existsSync(path.join(root, 'node_modules', '.bin', 'tsx'))) {
  console.log('Installing dependencies from package-lock.json … / 正在安装依赖 …');
  const t = Date.now();
  // `npm install --no-save` rather than `npm ci`: the lockfile here records only this platform's
  // optional binaries (no resolved URLs), which `npm ci` rejects; --no-save installs the locked
  // versions without rewriting the lockfile. npm itself runs on the pinned Node (first on PATH),
  // so install scripts and engine checks see Node 24.
  execFileSync(npm, ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit', env });
  console.log(`Dependencies installed in ${((Date.now() - t) / 1000).toFixed(1)} s / 依赖安装完成`);
  stamp = { deps: depsHash };
}

const schemaHash = hash('prisma/schema.prisma', 'package-lock.json');
if (stamp.schema !== schemaHash || !fs.existsSync(path.join(root, 'prisma', 'generated', 'client.ts'))) {
  console.log('Generating the Prisma client … / 正在生成 Prisma 客户端 …');
  // `generate` reads the config, whose adapter wants a URL; generation itself never connects.
  execFileSync(runtime.node, [path.join(root, 'node_modules', 'prisma', 'build', 'index.js'), 'generate'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...env, DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://localhost/unused' },
  });
  stamp.schema = schemaHash;
}
// A new file renamed over the old one, never written in place: worktrees whose node_modules are
// hard-linked copies would otherwise all share (and see) this tree's stamp.
fs.writeFileSync(`${stampFile}.${process.pid}`, JSON.stringify(stamp));
fs.renameSync(`${stampFile}.${process.pid}`, stampFile);

const [command, ...args] = process.argv.slice(2);
if (command) run(command, args);

/**
 * Runs the command on the pinned Node and ends as it ends. Signals sent to this process go on to
 * it (Ctrl-C reaches both anyway, as one process group: the scripts handle a second one).
 */
function run(command, args) {
  const script = /\.(c|m)?(t|j)s$/.test(command);
  const tsx = pathToFileURL(path.join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  // The worker (`npm run worker`) starts with its memory settings (platform/worker-runtime.mjs).
  let nodeArgs = [];
  let childEnv = env;
  if (script && path.resolve(command) === path.join(root, 'worker.ts')) {
    let settings;
    try {
      settings = workerRuntimeSettings(env);
    } catch (err) {
      console.error(err.message);
      process.exit(1);
    }
    nodeArgs = workerNodeArgs(settings);
    childEnv = workerProcessEnv(settings, env);
  }
  const child = script
    ? spawn(runtime.node, [...nodeArgs, ...(/\.(c|m)?ts$/.test(command) ? ['--import', tsx] : []), command, ...args], { stdio: 'inherit', env: childEnv })
    : spawn(command, args, { stdio: 'inherit', env });
  const forward = (signal) => () => {
    try {
      child.kill(signal);
    } catch {
      // Gone already.
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward(signal));
  child.on('error', (err) => {
    console.error(`${command}: ${err.message}`);
    process.exit(127);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      // End the same way, so a shell or npm sees the signal.
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });
}
