import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ seed: true });
});
afterAll(async () => {
  await stack?.close();
});

describe('login', () => {
  it('returns a token and the user for the demo admin', async () => {
    const res = await fetch(`${stack.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'demo' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; user: { username: string; role: string } };
    expect(body.user).toMatchObject({ username: 'admin', role: 'ADMIN' });
    const projects = await fetch(`${stack.baseUrl}/api/projects`, { headers: { authorization: `Bearer ${body.token}` } });
    expect(projects.status).toBe(200);
    expect(((await projects.json()) as { total: number }).total).toBe(3);
  });
});
