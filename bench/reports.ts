/**
 * The SLA report and the breach lists over 100,000 and then 1,000,000 cases (issue 14, item 7):
 * a year of one company, asked through the real HTTP endpoints as that company's manager
 * (`manager.company`: authentication, scope, validation, the report's queries, labels, JSON).
 *
 *   npx tsx bench/reports.ts [repetitions=7] [--keep]
 *
 * The cases are written straight into a throwaway Debian PostgreSQL (test/support/generated-cases.ts:
 * `INSERT … SELECT generate_series`), then VACUUM ANALYZE as autovacuum would. The database grows
 * the way a service centre's does: the 100 k set is two companies' last two years, 25,000 cases
 * per company and year; the 1 M set adds their three years before and six more companies' five
 * years at the same rate. So the question (a year of HX-EAST, ≈ 25,000 cases and ≈ 70,000 target
 * rows) is the same size in both, and t(1 M)/t(100 k) shows what the table's size costs it
 * (issue 14 asks ≤ 2, and < 1 s at 1 M). For scale, the 1 M run also asks the whole group's year
 * (8 companies, ≈ 200,000 cases) as `manager.group`: a question 8× bigger, printed apart.
 *
 * Each request runs once to warm up, then `repetitions` times one after another; p50 and max
 * are printed per request, and the console's SLA page (report by tier, trend by month and the
 * first page of breached cases, requested together as the page does) as one row. `--keep`
 * leaves the database running for EXPLAIN and prints how to reach and stop it.
 */
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { createApp } from '../api/app.js';
import { loadConfig } from '../platform/config.js';
import { generatePayloadKeyEntry } from '../platform/temporal/payload-keys.js';
import { createDb } from '../platform/db.js';
import { createLogger } from '../platform/logger.js';
import { createMailer } from '../platform/mail.js';
import { migrateDeploy } from '../platform/migrate.js';
import { TemporalGateway } from '../platform/temporal/connection.js';
import { seedDemo } from '../prisma/seed.js';
import { pgCtl, startTestPostgres } from '../test/support/test-postgres.js';
import { freePort } from '../platform/ports.js';
import { generateCases, type GeneratedCompany } from '../test/support/generated-cases.js';

const args = process.argv.slice(2);
const KEEP = args.includes('--keep');
const REPS = Number(args.find((a) => /^\d+$/.test(a)) ?? 7);
/** Cases per company and year (25,000: the 100 k and 1 M sets); REPORTS_PER_COMPANY_YEAR makes a quick trial smaller. */
const PER_COMPANY_YEAR = Number(process.env.REPORTS_PER_COMPANY_YEAR ?? 25_000);
const YEAR_MS = 365 * 86_400_000;
const SHARED_BUFFERS = process.env.REPORTS_SHARED_BUFFERS ?? '1GB';

const progress = (line: string) => process.stderr.write(`  … ${line}\n`);
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

interface Timing {
  name: string;
  p50: number;
  max: number;
}

const pgPort = await freePort();
const pgServer = startTestPostgres(pgPort);
let stopped = false;
const stop = () => {
  if (stopped || KEEP) return;
  stopped = true;
  pgServer.stop();
};
process.once('SIGINT', () => {
  stop();
  process.exit(130);
});
try {
  const admin = new pg.Client({ connectionString: pgServer.adminUrl() });
  await admin.connect();
  await admin.query('CREATE DATABASE bench');
  // A database server holding a million cases gets memory for its working set (a quarter of a
  // few GB is the usual advice), not Debian's 128 MB default, which holds a fifth of the 1 M
  // set's report indexes: each report would then re-read them from the OS cache.
  // REPORTS_SHARED_BUFFERS=128MB measures the default.
  await admin.query(`ALTER SYSTEM SET shared_buffers = '${SHARED_BUFFERS.replace(/[^0-9A-Za-z]/g, '')}'`);
  await admin.end();
  pgCtl(pgServer.dataDir, 'stop', pgPort);
  pgCtl(pgServer.dataDir, 'start', pgPort);
  const url = pgServer.adminUrl('bench');
  await migrateDeploy(url, () => undefined);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
    JWT_SECRET: 'x'.repeat(40),
    TEMPORAL_PAYLOAD_KEYS: generatePayloadKeyEntry('bench'),
    LOG_LEVEL: 'silent',
  });
  const db = createDb(url);
  await seedDemo(db, { password: 'demo' });
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();

  const group = await db.group.findFirstOrThrow({ where: { code: 'HX' } });
  const manager = await db.user.findUniqueOrThrow({ where: { username: 'manager.company' } });
  const companies = await db.company.findMany({ where: { groupId: group.id }, include: { projects: { select: { id: true } } }, orderBy: { code: 'asc' } });
  const east = companies.find((c) => c.id === manager.companyId)!;
  const others = companies.filter((c) => c.id !== east.id);
  const real: GeneratedCompany[] = [east, ...others].map((c) => ({ id: c.id, projectIds: c.projects.map((p) => p.id) }));
  // Six more companies (no rows of their own: the report reads only the case tables and names).
  const extra: GeneratedCompany[] = Array.from({ length: 6 }, (_, k) => ({
    id: `bench-company-${k}`,
    projectIds: Array.from({ length: 3 }, (_, j) => `bench-project-${k}-${j}`),
  }));
  const handlers = [...(await db.user.findMany({ where: { groupId: group.id, role: 'HANDLER' }, select: { id: true } })).map((u) => u.id)];
  const handlerIds = [...handlers, ...Array.from({ length: 60 }, (_, k) => `bench-handler-${k}`)];
  const customer = await db.customer.findFirstOrThrow({ where: { groupId: group.id } });
  const now = new Date();
  const yearsBack = (n: number) => new Date(now.getTime() - n * YEAR_MS);
  const common = { groupId: group.id, now, openedById: manager.id, handlerIds, customerId: customer.id };

  async function grow(label: string, batches: Array<{ companies: GeneratedCompany[]; from: Date; to: Date; years: number }>) {
    const t0 = performance.now();
    // Written without the tables' secondary indexes, which are built again afterwards (as a
    // restore does): maintaining eight indexes row by row made a million cases take a quarter of
    // an hour on a loaded machine.
    const indexes = (
      await sql.query<{ indexname: string; indexdef: string }>(
        `SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('case_record', 'case_target_record', 'case_escalation') AND indexname NOT LIKE '%_pkey'`,
      )
    ).rows;
    for (const i of indexes) await sql.query(`DROP INDEX "${i.indexname}"`);
    for (const [k, b] of batches.entries()) {
      for (const [j, c] of b.companies.entries()) {
        // A seed per batch and company: each company's cases get their own draws.
        const seed = (((label.charCodeAt(0) * 31 + k) * 17 + j) % 997) / 997;
        const r = await generateCases(sql, { ...common, companies: [c], casesPerCompany: PER_COMPANY_YEAR * b.years, from: b.from, to: b.to, batch: `${label}${k}${j}`, seed });
        progress(`${label}: ${r.cases} cases, ${r.targets} targets, ${r.escalations} escalations for ${c.id.slice(0, 16)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
      }
    }
    for (const i of indexes) await sql.query(i.indexdef);
    // Rows in the order production writes them (cases as they open, targets as their periods
    // start), so a company's year is spread over the table's pages among the other companies'
    // as it is live, not packed together as generated.
    await sql.query('CLUSTER case_record USING "case_record_openedAt_idx"');
    await sql.query('CLUSTER case_target_record USING "case_target_record_groupId_startedAt_idx"');
    await sql.query('VACUUM ANALYZE case_record');
    await sql.query('VACUUM ANALYZE case_target_record');
    await sql.query('VACUUM ANALYZE case_escalation');
    const [{ n }] = (await sql.query('SELECT count(*)::int AS n FROM case_record')).rows as [{ n: number }];
    const [{ t }] = (await sql.query('SELECT count(*)::int AS t FROM case_target_record')).rows as [{ t: number }];
    return { cases: n, targets: t, seconds: (performance.now() - t0) / 1000 };
  }

  const logger = createLogger({ name: 'bench', level: 'silent' });
  const app = createApp({ config, db, temporal: new TemporalGateway(config.temporal), mailer: createMailer({ db, from: 'x', logger }), logger });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tokenOf = async (username: string) => {
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) });
    return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
  };
  const companyAuth = await tokenOf('manager.company');
  const groupAuth = await tokenOf('manager.group');

  const year = { from: new Date(now.getTime() - YEAR_MS).toISOString(), to: now.toISOString() };
  const q = (o: Record<string, string>) => new URLSearchParams({ ...year, ...o }).toString();
  const requests: Array<[string, string[]]> = [
    ['SLA report by tier', [`/api/reports/sla?${q({ groupBy: 'tier' })}`]],
    ['SLA report by month (the trend)', [`/api/reports/sla?${q({ groupBy: 'month' })}`]],
    ['SLA report by assignee', [`/api/reports/sla?${q({ groupBy: 'assignee' })}`]],
    ['breached cases, page 1 of 50', [`/api/reports/sla/breached-cases?${q({ page: '1', pageSize: '50' })}`]],
    ['breaches, page 1 of 50', [`/api/reports/sla/breaches?${q({ page: '1', pageSize: '50' })}`]],
    ['breaches, page 40 of 50', [`/api/reports/sla/breaches?${q({ page: '40', pageSize: '50' })}`]],
    ['the SLA page (tier + month + breached cases)', [`/api/reports/sla?${q({ groupBy: 'tier' })}`, `/api/reports/sla?${q({ groupBy: 'month' })}`, `/api/reports/sla/breached-cases?${q({ page: '1', pageSize: '50' })}`]],
  ];

  async function once(paths: string[], auth: Record<string, string>): Promise<{ ms: number; body: unknown }> {
    const t = performance.now();
    const bodies = await Promise.all(
      paths.map(async (p) => {
        const res = await fetch(`${base}${p}`, { headers: auth });
        const body = await res.json();
        if (res.status !== 200) throw new Error(`${p} answered ${res.status}: ${JSON.stringify(body)}`);
        return body;
      }),
    );
    return { ms: performance.now() - t, body: bodies[0] };
  }

  async function time(name: string, paths: string[], auth: Record<string, string>): Promise<Timing & { body: unknown }> {
    const { body } = await once(paths, auth); // warm-up
    const ms: number[] = [];
    for (let i = 0; i < REPS; i++) ms.push((await once(paths, auth)).ms);
    ms.sort((a, b) => a - b);
    return { name, p50: ms[Math.floor((REPS - 1) / 2)]!, max: ms.at(-1)!, body };
  }

  async function measure(auth: Record<string, string>) {
    const out: Array<Timing & { body: unknown }> = [];
    for (const [name, paths] of requests) out.push(await time(name, paths, auth));
    return out;
  }

  // 100 k: HX-EAST and HX-SOUTH, the last two years.
  const small = await grow('a', [{ companies: real, from: yearsBack(2), to: now, years: 2 }]);
  progress(`100 k set: ${small.cases} cases, ${small.targets} target rows in ${small.seconds.toFixed(0)} s; measuring (load ${load()})`);
  const loadSmall = load();
  const atSmall = await measure(companyAuth);
  const cohort = async () => {
    const tier = atSmall[0]!.body as { totals: { cases: number } };
    return tier.totals.cases;
  };
  const cohortSmall = await cohort();

  // 1 M: their three years before, and six more companies' five years.
  const big = await grow('b', [
    { companies: real, from: yearsBack(5), to: yearsBack(2), years: 3 },
    { companies: extra, from: yearsBack(5), to: now, years: 5 },
  ]);
  progress(`1 M set: ${big.cases} cases, ${big.targets} target rows in ${big.seconds.toFixed(0)} s; measuring (load ${load()})`);
  const loadBig = load();
  const atBig = await measure(companyAuth);
  const cohortBig = (atBig[0]!.body as { totals: { cases: number } }).totals.cases;
  const groupYear = await time('SLA report by tier, whole group (manager.group)', requests[0]![1], groupAuth);
  const groupPage = await time('the SLA page, whole group (manager.group)', requests.at(-1)![1], groupAuth);
  const groupCohort = (groupYear.body as { totals: { cases: number } }).totals.cases;

  // Same answers for the same question whatever else the table holds.
  for (const [i, [name]] of requests.entries())
    if (name.startsWith('SLA report') && JSON.stringify(atSmall[i]!.body) === JSON.stringify(atBig[i]!.body)) continue;
    else if (name.startsWith('SLA report')) throw new Error(`${name}: the answer changed when other companies' and years' cases were added`);

  console.log(`\nReports over a year of one company (HX-EAST, as manager.company), ${REPS} repetitions each after a warm-up`);
  console.log(`100 k: ${small.cases.toLocaleString('en')} cases (${small.targets.toLocaleString('en')} target rows), the year's cohort ${cohortSmall.toLocaleString('en')} cases; load average ${loadSmall}`);
  console.log(`1 M:   ${big.cases.toLocaleString('en')} cases (${big.targets.toLocaleString('en')} target rows), the year's cohort ${cohortBig.toLocaleString('en')} cases; load average ${loadBig}`);
  console.log(`PostgreSQL shared_buffers ${SHARED_BUFFERS}, JIT on (the server's default; the SLA report turns it off for its own transaction)`);
  console.log(`generating: 100 k in ${small.seconds.toFixed(0)} s, the 900 k more in ${big.seconds.toFixed(0)} s\n`);
  console.log(`| request | 100 k p50 | 100 k max | 1 M p50 | 1 M max | t(1 M)/t(100 k) p50 |`);
  console.log(`|---|---|---|---|---|---|`);
  for (const [i, s] of atSmall.entries()) {
    const b = atBig[i]!;
    console.log(`| ${s.name} | ${s.p50.toFixed(0)} ms | ${s.max.toFixed(0)} ms | ${b.p50.toFixed(0)} ms | ${b.max.toFixed(0)} ms | ×${(b.p50 / s.p50).toFixed(2)} |`);
  }
  console.log(`\nFor scale, at 1 M: the whole group's year (${groupCohort.toLocaleString('en')} cases, ×${(groupCohort / cohortBig).toFixed(1)} the company's):`);
  for (const g of [groupYear, groupPage]) console.log(`| ${g.name} | p50 ${g.p50.toFixed(0)} ms | max ${g.max.toFixed(0)} ms |`);
  console.log(`load average at the end: ${load()}`);

  server.close();
  await sql.end();
  await db.$disconnect();
  if (KEEP) console.log(`\nkept: psql ${url}\nstop: pg_ctl -D ${pgServer.dataDir} -m fast stop (as postgres when root), then rm -rf ${pgServer.dataDir}`);
} finally {
  stop();
}
