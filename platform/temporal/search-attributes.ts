/**
 * Custom search attributes the workflows set, registered on the dev server at start and, for a
 * cluster, by `temporal operator search-attribute create` (README). They carry ids and states only:
 * never a customer's name or phone.
 */
export const SEARCH_ATTRIBUTES = {
  CaseStatus: 'Keyword',
  CaseTier: 'Keyword',
  SlaState: 'Keyword',
  ProjectId: 'Keyword',
  CaseType: 'Keyword',
  LeadStatus: 'Keyword',
  LeadGrade: 'Keyword',
  SaleStage: 'Keyword',
  AssigneeId: 'Keyword',
  // The dev server's SQL visibility holds at most 10 Keyword attributes per namespace: this is the
  // tenth. A case's work orders are found in the read model (work_order.caseId), not by attribute.
  WorkOrderStatus: 'Keyword',
} as const;

export type SearchAttributeName = keyof typeof SEARCH_ATTRIBUTES;

export function searchAttributeFlags(): string[] {
  return Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
}
