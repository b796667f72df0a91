import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
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
  // The console imports the shared rules in domain/ (roles, permissions).
  walk(path.join(ROOT, 'domain'));
  return h.digest('hex');
}

/** Builds console/dist with Vite when the console's sources changed since the last build. */
export async function buildConsoleIfStale(log: (m: string) => void = console.log): Promise<void> {
  const stamp = path.join(ROOT, 'console', 'dist', '.sources-hash');
  const hash = sourcesHash();
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) return;
  log('Building the console … / 正在构建控制台 …');
  const t = Date.now();
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'console/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  fs.writeFileSync(stamp, hash);
  log(`Console built in ${((Date.now() - t) / 1000).toFixed(1)} s / 控制台构建完成`);
}
