import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TestSmtpServer {
  /** For SMTP_URL / createMailer. */
  url: string;
  port: number;
  /** Every message accepted so far, parsed. */
  messages: ParsedMail[];
  /**
   * While set, every recipient is refused with this SMTP reply (e.g. 550 for a permanent
   * refusal, 451 for a transient one); clear it to accept again.
   */
  refuseWith: { code: number; message: string } | null;
  /** Connection errors the server saw (e.g. ECONNRESET from a client killed mid-transaction). */
  connectionErrors: string[];
  waitForMessages(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

/** A real SMTP server (the `smtp-server` package) on a free loopback port, keeping what it receives. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ParsedMail[] = [];
  const state: TestSmtpServer = {
    url: '',
    port: 0,
    messages,
    refuseWith: null,
    connectionErrors: [],
    async waitForMessages(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} email(s) at the SMTP server, got ${messages.length}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return messages;
    },
    close: async () => undefined,
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!state.refuseWith) return callback();
      const err = new Error(state.refuseWith.message) as Error & { responseCode: number };
      err.responseCode = state.refuseWith.code;
      callback(err);
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A client that dies mid-transaction (a worker killed while sending) resets its connection;
  // smtp-server emits that on the server, which without a listener is an uncaught exception in
  // the test process. The sender's retry is what the tests check, so the reset is only counted.
  server.on('error', (err: NodeJS.ErrnoException) => {
    state.connectionErrors.push(err.code ?? err.message);
  });
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  state.port = port;
  state.url = `smtp://127.0.0.1:${port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
