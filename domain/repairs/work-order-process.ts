/**
 * The rules of one work order (issue 15: the field half of a repair case, accept → dispatch →
 * execute → feedback) as a pure reducer, from its creation until it is signed off or cancelled.
 * The `workOrder` workflow is wiring around it (workflows/repairs/work-order.ts).
 *
 * Decisions worth knowing (documented for the API, the console and reports):
 * - The warranty verdict is fixed at creation (`workOrderWarrantyOf`, from domain/warranty): 保内
 *   orders are dispatched at once; 保外 ones wait for a quote the owner accepts (`canDispatch` of
 *   domain/warranty/quote.ts). A refused quote cancels the order with outcome `quote_refused`,
 *   which the case closes with (the integrator's case wiring reads it from the event).
 * - Dispatch: an assignee named at creation or by the dispatcher (`assign`) stands; otherwise a
 *   `pickAssignee` task looks up the default (category × project). A default that arrives after a
 *   dispatcher assigned by hand is ignored. Nobody found: the dispatchers are told.
 * - Visits: dispatch opens visit 1; a rejected sign-off (rework) and a no-show (technician or
 *   owner) close the current visit and open the next, which needs a new appointment. Reworks and
 *   no-shows are counted on the order.
 * - The on-site arrival target of a visit is counted from its opening on the project's business
 *   calendar: urgent categories (leaks) within `urgentWorkingHours` working hours, others by the
 *   end of the next working day; an appointment the owner chose later than that moves the target
 *   to the slot's end (the owner's choice is not lateness). A warning goes `warnBeforeMinutes`
 *   before it; a breach is recorded (and counted) once per target. A reassignment restarts the
 *   target of a visit not yet checked in from the reassignment: the new assignee starts now.
 * - An appointment must end by the case's resolution target (and after now): a slot past it is
 *   refused with `WORK_ORDER_SLOT_OUTSIDE_TARGET`, so the order cannot plan the case's breach.
 * - Charge-back: when the construction warranty (the builder's contractors', 条例 art. 40) still
 *   covers the defect and a contractor company is responsible for the building and trade, the done
 *   order charges that company the cost of its visits — unless it did the repair itself (at its own
 *   cost) or the repair cost nothing.
 * - Personal data stays out of the state and the history: a check-in's coordinates, the result's
 *   text and materials and the sign-off's signature or reason are read-model rows the Updates name
 *   by id; photos are content keys.
 */
import { DateTime } from 'luxon';
import { addWorkingTime, nextWorkingInstant, workingIntervalsOn, type BusinessCalendar } from '../cases/business-calendar.js';
import { warrantyCoverage, type WarrantyCoverage, type WarrantyCoverageInput } from '../warranty/coverage.js';
import { canDispatch, validateQuote, type QuoteItem } from '../warranty/quote.js';
import { isoOrNull as iso, isText, refuse, transition, type ActionBase, type Actor, type AuditData, type CommandOf, type Outbox, type Transition } from '../process.js';
import {
  DEFAULT_ARRIVAL_POLICY,
  type ArrivalPolicy,
  type NoShowParty,
  type VisitReason,
  type WorkOrderAssignee,
  type WorkOrderNotice,
  type WorkOrderState,
  type WorkOrderVisit,
  type WorkOrderWarranty,
} from './work-order-state.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** What creating a work order records (the workflow's input, less what only the wiring needs). */
export interface WorkOrderOpening
  extends Pick<WorkOrderState, 'workOrderId' | 'workOrderNumber' | 'caseId' | 'category' | 'trade' | 'buildingId' | 'unitId' | 'warranty' | 'resolutionDueAt' | 'calendar'> {
  policy?: ArrivalPolicy;
  /** Chosen at creation by the dispatcher; absent or null: the default lookup picks one. */
  assignee?: WorkOrderAssignee | null;
  createdBy: Actor;
}

/** What people do to a work order, by name: the workflow's Updates, one to one, and their arguments. */
export interface WorkOrderCommandArgs {
  /** Out of warranty: the quote the owner is asked to accept (a new one replaces one not yet answered). */
  issueQuote: ActionBase & { items: QuoteItem[]; totalFen: number; currency?: string };
  /** The owner's answer to the quote (on their phone, or recorded by staff). */
  answerQuote: ActionBase & { accepted: boolean };
  assign: ActionBase & { assignee: WorkOrderAssignee };
  reassign: ActionBase & { assignee: WorkOrderAssignee; reason: string };
  bookAppointment: ActionBase & { start: number; end: number };
  /** `locationId`: the read-model row holding the check-in's coordinates, when it had any. */
  checkIn: ActionBase & { locationId?: string | null };
  /** `resultId`: the read-model row with the result text and materials; photos by content key; cost in fen. */
  recordResult: ActionBase & { resultId: string; photoIds: string[]; costFen?: number };
  /** `signOffId`: the read-model row with the signature, or the rejection's reason. */
  signOff: ActionBase & { accepted: boolean; signOffId?: string | null };
  /**
   * The holder sent the owner a one-time sign-off link for the visit awaiting sign-off: audited by
   * the link's id and expiry only (its token never enters the history). Nothing else changes.
   */
  issueSignOffLink: ActionBase & { linkId: string; expiresAt: number };
  recordNoShow: ActionBase & { party: NoShowParty };
  cancelWorkOrder: ActionBase & { reason: string };
}
export type WorkOrderCommand = CommandOf<WorkOrderCommandArgs>;

export type WorkOrderAction =
  | WorkOrderCommand
  | { type: 'create'; opening: WorkOrderOpening }
  | { type: 'tick' }
  // Answers to tasks
  | { type: 'assigneePicked'; assignee: WorkOrderAssignee | null }
  | { type: 'responsibleContractorFound'; contractorCompanyId: string | null }
  /** The case has recorded what the order told it (or refused it: a case closed meanwhile): nothing changes here. */
  | { type: 'caseInformed' };

/** Work the order needs from the read model before it can go on. */
export type WorkOrderTask =
  /** The default assignee of the order's category × project. */
  | { kind: 'pickAssignee' }
  /** The contractor company responsible for the order's building × trade. */
  | { kind: 'findResponsibleContractor' }
  /**
   * Tell the order's case how it ended: the case resolves only when its orders are signed off, and
   * closes on a refused quote (domain/cases/case-process.ts). That it exists, the API told the case
   * when it created the order (app/repairs/create-work-orders.ts).
   */
  | { kind: 'informCase'; event: 'ended'; outcome: 'done' | 'quote_refused' | 'cancelled' };

type Out = Outbox<WorkOrderNotice, WorkOrderTask>;

const hasRecipients = (n: WorkOrderNotice) => (n.recipients.userIds?.length ?? 0) > 0 || isText(n.recipients.contractorCompanyId) || n.recipients.dispatchers === true;

export const isWorkOrderEnded = (s: Pick<WorkOrderState, 'status'>) => s.status === 'done' || s.status === 'cancelled';

/**
 * The warranty verdict of a work order from the statutory table: the owner's (every period that
 * applies, domain/warranty/coverage.ts) and the contractor's (the construction warranty alone,
 * counted from completion acceptance: what the builder's contractors answer for).
 */
export function workOrderWarrantyOf(input: WarrantyCoverageInput): WorkOrderWarranty {
  const owner: WarrantyCoverage = warrantyCoverage(input);
  const contractor = warrantyCoverage({ ...input, handedOverAt: null, overrides: [] });
  return {
    covered: owner.covered,
    label: owner.label.zh,
    endsAt: owner.endsAt,
    lastDay: owner.lastDay,
    clause: owner.clause,
    basis: owner.basis,
    contractorCovered: contractor.covered && contractor.basis === 'construction',
  };
}

/** Whether a category (or a parent of it) is one the policy calls urgent. */
export function isUrgentCategory(category: string, policy: ArrivalPolicy = DEFAULT_ARRIVAL_POLICY): boolean {
  return policy.urgentCategories.some((c) => category === c || category.startsWith(`${c}.`));
}

/** The end of the first working day after the day of `from`, on the calendar. */
export function endOfNextWorkingDay({ calendar, from }: { calendar: BusinessCalendar; from: number }): number {
  const tomorrow = DateTime.fromMillis(from, { zone: calendar.timeZone }).startOf('day').plus({ days: 1 }).toMillis();
  const opens = nextWorkingInstant({ calendar, at: tomorrow });
  const date = DateTime.fromMillis(opens, { zone: calendar.timeZone }).toISODate()!;
  return Math.max(...workingIntervalsOn({ calendar, date }).map((i) => i.end));
}

/** The policy's on-site arrival target of a visit opened at `from`. */
export function arrivalTargetOf({ calendar, policy, urgent, from }: { calendar: BusinessCalendar; policy: ArrivalPolicy; urgent: boolean; from: number }): number {
  return urgent ? addWorkingTime({ calendar, from, ms: policy.urgentWorkingHours * HOUR }) : endOfNextWorkingDay({ calendar, from });
}

const sameAssignee = (a: WorkOrderAssignee | null, b: WorkOrderAssignee | null) =>
  a !== null && b !== null && a.kind === b.kind && (a.kind === 'technician' ? a.userId === (b as typeof a).userId : a.companyId === (b as typeof a).companyId);

const isAssignee = (a: unknown): a is WorkOrderAssignee => {
  const x = a as WorkOrderAssignee | null;
  return !!x && ((x.kind === 'technician' && isText(x.userId)) || (x.kind === 'contractor' && isText(x.companyId)));
};

/** An assignee's id for audit data and search attributes: the user or the company. */
export const assigneeIdOf = (a: WorkOrderAssignee | null): string | null => (a === null ? null : a.kind === 'technician' ? a.userId : a.companyId);

/** Who a notice to the assignee goes to. */
const toAssignee = (a: WorkOrderAssignee | null): WorkOrderNotice['recipients'] =>
  a === null ? {} : a.kind === 'technician' ? { userIds: [a.userId] } : { contractorCompanyId: a.companyId };

export const currentVisit = (s: Pick<WorkOrderState, 'visits'>): WorkOrderVisit | null => {
  const v = s.visits.at(-1);
  return v && v.outcome === null ? v : null;
};

/** The state of a work order just created (or of the next run, carried over by continue-as-new). */
export function initialWorkOrderState(o: WorkOrderOpening, now: number): WorkOrderState {
  const policy = o.policy ?? DEFAULT_ARRIVAL_POLICY;
  return {
    workOrderId: o.workOrderId,
    workOrderNumber: o.workOrderNumber,
    caseId: o.caseId,
    category: o.category,
    trade: o.trade,
    buildingId: o.buildingId,
    unitId: o.unitId,
    status: o.warranty.covered ? 'awaiting_assignment' : 'awaiting_quote',
    warranty: o.warranty,
    quote: null,
    assignee: null,
    assignedAt: null,
    reassignments: 0,
    responsibleContractorId: null,
    resolutionDueAt: o.resolutionDueAt,
    urgent: isUrgentCategory(o.category, policy),
    policy,
    calendar: o.calendar,
    visits: [],
    reworks: 0,
    noShows: 0,
    arrivalBreaches: 0,
    chargeBack: null,
    outcome: null,
    cancelReason: null,
    seq: 0,
    createdAt: now,
    closedAt: null,
    runs: 1,
  };
}

/** The next instant a timer must wake the order: the current visit's arrival warning or target. */
export function workOrderNextWakeAt(s: WorkOrderState): number | null {
  if (isWorkOrderEnded(s)) return null;
  const v = currentVisit(s);
  if (!v || v.checkedInAt !== null || s.assignee === null) return null;
  if (v.warnedAt === null && v.breachedAt === null) return v.warnAt;
  if (v.breachedAt === null) return v.arrivalDueAt;
  return null;
}

/** Refuses a command the order cannot take now. `now` is the workflow's time (a slot in the past). */
export function validateWorkOrderCommand(s: WorkOrderState, c: WorkOrderCommand, now: number): void {
  if (!isText(c.actor)) refuse('INVALID_ACTION', 'the acting user is required');
  if (isWorkOrderEnded(s)) refuse('WORK_ORDER_ENDED', `work order ${s.workOrderNumber} is ${s.status}`);
  const stage = (...allowed: WorkOrderState['status'][]) => {
    if (!allowed.includes(s.status)) refuse('WORK_ORDER_WRONG_STAGE', `work order ${s.workOrderNumber} is ${s.status}: ${c.type} needs ${allowed.join(' or ')}`);
  };
  switch (c.type) {
    case 'issueQuote': {
      if (s.warranty.covered) refuse('WORK_ORDER_QUOTE_NOT_NEEDED', `work order ${s.workOrderNumber} is under warranty: no quote is asked for`);
      stage('awaiting_quote');
      const checked = validateQuote({ currency: c.currency ?? 'CNY', items: Array.isArray(c.items) ? c.items : [], totalFen: c.totalFen, status: 'pending' });
      if (!checked.ok) refuse('WORK_ORDER_QUOTE_INVALID', `the quote is invalid: ${checked.errors.map((e) => `${e.path} ${e.code}`).join(', ')}`);
      return;
    }
    case 'answerQuote':
      if (s.warranty.covered) refuse('WORK_ORDER_QUOTE_NOT_NEEDED', `work order ${s.workOrderNumber} is under warranty: no quote is asked for`);
      stage('awaiting_quote');
      if (s.quote === null || s.quote.status !== 'pending') refuse('WORK_ORDER_NO_QUOTE', `work order ${s.workOrderNumber} has no quote waiting for an answer`);
      if (typeof c.accepted !== 'boolean') refuse('INVALID_ACTION', 'accepted must be true or false');
      return;
    case 'assign':
      stage('awaiting_assignment');
      if (!isAssignee(c.assignee)) refuse('INVALID_ACTION', 'the assignee is a technician (userId) or a contractor company (companyId)');
      return;
    case 'reassign':
      stage('assigned', 'scheduled');
      if (!isAssignee(c.assignee)) refuse('INVALID_ACTION', 'the assignee is a technician (userId) or a contractor company (companyId)');
      if (!isText(c.reason)) refuse('INVALID_ACTION', 'a reason is required');
      if (sameAssignee(s.assignee, c.assignee)) refuse('WORK_ORDER_SAME_ASSIGNEE', `work order ${s.workOrderNumber} is already theirs`);
      return;
    case 'bookAppointment':
      stage('assigned', 'scheduled');
      if (!Number.isFinite(c.start) || !Number.isFinite(c.end) || c.start >= c.end) refuse('INVALID_ACTION', 'the slot is a start before an end, in epoch milliseconds');
      if (c.end <= now) refuse('WORK_ORDER_SLOT_IN_PAST', 'the slot is over already');
      if (s.resolutionDueAt !== null && c.end > s.resolutionDueAt) {
        refuse('WORK_ORDER_SLOT_OUTSIDE_TARGET', `the slot ends after the case's resolution target (${new Date(s.resolutionDueAt).toISOString()})`);
      }
      return;
    case 'checkIn':
      stage('assigned', 'scheduled');
      if (c.locationId !== undefined && c.locationId !== null && !isText(c.locationId)) refuse('INVALID_ACTION', 'locationId names a stored check-in location');
      return;
    case 'recordResult':
      stage('on_site');
      if (!isText(c.resultId)) refuse('INVALID_ACTION', 'the stored result is required');
      if (!Array.isArray(c.photoIds) || !c.photoIds.every(isText)) refuse('INVALID_ACTION', 'photoIds are content keys');
      if (c.costFen !== undefined && !(Number.isSafeInteger(c.costFen) && c.costFen >= 0)) refuse('INVALID_ACTION', 'costFen is a whole number of fen, 0 or more');
      return;
    case 'signOff':
      stage('awaiting_sign_off');
      if (typeof c.accepted !== 'boolean') refuse('INVALID_ACTION', 'accepted must be true or false');
      return;
    case 'issueSignOffLink':
      stage('awaiting_sign_off');
      if (!isText(c.linkId)) refuse('INVALID_ACTION', 'the stored link is required');
      if (!Number.isFinite(c.expiresAt) || c.expiresAt <= now) refuse('INVALID_ACTION', 'expiresAt is a future instant, in epoch milliseconds');
      return;
    case 'recordNoShow':
      stage('scheduled');
      if (c.party !== 'technician' && c.party !== 'owner') refuse('INVALID_ACTION', 'party is technician or owner');
      return;
    case 'cancelWorkOrder':
      if (!isText(c.reason)) refuse('INVALID_ACTION', 'a reason is required');
      return;
  }
}

/** Opens the next visit: its arrival target runs from now. */
function openVisit(s: WorkOrderState, reason: VisitReason, now: number): WorkOrderVisit {
  const arrivalDueAt = arrivalTargetOf({ calendar: s.calendar, policy: s.policy, urgent: s.urgent, from: now });
  const visit: WorkOrderVisit = {
    number: s.visits.length + 1,
    reason,
    openedAt: now,
    targetFrom: now,
    appointment: null,
    arrivalDueAt,
    warnAt: warnAtOf(s, now, arrivalDueAt),
    warnedAt: null,
    breachedAt: null,
    checkedInAt: null,
    locationId: null,
    onTime: null,
    resultId: null,
    photoIds: [],
    costFen: 0,
    resultAt: null,
    signOffId: null,
    outcome: null,
    closedAt: null,
  };
  s.visits.push(visit);
  s.status = 'assigned';
  return visit;
}

const warnAtOf = (s: WorkOrderState, from: number, dueAt: number) => Math.max(from, dueAt - s.policy.warnBeforeMinutes * MINUTE);

/**
 * Re-counts a visit's arrival target (a slot, a reassignment): the policy's from `targetFrom`, or
 * the slot's end when later. A target that moves is warned about (and may be missed) again.
 */
function retarget(s: WorkOrderState, v: WorkOrderVisit, now: number): void {
  const policyDue = arrivalTargetOf({ calendar: s.calendar, policy: s.policy, urgent: s.urgent, from: v.targetFrom });
  const dueAt = Math.max(policyDue, v.appointment?.end ?? 0);
  if (dueAt === v.arrivalDueAt) return;
  v.arrivalDueAt = dueAt;
  v.warnAt = warnAtOf(s, v.targetFrom, dueAt);
  if (v.warnAt > now) v.warnedAt = null;
  if (dueAt > now) v.breachedAt = null;
}

function giveTo(s: WorkOrderState, out: Out, actor: Actor, assignee: WorkOrderAssignee, byDefault: boolean, now: number): void {
  s.assignee = assignee;
  s.assignedAt = now;
  const v = openVisit(s, 'first', now);
  out.emit(
    'work_order.assigned',
    actor,
    { assigneeKind: assignee.kind, assigneeId: assigneeIdOf(assignee), byDefault, visit: v.number, arrivalDueAt: iso(v.arrivalDueAt) },
    { kind: 'assigned', dueAt: v.arrivalDueAt, recipients: toAssignee(assignee) },
  );
}

/** Dispatchable now: the assignee named at creation, or the default lookup. */
function dispatch(s: WorkOrderState, out: Out, actor: Actor, assignee: WorkOrderAssignee | null | undefined, now: number): void {
  s.status = 'awaiting_assignment';
  if (assignee) return giveTo(s, out, actor, assignee, false, now);
  out.task({ kind: 'pickAssignee' });
}

function closeVisit(v: WorkOrderVisit, outcome: WorkOrderVisit['outcome'], now: number): void {
  v.outcome = outcome;
  v.closedAt = now;
}

/**
 * Closes a visit that did not fix the defect (a rejected sign-off, a no-show) and opens the next
 * one, which needs a new appointment; the assignee and the dispatchers are told.
 */
function revisit(s: WorkOrderState, out: Out, actor: Actor, v: WorkOrderVisit, outcome: 'rejected' | 'no_show_technician' | 'no_show_owner', now: number, type: string, data: AuditData): void {
  closeVisit(v, outcome, now);
  const next = openVisit(s, outcome === 'rejected' ? 'rework' : 'no_show', now);
  out.emit(
    type,
    actor,
    { visit: v.number, ...data, nextVisit: next.number, arrivalDueAt: iso(next.arrivalDueAt) },
    { kind: outcome === 'rejected' ? 'rework' : 'no_show', dueAt: next.arrivalDueAt, recipients: { ...toAssignee(s.assignee), dispatchers: true } },
  );
}

function fireDue(s: WorkOrderState, out: Out, now: number): void {
  const v = currentVisit(s);
  if (!v || v.checkedInAt !== null || s.assignee === null || isWorkOrderEnded(s)) return;
  if (v.warnedAt === null && v.breachedAt === null && v.warnAt <= now && now < v.arrivalDueAt) {
    v.warnedAt = now;
    out.emit('work_order.arrival_warning', 'system', { visit: v.number, arrivalDueAt: iso(v.arrivalDueAt) }, { kind: 'arrival_warning', dueAt: v.arrivalDueAt, recipients: toAssignee(s.assignee) });
  }
  if (v.breachedAt === null && v.arrivalDueAt <= now) {
    v.breachedAt = now;
    s.arrivalBreaches++;
    out.emit(
      'work_order.arrival_breached',
      'system',
      { visit: v.number, arrivalDueAt: iso(v.arrivalDueAt), assigneeId: assigneeIdOf(s.assignee) },
      { kind: 'arrival_breached', dueAt: v.arrivalDueAt, recipients: { ...toAssignee(s.assignee), dispatchers: true } },
    );
  }
}

function finish(s: WorkOrderState, out: Out, actor: Actor, now: number): void {
  const costFen = s.visits.reduce((sum, v) => sum + v.costFen, 0);
  const responsible = s.responsibleContractorId;
  const selfRepaired = s.assignee?.kind === 'contractor' && s.assignee.companyId === responsible;
  if (s.warranty.contractorCovered && responsible !== null && !selfRepaired && costFen > 0) {
    s.chargeBack = { contractorCompanyId: responsible, amountFen: costFen, recordedAt: now };
    out.emit('work_order.charged_back', actor, { contractorCompanyId: responsible, amountFen: costFen, trade: s.trade, buildingId: s.buildingId }, { kind: 'charge_back', recipients: { contractorCompanyId: responsible, dispatchers: true } });
  }
  s.status = 'done';
  s.outcome = 'done';
  s.closedAt = now;
  out.emit('work_order.done', actor, { visits: s.visits.length, reworks: s.reworks, noShows: s.noShows, costFen, assigneeId: assigneeIdOf(s.assignee), chargedBack: s.chargeBack !== null });
  out.task({ kind: 'informCase', event: 'ended', outcome: 'done' });
}

/** The work order's reducer. Commands are assumed valid (`validateWorkOrderCommand` ran first). */
export function reduceWorkOrder(state: WorkOrderState, action: WorkOrderAction, now: number): Transition<WorkOrderState, WorkOrderNotice, WorkOrderTask> {
  return transition<WorkOrderState, WorkOrderNotice, WorkOrderTask>(
    state,
    (s, out) => {
      switch (action.type) {
        case 'create': {
          const o = action.opening;
          const w = s.warranty;
          out.emit('work_order.created', o.createdBy, {
            workOrderNumber: o.workOrderNumber,
            caseId: o.caseId,
            category: o.category,
            trade: o.trade,
            covered: w.covered,
            warranty: w.label,
            warrantyEndsAt: iso(w.endsAt),
            warrantyLastDay: w.lastDay,
            clause: w.clause.code,
            basis: w.basis,
            contractorCovered: w.contractorCovered,
            urgent: s.urgent,
            resolutionDueAt: iso(o.resolutionDueAt),
          });
          if (w.contractorCovered) out.task({ kind: 'findResponsibleContractor' });
          if (w.covered) dispatch(s, out, o.createdBy, o.assignee, now);
          return;
        }
        case 'tick':
          return fireDue(s, out, now);
        case 'caseInformed':
          return;
        case 'responsibleContractorFound':
          s.responsibleContractorId = action.contractorCompanyId;
          if (action.contractorCompanyId !== null) out.emit('work_order.responsible_contractor_found', 'system', { contractorCompanyId: action.contractorCompanyId, trade: s.trade, buildingId: s.buildingId });
          return;
        case 'assigneePicked':
          // A dispatcher may have assigned (or cancelled) meanwhile: that choice stands.
          if (s.status !== 'awaiting_assignment' || s.assignee !== null) return;
          if (action.assignee === null) {
            out.emit('work_order.awaiting_assignment', 'system', { category: s.category }, { kind: 'unassigned', recipients: { dispatchers: true } });
            return;
          }
          return giveTo(s, out, 'system', action.assignee, true, now);
        case 'issueQuote': {
          const { actor, items, totalFen } = action;
          s.quote = { currency: action.currency ?? 'CNY', items: items.map((i) => ({ description: i.description, amountFen: i.amountFen })), totalFen, status: 'pending', issuedAt: now, issuedBy: actor, answeredAt: null };
          out.emit('work_order.quote_issued', actor, { totalFen, currency: s.quote.currency, items: items.length });
          return;
        }
        case 'answerQuote': {
          const quote = s.quote!;
          quote.status = action.accepted ? 'accepted' : 'refused';
          quote.answeredAt = now;
          const decision = canDispatch({ coverage: s.warranty, quote });
          if (decision.ok) {
            out.emit('work_order.quote_accepted', action.actor, { totalFen: quote.totalFen });
            return dispatch(s, out, action.actor, null, now);
          }
          s.status = 'cancelled';
          s.outcome = 'quote_refused';
          s.closedAt = now;
          out.emit(
            'work_order.quote_refused',
            action.actor,
            { totalFen: quote.totalFen, refusal: decision.code, closeCaseWith: decision.closeCaseWith ?? null },
            { kind: 'quote_refused', recipients: { dispatchers: true } },
          );
          out.task({ kind: 'informCase', event: 'ended', outcome: 'quote_refused' });
          return;
        }
        case 'assign':
          return giveTo(s, out, action.actor, action.assignee, false, now);
        case 'reassign': {
          const { actor, assignee, reason } = action;
          const previous = s.assignee;
          s.assignee = assignee;
          s.assignedAt = now;
          s.reassignments++;
          const v = currentVisit(s)!;
          v.targetFrom = now;
          retarget(s, v, now);
          out.emit(
            'work_order.reassigned',
            actor,
            { assigneeKind: assignee.kind, assigneeId: assigneeIdOf(assignee), previousAssigneeKind: previous?.kind ?? null, previousAssigneeId: assigneeIdOf(previous), reason, reassignments: s.reassignments, visit: v.number, arrivalDueAt: iso(v.arrivalDueAt) },
            { kind: 'assigned', dueAt: v.arrivalDueAt, recipients: toAssignee(assignee) },
          );
          if (previous) out.emit('work_order.unassigned', actor, { assigneeKind: previous.kind, assigneeId: assigneeIdOf(previous) }, { kind: 'unassigned_away', recipients: toAssignee(previous) });
          return;
        }
        case 'bookAppointment': {
          const v = currentVisit(s)!;
          const rebooked = v.appointment !== null;
          v.appointment = { start: action.start, end: action.end };
          // A slot the owner chose after the policy's target moves the target to its end.
          retarget(s, v, now);
          s.status = 'scheduled';
          out.emit(
            'work_order.appointment_booked',
            action.actor,
            { visit: v.number, start: iso(action.start), end: iso(action.end), arrivalDueAt: iso(v.arrivalDueAt), rebooked },
            { kind: 'appointment_booked', dueAt: action.start, recipients: toAssignee(s.assignee) },
          );
          return;
        }
        case 'checkIn': {
          const v = currentVisit(s)!;
          v.checkedInAt = now;
          v.locationId = action.locationId ?? null;
          v.onTime = now <= v.arrivalDueAt;
          s.status = 'on_site';
          out.emit('work_order.checked_in', action.actor, { visit: v.number, onTime: v.onTime, geolocated: v.locationId !== null, locationId: v.locationId, arrivalDueAt: iso(v.arrivalDueAt) });
          return;
        }
        case 'recordResult': {
          const v = currentVisit(s)!;
          v.resultId = action.resultId;
          v.photoIds = [...action.photoIds];
          v.costFen = action.costFen ?? 0;
          v.resultAt = now;
          s.status = 'awaiting_sign_off';
          out.emit('work_order.result_recorded', action.actor, { visit: v.number, resultId: v.resultId, photoIds: v.photoIds, costFen: v.costFen });
          return;
        }
        case 'signOff': {
          const v = currentVisit(s)!;
          v.signOffId = action.signOffId ?? null;
          if (action.accepted) {
            closeVisit(v, 'signed_off', now);
            out.emit('work_order.signed_off', action.actor, { visit: v.number, signOffId: v.signOffId });
            return finish(s, out, action.actor, now);
          }
          s.reworks++;
          return revisit(s, out, action.actor, v, 'rejected', now, 'work_order.sign_off_rejected', { signOffId: v.signOffId, reworks: s.reworks });
        }
        case 'issueSignOffLink': {
          const v = currentVisit(s)!;
          out.emit('work_order.sign_off_link_issued', action.actor, { visit: v.number, linkId: action.linkId, expiresAt: iso(action.expiresAt) });
          return;
        }
        case 'recordNoShow': {
          const v = currentVisit(s)!;
          s.noShows++;
          const outcome = action.party === 'technician' ? 'no_show_technician' : 'no_show_owner';
          return revisit(s, out, action.actor, v, outcome, now, 'work_order.no_show', { party: action.party, noShows: s.noShows });
        }
        case 'cancelWorkOrder': {
          const v = currentVisit(s);
          if (v) closeVisit(v, 'cancelled', now);
          s.status = 'cancelled';
          s.outcome = 'cancelled';
          s.cancelReason = action.reason;
          s.closedAt = now;
          out.emit('work_order.cancelled', action.actor, { reason: action.reason, assigneeId: assigneeIdOf(s.assignee) }, { kind: 'unassigned_away', recipients: toAssignee(s.assignee) });
          out.task({ kind: 'informCase', event: 'ended', outcome: 'cancelled' });
          return;
        }
      }
    },
    hasRecipients,
  );
}
