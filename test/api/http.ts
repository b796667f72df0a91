import { expect } from 'vitest';
import type { TestStack } from '../support/stack.js';

/** One HTTP answer, read once: status, headers and the parsed body (JSON when it is JSON). */
export interface Answer {
  status: number;
  headers: Headers;
  contentType: string;
  // Tests read fields of whatever came back; a wrong shape fails the expectation that reads it.
  body: any;
  text: string;
}

export interface CallOptions {
  token?: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent verbatim (with content-type application/json unless headers say otherwise). */
  raw?: string;
  headers?: Record<string, string>;
}

export async function call(stack: TestStack, method: string, path: string, opts: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.json !== undefined) body = JSON.stringify(opts.json);
  if (opts.raw !== undefined) body = opts.raw;
  if (body !== undefined) headers['content-type'] = 'application/json';
  Object.assign(headers, opts.headers);
  const res = await fetch(`${stack.baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  let parsed: unknown = text;
  if (/json/.test(contentType)) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, contentType, body: parsed, text };
}

/**
 * Asserts the platform's error contract: the status, an application/problem+json body with
 * `type, title, status, code, reason, requestId` (and the `reason` given), the language of its
 * texts in Content-Language, and the same request id in the X-Request-Id header.
 */
export function expectProblem(a: Answer, status: number, code: string, reason?: string): void {
  expect({ status: a.status, code: a.body?.code, ...(reason ? { reason: a.body?.reason } : {}) }, a.text).toEqual({ status, code, ...(reason ? { reason } : {}) });
  expect(a.contentType).toMatch(/^application\/problem\+json/);
  expect(a.body).toMatchObject({
    type: expect.stringMatching(/^urn:estate-care:error:[a-z-]+$/),
    title: expect.any(String),
    status,
    code,
    reason: expect.stringMatching(/^[A-Z][A-Z0-9_]+$/),
    requestId: expect.any(String),
  });
  expect(a.body.title.length).toBeGreaterThan(0);
  expect(['zh-CN', 'en']).toContain(a.headers.get('content-language'));
  expect(a.headers.get('x-request-id')).toBe(a.body.requestId);
}

/** The `errors[].path` of a validation problem, sorted. */
export function errorPaths(a: Answer): string[] {
  return [...new Set<string>((a.body?.errors ?? []).map((e: { path: string }) => e.path))].sort();
}
