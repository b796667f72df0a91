/**
 * The web console in a real browser (Debian's chromium through playwright-core) against the full
 * stack: login per role, role-aware navigation, language switch, time-zone display, and that user
 * text is rendered as text (no XSS) under the served Content-Security-Policy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestStack } from '../support/stack.js';
import { clickNav, launchChromium, navKeys } from '../support/browser.js';

const PASSWORD = 'demo';
// Seeded demo users are named <role>.<tier> (prisma/seed.ts); the group administrator is `admin`.
const AGENT = 'agent.group';
const ZONE = 'Asia/Shanghai';
const XSS_NAME = '<img src=x onerror="window.__xss=1">';

type Stack = Awaited<ReturnType<typeof startTestStack>>;

describe('web console (browser)', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startTestStack({ seed: true });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  }, 60_000);

  /** A fresh browser context (own storage) whose page records script errors and CSP violations. */
  async function openPage(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'UTC', reducedMotion: 'reduce' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      // Failed API calls (401 after logout, 4xx in forms) are logged by Chromium as resource errors: expected.
      if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) problems.push(`console: ${msg.text()}`);
    });
    return { context, page, problems };
  }

  async function login(page: Page, username: string): Promise<void> {
    await page.goto(`${stack.baseUrl}/`);
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="current-role"]').waitFor();
  }


  it('serves the console with a strict CSP and no inline script', async () => {
    const res = await fetch(`${stack.baseUrl}/`, { headers: { Accept: 'text/html' } });
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    const html = await res.text();
    expect(html).toContain('<div id="root">');
    // Every <script> has a src: nothing inline for the CSP to block.
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\ssrc=/);
  });

  it(
    'admin sees every page, then logs out; an agent sees no users/outbox; language and time zone',
    async () => {
      const { context, page, problems } = await openPage();
      try {
        // --- admin, Chinese by default
        await login(page, 'admin');
        expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
        await expect.poll(() => page.locator('[data-testid="current-role"]').textContent()).toBe('系统管理员');
        const adminNav = await navKeys(page);
        expect(adminNav).toEqual(expect.arrayContaining(['dashboard', 'projects', 'companies', 'customers', 'users', 'outbox']));
        expect(await page.locator('[data-testid="tz-hint"]').textContent()).toBe(`时区 ${ZONE}`);
        expect(await page.evaluate(() => sessionStorage.getItem('token'))).toBeTruthy();
        await page.screenshot({ path: '/tmp/console-admin-dashboard.png' });

        await clickNav(page, 'projects');
        await page.locator('[data-testid="projects-table"] tbody tr[data-row-key]').first().waitFor();
        await page.locator('[data-testid="projects-table"] tbody tr[data-row-key]').first().click();
        await page.locator('[data-testid="project-detail"]').waitFor();
        await page.locator('[data-testid="units-table"] tbody tr[data-row-key]').first().waitFor();
        expect(page.url()).toMatch(/\/projects\/[^/]+$/);
        await page.screenshot({ path: '/tmp/console-admin-project.png' });

        await clickNav(page, 'users');
        await page.locator('[data-testid="users-table"]').getByText('admin', { exact: true }).waitFor();
        await expect.poll(() => page.locator('[data-testid="new-user"]').count()).toBe(1);
        await page.screenshot({ path: '/tmp/console-admin-users.png' });

        await clickNav(page, 'outbox');
        await page.locator('[data-testid="outbox-table"]').waitFor();
        await page.screenshot({ path: '/tmp/console-admin-outbox.png' });

        // --- logout: back to the login form, token gone
        await page.locator('[data-testid="logout"]').click();
        await page.locator('input[name="username"]').waitFor();
        expect(await page.evaluate(() => sessionStorage.getItem('token'))).toBeNull();
        expect(await page.locator('[data-nav]').count()).toBe(0);

        // --- agent: no users/outbox, customers yes
        await login(page, AGENT);
        await expect.poll(() => page.locator('[data-testid="current-role"]').textContent()).toBe('客服坐席');
        const agentNav = await navKeys(page);
        expect(agentNav).toContain('customers');
        expect(agentNav).toContain('projects');
        expect(agentNav).not.toContain('users');
        expect(agentNav).not.toContain('outbox');
        expect(agentNav).not.toContain('companies');

        // A typed URL to an admin page shows "not allowed" (after a reload that keeps the session).
        await page.goto(`${stack.baseUrl}/outbox`);
        await page.locator('[data-testid="current-role"]').waitFor();
        await expect.poll(() => page.locator('main').textContent()).toContain('无权访问');
        await clickNav(page, 'dashboard');

        // --- English
        await page.locator('[data-testid="lang-switch"]').click();
        await expect.poll(() => page.locator('[data-testid="current-role"]').textContent()).toBe('Call-centre agent');
        expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
        expect(await page.evaluate(() => localStorage.getItem('lang'))).toBe('en');
        expect((await page.locator('[data-nav="customers"]').textContent())?.trim()).toBe('Customers');
        expect((await page.locator('[data-nav="projects"]').textContent())?.trim()).toBe('Projects');
        expect((await page.locator('[data-testid="logout"]').textContent())?.trim()).toBe('Log out');

        // --- time shown in Asia/Shanghai (the browser itself runs in UTC), with the zone hint
        expect(await page.locator('[data-testid="tz-hint"]').textContent()).toBe(`Time zone ${ZONE}`);
        // The home page says when its counts were last refreshed, in the project's zone.
        const shown = (await page.locator('[data-testid="home-updated"]').textContent()) ?? '';
        const hhmm = shown.match(/(\d{2}):(\d{2}):\d{2}/);
        expect(hhmm, `time in "${shown}"`).not.toBeNull();
        const shanghai = (d: Date) =>
          new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
        const now = Date.now();
        expect([shanghai(new Date(now)), shanghai(new Date(now - 60_000))]).toContain(`${hhmm?.[1]}:${hhmm?.[2]}`);
        await page.screenshot({ path: '/tmp/console-agent-dashboard-en.png' });

        // The choice survives a reload.
        await page.reload();
        await expect.poll(() => page.locator('[data-testid="current-role"]').textContent()).toBe('Call-centre agent');

        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    },
    120_000,
  );

  it(
    'renders user-supplied text as text (no XSS) and shows field errors next to inputs',
    async () => {
      const token = await stack.login(AGENT);
      const created = await fetch(`${stack.baseUrl}/api/customers`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify({ name: XSS_NAME, phone: '13900001234', consentToContact: true }),
      });
      expect(created.status).toBe(201);

      const { context, page, problems } = await openPage();
      try {
        await login(page, AGENT);
        await clickNav(page, 'customers');
        await page.locator('[data-testid="customers-table"]').waitFor();
        await page.locator('input[name="q"]').fill(XSS_NAME);
        await page.locator('form[role="search"] button[type="submit"]').click();

        const cell = page.locator('[data-testid="customer-name"]').filter({ hasText: XSS_NAME });
        await cell.first().waitFor();
        expect(await cell.first().textContent()).toBe(XSS_NAME);
        // Nothing was parsed as HTML and nothing ran.
        expect(await page.locator('img[src="x"]').count()).toBe(0);
        expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
        await page.screenshot({ path: '/tmp/console-agent-customers.png' });

        // The new-customer form (issue 13, problem 2): checked in the browser with the server's own
        // schema before anything is sent, the error under its field in the user's language, and no
        // "Request validation failed · Invalid body" banner.
        const posts: string[] = [];
        page.on('request', (r) => {
          if (r.method() === 'POST' && r.url().endsWith('/api/customers')) posts.push(r.url());
        });
        await page.locator('[data-testid="new-customer"]').click();
        const form = page.locator('[data-testid="customer-form"]');
        await form.locator('input[name="name"]').fill('测试客户');
        await form.locator('input[name="phone"]').fill('not-a-phone');
        await form.locator('button[type="submit"]').click();
        const phoneError = form.locator('[data-testid="error-phone"]');
        await expect.poll(() => phoneError.textContent()).toBe('请填写 11 位手机号，或带区号的固定电话（如 0571-88886666）');
        expect(await form.locator('[data-testid="problem"]').count()).toBe(0);
        expect(posts).toEqual([]);
        await page.waitForTimeout(500); // antd's help text fades from the hint to the error
        await page.screenshot({ path: '/tmp/console-agent-customer-form.png' });
        // Switched to English, the same error is written in English: still no request.
        await page.locator('[data-testid="lang-switch"]').click();
        await expect.poll(() => phoneError.textContent()).toBe('Enter an 11-digit mobile number, or a landline with its area code (such as 0571-88886666)');
        await page.waitForTimeout(500);
        await page.screenshot({ path: '/tmp/console-agent-customer-form-en.png' });
        await page.locator('[data-testid="lang-switch"]').click();
        await expect.poll(() => phoneError.textContent()).toBe('请填写 11 位手机号，或带区号的固定电话（如 0571-88886666）');
        expect(posts).toEqual([]);

        await form.locator('input[name="phone"]').fill('13900005678');
        await form.locator('button[type="submit"]').click();
        await form.waitFor({ state: 'detached' });
        await expect.poll(() => page.locator('[role="status"]').first().textContent()).toContain('测试客户');
        await page.locator('input[name="q"]').fill('测试客户');
        await page.locator('form[role="search"] button[type="submit"]').click();
        await page.locator('[data-testid="customer-name"]').filter({ hasText: '测试客户' }).first().waitFor();

        expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    },
    120_000,
  );
});
