import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Principal, Role, ScopeLevel } from '../../domain/access.js';
import { SLA_GROUP_BYS } from '../../api/reports/schemas.js';
import { findSlaReport } from '../../api/reports/sla-report.js';
import { countSlaBreachedCases, findSlaBreachedCases, findSlaBreaches, type BreachFilter } from '../../app/reports/breaches.js';
import { findTodayOfProjects } from '../../app/org/local-days.js';
import { generateCases, type GeneratedCompany } from '../support/generated-cases.js';
import { legacyCountSlaBreachedCases, legacyFindSlaBreachedCases, legacyFindSlaBreaches, legacySlaReportRows } from '../support/reports-before-14.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * Issue 14 (item 7) rewrote the SLA report's and the breach lists' queries for a million cases
 * (covering indexes, groups and totals in one pass, the page chosen before its rows are read).
 * The figures must not move: on 6,000 generated cases (every outcome, escalations, two
 * years, three companies) each rewritten query answers exactly what the query before it did
 * (frozen in test/support/reports-before-14.ts), for every grouping, scope, period and filter.
 */
let stack: TestStack;
let client: pg.Client;
const principals = new Map<string, Principal>();
const NOW = new Date('2026-11-20T04:00:00Z');
const DAY = 86_400_000;

async function principalOf(username: string): Promise<Principal> {
  const u = await stack.db.user.findUniqueOrThrow({ where: { username } });
  return { id: u.id, username: u.username, role: u.role as Role, groupId: u.groupId, scopeLevel: u.scopeLevel as ScopeLevel, companyId: u.companyId, projectId: u.projectId };
}

beforeAll(async () => {
  stack = await startTestStack({ seed: true });
  client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  const group = await stack.db.group.findFirstOrThrow({ where: { code: 'HX' } });
  const companies = await stack.db.company.findMany({ where: { groupId: group.id }, include: { projects: { select: { id: true } } }, orderBy: { code: 'asc' } });
  const handlers = (await stack.db.user.findMany({ where: { role: 'HANDLER' }, select: { id: true } })).map((u) => u.id);
  const customer = await stack.db.customer.findFirstOrThrow({ where: { groupId: group.id } });
  const opener = await stack.db.user.findUniqueOrThrow({ where: { username: 'manager.company' } });
  const all: GeneratedCompany[] = [
    ...companies.map((c) => ({ id: c.id, projectIds: c.projects.map((p) => p.id) })),
    { id: 'other-company', projectIds: ['other-project-1', 'other-project-2'] },
  ];
  for (const [j, c] of all.entries())
    await generateCases(client, {
      groupId: group.id,
      companies: [c],
      casesPerCompany: 2_000,
      from: new Date(NOW.getTime() - 2 * 365 * DAY),
      to: NOW,
      now: NOW,
      batch: `eq${j}`,
      openedById: opener.id,
      handlerIds: [...handlers, 'handler-x', 'handler-y', 'handler-z'],
      customerId: customer.id,
      seed: 0.2 + j / 10,
    });
  await client.query('ANALYZE case_record; ANALYZE case_target_record; ANALYZE case_escalation');
  for (const u of ['manager.group', 'manager.company', 'supervisor.project']) principals.set(u, await principalOf(u));
}, 180_000);

afterAll(async () => {
  await client?.end();
  await stack?.close();
});

const periods = {
  year: { from: new Date(NOW.getTime() - 365 * DAY), to: NOW },
  month: { from: new Date('2026-10-01T00:00:00+08:00'), to: new Date('2026-11-01T00:00:00+08:00') },
  everything: { from: new Date('2020-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') },
  nothing: { from: new Date('2019-01-01T00:00:00Z'), to: new Date('2019-02-01T00:00:00Z') },
};

describe('the SLA report after the rewrite', () => {
  it('answers every grouping exactly as before, groups and totals, for each scope and period', async () => {
    let compared = 0;
    for (const [username, principal] of principals)
      for (const [periodName, period] of Object.entries(periods))
        for (const groupBy of SLA_GROUP_BYS)
          for (const timeZone of groupBy === 'day' || groupBy === 'week' || groupBy === 'month' ? ['Asia/Shanghai', 'America/New_York'] : ['Asia/Shanghai']) {
            const scope = { principal, ...period, timeZone };
            const now = await findSlaReport(stack.db, scope, groupBy);
            const [groups, [totals]] = await Promise.all([legacySlaReportRows(stack.db, scope, groupBy), legacySlaReportRows(stack.db, scope, 'all')]);
            expect({ who: username, period: periodName, groupBy, timeZone, ...now }).toEqual({ who: username, period: periodName, groupBy, timeZone, groups, totals });
            compared++;
          }
    expect(compared).toBe(3 * 4 * (SLA_GROUP_BYS.length + 3));
  });

  it('compares figures that are there to be wrong: met, breached, in progress, escalations, percentiles', async () => {
    const { totals, groups } = await findSlaReport(stack.db, { principal: principals.get('manager.group')!, ...periods.everything, timeZone: 'Asia/Shanghai' }, 'tier');
    expect(totals!.cases).toBe(6_000);
    for (const t of [totals!.firstContact, totals!.resolution, totals!.callback]) {
      expect(t.met).toBeGreaterThan(0);
      expect(t.breached).toBeGreaterThan(0);
    }
    expect(totals!.firstContact.inProgress + totals!.resolution.inProgress + totals!.callback.inProgress).toBeGreaterThan(0);
    expect(totals!.escalations).toBeGreaterThan(0);
    expect(totals!.timeToResolutionMs.median).not.toBeNull();
    expect(groups.map((g) => g.key)).toEqual(['COMPANY', 'GROUP', 'PROJECT']);
  });

  it('answers one project of a company manager’s scope as before, and an empty period with no totals', async () => {
    const principal = principals.get('manager.company')!;
    const project = (await stack.db.project.findFirstOrThrow({ where: { companyId: principal.companyId! } })).id;
    for (const groupBy of ['category', 'assignee', 'week'] as const) {
      const scope = { principal, ...periods.year, projectId: project, timeZone: 'Asia/Shanghai' };
      const now = await findSlaReport(stack.db, scope, groupBy);
      expect(now).toEqual({ groups: await legacySlaReportRows(stack.db, scope, groupBy), totals: (await legacySlaReportRows(stack.db, scope, 'all'))[0] });
      expect(now.totals!.cases).toBeGreaterThan(0);
    }
    expect(await findSlaReport(stack.db, { principal, ...periods.nothing, timeZone: 'Asia/Shanghai' }, 'tier')).toEqual({ groups: [], totals: undefined });
  });
});

describe('the breach lists after the rewrite', () => {
  const filters = async (principal: Principal): Promise<Array<[string, BreachFilter]>> => [
    ['a year', { principal, opened: periods.year, now: NOW }],
    ['everything', { principal, opened: periods.everything, now: NOW }],
    ['resolution at COMPANY', { principal, opened: periods.everything, target: 'resolution', tier: 'COMPANY', now: NOW }],
    ['first contact', { principal, opened: periods.year, target: 'firstContact', now: NOW }],
    ['breached today, any opening', { principal, breachedToday: await findTodayOfProjects(stack.db, principal.groupId, NOW.getTime() - 30 * DAY), now: NOW }],
  ];
  const pages = [
    { skip: 0, take: 50 },
    { skip: 100, take: 20 },
    { skip: 0, take: 100_000 },
  ];

  it('lists the same breaches in the same order, page by page, with the same totals', async () => {
    let nonEmpty = 0;
    for (const principal of principals.values())
      for (const [name, f] of await filters(principal))
        for (const page of pages) {
          const now = await findSlaBreaches(stack.db, f, page);
          expect({ name, who: principal.username, page, ...now }).toEqual({ name, who: principal.username, page, ...(await legacyFindSlaBreaches(stack.db, f, page)) });
          if (now.rows.length > 0) nonEmpty++;
        }
    expect(nonEmpty).toBeGreaterThan(20);
  });

  it('groups the same breaches per case, in the same order, with the same counts', async () => {
    for (const principal of principals.values())
      for (const [name, f] of await filters(principal)) {
        expect({ name, n: await countSlaBreachedCases(stack.db, f) }).toEqual({ name, n: await legacyCountSlaBreachedCases(stack.db, f) });
        for (const page of pages.slice(0, 2)) {
          const now = await findSlaBreachedCases(stack.db, f, page);
          expect({ name, page, ...now }).toEqual({ name, page, ...(await legacyFindSlaBreachedCases(stack.db, f, page)) });
        }
      }
    const { total } = await findSlaBreachedCases(stack.db, { principal: principals.get('manager.group')!, opened: periods.everything, now: NOW }, pages[0]!);
    expect(total).toBeGreaterThan(1_000);
  });
});
