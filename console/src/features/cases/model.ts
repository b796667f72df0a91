/** The case page's types: the server's own (api/cases/schemas.ts), imported as types only. */
export type {
  CaseDetail as CaseView,
  CaseEvent as CaseEventView,
  CallbackOutcome,
  CaseAfterCallback,
  CaseNote,
  SlaTargetPeriod as TargetPeriod,
  Escalation,
} from '../../../../api/cases/schemas.js';
