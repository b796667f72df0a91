#!/usr/bin/env node
// Runs before `npm start` and `npm test` with nothing but Node itself: installs dependencies when
// package-lock.json changed (or node_modules is missing) and regenerates the Prisma client when
// the schema changed. Quick when nothing changed: two hashes and two file reads.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = path.join(root, 'node_modules', '.estate-care-bootstrap.json');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 3)) {
  console.error(`Node ${process.versions.node} is too old: need >= 20.3 / Node 版本过低，需要 20.3 以上`);
  process.exit(1);
}

const hash = (...files) => {
  const h = createHash('sha256');
  for (const f of files) h.update(fs.existsSync(path.join(root, f)) ? fs.readFileSync(path.join(root, f)) : '');
  return h.digest('hex');
};
let stamp = {};
try {
  stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
} catch {}

const depsHash = hash('package.json', 'package-lock.json');
if (stamp.deps !== depsHash || !fs.existsSync(path.join(root, 'node_modules', '.bin', 'tsx'))) {
  console.log('Installing dependencies from package-lock.json … / 正在安装依赖 …');
  const t = Date.now();
  // `npm install --no-save` rather than `npm ci`: the lockfile here records only this platform's
  // optional binaries (no resolved URLs), which `npm ci` rejects; --no-save installs the locked
  // versions without rewriting the lockfile.
  execFileSync(npm, ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
  console.log(`Dependencies installed in ${((Date.now() - t) / 1000).toFixed(1)} s / 依赖安装完成`);
  stamp = { deps: depsHash };
}

const schemaHash = hash('prisma/schema.prisma', 'package-lock.json');
if (stamp.schema !== schemaHash || !fs.existsSync(path.join(root, 'prisma', 'generated', 'client.ts'))) {
  console.log('Generating the Prisma client … / 正在生成 Prisma 客户端 …');
  // `generate` reads the config, whose adapter wants a URL; generation itself never connects.
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'prisma', 'build', 'index.js'), 'generate'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://localhost/unused' },
  });
  stamp.schema = schemaHash;
}
fs.writeFileSync(stampFile, JSON.stringify(stamp));
