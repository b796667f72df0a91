import crypto from 'node:crypto';
import { defaultPayloadConverter, METADATA_ENCODING_KEY, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { PayloadKeyring } from './payload-keys.js';

/**
 * Encrypts every workflow and activity payload (inputs, results, signal/update/query arguments,
 * heartbeat details, failure details) before it leaves the process, so Temporal's history holds
 * no customer data in clear. AES-256-GCM with Node's crypto: a random 12-byte IV per payload, the
 * 16-byte tag checked on decryption. The encrypted payload:
 *
 *   metadata  encoding: binary/encrypted, encryption-key-id: <id of the key used>
 *   data      IV ‖ ciphertext ‖ tag  of the original Payload, protobuf-serialised (metadata and all)
 *
 * Payloads that are not `binary/encrypted` decode unchanged: histories recorded before encryption
 * (test/histories) still replay, and a workflow started by a client without the codec still runs.
 * Search attributes and memo fields are not payloads of this codec: they stay readable, and must
 * hold ids and states only.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const ProtoPayload = proto.temporal.api.common.v1.Payload;
const TAG_BYTES = 16;

export type PayloadDecryptionFailure = 'MISSING_KEY_ID' | 'UNKNOWN_KEY_ID' | 'MALFORMED' | 'AUTHENTICATION_FAILED';

/** A payload that cannot be decrypted: its key is not configured, or its bytes were altered. */
export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
  constructor(
    readonly reason: PayloadDecryptionFailure,
    message: string,
    readonly keyId: string | null = null,
  ) {
    super(message);
  }
}

const utf8 = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

export function isEncryptedPayload(p: Payload): boolean {
  return utf8(p.metadata?.[METADATA_ENCODING_KEY]) === ENCRYPTED_ENCODING;
}

/** The id of the key an encrypted payload was written with (null for a payload in clear). */
export function payloadKeyId(p: Payload): string | null {
  return isEncryptedPayload(p) ? (utf8(p.metadata?.[METADATA_KEY_ID]) ?? null) : null;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly keys: PayloadKeyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.encryptOne(p));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.decryptOne(p));
  }

  encryptOne(payload: Payload): Payload {
    const keyId = this.keys.encryptionKeyId;
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.keys.encryptionKey, iv);
    const plain = ProtoPayload.encode(payload).finish();
    const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING), [METADATA_KEY_ID]: Buffer.from(keyId) },
      data,
    };
  }

  decryptOne(payload: Payload): Payload {
    if (!isEncryptedPayload(payload)) return payload;
    const keyId = payloadKeyId(payload);
    if (!keyId) throw new PayloadDecryptionError('MISSING_KEY_ID', `encrypted payload without ${METADATA_KEY_ID} metadata`);
    const key = this.keys.keyFor(keyId);
    if (!key)
      throw new PayloadDecryptionError(
        'UNKNOWN_KEY_ID',
        `payload encrypted with key "${keyId}", which is not in TEMPORAL_PAYLOAD_KEYS (configured: ${this.keys.keyIds.join(', ')})`,
        keyId,
      );
    const data = Buffer.from(payload.data ?? []);
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError('MALFORMED', `encrypted payload too short (${data.length} bytes)`, keyId);
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError('AUTHENTICATION_FAILED', `encrypted payload failed authentication under key "${keyId}" (altered, or a different key under that id)`, keyId);
    }
    try {
      return ProtoPayload.decode(plain);
    } catch {
      throw new PayloadDecryptionError('MALFORMED', 'decrypted bytes are not a Payload', keyId);
    }
  }
}

/** The data converter of every client and worker of the application: default converters, encrypted payloads. */
export function appDataConverter(keys: PayloadKeyring): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(keys)] };
}

/**
 * The message of a failure as raw service answers carry it (`describe()`'s pending activities,
 * a history read without a client): the failure converter puts the text in an encrypted
 * `encodedAttributes` payload and leaves "Encoded failure" in clear; this reads the text back.
 */
export async function failureMessage(
  failure: { message?: string | null; encodedAttributes?: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null } | null } | null | undefined,
  keys: PayloadKeyring,
): Promise<string> {
  if (!failure) return '';
  if (!failure.encodedAttributes) return failure.message ?? '';
  const [plain] = await new AesGcmPayloadCodec(keys).decode([failure.encodedAttributes as Payload]);
  const attrs = defaultPayloadConverter.fromPayload<{ message?: unknown }>(plain!);
  return typeof attrs?.message === 'string' ? attrs.message : (failure.message ?? '');
}
