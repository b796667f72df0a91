/**
 * Every page of the sidebar, for every role, in a real browser against the seeded stack: it loads
 * without a script error, axe-core finds no serious or critical accessibility violation, and the
 * shell fits a phone (390×844: the menu becomes a drawer, nothing overflows sideways).
 * Screenshots of each role's home go to /tmp/pages-<role>.png.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { accessibilityProblems, browserStack, clickNav, openPage } from '../support/browser.js';
import { ROLES, type Role } from '../../domain/access.js';
import { navFor } from '../../console/src/nav.js';
import { demoUsername } from '../../prisma/seed.js';

const PASSWORD = 'demo';

describe('every page, every role (browser)', () => {
  const env = browserStack({ seed: true });

  async function signedIn(role: Role, viewport: { width: number; height: number }): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
    const opened = await openPage(env.browser, { viewport, label: role });
    const { page } = opened;
    await page.goto(`${env.stack.baseUrl}/`);
    await page.locator('input[name="username"]').fill(demoUsername(role, role === 'ADMIN' ? 'GROUP' : 'PROJECT'));
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="current-role"]').waitFor({ state: 'attached' });
    return opened;
  }

  /**
   * The page has rendered its data: no loading indicator left, twice in a row (a page that has just
   * mounted may not have started its request yet; the SPA's navigation has no load event to wait for).
   */
  async function settled(page: Page): Promise<void> {
    const busy = page.locator('.boot, .is-loading, .ant-spin-spinning, .spinner');
    for (let quiet = 0; quiet < 2; ) {
      await page.waitForTimeout(150);
      quiet = (await busy.count()) === 0 ? quiet + 1 : 0;
    }
  }

  it(
    'loads every page of every role without a script error or a serious accessibility violation',
    async () => {
      const violations: string[] = [];
      const errors: string[] = [];
      for (const role of ROLES) {
        const { page, problems, close } = await signedIn(role, { width: 1440, height: 900 });
        const entries = navFor(role);
        expect(entries.length, role).toBeGreaterThan(0);
        for (const entry of entries) {
          await clickNav(page, entry.key);
          await expect.poll(() => new URL(page.url()).pathname, { message: `${role} → ${entry.key}` }).toBe(entry.path);
          await settled(page);
          violations.push(...(await accessibilityProblems(page, `${role} ${entry.path}`)));
        }
        await page.goto(`${env.stack.baseUrl}/`);
        await settled(page);
        await page.screenshot({ path: `/tmp/pages-${role.toLowerCase()}.png`, fullPage: true });
        errors.push(...problems);
        await close();
      }
      expect(errors).toEqual([]);
      if (violations.length > 0) console.log(violations.join('\n'));
      expect(violations).toEqual([]);
    },
    600_000,
  );

  it(
    'fits a 1024 and a 1280 px screen: the header (title, search, user, language, log out) needs no sideways scrolling for any role, in Chinese and English',
    async () => {
      const overflow: string[] = [];
      for (const [role, width] of ROLES.flatMap((r) => [1024, 1280].map((w) => [r, w] as const))) {
        const { page, problems, close } = await signedIn(role, { width, height: 768 });
        await settled(page);
        for (const lang of ['zh-CN', 'en'] as const) {
          if (lang === 'en') {
            await page.locator('[data-testid="lang-switch"]').click();
            await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
            await settled(page);
          }
          const sizes = await page.evaluate(() => {
            const header = document.querySelector<HTMLElement>('.topbar');
            // Each of the header's parts must lie inside it: a part pushed past its right edge is cut off.
            const right = header?.getBoundingClientRect().right ?? 0;
            const outside = header
              ? [...header.querySelectorAll<HTMLElement>('.header-search, .user-chip, [data-testid="lang-switch"], [data-testid="logout"]')]
                  .filter((e) => e.getBoundingClientRect().right > right + 1)
                  .map((e) => e.className || e.dataset.testid || e.tagName)
              : ['no header'];
            // The page title may end in an ellipsis but keeps room for a few words.
            const title = document.querySelector<HTMLElement>('.page-title');
            return {
              title: title ? Math.min(title.scrollWidth, 96) - title.clientWidth : -1,
              page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
              header: header ? header.scrollWidth - header.clientWidth : -1,
              outside,
            };
          });
          if (sizes.title > 0) overflow.push(`${role} ${width} ${lang}: the page title is squeezed ${sizes.title}px below its least width`);
          if (sizes.page > 0) overflow.push(`${role} ${width} ${lang}: the page is ${sizes.page}px wider than the screen`);
          if (sizes.header > 0) overflow.push(`${role} ${width} ${lang}: the header's content is ${sizes.header}px wider than the header`);
          if (sizes.outside.length > 0) overflow.push(`${role} ${width} ${lang}: outside the header: ${sizes.outside.join(', ')}`);
          if (role === 'HANDLER') await page.screenshot({ path: `/tmp/polish-header-${width}-${lang === 'en' ? 'en' : 'zh'}.png` });
        }
        expect(problems).toEqual([]);
        await close();
      }
      if (overflow.length > 0) console.log(overflow.join('\n'));
      expect(overflow).toEqual([]);
    },
    300_000,
  );

  it(
    'fits a phone: the menu is a drawer, every page of a handler and a salesperson without sideways scrolling',
    async () => {
      const overflow: string[] = [];
      for (const role of ['HANDLER', 'SALES'] as const) {
        const { page, problems, close } = await signedIn(role, { width: 390, height: 844 });
        // No sidebar on a phone: the menu button opens the drawer.
        await page.locator('[data-testid="nav-open"]').waitFor();
        for (const entry of navFor(role)) {
          await clickNav(page, entry.key);
          await expect.poll(() => new URL(page.url()).pathname).toBe(entry.path);
          await settled(page);
          const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          if (wide > 1) overflow.push(`${role} ${entry.path}: ${wide}px wider than the screen`);
        }
        await page.screenshot({ path: `/tmp/pages-phone-${role.toLowerCase()}.png`, fullPage: true });
        expect(problems).toEqual([]);
        await close();
      }
      if (overflow.length > 0) console.log(overflow.join('\n'));
      expect(overflow).toEqual([]);
    },
    300_000,
  );
});
