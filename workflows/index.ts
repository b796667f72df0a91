// Every workflow the worker registers; the workflow bundle's entry point. Only deterministic code
// may be reachable from here.
export { complaintCase } from './cases/complaint-case.js';
export { calendarRetime } from './cases/calendar-retime.js';
export { leadFollowUp } from './leads/lead-follow-up.js';
export { saleLifecycle } from './sales/sale-lifecycle.js';
export { staffDigest } from './notices/staff-digest.js';
export { workOrder } from './repairs/work-order.js';
