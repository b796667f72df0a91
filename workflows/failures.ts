/**
 * Business failure types raised as `ApplicationFailure`s, listed once. Workflows raise them and
 * pass the non-retryable ones to their activities' retry policies, and the API can map them
 * without importing workflow internals. Pure constants: safe in the workflow bundle.
 */
export const FailureType = {
  /** A workflow was started with input it can never act on (e.g. an SLA policy the clock cannot use). */
  INVALID_WORKFLOW_INPUT: 'InvalidWorkflowInput',
} as const;

export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** Failure types an activity retry policy must never retry. */
export const NON_RETRYABLE_FAILURE_TYPES: readonly FailureType[] = [FailureType.INVALID_WORKFLOW_INPUT];
