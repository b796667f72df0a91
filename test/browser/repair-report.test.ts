/**
 * 维修报表 in a real browser (Debian's chromium through playwright-core) against the API on a
 * seeded database, with work orders written into the read model as the work-order workflow's
 * projection would (as test/api/repair-report.test.ts does), so every figure is known:
 *
 *   R1 滨江花园 1栋-101 pipe leak, done on its one visit by the technician, charged back 120.50 to 甲方;
 *   R2 the same unit and category, another case, 9 days later: done by 乙方 after a rework — a repeat of R1;
 *   R3 another unit, doors and windows: cancelled by the dispatcher (no defect).
 *   → 3 work orders, first-time fix 1 of 2 done = 50%, 1 repeat, 2 defects, ¥120.50 charged back;
 *   both contractors too little to judge for their warranty retention (乙方 did 1 order, 甲方 none).
 * In March the contractor ratings have three companies with 5 done orders each (default thresholds):
 *   丙方 all first time → 全额返还 (release); 丁方 one rework (1 of 6 sign-offs rejected, 16.7 %) →
 *   暂缓返还 (hold), though a technician's repair was charged back to it (30.00); 戊方 all first time, a
 *   technician's repair charged back to it (45.00) → 扣减后返还 (release less charge-backs).
 *
 * Checked in zh-CN and English: the figures, the tables, the chart with an accessible name and its
 * data table, a CSV download per table in the user's language, a 390 px phone without sideways
 * scrolling, axe clean. Screenshots go to /tmp/repair-report-*.png.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { accessibilityProblems, browserStack, clickNav, openPage } from '../support/browser.js';

const PERIOD = 'from=2026-01-01&to=2026-01-31';
const MARCH = 'from=2026-03-01&to=2026-03-31';

describe('repair report (browser)', () => {
  const env = browserStack({ seed: true });
  let seeded = false;

  async function seed(): Promise<void> {
    if (seeded) return;
    seeded = true;
    const { db } = env.stack;
    const group = (await db.group.findFirstOrThrow({ where: { code: 'HX' } })).id;
    const east = (await db.company.findFirstOrThrow({ where: { code: 'HX-EAST' } })).id;
    const bjhy = (await db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } })).id;
    const technician = (await db.user.findUniqueOrThrow({ where: { username: 'technician.project' } })).id;
    const a = (await db.contractorCompany.create({ data: { groupId: group, name: '甲方防水工程公司' } })).id;
    const b = (await db.contractorCompany.create({ data: { groupId: group, name: '乙方水电安装公司' } })).id;
    const unit = (number: string) => db.unit.findFirstOrThrow({ where: { projectId: bjhy, number, building: { name: '1栋' } } });
    const [u101, u102] = [await unit('101'), await unit('102')];
    let n = 0;
    const order = async (o: {
      caseId: string;
      unit: typeof u101;
      category: string;
      createdAt: string;
      outcome: 'done' | 'cancelled';
      visits: number;
      reworks?: number;
      technicianId?: string;
      contractorId?: string;
      chargeBackFen?: number;
      /** Who answers for the defect and pays its charge-back (甲方 unless named). */
      responsibleId?: string;
    }) => {
      n++;
      const id = `00000000-0000-4000-b000-${String(n).padStart(12, '0')}`;
      await db.workOrder.create({
        data: {
          id,
          number: `WO-${o.createdAt.slice(0, 10).replaceAll('-', '')}-${String(n).padStart(4, '0')}`,
          workflowId: `work-order-${id}`,
          groupId: group,
          companyId: east,
          projectId: bjhy,
          caseId: o.caseId,
          buildingId: o.unit.buildingId,
          unitId: o.unit.id,
          category: o.category,
          trade: 'plumbing',
          status: o.outcome,
          warrantyCovered: true,
          warrantyClause: 'plumbing',
          contractorCovered: true,
          assigneeKind: o.technicianId ? 'technician' : 'contractor',
          technicianId: o.technicianId ?? null,
          contractorCompanyId: o.contractorId ?? null,
          responsibleContractorId: o.responsibleId ?? a,
          visitCount: o.visits,
          reworks: o.reworks ?? 0,
          chargeBackContractorId: o.chargeBackFen ? (o.responsibleId ?? a) : null,
          chargeBackFen: o.chargeBackFen ?? null,
          outcome: o.outcome,
          createdById: 'test',
          createdAt: new Date(o.createdAt),
          closedAt: new Date(Date.parse(o.createdAt) + 86_400_000),
          lastEventSeq: 1,
        },
      });
    };
    await order({ caseId: 'case-r1', unit: u101, category: 'repair.plumbing.leak', createdAt: '2026-01-10T02:00:00Z', outcome: 'done', visits: 1, technicianId: technician, chargeBackFen: 12_050 });
    await order({ caseId: 'case-r2', unit: u101, category: 'repair.plumbing.leak', createdAt: '2026-01-19T02:00:00Z', outcome: 'done', visits: 2, reworks: 1, contractorId: b });
    await order({ caseId: 'case-r3', unit: u102, category: 'repair.doors_windows', createdAt: '2026-01-12T02:00:00Z', outcome: 'cancelled', visits: 1, technicianId: technician });
    // March: the contractor ratings.
    const company = async (name: string) => (await db.contractorCompany.create({ data: { groupId: group, name } })).id;
    const [c, d, e] = [await company('丙方防水修缮公司'), await company('丁方机电维修公司'), await company('戊方门窗安装公司')];
    for (const [who, day] of [[c, 1], [d, 2], [e, 3]] as const)
      for (let i = 0; i < 5; i++) {
        const rework = who === d && i === 4;
        await order({ caseId: `case-m${day}-${i}`, unit: u102, category: 'repair.electrical', createdAt: `2026-03-0${day}T0${i}:00:00Z`, outcome: 'done', visits: rework ? 2 : 1, reworks: rework ? 1 : 0, contractorId: who, responsibleId: who });
      }
    await order({ caseId: 'case-m-d', unit: u101, category: 'repair.electrical', createdAt: '2026-03-10T02:00:00Z', outcome: 'done', visits: 1, technicianId: technician, responsibleId: d, chargeBackFen: 3_000 });
    await order({ caseId: 'case-m-e', unit: u101, category: 'repair.doors_windows', createdAt: '2026-03-11T02:00:00Z', outcome: 'done', visits: 1, technicianId: technician, responsibleId: e, chargeBackFen: 4_500 });
  }

  async function signedIn(o: { width?: number; lang?: 'zh-CN' | 'en' } = {}) {
    await seed();
    const opened = await openPage(env.browser, { viewport: { width: o.width ?? 1440, height: 1000 }, label: `manager.group ${o.lang ?? 'zh-CN'} ${o.width ?? 1440}` });
    const { page } = opened;
    if (o.lang === 'en') await page.context().addInitScript(() => window.localStorage.setItem('lang', 'en'));
    await page.goto(`${env.stack.baseUrl}/`);
    await page.locator('input[name="username"]').fill('manager.group');
    await page.locator('input[name="password"]').fill('demo');
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="current-role"]').waitFor({ state: 'attached' });
    return opened;
  }

  const text = async (l: Locator) => ((await l.textContent()) ?? '').trim();
  const csvOf = async (page: Page, table: string) => {
    const download = page.waitForEvent('download');
    await page.locator(`[data-testid="export-repairs-${table}"]`).click();
    return fs.readFileSync((await (await download).path())!, 'utf8').replace(/^\uFEFF/, '').split('\r\n');
  };

  it(
    'shows first-time fix, repeats, defects and charge-backs with a CSV per table (zh-CN), axe clean',
    async () => {
      const { page, problems, close } = await signedIn();
      await clickNav(page, 'repair-report');
      await page.locator('[data-testid="repair-report"]').waitFor();
      await page.goto(`${env.stack.baseUrl}/repairs/report?${PERIOD}`);
      await expect.poll(() => text(page.locator('[data-testid="kpi-work-orders"]')), { timeout: 15_000 }).toBe('3');
      expect(await text(page.locator('[data-testid="kpi-ftf"]'))).toBe('50%');
      expect(await text(page.locator('[data-testid="kpi-repeats"]'))).toBe('1');
      expect(await text(page.locator('[data-testid="kpi-defects"]'))).toBe('2');
      expect(await text(page.locator('[data-testid="kpi-charge-backs"]'))).toContain('120.50');

      const repeats = page.locator('[data-testid="repair-repeats-table"] tbody tr.ant-table-row');
      await expect.poll(() => repeats.count()).toBe(1);
      expect(await text(repeats.first())).toMatch(/WO-20260119-0002.*WO-20260110-0001.*9.*滨江花园 · 1栋-101.*报修 \/ 给排水 \/ 管道漏水/);
      // First-time fix: the technician (1 of 1), 乙方 (0 of 1), and the total.
      const ftf = page.locator('[data-testid="repair-ftf-table"] tbody tr.ant-table-row');
      expect(await ftf.count()).toBe(3);
      expect(await text(ftf.last())).toMatch(/^合计.*2.*1.*50%/);
      expect(await text(page.locator('[data-testid="repair-contractors-table"] tbody tr.ant-table-row').first())).toMatch(/^甲方防水工程公司/);
      expect(await text(page.locator('[data-testid="repair-charge-backs-table"] tbody tr.ant-table-row').first())).toMatch(/^甲方防水工程公司.*1.*120\.50/);

      const chart = page.locator('[data-testid="repair-category-chart"]');
      await chart.locator('canvas').first().waitFor({ state: 'attached' });
      expect((await chart.getAttribute('aria-label'))?.length).toBeGreaterThan(4);
      expect(await chart.locator('table tbody tr').count()).toBe(1);

      expect(await csvOf(page, 'charge-backs')).toEqual(expect.arrayContaining(['责任单位,扣款工单数,扣款金额(元),分组代码', expect.stringMatching(/^甲方防水工程公司,1,120\.50,/), '合计,1,120.50,all']));
      const repeatCsv = await csvOf(page, 'repeats');
      expect(repeatCsv[0]).toBe('维修单号,创建时间,前次维修单号,前次创建时间,间隔天数,项目,房号,分类,时区');
      expect(repeatCsv[1]).toBe('WO-20260119-0002,2026-01-19T10:00:00+08:00,WO-20260110-0001,2026-01-10T10:00:00+08:00,9,滨江花园,1栋-101,报修 / 给排水 / 管道漏水,Asia/Shanghai');

      // January's contractors did too little to be judged for their retention.
      const ratingRows = page.locator('[data-testid="repair-ratings-table"] tbody tr.ant-table-row');
      expect(await ratingRows.count()).toBe(2);
      expect(await page.locator('[data-testid="repair-ratings-table"] [data-recommendation]').evaluateAll((tags) => tags.map((t) => t.textContent))).toEqual(['样本不足', '样本不足']);
      expect(await text(ratingRows.first())).toMatch(/^乙方水电安装公司样本不足已完成 1 张，少于评价所需的 5 张。/);
      expect(await accessibilityProblems(page, 'repair report zh-CN')).toEqual([]);
      await page.screenshot({ path: '/tmp/repair-report-zh.png', fullPage: true });

      // March: release, hold, release less the charge-backs.
      await page.goto(`${env.stack.baseUrl}/repairs/report?${MARCH}`);
      await expect.poll(() => text(page.locator('[data-testid="kpi-work-orders"]')), { timeout: 15_000 }).toBe('17');
      const section = page.locator('[data-testid="repair-report"] .ant-card').filter({ has: page.locator('[data-testid="repair-ratings-table"]') });
      expect(await text(section.locator('.ant-card-head-title'))).toBe('承包商评价 · 保修尾款');
      expect(await text(page.locator('[data-testid="repair-ratings-rule"]'))).toContain('已完成维修单不少于 5 张才评价');
      await expect.poll(() => ratingRows.count()).toBe(3);
      const tags = () => page.locator('[data-testid="repair-ratings-table"] [data-recommendation]').evaluateAll((ts) => ts.map((t) => `${t.getAttribute('data-recommendation')}:${t.textContent}`));
      expect(await tags()).toEqual(['release:全额返还', 'hold:暂缓返还', 'deduct:扣减后返还']);
      // 丁方: hold and why, ¥30.00 to deduct, score 86 (40 + 25 + 25 × 5/6), 5 done, 80 %, 0 % late, 16.7 % rejected, 6 defects.
      expect(await text(ratingRows.nth(1))).toBe('丁方机电维修公司暂缓返还验收驳回率超过上限¥30.0086580%0%16.7%6');
      expect(await text(ratingRows.nth(2))).toMatch(/^戊方门窗安装公司扣减后返还.*45\.00.*100/);
      const ratingsCsv = await csvOf(page, 'contractor-ratings');
      expect(ratingsCsv[0]).toMatch(/^承包商,保修尾款建议,应扣保修款\(元\),评分\(0-100\),/);
      expect(ratingsCsv).toEqual(expect.arrayContaining([expect.stringMatching(/^丙方防水修缮公司,全额返还,0\.00,100,5,5,5,100,/), expect.stringMatching(/^戊方门窗安装公司,扣减后返还,45\.00,100,/)]));
      expect(await accessibilityProblems(page, 'repair report ratings zh-CN')).toEqual([]);
      await page.screenshot({ path: '/tmp/repair-report-ratings-zh.png', fullPage: true });
      expect(problems).toEqual([]);
      await close();
    },
    180_000,
  );

  it(
    'speaks English: headings, figures and downloads, axe clean',
    async () => {
      const { page, problems, close } = await signedIn({ lang: 'en' });
      await page.goto(`${env.stack.baseUrl}/repairs/report?${PERIOD}`);
      await expect.poll(() => text(page.locator('[data-testid="kpi-work-orders"]')), { timeout: 15_000 }).toBe('3');
      expect(await page.locator('[data-testid="repair-report"]').textContent()).toContain('Repeat repairs (within 90 days)');
      expect(await text(page.locator('[data-testid="repair-repeats-table"] tbody tr.ant-table-row').first())).toContain('Repair › Plumbing › Pipe leak');
      expect(await text(page.locator('[data-testid="repair-ftf-table"] tbody tr.ant-table-row').last())).toMatch(/^Total/);
      const csv = await csvOf(page, 'first-time-fix');
      expect(csv[0]).toBe('Technician or contractor,Kind,Work orders done,Fixed first time,First-time fix rate (%),Reworks,No-shows,Arrivals late,Assignee id');
      expect(csv).toContain('Total,,2,1,50,1,0,0,all');
      expect(await accessibilityProblems(page, 'repair report en')).toEqual([]);
      await page.screenshot({ path: '/tmp/repair-report-en.png', fullPage: true });

      await page.goto(`${env.stack.baseUrl}/repairs/report?${MARCH}`);
      await expect.poll(() => text(page.locator('[data-testid="kpi-work-orders"]')), { timeout: 15_000 }).toBe('17');
      expect(await page.locator('[data-testid="repair-report"]').textContent()).toContain('Contractor ratings · warranty retention');
      const ratingRows = page.locator('[data-testid="repair-ratings-table"] tbody tr.ant-table-row');
      await expect.poll(() => ratingRows.count()).toBe(3);
      expect(await page.locator('[data-testid="repair-ratings-table"] [data-recommendation]').evaluateAll((ts) => ts.map((t) => t.textContent))).toEqual([
        'Release in full',
        'Hold',
        'Release less charge-backs',
      ]);
      expect(await text(ratingRows.nth(1))).toContain('Rejected sign-offs above the maximum');
      expect(await text(page.locator('[data-testid="repair-ratings-rule"]'))).toContain('once it has done 5 work orders');
      const ratingsCsv = await csvOf(page, 'contractor-ratings');
      expect(ratingsCsv[0]).toMatch(/^Contractor,Retention recommendation,To deduct \(CNY\),/);
      expect(ratingsCsv).toEqual(expect.arrayContaining([expect.stringMatching(/^丁方机电维修公司,Hold,30\.00,/)]));
      expect(await accessibilityProblems(page, 'repair report ratings en')).toEqual([]);
      await page.screenshot({ path: '/tmp/repair-report-ratings-en.png', fullPage: true });
      expect(problems).toEqual([]);
      await close();
    },
    120_000,
  );

  it(
    'fits a 390 px phone: tables scroll inside their cards, never the page sideways',
    async () => {
      for (const lang of ['zh-CN', 'en'] as const) {
        const { page, problems, close } = await signedIn({ width: 390, lang });
        await clickNav(page, 'repair-report');
        await page.goto(`${env.stack.baseUrl}/repairs/report?${PERIOD}`);
        await expect.poll(() => text(page.locator('[data-testid="kpi-work-orders"]')), { timeout: 15_000 }).toBe('3');
        await page.locator('[data-testid="repair-charge-backs-table"] tbody tr.ant-table-row').first().waitFor();
        const wide = await page.evaluate(() =>
          [...document.querySelectorAll('main *')]
            .filter((e) => e.getBoundingClientRect().right > 391 && !e.closest('.report-table, .visually-hidden'))
            .slice(0, 6)
            .map((e) => `${e.tagName}.${(e.getAttribute('class') ?? '').split(' ').slice(0, 2).join('.')} ${Math.round(e.getBoundingClientRect().right)}`),
        );
        expect(wide, lang).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), lang).toBeLessThanOrEqual(390);
        expect(await accessibilityProblems(page, `repair report ${lang} 390`)).toEqual([]);
        // The ratings' widest rows (a hold and its reasons): inside their card too.
        await page.goto(`${env.stack.baseUrl}/repairs/report?${MARCH}`);
        await page.locator('[data-testid="repair-ratings-table"] [data-recommendation="hold"]').waitFor({ timeout: 15_000 });
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${lang} March`).toBeLessThanOrEqual(390);
        expect(
          await page.evaluate(() => [...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > 391 && !e.closest('.report-table, .visually-hidden')).length),
          `${lang} March`,
        ).toBe(0);
        await page.screenshot({ path: `/tmp/repair-report-phone-${lang}.png`, fullPage: true });
        expect(problems).toEqual([]);
        await close();
      }
    },
    180_000,
  );
});
