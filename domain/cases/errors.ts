/**
 * Errors of the case rules. The domain cannot import the API's error codes (the workflow bundle
 * must not pull Express in), so it has its own small code list: the workflow turns a
 * `CaseRuleError` into a non-retryable `ApplicationFailure`, the API maps it to VALIDATION_FAILED.
 */
export const CaseRuleErrorCode = {
  /** An ISO 8601 duration that is malformed, zero, negative, or uses a unit the clock refuses. */
  INVALID_DURATION: 'INVALID_DURATION',
  /** A business calendar that fails validation. */
  INVALID_CALENDAR: 'INVALID_CALENDAR',
  /** A business calendar with no working hours on any day: no deadline could ever be reached. */
  CALENDAR_HAS_NO_WORKING_TIME: 'CALENDAR_HAS_NO_WORKING_TIME',
  /** Working time ran out within the search horizon (e.g. every day for years is a holiday). */
  WORKING_TIME_SEARCH_EXHAUSTED: 'WORKING_TIME_SEARCH_EXHAUSTED',
  /** A business-clock target was started without a calendar, or with a different one than the policy names. */
  CALENDAR_REQUIRED: 'CALENDAR_REQUIRED',
  /** An instant that is not a finite number of epoch milliseconds. */
  INVALID_INSTANT: 'INVALID_INSTANT',
} as const;

export type CaseRuleErrorCode = (typeof CaseRuleErrorCode)[keyof typeof CaseRuleErrorCode];

/** A problem found while validating input, with the dotted path of the offending field. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** The result of a `parse…` function: the normalised value, or every problem found. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: ValidationIssue[] };

export class CaseRuleError extends Error {
  override name = 'CaseRuleError';
  constructor(
    readonly code: CaseRuleErrorCode,
    message: string,
    readonly issues: readonly ValidationIssue[] = [],
  ) {
    super(message);
  }
}

/** Joins path segments the way the API reports field errors: `weekly.1.0.start`. */
export function joinPath(...segments: Array<string | number>): string {
  return segments.filter((s) => s !== '').join('.');
}
