import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { findSeededPlaces } from '../support/read-model.js';
import { call, expectProblem, type Answer } from './http.js';
import { hashPassword } from '../../platform/passwords.js';
import { nearestRank } from '../../api/reports/sales-report.js';

/**
 * The sales report's arithmetic on read-model rows written straight into the database (as the sale
 * workflow's projection would), so every expected figure can be worked out by hand.
 */
let stack: TestStack;
const tokens = new Map<string, string>();
const as = (user: string, path: string, headers: Record<string, string> = {}): Promise<Answer> =>
  call(stack, 'GET', path, { token: tokens.get(user)!, headers });

const PERIOD = 'from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z';
const DAY_MS = 86_400_000;
const ids = {
  group: '', east: '', south: '', bjhy: '', hpmd: '', hjw: '', customer: '',
  sales: '', salesmgr: '', salesCompany: '', salesGroup: '', formula: '',
  otherGroup: '', otherCompany: '', otherProject: '', otherSalesmgr: '',
};
const units = new Map<string, string[]>();

let n = 0;
async function insertSale(o: {
  projectId: string;
  companyId: string;
  groupId?: string;
  ownerId: string;
  stage: string;
  createdAt: string | Date;
  price: string;
  paid: string;
  paymentMethod?: 'full' | 'mortgage';
  documentsAt?: string;
  disbursedAt?: string;
  inspectionDefects?: number;
  handoverDefects?: number;
  lapseReason?: string;
  cancelReason?: string;
}) {
  n++;
  const id = `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;
  const createdAt = new Date(o.createdAt);
  const final = ['handed_over', 'lapsed', 'cancelled'].includes(o.stage);
  await stack.db.sale.create({
    data: {
      id,
      number: `SL-20260105-${String(n).padStart(4, '0')}`,
      workflowId: `sale-${id}`,
      groupId: o.groupId ?? ids.group,
      companyId: o.companyId,
      projectId: o.projectId,
      unitId: units.get(o.projectId)![n % units.get(o.projectId)!.length]!,
      customerId: ids.customer,
      ownerId: o.ownerId,
      stage: o.stage,
      paymentMethod: o.paymentMethod ?? 'full',
      price: o.price,
      deposit: '20000.00',
      paidTotal: o.paid,
      contractArea: '89.50',
      mortgageStatus: o.disbursedAt ? 'disbursed' : o.documentsAt ? 'documents_submitted' : null,
      mortgageDocumentsAt: o.documentsAt ? new Date(o.documentsAt) : null,
      mortgageDisbursedAt: o.disbursedAt ? new Date(o.disbursedAt) : null,
      deadlines: [],
      payments: [],
      approvals: [],
      deliveryDate: new Date('2027-06-30T00:00:00Z'),
      inspectionAt: new Date('2027-05-30T00:00:00Z'),
      inspectionDefects: o.inspectionDefects ?? 0,
      handedOverAt: o.stage === 'handed_over' ? new Date('2026-03-01T00:00:00Z') : null,
      handoverDefects: o.handoverDefects ?? 0,
      lapseReason: o.lapseReason ?? null,
      cancelReason: o.cancelReason ?? null,
      createdById: o.ownerId,
      createdAt,
      closedAt: final ? new Date(createdAt.getTime() + 30 * DAY_MS) : null,
      lastEventSeq: 1,
    },
  });
  return id;
}

beforeAll(async () => {
  stack = await startTestStack({ seed: true });
  const { db } = stack;
  // The seeded places; this report's customer is the sales one below.
  Object.assign(ids, await findSeededPlaces(db));
  const user = (u: string) => db.user.findUniqueOrThrow({ where: { username: u } }).then((x) => x.id);
  ids.sales = await user('sales.project');
  ids.salesmgr = await user('salesmgr.project');
  ids.salesCompany = await user('sales.company');
  ids.salesGroup = await user('sales.group');
  ids.customer = (await db.customer.findFirstOrThrow({ where: { groupId: ids.group, phone: '13900139002' } })).id;
  // A salesperson whose display name a spreadsheet would run as a formula.
  ids.formula = (
    await db.user.create({
      data: { groupId: ids.group, username: 'sales.formula', displayName: '=HYPERLINK("http://evil")', passwordHash: 'x', role: 'SALES', scopeLevel: 'PROJECT', companyId: ids.south, projectId: ids.hjw },
    })
  ).id;

  // A second organisation with a sale of its own in the same period.
  const other = await db.group.create({ data: { code: 'ZX', name: '正信地产集团' } });
  const otherCompany = await db.company.create({ data: { groupId: other.id, code: 'ZX-NORTH', name: '华北公司' } });
  const otherProject = await db.project.create({ data: { groupId: other.id, companyId: otherCompany.id, code: 'BJ-ZXY', name: '正信园', city: '北京' } });
  const building = await db.building.create({ data: { projectId: otherProject.id, name: 'A座' } });
  for (const u of ['101', '102']) await db.unit.create({ data: { projectId: otherProject.id, buildingId: building.id, number: u, floor: 1, area: 99 } });
  const otherSalesmgr = await db.user.create({
    data: { groupId: other.id, username: 'zx.salesmgr', displayName: '正信销售经理', passwordHash: await hashPassword('demo'), role: 'SALES_MANAGER', scopeLevel: 'GROUP' },
  });
  Object.assign(ids, { otherGroup: other.id, otherCompany: otherCompany.id, otherProject: otherProject.id, otherSalesmgr: otherSalesmgr.id });

  for (const p of [ids.bjhy, ids.hpmd, ids.hjw, ids.otherProject]) {
    units.set(p, (await db.unit.findMany({ where: { projectId: p }, orderBy: { id: 'asc' } })).map((u) => u.id));
  }

  const bjhy = { projectId: ids.bjhy, companyId: ids.east };
  const hpmd = { projectId: ids.hpmd, companyId: ids.east };
  const hjw = { projectId: ids.hjw, companyId: ids.south };
  // S1..S4 滨江花园, live.
  await insertSale({ ...bjhy, ownerId: ids.sales, stage: 'subscribed', createdAt: '2026-01-05T00:00:00Z', price: '1000000.10', paid: '20000.00' });
  await insertSale({ ...bjhy, ownerId: ids.sales, stage: 'contracted', createdAt: '2026-01-06T08:00:00Z', price: '1500000.20', paid: '300000.10' });
  // S3: documents with the bank, not disbursed yet: no turnaround.
  await insertSale({ ...bjhy, ownerId: ids.salesmgr, stage: 'mortgage_pending', paymentMethod: 'mortgage', createdAt: '2026-01-07T00:00:00Z', price: '2000000.00', paid: '600000.00', documentsAt: '2026-01-10T00:00:00Z' });
  // S4: 10 days from documents to disbursement.
  await insertSale({ ...bjhy, ownerId: ids.sales, stage: 'paid', paymentMethod: 'mortgage', createdAt: '2026-01-02T00:00:00Z', price: '1200000.00', paid: '1200000.00', documentsAt: '2026-01-08T00:00:00Z', disbursedAt: '2026-01-18T00:00:00Z' });
  // S5 湖畔名邸: 20.5 days; in inspection with 4 defects, not handed over yet (its defects count nowhere).
  await insertSale({ ...hpmd, ownerId: ids.salesCompany, stage: 'inspection', paymentMethod: 'mortgage', createdAt: '2026-01-03T00:00:00Z', price: '1800000.00', paid: '1800000.00', documentsAt: '2026-01-09T00:00:00Z', disbursedAt: '2026-01-29T12:00:00Z', inspectionDefects: 4 });
  // S6 湖畔名邸: 30 days; handed over with 3 inspection defects and 1 on the day.
  await insertSale({ ...hpmd, ownerId: ids.salesCompany, stage: 'handed_over', paymentMethod: 'mortgage', createdAt: '2026-01-04T00:00:00Z', price: '1600000.00', paid: '1600000.00', documentsAt: '2026-01-10T00:00:00Z', disbursedAt: '2026-02-09T00:00:00Z', inspectionDefects: 3, handoverDefects: 1 });
  // S7 海景湾: paid in full, handed over with 2 inspection defects.
  await insertSale({ ...hjw, ownerId: ids.formula, stage: 'handed_over', createdAt: '2026-01-11T00:00:00Z', price: '2500000.00', paid: '2500000.00', inspectionDefects: 2 });
  // S8 海景湾: 5.25 days (5.3), handed over with 1 defect on the day.
  await insertSale({ ...hjw, ownerId: ids.salesGroup, stage: 'handed_over', paymentMethod: 'mortgage', createdAt: '2026-01-12T00:00:00Z', price: '3000000.00', paid: '3000000.00', documentsAt: '2026-01-15T00:00:00Z', disbursedAt: '2026-01-20T06:00:00Z', handoverDefects: 1 });
  // S9, S10: lapsed (no contract in time).
  await insertSale({ ...bjhy, ownerId: ids.sales, stage: 'lapsed', createdAt: '2026-01-13T00:00:00Z', price: '900000.00', paid: '20000.00', lapseReason: 'contract_deadline' });
  await insertSale({ ...hjw, ownerId: ids.salesGroup, stage: 'lapsed', createdAt: '2026-01-14T00:00:00Z', price: '1100000.00', paid: '20000.00', lapseReason: 'contract_deadline' });
  // S11..S13: cancelled; S12's reason differs from S11's only by spaces.
  await insertSale({ ...hpmd, ownerId: ids.salesCompany, stage: 'cancelled', createdAt: '2026-01-15T00:00:00Z', price: '1300000.00', paid: '20000.00', cancelReason: '买家资金不足' });
  await insertSale({ ...bjhy, ownerId: ids.sales, stage: 'cancelled', createdAt: '2026-01-16T00:00:00Z', price: '1400000.00', paid: '0.00', cancelReason: '  买家资金不足 ' });
  await insertSale({ ...bjhy, ownerId: ids.salesmgr, stage: 'cancelled', createdAt: '2026-01-31T23:59:59Z', price: '800000.00', paid: '20000.00', cancelReason: '换购其他楼盘' });
  // Outside the period: just before it, and exactly at its (exclusive) end.
  await insertSale({ ...bjhy, ownerId: ids.sales, stage: 'handed_over', createdAt: '2025-12-31T23:59:59Z', price: '5000000.00', paid: '5000000.00', inspectionDefects: 9 });
  await insertSale({ ...hjw, ownerId: ids.salesGroup, stage: 'lapsed', createdAt: '2026-02-01T00:00:00Z', price: '5000000.00', paid: '20000.00', lapseReason: 'other' });
  // Another organisation's sale in the period.
  await insertSale({ projectId: ids.otherProject, companyId: ids.otherCompany, groupId: ids.otherGroup, ownerId: ids.otherSalesmgr, stage: 'subscribed', createdAt: '2026-01-10T00:00:00Z', price: '7777777.77', paid: '20000.00' });
  // For the default window (the last 30 days): one sale 2 days ago, one 40 days ago.
  await insertSale({ ...bjhy, ownerId: ids.sales, stage: 'subscribed', createdAt: new Date(Date.now() - 2 * DAY_MS), price: '990000.00', paid: '20000.00' });
  await insertSale({ ...bjhy, ownerId: ids.sales, stage: 'subscribed', createdAt: new Date(Date.now() - 40 * DAY_MS), price: '880000.00', paid: '20000.00' });

  for (const u of ['salesmgr.group', 'salesmgr.company', 'salesmgr.project', 'manager.group', 'manager.project', 'sales.project', 'sales.group', 'agent.project', 'agent.group', 'supervisor.group', 'admin', 'zx.salesmgr'])
    tokens.set(u, await stack.login(u));
});
afterAll(async () => {
  await stack?.close();
});

const row = (over: Record<string, unknown>) => expect.objectContaining(over);
const ZERO_PIPELINE = (over: Record<string, [number, string]>) =>
  ['subscribed', 'contracted', 'paying', 'mortgage_pending', 'paid', 'inspection', 'handed_over', 'lapsed', 'cancelled'].map((stage) => ({
    stage,
    count: over[stage]?.[0] ?? 0,
    value: over[stage]?.[1] ?? '0.00',
  }));

describe('sales report', () => {
  it('splits the period’s sales by stage: the full pipeline with exact values, reasons, mortgage turnaround and handover defects', async () => {
    const a = await as('salesmgr.group', `/api/reports/sales?${PERIOD}`);
    expect(a.status, a.text).toBe(200);
    expect(a.body).toMatchObject({ from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z', groupBy: 'stage' });
    expect(a.body.pipeline).toEqual(
      ZERO_PIPELINE({
        subscribed: [1, '1000000.10'],
        contracted: [1, '1500000.20'],
        mortgage_pending: [1, '2000000.00'],
        paid: [1, '1200000.00'],
        inspection: [1, '1800000.00'],
        handed_over: [3, '7100000.00'],
        lapsed: [2, '2000000.00'],
        cancelled: [3, '3500000.00'],
      }),
    );
    expect(a.body.lapseReasons).toEqual([{ reason: 'contract_deadline', count: 2 }]);
    expect(a.body.cancellationReasons).toEqual([
      { reason: '买家资金不足', count: 2 },
      { reason: '换购其他楼盘', count: 1 },
    ]);
    // 5.25, 10, 20.5 and 30 days: the nearest-rank median is the 2nd (10), the 90th percentile the 4th.
    expect(a.body.mortgage).toEqual({ count: 4, medianDays: 10, p90Days: 30 });
    // S6, S7, S8 handed over: 3 + 2 + 0 inspection defects, 1 + 0 + 1 on the day; S5's 4 are not yet handed over.
    expect(a.body.handover).toEqual({ handedOver: 3, inspectionDefects: 5, handoverDefects: 2, defectsPerUnit: 2.33 });

    expect(a.body.rows.map((r: { key: string; label: string; sales: number }) => [r.key, r.label, r.sales])).toEqual([
      ['subscribed', '认购', 1],
      ['contracted', '已签约', 1],
      ['mortgage_pending', '按揭办理中', 1],
      ['paid', '已付清', 1],
      ['inspection', '验房', 1],
      ['handed_over', '已交付', 3],
      ['lapsed', '已失效', 2],
      ['cancelled', '已取消', 3],
    ]);
    const inEnglish = await as('salesmgr.group', `/api/reports/sales?${PERIOD}`, { 'accept-language': 'en' });
    expect(inEnglish.body.rows.map((r: { label: string }) => r.label).slice(0, 3)).toEqual(['Subscribed', 'Contracted', 'Mortgage in progress']);
    const stage = (k: string) => a.body.rows.find((r: { key: string }) => r.key === k);
    expect(stage('handed_over')).toEqual({
      key: 'handed_over',
      label: '已交付',
      sales: 3,
      live: 0,
      handedOver: 3,
      lapsed: 0,
      cancelled: 0,
      value: '7100000.00',
      paid: '7100000.00',
      mortgageCount: 2,
      mortgageMedianDays: 5.3,
      mortgageP90Days: 30,
      handoverDefectsPerUnit: 2.33,
    });
    expect(stage('contracted')).toMatchObject({ live: 1, value: '1500000.20', paid: '300000.10', mortgageCount: 0, mortgageMedianDays: null, mortgageP90Days: null, handoverDefectsPerUnit: null });
    expect(stage('inspection')).toMatchObject({ live: 1, mortgageCount: 1, mortgageMedianDays: 20.5, mortgageP90Days: 20.5, handoverDefectsPerUnit: null });
    expect(stage('lapsed')).toMatchObject({ lapsed: 2, live: 0, paid: '40000.00' });
  });

  it('groups by project with names', async () => {
    const a = await as('salesmgr.group', `/api/reports/sales?${PERIOD}&groupBy=project`);
    expect(a.status, a.text).toBe(200);
    expect(a.body.groupBy).toBe('project');
    expect(a.body.rows).toHaveLength(3);
    expect(a.body.rows).toEqual(
      expect.arrayContaining([
        {
          key: ids.bjhy,
          label: '滨江花园',
          sales: 7,
          live: 4,
          handedOver: 0,
          lapsed: 1,
          cancelled: 2,
          value: '8800000.30',
          paid: '2160000.10',
          mortgageCount: 1,
          mortgageMedianDays: 10,
          mortgageP90Days: 10,
          handoverDefectsPerUnit: null,
        },
        row({ key: ids.hpmd, label: '湖畔名邸', sales: 3, live: 1, handedOver: 1, cancelled: 1, value: '4700000.00', paid: '3420000.00', mortgageCount: 2, mortgageMedianDays: 20.5, mortgageP90Days: 30, handoverDefectsPerUnit: 4 }),
        row({ key: ids.hjw, label: '海景湾', sales: 3, live: 0, handedOver: 2, lapsed: 1, value: '6600000.00', paid: '5520000.00', mortgageCount: 1, mortgageMedianDays: 5.3, mortgageP90Days: 5.3, handoverDefectsPerUnit: 1.5 }),
      ]),
    );
    // Grouping changes the rows, never the pipeline or the summaries.
    const byStage = await as('salesmgr.group', `/api/reports/sales?${PERIOD}&groupBy=stage`);
    expect(a.body.pipeline).toEqual(byStage.body.pipeline);
    expect(a.body.mortgage).toEqual(byStage.body.mortgage);
    expect(a.body.handover).toEqual(byStage.body.handover);
  });

  it('groups by owner with display names', async () => {
    const a = await as('salesmgr.group', `/api/reports/sales?${PERIOD}&groupBy=owner`);
    expect(a.status, a.text).toBe(200);
    expect(a.body.rows).toHaveLength(5);
    expect(a.body.rows).toEqual(
      expect.arrayContaining([
        row({ key: ids.sales, label: '项目置业顾问', sales: 5, live: 3, lapsed: 1, cancelled: 1, value: '6000000.30', mortgageCount: 1, mortgageMedianDays: 10 }),
        row({ key: ids.salesmgr, label: '项目销售经理', sales: 2, live: 1, cancelled: 1, value: '2800000.00', mortgageCount: 0 }),
        row({ key: ids.salesCompany, label: '公司置业顾问', sales: 3, handedOver: 1, value: '4700000.00', handoverDefectsPerUnit: 4 }),
        row({ key: ids.formula, label: '=HYPERLINK("http://evil")', sales: 1, handedOver: 1, value: '2500000.00', handoverDefectsPerUnit: 2 }),
        row({ key: ids.salesGroup, label: '集团置业顾问', sales: 2, handedOver: 1, lapsed: 1, value: '4100000.00', mortgageMedianDays: 5.3, handoverDefectsPerUnit: 1 }),
      ]),
    );
  });

  it('counts only sales created in [from, to)', async () => {
    const a = await as('salesmgr.group', '/api/reports/sales?from=2026-01-06T00:00:00Z&to=2026-01-07T00:00:00Z');
    expect(a.body.rows).toEqual([row({ key: 'contracted', sales: 1, value: '1500000.20' })]);
    expect(a.body.pipeline.reduce((s: number, p: { count: number }) => s + p.count, 0)).toBe(1);
    // The sale at 2026-02-01T00:00:00Z falls in the next window, the one at 2025-12-31T23:59:59Z in the previous one.
    const next = await as('salesmgr.group', '/api/reports/sales?from=2026-02-01T00:00:00Z&to=2026-02-02T00:00:00Z');
    expect(next.body.lapseReasons).toEqual([{ reason: 'other', count: 1 }]);
    const before = await as('salesmgr.group', '/api/reports/sales?from=2025-12-31T00:00:00Z&to=2026-01-01T00:00:00Z');
    expect(before.body.handover).toEqual({ handedOver: 1, inspectionDefects: 9, handoverDefects: 0, defectsPerUnit: 9 });
  });

  it('defaults to the last 30 days', async () => {
    const a = await as('salesmgr.group', '/api/reports/sales');
    expect(a.status, a.text).toBe(200);
    expect(new Date(a.body.to).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(new Date(a.body.to).getTime() - new Date(a.body.from).getTime()).toBe(30 * DAY_MS);
    expect(a.body.pipeline.find((p: { stage: string }) => p.stage === 'subscribed')).toEqual({ stage: 'subscribed', count: 1, value: '990000.00' });
    expect(a.body.rows).toHaveLength(1);
  });

  it('answers an empty period with zeros and nulls', async () => {
    const a = await as('salesmgr.group', '/api/reports/sales?from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z&groupBy=owner');
    expect(a.status, a.text).toBe(200);
    expect(a.body).toEqual({
      from: '2025-01-01T00:00:00.000Z',
      to: '2025-02-01T00:00:00.000Z',
      groupBy: 'owner',
      rows: [],
      pipeline: ZERO_PIPELINE({}),
      lapseReasons: [],
      cancellationReasons: [],
      mortgage: { count: 0, medianDays: null, p90Days: null },
      handover: { handedOver: 0, inspectionDefects: 0, handoverDefects: 0, defectsPerUnit: null },
    });
  });

  it('narrows to the caller’s company or project, and to a project of its scope on request', async () => {
    const project = await as('salesmgr.project', `/api/reports/sales?${PERIOD}&groupBy=project`);
    expect(project.status, project.text).toBe(200);
    expect(project.body.rows.map((r: { label: string }) => r.label)).toEqual(['滨江花园']);
    expect(project.body.mortgage).toEqual({ count: 1, medianDays: 10, p90Days: 10 });
    expect(project.body.handover).toMatchObject({ handedOver: 0, defectsPerUnit: null });
    expect(project.body.cancellationReasons).toEqual([
      { reason: '买家资金不足', count: 1 },
      { reason: '换购其他楼盘', count: 1 },
    ]);
    expect((await as('manager.project', `/api/reports/sales?${PERIOD}`)).body.pipeline).toEqual(project.body.pipeline);

    const company = await as('salesmgr.company', `/api/reports/sales?${PERIOD}&groupBy=project`);
    expect(company.body.rows.map((r: { label: string }) => r.label).sort()).toEqual(['湖畔名邸', '滨江花园'].sort());
    expect(company.body.handover).toEqual({ handedOver: 1, inspectionDefects: 3, handoverDefects: 1, defectsPerUnit: 4 });

    const one = await as('salesmgr.group', `/api/reports/sales?${PERIOD}&groupBy=project&projectId=${ids.hjw}`);
    expect(one.body.rows).toEqual([row({ key: ids.hjw, sales: 3 })]);
    expect(one.body.lapseReasons).toEqual([{ reason: 'contract_deadline', count: 1 }]);
    expectProblem(await as('salesmgr.company', `/api/reports/sales?${PERIOD}&projectId=${ids.hjw}`), 403, 'OUT_OF_SCOPE');
    expectProblem(await as('salesmgr.project', `/api/reports/sales?${PERIOD}&projectId=${ids.hpmd}`), 403, 'OUT_OF_SCOPE');
  });

  it('never shows another organisation’s sales', async () => {
    const ours = await as('salesmgr.group', `/api/reports/sales?${PERIOD}&groupBy=project`);
    expect(ours.body.rows.map((r: { key: string }) => r.key)).not.toContain(ids.otherProject);
    expect(ours.body.pipeline.find((p: { stage: string }) => p.stage === 'subscribed').count).toBe(1);
    const theirs = await as('zx.salesmgr', `/api/reports/sales?${PERIOD}&groupBy=project`);
    expect(theirs.status, theirs.text).toBe(200);
    expect(theirs.body.rows).toEqual([row({ key: ids.otherProject, label: '正信园', sales: 1, value: '7777777.77' })]);
    expectProblem(await as('zx.salesmgr', `/api/reports/sales?${PERIOD}&projectId=${ids.bjhy}`), 404, 'NOT_FOUND');
    expectProblem(await as('salesmgr.group', `/api/reports/sales?${PERIOD}&projectId=${ids.otherProject}`), 404, 'NOT_FOUND');
  });

  it('is for sales managers and managers only', async () => {
    expect((await as('manager.group', `/api/reports/sales?${PERIOD}`)).status).toBe(200);
    for (const u of ['sales.project', 'sales.group', 'agent.project', 'agent.group', 'supervisor.group', 'admin'])
      expectProblem(await as(u, `/api/reports/sales?${PERIOD}`), 403, 'FORBIDDEN');
    expectProblem(await call(stack, 'GET', `/api/reports/sales?${PERIOD}`), 401, 'UNAUTHENTICATED');
  });

  it('refuses a bad query with 400', async () => {
    for (const q of [
      'groupBy=weather',
      'from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      'from=2026-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      'from=yesterday',
      'to=2026-01-01',
      'projectId=',
    ])
      expectProblem(await as('salesmgr.group', `/api/reports/sales?${q}`), 400, 'VALIDATION_FAILED');
  });

  it('answers as CSV: a BOM, a header, one line per row, formulas defused', async () => {
    const a = await as('salesmgr.group', `/api/reports/sales?${PERIOD}&groupBy=stage`, { accept: 'text/csv' });
    expect(a.status).toBe(200);
    expect(a.contentType).toBe('text/csv; charset=utf-8');
    expect(a.headers.get('content-disposition')).toBe('attachment; filename="sales-report-stage-2026-01-01-2026-02-01.csv"');
    const raw = Buffer.from(
      await (await fetch(`${stack.baseUrl}/api/reports/sales?${PERIOD}`, { headers: { accept: 'text/csv', authorization: `Bearer ${tokens.get('salesmgr.group')}` } })).arrayBuffer(),
    );
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = a.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('分组,销售数,进行中,已交付,已失效,已取消,成交金额(元),已收款(元),按揭放款笔数,按揭周期·一般(中位数，天),按揭周期·较慢(90%不超过，天),每套交付问题数,分组代码');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['认购', '已签约', '按揭办理中', '已付清', '验房', '已交付', '已失效', '已取消']);
    expect(lines[2]).toBe('已签约,1,1,0,0,0,1500000.20,300000.10,0,,,,contracted');
    expect(lines[6]).toBe('已交付,3,0,3,0,0,7100000.00,7100000.00,2,5.3,30,2.33,handed_over');
    const en = await as('salesmgr.group', `/api/reports/sales?${PERIOD}&groupBy=stage`, { accept: 'text/csv', 'accept-language': 'en' });
    expect(en.headers.get('content-language')).toBe('en');
    expect(en.text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
      'Group,Sales,Live,Handed over,Lapsed,Cancelled,Value (CNY),Paid (CNY),Mortgages disbursed,Mortgage days: typical (median),Mortgage days: slow end (90% within),Handover defects per unit,Group key',
    );

    const owners = await as('salesmgr.group', `/api/reports/sales?${PERIOD}&groupBy=owner`, { accept: 'text/csv' });
    const ownerLines = owners.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(ownerLines).toHaveLength(6);
    expect(ownerLines).toContain(`"'=HYPERLINK(""http://evil"")",1,0,1,0,0,2500000.00,2500000.00,0,,,2,${ids.formula}`);
  });
});

describe('nearest-rank percentiles', () => {
  it('picks the ⌈p·n/100⌉-th value', () => {
    expect(nearestRank([], 50)).toBeNull();
    expect(nearestRank([7], 50)).toBe(7);
    expect(nearestRank([7], 90)).toBe(7);
    expect(nearestRank([1, 2], 50)).toBe(1);
    expect(nearestRank([1, 2, 3], 50)).toBe(2);
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(nearestRank(ten, 90)).toBe(9);
    expect(nearestRank([...ten, 11], 90)).toBe(10);
    expect(nearestRank(ten, 100)).toBe(10);
  });
});
