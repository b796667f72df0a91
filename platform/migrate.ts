import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './tools.js';

/** Applies committed migrations (`prisma migrate deploy`): never generates or resets anything. */
export function migrateDeploy(databaseUrl: string, log: (line: string) => void = console.log): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'prisma', 'build', 'index.js'), 'migrate', 'deploy'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const applied = output.match(/(\d+) migrations? found/)?.[1];
      if (code === 0) {
        log(`Migrations applied (${applied ?? '?'} in folder)`);
        resolve();
      } else reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${output}`));
    });
  });
}
