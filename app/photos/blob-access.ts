import type { BlobStore } from '../../platform/storage/index.js';

/**
 * The blob store behind a PhotoStore. Imported only inside app/photos (the import rule
 * `photos-only-through-their-records` in .dependency-cruiser.cjs): whoever holds a PhotoStore can
 * read a photo only through fetchPhoto, which checks the owning record and its access first.
 */
const blobs = new WeakMap<object, BlobStore>();

export function attachBlobs(photoStore: object, store: BlobStore): void {
  blobs.set(photoStore, store);
}

export function blobsOf(photoStore: object): BlobStore {
  const store = blobs.get(photoStore);
  if (!store) throw new Error('not a PhotoStore made by openPhotoStore or photoStoreOver');
  return store;
}
