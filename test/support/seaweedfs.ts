import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../platform/ports.js';
import { ensureSeaweedFs } from '../../platform/tools.js';
import { S3BlobStore, type S3BlobStoreSettings } from '../../platform/storage/index.js';

export interface SeaweedS3 {
  /** The S3 gateway's URL, on loopback. */
  endpoint: string;
  /** Settings for an S3BlobStore on this server (credentials made for this run), for `bucket`. */
  settings(bucket: string): S3BlobStoreSettings;
  dir: string;
  logFile: string;
  stop(): Promise<void>;
}

/** The process groups this test process started: killed if it exits before stopping them. */
const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const tail = (file: string) => {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-25).join('\n');
  } catch {
    return '(no log)';
  }
};

class PortTakenError extends Error {}

/**
 * A throwaway SeaweedFS (`weed server -s3`: master, volume server, filer and S3 gateway in one
 * process) on fresh loopback ports, its data in a temporary folder, one identity with credentials
 * made for this run (the gateway's s3 config JSON). Ready once an object can be written (the
 * volume server registers with the master a moment after the gateway answers). On a port another
 * test file took between choice and bind, it starts again on fresh ones (up to three tries).
 *
 * It runs in its own process group; `stop()` ends the group (SIGTERM, SIGKILL after 3 s: its
 * master does not always exit on SIGTERM), and a detached watcher kills the group should this test
 * process die first. Never told to reach anything but loopback (`-ip 127.0.0.1`, telemetry off).
 */
export async function startSeaweedS3(log: (m: string) => void = () => {}): Promise<SeaweedS3> {
  const bin = await ensureSeaweedFs(log);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(bin);
    } catch (err) {
      if (!(err instanceof PortTakenError) || attempt >= 3) throw err;
    }
  }
}

async function startOn(bin: string): Promise<SeaweedS3> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'estate-care-seaweedfs-'));
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  const accessKeyId = `test-${crypto.randomBytes(6).toString('hex')}`;
  const secretAccessKey = crypto.randomBytes(24).toString('base64url');
  const s3Config = path.join(dir, 's3.json');
  fs.writeFileSync(
    s3Config,
    JSON.stringify({ identities: [{ name: 'estate-care-test', credentials: [{ accessKey: accessKeyId, secretKey: secretAccessKey }], actions: ['Admin', 'Read', 'Write', 'List', 'Tagging'] }] }),
    { mode: 0o600 },
  );
  const names = ['master', 'master.grpc', 'volume', 'volume.grpc', 'filer', 'filer.grpc', 's3', 's3.grpc'] as const;
  const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await freePort()] as const))) as Record<(typeof names)[number], number>;
  const logFile = path.join(dir, 'weed.log');
  const out = fs.openSync(logFile, 'a');
  const args = [
    'server',
    `-dir=${dataDir}`,
    '-ip=127.0.0.1',
    '-ip.bind=127.0.0.1',
    `-master.port=${ports.master}`,
    `-master.port.grpc=${ports['master.grpc']}`,
    `-volume.port=${ports.volume}`,
    `-volume.port.grpc=${ports['volume.grpc']}`,
    `-filer.port=${ports.filer}`,
    `-filer.port.grpc=${ports['filer.grpc']}`,
    `-filer.localSocket=${path.join(dir, 'filer.sock')}`,
    '-s3',
    `-s3.port=${ports.s3}`,
    `-s3.port.grpc=${ports['s3.grpc']}`,
    '-s3.port.iceberg=0',
    '-s3.port.lance=0',
    `-s3.config=${s3Config}`,
    // Small volumes, few of them: a test writes kilobytes.
    '-master.volumeSizeLimitMB=64',
    '-volume.max=16',
    '-volume.preStopSeconds=0',
    '-master.telemetry=false',
  ];
  // detached: its own process group, so stop() and the watcher end every thread and child it has.
  const child = spawn(bin, args, { cwd: dir, stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  const pgid = child.pid!;
  liveGroups.add(pgid);
  // The unix sockets its servers leave in /tmp whatever -dir says: /tmp/seaweedfs-<server>[-grpc]-<port>.sock.
  const sockets = Object.values(ports).map((port) => `/tmp/seaweedfs-*-${port}.sock`);
  // dash's kill takes `-PGID`, not `-- -PGID`.
  const watcher = spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -KILL -${pgid} 2>/dev/null; rm -rf ${dir} ${sockets.join(' ')}`], {
    detached: true,
    stdio: 'ignore',
  });
  watcher.unref();

  const endpoint = `http://127.0.0.1:${ports.s3}`;
  const settings = (bucket: string): S3BlobStoreSettings => ({ endpoint, region: 'us-east-1', bucket, accessKeyId, secretAccessKey, forcePathStyle: true });
  const stop = async () => {
    await stopGroup(child, pgid);
    liveGroups.delete(pgid);
    watcher.kill('SIGKILL');
    const portsUsed = new Set(Object.values(ports).map(String));
    for (const f of fs.readdirSync('/tmp'))
      if (/^seaweedfs-.*\.sock$/.test(f) && portsUsed.has(/-(\d+)\.sock$/.exec(f)?.[1] ?? '')) fs.rmSync(path.join('/tmp', f), { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const probe = new S3BlobStore(settings('readiness-probe'));
  const deadline = Date.now() + 90_000;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        const why = tail(logFile);
        if (/address already in use/i.test(why)) throw new PortTakenError(`weed could not bind its ports: ${why}`);
        throw new Error(`weed server exited (${child.exitCode ?? child.signalCode}):\n${why}`);
      }
      try {
        await probe.ensureBucket();
        await probe.put(crypto.randomBytes(16), 'application/octet-stream');
        break;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`SeaweedFS's S3 gateway at ${endpoint} took no object in 90 s (${(err as Error).message}):\n${tail(logFile)}`);
        await sleep(250);
      }
    }
  } catch (err) {
    probe.close();
    await stop();
    throw err;
  }
  probe.close();
  return { endpoint, settings, dir, logFile, stop };
}

async function stopGroup(child: ChildProcess, pgid: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    killGroup(pgid, 'SIGKILL'); // anything it left behind in its group
    return;
  }
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  killGroup(pgid, 'SIGTERM');
  const hard = setTimeout(() => killGroup(pgid, 'SIGKILL'), 3_000);
  await exited;
  clearTimeout(hard);
  killGroup(pgid, 'SIGKILL');
}

function killGroup(pgid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}
