import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { DomainError, ErrorCode, ProblemSchema, problemBody, problemHandler, statusOf } from '../../api/http/errors.js';

/** Written out from the API contract: the status each code answers with. */
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
};

describe('status mapping', () => {
  it('has an expected status for every error code', () => {
    expect(Object.values(ErrorCode).sort()).toEqual(Object.keys(STATUS).sort());
  });

  for (const code of Object.values(ErrorCode))
    it(`answers ${code} with ${STATUS[code]}`, () => {
      expect(statusOf(code)).toBe(STATUS[code]);
    });

  it('answers only INTERNAL and DEPENDENCY_UNAVAILABLE with a 5xx status', () => {
    const fiveHundreds = Object.values(ErrorCode).filter((c) => statusOf(c) >= 500);
    expect(fiveHundreds.sort()).toEqual([ErrorCode.DEPENDENCY_UNAVAILABLE, ErrorCode.INTERNAL]);
  });

  it('throws for a code it does not know instead of answering 200', () => {
    expect(() => statusOf('NEW_CODE' as ErrorCode)).toThrow(/unmapped/);
  });
});

describe('problem body', () => {
  it('carries type, title, status and code, plus the optional fields given', () => {
    const body = problemBody(ErrorCode.OUT_OF_SCOPE, {
      detail: 'no',
      instance: '/api/x',
      requestId: 'r-1',
      errors: [{ path: 'body.x', message: 'bad' }],
    });
    expect(body).toEqual({
      type: 'urn:estate-care:error:out-of-scope',
      title: expect.stringMatching(/scope/i),
      status: 403,
      code: 'OUT_OF_SCOPE',
      detail: 'no',
      instance: '/api/x',
      requestId: 'r-1',
      errors: [{ path: 'body.x', message: 'bad' }],
    });
    expect(ProblemSchema.safeParse(body).success).toBe(true);
  });

  it('leaves out optional fields that were not given', () => {
    expect(Object.keys(problemBody(ErrorCode.NOT_FOUND, {})).sort()).toEqual(['code', 'status', 'title', 'type']);
  });

  it('gives every code a distinct type URI and a bilingual title', () => {
    const bodies = Object.values(ErrorCode).map((c) => problemBody(c, {}));
    expect(new Set(bodies.map((b) => b.type)).size).toBe(bodies.length);
    for (const b of bodies) {
      expect(b.type).toMatch(/^urn:estate-care:error:[a-z-]+$/);
      expect(b.title).toMatch(/ \/ /);
      expect(ProblemSchema.safeParse(b).success, b.code).toBe(true);
    }
  });
});

describe('error handler', () => {
  function handle(err: unknown) {
    const headers: Record<string, string> = {};
    const logged: string[] = [];
    const out = { status: 0, type: '', body: '' };
    const res = {
      headersSent: false,
      setHeader: (k: string, v: string) => void (headers[k.toLowerCase()] = v),
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
      log: { warn: (_o: unknown, m: string) => logged.push(`warn ${m}`), error: (_o: unknown, m: string) => logged.push(`error ${m}`) },
    };
    problemHandler(err, req as unknown as Request, res as unknown as Response, (() => undefined) as NextFunction);
    return { ...out, json: JSON.parse(out.body || 'null'), headers, logged };
  }

  it('answers a DomainError with its code, detail and field errors', () => {
    const r = handle(new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid body', [{ path: 'body.name', message: 'Required' }]));
    expect(r.status).toBe(400);
    expect(r.type).toBe('application/problem+json');
    expect(r.json).toMatchObject({ code: 'VALIDATION_FAILED', detail: 'Invalid body', requestId: 'req-1', errors: [{ path: 'body.name' }] });
  });

  it('answers body-parser failures with MALFORMED_JSON, PAYLOAD_TOO_LARGE and UNSUPPORTED_MEDIA_TYPE', () => {
    expect(handle(Object.assign(new Error('x'), { type: 'entity.parse.failed', status: 400, body: '{"phone":"13800138000"' })).json).toMatchObject({ code: 'MALFORMED_JSON', status: 400 });
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
    expect(handle(err).json).toMatchObject({ code: 'CONFLICT', status: 409 });
  });

  it('answers an unreachable database with 503 and Retry-After, and logs a warning', () => {
    const r = handle(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    expect(r.status).toBe(503);
    expect(r.json.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(r.headers['retry-after']).toBe('5');
    expect(r.logged).toEqual(['warn dependency unavailable']);
  });

  it('answers other 4xx http-errors with VALIDATION_FAILED', () => {
    expect(handle(Object.assign(new Error("Failed to decode param '%E0'"), { status: 400 })).json).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
  });

  it('answers anything else with 500 INTERNAL, logs it, and tells the client nothing of it', () => {
    const r = handle(new TypeError('Cannot read properties of undefined (reading "secretThing")'));
    expect(r.status).toBe(500);
    expect(r.json).toMatchObject({ code: 'INTERNAL', requestId: 'req-1' });
    expect(r.body).not.toContain('secretThing');
    expect(r.logged).toEqual(['error unhandled error']);
  });
});
