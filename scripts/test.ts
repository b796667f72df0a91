/**
 * `npm test`: provisions what the suite needs (Debian's PostgreSQL server and Chromium, the pinned
 * Temporal binaries and schemathesis, Debian's nginx, SeaweedFS, the console build), type-checks, runs every vitest file, and ends with the
 * plain line `N passed, N failed` so a run that executed nothing is visible.
 * Extra arguments go to vitest: `npm test -- test/api`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { ensureNginx, ensureSchemathesis, ensureSeaweedFs, ensureTemporalTools, ROOT } from '../platform/tools.js';
import { buildConsoleIfStale } from './console-build.js';
import { FIGURES_DIR, readFigures } from '../test/support/figures.js';

const say = (en: string, zh: string) => console.log(`» ${en} / ${zh}`);

const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

function hasPostgresServer(): boolean {
  const root = '/usr/lib/postgresql';
  return fs.existsSync(root) && fs.readdirSync(root).some((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')));
}

function ensureSystemPackages() {
  const missing: string[] = [];
  if (!hasPostgresServer()) missing.push('postgresql');
  if (!fs.existsSync('/usr/bin/chromium')) missing.push('chromium');
  // Chinese glyphs for the browser tests' screenshots (without a CJK font every character is a box).
  if (!fs.existsSync(CJK_FONT)) missing.push('fonts-noto-cjk');
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    console.error(`Missing Debian packages: ${missing.join(' ')}. Install them: sudo apt-get install -y ${missing.join(' ')} / 缺少系统软件包`);
    process.exit(1);
  }
  say(`Installing Debian packages: ${missing.join(', ')} …`, `正在安装系统软件包：${missing.join('、')} …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
}

function typecheck(): boolean {
  say('Type-checking …', '正在进行类型检查 …');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  return r.status === 0;
}

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numFailedTestSuites: number;
  testResults: { name: string; status: string; assertionResults: unknown[]; message?: string }[];
}

async function main() {
  const started = Date.now();
  // The S3-compatible server of test/integration/blob-store.test.ts, built from source once per
  // machine (minutes): started first and awaited just before the suite, so the build runs while
  // everything below is prepared rather than after it.
  const seaweedFs = ensureSeaweedFs((m) => console.log('» ' + m));
  seaweedFs.catch(() => {}); // awaited (and reported) below
  ensureSystemPackages();
  ensureTemporalTools((m) => console.log('» ' + m));
  // The API fuzzer of test/fuzz: installed here so its download is not timed inside a test hook.
  ensureSchemathesis((m) => console.log('» ' + m));
  // The reverse proxy of the scale-out fault test (Debian's package unpacked into .tools/nginx).
  ensureNginx((m) => console.log('» ' + m));
  await buildConsoleIfStale((m) => console.log('» ' + m));
  const typesOk = typecheck();
  try {
    await seaweedFs;
  } catch (err) {
    // The blob store test then tries once more and fails with the reason: the run goes on.
    console.log(`» SeaweedFS build failed / SeaweedFS 构建失败: ${(err as Error).message}`);
  }

  const results = path.join(ROOT, 'test-results', 'vitest.json');
  fs.rmSync(results, { force: true });
  fs.rmSync(FIGURES_DIR, { recursive: true, force: true });
  say('Running the test suite …', '正在运行测试 …');
  const run = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`, ...process.argv.slice(2)],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
  );

  let passed = 0;
  let failed = 0;
  let skipped = 0;
  if (fs.existsSync(results)) {
    const r = JSON.parse(fs.readFileSync(results, 'utf8')) as VitestJson;
    passed = r.numPassedTests;
    failed = r.numFailedTests;
    skipped = r.numPendingTests + r.numTodoTests;
    // A file that fails to load runs no test; count it as a failure rather than let it vanish.
    const brokenFiles = r.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0);
    failed += brokenFiles.length;
    for (const f of brokenFiles) console.log(`» Test file failed to run / 测试文件无法运行: ${path.relative(ROOT, f.name)}`);
  } else {
    failed += 1;
    console.log('» vitest produced no results / 测试未产生结果');
  }
  if (typesOk) passed += 1;
  else {
    failed += 1;
    console.log('» Type check failed / 类型检查失败');
  }
  const figures = readFigures();
  if (figures.length > 0) {
    say('Figures measured by this run', '本次运行测得的数据');
    for (const f of figures) {
      console.log(`  ${f.title}`);
      for (const line of f.lines) console.log(`      ${line}`);
    }
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`» Finished in ${seconds} s (type check counted as one test${skipped ? `; ${skipped} skipped` : ''}) / 用时 ${seconds} 秒`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(failed === 0 && run.status === 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
