import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Writable } from 'node:stream';
import { WorkflowFailedError } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SEARCH_ATTRIBUTES } from '../../platform/temporal/search-attributes.js';
import { DEFAULT_POLICY } from '../../domain/cases/sla-policy.js';
import { complaintCase } from '../../workflows/index.js';
import type { ComplaintCaseInput } from '../../workflows/cases/complaint-case.defs.js';
import { ENCRYPTED_ENCODING } from '../../platform/temporal/payload-codec.js';
import { call, expectProblem, type Answer } from '../api/http.js';
import { startTestStack, TEST_PAYLOAD_KEY_ID, type TestStack } from '../support/stack.js';

/**
 * Issue 6, "Encrypted workflow data": a case opened and worked through the API, its history then
 * read the way an operator would, with the Temporal CLI straight from the dev server. Neither the
 * customer's name nor phone nor the complaint is in it, in clear or base64; every payload is
 * AES-GCM encrypted under the configured key; the search attributes hold ids and states only; the
 * logs hold none of it. Through the API's codec endpoint a group administrator (and only they)
 * reads the payloads back, and each decode is in the audit trail.
 */
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

const run = promisify(execFile);
const UI_ORIGIN = 'http://127.0.0.1:18233';
const CUSTOMER = { name: '司马青云', phone: '13987654321' };
const DESCRIPTION = '卫生间天花板渗水已三天 / ceiling of the bathroom leaks since Monday';
// A handler's contact note names the customer and repeats the complaint: the free text that does
// reach the workflow (the case's input itself carries ids only).
const NOTE = `已致电${CUSTOMER.name}（${CUSTOMER.phone}）：${DESCRIPTION}`;
const SECRETS = [CUSTOMER.name, CUSTOMER.phone, '139 8765 4321', '卫生间天花板渗水', 'ceiling of the bathroom'];

const logLines: string[] = [];
let stack: TestStack;
const tokens = new Map<string, string>();
let caseId = '';
let workflowId = '';
const as = (user: string, method: string, path: string, json?: unknown, headers?: Record<string, string>): Promise<Answer> =>
  call(stack, method, path, { token: tokens.get(user), json, headers });

/** The Temporal CLI against the stack's dev server, output parsed as JSON. */
async function temporalCli(...args: string[]): Promise<{ text: string; json: any }> {
  const { stdout } = await run(inject('temporalCli'), [...args, '--address', stack.devServer!.address, '--namespace', 'default', '--output', 'json'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return { text: stdout, json: JSON.parse(stdout) };
}

type JsonPayload = { metadata: Record<string, string>; data?: string };
/**
 * Every payload of the data converter in a proto-JSON history: objects carrying
 * `metadata.encoding`, outside search attributes (indexed by the server, so never encrypted; the
 * test below reads them on their own).
 */
function payloadsIn(node: unknown, found: JsonPayload[] = []): JsonPayload[] {
  if (Array.isArray(node)) for (const v of node) payloadsIn(v, found);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.metadata && typeof o.metadata === 'object' && 'encoding' in (o.metadata as object)) found.push(o as JsonPayload);
    else for (const [k, v] of Object.entries(o)) if (k !== 'searchAttributes') payloadsIn(v, found);
  }
  return found;
}
/** Every string in a JSON document, plus what each decodes to as base64: what a reader of the raw history can see. */
function everythingReadable(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') {
    out.push(node);
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(node) && node.length >= 4) out.push(Buffer.from(node, 'base64').toString('utf8'));
  } else if (Array.isArray(node)) for (const v of node) everythingReadable(v, out);
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) everythingReadable(k, out), everythingReadable(v, out);
  return out;
}
const utf8 = (b64: string | undefined) => Buffer.from(b64 ?? '', 'base64').toString('utf8');

beforeAll(async () => {
  const logStream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l.trim()) logLines.push(l);
      done();
    },
  });
  stack = await startTestStack({ seed: true, temporal: true, worker: true, env: { LOG_LEVEL: 'debug', TEMPORAL_CODEC_CORS_ORIGINS: UI_ORIGIN }, logStream });
  for (const u of ['agent.project', 'handler.project', 'admin', 'admin.project', 'manager.group', 'supervisor.group']) tokens.set(u, await stack.login(u));
  const bjhy = (await stack.db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } })).id;
  const opened = await as('agent.project', 'POST', '/api/cases', {
    type: 'complaint',
    projectId: bjhy,
    customer: CUSTOMER,
    category: 'complaint.quality.leakage',
    severity: 'minor',
    channel: 'phone',
    description: DESCRIPTION,
  });
  expect(opened.status, opened.text).toBe(201);
  caseId = opened.body.id;
  workflowId = opened.body.workflowId;
  const contacted = await as('handler.project', 'POST', `/api/cases/${caseId}/contact`, { note: NOTE });
  expect(contacted.status, contacted.text).toBe(200);
  const paused = await as('handler.project', 'POST', `/api/cases/${caseId}/pause`, { reason: `等${CUSTOMER.name}回电` });
  expect(paused.status, paused.text).toBe(200);
}, 180_000);
afterAll(async () => {
  await stack?.close();
}, 60_000);

describe('a failure recorded in a history', () => {
  // A workflow failing on bad input whose message repeats that input (here the customer's phone
  // and the complaint, typed by a careless caller into the case's first-contact target): the
  // message and stack trace are in the history as an encrypted payload, and a client with the
  // codec reads them back.
  const badTarget = `call ${CUSTOMER.phone} about ${DESCRIPTION}`;
  let failedId = '';
  let clientMessage = '';
  beforeAll(async () => {
    const client = await stack.temporal.getClient();
    failedId = `case-encrypted-failure-${Date.now()}`;
    const input: ComplaintCaseInput = {
      caseId: failedId,
      caseNumber: 'CS-ENCRYPTED-FAILURE',
      groupId: stack.seed!.groupId,
      companyId: stack.seed!.companyIds[0]!,
      projectId: stack.seed!.projectIds[0]!,
      type: 'complaint',
      category: 'complaint.quality.leakage',
      severity: 'minor',
      channel: 'phone',
      tier: 'PROJECT',
      assigneeId: null,
      openedBy: 'test',
      policy: { ...DEFAULT_POLICY, firstContact: badTarget },
      calendar: null,
    };
    const handle = await client.workflow.start(complaintCase, { taskQueue: stack.config.temporal.taskQueue, workflowId: failedId, args: [input] });
    const err = await handle.result().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    clientMessage = ((err as WorkflowFailedError).cause as Error).message;
  }, 60_000);

  it('keeps the message and stack trace encrypted, and gives them back to a client with the codec', async () => {
    const { json, text } = await temporalCli('workflow', 'show', '--workflow-id', failedId);
    const failed = json.events.find((e: any) => e.workflowExecutionFailedEventAttributes)?.workflowExecutionFailedEventAttributes;
    expect(failed?.failure?.message).toBe('Encoded failure');
    expect(failed?.failure?.stackTrace ?? '').toBe('');
    expect(utf8(failed?.failure?.encodedAttributes?.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    const readable = everythingReadable(json).join('\n') + text;
    for (const secret of SECRETS) expect(readable.includes(secret), secret).toBe(false);
    expect(clientMessage).toContain(badTarget);
  });
});

describe('a case history read with the Temporal CLI', () => {
  let history: { text: string; json: any };
  beforeAll(async () => {
    history = await temporalCli('workflow', 'show', '--workflow-id', workflowId);
  });

  it('holds every payload encrypted under the configured key (Temporal\'s patch markers name only the patch)', () => {
    // A `patched()` marker is written by the SDK's core, outside the payload codec: its one payload
    // is the patch's id, a constant of the code (case-project-before-waiting), never a record's data.
    const markerPayloads = payloadsIn(history.json.events.filter((e: any) => e.markerRecordedEventAttributes?.markerName === 'core_patch'));
    for (const p of markerPayloads) expect(JSON.parse(utf8(p.data))).toEqual({ id: expect.stringMatching(/^case-[a-z-]+$/), deprecated: false });
    const payloads = payloadsIn(history.json).filter((p) => !markerPayloads.includes(p));
    const encodings = [...new Set(payloads.map((p) => utf8(p.metadata.encoding)))];
    const keyIds = [...new Set(payloads.map((p) => utf8(p.metadata['encryption-key-id'])))];
    console.log(`CLI history of ${workflowId}: ${history.json.events.length} events, ${payloads.length} payloads; encodings ${encodings.join(', ')}; key ids ${keyIds.join(', ')}`);
    // The input, the two updates' arguments and results, every activity's input and result.
    expect(payloads.length).toBeGreaterThanOrEqual(8);
    expect(encodings).toEqual([ENCRYPTED_ENCODING]);
    expect(keyIds).toEqual([TEST_PAYLOAD_KEY_ID]);
    for (const p of payloads) expect(Object.keys(p.metadata).sort()).toEqual(['encoding', 'encryption-key-id']);
  });

  it("finds neither the customer's name nor phone nor the complaint anywhere, in clear or base64", () => {
    const readable = everythingReadable(history.json).join('\n') + history.text;
    for (const secret of SECRETS) expect(readable.includes(secret), secret).toBe(false);
    // The same search finds what is in clear: the check can fail.
    expect(readable).toContain(workflowId);
    expect(readable).toContain('complaintCase');
  });

  it('keeps ids and states only in the search attributes (and no memo)', async () => {
    const described = await temporalCli('workflow', 'describe', '--workflow-id', workflowId);
    const raw = JSON.stringify(described.json);
    for (const secret of SECRETS) expect(everythingReadable(described.json).join('\n').includes(secret), secret).toBe(false);
    expect(raw).not.toMatch(/"memo":\s*\{\s*"fields"/);

    const handle = (await stack.temporal.getClient()).workflow.getHandle(workflowId);
    const attrs = Object.fromEntries((await handle.describe()).typedSearchAttributes.getAll().map((p) => [p.key.name, p.value]));
    const custom = Object.fromEntries(Object.entries(attrs).filter(([k]) => k in SEARCH_ATTRIBUTES));
    expect(custom).toEqual({
      CaseStatus: 'waiting_on_customer',
      CaseTier: 'PROJECT',
      SlaState: 'paused',
      ProjectId: (await stack.db.case.findUniqueOrThrow({ where: { id: caseId } })).projectId,
      CaseType: 'complaint',
      AssigneeId: expect.any(String),
    });
    const assignee = await stack.db.user.findUnique({ where: { id: custom.AssigneeId as string } });
    expect(assignee?.role).toBe('HANDLER');
    for (const value of Object.values(attrs)) for (const secret of SECRETS) expect(JSON.stringify(value)).not.toContain(secret);
  });

  it('decrypts through the codec endpoint for a group administrator: the note and the case number come back', async () => {
    const payloads = payloadsIn(history.json);
    const a = await as('admin', 'POST', '/api/temporal-codec/decode', { payloads }, { 'x-namespace': 'default' });
    expect(a.status, a.text).toBe(200);
    expect(a.body.payloads).toHaveLength(payloads.length);
    const decoded = (a.body.payloads as JsonPayload[]).map((p) => ({ encoding: utf8(p.metadata.encoding), data: utf8(p.data) }));
    expect(decoded.every((p) => p.encoding === 'json/plain' || p.encoding === 'binary/null')).toBe(true);
    const number = (await stack.db.case.findUniqueOrThrow({ where: { id: caseId } })).number;
    const values = decoded.filter((p) => p.encoding === 'json/plain').map((p) => JSON.parse(p.data) as Record<string, unknown> | null);
    expect(values.some((v) => v?.caseNumber === number)).toBe(true);
    expect(values.some((v) => v?.note === NOTE)).toBe(true);
  });

  it('records each decode in the audit trail: who, when, which namespace, how many payloads', async () => {
    const admin = await stack.db.user.findUniqueOrThrow({ where: { username: 'admin' } });
    const before = Date.now();
    // Three of the history's encrypted payloads (the search attributes a case starts with since slim
    // histories are never encoded, and may come first).
    const payloads = payloadsIn(history.json).filter((p) => utf8(p.metadata.encoding) !== 'json/plain').slice(0, 3);
    expect((await as('admin', 'POST', '/api/temporal-codec/decode', { payloads }, { 'x-namespace': 'default' })).status).toBe(200);
    const rows = await stack.db.auditEvent.findMany({ where: { streamId: `temporal-codec:${admin.id}` }, orderBy: { seq: 'asc' } });
    const last = rows.at(-1)!;
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(last).toMatchObject({ type: 'temporal-codec.decoded', actor: admin.id, groupId: admin.groupId });
    expect(last.at.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(last.data).toEqual({ namespace: 'default', origin: null, payloads: 3, encrypted: 3, keyIds: [TEST_PAYLOAD_KEY_ID] });
  });

  it('numbers parallel decodes one after another (the Web UI decodes a history in many requests)', async () => {
    const admin = await stack.db.user.findUniqueOrThrow({ where: { username: 'admin' } });
    const payloads = payloadsIn(history.json).slice(0, 1);
    const before = await stack.db.auditEvent.count({ where: { streamId: `temporal-codec:${admin.id}` } });
    const answers = await Promise.all(Array.from({ length: 12 }, () => as('admin', 'POST', '/api/temporal-codec/decode', { payloads })));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    const rows = await stack.db.auditEvent.findMany({ where: { streamId: `temporal-codec:${admin.id}` }, orderBy: { seq: 'asc' } });
    expect(rows).toHaveLength(before + 12);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
  });

  it('decodes for the Temporal CLI given a bearer token (--codec-endpoint, --codec-auth)', async () => {
    const decoded = await temporalCli(
      'workflow',
      'show',
      '--workflow-id',
      workflowId,
      '--codec-endpoint',
      `${stack.baseUrl}/api/temporal-codec`,
      '--codec-auth',
      `Bearer ${tokens.get('admin')}`,
    );
    // The CLI's JSON keeps payloads as base64 proto JSON: decoded, they read in clear.
    const payloads = payloadsIn(decoded.json);
    expect(payloads.map((p) => utf8(p.metadata.encoding))).not.toContain(ENCRYPTED_ENCODING);
    expect(everythingReadable(decoded.json).join('\n')).toContain(NOTE);
  });

  it('refuses without a token (401), to roles without the permission (403 FORBIDDEN), and to an administrator below group scope', async () => {
    const payloads = payloadsIn(history.json).slice(0, 1);
    expectProblem(await call(stack, 'POST', '/api/temporal-codec/decode', { json: { payloads } }), 401, 'UNAUTHENTICATED');
    for (const user of ['agent.project', 'handler.project', 'manager.group', 'supervisor.group'])
      expectProblem(await as(user, 'POST', '/api/temporal-codec/decode', { payloads }), 403, 'FORBIDDEN');
    expectProblem(await as('admin.project', 'POST', '/api/temporal-codec/decode', { payloads }), 403, 'OUT_OF_SCOPE');
    expectProblem(await as('agent.project', 'POST', '/api/temporal-codec/encode', { payloads }), 403, 'FORBIDDEN');
  });

  it('answers 400 naming the payload whose key is unknown or whose bytes were altered', async () => {
    const [p] = payloadsIn(history.json);
    const otherKey = { ...p!, metadata: { ...p!.metadata, 'encryption-key-id': Buffer.from('retired-2020').toString('base64') } };
    const data = Buffer.from(p!.data!, 'base64');
    data[20]! ^= 1;
    const altered = { ...p!, data: data.toString('base64') };
    const a = await as('admin', 'POST', '/api/temporal-codec/decode', { payloads: [p, otherKey] });
    expectProblem(a, 400, 'VALIDATION_FAILED');
    expect(a.body.errors).toEqual([
      {
        path: 'body.payloads.1',
        code: 'PAYLOAD_UNDECRYPTABLE',
        params: { index: 1, message: expect.stringContaining('"retired-2020"') },
        message: expect.stringContaining('"retired-2020"'),
      },
    ]);
    const b = await as('admin', 'POST', '/api/temporal-codec/decode', { payloads: [altered] });
    expectProblem(b, 400, 'VALIDATION_FAILED');
    expect(b.body.errors[0].message).toMatch(/failed authentication/);
  });

  it('encodes for the Web UI (a signal typed there) under the current key; the result decodes back', async () => {
    const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('{"x":1}').toString('base64') };
    const e = await as('admin', 'POST', '/api/temporal-codec/encode', { payloads: [plain] });
    expect(e.status, e.text).toBe(200);
    expect(utf8(e.body.payloads[0].metadata['encryption-key-id'])).toBe(TEST_PAYLOAD_KEY_ID);
    const d = await as('admin', 'POST', '/api/temporal-codec/decode', { payloads: e.body.payloads });
    expect(d.body.payloads).toEqual([plain]);
  });
});

describe('the Temporal Web UI, another origin', () => {
  const payload = async () => payloadsIn((await temporalCli('workflow', 'show', '--workflow-id', workflowId)).json).slice(0, 1);

  it('gets its preflight answered for its own origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.baseUrl}/api/temporal-codec/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
      });
    const ok = await preflight(UI_ORIGIN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/i);
    const evil = await preflight('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('decodes with the session cookie a group administrator set, and not with a cookie of anyone else', async () => {
    const session = await as('admin', 'POST', '/api/temporal-codec/session');
    expect(session.status, session.text).toBe(200);
    const cookie = session.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^estate_codec=[^;]+; Path=\/api\/temporal-codec; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
    expect(Date.parse(session.body.expiresAt)).toBeGreaterThan(Date.now());

    const payloads = await payload();
    const fromUi = (c: string) => call(stack, 'POST', '/api/temporal-codec/decode', { json: { payloads }, headers: { origin: UI_ORIGIN, cookie: c, 'x-namespace': 'default' } });
    const a = await fromUi(cookie.split(';')[0]!);
    expect(a.status, a.text).toBe(200);
    expect(a.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(utf8(a.body.payloads[0].metadata.encoding)).toBe('json/plain');
    const admin = await stack.db.user.findUniqueOrThrow({ where: { username: 'admin' } });
    const last = await stack.db.auditEvent.findFirstOrThrow({ where: { streamId: `temporal-codec:${admin.id}` }, orderBy: { seq: 'desc' } });
    expect(last.data).toMatchObject({ origin: UI_ORIGIN, namespace: 'default', payloads: 1 });

    // Setting the cookie is the administrator's alone; an agent's token in the cookie decodes nothing.
    expectProblem(await as('agent.project', 'POST', '/api/temporal-codec/session'), 403, 'FORBIDDEN');
    expectProblem(await fromUi(`estate_codec=${tokens.get('agent.project')}`), 403, 'FORBIDDEN');
    expectProblem(await fromUi('estate_codec=not-a-token'), 401, 'UNAUTHENTICATED');
  });
});

describe('the logs', () => {
  it("hold neither the customer's name nor phone nor the complaint", () => {
    expect(logLines.length).toBeGreaterThan(10);
    const all = logLines.join('\n');
    for (const secret of SECRETS) expect(all.includes(secret), secret).toBe(false);
  });
});
