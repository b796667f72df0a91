/**
 * The home page's vocabulary: the counts a role's home page may show (stable keys the console words)
 * and the list operations they link to. What each count means, and for whom, is app/home/get-home.ts.
 */
export const HOME_COUNT_KEYS = [
  'cases.openedByMeNotClosed',
  'cases.awaitingCallback',
  'cases.mineInProgress',
  'cases.mineOverdue',
  'cases.mineDueWithin2h',
  'cases.overdue',
  'cases.breachedToday',
  'escalations.awaitingMyDecision',
  'escalations.pending',
  'leads.mineDueToday',
  'leads.mineOverdue',
  'leads.overdue',
  'leads.pooled',
  'leads.lossReviewsPending',
  'sales.approvalsPending',
] as const;
export type HomeCountKey = (typeof HOME_COUNT_KEYS)[number];

/** The list operations a count links to (operationIds of the API). */
export const HOME_LIST_OPERATIONS = ['listCases', 'listEscalations', 'listLeads', 'listSales', 'listSlaBreachedCases'] as const;
export type HomeListOperation = (typeof HOME_LIST_OPERATIONS)[number];
