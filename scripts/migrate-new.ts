/**
 * `npm run migrate:new -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with
 * the SQL that takes the committed migrations to the current prisma/schema.prisma.
 *
 * Prisma's `migrate dev` and shadow databases do not work through the offline driver adapter
 * (DESIGN.md), so this applies the committed migrations to a throwaway Debian PostgreSQL and
 * diffs that live database against the schema.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { migrateDeploy } from '../platform/migrate.js';
import { ROOT } from '../platform/tools.js';
import { startTestPostgres } from '../test/support/test-postgres.js';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run migrate:new -- <snake_case_name> / 用法：npm run migrate:new -- <迁移名>');
  process.exit(2);
}
const port = await new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as net.AddressInfo).port;
    s.close(() => resolve(p));
  });
});
const server = startTestPostgres(port);
try {
  const admin = new pg.Client({ connectionString: server.adminUrl() });
  await admin.connect();
  await admin.query('CREATE DATABASE migrate_base');
  await admin.end();
  const url = server.adminUrl('migrate_base');
  await migrateDeploy(url, () => undefined);
  // Through the adapter the schema engine neither uses shadow databases nor introspects reliably,
  // so diff between schema files: the schema as committed with the newest migration (they are
  // always committed together) against the current one. The result is then applied to the
  // throwaway database below, so a migration that does not apply is never written.
  const prisma = (args: string[]) =>
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'prisma', 'build', 'index.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const lastMigrationCommit = execFileSync('git', ['log', '-1', '--format=%H', '--', 'prisma/migrations'], { cwd: ROOT, encoding: 'utf8' }).trim();
  const base = path.join(ROOT, 'node_modules', '.cache', 'migrate-base.prisma');
  fs.mkdirSync(path.dirname(base), { recursive: true });
  fs.writeFileSync(base, execFileSync('git', ['show', `${lastMigrationCommit}:prisma/schema.prisma`], { cwd: ROOT, encoding: 'utf8' }));
  const sql = prisma(['migrate', 'diff', '--from-schema-datamodel', base, '--to-schema-datamodel', 'prisma/schema.prisma', '--script']);
  if (!sql.trim() || /^-- This is an empty migration/m.test(sql)) {
    console.log('Schema and migrations already agree: nothing written / 无需迁移');
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(ROOT, 'prisma', 'migrations', `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
    try {
      await migrateDeploy(url, () => undefined);
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    console.log(`Wrote ${path.relative(ROOT, dir)}/migration.sql / 已生成迁移`);
  }
} finally {
  server.stop();
}
