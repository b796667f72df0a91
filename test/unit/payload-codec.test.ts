import crypto from 'node:crypto';
import { inspect } from 'node:util';
import { ApplicationFailure, DefaultFailureConverter, defaultPayloadConverter, type Payload } from '@temporalio/common';
import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, failureMessage, PayloadDecryptionError, payloadKeyId } from '../../platform/temporal/payload-codec.js';
import { parsePayloadKeys, PayloadKeyError } from '../../platform/temporal/payload-keys.js';

const key = () => crypto.randomBytes(32).toString('base64');
const K1 = `k1:${key()}`;
const K2 = `k2:${key()}`;
const codecOf = (list: string, id?: string) => new AesGcmPayloadCodec(parsePayloadKeys(list, id));

const CUSTOMER = { name: '欧阳娜娜', phone: '13912345678', note: '地库漏水 / leak in the garage' };
const plain = (): Payload => defaultPayloadConverter.toPayload(CUSTOMER);
const text = (p: Payload) => Buffer.from(p.data ?? []).toString('latin1');
const meta = (p: Payload, k: string) => Buffer.from(p.metadata?.[k] ?? []).toString();

async function rejectionOf(promise: Promise<unknown>): Promise<PayloadDecryptionError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PayloadDecryptionError);
  return err as PayloadDecryptionError;
}

describe('encrypting payloads', () => {
  it('round-trips a payload, metadata included, and hides its content', async () => {
    const codec = codecOf(K1);
    const [encoded] = await codec.encode([plain()]);
    expect(meta(encoded!, 'encoding')).toBe(ENCRYPTED_ENCODING);
    expect(meta(encoded!, 'encryption-key-id')).toBe('k1');
    expect(Object.keys(encoded!.metadata!)).toEqual(['encoding', 'encryption-key-id']);
    for (const secret of [CUSTOMER.name, CUSTOMER.phone, 'json/plain', 'garage']) {
      expect(text(encoded!)).not.toContain(secret);
      expect(Buffer.from(encoded!.data!).includes(Buffer.from(secret))).toBe(false);
    }
    const [decoded] = await codec.decode([encoded!]);
    expect(meta(decoded!, 'encoding')).toBe('json/plain');
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(CUSTOMER);
  });

  it('uses a fresh 12-byte IV for every payload: the same value never encrypts to the same bytes', async () => {
    const codec = codecOf(K1);
    const [a, b] = await codec.encode([plain(), plain()]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
    expect(Buffer.from(a!.data!).subarray(0, 12).equals(Buffer.from(b!.data!).subarray(0, 12))).toBe(false);
    // IV ‖ ciphertext ‖ 16-byte tag of the serialised Payload.
    expect(a!.data!.length).toBe(12 + proto.temporal.api.common.v1.Payload.encode(plain()).finish().length + 16);
  });

  it('passes payloads that are not binary/encrypted through unchanged (histories recorded before encryption)', async () => {
    const codec = codecOf(K1);
    const p = plain();
    const nothing: Payload = { metadata: { encoding: Buffer.from('binary/null') } };
    const [a, b] = await codec.decode([p, nothing]);
    expect(a).toBe(p);
    expect(b).toBe(nothing);
    expect(payloadKeyId(p)).toBeNull();
  });
});

describe('key rotation', () => {
  it('reads payloads written with k1 after switching the encryption key to k2, with k1 still listed', async () => {
    const [old] = await codecOf(K1).encode([plain()]);
    const rotated = codecOf(`${K2},${K1}`);
    const [fresh] = await rotated.encode([plain()]);
    expect(payloadKeyId(old!)).toBe('k1');
    expect(payloadKeyId(fresh!)).toBe('k2');
    const decoded = await rotated.decode([old!, fresh!]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([CUSTOMER, CUSTOMER]);
  });

  it('encrypts with TEMPORAL_PAYLOAD_KEY_ID when given, else with the first key listed', async () => {
    expect(payloadKeyId((await codecOf(`${K1},${K2}`, 'k2').encode([plain()]))[0]!)).toBe('k2');
    expect(payloadKeyId((await codecOf(`${K1},${K2}`).encode([plain()]))[0]!)).toBe('k1');
  });

  it('refuses, naming the key, a payload whose key id is no longer configured', async () => {
    const [old] = await codecOf(K1).encode([plain()]);
    const err = await rejectionOf(codecOf(K2).decode([old!]));
    expect(err.reason).toBe('UNKNOWN_KEY_ID');
    expect(err.keyId).toBe('k1');
    expect(err.message).toMatch(/"k1".*TEMPORAL_PAYLOAD_KEYS.*k2/);
  });

  it('refuses a payload under a known id but written with another key (the id reused)', async () => {
    const [other] = await codecOf(`k1:${key()}`).encode([plain()]);
    expect((await rejectionOf(codecOf(K1).decode([other!]))).reason).toBe('AUTHENTICATION_FAILED');
  });
});

describe('tampering', () => {
  const flip = (p: Payload, at: (len: number) => number): Payload => {
    const data = Buffer.from(p.data!);
    data[at(data.length)]! ^= 0x01;
    return { ...p, data };
  };

  it('fails authentication when a ciphertext, IV or tag byte changes', async () => {
    const codec = codecOf(K1);
    const [p] = await codec.encode([plain()]);
    for (const at of [(n: number) => Math.floor(n / 2), () => 0, (n: number) => n - 1])
      expect((await rejectionOf(codec.decode([flip(p!, at)]))).reason).toBe('AUTHENTICATION_FAILED');
  });

  it('refuses truncated data and an encrypted payload without a key id', async () => {
    const codec = codecOf(K1);
    const [p] = await codec.encode([plain()]);
    expect((await rejectionOf(codec.decode([{ ...p!, data: Buffer.from(p!.data!).subarray(0, 20) }]))).reason).toBe('MALFORMED');
    expect((await rejectionOf(codec.decode([{ ...p!, data: Buffer.from(p!.data!).subarray(0, 40) }]))).reason).toBe('AUTHENTICATION_FAILED');
    expect((await rejectionOf(codec.decode([{ ...p!, metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING) } }]))).reason).toBe('MISSING_KEY_ID');
  });
});

describe('the key list', () => {
  it('accepts standard and URL-safe base64 keys of 32 bytes', () => {
    const raw = crypto.randomBytes(32);
    const ring = parsePayloadKeys(` a:${raw.toString('base64')} , b.2:${raw.toString('base64url')} `);
    expect(ring.keyIds).toEqual(['a', 'b.2']);
    expect(ring.keyFor('b.2')!.equals(raw)).toBe(true);
  });

  const bad: [string, string, RegExp][] = [
    ['a key that is not 32 bytes', `k:${crypto.randomBytes(16).toString('base64')}`, /32 bytes/],
    ['a key that is not base64', 'k:not*base64!', /not base64/],
    ['an entry without an id', key(), /id:base64key/],
    ['an id with spaces', `my key:${key()}`, /invalid key id/],
    ['the same id twice', `k:${key()},k:${key()}`, /listed twice/],
    ['an empty list', ' , ', /no key/],
  ];
  for (const [what, list, message] of bad)
    it(`refuses ${what}`, () => {
      expect(() => parsePayloadKeys(list)).toThrow(PayloadKeyError);
      expect(() => parsePayloadKeys(list)).toThrow(message);
    });

  it('refuses an encryption key id that is not listed', () => {
    expect(() => parsePayloadKeys(K1, 'k2')).toThrow(/"k2" is not among the keys \(k1\)/);
  });

  it('never prints key material (logs, JSON)', () => {
    const ring = parsePayloadKeys(`${K1},${K2}`);
    const secret = K1.split(':')[1]!;
    for (const shown of [inspect(ring), inspect({ temporal: { payloadKeys: ring } }, { depth: 5 }), JSON.stringify({ ring })]) {
      expect(shown).toContain('k1');
      expect(shown).not.toContain(secret);
      expect(shown).not.toContain(ring.keyFor('k1')!.toString('hex'));
    }
  });
});

describe('failureMessage', () => {
  it('reads back the message the failure converter encoded and the codec encrypted, and passes plain ones through', async () => {
    const list = `f1:${crypto.randomBytes(32).toString('base64')}`;
    const converter = new DefaultFailureConverter({ encodeCommonAttributes: true });
    const failure = converter.errorToFailure(ApplicationFailure.create({ message: 'sendAt is not an ISO-8601 instant: 13800138001' }), defaultPayloadConverter);
    expect(failure.message).toBe('Encoded failure');
    const [encrypted] = await codecOf(list).encode([failure.encodedAttributes as Payload]);
    expect(encrypted!.metadata!.encoding).toEqual(Buffer.from(ENCRYPTED_ENCODING));
    const raw = { message: failure.message, encodedAttributes: encrypted };
    expect(await failureMessage(raw, parsePayloadKeys(list))).toBe('sendAt is not an ISO-8601 instant: 13800138001');
    expect(await failureMessage({ message: 'plain' }, parsePayloadKeys(list))).toBe('plain');
    expect(await failureMessage(null, parsePayloadKeys(list))).toBe('');
  });
});
