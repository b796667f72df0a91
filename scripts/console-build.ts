import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../platform/tools.js';

function sourcesHash(): string {
  const h = crypto.createHash('sha256');
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === 'dist' || entry.name === 'node_modules') continue;
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else h.update(p).update(fs.readFileSync(p));
    }
  };
  walk(path.join(ROOT, 'console'));
  // The console imports the shared rules in domain/ (roles, permissions), the error catalogues of
  // app/ (it translates their codes) and the wire types of api/; the lockfile pins its libraries.
  walk(path.join(ROOT, 'domain'));
  walk(path.join(ROOT, 'app'));
  walk(path.join(ROOT, 'api'));
  h.update(fs.readFileSync(path.join(ROOT, 'package-lock.json')));
  return h.digest('hex');
}

/** The most a JavaScript chunk of the console may weigh, minified (issue 13: fast first load). */
export const CHUNK_LIMIT_BYTES = 500 * 1000;

export interface ChunkSize {
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** Every JavaScript chunk of console/dist with its minified and gzipped size, largest first. */
export function consoleChunkSizes(): ChunkSize[] {
  const dir = path.join(ROOT, 'console', 'dist', 'assets');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((file) => {
      const body = fs.readFileSync(path.join(dir, file));
      return { file, bytes: body.length, gzipBytes: zlib.gzipSync(body).length };
    })
    .sort((a, b) => b.bytes - a.bytes);
}

function printSizes(log: (m: string) => void): void {
  const sizes = consoleChunkSizes();
  const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`.padStart(9);
  const total = sizes.reduce((s, c) => s + c.bytes, 0);
  log(`Console chunks (minified · gzip), ${sizes.length} files, ${kb(total).trim()} in all / 控制台分块大小:`);
  for (const c of sizes.slice(0, 12)) log(`  ${kb(c.bytes)} · ${kb(c.gzipBytes)}  ${c.file}`);
  if (sizes.length > 12) log(`  … ${sizes.length - 12} smaller chunks`);
  const over = sizes.filter((c) => c.bytes > CHUNK_LIMIT_BYTES);
  if (over.length > 0) throw new Error(`Console chunks over ${CHUNK_LIMIT_BYTES / 1000} kB: ${over.map((c) => `${c.file} ${kb(c.bytes).trim()}`).join(', ')}`);
}

/**
 * The lines of Vite's (Rollup's) output that fail the build. A circular chunk (manualChunks in
 * console/vite.config.ts putting two vendor families in chunks that import each other) lets a chunk
 * run before the one it needs: Rollup only warns, so the build stops here instead.
 */
export function warningsThatFailTheBuild(output: string): string[] {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  return plain
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /Circular chunk/i.test(line));
}

/** Builds console/dist with Vite when the console's sources changed since the last build. */
export async function buildConsoleIfStale(log: (m: string) => void = console.log): Promise<void> {
  const stamp = path.join(ROOT, 'console', 'dist', '.sources-hash');
  const hash = sourcesHash();
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) return;
  log('Building the console … / 正在构建控制台 …');
  const t = Date.now();
  const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'console/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    // Always the production build, whatever NODE_ENV the caller runs under: `npm start` in
    // development once built React's development bundle (571 kB, over the limit, and slow).
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['inherit', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(run.stdout ?? '');
  process.stderr.write(run.stderr ?? '');
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`vite build exited with ${run.status ?? run.signal}`);
  const failing = warningsThatFailTheBuild(`${run.stdout ?? ''}\n${run.stderr ?? ''}`);
  if (failing.length > 0) throw new Error(`The console build warned of what must not ship:\n${failing.join('\n')}`);
  printSizes(log);
  fs.writeFileSync(stamp, hash);
  log(`Console built in ${((Date.now() - t) / 1000).toFixed(1)} s / 控制台构建完成`);
}

// `npm run build:console`: build now, whatever the stamp says, and print the chunk sizes.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.rmSync(path.join(ROOT, 'console', 'dist', '.sources-hash'), { force: true });
  await buildConsoleIfStale();
}
