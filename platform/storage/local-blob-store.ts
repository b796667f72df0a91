import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { assertBlobKey, assertContentType, BlobCorruptedError, blobKeyOf, type BlobStore, type StoredBlob } from './blob-store.js';

/**
 * Blobs as files under one folder (by default `<DATA_DIR>/blobs`), for development, tests and a
 * single-server installation: `ab/cd/abcd…` (two levels of 256 folders keep any folder small), its
 * content type beside it in `abcd….type`.
 *
 * Each file is written atomically: to a temporary name in the same folder, flushed, then renamed
 * into place, so a reader sees the whole file or none, and a crash leaves at most a stray
 * `.tmp-*` file. The type file goes first and the blob last: a blob that exists has its type.
 * Two writers of the same bytes both rename the same content onto the same name, which is harmless.
 * A read re-hashes the bytes (photos are small) and refuses a blob that no longer matches its key.
 */
/**
 * Where the local store keeps a key's blob, relative to its folder (`ab/cd/abcd…`); its content
 * type is in the same path plus LOCAL_TYPE_SUFFIX. Exported for the backup (platform/backup/blobs.ts),
 * which copies the folder as files: the layout is defined here, once.
 */
export function localBlobPath(key: string): string {
  assertBlobKey(key);
  return path.join(key.slice(0, 2), key.slice(2, 4), key);
}

export const LOCAL_TYPE_SUFFIX = '.type';

export class LocalBlobStore implements BlobStore {
  readonly kind = 'local' as const;

  constructor(readonly dir: string) {}

  private pathOf(key: string): string {
    return path.join(this.dir, localBlobPath(key));
  }

  async put(bytes: Uint8Array, contentType: string): Promise<string> {
    assertContentType(contentType);
    const key = blobKeyOf(bytes);
    const file = this.pathOf(key);
    if (await exists(file)) return key;
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeAtomically(file + LOCAL_TYPE_SUFFIX, contentType);
    await writeAtomically(file, bytes);
    return key;
  }

  async get(key: string): Promise<StoredBlob | null> {
    assertBlobKey(key);
    const file = this.pathOf(key);
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    if (blobKeyOf(bytes) !== key) throw new BlobCorruptedError(key);
    const contentType = await fs.readFile(file + LOCAL_TYPE_SUFFIX, 'utf8').catch(() => 'application/octet-stream');
    return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), contentType: contentType.trim() };
  }

  async has(key: string): Promise<boolean> {
    assertBlobKey(key);
    return exists(this.pathOf(key));
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

async function writeAtomically(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const handle = await fs.open(tmp, 'wx', 0o640);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}
