import crypto from 'node:crypto';

/**
 * Content-addressed blob storage (issue 15: photos). A blob's key is the SHA-256 of its bytes in
 * lower-case hex, so the same bytes always get the same key, a re-put is a no-op, and a key names
 * one content forever (no overwrite, no cache invalidation). Nothing is deleted through this
 * interface: what a record no longer references is left for a later sweep.
 *
 * A key is a capability to nothing by itself: callers reach a blob only through the record that
 * references it, after that record's access check (app/photos/fetch-photo.ts).
 */
export interface BlobStore {
  /** Which implementation (for start-up logs and health output). */
  readonly kind: 'local' | 's3';
  /** Stores the bytes (once) and answers their key. */
  put(bytes: Uint8Array, contentType: string): Promise<string>;
  /** The bytes and content type stored under the key, or null when there is none. */
  get(key: string): Promise<StoredBlob | null>;
  has(key: string): Promise<boolean>;
}

export interface StoredBlob {
  bytes: Uint8Array;
  contentType: string;
}

/** The key of these bytes: their SHA-256 in lower-case hex. */
export function blobKeyOf(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

const KEY = /^[0-9a-f]{64}$/;

export function isBlobKey(key: string): boolean {
  return KEY.test(key);
}

/** A key that is not a SHA-256 hex string never reaches a disk path or an object name. */
export function assertBlobKey(key: string): void {
  if (!isBlobKey(key)) throw new InvalidBlobKeyError();
}

export class InvalidBlobKeyError extends Error {
  override name = 'InvalidBlobKeyError';
  constructor() {
    // The key itself stays out of the message: it may come from a request.
    super('not a blob key (64 lower-case hex characters)');
  }
}

/** A stored blob whose bytes no longer hash to its key (disk corruption, a hand-edited file). */
export class BlobCorruptedError extends Error {
  override name = 'BlobCorruptedError';
  constructor(readonly key: string) {
    super(`blob ${key} does not match its key`);
  }
}

/** Content types are stored as given but must look like one (`type/subtype`, no parameters needed). */
export function assertContentType(contentType: string): void {
  if (!/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i.test(contentType) || contentType.length > 127)
    throw new Error(`invalid content type ${JSON.stringify(contentType.slice(0, 40))}`);
}
