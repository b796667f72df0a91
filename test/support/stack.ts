import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { inject } from 'vitest';
import { createApp } from '../../api/app.js';
import { loadConfig, type AppConfig } from '../../platform/config.js';
import type { Db } from '../../platform/db.js';
import { createLogger } from '../../platform/logger.js';
import { createMailer, type Mailer } from '../../platform/mail.js';
import { TemporalGateway } from '../../platform/temporal/connection.js';
import { startDevServer, type DevServer } from '../../platform/temporal/dev-server.js';
import { seedDemo, type SeedResult } from '../../prisma/seed.js';
import { createTestDatabase } from './database.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface TestStack {
  baseUrl: string;
  db: Db;
  databaseUrl: string;
  config: AppConfig;
  mailer: Mailer;
  temporal: TemporalGateway;
  devServer: DevServer | null;
  seed: SeedResult | null;
  /** Logs in and returns a bearer token. */
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export interface TestStackOptions {
  seed?: boolean;
  /** Start a Temporal dev server (in memory, headless) for this stack. */
  temporal?: boolean;
  smtpUrl?: string;
  env?: Record<string, string>;
}

/**
 * The real API (Express app, Prisma on a fresh PostgreSQL database, optionally a Temporal dev
 * server) listening on a free loopback port.
 */
export async function startTestStack(opts: TestStackOptions = {}): Promise<TestStack> {
  const database = await createTestDatabase();
  const devServer = opts.temporal
    ? await startDevServer({ cli: inject('temporalCli'), port: await freePort(), headless: true })
    : null;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: devServer?.address ?? `127.0.0.1:${await freePort()}`,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    CRM_DEMO_PASSWORD: 'demo',
    LOG_LEVEL: 'silent',
    ...(opts.smtpUrl ? { SMTP_URL: opts.smtpUrl } : {}),
    ...opts.env,
  });
  const logger = createLogger({ name: 'api-test', level: config.logLevel });
  const temporal = new TemporalGateway(config.temporal);
  const mailer = createMailer({ db: database.db, smtpUrl: config.mail.smtpUrl, from: config.mail.from, logger });
  const seed = opts.seed ? await seedDemo(database.db, { password: 'demo' }) : null;
  const app = createApp({ config, db: database.db, temporal, mailer, logger });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    db: database.db,
    databaseUrl: database.url,
    config,
    mailer,
    temporal,
    devServer,
    seed,
    async login(username, password = 'demo') {
      const res = await fetch(`${baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await temporal.close();
      mailer.close();
      await devServer?.stop();
      await database.drop();
    },
  };
}
