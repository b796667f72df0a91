/**
 * The dispatch board (issue 15) in a real browser at desktop size against the whole stack: a leak's
 * order with no default assignee waits unassigned; the supervisor sees it at the top of the board,
 * assigns it to the project's technician, and the technician finds it among today's jobs on the phone.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { accessibilityProblems, browserStack, pickOption, signedInPage } from '../support/browser.js';
import { apiAs, leakCaseOnAcceptedBuilding } from '../support/work-orders.js';

const HOUR = 3_600_000;

describe('dispatch board (browser)', () => {
  const env = browserStack({ seed: true, temporal: true, worker: true });
  const contexts: BrowserContext[] = [];
  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  const api = (token: string, method: string, url: string, json?: unknown) => apiAs(env.stack)(token, method, url, json);

  it('a supervisor assigns an unassigned order to the technician, who then sees it', async () => {
    const { db } = env.stack;
    const { technician, case: caseBody } = await leakCaseOnAcceptedBuilding(env.stack, { name: '李女士', phone: '139 0013 9002', description: '阳台渗水 / balcony leaks' });
    const c = { body: caseBody };
    const handler = await env.stack.login('handler.project');
    // No default assignee for leaks in this project: the order waits for a dispatcher.
    const created = await api(handler, 'POST', `/api/cases/${c.body.id}/work-orders`, {});
    expect(created.status, created.text).toBe(201);
    const wo = created.body.items[0];

    // Lists read the read model, which the workflow's projection brings up a moment later.
    const supervisor = await env.stack.login('supervisor.company');
    await expect
      .poll(async () => (await api(supervisor, 'GET', '/api/work-orders?unassigned=true')).body.items?.map((w: { id: string }) => w.id) ?? [], { timeout: 20_000 })
      .toContain(wo.id);

    const problems: string[] = [];
    const page = await signedInPage(env.browser, env.stack.baseUrl, 'supervisor.company', { contexts, problems });
    await page.goto(`${env.stack.baseUrl}/dispatch`);
    const row = page.locator(`[data-testid="dispatch-unassigned"] tr[data-wo-id="${wo.id}"]`);
    await row.waitFor();
    expect(await accessibilityProblems(page, 'dispatch board')).toEqual([]);

    await row.locator('[data-testid="dispatch-assign"]').click();
    const form = page.locator('[data-testid="assign-form"]');
    await pickOption(form.locator('[data-testid="assignee-select"]'), technician.displayName);
    expect(await accessibilityProblems(page, 'dispatch assign dialog')).toEqual([]);
    await form.locator('[data-testid="assign-submit"]').click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(async () => (await api(handler, 'GET', `/api/work-orders/${wo.id}`)).body.assignee?.id).toBe(technician.id);

    const phone = await signedInPage(env.browser, env.stack.baseUrl, 'technician.project', { viewport: { width: 390, height: 844 }, contexts, problems });
    const tech = await env.stack.login('technician.project');
    await expect
      .poll(async () => (await api(tech, 'GET', '/api/work-orders?assignee=me&status=assigned')).body.items?.map((w: { id: string }) => w.id) ?? [], { timeout: 20_000 })
      .toContain(wo.id);
    await phone.goto(`${env.stack.baseUrl}/field`);
    await phone.locator(`[data-testid="field-job"][data-wo-id="${wo.id}"]`).waitFor();
    expect(problems).toEqual([]);
  }, 180_000);
});
