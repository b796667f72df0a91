import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { call } from './http.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ seed: true });
});
afterAll(async () => {
  await stack?.close();
});

/** Every route the API registers, written out: a new route must be added here on purpose. */
const ROUTES = [
  'GET /api/auth/me',
  'POST /api/auth/login',
  'GET /api/companies',
  'GET /api/customers',
  'POST /api/customers',
  'GET /api/customers/{id}',
  'GET /api/customers/lookup',
  'GET /api/customers/{id}/records',
  'GET /api/search',
  'GET /api/outbox',
  'GET /api/outbox/{id}',
  'GET /api/projects',
  'POST /api/projects',
  'GET /api/projects/{id}',
  'GET /api/projects/{id}/units',
  'GET /api/projects/{id}/buildings',
  'PATCH /api/buildings/{id}',
  'GET /api/warranty-settings',
  'PUT /api/warranty-settings',
  'GET /api/users',
  'POST /api/users',
  'GET /api/users/{id}',
  'PATCH /api/users/{id}',
  'GET /api/cases',
  'POST /api/cases',
  'GET /api/cases/{id}',
  'PATCH /api/cases/{id}',
  'GET /api/cases/{id}/events',
  'POST /api/cases/{id}/contact',
  'POST /api/cases/{id}/pause',
  'POST /api/cases/{id}/resume',
  'POST /api/cases/{id}/resolve',
  'POST /api/cases/{id}/callback',
  'POST /api/cases/{id}/escalations',
  'POST /api/cases/{id}/notes',
  'POST /api/cases/{id}/work-orders',
  'GET /api/work-orders',
  'GET /api/work-orders/assignees',
  'GET /api/work-orders/{id}',
  'GET /api/work-orders/{id}/events',
  'POST /api/work-orders/{id}/quote',
  'POST /api/work-orders/{id}/quote/answer',
  'POST /api/work-orders/{id}/assign',
  'POST /api/work-orders/{id}/reassign',
  'POST /api/work-orders/{id}/appointment',
  'POST /api/work-orders/{id}/check-in',
  'POST /api/work-orders/{id}/result',
  'POST /api/work-orders/{id}/sign-off',
  'POST /api/work-orders/{id}/sign-off-link',
  'GET /api/sign-off/{token}',
  'POST /api/sign-off/{token}',
  'POST /api/work-orders/{id}/no-show',
  'POST /api/work-orders/{id}/cancel',
  'POST /api/work-orders/{id}/photos',
  'GET /api/work-orders/{id}/photos/{key}',
  'GET /api/escalations',
  'POST /api/escalations/{id}/approve',
  'POST /api/escalations/{id}/reject',
  'GET /api/sla-policies',
  'PUT /api/sla-policies',
  'GET /api/calendars',
  'PUT /api/calendars',
  'GET /api/calendars/schedule-coverage',
  'POST /api/calendars/{id}/import',
  'GET /api/categories',
  'PUT /api/categories',
  'GET /api/reports/sla',
  'GET /api/reports/repairs',
  'GET /api/reports/sla/breaches',
  'GET /api/reports/sla/breached-cases',
  'GET /api/home',
  'GET /api/leads',
  'POST /api/leads',
  'GET /api/leads/{id}',
  'GET /api/leads/{id}/events',
  'POST /api/leads/{id}/touches',
  'POST /api/leads/{id}/grade',
  'POST /api/leads/{id}/assign',
  'POST /api/leads/{id}/convert',
  'POST /api/leads/{id}/lost',
  'POST /api/leads/{id}/review',
  'GET /api/cadence-policies',
  'PUT /api/cadence-policies',
  'GET /api/loss-reasons',
  'PUT /api/loss-reasons',
  'GET /api/reports/leads',
  'GET /api/reports/sales',
  'POST /api/sales',
  'GET /api/sales',
  'GET /api/sales/{id}',
  'GET /api/sales/{id}/events',
  'POST /api/sales/{id}/contract',
  'POST /api/sales/{id}/filing',
  'POST /api/sales/{id}/payments',
  'POST /api/sales/{id}/mortgage',
  'POST /api/sales/{id}/payment-method',
  'POST /api/sales/{id}/inspection',
  'POST /api/sales/{id}/handover',
  'POST /api/sales/{id}/cancel',
  'POST /api/sales/{id}/change-unit',
  'POST /api/sales/{id}/rename',
  'POST /api/sales/{id}/approvals/{approvalId}',
  'GET /api/projects/{id}/progress-notes',
  'POST /api/projects/{id}/progress-notes',
  'GET /api/sales-policy',
  'PUT /api/sales-policy',
  'POST /api/temporal-codec/decode',
  'POST /api/temporal-codec/encode',
  'POST /api/temporal-codec/session',
  'GET /api/record-views',
  'GET /api/customers/{id}/views',
].sort();
// Login, and the owner's one-time sign-off link (its token is the credential).
const PUBLIC = ['POST /api/auth/login', 'GET /api/sign-off/{token}', 'POST /api/sign-off/{token}'];
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

type Operation = {
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
};
type Doc = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
};

describe('OpenAPI document', () => {
  let doc: Doc;
  beforeAll(async () => {
    const a = await call(stack, 'GET', '/api/openapi.json');
    expect(a.status).toBe(200);
    expect(a.contentType).toMatch(/^application\/json/);
    doc = a.body;
  });

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([m]) => METHODS.includes(m))
        .map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, path, method, op })),
    );

  it('is an OpenAPI 3.1 document with a title and version', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toEqual(expect.any(String));
    expect(doc.info.version).toEqual(expect.any(String));
  });

  it('lists exactly the routes the API registers', () => {
    expect(operations().map((o) => o.key).sort()).toEqual([...ROUTES].sort());
  });

  it('routes every documented operation (none answers "no such route")', async () => {
    for (const { method, path } of operations()) {
      const url = path.replace(/\{[^}]+\}/g, '00000000-0000-0000-0000-000000000000');
      const a = await call(stack, method.toUpperCase(), url, { json: method === 'get' ? undefined : {} });
      expect(a.body?.detail ?? '', `${method} ${path}`).not.toMatch(/No route/);
      expect([400, 401], `${method} ${path}: ${a.text}`).toContain(a.status);
    }
  });

  it('declares every path template parameter as a required path parameter', () => {
    for (const { key, path, op } of operations()) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path');
      expect(declared.map((p) => p.name).sort(), key).toEqual(names.sort());
      for (const p of declared) expect(p.required, `${key} ${p.name}`).toBe(true);
    }
  });

  it('requires the bearer scheme on every route but the public ones, and documents 401 and 403 there', () => {
    expect(doc.components?.securitySchemes?.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const { key, op } of operations()) {
      if (PUBLIC.includes(key)) {
        // No requirement, said explicitly (Redocly's security-defined rule: an omitted `security` reads as forgotten).
        expect(op.security, key).toEqual([]);
        continue;
      }
      expect(op.security, key).toEqual([{ bearerAuth: [] }]);
      expect(Object.keys(op.responses), key).toEqual(expect.arrayContaining(['401', '403']));
    }
  });

  it('documents a success answer and problem+json errors for every operation', () => {
    for (const { key, op } of operations()) {
      expect(op.summary, key).toEqual(expect.any(String));
      const codes = Object.keys(op.responses);
      expect(codes.some((c) => /^2\d\d$/.test(c)), key).toBe(true);
      expect(codes, key).toContain('400');
      for (const [code, r] of Object.entries(op.responses)) {
        expect(r.description, `${key} ${code}`).toEqual(expect.any(String));
        if (/^[45]/.test(code)) expect(Object.keys(r.content ?? {}), `${key} ${code}`).toEqual(['application/problem+json']);
      }
    }
  });

  it('documents a JSON request body on every POST and PATCH, but the photo upload (the image bytes themselves)', () => {
    const RAW: Record<string, string[]> = { 'POST /api/work-orders/{id}/photos': ['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'] };
    for (const { key, method, op } of operations())
      if (method === 'post' || method === 'patch') expect(Object.keys(op.requestBody?.content ?? {}), key).toEqual(RAW[key] ?? ['application/json']);
  });

  // Found by the schemathesis run (test/fuzz): answers the API gives that the document did not list.
  it('documents 413 and 415 on every operation that takes a body', () => {
    for (const { key, op } of operations())
      if (op.requestBody) expect(Object.keys(op.responses), key).toEqual(expect.arrayContaining(['413', '415']));
  });

  it('documents 409 and 422 on every operation that takes an Idempotency-Key', () => {
    const idempotent = operations().filter(({ op }) => (op.parameters ?? []).some((p) => p.in === 'header' && p.name === 'idempotency-key'));
    expect(idempotent.map((o) => o.key)).toEqual(expect.arrayContaining(['POST /api/cases', 'POST /api/leads', 'POST /api/sales']));
    for (const { key, op } of idempotent) expect(Object.keys(op.responses), key).toEqual(expect.arrayContaining(['409', '422']));
  });

  it('documents 404 on the reports and the record-view log, whose projectId filter may name no project', async () => {
    const token = await stack.login('manager.group');
    for (const path of ['/api/reports/sla', '/api/reports/sla/breaches', '/api/reports/sla/breached-cases', '/api/reports/leads', '/api/reports/sales', '/api/reports/repairs', '/api/record-views']) {
      expect(Object.keys(doc.paths[path]!.get!.responses), path).toContain('404');
      const a = await call(stack, 'GET', `${path}?projectId=no-such-project`, { token });
      expect({ path, status: a.status, code: a.body?.code }).toEqual({ path, status: 404, code: 'NOT_FOUND' });
    }
  });

  it('documents the X-Request-Id header on every answer, Retry-After on 429 and 503, and Content-Language on errors', () => {
    for (const { key, op } of operations())
      for (const [code, r] of Object.entries(op.responses)) {
        const headers = (r as { headers?: Record<string, { required?: boolean }> }).headers ?? {};
        expect(headers['X-Request-Id']?.required, `${key} ${code}`).toBe(true);
        if (code === '429' || code === '503') expect(headers['Retry-After']?.required, `${key} ${code}`).toBe(true);
        if (Number(code) >= 400) expect(headers['Content-Language']?.required, `${key} ${code}`).toBe(true);
      }
  });

  it('lets every record the API may answer with null be null', () => {
    // zod-to-openapi rendered `Named.nullable()` as a bare $ref or as allOf [$ref, {type: [object, null]}]:
    // either way the document forbade the nulls the API sends (a lead not lost has `loss: null`).
    const schemas = doc.components!.schemas as Record<string, { properties?: Record<string, unknown>; allOf?: { properties?: Record<string, unknown> }[] }>;
    const property = (schema: string, name: string) =>
      schemas[schema]!.properties?.[name] ?? schemas[schema]!.allOf?.find((s) => s.properties?.[name])?.properties?.[name];
    const acceptsNull = (s: any): boolean =>
      s?.type === 'null' || (Array.isArray(s?.type) && s.type.includes('null') && !s.$ref) || (s?.anyOf ?? s?.oneOf ?? []).some(acceptsNull);
    const nullable = [
      ['Lead', 'customer'],
      ['Lead', 'loss'],
      ['Lead', 'conversion'],
      ['LeadDetail', 'referrer'],
      ['CaseSla', 'firstContact'],
      ['CaseSla', 'resolution'],
      ['CaseSla', 'callback'],
      ['CaseDetail', 'customer'],
      ['SaleSummary', 'customer'],
      ['RecordView', 'customer'],
      ['RecordView', 'project'],
    ] as const;
    for (const [schema, name] of nullable) expect(acceptsNull(property(schema, name)), `${schema}.${name}: ${JSON.stringify(property(schema, name))}`).toBe(true);
    const allOfWithNull: string[] = [];
    const walk = (v: unknown, at: string) => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}/${i}`));
      else if (v && typeof v === 'object') {
        const allOf = (v as { allOf?: { type?: unknown }[] }).allOf;
        if (allOf?.some((m) => Array.isArray(m.type) && m.type.includes('null'))) allOfWithNull.push(at);
        for (const [k, x] of Object.entries(v)) walk(x, `${at}/${k}`);
      }
    };
    walk(doc, '#');
    expect(allOfWithNull, 'an allOf member allowing null cannot make the whole allow null').toEqual([]);
  });

  it('resolves every $ref inside the document', () => {
    const refs = new Set<string>();
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref' && typeof x === 'string') refs.add(x);
          else walk(x);
        }
    };
    walk(doc);
    expect(refs.size).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\//);
      const target = ref
        .slice(2)
        .split('/')
        .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
      expect(target, ref).toBeDefined();
    }
  });
});

describe('documentation page', () => {
  it('serves the interactive API documentation as HTML', async () => {
    const res = await fetch(`${stack.baseUrl}/api/docs/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/swagger-ui/i);
    expect(html).toContain('Estate Care API');
  });
});

describe('cases while Temporal is down', () => {
  it('answers 503 to an opening and leaves no case behind, so the retry starts afresh', async () => {
    const token = await stack.login('agent.project');
    const project = await stack.db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } });
    const body = {
      type: 'complaint',
      projectId: project.id,
      customer: { name: '赵先生', phone: '13700009999' },
      category: 'complaint.service.cleaning',
      severity: 'minor',
      channel: 'phone',
      description: 'no temporal',
    };
    const headers = { 'idempotency-key': 'no-temporal-0001' };
    const a = await call(stack, 'POST', '/api/cases', { token, json: body, headers });
    expect(a.status, a.text).toBe(503);
    expect(a.body).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', reason: 'CASE_WORKFLOWS_UNAVAILABLE', detail: '工单流程服务不可用，工单未创建' });
    expect(a.headers.get('retry-after')).toBe('5');
    expect(await stack.db.case.count({ where: { description: 'no temporal' } })).toBe(0);
    expect(await stack.db.idempotentRequest.count({ where: { key: 'no-temporal-0001' } })).toBe(0);
  }, 60_000);
});

describe('leads while Temporal is down', () => {
  it('answers 503 to a new lead and leaves no lead behind, so the retry starts afresh', async () => {
    const token = await stack.login('sales.project');
    const project = await stack.db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } });
    const body = { projectId: project.id, customer: { name: '钱女士', phone: '13700008888' }, source: 'walk_in', grade: 'B', note: 'no temporal' };
    const headers = { 'idempotency-key': 'no-temporal-lead-0001' };
    const a = await call(stack, 'POST', '/api/leads', { token, json: body, headers });
    expect(a.status, a.text).toBe(503);
    expect(a.body).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', reason: 'LEAD_WORKFLOWS_UNAVAILABLE', detail: '线索流程服务不可用，线索未创建' });
    expect(a.headers.get('retry-after')).toBe('5');
    expect(await stack.db.lead.count({ where: { note: 'no temporal' } })).toBe(0);
    expect(await stack.db.idempotentRequest.count({ where: { key: 'no-temporal-lead-0001' } })).toBe(0);
  }, 60_000);

  it('shows a stored lead from the read model, and answers 503 to an action without sending it', async () => {
    const token = await stack.login('sales.project');
    const sales = await stack.db.user.findUniqueOrThrow({ where: { username: 'sales.project' } });
    const project = await stack.db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } });
    const customer = await stack.db.customer.findFirstOrThrow({ where: { phone: '13900139002' } });
    const lead = await stack.db.lead.create({
      data: {
        number: 'LD-20260101-0001',
        workflowId: 'lead-stored-only',
        groupId: project.groupId,
        companyId: project.companyId,
        projectId: project.id,
        customerId: customer.id,
        source: 'web',
        grade: 'B',
        status: 'new',
        ownerId: sales.id,
        createdById: sales.id,
        createdAt: new Date(),
        firstContactDueAt: new Date(Date.now() + 3 * 86_400_000),
        lastEventSeq: 1,
      },
    });
    const read = await call(stack, 'GET', `/api/leads/${lead.id}`, { token });
    expect(read.status, read.text).toBe(200);
    expect(read.body).toMatchObject({ id: lead.id, status: 'new', ownerId: sales.id, live: false });
    const touch = await call(stack, 'POST', `/api/leads/${lead.id}/touches`, { token, json: { channel: 'phone', outcome: 'reached' } });
    expect(touch.status, touch.text).toBe(503);
    expect(touch.body.code).toBe('DEPENDENCY_UNAVAILABLE');
  }, 60_000);
});

describe('health', () => {
  it('answers /healthz with 200 without a token', async () => {
    const a = await call(stack, 'GET', '/healthz');
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 503 naming Temporal while no Temporal server runs', async () => {
    // This stack has a database but points TEMPORAL_ADDRESS at a closed port.
    const a = await call(stack, 'GET', '/readyz');
    expect(a.status).toBe(503);
    expect(a.body).toEqual({ status: 'unavailable', checks: { database: 'ok', temporal: 'down' } });
  });
});
