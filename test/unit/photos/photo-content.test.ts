import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../app/errors.js';
import { checkPhotoContent, DEFAULT_PHOTO_MAX_BYTES, processPhoto } from '../../../app/photos/photo-content.js';
import { avif, GPS_IFD_POINTER, gif, heicHeader, ifd0Tags, jpeg, MAKE_TAG, PDF, png, webp } from './images.js';

const limits = { maxBytes: DEFAULT_PHOTO_MAX_BYTES };

/** The refusal a promise ends with: its catalogue reason, wire code, status and params. */
async function refusal(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'refused').toBeInstanceOf(DomainError);
  const e = err as DomainError;
  return { reason: e.reason, code: e.code, status: e.status, params: e.params };
}

describe('the type of an upload is judged by its content', () => {
  it('accepts JPEG, PNG and WebP', async () => {
    expect(await checkPhotoContent(await jpeg(64, 48), limits)).toBe('image/jpeg');
    expect(await checkPhotoContent(await png(64, 48), limits)).toBe('image/png');
    expect(await checkPhotoContent(await webp(64, 48), limits)).toBe('image/webp');
  });

  it('takes a PNG named .jpg for the PNG it is (the name never reaches the check), and keeps it a PNG', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'estate-care-photo-')), 'IMG_0042.jpg');
    fs.writeFileSync(file, await png(300, 200));
    const processed = await processPhoto(fs.readFileSync(file), limits);
    expect(processed.type).toBe('image/png');
    expect(processed.photo.contentType).toBe('image/png');
    expect((await sharp(Buffer.from(processed.photo.bytes)).metadata()).format).toBe('png');
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  it('refuses a text file as unrecognised (415)', async () => {
    const text = Buffer.from('报修：3 号楼 1 单元 302 室厨房漏水。\nLeak in the kitchen of 3-1-302.\n', 'utf8');
    expect(await refusal(checkPhotoContent(text, limits))).toMatchObject({ reason: 'PHOTO_TYPE_UNKNOWN', code: 'PHOTO_TYPE_NOT_ALLOWED', status: 415 });
  });

  it('refuses a PDF, naming what it is', async () => {
    expect(await refusal(checkPhotoContent(PDF, limits))).toEqual({ reason: 'PHOTO_TYPE_DETECTED', code: 'PHOTO_TYPE_NOT_ALLOWED', status: 415, params: { detected: 'PDF' } });
  });

  it('refuses images of other formats (GIF, AVIF)', async () => {
    expect((await refusal(checkPhotoContent(await gif(32, 32), limits))).params).toEqual({ detected: 'GIF' });
    expect((await refusal(checkPhotoContent(await avif(32, 32), limits))).params).toEqual({ detected: 'AVIF' });
  });

  it('refuses HEIC with its own message saying how to send a JPEG (the image library decodes no HEVC)', async () => {
    expect(await refusal(checkPhotoContent(heicHeader(), limits))).toMatchObject({ reason: 'PHOTO_HEIC_UNSUPPORTED', status: 415 });
  });

  it('refuses an empty file (400)', async () => {
    expect(await refusal(checkPhotoContent(new Uint8Array(0), limits))).toMatchObject({ reason: 'PHOTO_EMPTY', code: 'VALIDATION_FAILED', status: 400 });
  });
});

describe('size limits', () => {
  it('refuses a file over the limit (15 MB by default) before looking at its content (413)', async () => {
    const oversize = Buffer.alloc(DEFAULT_PHOTO_MAX_BYTES + 1);
    (await jpeg(16, 16)).copy(oversize); // a JPEG's start: the size alone refuses it
    expect(await refusal(checkPhotoContent(oversize, limits))).toEqual({
      reason: 'PHOTO_SIZE_OVER_LIMIT',
      code: 'PHOTO_TOO_LARGE',
      status: 413,
      params: { maxMegabytes: 15, megabytes: 15 },
    });
  });

  it('takes a file of exactly the configured limit, and refuses one byte more', async () => {
    const photo = await jpeg(200, 100);
    expect(await checkPhotoContent(photo, { maxBytes: photo.byteLength })).toBe('image/jpeg');
    expect((await refusal(checkPhotoContent(photo, { maxBytes: photo.byteLength - 1 }))).reason).toBe('PHOTO_SIZE_OVER_LIMIT');
  });

  it('refuses a small file that would decode into too many pixels, reading only its header', async () => {
    const bomb = await sharp({ create: { width: 2000, height: 1000, channels: 3, background: '#fff' } }).png().toBuffer();
    expect(bomb.byteLength).toBeLessThan(50_000);
    expect(await refusal(processPhoto(bomb, { maxBytes: DEFAULT_PHOTO_MAX_BYTES, maxPixels: 1_000_000 }))).toEqual({
      reason: 'PHOTO_PIXELS_OVER_LIMIT',
      code: 'PHOTO_TOO_LARGE',
      status: 413,
      params: { maxMegapixels: 1, megapixels: 2 },
    });
  });
});

describe('what is kept of a photo', () => {
  it('resizes a large photo to 1600 px on its longest side and makes a 320 px WebP thumbnail', async () => {
    const processed = await processPhoto(await jpeg(4000, 3000), limits);
    expect(processed.photo).toMatchObject({ contentType: 'image/jpeg', width: 1600, height: 1200 });
    expect(processed.thumb).toMatchObject({ contentType: 'image/webp', width: 320, height: 240 });
    const meta = await sharp(Buffer.from(processed.photo.bytes)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1600, 1200]);
    const thumb = await sharp(Buffer.from(processed.thumb.bytes)).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['webp', 320, 240]);
  });

  it('never enlarges a small photo', async () => {
    const processed = await processPhoto(await png(200, 120), limits);
    expect(processed.photo).toMatchObject({ width: 200, height: 120 });
    expect(processed.thumb).toMatchObject({ width: 200, height: 120 });
  });

  it('turns a photo upright by its EXIF orientation, and drops the tag', async () => {
    const sideways = await jpeg(400, 200, { orientation: 6 });
    expect((await sharp(sideways).metadata()).orientation).toBe(6);
    const processed = await processPhoto(sideways, limits);
    expect(processed.photo).toMatchObject({ width: 200, height: 400 });
    expect((await sharp(Buffer.from(processed.photo.bytes)).metadata()).orientation).toBeUndefined();
  });

  it('strips EXIF, GPS position included, from the photo and its thumbnail (JPEG and WebP)', async () => {
    for (const original of [await jpeg(800, 600, { exif: true }), await webp(800, 600, { exif: true })]) {
      const before = await sharp(original).metadata();
      expect(before.exif, 'the original carries EXIF').toBeDefined();
      expect(ifd0Tags(before.exif!)).toEqual(expect.arrayContaining([GPS_IFD_POINTER, MAKE_TAG]));
      expect(original.includes('SentinelPhoneMaker')).toBe(true);

      const processed = await processPhoto(original, limits);
      for (const kept of [processed.photo, processed.thumb]) {
        const bytes = Buffer.from(kept.bytes);
        const after = await sharp(bytes).metadata();
        expect(after.exif, `${kept.contentType} has no EXIF`).toBeUndefined();
        expect(after.xmp).toBeUndefined();
        expect(bytes.includes('Exif\0\0')).toBe(false);
        expect(bytes.includes('SentinelPhoneMaker')).toBe(false);
        expect(bytes.includes('taken-at-owner-home')).toBe(false);
      }
    }
  });

  it('refuses a damaged photo (a JPEG cut off halfway) rather than storing it half grey (422)', async () => {
    const whole = await jpeg(800, 600);
    const cut = whole.subarray(0, Math.floor(whole.byteLength / 2));
    expect(await checkPhotoContent(cut, limits)).toBe('image/jpeg');
    expect(await refusal(processPhoto(cut, limits))).toEqual({ reason: 'PHOTO_UNREADABLE', code: 'PHOTO_UNREADABLE', status: 422, params: {} });
  });
});
