import fs from 'node:fs';
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { COMMON_ERRORS, DomainError, LANGS, commonError, errorsOf, placeholdersOf, type ErrorSpec } from '../../app/errors.js';
import { caseError } from '../../app/cases/errors.js';
import { authError } from '../../app/auth/errors.js';
import { ERRORS, ERROR_CATALOGUES, ERROR_CODES, ERROR_REASONS, codeOf, httpError, type ErrorCode } from '../../api/http/error-catalogue.js';
import { ProblemSchema, coded, fieldErrorsFromZod, preferredLang, problemBody, problemHandler } from '../../api/http/errors.js';
import { CASE_REJECTIONS } from '../../workflows/cases/complaint-case.defs.js';
import { LEAD_REJECTIONS } from '../../workflows/leads/lead-follow-up.defs.js';
import { SALE_REJECTIONS } from '../../workflows/sales/sale-lifecycle.defs.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Written out from the API contract: the status each wire code answers with. */
const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_LOCKED: 423,
  FORBIDDEN: 403,
  OUT_OF_SCOPE: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  DEPENDENCY_UNAVAILABLE: 503,
  INTERNAL: 500,
  // The case workflow's refusals: the action conflicts with the case's state.
  CASE_CLOSED: 409,
  CASE_ALREADY_CONTACTED: 409,
  CASE_NOT_CONTACTED: 409,
  CASE_ALREADY_PAUSED: 409,
  CASE_NOT_PAUSED: 409,
  CASE_PAUSED: 409,
  CASE_ALREADY_RESOLVED: 409,
  CASE_NOT_RESOLVED: 409,
  ESCALATION_PENDING: 409,
  ESCALATION_NOT_FOUND: 409,
  ESCALATION_NOT_PENDING: 409,
  TOP_TIER: 409,
  CASE_WORK_ORDERS_OPEN: 409,
  INVALID_ACTION: 409,
  // The lead workflow's refusals: the action conflicts with the lead's state.
  LEAD_ENDED: 409,
  LEAD_POOLED: 409,
  LEAD_PENDING_REVIEW: 409,
  LEAD_NOT_LOST: 409,
  LEAD_SAME_GRADE: 409,
  LEAD_SAME_OWNER: 409,
  // Sales: a unit or lead already taken, and the sale workflow's refusals.
  UNIT_NOT_AVAILABLE: 409,
  LEAD_ALREADY_SOLD: 409,
  SALE_ENDED: 409,
  SALE_WRONG_STAGE: 409,
  SALE_WRONG_PAYMENT_METHOD: 409,
  SALE_ALREADY_RECORDED: 409,
  SALE_APPROVAL_PENDING: 409,
  SALE_APPROVAL_NOT_FOUND: 409,
  SALE_NOT_REJECTED_MORTGAGE: 409,
  // Photos: judged by their content.
  PHOTO_TOO_LARGE: 413,
  PHOTO_TYPE_NOT_ALLOWED: 415,
  PHOTO_UNREADABLE: 422,
  WORK_ORDER_CASE_NO_UNIT: 409,
  WORK_ORDER_CASE_CLOSED: 409,
  WORK_ORDER_PHOTO_BODY: 415,
  WORK_ORDER_ENDED: 409,
  WORK_ORDER_WRONG_STAGE: 409,
  WORK_ORDER_QUOTE_NOT_NEEDED: 409,
  WORK_ORDER_QUOTE_INVALID: 409,
  WORK_ORDER_NO_QUOTE: 409,
  WORK_ORDER_SAME_ASSIGNEE: 409,
  WORK_ORDER_SLOT_OUTSIDE_TARGET: 409,
  WORK_ORDER_SLOT_IN_PAST: 409,
  // An owner's one-time sign-off link that no longer works (used, expired or withdrawn).
  SIGN_OFF_LINK_GONE: 410,
};

const CJK = /[\u3400-\u9fff]/;
const TEXTS: Record<(typeof LANGS)[number], (s: ErrorSpec) => string> = { 'zh-CN': (s) => s['zh-CN'], en: (s) => s.en };

describe('error catalogues', () => {
  const entries = Object.entries(ERROR_CATALOGUES).flatMap(([module, catalogue]) => Object.entries(catalogue as Record<string, ErrorSpec>).map(([reason, spec]) => ({ module, reason, spec })));

  it('give every reason of every module a status, a zh-CN and an English text with the same placeholders', () => {
    expect(entries.length).toBeGreaterThan(100);
    for (const { module, reason, spec } of entries) {
      const where = `${module}.${reason}`;
      expect(reason, where).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect([400, 401, 403, 404, 409, 410, 413, 415, 422, 423, 429, 500, 503], where).toContain(spec.status);
      for (const lang of LANGS) expect(TEXTS[lang](spec).trim().length, `${where} ${lang}`).toBeGreaterThan(0);
      expect(spec['zh-CN'], `${where} zh-CN is Chinese`).toMatch(CJK);
      expect(spec.en, `${where} en is English`).not.toMatch(CJK);
      expect(placeholdersOf(spec.en), `${where} placeholders`).toEqual(placeholdersOf(spec['zh-CN']));
    }
  });

  it('declare each reason once, across modules', () => {
    expect(ERROR_REASONS.length).toBe(entries.length);
    expect(new Set(entries.map((e) => e.reason)).size).toBe(entries.length);
  });

  it('refine only wire codes, with their status; a wire code of its own is a title without placeholders', () => {
    for (const { module, reason, spec } of entries) {
      if (spec.code === undefined) {
        expect(placeholdersOf(spec.en), `${module}.${reason}`).toEqual([]);
        continue;
      }
      const family = ERRORS[spec.code as keyof typeof ERRORS];
      expect(family, `${module}.${reason} refines ${spec.code}`).toBeDefined();
      expect(family.code, `${spec.code} is a wire code`).toBeUndefined();
      expect(spec.status, `${module}.${reason} has the status of ${spec.code}`).toBe(family.status);
    }
  });

  it('answer every wire code with the status the API contract states', () => {
    expect([...ERROR_CODES].sort()).toEqual(Object.keys(STATUS).sort());
    for (const code of ERROR_CODES) expect(ERRORS[code as keyof typeof ERRORS].status, code).toBe(STATUS[code]);
    for (const reason of ERROR_REASONS) expect(ERRORS[reason].status, reason).toBe(STATUS[codeOf(reason)]);
  });

  it('answer only INTERNAL and DEPENDENCY_UNAVAILABLE with a 5xx status', () => {
    expect(ERROR_CODES.filter((c) => STATUS[c] >= 500).sort()).toEqual(['DEPENDENCY_UNAVAILABLE', 'INTERNAL']);
  });

  it('hold every refusal of every workflow, as a 409 wire code', () => {
    for (const type of [...CASE_REJECTIONS, ...LEAD_REJECTIONS, ...SALE_REJECTIONS]) {
      expect(ERRORS[type], type).toBeDefined();
      expect(codeOf(type), type).toBe(type);
      expect(ERRORS[type].status, type).toBe(409);
    }
  });

  it('are all registered: every catalogue exported by an app/**/errors.ts is in the registry', async () => {
    const files = fs
      .readdirSync(path.join(ROOT, 'app'), { recursive: true, encoding: 'utf8' })
      .filter((f) => path.basename(f) === 'errors.ts')
      .map((f) => path.join(ROOT, 'app', f));
    expect(files.length).toBeGreaterThan(5);
    const registered = new Set<unknown>(Object.values(ERROR_CATALOGUES));
    for (const file of files) {
      const exported = Object.entries((await import(file)) as Record<string, unknown>).filter(([name]) => /_ERRORS$/.test(name));
      expect(exported.length, file).toBeGreaterThan(0);
      for (const [name, catalogue] of exported) expect(registered.has(catalogue), `${path.relative(ROOT, file)} ${name} is in ERROR_CATALOGUES`).toBe(true);
    }
  });

  it('refuse a reason they do not hold instead of answering 200', () => {
    expect(() => caseError.fromReason('NEW_REASON' as 'CASE_CLOSED')).toThrow(/unknown error reason NEW_REASON/);
    expect(() => errorsOf(COMMON_ERRORS).fromReason('CASE_CLOSED' as 'NOT_FOUND')).toThrow(/unknown/);
  });
});

describe('domain errors', () => {
  it('carry the wire code, the reason, the status and the params; their message is English for the logs', () => {
    const err = caseError('CASE_TIER_ONLY', { tier: 'COMPANY' });
    expect(err).toBeInstanceOf(DomainError);
    expect({ code: err.code, reason: err.reason, status: err.status, params: err.params }).toEqual({
      code: 'OUT_OF_SCOPE',
      reason: 'CASE_TIER_ONLY',
      status: 403,
      params: { tier: 'COMPANY' },
    });
    expect(err.message).toBe('Only the COMPANY office of this case may do this');
  });

  it('name the field they are about', () => {
    const err = caseError('UNKNOWN_CATEGORY', { category: 'x.y' }, { field: 'body.category' });
    expect(err.fieldErrors.map((e) => ({ path: e.path, reason: e.reason, params: e.params }))).toEqual([
      { path: 'body.category', reason: 'UNKNOWN_CATEGORY', params: { category: 'x.y' } },
    ]);
  });
});

describe('language of the answer', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['en;q=0.5, zh-CN', 'zh-CN'],
    ['zh-CN;q=0.4, en-GB;q=0.8', 'en'],
    ['fr-FR, en;q=0.5', 'en'],
    ['fr, de', 'zh-CN'],
    ['*', 'zh-CN'],
    ['en;q=0', 'zh-CN'],
    ['zh-TW, en', 'zh-CN'],
  ])('Accept-Language %j answers in %s', (header, lang) => {
    expect(preferredLang(header)).toBe(lang);
  });
});

describe('problem body', () => {
  it('carries type, title, status, code, reason, params and detail in zh-CN by default, plus the optional fields given', () => {
    const err = caseError('CASE_TIER_ONLY', { tier: 'PROJECT' }, { fieldErrors: [caseError.field('body.category', 'UNKNOWN_CATEGORY', { category: 'a.b' })] });
    const body = problemBody(err, { instance: '/api/x', requestId: 'r-1' });
    expect(body).toEqual({
      type: 'urn:estate-care:error:out-of-scope',
      title: '超出您的管辖范围',
      status: 403,
      code: 'OUT_OF_SCOPE',
      reason: 'CASE_TIER_ONLY',
      params: { tier: 'PROJECT' },
      detail: '仅该工单当前层级（PROJECT）的处理人可操作',
      instance: '/api/x',
      requestId: 'r-1',
      errors: [{ path: 'body.category', code: 'UNKNOWN_CATEGORY', params: { category: 'a.b' }, message: '未知的工单分类 a.b' }],
    });
    expect(ProblemSchema.safeParse(body).success).toBe(true);
  });

  it('is in English when asked', () => {
    const body = problemBody(caseError('CASE_TIER_ONLY', { tier: 'PROJECT' }, { field: 'body.x' }), { lang: 'en' });
    expect(body).toMatchObject({
      title: 'Outside your scope',
      detail: 'Only the PROJECT office of this case may do this',
      errors: [{ path: 'body.x', code: 'CASE_TIER_ONLY', message: 'Only the PROJECT office of this case may do this' }],
    });
  });

  it('leaves out optional fields that were not given', () => {
    expect(Object.keys(problemBody(commonError('NOT_FOUND'), { detail: false })).sort()).toEqual(['code', 'reason', 'status', 'title', 'type']);
    expect(Object.keys(problemBody(commonError('NOT_FOUND'))).sort()).toEqual(['code', 'detail', 'reason', 'status', 'title', 'type']);
  });

  it('gives every code a distinct type URI, and every reason a title and detail in each language with its params filled', () => {
    const types = new Map<string, string>();
    for (const reason of ERROR_REASONS) {
      const spec = ERRORS[reason];
      const params = Object.fromEntries(placeholdersOf(spec.en).map((p) => [p, `<${p}>`]));
      const err = new DomainError(reason, spec, params);
      for (const lang of LANGS) {
        const b = problemBody(err, { lang });
        expect(b.type).toMatch(/^urn:estate-care:error:[a-z-]+$/);
        expect(b.code).toBe(codeOf(reason));
        expect(b.title, reason).toBe(TEXTS[lang](ERRORS[codeOf(reason)]));
        expect(b.detail, reason).not.toMatch(/\{\w+\}/);
        for (const p of Object.keys(params)) expect(b.detail, `${reason} names ${p}`).toContain(`<${p}>`);
        expect(b.title + b.detail, `${reason} is not bilingual`).not.toMatch(/ \/ [^\x00-\x7F]/);
        expect(ProblemSchema.safeParse(b).success, reason).toBe(true);
      }
      const type = problemBody(err).type;
      const code = types.get(type);
      if (code !== undefined) expect(code, type).toBe(err.code);
      types.set(type, err.code);
    }
    expect(types.size).toBe(ERROR_CODES.length);
  });
});

describe('field errors of request validation', () => {
  const Body = z.object({
    name: z.string().trim().min(1).max(5),
    age: z.number().int().min(18),
    kind: z.enum(['a', 'b']),
    tags: z.array(z.string()).min(2),
    phone: z.string().regex(/^\d+$/, coded('PHONE_FORMAT')),
    deposit: z.string().optional(),
  }).strict().superRefine((b, ctx) => {
    if (b.deposit === 'big') ctx.addIssue({ code: 'custom', path: ['deposit'], message: coded('DEPOSIT_EXCEEDS_PRICE') });
    if (b.deposit === 'odd') ctx.addIssue({ code: 'custom', path: ['deposit'], message: 'an English rule' });
  });
  const errorsOfBody = (value: unknown) => {
    const r = Body.safeParse(value, { reportInput: true });
    if (r.success) throw new Error('expected a failure');
    return fieldErrorsFromZod(r.error, 'body').map((e) => ({ path: e.path, reason: e.reason, params: e.params }));
  };

  it('become codes with params', () => {
    expect(errorsOfBody({ name: 'toolong', age: 17, kind: 'c', tags: ['x'], phone: 'abc', extra: 1 })).toEqual(
      expect.arrayContaining([
        { path: 'body.name', reason: 'TOO_LONG', params: { maximum: '5' } },
        { path: 'body.age', reason: 'TOO_SMALL', params: { minimum: '18' } },
        { path: 'body.kind', reason: 'INVALID_OPTION', params: { options: 'a, b' } },
        { path: 'body.tags', reason: 'TOO_FEW', params: { minimum: '2' } },
        { path: 'body.phone', reason: 'PHONE_FORMAT', params: {} },
        { path: 'body', reason: 'UNKNOWN_FIELDS', params: { keys: 'extra' } },
      ]),
    );
  });

  it('say REQUIRED for a missing or empty value, and the type for a wrong one', () => {
    expect(errorsOfBody({ name: '  ', age: 'x', kind: 'a', tags: ['x', 'y'], phone: '1' })).toEqual([
      { path: 'body.name', reason: 'REQUIRED', params: {} },
      { path: 'body.age', reason: 'INVALID_TYPE', params: { expected: 'number' } },
    ]);
    expect(errorsOfBody({ name: 'a', age: 20, tags: ['x', 'y'], phone: '1' })).toEqual([{ path: 'body.kind', reason: 'REQUIRED', params: {} }]);
  });

  it('keep a refinement’s reason, or its English rule as a param when it names none', () => {
    const base = { name: 'a', age: 20, kind: 'a', tags: ['x', 'y'], phone: '1' };
    expect(errorsOfBody({ ...base, deposit: 'big' })).toEqual([{ path: 'body.deposit', reason: 'DEPOSIT_EXCEEDS_PRICE', params: {} }]);
    expect(errorsOfBody({ ...base, deposit: 'odd' })).toEqual([{ path: 'body.deposit', reason: 'RULE_BROKEN', params: { rule: 'an English rule' } }]);
  });
});

describe('error handler', () => {
  function handle(err: unknown, headers: Record<string, string> = {}) {
    const answered: Record<string, string> = {};
    const logged: string[] = [];
    const out = { status: 0, type: '', body: '' };
    const res = {
      headersSent: false,
      setHeader: (k: string, v: string) => void (answered[k.toLowerCase()] = v),
      vary: (v: string) => void (answered.vary = v),
      status(s: number) {
        out.status = s;
        return this;
      },
      type(t: string) {
        out.type = t;
        return this;
      },
      send(b: string) {
        out.body = b;
        return this;
      },
    };
    const req = {
      id: 'req-1',
      originalUrl: '/api/thing?x=1',
      headers,
      log: { warn: (_o: unknown, m: string) => logged.push(`warn ${m}`), error: (_o: unknown, m: string) => logged.push(`error ${m}`) },
    };
    problemHandler(err, req as unknown as Request, res as unknown as Response, (() => undefined) as NextFunction);
    return { ...out, json: JSON.parse(out.body || 'null'), headers: answered, logged };
  }

  it('answers a DomainError with its code, reason, params, detail and field errors, in Chinese by default', () => {
    const r = handle(authError('ACCOUNT_LOCKED_UNTIL', { until: '2026-12-01T10:00:00.000Z' }, { field: 'body.username' }));
    expect(r.status).toBe(423);
    expect(r.type).toBe('application/problem+json');
    expect(r.headers['content-language']).toBe('zh-CN');
    expect(r.headers.vary).toBe('Accept-Language');
    expect(r.json).toEqual({
      type: 'urn:estate-care:error:account-locked',
      title: '账号已临时锁定',
      status: 423,
      code: 'ACCOUNT_LOCKED',
      reason: 'ACCOUNT_LOCKED_UNTIL',
      params: { until: '2026-12-01T10:00:00.000Z' },
      detail: '账号锁定至 2026-12-01T10:00:00.000Z',
      instance: '/api/thing',
      requestId: 'req-1',
      errors: [{ path: 'body.username', code: 'ACCOUNT_LOCKED_UNTIL', params: { until: '2026-12-01T10:00:00.000Z' }, message: '账号锁定至 2026-12-01T10:00:00.000Z' }],
    });
  });

  it('answers in English when Accept-Language prefers English', () => {
    const r = handle(authError('ACCOUNT_LOCKED_UNTIL', { until: '2026-12-01T10:00:00.000Z' }), { 'accept-language': 'en-US,en;q=0.9,zh-CN;q=0.5' });
    expect(r.headers['content-language']).toBe('en');
    expect(r.json).toMatchObject({ title: 'Account temporarily locked', detail: 'Locked until 2026-12-01T10:00:00.000Z', code: 'ACCOUNT_LOCKED' });
  });

  it('answers body-parser failures with MALFORMED_JSON, PAYLOAD_TOO_LARGE and UNSUPPORTED_MEDIA_TYPE', () => {
    expect(handle(Object.assign(new Error('x'), { type: 'entity.parse.failed', status: 400, body: '{"phone":"13800138000"' })).json).toMatchObject({
      code: 'MALFORMED_JSON',
      reason: 'MALFORMED_JSON',
      status: 400,
    });
    expect(handle(Object.assign(new Error('x'), { type: 'entity.too.large', status: 413 })).status).toBe(413);
    expect(handle(Object.assign(new Error('x'), { type: 'charset.unsupported', status: 415 })).status).toBe(415);
    expect(handle(Object.assign(new Error('x'), { type: 'encoding.unsupported', status: 415 })).status).toBe(415);
  });

  it('does not echo the raw body of a malformed request', () => {
    const r = handle(Object.assign(new Error('Unexpected end'), { type: 'entity.parse.failed', status: 400, body: '{"phone":"13800138000"' }));
    expect(r.body).not.toContain('13800138000');
  });

  it('answers a unique-constraint race (Prisma P2002) with 409 CONFLICT, not 500', () => {
    const err = Object.assign(new Error('Unique constraint failed on the fields: (`code`)'), { name: 'PrismaClientKnownRequestError', code: 'P2002' });
    expect(handle(err).json).toMatchObject({ code: 'CONFLICT', reason: 'UNIQUE_VIOLATION', status: 409, detail: '数据已存在' });
  });

  it('answers an unreachable database with 503 and Retry-After, and logs a warning', () => {
    const r = handle(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    expect(r.status).toBe(503);
    expect(r.json.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(r.headers['retry-after']).toBe('5');
    expect(r.logged).toEqual(['warn dependency unavailable']);
  });

  it('answers other 4xx http-errors with VALIDATION_FAILED, naming what could not be read', () => {
    expect(handle(Object.assign(new Error("Failed to decode param '%E0'"), { status: 400 }), { 'accept-language': 'en' }).json).toMatchObject({
      code: 'VALIDATION_FAILED',
      reason: 'REQUEST_UNREADABLE',
      status: 400,
      detail: "The request cannot be read: Failed to decode param '%E0'",
    });
  });

  it('answers anything else with 500 INTERNAL, logs it, and tells the client nothing of it', () => {
    const r = handle(new TypeError('Cannot read properties of undefined (reading "secretThing")'));
    expect(r.status).toBe(500);
    expect(r.json).toMatchObject({ code: 'INTERNAL', requestId: 'req-1' });
    expect(r.body).not.toContain('secretThing');
    expect(r.logged).toEqual(['error unhandled error']);
  });

  it('maps a route that does not exist through the HTTP catalogue', () => {
    expect(handle(httpError('ROUTE_NOT_FOUND', { method: 'GET', path: '/api/nope' }), { 'accept-language': 'en' }).json).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      reason: 'ROUTE_NOT_FOUND',
      params: { method: 'GET', path: '/api/nope' },
      detail: 'No route GET /api/nope',
    });
  });
});
