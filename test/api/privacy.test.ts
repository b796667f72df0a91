import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { call } from './http.js';

const lines: string[] = [];
let stack: TestStack;
beforeAll(async () => {
  const logStream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(l);
      done();
    },
  });
  stack = await startTestStack({ seed: true, env: { LOG_LEVEL: 'debug' }, logStream });
});
afterAll(async () => {
  await stack?.close();
});

describe('phone masking', () => {
  // GRANTS 'customers:read-contact': the roles that call customers back see whole numbers.
  const WHOLE = ['agent', 'handler', 'supervisor', 'sales', 'salesmgr'];
  const MASKED = ['manager', 'admin'];
  const usernames = (prefixes: string[]) =>
    prefixes.flatMap((p) => ['project', 'company', 'group'].map((t) => (p === 'admin' && t === 'group' ? 'admin' : `${p}.${t}`)));

  for (const username of usernames(MASKED))
    it(`masks phone numbers for ${username}`, async () => {
      const token = await stack.login(username);
      const list = await call(stack, 'GET', '/api/customers?pageSize=200', { token });
      expect(list.status).toBe(200);
      const wang = list.body.items.find((c: { name: string }) => c.name === '王先生');
      expect(wang.phone).toBe('138****8001');
      for (const c of list.body.items) expect(c.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      expect(list.text).not.toContain('13800138001');
      const one = await call(stack, 'GET', `/api/customers/${wang.id}`, { token });
      expect(one.body.phone).toBe('138****8001');
    });

  for (const username of usernames(WHOLE))
    it(`shows whole phone numbers to ${username}`, async () => {
      const token = await stack.login(username);
      const list = await call(stack, 'GET', '/api/customers?pageSize=200', { token });
      const wang = list.body.items.find((c: { name: string }) => c.name === '王先生');
      expect(wang.phone).toBe('13800138001');
      const one = await call(stack, 'GET', `/api/customers/${wang.id}`, { token });
      expect(one.body.phone).toBe('13800138001');
    });

  it('masks the number in the answer to a masked role that registers a customer', async () => {
    const a = await call(stack, 'POST', '/api/customers', { token: await stack.login('admin'), json: { name: '赵先生', phone: '13611112222' } });
    expect(a.status).toBe(201);
    expect(a.body.phone).toBe('136****2222');
  });

  it('finds a customer by whole phone number for a masked role, still masked', async () => {
    const a = await call(stack, 'GET', '/api/customers?q=13900139002', { token: await stack.login('manager.group') });
    expect(a.body.items.map((c: { phone: string }) => c.phone)).toEqual(['139****9002']);
  });
});

describe('logs', () => {
  const secrets = {
    phone: '13912345678',
    name: '欧阳晓明',
    email: 'ouyang.xiaoming@example.cn',
    password: 'Zebra-Quartz-9173',
  };

  it('carry no phone number, customer name, password or token, and every line is JSON with a request id', async () => {
    const admin = await stack.login('admin');
    const created = await call(stack, 'POST', '/api/users', {
      token: admin,
      json: { username: 'log.probe', displayName: '日志测试', password: secrets.password, role: 'AGENT', scopeLevel: 'GROUP' },
    });
    expect(created.status).toBe(201);

    lines.length = 0;
    const requestIds: string[] = [];
    const track = <T extends { headers: Headers }>(a: T) => (requestIds.push(a.headers.get('x-request-id')!), a);

    const wrong = track(await call(stack, 'POST', '/api/auth/login', { json: { username: 'log.probe', password: `${secrets.password}-wrong` } }));
    expect(wrong.status).toBe(401);
    const ok = track(await call(stack, 'POST', '/api/auth/login', { json: { username: 'log.probe', password: secrets.password } }));
    expect(ok.status).toBe(200);
    const token: string = ok.body.token;

    const customer = track(
      await call(stack, 'POST', '/api/customers', {
        token,
        json: { name: secrets.name, phone: secrets.phone, email: secrets.email, consentToContact: true },
        headers: { 'x-request-id': 'log-probe-create' },
      }),
    );
    expect(customer.status).toBe(201);
    // Failures carry the personal data back in requests the server must still not log.
    track(await call(stack, 'POST', '/api/customers', { token, json: { name: secrets.name, phone: secrets.phone } })); // 409
    track(await call(stack, 'POST', '/api/customers', { token, raw: `{"name":"${secrets.name}","phone":"${secrets.phone}"` })); // 400
    track(await call(stack, 'POST', '/api/customers', { token, json: { name: secrets.name, phone: secrets.phone, email: 'bad' } })); // 400
    track(await call(stack, 'GET', `/api/customers?q=${secrets.phone}`, { token }));
    track(await call(stack, 'GET', `/api/customers?q=${encodeURIComponent(secrets.name)}`, { token }));
    track(await call(stack, 'GET', `/api/customers/${customer.body.id}`, { token }));

    // pino-http writes its line when the response finishes; wait until every request has one.
    await expect.poll(() => requestIds.every((id) => lines.some((l) => l.includes(id))), { timeout: 5000 }).toBe(true);

    const all = lines.join('\n');
    expect(all).not.toContain(secrets.phone);
    expect(all).not.toContain(secrets.phone.slice(3)); // no partial number either
    expect(all).not.toContain(secrets.name);
    expect(all).not.toContain(secrets.email);
    expect(all).not.toContain(secrets.password);
    expect(all).not.toContain(token);
    expect(all).not.toContain(token.split('.')[2]!);
    expect(all).not.toContain(admin.split('.')[2]!);

    const parsed = lines.map((l) => JSON.parse(l) as { level: number; time: string; msg?: string; req?: { id?: string } });
    for (const p of parsed) {
      expect(p).toMatchObject({ level: expect.any(Number), time: expect.any(String), service: 'api-test' });
      expect(p.req?.id, JSON.stringify(p)).toEqual(expect.any(String));
      expect(requestIds).toContain(p.req!.id);
    }
    // The handler's own lines carry the request id as well as pino-http's access line.
    const loginLine = parsed.find((p) => p.msg === 'login');
    expect(loginLine?.req?.id).toBe(requestIds[1]);
    const failedLine = parsed.find((p) => p.msg === 'login failed');
    expect(failedLine?.req?.id).toBe(requestIds[0]);
    expect(parsed.filter((p) => p.req?.id === 'log-probe-create').length).toBeGreaterThan(0);
  });
});
