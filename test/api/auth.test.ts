import { verify } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { call, expectProblem } from './http.js';

let stack: TestStack;
let admin: string;
beforeAll(async () => {
  // LOGIN_MAX_FAILURES and LOGIN_LOCK_MINUTES left at their defaults (5 and 15) on purpose.
  stack = await startTestStack({ seed: true });
  admin = await stack.login('admin');
});
afterAll(async () => {
  await stack?.close();
});

const login = (username: string, password: string) => call(stack, 'POST', '/api/auth/login', { json: { username, password } });
const userRow = (username: string) => stack.db.user.findUniqueOrThrow({ where: { username } });

async function newUser(username: string, password: string, extra: Record<string, unknown> = {}) {
  const a = await call(stack, 'POST', '/api/users', {
    token: admin,
    json: { username, displayName: username, password, role: 'AGENT', scopeLevel: 'GROUP', ...extra },
  });
  expect(a.status, a.text).toBe(201);
  return a.body as { id: string };
}

describe('login', () => {
  it('answers 401 INVALID_CREDENTIALS to an unknown user, exactly as to a wrong password', async () => {
    const unknown = await login('nobody.here', 'demo');
    const wrong = await login('agent.company', 'not-the-password');
    expectProblem(unknown, 401, 'INVALID_CREDENTIALS');
    expectProblem(wrong, 401, 'INVALID_CREDENTIALS');
    // Same title and detail: the answer does not tell which usernames exist.
    expect({ title: unknown.body.title, detail: unknown.body.detail }).toEqual({ title: wrong.body.title, detail: wrong.body.detail });
  });

  it('returns a token that authenticates as the user', async () => {
    const a = await login('handler.company', 'demo');
    expect(a.status).toBe(200);
    expect(new Date(a.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 3600_000);
    const me = await call(stack, 'GET', '/api/auth/me', { token: a.body.token });
    expect(me.body).toMatchObject({ username: 'handler.company', role: 'HANDLER', scope: { level: 'COMPANY' } });
  });
});

describe('lockout', () => {
  it('locks the account on the fifth failure and then refuses even the right password with 423', async () => {
    for (let i = 1; i <= 4; i++) expectProblem(await login('sales.project', `wrong-${i}`), 401, 'INVALID_CREDENTIALS');
    expectProblem(await login('sales.project', 'wrong-5'), 423, 'ACCOUNT_LOCKED');
    expectProblem(await login('sales.project', 'demo'), 423, 'ACCOUNT_LOCKED');
    const row = await userRow('sales.project');
    // LOGIN_LOCK_MINUTES defaults to 15.
    expect(row.lockedUntil!.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(row.lockedUntil!.getTime() - Date.now()).toBeLessThanOrEqual(15 * 60_000);
  });

  it('lets the user in again once lockedUntil has passed, and clears the lock', async () => {
    for (let i = 1; i <= 5; i++) await login('sales.company', `wrong-${i}`);
    expectProblem(await login('sales.company', 'demo'), 423, 'ACCOUNT_LOCKED');
    await stack.db.user.update({ where: { username: 'sales.company' }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    const a = await login('sales.company', 'demo');
    expect(a.status, a.text).toBe(200);
    expect(await userRow('sales.company')).toMatchObject({ lockedUntil: null, failedLoginCount: 0 });
  });

  it('counts failures since the last successful login only', async () => {
    for (let i = 1; i <= 4; i++) await login('sales.group', `wrong-${i}`);
    expect((await login('sales.group', 'demo')).status).toBe(200);
    for (let i = 1; i <= 4; i++) expectProblem(await login('sales.group', `wrong-again-${i}`), 401, 'INVALID_CREDENTIALS');
    expect((await login('sales.group', 'demo')).status).toBe(200);
  });

  it('locks only the account that was guessed at', async () => {
    for (let i = 1; i <= 5; i++) await login('handler.project', `wrong-${i}`);
    expectProblem(await login('handler.project', 'demo'), 423, 'ACCOUNT_LOCKED');
    expect((await login('handler.group', 'demo')).status).toBe(200);
  });

  it('still locks when the guesses arrive in parallel', async () => {
    // Read-modify-write counting let ten parallel guesses count as about two.
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => login('salesmgr.project', `wrong-${i}`)));
    for (const a of answers) expect([401, 423]).toContain(a.status);
    expectProblem(await login('salesmgr.project', 'demo'), 423, 'ACCOUNT_LOCKED');
  });
});

describe('lockout settings', () => {
  let strict: TestStack;
  beforeAll(async () => {
    strict = await startTestStack({ seed: true, env: { LOGIN_MAX_FAILURES: '2', LOGIN_LOCK_MINUTES: '1' } });
  });
  afterAll(async () => {
    await strict?.close();
  });

  it('locks after LOGIN_MAX_FAILURES failures for LOGIN_LOCK_MINUTES', async () => {
    const attempt = (password: string) => call(strict, 'POST', '/api/auth/login', { json: { username: 'agent.project', password } });
    expectProblem(await attempt('wrong-1'), 401, 'INVALID_CREDENTIALS');
    expectProblem(await attempt('wrong-2'), 423, 'ACCOUNT_LOCKED');
    const row = await strict.db.user.findUniqueOrThrow({ where: { username: 'agent.project' } });
    expect(row.lockedUntil!.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
    expect(row.lockedUntil!.getTime() - Date.now()).toBeGreaterThan(50_000);
  });
});

describe('deactivation', () => {
  it("turns away a deactivated user's existing token with 401 and its login with 401", async () => {
    const user = await newUser('leaver.one', 'leaver-password-1');
    const token = await stack.login('leaver.one', 'leaver-password-1');
    expect((await call(stack, 'GET', '/api/auth/me', { token })).status).toBe(200);

    const off = await call(stack, 'PATCH', `/api/users/${user.id}`, { token: admin, json: { active: false } });
    expect(off.status, off.text).toBe(200);
    expect(off.body.active).toBe(false);

    expectProblem(await call(stack, 'GET', '/api/auth/me', { token }), 401, 'UNAUTHENTICATED');
    expectProblem(await call(stack, 'GET', '/api/projects', { token }), 401, 'UNAUTHENTICATED');
    expectProblem(await login('leaver.one', 'leaver-password-1'), 401, 'INVALID_CREDENTIALS');

    await call(stack, 'PATCH', `/api/users/${user.id}`, { token: admin, json: { active: true } });
    expect((await call(stack, 'GET', '/api/auth/me', { token })).status).toBe(200);
  });

  it('refuses to let an administrator deactivate itself', async () => {
    const me = await call(stack, 'GET', '/api/auth/me', { token: admin });
    expectProblem(await call(stack, 'PATCH', `/api/users/${me.body.id}`, { token: admin, json: { active: false } }), 409, 'CONFLICT');
  });
});

describe('password storage', () => {
  const ARGON2ID = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

  it('stores every seeded password as an argon2id hash', async () => {
    const rows = await stack.db.user.findMany({ select: { username: true, passwordHash: true } });
    expect(rows.length).toBeGreaterThanOrEqual(21);
    for (const r of rows) expect(r.passwordHash, r.username).toMatch(ARGON2ID);
  });

  it("stores a new user's password as a salted argon2id hash that verifies, never as the text", async () => {
    const password = 'Plain-Text-Canary-42';
    await newUser('hash.one', password);
    await newUser('hash.two', password);
    const one = await userRow('hash.one');
    const two = await userRow('hash.two');
    expect(one.passwordHash).toMatch(ARGON2ID);
    expect(one.passwordHash).not.toContain(password);
    expect(one.passwordHash).not.toBe(two.passwordHash);
    expect(await verify(one.passwordHash, password)).toBe(true);
    expect(await verify(one.passwordHash, `${password}!`)).toBe(false);
    const dump = JSON.stringify(await stack.db.user.findMany());
    expect(dump).not.toContain(password);
  });

  it('hashes a reset password, lets it log in and retires the old one', async () => {
    const user = await newUser('reset.one', 'first-password-1');
    const a = await call(stack, 'PATCH', `/api/users/${user.id}`, { token: admin, json: { password: 'second-password-2' } });
    expect(a.status, a.text).toBe(200);
    expect(JSON.stringify(a.body)).not.toMatch(/password|argon/i);
    expect((await userRow('reset.one')).passwordHash).toMatch(ARGON2ID);
    expectProblem(await login('reset.one', 'first-password-1'), 401, 'INVALID_CREDENTIALS');
    expect((await login('reset.one', 'second-password-2')).status).toBe(200);
  });

  it('never returns a password hash from the API', async () => {
    for (const path of ['/api/users?pageSize=200', '/api/auth/me']) {
      const a = await call(stack, 'GET', path, { token: admin });
      expect(a.status).toBe(200);
      expect(a.text).not.toMatch(/argon2|passwordHash/);
    }
  });
});
