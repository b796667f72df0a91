import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobKeyOf, LocalBlobStore, openBlobStore, S3BlobStore, type BlobStore } from '../../platform/storage/index.js';
import { startSeaweedS3, type SeaweedS3 } from '../support/seaweedfs.js';
import { pino } from 'pino';
import sharp from 'sharp';
import { fetchPhoto } from '../../app/photos/fetch-photo.js';
import { DEFAULT_PHOTO_MAX_BYTES } from '../../app/photos/photo-content.js';
import { photoStoreOver } from '../../app/photos/photo-store.js';
import { uploadPhoto, type StoredPhoto } from '../../app/photos/upload-photo.js';
import { jpeg } from '../unit/photos/images.js';

/**
 * One contract, two stores: the local folder (development, `npm start`) and S3 against a real
 * S3-compatible server (SeaweedFS's gateway, started here). Whatever the photos module relies on
 * is asserted once and holds for both.
 */
function blobStoreContract(name: string, open: () => Promise<BlobStore>) {
  describe(`${name}: the blob store contract`, () => {
    let store: BlobStore;
    beforeAll(async () => {
      store = await open();
    });

    it('answers the SHA-256 of the bytes as the key, and gives back the same bytes and content type', async () => {
      const bytes = crypto.randomBytes(50_000);
      const key = await store.put(bytes, 'image/jpeg');
      expect(key).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
      const got = await store.get(key);
      expect(got).not.toBeNull();
      expect(Buffer.from(got!.bytes).equals(bytes)).toBe(true);
      expect(got!.contentType).toBe('image/jpeg');
      expect(await store.has(key)).toBe(true);
    });

    it('gives the same bytes the same key, and a re-put changes nothing (not even the first content type)', async () => {
      const bytes = crypto.randomBytes(1000);
      const first = await store.put(bytes, 'image/png');
      const again = await store.put(Buffer.from(bytes), 'image/webp');
      expect(again).toBe(first);
      expect((await store.get(first))!.contentType).toBe('image/png');
    });

    it('gives different bytes different keys', async () => {
      const a = await store.put(Buffer.from('a'), 'text/plain');
      const b = await store.put(Buffer.from('b'), 'text/plain');
      expect(a).not.toBe(b);
      expect(Buffer.from((await store.get(a))!.bytes).toString()).toBe('a');
      expect(Buffer.from((await store.get(b))!.bytes).toString()).toBe('b');
    });

    it('answers null and false for a key never stored', async () => {
      const missing = blobKeyOf(crypto.randomBytes(32));
      expect(await store.get(missing)).toBeNull();
      expect(await store.has(missing)).toBe(false);
    });

    it('stores an empty blob under the SHA-256 of nothing', async () => {
      const key = await store.put(new Uint8Array(0), 'application/octet-stream');
      expect(key).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      expect((await store.get(key))!.bytes.byteLength).toBe(0);
    });

    it('takes concurrent puts of the same bytes, keeping one blob', async () => {
      const bytes = crypto.randomBytes(200_000);
      const keys = await Promise.all(Array.from({ length: 5 }, () => store.put(bytes, 'image/jpeg')));
      expect(new Set(keys).size).toBe(1);
      expect(Buffer.from((await store.get(keys[0]!))!.bytes).equals(bytes)).toBe(true);
    });

    it('refuses a key that is not a SHA-256 hex string before touching storage', async () => {
      for (const bad of ['../../etc/passwd', 'ABC', `${'a'.repeat(64)}/x`, 'A'.repeat(64), ''])
        await expect(store.get(bad)).rejects.toThrow(/not a blob key/);
      await expect(store.has('../x')).rejects.toThrow(/not a blob key/);
    });

    it('refuses a content type that is not one', async () => {
      await expect(store.put(Buffer.from('x'), 'jpeg\r\nX-Evil: 1')).rejects.toThrow(/invalid content type/);
    });
  });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'estate-care-blobs-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

blobStoreContract('local disk', async () => openBlobStore({ kind: 'local', dir: path.join(tmp, 'blobs') }));

describe('local disk: on the disk', () => {
  it('shards blobs into two levels of folders, with no temporary file left after a write', async () => {
    const dir = path.join(tmp, 'sharded');
    const store = new LocalBlobStore(dir);
    const key = await store.put(Buffer.from('sharded'), 'text/plain');
    expect(fs.readdirSync(path.join(dir, key.slice(0, 2), key.slice(2, 4))).sort()).toEqual([key, `${key}.type`]);
  });

  it('refuses a blob whose bytes no longer match its key', async () => {
    const dir = path.join(tmp, 'corrupt');
    const store = new LocalBlobStore(dir);
    const key = await store.put(Buffer.from('original'), 'text/plain');
    fs.writeFileSync(path.join(dir, key.slice(0, 2), key.slice(2, 4), key), 'tampered');
    await expect(store.get(key)).rejects.toThrow(/does not match its key/);
  });
});

let seaweed: SeaweedS3 | undefined;
const s3Stores: S3BlobStore[] = [];
afterAll(async () => {
  for (const s of s3Stores) s.close();
  await seaweed?.stop();
}, 30_000);

describe('S3 (SeaweedFS)', () => {
  // The first run on a machine builds SeaweedFS (minutes); `npm test` builds it before the suite.
  beforeAll(async () => {
    seaweed = await startSeaweedS3((m) => process.stderr.write(`  … ${m}\n`));
  }, 15 * 60_000);

  blobStoreContract('S3 (SeaweedFS)', async () => {
    const store = (await openBlobStore({ kind: 's3', ...seaweed!.settings('estate-care-photos') })) as S3BlobStore;
    s3Stores.push(store);
    return store;
  });

  it('creates its bucket at start-up, and opens an existing one as it is', async () => {
    const settings = seaweed!.settings('estate-care-fresh');
    const first = (await openBlobStore({ kind: 's3', ...settings })) as S3BlobStore;
    s3Stores.push(first);
    const key = await first.put(Buffer.from('kept'), 'text/plain');
    const second = (await openBlobStore({ kind: 's3', ...settings })) as S3BlobStore;
    s3Stores.push(second);
    expect(Buffer.from((await second.get(key))!.bytes).toString()).toBe('kept');
  });

  it('keeps an uploaded photo and its thumbnail, and gives them back through their record', async () => {
    const store = (await openBlobStore({ kind: 's3', ...seaweed!.settings('estate-care-photos') })) as S3BlobStore;
    s3Stores.push(store);
    const deps = { photos: photoStoreOver(store), logger: pino({ level: 'silent' }) };
    const stored = await uploadPhoto(deps, { bytes: await jpeg(2400, 1800, { exif: true }) }, { maxBytes: DEFAULT_PHOTO_MAX_BYTES });
    const order = { id: 'wo-1', photos: [stored] as StoredPhoto[] };
    const access = { findOwner: async (id: string) => (id === order.id ? order : null), maySee: () => true, photosOf: (o: typeof order) => o.photos };
    const photo = await fetchPhoto(deps, access, { principal: {}, ownerId: 'wo-1', photoKey: stored.key, variant: 'photo' });
    const thumb = await fetchPhoto(deps, access, { principal: {}, ownerId: 'wo-1', photoKey: stored.key, variant: 'thumb' });
    expect([photo.contentType, thumb.contentType]).toEqual(['image/jpeg', 'image/webp']);
    const meta = await sharp(Buffer.from(photo.bytes)).metadata();
    expect([meta.width, meta.height, meta.exif]).toEqual([1600, 1200, undefined]);
    expect(blobKeyOf(thumb.bytes)).toBe(stored.thumbKey);
  });

  it('fails loudly with wrong credentials rather than answering "missing"', async () => {
    const store = new S3BlobStore({ ...seaweed!.settings('estate-care-photos'), secretAccessKey: 'wrong-secret' });
    s3Stores.push(store);
    await expect(store.get(blobKeyOf(Buffer.from('x')))).rejects.toThrow();
  });
});
