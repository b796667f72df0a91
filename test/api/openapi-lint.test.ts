import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiDocument } from '../../api/app.js';
import type { ApiDeps } from '../../api/context.js';
import { OPERATION_VERBS } from '../../api/http/route.js';
import { loadConfig } from '../../platform/config.js';
import { ROOT } from '../../platform/tools.js';
import { recordFigures } from '../support/figures.js';

/**
 * Issue 12, "One contract": the OpenAPI document names every operation (`operationId`, the method
 * names of generated clients) and passes Redocly's recommended rules with no error. The document is
 * built in-process, as `/api/openapi.json` serves it, and linted by the Redocly CLI with the
 * repository's redocly.yaml — offline: no telemetry, no update check.
 */

// Route registration reads the configuration (the codec's keys) and keeps the rest for the handlers,
// which the linter never calls. `db` must be an object: routes that take an Idempotency-Key
// (`idempotencyDb: db`) document their header and their 409/422 by it.
const deps = { config: loadConfig({ NODE_ENV: 'test' }), db: {}, temporal: {}, mailer: {}, logger: {} } as unknown as ApiDeps;

const REDOCLY_CLI = path.join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
const REDOCLY_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', '@redocly', 'cli', 'package.json'), 'utf8')) as { version: string }).version;

interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer?: string }[];
}
interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: LintProblem[];
}

type Operation = { operationId?: string; summary?: string };
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

let document: ReturnType<typeof buildApiDocument>;
let operations: { name: string; operationId: string | undefined }[];
let dir: string;

beforeAll(() => {
  document = buildApiDocument(deps);
  operations = Object.entries(document.paths ?? {}).flatMap(([p, item]) =>
    Object.entries(item as Record<string, Operation>)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ name: `${method.toUpperCase()} ${p}`, operationId: op.operationId })),
  );
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-lint-'));
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function lint(doc: unknown): Promise<LintReport> {
  const file = path.join(dir, 'openapi.json');
  fs.writeFileSync(file, JSON.stringify(doc, null, 2));
  const run = promisify(execFile);
  // Exit code 1 when the document has errors: the JSON report is on stdout either way.
  const { stdout } = await run(process.execPath, [REDOCLY_CLI, 'lint', file, '--config', path.join(ROOT, 'redocly.yaml'), '--format=json'], {
    cwd: dir,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
  }).catch((err: { stdout?: string; stderr?: string }) => {
    if (!err.stdout) throw new Error(`redocly lint gave no report: ${err.stderr ?? String(err)}`);
    return { stdout: err.stdout };
  });
  return JSON.parse(stdout) as LintReport;
}

const byRule = (problems: LintProblem[]) =>
  Object.entries(
    problems.reduce<Record<string, number>>((n, p) => ({ ...n, [p.ruleId]: (n[p.ruleId] ?? 0) + 1 }), {}),
  ).map(([rule, n]) => `${rule} ×${n}`);

describe('operation names', () => {
  it('gives every operation an operationId', () => {
    expect(operations.length).toBeGreaterThan(70);
    expect(operations.filter((o) => !o.operationId).map((o) => o.name)).toEqual([]);
  });

  it('names each operation once', () => {
    const seen = new Map<string, string[]>();
    for (const o of operations) seen.set(o.operationId!, [...(seen.get(o.operationId!) ?? []), o.name]);
    expect([...seen].filter(([, names]) => names.length > 1)).toEqual([]);
  });

  it('spells each name camelCase, a verb then its object (openCase, listCases, approveEscalation)', () => {
    const verbObject = new RegExp(`^(${OPERATION_VERBS.join('|')})([A-Z][a-z0-9]*)+$`);
    expect(operations.filter((o) => !verbObject.test(o.operationId ?? '')).map((o) => `${o.name}: ${o.operationId}`)).toEqual([]);
  });
});

describe('Redocly recommended rules', () => {
  it('find no error in the document', async () => {
    const report = await lint(document);
    const errors = report.problems.filter((p) => p.severity === 'error');
    const warnings = report.problems.filter((p) => p.severity === 'warn');
    recordFigures('openapi-lint', {
      title: `OpenAPI document under Redocly ${REDOCLY_VERSION} recommended rules / OpenAPI 文档规范检查`,
      lines: [
        `${operations.length} operations, ${new Set(operations.map((o) => o.operationId)).size} distinct operationIds`,
        `${report.totals.errors} errors, ${report.totals.warnings} warnings${warnings.length ? ` (${byRule(warnings).join(', ')})` : ''}`,
      ],
    });
    expect(errors.map((e) => `${e.ruleId} at ${e.location[0]?.pointer ?? '?'}: ${e.message}`)).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });

  it('would report an operation that declares no security', async () => {
    // The linter really reads this document: the same document with login's `security: []` removed fails.
    const broken = structuredClone(document) as unknown as { paths: Record<string, Record<string, { security?: unknown }>> };
    delete broken.paths['/api/auth/login']!.post!.security;
    const report = await lint(broken);
    expect(report.problems.filter((p) => p.severity === 'error').map((p) => p.ruleId)).toEqual(['security-defined']);
  });
});
