import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import pg from 'pg';
import { Connection, WorkflowClient, WorkflowNotFoundError } from '@temporalio/client';
import { FINAL_SALE_STAGES } from '../../domain/sales/types.js';
import { startDevServer } from '../temporal/dev-server.js';
import { countRows, POSTGRES_FILE, TEMPORAL_FILE, readManifest, sha256OfFile, type BackupManifest } from './backup.js';
import { findPgTools, libpqArgs, redactUrl, serverVersion } from './pg-tools.js';
import { checkSqlite } from './sqlite.js';
import { checkBackupBlobs, restoreLocalBlobs, type BlobEntry, type BlobRestoreResult } from './blobs.js';
import { freePort } from '../ports.js';

/**
 * Puts a backup (backup.ts) back: the photos and signatures into the local blob store's folder
 * (merged: a key names one content), the SQLite file where a dev server will open it, the dump
 * into a fresh PostgreSQL database; then reconciles the two copies (see reconcileRestore).
 */
export interface RestoreOptions {
  backupDir: string;
  /** Target SQLite file of the dev server to be started on the restored state. */
  temporalDbFile: string;
  /** Target database; created when missing. */
  databaseUrl: string;
  /** Replace an existing SQLite file and a database that holds tables. */
  force?: boolean;
  /** Key ids the restored system will have (TEMPORAL_PAYLOAD_KEYS or the key file); checked against the manifest. */
  availableKeyIds?: string[];
  /** The Temporal CLI, to reconcile against the restored histories; `null` skips reconciling. */
  temporalCli: string | null;
  /**
   * The local blob store's folder (BLOB_DIR) the backup's photos and signatures go into, merged
   * with what is there. Required when the backup holds them; unused for a backup of an S3 store's
   * system (the bucket keeps them) or an `estate-care-backup/1` one (taken before photos).
   */
  blobDir?: string;
  log?: (en: string, zh: string) => void;
}

export type RowKind = 'case' | 'lead' | 'sale' | 'work_order';

export interface RestoreReport {
  backup: string;
  manifest: BackupManifest;
  restoredAt: string;
  durationMs: number;
  temporalDbFile: string;
  database: string;
  pgRestore: string;
  /** Rows of workflows the Temporal copy does not have (opened after it): removed, kept here in full. */
  removedRows: { kind: RowKind; id: string; number: string; workflowId: string; createdAt: string; auditEvents: number; row: Record<string, unknown> }[];
  /** Rows without a workflow that are older than the backup's window: left as they were, for a person to look at. */
  rowsWithoutWorkflow: { kind: RowKind; id: string; number: string; workflowId: string; createdAt: string; status: string }[];
  /** Workflow audit rows recorded after the Temporal copy: removed (the restored workflow writes what it does again). */
  trimmedAuditEvents: { streamId: string; seq: number; type: string; recordedAt: string }[];
  /** Read-model rows whose lastEventSeq was wound back to their last kept audit row, so the workflow's next projection applies. */
  rewoundProjections: { kind: RowKind; id: string; workflowId: string; from: number; to: number }[];
  reconciled: boolean;
  counts: { cases: number; openCases: number; leads: number; sales: number; auditEvents: number };
  /**
   * Photos and signatures: put into a local folder (`local`), left in the S3 bucket that keeps
   * them (`s3`), or not in the backup at all (`none`: an `estate-care-backup/1` backup).
   */
  blobs: ({ store: 'local' } & BlobRestoreResult) | { store: 's3'; bucket: string } | { store: 'none' };
  warnings: string[];
}

/** How far before the Temporal copy an opening may have begun (row written, workflow not yet started). */
const OPENING_MARGIN_MS = 5 * 60_000;

function run(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(bin, args, { env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, _stdout, stderr) =>
      err ? reject(new Error(`${path.basename(bin)} failed: ${stderr.trim() || err.message}`)) : resolve(),
    ),
  );
}

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

/**
 * Makes the target database empty and present: creates it when missing; one holding tables is
 * refused unless `force`, then dropped and created again (or, without the right to drop it, its
 * public schema is).
 */
async function prepareDatabase(databaseUrl: string, force: boolean, log: (en: string, zh: string) => void): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!name) throw new Error('the target database URL names no database');
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  let admin: pg.Client | null = null;
  try {
    admin = await connect(maintenance.toString());
  } catch {
    admin = null;
  }
  const quoted = `"${name.replaceAll('"', '""')}"`;
  const exists = admin ? (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount! > 0 : true;
  let tables = 0;
  if (exists) {
    const target = await connect(databaseUrl).catch((err: Error) => {
      throw new Error(`Cannot reach the target database ${redactUrl(databaseUrl)}: ${err.message}`);
    });
    tables = Number((await target.query<{ n: string }>("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'")).rows[0]!.n);
    if (tables > 0 && !force) {
      await target.end();
      await admin?.end();
      throw new Error(
        `The target database ${redactUrl(databaseUrl)} already holds ${tables} table(s); restore into a new database, or pass --force to replace it`,
      );
    }
    if (tables > 0 && !admin) {
      log(`Emptying ${redactUrl(databaseUrl)} (--force) …`, '正在清空目标数据库（--force）…');
      await target.query('DROP SCHEMA public CASCADE');
      await target.query('CREATE SCHEMA public');
    }
    await target.end();
  }
  if (admin) {
    if (exists && tables > 0) {
      log(`Dropping and re-creating ${name} (--force) …`, `正在删除并重建数据库 ${name}（--force）…`);
      await admin.query(`DROP DATABASE ${quoted} WITH (FORCE)`);
    }
    if (!exists || tables > 0) await admin.query(`CREATE DATABASE ${quoted}`);
    await admin.end();
  }
}

export async function restoreBackup(o: RestoreOptions): Promise<RestoreReport> {
  const log = o.log ?? (() => undefined);
  const started = Date.now();
  const manifest = readManifest(o.backupDir);
  const warnings: string[] = [];
  const temporalSource = path.join(o.backupDir, TEMPORAL_FILE);
  const postgresSource = path.join(o.backupDir, POSTGRES_FILE);

  // Everything that can refuse is checked before anything is written.
  log('Checking the backup (sizes, SHA-256) …', '正在校验备份文件（大小、SHA-256）…');
  for (const [file, want] of [
    [temporalSource, manifest.temporal],
    [postgresSource, manifest.postgres],
  ] as const) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing from the backup`);
    if (fs.statSync(file).size !== want.bytes || (await sha256OfFile(file)) !== want.sha256)
      throw new Error(`${file} does not match the manifest (size or SHA-256): the backup is damaged`);
  }
  if (manifest.blobs?.store === 'local' && !o.blobDir)
    throw new Error(`the backup holds ${manifest.blobs.files} photo and signature file(s): name the local blob folder (BLOB_DIR) to restore them into / 备份含照片与签名：请指定本地照片目录`);
  if (o.availableKeyIds) {
    const missing = manifest.keys.payloadKeyIds.filter((id) => !o.availableKeyIds!.includes(id));
    if (missing.includes(manifest.keys.encryptionKeyId))
      throw new Error(
        `The payload key "${manifest.keys.encryptionKeyId}" the backed-up histories are encrypted with is not configured (TEMPORAL_PAYLOAD_KEYS or the key file); ` +
          `without it the restored workflows cannot be read. Put the key kept with the backup in place first`,
      );
    if (missing.length)
      warnings.push(`payload key(s) ${missing.join(', ')} configured at backup time are not configured now: histories written under them cannot be read`);
  }
  const sidecars = ['', '-journal', '-wal', '-shm'].map((s) => o.temporalDbFile + s);
  if (sidecars.some((f) => fs.existsSync(f)) && !o.force)
    throw new Error(`${o.temporalDbFile} already exists; restore into a new file, or pass --force to replace it (the system must be stopped)`);
  // Photos and signatures: every file of the copy against its list, and each against its key.
  let blobEntries: BlobEntry[] | null = null;
  if (manifest.blobs?.store === 'local') {
    log(`Checking ${manifest.blobs.files} photo and signature file(s) (SHA-256 = key) …`, `正在校验 ${manifest.blobs.files} 个照片与签名文件 …`);
    blobEntries = await checkBackupBlobs(o.backupDir, manifest.blobs);
  }

  // PostgreSQL (an existing database without --force is the last refusal).
  await prepareDatabase(o.databaseUrl, Boolean(o.force), log);

  // Photos once the database was found fit (its refusal is the last one), before its rows, as the
  // running system writes them: a blob before any row names it. Merging is safe whatever --force
  // says: a key already there is the same content.
  let blobs: RestoreReport['blobs'];
  if (manifest.blobs?.store === 'local') {
    log(`Restoring photos and signatures into ${o.blobDir} …`, '正在恢复照片与签名 …');
    blobs = { store: 'local', ...(await restoreLocalBlobs(o.backupDir, manifest.blobs, blobEntries!, o.blobDir!)) };
  } else if (manifest.blobs?.store === 's3') {
    blobs = { store: 's3', bucket: manifest.blobs.bucket };
    warnings.push(
      `photos and signatures were not in this backup: they live in the S3 bucket "${manifest.blobs.bucket}". If the bucket lost objects, bring back from its versioning or replica every object it held at the backup's time (${manifest.createdAt}); objects never change (content-addressed), so any copy of one will do`,
    );
  } else {
    blobs = { store: 'none' };
    warnings.push(`this backup (${manifest.format}) predates photo backups: no photos or signatures restored; the blob folder was left as it is`);
  }

  const target = await connect(o.databaseUrl);
  let report: RestoreReport;
  try {
    const server = await serverVersion(target);
    const archiveMajor = Number(manifest.postgres.pgDump.match(/\(PostgreSQL\)\s+(\d+)/)?.[1] ?? 0);
    const tools = findPgTools({ serverMajor: server.major, archiveMajor, log: (m) => log(m, m) });
    log(`Restoring PostgreSQL into ${redactUrl(o.databaseUrl)} (server ${server.version}, ${tools.version.replace('pg_dump', 'pg_restore')}) …`, '正在恢复 PostgreSQL …');
    const { dbname, env } = libpqArgs(o.databaseUrl);
    await run(tools.pgRestore, ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${dbname}`, postgresSource], env);

    // Temporal: copied aside, checked, then moved into place.
    log(`Restoring the Temporal database to ${o.temporalDbFile} …`, '正在恢复 Temporal 数据库 …');
    fs.mkdirSync(path.dirname(path.resolve(o.temporalDbFile)), { recursive: true });
    const aside = `${o.temporalDbFile}.restoring`;
    fs.copyFileSync(temporalSource, aside);
    await checkSqlite(aside);
    for (const f of sidecars) fs.rmSync(f, { force: true });
    fs.renameSync(aside, o.temporalDbFile);

    report = {
      backup: path.resolve(o.backupDir),
      manifest,
      restoredAt: new Date().toISOString(),
      durationMs: 0,
      temporalDbFile: path.resolve(o.temporalDbFile),
      database: redactUrl(o.databaseUrl),
      pgRestore: tools.version.replace('pg_dump', 'pg_restore'),
      removedRows: [],
      rowsWithoutWorkflow: [],
      trimmedAuditEvents: [],
      rewoundProjections: [],
      reconciled: false,
      counts: await countRows(target),
      blobs,
      warnings,
    };
    if (o.temporalCli) {
      await reconcileRestore({ db: target, manifest, temporalDbFile: o.temporalDbFile, temporalCli: o.temporalCli, report, log });
      report.counts = await countRows(target);
    } else {
      warnings.push('not reconciled (--no-reconcile): rows opened after the Temporal copy may have no workflow');
    }
  } finally {
    await target.end().catch(() => undefined);
  }
  report.durationMs = Date.now() - started;
  return report;
}

/** Each workflow-backed table, and the states in which its workflow has ended (and may be gone with the namespace's retention). */
const TABLES: Record<RowKind, { table: string; createdAt: string; status: string; ended: readonly string[] }> = {
  case: { table: 'case_record', createdAt: 'openedAt', status: 'status', ended: ['closed'] },
  lead: { table: 'lead', createdAt: 'createdAt', status: 'status', ended: ['converted', 'closed'] },
  sale: { table: 'sale', createdAt: 'createdAt', status: 'stage', ended: FINAL_SALE_STAGES },
  work_order: { table: 'work_order', createdAt: 'createdAt', status: 'status', ended: ['done', 'cancelled'] },
};

/** The read-model rows a work order's steps write beside its row (no foreign keys: removed with it). */
const WORK_ORDER_CHILDREN = ['work_order_photo', 'work_order_result', 'work_order_sign_off', 'work_order_sign_off_link', 'work_order_check_in_location'] as const;

/** Stream ids the workflows write their audit rows under (the workflow ids). */
const WORKFLOW_STREAM = '^(case|lead|sale|work-order|notice)-';

/**
 * Makes the restored PostgreSQL agree with the restored Temporal, by the rule "what happened after
 * the Temporal copy did not happen" (backup.ts). On a headless dev server of its own on the
 * restored SQLite file:
 * 1. A case, lead, sale or work-order row opened around or after the copy whose workflow the copy
 *    does not have is removed, with its audit stream and child rows (sale: its unit reservation
 *    released; work order: its photos' links, results, sign-offs and check-in positions, and a
 *    warning naming its case, which may have been told of it before the copy),
 *    exactly as the API undoes an opening whose workflow did not start. The rows go into the report.
 * 2. Workflow audit rows recorded (PostgreSQL's clock) after `postgres.temporalCopiedBy` are
 *    removed: no step the copy recorded can have written that late. Steps the restored workflows
 *    take again (a timer firing, an activity retried) write them again under the same (stream,
 *    seq); an action Temporal accepted after the copy (a contact recorded in the gap) is not in
 *    the copy, and its row would otherwise take the seq of the workflow's next event, whose own
 *    row would then be dropped as a duplicate.
 * 3. The read-model rows of those streams are wound back (lastEventSeq = last kept seq), so the
 *    workflow's next projection overwrites what the removed steps had projected.
 */
export async function reconcileRestore(o: {
  db: pg.Client;
  manifest: BackupManifest;
  temporalDbFile: string;
  temporalCli: string;
  report: RestoreReport;
  log: (en: string, zh: string) => void;
}): Promise<void> {
  const { db, manifest, report, log } = o;
  log('Reconciling PostgreSQL with the restored Temporal histories (a temporary dev server) …', '正在核对 PostgreSQL 与恢复的 Temporal 历史（临时开发服务器）…');
  const port = await freePort();
  const dev = await startDevServer({ cli: o.temporalCli, port, dbFile: path.resolve(o.temporalDbFile), headless: true, namespace: manifest.temporal.namespace });
  const connection = await Connection.connect({ address: dev.address });
  try {
    const workflows = new WorkflowClient({ connection, namespace: manifest.temporal.namespace });
    const exists = async (workflowId: string) => {
      try {
        await workflows.getHandle(workflowId).describe();
        return true;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      }
    };
    const copiedBy = new Date(manifest.postgres.temporalCopiedBy);
    const windowStart = new Date(copiedBy.getTime() - OPENING_MARGIN_MS);

    // 1. Rows without a workflow.
    for (const kind of Object.keys(TABLES) as RowKind[]) {
      const t = TABLES[kind];
      const rows = await db.query<{ id: string; number: string; workflowId: string; created: Date; status: string }>(
        `SELECT id, number, "workflowId", "${t.createdAt}" AS created, "${t.status}" AS status FROM ${t.table}
          WHERE "${t.createdAt}" >= $1 OR NOT ("${t.status}" = ANY($2)) ORDER BY "${t.createdAt}"`,
        [windowStart, t.ended],
      );
      for (const r of rows.rows) {
        if (await exists(r.workflowId)) continue;
        const base = { kind, id: r.id, number: r.number, workflowId: r.workflowId, createdAt: r.created.toISOString() };
        if (r.created < windowStart) {
          // Older than any opening the backup can have cut in two: not the backup's doing.
          report.rowsWithoutWorkflow.push({ ...base, status: r.status });
          continue;
        }
        await db.query('BEGIN');
        try {
          const full = (await db.query(`SELECT * FROM ${t.table} WHERE id = $1`, [r.id])).rows[0] as Record<string, unknown>;
          const audit = await db.query('DELETE FROM audit_event WHERE "streamId" = $1', [r.workflowId]);
          if (kind === 'case') {
            await db.query('DELETE FROM case_target_record WHERE "caseId" = $1', [r.id]);
            await db.query('DELETE FROM case_escalation WHERE "caseId" = $1', [r.id]);
          }
          if (kind === 'sale')
            await db.query(`UPDATE unit SET "reservedBySaleId" = NULL, status = 'AVAILABLE' WHERE "reservedBySaleId" = $1 AND status = 'RESERVED'`, [r.id]);
          if (kind === 'work_order') {
            for (const child of WORK_ORDER_CHILDREN) await db.query(`DELETE FROM ${child} WHERE "workOrderId" = $1`, [r.id]);
            // The API tells the case of an order just before starting its workflow: a copy taken
            // between the two has a case that counts an order nobody will sign off.
            const c = await db.query<{ number: string; workflowId: string }>('SELECT c.number, c."workflowId" FROM case_record c JOIN work_order w ON w."caseId" = c.id WHERE w.id = $1', [r.id]);
            const caseRow = c.rows[0];
            if (caseRow)
              report.warnings.push(
                `work order ${r.number} was removed (its workflow is not in the Temporal copy); its case ${caseRow.number} may still count it as open and refuse a handler's resolution (CASE_WORK_ORDERS_OPEN). ` +
                  `Once the worker runs, release it: temporal workflow update execute --workflow-id ${caseRow.workflowId} --name recordWorkOrderEnded --input '{"actor":"system","workOrderId":"${r.id}","outcome":"cancelled"}' ` +
                  `(a case that never counted it refuses nothing: the Update is then a no-op or refused, both harmless)`,
              );
          }
          await db.query(`DELETE FROM ${t.table} WHERE id = $1`, [r.id]);
          await db.query('COMMIT');
          report.removedRows.push({ ...base, auditEvents: audit.rowCount ?? 0, row: JSON.parse(JSON.stringify(full, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) });
        } catch (err) {
          await db.query('ROLLBACK');
          report.rowsWithoutWorkflow.push({ ...base, status: r.status });
          report.warnings.push(`${kind} ${r.number} has no workflow in the Temporal copy but could not be removed: ${(err as Error).message}`);
        }
      }
    }

    // 2. Audit rows of workflow steps taken after the Temporal copy.
    await db.query('BEGIN');
    try {
      const trimmed = await db.query<{ streamId: string; seq: number; type: string; recordedAt: Date }>(
        `DELETE FROM audit_event WHERE "recordedAt" > $1 AND "streamId" ~ '${WORKFLOW_STREAM}' RETURNING "streamId", seq, type, "recordedAt"`,
        [copiedBy],
      );
      report.trimmedAuditEvents = trimmed.rows
        .map((r) => ({ streamId: r.streamId, seq: r.seq, type: r.type, recordedAt: r.recordedAt.toISOString() }))
        .sort((a, b) => a.streamId.localeCompare(b.streamId) || a.seq - b.seq);
      const streams = [...new Set(trimmed.rows.map((r) => r.streamId))];
      // 3. Their projections, back to the last kept step.
      for (const kind of Object.keys(TABLES) as RowKind[]) {
        const t = TABLES[kind];
        const rows = await db.query<{ id: string; workflowId: string; from: number; to: number }>(
          `UPDATE ${t.table} AS r SET "lastEventSeq" = k.last
             FROM (SELECT r2.id, r2."lastEventSeq" AS before,
                          COALESCE((SELECT max(seq) FROM audit_event a WHERE a."streamId" = r2."workflowId"), 0) AS last
                     FROM ${t.table} r2 WHERE r2."workflowId" = ANY($1)) AS k
            WHERE r.id = k.id AND r."lastEventSeq" > k.last
           RETURNING r.id, r."workflowId", k.before AS "from", k.last AS "to"`,
          [streams],
        );
        for (const r of rows.rows) report.rewoundProjections.push({ kind, id: r.id, workflowId: r.workflowId, from: r.from, to: r.to });
      }
      await db.query('COMMIT');
    } catch (err) {
      await db.query('ROLLBACK');
      throw err;
    }
    report.reconciled = true;
  } finally {
    await connection.close().catch(() => undefined);
    await dev.stop();
  }
}
