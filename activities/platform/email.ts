import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from 'pino';
import { PermanentMailError, type Mailer, type OutgoingEmail, type SendResult } from '../../platform/mail.js';
import { FailureType } from '../../workflows/failures.js';

export type SendEmailInput = OutgoingEmail;
export type SendEmailResult = SendResult;

export function createEmailActivities(deps: { mailer: Mailer; logger: Logger }) {
  return {
    /**
     * Sends one email under its idempotency key (the mailer stores it first and sends each key
     * once). A refusal that will not change on retry becomes a non-retryable failure so the
     * workflow can decide what to do instead of retrying forever; anything else is thrown as is
     * and retried by Temporal.
     */
    async sendEmail(input: SendEmailInput): Promise<SendEmailResult> {
      try {
        return await deps.mailer.send(input);
      } catch (err) {
        if (err instanceof PermanentMailError) {
          deps.logger.warn({ idempotencyKey: input.idempotencyKey }, 'email refused permanently / 邮件被永久拒收');
          throw ApplicationFailure.create({ type: FailureType.PERMANENT_EMAIL, message: err.message, nonRetryable: true });
        }
        throw err;
      }
    },
  };
}
