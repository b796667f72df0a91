import fs from 'node:fs/promises';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { AppConfig } from '../config.js';
import { appDataConverter } from './payload-codec.js';
import { currentTracing } from '../tracing.js';

type TemporalConfig = AppConfig['temporal'];

/** Connection options for a dev server, a self-hosted cluster with mTLS, or Temporal Cloud with an API key. */
export async function connectionOptions(t: TemporalConfig): Promise<ConnectionOptions> {
  const opts: ConnectionOptions = { address: t.address, connectTimeout: '5s' };
  if (t.tlsCertPath && t.tlsKeyPath) {
    opts.tls = {
      ...(t.tlsServerName ? { serverNameOverride: t.tlsServerName } : {}),
      ...(t.tlsCaPath ? { serverRootCACertificate: await fs.readFile(t.tlsCaPath) } : {}),
      clientCertPair: { crt: await fs.readFile(t.tlsCertPath), key: await fs.readFile(t.tlsKeyPath) },
    };
  } else if (t.apiKey || t.tlsCaPath) {
    opts.tls = t.tlsCaPath ? { serverRootCACertificate: await fs.readFile(t.tlsCaPath) } : true;
  }
  if (t.apiKey) {
    opts.apiKey = t.apiKey;
    opts.metadata = { 'temporal-namespace': t.namespace };
  }
  return opts;
}

/**
 * A client whose connection is made lazily and remade after failures, so the API starts (and
 * answers /readyz with 503) while Temporal is down and recovers by itself when it returns.
 */
export class TemporalGateway {
  private connection: Connection | null = null;
  private client: Client | null = null;
  private connecting: Promise<Client> | null = null;
  private inFlight = 0;
  private idle: Array<() => void> = [];

  constructor(private readonly cfg: TemporalConfig) {}

  get namespace(): string {
    return this.cfg.namespace;
  }

  get taskQueue(): string {
    return this.cfg.taskQueue;
  }

  async getClient(): Promise<Client> {
    if (this.client) return this.client;
    this.connecting ??= (async () => {
      try {
        const connection = await Connection.connect(await connectionOptions(this.cfg));
        this.connection = connection;
        // Every payload the API sends (workflow inputs, updates, signals) leaves encrypted.
        // Workflow starts and Updates carry the caller's trace context (a no-op without tracing: platform/tracing.ts).
        this.client = new Client({
          connection,
          namespace: this.cfg.namespace,
          dataConverter: appDataConverter(this.cfg.payloadKeys),
          // Only when tracing is on: the interceptor otherwise still writes an (empty) trace header,
          // a plain-JSON payload beside the encrypted ones in every history.
          ...(currentTracing() ? { interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } } : {}),
        });
        return this.client;
      } finally {
        this.connecting = null;
      }
    })();
    return this.connecting;
  }

  /** True when the namespace answers within the budget. The gRPC channel reconnects by itself after an outage. */
  async ping(timeoutMs = 2000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      return await Promise.race([this.checkNamespace(timeoutMs), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async checkNamespace(timeoutMs: number): Promise<boolean> {
    try {
      await this.use((client) => client.connection.withDeadline(Date.now() + timeoutMs, () => client.workflowService.describeNamespace({ namespace: this.cfg.namespace })));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Runs one call (or a few) with the client, counted, so close() can let it end first: the SDK's
   * gRPC retry interceptor schedules retries on timers that Connection.close() does not clear, and
   * a retry firing on a closed channel throws "Channel has been shut down" outside any await.
   * Every call made here has a deadline, so it ends on its own.
   */
  async use<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await fn(await this.getClient());
    } finally {
      if (--this.inFlight === 0) for (const wake of this.idle.splice(0)) wake();
    }
  }

  /** Closes the connection once the calls in flight have ended (at most `graceMs`). */
  async close(graceMs = 25_000): Promise<void> {
    if (this.inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([new Promise<void>((r) => this.idle.push(r)), new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    }
    await this.connection?.close().catch(() => undefined);
    this.connection = null;
    this.client = null;
  }
}
