import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of the API that forwards each request as it is and, in `drop-on-response`
 * mode, resets the client's connection the moment the server's answer starts to arrive: the
 * server has done the work, the client never reads the answer. A real TCP drop (RST), not a
 * mocked fetch error.
 */
export interface DropProxy {
  url: string;
  /** Applies to connections opened from now on. */
  mode: 'pass' | 'drop-on-response';
  /** Client connections reset by the proxy so far. */
  drops: number;
  close(): Promise<void>;
}

export async function startDropProxy(target: { host: string; port: number }): Promise<DropProxy> {
  const sockets = new Set<net.Socket>();
  const state: DropProxy = { url: '', mode: 'pass', drops: 0, close: async () => undefined };
  const server = net.createServer((client) => {
    const mode = state.mode;
    // Writes before the upstream connects are buffered by the socket.
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let dropped = false;
    client.on('data', (chunk) => upstream.write(chunk));
    client.on('end', () => upstream.end());
    upstream.on('data', (chunk) => {
      if (dropped) return;
      if (mode === 'drop-on-response') {
        dropped = true;
        state.drops++;
        // RST to the client, and the server's side closed too: the answer is lost in transit.
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    upstream.on('end', () => client.end());
    const cleanUp = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', cleanUp);
    upstream.on('close', cleanUp);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}
