import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from '../../platform/tools.js';
import { freePort } from '../../platform/ports.js';
import { guard, sleep, tail } from './support.js';

/** The example site configuration the README points operators to, and the one the scale-out test runs. */
export const NGINX_SITE = path.join(ROOT, 'ops', 'nginx', 'estate-care.conf');

export interface Nginx {
  url: string;
  process: ChildProcess;
  dir: string;
  accessLog: string;
  errorLog: string;
  /** Access-log lines: status, method, path, upstream addresses tried (comma-separated on fail-over), their statuses. */
  requests(): Array<{ status: number; method: string; uri: string; upstreams: string[]; upstreamStatuses: string[] }>;
  stop(): Promise<void>;
}

/**
 * ops/nginx/estate-care.conf with its upstream servers replaced by `upstreams` (each keeping the
 * parameters of the file's first server line: max_fails, fail_timeout) and its `listen` by `port`
 * on loopback. Every other directive is the file's.
 */
export function siteFor(o: { upstreams: number[]; port: number }): string {
  const site = fs.readFileSync(NGINX_SITE, 'utf8');
  const serverLine = /^(\s*)server 127\.0\.0\.1:\d+(\s[^;]*)?;\s*$/gm;
  const first = [...site.matchAll(serverLine)][0];
  if (!first) throw new Error(`${NGINX_SITE}: no "server 127.0.0.1:<port> …;" line in its upstream`);
  let placed = false;
  const out = site
    .replace(serverLine, () => {
      if (placed) return '';
      placed = true;
      return o.upstreams.map((p) => `${first[1]}server 127.0.0.1:${p}${first[2] ?? ''};`).join('\n');
    })
    .replace(/^(\s*)listen 80;/m, `$1listen 127.0.0.1:${o.port};`);
  if (!out.includes(`listen 127.0.0.1:${o.port};`)) throw new Error(`${NGINX_SITE}: no "listen 80;" line to replace`);
  return out;
}

/** Debian's nginx (`bin`, from ensureNginx) in the foreground with the site above, logs and temp files under `dir`. */
/** nginx could not bind its port: another process (another test file's server) took it after it was chosen. */
class PortTakenError extends Error {}

/**
 * Starts nginx on `o.port`, or, when another process took that port between its choice and nginx's
 * bind (test files run side by side), on a fresh one (up to three tries): `url` says which.
 */
export async function startNginx(o: { bin: string; dir: string; port: number; upstreams: number[] }): Promise<Nginx> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startNginxOn(o);
    } catch (err) {
      if (!(err instanceof PortTakenError) || attempt >= 3) throw err;
      o = { ...o, port: await freePort() };
    }
  }
}

async function startNginxOn(o: { bin: string; dir: string; port: number; upstreams: number[] }): Promise<Nginx> {
  fs.mkdirSync(o.dir, { recursive: true });
  const site = path.join(o.dir, 'estate-care.conf');
  fs.writeFileSync(site, siteFor(o));
  const accessLog = path.join(o.dir, 'access.log');
  const errorLog = path.join(o.dir, 'error.log');
  const temp = (name: string) => path.join(o.dir, name);
  const conf = path.join(o.dir, 'nginx.conf');
  fs.writeFileSync(
    conf,
    [
      'daemon off;',
      'worker_processes 1;',
      // As root nginx would run its worker as `nobody`, which cannot enter the test's 0700 folder.
      ...(process.getuid?.() === 0 ? ['user root root;'] : []),
      `pid ${temp('nginx.pid')};`,
      `error_log ${errorLog} warn;`,
      'events { worker_connections 512; }',
      'http {',
      `  log_format failover '$status $request_method $uri "$upstream_addr" "$upstream_status"';`,
      `  access_log ${accessLog} failover;`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${temp(`${t}_temp`)};`),
      `  include ${site};`,
      '}',
      '',
    ].join('\n'),
  );
  // Written by nginx once it has bound its port (a try before this one may have left one).
  const pidFile = temp('nginx.pid');
  fs.rmSync(pidFile, { force: true });
  // Its own process group: the guard kills master and worker together, even if this process dies.
  const child = spawn(o.bin, ['-p', o.dir, '-c', conf, '-e', errorLog], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  guard(child, { group: true });
  const url = `http://127.0.0.1:${o.port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      const log = tail(errorLog);
      if (/Address already in use/.test(log + stderr)) throw new PortTakenError(`nginx could not bind ${url}`);
      throw new Error(`nginx exited (${child.exitCode}): ${stderr}\n${log}`);
    }
    try {
      // nginx writes its pid file only after it has bound its listening sockets: before that, what
      // answers on the port may be another process's server.
      if (!fs.existsSync(pidFile)) throw new Error('not bound yet');
      await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not listen on ${url}: ${stderr}\n${tail(errorLog)}`);
      await sleep(100);
    }
  }
  return {
    url,
    process: child,
    dir: o.dir,
    accessLog,
    errorLog,
    requests() {
      if (!fs.existsSync(accessLog)) return [];
      return fs
        .readFileSync(accessLog, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const m = /^(\d+) (\S+) (\S+) "([^"]*)" "([^"]*)"$/.exec(line);
          if (!m) return { status: 0, method: '?', uri: line, upstreams: [], upstreamStatuses: [] };
          return { status: Number(m[1]), method: m[2]!, uri: m[3]!, upstreams: m[4]!.split(', ').filter((u) => u && u !== '-'), upstreamStatuses: m[5]!.split(', ').filter((u) => u && u !== '-') };
        });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGQUIT');
      const t = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}
