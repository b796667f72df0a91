import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { findSeededPlaces } from '../support/read-model.js';
import { call, expectProblem, type Answer } from './http.js';

/**
 * The lead report's arithmetic on read-model rows written straight into the database (as the lead
 * workflow's projection would), so every expected figure can be worked out by hand.
 */
let stack: TestStack;
const tokens = new Map<string, string>();
const as = (user: string, path: string, headers: Record<string, string> = {}): Promise<Answer> =>
  call(stack, 'GET', path, { token: tokens.get(user)!, headers });

const PERIOD = 'from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z';
const at = (iso: string) => new Date(iso);
const ids = { group: '', east: '', south: '', bjhy: '', hpmd: '', hjw: '', sales: '', salesmgr: '', salesCompany: '', salesGroup: '', customer: '' };

let n = 0;
async function insertLead(o: {
  projectId: string;
  companyId: string;
  source: string;
  grade: string;
  status: string;
  ownerId: string | null;
  createdAt: string;
  firstContactDueAt: string;
  firstTouchAt?: string;
  convertedAt?: string;
  lostReason?: string;
  reviewDecision?: string;
}) {
  n++;
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  await stack.db.lead.create({
    data: {
      id,
      number: `LD-20260105-${String(n).padStart(4, '0')}`,
      workflowId: `lead-${id}`,
      groupId: ids.group,
      companyId: o.companyId,
      projectId: o.projectId,
      customerId: ids.customer,
      source: o.source,
      grade: o.grade,
      status: o.status,
      ownerId: o.ownerId,
      createdById: ids.salesmgr,
      createdAt: at(o.createdAt),
      firstContactDueAt: at(o.firstContactDueAt),
      firstTouchAt: o.firstTouchAt ? at(o.firstTouchAt) : null,
      lastTouchAt: o.firstTouchAt ? at(o.firstTouchAt) : null,
      touchCount: o.firstTouchAt ? 1 : 0,
      convertedAt: o.convertedAt ? at(o.convertedAt) : null,
      convertedUnitId: o.convertedAt ? 'unit' : null,
      convertedPrice: o.convertedAt ? '1000000.00' : null,
      convertedDeposit: o.convertedAt ? '20000.00' : null,
      lostReason: o.lostReason ?? null,
      lostAt: o.lostReason ? at(o.createdAt) : null,
      reviewDecision: o.reviewDecision ?? null,
      pooledAt: o.status === 'pooled' ? at(o.createdAt) : null,
      closedAt: o.status === 'closed' || o.status === 'converted' ? at(o.convertedAt ?? o.createdAt) : null,
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
  ids.customer = (await db.customer.findFirstOrThrow({ where: { phone: '13900139002' } })).id;
  const bjhy = { projectId: ids.bjhy, companyId: ids.east };

  // L1 滨江花园, web, A: touched within target (10 h after arrival, due in 24 h), converted after 10 days.
  await insertLead({ ...bjhy, source: 'web', grade: 'A', status: 'converted', ownerId: ids.salesmgr, createdAt: '2026-01-05T00:00:00Z', firstContactDueAt: '2026-01-06T00:00:00Z', firstTouchAt: '2026-01-05T10:00:00Z', convertedAt: '2026-01-15T00:00:00Z' });
  // L2 滨江花园, web, B: first touch a day late, converted after 20 days.
  await insertLead({ ...bjhy, source: 'web', grade: 'B', status: 'converted', ownerId: ids.sales, createdAt: '2026-01-10T00:00:00Z', firstContactDueAt: '2026-01-13T00:00:00Z', firstTouchAt: '2026-01-14T00:00:00Z', convertedAt: '2026-01-30T00:00:00Z' });
  // L3 滨江花园, referral, B: never touched (deadline long past), lost for price, awaiting review.
  await insertLead({ ...bjhy, source: 'referral', grade: 'B', status: 'lost_pending_review', ownerId: ids.sales, createdAt: '2026-01-12T00:00:00Z', firstContactDueAt: '2026-01-15T00:00:00Z', lostReason: 'price' });
  // L4 湖畔名邸, referral, C: untouched, its first-contact deadline still ahead: counts in neither.
  await insertLead({ projectId: ids.hpmd, companyId: ids.east, source: 'referral', grade: 'C', status: 'new', ownerId: ids.salesCompany, createdAt: '2026-01-20T00:00:00Z', firstContactDueAt: '2099-01-01T00:00:00Z' });
  // L5 海景湾, web, A: touched within target, lost to a competitor, closed by the review.
  await insertLead({ projectId: ids.hjw, companyId: ids.south, source: 'web', grade: 'A', status: 'closed', ownerId: ids.salesGroup, createdAt: '2026-01-25T00:00:00Z', firstContactDueAt: '2026-01-26T00:00:00Z', firstTouchAt: '2026-01-25T01:00:00Z', lostReason: 'competitor', reviewDecision: 'close' });
  // L6 海景湾, call, B: never touched, back in the pool without an owner.
  await insertLead({ projectId: ids.hjw, companyId: ids.south, source: 'call', grade: 'B', status: 'pooled', ownerId: null, createdAt: '2026-01-28T00:00:00Z', firstContactDueAt: '2026-01-31T00:00:00Z' });
  // L7 滨江花园, before the period: in no figure.
  await insertLead({ ...bjhy, source: 'web', grade: 'A', status: 'converted', ownerId: ids.sales, createdAt: '2025-12-31T23:59:59Z', firstContactDueAt: '2026-01-01T23:59:59Z', firstTouchAt: '2026-01-01T00:00:00Z', convertedAt: '2026-01-02T00:00:00Z' });
  // L8 滨江花园, event, B: lost for price, then reassigned by the review and touched in time: open again, not lost.
  await insertLead({ ...bjhy, source: 'event', grade: 'B', status: 'contacting', ownerId: ids.sales, createdAt: '2026-01-15T00:00:00Z', firstContactDueAt: '2026-01-18T00:00:00Z', firstTouchAt: '2026-01-16T00:00:00Z', lostReason: 'price', reviewDecision: 'reassign' });

  for (const u of ['salesmgr.group', 'salesmgr.company', 'manager.project', 'manager.group', 'sales.group', 'specialist.group', 'supervisor.group', 'admin']) tokens.set(u, await stack.login(u));
});
afterAll(async () => {
  await stack?.close();
});

const row = (over: Record<string, unknown>) => expect.objectContaining(over);

describe('lead report', () => {
  it('totals the period: contacted within target, conversion, median days to convert, losses by reason', async () => {
    const a = await as('salesmgr.group', `/api/reports/leads?${PERIOD}&groupBy=source`);
    expect(a.status, a.text).toBe(200);
    expect(a.body).toMatchObject({ from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z', groupBy: 'source' });
    expect(a.body.totals).toEqual({
      key: 'all',
      label: '合计',
      leads: 7,
      open: 3, // L4 new, L6 pooled, L8 contacting
      pooled: 1,
      contacted: 4, // L1, L2, L5, L8
      contactedWithinTarget: 3, // L1, L5, L8
      firstContactMissed: 3, // L2 late; L3 and L6 untouched past the deadline (L4's is ahead)
      contactedWithinTargetPct: 50,
      converted: 2,
      conversionPct: 28.6, // 2 of 7
      medianDaysToConvert: 15, // 10 and 20 days
      lost: 2, // L3 and L5; L8 was revived by its review
      lossReasons: { competitor: 1, price: 1 },
    });
  });

  it('groups by source with labels in the caller’s language', async () => {
    const a = await as('salesmgr.group', `/api/reports/leads?${PERIOD}&groupBy=source`);
    expect(a.body.groups.map((g: { key: string }) => g.key)).toEqual(['call', 'event', 'referral', 'web']);
    const [call_, event, referral, web] = a.body.groups;
    expect(call_).toMatchObject({ label: '来电', leads: 1, pooled: 1, contacted: 0, firstContactMissed: 1, contactedWithinTargetPct: 0, conversionPct: 0 });
    expect(event).toMatchObject({ label: '活动', leads: 1, contactedWithinTarget: 1, contactedWithinTargetPct: 100, lost: 0, lossReasons: {} });
    expect(referral).toMatchObject({
      label: '老带新',
      leads: 2,
      contacted: 0,
      contactedWithinTarget: 0,
      firstContactMissed: 1,
      contactedWithinTargetPct: 0,
      converted: 0,
      medianDaysToConvert: null,
      lost: 1,
      lossReasons: { price: 1 },
    });
    expect(web).toMatchObject({
      label: '官网',
      leads: 3,
      contacted: 3,
      contactedWithinTarget: 2,
      firstContactMissed: 1,
      contactedWithinTargetPct: 66.7,
      converted: 2,
      conversionPct: 66.7,
      medianDaysToConvert: 15,
      lost: 1,
      lossReasons: { competitor: 1 },
    });
  });

  it('groups by grade, by owner (the pool last) and by project, with names', async () => {
    const byGrade = await as('salesmgr.group', `/api/reports/leads?${PERIOD}&groupBy=grade`);
    expect(byGrade.body.groups.map((g: { key: string; label: string; leads: number }) => [g.key, g.label, g.leads])).toEqual([
      ['A', 'A级', 2],
      ['B', 'B级', 4],
      ['C', 'C级', 1],
    ]);
    const inEnglish = await as('salesmgr.group', `/api/reports/leads?${PERIOD}&groupBy=grade`, { 'accept-language': 'en' });
    expect(inEnglish.headers.get('content-language')).toBe('en');
    expect(inEnglish.body.groups.map((g: { label: string }) => g.label)).toEqual(['Grade A', 'Grade B', 'Grade C']);
    expect(inEnglish.body.totals.label).toBe('Total');
    const byOwner = await as('salesmgr.group', `/api/reports/leads?${PERIOD}&groupBy=owner`);
    expect(byOwner.body.groups.at(-1)).toMatchObject({ key: null, label: '公共池（无负责人）', leads: 1 });
    expect(byOwner.body.groups).toEqual(
      expect.arrayContaining([
        row({ key: ids.sales, label: '项目置业顾问', leads: 3, converted: 1, lost: 1 }),
        row({ key: ids.salesmgr, label: '项目销售经理', leads: 1, converted: 1, medianDaysToConvert: 10 }),
      ]),
    );
    const byProject = await as('salesmgr.group', `/api/reports/leads?${PERIOD}&groupBy=project`);
    expect(byProject.body.groups).toEqual(
      expect.arrayContaining([
        row({ key: ids.bjhy, label: '滨江花园', leads: 4 }),
        row({ key: ids.hpmd, label: '湖畔名邸', leads: 1 }),
        row({ key: ids.hjw, label: '海景湾', leads: 2 }),
      ]),
    );
    expect(byProject.body.groups).toHaveLength(3);
  });

  it('narrows to the caller’s company or project, and to a project of its scope on request', async () => {
    const company = await as('salesmgr.company', `/api/reports/leads?${PERIOD}&groupBy=project`);
    expect(company.body.groups.map((g: { label: string }) => g.label).sort()).toEqual(['湖畔名邸', '滨江花园'].sort());
    expect(company.body.totals).toMatchObject({ leads: 5, converted: 2, lost: 1, lossReasons: { price: 1 } });
    const project = await as('manager.project', `/api/reports/leads?${PERIOD}`);
    expect(project.body.totals).toMatchObject({ leads: 4, contactedWithinTarget: 2, firstContactMissed: 2, contactedWithinTargetPct: 50 });
    const one = await as('salesmgr.group', `/api/reports/leads?${PERIOD}&projectId=${ids.hjw}`);
    expect(one.body.totals).toMatchObject({ leads: 2, lossReasons: { competitor: 1 } });
    expectProblem(await as('salesmgr.company', `/api/reports/leads?${PERIOD}&projectId=${ids.hjw}`), 403, 'OUT_OF_SCOPE');
  });

  it('answers an empty period with zero totals', async () => {
    const a = await as('salesmgr.group', '/api/reports/leads?from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z');
    expect(a.body.groups).toEqual([]);
    expect(a.body.totals).toMatchObject({ leads: 0, contactedWithinTargetPct: null, conversionPct: null, medianDaysToConvert: null, lossReasons: {} });
  });

  it('refuses an empty period and an unknown grouping with 400', async () => {
    expectProblem(await as('salesmgr.group', '/api/reports/leads?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z'), 400, 'VALIDATION_FAILED');
    expectProblem(await as('salesmgr.group', '/api/reports/leads?groupBy=weather'), 400, 'VALIDATION_FAILED');
  });

  it('is for sales managers and managers only', async () => {
    expect((await as('manager.group', `/api/reports/leads?${PERIOD}`)).status).toBe(200);
    for (const u of ['sales.group', 'specialist.group', 'supervisor.group', 'admin']) expectProblem(await as(u, `/api/reports/leads?${PERIOD}`), 403, 'FORBIDDEN');
  });

  it('answers as CSV with a BOM, one column per loss reason, and the totals row last', async () => {
    const a = await as('salesmgr.group', `/api/reports/leads?${PERIOD}&groupBy=source`, { accept: 'text/csv' });
    expect(a.status).toBe(200);
    expect(a.contentType).toBe('text/csv; charset=utf-8');
    expect(a.headers.get('content-disposition')).toBe('attachment; filename="lead-report-source-2026-01-01-2026-02-01.csv"');
    const raw = Buffer.from(
      await (await fetch(`${stack.baseUrl}/api/reports/leads?${PERIOD}`, { headers: { accept: 'text/csv', authorization: `Bearer ${tokens.get('salesmgr.group')}` } })).arrayBuffer(),
    );
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = a.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      '分组,线索数,跟进中,公共池,已联系,按时首次联系,首次联系超时,首次联系按时率(%),已成交,转化率(%),成交用时·一般(中位数，天),战败,' +
        '战败·价格不合适,战败·位置不满意,战败·户型不满意,战败·选择竞品,战败·资金或贷款问题,战败·限购政策,战败·联系不上,战败·暂无购房需求,分组代码',
    );
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['来电', '活动', '老带新', '官网', '合计']);
    expect(lines[3]).toBe('老带新,2,1,0,0,0,1,0,0,0,,1,1,0,0,0,0,0,0,0,referral');
    expect(lines[5]).toBe('合计,7,3,1,4,3,3,50,2,28.6,15,2,1,0,0,1,0,0,0,0,all');
    const en = await as('salesmgr.group', `/api/reports/leads?${PERIOD}&groupBy=source`, { accept: 'text/csv', 'accept-language': 'en' });
    const enLines = en.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(enLines[0]!.split(',').slice(0, 3)).toEqual(['Group', 'Leads', 'Open']);
    expect(enLines[0]).toContain(',Lost,Lost: ');
    expect(enLines.slice(1).map((l) => l.split(',')[0])).toEqual(['Phone call', 'Event', 'Referral', 'Website', 'Total']);
  });
});
