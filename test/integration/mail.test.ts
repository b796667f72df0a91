import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.js';
import { createMailer, PermanentMailError, type Mailer } from '../../platform/mail.js';
import { createTestDatabase } from '../support/database.js';
import { startSmtpServer, type TestSmtpServer } from './smtp.js';

/**
 * The mailer every email goes through (platform/mail.ts), against the real database and a real
 * SMTP server: one idempotency key, one email; no SMTP, held in the outbox; a refusal for good
 * told apart from one worth retrying.
 */
const logger = createLogger({ name: 'mail-test', level: 'silent' });
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let smtp: TestSmtpServer;
const mailers: Mailer[] = [];

beforeAll(async () => {
  [database, smtp] = await Promise.all([createTestDatabase(), startSmtpServer()]);
});
afterEach(() => {
  smtp.refuseWith = null;
});
afterAll(async () => {
  for (const m of mailers) m.close();
  await smtp?.close();
  await database?.drop();
});

function mailerWith(smtpUrl?: string): Mailer {
  const mailer = createMailer({ db: database.db, from: 'Estate Care <noreply@estate-care.test>', logger, ...(smtpUrl ? { smtpUrl } : {}) });
  mailers.push(mailer);
  return mailer;
}

function email(key: string) {
  return { idempotencyKey: key, to: 'owner@example.com', subject: 'Handover booked / 交付预约', text: 'Your handover is on 1 March.' };
}

async function thrown(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err,
  );
}

describe('the mailer', () => {
  it('delivers exactly one email over SMTP when the same key is sent twice', async () => {
    const mailer = mailerWith(smtp.url);
    const before = smtp.messages.length;
    const first = await mailer.send(email('mail-1:1:user-1'));
    const second = await mailer.send(email('mail-1:1:user-1'));
    expect(first).toMatchObject({ status: 'SENT', duplicate: false });
    expect(second).toEqual({ id: first.id, status: 'SENT', duplicate: true });

    const [received] = (await smtp.waitForMessages(before + 1)).slice(before);
    // Give a wrongly duplicated delivery time to arrive before counting.
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages).toHaveLength(before + 1);
    expect(received?.subject).toBe('Handover booked / 交付预约');
    const row = await database.db.emailMessage.findUniqueOrThrow({ where: { idempotencyKey: 'mail-1:1:user-1' } });
    expect(row).toMatchObject({ status: 'SENT', transport: 'smtp', attempts: 1, messageId: received?.messageId });
  });

  it('holds the email in email_message when no SMTP server is configured', async () => {
    const mailer = mailerWith();
    expect(mailer.transport).toBe('outbox');
    const before = smtp.messages.length;
    expect(await mailer.send(email('mail-2:1:user-1'))).toMatchObject({ status: 'HELD', duplicate: false });
    expect(await mailer.send(email('mail-2:1:user-1'))).toMatchObject({ status: 'HELD', duplicate: true });
    const rows = await database.db.emailMessage.findMany({ where: { idempotencyKey: 'mail-2:1:user-1' } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'HELD', transport: 'outbox', toAddress: 'owner@example.com' });
    expect(smtp.messages).toHaveLength(before);
  });

  it('refuses for good on a permanent SMTP refusal (5xx), also when the key is sent again, without trying SMTP twice', async () => {
    const mailer = mailerWith(smtp.url);
    smtp.refuseWith = { code: 550, message: 'Mailbox unavailable' };
    for (let attempt = 0; attempt < 2; attempt++) {
      const err = await thrown(mailer.send(email('mail-3:1:user-1')));
      expect(err).toBeInstanceOf(PermanentMailError);
    }
    const row = await database.db.emailMessage.findUniqueOrThrow({ where: { idempotencyKey: 'mail-3:1:user-1' } });
    expect(row).toMatchObject({ status: 'FAILED', attempts: 1 });
  });

  it('leaves a transient SMTP failure retryable, and the retry delivers once', async () => {
    const mailer = mailerWith(smtp.url);
    const before = smtp.messages.length;
    smtp.refuseWith = { code: 451, message: 'Try again later' };
    const err = await thrown(mailer.send(email('mail-4:1:user-1')));
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(PermanentMailError);

    smtp.refuseWith = null;
    expect(await mailer.send(email('mail-4:1:user-1'))).toMatchObject({ status: 'SENT', duplicate: false });
    await smtp.waitForMessages(before + 1);
    const row = await database.db.emailMessage.findUniqueOrThrow({ where: { idempotencyKey: 'mail-4:1:user-1' } });
    expect(row).toMatchObject({ status: 'SENT', attempts: 2, lastError: null });
  });

  it('waits for a database that went away after SMTP took the message, so no retry sends it twice', async () => {
    // The database refuses the first two attempts to record the message as sent, as during a restart.
    let refusals = 2;
    let updates = 0;
    const bound = (target: object, key: string | symbol) => {
      const v = Reflect.get(target, key) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    };
    const away = new Proxy(database.db, {
      get(db, key) {
        if (key !== 'emailMessage') return bound(db, key);
        return new Proxy(db.emailMessage, {
          get(model, method) {
            if (method !== 'update') return bound(model, method);
            return async (args: Parameters<typeof db.emailMessage.update>[0]) => {
              updates++;
              if (refusals-- > 0) throw new Error("Can't reach database server at 127.0.0.1:5432");
              return db.emailMessage.update(args);
            };
          },
        });
      },
    });
    const mailer = createMailer({ db: away, smtpUrl: smtp.url, from: 'Estate Care <noreply@estate-care.test>', logger });
    mailers.push(mailer);
    const before = smtp.messages.length;
    expect(await mailer.send(email('mail-5:1:user-1'))).toMatchObject({ status: 'SENT', duplicate: false });
    expect(updates).toBe(3);
    const row = await database.db.emailMessage.findUniqueOrThrow({ where: { idempotencyKey: 'mail-5:1:user-1' } });
    expect(row).toMatchObject({ status: 'SENT', attempts: 1, lastError: null });
    // The activity's retry (or a replay) finds it sent: still one message at the SMTP server.
    expect(await mailer.send(email('mail-5:1:user-1'))).toMatchObject({ status: 'SENT', duplicate: true });
    await smtp.waitForMessages(before + 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages).toHaveLength(before + 1);
  });
});
