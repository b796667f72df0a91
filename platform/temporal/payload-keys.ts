import crypto from 'node:crypto';
import { inspect } from 'node:util';

/**
 * The AES-256 keys that encrypt workflow and activity payloads (payload-codec.ts), each under an
 * id recorded in every payload it encrypts, so keys can rotate: new payloads use the encryption key,
 * payloads written under any other listed key stay readable.
 *
 *   TEMPORAL_PAYLOAD_KEYS=2026-11:<base64 32 bytes>,2026-05:<base64 32 bytes>
 *   TEMPORAL_PAYLOAD_KEY_ID=2026-11        (default: the first key listed)
 */
export const PAYLOAD_KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}|[A-Za-z0-9+/]{3})?$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export class PayloadKeyError extends Error {
  override name = 'PayloadKeyError';
}

/**
 * Key material kept out of logs and serialisations: a keyring prints (util.inspect, JSON) as its
 * key ids only, so logging a config object cannot leak a key.
 */
export class PayloadKeyring {
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(
    keys: Iterable<readonly [string, Buffer]>,
    readonly encryptionKeyId: string,
  ) {
    const map = new Map<string, Buffer>();
    for (const [id, key] of keys) {
      if (!KEY_ID.test(id)) throw new PayloadKeyError(`invalid key id "${id}" (letters, digits, . _ -; at most 64)`);
      if (key.length !== PAYLOAD_KEY_BYTES) throw new PayloadKeyError(`key "${id}" must be ${PAYLOAD_KEY_BYTES} bytes, got ${key.length}`);
      if (map.has(id)) throw new PayloadKeyError(`key id "${id}" is listed twice`);
      map.set(id, Buffer.from(key));
    }
    if (map.size === 0) throw new PayloadKeyError('no key');
    if (!map.has(encryptionKeyId)) throw new PayloadKeyError(`the encryption key id "${encryptionKeyId}" is not among the keys (${[...map.keys()].join(', ')})`);
    this.keys = map;
  }

  /** The key payloads are encrypted with now. */
  get encryptionKey(): Buffer {
    return this.keys.get(this.encryptionKeyId)!;
  }

  /** The key with that id, or undefined when it is not (or no longer) configured. */
  keyFor(id: string): Buffer | undefined {
    return this.keys.get(id);
  }

  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  toJSON() {
    return { encryptionKeyId: this.encryptionKeyId, keyIds: this.keyIds };
  }

  [inspect.custom]() {
    return `PayloadKeyring ${JSON.stringify(this.toJSON())}`;
  }
}

function decodeKey(id: string, text: string): Buffer {
  const t = text.trim();
  if (!BASE64.test(t) && !BASE64URL.test(t)) throw new PayloadKeyError(`key "${id}" is not base64`);
  const key = Buffer.from(t, BASE64.test(t) ? 'base64' : 'base64url');
  if (key.length !== PAYLOAD_KEY_BYTES)
    throw new PayloadKeyError(`key "${id}" must decode to ${PAYLOAD_KEY_BYTES} bytes (e.g. \`openssl rand -base64 32\`), got ${key.length}`);
  return key;
}

/**
 * Parses `id:base64key[,id:base64key…]`. The encryption key is `encryptionKeyId`, or the first
 * key listed when that is not given.
 */
export function parsePayloadKeys(list: string, encryptionKeyId?: string): PayloadKeyring {
  const entries = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry): [string, Buffer] => {
      const colon = entry.indexOf(':');
      if (colon <= 0) throw new PayloadKeyError('each key must be written id:base64key');
      const id = entry.slice(0, colon).trim();
      return [id, decodeKey(id, entry.slice(colon + 1))];
    });
  if (entries.length === 0) throw new PayloadKeyError('no key');
  return new PayloadKeyring(entries, encryptionKeyId ?? entries[0]![0]);
}

/** A new random key in the `id:base64key` form TEMPORAL_PAYLOAD_KEYS lists. */
export function generatePayloadKeyEntry(id: string): string {
  return `${id}:${crypto.randomBytes(PAYLOAD_KEY_BYTES).toString('base64')}`;
}
