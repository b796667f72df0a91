import { higherTier, type CaseType, type Severity, type Tier } from './types.js';

/**
 * The tier a new case starts at (handbook rules, DESIGN.md §1): minor cases go to the project's
 * property office, major ones to the regional company; a repair whose estimated cost exceeds what
 * the project may authorise under warranty also goes to the company, because the project cannot
 * approve the spend. The cost rule only ever raises the tier that severity gives.
 *
 * `estimatedCost` and `warrantyAuthorisationAmount` are in the same currency unit (yuan). A missing
 * cost or a project without an authorisation amount leaves routing to severity alone.
 */
export function initialTier({
  severity,
  caseType,
  estimatedCost,
  warrantyAuthorisationAmount,
}: {
  severity: Severity;
  caseType: CaseType;
  estimatedCost?: number | null | undefined;
  warrantyAuthorisationAmount?: number | null | undefined;
}): Tier {
  const bySeverity: Tier = severity === 'major' ? 'COMPANY' : 'PROJECT';
  const exceedsWarranty =
    caseType === 'repair' &&
    typeof estimatedCost === 'number' &&
    typeof warrantyAuthorisationAmount === 'number' &&
    Number.isFinite(estimatedCost) &&
    Number.isFinite(warrantyAuthorisationAmount) &&
    estimatedCost > warrantyAuthorisationAmount;
  return exceedsWarranty ? higherTier(bySeverity, 'COMPANY') : bySeverity;
}
