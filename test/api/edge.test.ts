import crypto from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { call, errorPaths, expectProblem } from './http.js';

/**
 * Issue 2, "Done means" #3: bad input never yields a 500. Every answer here is an error, and each
 * one is checked against the whole problem+json contract (expectProblem).
 */
let stack: TestStack;
let admin: string; // ADMIN, GROUP
const ids = { east: '', south: '', bjhy: '', hjw: '', agentProject: '', customer: '' };

beforeAll(async () => {
  stack = await startTestStack({ seed: true });
  admin = await stack.login('admin');
  const company = (code: string) => stack.db.company.findFirstOrThrow({ where: { code } });
  const project = (code: string) => stack.db.project.findFirstOrThrow({ where: { code } });
  ids.east = (await company('HX-EAST')).id;
  ids.south = (await company('HX-SOUTH')).id;
  ids.bjhy = (await project('HZ-BJHY')).id;
  ids.hjw = (await project('SZ-HJW')).id;
  ids.agentProject = (await stack.db.user.findUniqueOrThrow({ where: { username: 'agent.project' } })).id;
  ids.customer = (await stack.db.customer.findFirstOrThrow({ where: { phone: '13800138001' } })).id;
});
afterAll(async () => {
  await stack?.close();
});

const uniq = () => crypto.randomBytes(4).toString('hex');
const validBody = {
  customers: () => ({ name: '测试客户', phone: `139${String(crypto.randomInt(1e8)).padStart(8, '0')}` }),
  users: () => ({ username: `u.${uniq()}`, displayName: '测试', password: 'long-enough-1', role: 'AGENT', scopeLevel: 'PROJECT', projectId: ids.bjhy }),
  projects: () => ({ companyId: ids.east, code: `T-${uniq()}`, name: '测试项目' }),
  login: () => ({ username: 'admin', password: 'demo' }),
};
const POSTS = [
  { path: '/api/customers', body: validBody.customers, auth: true },
  { path: '/api/users', body: validBody.users, auth: true },
  { path: '/api/projects', body: validBody.projects, auth: true },
  { path: '/api/auth/login', body: validBody.login, auth: false },
] as const;

describe('malformed JSON', () => {
  const samples = {
    'a truncated object': '{"name": "王',
    'a trailing comma': '{"name": "x",}',
    'a bare string (strict JSON bodies are objects or arrays)': '"hello"',
    'the literal null': 'null',
    'single quotes': "{'name': 'x'}",
  };
  for (const { path, auth } of POSTS)
    for (const [what, raw] of Object.entries(samples))
      it(`answers 400 MALFORMED_JSON to ${what} on POST ${path}`, async () => {
        expectProblem(await call(stack, 'POST', path, { token: auth ? admin : undefined, raw }), 400, 'MALFORMED_JSON');
      });
});

describe('validation', () => {
  const cases: { path: string; what: string; body: () => unknown; paths: string[] }[] = [
    { path: '/api/customers', what: 'an empty object', body: () => ({}), paths: ['body.name', 'body.phone'] },
    {
      path: '/api/customers',
      what: 'fields of the wrong type',
      body: () => ({ name: 123, phone: 13800138000, email: 'not-an-email', consentToContact: 'yes' }),
      paths: ['body.consentToContact', 'body.email', 'body.name', 'body.phone'],
    },
    { path: '/api/customers', what: 'a phone that is no phone number', body: () => ({ name: '王', phone: '12345' }), paths: ['body.phone'] },
    { path: '/api/customers', what: 'an array body', body: () => [], paths: ['body'] },
    {
      path: '/api/users',
      what: 'an empty object',
      body: () => ({}),
      paths: ['body.displayName', 'body.password', 'body.role', 'body.scopeLevel', 'body.username'],
    },
    {
      path: '/api/users',
      what: 'fields of the wrong type or form',
      body: () => ({ username: 'Not Valid', displayName: '', password: 'short', role: 'KING', scopeLevel: 'PLANET', email: 'x' }),
      paths: ['body.displayName', 'body.email', 'body.password', 'body.role', 'body.scopeLevel', 'body.username'],
    },
    {
      path: '/api/users',
      what: 'a COMPANY scope without its company',
      body: () => ({ ...validBody.users(), scopeLevel: 'COMPANY', projectId: undefined }),
      paths: ['body.companyId'],
    },
    {
      path: '/api/users',
      what: 'a PROJECT scope without its project',
      body: () => ({ ...validBody.users(), projectId: undefined }),
      paths: ['body.projectId'],
    },
    { path: '/api/projects', what: 'an empty object', body: () => ({}), paths: ['body.code', 'body.companyId', 'body.name'] },
    {
      path: '/api/projects',
      what: 'fields of the wrong type or form',
      body: () => ({
        companyId: 5,
        code: 'has space',
        name: '',
        timeZone: 'Mars/Olympus_Mons',
        warrantyAuthorisationAmount: -1,
        deliveryDate: '2027-02-30',
        buildings: [{ name: '1栋', units: [{ number: '101', floor: 1.5, area: 0 }] }],
      }),
      paths: [
        'body.buildings.0.units.0.area',
        'body.buildings.0.units.0.floor',
        'body.code',
        'body.companyId',
        'body.deliveryDate',
        'body.name',
        'body.timeZone',
        'body.warrantyAuthorisationAmount',
      ],
    },
    {
      path: '/api/projects',
      what: 'the same unit number twice in one building (it would otherwise be dropped silently)',
      body: () => ({
        ...validBody.projects(),
        buildings: [{ name: '1栋', units: [{ number: '101', floor: 1, area: 90 }, { number: '101', floor: 1, area: 95 }] }],
      }),
      paths: ['body.buildings.0.units.1.number'],
    },
    { path: '/api/auth/login', what: 'an empty object', body: () => ({}), paths: ['body.password', 'body.username'] },
    { path: '/api/auth/login', what: 'fields of the wrong type', body: () => ({ username: 5, password: '' }), paths: ['body.password', 'body.username'] },
    // PostgreSQL text cannot hold U+0000; this used to reach the database and answer 500.
    { path: '/api/customers', what: 'a NUL character in a name', body: () => ({ ...validBody.customers(), name: '王\u0000' }), paths: ['body.name'] },
    { path: '/api/users', what: 'a NUL character in a display name', body: () => ({ ...validBody.users(), displayName: 'x\u0000y' }), paths: ['body.displayName'] },
    {
      path: '/api/projects',
      what: 'a NUL character in a building name',
      body: () => ({ ...validBody.projects(), buildings: [{ name: '1\u0000栋' }] }),
      paths: ['body.buildings.0.name'],
    },
    { path: '/api/auth/login', what: 'a NUL character in the username', body: () => ({ username: 'admin\u0000', password: 'demo' }), paths: ['body.username'] },
  ];
  for (const c of cases)
    it(`answers 400 VALIDATION_FAILED naming ${c.paths.join(', ')} for ${c.what} on POST ${c.path}`, async () => {
      const a = await call(stack, 'POST', c.path, { token: c.path === '/api/auth/login' ? undefined : admin, json: c.body() });
      expectProblem(a, 400, 'VALIDATION_FAILED');
      expect(errorPaths(a)).toEqual(c.paths);
      for (const e of a.body.errors) expect(e.message).toEqual(expect.any(String));
    });

  it('accepts the valid bodies the cases above are variations of', async () => {
    // Guards the cases above: they fail for the reason they name, not because the base body is bad.
    for (const { path, body, auth } of POSTS) {
      const a = await call(stack, 'POST', path, { token: auth ? admin : undefined, json: body() });
      expect(a.status, `${path}: ${a.text}`).toBeLessThan(300);
    }
  });

  it('answers 400 naming params.id for a NUL character in a path id', async () => {
    for (const path of ['/api/customers/%00', '/api/users/%00', '/api/projects/%00', '/api/projects/%00/units', '/api/outbox/%00']) {
      const a = await call(stack, 'GET', path, { token: admin });
      expectProblem(a, 400, 'VALIDATION_FAILED');
      expect(errorPaths(a), path).toEqual(['params.id']);
    }
  });

  it('answers 400 naming query.q for a NUL character in a search', async () => {
    for (const path of ['/api/customers?q=a%00', '/api/users?q=a%00', '/api/projects?q=a%00']) {
      const a = await call(stack, 'GET', path, { token: admin });
      expectProblem(a, 400, 'VALIDATION_FAILED');
      expect(errorPaths(a), path).toEqual(['query.q']);
    }
  });

  it('answers 400 to a path parameter that is not valid percent-encoding', async () => {
    expectProblem(await call(stack, 'GET', '/api/projects/%E0%A4%A', { token: admin }), 400, 'VALIDATION_FAILED');
  });
});

describe('body size and media type', () => {
  for (const { path, auth } of POSTS)
    it(`answers 413 PAYLOAD_TOO_LARGE to a 300 KB body on POST ${path}`, async () => {
      const raw = JSON.stringify({ name: 'x'.repeat(300 * 1024) });
      expectProblem(await call(stack, 'POST', path, { token: auth ? admin : undefined, raw }), 413, 'PAYLOAD_TOO_LARGE');
    });

  it('answers 415 UNSUPPORTED_MEDIA_TYPE to a form-encoded body', async () => {
    const a = await call(stack, 'POST', '/api/customers', {
      token: admin,
      raw: 'name=x&phone=13800000000',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectProblem(a, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 415 UNSUPPORTED_MEDIA_TYPE to JSON in a charset the parser does not read', async () => {
    const a = await call(stack, 'POST', '/api/customers', {
      token: admin,
      json: validBody.customers(),
      headers: { 'content-type': 'application/json; charset=ebcdic' },
    });
    expectProblem(a, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('query parameters', () => {
  const lists = () => [
    '/api/customers', '/api/users', '/api/projects', '/api/companies', '/api/outbox', `/api/projects/${ids.bjhy}/units`,
    '/api/record-views', `/api/customers/${ids.customer}/views`,
  ];
  const bad: [string, string][] = [
    ['page=0', 'query.page'],
    ['page=-1', 'query.page'],
    ['page=1.5', 'query.page'],
    ['page=abc', 'query.page'],
    ['page=1&page=2', 'query.page'],
    ['pageSize=1000', 'query.pageSize'],
    ['pageSize=0', 'query.pageSize'],
  ];
  for (const [qs, path] of bad)
    it(`answers 400 naming ${path} for ?${qs} on every list`, async () => {
      for (const list of lists()) {
        const a = await call(stack, 'GET', `${list}?${qs}`, { token: admin });
        expectProblem(a, 400, 'VALIDATION_FAILED');
        expect(errorPaths(a), list).toEqual([path]);
      }
    });

  it('answers 400 naming query.status for an unknown status filter', async () => {
    for (const list of [`/api/projects/${ids.bjhy}/units`, '/api/outbox']) {
      const a = await call(stack, 'GET', `${list}?status=NOPE`, { token: admin });
      expectProblem(a, 400, 'VALIDATION_FAILED');
      expect(errorPaths(a), list).toEqual(['query.status']);
    }
  });

  it('answers 400 naming query.role and query.active for unknown user filters', async () => {
    const a = await call(stack, 'GET', '/api/users?role=KING&active=maybe', { token: admin });
    expectProblem(a, 400, 'VALIDATION_FAILED');
    expect(errorPaths(a)).toEqual(['query.active', 'query.role']);
  });

  it('accepts the edges of the page range', async () => {
    const a = await call(stack, 'GET', '/api/projects?page=1&pageSize=200', { token: admin });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ page: 1, pageSize: 200 });
  });
});

describe('authentication', () => {
  const protectedRoutes = () => [
    ['GET', '/api/auth/me'],
    ['GET', '/api/companies'],
    ['GET', '/api/projects'],
    ['POST', '/api/projects'],
    ['GET', `/api/projects/${ids.bjhy}`],
    ['GET', `/api/projects/${ids.bjhy}/units`],
    ['GET', '/api/users'],
    ['POST', '/api/users'],
    ['GET', `/api/users/${ids.agentProject}`],
    ['PATCH', `/api/users/${ids.agentProject}`],
    ['GET', '/api/customers'],
    ['POST', '/api/customers'],
    ['GET', `/api/customers/${ids.customer}`],
    ['GET', '/api/outbox'],
    ['GET', `/api/outbox/${crypto.randomUUID()}`],
    ['GET', '/api/record-views'],
    ['GET', `/api/customers/${ids.customer}/views`],
  ];
  const sign = (secret: string, opts: { exp?: number; iss?: string; aud?: string; sub?: string } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ role: 'ADMIN' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(opts.sub ?? ids.agentProject)
      .setIssuer(opts.iss ?? 'estate-care')
      .setAudience(opts.aud ?? 'estate-care-api')
      .setIssuedAt(now - 7200)
      .setExpirationTime(opts.exp ?? now + 3600)
      .sign(new TextEncoder().encode(secret));
  };

  it('answers 401 UNAUTHENTICATED on every protected route without a token', async () => {
    for (const [method, path] of protectedRoutes()) {
      const a = await call(stack, method!, path!, { json: method === 'GET' ? undefined : {} });
      expectProblem(a, 401, 'UNAUTHENTICATED');
    }
  });

  it('accepts a token it issued itself, signed the way the bad ones below are', async () => {
    // Guards the cases below: the helper builds an acceptable token when nothing is wrong with it.
    const a = await call(stack, 'GET', '/api/auth/me', { token: await sign(stack.config.jwt.secret) });
    expect(a.status).toBe(200);
    expect(a.body.username).toBe('agent.project');
  });

  const bad: [string, () => Promise<string> | string][] = [
    ['a garbage token', () => 'not-a-jwt'],
    ['a token of three garbage segments', () => 'aaa.bbb.ccc'],
    ['a token signed with another secret', () => sign('another-secret-another-secret-0123456')],
    ['an expired token', () => sign(stack.config.jwt.secret, { exp: Math.floor(Date.now() / 1000) - 60 })],
    ['a token from another issuer', () => sign(stack.config.jwt.secret, { iss: 'someone-else' })],
    ['a token for another audience', () => sign(stack.config.jwt.secret, { aud: 'another-api' })],
    ['an unsigned (alg: none) token', () => new UnsecuredJWT({ role: 'ADMIN' }).setSubject(ids.agentProject).setIssuer('estate-care').setAudience('estate-care-api').setExpirationTime('1h').encode()],
    ['a valid token for a user that does not exist', () => sign(stack.config.jwt.secret, { sub: crypto.randomUUID() })],
  ];
  for (const [what, token] of bad)
    it(`answers 401 UNAUTHENTICATED to ${what}`, async () => {
      const t = await token();
      for (const [method, path] of [
        ['GET', '/api/auth/me'],
        ['GET', '/api/projects'],
        ['GET', '/api/customers'],
      ])
        expectProblem(await call(stack, method!, path!, { token: t }), 401, 'UNAUTHENTICATED');
    });

  it('answers 401 UNAUTHENTICATED to an Authorization header that is not a bearer token', async () => {
    const a = await call(stack, 'GET', '/api/auth/me', { headers: { authorization: 'Basic YWRtaW46ZGVtbw==' } });
    expectProblem(a, 401, 'UNAUTHENTICATED');
  });
});

describe('role', () => {
  const cases: [string, string, string, () => unknown][] = [
    ['agent.group', 'POST', '/api/projects', () => validBody.projects()],
    ['supervisor.group', 'POST', '/api/users', () => validBody.users()],
    ['agent.group', 'GET', '/api/users', () => undefined],
    ['sales.company', 'GET', '/api/users', () => undefined],
    ['manager.group', 'POST', '/api/customers', () => validBody.customers()],
    ['supervisor.group', 'GET', '/api/outbox', () => undefined],
  ];
  for (const [user, method, path, body] of cases)
    it(`refuses ${method} ${path} to ${user} with 403 FORBIDDEN`, async () => {
      const token = await stack.login(user);
      expectProblem(await call(stack, method, path, { token, json: body() }), 403, 'FORBIDDEN');
    });
});

describe('scope', () => {
  it("keeps a project handler out of another company's project units", async () => {
    const a = await call(stack, 'GET', `/api/projects/${ids.hjw}/units`, { token: await stack.login('handler.project') });
    expectProblem(a, 403, 'OUT_OF_SCOPE');
  });

  it('refuses a company administrator a user in another company', async () => {
    const token = await stack.login('admin.company');
    const a = await call(stack, 'POST', '/api/users', { token, json: { ...validBody.users(), scopeLevel: 'COMPANY', companyId: ids.south, projectId: undefined } });
    expectProblem(a, 403, 'OUT_OF_SCOPE');
  });

  it("refuses a company administrator a user in another company's project", async () => {
    const token = await stack.login('admin.company');
    expectProblem(await call(stack, 'POST', '/api/users', { token, json: { ...validBody.users(), projectId: ids.hjw } }), 403, 'OUT_OF_SCOPE');
  });

  it('refuses a company administrator a group-scoped user', async () => {
    const token = await stack.login('admin.company');
    const a = await call(stack, 'POST', '/api/users', { token, json: { ...validBody.users(), scopeLevel: 'GROUP', projectId: undefined } });
    expectProblem(a, 403, 'OUT_OF_SCOPE');
  });

  it('refuses a project administrator a company-scoped user in its own company', async () => {
    const token = await stack.login('admin.project');
    const a = await call(stack, 'POST', '/api/users', { token, json: { ...validBody.users(), scopeLevel: 'COMPANY', companyId: ids.east, projectId: undefined } });
    expectProblem(a, 403, 'OUT_OF_SCOPE');
  });

  it('refuses a company administrator a project in another company', async () => {
    const token = await stack.login('admin.company');
    expectProblem(await call(stack, 'POST', '/api/projects', { token, json: { ...validBody.projects(), companyId: ids.south } }), 403, 'OUT_OF_SCOPE');
  });

  it('refuses a project administrator a new project, even in its own company', async () => {
    const token = await stack.login('admin.project');
    expectProblem(await call(stack, 'POST', '/api/projects', { token, json: validBody.projects() }), 403, 'OUT_OF_SCOPE');
  });

  it('refuses the outbox to a company administrator', async () => {
    expectProblem(await call(stack, 'GET', '/api/outbox', { token: await stack.login('admin.company') }), 403, 'OUT_OF_SCOPE');
  });
});

describe('not found', () => {
  const unknown = crypto.randomUUID();
  const cases: [string, string, string, unknown?][] = [
    ['GET', `/api/projects/${unknown}`, 'PROJECT_NOT_FOUND'],
    ['GET', `/api/projects/${unknown}/units`, 'PROJECT_NOT_FOUND'],
    ['GET', `/api/users/${unknown}`, 'USER_NOT_FOUND'],
    ['PATCH', `/api/users/${unknown}`, 'USER_NOT_FOUND', { displayName: 'x' }],
    ['GET', `/api/customers/${unknown}`, 'CUSTOMER_NOT_FOUND'],
    ['GET', `/api/outbox/${unknown}`, 'EMAIL_NOT_FOUND'],
  ];
  for (const [method, path, reason, json] of cases)
    it(`answers 404 NOT_FOUND (${reason}) to ${method} ${path.replace(unknown, ':unknown')}`, async () => {
      expectProblem(await call(stack, method, path, { token: admin, json }), 404, 'NOT_FOUND', reason);
    });

  it('answers 404 NOT_FOUND to a new project in an unknown company', async () => {
    expectProblem(await call(stack, 'POST', '/api/projects', { token: admin, json: { ...validBody.projects(), companyId: unknown } }), 404, 'NOT_FOUND', 'COMPANY_NOT_FOUND');
  });

  it('answers 404 NOT_FOUND to a new user in an unknown project or company', async () => {
    expectProblem(await call(stack, 'POST', '/api/users', { token: admin, json: { ...validBody.users(), projectId: unknown } }), 404, 'NOT_FOUND', 'PROJECT_NOT_FOUND');
    const company = { ...validBody.users(), scopeLevel: 'COMPANY', companyId: unknown, projectId: undefined };
    expectProblem(await call(stack, 'POST', '/api/users', { token: admin, json: company }), 404, 'NOT_FOUND', 'COMPANY_NOT_FOUND');
  });

  it('answers 404 problem+json to an unknown /api route, with or without a token', async () => {
    for (const [method, path] of [
      ['GET', '/api/nope'],
      ['GET', '/api/projects/a/b/c'],
      ['DELETE', '/api/projects'],
      ['POST', '/api/companies'],
    ]) {
      expectProblem(await call(stack, method!, path!), 404, 'NOT_FOUND', 'ROUTE_NOT_FOUND');
      const a = await call(stack, method!, path!, { token: admin });
      expectProblem(a, 404, 'NOT_FOUND', 'ROUTE_NOT_FOUND');
      expect(a.body).toMatchObject({ params: { method, path }, detail: `接口不存在：${method} ${path}` });
    }
  });
});

describe('language of the answer', () => {
  const unknown = crypto.randomUUID();

  it('writes title and detail in Chinese without Accept-Language, in English when the client prefers English', async () => {
    const zh = await call(stack, 'GET', `/api/customers/${unknown}`, { token: admin });
    const en = await call(stack, 'GET', `/api/customers/${unknown}`, { token: admin, headers: { 'accept-language': 'en-US,en;q=0.9' } });
    const zhAgain = await call(stack, 'GET', `/api/customers/${unknown}`, { token: admin, headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' } });
    for (const a of [zh, en, zhAgain]) expectProblem(a, 404, 'NOT_FOUND', 'CUSTOMER_NOT_FOUND');
    expect({ title: zh.body.title, detail: zh.body.detail, lang: zh.headers.get('content-language') }).toEqual({ title: '未找到', detail: '客户不存在', lang: 'zh-CN' });
    expect({ title: en.body.title, detail: en.body.detail, lang: en.headers.get('content-language') }).toEqual({ title: 'Not found', detail: 'Customer not found', lang: 'en' });
    expect(zhAgain.body.detail).toBe('客户不存在');
    expect(en.headers.get('vary')).toMatch(/Accept-Language/i);
  });

  it('writes field errors in the same language, with their codes and params', async () => {
    const body = { ...validBody.customers(), phone: 'not-a-phone', name: 'x'.repeat(61) };
    const zh = await call(stack, 'POST', '/api/customers', { token: admin, json: body });
    const en = await call(stack, 'POST', '/api/customers', { token: admin, json: body, headers: { 'accept-language': 'en' } });
    expectProblem(zh, 400, 'VALIDATION_FAILED', 'REQUEST_INVALID');
    expect(zh.body).toMatchObject({ params: { part: 'body' }, title: '请求参数校验失败', detail: 'body 参数无效' });
    expect(en.body).toMatchObject({ params: { part: 'body' }, title: 'Request validation failed', detail: 'Invalid body' });
    const byPath = (a: typeof zh) => Object.fromEntries(a.body.errors.map((e: { path: string }) => [e.path, e]));
    expect(byPath(zh)).toEqual({
      'body.name': { path: 'body.name', code: 'TOO_LONG', params: { maximum: '60' }, message: '最多 60 个字符' },
      'body.phone': { path: 'body.phone', code: 'PHONE_FORMAT', message: '请填写 11 位手机号，或带区号的固定电话（如 0571-88886666）' },
    });
    expect(byPath(en)).toEqual({
      'body.name': { path: 'body.name', code: 'TOO_LONG', params: { maximum: '60' }, message: 'At most 60 characters' },
      'body.phone': { path: 'body.phone', code: 'PHONE_FORMAT', message: 'Enter an 11-digit mobile number, or a landline with its area code (such as 0571-88886666)' },
    });
  });

  it('names the values a detail speaks of in params, the same in both languages', async () => {
    const zh = await call(stack, 'POST', '/api/projects', { token: admin, json: { ...validBody.projects(), code: 'HZ-BJHY' } });
    const en = await call(stack, 'POST', '/api/projects', { token: admin, json: { ...validBody.projects(), code: 'HZ-BJHY' }, headers: { 'accept-language': 'en' } });
    for (const a of [zh, en]) expectProblem(a, 409, 'CONFLICT', 'PROJECT_CODE_TAKEN');
    expect(zh.body).toMatchObject({ params: { code: 'HZ-BJHY' }, detail: '项目编码 HZ-BJHY 已存在' });
    expect(en.body).toMatchObject({ params: { code: 'HZ-BJHY' }, detail: 'Project code HZ-BJHY already exists' });
  });
});

describe('conflicts', () => {
  it('answers 409 CONFLICT to a username that exists', async () => {
    expectProblem(await call(stack, 'POST', '/api/users', { token: admin, json: { ...validBody.users(), username: 'agent.project' } }), 409, 'CONFLICT', 'USERNAME_TAKEN');
  });

  it('answers 409 CONFLICT to a project code that exists', async () => {
    expectProblem(await call(stack, 'POST', '/api/projects', { token: admin, json: { ...validBody.projects(), code: 'HZ-BJHY' } }), 409, 'CONFLICT');
  });

  it('answers 409 CONFLICT to a customer phone that exists, however it is written', async () => {
    for (const phone of ['13800138001', '138-0013-8001', ' 138 0013 8001 ']) {
      const a = await call(stack, 'POST', '/api/customers', { token: admin, json: { name: '重复', phone } });
      expectProblem(a, 409, 'CONFLICT', 'CUSTOMER_PHONE_TAKEN');
      expect(a.body.params).toEqual({ customerId: expect.any(String) });
    }
    expect(await stack.db.customer.count({ where: { phone: '13800138001' } })).toBe(1);
  });

  // The routes check for duplicates before inserting; requests racing past that check used to
  // hit the unique index and answer 500.
  it('answers one 201 and otherwise 409 to the same project created six times at once', async () => {
    const body = validBody.projects();
    const answers = await Promise.all(Array.from({ length: 6 }, () => call(stack, 'POST', '/api/projects', { token: admin, json: body })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    for (const a of answers.filter((x) => x.status === 409)) expectProblem(a, 409, 'CONFLICT');
  });

  it('answers one 201 and otherwise 409 to the same user created six times at once', async () => {
    const body = validBody.users();
    const answers = await Promise.all(Array.from({ length: 6 }, () => call(stack, 'POST', '/api/users', { token: admin, json: body })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    for (const a of answers.filter((x) => x.status === 409)) expectProblem(a, 409, 'CONFLICT');
  });
});

describe('request id', () => {
  it('echoes a well-formed X-Request-Id in the header and the problem body', async () => {
    const a = await call(stack, 'GET', '/api/nope', { headers: { 'x-request-id': 'trace-abc.123' } });
    expectProblem(a, 404, 'NOT_FOUND');
    expect(a.body.requestId).toBe('trace-abc.123');
  });

  it('replaces an X-Request-Id that could forge log lines with a fresh one', async () => {
    const a = await call(stack, 'GET', '/api/nope', { headers: { 'x-request-id': 'x" forged=1' } });
    expectProblem(a, 404, 'NOT_FOUND');
    expect(a.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives successful answers an X-Request-Id too', async () => {
    const a = await call(stack, 'GET', '/api/projects', { token: admin });
    expect(a.status).toBe(200);
    expect(a.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
