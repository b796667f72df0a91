/**
 * Moved to features/leads/components/lead-ui.tsx (issue 13, feature folders). Kept as a re-export for
 * the pages of other features (sales, settings, record views, reports) until they move too.
 */
export {
  SALES_ROLES,
  StaffSelect,
  calendarDate,
  cadenceText,
  centsOf,
  formatIsoDuration,
  lossReasonName,
  mayOwn,
  moneyText,
  nextCalendarDate,
  parseMoney,
  startOfDay,
  useCadences,
  useLossReasons,
  useSalesStaff,
} from './features/leads/components/lead-ui.js';
