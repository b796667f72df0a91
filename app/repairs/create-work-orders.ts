import crypto from 'node:crypto';
import { isUniqueViolation } from '../../platform/db.js';
import type { Principal } from '../../domain/access.js';
import { isCategoryOfType, isValidCategory } from '../../domain/cases/categories.js';
import { isCaseType } from '../../domain/cases/types.js';
import { componentOfCategory } from '../../domain/warranty/category-components.js';
import { WarrantyRuleError } from '../../domain/warranty/errors.js';
import { warrantyInputOf } from '../warranty/case-warranty.js';
import { initialWorkOrderState, reduceWorkOrder, workOrderWarrantyOf } from '../../domain/repairs/work-order-process.js';
import type { WorkOrderAssignee, WorkOrderWarranty } from '../../domain/repairs/work-order-state.js';
import { tradeOfCategory } from '../../domain/repairs/trades.js';
import { isProjectInScope } from '../../domain/access.js';
import type { BusinessCalendar } from '../../domain/cases/business-calendar.js';
import type { WorkOrder } from '../../prisma/generated/client.js';
import { workOrderWorkflowId, type WorkOrderInput, type WorkOrderState } from '../../workflows/repairs/work-order.defs.js';
import { caseError } from '../cases/errors.js';
import { findCaseInScopeOrThrow } from '../cases/repository.js';
import { caseCalendarSnapshot, calendarOfPolicy, findCaseSettingsByGroup } from '../cases/settings.js';
import { caseWorkflow } from '../cases/workflow.js';
import { recordWorkOrderEnded, recordWorkOrderOpened } from '../../workflows/cases/complaint-case.defs.js';
import { recordIdForRequest } from '../shared/request-identity.js';
import type { AppDeps } from '../shared/deps.js';
import { findUnitWarrantyFacts } from '../warranty/repository.js';
import { findWarrantySettingsByGroup } from '../warranty/settings.js';
import { workOrderError } from './errors.js';
import { deleteWorkOrder, findActiveContractorCompany, findActiveTechnician, findWorkOrdersByIds, insertWorkOrdersWithNextNumbers, workOrderNumberPrefix } from './repository.js';
import { workOrderWorkflow } from './workflow.js';

/** One order a dispatcher asks for: its category (the case's by default) and, optionally, who does it. */
export interface NewWorkOrderRequest {
  category?: string | undefined;
  assignee?: WorkOrderAssignee | undefined;
}

/** A created order: its row and the workflow's first state (what its first task computes). */
export interface CreatedWorkOrder {
  row: WorkOrder;
  state: WorkOrderState;
}

const REPAIR_CASE_TYPES: readonly string[] = ['repair', 'complaint'];
const ENDED_CASE_STATUSES: readonly string[] = ['resolved', 'closed'];

/** The same for every order of a case created at one instant: what the workflow inputs share. */
interface CaseContext {
  caseRow: Awaited<ReturnType<typeof findCaseInScopeOrThrow>>;
  buildingId: string | null;
  calendar: BusinessCalendar;
  resolutionDueAt: number | null;
  warrantyOf: (category: string) => WorkOrderWarranty;
  tradeOf: (category: string) => string;
}

/**
 * Creates one or more work orders for a repair or complaint case: the case must be in the
 * principal's scope, not resolved or closed, and name a unit (the address the technician goes to
 * and the warranty counts for). Each order gets
 * - the warranty verdict of its category's component from the unit's facts (completion acceptance,
 *   handover) and the organisation's warranty settings, as of the case's opening (when the owner
 *   reported the defect): 保内 orders are dispatched at once, 保外 ones wait for a quote;
 * - the trade of its category (domain/repairs/trades.ts), for the charge-back;
 * - the case's business calendar as a snapshot and its current resolution target (appointments
 *   must end by it);
 * - the dispatcher's assignee, if one was chosen (else the default of category × project).
 * Rows first, then their workflows; a workflow that does not start takes its row away again.
 *
 * With an Idempotency-Key the orders' ids are the request's: a run of the same request after its
 * first process died finds the rows and only makes sure their workflows run.
 */
export async function createWorkOrders(
  deps: AppDeps,
  principal: Principal,
  caseId: string,
  orders: readonly NewWorkOrderRequest[],
  o: { requestKey?: string | null } = {},
): Promise<CreatedWorkOrder[]> {
  const { db } = deps;
  const now = Date.now();
  const ctx = await caseContext(deps, principal, caseId, orders, now);
  const { caseRow } = ctx;
  await assertAssignees(deps, caseRow, orders);

  const ids = o.requestKey ? orders.map((_, i) => recordIdForRequest('work-order', `${o.requestKey}:${caseId}:${i}`)) : orders.map(() => crypto.randomUUID());
  if (o.requestKey) {
    const earlier = await findWorkOrdersByIds(db, ids);
    if (earlier.length > 0) return resumeEarlier(deps, ctx, earlier, orders, ids);
  }

  const rows = orders.map((order, i) => {
    const category = order.category ?? caseRow.category;
    const warranty = ctx.warrantyOf(category);
    return {
      id: ids[i]!,
      workflowId: workOrderWorkflowId(ids[i]!),
      groupId: caseRow.groupId,
      companyId: caseRow.companyId,
      projectId: caseRow.projectId,
      caseId: caseRow.id,
      buildingId: ctx.buildingId,
      unitId: caseRow.unitId,
      category,
      trade: ctx.tradeOf(category),
      status: warranty.covered ? 'awaiting_assignment' : 'awaiting_quote',
      warrantyCovered: warranty.covered,
      warrantyEndsAt: warranty.endsAt === null ? null : new Date(warranty.endsAt),
      warrantyLastDay: warranty.lastDay,
      warrantyClause: warranty.clause.code,
      contractorCovered: warranty.contractorCovered,
      resolutionDueAt: ctx.resolutionDueAt === null ? null : new Date(ctx.resolutionDueAt),
      createdById: principal.id,
      createdAt: new Date(now),
      lastEventSeq: 0,
    };
  });
  const project = await db.project.findUniqueOrThrow({ where: { id: caseRow.projectId }, select: { timeZone: true } });
  let stored: WorkOrder[];
  try {
    stored = await insertWorkOrdersWithNextNumbers(db, { prefix: workOrderNumberPrefix(now, project.timeZone), rows });
  } catch (err) {
    // Another run of the same request stored them first.
    if (!(o.requestKey && isUniqueViolation(err))) throw err;
    return resumeEarlier(deps, ctx, await findWorkOrdersByIds(db, ids), orders, ids);
  }
  // The case learns of its orders before they start: from now on it resolves only when they are
  // signed off. A case that refuses (closed meanwhile) keeps none of them.
  try {
    for (const row of stored) await tellCaseOfOrder(deps, caseRow.workflowId, row, principal.id);
  } catch (err) {
    for (const r of stored) await deleteWorkOrder(db, r.id).catch(() => undefined);
    for (const r of stored) await tellCaseOrderGone(deps, caseRow.workflowId, r);
    throw err;
  }
  const created: CreatedWorkOrder[] = [];
  for (const [i, row] of stored.entries()) {
    const input = workOrderInputOf(row, ctx, orders[i]!, principal.id);
    await workOrderWorkflow.startOrUndo(deps.temporal, input, row.workflowId, async (err) => {
      // This order and those not yet started are not kept (nor counted by the case); those started before run on.
      for (const r of stored.slice(i)) {
        await deleteWorkOrder(db, r.id).catch(() => undefined);
        await tellCaseOrderGone(deps, caseRow.workflowId, r);
      }
      deps.logger.warn({ workOrderId: row.id, caseId: row.caseId, err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'work order workflow did not start');
    });
    created.push({ row, state: firstWorkOrderState(input) });
  }
  return created;
}

/**
 * Records the order on its case (the case's recordWorkOrderOpened Update, under the id
 * `${workOrderWorkflowId}:case-opened`, so a rerun of the request is one Update).
 */
async function tellCaseOfOrder(deps: AppDeps, caseWorkflowId: string, row: Pick<WorkOrder, 'id' | 'workflowId'>, actor: string): Promise<void> {
  await caseWorkflow.executeUpdate(deps.temporal, caseWorkflowId, recordWorkOrderOpened, { actor, workOrderId: row.id }, { updateId: `${row.workflowId}:case-opened` });
}

/** Takes back an order the case was told of but that was not kept: best effort, logged when it fails. */
async function tellCaseOrderGone(deps: AppDeps, caseWorkflowId: string, row: Pick<WorkOrder, 'id' | 'workflowId' | 'caseId'>): Promise<void> {
  await caseWorkflow
    .executeUpdate(deps.temporal, caseWorkflowId, recordWorkOrderEnded, { actor: 'system', workOrderId: row.id, outcome: 'cancelled' }, { updateId: `${row.workflowId}:case-ended` })
    .catch((err: unknown) => deps.logger.warn({ workOrderId: row.id, caseId: row.caseId, err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'work order: could not take it back from its case'));
}

/** The orders an earlier run of the same request stored: their workflows made sure of, their first states. */
async function resumeEarlier(deps: AppDeps, ctx: CaseContext, rows: WorkOrder[], orders: readonly NewWorkOrderRequest[], ids: string[]): Promise<CreatedWorkOrder[]> {
  const answer: CreatedWorkOrder[] = [];
  for (const row of rows.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id))) {
    await tellCaseOfOrder(deps, ctx.caseRow.workflowId, row, row.createdById);
    const input = workOrderInputOf(row, ctx, orders[ids.indexOf(row.id)] ?? {}, row.createdById);
    await workOrderWorkflow.ensureStarted(deps.temporal, input, row.workflowId);
    answer.push({ row, state: firstWorkOrderState(input) });
  }
  return answer;
}

/** The order's state after its workflow's first task: what the API answers with at once. */
export function firstWorkOrderState(input: WorkOrderInput): WorkOrderState {
  const at = input.createdAt ?? Date.now();
  return reduceWorkOrder(initialWorkOrderState(input, at), { type: 'create', opening: input }, at).state;
}

function workOrderInputOf(row: WorkOrder, ctx: CaseContext, order: NewWorkOrderRequest, createdBy: string): WorkOrderInput {
  return {
    workOrderId: row.id,
    workOrderNumber: row.number,
    caseId: row.caseId,
    groupId: row.groupId,
    companyId: row.companyId,
    projectId: row.projectId,
    category: row.category,
    trade: row.trade,
    buildingId: row.buildingId,
    unitId: row.unitId,
    warranty: ctx.warrantyOf(row.category),
    resolutionDueAt: row.resolutionDueAt?.getTime() ?? null,
    calendar: ctx.calendar,
    assignee: order.assignee ?? null,
    createdBy,
    createdAt: row.createdAt.getTime(),
  };
}

async function caseContext(deps: AppDeps, principal: Principal, caseId: string, orders: readonly NewWorkOrderRequest[], now: number): Promise<CaseContext> {
  const { db } = deps;
  const caseRow = await findCaseInScopeOrThrow(db, principal, caseId);
  if (!REPAIR_CASE_TYPES.includes(caseRow.type)) throw workOrderError('WORK_ORDER_CASE_NOT_REPAIR', { type: caseRow.type });
  if (ENDED_CASE_STATUSES.includes(caseRow.status)) throw workOrderError('WORK_ORDER_CASE_CLOSED');
  if (!caseRow.unitId) throw workOrderError('WORK_ORDER_CASE_NO_UNIT');
  const [caseSettings, warrantySettings, facts, unit, live] = await Promise.all([
    findCaseSettingsByGroup(db, caseRow.groupId),
    findWarrantySettingsByGroup(db, caseRow.groupId),
    findUnitWarrantyFacts(db, caseRow.groupId, caseRow.unitId),
    db.unit.findUnique({ where: { id: caseRow.unitId }, select: { buildingId: true } }),
    caseWorkflow.queryStateOrNull(deps.temporal, caseRow.workflowId),
  ]);
  const categoryErrors = orders.flatMap((order, i) => {
    if (order.category === undefined) return [];
    const path = `body.orders.${i}.category`;
    if (!isValidCategory({ code: order.category, categories: caseSettings.categories })) return [caseError.field(path, 'UNKNOWN_CATEGORY', { category: order.category })];
    if (isCaseType(caseRow.type) && !isCategoryOfType({ code: order.category, type: caseRow.type, categories: caseSettings.categories }))
      return [caseError.field(path, 'CATEGORY_NOT_OF_TYPE', { category: order.category, type: caseRow.type })];
    return [];
  });
  if (categoryErrors.length) throw workOrderError('VALIDATION_FAILED', {}, { fieldErrors: categoryErrors });

  // The case's current resolution target: the live workflow's, else the read model's latest.
  let resolutionDueAt = live ? (live.targets.resolution?.dueAt ?? null) : null;
  if (!live) {
    const target = await db.caseTargetRecord.findFirst({ where: { caseId: caseRow.id, target: 'resolution', metAt: null }, orderBy: { startedAt: 'desc' }, select: { dueAt: true } });
    resolutionDueAt = target?.dueAt.getTime() ?? null;
  }
  const policy = caseSettings.policies.find((p) => p.id === caseRow.policyId) ?? caseSettings.policies[0];
  const calendar = caseCalendarSnapshot(calendarOfPolicy(policy ?? {}, caseSettings.calendars), caseRow.openedAt.getTime(), now);

  const warrantyOf = (category: string): WorkOrderWarranty => {
    const component = componentOfCategory({ code: category, rules: warrantySettings.categoryComponents }) ?? 'other';
    if (!facts) throw workOrderError('WORK_ORDER_WARRANTY_UNKNOWN', { reason: 'NO_UNIT' });
    const { completionAcceptedOn } = facts;
    if (!completionAcceptedOn) throw workOrderError('WORK_ORDER_WARRANTY_UNKNOWN', { reason: 'COMPLETION_NOT_RECORDED' });
    try {
      return workOrderWarrantyOf(warrantyInputOf(component, { ...facts, completionAcceptedOn }, warrantySettings, caseRow.openedAt.getTime()));
    } catch (err) {
      if (!(err instanceof WarrantyRuleError)) throw err;
      throw workOrderError('WORK_ORDER_WARRANTY_UNKNOWN', { reason: err.code });
    }
  };
  // Judged once up front, so a verdict that cannot be given refuses before anything is stored.
  for (const order of orders) warrantyOf(order.category ?? caseRow.category);
  return {
    caseRow,
    buildingId: unit?.buildingId ?? null,
    calendar,
    resolutionDueAt,
    warrantyOf,
    tradeOf: (category) => tradeOfCategory({ code: category, rules: warrantySettings.categoryComponents }),
  };
}

/** A dispatcher's assignee: an active technician whose scope holds the case's project, or an active contractor company of the group. */
async function assertAssignees(deps: AppDeps, caseRow: { groupId: string; companyId: string; projectId: string }, orders: readonly NewWorkOrderRequest[]): Promise<void> {
  const project = { id: caseRow.projectId, groupId: caseRow.groupId, companyId: caseRow.companyId };
  for (const [i, order] of orders.entries()) {
    const a = order.assignee;
    if (!a) continue;
    if (a.kind === 'technician') {
      const user = await findActiveTechnician(deps.db, { groupId: caseRow.groupId, userId: a.userId });
      if (!user || !isProjectInScope(user, project)) throw workOrderError('WORK_ORDER_NOT_A_TECHNICIAN', {}, { field: `body.orders.${i}.assignee.userId` });
    } else if (!(await findActiveContractorCompany(deps.db, { groupId: caseRow.groupId, id: a.companyId }))) {
      throw workOrderError('WORK_ORDER_NOT_A_CONTRACTOR', {}, { field: `body.orders.${i}.assignee.companyId` });
    }
  }
}
