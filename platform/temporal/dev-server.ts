import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { searchAttributeFlags } from './search-attributes.js';

export interface DevServerOptions {
  cli: string;
  /** SQLite file that keeps workflows across restarts; omit for an in-memory server (tests). */
  dbFile?: string;
  port: number;
  uiPort?: number;
  /** Disable the Web UI (tests). */
  headless?: boolean;
  /** The codec server the Web UI asks to decode payloads (`--ui-codec-endpoint`): the API's. */
  uiCodecEndpoint?: string;
  namespace?: string;
  logFile?: string;
  /** Own process group, so a terminal's Ctrl-C reaches the caller first and it stops things in order. */
  detached?: boolean;
  /** Told the process as soon as it is spawned, before it is ready (so a stop during start-up reaches it). */
  onSpawn?: (child: ChildProcess) => void;
}

export interface DevServer {
  process: ChildProcess;
  address: string;
  stop(): Promise<void>;
}

export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ port, host }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`port ${host}:${port} did not open within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The port opens before the frontend serves: wait until the namespace answers. The connection
 * itself is retried too: on a loaded machine the first gRPC handshake with a server that has just
 * opened its port can miss its 5 s connect deadline ("Failed to connect before the deadline").
 */
export async function waitForNamespace(address: string, namespace: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let connection: Connection | null = null;
  try {
    for (;;) {
      try {
        connection ??= await Connection.connect({ address, connectTimeout: '5s' });
        await connection.withDeadline(Date.now() + 2000, () => connection!.workflowService.describeNamespace({ namespace }));
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`Temporal at ${address} not ready: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    await connection?.close();
  }
}

/** Starts `temporal server start-dev` and resolves once its frontend accepts connections. */
export async function startDevServer(o: DevServerOptions): Promise<DevServer> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(o.port), '--log-level', 'warn', ...searchAttributeFlags()];
  if (o.namespace && o.namespace !== 'default') args.push('--namespace', o.namespace);
  if (o.dbFile) {
    fs.mkdirSync(path.dirname(o.dbFile), { recursive: true });
    args.push('--db-filename', o.dbFile);
  }
  if (o.headless) args.push('--headless');
  else {
    if (o.uiPort) args.push('--ui-port', String(o.uiPort));
    if (o.uiCodecEndpoint) args.push('--ui-codec-endpoint', o.uiCodecEndpoint);
  }
  const out = o.logFile ? fs.openSync(o.logFile, 'a') : 'ignore';
  const child = spawn(o.cli, args, { stdio: ['ignore', out, out], detached: o.detached ?? false });
  o.onSpawn?.(child);
  let exited = false;
  child.once('exit', () => (exited = true));
  const failed = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`temporal dev server exited early (code ${code}); see ${o.logFile ?? 'its output'}`))),
  );
  failed.catch(() => undefined);
  await Promise.race([waitForPort(o.port).then(() => waitForNamespace(`127.0.0.1:${o.port}`, o.namespace ?? 'default')), failed]);
  return {
    process: child,
    address: `127.0.0.1:${o.port}`,
    async stop() {
      if (exited) return;
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(t);
    },
  };
}
