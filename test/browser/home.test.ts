/**
 * Home pages that work (issue 13, problem 9's "a greeting and a clock but no counts", problem 4's
 * project id flash): for each role, the counts that matter, each with a tooltip saying what it
 * counts, linking to the list of exactly those records — the number on the card equals the rows
 * of the list it opens — refreshed live; the scope shows by name and never as an id. zh-CN and
 * English, axe-core on the home page and the lists. Screenshots: /tmp/home-*.png.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { accessibilityProblems, browserStack, openPage } from '../support/browser.js';
import { demoUsername } from '../../prisma/seed.js';
import type { Role } from '../../domain/access.js';

const env = browserStack({ seed: true, temporal: true, worker: true });

async function api(path: string, username: string, body: unknown): Promise<{ id: string; number: string }> {
  const token = await env.stack.login(username);
  const res = await fetch(`${env.stack.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; number: string };
}

async function openCase(phone: string): Promise<{ id: string; number: string }> {
  const project = await env.stack.db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } });
  return api('/api/cases', 'agent.project', {
    type: 'repair', projectId: project.id, category: 'repair.plumbing.leak', severity: 'minor', channel: 'phone',
    description: '首页计数测试', customer: { name: '计数客户', phone },
  });
}

describe('home pages (browser)', () => {
  async function signedIn(role: Role, locale = 'zh-CN'): Promise<{ page: Page; problems: string[]; close: () => Promise<void>; projectId: string }> {
    const username = demoUsername(role, 'PROJECT');
    const user = await env.stack.db.user.findUniqueOrThrow({ where: { username } });
    const opened = await openPage(env.browser, { locale, label: role });
    const { page } = opened;
    // Watches the page from its first script for the scope's project id appearing as text.
    const projectId = user.projectId ?? '';
    await page.addInitScript((id) => {
      if (!id) return;
      const w = window as unknown as { __idShown?: boolean };
      new MutationObserver(() => {
        if (document.body?.innerText.includes(id)) w.__idShown = true;
      }).observe(document, { subtree: true, childList: true, characterData: true });
    }, projectId);
    if (locale === 'en') await page.addInitScript(() => window.localStorage.setItem('lang', 'en'));
    await page.goto(`${env.stack.baseUrl}/`);
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill('demo');
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="current-role"]').waitFor({ state: 'attached' });
    return { ...opened, projectId };
  }

  /** Every count of the home page equals the records of the list it links to. */
  async function countsMatchTheirLists(page: Page, role: Role): Promise<Record<string, number>> {
    await page.locator('[data-testid="home-updated"]').waitFor();
    const cards = page.locator('[data-testid="home-count"]');
    const keys = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-key') ?? ''));
    expect(keys.length, `${role} has counts`).toBeGreaterThan(0);
    const seen: Record<string, number> = {};
    for (const key of keys) {
      const card = page.locator(`[data-testid="home-count"][data-key="${key}"]`);
      const count = Number(await card.getAttribute('data-count'));
      expect(Number((await card.locator('.ant-statistic-content-value').textContent())?.replace(/\D/g, '')), `${role} ${key} shown`).toBe(count);
      seen[key] = count;
      await card.locator('[data-testid="home-count-link"]').click();
      await page.waitForURL(`**/home/${encodeURIComponent(key)}`);
      await page.locator('[data-testid="home-list-total"]').waitFor();
      await expect.poll(() => page.locator('[data-testid="home-list-table"] .ant-spin-spinning').count()).toBe(0);
      expect(Number((await page.locator('[data-testid="home-list-total"]').textContent())?.replace(/\D/g, '')), `${role} ${key} list total`).toBe(count);
      expect(await page.locator('[data-testid="home-list-table"] tbody tr.ant-table-row').count(), `${role} ${key} rows`).toBe(Math.min(count, 20));
      await page.locator('.back-link').click();
      await page.waitForURL(/\/$/);
      await page.locator('[data-testid="home-updated"]').waitFor();
    }
    return seen;
  }

  it(
    'an agent counts the cases they opened and those awaiting callback; each opens its list; live after a new case (zh-CN)',
    async () => {
      await openCase('0571-66661111');
      const { page, problems, close, projectId } = await signedIn('AGENT');
      try {
        const counts = await countsMatchTheirLists(page, 'AGENT');
        expect(Object.keys(counts)).toEqual(['cases.openedByMeNotClosed', 'cases.awaitingCallback']);
        expect(counts['cases.openedByMeNotClosed']).toBeGreaterThan(0);
        // The tooltip explains the number.
        await page.locator('[data-testid="home-count"][data-key="cases.openedByMeNotClosed"] [data-testid="home-count-tip"]').hover();
        await expect.poll(() => page.locator('.ant-tooltip').textContent()).toContain('您受理登记、尚未结案的工单');
        await page.screenshot({ path: '/tmp/home-agent-zh.png', fullPage: true });
        expect(await accessibilityProblems(page, 'agent home (zh-CN)')).toEqual([]);
        // The scope shows by name, and its id never showed.
        expect(await page.locator('[data-testid="dashboard-scope"]').textContent()).toMatch(/^项目 · \S+/);
        expect(await page.evaluate(() => (window as unknown as { __idShown?: boolean }).__idShown ?? false), `project id ${projectId} shown`).toBe(false);

        // Live: a case logged elsewhere shows when the agent comes back to the tab.
        const before = counts['cases.openedByMeNotClosed']!;
        await openCase('0571-66662222');
        await page.evaluate(() => window.dispatchEvent(new Event('visibilitychange')));
        await expect
          .poll(() => page.locator('[data-testid="home-count"][data-key="cases.openedByMeNotClosed"]').getAttribute('data-count'), { timeout: 35_000 })
          .toBe(String(before + 1));

        await page.locator('[data-testid="home-count"][data-key="cases.openedByMeNotClosed"] [data-testid="home-count-link"]').click();
        await page.locator('[data-testid="home-list-link"]').first().waitFor();
        await page.screenshot({ path: '/tmp/home-agent-list-zh.png', fullPage: true });
        expect(await accessibilityProblems(page, 'agent home list (zh-CN)')).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    },
    120_000,
  );

  for (const role of ['HANDLER', 'SUPERVISOR', 'MANAGER', 'SALES', 'SALES_MANAGER'] as const) {
    it(
      `a ${role}'s counts equal the lists they open (English)`,
      async () => {
        const { page, problems, close } = await signedIn(role, 'en');
        try {
          await countsMatchTheirLists(page, role);
          const titles = await page.locator('[data-testid="home-count-link"]').allTextContents();
          for (const title of titles) expect(title).toMatch(/^[\x20-\x7E’]+$/);
          await page.screenshot({ path: `/tmp/home-${role.toLowerCase()}-en.png`, fullPage: true });
          expect(await accessibilityProblems(page, `${role} home (en)`)).toEqual([]);
          expect(problems).toEqual([]);
        } finally {
          await close();
        }
      },
      120_000,
    );
  }
});
