/**
 * 工单派工 on the case page (issue 15) in a real browser against the whole stack (Temporal and the
 * worker running the orders' workflows): a handler dispatches a 保内 leak's order from the case's
 * card to the project's technician and sees it listed with its assignee, on a 390 px phone in
 * Chinese (axe clean, no sideways scroll); a 保外 leak (its building accepted in 2012) gets an
 * order that waits for a quote: the handler issues it in yuan (sent in fen), records the owner's
 * acceptance, and the order goes to dispatch. English labels once on a desktop.
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

    expect(await noSidewaysScroll(page)).toBe(true);
    expect(await accessibilityProblems(page, 'case page with work orders (phone)')).toEqual([]);
    await page.screenshot({ path: '/tmp/case-work-orders-phone.png', fullPage: true });
    expect(problems).toEqual([]);
  }, 180_000);

  it('out of warranty: a quote issued in yuan, the owner’s acceptance recorded, then the order goes to dispatch', async () => {
    const { db } = env.stack;
    const { project, case: first } = await leakCaseOnAcceptedBuilding(env.stack, { name: '钱女士', phone: '139 0013 9102', description: '外墙渗水' });
    void first;
    // A second building accepted in 2012: a leak there is long out of every warranty (保外).
    const buildings = await db.building.findMany({ where: { projectId: project.id, units: { some: {} } }, orderBy: { name: 'asc' } });
    const old = buildings[1]!;
    await db.building.update({ where: { id: old.id }, data: { completionAcceptedOn: new Date('2012-03-01T00:00:00Z') } });
    const unit = await db.unit.findFirstOrThrow({ where: { buildingId: old.id } });
    const opened = await api(await env.stack.login('agent.project'), 'POST', '/api/cases', {
      type: 'complaint',
      projectId: project.id,
      unitId: unit.id,
      customer: { name: '孙先生', phone: '139 0013 9103' },
      category: 'complaint.quality.leakage',
      severity: 'minor',
      channel: 'phone',
      description: '屋顶漏水 / the roof leaks',
    });
    expect(opened.status, opened.text).toBe(201);
    const caseId = opened.body.id as string;

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
});
