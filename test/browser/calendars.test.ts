/**
 * Holiday schedules in the console (issue 14, item 1), in a real browser against the full stack: a
 * group administrator sees per calendar which years have a holiday schedule and whether next year is
 * known, is warned from 1 November (on the home page and the SLA settings) when a calendar in use
 * lacks it, and imports an ICS file for next year, after which the warning is gone. What the server
 * refuses lands under the field in the user's language, on a phone too. axe-core on each page.
 * Screenshots: /tmp/calendars-*.png.
 *
 * Whether the warning shows depends on the day the test runs (from 1 November, and on the holiday
 * data shipped): the test asks the API, expects the screen to agree, and then makes next year known.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestStack, type TestStack } from '../support/stack.js';
import { accessibilityProblems, clickNav, launchChromium } from '../support/browser.js';

type Coverage = { items: Array<{ calendarId: string; warn: boolean; nextYear: number; nextYearCovered: boolean; years: number[] }> };

describe('holiday schedules (browser)', () => {
  let stack: TestStack;
  let browser: Browser;
  let adminToken = '';
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calendars-'));

  beforeAll(async () => {
    stack = await startTestStack({ seed: true });
    adminToken = await stack.login('admin');
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const coverage = async (): Promise<Coverage> =>
    (await (await fetch(`${stack.baseUrl}/api/calendars/schedule-coverage`, { headers: { Authorization: `Bearer ${adminToken}` } })).json()) as Coverage;

  async function signedIn(username: string, opts: { locale?: string; viewport?: { width: number; height: number } } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1440, height: 900 }, locale: opts.locale ?? 'zh-CN', timezoneId: 'Asia/Shanghai', reducedMotion: 'reduce' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (err) => problems.push(`${username} pageerror: ${err.message}`));
    if (opts.locale === 'en') await page.addInitScript(() => window.localStorage.setItem('lang', 'en'));
    await page.goto(`${stack.baseUrl}/`);
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill('demo');
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="current-role"]').waitFor({ state: 'attached' });
    return page;
  }

  async function calendarsTab(page: Page, name: string): Promise<void> {
    await clickNav(page, 'sla-settings');
    await page.getByRole('tab', { name }).click();
    await page.locator('[data-testid="schedule-table"]').waitFor();
  }

  const icsFile = (name: string, lines: string[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//CN', ...lines, 'END:VCALENDAR'].join('\r\n'));
    return file;
  };
  const event = (uid: string, date: string, summary: string) => ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20261201T000000Z', `DTSTART;VALUE=DATE:${date}`, `SUMMARY:${summary}`, 'END:VEVENT'];

  it('shows which years each calendar knows, warns exactly when the API says so, and an imported ICS for next year ends the warning (zh-CN)', async () => {
    const before = await coverage();
    const cn = before.items.find((c) => c.calendarId === 'cn-default')!;
    expect(cn.years).toEqual(expect.arrayContaining([2020, 2026]));
    const page = await signedIn('admin');

    // Home: the banner agrees with the API (it depends on the date and the shipped data).
    await page.locator('[data-testid="greeting"]').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.locator('[data-testid="schedule-warning"]').count()).toBe(cn.warn ? 1 : 0);
    if (cn.warn) await expect(page.locator('[data-testid="schedule-warning"]').innerText()).resolves.toContain(`${cn.nextYear} 年的节假日安排`);
    problems.push(...(await accessibilityProblems(page, 'home (admin, zh-CN)')));

    await calendarsTab(page, '工作日历');
    const table = page.locator('[data-testid="schedule-table"]');
    await expect(table.innerText()).resolves.toContain('中国大陆工作日');
    await expect(table.innerText()).resolves.toMatch(/2020–20\d\d/);
    await expect(page.locator('[data-testid="next-year-cn-default"]').innerText()).resolves.toBe(cn.nextYearCovered ? '已有' : '缺少');
    await page.screenshot({ path: '/tmp/calendars-schedules-zh-CN.png', fullPage: true });
    problems.push(...(await accessibilityProblems(page, 'SLA settings, calendars (zh-CN)')));

    // Import next year's New Year's Day (休) and a make-up Saturday (班) from a file.
    const y = cn.nextYear;
    const file = icsFile('next-year.ics', [...event('a', `${y}0101`, '元旦(休)'), ...event('b', `${y}0102`, '元旦(休)'), ...event('c', `${y}0103`, '元旦(班)')]);
    const form = page.locator('[data-testid="calendar-import"]');
    await form.locator('input[type="file"]').setInputFiles(file);
    await form.locator('[data-testid="import-file-name"]').waitFor();
    await form.locator('[data-testid="import-submit"]').click();
    const result = page.locator('[data-testid="import-result"]');
    await result.waitFor();
    const text = await result.innerText();
    expect(text).toContain('已导入到“中国大陆工作日');
    expect(text).toContain('2 个休息日');
    expect(text).toContain('1 个调休上班日');
    await expect.poll(() => page.locator('[data-testid="next-year-cn-default"]').innerText()).toBe('已有');
    expect(await page.locator('[data-testid="schedule-warning"]').count()).toBe(0);
    await page.screenshot({ path: '/tmp/calendars-imported-zh-CN.png', fullPage: true });
    const after = await coverage();
    expect(after.items.find((c) => c.calendarId === 'cn-default')).toMatchObject({ nextYearCovered: true, warn: false });
    // The JSON editor shows the imported days among the calendar's own.
    await expect(page.locator('[data-testid="settings-json"]').inputValue()).resolves.toContain(`"${y}-01-01"`);
  });

  it('puts what cannot be imported under the field in English, before sending or from the server, on a phone', async () => {
    const page = await signedIn('admin', { locale: 'en', viewport: { width: 390, height: 844 } });
    await calendarsTab(page, 'Business calendars');
    const form = page.locator('[data-testid="calendar-import"]');
    // Nothing chosen: said before anything is sent.
    await form.locator('[data-testid="import-submit"]').click();
    await expect(form.locator('[data-testid="error-ics"]').innerText()).resolves.toBe('Choose an ICS file');
    // A file that is not iCalendar: the server's refusal, translated, under the field.
    fs.writeFileSync(path.join(dir, 'notes.ics'), 'meeting notes, not a calendar');
    await form.locator('input[type="file"]').setInputFiles(path.join(dir, 'notes.ics'));
    await form.locator('[data-testid="import-submit"]').click();
    await expect(form.locator('[data-testid="error-ics"]').innerText()).resolves.toMatch(/^Not a valid iCalendar \(ICS\) file/);
    // A feed: empty is refused in words; an address the server cannot read comes back under it.
    await page.locator('[data-testid="import-source"]').getByText('Feed URL').click();
    await form.locator('[data-testid="import-submit"]').click();
    await expect(form.locator('[data-testid="error-url"]').innerText()).resolves.toBe('Enter the feed URL');
    await form.locator('[data-testid="import-url"]').fill(`${stack.baseUrl}/api/no-such-feed.ics`);
    await form.locator('[data-testid="import-submit"]').click();
    await expect(form.locator('[data-testid="error-url"]').innerText()).resolves.toMatch(/^Could not read the calendar feed/);
    await page.screenshot({ path: '/tmp/calendars-import-errors-en.png', fullPage: true });
    problems.push(...(await accessibilityProblems(page, 'SLA settings, calendars (en, phone)')));
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
  });

  it('leaves no accessibility or page error behind', () => {
    expect(problems).toEqual([]);
  });
});
