import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { call, errorPaths, expectProblem, type Answer } from './http.js';

/**
 * A case shows 保内 / 保外 of the part of the building it is about, with the end and the clause
 * (issue 15): from its category (settings `categoryComponents`), its unit's building's completion
 * acceptance (PATCH /api/buildings/:id), the unit's handover and the organisation's longer periods.
 * The statutory table itself is tested clause by clause in test/unit/warranty.
 */
let stack: TestStack;
const tokens = new Map<string, string>();
const as = (user: string, method: string, path: string, json?: unknown): Promise<Answer> => call(stack, method, path, { token: tokens.get(user)!, json });

const ctx = { groupId: '', companyId: '', projectId: '', unitId: '', buildingId: '', otherUnitId: '', otherBuildingId: '', customerId: '', openerId: '' };
let n = 0;
/** A closed case written into the read model (no workflow to ask), opened at `openedAt`. */
async function caseRow(o: { category: string; openedAt: string; unitId?: string | null }): Promise<string> {
  n++;
  const row = await stack.db.case.create({
    data: {
      number: `CS-20250101-${String(7000 + n)}`, workflowId: `case-warranty-${n}`, groupId: ctx.groupId, companyId: ctx.companyId, projectId: ctx.projectId,
      unitId: o.unitId === undefined ? ctx.unitId : o.unitId, customerId: ctx.customerId, type: o.category.split('.')[0]!, category: o.category, severity: 'minor',
      channel: 'phone', description: '保修测试', status: 'closed', tier: 'PROJECT', policyId: 'default', sla: {}, openedById: ctx.openerId,
      openedAt: new Date(o.openedAt), closedAt: new Date(o.openedAt),
    },
  });
  return row.id;
}
const warrantyOf = async (caseId: string) => {
  const a = await as('handler.project', 'GET', `/api/cases/${caseId}`);
  expect(a.status, a.text).toBe(200);
  return a.body.warranty;
};

beforeAll(async () => {
  stack = await startTestStack({ seed: true });
  for (const u of ['admin', 'admin.company', 'handler.project', 'agent.project', 'manager.group']) tokens.set(u, await stack.login(u));
  const { db } = stack;
  const project = await db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } });
  const buildings = await db.building.findMany({ where: { projectId: project.id }, include: { units: { take: 1 } }, orderBy: { name: 'asc' } });
  const [first, second] = buildings.filter((b) => b.units.length > 0);
  Object.assign(ctx, {
    groupId: project.groupId, companyId: project.companyId, projectId: project.id,
    buildingId: first!.id, unitId: first!.units[0]!.id, otherBuildingId: second!.id, otherUnitId: second!.units[0]!.id,
    customerId: (await db.customer.findFirstOrThrow({ where: { phone: '13800138001', group: { code: 'HX' } } })).id,
    openerId: (await db.user.findUniqueOrThrow({ where: { username: 'agent.project' } })).id,
  });
});
afterAll(async () => {
  await stack?.close();
});

describe("a building's completion acceptance", () => {
  it('is recorded by an administrator, listed with the project, and audited', async () => {
    const patch = await as('admin', 'PATCH', `/api/buildings/${ctx.buildingId}`, { completionAcceptedOn: '2024-03-15' });
    expect(patch.status, patch.text).toBe(200);
    expect(patch.body).toMatchObject({ id: ctx.buildingId, completionAcceptedOn: '2024-03-15', designLifeYears: 50 });
    const list = await as('agent.project', 'GET', `/api/projects/${ctx.projectId}/buildings`);
    expect(list.body.items.find((b: { id: string }) => b.id === ctx.buildingId)).toMatchObject({ completionAcceptedOn: '2024-03-15' });
    const audit = await stack.db.auditEvent.findMany({ where: { streamId: `building:${ctx.buildingId}` } });
    expect(audit.map((e) => [e.type, (e.data as { after: unknown }).after])).toEqual([['building.updated', { completionAcceptedOn: '2024-03-15' }]]);
  });

  it('refuses a bad date or design life with the field, an unknown building with 404, and anyone but an administrator with 403', async () => {
    expect(errorPaths(await as('admin', 'PATCH', `/api/buildings/${ctx.buildingId}`, { completionAcceptedOn: '2024-02-30', designLifeYears: 0 })).sort()).toEqual([
      'body.completionAcceptedOn',
      'body.designLifeYears',
    ]);
    expectProblem(await as('admin', 'PATCH', '/api/buildings/no-such-building', { designLifeYears: 70 }), 404, 'NOT_FOUND');
    expectProblem(await as('handler.project', 'PATCH', `/api/buildings/${ctx.buildingId}`, { designLifeYears: 70 }), 403, 'FORBIDDEN');
  });
});

describe("a case's warranty", () => {
  it('is 保内 on the construction warranty while art. 40 runs, with its last day and clause', async () => {
    const w = await warrantyOf(await caseRow({ category: 'repair.plumbing.blockage', openedAt: '2025-02-01T02:00:00Z' }));
    expect(w).toEqual({
      component: 'pipe_blockage',
      status: 'in',
      lastDay: '2026-03-15',
      endsAt: '2026-03-15T16:00:00.000Z',
      basis: 'construction',
      clause: expect.objectContaining({ code: 'construction.art40.pipe_blockage', zh: expect.stringContaining('第四十条') }),
      reason: null,
    });
  });

  it('is 保外 once the period has ended (the first day after the last one)', async () => {
    const w = await warrantyOf(await caseRow({ category: 'repair.plumbing.blockage', openedAt: '2026-03-15T16:00:00Z' }));
    expect(w).toMatchObject({ status: 'out', lastDay: '2026-03-15', basis: 'construction' });
    const lastDay = await warrantyOf(await caseRow({ category: 'repair.plumbing.blockage', openedAt: '2026-03-15T15:59:59Z' }));
    expect(lastDay).toMatchObject({ status: 'in' });
  });

  it('is unknown, saying why, without a completion date or without a unit; absent for a category about no part of the building', async () => {
    expect(await warrantyOf(await caseRow({ category: 'repair.electrical', openedAt: '2025-02-01T02:00:00Z', unitId: ctx.otherUnitId }))).toMatchObject({
      component: 'electrical_lines',
      status: 'unknown',
      reason: 'COMPLETION_NOT_RECORDED',
    });
    expect(await warrantyOf(await caseRow({ category: 'repair.electrical', openedAt: '2025-02-01T02:00:00Z', unitId: null }))).toMatchObject({ status: 'unknown', reason: 'NO_UNIT' });
    expect(await warrantyOf(await caseRow({ category: 'complaint.service.cleaning', openedAt: '2025-02-01T02:00:00Z' }))).toBeNull();
  });

  it("follows a project's longer period from the warranty settings, and the settings' own category mapping", async () => {
    const late = await caseRow({ category: 'repair.plumbing.blockage', openedAt: '2027-01-01T02:00:00Z' });
    expect(await warrantyOf(late)).toMatchObject({ status: 'out' });
    const put = await as('admin', 'PUT', '/api/warranty-settings', {
      overrides: [{ scope: { projectId: ctx.projectId }, component: 'pipe_blockage', years: 5, from: 'completion' }],
      categoryComponents: [{ prefix: 'repair', component: 'pipe_blockage' }],
    });
    expect(put.status, put.text).toBe(200);
    expect(put.body.defaults.categoryComponents.length).toBeGreaterThan(5);
    expect(await warrantyOf(late)).toMatchObject({ status: 'in', lastDay: '2029-03-15', basis: 'override', clause: expect.objectContaining({ code: 'override.project.pipe_blockage' }) });
    // Every repair is now about pipe blockage (the settings' mapping replaced the defaults).
    expect(await warrantyOf(await caseRow({ category: 'repair.electrical', openedAt: '2025-02-01T02:00:00Z' }))).toMatchObject({ component: 'pipe_blockage' });
    const back = await as('admin', 'PUT', '/api/warranty-settings', {});
    expect(back.body.settings.overrides).toEqual([]);
    expect(await warrantyOf(late)).toMatchObject({ status: 'out' });
  });

  it('settings refuse a bad document with the path of every bad field and keep the stored one; only a group administrator replaces them', async () => {
    const bad = await as('admin', 'PUT', '/api/warranty-settings', {
      overrides: [{ scope: { projectId: ctx.projectId }, component: 'pipe_blockage', from: 'completion' }],
      categoryComponents: [{ prefix: 'Repair!', component: 'pipe_blockage' }],
      seasons: { heating: { start: '02-30', end: '03-15' }, cooling: null },
    });
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(errorPaths(bad).sort()).toEqual(['body.categoryComponents.0.prefix', 'body.overrides.0.years', 'body.seasons.heating']);
    expectProblem(await as('admin.company', 'PUT', '/api/warranty-settings', {}), 403, 'OUT_OF_SCOPE');
    expect((await as('manager.group', 'GET', '/api/warranty-settings')).body.settings.overrides).toEqual([]);
  });
});
