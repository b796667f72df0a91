import type { UpdateDefinition } from '@temporalio/common';
import type { z } from '../http/zod.js';
import type { ApiDeps } from '../context.js';
import { canApproveSale, canReadSale, canWorkSale, type Principal, type SaleRef } from '../../domain/access.js';
import { isValidCategory } from '../../domain/cases/categories.js';
import { isFinalSaleStage, type SaleStage } from '../../domain/sales/types.js';
import { findCategoriesByGroup } from '../../platform/repositories/org-settings.js';
import type { Sale } from '../../prisma/generated/client.js';
import {
  changePaymentMethod,
  decideApproval,
  recordFiling,
  recordHandover,
  recordInspection,
  recordMortgageEvent,
  recordPayment,
  requestApproval,
  signContract,
  type ActionBase,
  type SaleDefect,
  type SaleState,
} from '../../workflows/sales/sale-lifecycle.defs.js';
import { caseError } from '../../app/cases/errors.js';
import { saleError, type SaleReason } from '../../app/sales/errors.js';
import { findSaleOfGroupOrThrow, releaseUnit, reserveUnit } from './sale-repository.js';
import { loadSaleNames, toSaleDetail, type LinkedCase } from './sale-view.js';
import { executeSaleUpdate, querySaleState, saleWorkflowUnavailable } from './sale-workflow.js';
import type {
  CancelBody,
  ChangeUnitBody,
  ContractBody,
  DecideApprovalBody,
  FilingBody,
  HandoverBody,
  InspectionBody,
  MortgageBody,
  PaymentBody,
  PaymentMethodBody,
  RenameBody,
  SaleView,
} from './schemas.js';

type SaleJson = z.input<typeof SaleView>;

/** Which rule admits an actor: reading, working (the salesperson responsible or a sales manager) or approving (a sales manager). */
export type SaleRule = 'read' | 'work' | 'approve';

const RULES: Record<SaleRule, (o: SaleRef & { principal: Principal }) => boolean> = {
  read: canReadSale,
  work: canWorkSale,
  approve: canApproveSale,
};
const DENIED = {
  read: 'SALE_READ_DENIED',
  work: 'SALE_WORK_DENIED',
  approve: 'SALE_APPROVE_DENIED',
} as const satisfies Record<SaleRule, SaleReason>;

/**
 * Loads a sale and checks the principal against it: 404 for another organisation's sale, 403
 * OUT_OF_SCOPE when the rule refuses (on the stored row: no action changes a sale's owner or
 * project, so the rules never need the workflow), 409 SALE_ENDED for an action on a sale the read
 * model already shows ended. Only then is the workflow asked for its live state; an action sends
 * nothing to a workflow that does not answer (503), a read falls back to the row.
 */
export async function loadSaleFor(deps: ApiDeps, principal: Principal, id: string, rule: SaleRule) {
  const row = await findSaleOfGroupOrThrow(deps.db, principal, id);
  const ref: SaleRef = { groupId: row.groupId, companyId: row.companyId, projectId: row.projectId, ownerId: row.ownerId };
  if (!RULES[rule]({ principal, ...ref })) throw saleError(DENIED[rule]);
  if (rule !== 'read' && isFinalSaleStage(row.stage as SaleStage)) throw saleError('SALE_ENDED_AS', { number: row.number, stage: row.stage });
  const answer = await querySaleState(deps.temporal, row.workflowId);
  if (rule !== 'read' && answer.state === null && answer.reason === 'unavailable') throw saleWorkflowUnavailable();
  return { row, live: answer.state };
}

/** The sale as the API answers it, with its names, linked repair cases and move-in record. */
export async function toSaleJson(deps: ApiDeps, principal: Principal, row: Sale, state: SaleState | null): Promise<SaleJson> {
  const [names, cases, registration] = await Promise.all([
    loadSaleNames(deps.db, principal, [row], new Map([[row.id, state]])),
    deps.db.case.findMany({
      where: { saleId: row.id, groupId: row.groupId },
      select: { id: true, number: true, status: true, category: true, description: true, openedAt: true },
      orderBy: { openedAt: 'asc' },
    }) as Promise<LinkedCase[]>,
    deps.db.ownerRegistration.findUnique({ where: { saleId: row.id }, select: { id: true } }),
  ]);
  return toSaleDetail(row, state, names, { cases, ownerRegistered: registration !== null });
}

async function run<A extends object>(deps: ApiDeps, principal: Principal, row: Sale, update: UpdateDefinition<SaleState, [ActionBase & A]>, args: A): Promise<SaleJson> {
  const state = await executeSaleUpdate(deps.temporal, row.workflowId, update, { ...args, actor: principal.id } as ActionBase & A);
  return toSaleJson(deps, principal, row, state);
}

const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

export async function sign(deps: ApiDeps, principal: Principal, id: string, body: z.output<typeof ContractBody>) {
  const { row } = await loadSaleFor(deps, principal, id, 'work');
  const signedAt = ms(body.signedAt);
  if (signedAt !== undefined && signedAt > Date.now() + 60_000) throw saleError('SIGNED_AHEAD', {}, { field: 'body.signedAt' });
  return run(deps, principal, row, signContract, { contractNo: body.contractNo, ...(signedAt !== undefined ? { signedAt } : {}) });
}

export async function file(deps: ApiDeps, principal: Principal, id: string, body: z.output<typeof FilingBody>) {
  const { row } = await loadSaleFor(deps, principal, id, 'work');
  return run(deps, principal, row, recordFiling, { filingNo: body.filingNo });
}

export async function pay(deps: ApiDeps, principal: Principal, id: string, body: z.output<typeof PaymentBody>) {
  const { row } = await loadSaleFor(deps, principal, id, 'work');
  const paidAt = ms(body.paidAt);
  if (paidAt !== undefined && paidAt > Date.now() + 60_000) throw saleError('PAID_AHEAD', {}, { field: 'body.paidAt' });
  return run(deps, principal, row, recordPayment, { amount: body.amount, ...(paidAt !== undefined ? { paidAt } : {}) });
}

export async function mortgage(deps: ApiDeps, principal: Principal, id: string, body: z.output<typeof MortgageBody>) {
  const { row } = await loadSaleFor(deps, principal, id, 'work');
  return run(deps, principal, row, recordMortgageEvent, { event: body.event, ...(body.bank ? { bank: body.bank } : {}), ...(body.amount ? { amount: body.amount } : {}) });
}

export async function switchPaymentMethod(deps: ApiDeps, principal: Principal, id: string, body: z.output<typeof PaymentMethodBody>) {
  const { row } = await loadSaleFor(deps, principal, id, 'work');
  return run(deps, principal, row, changePaymentMethod, { paymentMethod: body.paymentMethod });
}

/** Defects become repair cases: their categories must be of the organisation's taxonomy. */
async function assertDefectCategories(deps: ApiDeps, groupId: string, defects: SaleDefect[], path: string) {
  if (!defects.length) return;
  const categories = await findCategoriesByGroup(deps.db, groupId);
  defects.forEach((d, i) => {
    if (!isValidCategory({ code: d.category, categories })) throw caseError('UNKNOWN_CATEGORY', { category: d.category }, { field: `${path}.${i}.category` });
  });
}

export async function inspect(deps: ApiDeps, principal: Principal, id: string, body: z.output<typeof InspectionBody>) {
  const { row } = await loadSaleFor(deps, principal, id, 'work');
  await assertDefectCategories(deps, row.groupId, body.defects, 'body.defects');
  return run(deps, principal, row, recordInspection, { defects: body.defects });
}

export async function handOver(deps: ApiDeps, principal: Principal, id: string, body: z.output<typeof HandoverBody>) {
  const { row } = await loadSaleFor(deps, principal, id, 'work');
  await assertDefectCategories(deps, row.groupId, body.defects ?? [], 'body.defects');
  return run(deps, principal, row, recordHandover, { keysIssued: body.keysIssued, measuredArea: body.measuredArea, ...(body.defects ? { defects: body.defects } : {}) });
}

async function request(deps: ApiDeps, principal: Principal, row: Sale, args: Parameters<typeof executeSaleUpdate<ActionBase & Record<string, unknown>, unknown>>[3]) {
  await executeSaleUpdate(deps.temporal, row.workflowId, requestApproval, args as never);
  const { live } = await loadSaleFor(deps, principal, row.id, 'read');
  return toSaleJson(deps, principal, row, live);
}

export async function requestCancel(deps: ApiDeps, principal: Principal, id: string, body: z.output<typeof CancelBody>) {
  const { row } = await loadSaleFor(deps, principal, id, 'work');
  return request(deps, principal, row, { actor: principal.id, kind: 'cancel', reason: body.reason });
}

export async function requestRename(deps: ApiDeps, principal: Principal, id: string, body: z.output<typeof RenameBody>) {
  const { row } = await loadSaleFor(deps, principal, id, 'work');
  return request(deps, principal, row, { actor: principal.id, kind: 'rename', reason: body.reason, buyerName: body.buyerName });
}

/**
 * A unit change holds the new unit from the request on (so no one else takes it while the sales
 * manager decides); the projection gives it back when the request is rejected, and the old unit
 * when it is approved. A refused request gives it back at once.
 */
export async function requestUnitChange(deps: ApiDeps, principal: Principal, id: string, body: z.output<typeof ChangeUnitBody>) {
  const { row, live } = await loadSaleFor(deps, principal, id, 'work');
  const currentUnitId = live?.unitId ?? row.unitId;
  if (body.unitId === currentUnitId) throw saleError('SAME_UNIT', {}, { field: 'body.unitId' });
  const unit = await deps.db.unit.findUnique({ where: { id: body.unitId }, select: { projectId: true, area: true } });
  if (!unit || unit.projectId !== row.projectId) throw saleError('UNIT_NOT_IN_SALE_PROJECT', {}, { field: 'body.unitId' });
  await deps.db.$transaction((tx) => reserveUnit(tx, { unitId: body.unitId, saleId: row.id }));
  try {
    return await request(deps, principal, row, { actor: principal.id, kind: 'change_unit', reason: body.reason, unitId: body.unitId, contractArea: unit.area.toFixed(2) });
  } catch (err) {
    await releaseUnit(deps.db, { unitId: body.unitId, saleId: row.id }).catch(() => undefined);
    throw err;
  }
}

export async function decide(deps: ApiDeps, principal: Principal, id: string, approvalId: string, body: z.output<typeof DecideApprovalBody>) {
  const { row } = await loadSaleFor(deps, principal, id, 'approve');
  return run(deps, principal, row, decideApproval, { approvalId, decision: body.decision, ...(body.note ? { note: body.note } : {}) });
}
