import fs from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { startTestStack, type TestStack } from './stack.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Debian's Chromium, never a downloaded browser. The networking flags keep it from dialling
// Google's hosts, which this machine's closed network refuses many times per start.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Follows a sidebar entry: the menu folds pages into sections (console/src/app/Shell.tsx), so a
 * folded section is unfolded first, as a user would.
 */
export async function clickNav(page: Page, key: string): Promise<void> {
  const link = page.locator(`[data-nav="${key}"]`);
  if (!(await link.isVisible())) {
    // On a phone the menu is a drawer behind the menu button.
    const opener = page.locator('[data-testid="nav-open"]');
    if (await opener.isVisible()) {
      await opener.click();
      await page.locator('.ant-drawer-open .ant-menu-root').waitFor();
    }
    const section = page.locator(`[data-nav-keys~="${key}"]`);
    if ((await section.count()) > 0 && !(await link.isVisible())) await section.click();
  }
  const href = await link.getAttribute('href');
  // A submenu that is still unfolding can move the link under the pointer: the click then lands on
  // nothing (or a neighbour). Confirm the address changed, and click once more if it did not.
  for (let attempt = 0; ; attempt++) {
    await link.click();
    if (!href) return;
    try {
      await page.waitForURL((url) => url.pathname === href, { timeout: 5_000 });
      return;
    } catch (err) {
      if (attempt >= 2) throw err;
    }
  }
}

/** The keys of every page the sidebar offers, folded sections included. */
export async function navKeys(page: Page): Promise<string[]> {
  return page.locator('[data-nav], [data-nav-keys]').evaluateAll((els) =>
    els.flatMap((e) => (e.hasAttribute('data-nav-keys') ? (e.getAttribute('data-nav-keys') ?? '').split(' ') : [e.getAttribute('data-nav') ?? ''])),
  ).then((keys) => [...new Set(keys)]);
}

/** Serious and critical accessibility violations on the page as it stands (axe-core), as readable lines. */
export async function accessibilityProblems(page: Page, where: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} [${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 160)}]`).join(' | ')}`);
}

/**
 * The full stack and a browser for one test file: started before its tests, closed after them.
 * `const env = browserStack({ seed: true });` then `env.stack.baseUrl`, `env.browser` inside tests.
 */
export function browserStack(options: Parameters<typeof startTestStack>[0]): { readonly stack: TestStack; readonly browser: Browser } {
  const env = {} as { stack: TestStack; browser: Browser };
  beforeAll(async () => {
    env.stack = await startTestStack(options);
    env.browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await env.browser?.close();
    await env.stack?.close();
  }, 60_000);
  return env;
}

/**
 * A page in a fresh context (own storage), Chinese by default, in the projects' zone, with reduced
 * motion, recording script errors (4xx answers logged by Chromium as resource errors are expected).
 */
export async function openPage(
  browser: Browser,
  options: { viewport?: { width: number; height: number }; locale?: string; label?: string } = {},
): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 900 },
    locale: options.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  const label = options.label ? `${options.label} ` : '';
  page.on('pageerror', (err) => problems.push(`${label}pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) problems.push(`${label}console: ${msg.text()}`);
  });
  return { page, problems, close: () => context.close() };
}

/**
 * Picks an option of an antd Select or Cascader with search as a user does: click it, type into its
 * search, click the option whose text contains `option` (default: the typed text) in the open list.
 */
export async function pickOption(select: Locator, typed: string, option: string | RegExp = typed): Promise<void> {
  const page = select.page();
  await select.click();
  await select.locator('input').first().fill(typed);
  const open = page.locator(
    '.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option, .ant-cascader-dropdown:not(.ant-select-dropdown-hidden) .ant-cascader-menu-item',
  );
  await open.filter({ hasText: option }).first().click();
}

export interface UnitOnSale {
  id: string;
  buildingName: string;
  number: string;
}

/** The first unit of a project nobody has reserved (read through the API as `token`). */
export async function unitOnSale(baseUrl: string, token: string, projectId: string): Promise<UnitOnSale> {
  const res = await fetch(`${baseUrl}/api/projects/${encodeURIComponent(projectId)}/units?page=1&pageSize=200`, { headers: { Authorization: `Bearer ${token}` } });
  const page = (await res.json()) as { items: (UnitOnSale & { status: string })[] };
  const unit = page.items.find((u) => u.status === 'AVAILABLE');
  if (!unit) throw new Error(`no unit on sale in project ${projectId}`);
  return unit;
}

/** A unit's entry in the unit picker's search results: "1栋 / 302 · …". */
export const unitOptionText = (u: Pick<UnitOnSale, 'buildingName' | 'number'>) =>
  new RegExp(`^${`${u.buildingName} / ${u.number} ·`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

/**
 * A new context's page signed in as `username` (password `demo`), Chinese by default or English
 * (`locale: 'en'`, the console's stored choice), in the projects' zone, with reduced motion; script
 * errors go to `problems`. The context is added to `contexts` for the caller to close.
 */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  username: string,
  o: { locale?: string; viewport?: { width: number; height: number }; contexts: BrowserContext[]; problems: string[] },
): Promise<Page> {
  const context = await browser.newContext({ viewport: o.viewport ?? { width: 1440, height: 900 }, locale: o.locale ?? 'zh-CN', timezoneId: 'Asia/Shanghai', reducedMotion: 'reduce' });
  o.contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (err) => o.problems.push(`${username} pageerror: ${err.message}`));
  if (o.locale === 'en') await page.addInitScript(() => window.localStorage.setItem('lang', 'en'));
  await page.goto(`${baseUrl}/`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill('demo');
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="current-role"]').waitFor({ state: 'attached' });
  return page;
}
