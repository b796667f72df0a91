import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { findSeededPlaces } from '../support/read-model.js';
import { call, errorPaths, expectProblem, type Answer } from './http.js';
import { hashPassword } from '../../platform/passwords.js';
import { yuanOf } from '../../api/reports/repair-report.js';

/**
 * The repair report's arithmetic on work-order rows written straight into the read model (as the
 * work-order workflow's projection would write them), so every expected figure is worked out by hand.
 *
 * The story (period January 2026):
 * - W1 滨江花园 1栋-101 pipe leak, 01-10, done on its one visit by the technician, A responsible, charged back 120.50 to A.
 * - W2 same unit and category, another case, 01-20: a repeat of W1 (10 days); done by contractor B after one rework, late twice, charged back 300.00 to A.
 * - W3 1栋-102 electrical, 01-15: done first time by A (A responsible: no charge-back). Its unit and
 *   category had P89 (another case) 89 days before: a repeat.
 * - W4 海景湾 1栋-101 waterproofing, 01-25: out of warranty, no responsible contractor, done by B after an owner no-show.
 *   Its unit and category had P91 91 days before: not a repeat.
 * - W5, W6 1栋-102 doors and windows, one case: W5 cancelled by the dispatcher (no defect), W6 the
 *   case's second order (not a repeat: same case), done first time by the technician, B responsible, charged back 0.99 to B.
 * - W7 湖畔名邸, no unit or building, plumbing, open, B responsible.
 * Outside: P89 and P91 before the period, W8 at the period's (exclusive) end, Z1 of another organisation.
 *
 * The contractor ratings (warranty retention, 保修尾款) have a story of their own in March 2026
 * (no units, so no repeats; default thresholds: 5 done, first-time fix ≥ 80 %, late ≤ 10 %, rejected ≤ 10 %):
 * - 丙方 C: 5 done, 4 on their one visit, 1 after an owner no-show (2 visits) → first-time fix 4/5 = 80 %
 *   exactly, 0 of 6 visits late, 0 of 5 sign-offs rejected, nothing charged back → release; score 50 × 0.8 + 25 + 25 = 90.
 * - 丁方 D: 5 done first time; answers for T1 and T2 (the technician's), charged back 150.00 + 80.25 → deduct 230.25; score 100.
 * - 戊方 E: 5 done, 3 first time on time, E4 first time but late, E5 late and reworked once (2 visits):
 *   first-time fix 4/5 = 80 %, late 2 of 6 visits = 33.3 %, rejected 1 of 6 sign-offs = 16.7 % → hold
 *   (late, rejected); answers for T3, charged back 50.00; score 40 + 25 × 4/6 + 25 × 5/6 = 77.5 → 78.
 * - 己方 F: 2 done first time, F3 open (F answers for it), F4 cancelled → 3 orders held, insufficient data; score 100.
 */
let stack: TestStack;
const tokens = new Map<string, string>();
const as = (user: string, path: string, headers: Record<string, string> = {}): Promise<Answer> => call(stack, 'GET', path, { token: tokens.get(user)!, headers });

const PERIOD = 'from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z';
const DAY_MS = 86_400_000;
const ids = {
  group: '', east: '', south: '', bjhy: '', hpmd: '', hjw: '', customer: '',
  technician: '', technicianName: '', a: '', b: '', c: '', d: '', e: '', f: '', otherGroup: '', otherCompany: '', otherProject: '', otherContractor: '',
  bjhy101: '', bjhy102: '', bjhyB1: '', hjw101: '', hjwB1: '', otherUnit: '',
};
const wo: Record<string, string> = {};

let n = 0;
async function insertOrder(o: {
  name: string;
  caseId?: string;
  projectId: string;
  companyId: string;
  groupId?: string;
  unitId?: string | null;
  buildingId?: string | null;
  category: string;
  createdAt: string;
  outcome?: 'done' | 'cancelled' | 'quote_refused' | null;
  visits?: number;
  reworks?: number;
  noShows?: number;
  arrivalBreaches?: number;
  technicianId?: string;
  contractorCompanyId?: string;
  responsibleContractorId?: string | null;
  covered?: boolean;
  chargeBack?: { contractorCompanyId: string; fen: number };
}) {
  n++;
  const id = `00000000-0000-4000-a000-${String(n).padStart(12, '0')}`;
  const createdAt = new Date(o.createdAt);
  const ended = o.outcome === 'done' || o.outcome === 'cancelled' || o.outcome === 'quote_refused';
  const visitCount = o.visits ?? (o.outcome === 'done' ? 1 : 0);
  await stack.db.workOrder.create({
    data: {
      id,
      number: `WO-${o.createdAt.slice(0, 10).replaceAll('-', '')}-${String(n).padStart(4, '0')}`,
      workflowId: `work-order-${id}`,
      groupId: o.groupId ?? ids.group,
      companyId: o.companyId,
      projectId: o.projectId,
      caseId: o.caseId ?? `case-${o.name}`,
      buildingId: o.buildingId ?? null,
      unitId: o.unitId ?? null,
      category: o.category,
      trade: 'plumbing',
      status: o.outcome === 'done' ? 'done' : ended ? 'cancelled' : 'assigned',
      warrantyCovered: o.covered ?? true,
      warrantyClause: 'plumbing',
      contractorCovered: o.covered ?? true,
      assigneeKind: o.technicianId ? 'technician' : o.contractorCompanyId ? 'contractor' : null,
      technicianId: o.technicianId ?? null,
      contractorCompanyId: o.contractorCompanyId ?? null,
      responsibleContractorId: o.responsibleContractorId ?? null,
      visitCount,
      reworks: o.reworks ?? 0,
      noShows: o.noShows ?? 0,
      arrivalBreaches: o.arrivalBreaches ?? 0,
      visits: Array.from({ length: visitCount }, (_, i) => ({ number: i + 1, reason: i === 0 ? 'first' : 'rework', outcome: i === visitCount - 1 && o.outcome === 'done' ? 'signed_off' : 'rejected' })),
      chargeBackContractorId: o.chargeBack?.contractorCompanyId ?? null,
      chargeBackFen: o.chargeBack?.fen ?? null,
      outcome: o.outcome ?? null,
      createdById: 'test',
      createdAt,
      closedAt: ended ? new Date(createdAt.getTime() + 3 * DAY_MS) : null,
      lastEventSeq: 1,
    },
  });
  wo[o.name] = id;
  return id;
}

beforeAll(async () => {
  stack = await startTestStack({ seed: true });
  const { db } = stack;
  Object.assign(ids, await findSeededPlaces(db));
  const technician = await db.user.findUniqueOrThrow({ where: { username: 'technician.project' } });
  ids.technician = technician.id;
  ids.technicianName = technician.displayName;
  ids.a = (await db.contractorCompany.create({ data: { groupId: ids.group, name: '甲方防水工程公司' } })).id;
  ids.b = (await db.contractorCompany.create({ data: { groupId: ids.group, name: '乙方水电安装公司' } })).id;
  const unit = async (projectId: string, number: string) => db.unit.findFirstOrThrow({ where: { projectId, number, building: { name: '1栋' } } });
  const u101 = await unit(ids.bjhy, '101');
  Object.assign(ids, { bjhy101: u101.id, bjhyB1: u101.buildingId, bjhy102: (await unit(ids.bjhy, '102')).id });
  const h101 = await unit(ids.hjw, '101');
  Object.assign(ids, { hjw101: h101.id, hjwB1: h101.buildingId });

  // A second organisation with a work order of its own in the period.
  const other = await db.group.create({ data: { code: 'ZX', name: '正信地产集团' } });
  const otherCompany = await db.company.create({ data: { groupId: other.id, code: 'ZX-NORTH', name: '华北公司' } });
  const otherProject = await db.project.create({ data: { groupId: other.id, companyId: otherCompany.id, code: 'BJ-ZXY', name: '正信园', city: '北京' } });
  const building = await db.building.create({ data: { projectId: otherProject.id, name: 'A座' } });
  ids.otherUnit = (await db.unit.create({ data: { projectId: otherProject.id, buildingId: building.id, number: '101', floor: 1, area: 99 } })).id;
  ids.otherContractor = (await db.contractorCompany.create({ data: { groupId: other.id, name: '正信合作施工队' } })).id;
  await db.user.create({ data: { groupId: other.id, username: 'zx.manager', displayName: '正信经理', passwordHash: await hashPassword('demo'), role: 'MANAGER', scopeLevel: 'GROUP' } });
  Object.assign(ids, { otherGroup: other.id, otherCompany: otherCompany.id, otherProject: otherProject.id });

  const bjhy = { projectId: ids.bjhy, companyId: ids.east };
  const hjw = { projectId: ids.hjw, companyId: ids.south };
  const leak = 'repair.plumbing.leak';
  await insertOrder({ name: 'W1', ...bjhy, unitId: ids.bjhy101, buildingId: ids.bjhyB1, category: leak, createdAt: '2026-01-10T00:00:00Z', outcome: 'done', technicianId: ids.technician, responsibleContractorId: ids.a, chargeBack: { contractorCompanyId: ids.a, fen: 12_050 } });
  await insertOrder({ name: 'W2', ...bjhy, unitId: ids.bjhy101, buildingId: ids.bjhyB1, category: leak, createdAt: '2026-01-20T00:00:00Z', outcome: 'done', visits: 2, reworks: 1, arrivalBreaches: 2, contractorCompanyId: ids.b, responsibleContractorId: ids.a, chargeBack: { contractorCompanyId: ids.a, fen: 30_000 } });
  // 89 and 91 days before W3 and W4 (both before the period).
  await insertOrder({ name: 'P89', ...bjhy, unitId: ids.bjhy102, buildingId: ids.bjhyB1, category: 'repair.electrical', createdAt: new Date(Date.parse('2026-01-15T00:00:00Z') - 89 * DAY_MS).toISOString(), outcome: 'done', technicianId: ids.technician });
  await insertOrder({ name: 'W3', ...bjhy, unitId: ids.bjhy102, buildingId: ids.bjhyB1, category: 'repair.electrical', createdAt: '2026-01-15T00:00:00Z', outcome: 'done', contractorCompanyId: ids.a, responsibleContractorId: ids.a });
  await insertOrder({ name: 'P91', ...hjw, unitId: ids.hjw101, buildingId: ids.hjwB1, category: 'repair.waterproofing', createdAt: new Date(Date.parse('2026-01-25T00:00:00Z') - 91 * DAY_MS).toISOString(), outcome: 'done', contractorCompanyId: ids.b });
  await insertOrder({ name: 'W4', ...hjw, unitId: ids.hjw101, buildingId: ids.hjwB1, category: 'repair.waterproofing', createdAt: '2026-01-25T00:00:00Z', outcome: 'done', visits: 2, noShows: 1, contractorCompanyId: ids.b, covered: false });
  await insertOrder({ name: 'W5', ...bjhy, caseId: 'case-doors', unitId: ids.bjhy102, buildingId: ids.bjhyB1, category: 'repair.doors_windows', createdAt: '2026-01-05T00:00:00Z', outcome: 'cancelled', visits: 1, technicianId: ids.technician, responsibleContractorId: ids.b });
  await insertOrder({ name: 'W6', ...bjhy, caseId: 'case-doors', unitId: ids.bjhy102, buildingId: ids.bjhyB1, category: 'repair.doors_windows', createdAt: '2026-01-06T00:00:00Z', outcome: 'done', technicianId: ids.technician, responsibleContractorId: ids.b, chargeBack: { contractorCompanyId: ids.b, fen: 99 } });
  await insertOrder({ name: 'W7', projectId: ids.hpmd, companyId: ids.east, category: 'repair.plumbing', createdAt: '2026-01-31T23:59:59Z', contractorCompanyId: ids.b, responsibleContractorId: ids.b });
  await insertOrder({ name: 'W8', ...bjhy, unitId: ids.bjhy101, buildingId: ids.bjhyB1, category: leak, createdAt: '2026-02-01T00:00:00Z', outcome: 'done', technicianId: ids.technician, responsibleContractorId: ids.a, chargeBack: { contractorCompanyId: ids.a, fen: 500_000 } });
  await insertOrder({ name: 'Z1', projectId: ids.otherProject, companyId: ids.otherCompany, groupId: ids.otherGroup, unitId: ids.otherUnit, buildingId: building.id, category: leak, createdAt: '2026-01-12T00:00:00Z', outcome: 'done', contractorCompanyId: ids.otherContractor, responsibleContractorId: ids.otherContractor, chargeBack: { contractorCompanyId: ids.otherContractor, fen: 777_777 } });

  // March: the contractor ratings' story (see the top).
  for (const [k, name] of [['c', '丙方防水修缮公司'], ['d', '丁方机电维修公司'], ['e', '戊方门窗安装公司'], ['f', '己方装饰工程公司']] as const)
    ids[k] = (await db.contractorCompany.create({ data: { groupId: ids.group, name } })).id;
  const march = (day: number) => `2026-03-${String(day).padStart(2, '0')}T02:00:00Z`;
  const m = { ...bjhy, category: 'repair.plumbing', outcome: 'done' as const };
  for (let i = 1; i <= 4; i++) await insertOrder({ name: `C${i}`, ...m, createdAt: march(i), contractorCompanyId: ids.c });
  await insertOrder({ name: 'C5', ...m, createdAt: march(5), visits: 2, noShows: 1, contractorCompanyId: ids.c });
  for (let i = 1; i <= 5; i++) await insertOrder({ name: `D${i}`, ...m, createdAt: march(i), contractorCompanyId: ids.d });
  await insertOrder({ name: 'T1', ...m, createdAt: march(6), technicianId: ids.technician, responsibleContractorId: ids.d, chargeBack: { contractorCompanyId: ids.d, fen: 15_000 } });
  await insertOrder({ name: 'T2', ...m, createdAt: march(7), technicianId: ids.technician, responsibleContractorId: ids.d, chargeBack: { contractorCompanyId: ids.d, fen: 8_025 } });
  for (let i = 1; i <= 3; i++) await insertOrder({ name: `E${i}`, ...m, createdAt: march(10 + i), contractorCompanyId: ids.e });
  await insertOrder({ name: 'E4', ...m, createdAt: march(14), arrivalBreaches: 1, contractorCompanyId: ids.e });
  await insertOrder({ name: 'E5', ...m, createdAt: march(15), visits: 2, reworks: 1, arrivalBreaches: 1, contractorCompanyId: ids.e });
  await insertOrder({ name: 'T3', ...m, createdAt: march(16), technicianId: ids.technician, responsibleContractorId: ids.e, chargeBack: { contractorCompanyId: ids.e, fen: 5_000 } });
  for (let i = 1; i <= 2; i++) await insertOrder({ name: `F${i}`, ...m, createdAt: march(20 + i), contractorCompanyId: ids.f });
  await insertOrder({ name: 'F3', ...m, outcome: null, createdAt: march(23), contractorCompanyId: ids.f, responsibleContractorId: ids.f });
  await insertOrder({ name: 'F4', ...m, outcome: 'cancelled', visits: 1, createdAt: march(24), contractorCompanyId: ids.f });

  for (const u of ['manager.group', 'manager.company', 'manager.project', 'supervisor.group', 'agent.group', 'handler.group', 'salesmgr.group', 'admin', 'technician.project', 'zx.manager']) tokens.set(u, await stack.login(u));
});
afterAll(async () => {
  await stack?.close();
});

const row = (over: Record<string, unknown>) => expect.objectContaining(over);

describe('repair report', () => {
  it('rates first-time fix overall and by the technician or contractor who did the work', async () => {
    const a = await as('manager.group', `/api/reports/repairs?${PERIOD}`);
    expect(a.status, a.text).toBe(200);
    expect(a.body).toMatchObject({ from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z', workOrders: 7 });
    // Done: W1, W6 (technician, both first time), W2 (B, a rework), W4 (B, an owner no-show), W3 (A, first time). W5 cancelled, W7 open.
    expect(a.body.firstTimeFix.overall).toEqual({ assigneeKind: null, assigneeId: null, label: '合计', done: 5, firstTimeFixed: 3, firstTimeFixPct: 60, reworks: 1, noShows: 1, arrivalBreaches: 2 });
    expect(a.body.firstTimeFix.byAssignee).toHaveLength(3);
    expect(a.body.firstTimeFix.byAssignee).toEqual(
      expect.arrayContaining([
        { assigneeKind: 'technician', assigneeId: ids.technician, label: ids.technicianName, done: 2, firstTimeFixed: 2, firstTimeFixPct: 100, reworks: 0, noShows: 0, arrivalBreaches: 0 },
        { assigneeKind: 'contractor', assigneeId: ids.b, label: '乙方水电安装公司', done: 2, firstTimeFixed: 0, firstTimeFixPct: 0, reworks: 1, noShows: 1, arrivalBreaches: 2 },
        { assigneeKind: 'contractor', assigneeId: ids.a, label: '甲方防水工程公司', done: 1, firstTimeFixed: 1, firstTimeFixPct: 100, reworks: 0, noShows: 0, arrivalBreaches: 0 },
      ]),
    );
    expect(a.body.firstTimeFix.byAssignee[2].assigneeId).toBe(ids.a);
  });

  it('lists repeat repairs of a unit and category within 90 days (89 days is one, 91 is not; the same case’s second order is not)', async () => {
    const a = await as('manager.group', `/api/reports/repairs?${PERIOD}`);
    expect(a.body.repeats.count).toBe(2);
    expect(a.body.repeats.items).toEqual([
      {
        workOrderId: wo.W2,
        number: 'WO-20260120-0002',
        createdAt: '2026-01-20T00:00:00.000Z',
        previousWorkOrderId: wo.W1,
        previousNumber: 'WO-20260110-0001',
        previousCreatedAt: '2026-01-10T00:00:00.000Z',
        daysSincePrevious: 10,
        projectId: ids.bjhy,
        projectName: '滨江花园',
        unitId: ids.bjhy101,
        unitLabel: '1栋-101',
        category: 'repair.plumbing.leak',
        categoryLabel: '报修 / 给排水 / 管道漏水',
      },
      row({ workOrderId: wo.W3, previousWorkOrderId: wo.P89, previousCreatedAt: '2025-10-18T00:00:00.000Z', daysSincePrevious: 89, unitLabel: '1栋-102', categoryLabel: '报修 / 电气' }),
    ]);
    const en = await as('manager.group', `/api/reports/repairs?${PERIOD}`, { 'accept-language': 'en' });
    expect(en.body.repeats.items[0].categoryLabel).toBe('Repair › Plumbing › Pipe leak');
    // W8 (at the period's end) would be a repeat of W2: it is counted in the next period.
    const next = await as('manager.group', '/api/reports/repairs?from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z');
    expect(next.body.repeats.items).toEqual([row({ workOrderId: wo.W8, previousWorkOrderId: wo.W2, daysSincePrevious: 12 })]);
  });

  it('counts defects by responsible contractor, category and building, leaving out cancelled orders', async () => {
    const a = await as('manager.group', `/api/reports/repairs?${PERIOD}`);
    const d = a.body.defects;
    expect(d.total).toEqual({ key: 'all', label: '合计', defects: 6, inWarranty: 5, done: 5, repeats: 2 });
    expect(d.byContractor).toEqual([
      { key: ids.a, label: '甲方防水工程公司', defects: 3, inWarranty: 3, done: 3, repeats: 2 },
      { key: ids.b, label: '乙方水电安装公司', defects: 2, inWarranty: 2, done: 1, repeats: 0 },
      { key: null, label: '未确定责任单位', defects: 1, inWarranty: 0, done: 1, repeats: 0 },
    ]);
    expect(d.byCategory).toEqual([
      { key: 'repair.plumbing.leak', label: '报修 / 给排水 / 管道漏水', defects: 2, inWarranty: 2, done: 2, repeats: 1 },
      ...[
        { key: 'repair.doors_windows', label: '报修 / 门窗', defects: 1, inWarranty: 1, done: 1, repeats: 0 },
        { key: 'repair.electrical', label: '报修 / 电气', defects: 1, inWarranty: 1, done: 1, repeats: 1 },
        { key: 'repair.plumbing', label: '报修 / 给排水', defects: 1, inWarranty: 1, done: 0, repeats: 0 },
        { key: 'repair.waterproofing', label: '报修 / 防水', defects: 1, inWarranty: 0, done: 1, repeats: 0 },
      ].sort((x, y) => x.label.localeCompare(y.label, 'zh-Hans-CN')),
    ]);
    expect(d.byBuilding).toEqual([
      { key: ids.bjhyB1, label: '滨江花园 · 1栋', defects: 4, inWarranty: 4, done: 4, repeats: 2 },
      ...[
        { key: ids.hjwB1, label: '海景湾 · 1栋', defects: 1, inWarranty: 0, done: 1, repeats: 0 },
        { key: null, label: '未指定楼栋', defects: 1, inWarranty: 1, done: 0, repeats: 0 },
      ].sort((x, y) => x.label.localeCompare(y.label, 'zh-Hans-CN')),
    ]);
    const en = await as('manager.group', `/api/reports/repairs?${PERIOD}`, { 'accept-language': 'en' });
    expect(en.body.defects.byContractor[2].label).toBe('No responsible contractor');
  });

  it('sums the charge-backs per contractor in yuan with two decimals', async () => {
    const a = await as('manager.group', `/api/reports/repairs?${PERIOD}`);
    expect(a.body.chargeBacks).toEqual({
      total: '421.49',
      workOrders: 3,
      byContractor: [
        { contractorCompanyId: ids.a, label: '甲方防水工程公司', workOrders: 2, amount: '420.50' },
        { contractorCompanyId: ids.b, label: '乙方水电安装公司', workOrders: 1, amount: '0.99' },
      ],
    });
    expect([yuanOf(0), yuanOf(5), yuanOf(100), yuanOf('123456789012345678'), yuanOf(-250)]).toEqual(['0.00', '0.05', '1.00', '1234567890123456.78', '-2.50']);
  });

  it('narrows to the caller’s company or project, and to a project of its scope on request', async () => {
    // HX-EAST: 滨江花园 and 湖畔名邸, not 海景湾's W4.
    const company = await as('manager.company', `/api/reports/repairs?${PERIOD}`);
    expect(company.status, company.text).toBe(200);
    expect(company.body.workOrders).toBe(6);
    expect(company.body.firstTimeFix.overall).toMatchObject({ done: 4, firstTimeFixed: 3, firstTimeFixPct: 75, noShows: 0 });
    expect(company.body.defects.byBuilding.map((r: { key: string | null }) => r.key)).not.toContain(ids.hjwB1);
    const project = await as('manager.project', `/api/reports/repairs?${PERIOD}`);
    expect(project.body.workOrders).toBe(5);
    expect(project.body.defects.total).toMatchObject({ defects: 4, repeats: 2 });
    expect(project.body.chargeBacks.total).toBe('421.49');
    const one = await as('manager.group', `/api/reports/repairs?${PERIOD}&projectId=${ids.hjw}`);
    expect(one.body.workOrders).toBe(1);
    expect(one.body.chargeBacks).toEqual({ total: '0.00', workOrders: 0, byContractor: [] });
    expect(one.body.repeats).toEqual({ count: 0, items: [] });
    expectProblem(await as('manager.company', `/api/reports/repairs?${PERIOD}&projectId=${ids.hjw}`), 403, 'OUT_OF_SCOPE');
    expectProblem(await as('manager.project', `/api/reports/repairs?${PERIOD}&projectId=${ids.hpmd}`), 403, 'OUT_OF_SCOPE');
  });

  it('never counts another organisation’s work orders', async () => {
    const ours = await as('manager.group', `/api/reports/repairs?${PERIOD}`);
    expect(JSON.stringify(ours.body)).not.toContain(ids.otherContractor);
    const theirs = await as('zx.manager', `/api/reports/repairs?${PERIOD}`);
    expect(theirs.status, theirs.text).toBe(200);
    expect(theirs.body.workOrders).toBe(1);
    expect(theirs.body.chargeBacks.byContractor).toEqual([{ contractorCompanyId: ids.otherContractor, label: '正信合作施工队', workOrders: 1, amount: '7777.77' }]);
    expect(theirs.body.repeats.count).toBe(0);
    expectProblem(await as('zx.manager', `/api/reports/repairs?${PERIOD}&projectId=${ids.bjhy}`), 404, 'NOT_FOUND');
  });

  it('answers an empty period with zeros and nulls', async () => {
    const a = await as('manager.group', '/api/reports/repairs?from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z');
    expect(a.status, a.text).toBe(200);
    expect(a.body).toEqual({
      from: '2025-01-01T00:00:00.000Z',
      to: '2025-02-01T00:00:00.000Z',
      workOrders: 0,
      firstTimeFix: { overall: { assigneeKind: null, assigneeId: null, label: '合计', done: 0, firstTimeFixed: 0, firstTimeFixPct: null, reworks: 0, noShows: 0, arrivalBreaches: 0 }, byAssignee: [] },
      repeats: { count: 0, items: [] },
      defects: { total: { key: 'all', label: '合计', defects: 0, inWarranty: 0, done: 0, repeats: 0 }, byContractor: [], byCategory: [], byBuilding: [] },
      chargeBacks: { total: '0.00', workOrders: 0, byContractor: [] },
      contractorRatings: { thresholds: { minDoneOrders: 5, minFirstTimeFixPct: 80, maxLatePct: 10, maxRejectedPct: 10 }, byContractor: [] },
    });
  });

  const MARCH = 'from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z';
  const rating = (o: Record<string, unknown>) => ({
    workOrders: 5, done: 5, firstTimeFixed: 5, visits: 5, arrivalBreaches: 0, reworks: 0, noShows: 0, defects: 0, chargeBackOrders: 0,
    firstTimeFixPct: 100, latePct: 0, rejectedPct: 0, score: 100, shortfalls: [], deductAmount: '0.00', ...o,
  });
  const marchRatings = () => [
    rating({ contractorCompanyId: ids.c, label: '丙方防水修缮公司', firstTimeFixed: 4, visits: 6, noShows: 1, firstTimeFixPct: 80, score: 90, recommendation: 'release' }),
    rating({ contractorCompanyId: ids.d, label: '丁方机电维修公司', defects: 2, chargeBackOrders: 2, recommendation: 'deduct', deductAmount: '230.25' }),
    rating({
      contractorCompanyId: ids.e, label: '戊方门窗安装公司', firstTimeFixed: 4, visits: 6, arrivalBreaches: 2, reworks: 1, defects: 1, chargeBackOrders: 1,
      firstTimeFixPct: 80, latePct: 33.3, rejectedPct: 16.7, score: 78, recommendation: 'hold', shortfalls: ['late', 'rejected'], deductAmount: '50.00',
    }),
    rating({ contractorCompanyId: ids.f, label: '己方装饰工程公司', workOrders: 3, done: 2, firstTimeFixed: 2, visits: 2, defects: 1, recommendation: 'insufficient_data' }),
  ];

  it('rates each contractor company and recommends what to do with its warranty retention: release, deduct, hold, too little to judge', async () => {
    const a = await as('manager.group', `/api/reports/repairs?${MARCH}`);
    expect(a.status, a.text).toBe(200);
    expect(a.body.contractorRatings).toEqual({ thresholds: { minDoneOrders: 5, minFirstTimeFixPct: 80, maxLatePct: 10, maxRejectedPct: 10 }, byContractor: marchRatings() });
    // The technician's work is in the first-time-fix table, never rated as a contractor.
    expect(a.body.firstTimeFix.byAssignee.map((r: { assigneeId: string }) => r.assigneeId)).toContain(ids.technician);
    expect(a.body.chargeBacks.total).toBe('280.25');
  });

  it('rates January’s contractors too: both did too little to judge, and 甲方 still owes its charge-backs', async () => {
    const a = await as('manager.group', `/api/reports/repairs?${PERIOD}`);
    // 乙方 B: holds W2, W4 (done) and W7 (open); 2 of 4 visits late, 1 of 3 sign-offs rejected, answers for W6 and W7:
    // score 0 + 25 × 2/4 + 25 × 2/3 = 29.17. 甲方 A: W3 done first time, answers for W1–W3, charged back 420.50.
    expect(a.body.contractorRatings.byContractor).toEqual([
      rating({
        contractorCompanyId: ids.b, label: '乙方水电安装公司', workOrders: 3, done: 2, firstTimeFixed: 0, visits: 4, arrivalBreaches: 2, reworks: 1, noShows: 1, defects: 2, chargeBackOrders: 1,
        firstTimeFixPct: 0, latePct: 50, rejectedPct: 33.3, score: 29, recommendation: 'insufficient_data', deductAmount: '0.99',
      }),
      rating({ contractorCompanyId: ids.a, label: '甲方防水工程公司', workOrders: 1, done: 1, firstTimeFixed: 1, visits: 1, defects: 3, chargeBackOrders: 2, recommendation: 'insufficient_data', deductAmount: '420.50' }),
    ]);
    const theirs = await as('zx.manager', `/api/reports/repairs?${PERIOD}`);
    expect(theirs.body.contractorRatings.byContractor).toEqual([
      rating({ contractorCompanyId: ids.otherContractor, label: '正信合作施工队', workOrders: 1, done: 1, firstTimeFixed: 1, visits: 1, defects: 1, chargeBackOrders: 1, recommendation: 'insufficient_data', deductAmount: '7777.77' }),
    ]);
  });

  it('judges by the thresholds the group sets in its warranty settings', async () => {
    const put = (json: unknown) => call(stack, 'PUT', '/api/warranty-settings', { token: tokens.get('admin')!, json });
    const bad = await put({ retention: { minDoneOrders: 0, maxLatePct: 101 } });
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(errorPaths(bad).sort()).toEqual(['body.retention.maxLatePct', 'body.retention.minDoneOrders']);
    const saved = await put({ retention: { minDoneOrders: 2, minFirstTimeFixPct: 81 } });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.settings.retention).toEqual({ minDoneOrders: 2, minFirstTimeFixPct: 81, maxLatePct: 10, maxRejectedPct: 10 });
    expect(saved.body.defaults.retention).toEqual({ minDoneOrders: 5, minFirstTimeFixPct: 80, maxLatePct: 10, maxRejectedPct: 10 });
    try {
      const a = await as('manager.group', `/api/reports/repairs?${MARCH}`);
      expect(a.body.contractorRatings.thresholds).toEqual({ minDoneOrders: 2, minFirstTimeFixPct: 81, maxLatePct: 10, maxRejectedPct: 10 });
      // 80 % no longer passes; 2 done orders are enough to judge 己方.
      expect(a.body.contractorRatings.byContractor.map((r: { recommendation: string; shortfalls: string[] }) => [r.recommendation, r.shortfalls])).toEqual([
        ['hold', ['first_time_fix']],
        ['deduct', []],
        ['hold', ['first_time_fix', 'late', 'rejected']],
        ['release', []],
      ]);
    } finally {
      expect((await put({})).body.settings.retention).toEqual({ minDoneOrders: 5, minFirstTimeFixPct: 80, maxLatePct: 10, maxRejectedPct: 10 });
    }
  });

  it('is for managers and supervisors, as the SLA report', async () => {
    expect((await as('supervisor.group', `/api/reports/repairs?${PERIOD}`)).status).toBe(200);
    for (const u of ['agent.group', 'handler.group', 'salesmgr.group', 'admin', 'technician.project']) expectProblem(await as(u, `/api/reports/repairs?${PERIOD}`), 403, 'FORBIDDEN');
    expectProblem(await call(stack, 'GET', `/api/reports/repairs?${PERIOD}`), 401, 'UNAUTHENTICATED');
  });

  it('refuses a bad query with 400', async () => {
    for (const q of ['table=weather', 'from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'from=yesterday', 'projectId=', 'timeZone=Mars/Olympus'])
      expectProblem(await as('manager.group', `/api/reports/repairs?${q}`), 400, 'VALIDATION_FAILED');
  });

  it('downloads each table as CSV with headers in the caller’s language', async () => {
    const csv = async (table: string, lang = 'zh-CN') => {
      const a = await as('manager.group', `/api/reports/repairs?${PERIOD}&table=${table}`, { accept: 'text/csv', 'accept-language': lang });
      expect(a.status, a.text).toBe(200);
      expect(a.contentType).toBe('text/csv; charset=utf-8');
      expect(a.headers.get('content-disposition')).toBe(`attachment; filename="repair-report-${table}-2026-01-01-2026-02-01.csv"`);
      return a.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    };
    const ftf = await csv('first-time-fix');
    expect(ftf[0]).toBe('维修人/单位,类型,已完成工单,一次修复,一次修复率(%),返工次数,爽约次数,上门超时次数,维修人/单位代码');
    expect(ftf).toHaveLength(5);
    expect(ftf).toContain(`乙方水电安装公司,承包商,2,0,0,1,1,2,${ids.b}`);
    expect(ftf.at(-1)).toBe('合计,,5,3,60,1,1,2,all');
    const raw = Buffer.from(
      await (await fetch(`${stack.baseUrl}/api/reports/repairs?${PERIOD}`, { headers: { accept: 'text/csv', authorization: `Bearer ${tokens.get('manager.group')}` } })).arrayBuffer(),
    );
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect((await csv('first-time-fix', 'en'))[0]).toBe('Technician or contractor,Kind,Work orders done,Fixed first time,First-time fix rate (%),Reworks,No-shows,Arrivals late,Assignee id');

    const repeats = await csv('repeats');
    expect(repeats).toEqual([
      '维修单号,创建时间,前次维修单号,前次创建时间,间隔天数,项目,房号,分类,时区',
      'WO-20260120-0002,2026-01-20T08:00:00+08:00,WO-20260110-0001,2026-01-10T08:00:00+08:00,10,滨江花园,1栋-101,报修 / 给排水 / 管道漏水,Asia/Shanghai',
      expect.stringMatching(/^WO-20260115-\d{4},2026-01-15T08:00:00\+08:00,WO-20251018-\d{4},2025-10-18T08:00:00\+08:00,89,滨江花园,1栋-102,报修 \/ 电气,Asia\/Shanghai$/),
    ]);
    const utc = await as('manager.group', `/api/reports/repairs?${PERIOD}&table=repeats&timeZone=UTC`, { accept: 'text/csv', 'accept-language': 'en' });
    expect(utc.text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('Work order,Created at,Previous work order,Previous created at,Days since previous,Project,Unit,Category,Time zone');
    expect(utc.text.split('\r\n')[1]).toBe('WO-20260120-0002,2026-01-20T00:00:00Z,WO-20260110-0001,2026-01-10T00:00:00Z,10,滨江花园,1栋-101,Repair › Plumbing › Pipe leak,UTC');

    const contractors = await csv('contractors');
    expect(contractors).toEqual([
      '责任单位,问题数,保内,已完成,重复维修,分组代码',
      `甲方防水工程公司,3,3,3,2,${ids.a}`,
      `乙方水电安装公司,2,2,1,0,${ids.b}`,
      '未确定责任单位,1,0,1,0,',
      '合计,6,5,5,2,all',
    ]);
    expect((await csv('categories'))[0]).toBe('分类,问题数,保内,已完成,重复维修,分组代码');
    expect((await csv('buildings'))[1]).toBe(`滨江花园 · 1栋,4,4,4,2,${ids.bjhyB1}`);
    const ratings = async (lang: string) => {
      const a = await as('manager.group', `/api/reports/repairs?${MARCH}&table=contractor-ratings`, { accept: 'text/csv', 'accept-language': lang });
      expect(a.status, a.text).toBe(200);
      expect(a.headers.get('content-disposition')).toBe('attachment; filename="repair-report-contractor-ratings-2026-03-01-2026-04-01.csv"');
      return a.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    };
    expect(await ratings('zh-CN')).toEqual([
      '承包商,保修尾款建议,应扣保修款(元),评分(0-100),承接工单,已完成工单,一次修复,一次修复率(%),上门次数,上门超时次数,上门超时率(%),返工次数,验收驳回率(%),爽约次数,问题数,扣款工单数,未达标项,承包商代码',
      `丙方防水修缮公司,全额返还,0.00,90,5,5,4,80,6,0,0,0,0,1,0,0,,${ids.c}`,
      `丁方机电维修公司,扣减后返还,230.25,100,5,5,5,100,5,0,0,0,0,0,2,2,,${ids.d}`,
      `戊方门窗安装公司,暂缓返还,50.00,78,5,5,4,80,6,2,33.3,1,16.7,0,1,1,上门超时率超过上限；验收驳回率超过上限,${ids.e}`,
      `己方装饰工程公司,样本不足,0.00,100,3,2,2,100,2,0,0,0,0,0,1,0,,${ids.f}`,
    ]);
    const en = await ratings('en');
    expect(en[0]).toBe(
      'Contractor,Retention recommendation,To deduct (CNY),Score (0–100),Work orders held,Work orders done,Fixed first time,First-time fix rate (%),Visits,Arrivals late,Late arrivals (%),Reworks,Rejected sign-offs (%),No-shows,Defects,Work orders charged back,Thresholds missed,Contractor id',
    );
    expect(en[3]).toBe(`戊方门窗安装公司,Hold,50.00,78,5,5,4,80,6,2,33.3,1,16.7,0,1,1,Late arrivals above the maximum; Rejected sign-offs above the maximum,${ids.e}`);
    expect(en[2]).toMatch(/^丁方机电维修公司,Release less charge-backs,230\.25,100,/);

    expect(await csv('charge-backs', 'en')).toEqual([
      'Responsible contractor,Work orders charged back,Charged back (CNY),Group key',
      `甲方防水工程公司,2,420.50,${ids.a}`,
      `乙方水电安装公司,1,0.99,${ids.b}`,
      'Total,3,421.49,all',
    ]);
  });
});
