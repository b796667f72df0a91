/**
 * 查看记录 / Record views in a real browser against the real API: an agent opens a case in the
 * console (recorded), a manager follows "谁查看过 / Who viewed this" from the case to the log, sees
 * who viewed the customer, filters by viewer and by date, exports CSV, switches to English; the page
 * itself records nothing, and roles without the permission get no link and no menu entry.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestStack, type TestStack } from '../support/stack.js';
import { CSV_HEADERS, RECORD_KIND_WORDS, ROLE_WORDS } from '../../api/reports/terms.js';
import { clickNav, launchChromium, navKeys } from '../support/browser.js';

describe('record views page (browser)', () => {
  let stack: TestStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  const id = { wang: '', caseId: '', caseNumber: 'CS-20260101-7001', agent: '', agentName: '', manager: '' };

  beforeAll(async () => {
    stack = await startTestStack({ seed: true });
    browser = await launchChromium();
    const { db } = stack;
    const group = await db.group.findFirstOrThrow({ where: { code: 'HX' } });
    const bjhy = await db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } });
    const agent = await db.user.findUniqueOrThrow({ where: { username: 'agent.project' } });
    Object.assign(id, {
      wang: (await db.customer.findFirstOrThrow({ where: { groupId: group.id, phone: '13800138001' } })).id,
      agent: agent.id,
      agentName: agent.displayName,
      manager: (await db.user.findUniqueOrThrow({ where: { username: 'manager.group' } })).id,
    });
    // A closed case (its clocks are final: the detail view needs no workflow).
    id.caseId = (
      await db.case.create({
        data: {
          number: id.caseNumber, workflowId: 'case-rv-browser', groupId: group.id, companyId: bjhy.companyId, projectId: bjhy.id, customerId: id.wang,
          type: 'complaint', category: 'complaint.quality.leakage', severity: 'minor', channel: 'phone', description: '查看记录浏览器测试', status: 'closed',
          tier: 'PROJECT', policyId: 'default', sla: {}, openedById: agent.id, openedAt: new Date(Date.now() - 3_600_000), closedAt: new Date(Date.now() - 60_000),
        },
      })
    ).id;
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  }, 60_000);

  async function signedIn(username: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', timezoneId: 'UTC', acceptDownloads: true, reducedMotion: 'reduce' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (err) => problems.push(`${username} pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) problems.push(`${username} console: ${msg.text()}`);
    });
    await page.goto(`${stack.baseUrl}/`);
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill('demo');
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="current-role"]').waitFor();
    return page;
  }

  const rows = (page: Page) => page.locator('[data-testid="record-views-table"] tbody tr[data-row-key]');
  /** The viewer filter is a searchable select: type part of a name, pick the option. */
  async function pickViewer(page: Page, text: string): Promise<void> {
    const input = page.locator('#record-views-user');
    await input.click();
    await input.fill(text);
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: text }).first().click();
  }

  it(
    'shows a manager who viewed a customer, from the case page to the log, filtered by viewer and date',
    async () => {
      // ------------------------------------------------------------ an agent opens the case: recorded
      const agent = await signedIn('agent.project');
      expect(await navKeys(agent)).not.toContain('record-views');
      await agent.goto(`${stack.baseUrl}/cases/${id.caseId}`);
      await agent.locator('[data-testid="case-number"]').waitFor();
      await expect.poll(() => stack.db.recordView.count({ where: { viewerId: id.agent, recordId: id.caseId } })).toBe(1);
      expect(await agent.locator('[data-testid="who-viewed"]').count()).toBe(0);
      // The case page refreshes itself every 10 s, and each refresh is a view: leave it.
      await agent.context().close();

      // ------------------------------------------------------------ the manager follows "谁查看过" from the case
      const manager = await signedIn('manager.group');
      expect(await navKeys(manager)).toContain('record-views');
      await manager.goto(`${stack.baseUrl}/cases/${id.caseId}`);
      await manager.locator('[data-testid="who-viewed"]').click();
      await manager.locator('[data-testid="record-views-customer-filter"]').waitFor();
      expect(new URL(manager.url()).pathname).toBe('/record-views');
      expect(new URL(manager.url()).searchParams.get('customerId')).toBe(id.wang);
      // The agent's view and the manager's own (opening the case page is a view too), newest first.
      await expect.poll(() => rows(manager).count(), { timeout: 10_000 }).toBe(2);
      expect(await manager.locator('[data-testid="record-views-customer-filter"]').textContent()).toContain('王先生');
      const viewers = await manager.locator('[data-testid="record-view-viewer"]').allTextContents();
      expect(viewers[1]).toContain(id.agentName);
      expect(viewers[1]).toContain('客服坐席');
      expect(viewers[0]).toContain('客服经理');
      expect(await manager.locator('[data-testid="record-view-record"]').allTextContents()).toEqual([`工单 ${id.caseNumber}`, `工单 ${id.caseNumber}`]);
      expect(await manager.locator('[data-testid="record-view-customer"]').allTextContents()).toEqual(['王先生', '王先生']);
      const table = (await manager.locator('[data-testid="record-views-table"]').textContent()) ?? '';
      expect(table).toContain('完整'); // the agent saw the whole number
      expect(table).toContain('已掩码'); // the manager a masked one
      expect(table).not.toContain('13800138001');
      await manager.screenshot({ path: '/tmp/record-views-customer.png', fullPage: true });

      // Reading the log records nothing.
      const before = await stack.db.recordView.count();
      await manager.reload();
      await rows(manager).first().waitFor();
      await expect.poll(() => rows(manager).count(), { timeout: 10_000 }).toBe(2);

      // ------------------------------------------------------------ filter by viewer
      await pickViewer(manager, id.agentName);
      await manager.locator('[data-testid="record-views-apply"]').click();
      await expect.poll(() => rows(manager).count(), { timeout: 10_000 }).toBe(1);
      expect(await manager.locator('[data-testid="record-view-viewer"]').textContent()).toContain(id.agentName);

      // ------------------------------------------------------------ filter by date: a day long past has no views
      await pickViewer(manager, '全部人员');
      await manager.locator('input[name="from"]').fill('2020-01-01');
      await manager.locator('input[name="to"]').fill('2020-01-02');
      await manager.locator('[data-testid="record-views-apply"]').click();
      await expect.poll(async () => (await manager.locator('[data-testid="record-views-table"] tbody').textContent()) ?? '').toContain('没有符合条件的查看记录');
      expect(await rows(manager).count()).toBe(0);
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
      await manager.locator('input[name="from"]').fill(today);
      await manager.locator('input[name="to"]').fill(today);
      await manager.locator('[data-testid="record-views-apply"]').click();
      await expect.poll(() => rows(manager).count(), { timeout: 10_000 }).toBe(2);

      // ------------------------------------------------------------ CSV export
      const download = manager.waitForEvent('download');
      await manager.locator('[data-testid="record-views-export"]').click();
      const csv = fs.readFileSync((await (await download).path())!, 'utf8');
      // Headers and codes in the console's language (the server's word tables), times in the project's zone.
      const H = CSV_HEADERS.recordViews;
      expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
        [H.viewedAt, H.viewerId, H.viewerName, H.viewerRole, H.customerId, H.recordKind, H.recordId, H.recordNumber, H.projectId, H.project, H.contactShown, H.requestId, H.timeZone]
          .map((h) => h['zh-CN'])
          .join(','),
      );
      expect(csv).toContain(`,${ROLE_WORDS.AGENT['zh-CN']},${id.wang},${RECORD_KIND_WORDS.case['zh-CN']},${id.caseId},${id.caseNumber},`);
      expect(csv).toMatch(/,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00,|^\uFEFF?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00,/m);
      expect(csv).not.toContain('王先生');
      expect(await stack.db.recordView.count()).toBe(before);

      // ------------------------------------------------------------ the whole log, in English
      await manager.locator('[data-testid="lang-switch"]').click();
      await clickNav(manager, 'record-views');
      await expect.poll(() => manager.locator('[data-nav="record-views"]').textContent()).toContain('Record views');
      await manager.goto(`${stack.baseUrl}/record-views`);
      // A fresh load (lazy page, then the list): wait for the first row before counting.
      await rows(manager).first().waitFor();
      await expect.poll(() => rows(manager).count(), { timeout: 10_000 }).toBe(2);
      expect(await manager.locator('[data-testid="record-views-customer-filter"]').count()).toBe(0);
      expect(await manager.locator('[data-testid="record-view-record"]').allTextContents()).toEqual([`Case ${id.caseNumber}`, `Case ${id.caseNumber}`]);
      expect((await manager.locator('[data-testid="record-views-table"]').textContent()) ?? '').toContain('Masked');
      await manager.screenshot({ path: '/tmp/record-views-en.png', fullPage: true });

      // ------------------------------------------------------------ the customers list links to the log
      await clickNav(manager, 'customers');
      await manager.locator(`[data-testid="who-viewed-${id.wang}"]`).click();
      await manager.locator('[data-testid="record-views-customer-filter"]').waitFor();
      expect(new URL(manager.url()).searchParams.get('customerId')).toBe(id.wang);

      expect(problems).toEqual([]);
    },
    180_000,
  );
});
