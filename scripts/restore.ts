/**
 * `npm run restore -- <backup folder> [--data-dir DIR] [--database-url URL] [--temporal-db FILE] [--blob-dir DIR] [--force] [--no-reconcile]`
 *
 * Puts a backup from `npm run backup` back into a STOPPED system: the Temporal SQLite file
 * (default $DATA_DIR/temporal.db, where `npm start` opens it) and the database (--database-url,
 * else DATABASE_URL, else the embedded PostgreSQL under $DATA_DIR/pg, started just for the
 * restore), and the photos and signatures into the local blob folder (--blob-dir, else BLOB_DIR,
 * else $DATA_DIR/blobs; merged with what is there, as a key names one content). Refuses to replace
 * an existing SQLite file or a database holding tables unless --force, and a backup whose photos
 * do not match its manifest. Then reconciles the two copies (README: Backup and restore) and writes a report.
 * The payload key the histories were encrypted with must be configured (TEMPORAL_PAYLOAD_KEYS or
 * $DATA_DIR/.temporal-payload-keys) before anything is written.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { embeddedDatabaseUrl } from '../platform/config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../platform/embedded-postgres.js';
import { parsePayloadKeys } from '../platform/temporal/payload-keys.js';
import { ensureTemporalTools } from '../platform/tools.js';
import { readManifest } from '../platform/backup/backup.js';
import { redactUrl } from '../platform/backup/pg-tools.js';
import { restoreBackup } from '../platform/backup/restore.js';

const say = (en: string, zh: string) => fs.writeSync(1, `» ${en} / ${zh}\n`);
const fail = (message: string): never => {
  fs.writeSync(2, `» Restore failed / 恢复失败: ${message}\n`);
  process.exit(1);
};
const USAGE =
  'usage: npm run restore -- <backup folder> [--data-dir DIR] [--database-url URL] [--temporal-db FILE] [--blob-dir DIR] [--force] [--no-reconcile] / 用法：npm run restore -- <备份目录> [选项]';

function parseArgs(argv: string[]) {
  const o: { backupDir?: string; dataDir?: string; databaseUrl?: string; temporalDb?: string; blobDir?: string; force: boolean; reconcile: boolean } = { force: false, reconcile: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (!v) fail(`${a} needs a value. ${USAGE}`);
      return v!;
    };
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (a === '--force') o.force = true;
    else if (a === '--no-reconcile') o.reconcile = false;
    else if (a === '--data-dir') o.dataDir = value();
    else if (a === '--database-url') o.databaseUrl = value();
    else if (a === '--temporal-db') o.temporalDb = value();
    else if (a === '--blob-dir') o.blobDir = value();
    else if (a.startsWith('--')) fail(`unknown option ${a}. ${USAGE}`);
    else if (o.backupDir) fail(`one backup folder only. ${USAGE}`);
    else o.backupDir = a;
  }
  if (!o.backupDir) fail(`no backup folder given. ${USAGE}`);
  return o as typeof o & { backupDir: string };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

function availableKeyIds(dataDir: string): string[] {
  const list = process.env.TEMPORAL_PAYLOAD_KEYS || (fs.existsSync(path.join(dataDir, '.temporal-payload-keys')) ? fs.readFileSync(path.join(dataDir, '.temporal-payload-keys'), 'utf8').trim() : '');
  if (!list) return [];
  try {
    return parsePayloadKeys(list).keyIds;
  } catch (err) {
    return fail(`TEMPORAL_PAYLOAD_KEYS / the key file is invalid: ${(err as Error).message} / 密钥配置错误`);
  }
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const backupDir = path.resolve(a.backupDir);
  const manifest = readManifest(backupDir);
  const dataDir = path.resolve(a.dataDir ?? (process.env.DATA_DIR || 'data'));
  const temporalDbFile = path.resolve(a.temporalDb ?? path.join(dataDir, 'temporal.db'));
  say(`Restoring the backup of ${manifest.createdAt} (${backupDir})`, `正在恢复 ${manifest.createdAt} 的备份`);

  // Where the photos go: the local store's folder, as `npm start` would open it.
  let blobDir: string | undefined;
  if (a.blobDir) blobDir = path.resolve(a.blobDir);
  else if (process.env.BLOB_STORE !== 's3') blobDir = path.resolve(process.env.BLOB_DIR || path.join(dataDir, 'blobs'));
  if (manifest.blobs?.store === 'local' && !blobDir)
    fail(
      `the backup holds ${manifest.blobs.files} photo and signature file(s) from a local store, but BLOB_STORE=s3 here: this restore puts them into a folder only. ` +
        `Pass --blob-dir DIR (then run with BLOB_STORE=local and BLOB_DIR=DIR, or upload the folder's blobs to the bucket under their keys) / ` +
        `备份中的照片来自本地存储，但当前 BLOB_STORE=s3：请用 --blob-dir 指定目录`,
    );

  // The system must be stopped: a dev server or worker on the old files would write over the copy.
  const devPort = Number(process.env.TEMPORAL_DEV_PORT || 7233);
  if (!a.temporalDb && !process.env.TEMPORAL_ADDRESS && (await portOpen(devPort)))
    fail(`something listens on the Temporal port ${devPort}: stop the system (npm start) before restoring / Temporal 端口被占用：请先停止系统`);

  if (!a.force && ['', '-journal', '-wal'].some((s) => fs.existsSync(temporalDbFile + s)))
    fail(`${temporalDbFile} already exists; restore into a new data folder, or pass --force to replace it (the system must be stopped) / 目标 Temporal 数据库已存在：请换新目录，或使用 --force 覆盖（须先停止系统）`);
  const keyIds = availableKeyIds(dataDir);
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = a.databaseUrl ?? process.env.DATABASE_URL;
  if (!databaseUrl) {
    const port = Number(process.env.EMBEDDED_PG_PORT || 54329);
    if (await portOpen(port)) fail(`something listens on the embedded PostgreSQL port ${port}: stop the system (npm start) before restoring / 内置 PostgreSQL 端口被占用：请先停止系统`);
    // Refuse before creating anything in the data folder.
    if (!keyIds.includes(manifest.keys.encryptionKeyId))
      fail(`the payload key "${manifest.keys.encryptionKeyId}" is not configured: put the key file kept with the backup at ${path.join(dataDir, '.temporal-payload-keys')} or set TEMPORAL_PAYLOAD_KEYS / 缺少加密密钥`);
    databaseUrl = embeddedDatabaseUrl(dataDir, port);
    say(`Starting embedded PostgreSQL in ${path.join(dataDir, 'pg')} on ${port} for the restore …`, '临时启动内置 PostgreSQL 以恢复 …');
    embedded = await startEmbeddedPostgres({ dataDir, port, databaseUrl });
  }
  try {
    const tools = a.reconcile ? ensureTemporalTools((m) => say(m, m)) : null;
    const report = await restoreBackup({
      backupDir,
      temporalDbFile,
      databaseUrl,
      force: a.force,
      availableKeyIds: keyIds,
      temporalCli: tools?.cli ?? null,
      ...(blobDir ? { blobDir } : {}),
      log: say,
    });
    const reportFile = path.join(path.dirname(temporalDbFile), `restore-report-${report.restoredAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.json`);
    fs.writeFileSync(reportFile, JSON.stringify(report, null, 2) + '\n', { mode: 0o600 });
    const m = report.manifest;
    const b = report.blobs;
    const photos =
      b.store === 'local'
        ? `${b.dir}: ${b.restored} restored, ${b.alreadyPresent} already there (same content), ${b.repaired} damaged there and replaced / 已恢复 ${b.restored}，已存在 ${b.alreadyPresent}，修复 ${b.repaired}`
        : b.store === 's3'
          ? `not in the backup: in the S3 bucket "${b.bucket}", restore it by its own versioning/replication / 未包含在备份中：在 S3 存储桶“${b.bucket}”中，请用其自身的版本控制或复制功能恢复`
          : `none: this backup (${m.format}) was taken before photos were backed up / 此备份早于照片备份，无照片`;
    console.log(`
────────────────────────────────────────────────────────────
 Restored / 恢复完成 (${(report.durationMs / 1000).toFixed(1)} s)
   Temporal  ${report.temporalDbFile}
   Postgres  ${redactUrl(databaseUrl)}  (${report.pgRestore})
   Cases ${report.counts.cases} (open ${report.counts.openCases}; backup had ${m.counts.cases}/${m.counts.openCases}), leads ${report.counts.leads}, sales ${report.counts.sales}, audit events ${report.counts.auditEvents}
   Photos    ${photos}
 Reconciled / 对账: ${report.reconciled ? 'yes' : 'NO (--no-reconcile)'}
   removed, opened after the Temporal copy / 已移除（Temporal 备份后新建）: ${report.removedRows.map((r) => `${r.kind} ${r.number}`).join(', ') || 'none / 无'}
   audit rows recorded after the Temporal copy, removed / 已移除的审计记录: ${report.trimmedAuditEvents.length}
   read-model rows wound back / 回退的读模型: ${report.rewoundProjections.length}
   rows without a workflow left alone / 无流程的旧记录: ${report.rowsWithoutWorkflow.length}
${report.warnings.map((w) => `   ! ${w}\n`).join('')} Report / 报告: ${reportFile}
 Start the system with the same TEMPORAL_PAYLOAD_KEYS (key ${m.keys.encryptionKeyId}) / 使用相同密钥启动系统: npm start
────────────────────────────────────────────────────────────`);
  } finally {
    await embedded?.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => fail(err instanceof Error ? err.message : String(err)),
);
