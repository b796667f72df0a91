/**
 * 保修设置 (issue 15) in a real browser against the full stack on a fresh seeded database:
 *   an administrator on a 390×844 phone, in Chinese, adds a longer period for 湖畔名邸 (pipe blockage,
 *   first 0 years: refused at its row before anything is sent, then 3 years from handover) and
 *   raises the first-time-fix threshold to 85 %; the API then answers the new document. The page is
 *   axe-clean and never scrolls sideways (the tables scroll inside their cards).
 *   On a desktop it maps one more category (a duplicate prefix refused first), removes one, and
 *   gives 深圳 its own cooling season (30 February refused first). In English the rows read in English; a group manager (settings:read) reads
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
    'an administrator maps one more category, removes one, and gives 深圳 its own cooling season; a duplicate prefix and a 30 February are refused at their rows',
    async () => {
      const before = (await settingsNow()).settings;
      const admin = await signedIn('admin');
      const form = await openSettings(admin);
      let puts = 0;
      admin.on('request', (r) => {
        if (r.method() === 'PUT' && r.url().endsWith('/api/warranty-settings')) puts++;
      });
      const categories = form.locator('[data-testid="warranty-categories"]');
      const n = before.categoryComponents.length;
      expect(before.categoryComponents[1]!.prefix).toBe('complaint.quality.cracks');

      // A prefix already listed: the domain's rule, at the new row.
      await categories.locator('[data-testid="add-category"]').click();
      const added = categories.locator(`tr[data-row="categoryComponents.${n}"]`);
      await added.locator('.ws-prefix input').fill('repair.plumbing.blockage');
      await pickOption(added.locator('.ws-component'), '电气', '电气管线');
      // 深圳: no heating, cooling from 30 February (no such day).
      const seasons = form.locator('[data-testid="warranty-seasons"]');
      await seasons.locator('[data-testid="add-city"]').click();
      const city = seasons.locator('tr[data-row="citySeasons.0"]');
      await city.locator('.ant-select input').first().fill('深圳');
      await city.locator('[data-season="citySeasons.0.cooling"] .ant-checkbox-wrapper').click();
      await city.locator('input[name="citySeasons.0.cooling.start"]').fill('02-30');
      await city.locator('input[name="citySeasons.0.cooling.end"]').fill('10-31');
      await form.locator('[data-testid="warranty-save"]').click();
      const prefixError = added.locator(`[data-testid="cell-error"][data-field="categoryComponents.${n}.prefix"]`);
      await prefixError.waitFor();
      expect(await prefixError.getAttribute('data-error')).toBe('RULE_BROKEN');
      expect(await prefixError.textContent()).toContain('repair.plumbing.blockage');
      const seasonError = city.locator('[data-testid="cell-error"][data-field="citySeasons.0.cooling.start"]');
      expect(await seasonError.getAttribute('data-error')).toBe('RULE_BROKEN');
      expect(await form.locator('[data-testid="cell-error"]').count()).toBe(2);
      expect(puts).toBe(0);
      const a11y = await accessibilityProblems(admin, 'warranty settings, prefix and season refused (zh-CN)');

      // A category chosen from the taxonomy, a real day, and one row fewer.
      await pickOption(added.locator('.ws-prefix'), '断电', '断电跳闸');
      expect(await added.locator('.ws-prefix input').inputValue()).toBe('repair.electrical.power');
      await city.locator('input[name="citySeasons.0.cooling.start"]').fill('05-01');
      await categories.locator('tr[data-row="categoryComponents.1"] [data-testid="row-remove"]').click();
      await form.locator('[data-testid="warranty-save"]').click();
      await admin.locator('[data-testid="settings-saved"]').waitFor();
      expect(puts).toBe(1);
      const after = (await settingsNow()).settings;
      expect(after.categoryComponents).toEqual([
        before.categoryComponents[0],
        ...before.categoryComponents.slice(2),
        { prefix: 'repair.electrical.power', component: 'electrical_lines' },
      ]);
      expect(after.citySeasons).toEqual([{ city: '深圳', heating: null, cooling: { start: '05-01', end: '10-31' } }]);
      expect(after.overrides).toEqual(before.overrides);
      expect(after.retention).toEqual(before.retention);
      await admin.screenshot({ path: '/tmp/warranty-settings-seasons.png', fullPage: true });
      expect(a11y).toEqual([]);
      expect(problems).toEqual([]);
    },
    120_000,
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
