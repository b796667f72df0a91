import { DefaultLogger, Runtime } from '@temporalio/worker';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../api/http.js';
import { freePort, startTestStack, type TestStack } from '../support/stack.js';

/**
 * `/metrics` after a real breach: a complaint with a 3-second first-contact target on the dev
 * server, nobody calls, the timer breaches it; the worker's /metrics counts the warning, the breach
 * and the escalation request by target and tier, next to the Temporal SDK's own worker metrics, and
 * the API's /metrics shows the request latency by route template and the open case as breached.
 */
let sdkMetricsAddress: string | undefined;
try {
  sdkMetricsAddress = `127.0.0.1:${await freePort()}`;
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { metrics: { prometheus: { bindAddress: sdkMetricsAddress, countersTotalSuffix: true, useSecondsForDurations: true } } },
  });
} catch {
  // Already installed in this process (then without our exporter).
  sdkMetricsAddress = undefined;
}

let stack: TestStack;
let agent = '';
let handler = '';
let admin = '';

async function eventually<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The value of one sample, `name{labels}` with the labels in any order; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

async function scrape(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(url, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

beforeAll(async () => {
  stack = await startTestStack({ seed: true, temporal: true, worker: true, ...(sdkMetricsAddress ? { sdkMetricsAddress } : {}) });
  agent = await stack.login('agent.project');
  handler = await stack.login('handler.project');
  admin = await stack.login('admin');
}, 180_000);
afterAll(async () => {
  await stack?.close();
}, 60_000);

describe('metrics after a real breach', () => {
  let c: { id: string; number: string };

  it('counts the warning, the breach and the escalation request by target and tier on the worker', async () => {
    const put = await call(stack, 'PUT', '/api/sla-policies', {
      token: admin,
      json: [
        { id: 'm-project', name: '指标（项目）', categoryPrefix: 'complaint.service', tier: 'PROJECT', firstContact: 'PT3S', warnAt: 0.5, resolution: 'PT1H', callback: 'PT1H', approvalWindow: 'PT1H', notifications: { digestMinutes: 0 } },
        { id: 'm-company', name: '指标（公司）', categoryPrefix: 'complaint.service', tier: 'COMPANY', firstContact: 'PT1H', resolution: 'PT1H', callback: 'PT1H', approvalWindow: 'PT1H', notifications: { digestMinutes: 0 } },
      ],
    });
    expect(put.status, put.text).toBe(200);
    const bjhy = (await stack.db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } })).id;
    const opened = await call(stack, 'POST', '/api/cases', {
      token: agent,
      json: { type: 'complaint', projectId: bjhy, customer: { name: '欧阳娜娜', phone: '139 1234 5678' }, category: 'complaint.service.parking', severity: 'minor', channel: 'phone', description: '车位被占 / parking' },
    });
    expect(opened.status, opened.text).toBe(201);
    c = opened.body;

    // The counters move as the audit rows are written, in the workflow's order of events.
    const worker = await eventually(
      'the escalation request counted',
      () => scrape(stack.workerMetricsUrl!),
      (w) => sample(w.text, 'estate_care_escalations_total', { outcome: 'requested', to_tier: 'COMPANY', source: 'breach' }) !== undefined,
    );
    expect(worker.status).toBe(200);
    expect(worker.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(worker.text, 'estate_care_sla_warnings_total', { target: 'firstContact', tier: 'PROJECT' })).toBe(1);
    expect(sample(worker.text, 'estate_care_sla_breaches_total', { target: 'firstContact', tier: 'PROJECT' })).toBe(1);
    expect(sample(worker.text, 'estate_care_sla_breaches_total', { target: 'resolution', tier: 'PROJECT' })).toBeUndefined();
    expect(sample(worker.text, 'estate_care_escalations_total', { outcome: 'requested', to_tier: 'COMPANY', source: 'breach' })).toBe(1);
    // Node's process metrics, and no personal data or ids anywhere.
    expect(worker.text).toMatch(/^process_resident_memory_bytes /m);
    for (const secret of [c.id, c.number, '1391234', '欧阳']) expect(worker.text).not.toContain(secret);
  });

  it('serves the Temporal SDK’s own worker metrics on the same /metrics', async () => {
    if (!sdkMetricsAddress) return expect.fail('the Temporal Runtime was installed before this file could add its Prometheus exporter');
    const worker = await scrape(stack.workerMetricsUrl!);
    expect(worker.text).toMatch(/^temporal_workflow_task_schedule_to_start_latency_bucket\{/m);
    // A case's audit rows, projection and emails are one activity per batch of events since slim histories.
    expect(worker.text).toMatch(/^temporal_activity_execution_latency_count\{.*activity_type="recordCaseStep"/m);
  });

  it('times API requests by route template, never by the URL with its ids', async () => {
    for (let i = 0; i < 2; i++) expect((await call(stack, 'GET', `/api/cases/${c.id}`, { token: handler })).status).toBe(200);
    const api = await scrape(`${stack.baseUrl}/metrics`);
    expect(api.status).toBe(200);
    const count = sample(api.text, 'estate_care_http_request_duration_seconds_count', { method: 'GET', route: '/api/cases/:id', status: '200' });
    expect(count).toBeGreaterThanOrEqual(2);
    expect(sample(api.text, 'estate_care_http_request_duration_seconds_count', { method: 'POST', route: '/api/cases', status: '201' })).toBe(1);
    expect(sample(api.text, 'estate_care_http_request_duration_seconds_bucket', { method: 'GET', route: '/api/cases/:id', status: '200', le: '+Inf' })).toBe(count);
    expect(api.text).not.toContain(c.id);
    expect(api.text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('shows the open case as breached at PROJECT and the outbox backlog, read from the read model', async () => {
    // Read on scrape from the read model (kept 5 s between reads), which the projection reaches last.
    const api = await eventually(
      'the breach in the read model',
      () => scrape(`${stack.baseUrl}/metrics`),
      (a) => sample(a.text, 'estate_care_open_cases', { tier: 'PROJECT', sla_state: 'breached' }) === 1,
    );
    expect(sample(api.text, 'estate_care_open_cases', { tier: 'PROJECT', sla_state: 'on_track' })).toBe(0);
    expect(sample(api.text, 'estate_care_open_cases', { tier: 'COMPANY', sla_state: 'breached' })).toBe(0);
    expect(sample(api.text, 'estate_care_email_outbox_pending', {})).toBeGreaterThanOrEqual(0);
    expect(api.text).toMatch(/^estate_care_email_outbox_oldest_pending_seconds /m);
  });

  it('answers loopback callers only when no METRICS_TOKEN is set, judging a proxied request by its client', async () => {
    // trust proxy is 'loopback': a request a local proxy forwards from the internet is not local.
    const proxied = await scrape(`${stack.baseUrl}/metrics`, { 'x-forwarded-for': '203.0.113.7' });
    expect(proxied.status).toBe(403);
    expect(proxied.text).toBe('');
  });

  it('has a Grafana dashboard whose queries name metrics the processes export', async () => {
    const dashboard = JSON.parse(fs.readFileSync(new URL('../../ops/grafana/estate-care.json', import.meta.url), 'utf8')) as { panels: Array<{ targets?: Array<{ expr: string }> }> };
    const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    const names = new Set(exprs.flatMap((e) => [...e.matchAll(/\b((?:estate_care|temporal|process|nodejs)_\w+)\{/g)].map((m) => m[1]!)));
    expect(names.size).toBeGreaterThan(10);
    const exported = (await scrape(stack.workerMetricsUrl!)).text + (await scrape(`${stack.baseUrl}/metrics`)).text;
    // Failure counters appear once something has failed.
    const missing = [...names].filter((n) => !/_failed_/.test(n) && !new RegExp(`^${n}[{ ]`, 'm').test(exported));
    expect(missing).toEqual([]);
  });
});
