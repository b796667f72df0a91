import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import sharp from 'sharp';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { loadConfig } from '../../platform/config.js';
import { createDb, type Db } from '../../platform/db.js';
import { createLogger } from '../../platform/logger.js';
import { createMailer, type Mailer } from '../../platform/mail.js';
import { migrateDeploy } from '../../platform/migrate.js';
import { TemporalGateway } from '../../platform/temporal/connection.js';
import { startDevServer, type DevServer } from '../../platform/temporal/dev-server.js';
import { bundleWorkflows } from '../../platform/temporal/worker.js';
import { createAppWorker } from '../../activities/worker.js';
import { seedDemo } from '../../prisma/seed.js';
import { createBackup, MANIFEST_FILE, type BackupResult } from '../../platform/backup/backup.js';
import { BLOBS_DIR, BLOBS_INDEX } from '../../platform/backup/blobs.js';
import { localBlobPath } from '../../platform/storage/index.js';
import { restoreBackup, type RestoreReport } from '../../platform/backup/restore.js';
import { recordFigures } from '../support/figures.js';
import { freePort, TEST_PAYLOAD_KEY_ID, TEST_PAYLOAD_KEYS } from '../support/stack.js';
import { startTestPostgres, type TestPostgres } from '../support/test-postgres.js';
import { startSmtpServer, type TestSmtpServer } from './smtp.js';

/**
 * Backup and restore of the whole state, on real parts: a PostgreSQL cluster of this file's own,
 * the Temporal dev server on a SQLite file, the application worker and API, a real SMTP server.
 * Cases with a 75-second first-contact target are opened, the backup is taken while everything
 * runs — with one case opened and one contact recorded in the gap between the Temporal copy and
 * the PostgreSQL snapshot — the system keeps going, is stopped, and the backup is restored into a
 * fresh database and a fresh SQLite file, where a new dev server, worker and API take over. The
 * restored cases keep their deadlines, and their timers fire there, once. A work order's photo
 * (and its thumbnail), uploaded through the API into the local blob store, is in the backup and
 * is served by the restored API from a fresh blob folder; a backup missing a blob file is refused;
 * a backup from before photos (format /1) still restores.
 */
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

const FIRST_CONTACT_S = 75;
const TASK_QUEUE = 'backup-restore-test';
const CATEGORY = 'complaint.service.parking';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'estate-care-backup-'));
let postgres: TestPostgres;
let smtp: TestSmtpServer;
let bundle: Promise<{ code: string }>;

interface Stack {
  baseUrl: string;
  db: Db;
  databaseUrl: string;
  tokens: Map<string, string>;
  stop(): Promise<void>;
}

/** Dev server on `temporalDbFile`, the application's worker and API on `databaseUrl`, photos in `blobDir`. */
async function startStack(databaseUrl: string, temporalDbFile: string, blobDir: string): Promise<Stack> {
  const devServer: DevServer = await startDevServer({
    cli: inject('temporalCli'),
    port: await freePort(),
    dbFile: temporalDbFile,
    headless: true,
    logFile: `${temporalDbFile}.log`,
  });
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: devServer.address,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    SMTP_URL: smtp.url,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    TEMPORAL_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    LOG_LEVEL: 'silent',
    BLOB_STORE: 'local',
    BLOB_DIR: blobDir,
  });
  const logger = createLogger({ name: 'backup-test', level: config.logLevel });
  const db = createDb(databaseUrl);
  const mailer = createMailer({ db, smtpUrl: config.mail.smtpUrl, from: config.mail.from, logger });
  const worker: Worker = await createAppWorker({ config, db, mailer, logger, workflowBundle: await bundle, workerOptions: { shutdownGraceTime: '2 seconds' } });
  const workerRun = worker.run();
  workerRun.catch(() => undefined);
  const gateway = new TemporalGateway(config.temporal);
  const app = createApp({ config, db, temporal: gateway, mailer, logger });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tokens = new Map<string, string>();
  let stopping: Promise<void> | null = null;
  for (const username of ['agent.project', 'handler.project', 'technician.project', 'admin']) {
    const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) });
    expect(res.status).toBe(200);
    tokens.set(username, ((await res.json()) as { token: string }).token);
  }
  return {
    baseUrl,
    db,
    databaseUrl,
    tokens,
    stop() {
      stopping ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await workerRun.catch(() => undefined);
        await gateway.close();
        mailer.close();
        await db.$disconnect();
        await devServer.stop();
      })();
      return stopping;
    },
  };
}

async function api(stack: Stack, user: string, method: string, url: string, json?: unknown) {
  const res = await fetch(`${stack.baseUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${stack.tokens.get(user)}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await res.text();
  // Tests read fields of whatever came back; a wrong shape fails the expectation that reads it.
  return { status: res.status, text, body: (text ? JSON.parse(text) : null) as any };
}

async function eventually<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface OpenedCase {
  label: string;
  id: string;
  number: string;
  workflowId: string;
}

async function openCase(stack: Stack, label: string): Promise<OpenedCase> {
  const projectId = (await stack.db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } })).id;
  const a = await api(stack, 'agent.project', 'POST', '/api/cases', {
    type: 'complaint',
    projectId,
    customer: { name: `业主${label}`, phone: `139 0000 00${label.charCodeAt(0)}` },
    category: CATEGORY,
    severity: 'minor',
    channel: 'phone',
    description: `车位被占用 ${label} / parking space taken`,
  });
  expect(a.status, a.text).toBe(201);
  return { label, id: a.body.id, number: a.body.number, workflowId: a.body.workflowId ?? `case-${a.body.id}` };
}

/** Until the workflow has assigned the case and projected its targets. */
async function waitUntilProjected(stack: Stack, c: OpenedCase) {
  await eventually(
    `case ${c.label} projected`,
    () => stack.db.case.findUniqueOrThrow({ where: { id: c.id }, include: { targetRecords: true } }),
    (row) => row.assigneeId !== null && row.targetRecords.length >= 2,
  );
}

async function contact(stack: Stack, c: OpenedCase) {
  const a = await api(stack, 'handler.project', 'POST', `/api/cases/${c.id}/contact`, { note: '已致电客户 / called' });
  expect(a.status, a.text).toBe(200);
  await eventually(
    `the contact of ${c.label} in the audit trail`,
    () => stack.db.auditEvent.count({ where: { streamId: c.workflowId, type: 'case.contacted' } }),
    (n) => n === 1,
  );
  // The read model too: the audit event and the row's projection are separate activities, and the
  // restore test relies on the row having moved on before PostgreSQL's snapshot (on a loaded
  // machine the projection came after it, and nothing was left to wind back).
  await eventually(
    `the contact of ${c.label} in the read model`,
    () => stack.db.case.findUniqueOrThrow({ where: { id: c.id } }),
    (row) => row.status === 'contacted',
  );
}

/**
 * A leak on a unit of a building accepted a year ago (保内), a work order for the project's
 * technician, and a photo the technician uploads to it: the photo's and its thumbnail's keys.
 */
async function workOrderWithPhoto(stack: Stack) {
  const { db } = stack;
  const project = await db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } });
  const [b1] = await db.building.findMany({ where: { projectId: project.id }, orderBy: { name: 'asc' } });
  const aYearAgo = new Date(Date.now() - 365 * 86_400_000);
  await db.building.update({ where: { id: b1!.id }, data: { completionAcceptedOn: new Date(`${aYearAgo.toISOString().slice(0, 10)}T00:00:00Z`) } });
  const unit = await db.unit.findFirstOrThrow({ where: { buildingId: b1!.id } });
  const technician = await db.user.findUniqueOrThrow({ where: { username: 'technician.project' } });
  const c = await api(stack, 'agent.project', 'POST', '/api/cases', {
    type: 'complaint',
    projectId: project.id,
    unitId: unit.id,
    customer: { name: '业主W', phone: '139 0000 0099' },
    category: 'complaint.quality.leakage',
    severity: 'minor',
    channel: 'phone',
    description: '卫生间天花板渗水 / bathroom ceiling leaks',
  });
  expect(c.status, c.text).toBe(201);
  const created = await api(stack, 'handler.project', 'POST', `/api/cases/${c.body.id}/work-orders`, { orders: [{ assignee: { kind: 'technician', userId: technician.id } }] });
  expect(created.status, created.text).toBe(201);
  const workOrderId: string = created.body.items[0].id;
  const jpeg = await sharp({ create: { width: 80, height: 60, channels: 3, background: '#3366aa' } }).jpeg().toBuffer();
  const res = await fetch(`${stack.baseUrl}/api/work-orders/${workOrderId}/photos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.tokens.get('technician.project')}`, 'content-type': 'image/jpeg' },
    body: jpeg,
  });
  const text = await res.text();
  expect(res.status, text).toBe(201);
  const photo = JSON.parse(text) as { key: string };
  const row = await db.workOrderPhoto.findFirstOrThrow({ where: { workOrderId, key: photo.key } });
  return { caseId: c.body.id as string, workOrderId, key: row.key, thumbKey: row.thumbKey };
}

/** A work order's photo (or thumbnail) through the API: status, content type and the SHA-256 of the bytes. */
async function readPhoto(stack: Stack, workOrderId: string, key: string, thumb: boolean) {
  const res = await fetch(`${stack.baseUrl}/api/work-orders/${workOrderId}/photos/${key}${thumb ? '?thumb=1' : ''}`, {
    headers: { authorization: `Bearer ${stack.tokens.get('handler.project')}` },
  });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type'), sha256: crypto.createHash('sha256').update(body).digest('hex') };
}

const dueAtOf = async (db: Db, caseId: string) =>
  Object.fromEntries(
    (await db.caseTargetRecord.findMany({ where: { caseId }, orderBy: { target: 'asc' } })).map((t) => [`${t.tier}:${t.target}`, t.dueAt.toISOString()]),
  );

const auditOf = async (db: Db, streamId: string) =>
  (await db.auditEvent.findMany({ where: { streamId }, orderBy: { seq: 'asc' } })).map((r) => ({ seq: r.seq, type: r.type, at: r.at.toISOString() }));

beforeAll(async () => {
  bundle = bundleWorkflows();
  [postgres, smtp] = await Promise.all([freePort().then((port) => startTestPostgres(port)), startSmtpServer()]);
  const admin = new pg.Client({ connectionString: postgres.adminUrl() });
  await admin.connect();
  await admin.query('CREATE DATABASE estate_care');
  await admin.end();
  await migrateDeploy(postgres.adminUrl('estate_care'), () => undefined);
  const db = createDb(postgres.adminUrl('estate_care'));
  await seedDemo(db, { password: 'demo' });
  await db.$disconnect();
}, 180_000);

afterAll(async () => {
  await smtp?.close();
  postgres?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}, 60_000);

describe('backup and restore', () => {
  it('restores a copy in which open cases keep their deadlines, and their timers fire there once', async () => {
    // ── The running system ─────────────────────────────────────────────────────────────────
    const originalBlobs = path.join(tmp, 'original', 'blobs');
    const original = await startStack(postgres.adminUrl('estate_care'), path.join(tmp, 'original', 'temporal.db'), originalBlobs);
    let restored: Stack | null = null;
    try {
      const put = await api(original, 'admin', 'PUT', '/api/sla-policies', [
        { id: 'backup-test', name: '备份测试', categoryPrefix: 'complaint.service', tier: 'PROJECT', firstContact: `PT${FIRST_CONTACT_S}S`, resolution: 'PT1H', callback: 'PT1H', approvalWindow: 'PT1H', notifications: { digestMinutes: 0 } },
      ]);
      expect(put.status, put.text).toBe(200);

      // A work order with a photo, in the local blob store: the photo and its thumbnail.
      const wo = await workOrderWithPhoto(original);
      expect(await readPhoto(original, wo.workOrderId, wo.key, false)).toEqual({ status: 200, type: 'image/jpeg', sha256: wo.key });
      expect(await readPhoto(original, wo.workOrderId, wo.key, true)).toEqual({ status: 200, type: 'image/webp', sha256: wo.thumbKey });

      const before: OpenedCase[] = [];
      for (const label of ['A', 'B', 'C', 'D']) before.push(await openCase(original, label));
      for (const c of before) await waitUntilProjected(original, c);
      const [, caseB, caseC] = before as [OpenedCase, OpenedCase, OpenedCase, OpenedCase];
      const dueAt = new Map<string, Record<string, string>>();
      const queried = new Map<string, string>();
      const auditAtBackup = new Map<string, { seq: number; type: string; at: string }[]>();
      for (const c of before) {
        dueAt.set(c.id, await dueAtOf(original.db, c.id));
        queried.set(c.id, (await api(original, 'handler.project', 'GET', `/api/cases/${c.id}`)).body.sla.firstContact.dueAt);
        auditAtBackup.set(c.id, await auditOf(original.db, c.workflowId));
        expect(Date.parse(queried.get(c.id)!)).toBe(Date.parse(dueAt.get(c.id)!['PROJECT:firstContact']!));
      }

      // ── The backup, while everything runs; the gap between the two copies gets a new case (E)
      //    and B's first contact: both reach PostgreSQL's snapshot but not Temporal's copy.
      let caseE: OpenedCase | null = null;
      let gapOrder: { id: string; number: string } | null = null;
      const backup: BackupResult = await createBackup({
        temporalDbFile: path.join(tmp, 'original', 'temporal.db'),
        databaseUrl: original.databaseUrl,
        outDir: path.join(tmp, 'backups'),
        namespace: 'default',
        blobs: { kind: 'local', dir: originalBlobs },
        keys: { payloadKeyIds: [TEST_PAYLOAD_KEY_ID], encryptionKeyId: TEST_PAYLOAD_KEY_ID, payloadKeysSource: 'TEMPORAL_PAYLOAD_KEYS', jwtSecretSource: 'JWT_SECRET' },
        betweenSnapshots: async () => {
          caseE = await openCase(original, 'E');
          await waitUntilProjected(original, caseE);
          await contact(original, caseB);
          // A second order on the leak case: its row, the case told of it, its workflow — all after the copy.
          const technician = await original.db.user.findUniqueOrThrow({ where: { username: 'technician.project' } });
          const more = await api(original, 'handler.project', 'POST', `/api/cases/${wo.caseId}/work-orders`, { orders: [{ assignee: { kind: 'technician', userId: technician.id } }] });
          expect(more.status, more.text).toBe(201);
          gapOrder = { id: more.body.items[0].id, number: more.body.items[0].number };
        },
      });
      const m = backup.manifest;
      expect(fs.readdirSync(backup.dir).sort()).toEqual([BLOBS_DIR, BLOBS_INDEX, 'manifest.json', 'postgres.dump', 'temporal.db']);
      expect(m.counts).toMatchObject({ cases: 6, openCases: 6 }); // A–E and the leak
      // The photo and its thumbnail, copied after the snapshot, listed and counted in the manifest.
      expect(m.format).toBe('estate-care-backup/2');
      expect(m.blobs).toMatchObject({ store: 'local', files: 2, sourceDir: originalBlobs, corrupt: [] });
      if (m.blobs?.store !== 'local') throw new Error('no local blobs section');
      expect(Date.parse(m.blobs.copyStartedAt)).toBeGreaterThanOrEqual(Date.parse(m.postgres.snapshotAt) - 1_000);
      expect(
        fs
          .readFileSync(path.join(backup.dir, BLOBS_INDEX), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split('\t')[0]),
      ).toEqual([wo.key, wo.thumbKey].sort());
      for (const key of [wo.key, wo.thumbKey]) expect(fs.existsSync(path.join(backup.dir, BLOBS_DIR, localBlobPath(key)))).toBe(true);
      expect(m.keys).toMatchObject({ payloadKeyIds: [TEST_PAYLOAD_KEY_ID], encryptionKeyId: TEST_PAYLOAD_KEY_ID });
      // Never a secret in the backup folder: not the payload key, not the JWT secret, not the DB password.
      const keyBase64 = TEST_PAYLOAD_KEYS.split(':')[1]!;
      expect(fs.readFileSync(path.join(backup.dir, 'manifest.json'), 'utf8')).not.toContain(keyBase64);
      expect(fs.readFileSync(path.join(backup.dir, 'temporal.db')).includes(Buffer.from(keyBase64))).toBe(false);
      expect(Date.parse(m.postgres.temporalCopiedBy)).toBeLessThan(Date.parse(m.postgres.snapshotAt));

      // ── After the backup: C's first contact, a new case F. Neither is in the copy.
      await contact(original, caseC);
      const caseF = await openCase(original, 'F');
      await waitUntilProjected(original, caseF);
      await original.stop();

      // ── Restore into a fresh database and a fresh SQLite file ────────────────────────────────
      const restoredDbFile = path.join(tmp, 'restored', 'temporal.db');
      const restoredUrl = postgres.adminUrl('estate_care_restored');
      const restoredBlobs = path.join(tmp, 'restored', 'blobs');
      const base = { backupDir: backup.dir, availableKeyIds: [TEST_PAYLOAD_KEY_ID], temporalCli: inject('temporalCli'), blobDir: restoredBlobs };
      // Refusals first: an existing database, an existing SQLite file, a missing key.
      await expect(restoreBackup({ ...base, temporalDbFile: restoredDbFile, databaseUrl: original.databaseUrl })).rejects.toThrow(/already holds \d+ table\(s\).*--force/);
      await expect(restoreBackup({ ...base, temporalDbFile: path.join(tmp, 'original', 'temporal.db'), databaseUrl: restoredUrl })).rejects.toThrow(/already exists.*--force/);
      await expect(restoreBackup({ ...base, availableKeyIds: ['another-key'], temporalDbFile: restoredDbFile, databaseUrl: restoredUrl })).rejects.toThrow(
        new RegExp(`payload key "${TEST_PAYLOAD_KEY_ID}"`),
      );
      // A backup holding photos needs a folder to put them in; one missing a blob file is refused.
      await expect(restoreBackup({ ...base, blobDir: undefined, temporalDbFile: restoredDbFile, databaseUrl: restoredUrl })).rejects.toThrow(/holds 2 photo and signature file\(s\): name the local blob folder/);
      const damaged = `${backup.dir}-damaged`;
      fs.cpSync(backup.dir, damaged, { recursive: true });
      fs.rmSync(path.join(damaged, BLOBS_DIR, localBlobPath(wo.thumbKey)));
      await expect(restoreBackup({ ...base, backupDir: damaged, temporalDbFile: restoredDbFile, databaseUrl: restoredUrl })).rejects.toThrow(
        new RegExp(`photos and signatures do not match its manifest: of 2 blob files .*1 missing \\(${wo.thumbKey}\\).*nothing was restored`),
      );
      expect(fs.existsSync(restoredDbFile)).toBe(false);
      expect(fs.existsSync(restoredBlobs)).toBe(false);

      const report: RestoreReport = await restoreBackup({ ...base, temporalDbFile: restoredDbFile, databaseUrl: restoredUrl });
      const e = caseE as OpenedCase | null;
      expect(e).not.toBeNull();
      // E's row had no workflow in the Temporal copy: removed, kept in the report.
      // So had the work order opened in the gap: removed with its stream, and its case named in a warning.
      const g = gapOrder as { id: string; number: string } | null;
      expect(report.removedRows.map((r) => [r.kind, r.id])).toEqual([
        ['case', e!.id],
        ['work_order', g!.id],
      ]);
      expect(report.warnings.join('\n')).toContain(`work order ${g!.number} was removed`);
      expect(report.warnings.join('\n')).toContain(`"workOrderId":"${g!.id}"`);
      // B's contact and the leak case's record of the gap's order, accepted by Temporal after its copy:
      // removed from the audit trail, projections wound back (the restored leak case never knew that order).
      const leakWorkflowId = (await original.db.case.findUniqueOrThrow({ where: { id: wo.caseId } })).workflowId;
      expect(report.trimmedAuditEvents.map((t) => [t.streamId, t.type]).sort()).toEqual(
        [
          [caseB.workflowId, 'case.contacted'],
          [leakWorkflowId, 'case.work_order_opened'],
        ].sort(),
      );
      expect(report.rewoundProjections.map((r) => r.id).sort()).toEqual([caseB.id, wo.caseId].sort());
      expect(report.rowsWithoutWorkflow).toEqual([]);
      expect(report.counts).toMatchObject({ cases: 5, openCases: 5 }); // A–D and the leak
      expect(report.blobs).toEqual({ store: 'local', dir: restoredBlobs, restored: 2, alreadyPresent: 0, repaired: 0, bytes: m.blobs.bytes });

      // ── A new dev server, worker and API on the restored copies ─────────────────────────────
      const restartedAt = Date.now();
      restored = await startStack(restoredUrl, restoredDbFile, restoredBlobs);
      const r = restored;
      const rows = (await r.db.case.findMany({ orderBy: { number: 'asc' } })).filter((row) => row.id !== wo.caseId);
      expect(rows.map((row) => row.id).sort()).toEqual(before.map((c) => c.id).sort());
      // The work order's photo and thumbnail, served by the restored API from the fresh blob folder.
      expect(await readPhoto(r, wo.workOrderId, wo.key, false)).toEqual({ status: 200, type: 'image/jpeg', sha256: wo.key });
      expect(await readPhoto(r, wo.workOrderId, wo.key, true)).toEqual({ status: 200, type: 'image/webp', sha256: wo.thumbKey });
      // B's row still shows the contact of the gap (wound back, not rewritten): the workflow's next
      // projection rewrites it, checked after the breach below.
      expect(rows.filter((row) => row.status === 'open').map((row) => row.id).sort()).toEqual(before.filter((c) => c !== caseB).map((c) => c.id).sort());
      for (const c of before) {
        // The deadlines as they were, in the read model and in the workflow's own state.
        expect(await dueAtOf(r.db, c.id)).toEqual(dueAt.get(c.id));
        const detail = await api(r, 'handler.project', 'GET', `/api/cases/${c.id}`);
        expect(detail.status, detail.text).toBe(200);
        expect(detail.body.sla.firstContact.dueAt).toBe(queried.get(c.id));
        // The audit trail as it was at the backup.
        expect((await auditOf(r.db, c.workflowId)).slice(0, auditAtBackup.get(c.id)!.length)).toEqual(auditAtBackup.get(c.id));
      }
      const deadlinesAheadAtRestart = before.filter((c) => Date.parse(dueAt.get(c.id)!['PROJECT:firstContact']!) > restartedAt).length;

      // ── The timers fire on the restored system: every first contact breaches, once ──────────
      const lastDue = Math.max(...before.map((c) => Date.parse(dueAt.get(c.id)!['PROJECT:firstContact']!)));
      await eventually(
        'four breaches recorded',
        () => r.db.caseTargetRecord.count({ where: { caseId: { in: before.map((c) => c.id) }, target: 'firstContact', breachedAt: { not: null } } }),
        (n) => n === 4,
        Math.max(0, lastDue - Date.now()) + 30_000,
      );
      const lateness: number[] = [];
      for (const c of before) {
        const t = await r.db.caseTargetRecord.findFirstOrThrow({ where: { caseId: c.id, target: 'firstContact' } });
        expect(t.breachedAt!.getTime()).toBeGreaterThanOrEqual(t.dueAt.getTime());
        expect(t.metAt).toBeNull();
        lateness.push(t.breachedAt!.getTime() - t.dueAt.getTime());
        const audit = await eventually(
          `the escalation request of ${c.label}`,
          () => auditOf(r.db, c.workflowId),
          (rows) => rows.some((x) => x.type === 'escalation.requested'),
        );
        // No gap, no duplicate: seq 1…n, one warning and one breach each.
        expect(audit.map((x) => x.seq)).toEqual(audit.map((_, i) => i + 1));
        expect(audit.filter((x) => x.type === 'sla.breached')).toHaveLength(1);
        expect(audit.filter((x) => x.type === 'sla.warned')).toHaveLength(1);
        if (c === caseB) {
          // The restored workflow's next event took the seq of the removed contact: kept, that row
          // would have made the event's own row a "duplicate" and dropped it.
          const gapSeq = report.trimmedAuditEvents[0]!.seq;
          expect(audit.find((x) => x.seq === gapSeq)?.type).toMatch(/^sla\./);
        }
        // Neither B's contact (in the gap) nor C's (after the backup) is in the restored copy.
        expect(audit.filter((x) => x.type === 'case.contacted')).toHaveLength(0);
        const row = await r.db.case.findUniqueOrThrow({ where: { id: c.id } });
        expect(row.contactedAt).toBeNull();
        expect(row.breached).toBe(true);
        expect(row.status).toBe((await api(r, 'handler.project', 'GET', `/api/cases/${c.id}`)).body.status);
        // One breach email to the assignee, sent by the restored system (the email goes after the
        // audit row, through the outbox and SMTP: on a loaded machine seconds after it).
        const breachMails = await eventually(
          `the breach email of ${c.label}`,
          async () => smtp.messages.filter((mail) => mail.subject?.includes(c.number) && mail.subject.includes('时效超时')),
          (mails) => mails.length >= 1,
        );
        expect(new Set(breachMails.map((mail) => JSON.stringify(mail.to))).size).toBe(breachMails.length);
      }
      // Timers that were still ahead at the restart fire at their deadline, not at some later sweep.
      if (deadlinesAheadAtRestart === 4) expect(Math.max(...lateness)).toBeLessThan(10_000);
      expect(await r.db.case.count({ where: { id: { in: [e!.id, caseF.id] } } })).toBe(0);

      // ── A backup from before photos (format /1: no blobs section, no blobs/) still restores ──
      const v1 = path.join(tmp, 'backup-v1');
      fs.mkdirSync(v1);
      for (const f of ['temporal.db', 'postgres.dump']) fs.copyFileSync(path.join(backup.dir, f), path.join(v1, f));
      const { blobs: _blobs, ...v1Manifest } = { ...m, format: 'estate-care-backup/1' };
      fs.writeFileSync(path.join(v1, MANIFEST_FILE), JSON.stringify(v1Manifest));
      const v1Report = await restoreBackup({ ...base, backupDir: v1, temporalCli: null, temporalDbFile: path.join(tmp, 'v1', 'temporal.db'), databaseUrl: postgres.adminUrl('estate_care_v1'), blobDir: path.join(tmp, 'v1', 'blobs') });
      expect(v1Report.blobs).toEqual({ store: 'none' });
      expect(v1Report.warnings.join('\n')).toMatch(/predates photo backups/);
      expect(v1Report.counts).toMatchObject({ cases: 6 }); // not reconciled: E is still there
      expect(fs.existsSync(path.join(tmp, 'v1', 'blobs'))).toBe(false);

      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;
      recordFigures('backup-restore', {
        title: `Backup while running, restore into a fresh database and SQLite file (${FIRST_CONTACT_S} s first-contact target) / 运行中备份，恢复到全新数据库与 SQLite`,
        lines: [
          `cases backed up: ${m.counts.cases} (open ${m.counts.openCases}; 1 opened in the gap between the copies) / 备份工单数`,
          `open cases restored: ${report.counts.openCases - 1} of ${before.length} open at the Temporal copy (and the leak behind the work order); removed as opened after it: ${report.removedRows.length}; audit rows recorded after it, removed: ${report.trimmedAuditEvents.length} / 恢复的未结工单`,
          `deadlines kept (dueAt identical, read model and workflow): ${before.length}/${before.length}; still ahead at the restart: ${deadlinesAheadAtRestart} / 截止时间保持不变`,
          `timers fired after restore: ${lateness.length}/${before.length}, each once, ${Math.min(...lateness)}–${Math.max(...lateness)} ms after dueAt / 恢复后计时器触发`,
          `backup: ${mb(m.temporal.bytes)} SQLite + ${mb(m.postgres.bytes)} pg_dump in ${m.durationMs} ms (incl. the gap's own actions); SQLite copy ${Date.parse(m.temporal.copyFinishedAt) - Date.parse(m.temporal.copyStartedAt)} ms / 备份大小与用时`,
          `restore: ${report.durationMs} ms (pg_restore, SQLite copy and check, reconcile on a temporary dev server) / 恢复用时`,
          `photos: ${m.blobs.files} blob files (a photo and its thumbnail, ${m.blobs.bytes} bytes) copied after the snapshot, checked and restored into a fresh folder, served by the restored API / 照片已备份并恢复`,
        ],
      });
    } finally {
      await restored?.stop();
      await original.stop();
    }
  }, 240_000);
});
