/**
 * The technician's phone (issue 15) in a real browser at 390×844 against the whole stack (the
 * complaintCase and workOrder workflows on a Temporal dev server, photos on a local blob store):
 * a leak's order is assigned to the technician through the API; the technician opens today's job
 * (the call button dials the owner's whole number under a masked label), books the slot from the
 * phone, checks in (the position refused: it still works), takes a photo while uploads fail and
 * reloads the page — the photo, kept in IndexedDB, goes up when the job opens again — uploads a
 * second JPEG, records the result with a photo and a cost in yuan, the owner signs on the canvas
 * with the mouse, and the order is done and its case resolved (checked through the API); the call
 * button is off then. Axe clean, no sideways scroll.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { accessibilityProblems, browserStack, signedInPage } from '../support/browser.js';
import { apiAs, leakCaseOnAcceptedBuilding } from '../support/work-orders.js';

const HOUR = 3_600_000;
const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'field-blobs-'));
afterAll(() => fs.rmSync(blobDir, { recursive: true, force: true }));

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('technician on the phone (browser)', () => {
  const env = browserStack({ seed: true, temporal: true, worker: true, env: { BLOB_STORE: 'local', BLOB_DIR: blobDir } });
  const contexts: BrowserContext[] = [];
  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  const api = (token: string, method: string, url: string, json?: unknown) => apiAs(env.stack)(token, method, url, json);

  it("books the slot after the call, checks in, keeps a photo taken offline across a reload, records the result and takes the owner's signature: the order done, the case resolved, the call button off", async () => {
    const { db } = env.stack;
    const { technician, case: caseBody } = await leakCaseOnAcceptedBuilding(env.stack, { name: '王先生', phone: '138 0013 8001', description: '卫生间天花板渗水 / bathroom ceiling leaks' });
    const c = { body: caseBody };
    const handler = await env.stack.login('handler.project');
    const tech = await env.stack.login('technician.project');
    const created = await api(handler, 'POST', `/api/cases/${c.body.id}/work-orders`, { orders: [{ assignee: { kind: 'technician', userId: technician.id } }] });
    expect(created.status, created.text).toBe(201);
    const wo = created.body.items[0];
    expect((await api(handler, 'POST', `/api/cases/${c.body.id}/contact`, { note: '已约业主上门' })).status).toBe(200);
    // Lists read the read model, which the workflow's projection brings up a moment later.
    await eventually(
      () => api(tech, 'GET', '/api/work-orders?assignee=me&status=assigned'),
      (l) => l.body.items?.some((w: { id: string }) => w.id === wo.id),
    );

    const problems: string[] = [];
    const page = await signedInPage(env.browser, env.stack.baseUrl, 'technician.project', { viewport: { width: 390, height: 844 }, contexts, problems });
    await page.goto(`${env.stack.baseUrl}/field`);
    const job = page.locator(`[data-testid="field-job"][data-wo-id="${wo.id}"]`);
    await job.waitFor();
    // The owner's phone is shown masked; the call button of the job the technician holds dials the whole number.
    await expect.poll(() => job.locator('[data-testid="call-owner"]').getAttribute('href')).toBe('tel:13800138001');
    expect(await job.locator('[data-testid="call-owner"]').innerText()).toContain('138****8001');
    await expect.poll(() => job.locator('[data-testid="wo-arrival"]').getAttribute('data-state')).toBe('running');
    expect(await accessibilityProblems(page, 'field today')).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);

    await job.locator('[data-testid="field-job-open"]').click();
    await page.locator('[data-testid="field-job-page"]').waitFor();
    // After the call, the technician books the slot the owner agreed to (the form proposes the next whole hour, 2 hours).
    const booking = page.locator('[data-testid="book-appointment"]');
    await booking.waitFor();
    expect(await booking.locator('[data-testid="book-deadline"]').innerText()).toMatch(/前完成/);
    expect(await accessibilityProblems(page, 'field job booking')).toEqual([]);
    await booking.locator('[data-testid="book-submit"]').click();
    await page.locator('[data-testid="field-job-page"][data-status="scheduled"]').waitFor();
    await booking.locator('[data-testid="book-open"]').waitFor();
    const scheduled = await api(tech, 'GET', `/api/work-orders/${wo.id}`);
    expect(scheduled.body.appointment).not.toBeNull();
    expect(Date.parse(scheduled.body.appointment.end) - Date.parse(scheduled.body.appointment.start)).toBe(2 * 3_600_000);
    expect(new Date(scheduled.body.appointment.start).getUTCMinutes()).toBe(0);
    // No geolocation permission granted: the browser refuses, the check-in goes without a position.
    await page.locator('[data-testid="check-in"]').click();
    await page.locator('[data-testid="checked-in"]').waitFor();

    // A photo taken without signal waits on the phone; the page is reloaded (a closed tab, a killed
    // browser) before the network is back: the photo is still there and goes up when the job opens.
    const uploads = '**/api/work-orders/*/photos';
    await page.route(uploads, (route) => route.abort('internetdisconnected'));
    const offline = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#af8c6a' } }).jpeg().toBuffer();
    await page.locator('[data-testid="photo-input"]').setInputFiles({ name: 'before.jpg', mimeType: 'image/jpeg', buffer: offline });
    await page.locator('[data-testid="photo-upload"][data-state="waiting"]').waitFor();
    expect(await page.locator('[data-testid="photo-pending"]').innerText()).toMatch(/1/);
    await page.unroute(uploads);
    await page.reload();
    await page.locator('[data-testid="checked-in"]').waitFor();
    await page.locator('[data-testid="result-photo"]').first().waitFor();
    await expect.poll(() => page.locator('[data-testid="photo-upload"]').count()).toBe(0);
    await expect.poll(async () => (await api(tech, 'GET', `/api/work-orders/${wo.id}`)).body.photos.length).toBe(1);
    // Uploaded, it has left the phone's store: another reload sends nothing again.
    await page.reload();
    await page.locator('[data-testid="checked-in"]').waitFor();
    expect(await page.locator('[data-testid="photo-upload"]').count()).toBe(0);

    const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#6a8caf' } }).jpeg().toBuffer();
    await page.locator('[data-testid="photo-input"]').setInputFiles({ name: 'leak.jpg', mimeType: 'image/jpeg', buffer: photo });
    await expect.poll(() => page.locator('[data-testid="result-photo"]').count()).toBe(2);
    await expect.poll(() => page.locator('[data-testid="photo-upload"]').count()).toBe(0);

    await page.locator('#text').fill('更换防水层并打胶 / resealed the waterproofing');
    await page.locator('[data-testid="add-material"]').click();
    const row = page.locator('[data-testid="material-row"]').first();
    await row.locator('input').nth(0).fill('防水胶');
    await row.locator('input').nth(1).fill('2');
    await row.locator('input').nth(2).fill('支');
    await page.locator('[data-testid="result-photo"]').first().click();
    await page.locator('#costFen').fill('120.5');
    expect(await accessibilityProblems(page, 'field job on site')).toEqual([]);
    await page.locator('[data-testid="result-submit"]').click();

    const pad = page.locator('[data-testid="signature-pad"]');
    await pad.waitFor();
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + 30, box.y + 120);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + 30 + i * 22, box.y + 120 - Math.sin(i / 2) * 50, { steps: 2 });
    await page.mouse.up();
    expect(await accessibilityProblems(page, 'field job sign-off')).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await page.locator('[data-testid="sign-off-accept"]').click();
    await page.locator('[data-testid="job-finished"]').waitFor();
    // The order done, the owner's number is no longer the technician's to dial.
    await expect.poll(() => page.locator('[data-testid="call-owner"]').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="call-owner"]').getAttribute('href')).toBeNull();

    const done = await api(handler, 'GET', `/api/work-orders/${wo.id}`);
    expect(done.body).toMatchObject({ status: 'done', outcome: 'done' });
    expect(done.body.results[0]).toMatchObject({ costFen: 12_050, materials: [{ name: '防水胶', quantity: 2, unit: '支' }] });
    expect(done.body.results[0].photoKeys).toHaveLength(1);
    expect(done.body.photos.filter((p: { kind: string }) => p.kind === 'photo')).toHaveLength(2);
    expect(done.body.signOffs[0]).toMatchObject({ accepted: true, signatureKey: expect.any(String) });
    const resolved = await eventually(
      () => api(handler, 'GET', `/api/cases/${c.body.id}`),
      (r) => r.body.status === 'resolved',
    );
    expect(resolved.body.status).toBe('resolved');
    expect(problems).toEqual([]);
  }, 180_000);
});
