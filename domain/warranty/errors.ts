/**
 * Errors of the warranty rules, as codes (the domain cannot import the API's catalogue; a caller
 * maps a `WarrantyRuleError` to its own problem type, like `CaseRuleError`).
 */
export const WarrantyRuleErrorCode = {
  /** An instant that is not a finite number of epoch milliseconds. */
  INVALID_INSTANT: 'INVALID_INSTANT',
  /** A design service life that is not a whole number of years between 1 and 200. */
  INVALID_DESIGN_LIFE: 'INVALID_DESIGN_LIFE',
  /** A season whose dates are not MM-DD days of a common year. */
  INVALID_SEASON: 'INVALID_SEASON',
  /** A season-counted component (heating and cooling) without any season configured. */
  NO_SEASONS: 'NO_SEASONS',
  /** An override without a positive whole number of years or months. */
  INVALID_OVERRIDE: 'INVALID_OVERRIDE',
  /** A component that is not in the table. */
  UNKNOWN_COMPONENT: 'UNKNOWN_COMPONENT',
} as const;

export type WarrantyRuleErrorCode = (typeof WarrantyRuleErrorCode)[keyof typeof WarrantyRuleErrorCode];

export class WarrantyRuleError extends Error {
  override name = 'WarrantyRuleError';
  constructor(
    readonly code: WarrantyRuleErrorCode,
    message: string,
  ) {
    super(message);
  }
}
