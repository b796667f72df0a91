import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureNginx } from '../../platform/tools.js';
import { startNginx, type Nginx } from '../faults/nginx.js';
import { freePort, startTestStack, type TestStack } from '../support/stack.js';

/**
 * An owner's one-time sign-off link carries its credential in the path: Debian's nginx, running
 * ops/nginx/estate-care.conf in front of the API, passes /api/sign-off/<token> and /sign/<token>
 * to the API (the API answers them) but writes no access-log line with the token, while every
 * other request is still logged.
 */
let stack: TestStack;
let nginx: Nginx;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack({ seed: true });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-sign-off-'));
  nginx = await startNginx({ bin: ensureNginx(), dir, port: await freePort(), upstreams: [Number(new URL(stack.baseUrl).port)] });
}, 120_000);
afterAll(async () => {
  await nginx?.stop();
  await stack?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('nginx in front of sign-off links', () => {
  it('passes the link to the API and keeps its token out of the access log', async () => {
    const token = 'Tok3n_' + 'x'.repeat(37);
    const api = await fetch(`${nginx.url}/api/sign-off/${token}`);
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ code: 'NOT_FOUND', reason: 'SIGN_OFF_LINK_NOT_FOUND' });
    const post = await fetch(`${nginx.url}/api/sign-off/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accepted: false, reason: 'x' }) });
    expect(post.status).toBe(404);
    // The console's page of the link (the console may not be built here: the API answers either way).
    const page = await fetch(`${nginx.url}/sign/${token}`, { headers: { accept: 'text/html' } });
    expect([200, 503]).toContain(page.status);
    const health = await fetch(`${nginx.url}/healthz`);
    expect(health.status).toBe(200);

    // nginx writes a request's line when it ends: the health check's is there, none with the token.
    const deadline = Date.now() + 5_000;
    while (!nginx.requests().some((r) => r.uri === '/healthz') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(nginx.requests().map((r) => r.uri)).toContain('/healthz');
    expect(fs.readFileSync(nginx.accessLog, 'utf8')).not.toContain(token);
    expect(fs.existsSync(nginx.errorLog) ? fs.readFileSync(nginx.errorLog, 'utf8') : '').not.toContain(token);
  });
});
