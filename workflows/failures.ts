/**
 * Business failure types raised as `ApplicationFailure`s, listed once. Activities throw them,
 * workflows pass the non-retryable ones to their retry policies and branch on them, and the API
 * can map them without importing workflow internals. Pure constants: safe in the workflow bundle.
 */
export const FailureType = {
  /** The SMTP server refused the email for good (5xx): retrying would be refused again. */
  PERMANENT_EMAIL: 'PermanentEmailFailure',
  /** A workflow was started with input it can never act on (e.g. an unparseable date). */
  INVALID_WORKFLOW_INPUT: 'InvalidWorkflowInput',
} as const;

export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** Failure types an activity retry policy must never retry. */
export const NON_RETRYABLE_FAILURE_TYPES: readonly FailureType[] = [FailureType.PERMANENT_EMAIL, FailureType.INVALID_WORKFLOW_INPUT];
