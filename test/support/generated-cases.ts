/**
 * Cases for the reports' bench (bench/reports.ts) and the reports' equivalence test, written straight into the read
 * model with `INSERT … SELECT generate_series`: `case_record`, its `case_target_record` rows (one
 * per tier period × target, as `projectCase` writes them) and `case_escalation`, never through
 * the workflow, so a million cases take a minute or two.
 *
 * The spread is meant to look like a service centre's years, not like uniform noise:
 * - cases open at random instants over [from, to), in the given companies' projects, across 14
 *   categories (complaints and repairs, a few much more common than others), 8 handlers per
 *   project (5 % unassigned);
 * - every case owes first contact (24 h), resolution (7 days) and a callback (3 days after
 *   resolving); ≈ 8 % miss first contact, ≈ 12 % miss resolution (some met late), ≈ 5 % miss the
 *   callback; cases opened in the last days are still in progress on what is not due yet;
 * - ≈ 10 % escalate PROJECT → COMPANY after missing resolution (the project period ends there, a
 *   company period with its own three targets starts), and a fifth of those on to GROUP;
 * - cases older than two weeks are closed, 60 % of them with a satisfaction score.
 * `setseed` makes a run reproducible; `random()` draws are per row.
 */
import type pg from 'pg';

export interface GeneratedCompany {
  id: string;
  projectIds: readonly string[];
}

export interface GenerateCasesInput {
  groupId: string;
  companies: readonly GeneratedCompany[];
  /** Cases per company, spread evenly over its projects' share and over [from, to). */
  casesPerCompany: number;
  from: Date;
  to: Date;
  /** "Now" for the cases' state: what is not yet due is in progress. */
  now: Date;
  /** Distinguishes the ids of separate batches written into one database. */
  batch: string;
  /** A user id to stand as the opener and the escalation's requester. */
  openedById: string;
  /** Handlers' ids to draw assignees from (8 per project are used; fewer repeat). */
  handlerIds: readonly string[];
  customerId: string;
  /** 0..1, for setseed. */
  seed?: number;
}

const CATEGORIES = [
  ['repair.plumbing.leak', 14],
  ['repair.plumbing.blockage', 10],
  ['repair.electrical.power', 8],
  ['repair.electrical.sockets', 6],
  ['repair.doors_windows', 9],
  ['repair.hvac', 7],
  ['repair.common_areas.elevator', 5],
  ['complaint.quality.leakage', 12],
  ['complaint.quality.cracks', 6],
  ['complaint.quality.finishing', 5],
  ['complaint.service.fees', 6],
  ['complaint.service.parking', 5],
  ['complaint.service.security', 4],
  ['complaint.delivery.delay', 3],
] as const;

const H = 3_600_000;
const D = 24 * H;

/** Writes the cases of one batch; returns how many cases and target rows it wrote. */
export async function generateCases(client: pg.Client, o: GenerateCasesInput): Promise<{ cases: number; targets: number; escalations: number }> {
  const weights = CATEGORIES.map(([, w]) => w);
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  // cumulative thresholds: category k when u < bound[k]
  const bounds = weights.map((w) => (acc += w) / total);
  const categoryCase = `CASE ${CATEGORIES.map(([code], k) => `WHEN u_cat < ${bounds[k]!.toFixed(6)} THEN '${code}'`).join(' ')} ELSE '${CATEGORIES[0]![0]}' END`;
  await client.query('SELECT setseed($1)', [o.seed ?? 0.42]);
  await client.query('DROP TABLE IF EXISTS gen_case');
  const places = o.companies.flatMap((c) => c.projectIds.map((p) => ({ companyId: c.id, projectId: p, share: 1 / c.projectIds.length })));
  await client.query(`CREATE TEMP TABLE gen_place (k int, company_id text, project_id text, n int, first int)`);
  let first = 0;
  for (const [k, p] of places.entries()) {
    const n = Math.round(o.casesPerCompany * p.share);
    await client.query('INSERT INTO gen_place VALUES ($1, $2, $3, $4, $5)', [k, p.companyId, p.projectId, n, first]);
    first += n;
  }
  await client.query(`CREATE TEMP TABLE gen_handler (k int, id text)`);
  for (const [k, id] of o.handlerIds.entries()) await client.query('INSERT INTO gen_handler VALUES ($1, $2)', [k, id]);
  const nHandlers = o.handlerIds.length;
  const span = o.to.getTime() - o.from.getTime();

  // One row per case with its fate drawn; everything below derives from it.
  await client.query(
    `CREATE TEMP TABLE gen_case AS
     SELECT g.i, p.company_id, p.project_id, p.k AS place,
            ($1::timestamp + (random() * $2::float8) * interval '1 millisecond') AS opened_at,
            random() AS u_cat, random() AS u_fc, random() AS u_res, random() AS u_cb, random() AS u_esc, random() AS u_sat,
            random() AS u_dur1, random() AS u_dur2, random() AS u_asg
     FROM gen_place p, generate_series(p.first, p.first + p.n - 1) AS g(i)`,
    [o.from.toISOString().replace('Z', ''), span],
  );
  // Derived timings (ms from opening): first contact, resolution, callback; escalation.
  await client.query(
    `CREATE TEMP TABLE gen_fate AS
     SELECT c.*, ${categoryCase} AS category,
            CASE WHEN u_asg < 0.05 THEN NULL ELSE (SELECT h.id FROM gen_handler h WHERE h.k = ((place * 8 + floor(u_asg * 8)::int) % ${nHandlers})) END AS assignee_id,
            -- first contact: met in 0.2–20 h, or breached at 24 h and met 1–30 h later
            (u_fc < 0.08) AS fc_breached,
            CASE WHEN u_fc < 0.08 THEN ${D} + (1 + u_dur1 * 29) * ${H} ELSE (0.2 + (u_dur1 ^ 2) * 19.8) * ${H} END AS fc_at,
            -- resolution: met in 0.5–6.5 days, or breached at 7 days (escalated when u_esc < 0.8)
            (u_res < 0.12) AS res_breached,
            CASE WHEN u_res < 0.12 THEN ${7 * D} + (0.5 + u_dur2 * 5) * ${D} ELSE (0.5 + (u_dur2 ^ 1.5) * 6) * ${D} END AS res_at,
            (u_res < 0.12 AND u_esc < 0.8) AS escalated,
            (u_res < 0.12 AND u_esc < 0.16) AS to_group,
            (u_cb < 0.05) AS cb_breached
     FROM gen_case c`,
  );
  await client.query(
    `CREATE TEMP TABLE gen_row AS
     SELECT f.*, md5('${o.batch}-' || f.i)::uuid::text AS id, ('${o.batch}-' || f.i) AS num,
            extract(epoch FROM ($1::timestamp - opened_at)) * 1000 AS age_ms
     FROM gen_fate f`,
    [o.now.toISOString().replace('Z', '')],
  );
  const ts = (ms: string) => `(opened_at + (${ms}) * interval '1 millisecond')`;
  const ifDone = (ms: string) => `CASE WHEN (${ms}) <= age_ms THEN ${ts(ms)} END`;
  // Final tier, status (by age), satisfaction.
  const resolvedMs = `CASE WHEN escalated THEN res_at + ${3 * D} ELSE res_at END`;
  const cbMs = `(${resolvedMs}) + CASE WHEN cb_breached THEN ${4 * D} ELSE (u_sat * 2.5) * ${D} END`;
  const cases = await client.query(
    `INSERT INTO case_record (id, number, "workflowId", "groupId", "companyId", "projectId", "customerId", type, category, severity, channel,
                              description, status, tier, "assigneeId", "policyId", sla, breached, satisfaction, "openedById", "openedAt",
                              "contactedAt", "resolvedAt", "closedAt", "firstContactMs", "resolutionMs", "lastEventSeq", "updatedAt")
     SELECT id, 'BN-' || num, 'case-' || id, $1, company_id, project_id, $2,
            CASE WHEN category LIKE 'repair.%' THEN 'repair' ELSE 'complaint' END, category, 'minor', 'phone', 'x',
            CASE WHEN age_ms > ${14 * D} THEN 'closed'
                 WHEN (${cbMs}) <= age_ms THEN 'closed'
                 WHEN (${resolvedMs}) <= age_ms THEN 'resolved'
                 WHEN fc_at <= age_ms THEN 'contacted' ELSE 'open' END,
            CASE WHEN to_group AND ${resolvedMs} - ${D} <= age_ms THEN 'GROUP'
                 WHEN escalated AND ${7 * D} + ${H} <= age_ms THEN 'COMPANY' ELSE 'PROJECT' END,
            assignee_id, 'default', '{}'::jsonb,
            (fc_breached AND ${D} <= age_ms) OR (res_breached AND ${7 * D} <= age_ms) OR (cb_breached AND (${resolvedMs}) + ${3 * D} <= age_ms),
            CASE WHEN age_ms > ${14 * D} AND u_sat < 0.6 THEN 1 + floor(u_sat / 0.6 * 5)::int END,
            $3, opened_at,
            ${ifDone('fc_at')}, ${ifDone(resolvedMs)}, CASE WHEN age_ms > ${14 * D} THEN ${ts(`least(age_ms, greatest(${cbMs}, ${14 * D}))`)} END,
            CASE WHEN fc_at <= age_ms THEN round(fc_at)::bigint END, CASE WHEN (${resolvedMs}) <= age_ms THEN round(${resolvedMs})::bigint END,
            12, $4::timestamp
     FROM gen_row`,
    [o.groupId, o.customerId, o.openedById, o.now.toISOString().replace('Z', '')],
  );

  // Target records. Period 0 (PROJECT): all three targets; it ends at escalation (7 days + 1 h)
  // for escalated cases, whose resolution and callback then stay unmet there.
  const escAt = `${7 * D} + ${H}`;
  const target = (o2: {
    period: number;
    tier: string;
    name: string;
    startMs: string;
    dueMs: string;
    metMs: string;
    breached: string;
    endMs: string | null;
    where: string;
  }) => `
    SELECT id || ':${o2.period}:${o2.name}', id, $1::text, project_id, company_id, opened_at, '${o2.tier}', '${o2.name}', category, assignee_id,
           ${ts(o2.startMs)}, ${ts(o2.dueMs)},
           CASE WHEN (${o2.metMs}) <= age_ms ${o2.endMs ? `AND (${o2.metMs}) <= (${o2.endMs})` : ''} THEN ${ts(o2.metMs)} END,
           CASE WHEN ${o2.breached} AND (${o2.dueMs}) <= age_ms THEN ${ts(o2.dueMs)} END,
           CASE WHEN (${o2.metMs}) <= age_ms ${o2.endMs ? `AND (${o2.metMs}) <= (${o2.endMs})` : ''} THEN round((${o2.metMs}) - (${o2.startMs}))::bigint END,
           0,
           ${o2.endMs ? `CASE WHEN (${o2.endMs}) <= age_ms THEN ${ts(o2.endMs)} END` : `CASE WHEN age_ms > ${14 * D} THEN ${ts(`least(age_ms, greatest(${cbMs}, ${14 * D}))`)} END`}
    FROM gen_row WHERE ${o2.where}`;
  const insert = `INSERT INTO case_target_record (id, "caseId", "groupId", "projectId", "companyId", "caseOpenedAt", tier, target, category, "assigneeId", "startedAt", "dueAt", "metAt", "breachedAt", "durationMs", "pausedMs", "periodEndedAt")`;
  let targets = 0;
  const parts = [
    // project period, not escalated
    target({ period: 0, tier: 'PROJECT', name: 'firstContact', startMs: '0', dueMs: `${D}`, metMs: 'fc_at', breached: 'fc_breached', endMs: null, where: 'NOT escalated' }),
    target({ period: 0, tier: 'PROJECT', name: 'resolution', startMs: '0', dueMs: `${7 * D}`, metMs: 'res_at', breached: 'res_breached', endMs: null, where: 'NOT escalated' }),
    target({ period: 0, tier: 'PROJECT', name: 'callback', startMs: resolvedMs, dueMs: `${resolvedMs} + ${3 * D}`, metMs: cbMs, breached: 'cb_breached', endMs: null, where: `NOT escalated AND (${resolvedMs}) <= age_ms` }),
    // project period of an escalated case: ends at the escalation
    target({ period: 0, tier: 'PROJECT', name: 'firstContact', startMs: '0', dueMs: `${D}`, metMs: 'fc_at', breached: 'fc_breached', endMs: escAt, where: 'escalated' }),
    target({ period: 0, tier: 'PROJECT', name: 'resolution', startMs: '0', dueMs: `${7 * D}`, metMs: `${10 * 365 * D}`, breached: 'true', endMs: escAt, where: 'escalated' }),
    // company period: first contact met within hours, resolution within 3 days (15 % late)
    target({ period: 1, tier: 'COMPANY', name: 'firstContact', startMs: escAt, dueMs: `${escAt} + ${4 * H}`, metMs: `${escAt} + (0.2 + u_dur1 * 3) * ${H}`, breached: 'false', endMs: null, where: `escalated AND (${escAt}) <= age_ms` }),
    target({ period: 1, tier: 'COMPANY', name: 'resolution', startMs: escAt, dueMs: `${escAt} + ${3 * D}`, metMs: resolvedMs, breached: 'u_sat < 0.15', endMs: `CASE WHEN to_group THEN ${resolvedMs} - ${D} ELSE ${100 * 365 * D} END`, where: `escalated AND (${escAt}) <= age_ms` }),
    target({ period: 1, tier: 'COMPANY', name: 'callback', startMs: resolvedMs, dueMs: `${resolvedMs} + ${3 * D}`, metMs: cbMs, breached: 'cb_breached', endMs: null, where: `escalated AND NOT to_group AND (${resolvedMs}) <= age_ms` }),
    // group period
    target({ period: 2, tier: 'GROUP', name: 'resolution', startMs: `${resolvedMs} - ${D}`, dueMs: `${resolvedMs} + ${D}`, metMs: resolvedMs, breached: 'false', endMs: null, where: `to_group AND (${resolvedMs}) - ${D} <= age_ms` }),
    target({ period: 2, tier: 'GROUP', name: 'callback', startMs: resolvedMs, dueMs: `${resolvedMs} + ${3 * D}`, metMs: cbMs, breached: 'cb_breached', endMs: null, where: `to_group AND (${resolvedMs}) <= age_ms` }),
  ];
  for (const sql of parts) targets += (await client.query(`${insert} ${sql}`, [o.groupId])).rowCount ?? 0;

  const esc = (n: number, from: string, to: string, atMs: string, where: string) => `
    INSERT INTO case_escalation (id, "caseId", "groupId", "companyId", "projectId", "fromTier", "toTier", source, reason, "requestedBy", "requestedAt", "dueAt", status, "decidedBy", "decidedAt")
    SELECT id || ':esc:${n}', id, $1::text, company_id, project_id, '${from}', '${to}', 'auto', 'sla_breach', $2::text, ${ts(atMs)}, ${ts(`${atMs} + ${D}`)}, 'approved', $2::text, ${ts(`${atMs} + ${H}`)}
    FROM gen_row WHERE ${where} AND (${atMs}) <= age_ms`;
  let escalations = (await client.query(esc(1, 'PROJECT', 'COMPANY', `${7 * D}`, 'escalated'), [o.groupId, o.openedById])).rowCount ?? 0;
  escalations += (await client.query(esc(2, 'COMPANY', 'GROUP', `${resolvedMs} - ${D} - ${H}`, 'to_group'), [o.groupId, o.openedById])).rowCount ?? 0;

  await client.query('DROP TABLE gen_row; DROP TABLE gen_fate; DROP TABLE gen_case; DROP TABLE gen_place; DROP TABLE gen_handler');
  return { cases: cases.rowCount ?? 0, targets, escalations };
}
