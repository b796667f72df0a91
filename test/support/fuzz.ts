import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { spawn } from 'node:child_process';
import { SCHEMATHESIS_VERSION } from '../../platform/tools.js';
import type { TestStack } from './stack.js';

/**
 * Property-based fuzzing of the whole API from its own OpenAPI document with schemathesis (PyPI),
 * shared by `test/fuzz/openapi.test.ts` (bounded, part of `npm test`) and `npm run fuzz` (longer).
 *
 * Each operation is sent with the token of one logged-in user whose role holds the operation's
 * permission (the document's `x-permission` / `x-roles`), so requests reach the handlers instead
 * of stopping at 403. Real records (cases, an escalation, leads, sales, a pending sale approval)
 * are made first and offered to the generator as dictionaries for ids, next to random ones.
 * The run's NDJSON event stream is the record of every request and every check.
 */

/** What every response is held to (see `schemathesis run --help`). */
export const FUZZ_CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
] as const;

/**
 * Who fuzzes, in order of preference: an operation goes to the first whose role may call it.
 * Agents open cases and record callbacks, the project supervisor works and escalates them, the
 * sales manager has every lead and sale action, the group administrator the settings and master
 * data. Between them every permission of domain/access.ts is held.
 */
export const FUZZ_USERS = ['agent.project', 'supervisor.project', 'salesmgr.project', 'admin'] as const;

export interface FuzzOptions {
  /** Test cases per operation and phase (`--max-examples`). */
  maxExamples: number;
  seed: number;
  /** Concurrent requests (`--workers`). */
  workers: number;
  /** Where the generated config, the reports and the CLI's output go. */
  reportDir: string;
  cli: string;
  /**
   * Kills the CLI when its event stream (the ndjson report, one event per scenario step) has not
   * grown for this long: the run is bounded by its work (`maxExamples`), and a hung run must fail,
   * not stall the suite, however slow a loaded machine makes a healthy one.
   */
  stallMs: number;
  /** A cap on the whole run, never meant to be reached. */
  timeoutMs: number;
  log?: (line: string) => void;
}

export interface FuzzFailure {
  operation: string;
  check: string;
  status: number | null;
  message: string;
}

export interface FuzzSummary {
  command: string;
  version: string;
  seed: number;
  maxExamples: number;
  /** Operations in the document, and those that received at least one request. */
  documented: number;
  operations: number;
  untested: string[];
  requests: number;
  /** Responses by status class ("2xx", "4xx", …) and by status. */
  byClass: Record<string, number>;
  byStatus: Record<string, number>;
  /** Failed checks (one per request and check), their distinct kinds, and errors of the run itself. */
  failures: number;
  distinctFailures: FuzzFailure[];
  errors: string[];
  junit: { tests: number; failures: number; errors: number };
  exitCode: number | null;
  seconds: number;
  usersByOperation: Record<string, string>;
}

interface Operation {
  name: string;
  method: string;
  path: string;
  roles: string[] | null;
  pathParams: string[];
  queryParams: string[];
  bodyFields: string[];
}

type OpenApiDoc = {
  paths: Record<string, Record<string, any>>;
  components?: { schemas?: Record<string, any> };
};

function operationsOf(doc: OpenApiDoc): Operation[] {
  const schemas = doc.components?.schemas ?? {};
  const resolve = (s: any): any => (s?.$ref ? schemas[String(s.$ref).split('/').pop()!] : s);
  /** Top-level and one level of nested body fields, as schemathesis binding paths (`customer.phone`). */
  const fields = (s: any, prefix = '', depth = 0): string[] => {
    s = resolve(s);
    if (!s?.properties) return [];
    return Object.entries<any>(s.properties).flatMap(([k, v]) => [prefix + k, ...(depth < 1 ? fields(v, `${prefix}${k}.`, depth + 1) : [])]);
  };
  const ops: Operation[] = [];
  for (const [p, methods] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(methods)) {
      const params: { in: string; name: string }[] = op.parameters ?? [];
      ops.push({
        name: `${method.toUpperCase()} ${p}`,
        method,
        path: p,
        roles: op['x-roles'] ?? null,
        pathParams: params.filter((x) => x.in === 'path').map((x) => x.name),
        queryParams: params.filter((x) => x.in === 'query').map((x) => x.name),
        bodyFields: fields(op.requestBody?.content?.['application/json']?.schema),
      });
    }
  return ops;
}

async function api(stack: TestStack, token: string, method: string, p: string, json?: unknown): Promise<any> {
  const res = await fetch(`${stack.baseUrl}${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`fuzz fixture ${method} ${p}: ${res.status} ${text}`);
  return JSON.parse(text);
}

/** Real records for the generator to act on: every id kind an operation takes. */
async function makeFixtures(stack: TestStack, tokens: Map<string, string>): Promise<Record<string, string[]>> {
  const { db } = stack;
  const agent = tokens.get('agent.project')!;
  const supervisor = tokens.get('supervisor.project')!;
  const salesmgr = tokens.get('salesmgr.project')!;
  const bjhy = await db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } });
  const freeUnits = await db.unit.findMany({ where: { projectId: bjhy.id, ownerCustomerId: null }, orderBy: [{ floor: 'asc' }, { number: 'asc' }], take: 12 });
  const customers = await db.customer.findMany({ take: 10, orderBy: { createdAt: 'asc' } });
  const phones = Array.from({ length: 12 }, (_, i) => `1370000${String(1000 + i)}`);

  const cases: string[] = [];
  for (const [i, severity] of (['minor', 'minor', 'minor', 'major'] as const).entries()) {
    const c = await api(stack, agent, 'POST', '/api/cases', {
      type: 'complaint',
      projectId: bjhy.id,
      customer: { name: `模糊测试客户${i}`, phone: phones[i] },
      category: 'complaint.quality.leakage',
      severity,
      channel: 'phone',
      description: '卫生间天花板渗水 / bathroom ceiling leaks',
    });
    cases.push(c.id);
  }
  await api(stack, supervisor, 'POST', `/api/cases/${cases[0]}/escalations`, { reason: '业主要求公司介入' });
  // The escalation row is projected by an activity: wait for it.
  let escalations: string[] = [];
  for (let i = 0; i < 100 && escalations.length === 0; i++) {
    escalations = (await db.caseEscalation.findMany({ select: { id: true } })).map((e) => e.id);
    if (!escalations.length) await new Promise((r) => setTimeout(r, 100));
  }

  const leads: string[] = [];
  for (const [i, grade] of (['A', 'B', 'C'] as const).entries()) {
    const l = await api(stack, salesmgr, 'POST', '/api/leads', {
      projectId: bjhy.id,
      customer: { name: `模糊测试潜客${i}`, phone: phones[4 + i] },
      source: 'walk_in',
      grade,
    });
    leads.push(l.id);
  }
  const sales: string[] = [];
  for (const [i, paymentMethod] of (['full', 'mortgage', 'full'] as const).entries()) {
    const s = await api(stack, salesmgr, 'POST', '/api/sales', {
      customerId: customers[i % customers.length]!.id,
      unitId: freeUnits[i]!.id,
      price: '2350000',
      deposit: '50000',
      paymentMethod,
    });
    sales.push(s.id);
  }
  const cancelled = await api(stack, salesmgr, 'POST', `/api/sales/${sales[2]}/cancel`, { reason: '客户资金安排变化' });
  const approvals = ((cancelled.approvals ?? []) as Array<{ id: string }>).map((a) => a.id);

  const fuzzUsers = new Set<string>(FUZZ_USERS);
  const users = await db.user.findMany({ select: { id: true, username: true, role: true } });
  const categories = (await api(stack, supervisor, 'GET', '/api/categories')) as Array<{ code: string }> | { items: Array<{ code: string }> };
  const categoryList = Array.isArray(categories) ? categories : categories.items;
  return {
    cases,
    escalations,
    leads,
    sales,
    approvals,
    projects: (await db.project.findMany({ select: { id: true } })).map((p) => p.id),
    companies: (await db.company.findMany({ select: { id: true } })).map((c) => c.id),
    buildings: (await db.building.findMany({ select: { id: true } })).map((b) => b.id),
    units: freeUnits.map((u) => u.id),
    customers: customers.map((c) => c.id),
    phones: phones.slice(8),
    categories: categoryList.map((c) => c.code),
    // Anyone may be named as an assignee or owner; the fuzzer edits only users it does not log in as,
    // so that deactivating one (PATCH active=false) does not end the run's own sessions.
    staff: users.map((u) => u.id),
    otherUsers: users.filter((u) => !fuzzUsers.has(u.username)).map((u) => u.id),
    emails: (await db.emailMessage.findMany({ select: { id: true }, take: 5 })).map((e) => e.id),
  };
}

/** Which dictionary an `{id}` path parameter draws from, by the collection it addresses. */
const PATH_ID_DICTIONARY: [RegExp, string][] = [
  [/^\/api\/cases\//, 'cases'],
  [/^\/api\/escalations\//, 'escalations'],
  [/^\/api\/leads\//, 'leads'],
  [/^\/api\/sales\//, 'sales'],
  [/^\/api\/customers\//, 'customers'],
  [/^\/api\/projects\//, 'projects'],
  [/^\/api\/users\//, 'otherUsers'],
  [/^\/api\/outbox\//, 'emails'],
];
/** Which dictionary a named query parameter or body field (its last segment) draws from. */
const FIELD_DICTIONARY: Record<string, string> = {
  projectId: 'projects',
  companyId: 'companies',
  buildingId: 'buildings',
  unitId: 'units',
  customerId: 'customers',
  referrerCustomerId: 'customers',
  caseId: 'cases',
  leadId: 'leads',
  assigneeId: 'staff',
  ownerId: 'staff',
  openedBy: 'staff',
  category: 'categories',
  phone: 'phones',
};
/** Half the time a known record, half the time whatever the generator makes of the schema. */
const KNOWN_ID_PROBABILITY = 0.5;

const toml = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(toml).join(', ')}]`
    : v !== null && typeof v === 'object'
      ? `{ ${Object.entries(v)
          .map(([k, x]) => `${JSON.stringify(k)} = ${toml(x)}`)
          .join(', ')} }`
      : JSON.stringify(v);

function bindingsOf(op: Operation, dictionaries: Record<string, string[]>): Record<string, { dictionary: string; probability: number }> {
  const out: Record<string, { dictionary: string; probability: number }> = {};
  const bind = (key: string, dictionary: string | undefined) => {
    if (dictionary && dictionaries[dictionary]?.length) out[key] = { dictionary, probability: KNOWN_ID_PROBABILITY };
  };
  for (const p of op.pathParams)
    bind(`path.${p}`, p === 'approvalId' ? 'approvals' : p === 'id' ? PATH_ID_DICTIONARY.find(([re]) => re.test(op.path))?.[1] : undefined);
  for (const q of op.queryParams) bind(`query.${q}`, FIELD_DICTIONARY[q]);
  for (const f of op.bodyFields) bind(`body.${f}`, FIELD_DICTIONARY[f.split('.').pop()!]);
  return out;
}

/**
 * Logs the fuzzing users in, makes the fixtures, writes the schemathesis config and runs the CLI
 * against the stack's own document. Resolves with what the run's reports say.
 */
export async function fuzzOpenApi(stack: TestStack, opts: FuzzOptions): Promise<FuzzSummary> {
  const log = opts.log ?? (() => undefined);
  fs.rmSync(opts.reportDir, { recursive: true, force: true });
  fs.mkdirSync(opts.reportDir, { recursive: true });
  const started = Date.now();

  const doc = (await (await fetch(`${stack.baseUrl}/api/openapi.json`)).json()) as OpenApiDoc;
  const operations = operationsOf(doc);
  const tokens = new Map<string, string>();
  const roles = new Map<string, string>();
  for (const u of FUZZ_USERS) {
    const token = await stack.login(u);
    tokens.set(u, token);
    roles.set(u, (await api(stack, token, 'GET', '/api/auth/me')).role);
  }
  const dictionaries = await makeFixtures(stack, tokens);

  const usersByOperation: Record<string, string> = {};
  const env: Record<string, string> = {};
  const lines: string[] = [
    `# Generated by test/support/fuzz.ts for one run; tokens come from the environment.`,
    '',
    // Its own sign-up (POST /api/users, then login) would put a user of the generator's choosing in
    // place of the tokens chosen per operation below.
    '[auth]',
    'auto-signup = false',
    '',
  ];
  for (const [name, values] of Object.entries(dictionaries))
    if (values.length) lines.push(`[dictionaries.${name}]`, `values = ${toml(values)}`, '');
  FUZZ_USERS.forEach((u, i) => (env[`FUZZ_TOKEN_${i}`] = tokens.get(u)!));
  for (const op of operations) {
    // Public operations (login) go without a token. Login is fuzzed as it is, nothing excluded: a
    // lockout (423, documented) can only hit accounts whose names the fuzzer learnt (users it created
    // itself, chained into login by the stateful phase), and it does not revoke the tokens in use.
    const user = op.roles ? FUZZ_USERS.find((u) => op.roles!.includes(roles.get(u)!)) : undefined;
    if (op.roles && !user) throw new Error(`No fuzzing user may call ${op.name} (roles ${op.roles.join(', ')}): add one to FUZZ_USERS`);
    usersByOperation[op.name] = user ?? 'public';
    const parameters = bindingsOf(op, dictionaries);
    if (!user && !Object.keys(parameters).length) continue; // schemathesis refuses a block that sets nothing
    lines.push('[[operations]]', `include-name = ${toml(op.name)}`);
    if (user) lines.push(`headers = { Authorization = "Bearer \${FUZZ_TOKEN_${FUZZ_USERS.indexOf(user)}}" }`);
    if (Object.keys(parameters).length) lines.push(`parameters = ${toml(parameters)}`);
    lines.push('');
  }
  const configFile = path.join(opts.reportDir, 'schemathesis.toml');
  fs.writeFileSync(configFile, lines.join('\n'));

  const junitFile = path.join(opts.reportDir, 'junit.xml');
  const ndjsonFile = path.join(opts.reportDir, 'events.ndjson');
  const args = [
    '--config-file',
    configFile,
    'run',
    `${stack.baseUrl}/api/openapi.json`,
    '--checks',
    FUZZ_CHECKS.join(','),
    '--mode',
    'all',
    '--seed',
    String(opts.seed),
    '--max-examples',
    String(opts.maxExamples),
    '--workers',
    String(opts.workers),
    '--request-timeout',
    '30',
    // Reproducible from the seed alone: no examples carried over from earlier runs.
    '--generation-database',
    'none',
    '--report',
    'junit,ndjson',
    '--report-junit-path',
    junitFile,
    '--report-ndjson-path',
    ndjsonFile,
    '--no-color',
  ];
  const command = `schemathesis ${args.map((a) => (/[\s"]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`;
  log(`» ${command}`);
  const outputFile = path.join(opts.reportDir, 'output.txt');
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const out = fs.openSync(outputFile, 'w');
    const child = spawn(opts.cli, args, {
      cwd: opts.reportDir,
      env: { ...process.env, ...env, NO_COLOR: '1' },
      stdio: ['ignore', out, out],
    });
    const started = Date.now();
    let why = '';
    const timer = setTimeout(() => {
      why = `after its cap of ${opts.timeoutMs} ms`;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    // Progress: the event stream's size, checked every few seconds; shown each minute.
    let size = -1;
    let grewAt = Date.now();
    let shownAt = Date.now();
    const watch = setInterval(() => {
      let now = 0;
      try {
        now = fs.statSync(ndjsonFile).size;
      } catch {
        // Not written yet.
      }
      if (now !== size) {
        size = now;
        grewAt = Date.now();
      } else if (Date.now() - grewAt > opts.stallMs) {
        why = `with no progress for ${opts.stallMs} ms (${Math.round((Date.now() - started) / 1000)} s into the run)`;
        child.kill('SIGKILL');
      }
      if (Date.now() - shownAt >= 60_000) {
        shownAt = Date.now();
        log(`  … schemathesis ${Math.round((Date.now() - started) / 1000)} s: ${(size / 1e6).toFixed(1)} MB of events`);
      }
    }, 5_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      clearInterval(watch);
      fs.closeSync(out);
      if (signal) reject(new Error(`schemathesis killed (${signal}) ${why || 'from outside'}; output in ${outputFile}`));
      else resolve(code);
    });
  });

  const summary = await readReports({ ndjsonFile, junitFile, outputFile });
  const tested = new Set(summary.tested);
  const untested = operations.map((o) => o.name).filter((n) => !tested.has(n));
  return {
    command,
    version: SCHEMATHESIS_VERSION,
    seed: opts.seed,
    maxExamples: opts.maxExamples,
    documented: operations.length,
    operations: operations.length - untested.length,
    untested,
    requests: summary.requests,
    byClass: summary.byClass,
    byStatus: summary.byStatus,
    failures: summary.failures,
    distinctFailures: summary.distinctFailures,
    errors: summary.errors,
    junit: summary.junit,
    exitCode,
    seconds: Math.round((Date.now() - started) / 1000),
    usersByOperation,
  };
}

async function readReports(files: { ndjsonFile: string; junitFile: string; outputFile: string }) {
  if (!fs.existsSync(files.ndjsonFile))
    throw new Error(`schemathesis wrote no report; its output:\n${fs.readFileSync(files.outputFile, 'utf8').slice(-4000)}`);
  let requests = 0;
  let failures = 0;
  const byStatus: Record<string, number> = {};
  const byClass: Record<string, number> = {};
  const tested = new Set<string>();
  const distinct = new Map<string, FuzzFailure>();
  const errors: string[] = [];
  const lines = readline.createInterface({ input: fs.createReadStream(files.ndjsonFile), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    const event = JSON.parse(line);
    if (event.NonFatalError) errors.push(`${event.NonFatalError.label}: ${event.NonFatalError.value?.type} ${event.NonFatalError.value?.message}`);
    if (event.FatalError) errors.push(`fatal: ${JSON.stringify(event.FatalError).slice(0, 500)}`);
    const recorder = event.ScenarioFinished?.recorder;
    if (!recorder) continue;
    const cases: Record<string, { value: { method: string; path: string } }> = recorder.cases ?? {};
    for (const [id, interaction] of Object.entries<any>(recorder.interactions ?? {})) {
      const status: number | undefined = interaction.response?.status_code;
      if (status === undefined) continue;
      requests++;
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      byClass[`${String(status)[0]}xx`] = (byClass[`${String(status)[0]}xx`] ?? 0) + 1;
      const c = cases[id]?.value;
      if (c) tested.add(`${c.method.toUpperCase()} ${c.path}`);
    }
    for (const [id, checks] of Object.entries<any[]>(recorder.checks ?? {}))
      for (const check of checks) {
        if (check.status !== 'failure') continue;
        failures++;
        const f = check.failure_info?.failure ?? {};
        const status = recorder.interactions?.[id]?.response?.status_code ?? null;
        const operation = f.operation ?? recorder.label;
        const key = `${operation}|${check.name}|${status}|${f.title}`;
        if (!distinct.has(key)) distinct.set(key, { operation, check: check.name, status, message: `${f.title ?? ''}: ${String(f.message ?? '').slice(0, 600)}` });
      }
  }
  const junitXml = fs.existsSync(files.junitFile) ? fs.readFileSync(files.junitFile, 'utf8') : '';
  const attr = (name: string) => Number(new RegExp(`<testsuites[^>]*\\b${name}="(\\d+)"`).exec(junitXml)?.[1] ?? NaN);
  return {
    requests,
    failures,
    byStatus,
    byClass,
    tested: [...tested],
    distinctFailures: [...distinct.values()],
    errors,
    junit: { tests: attr('tests'), failures: attr('failures'), errors: attr('errors') },
  };
}

/** The one line both the test and `npm run fuzz` end with. */
export function summaryLine(s: FuzzSummary): string {
  return `schemathesis: ${s.operations} operations, ${s.requests} requests, ${s.failures + s.errors.length} failures`;
}
