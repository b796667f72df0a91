import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { ensureTemporalTools, ROOT } from '../../platform/tools.js';
import { startTestPostgres } from './test-postgres.js';
import { freePort } from '../../platform/ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgPort: number;
    pgDataDir: string;
    templateDb: string;
    temporalCli: string;
    temporalTestServer: string;
  }
}

export const TEMPLATE_DB = 'estate_care_template';

/**
 * Once per test run: a real PostgreSQL with a migrated template database (each test file clones
 * it in milliseconds), and the pinned Temporal binaries.
 */
export default async function setup(project: TestProject) {
  const tools = ensureTemporalTools();
  const pgServer = startTestPostgres(await freePort());
  const admin = new pg.Client({ connectionString: pgServer.adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();
  execFileSync(process.execPath, [`${ROOT}/node_modules/prisma/build/index.js`, 'migrate', 'deploy'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: pgServer.adminUrl(TEMPLATE_DB) },
    stdio: 'pipe',
  });
  project.provide('pgAdminUrl', pgServer.adminUrl());
  project.provide('pgPort', pgServer.port);
  project.provide('pgDataDir', pgServer.dataDir);
  project.provide('templateDb', TEMPLATE_DB);
  project.provide('temporalCli', tools.cli);
  project.provide('temporalTestServer', tools.testServer);
  return () => pgServer.stop();
}
