/**
 * The set-up the benches share: a throwaway PostgreSQL with a migrated `bench` database, the API
 * listening on a loopback port, and logging in as one of the demo users.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import http, { type Server } from 'node:http';
import type { Express } from 'express';
import pg from 'pg';
import { migrateDeploy } from '../platform/migrate.js';
import { freePort } from '../platform/ports.js';
import { startTestPostgres, type TestPostgres } from '../test/support/test-postgres.js';

/**
 * A throwaway Debian PostgreSQL cluster (as the tests start it) on a free port, with a `bench`
 * database migrated to the schema. `prepare` runs on the cluster's admin connection after the
 * database is created and before it is migrated (a setting, say). The caller stops `pgServer`:
 * `onStarted` is told it as soon as the cluster runs, so a clean-up registered there covers a
 * failure or Ctrl-C during the migration too. Without `onStarted`, a failure here stops it.
 */
export async function benchDatabase(
  o: { onStarted?: (pgServer: TestPostgres) => void; prepare?: (admin: pg.Client, port: number, pgServer: TestPostgres) => Promise<void> } = {},
): Promise<{ pgServer: TestPostgres; url: string; port: number }> {
  const port = await freePort();
  const pgServer = startTestPostgres(port);
  o.onStarted?.(pgServer);
  try {
    const admin = new pg.Client({ connectionString: pgServer.adminUrl() });
    await admin.connect();
    try {
      await admin.query('CREATE DATABASE bench');
      await o.prepare?.(admin, port, pgServer);
    } finally {
      await admin.end();
    }
    const url = pgServer.adminUrl('bench');
    await migrateDeploy(url, () => undefined);
    return { pgServer, url, port };
  } catch (err) {
    if (!o.onStarted) pgServer.stop();
    throw err;
  }
}

/** The app (or an http.Server) listening on a free loopback port: its base URL, and a close that drops open keep-alive connections. */
export async function listenOnLoopback(app: Express | Server): Promise<{ server: Server; base: string; close: () => Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    server,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Logs in as a demo user: the headers of its JSON requests (bearer token, content type). */
export async function loginAs(base: string, username: string, password = 'demo'): Promise<{ authorization: string; 'content-type': string }> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return { authorization: `Bearer ${((await res.json()) as { token: string }).token}`, 'content-type': 'application/json' };
}

/** One /proc/<pid>/stat: parent pid and CPU (user + system) in clock ticks; null when gone. */
function procStat(pid: number): { ppid: number; ticks: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/** Linux's USER_HZ: /proc counts CPU in hundredths of a second. */
const MS_PER_TICK = 10;

/**
 * CPU milliseconds used so far (user + system) by each named process and its living descendants
 * (PostgreSQL's backends, the dev server's children); this process counts alone, without the
 * children it spawned (they are named separately). Linux only: {} elsewhere.
 */
export function processTreeCpuMs(roots: Record<string, number>): Record<string, number> {
  if (!fs.existsSync('/proc/self/stat')) return {};
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = procStat(Number(entry));
    if (s) stats.set(Number(entry), s);
  }
  const rootOf = new Map(Object.entries(roots).map(([name, pid]) => [pid, name] as const));
  const out: Record<string, number> = Object.fromEntries(Object.keys(roots).map((name) => [name, 0]));
  for (const [pid, s] of stats) {
    // The nearest named ancestor (or itself) owns it; below this process only its own pid counts.
    let p = pid;
    for (let hops = 0; p > 1 && !rootOf.has(p) && hops < 32; hops++) p = stats.get(p)?.ppid ?? 0;
    const name = rootOf.get(p);
    if (name === undefined || (p === process.pid && pid !== p)) continue;
    out[name]! += s.ticks * MS_PER_TICK;
  }
  return out;
}

/**
 * A lean HTTP/1.1 client for the benches' load (node:http with a keep-alive agent, one socket per
 * concurrent caller): the API's callers are browsers on other machines, so the load generator's own
 * CPU, which shares these 2 cores with the system under test, should be small. `fetch` (undici)
 * spent ~4 ms of CPU per call here, about as much as the API's whole handling of the call.
 */
export function leanClient(base: string, sockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const { hostname, port } = new URL(base);
  return {
    post(pathname: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; json: unknown }> {
      const data = Buffer.from(JSON.stringify(body));
      return new Promise((resolve, reject) => {
        const req = http.request(
          { agent, hostname, port, path: pathname, method: 'POST', headers: { ...headers, 'content-length': String(data.length) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              try {
                resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
              } catch (err) {
                reject(err as Error);
              }
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(data);
      });
    },
    close: () => agent.destroy(),
  };
}
