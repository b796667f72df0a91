import type { Logger } from 'pino';
import { isBlobKey } from '../../platform/storage/index.js';
import { blobsOf } from './blob-access.js';
import { photoError } from './errors.js';
import type { PhotoStore } from './photo-store.js';
import type { StoredPhoto } from './upload-photo.js';

/**
 * How a kind of record that holds photos (a work order; later others) lets its photos be read:
 * the record by its id, whether a principal may see it, and the photos it holds. The integrator of
 * a record supplies this: for a work order, `maySee` is "may this principal see the work order's
 * case" (domain/access.ts), and `findOwner` loads the work order with its photo list.
 *
 * `maySee` answers false to refuse with PHOTO_READ_DENIED (403), or throws the record's own
 * refusal (its module's READ_DENIED, or NOT_FOUND to hide that it exists).
 */
export interface PhotoOwnerAccess<Principal, Owner> {
  findOwner(ownerId: string): Promise<Owner | null>;
  maySee(principal: Principal, owner: Owner): boolean | Promise<boolean>;
  photosOf(owner: Owner): readonly Pick<StoredPhoto, 'key' | 'thumbKey'>[];
}

export interface PhotoRequest<Principal> {
  principal: Principal;
  /** The record the photo belongs to. */
  ownerId: string;
  /** The photo, by the key the record keeps for it (StoredPhoto.key). */
  photoKey: string;
  /** The photo itself, or its thumbnail. */
  variant: 'photo' | 'thumb';
}

export interface FetchedPhoto {
  bytes: Uint8Array;
  contentType: string;
  /**
   * The blob's key (the SHA-256 of `bytes`): an ideal ETag. The content under a key never changes,
   * so the API may answer `Cache-Control: private, max-age=31536000, immutable`.
   */
  key: string;
}

/**
 * A photo's bytes, only through the record that holds it: the record is loaded, the principal's
 * access to it checked, and the photo must be one the record holds; only then is the blob read.
 * A key alone opens nothing: a photo of a record the principal may see is not reachable by naming
 * it under another record, and a key not held by the named record is "not found" whoever asks.
 */
export async function fetchPhoto<Principal, Owner>(
  deps: { photos: PhotoStore; logger: Logger },
  access: PhotoOwnerAccess<Principal, Owner>,
  request: PhotoRequest<Principal>,
): Promise<FetchedPhoto> {
  const owner = await access.findOwner(request.ownerId);
  if (owner === null) throw photoError('PHOTO_NOT_FOUND');
  if (!(await access.maySee(request.principal, owner))) throw photoError('PHOTO_READ_DENIED');
  const held = isBlobKey(request.photoKey) ? access.photosOf(owner).find((p) => p.key === request.photoKey) : undefined;
  if (!held) throw photoError('PHOTO_NOT_FOUND');
  const key = request.variant === 'thumb' ? held.thumbKey : held.key;

  let blob;
  try {
    blob = await blobsOf(deps.photos).get(key);
  } catch (err) {
    deps.logger.error({ key, err: (err as Error).message }, 'photo not read: the blob store failed');
    throw photoError('PHOTO_STORE_UNAVAILABLE');
  }
  if (!blob) {
    // A record holds a key whose blob is gone: lost data, worth an operator's look.
    deps.logger.error({ key, variant: request.variant }, 'a record holds a photo the blob store does not have');
    throw photoError('PHOTO_NOT_FOUND');
  }
  return { bytes: blob.bytes, contentType: blob.contentType, key };
}
