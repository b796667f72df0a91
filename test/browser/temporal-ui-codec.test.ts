import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startDevServer, type DevServer } from '../../platform/temporal/dev-server.js';
import { call } from '../api/http.js';
import { launchChromium } from '../support/browser.js';
import { freePort, startTestStack, type TestStack } from '../support/stack.js';

/**
 * The Temporal Web UI, in a real browser, showing a case's encrypted payloads decoded by the API's
 * codec endpoint: a group administrator lets their browser use the codec (POST
 * /api/temporal-codec/session, from a page of the API), then tells the UI, in its codec settings,
 * to use that endpoint with cross-origin credentials. The same UI in a browser without that
 * session shows nothing decoded.
 */
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

const NOTE = '已致电东方明月（13700001111）：阳台推拉门关不严';
let devServer: DevServer;
let stack: TestStack;
let browser: Browser;
let uiOrigin = '';
let workflowId = '';
let caseNumber = '';

beforeAll(async () => {
  const uiPort = await freePort();
  uiOrigin = `http://127.0.0.1:${uiPort}`;
  devServer = await startDevServer({ cli: inject('temporalCli'), port: await freePort(), uiPort });
  stack = await startTestStack({ seed: true, worker: true, env: { TEMPORAL_ADDRESS: devServer.address, TEMPORAL_CODEC_CORS_ORIGINS: uiOrigin } });
  const agent = await stack.login('agent.project');
  const bjhy = (await stack.db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } })).id;
  const opened = await call(stack, 'POST', '/api/cases', {
    token: agent,
    json: { type: 'complaint', projectId: bjhy, customer: { name: '东方明月', phone: '13700001111' }, category: 'complaint.quality.leakage', severity: 'minor', channel: 'phone', description: '阳台推拉门关不严' },
  });
  expect(opened.status, opened.text).toBe(201);
  ({ workflowId, number: caseNumber } = opened.body);
  const contacted = await call(stack, 'POST', `/api/cases/${opened.body.id}/contact`, { token: await stack.login('handler.project'), json: { note: NOTE } });
  expect(contacted.status, contacted.text).toBe(200);
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await devServer?.stop();
}, 60_000);

/** The UI's own codec settings ("use my browser setting", endpoint, include cross-origin credentials), as its settings dialog stores them. */
async function useApiCodec(page: Page) {
  await page.goto(`${uiOrigin}/`);
  await page.evaluate((endpoint) => {
    localStorage.setItem('endpoint', JSON.stringify(endpoint));
    localStorage.setItem('overrideRemoteCodecConfiguration', 'true');
    localStorage.setItem('includeCredentials', 'true');
    localStorage.setItem('passAccessToken', 'false');
  }, `${stack.baseUrl}/api/temporal-codec`);
}

async function workflowPageText(context: BrowserContext, waitFor: string, timeoutMs: number): Promise<string> {
  const page = await context.newPage();
  await useApiCodec(page);
  await page.goto(`${uiOrigin}/namespaces/default/workflows/${workflowId}`);
  await page.waitForFunction((s) => document.body.innerText.includes(s), waitFor, { timeout: timeoutMs }).catch(() => undefined);
  return page.evaluate(() => document.body.innerText);
}

describe('the Temporal Web UI decoding through the API', () => {
  it("shows a group administrator the case's input decoded, once their browser holds a codec session", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/healthz`);
    const token = await stack.login('admin');
    const status = await page.evaluate(
      (t) => fetch('/api/temporal-codec/session', { method: 'POST', headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status),
      token,
    );
    expect(status).toBe(200);
    expect((await context.cookies(`${stack.baseUrl}/api/temporal-codec/decode`)).map((c) => ({ name: c.name, httpOnly: c.httpOnly, sameSite: c.sameSite }))).toEqual([
      { name: 'estate_codec', httpOnly: true, sameSite: 'Strict' },
    ]);

    const text = await workflowPageText(context, caseNumber, 45_000);
    expect(text).toContain(caseNumber);
    const admin = await stack.db.user.findUniqueOrThrow({ where: { username: 'admin' } });
    const decodes = await stack.db.auditEvent.findMany({ where: { streamId: `temporal-codec:${admin.id}`, type: 'temporal-codec.decoded' } });
    expect(decodes.length).toBeGreaterThan(0);
    expect(decodes.every((d) => (d.data as { origin: string }).origin === uiOrigin && (d.data as { namespace: string }).namespace === 'default')).toBe(true);
    await context.close();
  }, 90_000);

  it('shows nothing decoded in a browser without that session', async () => {
    const context = await browser.newContext();
    const text = await workflowPageText(context, caseNumber, 10_000);
    expect(text).toContain(workflowId);
    expect(text).not.toContain(caseNumber);
    await context.close();
  }, 60_000);
});
