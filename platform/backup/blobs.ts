import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { isBlobKey, localBlobPath, LOCAL_TYPE_SUFFIX } from '../storage/index.js';

/**
 * Photos and signatures in a backup (issue 15's content-addressed blob store, platform/storage).
 *
 * With the local store (BLOB_DIR, default `<DATA_DIR>/blobs`) the backup copies its files into
 * `blobs/`, in the store's own layout (`ab/cd/<key>` and `<key>.type`), and lists what it copied
 * in `blobs.tsv` (one `key<TAB>bytes<TAB>content type` line per blob, sorted by key), whose SHA-256
 * the manifest keeps with the count and the bytes. The copy comes AFTER the PostgreSQL snapshot:
 * a blob is stored before any row names it (uploadPhoto, then the row) and never changes (its key
 * is the SHA-256 of its bytes), so every key the dump names is already in the store when the copy
 * starts; a blob stored later is only unreferenced in the restored system. (A future sweep of
 * unreferenced blobs must keep a grace period longer than a backup takes, or a blob whose last
 * row was deleted after the snapshot could go before the copy reaches it.)
 *
 * The copy is a plain streamed copy that hashes as it goes: a blob whose bytes no longer match its
 * key (disk damage) is left out and named in the manifest rather than carried into the backup.
 * Not hard links: they work on one file system only (a backup belongs on another disk), and a
 * link shares the bytes, so damage to the store's file would be damage to the backup's. The
 * store's temporary files (`<name>.tmp-*`, an upload in progress) and a type file whose blob is
 * not there yet are skipped.
 *
 * With an S3 bucket nothing is copied: the manifest names the bucket (never its credentials), and
 * the bucket's own versioning or replication is its backup.
 */
export const BLOBS_DIR = 'blobs';
export const BLOBS_INDEX = 'blobs.tsv';

/** Where the running system keeps its blobs, as the backup needs it: no credential in here. */
export type BlobSource = { kind: 'local'; dir: string } | { kind: 's3'; bucket: string; region: string; endpoint?: string | undefined };

export interface LocalBlobsManifest {
  store: 'local';
  /** The folder in the backup (`blobs`) and the list of what it holds (`blobs.tsv`). */
  dir: string;
  index: string;
  /** SHA-256 of the list: restore refuses a backup whose list or files do not match. */
  indexSha256: string;
  /** Blobs copied (each with its type file) and their bytes. */
  files: number;
  bytes: number;
  /** The folder they were copied from (BLOB_DIR). */
  sourceDir: string;
  copyStartedAt: string;
  copyFinishedAt: string;
  /** Keys whose stored bytes no longer matched them: not copied (already lost in the running system). */
  corrupt: string[];
}

export interface S3BlobsManifest {
  store: 's3';
  bucket: string;
  region: string;
  /** The endpoint's origin (no user info), or null for AWS's own. */
  endpoint: string | null;
  copied: false;
  notice: string;
}

export type BlobsManifest = LocalBlobsManifest | S3BlobsManifest;

export const S3_BLOBS_NOTICE =
  'Photos and signatures are kept in the S3 bucket named here and are NOT in this backup: back the bucket up by its own means ' +
  '(versioning, replication, the provider\'s backup), so that it holds every object at least as old as this backup. / ' +
  '照片与签名保存在此 S3 存储桶中，不在本备份内：请用存储桶自身的版本控制或复制功能备份。';

export interface BlobEntry {
  key: string;
  bytes: number;
  /** The content type from its type file; '' when the store had none (read back as application/octet-stream). */
  contentType: string;
}

const PARALLEL = 4;

/** Runs `fn` on the items, PARALLEL at a time; after a failure starts nothing more, waits for what runs, then throws it. */
async function eachLimited<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { err: unknown } | null = null;
  await Promise.all(
    Array.from({ length: Math.min(PARALLEL, items.length) }, async () => {
      while (!failure && next < items.length) {
        try {
          await fn(items[next++]!);
        } catch (err) {
          failure ??= { err };
        }
      }
    }),
  );
  if (failure) throw (failure as { err: unknown }).err;
}

const isHexPair = (name: string) => /^[0-9a-f]{2}$/.test(name);

async function readdirOrEmpty(dir: string): Promise<fs.Dirent[]> {
  try {
    return await fsp.readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** The keys of the blobs under a folder in the local store's layout, sorted; nothing else is listed. */
export async function listLocalBlobKeys(dir: string): Promise<string[]> {
  const keys: string[] = [];
  for (const a of await readdirOrEmpty(dir)) {
    if (!a.isDirectory() || !isHexPair(a.name)) continue;
    for (const b of await readdirOrEmpty(path.join(dir, a.name))) {
      if (!b.isDirectory() || !isHexPair(b.name)) continue;
      for (const f of await readdirOrEmpty(path.join(dir, a.name, b.name)))
        if (f.isFile() && isBlobKey(f.name) && f.name.startsWith(a.name + b.name)) keys.push(f.name);
    }
  }
  return keys.sort();
}

const indexText = (entries: readonly BlobEntry[]) => entries.map((e) => `${e.key}\t${e.bytes}\t${e.contentType}\n`).join('');
const sha256Text = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

async function readTypeOrEmpty(file: string): Promise<string> {
  try {
    return (await fsp.readFile(file + LOCAL_TYPE_SUFFIX, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

/** Copies `from` to `to` (created exclusively), answering the SHA-256 of the bytes copied. */
async function copyHashing(from: string, to: string, mode: number): Promise<{ sha256: string; bytes: number }> {
  const h = crypto.createHash('sha256');
  let bytes = 0;
  await pipeline(
    fs.createReadStream(from),
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        h.update(chunk);
        bytes += chunk.length;
        yield chunk;
      }
    },
    fs.createWriteStream(to, { flags: 'wx', mode }),
  );
  return { sha256: h.digest('hex'), bytes };
}

async function sha256OfFile(file: string): Promise<string> {
  const h = crypto.createHash('sha256');
  await pipeline(fs.createReadStream(file), async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) h.update(chunk);
  });
  return h.digest('hex');
}

/** The backup's copy of a local store (see the top of this file): `blobs/` and `blobs.tsv` under `backupDir`. */
export async function backupLocalBlobs(sourceDir: string, backupDir: string): Promise<LocalBlobsManifest> {
  const copyStartedAt = new Date();
  const keys = await listLocalBlobKeys(sourceDir);
  const entries: BlobEntry[] = [];
  const corrupt: string[] = [];
  const target = path.join(backupDir, BLOBS_DIR);
  fs.mkdirSync(target, { recursive: true, mode: 0o700 });
  await eachLimited(keys, async (key) => {
    const from = path.join(sourceDir, localBlobPath(key));
    const to = path.join(target, localBlobPath(key));
    await fsp.mkdir(path.dirname(to), { recursive: true, mode: 0o700 });
    // The type file is written before the blob and never changes: read it first.
    const contentType = await readTypeOrEmpty(from);
    let copied: { sha256: string; bytes: number };
    try {
      copied = await copyHashing(from, to, 0o600);
    } catch (err) {
      await fsp.rm(to, { force: true });
      // Gone since the listing (nothing deletes blobs today; a future sweep might): nothing to keep.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    if (copied.sha256 !== key) {
      await fsp.rm(to, { force: true });
      corrupt.push(key);
      return;
    }
    if (contentType) await fsp.writeFile(to + LOCAL_TYPE_SUFFIX, contentType, { flag: 'wx', mode: 0o600 });
    entries.push({ key, bytes: copied.bytes, contentType });
  });
  entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const text = indexText(entries);
  fs.writeFileSync(path.join(backupDir, BLOBS_INDEX), text, { mode: 0o600 });
  return {
    store: 'local',
    dir: BLOBS_DIR,
    index: BLOBS_INDEX,
    indexSha256: sha256Text(text),
    files: entries.length,
    bytes: entries.reduce((n, e) => n + e.bytes, 0),
    sourceDir: path.resolve(sourceDir),
    copyStartedAt: copyStartedAt.toISOString(),
    copyFinishedAt: new Date().toISOString(),
    corrupt: corrupt.sort(),
  };
}

export function s3BlobsManifest(source: Extract<BlobSource, { kind: 's3' }>): S3BlobsManifest {
  return { store: 's3', bucket: source.bucket, region: source.region, endpoint: source.endpoint ? new URL(source.endpoint).origin : null, copied: false, notice: S3_BLOBS_NOTICE };
}

/** A damaged blob copy, found before the restore writes anything. */
export class BackupBlobsDamagedError extends Error {
  override name = 'BackupBlobsDamagedError';
}

const firstFew = (keys: readonly string[]) => keys.slice(0, 3).join(', ') + (keys.length > 3 ? ', …' : '');

/**
 * Checks a backup's blob copy against its manifest before anything is restored: the list's SHA-256,
 * count and bytes, and every listed blob present, of its size, hashing to its key (the key IS the
 * SHA-256 of the content), with its content type. Answers the list; throws BackupBlobsDamagedError
 * naming what is missing or damaged.
 */
export async function checkBackupBlobs(backupDir: string, m: LocalBlobsManifest): Promise<BlobEntry[]> {
  const indexFile = path.join(backupDir, m.index);
  if (!fs.existsSync(indexFile)) throw new BackupBlobsDamagedError(`${indexFile} is missing from the backup: its photos cannot be checked (the backup is damaged) / 备份缺少照片清单`);
  const text = fs.readFileSync(indexFile, 'utf8');
  if (sha256Text(text) !== m.indexSha256)
    throw new BackupBlobsDamagedError(`${indexFile} does not match the manifest (SHA-256): the backup is damaged / 照片清单与备份清单不符，备份已损坏`);
  const entries = text
    .split('\n')
    .filter(Boolean)
    .map((line): BlobEntry => {
      const [key = '', bytes = '', contentType = ''] = line.split('\t');
      return { key, bytes: Number(bytes), contentType };
    });
  if (entries.length !== m.files || entries.some((e) => !isBlobKey(e.key) || !Number.isSafeInteger(e.bytes)) || entries.reduce((n, e) => n + e.bytes, 0) !== m.bytes)
    throw new BackupBlobsDamagedError(`${indexFile} does not agree with the manifest's count (${m.files}) or bytes (${m.bytes}): the backup is damaged / 照片清单与备份清单不符`);

  const dir = path.join(backupDir, m.dir);
  const missing: string[] = [];
  const damaged: string[] = [];
  await eachLimited(entries, async (e) => {
    const file = path.join(dir, localBlobPath(e.key));
    let size: number;
    try {
      size = (await fsp.stat(file)).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      missing.push(e.key);
      return;
    }
    if (size !== e.bytes || (await sha256OfFile(file)) !== e.key || (await readTypeOrEmpty(file)) !== e.contentType) damaged.push(e.key);
  });
  if (missing.length || damaged.length) {
    const parts = [
      missing.length ? `${missing.length} missing (${firstFew(missing.sort())})` : '',
      damaged.length ? `${damaged.length} damaged: size, content or type differs from the list (${firstFew(damaged.sort())})` : '',
    ].filter(Boolean);
    throw new BackupBlobsDamagedError(
      `the backup's photos and signatures do not match its manifest: of ${entries.length} blob files under ${dir}, ${parts.join('; ')}. The backup is damaged; nothing was restored / 备份中的照片与清单不符（缺失 ${missing.length}，损坏 ${damaged.length}），备份已损坏，未做任何恢复`,
    );
  }
  return entries;
}

export interface BlobRestoreResult {
  dir: string;
  /** Blobs written into the folder. */
  restored: number;
  /** Already there with the same content (a key names one content): left as they were. */
  alreadyPresent: number;
  /** There but no longer matching their key (damaged): replaced by the backup's copy. */
  repaired: number;
  bytes: number;
}

async function placeAtomically(from: string, to: string): Promise<void> {
  const tmp = `${to}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    // A reflink where the file system has them (copy-on-write: still an independent file), else a copy.
    await fsp.copyFile(from, tmp, fs.constants.COPYFILE_EXCL | fs.constants.COPYFILE_FICLONE);
    await fsp.chmod(tmp, 0o640);
    await fsp.rename(tmp, to);
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}

/**
 * Puts checked blobs (checkBackupBlobs) into a local store's folder, merging: a key already there
 * is the same content, kept after its hash proves it; a damaged one is replaced. Each file goes in
 * as the store writes its own (temporary name, rename; the type file before the blob).
 */
export async function restoreLocalBlobs(backupDir: string, m: LocalBlobsManifest, entries: readonly BlobEntry[], targetDir: string): Promise<BlobRestoreResult> {
  const result: BlobRestoreResult = { dir: path.resolve(targetDir), restored: 0, alreadyPresent: 0, repaired: 0, bytes: 0 };
  await eachLimited(entries, async (e) => {
    const from = path.join(backupDir, m.dir, localBlobPath(e.key));
    const to = path.join(targetDir, localBlobPath(e.key));
    await fsp.mkdir(path.dirname(to), { recursive: true });
    const there = fs.existsSync(to);
    if (e.contentType && !fs.existsSync(to + LOCAL_TYPE_SUFFIX)) await placeAtomically(from + LOCAL_TYPE_SUFFIX, to + LOCAL_TYPE_SUFFIX);
    if (there && (await sha256OfFile(to)) === e.key) {
      result.alreadyPresent++;
      return;
    }
    await placeAtomically(from, to);
    if (there) result.repaired++;
    else result.restored++;
    result.bytes += e.bytes;
  });
  return result;
}
