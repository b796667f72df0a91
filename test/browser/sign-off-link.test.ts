/**
 * The owner signs off through a link (issue 15) in real browsers at 390×844 against the whole
 * stack (the complaintCase and workOrder workflows on a Temporal dev server, photos on a local blob
 * store): the technician, on the job's page once the result is recorded, sends the sign-off link
 * and is shown its QR code and the link; the owner opens the link in a fresh browser without any
 * account, reads what was done, signs on the canvas with the pointer and confirms; the order is
 * done with a `link` sign-off and its case resolved (checked through the API), the technician's
 * page says finished, and the link opened again says it was used (in English after the switch).
 * Axe clean, no sideways scroll.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { accessibilityProblems, browserStack, openPage, signedInPage } from '../support/browser.js';
import { apiAs, leakCaseOnAcceptedBuilding } from '../support/work-orders.js';

const PHONE = { width: 390, height: 844 };
const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sign-link-blobs-'));
afterAll(() => fs.rmSync(blobDir, { recursive: true, force: true }));

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const sidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe("the owner's sign-off link (browser)", () => {
  const env = browserStack({ seed: true, temporal: true, worker: true, env: { BLOB_STORE: 'local', BLOB_DIR: blobDir } });
  const contexts: BrowserContext[] = [];
  afterAll(async () => {
    for (const c of contexts) await c.close();
  });
  const api = (token: string, method: string, url: string, json?: unknown) => apiAs(env.stack)(token, method, url, json);

  it('the technician shows the link as a QR code; the owner opens it without an account, signs with the pointer and confirms: the order is done', async () => {
    const { technician, case: c } = await leakCaseOnAcceptedBuilding(env.stack, { name: '王先生', phone: '138 0013 8001', description: '卫生间天花板渗水 / bathroom ceiling leaks' });
    const handler = await env.stack.login('handler.project');
    const tech = await env.stack.login('technician.project');
    const created = await api(handler, 'POST', `/api/cases/${c.id}/work-orders`, { orders: [{ assignee: { kind: 'technician', userId: technician.id } }] });
    expect(created.status, created.text).toBe(201);
    const wo = created.body.items[0];
    expect((await api(handler, 'POST', `/api/cases/${c.id}/contact`, { note: '已约业主上门' })).status).toBe(200);
    expect((await api(tech, 'POST', `/api/work-orders/${wo.id}/check-in`, {})).status).toBe(200);
    const result = await api(tech, 'POST', `/api/work-orders/${wo.id}/result`, { text: '更换卫生间防水层 / waterproofing redone', materials: [{ name: '防水涂料', quantity: 2, unit: '桶' }] });
    expect(result.status, result.text).toBe(200);

    // The technician's phone: send the link, shown as a QR code and as text.
    const problems: string[] = [];
    const techPage = await signedInPage(env.browser, env.stack.baseUrl, 'technician.project', { viewport: PHONE, contexts, problems });
    await techPage.goto(`${env.stack.baseUrl}/field/${wo.id}`);
    await techPage.locator('[data-testid="field-job-page"][data-status="awaiting_sign_off"]').waitFor();
    await techPage.locator('[data-testid="sign-off-link-open"]').click();
    await techPage.locator('[data-testid="sign-off-link-qr"]').waitFor();
    const url = await techPage.locator('[data-testid="sign-off-link-url"]').inputValue();
    expect(url).toMatch(/\/sign\/[A-Za-z0-9_-]{43}$/);
    // The code is a real PNG of a usable size.
    const qr = await techPage.locator('[data-testid="sign-off-link-qr"]').evaluate((img: HTMLImageElement) => ({ src: img.src.slice(0, 22), w: img.naturalWidth }));
    expect(qr).toEqual({ src: 'data:image/png;base64,', w: 240 });
    expect(await accessibilityProblems(techPage, 'field job sign-off link')).toEqual([]);
    expect(await sidewaysScroll(techPage)).toBeLessThanOrEqual(0);

    // The owner: a fresh browser, no session, only the link.
    const owner = await openPage(env.browser, { viewport: PHONE, label: 'owner' });
    contexts.push(owner.page.context());
    const ownerUrl = `${env.stack.baseUrl}${new URL(url).pathname}`;
    await owner.page.goto(ownerUrl);
    await owner.page.locator('[data-testid="owner-summary"]').waitFor();
    expect(await owner.page.locator('[data-testid="owner-result-text"]').innerText()).toContain('更换卫生间防水层');
    expect(await owner.page.locator('[data-testid="owner-summary"]').innerText()).toContain(wo.number);
    // Nothing of the signed-in console: no login form, no shell.
    expect(await owner.page.locator('input[name="password"]').count()).toBe(0);
    expect(await owner.page.locator('[data-testid="owner-confirm"]').isDisabled()).toBe(true);
    expect(await accessibilityProblems(owner.page, 'owner sign-off page')).toEqual([]);
    expect(await sidewaysScroll(owner.page)).toBeLessThanOrEqual(0);
    // Opening the page signed nothing.
    expect((await api(tech, 'GET', `/api/work-orders/${wo.id}`)).body.status).toBe('awaiting_sign_off');

    const pad = owner.page.locator('[data-testid="signature-pad"]');
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await owner.page.mouse.move(box.x + 30, box.y + 120);
    await owner.page.mouse.down();
    for (let i = 1; i <= 12; i++) await owner.page.mouse.move(box.x + 30 + i * 22, box.y + 120 - Math.sin(i / 2) * 50, { steps: 2 });
    await owner.page.mouse.up();
    const confirm = owner.page.locator('[data-testid="owner-confirm"]');
    await expect.poll(() => confirm.isDisabled()).toBe(false);
    expect(await confirm.innerText()).toMatch(/确认签收/);
    await confirm.click();
    await owner.page.locator('[data-testid="owner-signed"]').waitFor();
    expect(await accessibilityProblems(owner.page, 'owner signed')).toEqual([]);

    const done = await eventually(() => api(handler, 'GET', `/api/work-orders/${wo.id}`), (g) => g.body.status === 'done' && g.body.signOffs?.length === 1);
    expect(done.body).toMatchObject({ status: 'done', outcome: 'done' });
    expect(done.body.signOffs[0]).toMatchObject({ accepted: true, channel: 'link', signatureKey: expect.any(String) });
    const resolved = await eventually(() => api(handler, 'GET', `/api/cases/${c.id}`), (r) => r.body.status === 'resolved');
    expect(resolved.body.status).toBe('resolved');
    await techPage.reload();
    await techPage.locator('[data-testid="job-finished"]').waitFor();

    // The link again: used, said plainly, in English after the switch.
    await owner.page.goto(ownerUrl);
    await owner.page.locator('[data-testid="owner-link-gone"][data-reason="SIGN_OFF_LINK_USED"]').waitFor();
    await owner.page.locator('[data-testid="lang-switch"]').click();
    await expect.poll(() => owner.page.locator('[data-testid="owner-link-gone"]').innerText()).toMatch(/no longer works/);
    expect(await accessibilityProblems(owner.page, 'owner used link')).toEqual([]);
    expect([...problems, ...owner.problems]).toEqual([]);
  }, 180_000);
});
