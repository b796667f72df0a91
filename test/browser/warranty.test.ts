/**
 * Warranty in the console (issue 15), in a real browser against the full stack: an administrator
 * records a building's completion acceptance on its project's page (a handler sees the buildings
 * without the control); a repair case on a unit of that building then shows 保内 with its last day
 * and clause — in Chinese on a 390 px phone without sideways scrolling, in English on a desktop —
 * and a later one 保外 with the quote hint. axe-core on each page. Screenshots: /tmp/warranty-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { startTestStack, type TestStack } from '../support/stack.js';
import { accessibilityProblems, launchChromium, signedInPage } from '../support/browser.js';

const PHONE = { width: 390, height: 844 };

describe('warranty (browser)', () => {
  let stack: TestStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  const ctx = { projectId: '', buildingId: '', buildingName: '', unitId: '', groupId: '', companyId: '', customerId: '', openerId: '' };

  beforeAll(async () => {
    stack = await startTestStack({ seed: true });
    browser = await launchChromium();
    const { db } = stack;
    const project = await db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } });
    const building = await db.building.findFirstOrThrow({ where: { projectId: project.id, units: { some: {} } }, include: { units: { take: 1 } }, orderBy: { name: 'asc' } });
    Object.assign(ctx, {
      projectId: project.id, groupId: project.groupId, companyId: project.companyId, buildingId: building.id, buildingName: building.name, unitId: building.units[0]!.id,
      customerId: (await db.customer.findFirstOrThrow({ where: { phone: '13800138001', group: { code: 'HX' } } })).id,
      openerId: (await db.user.findUniqueOrThrow({ where: { username: 'agent.project' } })).id,
    });
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  }, 60_000);

  const signedIn = (username: string, opts: { locale?: string; viewport?: { width: number; height: number } } = {}) =>
    signedInPage(browser, stack.baseUrl, username, { ...opts, contexts, problems });

  let n = 0;
  /** A closed repair case written into the read model (no workflow to ask), reported at `openedAt`. */
  async function repairCase(openedAt: string): Promise<string> {
    n++;
    const row = await stack.db.case.create({
      data: {
        number: `CS-20250101-${String(6000 + n)}`, workflowId: `case-warranty-browser-${n}`, groupId: ctx.groupId, companyId: ctx.companyId, projectId: ctx.projectId, unitId: ctx.unitId,
        customerId: ctx.customerId, type: 'repair', category: 'repair.plumbing.blockage', severity: 'minor', channel: 'phone', description: '下水堵塞', status: 'closed',
        tier: 'PROJECT', policyId: 'default', sla: {}, openedById: ctx.openerId, openedAt: new Date(openedAt), closedAt: new Date(openedAt),
      },
    });
    return row.id;
  }

  it('an administrator records completion acceptance on the project page; a handler reads it without the control', async () => {
    const admin = await signedIn('admin');
    await admin.goto(`${stack.baseUrl}/projects/${ctx.projectId}`);
    const row = admin.locator(`[data-testid="buildings"] tr[data-building="${ctx.buildingName}"]`);
    await row.locator('[data-testid="building-completion"]').filter({ hasText: '未登记' }).waitFor();
    await row.locator('[data-testid="building-edit"]').click();
    const form = admin.locator('[data-testid="building-form"]');
    const date = form.locator('#completionAcceptedOn');
    await date.click();
    await date.fill('2024-03-15');
    // The typed day is taken when the picker closes (a click elsewhere in the form), then saved.
    await admin.locator('.ant-modal-title').click();
    await form.locator('[data-testid="building-save"]').click();
    await form.waitFor({ state: 'detached' });
    await row.locator('[data-testid="building-completion"]').filter({ hasText: '2024' }).waitFor();
    const stored = await stack.db.building.findUniqueOrThrow({ where: { id: ctx.buildingId } });
    expect(stored.completionAcceptedOn?.toISOString().slice(0, 10)).toBe('2024-03-15');
    expect(await accessibilityProblems(admin, 'project page (admin)')).toEqual([]);
    await admin.screenshot({ path: '/tmp/warranty-buildings.png', fullPage: true });

    const handler = await signedIn('handler.project');
    await handler.goto(`${stack.baseUrl}/projects/${ctx.projectId}`);
    await handler.locator(`[data-testid="buildings"] tr[data-building="${ctx.buildingName}"] [data-testid="building-completion"]`).filter({ hasText: '2024' }).waitFor();
    expect(await handler.locator('[data-testid="building-edit"]').count()).toBe(0);
  });

  it('a repair case shows 保内 with its last day and clause on a phone, and 保外 with the quote hint in English', async () => {
    await stack.db.building.update({ where: { id: ctx.buildingId }, data: { completionAcceptedOn: new Date('2024-03-15T00:00:00Z') } });
    const inside = await repairCase('2025-02-01T02:00:00Z');
    const phone = await signedIn('handler.project', { viewport: PHONE });
    await phone.goto(`${stack.baseUrl}/cases/${inside}`);
    const w = phone.locator('[data-testid="case-warranty"]');
    await w.waitFor();
    expect(await w.getAttribute('data-status')).toBe('in');
    expect(await w.textContent()).toContain('保内');
    expect(await w.textContent()).toContain('管道堵塞，保修至 2026-03-15');
    expect(await w.locator('[data-testid="case-warranty-clause"]').textContent()).toContain('《建设工程质量管理条例》第四十条');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await accessibilityProblems(phone, 'case page (phone)')).toEqual([]);
    await phone.screenshot({ path: '/tmp/warranty-case-phone.png', fullPage: true });

    const outside = await repairCase('2026-06-01T02:00:00Z');
    const desk = await signedIn('handler.project', { locale: 'en' });
    await desk.goto(`${stack.baseUrl}/cases/${outside}`);
    const o = desk.locator('[data-testid="case-warranty"]');
    await o.waitFor();
    expect(await o.getAttribute('data-status')).toBe('out');
    const text = await o.textContent();
    expect(text).toContain('Out of warranty');
    expect(text).toContain('Pipe blockage, warranty ended on 2026-03-15');
    expect(text).toContain('the owner accepts a quote before anyone is dispatched');
    expect(await o.locator('[data-testid="case-warranty-clause"]').textContent()).toContain('art. 40');
    expect(await accessibilityProblems(desk, 'case page out of warranty (en)')).toEqual([]);
    expect(problems).toEqual([]);
  });
});
