import type { ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_FAILURE_TYPES } from '../failures.js';

/**
 * Reads and idempotent writes against PostgreSQL: the database may be down for a while, so keep
 * retrying, backing off to a minute between attempts.
 */
export const DATABASE_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES] },
};

/** SMTP can be slow; the activities themselves skip mailboxes refused for good, anything else retries. */
export const MAIL_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES] },
};
