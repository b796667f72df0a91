import type { UpdateDefinition } from '@temporalio/common';
import { canApproveSale, canReadSale, canWorkSale, type Principal, type SaleRef } from '../../domain/access.js';
import { isCategoryOfType, isValidCategory } from '../../domain/cases/categories.js';
import { isFinalSaleStage, type MortgageEvent, type SaleStage } from '../../domain/sales/types.js';
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
import { findCategoriesByGroup } from '../cases/settings.js';
import { findUnitById } from '../org/repository.js';
import type { AppDeps } from '../shared/deps.js';
import { caseError } from '../cases/errors.js';
import { accessRules } from '../shared/access-rules.js';
import { updateIdForRequest } from '../shared/request-identity.js';
import type { DomainError } from '../errors.js';
import { saleError } from './errors.js';
import { findSaleOfGroupOrThrow, findSaleRecord, releaseUnit, reserveUnitForSale, type SaleRecord } from './repository.js';
import { saleWorkflow } from './workflow.js';

/** Which rule admits an actor: reading, working (the salesperson responsible or a sales manager) or approving (a sales manager). */
const assertSaleRule = accessRules(saleError, {
  read: { admits: canReadSale, denied: 'SALE_READ_DENIED' },
  work: { admits: canWorkSale, denied: 'SALE_WORK_DENIED' },
  approve: { admits: canApproveSale, denied: 'SALE_APPROVE_DENIED' },
});
export type SaleRule = Parameters<typeof assertSaleRule>[0];

/**
 * Loads a sale and checks the principal against it: 404 for another organisation's sale, 403
 * OUT_OF_SCOPE when the rule refuses (on the stored row: no action changes a sale's owner or
 * project, so the rules never need the workflow), 409 SALE_ENDED for an action on a sale the read
 * model already shows ended. Only then is the workflow asked for its live state; an action sends
 * nothing to a workflow that does not answer (503), a read falls back to the row.
 */
export async function loadSaleFor(deps: AppDeps, principal: Principal, id: string, rule: SaleRule, requestKey?: string | null) {
  const row = await findSaleOfGroupOrThrow(deps.db, principal, id);
  const ref: SaleRef = { groupId: row.groupId, companyId: row.companyId, projectId: row.projectId, ownerId: row.ownerId };
  assertSaleRule(rule, principal, ref);
  // A request with an Idempotency-Key may be the run again of the one that ended the sale (an
  // approved cancellation, its process dead before the answer was stored): its Update goes out
  // under the first run's id, which Temporal answers with the first outcome even once the workflow
  // has completed; anything else it answers (another request on an ended sale) is `endedAs`.
  const endedAs = rule !== 'read' && isFinalSaleStage(row.stage as SaleStage) ? saleError('SALE_ENDED_AS', { number: row.number, stage: row.stage }) : null;
  if (endedAs && !requestKey) throw endedAs;
  return { row, endedAs, live: await saleWorkflow.liveState(deps.temporal, row.workflowId, { action: rule !== 'read' }) };
}

/** One sale the principal may read, with its live state when the workflow answers (else the read model's row alone). */
export async function getSale(deps: AppDeps, principal: Principal, id: string): Promise<SaleRecord> {
  const { row, live } = await loadSaleFor(deps, principal, id, 'read');
  return findSaleRecord(deps.db, principal, row, live);
}

/**
 * Sends one action's Update and answers the sale as it then is. With the request's key
 * (`requestKey`, see updateIdForRequest) a run of the same request after its first process died
 * gets the first Update's outcome instead of a second payment or the action's own refusal.
 */
async function run<A extends object>(
  deps: AppDeps,
  principal: Principal,
  { row, endedAs }: { row: Sale; endedAs: DomainError | null },
  update: UpdateDefinition<SaleState, [ActionBase & A]>,
  args: A,
  requestKey: string | null | undefined,
): Promise<SaleRecord> {
  const state = await saleWorkflow
    .executeUpdate(deps.temporal, row.workflowId, update, { ...args, actor: principal.id } as ActionBase & A, updateIdForRequest(requestKey, update))
    .catch((err: unknown) => {
      throw endedAs ?? err;
    });
  return findSaleRecord(deps.db, principal, row, state);
}

const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

export async function sign(deps: AppDeps, principal: Principal, id: string, body: { contractNo: string; signedAt?: string | undefined }, requestKey?: string | null) {
  const { row, endedAs } = await loadSaleFor(deps, principal, id, 'work', requestKey);
  const signedAt = ms(body.signedAt);
  if (signedAt !== undefined && signedAt > Date.now() + 60_000) throw saleError('SIGNED_AHEAD', {}, { field: 'body.signedAt' });
  return run(deps, principal, { row, endedAs }, signContract, { contractNo: body.contractNo, ...(signedAt !== undefined ? { signedAt } : {}) }, requestKey);
}

export async function file(deps: AppDeps, principal: Principal, id: string, body: { filingNo: string }, requestKey?: string | null) {
  const { row, endedAs } = await loadSaleFor(deps, principal, id, 'work', requestKey);
  return run(deps, principal, { row, endedAs }, recordFiling, { filingNo: body.filingNo }, requestKey);
}

export async function pay(deps: AppDeps, principal: Principal, id: string, body: { amount: string; paidAt?: string | undefined }, requestKey?: string | null) {
  const { row, endedAs } = await loadSaleFor(deps, principal, id, 'work', requestKey);
  const paidAt = ms(body.paidAt);
  if (paidAt !== undefined && paidAt > Date.now() + 60_000) throw saleError('PAID_AHEAD', {}, { field: 'body.paidAt' });
  return run(deps, principal, { row, endedAs }, recordPayment, { amount: body.amount, ...(paidAt !== undefined ? { paidAt } : {}) }, requestKey);
}

export async function mortgage(
  deps: AppDeps,
  principal: Principal,
  id: string,
  body: { event: MortgageEvent; bank?: string | undefined; amount?: string | undefined },
  requestKey?: string | null,
) {
  const { row, endedAs } = await loadSaleFor(deps, principal, id, 'work', requestKey);
  return run(deps, principal, { row, endedAs }, recordMortgageEvent, { event: body.event, ...(body.bank ? { bank: body.bank } : {}), ...(body.amount ? { amount: body.amount } : {}) }, requestKey);
}

export async function switchPaymentMethod(deps: AppDeps, principal: Principal, id: string, body: { paymentMethod: 'full' }, requestKey?: string | null) {
  const { row, endedAs } = await loadSaleFor(deps, principal, id, 'work', requestKey);
  return run(deps, principal, { row, endedAs }, changePaymentMethod, { paymentMethod: body.paymentMethod }, requestKey);
}

/** Defects become repair cases: their categories must be of the organisation's taxonomy, in the repair tree. */
async function assertDefectCategories(deps: AppDeps, groupId: string, defects: SaleDefect[], path: string) {
  if (!defects.length) return;
  const categories = await findCategoriesByGroup(deps.db, groupId);
  defects.forEach((d, i) => {
    if (!isValidCategory({ code: d.category, categories })) throw caseError('UNKNOWN_CATEGORY', { category: d.category }, { field: `${path}.${i}.category` });
    if (!isCategoryOfType({ code: d.category, type: 'repair', categories }))
      throw caseError('CATEGORY_NOT_OF_TYPE', { category: d.category, type: 'repair' }, { field: `${path}.${i}.category` });
  });
}

export async function inspect(deps: AppDeps, principal: Principal, id: string, body: { defects: SaleDefect[] }, requestKey?: string | null) {
  const { row, endedAs } = await loadSaleFor(deps, principal, id, 'work', requestKey);
  await assertDefectCategories(deps, row.groupId, body.defects, 'body.defects');
  return run(deps, principal, { row, endedAs }, recordInspection, { defects: body.defects }, requestKey);
}

export async function handOver(
  deps: AppDeps,
  principal: Principal,
  id: string,
  body: { keysIssued: number; measuredArea: string; defects?: SaleDefect[] | undefined },
  requestKey?: string | null,
) {
  const { row, endedAs } = await loadSaleFor(deps, principal, id, 'work', requestKey);
  await assertDefectCategories(deps, row.groupId, body.defects ?? [], 'body.defects');
  return run(deps, principal, { row, endedAs }, recordHandover, { keysIssued: body.keysIssued, measuredArea: body.measuredArea, ...(body.defects ? { defects: body.defects } : {}) }, requestKey);
}

async function request(
  deps: AppDeps,
  principal: Principal,
  { row, endedAs }: { row: Sale; endedAs: DomainError | null },
  args: Parameters<typeof saleWorkflow.executeUpdate<ActionBase & Record<string, unknown>, unknown>>[3],
  requestKey: string | null | undefined,
) {
  await saleWorkflow.executeUpdate(deps.temporal, row.workflowId, requestApproval, args as never, updateIdForRequest(requestKey, requestApproval)).catch((err: unknown) => {
    throw endedAs ?? err;
  });
  const { live } = await loadSaleFor(deps, principal, row.id, 'read');
  return findSaleRecord(deps.db, principal, row, live);
}

export async function requestCancel(deps: AppDeps, principal: Principal, id: string, body: { reason: string }, requestKey?: string | null) {
  const { row, endedAs } = await loadSaleFor(deps, principal, id, 'work', requestKey);
  return request(deps, principal, { row, endedAs }, { actor: principal.id, kind: 'cancel', reason: body.reason }, requestKey);
}

export async function requestRename(deps: AppDeps, principal: Principal, id: string, body: { buyerName: string; reason: string }, requestKey?: string | null) {
  const { row, endedAs } = await loadSaleFor(deps, principal, id, 'work', requestKey);
  return request(deps, principal, { row, endedAs }, { actor: principal.id, kind: 'rename', reason: body.reason, buyerName: body.buyerName }, requestKey);
}

/**
 * A unit change holds the new unit from the request on (so no one else takes it while the sales
 * manager decides); the projection gives it back when the request is rejected, and the old unit
 * when it is approved. A refused request gives it back at once.
 */
export async function requestUnitChange(deps: AppDeps, principal: Principal, id: string, body: { unitId: string; reason: string }, requestKey?: string | null) {
  const { row, endedAs, live } = await loadSaleFor(deps, principal, id, 'work', requestKey);
  const currentUnitId = live?.unitId ?? row.unitId;
  if (body.unitId === currentUnitId) throw saleError('SAME_UNIT', {}, { field: 'body.unitId' });
  const unit = await findUnitById(deps.db, body.unitId);
  if (!unit || unit.projectId !== row.projectId) throw saleError('UNIT_NOT_IN_SALE_PROJECT', {}, { field: 'body.unitId' });
  await reserveUnitForSale(deps.db, { unitId: body.unitId, saleId: row.id });
  try {
    return await request(deps, principal, { row, endedAs }, { actor: principal.id, kind: 'change_unit', reason: body.reason, unitId: body.unitId, contractArea: unit.area.toFixed(2) }, requestKey);
  } catch (err) {
    await releaseUnit(deps.db, { unitId: body.unitId, saleId: row.id }).catch(() => undefined);
    throw err;
  }
}

export async function decide(deps: AppDeps, principal: Principal, id: string, approvalId: string, body: { decision: 'approve' | 'reject'; note?: string | undefined }, requestKey?: string | null) {
  const { row, endedAs } = await loadSaleFor(deps, principal, id, 'approve', requestKey);
  return run(deps, principal, { row, endedAs }, decideApproval, { approvalId, decision: body.decision, ...(body.note ? { note: body.note } : {}) }, requestKey);
}
