import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../../app/errors.js';
import { fetchPhoto, type PhotoOwnerAccess } from '../../../app/photos/fetch-photo.js';
import { DEFAULT_PHOTO_MAX_BYTES } from '../../../app/photos/photo-content.js';
import { photoStoreOver } from '../../../app/photos/photo-store.js';
import { uploadPhoto, type StoredPhoto } from '../../../app/photos/upload-photo.js';
import { blobKeyOf, LocalBlobStore, type BlobStore } from '../../../platform/storage/index.js';
import { jpeg, png } from './images.js';

const limits = { maxBytes: DEFAULT_PHOTO_MAX_BYTES };
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A real local blob store in a fresh folder, counting reads, and a logger whose lines are kept. */
function harness(o: { failing?: boolean } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'estate-care-photos-'));
  dirs.push(dir);
  const local = new LocalBlobStore(dir);
  const reads: string[] = [];
  const store: BlobStore = {
    kind: 'local',
    put: (bytes, type) => (o.failing ? Promise.reject(new Error('disk full')) : local.put(bytes, type)),
    get: (key) => {
      reads.push(key);
      return o.failing ? Promise.reject(new Error('disk gone')) : local.get(key);
    },
    has: (key) => local.has(key),
  };
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
  return { deps: { photos: photoStoreOver(store), logger }, local, reads, lines };
}

async function reasonOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return (err as DomainError).reason;
}

describe('uploading a photo', () => {
  it('stores the photo and its thumbnail under the SHA-256 of their bytes, and answers what the record keeps', async () => {
    const { deps, local } = harness();
    const stored = await uploadPhoto(deps, { bytes: await jpeg(3200, 2400) }, limits);
    expect(stored).toMatchObject({ width: 1600, height: 1200, contentType: 'image/jpeg' });
    const photo = await local.get(stored.key);
    const thumb = await local.get(stored.thumbKey);
    expect(blobKeyOf(photo!.bytes)).toBe(stored.key);
    expect(photo!.bytes.byteLength).toBe(stored.bytes);
    expect(photo!.contentType).toBe('image/jpeg');
    expect(thumb!.contentType).toBe('image/webp');
    expect((await sharp(Buffer.from(thumb!.bytes)).metadata()).width).toBe(320);
  });

  it('answers the same keys for the same upload twice, storing nothing new', async () => {
    const { deps, local } = harness();
    const bytes = await png(500, 300);
    const first = await uploadPhoto(deps, { bytes }, limits);
    const files = fs.readdirSync(local.dir, { recursive: true }).length;
    expect(await uploadPhoto(deps, { bytes }, limits)).toEqual(first);
    expect(fs.readdirSync(local.dir, { recursive: true }).length).toBe(files);
  });

  it('logs keys and sizes only: nothing of the photo’s EXIF (GPS, make) reaches the log', async () => {
    const { deps, lines } = harness();
    await uploadPhoto(deps, { bytes: await jpeg(800, 600, { exif: true }) }, limits);
    const log = lines.join('');
    expect(log).toContain('photo stored');
    expect(log).not.toMatch(/SentinelPhoneMaker|taken-at-owner-home|GPS|latitude|longitude/i);
  });

  it('answers PHOTO_STORE_UNAVAILABLE (503) when the blob store fails, after the content checks', async () => {
    const { deps } = harness({ failing: true });
    expect(await reasonOf(uploadPhoto(deps, { bytes: Buffer.from('not a photo') }, limits))).toBe('PHOTO_TYPE_UNKNOWN');
    expect(await reasonOf(uploadPhoto(deps, { bytes: await jpeg(100, 100) }, limits))).toBe('PHOTO_STORE_UNAVAILABLE');
  });
});

describe('fetching a photo goes through the record that holds it', () => {
  interface WorkOrder {
    id: string;
    caseId: string;
    photos: StoredPhoto[];
  }
  interface Principal {
    userId: string;
    visibleCases: string[];
  }

  async function world() {
    const h = harness();
    const kitchen = await uploadPhoto(h.deps, { bytes: await jpeg(1200, 900) }, limits);
    const garage = await uploadPhoto(h.deps, { bytes: await png(640, 480) }, limits);
    const orders: WorkOrder[] = [
      { id: 'wo-1', caseId: 'case-1', photos: [kitchen] },
      { id: 'wo-2', caseId: 'case-2', photos: [garage] },
    ];
    const access: PhotoOwnerAccess<Principal, WorkOrder> = {
      findOwner: async (id) => orders.find((o) => o.id === id) ?? null,
      maySee: (principal, order) => principal.visibleCases.includes(order.caseId),
      photosOf: (order) => order.photos,
    };
    h.reads.length = 0;
    return { ...h, kitchen, garage, access };
  }
  const handler: Principal = { userId: 'u-1', visibleCases: ['case-1'] };

  it('gives the photo, or its thumbnail, to someone who may see the record', async () => {
    const { deps, access, kitchen } = await world();
    const photo = await fetchPhoto(deps, access, { principal: handler, ownerId: 'wo-1', photoKey: kitchen.key, variant: 'photo' });
    expect(photo).toMatchObject({ key: kitchen.key, contentType: 'image/jpeg' });
    expect(blobKeyOf(photo.bytes)).toBe(kitchen.key);
    const thumb = await fetchPhoto(deps, access, { principal: handler, ownerId: 'wo-1', photoKey: kitchen.key, variant: 'thumb' });
    expect(thumb).toMatchObject({ key: kitchen.thumbKey, contentType: 'image/webp' });
  });

  it('refuses someone who may not see the record, without reading the blob', async () => {
    const { deps, access, garage, reads } = await world();
    expect(await reasonOf(fetchPhoto(deps, access, { principal: handler, ownerId: 'wo-2', photoKey: garage.key, variant: 'photo' }))).toBe('PHOTO_READ_DENIED');
    expect(reads).toEqual([]);
  });

  it('does not give a photo of another record named under a record one may see', async () => {
    const { deps, access, garage, reads } = await world();
    for (const key of [garage.key, garage.thumbKey])
      expect(await reasonOf(fetchPhoto(deps, access, { principal: handler, ownerId: 'wo-1', photoKey: key, variant: 'photo' }))).toBe('PHOTO_NOT_FOUND');
    expect(reads).toEqual([]);
  });

  it('answers not found for a record that does not exist, and for a key that is no key', async () => {
    const { deps, access, kitchen, reads } = await world();
    expect(await reasonOf(fetchPhoto(deps, access, { principal: handler, ownerId: 'wo-9', photoKey: kitchen.key, variant: 'photo' }))).toBe('PHOTO_NOT_FOUND');
    expect(await reasonOf(fetchPhoto(deps, access, { principal: handler, ownerId: 'wo-1', photoKey: '../../etc/passwd', variant: 'photo' }))).toBe('PHOTO_NOT_FOUND');
    expect(reads).toEqual([]);
  });

  it('answers not found, and logs the loss for an operator, when the record holds a blob the store lacks', async () => {
    const { deps, access, lines } = await world();
    const lost: StoredPhoto = { key: blobKeyOf(crypto.randomBytes(8)), thumbKey: blobKeyOf(crypto.randomBytes(8)), width: 1, height: 1, bytes: 1, contentType: 'image/jpeg' };
    const withLost: PhotoOwnerAccess<Principal, WorkOrder> = { ...access, findOwner: async () => ({ id: 'wo-3', caseId: 'case-1', photos: [lost] }) };
    expect(await reasonOf(fetchPhoto(deps, withLost, { principal: handler, ownerId: 'wo-3', photoKey: lost.key, variant: 'photo' }))).toBe('PHOTO_NOT_FOUND');
    expect(lines.join('')).toContain('a record holds a photo the blob store does not have');
  });
});
