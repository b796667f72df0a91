import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { ROOT } from '../../platform/tools.js';
import { loadConfig } from '../../platform/config.js';
import { appDataConverter, ENCRYPTED_ENCODING } from '../../platform/temporal/payload-codec.js';
import { waitForPort } from '../../platform/temporal/dev-server.js';
import { scheduledNoticeWorkflowId, type ScheduledNoticeInput } from '../../workflows/platform/scheduled-notice.defs.js';
import { freePort } from '../support/stack.js';

/**
 * Issue 2, "Done means" 1: the start command brings up Temporal, the embedded database, the worker,
 * the API and the console; Ctrl-C stops every child; a second start keeps the data and the
 * running workflows. Runs scripts/start.ts itself on free ports and a temporary DATA_DIR.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'estate-care-start-'));
// Like a project folder: traversable by the `postgres` user the embedded server runs as under root.
fs.chmodSync(dataDir, 0o755);
let ports: { api: number; temporal: number; ui: number; pg: number };
let current: ChildProcess | null = null;
let output = '';

async function start(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    detached: true, // its own process group, like a terminal's foreground job
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      PORT: String(ports.api),
      TEMPORAL_DEV_PORT: String(ports.temporal),
      TEMPORAL_UI_PORT: String(ports.ui),
      EMBEDDED_PG_PORT: String(ports.pg),
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      SMTP_URL: '',
    },
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  current = child;
  return child;
}

async function waitReady(timeoutMs = 180_000): Promise<Record<string, string>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await fetch(`http://127.0.0.1:${ports.api}/readyz`).catch(() => null);
    if (r?.status === 200) return ((await r.json()) as { checks: Record<string, string> }).checks;
    if (current?.exitCode !== null) throw new Error(`npm start exited early:\n${output.slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`not ready in time:\n${output.slice(-3000)}`);
    await new Promise((res) => setTimeout(res, 500));
  }
}

/** Ctrl-C in a terminal: SIGINT to the whole foreground process group. */
async function ctrlC(child: ChildProcess): Promise<number | null> {
  // 'close', not 'exit': it waits for the last output lines too.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  process.kill(-child.pid!, 'SIGINT');
  return exited;
}

async function portClosed(port: number): Promise<boolean> {
  return waitForPort(port, '127.0.0.1', 300).then(
    () => false,
    () => true,
  );
}

afterAll(async () => {
  if (current && current.exitCode === null) await ctrlC(current).catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('starts everything, stops every child on Ctrl-C, and keeps data and running workflows across a restart', async () => {
    ports = { api: await freePort(), temporal: await freePort(), ui: await freePort(), pg: await freePort() };
    const first = await start();
    expect(await waitReady()).toEqual({ database: 'ok', temporal: 'ok' });
    const base = `http://127.0.0.1:${ports.api}`;

    // The console and the Temporal Web UI are served.
    expect((await fetch(`${base}/`)).headers.get('content-type')).toMatch(/text\/html/);
    expect((await fetch(`http://127.0.0.1:${ports.ui}/`)).status).toBe(200);

    // Data written before the restart: a customer through the API, and a workflow with a pending timer.
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'demo' }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const created = await fetch(`${base}/api/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: '重启测试', phone: '13512345678', consentToContact: true }),
    });
    expect(created.status).toBe(201);
    const customerId = ((await created.json()) as { id: string }).id;

    // Payloads are encrypted with the development key generated into DATA_DIR at the first start,
    // and the Web UI was pointed at the API's codec endpoint.
    const keyFile = path.join(dataDir, '.temporal-payload-keys');
    expect(fs.statSync(keyFile).mode & 0o077).toBe(0);
    const payloadKeys = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir }).temporal.payloadKeys;
    expect(payloadKeys.encryptionKeyId).toMatch(/^dev-[0-9a-f]{6}$/);
    const uiSettings = (await (await fetch(`http://127.0.0.1:${ports.ui}/api/v1/settings`)).json()) as { Codec?: { Endpoint?: string } };
    expect(uiSettings.Codec?.Endpoint).toBe(`${base}/api/temporal-codec`);
    const dataConverter = appDataConverter(payloadKeys);

    const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
    const client = new Client({ connection, dataConverter });
    const input: ScheduledNoticeInput = {
      noticeId: 'restart-proof',
      sendAt: new Date(Date.now() + 25_000).toISOString(),
      to: 'ops@example.com',
      subject: 'restart proof',
      text: 'sent after a restart',
      actor: 'test',
    };
    await client.workflow.start('scheduledNotice', {
      workflowId: scheduledNoticeWorkflowId(input.noticeId),
      taskQueue: 'estate-care',
      args: [input],
    });
    await connection.close();

    // Ctrl-C: the orchestrator exits 0 and nothing keeps listening.
    expect(await ctrlC(first)).toBe(0);
    for (const port of Object.values(ports)) expect(await portClosed(port)).toBe(true);
    expect(output).toContain('已停止');

    // Second start: same data, and the timer set before the restart still fires.
    await start();
    expect(await waitReady()).toEqual({ database: 'ok', temporal: 'ok' });
    const again = await fetch(`${base}/api/customers/${customerId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(again.status).toBe(200);
    const connection2 = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
    const client2 = new Client({ connection: connection2, dataConverter });
    const handle = client2.workflow.getHandle(scheduledNoticeWorkflowId(input.noticeId));
    const result = (await handle.result()) as { status: string; emailStatus: string };
    // The same key after the restart: the first run's input and the second run's result are both
    // encrypted under it, and read back.
    const raw = (await new Client({ connection: connection2 }).workflow.getHandle(handle.workflowId).fetchHistory()).events ?? [];
    const input0 = raw[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    const result0 = raw.at(-1)?.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0];
    for (const p of [input0, result0]) {
      expect(Buffer.from(p?.metadata?.encoding ?? []).toString()).toBe(ENCRYPTED_ENCODING);
      expect(Buffer.from(p?.metadata?.['encryption-key-id'] ?? []).toString()).toBe(payloadKeys.encryptionKeyId);
    }
    await connection2.close();
    expect(result).toMatchObject({ status: 'SENT', emailStatus: 'HELD' });
    const outbox = await fetch(`${base}/api/outbox`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await outbox.json()) as { items: { subject: string }[] }).items.map((e) => e.subject)).toContain('restart proof');
  }, 400_000);
});
