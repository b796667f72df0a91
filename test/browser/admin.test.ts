/**
 * The organisation and administration pages on the kit (issue 13: feature folders, lists on the list
 * kit, forms checked with the server's schemas). An administrator creates a user: an empty or wrong
 * form is refused in the browser before anything is sent, each error under its field in the user's
 * language (problem 2), switching language re-translates them; the user is then found by the users
 * list's search, its filters kept in the address. The projects list searches and opens a project
 * whose units filter by status from the address; the outbox opens a message in a drawer; the SLA
 * settings show each document in its tab. zh-CN and English, axe-core on every page touched.
 * Screenshots: /tmp/admin-*.png.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { accessibilityProblems, browserStack, clickNav, openPage } from '../support/browser.js';

const env = browserStack({ seed: true });

describe('organisation and administration pages (browser)', () => {
  async function signedIn(username: string, locale = 'zh-CN', viewport?: { width: number; height: number }) {
    const opened = await openPage(env.browser, { locale, label: username, viewport });
    if (locale === 'en') await opened.page.addInitScript(() => window.localStorage.setItem('lang', 'en'));
    await opened.page.goto(`${env.stack.baseUrl}/`);
    await opened.page.locator('input[name="username"]').fill(username);
    await opened.page.locator('input[name="password"]').fill('demo');
    await opened.page.locator('button[type="submit"]').click();
    await opened.page.locator('[data-testid="current-role"]').waitFor({ state: 'attached' });
    return opened;
  }
  const rows = (page: Page, table: string) => page.locator(`[data-testid="${table}-table"] tbody tr[data-row-key]`);
  const errorOf = (page: Page, field: string) => page.locator(`[data-field="${field}"] [data-testid="error-${field}"]`);

  it(
    'a new user is checked before sending, errors per field in zh-CN then English; created, then found by search',
    async () => {
      const { page, problems, close } = await signedIn('admin');
      const posts: string[] = [];
      page.on('request', (r) => {
        if (r.method() === 'POST' && r.url().endsWith('/api/users')) posts.push(r.url());
      });
      try {
        await clickNav(page, 'users');
        await rows(page, 'users').first().waitFor();
        await page.locator('[data-testid="new-user"]').click();
        const form = page.locator('[data-testid="user-form"]');
        await form.locator('input[name="username"]').fill('Bad Name');
        await form.locator('input[name="password"]').fill('short');
        await form.locator('[data-testid="user-save"]').click();
        await errorOf(page, 'username').waitFor();
        expect(await errorOf(page, 'displayName').getAttribute('data-error')).toBeTruthy();
        expect(await errorOf(page, 'password').getAttribute('data-error')).toBeTruthy();
        const zhUsername = (await errorOf(page, 'username').textContent()) ?? '';
        expect(zhUsername).toMatch(/[\u4e00-\u9fff]/);
        expect(posts).toEqual([]);
        // A company scope needs its company: said under the company field, before sending.
        await form.locator('#scopeLevel').click();
        await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '公司' }).first().click();
        await form.locator('[data-testid="user-save"]').click();
        await errorOf(page, 'companyId').waitFor();
        expect(posts).toEqual([]);
        expect(await accessibilityProblems(page, 'users form zh-CN')).toEqual([]);
        await page.screenshot({ path: '/tmp/admin-user-form-errors-zh.png', fullPage: true });

        // The same errors in English once the language is switched.
        await page.locator('[data-testid="lang-switch"]').click();
        await expect.poll(async () => (await errorOf(page, 'username').textContent()) ?? '').not.toBe(zhUsername);
        expect((await errorOf(page, 'username').textContent()) ?? '').toMatch(/[A-Za-z]/);
        expect((await errorOf(page, 'username').textContent()) ?? '').not.toMatch(/[\u4e00-\u9fff]/);
        await page.screenshot({ path: '/tmp/admin-user-form-errors-en.png', fullPage: true });

        // Corrected: each error goes as its field is fixed; the user is created.
        await form.locator('#scopeLevel').click();
        await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: 'Group' }).first().click();
        await form.locator('input[name="username"]').fill('new.agent');
        await expect.poll(() => errorOf(page, 'username').count()).toBe(0);
        await form.locator('input[name="displayName"]').fill('新坐席');
        await form.locator('input[name="password"]').fill('correct-horse-1');
        await expect.poll(() => errorOf(page, 'password').count()).toBe(0);
        await form.locator('[data-testid="user-save"]').click();
        await page.locator('.ant-message').filter({ hasText: 'new.agent' }).waitFor();
        expect(posts).toHaveLength(1);

        // Found by the list's search; the search is in the address.
        await page.locator('input[name="q"]').fill('新坐席');
        await page.locator('input[name="q"]').press('Enter');
        await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('新坐席');
        await expect.poll(() => rows(page, 'users').count(), { timeout: 10_000 }).toBe(1);
        expect(await rows(page, 'users').first().textContent()).toContain('new.agent');
        expect(await accessibilityProblems(page, 'users en')).toEqual([]);
        await page.screenshot({ path: '/tmp/admin-users-search-en.png', fullPage: true });
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    },
    120_000,
  );

  it(
    'projects search and open a project; its units filter by status from the address; the outbox opens a message; SLA settings by tab',
    async () => {
      const admin = await env.stack.db.user.findUniqueOrThrow({ where: { username: 'admin' } });
      const message = await env.stack.db.emailMessage.create({
        data: { groupId: admin.groupId, idempotencyKey: crypto.randomUUID(), toAddress: 'buyer@example.com', subject: '工程进度通知', text: '<b>2 号楼</b> 主体施工中。', transport: 'log', status: 'SENT' },
      });
      const { page, problems, close } = await signedIn('admin');
      try {
        await clickNav(page, 'projects');
        await rows(page, 'projects').first().waitFor();
        await page.locator('input[name="q"]').fill('滨江');
        await page.locator('input[name="q"]').press('Enter');
        await expect.poll(() => rows(page, 'projects').count(), { timeout: 10_000 }).toBe(1);
        expect(await accessibilityProblems(page, 'projects')).toEqual([]);
        await page.screenshot({ path: '/tmp/admin-projects.png', fullPage: true });
        await rows(page, 'projects').first().click();
        await page.locator('[data-testid="project-detail"]').waitFor();
        await rows(page, 'units').first().waitFor();
        await page.locator('#units-status').click();
        await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '可售' }).first().click();
        await expect.poll(() => new URL(page.url()).searchParams.get('status')).toBe('AVAILABLE');
        await expect.poll(async () => (await page.locator('[data-testid="units-table"] [data-status]').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-status')))])).join()).toBe('AVAILABLE');
        // The address keeps the filter: a reload shows the same units.
        await page.reload();
        await rows(page, 'units').first().waitFor();
        expect(new URL(page.url()).searchParams.get('status')).toBe('AVAILABLE');
        expect(await accessibilityProblems(page, 'project')).toEqual([]);
        await page.screenshot({ path: '/tmp/admin-project.png', fullPage: true });

        await clickNav(page, 'outbox');
        const row = page.locator(`[data-testid="outbox-table"] tbody tr[data-row-key="${message.id}"]`);
        await row.click();
        await page.locator('[data-testid="outbox-detail"]').waitFor();
        // The body is text: the tags show as typed, nothing is interpreted.
        expect(await page.locator('[data-testid="outbox-text"]').textContent()).toBe('<b>2 号楼</b> 主体施工中。');
        expect(await page.locator('[data-testid="outbox-text"] b').count()).toBe(0);
        expect(await accessibilityProblems(page, 'outbox')).toEqual([]);
        await page.screenshot({ path: '/tmp/admin-outbox.png', fullPage: true });
        await page.keyboard.press('Escape');

        await clickNav(page, 'sla-settings');
        // Each tab shows its document as JSON (a list; an empty one in a fresh installation).
        const json = page.locator('[data-testid="settings-json"]');
        await json.waitFor();
        await expect.poll(async () => Array.isArray(JSON.parse((await json.inputValue()) || 'null')), { timeout: 15_000 }).toBe(true);
        await page.locator('[data-testid="settings-tabs"] [role="tab"]', { hasText: '分类' }).click();
        await expect.poll(() => page.locator('[data-testid="settings-tabs"] [role="tab"][aria-selected="true"]').textContent()).toContain('分类');
        await json.waitFor();
        await expect.poll(async () => Array.isArray(JSON.parse((await json.inputValue()) || 'null')), { timeout: 15_000 }).toBe(true);
        expect(await accessibilityProblems(page, 'sla settings')).toEqual([]);
        await page.screenshot({ path: '/tmp/admin-sla-settings.png', fullPage: true });
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    },
    120_000,
  );

  it(
    'fits a phone: the users, projects and record-view lists of an administrator need no sideways scrolling (English)',
    async () => {
      const { page, problems, close } = await signedIn('admin', 'en', { width: 390, height: 844 });
      try {
        for (const path of ['/users', '/projects', '/companies', '/outbox', '/record-views']) {
          await page.goto(`${env.stack.baseUrl}${path}`);
          await page.locator('.data-table').first().waitFor();
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          expect(overflow, path).toBeLessThanOrEqual(0);
        }
        await page.goto(`${env.stack.baseUrl}/users`);
        await rows(page, 'users').first().waitFor();
        await page.screenshot({ path: '/tmp/admin-users-phone-en.png', fullPage: true });
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    },
    120_000,
  );
});
