/**
 * Issue 6, "Abuse refused", for what the API itself answers: login rate limiting (the lockout per
 * account is test/api/auth.test.ts), tokens that really expire, the security headers on every kind
 * of answer, and why cross-site requests cannot act for a signed-in user (no ambient credential:
 * the console sends a bearer token from sessionStorage, never a cookie; no CORS grant to other
 * origins; bodies only as application/json). Rendering hostile text as text is proven in the
 * browser (test/browser/cases.test.ts, console.test.ts, sales.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFigures } from '../support/figures.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { call, expectProblem } from './http.js';

const RATE = 5;
const TTL_SECONDS = 2;
let stack: TestStack;
const figures: string[] = [];

beforeAll(async () => {
  stack = await startTestStack({
    seed: true,
    env: { LOGIN_RATE_LIMIT_PER_MINUTE: String(RATE), JWT_TTL_SECONDS: String(TTL_SECONDS), LOGIN_MAX_FAILURES: '100' },
  });
});
afterAll(async () => {
  await stack?.close();
  if (figures.length) recordFigures('security-abuse', { title: 'Abuse refused: login rate limit, token expiry, headers, cross-site requests / 防滥用', lines: figures });
});

const login = (username: string, password: string, headers: Record<string, string> = {}) =>
  call(stack, 'POST', '/api/auth/login', { json: { username, password }, headers });

/**
 * A token for tests that are not about the limit, from an address of its own (the API trusts
 * X-Forwarded-For from loopback): the first test spends the loopback address's budget.
 */
let addresses = 0;
async function tokenFor(username: string): Promise<string> {
  const a = await login(username, 'demo', { 'x-forwarded-for': `192.0.2.${++addresses}` });
  expect(a.status, a.text).toBe(200);
  return a.body.token as string;
}

describe('login rate limit', () => {
  it(`answers 429 RATE_LIMITED with Retry-After after ${RATE} attempts a minute from one address, even to the right password`, async () => {
    const answers: number[] = [];
    for (let i = 0; i < RATE; i++) answers.push((await login('agent.company', `wrong-${i}`)).status);
    expect(answers).toEqual(Array(RATE).fill(401));

    const limited = await login('agent.company', 'demo');
    expectProblem(limited, 429, 'RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // The IETF draft-8 RateLimit headers say the policy and what is left.
    expect(limited.headers.get('ratelimit-policy')).toMatch(new RegExp(`q=${RATE}\\b`));
    expect(limited.headers.get('ratelimit')).toMatch(/r=0\b/);

    // Another user from the same address is limited too: the limit is per address, the lockout per account.
    expectProblem(await login('handler.company', 'demo'), 429, 'RATE_LIMITED');
    // Only login is limited: the rest of the API still answers.
    expect((await call(stack, 'GET', '/healthz')).status).toBe(200);
    expectProblem(await call(stack, 'GET', '/api/auth/me'), 401, 'UNAUTHENTICATED');
    figures.push(`login: ${RATE} attempts/min per address allowed, attempt ${RATE + 1} → 429 (Retry-After ${retryAfter} s)`);
  });

  it('keys the limit by the client address a trusted (loopback) proxy forwards', async () => {
    // The API trusts X-Forwarded-For from loopback only (a reverse proxy on the same host); the
    // test client is on loopback, so each forwarded address gets a budget of its own …
    const a = await login('agent.company', 'demo', { 'x-forwarded-for': '203.0.113.7' });
    expect(a.status).toBe(200);
    for (let i = 0; i < RATE - 1; i++) await login('agent.company', `wrong-${i}`, { 'x-forwarded-for': '203.0.113.7' });
    expectProblem(await login('agent.company', 'demo', { 'x-forwarded-for': '203.0.113.7' }), 429, 'RATE_LIMITED');
    // … and one address's exhausted budget does not shut out another.
    expect((await login('agent.company', 'demo', { 'x-forwarded-for': '203.0.113.8' })).status).toBe(200);
  });
});

describe("the owner's sign-off link rate limit", () => {
  it(`answers 429 RATE_LIMITED after ${RATE} guesses of a link a minute from one address, like login`, async () => {
    const from = { 'x-forwarded-for': '198.51.100.77' };
    const guess = (i: number) => call(stack, 'GET', `/api/sign-off/${String(i).padStart(43, 'A')}`, { headers: from });
    const answers: number[] = [];
    for (let i = 0; i < RATE; i++) answers.push((await guess(i)).status);
    expect(answers).toEqual(Array(RATE).fill(404));
    const limited = await guess(RATE);
    expectProblem(limited, 429, 'RATE_LIMITED', 'SIGN_OFF_LINK_RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // The confirming POST shares the budget; another address has its own.
    expectProblem(await call(stack, 'POST', `/api/sign-off/${'B'.repeat(43)}`, { json: { accepted: false, reason: 'x' }, headers: from }), 429, 'RATE_LIMITED');
    expectProblem(await call(stack, 'GET', `/api/sign-off/${'C'.repeat(43)}`, { headers: { 'x-forwarded-for': '198.51.100.78' } }), 404, 'NOT_FOUND', 'SIGN_OFF_LINK_NOT_FOUND');
    figures.push(`sign-off links: ${RATE} guesses/min per address allowed (LOGIN_RATE_LIMIT_PER_MINUTE), then 429`);
  });
});

describe('token expiry', () => {
  it(`turns a token away with 401 once its ${TTL_SECONDS} s lifetime has passed`, async () => {
    const a = await login('supervisor.company', 'demo', { 'x-forwarded-for': '198.51.100.1' });
    expect(a.status, a.text).toBe(200);
    const expiresAt = new Date(a.body.expiresAt).getTime();
    expect(expiresAt - Date.now()).toBeGreaterThan(0);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(TTL_SECONDS * 1000);
    expect((await call(stack, 'GET', '/api/auth/me', { token: a.body.token })).status).toBe(200);

    // JWT `exp` has whole-second resolution: wait past it.
    await new Promise((r) => setTimeout(r, expiresAt - Date.now() + 1100));
    const expired = await call(stack, 'GET', '/api/auth/me', { token: a.body.token });
    expectProblem(expired, 401, 'UNAUTHENTICATED');
    expect(expired.body).toMatchObject({ reason: 'TOKEN_INVALID', detail: '令牌无效或已过期' });
    const expiredInEnglish = await call(stack, 'GET', '/api/auth/me', { token: a.body.token, headers: { 'accept-language': 'en' } });
    expect(expiredInEnglish.body).toMatchObject({ reason: 'TOKEN_INVALID', detail: 'Invalid or expired token' });
    expectProblem(await call(stack, 'GET', '/api/cases', { token: a.body.token }), 401, 'UNAUTHENTICATED');
    figures.push(`tokens: valid for ${TTL_SECONDS} s (JWT_TTL_SECONDS), then 401 on every route`);
  });
});

describe('security headers', () => {
  const common = (h: Headers) => {
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
    expect(h.get('referrer-policy')).toBe('no-referrer');
    expect(h.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(h.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(h.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(h.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
    expect(h.get('x-powered-by')).toBeNull();
  };

  it('sets them on API answers, errors included, and keeps API answers out of every cache', async () => {
    const token = await tokenFor('manager.group');
    const answers = [
      await call(stack, 'GET', '/api/cases', { token }),
      await call(stack, 'GET', '/api/customers?q=王', { token }),
      await call(stack, 'GET', '/api/cases'),
      await call(stack, 'GET', '/api/no-such-route', { token }),
      await call(stack, 'POST', '/api/cases', { token, raw: '{not json' }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 401, 404, 400]);
    for (const a of answers) {
      common(a.headers);
      expect(a.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('sets them on the console and its assets, which may be cached', async () => {
    const page = await fetch(`${stack.baseUrl}/cases`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    common(page.headers);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const script = /<script[^>]+src="([^"]+)"/.exec(await page.text())?.[1];
    expect(script).toBeTruthy();
    const asset = await fetch(`${stack.baseUrl}${script}`);
    expect(asset.status).toBe(200);
    common(asset.headers);
    expect(asset.headers.get('cache-control')).toMatch(/max-age=\d+/);
    figures.push('headers: CSP (script-src self, frame-ancestors none), HSTS, nosniff, no-referrer, COOP on API, errors and console; API answers no-store');
  });
});

describe('cross-site requests', () => {
  const EVIL = 'https://evil.example';

  it('issues no cookie at login: a signed-in browser has no ambient credential another site could ride', async () => {
    const a = await login('agent.project', 'demo', { 'x-forwarded-for': '198.51.100.2' });
    expect(a.status).toBe(200);
    expect(a.headers.get('set-cookie')).toBeNull();
  });

  it('grants no other origin CORS access to the API', async () => {
    const token = await tokenFor('manager.group');
    const preflight = await fetch(`${stack.baseUrl}/api/cases`, {
      method: 'OPTIONS',
      headers: { origin: EVIL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-headers')).toBeNull();
    const read = await fetch(`${stack.baseUrl}/api/cases`, { headers: { origin: EVIL, authorization: `Bearer ${token}` } });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
    expect(read.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('refuses the bodies an HTML form on another site can send without a preflight (415), before anything runs', async () => {
    const token = await tokenFor('agent.project');
    const before = await stack.db.case.count();
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain']) {
      const res = await fetch(`${stack.baseUrl}/api/cases`, {
        method: 'POST',
        headers: { origin: EVIL, 'content-type': type, authorization: `Bearer ${token}` },
        body: type.startsWith('multipart') ? '--x\r\ncontent-disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n' : '{"type":"complaint"}',
      });
      expect(res.status, type).toBe(415);
    }
    expect(await stack.db.case.count()).toBe(before);
    figures.push('cross-site: no cookie issued, no CORS grant to other origins, form/text bodies refused with 415');
  });
});
