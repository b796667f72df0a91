/**
 * The console's list kit (shared/table, issue 13 "tables: sorting, filtering, column choice, virtual
 * scrolling for long lists") on 我的工单, in Chromium against the full stack: filters, sort and page
 * live in the address (a reload or a shared link shows the same list; back steps through it);
 * hidden columns stay hidden on this device; a page of 100 rows scrolls virtually; zh-CN and English.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { accessibilityProblems, browserStack, clickNav, openPage } from '../support/browser.js';

const AGENT = 'agent.project';
const CASES = 26;

describe('lists: filters in the address, column choice, virtual scrolling (browser)', () => {
  const env = browserStack({ seed: true, temporal: true, worker: true });
  const numbers: string[] = [];

  async function seedCases(): Promise<void> {
    if (numbers.length > 0) return;
    const { stack } = env;
    const project = await stack.db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } });
    const token = await stack.login(AGENT);
    for (let i = 0; i < CASES; i++) {
      const res = await fetch(`${stack.baseUrl}/api/cases`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify({
          type: i % 2 === 0 ? 'repair' : 'complaint',
          projectId: project.id,
          category: i % 2 === 0 ? 'repair.plumbing.leak' : 'complaint.quality.cracks',
          severity: 'minor',
          channel: 'phone',
          description: `列表测试 ${i}`,
          customer: { name: `列表客户${i}`, phone: `1390000${String(1000 + i).padStart(4, '0')}` },
        }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      numbers.push(((await res.json()) as { number: string }).number);
    }
  }

  async function signedIn(lang: 'zh-CN' | 'en', width = 1440): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
    const opened = await openPage(env.browser, { locale: lang, viewport: { width, height: 900 }, label: lang });
    if (lang === 'en') await opened.page.addInitScript(() => window.localStorage.setItem('lang', 'en'));
    await opened.page.goto(`${env.stack.baseUrl}/`);
    await opened.page.locator('input[name="username"]').fill(AGENT);
    await opened.page.locator('input[name="password"]').fill('demo');
    await opened.page.locator('button[type="submit"]').click();
    await opened.page.locator('[data-testid="current-role"]').waitFor({ state: 'attached' });
    return opened;
  }

  const rows = (page: Page) => page.locator('[data-testid="cases-mine-table"] [data-testid="case-link"]');
  const search = (page: Page) => page.locator('[data-testid="cases-mine-table"]');

  for (const lang of ['zh-CN', 'en'] as const) {
    it(`keeps filters, sort and page in the address; a reload and back show the same list (${lang})`, async () => {
      await seedCases();
      const { page, problems, close } = await signedIn(lang);
      await clickNav(page, 'cases-mine');
      await expect.poll(() => rows(page).count()).toBe(20);
      const total = page.locator('[data-testid="cases-mine-table"] .ant-pagination-total-text');
      expect(await total.textContent()).toBe(lang === 'zh-CN' ? `第 1–20 条，共 ${CASES} 条` : `1–20 of ${CASES}`);

      // Page 2 is in the address.
      await page.locator('[data-testid="cases-mine-table"] .ant-pagination-item-2').click();
      await page.waitForURL((u) => u.searchParams.get('page') === '2');
      await expect.poll(() => rows(page).count()).toBe(CASES - 20);

      // Sorting by the opening time, newest first: the address says so and the first row is the newest case.
      const opened = page.locator('[data-testid="cases-mine-table"] th', { hasText: lang === 'zh-CN' ? '受理时间' : 'Opened' });
      await opened.click();
      await page.waitForURL((u) => u.searchParams.get('sort') === 'opened_asc' && !u.searchParams.has('page'));
      await opened.click();
      await page.waitForURL((u) => u.searchParams.get('sort') === 'opened_desc');
      await expect.poll(() => rows(page).first().textContent()).toBe(numbers.at(-1));

      // A search narrows the list and goes into the address; a reload keeps it; back undoes it.
      await page.locator('[data-testid="cases-search"] input').fill(numbers[3]!);
      await page.locator('[data-testid="cases-search"] input').press('Enter');
      await page.waitForURL((u) => u.searchParams.get('q') === numbers[3]);
      await expect.poll(() => rows(page).allTextContents()).toEqual([numbers[3]]);
      await page.reload();
      await expect.poll(() => rows(page).allTextContents(), { timeout: 15_000 }).toEqual([numbers[3]]);
      expect(await page.locator('[data-testid="cases-search"] input').inputValue()).toBe(numbers[3]);
      await page.goBack();
      await page.waitForURL((u) => !u.searchParams.has('q') && u.searchParams.get('sort') === 'opened_desc');
      await expect.poll(() => rows(page).count()).toBe(20);
      expect(await search(page).getAttribute('data-query')).toBe('');
      expect(await accessibilityProblems(page, `cases-mine list (${lang})`)).toEqual([]);
      await page.screenshot({ path: `/tmp/lists-url-${lang}.png`, fullPage: true });
      expect(problems).toEqual([]);
      await close();
    }, 120_000);
  }

  it('hides a column the user unticks, on this device, after a reload; "default columns" brings it back (zh-CN)', async () => {
    await seedCases();
    const { page, problems, close } = await signedIn('zh-CN');
    await clickNav(page, 'cases-mine');
    await expect.poll(() => rows(page).count()).toBe(20);
    const header = page.locator('[data-testid="cases-mine-table"] thead th', { hasText: '客户' });
    expect(await header.count()).toBe(1);
    await page.locator('[data-testid="cases-mine-columns-button"]').click();
    const chooser = page.locator('[data-testid="cases-mine-columns"]');
    // The case number and the status cannot be hidden.
    expect(await chooser.locator('input[name="column-number"]').isDisabled()).toBe(true);
    await chooser.locator('label:has(input[name="column-customer"])').click();
    await expect.poll(() => header.count()).toBe(0);
    await page.screenshot({ path: '/tmp/lists-columns-zh-CN.png' });
    await page.reload();
    // A reload loads the console, the session and the list again: on a loaded machine that takes longer than the poll's default second.
    await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBe(20);
    expect(await header.count()).toBe(0);
    await page.locator('[data-testid="cases-mine-columns-button"]').click();
    await chooser.getByRole('button', { name: '恢复默认列' }).click();
    await expect.poll(() => header.count()).toBe(1);
    expect(problems).toEqual([]);
    await close();
  }, 120_000);

  it('scrolls a page of 100 rows virtually, on a phone too (en)', async () => {
    await seedCases();
    const { page, problems, close } = await signedIn('en', 390);
    await page.goto(`${env.stack.baseUrl}/cases/mine?size=100&sort=opened_desc`);
    // A fresh load of the console and the list: longer than the poll's default second on a loaded machine.
    await expect.poll(() => page.locator('[data-testid="cases-mine-table"] .ant-table-tbody-virtual').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(async () => (await rows(page).count()) > 0).toBe(true);
    // Virtual: only the rows in view are in the page, not all of them.
    expect(await rows(page).count()).toBeLessThan(CASES);
    await expect.poll(() => rows(page).first().textContent()).toBe(numbers.at(-1));
    expect(await rows(page).allTextContents()).not.toContain(numbers[0]);
    const holder = page.locator('[data-testid="cases-mine-table"] .ant-table-tbody-virtual-holder');
    // Row heights are measured as rows render: scroll to the end until the end stays put.
    await expect
      .poll(async () => {
        await holder.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
        return rows(page).allTextContents();
      })
      .toContain(numbers[0]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await holder.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/lists-virtual-en-390.png' });
    expect(problems).toEqual([]);
    await close();
  }, 120_000);
});
