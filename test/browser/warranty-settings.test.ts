/**
 * 保修设置 (issue 15) in a real browser against the full stack on a fresh seeded database:
 *   an administrator on a 390×844 phone, in Chinese, adds a longer period for 湖畔名邸 (pipe blockage,
 *   first 0 years: refused at its row before anything is sent, then 3 years from handover) and
 *   raises the first-time-fix threshold to 85 %; the API then answers the new document. The page is
 *   axe-clean and never scrolls sideways (the tables scroll inside their cards).
 *   In English on a desktop the same rows read in English; a group manager (settings:read) reads
 *   the settings without controls; an agent has no such page. Screenshots: /tmp/warranty-settings-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { WarrantySettingsAnswer } from '../../console/src/features/admin/api.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { accessibilityProblems, clickNav, launchChromium, navKeys, pickOption, signedInPage } from '../support/browser.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

describe('warranty settings in the console (browser)', () => {
  let stack: TestStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  let projectId = '';

  beforeAll(async () => {
    stack = await startTestStack({ seed: true });
    browser = await launchChromium();
    projectId = (await stack.db.project.findFirstOrThrow({ where: { code: 'SZ-HPMD' } })).id;
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  }, 60_000);

  const signedIn = (username: string, opts: { locale?: string; viewport?: { width: number; height: number } } = {}) =>
    signedInPage(browser, stack.baseUrl, username, { ...opts, contexts, problems });

  async function settingsNow(): Promise<WarrantySettingsAnswer> {
    const token = await stack.login('admin');
    const res = await fetch(`${stack.baseUrl}/api/warranty-settings`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as WarrantySettingsAnswer;
  }

  const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  async function openSettings(page: Page) {
    await clickNav(page, 'warranty-settings');
    const form = page.locator('[data-testid="warranty-form"]');
    await form.locator('[data-testid="warranty-retention"] input[name="retention.minFirstTimeFixPct"]').waitFor();
    return form;
  }

  it(
    'an administrator adds a longer period for a project and raises a threshold on a phone in Chinese; 0 years is refused at its row',
    async () => {
      const before = await settingsNow();
      expect(before.settings.overrides).toEqual([]);
      expect(before.settings.retention.minFirstTimeFixPct).toBe(80);

      const admin = await signedIn('admin', { viewport: PHONE });
      const form = await openSettings(admin);
      expect(await admin.locator('[data-testid="warranty-floor"]').textContent()).toContain('《建设工程质量管理条例》第四十条、《商品房销售管理办法》第三十三条');
      // The group's category → part table as saved (the defaults), each part named in Chinese.
      const categories = form.locator('[data-testid="warranty-categories"] tbody tr[data-row]');
      expect(await categories.count()).toBe(before.settings.categoryComponents.length);
      expect(before.settings.categoryComponents[0]).toEqual({ prefix: 'complaint.quality.leakage', component: 'wet_room_waterproofing' });
      expect(await categories.first().locator('[data-cell="categoryComponents.0.prefix"] input').inputValue()).toBe('complaint.quality.leakage');
      expect(await categories.first().locator('.ws-component').textContent()).toBe('卫生间、厨房及房间防渗漏');
      // The thresholds show what is saved, and the defaults.
      const retention = form.locator('[data-testid="warranty-retention"]');
      expect(await retention.locator('input[name="retention.minFirstTimeFixPct"]').inputValue()).toBe('80');
      expect(await retention.locator('input[name="retention.minFirstTimeFixPct"]').getAttribute('placeholder')).toBe('80');
      expect(await form.locator('[data-testid="warranty-save"]').isDisabled()).toBe(true);
      expect(await sideways(admin)).toBeLessThanOrEqual(0);

      let puts = 0;
      admin.on('request', (r) => {
        if (r.method() === 'PUT' && r.url().endsWith('/api/warranty-settings')) puts++;
      });

      // A longer period: 湖畔名邸, pipe blockage, 0 years (refused), from handover.
      await form.locator('[data-testid="add-override"]').click();
      const row = form.locator('[data-testid="warranty-overrides"] tr[data-row="overrides.0"]');
      await row.waitFor();
      await pickOption(row.locator('.ws-project'), '湖畔', '湖畔名邸');
      await pickOption(row.locator('.ws-component'), '管道', '管道堵塞');
      await row.locator('input[name="overrides.0.years"]').fill('0');
      await retention.locator('input[name="retention.minFirstTimeFixPct"]').fill('85');
      await form.locator('[data-testid="warranty-save"]').click();
      const error = row.locator('[data-testid="cell-error"][data-field="overrides.0.years"]');
      await error.waitFor();
      expect(await error.getAttribute('data-error')).toBe('TOO_SMALL');
      expect(await error.textContent()).toMatch(/1/);
      expect(await form.locator('[data-testid="cell-error"]').count()).toBe(1);
      await admin.locator('[data-testid="form-invalid"]').waitFor();
      expect(puts).toBe(0);
      expect(await sideways(admin)).toBeLessThanOrEqual(0);
      await admin.screenshot({ path: '/tmp/warranty-settings-refused-phone.png', fullPage: true });
      const a11y = await accessibilityProblems(admin, 'warranty settings, 0 years refused (zh-CN, phone)');

      // The table scrolls inside its card, not the page.
      const overridesTable = form.locator('[data-testid="warranty-overrides"] .settings-scroll');
      expect(await overridesTable.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);

      // 3 years: the error goes as it is corrected, then the save.
      await row.locator('input[name="overrides.0.years"]').fill('3');
      await expect.poll(() => form.locator('[data-testid="cell-error"]').count()).toBe(0);
      await form.locator('[data-testid="warranty-save"]').click();
      await admin.locator('[data-testid="settings-saved"]').filter({ hasText: '保修设置已保存' }).waitFor();
      expect(puts).toBe(1);
      await expect.poll(() => form.locator('[data-testid="warranty-save"]').isDisabled()).toBe(true);
      const after = await settingsNow();
      expect(after.settings.overrides).toEqual([{ scope: { projectId }, component: 'pipe_blockage', years: 3, from: 'handover' }]);
      expect(after.settings.retention).toEqual({ ...before.settings.retention, minFirstTimeFixPct: 85 });
      // Nothing else changed.
      expect(after.settings.categoryComponents).toEqual(before.settings.categoryComponents);
      expect(after.settings.seasons).toEqual(before.settings.seasons);
      expect(after.settings.citySeasons).toEqual(before.settings.citySeasons);
      expect(await sideways(admin)).toBeLessThanOrEqual(0);
      await admin.screenshot({ path: '/tmp/warranty-settings-saved-phone.png', fullPage: true });
      a11y.push(...(await accessibilityProblems(admin, 'warranty settings, saved (zh-CN, phone)')));
      expect(a11y).toEqual([]);
      expect(problems).toEqual([]);
    },
    180_000,
  );

  it(
    'reads in English on a desktop; a group manager reads it without controls; an agent has no such page',
    async () => {
      const admin = await signedIn('admin', { locale: 'en', viewport: DESKTOP });
      const form = await openSettings(admin);
      expect(await admin.locator('[data-testid="warranty-floor"]').textContent()).toMatch(/^The statutory periods .*art\. 40.*art\. 33.* are the floor: these settings may only lengthen them\.$/);
      const overrides = form.locator('[data-testid="warranty-overrides"]');
      expect(await overrides.locator('h2').textContent()).toBe('Longer periods');
      const row = overrides.locator('tr[data-row="overrides.0"]');
      const shown = await Promise.all(['.ws-scope-kind', '.ws-project', '.ws-component', '.ws-unit', '.ws-from'].map((c) => row.locator(c).textContent()));
      expect(shown).toEqual(['Project', '湖畔名邸 · 苏州', 'Pipe blockage', 'years', 'handover']);
      expect(await row.locator('input[name="overrides.0.years"]').inputValue()).toBe('3');
      expect(await form.locator('[data-testid="warranty-retention"] strong').allTextContents()).toEqual([
        'Minimum work orders done',
        'Minimum first-time fix (%)',
        'Maximum late arrivals (%)',
        'Maximum rejected sign-offs (%)',
      ]);
      expect(await form.locator('input[name="retention.minFirstTimeFixPct"]').inputValue()).toBe('85');
      expect(await form.locator('[data-testid="warranty-seasons"] h2').textContent()).toBe('Heating and cooling seasons');
      expect(await form.locator('[data-testid="warranty-seasons"] tr[data-row="seasons.heating"] strong').textContent()).toBe('Heating season');
      expect(await sideways(admin)).toBeLessThanOrEqual(0);
      await admin.screenshot({ path: '/tmp/warranty-settings-en.png', fullPage: true });
      const a11y = await accessibilityProblems(admin, 'warranty settings (en, desktop)');

      // A group manager (settings:read) reads the same settings, without controls.
      const manager = await signedIn('manager.group', { viewport: PHONE });
      const readOnly = await openSettings(manager);
      expect(await readOnly.locator('input[name="overrides.0.years"]').isDisabled()).toBe(true);
      expect(await readOnly.locator('input[name="retention.minFirstTimeFixPct"]').inputValue()).toBe('85');
      expect(await readOnly.locator('[data-testid="warranty-save"], [data-testid="add-override"], [data-testid="row-remove"]').count()).toBe(0);
      expect(await sideways(manager)).toBeLessThanOrEqual(0);
      await manager.screenshot({ path: '/tmp/warranty-settings-readonly-phone.png', fullPage: true });
      a11y.push(...(await accessibilityProblems(manager, 'warranty settings, read-only (zh-CN, phone)')));

      const agent = await signedIn('agent.project');
      expect(await navKeys(agent)).not.toContain('warranty-settings');
      expect(a11y).toEqual([]);
      expect(problems).toEqual([]);
    },
    120_000,
  );
});
