import { openBlobStore, type BlobStore, type BlobStoreSettings } from '../../platform/storage/index.js';
import { attachBlobs } from './blob-access.js';

declare const photoStoreBrand: unique symbol;

/**
 * Where photos are kept, as the rest of the application sees it: a handle with no way to read or
 * write bytes. The API and the worker open it once (`openPhotoStore(config.blobs)`) and pass it to
 * uploadPhoto and fetchPhoto, which alone reach the blobs behind it.
 */
export interface PhotoStore {
  readonly kind: BlobStore['kind'];
  readonly [photoStoreBrand]: true;
}

/** The configured store (platform/config.ts `blobs`): a local folder, or an S3 bucket created if missing. */
export async function openPhotoStore(settings: BlobStoreSettings): Promise<PhotoStore> {
  return photoStoreOver(await openBlobStore(settings));
}

/** A PhotoStore over a blob store already open (tests, a process that shares one). */
export function photoStoreOver(store: BlobStore): PhotoStore {
  const handle = Object.freeze({ kind: store.kind }) as PhotoStore;
  attachBlobs(handle, store);
  return handle;
}
