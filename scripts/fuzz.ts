/**
 * `npm run fuzz`: the longer property-based fuzzing run of the API. It runs the same test as
 * `npm test` does (test/fuzz/openapi.test.ts: its own stack of PostgreSQL, a Temporal dev server,
 * the worker and the API, then schemathesis against /api/openapi.json) with more examples per
 * operation, and ends with the line `schemathesis: N operations, M requests, F failures`.
 *
 *   npm run fuzz                                  # 100 examples per operation, seed 6
 *   npm run fuzz -- --max-examples 300 --seed 7   # longer, or another seed
 *
 * Reports (JUnit XML, the NDJSON event stream with every request and response, the CLI's output,
 * summary.json) are left in test-results/fuzz/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { ensureSchemathesis, ensureTemporalTools, ROOT } from '../platform/tools.js';

const { values } = parseArgs({
  options: {
    'max-examples': { type: 'string', default: '100' },
    seed: { type: 'string', default: '6' },
    // More than one crashed schemathesis on CPython 3.11.7 (see test/fuzz/openapi.test.ts).
    workers: { type: 'string', default: '1' },
  },
});
for (const [k, v] of Object.entries(values))
  if (!/^\d+$/.test(String(v)) || Number(v) < 1) {
    console.error(`--${k} must be a positive integer / 参数须为正整数`);
    process.exit(2);
  }

ensureTemporalTools((m) => console.log('» ' + m));
ensureSchemathesis((m) => console.log('» ' + m));

const summaryFile = path.join(ROOT, 'test-results', 'fuzz', 'summary.json');
fs.rmSync(summaryFile, { force: true });
console.log(`» Fuzzing the API: ${values['max-examples']} examples per operation, seed ${values.seed} / 正在对接口进行模糊测试 …`);
const started = Date.now();
const run = spawnSync(
  process.execPath,
  [path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/fuzz/openapi.test.ts'],
  {
    cwd: ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_ENV: 'test',
      FUZZ_MAX_EXAMPLES: values['max-examples'],
      FUZZ_SEED: values.seed,
      FUZZ_WORKERS: values.workers,
    },
  },
);
const seconds = Math.round((Date.now() - started) / 1000);
if (!fs.existsSync(summaryFile)) {
  console.log(`» The fuzzing run produced no summary (see the output above) / 模糊测试未产生结果; ${seconds} s`);
  console.log('schemathesis: 0 operations, 0 requests, 1 failures');
  process.exit(1);
}
const s = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as {
  operations: number;
  requests: number;
  failures: number;
  errors: string[];
  byClass: Record<string, number>;
};
const failures = s.failures + s.errors.length;
console.log(`» Finished in ${seconds} s; responses ${JSON.stringify(s.byClass)}; reports in test-results/fuzz/ / 用时 ${seconds} 秒`);
console.log(`schemathesis: ${s.operations} operations, ${s.requests} requests, ${failures} failures`);
process.exit(run.status === 0 && failures === 0 ? 0 : 1);
