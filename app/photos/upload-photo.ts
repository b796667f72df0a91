import type { Logger } from 'pino';
import { blobsOf } from './blob-access.js';
import { photoError } from './errors.js';
import { processPhoto, type PhotoLimits } from './photo-content.js';
import type { PhotoStore } from './photo-store.js';

/** What the owning record keeps of a stored photo (a work order's photo list, a case's attachment). */
export interface StoredPhoto {
  /** The kept photo's blob key (SHA-256 of its bytes). */
  key: string;
  /** The thumbnail's blob key (WebP, longest side 320 px). */
  thumbKey: string;
  /** The kept photo's size in pixels, upright. */
  width: number;
  height: number;
  /** The kept photo's size in bytes. */
  bytes: number;
  contentType: string;
}

export interface PhotoDeps {
  photos: PhotoStore;
  logger: Logger;
}

/**
 * Takes an uploaded photo: judges it by its content (photo-content.ts: type, size, pixels),
 * resizes it and drops its metadata, and stores the photo and its thumbnail content-addressed, so
 * the same upload twice stores nothing new and answers the same keys. Returns what the owning
 * record keeps; linking it to that record is the caller's (the record's own use case).
 *
 * Logs the outcome by keys and sizes only: never the original bytes, their name or their EXIF (a
 * GPS position is personal data; it is not even read).
 */
export async function uploadPhoto(deps: PhotoDeps, upload: { bytes: Uint8Array }, limits: PhotoLimits): Promise<StoredPhoto> {
  const processed = await processPhoto(upload.bytes, limits);
  const store = blobsOf(deps.photos);
  let key: string;
  let thumbKey: string;
  try {
    [key, thumbKey] = await Promise.all([
      store.put(processed.photo.bytes, processed.photo.contentType),
      store.put(processed.thumb.bytes, processed.thumb.contentType),
    ]);
  } catch (err) {
    deps.logger.error({ store: store.kind, err: (err as Error).message }, 'photo not stored: the blob store failed');
    throw photoError('PHOTO_STORE_UNAVAILABLE');
  }
  const stored: StoredPhoto = {
    key,
    thumbKey,
    width: processed.photo.width,
    height: processed.photo.height,
    bytes: processed.photo.bytes.byteLength,
    contentType: processed.photo.contentType,
  };
  deps.logger.info({ key, thumbKey, receivedBytes: upload.bytes.byteLength, storedBytes: stored.bytes, width: stored.width, height: stored.height }, 'photo stored');
  return stored;
}
