import crypto from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Db } from './db.js';

export interface OutgoingEmail {
  /** Derived from the workflow id and event sequence (or another stable key): one key, one email. */
  idempotencyKey: string;
  /** The organisation the email concerns: its administrators read it in the outbox. */
  groupId?: string | null;
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface SendResult {
  id: string;
  status: 'SENT' | 'HELD';
  duplicate: boolean;
}

export interface Mailer {
  readonly transport: 'smtp' | 'outbox';
  send(message: OutgoingEmail): Promise<SendResult>;
  close(): void;
}

/** An SMTP reply that will not change on retry (5xx), as opposed to a transient 4xx or a dropped connection. */
export class PermanentMailError extends Error {
  override name = 'PermanentMailError';
}

/**
 * Every email is first written to `email_message` under its idempotency key, then handed to SMTP.
 * Without SMTP_URL (development only) it stays in that table as HELD: the development outbox an
 * admin reads in the console, so no email is ever silently dropped.
 *
 * The one window left, SMTP accepting a message and the process dying before the row says SENT,
 * resends on retry with the same Message-ID, which receiving servers use to deduplicate.
 */
export function createMailer(opts: { db: Db; smtpUrl?: string; from: string; logger: Logger }): Mailer {
  const transporter: Transporter | null = opts.smtpUrl ? nodemailer.createTransport(opts.smtpUrl) : null;
  const transport = transporter ? 'smtp' : 'outbox';

  return {
    transport,
    async send(message) {
      const row = await opts.db.emailMessage.upsert({
        where: { idempotencyKey: message.idempotencyKey },
        create: {
          idempotencyKey: message.idempotencyKey,
          groupId: message.groupId ?? null,
          toAddress: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html ?? null,
          transport,
        },
        update: {},
      });
      if (row.status === 'SENT' || row.status === 'HELD') return { id: row.id, status: row.status, duplicate: true };
      if (row.status === 'FAILED') throw new PermanentMailError(`email ${row.id} was refused earlier: ${row.lastError ?? ''}`);

      if (!transporter) {
        await opts.db.emailMessage.update({ where: { id: row.id }, data: { status: 'HELD', attempts: { increment: 1 } } });
        opts.logger.info({ emailId: row.id }, 'email held in development outbox');
        return { id: row.id, status: 'HELD', duplicate: false };
      }
      const messageId = `<${crypto.createHash('sha256').update(message.idempotencyKey).digest('hex').slice(0, 32)}@estate-care>`;
      try {
        const info = await transporter.sendMail({
          from: opts.smtpUrl ? opts.from : undefined,
          to: row.toAddress,
          subject: row.subject,
          text: row.text,
          ...(row.html ? { html: row.html } : {}),
          messageId,
        });
        await opts.db.emailMessage.update({
          where: { id: row.id },
          data: { status: 'SENT', messageId: info.messageId ?? messageId, sentAt: new Date(), attempts: { increment: 1 }, lastError: null },
        });
        opts.logger.info({ emailId: row.id }, 'email sent');
        return { id: row.id, status: 'SENT', duplicate: false };
      } catch (err) {
        const e = err as { responseCode?: number; message: string };
        const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
        await opts.db.emailMessage
          .update({
            where: { id: row.id },
            data: { attempts: { increment: 1 }, lastError: e.message.slice(0, 500), ...(permanent ? { status: 'FAILED' } : {}) },
          })
          .catch(() => undefined);
        opts.logger.warn({ emailId: row.id, responseCode: e.responseCode, permanent }, 'email delivery failed');
        if (permanent) throw new PermanentMailError(e.message);
        throw err;
      }
    },
    close() {
      transporter?.close();
    },
  };
}
