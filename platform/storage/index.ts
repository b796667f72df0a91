import path from 'node:path';
import type { BlobStore } from './blob-store.js';
import { LocalBlobStore } from './local-blob-store.js';
import { S3BlobStore, type S3BlobStoreSettings } from './s3-blob-store.js';

export * from './blob-store.js';
export { LocalBlobStore, localBlobPath, LOCAL_TYPE_SUFFIX } from './local-blob-store.js';
export { S3BlobStore, type S3BlobStoreSettings } from './s3-blob-store.js';

/** What platform/config.ts reads from BLOB_STORE and its companions. */
export type BlobStoreSettings = { kind: 'local'; dir: string } | ({ kind: 's3' } & S3BlobStoreSettings);

/**
 * The configured store, ready to use: a local folder (created on first write), or an S3 bucket
 * (created here when missing, so a fresh installation needs no manual step).
 */
export async function openBlobStore(settings: BlobStoreSettings): Promise<BlobStore> {
  if (settings.kind === 'local') return new LocalBlobStore(path.resolve(settings.dir));
  const store = new S3BlobStore(settings);
  await store.ensureBucket();
  return store;
}
