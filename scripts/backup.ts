/**
 * `npm run backup [-- <folder>]`: one consistent copy of the running system's state — the Temporal
 * dev server's SQLite file (online, SQLite's backup API) and a pg_dump of the application
 * database — in a timestamped folder under data/backups (or <folder>), with manifest.json; with the
 * local blob store also its photos and signatures (`blobs/`), with BLOB_STORE=s3 only the bucket's
 * name. Temporal is copied first, PostgreSQL right after, the photos last (README: Backup and restore). The backup holds
 * no secret: keep TEMPORAL_PAYLOAD_KEYS (or data/.temporal-payload-keys) and JWT_SECRET (or
 * data/.jwt-secret) with it, or the restored histories cannot be read.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { loadConfig, ConfigError } from '../platform/config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../platform/embedded-postgres.js';
import { createBackup } from '../platform/backup/backup.js';
import { redactUrl } from '../platform/backup/pg-tools.js';

const say = (en: string, zh: string) => fs.writeSync(1, `» ${en} / ${zh}\n`);
const fail = (message: string): never => {
  fs.writeSync(2, `» Backup failed / 备份失败: ${message}\n`);
  process.exit(1);
};

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log('usage: npm run backup [-- <folder>]   (default folder: $DATA_DIR/backups) / 用法：npm run backup [-- <目录>]');
  process.exit(0);
}
const positional = args.filter((a) => !a.startsWith('--'));
if (positional.length > 1 || args.some((a) => a.startsWith('--'))) fail(`unexpected arguments: ${args.join(' ')} (usage: npm run backup [-- <folder>]) / 参数错误`);

const dataDir = path.resolve(process.env.DATA_DIR || 'data');
const temporalDbFile = path.join(dataDir, 'temporal.db');

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    return fail(err instanceof ConfigError ? err.message : String(err));
  }
  if (config.temporal.external)
    return fail(
      `TEMPORAL_ADDRESS is set (${config.temporal.address}): this backup copies the dev server's SQLite file only; back up an external Temporal cluster's persistence with its own tools (Temporal Cloud keeps its own) / 外部 Temporal 集群请用其自身工具备份`,
    );
  if (!fs.existsSync(temporalDbFile)) return fail(`${temporalDbFile} not found: nothing to back up (has \`npm start\` ever run with DATA_DIR=${dataDir}?) / 未找到 Temporal 数据库`);

  let embedded: EmbeddedDatabase | null = null;
  if (config.embeddedDatabase && !(await portOpen(config.embeddedPgPort))) {
    // The system is stopped: a cold backup, with the embedded database started just for it.
    say(`Embedded PostgreSQL is not running; starting it on ${config.embeddedPgPort} for the backup …`, '内置 PostgreSQL 未运行，临时启动以备份 …');
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, databaseUrl: config.databaseUrl });
  }
  try {
    const outDir = path.resolve(positional[0] ?? path.join(config.dataDir, 'backups'));
    const photosAt = config.blobs.kind === 'local' ? config.blobs.dir : `S3 bucket ${config.blobs.bucket}, not copied`;
    say(`Backing up Temporal (${temporalDbFile}), PostgreSQL (${redactUrl(config.databaseUrl)}) and photos (${photosAt}) into ${outDir}`, '开始备份 Temporal、PostgreSQL 与照片');
    const { dir, manifest } = await createBackup({
      temporalDbFile,
      databaseUrl: config.databaseUrl,
      outDir,
      namespace: config.temporal.namespace,
      // Never the S3 credentials: the backup names the bucket only.
      blobs:
        config.blobs.kind === 'local'
          ? { kind: 'local', dir: config.blobs.dir }
          : { kind: 's3', bucket: config.blobs.bucket, region: config.blobs.region, endpoint: config.blobs.endpoint },
      keys: {
        payloadKeyIds: config.temporal.payloadKeys.keyIds,
        encryptionKeyId: config.temporal.payloadKeys.encryptionKeyId,
        payloadKeysSource: process.env.TEMPORAL_PAYLOAD_KEYS ? 'TEMPORAL_PAYLOAD_KEYS' : path.join(config.dataDir, '.temporal-payload-keys'),
        jwtSecretSource: process.env.JWT_SECRET ? 'JWT_SECRET' : path.join(config.dataDir, '.jwt-secret'),
      },
      log: say,
    });
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    const b = manifest.blobs!;
    const photos =
      b.store === 'local'
        ? `   Photos    ${b.dir}/  ${b.files} blob(s), ${mb(b.bytes)} MB from ${b.sourceDir} (copied after the snapshot, ${b.copyFinishedAt}) / 照片与签名已复制` +
          (b.corrupt.length ? `\n   ! ${b.corrupt.length} damaged blob(s) in the store left out (listed in manifest.json) / ${b.corrupt.length} 个已损坏的照片未复制` : '')
        : `   Photos    NOT COPIED: they live in the S3 bucket "${b.bucket}"${b.endpoint ? ` at ${b.endpoint}` : ''}; back it up with the bucket's own versioning/replication\n` +
          `             照片与签名未复制：保存在 S3 存储桶“${b.bucket}”中，请用存储桶自身的版本控制或复制功能备份`;
    console.log(`
────────────────────────────────────────────────────────────
 Backup written / 备份完成: ${dir}
   Temporal  ${manifest.temporal.file}   ${mb(manifest.temporal.bytes)} MB  (copied ${manifest.temporal.copyFinishedAt})
   Postgres  ${manifest.postgres.file}  ${mb(manifest.postgres.bytes)} MB  (snapshot ${manifest.postgres.snapshotAt}, ${manifest.postgres.pgDump})
${photos}
   Cases ${manifest.counts.cases} (open ${manifest.counts.openCases}), leads ${manifest.counts.leads}, sales ${manifest.counts.sales}, audit events ${manifest.counts.auditEvents}
   Took ${(manifest.durationMs / 1000).toFixed(1)} s / 用时 ${(manifest.durationMs / 1000).toFixed(1)} 秒
 KEEP WITH IT / 请一并保管: payload key(s) ${manifest.keys.payloadKeyIds.join(', ')} from ${manifest.keys.payloadKeysSource}
   and the JWT secret from ${manifest.keys.jwtSecretSource}: not in the backup; without the payload key the
   restored workflows cannot be read / 备份不含密钥，缺少加密密钥则无法读取恢复的工作流
────────────────────────────────────────────────────────────`);
  } finally {
    await embedded?.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => fail(err instanceof Error ? err.message : String(err)),
);
