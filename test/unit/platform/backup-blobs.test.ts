import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKUP_FORMAT, MANIFEST_FILE, readManifest } from '../../../platform/backup/backup.js';
import { BLOBS_DIR, BLOBS_INDEX, backupLocalBlobs, checkBackupBlobs, listLocalBlobKeys, restoreLocalBlobs, s3BlobsManifest } from '../../../platform/backup/blobs.js';
import { blobKeyOf, LocalBlobStore, localBlobPath } from '../../../platform/storage/index.js';

/** The backup's copy of the local blob store (platform/backup/blobs.ts), on real folders. */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tempDir = (name: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `estate-care-${name}-`));
  dirs.push(d);
  return d;
};
const bytes = (text: string) => new TextEncoder().encode(text);

/** A store with a photo and a thumbnail, plus what a running store also has lying about. */
async function storeWithLeftovers() {
  const dir = tempDir('blobs');
  const store = new LocalBlobStore(dir);
  const photo = await store.put(bytes('a photo, in JPEG'), 'image/jpeg');
  const thumb = await store.put(bytes('its thumbnail, in WebP'), 'image/webp');
  // An upload in progress: the store's temporary file, and a type file whose blob is not renamed in yet.
  const pending = blobKeyOf(bytes('an upload in progress'));
  fs.mkdirSync(path.join(dir, path.dirname(localBlobPath(pending))), { recursive: true });
  fs.writeFileSync(path.join(dir, localBlobPath(pending)) + '.type', 'image/jpeg');
  fs.writeFileSync(path.join(dir, localBlobPath(pending)) + `.tmp-1234-abcd0123`, 'half an upl');
  // A blob damaged on disk: its bytes no longer hash to its name.
  const damaged = blobKeyOf(bytes('a photo that rotted'));
  fs.mkdirSync(path.join(dir, path.dirname(localBlobPath(damaged))), { recursive: true });
  fs.writeFileSync(path.join(dir, localBlobPath(damaged)), 'a photo that ROTTED');
  // Something that is not the store's at all.
  fs.writeFileSync(path.join(dir, 'README'), 'not a blob');
  return { dir, store, photo, thumb, pending, damaged };
}

describe('backing up the local blob store', () => {
  it('copies every blob with its type, skips temporary files and half-written uploads, leaves out a damaged blob and lists what it copied', async () => {
    const s = await storeWithLeftovers();
    expect(await listLocalBlobKeys(s.dir)).toEqual([s.photo, s.thumb, s.damaged].sort());
    const backup = tempDir('backup');
    const m = await backupLocalBlobs(s.dir, backup);
    expect(m).toMatchObject({ store: 'local', dir: BLOBS_DIR, index: BLOBS_INDEX, files: 2, bytes: 16 + 22, sourceDir: s.dir, corrupt: [s.damaged] });
    expect(fs.readFileSync(path.join(backup, BLOBS_INDEX), 'utf8')).toBe(
      [
        [s.photo, 16, 'image/jpeg'],
        [s.thumb, 22, 'image/webp'],
      ]
        .sort()
        .map((l) => l.join('\t') + '\n')
        .join(''),
    );
    const copied = fs.readdirSync(path.join(backup, BLOBS_DIR), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort();
    expect(copied).toEqual([s.photo, `${s.photo}.type`, s.thumb, `${s.thumb}.type`].sort());
    // The copy is the store's layout: a store opened on it reads the photo back.
    expect(await new LocalBlobStore(path.join(backup, BLOBS_DIR)).get(s.photo)).toEqual({ bytes: bytes('a photo, in JPEG'), contentType: 'image/jpeg' });
  });

  it('copies an empty or missing folder as no blobs', async () => {
    const m = await backupLocalBlobs(path.join(tempDir('none'), 'never-written'), tempDir('backup'));
    expect(m).toMatchObject({ files: 0, bytes: 0, corrupt: [] });
  });

  it('names an S3 bucket without its credentials', () => {
    const m = s3BlobsManifest({ kind: 's3', bucket: 'estate-photos', region: 'cn-east-1', endpoint: 'http://user:secret@seaweed.internal:8333/' });
    expect(m).toMatchObject({ store: 's3', bucket: 'estate-photos', region: 'cn-east-1', endpoint: 'http://seaweed.internal:8333', copied: false });
    expect(JSON.stringify(m)).not.toContain('secret');
  });
});

describe('restoring the blob copy', () => {
  async function backupOf() {
    const s = await storeWithLeftovers();
    const backup = tempDir('backup');
    const m = await backupLocalBlobs(s.dir, backup);
    return { ...s, backup, m };
  }

  it('checks every file against the list and its key, then merges into the target: new, already there, damaged there', async () => {
    const b = await backupOf();
    const entries = await checkBackupBlobs(b.backup, b.m);
    expect(entries.map((e) => e.key)).toEqual([b.photo, b.thumb].sort());

    const target = tempDir('target');
    // The photo is already there (same key, same content); the thumbnail is there but damaged.
    await new LocalBlobStore(target).put(bytes('a photo, in JPEG'), 'image/jpeg');
    fs.mkdirSync(path.join(target, path.dirname(localBlobPath(b.thumb))), { recursive: true });
    fs.writeFileSync(path.join(target, localBlobPath(b.thumb)), 'its thumbnail, DAMAGED');
    const r = await restoreLocalBlobs(b.backup, b.m, entries, target);
    expect(r).toEqual({ dir: target, restored: 0, alreadyPresent: 1, repaired: 1, bytes: 22 });
    const restored = new LocalBlobStore(target);
    expect(await restored.get(b.thumb)).toEqual({ bytes: bytes('its thumbnail, in WebP'), contentType: 'image/webp' });

    const fresh = tempDir('fresh');
    expect(await restoreLocalBlobs(b.backup, b.m, entries, fresh)).toEqual({ dir: fresh, restored: 2, alreadyPresent: 0, repaired: 0, bytes: 38 });
    expect(await new LocalBlobStore(fresh).get(b.photo)).toEqual({ bytes: bytes('a photo, in JPEG'), contentType: 'image/jpeg' });
    // No temporary file left behind.
    expect(fs.readdirSync(fresh, { recursive: true }).filter((n) => String(n).includes('.tmp-'))).toEqual([]);
  });

  it('refuses a blob file missing from the backup, one whose bytes changed, and a list that does not match the manifest', async () => {
    const missing = await backupOf();
    fs.rmSync(path.join(missing.backup, BLOBS_DIR, localBlobPath(missing.thumb)));
    await expect(checkBackupBlobs(missing.backup, missing.m)).rejects.toThrow(new RegExp(`of 2 blob files .*1 missing \\(${missing.thumb}\\).*damaged`));

    const changed = await backupOf();
    const file = path.join(changed.backup, BLOBS_DIR, localBlobPath(changed.photo));
    fs.writeFileSync(file, 'a photo, in JPEX'); // same size, other bytes
    await expect(checkBackupBlobs(changed.backup, changed.m)).rejects.toThrow(/1 damaged/);

    const listed = await backupOf();
    fs.appendFileSync(path.join(listed.backup, BLOBS_INDEX), `${'0'.repeat(64)}\t1\timage/jpeg\n`);
    await expect(checkBackupBlobs(listed.backup, listed.m)).rejects.toThrow(/blobs\.tsv does not match the manifest/);
  });
});

describe('reading a manifest', () => {
  const write = (m: Record<string, unknown>) => {
    const dir = tempDir('manifest');
    fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(m));
    return dir;
  };
  it('reads a backup from before photos (format /1) without a blobs section, and refuses /2 without one and unknown formats', () => {
    expect(readManifest(write({ format: 'estate-care-backup/1', createdAt: '2026-11-23T03:06:37Z' })).blobs).toBeUndefined();
    expect(BACKUP_FORMAT).toBe('estate-care-backup/2');
    expect(readManifest(write({ format: BACKUP_FORMAT, blobs: { store: 's3', bucket: 'b' } })).blobs).toMatchObject({ store: 's3' });
    expect(() => readManifest(write({ format: BACKUP_FORMAT }))).toThrow(/no valid "blobs" section/);
    expect(() => readManifest(write({ format: 'estate-care-backup/3' }))).toThrow(/unknown backup format/);
  });
});
