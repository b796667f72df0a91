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
  /**
   * Values put in place of `{{name}}` in the text and HTML only as they are handed to SMTP, never
   * stored: a one-time link's token stays out of `email_message` (and so out of the outbox admins
   * read, and of backups). A message with secrets is not resent from its stored row by anyone else.
   */
  secrets?: Record<string, string>;
}

/** `{{name}}` placeholders filled from `secrets` (unknown names stay as they are). */
function fillSecrets(text: string, secrets: Record<string, string> | undefined): string {
  if (!secrets) return text;
  return text.replace(/\{\{([A-Za-z0-9_]+)\}\}/g, (whole, name: string) => secrets[name] ?? whole);
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
 * The one window left, SMTP accepting a message and the process dying (or the database staying away
 * for over a minute) before the row says SENT, resends on retry with the same Message-ID, which
 * receiving servers use to deduplicate.
 */
/**
 * Tries to record an accepted message as SENT for ~40 s (1, 2, 4, 8, 8, 8, 8 s apart), inside the
 * mail activities' 2-minute limit: the database outages the fault suite plays (30 s) end meanwhile.
 */
const MARK_SENT_ATTEMPTS = 8;

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
      let info: { messageId?: string };
      try {
        info = await transporter.sendMail({
          from: opts.smtpUrl ? opts.from : undefined,
          to: row.toAddress,
          subject: row.subject,
          text: fillSecrets(row.text, message.secrets),
          ...(row.html ? { html: fillSecrets(row.html, message.secrets) } : {}),
          messageId,
        });
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
      // SMTP has the message: the row must say so, or a retry sends it again. A database that is
      // away for a moment (a restart, a fail-over) is waited for here rather than turned into a
      // second copy by the activity's retry.
      const sent = { status: 'SENT' as const, messageId: info.messageId ?? messageId, sentAt: new Date(), attempts: { increment: 1 }, lastError: null };
      for (let attempt = 1; ; attempt++) {
        try {
          await opts.db.emailMessage.update({ where: { id: row.id }, data: sent });
          break;
        } catch (err) {
          if (attempt >= MARK_SENT_ATTEMPTS) throw err;
          opts.logger.warn({ emailId: row.id, attempt }, 'email sent, recording it failed: retrying');
          await new Promise((resolve) => setTimeout(resolve, Math.min(1_000 * 2 ** (attempt - 1), 8_000)));
        }
      }
      opts.logger.info({ emailId: row.id }, 'email sent');
      return { id: row.id, status: 'SENT', duplicate: false };
    },
    close() {
      transporter?.close();
    },
  };
}
