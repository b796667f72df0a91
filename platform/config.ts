import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { z } from 'zod';
import { PINNED_NODE_VERSION } from './node-runtime.mjs';
import { WORKER_RUNTIME_DEFAULTS } from './worker-runtime.mjs';
import type { BlobStoreSettings } from './storage/index.js';
import { generatePayloadKeyEntry, parsePayloadKeys, PayloadKeyError, type PayloadKeyring } from './temporal/payload-keys.js';

/**
 * Every setting comes from the environment (README: "Configuration"). Development gets embedded
 * defaults; production refuses to start without the settings that protect data.
 */
const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().default('data'),
  DATABASE_URL: z.string().url().optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().default(54329),
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('estate-care'),
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_TLS_CA: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_DEV_PORT: z.coerce.number().int().default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().default(8233),
  TEMPORAL_PAYLOAD_KEYS: z.string().optional(),
  TEMPORAL_PAYLOAD_KEY_ID: z.string().optional(),
  TEMPORAL_CODEC_CORS_ORIGINS: z.string().optional(),
  JWT_SECRET: z.string().optional(),
  JWT_TTL_SECONDS: z.coerce.number().int().positive().default(8 * 3600),
  SMTP_URL: z.string().optional(),
  /**
   * The console's address as owners reach it (e.g. https://care.example.com): the links emailed to
   * owners (a work order's sign-off link) start with it. Default: http://localhost:PORT.
   */
  PUBLIC_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('Estate Care 客服中心 <noreply@estate-care.local>'),
  CRM_DEMO_PASSWORD: z.string().default('demo'),
  DEFAULT_TIME_ZONE: z.string().default('Asia/Shanghai'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().positive().default(15),
  /** Login attempts per minute from one address (20; 1000 under NODE_ENV=test, where suites log in often). */
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().optional(),
  /** When set, `/metrics` (API and worker) answers any address that sends `Authorization: Bearer <token>`; without it, loopback callers only. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** The worker's own `/metrics` listener (0 turns it off); the API serves `/metrics` on PORT. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  WORKER_METRICS_HOST: z.string().default('127.0.0.1'),
  /**
   * Workflows the worker keeps in memory between their tasks (Temporal's sticky cache). Each costs
   * about half a MiB; one outside the cache is rebuilt from its history when its next timer fires
   * (about a second on a loaded machine, bench/leads.ts). With 150 a worker holding 10,000 waiting
   * leads ended at 507 MiB on Node 20 and 914 MiB on Node 24 with the runtime's defaults (bench/README.md;
   * Node 24 needs the two launch settings below); the SDK's default would be about 2,300 workflows here
   * (1.5 GiB with 5,000 leads).
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(150),
  /**
   * How the worker process is launched (platform/worker-runtime.mjs applies both in every launcher):
   * `--max-semi-space-size` of its V8 isolates (MiB; 0: V8's default, which on Node 24 grew each
   * isolate's young generation to 128 MiB under load) and MALLOC_ARENA_MAX (0: glibc's default).
   */
  WORKER_MAX_SEMI_SPACE_MIB: z.coerce.number().int().min(0).max(1024).default(WORKER_RUNTIME_DEFAULTS.maxSemiSpaceMiB),
  WORKER_MALLOC_ARENA_MAX: z.coerce.number().int().min(0).max(1024).default(WORKER_RUNTIME_DEFAULTS.mallocArenaMax),
  /** OTLP/HTTP collector base URL (e.g. http://collector:4318): traces are exported only when set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  OTEL_SERVICE_NAME: z.string().optional(),
  /**
   * Where photos (and other uploaded files) are kept, content-addressed (platform/storage): `local`,
   * a folder (BLOB_DIR, default `<DATA_DIR>/blobs`), or `s3`, a bucket of an S3-compatible service.
   */
  BLOB_STORE: z.enum(['local', 's3']).default('local'),
  BLOB_DIR: z.string().optional(),
  /** The S3-compatible service's URL (SeaweedFS, Ceph RGW, a cloud's); unset: AWS's endpoint for S3_REGION. */
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name (3–63 lower-case letters, digits, dots, hyphens)').optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** Path-style URLs (`endpoint/bucket/key`), which self-hosted servers need; `false` for virtual-hosted style. */
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('true'),
  /** The largest photo upload accepted, in bytes (15 MiB: a phone's full-size JPEG is 3–8 MB). */
  PHOTO_MAX_BYTES: z.coerce.number().int().positive().max(100 * 1024 * 1024).default(15 * 1024 * 1024),
});

export type AppConfig = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads a secret persisted under DATA_DIR, creating it once, so development restarts keep sessions.
 * Created atomically (written aside, then linked into place, which fails if the file exists): an
 * API and a worker started together read the same secret, never one each.
 */
function devSecret(dataDir: string, file: string, generate = () => crypto.randomBytes(32).toString('base64url')): string {
  const p = path.resolve(dataDir, file);
  try {
    return fs.readFileSync(p, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(p), { recursive: true });
    const aside = `${p}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    fs.writeFileSync(aside, generate(), { mode: 0o600 });
    try {
      fs.linkSync(aside, p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(aside, { force: true });
    }
    return fs.readFileSync(p, 'utf8').trim();
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, nodeVersion: string = process.version) {
  // `JWT_SECRET=` in an env file means "not set", not "the empty secret" (which jose refuses at
  // the first login, as a 500).
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${fields}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  // Node 20 reached end of life on 30 April 2026; `npm run api` / `npm run worker` run on the
  // project's pinned Node 24 (platform/node-runtime.mjs), so this fires only on a hand-made start.
  if (production && !nodeVersion.startsWith('v24.'))
    throw new ConfigError(
      `Node ${nodeVersion} is not supported in production: run on Node 24 (\`npm run api\` and \`npm run worker\` provision the pinned ${PINNED_NODE_VERSION})`,
    );
  if (production && !e.DATABASE_URL) throw new ConfigError('DATABASE_URL is required in production');
  if (production && (!e.JWT_SECRET || e.JWT_SECRET.length < 32))
    throw new ConfigError('JWT_SECRET of at least 32 characters is required in production');
  if (production && !e.SMTP_URL) throw new ConfigError('SMTP_URL is required in production');
  if (production && !e.TEMPORAL_ADDRESS) throw new ConfigError('TEMPORAL_ADDRESS is required in production');
  if ((e.TEMPORAL_TLS_CERT && !e.TEMPORAL_TLS_KEY) || (!e.TEMPORAL_TLS_CERT && e.TEMPORAL_TLS_KEY))
    throw new ConfigError('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together');

  if (production && !e.TEMPORAL_PAYLOAD_KEYS)
    throw new ConfigError(
      'TEMPORAL_PAYLOAD_KEYS is required in production (id:base64key of 32 random bytes, e.g. `openssl rand -base64 32`)',
    );
  const payloadKeys = loadPayloadKeys(e);

  const blobs = blobStoreSettings(e);

  const databaseUrl = e.DATABASE_URL ?? embeddedDatabaseUrl(e.DATA_DIR, e.EMBEDDED_PG_PORT);
  return {
    env: e.NODE_ENV,
    production,
    host: e.HOST,
    port: e.PORT,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl,
    embeddedDatabase: !e.DATABASE_URL,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    temporal: {
      address: e.TEMPORAL_ADDRESS ?? `127.0.0.1:${e.TEMPORAL_DEV_PORT}`,
      external: Boolean(e.TEMPORAL_ADDRESS),
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      tlsCertPath: e.TEMPORAL_TLS_CERT,
      tlsKeyPath: e.TEMPORAL_TLS_KEY,
      tlsCaPath: e.TEMPORAL_TLS_CA,
      tlsServerName: e.TEMPORAL_TLS_SERVER_NAME,
      apiKey: e.TEMPORAL_API_KEY,
      devPort: e.TEMPORAL_DEV_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      payloadKeys,
      /** Web origins allowed to call the codec endpoint from a browser (the Temporal Web UI). */
      codecCorsOrigins: e.TEMPORAL_CODEC_CORS_ORIGINS
        ? e.TEMPORAL_CODEC_CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean)
        : production
          ? []
          : [`http://127.0.0.1:${e.TEMPORAL_UI_PORT}`, `http://localhost:${e.TEMPORAL_UI_PORT}`],
    },
    jwt: { secret: e.JWT_SECRET ?? devSecret(e.DATA_DIR, '.jwt-secret'), ttlSeconds: e.JWT_TTL_SECONDS },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    /** The console's public address, without a trailing slash (links sent to owners). */
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    demoPassword: e.CRM_DEMO_PASSWORD,
    defaultTimeZone: e.DEFAULT_TIME_ZONE,
    logLevel: e.LOG_LEVEL,
    login: {
      maxFailures: e.LOGIN_MAX_FAILURES,
      lockMinutes: e.LOGIN_LOCK_MINUTES,
      ratePerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE ?? (e.NODE_ENV === 'test' ? 1000 : 20),
    },
    worker: {
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      /** The worker process's launch settings (workerNodeArgs / workerProcessEnv of platform/worker-runtime.mjs). */
      runtime: { maxSemiSpaceMiB: e.WORKER_MAX_SEMI_SPACE_MIB, mallocArenaMax: e.WORKER_MALLOC_ARENA_MAX },
    },
    metrics: {
      token: e.METRICS_TOKEN,
      workerPort: e.WORKER_METRICS_PORT,
      workerHost: e.WORKER_METRICS_HOST,
    },
    tracing: {
      /** OTLP/HTTP base URL; null: no exporter, no tracer provider, no spans. */
      otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT ?? null,
      serviceName: e.OTEL_SERVICE_NAME,
    },
    /** The blob store's settings (openBlobStore in platform/storage); the S3 secret is in here: never log this object. */
    blobs,
    photos: { maxBytes: e.PHOTO_MAX_BYTES },
  };
}

/** BLOB_STORE and its companions; `s3` without its bucket or either credential refuses to start. */
function blobStoreSettings(e: z.output<typeof Env>): BlobStoreSettings {
  if (e.BLOB_STORE === 'local') return { kind: 'local', dir: path.resolve(e.BLOB_DIR ?? path.join(e.DATA_DIR, 'blobs')) };
  const missing = (['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter((k) => !e[k]);
  if (missing.length > 0) throw new ConfigError(`BLOB_STORE=s3 needs ${missing.join(', ')}`);
  return {
    kind: 's3',
    endpoint: e.S3_ENDPOINT,
    region: e.S3_REGION,
    bucket: e.S3_BUCKET!,
    accessKeyId: e.S3_ACCESS_KEY_ID!,
    secretAccessKey: e.S3_SECRET_ACCESS_KEY!,
    forcePathStyle: e.S3_FORCE_PATH_STYLE === 'true',
  };
}

/**
 * The payload encryption keys: TEMPORAL_PAYLOAD_KEYS, or in development and tests a key generated
 * once into DATA_DIR (like the JWT secret), so the dev server's history under DATA_DIR stays
 * readable across restarts and is lost only together with it.
 */
function loadPayloadKeys(e: z.output<typeof Env>): PayloadKeyring {
  const list = e.TEMPORAL_PAYLOAD_KEYS ?? devSecret(e.DATA_DIR, '.temporal-payload-keys', () => generatePayloadKeyEntry(`dev-${crypto.randomBytes(3).toString('hex')}`));
  try {
    return parsePayloadKeys(list, e.TEMPORAL_PAYLOAD_KEY_ID);
  } catch (err) {
    if (err instanceof PayloadKeyError)
      throw new ConfigError(`Invalid TEMPORAL_PAYLOAD_KEYS / TEMPORAL_PAYLOAD_KEY_ID: ${err.message}`);
    throw err;
  }
}

/** The embedded PostgreSQL's URL; its password is generated once and kept under DATA_DIR. */
export function embeddedDatabaseUrl(dataDir: string, port: number): string {
  const password = devSecret(dataDir, '.pg-password');
  return `postgresql://postgres:${password}@127.0.0.1:${port}/estate_care`;
}
