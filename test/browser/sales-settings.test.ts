/**
 * The sales deadlines (销售流程时限) and the construction-progress notes (工程进度) in the console, in a
 * real browser (Debian's chromium through playwright-core) against the API on a fresh seeded database:
 *   admin shortens the contract deadline to P5D on the sales settings page (the API then answers it),
 *   an invalid duration is refused at its row and nothing is saved, the handbook defaults come back;
 *   a sales manager reads the deadlines without controls, then publishes a progress note that looks
 *   like markup on 滨江花园's page: it shows as text, first, and the API lists it first; a salesperson
 *   reads the notes but has no form. Screenshots go to /tmp/sales-settings-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { z } from '../../api/http/zod.js';
import type { ProgressNoteView } from '../../api/sales/schemas.js';
import type { SalesPolicySettings } from '../../api/settings/schemas.js';
import type { ProgressNote } from '../../console/src/features/org/api.js';
import { startTestStack } from '../support/stack.js';
import { accessibilityProblems, clickNav, launchChromium } from '../support/browser.js';

// The console's type reads what the API's schema sends: a drift in the contract fails the typecheck.
export const consoleReadsTheApi: [(v: z.output<typeof ProgressNoteView>) => ProgressNote] = [(v) => v];

const PASSWORD = 'demo';
// prisma/seed.ts: the PROJECT-scoped users belong to the first project (滨江花园) of the first company.
const ADMIN = 'admin';
const SALES = 'sales.project';
const SALES_MANAGER = 'salesmgr.project';
// Markup that would run if anything rendered it as HTML: it must come back as the same text.
const NOTE = '<img src=x onerror=alert(1)> 3 号楼主体结构已封顶，进入外立面施工。';

type Stack = Awaited<ReturnType<typeof startTestStack>>;

describe('sales deadlines and construction progress in the console (browser)', () => {
  let stack: Stack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ seed: true });
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  }, 60_000);

  /** A signed-in page of its own (own sessionStorage), recording script errors and dialogs. */
  async function signedIn(username: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', timezoneId: 'UTC', reducedMotion: 'reduce' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (err) => problems.push(`${username} pageerror: ${err.message}`));
    page.on('dialog', (d) => {
      problems.push(`${username} dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('console', (msg) => {
      // 4xx answers (a refused form) are logged by Chromium as resource errors: expected.
      if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) problems.push(`${username} console: ${msg.text()}`);
    });
    await page.goto(`${stack.baseUrl}/`);
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="current-role"]').waitFor();
    return page;
  }

  async function apiAs<T>(token: string, path: string): Promise<T> {
    const res = await fetch(`${stack.baseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  }

  /** Nothing the pages showed was ever parsed as markup. */
  async function expectNoInjection(page: Page): Promise<void> {
    expect(await page.locator('main img, main script').count()).toBe(0);
  }

  const openDeadlines = async (page: Page) => {
    await clickNav(page, 'sales-settings');
    await page.locator('[data-testid="sales-settings-tabs"] [data-tab="deadlines"]').click();
    const form = page.locator('[data-testid="policy-form"]');
    await form.locator('tr[data-field="contractWithin"] input[name="contractWithin"]').waitFor();
    return form;
  };
  const row = (form: ReturnType<Page['locator']>, field: string) => form.locator(`tr[data-field="${field}"]`);

  it(
    'admin edits the deadlines (P5D saved, an invalid one refused inline, defaults restored); a manager reads them',
    async () => {
      const adminToken = await stack.login(ADMIN);
      const policyNow = async () => (await apiAs<SalesPolicySettings>(adminToken, '/api/sales-policy')).policy;
      expect((await policyNow()).contractWithin).toBe('P7D');

      const admin = await signedIn(ADMIN);
      const form = await openDeadlines(admin);
      // Every field of the policy, each with its label, explanation, reading and default.
      expect(await form.locator('tbody tr[data-field]').count()).toBe(10);
      const contract = row(form, 'contractWithin');
      expect(await contract.locator('strong').textContent()).toBe('签约期限');
      expect(await contract.locator('.field-hint').textContent()).toBe('认购后须在此期限内签订合同，否则认购失效。');
      expect(await contract.locator('input').inputValue()).toBe('P7D');
      expect(await contract.locator('[data-testid="policy-reading"]').textContent()).toBe('7天');
      expect(await row(form, 'inspectionBeforeDelivery').locator('[data-testid="policy-reading"]').textContent()).toBe('1个月');
      expect(await form.locator('[data-testid="policy-save"]').isDisabled()).toBe(true);

      // P5D: read back as 5 days while typing, saved, and answered by the API.
      await contract.locator('input').fill('P5D');
      expect(await contract.locator('[data-testid="policy-reading"]').textContent()).toBe('5天');
      await form.locator('[data-testid="policy-save"]').click();
      await admin.locator('[data-testid="settings-saved"]').filter({ hasText: '已保存' }).waitFor();
      await expect.poll(() => form.locator('[data-testid="policy-save"]').isDisabled()).toBe(true);
      expect(await policyNow()).toMatchObject({ contractWithin: 'P5D', filingWithin: 'P30D' });
      await admin.screenshot({ path: '/tmp/sales-settings-deadlines.png', fullPage: true });

      // An invalid duration: refused at its row before sending (issue 13: checked in the browser with the server's
      // rules — the same RULE_BROKEN code the API answers), the typed value kept, nothing saved.
      let puts = 0;
      admin.on('request', (r) => {
        if (r.method() === 'PUT' && r.url().endsWith('/api/sales-policy')) puts++;
      });
      const filing = row(form, 'filingWithin');
      await filing.locator('input').fill('thirty days');
      expect(await filing.locator('[data-testid="policy-reading"]').textContent()).toBe('无法识别的时长');
      await contract.locator('input').fill('P6D');
      await form.locator('[data-testid="policy-save"]').click();
      await filing.locator('[data-testid="policy-error"]').waitFor();
      expect(await filing.locator('[data-testid="policy-error"]').textContent()).toContain('thirty days');
      expect(await filing.locator('[data-testid="policy-error"]').textContent()).toMatch(/^不符合规则/);
      expect(await filing.locator('[data-testid="policy-error"]').getAttribute('data-error')).toBe('RULE_BROKEN');
      expect(await form.locator('[data-testid="policy-error"]').count()).toBe(1);
      expect(puts).toBe(0);
      expect(await filing.locator('input').inputValue()).toBe('thirty days');
      expect(await contract.locator('input').inputValue()).toBe('P6D');
      expect(await policyNow()).toMatchObject({ contractWithin: 'P5D', filingWithin: 'P30D' });
      await admin.screenshot({ path: '/tmp/sales-settings-deadlines-error.png', fullPage: true });
      // The editors are antd forms: axe-clean with an error showing, and on the other tabs.
      const a11y = await accessibilityProblems(admin, 'sales settings, deadline refused (zh-CN)');

      // The same page in English reads the durations in English.
      await admin.locator('[data-testid="lang-switch"]').click();
      await expect.poll(() => contract.locator('strong').textContent()).toBe('Contract within');
      expect(await contract.locator('[data-testid="policy-reading"]').textContent()).toBe('6 days');
      // The error is said again in English (the rule's own words).
      await expect.poll(() => filing.locator('[data-testid="policy-error"]').textContent()).toMatch(/^thirty days is not/);
      expect(await row(form, 'inspectionBeforeDelivery').locator('[data-testid="policy-reading"]').textContent()).toBe('1 month');
      await admin.screenshot({ path: '/tmp/sales-settings-deadlines-error-en.png', fullPage: true });
      a11y.push(...(await accessibilityProblems(admin, 'sales settings, deadline refused (en)')));
      // Another tab and back: what was typed is still there (the tabs keep their forms).
      for (const tab of ['cadences', 'reasons'] as const) {
        await admin.locator(`[data-testid="sales-settings-tabs"] [data-tab="${tab}"]`).click();
        await admin.locator(tab === 'cadences' ? '[data-testid="cadence-table"] tr[data-grade="A"]' : '[data-testid="reasons-table"] tr[data-code]').first().waitFor();
        a11y.push(...(await accessibilityProblems(admin, `sales settings, ${tab} (en)`)));
      }
      await admin.locator('[data-testid="sales-settings-tabs"] [data-tab="deadlines"]').click();
      await contract.locator('input').waitFor();
      expect(await filing.locator('input').inputValue()).toBe('thirty days');
      expect(a11y).toEqual([]);
      await admin.locator('[data-testid="lang-switch"]').click();

      // Restore the handbook's defaults and save them.
      await form.locator('[data-testid="policy-defaults"]').click();
      expect(await contract.locator('input').inputValue()).toBe('P7D');
      expect(await filing.locator('input').inputValue()).toBe('P30D');
      await form.locator('[data-testid="policy-save"]').click();
      await expect.poll(() => form.locator('[data-testid="policy-error"]').count()).toBe(0);
      await expect.poll(async () => (await policyNow()).contractWithin).toBe('P7D');
      expect((await policyNow()).filingWithin).toBe('P30D');

      // A sales manager reads the deadlines: no controls.
      const manager = await signedIn(SALES_MANAGER);
      const readOnly = await openDeadlines(manager);
      expect(await row(readOnly, 'contractWithin').locator('input').isDisabled()).toBe(true);
      expect(await row(readOnly, 'contractWithin').locator('input').inputValue()).toBe('P7D');
      expect(await readOnly.locator('[data-testid="policy-save"], [data-testid="policy-defaults"]').count()).toBe(0);
      await manager.screenshot({ path: '/tmp/sales-settings-deadlines-readonly.png', fullPage: true });

      expect(problems).toEqual([]);
    },
    120_000,
  );

  it(
    'a sales manager publishes a progress note on 滨江花园 (text only, listed first); a salesperson reads it without a form',
    async () => {
      const managerToken = await stack.login(SALES_MANAGER);
      const me = await apiAs<{ scope: { projectId: string } }>(managerToken, '/api/auth/me');
      const projectId = me.scope.projectId;
      const project = await apiAs<{ name: string }>(managerToken, `/api/projects/${projectId}`);
      expect(project.name).toBe('滨江花园');

      const manager = await signedIn(SALES_MANAGER);
      const keys: string[] = [];
      manager.on('request', (r) => {
        if (r.method() === 'POST' && r.url().endsWith(`/api/projects/${projectId}/progress-notes`)) keys.push(r.headers()['idempotency-key'] ?? '');
      });
      await clickNav(manager, 'projects');
      await manager.locator('[data-testid="projects-table"] tbody tr[data-row-key]', { hasText: '滨江花园' }).click();
      await manager.locator('[data-testid="project-detail"]').waitFor();
      const section = manager.locator('[data-testid="progress-notes"]');
      await section.waitFor();
      expect(await section.locator('.card-intro').textContent()).toBe('每月发给本项目每位买受人的工程进度邮件会引用最新一条进度。');
      await section.locator('[data-testid="progress-notes-empty"]').filter({ hasText: '暂无工程进度' }).waitFor();

      // Empty text is refused before sending.
      const form = section.locator('[data-testid="progress-note-form"]');
      await form.locator('[data-testid="progress-note-submit"]').click();
      await form.locator('[data-field="text"] [data-testid="error-text"]').waitFor();
      expect(keys).toEqual([]);

      await form.locator('textarea[name="text"]').fill('2 号楼主体施工中。');
      await form.locator('[data-testid="progress-note-submit"]').click();
      await section.locator('[data-testid="progress-note"]').first().waitFor();
      await form.locator('textarea[name="text"]').fill(NOTE);
      await form.locator('[data-testid="progress-note-submit"]').click();
      await manager.locator('.ant-message').filter({ hasText: '已发布工程进度' }).waitFor();
      await expect.poll(() => section.locator('[data-testid="progress-note"]').count()).toBe(2);
      expect(await form.locator('textarea[name="text"]').inputValue()).toBe('');
      const first = section.locator('[data-testid="progress-note"]').first();
      expect(await first.locator('[data-testid="progress-note-text"]').textContent()).toBe(NOTE);
      expect(await first.locator('[data-testid="progress-note-latest"]').textContent()).toBe('最新');
      // One key per submission.
      expect(keys).toHaveLength(2);
      expect(new Set(keys).size).toBe(2);
      for (const k of keys) expect(k).toMatch(/^[0-9a-f-]{36}$/);
      await expectNoInjection(manager);
      await manager.screenshot({ path: '/tmp/sales-settings-progress-manager.png', fullPage: true });

      // The API lists it first.
      const listed = await apiAs<{ items: ProgressNote[]; total: number }>(managerToken, `/api/projects/${projectId}/progress-notes`);
      expect(listed.total).toBe(2);
      expect(listed.items[0]).toMatchObject({ text: NOTE, projectId });
      expect(await first.getAttribute('data-note-id')).toBe(listed.items[0]!.id);

      // A salesperson reads the notes, with no form.
      const seller = await signedIn(SALES);
      await seller.goto(`${stack.baseUrl}/projects/${projectId}`);
      const sellerSection = seller.locator('[data-testid="progress-notes"]');
      await sellerSection.locator('[data-testid="progress-note"]').first().waitFor();
      expect(await sellerSection.locator('[data-testid="progress-note-text"]').allTextContents()).toEqual([NOTE, '2 号楼主体施工中。']);
      expect(await sellerSection.locator('[data-testid="progress-note-form"], textarea').count()).toBe(0);
      await expectNoInjection(seller);
      await seller.locator('[data-testid="lang-switch"]').click();
      await expect.poll(() => sellerSection.locator('.card-intro').textContent()).toBe('The monthly construction-progress email to each buyer of this project quotes the latest note.');
      await seller.screenshot({ path: '/tmp/sales-settings-progress-sales.png', fullPage: true });

      expect(problems).toEqual([]);
    },
    120_000,
  );
});
