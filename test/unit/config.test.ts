import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../platform/config.js';

let dataDir: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'estate-care-config-'));
});
afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const SECRET_32 = 'x'.repeat(32);
/** A production environment that passes every check; each test removes or spoils one setting. */
const production = (): NodeJS.ProcessEnv => ({
  NODE_ENV: 'production',
  DATA_DIR: dataDir,
  DATABASE_URL: 'postgresql://estate:pw@db.internal:5432/estate_care',
  JWT_SECRET: SECRET_32,
  SMTP_URL: 'smtp://mail.internal:587',
  TEMPORAL_ADDRESS: 'temporal.internal:7233',
  TEMPORAL_PAYLOAD_KEYS: `2026-11:${Buffer.alloc(32, 1).toString('base64')}`,
});
const without = (env: NodeJS.ProcessEnv, key: string) => Object.fromEntries(Object.entries(env).filter(([k]) => k !== key));

describe('production', () => {
  it('starts with every protective setting present', () => {
    const c = loadConfig(production());
    expect(c).toMatchObject({ production: true, embeddedDatabase: false, databaseUrl: production().DATABASE_URL });
    expect(c.temporal).toMatchObject({ address: 'temporal.internal:7233', external: true });
    expect(c.jwt.secret).toBe(SECRET_32);
  });

  it('refuses to start on a Node other than 24 (Node 20 reached end of life in April 2026), naming the way to the pinned one', () => {
    expect(() => loadConfig(production(), 'v20.20.2')).toThrow(ConfigError);
    expect(() => loadConfig(production(), 'v20.20.2')).toThrow(/^Node v20\.20\.2 is not supported in production: run on Node 24 \(`npm run api` and `npm run worker` provision the pinned 24\.\d+\.\d+\)$/);
    expect(loadConfig(production(), 'v24.22.3').production).toBe(true);
    expect(loadConfig({ ...production(), NODE_ENV: 'development' }, 'v20.20.2').production).toBe(false);
  });

  it('refuses to start without DATABASE_URL', () => {
    expect(() => loadConfig(without(production(), 'DATABASE_URL'))).toThrow(ConfigError);
    expect(() => loadConfig(without(production(), 'DATABASE_URL'))).toThrow(/DATABASE_URL/);
  });

  it('refuses to start without JWT_SECRET', () => {
    expect(() => loadConfig(without(production(), 'JWT_SECRET'))).toThrow(/JWT_SECRET/);
  });

  it('refuses a JWT_SECRET shorter than 32 characters, and takes one of exactly 32', () => {
    expect(() => loadConfig({ ...production(), JWT_SECRET: 'x'.repeat(31) })).toThrow(/JWT_SECRET/);
    expect(loadConfig({ ...production(), JWT_SECRET: 'y'.repeat(32) }).jwt.secret).toBe('y'.repeat(32));
  });

  it('refuses to start without SMTP_URL', () => {
    expect(() => loadConfig(without(production(), 'SMTP_URL'))).toThrow(/SMTP_URL/);
  });

  it('refuses to start without TEMPORAL_ADDRESS', () => {
    expect(() => loadConfig(without(production(), 'TEMPORAL_ADDRESS'))).toThrow(/TEMPORAL_ADDRESS/);
  });

  it('refuses to start without TEMPORAL_PAYLOAD_KEYS, saying how to make one (in English: operators read it)', () => {
    expect(() => loadConfig(without(production(), 'TEMPORAL_PAYLOAD_KEYS'))).toThrow(ConfigError);
    expect(() => loadConfig(without(production(), 'TEMPORAL_PAYLOAD_KEYS'))).toThrow(/^TEMPORAL_PAYLOAD_KEYS is required in production \(id:base64key of 32 random bytes, e\.g\. `openssl rand -base64 32`\)$/);
  });

  it('treats a setting left empty (`SMTP_URL=`) as missing', () => {
    for (const key of ['DATABASE_URL', 'JWT_SECRET', 'SMTP_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_PAYLOAD_KEYS'])
      expect(() => loadConfig({ ...production(), [key]: '' }), key).toThrow(new RegExp(key));
  });
});

describe('payload encryption keys', () => {
  const k = (byte: number) => Buffer.alloc(32, byte).toString('base64');

  it('encrypts with the first key listed, or with TEMPORAL_PAYLOAD_KEY_ID, and keeps the others for reading', () => {
    const keys = `new:${k(2)},old:${k(3)}`;
    const first = loadConfig({ ...production(), TEMPORAL_PAYLOAD_KEYS: keys }).temporal.payloadKeys;
    expect(first.encryptionKeyId).toBe('new');
    expect(first.keyIds).toEqual(['new', 'old']);
    expect(loadConfig({ ...production(), TEMPORAL_PAYLOAD_KEYS: keys, TEMPORAL_PAYLOAD_KEY_ID: 'old' }).temporal.payloadKeys.encryptionKeyId).toBe('old');
  });

  it('refuses a malformed key list or an unknown encryption key id, naming the setting', () => {
    for (const env of [
      { TEMPORAL_PAYLOAD_KEYS: `short:${Buffer.alloc(16).toString('base64')}` },
      { TEMPORAL_PAYLOAD_KEYS: k(2) },
      { TEMPORAL_PAYLOAD_KEYS: `a:${k(2)}`, TEMPORAL_PAYLOAD_KEY_ID: 'b' },
    ]) {
      expect(() => loadConfig({ ...production(), ...env })).toThrow(ConfigError);
      expect(() => loadConfig({ ...production(), ...env })).toThrow(/TEMPORAL_PAYLOAD_KEYS/);
    }
  });

  it('generates a development key once into DATA_DIR (owner-only) and keeps it across restarts', () => {
    const first = loadConfig({ DATA_DIR: dataDir }).temporal.payloadKeys;
    expect(first.encryptionKeyId).toMatch(/^dev-[0-9a-f]{6}$/);
    const again = loadConfig({ DATA_DIR: dataDir }).temporal.payloadKeys;
    expect(again.encryptionKeyId).toBe(first.encryptionKeyId);
    expect(again.encryptionKey.equals(first.encryptionKey)).toBe(true);
    const file = path.join(dataDir, '.temporal-payload-keys');
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^dev-[0-9a-f]{6}:[A-Za-z0-9+/]{43}=$/);
  });
});

describe('Temporal TLS', () => {
  it('refuses a client certificate without its key, and a key without its certificate', () => {
    expect(() => loadConfig({ ...production(), TEMPORAL_TLS_CERT: '/etc/tls/client.pem' })).toThrow(/TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY/);
    expect(() => loadConfig({ ...production(), TEMPORAL_TLS_KEY: '/etc/tls/client.key' })).toThrow(/TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY/);
    expect(() => loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, TEMPORAL_TLS_CERT: '/etc/tls/client.pem' })).toThrow(ConfigError);
  });

  it('takes a certificate and key together, with the CA, server name and API key', () => {
    const c = loadConfig({
      ...production(),
      TEMPORAL_TLS_CERT: '/etc/tls/client.pem',
      TEMPORAL_TLS_KEY: '/etc/tls/client.key',
      TEMPORAL_TLS_CA: '/etc/tls/ca.pem',
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
      TEMPORAL_API_KEY: 'key-123',
      TEMPORAL_NAMESPACE: 'estate.prod',
    });
    expect(c.temporal).toMatchObject({
      tlsCertPath: '/etc/tls/client.pem',
      tlsKeyPath: '/etc/tls/client.key',
      tlsCaPath: '/etc/tls/ca.pem',
      tlsServerName: 'temporal.internal',
      apiKey: 'key-123',
      namespace: 'estate.prod',
    });
  });
});

describe('defaults', () => {
  it('runs development with an embedded database, a local Temporal dev server and safe login limits', () => {
    const c = loadConfig({ DATA_DIR: dataDir });
    expect(c).toMatchObject({
      env: 'development',
      production: false,
      host: '127.0.0.1',
      port: 3000,
      embeddedDatabase: true,
      embeddedPgPort: 54329,
      defaultTimeZone: 'Asia/Shanghai',
      logLevel: 'info',
      login: { maxFailures: 5, lockMinutes: 15 },
      jwt: { ttlSeconds: 8 * 3600 },
      mail: { smtpUrl: undefined },
    });
    expect(c.temporal).toMatchObject({ address: '127.0.0.1:7233', external: false, namespace: 'default', taskQueue: 'estate-care' });
    expect(c.databaseUrl).toMatch(/^postgresql:\/\/postgres:[^@]+@127\.0\.0\.1:54329\/estate_care$/);
  });

  it('keeps the generated development JWT secret across restarts', () => {
    const first = loadConfig({ DATA_DIR: dataDir }).jwt.secret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dataDir }).jwt.secret).toBe(first);
    expect(fs.statSync(path.join(dataDir, '.jwt-secret')).mode & 0o077).toBe(0);
  });

  it('falls back to the development secret when JWT_SECRET is set but empty', () => {
    // An empty secret used to pass through, and jose refused it at the first login (a 500).
    const persisted = loadConfig({ DATA_DIR: dataDir }).jwt.secret;
    expect(loadConfig({ DATA_DIR: dataDir, JWT_SECRET: '' }).jwt.secret).toBe(persisted);
  });

  it('reads numbers and levels from the environment', () => {
    const c = loadConfig({ DATA_DIR: dataDir, PORT: '8080', LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_MINUTES: '30', LOG_LEVEL: 'warn', JWT_TTL_SECONDS: '600' });
    expect(c).toMatchObject({ port: 8080, login: { maxFailures: 3, lockMinutes: 30 }, logLevel: 'warn', jwt: { ttlSeconds: 600 } });
  });
});

describe('invalid settings', () => {
  const cases: [string, string][] = [
    ['PORT', 'not-a-port'],
    ['PORT', '70000'],
    ['NODE_ENV', 'staging'],
    ['LOG_LEVEL', 'loud'],
    ['LOGIN_MAX_FAILURES', '0'],
    ['JWT_TTL_SECONDS', '-5'],
    ['DATABASE_URL', 'not a url'],
    ['BLOB_STORE', 'ftp'],
    ['S3_ENDPOINT', 'not a url'],
    ['S3_BUCKET', 'Photos_Bucket'],
    ['PHOTO_MAX_BYTES', '0'],
  ];
  for (const [key, value] of cases)
    it(`refuses ${key}=${value} and names the setting`, () => {
      expect(() => loadConfig({ DATA_DIR: dataDir, [key]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ DATA_DIR: dataDir, [key]: value })).toThrow(new RegExp(key));
    });
});

describe('blob store (photos)', () => {
  const s3 = { S3_ENDPOINT: 'http://seaweedfs.internal:8333', S3_BUCKET: 'estate-care-photos', S3_ACCESS_KEY_ID: 'AKID', S3_SECRET_ACCESS_KEY: 'secret' };

  it('keeps photos in a folder under DATA_DIR unless told otherwise, so `npm start` needs no setting; 15 MiB per upload', () => {
    const c = loadConfig({ DATA_DIR: dataDir });
    expect(c.blobs).toEqual({ kind: 'local', dir: path.join(dataDir, 'blobs') });
    expect(c.photos.maxBytes).toBe(15 * 1024 * 1024);
    expect(loadConfig({ DATA_DIR: dataDir, BLOB_DIR: '/srv/blobs', PHOTO_MAX_BYTES: '1000000' })).toMatchObject({ blobs: { kind: 'local', dir: '/srv/blobs' }, photos: { maxBytes: 1_000_000 } });
  });

  it('uses an S3-compatible bucket with BLOB_STORE=s3, path-style by default', () => {
    expect(loadConfig({ ...production(), BLOB_STORE: 's3', ...s3 }).blobs).toEqual({
      kind: 's3',
      endpoint: 'http://seaweedfs.internal:8333',
      region: 'us-east-1',
      bucket: 'estate-care-photos',
      accessKeyId: 'AKID',
      secretAccessKey: 'secret',
      forcePathStyle: true,
    });
    expect(loadConfig({ DATA_DIR: dataDir, BLOB_STORE: 's3', ...s3, S3_FORCE_PATH_STYLE: 'false', S3_REGION: 'cn-north-1' }).blobs).toMatchObject({ forcePathStyle: false, region: 'cn-north-1' });
  });

  it('refuses BLOB_STORE=s3 without its bucket or either credential, naming what is missing', () => {
    for (const key of ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'])
      expect(() => loadConfig(without({ DATA_DIR: dataDir, BLOB_STORE: 's3', ...s3 }, key))).toThrow(new RegExp(`BLOB_STORE=s3 needs ${key}$`));
  });
});
