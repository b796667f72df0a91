/**
 * The sales lifecycle walked through the console in a real browser (Debian's chromium through
 * playwright-core) against the full stack with Temporal and the worker:
 *   sales.project registers a subscription on the new-sale form (a deposit above the price and a bad
 *   phone are refused before sending, with the server's codes, in Chinese), lands on the sale page with the contract deadline counting down, signs
 *   the contract, reads the timeline in Chinese, and asks for a cancellation; salesmgr.project finds
 *   it in the approval queue and approves it; the sale shows 已取消; the sales dashboard renders the
 *   pipeline (charts, table, CSV); a lead converted on its page links to the sale it opened, whose
 *   mortgage is then walked to disbursement (paid in full). A buyer
 *   name and a reason that look like markup stay text all the way. Screenshots go to /tmp/sales-*.png.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { z } from '../../api/http/zod.js';
import type { SaleEventPage as SaleEventPageSchema, SaleSummaryView, SaleView } from '../../api/sales/schemas.js';
import type { SalesReportView } from '../../api/reports/schemas.js';
import type { Sale, SaleEventPage, SaleSummary } from '../../console/src/features/sales/api.js';
import type { SalesReport } from '../../console/src/features/reports/api.js';
import { formatDateTime } from '../../console/src/format.js';
import { startTestStack } from '../support/stack.js';
import { accessibilityProblems, clickNav, launchChromium, navKeys, pickOption, unitOnSale, unitOptionText } from '../support/browser.js';

// The console's types read what the API's schemas send: a drift in the contract fails the typecheck.
export const consoleReadsTheApi: [
  (v: z.output<typeof SaleSummaryView>) => SaleSummary,
  (v: z.output<typeof SaleView>) => Sale,
  (v: z.output<typeof SaleEventPageSchema>) => SaleEventPage,
  (v: z.output<typeof SalesReportView>) => SalesReport,
] = [(v) => v, (v) => v, (v) => v, (v) => v];

const PASSWORD = 'demo';
// prisma/seed.ts: the PROJECT-scoped users belong to the first project (滨江花园) of the first company.
const SALES = 'sales.project';
const SALES_MANAGER = 'salesmgr.project';
const COUNTDOWN = /^剩余 (\d+天 )?\d{2}:\d{2}:\d{2}$/;
// Markup that would run if anything rendered it as HTML: it must come back as the same text.
const BUYER = '<img src=x onerror="window.__xss=1">钱先生';
const REASON = '<script>window.__xss=2</script>客户资金不足，申请退订';

type Stack = Awaited<ReturnType<typeof startTestStack>>;
interface Me {
  id: string;
  scope: { projectId: string };
}

describe('the sales lifecycle in the console (browser)', () => {
  let stack: Stack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ seed: true, temporal: true, worker: true });
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    // The sale page refreshes itself (workflow queries behind it): close the pages first; the
    // stack lets a request already inside the API finish before Temporal's connection closes.
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  }, 60_000);

  /** A signed-in page of its own (own sessionStorage), recording script errors and dialogs. */
  async function signedIn(username: string, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: lang, timezoneId: 'UTC', acceptDownloads: true, reducedMotion: 'reduce' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    if (lang === 'en') await page.addInitScript(() => window.localStorage.setItem('lang', 'en'));
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

  async function apiAs(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(method === 'POST' ? { 'Idempotency-Key': crypto.randomUUID() } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  }

  const saleStage = (page: Page) => page.locator('[data-testid="sale-page"]').getAttribute('data-stage');
  const timelineTypes = (page: Page) => page.locator('[data-testid="timeline-event"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
  const titleOf = (page: Page, type: string) => page.locator(`[data-testid="timeline-event"][data-type="${type}"] [data-testid="timeline-title"]`).first().textContent();
  /** Picks an option of an antd Select as a user would: open it, type to search, click the option. */
  async function pick(page: Page, select: string, label: string): Promise<void> {
    await page.locator(select).click();
    await page.locator(select).fill(label);
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: label }).first().click();
  }
  /**
   * Picks a unit in the antd Cascader as a user does: open it, type part of the room to search, click
   * the first room offered. Answers the picker's text (building / room).
   */
  async function pickFirstUnit(page: Page, typed: string): Promise<string> {
    const picker = page.locator('[data-testid="sale-unit"]');
    await picker.click();
    await page.keyboard.type(typed);
    const option = page.locator('.ant-cascader-dropdown:not(.ant-select-dropdown-hidden) .ant-cascader-menu-item:not(.ant-cascader-menu-item-disabled)');
    await option.first().click();
    await page.locator('.ant-cascader-dropdown:not(.ant-select-dropdown-hidden)').waitFor({ state: 'hidden' });
    await expect.poll(() => picker.textContent()).toMatch(/\d/);
    return (await picker.textContent()) ?? '';
  }
  /** No serious or critical axe violation on the page as it stands. */
  async function expectAccessible(page: Page, where: string): Promise<void> {
    expect(await accessibilityProblems(page, where)).toEqual([]);
  }
  /** Nothing the pages showed was ever parsed as markup. */
  async function expectNoInjection(page: Page): Promise<void> {
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await page.locator('main img, main script').count()).toBe(0);
  }

  it(
    'subscribe → contract → timeline → cancellation request → approval queue → 已取消; pipeline dashboard',
    async () => {
      const salesToken = await stack.login(SALES);
      const managerToken = await stack.login(SALES_MANAGER);
      const sales = (await apiAs(salesToken, 'GET', '/api/auth/me')).json as Me;

      // ---------------------------------------------------------------- salesperson: navigation
      const seller = await signedIn(SALES);
      const sellerNav = await navKeys(seller);
      expect(sellerNav).toEqual(expect.arrayContaining(['sales-mine', 'sales-new']));
      expect(sellerNav).not.toContain('sale-approvals');
      expect(sellerNav).not.toContain('sale-report');
      expect(sellerNav).not.toContain('sales');

      // ---------------------------------------------------------------- the new-sale form
      await clickNav(seller, 'sales-new');
      const form = seller.locator('[data-testid="sale-form"]');
      await form.waitFor();
      let posted = 0;
      seller.on('request', (r) => {
        if (r.method() === 'POST' && ['/api/sales', '/api/customers'].includes(new URL(r.url()).pathname)) posted++;
      });
      await expect.poll(() => form.locator('[data-testid="project-select"]').getAttribute('data-value')).toBe(sales.scope.projectId);
      await form.locator('input[name="phone"]').fill('13500135201');
      await form.locator('input[name="customerName"]').fill(BUYER);
      await form.locator('input[name="email"]').fill('qian@example.com');
      await pickFirstUnit(seller, '0');
      await form.locator('input[name="price"]').fill('2,350,000');
      await form.locator('input[name="deposit"]').fill('3000000');
      await form.locator('[data-testid="payment-method"] input[value="mortgage"]').check({ force: true });
      // Checked before sending with the server's CreateSaleBody (its code, its words): nothing registered, nothing typed lost.
      await form.locator('[data-testid="submit-sale"]').click();
      const depositError = form.locator('[data-field="deposit"] [data-testid="error-deposit"]');
      await depositError.waitFor();
      expect(await depositError.getAttribute('data-error')).toBe('DEPOSIT_EXCEEDS_PRICE');
      expect(await depositError.textContent()).toBe('定金不能超过房价');
      expect(await form.locator('input[name="customerName"]').inputValue()).toBe(BUYER);
      expect(posted).toBe(0);
      await seller.screenshot({ path: '/tmp/sales-new-error.png', fullPage: true });
      await expectAccessible(seller, 'new sale (zh-CN)');

      // A phone the server would refuse: checked in the browser too (CreateCustomerBody), its message in Chinese under
      // the field, nothing sent, no English "Invalid body" (issue 13, problem 2).
      await form.locator('input[name="deposit"]').fill('50000');
      await expect.poll(() => depositError.count()).toBe(0);
      await form.locator('input[name="phone"]').fill('not-a-phone');
      await form.locator('[data-testid="submit-sale"]').click();
      const phoneError = form.locator('[data-field="phone"] [data-testid="error-phone"]');
      await phoneError.waitFor();
      expect(await phoneError.textContent()).toMatch(/[\u4e00-\u9fff]/);
      expect(await phoneError.textContent()).not.toMatch(/invalid/i);
      expect(await form.locator('[data-testid="problem"]').count()).toBe(0);
      expect(posted).toBe(0);
      expect(await form.locator('input[name="customerName"]').inputValue()).toBe(BUYER);

      await form.locator('input[name="phone"]').fill('13500135201');
      await expect.poll(() => phoneError.count()).toBe(0);
      await form.locator('[data-testid="submit-sale"]').click();
      await seller.waitForURL(/\/sales\/[0-9a-f-]{36}$/);
      const saleId = decodeURIComponent(new URL(seller.url()).pathname.split('/').pop()!);

      // ---------------------------------------------------------------- the sale page
      const salePage = seller.locator(`[data-testid="sale-page"][data-sale-id="${saleId}"]`);
      await salePage.waitFor();
      expect(await saleStage(seller)).toBe('subscribed');
      expect(await salePage.getAttribute('data-owner-id')).toBe(sales.id);
      expect(await seller.locator('[data-testid="sale-stage"]').first().textContent()).toBe('认购');
      expect(await seller.locator('[data-testid="sale-buyer"]').textContent()).toBe(BUYER);
      expect(await seller.locator('[data-testid="sale-price"]').textContent()).toBe('¥2,350,000.00');
      expect(await seller.locator('[data-testid="sale-paid"]').textContent()).toBe('¥50,000.00');
      expect(await seller.locator('[data-testid="sale-outstanding"]').textContent()).toBe('¥2,300,000.00');
      const number = (await seller.locator('[data-testid="sale-number"]').textContent())!.trim();
      const next = seller.locator('[data-testid="next-deadline"]');
      expect(await next.getAttribute('data-kind')).toBe('contract');
      expect(await next.locator('[data-testid="next-deadline-name"]').textContent()).toBe('签约');
      const countdown = next.locator('[data-testid="sale-countdown"]');
      expect(await countdown.getAttribute('data-state')).toBe('running');
      const first = (await countdown.textContent()) ?? '';
      expect(first).toMatch(COUNTDOWN);
      // 7 days by the handbook: a countdown of six days and hours, ticking every second.
      expect(first).toMatch(/^剩余 6天 /);
      await expect.poll(() => countdown.textContent(), { timeout: 5_000 }).not.toBe(first);
      await expect.poll(() => timelineTypes(seller), { timeout: 15_000 }).toContain('sale.subscribed');
      expect(await titleOf(seller, 'sale.subscribed')).toBe('认购登记');
      await expectNoInjection(seller);
      await seller.screenshot({ path: '/tmp/sales-sale-new.png', fullPage: true });
      await expectAccessible(seller, 'sale page (zh-CN)');

      // My sales lists it with its countdown.
      await clickNav(seller, 'sales-mine');
      const row = seller.locator(`[data-testid="sales-mine-table"] tr[data-sale-id="${saleId}"]`);
      await row.waitFor();
      expect(await row.locator('[data-testid="sale-countdown"]').textContent()).toMatch(COUNTDOWN);
      expect(await row.locator('[data-testid="sale-buyer"]').textContent()).toBe(BUYER);
      expect(await row.locator('[data-testid="sale-stage"]').textContent()).toBe('认购');
      await expectNoInjection(seller);
      await seller.screenshot({ path: '/tmp/sales-mine.png', fullPage: true });
      await expectAccessible(seller, 'my sales (zh-CN)');
      await row.locator('[data-testid="sale-link"]').click();
      await salePage.waitFor();

      // ---------------------------------------------------------------- sign the contract
      await seller.locator('[data-testid="action-contract"]').click();
      const contract = seller.locator('[data-testid="form-contract"]');
      await contract.locator('input[name="contractNo"]').fill('HT-2026-0001');
      await contract.locator('[data-testid="action-submit"]').click();
      await contract.waitFor({ state: 'detached' });
      await expect.poll(() => saleStage(seller)).toBe('contracted');
      expect(await seller.locator('[data-testid="sale-stage"]').first().textContent()).toBe('已签约');
      expect(await seller.locator('[data-testid="sale-contract-no"]').textContent()).toBe('HT-2026-0001');
      // The contract deadline is closed; filing and the mortgage documents are open (documents first).
      await expect.poll(() => next.getAttribute('data-kind')).toBe('mortgage_documents');
      const kinds = await seller.locator('[data-testid="deadline-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
      expect(kinds.sort()).toEqual(['filing', 'mortgage_documents']);
      await expect.poll(() => timelineTypes(seller), { timeout: 15_000 }).toEqual(expect.arrayContaining(['sale.subscribed', 'sale.contract_signed', 'sale.welcome_letter']));
      expect(await titleOf(seller, 'sale.contract_signed')).toBe('签订合同 HT-2026-0001');
      expect(await titleOf(seller, 'sale.welcome_letter')).toBe('已向买受人发送欢迎信');
      const signed = (await seller.locator('[data-testid="timeline-event"][data-type="sale.contract_signed"]').textContent()) ?? '';
      expect(signed).toContain('是否按时: 按时');
      expect(signed).toContain('资料截止:');
      await seller.screenshot({ path: '/tmp/sales-sale-contracted.png', fullPage: true });

      // ---------------------------------------------------------------- ask for a cancellation
      await seller.locator('[data-testid="action-cancel"]').click();
      const cancel = seller.locator('[data-testid="form-cancel"]');
      // A reason is required: checked before sending.
      await cancel.locator('[data-testid="action-submit"]').click();
      // (the server's CancelBody, run in the browser: its code and message under the field)
      await cancel.locator('[data-field="reason"] [data-testid="error-reason"]').waitFor();
      expect(await cancel.locator('[data-testid="error-reason"]').textContent()).not.toBe('');
      await cancel.locator('textarea[name="reason"]').fill(REASON);
      await cancel.locator('[data-testid="action-submit"]').click();
      await cancel.waitFor({ state: 'detached' });
      await seller.locator('.alert-success').filter({ hasText: '已提交取消申请' }).waitFor();
      await seller.locator('[data-testid="pending-approval"]').first().waitFor();
      expect(await seller.locator('[data-testid="pending-approval"]').first().textContent()).toBe('待审批：取消');
      const approval = seller.locator('[data-testid="approval"][data-status="pending"]');
      expect(await approval.locator('[data-testid="approval-reason"]').textContent()).toBe(REASON);
      // One request at a time; and a salesperson does not decide it.
      expect(await seller.locator('[data-testid="action-cancel"]').count()).toBe(0);
      expect(await seller.locator('[data-testid="action-rename"]').count()).toBe(0);
      expect(await approval.locator('[data-testid="approval-decision"]').count()).toBe(0);
      await expect.poll(() => timelineTypes(seller), { timeout: 15_000 }).toContain('sale.approval_requested');
      expect(await titleOf(seller, 'sale.approval_requested')).toBe('申请取消');
      expect(await seller.locator('[data-testid="timeline-event"][data-type="sale.approval_requested"]').textContent()).toContain(`原因: ${REASON}`);
      await expectNoInjection(seller);
      await seller.screenshot({ path: '/tmp/sales-sale-cancel-requested.png', fullPage: true });

      // ---------------------------------------------------------------- sales manager: the approval queue
      const manager = await signedIn(SALES_MANAGER);
      const managerNav = await navKeys(manager);
      expect(managerNav).toEqual(expect.arrayContaining(['sales-mine', 'sales-new', 'sales', 'sale-approvals', 'sale-report']));
      await clickNav(manager, 'sale-approvals');
      const card = manager.locator(`[data-testid="approval-row"][data-sale-id="${saleId}"]`);
      await card.waitFor();
      expect(await card.getAttribute('data-kind')).toBe('cancel');
      expect(await card.locator('[data-testid="approval-sale"]').textContent()).toBe(number);
      expect(await card.locator('[data-testid="approval-buyer-name"]').textContent()).toBe(BUYER);
      await card.locator('[data-testid="approval-reason"]').waitFor();
      expect(await card.locator('[data-testid="approval-reason"]').textContent()).toBe(REASON);
      expect(await card.locator('[data-testid="approval-requester"]').textContent()).toContain('项目置业顾问');
      await expectNoInjection(manager);
      await manager.screenshot({ path: '/tmp/sales-approvals.png', fullPage: true });
      await expectAccessible(manager, 'sale approvals (zh-CN)');
      // The same approval shape as the cases' escalations: approve opens the note, submit decides.
      await card.locator('[data-testid="approval-approve"]').click();
      await card.locator('[data-testid="approval-note-input"]').fill('同意退订，定金按合同处理');
      // The card leaves at once and the decision is confirmed.
      await card.locator('[data-testid="decision-submit"]').click();
      await card.waitFor({ state: 'detached' });
      await manager.locator('[data-testid="decision-confirmation"]').filter({ hasText: `已批准 ${number} 的取消申请` }).waitFor();
      await manager.screenshot({ path: '/tmp/sales-approval-decided.png', fullPage: true });
      // It does not come back while the read model catches up.
      await manager.locator('[data-testid="approvals-refresh"]').click();
      await manager.waitForTimeout(1_000);
      expect(await card.count()).toBe(0);
      await expect
        .poll(async () => ((await apiAs(managerToken, 'GET', `/api/sales/${saleId}`)).json as { stage: string }).stage, { timeout: 15_000 })
        .toBe('cancelled');

      // ---------------------------------------------------------------- the sale shows 已取消
      await seller.reload();
      await seller.locator('[data-testid="sale-page"][data-stage="cancelled"]').waitFor();
      expect(await seller.locator('[data-testid="sale-stage"]').first().textContent()).toBe('已取消');
      expect(await seller.locator('[data-testid="sale-end-reason"]').textContent()).toBe(REASON);
      expect(await seller.locator('[data-testid="next-deadline"]').getAttribute('data-state')).toBe('ended');
      await seller.locator('[data-testid="no-actions"]').waitFor();
      await expect.poll(() => timelineTypes(seller), { timeout: 15_000 }).toEqual(expect.arrayContaining(['sale.approval_decided', 'sale.cancelled']));
      expect(await titleOf(seller, 'sale.approval_decided')).toBe('取消申请已批准');
      expect(await titleOf(seller, 'sale.cancelled')).toBe('销售已取消');
      expect(await seller.locator('[data-testid="timeline-event"][data-type="sale.approval_decided"]').textContent()).toContain('审批意见: 同意退订，定金按合同处理');
      expect(await seller.locator('[data-testid="approval"][data-status="approved"] [data-testid="approval-note"]').textContent()).toBe('同意退订，定金按合同处理');
      await expectNoInjection(seller);
      await seller.screenshot({ path: '/tmp/sales-sale-cancelled.png', fullPage: true });

      // The same story in English.
      await seller.locator('[data-testid="lang-switch"]').click();
      await expect.poll(() => seller.locator('[data-testid="sale-stage"]').first().textContent()).toBe('Cancelled');
      expect(await titleOf(seller, 'sale.contract_signed')).toBe('Contract HT-2026-0001 signed');
      expect(await titleOf(seller, 'sale.approval_decided')).toBe('Cancellation approved');
      expect(await titleOf(seller, 'sale.cancelled')).toBe('Sale cancelled');
      await seller.screenshot({ path: '/tmp/sales-sale-cancelled-en.png', fullPage: true });
      await expectAccessible(seller, 'cancelled sale page (en)');

      // ---------------------------------------------------------------- sales manager: all sales and the dashboard
      await clickNav(manager, 'sales');
      await manager.locator('[data-testid="sales-table"]').waitFor();
      await pick(manager, '#sales-stage', '已取消');
      await manager.waitForURL((u) => u.searchParams.get('stage') === 'cancelled');
      const managerRow = manager.locator(`[data-testid="sales-table"] tr[data-sale-id="${saleId}"]`);
      await managerRow.waitFor();
      expect(await managerRow.locator('[data-testid="sale-countdown"]').getAttribute('data-state')).toBe('ended');
      await manager.screenshot({ path: '/tmp/sales-list-cancelled.png', fullPage: true });
      await expectAccessible(manager, 'all sales (zh-CN)');

      await clickNav(manager, 'sale-report');
      await manager.locator('[data-testid="sale-report"]').waitFor();
      await expect.poll(async () => Number((await manager.locator('[data-testid="kpi-sales"]').textContent()) ?? 0), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
      const pipeline = manager.locator('[data-testid="pipeline-chart"]');
      await pipeline.waitFor();
      // The chart is an ECharts canvas; its figures are also a table for screen readers, read here.
      expect(await pipeline.locator('tr[data-stage]').count()).toBe(9);
      expect(Number(await pipeline.locator('tr[data-stage="cancelled"]').getAttribute('data-count'))).toBeGreaterThanOrEqual(1);
      expect(await pipeline.locator('tr[data-stage="cancelled"] th').first().textContent()).toBe('已取消');
      await manager.locator('[data-testid="outcome-chart"]').waitFor();
      // The cancellation reason is text (canvas and table cell), never markup.
      await expect.poll(() => manager.locator('[data-testid="cancel-chart"] tr[data-reason] th').allTextContents()).toContain(REASON);
      await manager.locator('[data-testid="sale-report-table"] tbody tr').first().waitFor();
      await manager.locator('[data-testid="group-by"] [data-group="owner"]').click();
      await manager.locator('[data-testid="sale-report-table"]').getByText('项目置业顾问', { exact: true }).first().waitFor();
      const download = manager.waitForEvent('download');
      await manager.locator('[data-testid="export-sale-report"]').click();
      const csv = fs.readFileSync((await (await download).path())!, 'utf8');
      expect(csv.split('\n')[0]).toContain('按揭周期·一般(中位数，天)');
      await expectNoInjection(manager);
      await manager.screenshot({ path: '/tmp/sales-report.png', fullPage: true });

      // ---------------------------------------------------------------- a lead converted on its page links to its sale
      const lead = await apiAs(salesToken, 'POST', '/api/leads', {
        projectId: sales.scope.projectId,
        customer: { name: '孙女士', phone: '13500135202' },
        source: 'walk_in',
        grade: 'A',
        ownerId: sales.id,
      });
      expect(lead.status, JSON.stringify(lead.json)).toBe(201);
      const leadId = (lead.json as { id: string }).id;
      await seller.locator('[data-testid="lang-switch"]').click();
      await seller.goto(`${stack.baseUrl}/leads/${leadId}`);
      await seller.locator(`[data-testid="lead-page"][data-lead-id="${leadId}"]`).waitFor();
      await seller.locator('[data-testid="action-convert"]').click();
      const convert = seller.locator('[data-testid="form-convert"]');
      // The unit picker searches by building and room: type them as the buyer says them, pick the unit.
      const onSale = await unitOnSale(stack.baseUrl, salesToken, sales.scope.projectId);
      await pickOption(convert.locator('[data-testid="convert-unit"]'), `${onSale.buildingName} ${onSale.number}`, unitOptionText(onSale));
      await convert.locator('input[name="price"]').fill('1980000');
      await convert.locator('input[name="deposit"]').fill('20000');
      await convert.locator('[data-testid="convert-payment-method"] input[value="mortgage"]').check({ force: true });
      await convert.locator('[data-testid="action-submit"]').click();
      await convert.waitFor({ state: 'detached' });
      await seller.locator('[data-testid="lead-page"][data-status="converted"]').waitFor();
      await seller.locator('[data-testid="lead-sale-link"]').click();
      await seller.waitForURL(/\/sales\/[0-9a-f-]{36}$/);
      await seller.locator('[data-testid="sale-page"][data-stage="subscribed"]').waitFor();
      expect(await seller.locator('[data-testid="sale-buyer"]').textContent()).toBe('孙女士');
      expect(await seller.locator('[data-testid="sale-method"]').textContent()).toBe('按揭贷款');
      expect(await seller.locator('[data-testid="next-deadline"]').getAttribute('data-kind')).toBe('contract');
      expect(await seller.locator('[data-testid="sale-countdown"]').textContent()).toMatch(COUNTDOWN);
      expect(await seller.locator('[data-testid="sale-lead-link"]').getAttribute('href')).toBe(`/leads/${leadId}`);
      await seller.screenshot({ path: '/tmp/sales-from-lead.png', fullPage: true });

      // Its mortgage, step by step: contract → documents → approval → disbursement → paid.
      const step = async (action: string, fill: (f: ReturnType<Page['locator']>) => Promise<void>) => {
        await seller.locator(`[data-testid="action-${action}"]`).click();
        const f = seller.locator(`[data-testid="form-${action}"]`);
        await fill(f);
        await f.locator('[data-testid="action-submit"]').click();
        await f.waitFor({ state: 'detached' });
      };
      await step('contract', (f) => f.locator('input[name="contractNo"]').fill('HT-2026-0002'));
      await expect.poll(() => saleStage(seller)).toBe('contracted');
      await step('mortgage', (f) => f.locator('input[name="bank"]').fill('中国建设银行'));
      await expect.poll(() => saleStage(seller)).toBe('mortgage_pending');
      await expect.poll(() => seller.locator('[data-testid="mortgage-status"]').textContent()).toBe('银行审批中');
      await step('mortgage', async (f) => {
        expect(await f.locator('input[name="event"]:checked').getAttribute('value')).toBe('approved');
        expect(await f.locator('input[name="bank"]').inputValue()).toBe('中国建设银行');
        // An approval states the loan: checked before sending.
        await f.locator('[data-testid="action-submit"]').click();
        // (the server's MortgageBody, run in the browser: its own rule, its code under the field)
        await f.locator('[data-field="amount"] [data-testid="error-amount"]').waitFor();
        expect(await f.locator('[data-testid="error-amount"]').getAttribute('data-error')).toBe('APPROVAL_NEEDS_AMOUNT');
        await f.locator('input[name="amount"]').fill('1960000');
      });
      await expect.poll(() => seller.locator('[data-testid="mortgage-status"]').textContent()).toBe('已批贷');
      await step('mortgage', async (f) => expect(await f.locator('input[name="event"]:checked').getAttribute('value')).toBe('disbursed'));
      await expect.poll(() => saleStage(seller)).toBe('paid');
      expect(await seller.locator('[data-testid="mortgage-status"]').textContent()).toBe('已放款');
      expect(await seller.locator('[data-testid="sale-outstanding"]').textContent()).toBe('¥0.00');
      await expect.poll(() => timelineTypes(seller), { timeout: 15_000 }).toEqual(expect.arrayContaining(['sale.mortgage_approved', 'sale.mortgage_disbursed', 'sale.paid']));
      expect(await titleOf(seller, 'sale.mortgage_disbursed')).toBe('银行放款 ¥1,960,000.00');
      expect(await titleOf(seller, 'sale.paid')).toBe('房款已付清');
      await seller.screenshot({ path: '/tmp/sales-from-lead-paid.png', fullPage: true });

      expect(problems).toEqual([]);
    },
    300_000,
  );
  for (const lang of ['zh-CN', 'en'] as const) {
    it(`the sale list keeps its filters in the address: a reload shows the same list (${lang})`, async () => {
      const manager = await signedIn(SALES_MANAGER, lang);
      const cancelled = lang === 'zh-CN' ? '已取消' : 'Cancelled';
      await clickNav(manager, 'sales');
      const table = manager.locator('[data-testid="sales-table"]');
      await table.waitFor();
      await pick(manager, '#sales-stage', cancelled);
      await manager.waitForURL((u) => u.searchParams.get('stage') === 'cancelled');
      const stages = () => table.locator('tr[data-sale-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-stage')));
      // The walk above cancelled a sale: the filtered list shows it, and only cancelled sales.
      await expect.poll(async () => [...new Set(await stages())]).toEqual(['cancelled']);
      await manager.reload();
      await table.waitFor();
      expect(new URL(manager.url()).searchParams.get('stage')).toBe('cancelled');
      expect(await table.getAttribute('data-stage')).toBe('cancelled');
      expect(await manager.locator('.ant-select', { has: manager.locator('#sales-stage') }).first().innerText()).toContain(cancelled);
      await expect.poll(async () => [...new Set(await stages())]).toEqual(['cancelled']);
      await expectAccessible(manager, `all sales, filtered (${lang})`);
      await manager.screenshot({ path: `/tmp/sales-list-filter-${lang}.png`, fullPage: true });
      // Back to the open sales: the filter leaves the address.
      await pick(manager, '#sales-stage', lang === 'zh-CN' ? '进行中' : 'Open');
      await manager.waitForURL((u) => !u.searchParams.has('stage'));
      expect(problems).toEqual([]);
    }, 120_000);
  }

  // Issue 13, problem 2 on the sales forms: checked in the browser with the server's schemas, each error under its
  // field in the user's language, before anything is sent.
  const WORDS = {
    'zh-CN': {
      required: '必填',
      phone: '请填写 11 位手机号，或带区号的固定电话（如 0571-88886666）',
      amount: '金额须为人民币，最多两位小数，例如 "2350000.00"',
      zone: '按项目时区 Asia/Shanghai (UTC+08:00)',
    },
    en: {
      required: 'Required',
      phone: 'Enter an 11-digit mobile number, or a landline with its area code (such as 0571-88886666)',
      amount: 'An amount in CNY with at most two decimals, e.g. "2350000.00"',
      zone: 'in the project’s time zone, Asia/Shanghai (UTC+08:00)',
    },
  } as const;

  for (const lang of ['zh-CN', 'en'] as const) {
    it(`the new-sale form shows a bad phone's and a bad price's errors under their fields in ${lang} before sending`, async () => {
      const seller = await signedIn(SALES, lang);
      let posted = 0;
      seller.on('request', (r) => {
        if (r.method() === 'POST' && ['/api/sales', '/api/customers'].includes(new URL(r.url()).pathname)) posted++;
      });
      await clickNav(seller, 'sales-new');
      const form = seller.locator('[data-testid="sale-form"]');
      await form.waitFor();
      await form.locator('input[name="phone"]').fill('not-a-phone');
      await form.locator('input[name="customerName"]').fill(lang === 'zh-CN' ? '周女士' : 'Ms Zhou');
      await pickFirstUnit(seller, '1');
      await form.locator('input[name="price"]').fill('two million');
      await form.locator('input[name="deposit"]').fill('20000');
      await form.locator('[data-testid="submit-sale"]').click();
      const phoneError = form.locator('[data-field="phone"] [data-testid="error-phone"]');
      const priceError = form.locator('[data-field="price"] [data-testid="error-price"]');
      await phoneError.waitFor();
      expect(await phoneError.textContent()).toBe(WORDS[lang].phone);
      expect(await priceError.getAttribute('data-error')).toBe('AMOUNT_FORMAT');
      expect(await priceError.textContent()).toBe(WORDS[lang].amount);
      expect(await form.locator('[data-testid="problem"]').count()).toBe(0);
      expect(posted).toBe(0);
      await seller.screenshot({ path: `/tmp/sales-new-field-errors-${lang}.png`, fullPage: true });
      await expectAccessible(seller, `new sale with field errors (${lang})`);
      // Corrected, the error goes at once.
      await form.locator('input[name="price"]').fill('2,000,000');
      await expect.poll(() => priceError.count()).toBe(0);
      expect(problems).toEqual([]);
    }, 120_000);

    it(`a step form checks its fields in ${lang} before sending, and its date-time is entered and shown in the project's zone`, async () => {
      const salesToken = await stack.login(SALES);
      const me = (await apiAs(salesToken, 'GET', '/api/auth/me')).json as Me;
      const buyer = await apiAs(salesToken, 'POST', '/api/customers', { name: lang === 'zh-CN' ? '吴先生' : 'Mr Wu', phone: lang === 'zh-CN' ? '13500135291' : '13500135292', consentToContact: true });
      expect(buyer.status, JSON.stringify(buyer.json)).toBe(201);
      const units = (await apiAs(salesToken, 'GET', `/api/projects/${me.scope.projectId}/units?status=AVAILABLE&pageSize=200`)).json as { items: { id: string }[] };
      // The last available unit: the journey above takes the first ones.
      const unit = units.items.at(lang === 'zh-CN' ? -1 : -2)!;
      const created = await apiAs(salesToken, 'POST', '/api/sales', { customerId: (buyer.json as { id: string }).id, unitId: unit.id, price: '1800000', deposit: '20000', paymentMethod: 'full' });
      expect(created.status, JSON.stringify(created.json)).toBe(201);
      const saleId = (created.json as { id: string }).id;

      // The browser runs in UTC; the project is in Asia/Shanghai (UTC+8): the form speaks the project's time.
      const seller = await signedIn(SALES, lang);
      await seller.goto(`${stack.baseUrl}/sales/${saleId}`);
      await seller.locator(`[data-testid="sale-page"][data-sale-id="${saleId}"]`).waitFor();
      await seller.locator('[data-testid="action-contract"]').click();
      const contract = seller.locator('[data-testid="form-contract"]');
      await contract.waitFor();
      expect(await contract.locator('[data-field="signedAt"]').textContent()).toContain(WORDS[lang].zone);
      let sent = 0;
      let body: { contractNo?: string; signedAt?: string } = {};
      seller.on('request', (r) => {
        if (r.method() === 'POST' && new URL(r.url()).pathname === `/api/sales/${saleId}/contract`) {
          sent++;
          body = JSON.parse(r.postData() ?? '{}') as typeof body;
        }
      });
      // Yesterday at 09:30 on the project's wall clock (a contract is recorded once signed, never ahead).
      const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() - 86_400_000));
      const signedAt = contract.locator('input#signedAt');
      await signedAt.click();
      await signedAt.fill(`${day} 09:30`);
      await signedAt.press('Enter');
      await contract.locator('[data-testid="action-submit"]').click();
      // The contract number is required: the server's ContractBody says so, in the user's language, under the field.
      const contractNoError = contract.locator('[data-field="contractNo"] [data-testid="error-contractNo"]');
      await contractNoError.waitFor();
      expect(await contractNoError.getAttribute('data-error')).toBe('REQUIRED');
      expect(await contractNoError.textContent()).toBe(WORDS[lang].required);
      expect(sent).toBe(0);
      expect(await signedAt.inputValue()).toBe(`${day} 09:30`);
      await seller.screenshot({ path: `/tmp/sales-step-field-error-${lang}.png`, fullPage: true });
      await expectAccessible(seller, `contract form with a field error (${lang})`);
      // The form and its picker fit a phone without sideways scrolling.
      await seller.setViewportSize({ width: 390, height: 844 });
      await expect.poll(() => seller.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
      await seller.screenshot({ path: `/tmp/sales-step-phone-${lang}.png`, fullPage: true });
      await seller.setViewportSize({ width: 1440, height: 1000 });

      await contract.locator('input[name="contractNo"]').fill(`HT-ZONE-${lang}`);
      await expect.poll(() => contractNoError.count()).toBe(0);
      await contract.locator('[data-testid="action-submit"]').click();
      await contract.waitFor({ state: 'detached' });
      // Sent as ISO with the project's offset; the instant is 01:30 UTC.
      expect(sent).toBe(1);
      expect(body.signedAt).toBe(`${day}T09:30:00+08:00`);
      const stored = (await apiAs(salesToken, 'GET', `/api/sales/${saleId}`)).json as { contract: { signedAt: string } | null };
      expect(new Date(stored.contract!.signedAt).toISOString()).toBe(`${day}T01:30:00.000Z`);
      // Shown back on the project's wall clock, not the browser's (which would read 01:30).
      const shown = formatDateTime(`${day}T01:30:00.000Z`, lang, 'Asia/Shanghai');
      expect(shown).toContain('09:30');
      await expect.poll(() => seller.locator('[data-testid="sale-contract"]').textContent()).toContain(shown);
      await expect.poll(() => seller.locator('[data-testid="timeline-event"][data-type="sale.contract_signed"]').first().textContent(), { timeout: 15_000 }).toContain(shown);
      await seller.screenshot({ path: `/tmp/sales-step-zoned-time-${lang}.png`, fullPage: true });
      await expectAccessible(seller, `sale page after a zoned contract time (${lang})`);
      expect(problems).toEqual([]);
    }, 120_000);
  }
});
