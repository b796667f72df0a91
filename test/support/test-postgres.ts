import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';

/**
 * A throwaway PostgreSQL cluster from Debian's `postgresql` package, so the production database
 * engine is exercised on every run. `scripts/test.ts` installs the package when it is absent.
 */
export interface TestPostgres {
  port: number;
  dataDir: string;
  adminUrl(db?: string): string;
  stop(): void;
}

function pgBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const dir = path.join(root, v, 'bin');
    if (fs.existsSync(path.join(dir, 'initdb'))) return dir;
  }
  throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql; run `npm test` (installs the Debian package) / 未找到 PostgreSQL');
}

const isRoot = process.getuid?.() === 0;

function run(bin: string, args: string[]) {
  // PostgreSQL refuses to run as root: run its tools as the `postgres` user the package creates.
  const r = isRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', bin, ...args], { encoding: 'utf8' })
    : spawnSync(bin, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${path.basename(bin)} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

export function startTestPostgres(port: number): TestPostgres {
  const bin = pgBinDir();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'estate-care-pg-'));
  if (isRoot) execFileSync('chown', ['postgres:postgres', dataDir]);
  fs.chmodSync(dataDir, 0o700);
  run(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  const opts = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dataDir}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=300',
  ].join(' ');
  run(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-o', opts, '-l', path.join(dataDir, 'server.log'), '-w', 'start']);
  return {
    port,
    dataDir,
    adminUrl: (db = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${db}`,
    stop() {
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** Stops / starts an already-initialised cluster (used to prove /readyz and recovery). */
export function pgCtl(dataDir: string, action: 'stop' | 'start', port: number) {
  const bin = pgBinDir();
  const opts = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dataDir} -c fsync=off -c max_connections=300`;
  if (action === 'stop') run(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
  else run(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-o', opts, '-l', path.join(dataDir, 'server.log'), '-w', 'start']);
}
