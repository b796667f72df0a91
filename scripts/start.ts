/**
 * `npm start`: the whole system on embedded defaults — Temporal dev server (Web UI on 8233,
 * SQLite under data/), PostgreSQL (embedded, data under data/pg) unless DATABASE_URL is set,
 * migrations, demo data (development only), the console build, the worker and the API.
 * Ctrl-C stops every child; running it again keeps all data and running workflows.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { loadConfig, ConfigError } from '../platform/config.js';
import { workerNodeArgs, workerProcessEnv } from '../platform/worker-runtime.mjs';
import { createDb } from '../platform/db.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../platform/embedded-postgres.js';
import { migrateDeploy } from '../platform/migrate.js';
import { ensureTemporalTools, ROOT } from '../platform/tools.js';
import { startDevServer, waitForPort, type DevServer } from '../platform/temporal/dev-server.js';
import { seedDemo } from '../prisma/seed.js';
import { buildConsoleIfStale } from './console-build.js';
import { CODEC_BASE_PATH } from '../api/temporal-codec/codec-cors.js';

// Synchronous writes: process.exit would otherwise drop the last lines when stdout is a pipe. A
// closed terminal (hang-up) makes writes fail: the stop must go on regardless.
const say = (en: string, zh: string) => {
  try {
    fs.writeSync(1, `» ${en} / ${zh}\n`);
  } catch {
    // No terminal left to tell.
  }
};
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}

/**
 * The lifeline (scripts/lifeline.mjs), in its own session: told every process group started here
 * and PostgreSQL's pid file, it stops what is left once this script is gone, however it went
 * (Ctrl-C at any moment, SIGTERM, hang-up, SIGKILL). The orderly stop below is the usual path.
 */
const lifeline = spawn(process.execPath, [path.join(ROOT, 'scripts', 'lifeline.mjs')], { detached: true, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
lifeline.unref();
(lifeline.channel as { unref?: () => void } | undefined)?.unref?.();
function watch(m: { group: number } | { pidFile: string }) {
  try {
    lifeline.send(m);
  } catch {
    // The lifeline is gone: the orderly stop still runs.
  }
}

const children: { name: string; proc: ChildProcess }[] = [];
/** The dev server's process from the moment it is spawned (devServer is set only once it is ready). */
let devServerProcess: ChildProcess | null = null;
let devServer: DevServer | null = null;
let embedded: EmbeddedDatabase | null = null;
let shuttingDown = false;

async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  say('Stopping …', '正在停止 …');
  await Promise.all(
    children.map(
      ({ proc }) =>
        new Promise<void>((resolve) => {
          if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
          proc.once('exit', () => resolve());
          proc.kill('SIGTERM');
          setTimeout(() => proc.kill('SIGKILL'), 15_000).unref();
        }),
    ),
  );
  if (devServer) await devServer.stop().catch(() => undefined);
  else if (devServerProcess?.pid && devServerProcess.exitCode === null && devServerProcess.signalCode === null) {
    // Stopped during start-up, before the dev server was ready: its whole group.
    const exited = new Promise<void>((r) => devServerProcess!.once('exit', () => r()));
    try {
      process.kill(-devServerProcess.pid, 'SIGTERM');
    } catch {
      // Gone already.
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  }
  await embedded?.stop().catch(() => undefined);
  fs.rmSync(pidFile(), { force: true });
  say('Stopped. Data is kept in ' + config.dataDir, '已停止，数据保存在 ' + config.dataDir);
  process.exit(code);
}
// embedded-postgres installs async-exit-hook, which exits with 130 on SIGINT while our orderly
// shutdown is still running; this script stops the database itself, last.
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
// The terminal closed: stop like Ctrl-C.
process.on('SIGHUP', () => void shutdown(0));

/**
 * Children live in their own process groups (see runChild); should this script ever be killed
 * hard, the next start finds their pids here and stops them before taking their ports.
 */
const pidFile = () => path.join(config.dataDir, 'children.pid.json');
function recordPids() {
  const pids = [...children.map((c) => c.proc.pid), devServer?.process.pid].filter((p): p is number => typeof p === 'number');
  fs.writeFileSync(pidFile(), JSON.stringify(pids));
}
async function stopLeftovers() {
  let pids: number[] = [];
  try {
    pids = JSON.parse(fs.readFileSync(pidFile(), 'utf8')) as number[];
  } catch {
    return;
  }
  const alive = pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
  if (alive.length) say(`Stopping ${alive.length} process(es) left over from an earlier run`, `正在停止上次运行遗留的 ${alive.length} 个进程`);
  for (const pid of alive) process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 50 && alive.some((pid) => { try { process.kill(pid, 0); return true; } catch { return false; } }); i++)
    await new Promise((r) => setTimeout(r, 200));
  fs.rmSync(pidFile(), { force: true });
}

function runChild(name: string, script: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []) {
  if (shuttingDown) throw new Error('stopping');
  // Own process group: Ctrl-C reaches only this script, which stops the API and worker first
  // (letting in-flight activities finish) and the servers they depend on after.
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const prefix = `[${name}] `;
  for (const stream of [proc.stdout, proc.stderr]) {
    let buf = '';
    stream.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        process.stdout.write(prefix + buf.slice(0, i) + '\n');
        buf = buf.slice(i + 1);
      }
    });
  }
  proc.on('exit', (code, signal) => {
    if (shuttingDown) return;
    console.error(`» ${name} exited unexpectedly (code ${code}, signal ${signal}); stopping everything / ${name} 意外退出，正在停止全部服务`);
    void shutdown(1);
  });
  children.push({ name, proc });
  if (proc.pid) watch({ group: proc.pid });
  recordPids();
}

async function assertPortFree(port: number, what: string) {
  const inUse = await new Promise<boolean>((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
  if (inUse)
    throw new Error(
      `Port ${port} (${what}) is already in use: is another \`npm start\` running? Stop it or set another port (README: Configuration). / 端口 ${port}（${what}）已被占用`,
    );
}

async function main() {
  fs.mkdirSync(path.join(config.dataDir, 'logs'), { recursive: true });
  await stopLeftovers();
  await assertPortFree(config.port, 'API');
  if (!config.temporal.external) {
    await assertPortFree(config.temporal.devPort, 'Temporal');
    await assertPortFree(config.temporal.uiPort, 'Temporal UI');
  }
  if (config.embeddedDatabase) await assertPortFree(config.embeddedPgPort, 'PostgreSQL');

  if (config.temporal.external) {
    say(`Using the Temporal cluster at ${config.temporal.address} (namespace ${config.temporal.namespace})`, '使用外部 Temporal 集群');
  } else {
    const tools = ensureTemporalTools((m) => console.log('» ' + m));
    say(`Starting the Temporal dev server on ${config.temporal.address} …`, '正在启动 Temporal 开发服务器 …');
    devServer = await startDevServer({
      cli: tools.cli,
      dbFile: path.join(config.dataDir, 'temporal.db'),
      port: config.temporal.devPort,
      uiPort: config.temporal.uiPort,
      // Payloads are encrypted (TEMPORAL_PAYLOAD_KEYS, or the key generated into DATA_DIR): the Web
      // UI shows them through the API's codec endpoint, to a group administrator (README).
      uiCodecEndpoint: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}${CODEC_BASE_PATH}`,
      namespace: config.temporal.namespace,
      logFile: path.join(config.dataDir, 'logs', 'temporal.log'),
      detached: true,
      onSpawn: (child) => {
        devServerProcess = child;
        if (child.pid) watch({ group: child.pid });
      },
    });
    if (shuttingDown) return;
    devServer.process.on('exit', () => {
      if (!shuttingDown) {
        console.error('» Temporal dev server exited; see data/logs/temporal.log / Temporal 开发服务器已退出');
        void shutdown(1);
      }
    });
  }

  if (config.embeddedDatabase) {
    say(`Starting embedded PostgreSQL on 127.0.0.1:${config.embeddedPgPort} …`, '正在启动内置 PostgreSQL …');
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
      databaseUrl: config.databaseUrl,
      onPidFile: (file) => watch({ pidFile: file }),
      log: (en, zh) => say(en, zh),
    });
    if (shuttingDown) return;
  }
  await migrateDeploy(config.databaseUrl, (l) => console.log('» ' + l));

  if (!config.production) {
    const db = createDb(config.databaseUrl, { max: 2 });
    const seeded = await seedDemo(db, { password: config.demoPassword });
    await db.$disconnect();
    say(`Demo organisation ready (${seeded.projectIds.length} projects, ${seeded.users} users)`, '演示数据已就绪');
  }

  await buildConsoleIfStale((m) => console.log('» ' + m));

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: config.databaseUrl,
    TEMPORAL_ADDRESS: config.temporal.address,
    NODE_ENV: config.env,
  };
  // The worker's memory settings (WORKER_MAX_SEMI_SPACE_MIB, WORKER_MALLOC_ARENA_MAX), as `npm run worker` applies them.
  runChild('worker', 'worker.ts', workerProcessEnv(config.worker.runtime, env), workerNodeArgs(config.worker.runtime));
  runChild('api', 'api/server.ts', env);
  await waitForPort(config.port, config.host === '0.0.0.0' ? '127.0.0.1' : config.host, 120_000);
  const base = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  for (let i = 0; i < 60; i++) {
    const r = await fetch(`${base}/readyz`).catch(() => null);
    if (r?.status === 200) break;
    await new Promise((res) => setTimeout(res, 1000));
  }
  const ready = await fetch(`${base}/readyz`).then((r) => r.json()).catch(() => null);
  console.log(`
────────────────────────────────────────────────────────────
 Estate Care is running / 系统已启动
   Console 控制台      ${base}/
   API docs 接口文档   ${base}/api/docs
   Readiness 就绪检查  ${base}/readyz  ${JSON.stringify(ready?.checks ?? {})}
   Temporal UI        ${config.temporal.external ? '(external cluster)' : `http://127.0.0.1:${config.temporal.uiPort}  (payloads encrypted with key ${config.temporal.payloadKeys.encryptionKeyId}; decoded for group administrators, README: Encrypted workflow data)`}
 ${config.production ? '' : `Demo users 演示账号: admin, agent.project, handler.project, supervisor.company, manager.group, sales.project, salesmgr.company … (password 密码: ${config.demoPassword === 'demo' ? 'demo' : 'CRM_DEMO_PASSWORD'})`}
 Ctrl-C stops everything / 按 Ctrl-C 停止全部服务
────────────────────────────────────────────────────────────`);
}

main().catch((err) => {
  console.error('» Start failed / 启动失败:', err instanceof Error ? err.message : err);
  if (!(err instanceof Error)) console.error(err);
  void shutdown(1);
});
