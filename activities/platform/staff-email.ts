import type { Mailer } from '../../platform/mail.js';
import { PermanentMailError } from '../../platform/mail.js';

export interface StaffEmailResult {
  /** User ids emailed under this key base (including earlier attempts' duplicates). */
  sent: string[];
  /** Named recipients not found or inactive, or without an email address. */
  skipped: string[];
  /** Recipients whose mail server refused the email for good. */
  refused: string[];
}

/**
 * Emails one notice to a set of staff, each under `${keyBase}:${userId}`, so a retried activity
 * (or a replayed workflow) sends nobody a second copy. One refused mailbox must not hold up the
 * others or the workflow: permanent refusals stay FAILED in the outbox and are reported; anything
 * else is thrown and retried by Temporal. Recipients go out in id order, so a retry repeats the
 * same sequence.
 */
export async function emailStaff(o: {
  mailer: Mailer;
  groupId: string;
  /** Resolved recipients: user id → address (null when the user has none). */
  recipients: Map<string, string | null>;
  /** Users asked for by id: those missing from `recipients` are reported as skipped. */
  requestedIds: Iterable<string>;
  subject: string;
  text: string;
  keyBase: string;
}): Promise<StaffEmailResult> {
  const sent: string[] = [];
  const refused: string[] = [];
  const skipped = [...o.requestedIds].filter((id) => !o.recipients.has(id));
  for (const [userId, email] of [...o.recipients].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!email) {
      skipped.push(userId);
      continue;
    }
    try {
      await o.mailer.send({ idempotencyKey: `${o.keyBase}:${userId}`, groupId: o.groupId, to: email, subject: o.subject, text: o.text });
      sent.push(userId);
    } catch (err) {
      if (!(err instanceof PermanentMailError)) throw err;
      refused.push(userId);
    }
  }
  return { sent, skipped, refused };
}
