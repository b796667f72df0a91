import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../api/http.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * Traces over OTLP: with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a tiny OTLP/HTTP receiver, opening
 * a case yields one trace from the API's request span through the workflow start (Temporal client
 * interceptor) into the activities the workflow runs (activity interceptor, context carried by
 * workflows/kit/trace-context.ts). Tracing is per process, so this file has a stack of its own.
 */
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

interface ReceivedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  service: string;
  attributes: Record<string, unknown>;
}

const spans: ReceivedSpan[] = [];
const bodies: string[] = [];
let receiver: http.Server;
let stack: TestStack;

function receive(body: string) {
  bodies.push(body);
  const doc = JSON.parse(body) as {
    resourceSpans: Array<{
      resource?: { attributes?: Array<{ key: string; value: { stringValue?: string } }> };
      scopeSpans: Array<{ spans: Array<{ name: string; traceId: string; spanId: string; parentSpanId?: string; attributes?: Array<{ key: string; value: Record<string, unknown> }> }> }>;
    }>;
  };
  for (const rs of doc.resourceSpans) {
    const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
    for (const ss of rs.scopeSpans)
      for (const s of ss.spans)
        spans.push({
          name: s.name,
          traceId: s.traceId,
          spanId: s.spanId,
          ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
          service,
          attributes: Object.fromEntries((s.attributes ?? []).map((a) => [a.key, Object.values(a.value)[0]])),
        });
  }
}

async function eventually<T>(what: string, read: () => T, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') receive(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  stack = await startTestStack({ seed: true, temporal: true, worker: true, env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'estate-care-traces-test' } });
}, 180_000);
afterAll(async () => {
  await stack?.close();
  await new Promise((r) => receiver?.close(r));
}, 60_000);

describe('traces over OTLP', () => {
  it('links the API request, the workflow start and the workflow’s activities in one trace', async () => {
    const agent = await stack.login('agent.project');
    const bjhy = (await stack.db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } })).id;
    const opened = await call(stack, 'POST', '/api/cases', {
      token: agent,
      json: { type: 'complaint', projectId: bjhy, customer: { name: '欧阳娜娜', phone: '139 1234 5678' }, category: 'complaint.service.parking', severity: 'minor', channel: 'phone', description: '车位被占 / parking' },
    });
    expect(opened.status, opened.text).toBe(201);

    const request = (await eventually('the API request span', () => spans.find((s) => s.name === 'POST /api/cases'), Boolean))!;
    expect(request.attributes).toMatchObject({ 'http.route': '/api/cases', 'http.response.status_code': 201 });
    expect(request.service).toBe('estate-care-traces-test');
    const inTrace = () => spans.filter((s) => s.traceId === request.traceId);
    const audit = await eventually('an activity span in the request’s trace', () => inTrace().find((s) => s.name === 'RunActivity:recordCaseStep'), Boolean);

    // The activity descends from the request through the workflow start.
    const byId = new Map(inTrace().map((s) => [s.spanId, s]));
    const ancestry: string[] = [];
    for (let s: ReceivedSpan | undefined = audit; s; s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined) ancestry.push(s.name);
    expect(ancestry[0]).toBe('RunActivity:recordCaseStep');
    expect(ancestry).toContain('StartWorkflow:complaintCase');
    expect(ancestry.at(-1)).toBe('POST /api/cases');

    // Ids and names of operations only: no personal data leaves in a span.
    const all = bodies.join('\n');
    for (const secret of ['1391234', '139 1234', '欧阳', '车位被占']) expect(all).not.toContain(secret);
  });
});
