/**
 * 工单派工 on the case page (issue 15) in a real browser against the whole stack (Temporal and the
 * worker running the orders' workflows): a handler dispatches a 保内 leak's order from the case's
 * card to the project's technician and sees it listed with its assignee, on a 390 px phone in
 * Chinese (axe clean, no sideways scroll); a 保外 leak (its building accepted in 2012) gets an
 * order that waits for a quote: the handler issues it in yuan (sent in fen), records the owner's
 * acceptance, and the order goes to dispatch. English labels once on a desktop. A refusal is
 * confirmed first and closes the case of its only order (no more dispatching there); an order is
 * cancelled with a reason the form insists on. Screenshots: /tmp/case-work-orders-*.png.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { accessibilityProblems, browserStack, pickOption, signedInPage } from '../support/browser.js';
import { apiAs, leakCaseOnAcceptedBuilding } from '../support/work-orders.js';

const PHONE = { width: 390, height: 844 };

describe('case page work orders (browser)', () => {
  const env = browserStack({ seed: true, temporal: true, worker: true });
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
  });

  const api = (token: string, method: string, url: string, json?: unknown) => apiAs(env.stack)(token, method, url, json);
  const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  /** A leak on a unit of 滨江花园's second building, accepted in 2012: long out of every warranty (保外). */
  async function outOfWarrantyCase(name: string, phone: string, description: string): Promise<string> {
    const { db } = env.stack;
    const project = await db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } });
    const buildings = await db.building.findMany({ where: { projectId: project.id, units: { some: {} } }, orderBy: { name: 'asc' } });
    const old = buildings[1]!;
    await db.building.update({ where: { id: old.id }, data: { completionAcceptedOn: new Date('2012-03-01T00:00:00Z') } });
    const unit = await db.unit.findFirstOrThrow({ where: { buildingId: old.id } });
    const opened = await api(await env.stack.login('agent.project'), 'POST', '/api/cases', {
      type: 'complaint',
      projectId: project.id,
      unitId: unit.id,
      customer: { name, phone },
      category: 'complaint.quality.leakage',
      severity: 'minor',
      channel: 'phone',
      description,
    });
    expect(opened.status, opened.text).toBe(201);
    return opened.body.id as string;
  }

  it('a handler dispatches a 保内 order from the case page and sees it with its assignee (phone, zh-CN)', async () => {
    const { technician, case: c } = await leakCaseOnAcceptedBuilding(env.stack, { name: '周先生', phone: '139 0013 9101', description: '卫生间渗水 / bathroom leaks' });
    const page = await signedInPage(env.browser, env.stack.baseUrl, 'handler.project', { viewport: PHONE, contexts, problems });
    await page.goto(`${env.stack.baseUrl}/cases/${c.id}`);
    const card = page.locator('[data-testid="case-work-orders"]');
    await card.locator('[data-testid="case-wo-none"]').waitFor();
    expect(await card.locator('.ant-card-head-title').textContent()).toContain('工单派工');

    await card.locator('[data-testid="case-wo-dispatch"]').click();
    const form = page.locator('[data-testid="case-wo-form"]');
    await form.waitFor();
    // The category defaults to the case's: only the technician is picked.
    expect(await form.locator('[data-testid="category-picker"]').textContent()).toContain('渗');
    await pickOption(form.locator('[data-testid="case-wo-assignee-select"]'), technician.displayName);
    expect(await accessibilityProblems(page, 'dispatch dialog (phone)')).toEqual([]);
    await form.locator('[data-testid="case-wo-submit"]').click();
    await form.waitFor({ state: 'detached' });
    await page.locator('[data-testid="case-wo-created"]').waitFor();

    const row = card.locator('[data-testid="case-wo"]');
    await row.locator('[data-testid="case-wo-assignee"]').filter({ hasText: technician.displayName }).waitFor({ timeout: 30_000 });
    expect(await row.count()).toBe(1);
    expect(await row.locator('[data-testid="case-wo-warranty"]').getAttribute('data-covered')).toBe('true');
    expect(await row.locator('[data-testid="case-wo-warranty"]').textContent()).toBe('保内');
    expect(await row.locator('[data-testid="case-wo-number"]').textContent()).toMatch(/^WO-\d{8}-\d{4}$/);
    // (antd spaces two CJK characters of a button: 改 派)
    expect((await row.locator('[data-testid="case-wo-assign"]').textContent())?.replace(/\s/g, '')).toBe('改派');

    const handler = await env.stack.login('handler.project');
    const listed = await api(handler, 'GET', `/api/work-orders?caseId=${c.id}`);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0].assignee).toMatchObject({ kind: 'technician', id: technician.id });

    // The case's trail names the new order's event in words, not by its code.
    await page.locator('.case-timeline').filter({ hasText: '新建维修工单' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('.case-timeline').textContent()).not.toContain('work_order_opened');
    expect(await noSidewaysScroll(page)).toBe(true);
    expect(await accessibilityProblems(page, 'case page with work orders (phone)')).toEqual([]);
    await page.screenshot({ path: '/tmp/case-work-orders-phone.png', fullPage: true });
    expect(problems).toEqual([]);
  }, 180_000);

  it('out of warranty: a quote issued in yuan, the owner’s acceptance recorded, then the order goes to dispatch', async () => {
    const caseId = await outOfWarrantyCase('孙先生', '139 0013 9103', '屋顶漏水 / the roof leaks');

    const page = await signedInPage(env.browser, env.stack.baseUrl, 'handler.project', { viewport: PHONE, contexts, problems });
    await page.goto(`${env.stack.baseUrl}/cases/${caseId}`);
    const card = page.locator('[data-testid="case-work-orders"]');
    await card.locator('[data-testid="case-wo-none"]').waitFor();
    await card.locator('[data-testid="case-wo-dispatch"]').click();
    const form = page.locator('[data-testid="case-wo-form"]');
    await form.locator('[data-testid="case-wo-submit"]').click();
    await form.waitFor({ state: 'detached' });

    const row = card.locator('[data-testid="case-wo"][data-status="awaiting_quote"]');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.locator('[data-testid="case-wo-warranty"]').textContent()).toBe('保外');
    expect(await row.locator('[data-testid="case-wo-assignee"]').textContent()).toBe('待派工');

    await row.locator('[data-testid="case-wo-quote-issue"]').click();
    const quote = page.locator('[data-testid="case-wo-quote-form"]');
    await quote.locator('[data-testid="quote-description"]').first().fill('防水层修补');
    await quote.locator('#quote-amount-0').fill('300.5');
    await quote.locator('[data-testid="quote-add"]').click();
    await quote.locator('[data-testid="quote-description"]').nth(1).fill('上门费');
    await quote.locator('#quote-amount-1').fill('50');
    await quote.locator('[data-testid="quote-description"]').first().click();
    await expect.poll(() => quote.locator('[data-testid="quote-total"]').getAttribute('data-total-fen')).toBe('35050');
    expect(await accessibilityProblems(page, 'quote dialog (phone)')).toEqual([]);
    await quote.locator('[data-testid="quote-submit"]').click();
    await quote.waitFor({ state: 'detached' });

    const pending = card.locator('[data-testid="case-wo-quote"][data-quote-status="pending"]');
    await pending.waitFor({ timeout: 30_000 });
    expect(await pending.getAttribute('data-total-fen')).toBe('35050');
    expect(await pending.textContent()).toContain('350.50');
    expect(await noSidewaysScroll(page)).toBe(true);
    expect(await accessibilityProblems(page, 'case page with a pending quote (phone)')).toEqual([]);

    await card.locator('[data-testid="case-wo-accept"]').click();
    const dispatched = card.locator('[data-testid="case-wo"][data-status="awaiting_assignment"], [data-testid="case-wo"][data-status="assigned"]');
    await dispatched.waitFor({ timeout: 30_000 });
    await card.locator('[data-testid="case-wo-quote"][data-quote-status="accepted"]').waitFor();

    const handler = await env.stack.login('handler.project');
    const [listed] = (await api(handler, 'GET', `/api/work-orders?caseId=${caseId}`)).body.items;
    // The list's read model carries the quote's total only; the order itself its items.
    const wo = (await api(handler, 'GET', `/api/work-orders/${listed.id}`)).body;
    expect(wo.quote).toMatchObject({ status: 'accepted', totalFen: 35_050, items: [{ description: '防水层修补', amountFen: 30_050 }, { description: '上门费', amountFen: 5_000 }] });
    expect(['awaiting_assignment', 'assigned']).toContain(wo.status);
    await page.screenshot({ path: '/tmp/case-work-orders-quote.png', fullPage: true });

    // English once, on a desktop.
    const desk = await signedInPage(env.browser, env.stack.baseUrl, 'handler.project', { locale: 'en', contexts, problems });
    await desk.goto(`${env.stack.baseUrl}/cases/${caseId}`);
    const en = desk.locator('[data-testid="case-work-orders"]');
    await en.locator('[data-testid="case-wo"]').waitFor();
    expect(await en.locator('.ant-card-head-title').textContent()).toBe('Work orders');
    expect(await en.locator('[data-testid="case-wo-dispatch"]').textContent()).toBe('Dispatch a work order');
    expect(await en.locator('[data-testid="case-wo-warranty"]').textContent()).toBe('Out of warranty');
    expect(await en.locator('[data-testid="case-wo-quote"]').textContent()).toContain('Quote accepted by the owner');
    expect(await accessibilityProblems(desk, 'case page work orders (en)')).toEqual([]);
    expect(problems).toEqual([]);
  }, 240_000);
  it('the owner’s refusal is confirmed first and closes the case of its only order; an order is cancelled with a reason', async () => {
    const handler = await env.stack.login('handler.project');
    const caseId = await outOfWarrantyCase('吴女士', '139 0013 9104', '阳台漏水');
    const created = await api(handler, 'POST', `/api/cases/${caseId}/work-orders`, {});
    expect(created.status, created.text).toBe(201);
    const wo = created.body.items[0];
    const quoted = await api(handler, 'POST', `/api/work-orders/${wo.id}/quote`, { items: [{ description: '防水层修补', amountFen: 20_000 }], totalFen: 20_000 });
    expect(quoted.status, quoted.text).toBe(200);

    const page = await signedInPage(env.browser, env.stack.baseUrl, 'handler.project', { contexts, problems });
    await page.goto(`${env.stack.baseUrl}/cases/${caseId}`);
    const card = page.locator('[data-testid="case-work-orders"]');
    await card.locator('[data-testid="case-wo-quote"][data-quote-status="pending"]').waitFor({ timeout: 30_000 });
    await card.locator('[data-testid="case-wo-refuse"]').click();
    const confirm = page.locator('.ant-modal-confirm');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('唯一的工单');
    await confirm.locator('[data-testid="case-wo-refuse-ok"]').click();
    await card.locator('[data-testid="case-wo"][data-status="cancelled"]').waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await api(handler, 'GET', `/api/cases/${caseId}`)).body.status, { timeout: 30_000 }).toBe('closed');
    // The closed case offers no more dispatching.
    await page.locator('[data-testid="case-page"][data-status="closed"]').waitFor({ timeout: 30_000 });
    expect(await card.locator('[data-testid="case-wo-dispatch"]').count()).toBe(0);

    const { case: leak } = await leakCaseOnAcceptedBuilding(env.stack, { name: '郑先生', phone: '139 0013 9105', description: '厨房渗水' });
    const other = await api(handler, 'POST', `/api/cases/${leak.id}/work-orders`, {});
    expect(other.status, other.text).toBe(201);
    await page.goto(`${env.stack.baseUrl}/cases/${leak.id}`);
    await card.locator('[data-testid="case-wo-cancel"]').click();
    const form = page.locator('[data-testid="case-wo-cancel-form"]');
    await form.locator('[data-testid="case-wo-cancel-submit"]').click();
    await form.locator('.ant-form-item-explain-error').filter({ hasText: '请填写取消原因' }).waitFor();
    await form.locator('[data-testid="case-wo-cancel-reason"]').fill('业主已自行修好');
    await form.locator('[data-testid="case-wo-cancel-submit"]').click();
    await form.waitFor({ state: 'detached' });
    await card.locator('[data-testid="case-wo"][data-status="cancelled"]').waitFor({ timeout: 30_000 });
    // The reason is in the order's trail (the read model of an ended order does not keep it).
    await expect.poll(async () => (await api(handler, 'GET', `/api/work-orders/${other.body.items[0].id}/events`)).text, { timeout: 20_000 }).toContain('业主已自行修好');
    expect(problems).toEqual([]);
  }, 180_000);
});
