import { initialSaleState, reduceSale } from '../../domain/sales/sale-process.js';
import crypto from 'node:crypto';
import { DateTime } from 'luxon';
import { hasPermission, type Principal } from '../../domain/access.js';
import type { PaymentMethod } from '../../domain/sales/types.js';
import type { Lead, Sale } from '../../prisma/generated/client.js';
import { convertLead, type LeadState } from '../../workflows/leads/lead-follow-up.defs.js';
import { saleWorkflowId, type SaleLifecycleInput, type SaleState } from '../../workflows/sales/sale-lifecycle.defs.js';
import { findCustomerOfGroup } from '../customers/repository.js';
import { assertMayOwnLead } from '../leads/owners.js';
import { findLeadById, findLeadRecord, type LeadRecord } from '../leads/repository.js';
import { loadLeadFor } from '../leads/work-lead.js';
import { leadWorkflow } from '../leads/workflow.js';
import { findProjectInScopeOrThrow, findProjectTimeZonesByIds, findUnitById } from '../org/repository.js';
import type { AppDeps } from '../shared/deps.js';
import { DomainError } from '../errors.js';
import { customerError } from '../customers/errors.js';
import { leadError } from '../leads/errors.js';
import { orgError } from '../org/errors.js';
import { saleError } from './errors.js';
import { createSaleWithNextNumber, deleteSale, findSaleById, findSaleRecord, releaseUnit, saleNumberPrefix, type SaleRecord } from './repository.js';
import { findSalesPolicyByGroup } from './settings.js';
import { saleWorkflow } from './workflow.js';
import { recordIdForRequest } from '../shared/request-identity.js';
import { isLeadEnded } from '../../domain/leads/lead-process.js';
import type { SalesPolicy } from '../../domain/sales/policy.js';


/** The project's delivery date (a calendar date) as the instant it begins in the project's time zone. */
export function deliveryInstant(date: Date, timeZone: string): number {
  return DateTime.fromISO(date.toISOString().slice(0, 10), { zone: timeZone }).startOf('day').toMillis();
}

/** What a sale is opened with (the API's CreateSaleBody, once validated). Amounts are decimal strings ("1280000.00"). */
export interface OpenSaleInput {
  customerId: string;
  unitId: string;
  price: string;
  deposit: string;
  paymentMethod: PaymentMethod;
  leadId?: string | undefined;
  ownerId?: string | undefined;
}

/**
 * Opens a sale (认购): validates it against the organisation (unit of a project in scope, buyer of
 * the group, the lead being converted, the salesperson responsible), stores the row and reserves
 * the unit in one transaction (409 when another live sale holds it), converts the lead if one is
 * named, then starts the workflow that owns the sale's deadlines with the organisation's sales
 * policy. Whatever fails before the workflow runs gives the unit back and removes the row, so a
 * sale never exists without its process, nor a reserved unit without its sale.
 *
 * With `requestKey` (the request's Idempotency-Key) the sale's id is the request's
 * (recordIdForRequest): run again after the process that ran it first died, it finds that sale and
 * finishes what was left (finishOpenedSale) instead of opening a second one.
 */
export async function openSale(
  deps: AppDeps,
  principal: Principal,
  body: OpenSaleInput,
  o: { requestKey?: string | null } = {},
): Promise<OpenedSale> {
  const { db, temporal } = deps;
  const requestId = o.requestKey ? recordIdForRequest('sale', o.requestKey) : null;
  if (requestId) {
    const earlier = await findSaleById(db, requestId);
    if (earlier) return resumeSale(deps, earlier);
  }
  const unit = await findUnitById(db, body.unitId);
  if (!unit) throw orgError('UNIT_NOT_FOUND');
  const project = await findProjectInScopeOrThrow(db, principal, unit.projectId).catch((err) => {
    // Another organisation's unit is not found; one of a project outside the caller's scope is 403.
    if (err instanceof DomainError && err.code === 'NOT_FOUND') throw orgError('UNIT_NOT_FOUND');
    throw err;
  });
  const place = { groupId: project.groupId, companyId: project.companyId, projectId: project.id };
  const customer = await findCustomerOfGroup(db, principal.groupId, body.customerId);
  if (!customer) throw customerError('CUSTOMER_NOT_FOUND');
  if (!project.deliveryDate) throw saleError('NO_DELIVERY_DATE', {}, { field: 'body.unitId' });

  // The lead being converted: the caller must be allowed to work it, and it must be of this project and buyer.
  let lead: Lead | null = null;
  if (body.leadId) {
    const loaded = await loadLeadFor(deps, principal, body.leadId, 'work');
    lead = loaded.row;
    const status = loaded.ref.status;
    if (status === 'converted' || status === 'closed') throw leadError('LEAD_ENDED_AS', { number: lead.number, status });
    if (lead.projectId !== project.id) throw saleError('UNIT_NOT_IN_LEAD_PROJECT', {}, { field: 'body.unitId' });
    if (lead.customerId !== customer.id) throw saleError('BUYER_NOT_LEAD_CUSTOMER', {}, { field: 'body.customerId' });
  }

  // The salesperson responsible: named by a sales manager, else the lead's owner, else the caller.
  const ownerId = body.ownerId ?? lead?.ownerId ?? principal.id;
  if (body.ownerId && body.ownerId !== principal.id && !hasPermission(principal.role, 'sales:approve')) {
    throw saleError('SALE_OWNER_NAMED_BY_MANAGER', {}, { field: 'body.ownerId' });
  }
  await assertMayOwnLead(db, { ...place, ownerId, path: body.ownerId ? 'body.ownerId' : 'ownerId' });

  const policy = await findSalesPolicyByGroup(db, principal.groupId);
  const now = Date.now();
  const id = requestId ?? crypto.randomUUID();
  const workflowId = saleWorkflowId(id);
  const deliveryDate = deliveryInstant(project.deliveryDate, project.timeZone);
  const race = { row: null as Sale | null };
  const row = await createSaleWithNextNumber(db, {
    prefix: saleNumberPrefix(now, project.timeZone),
    data: {
      id,
      workflowId,
      ...place,
      unitId: unit.id,
      customerId: customer.id,
      ownerId,
      leadId: lead?.id ?? null,
      referrerCustomerId: lead?.referrerCustomerId ?? null,
      stage: 'subscribed',
      paymentMethod: body.paymentMethod,
      price: body.price,
      deposit: body.deposit,
      paidTotal: body.deposit,
      contractArea: unit.area,
      deadlines: [],
      payments: [],
      approvals: [],
      deliveryDate: new Date(deliveryDate),
      // Provisional (the column is required): the workflow's first projection writes its own.
      inspectionAt: new Date(deliveryDate),
      createdById: principal.id,
      createdAt: new Date(now),
      lastEventSeq: 0,
    },
  }).catch(async (err: unknown) => {
    // Another run of the same request stored it first (its unit is then taken by that run's sale).
    race.row = requestId ? await findSaleById(db, requestId) : null;
    if (!race.row) throw err;
    return race.row;
  });
  if (race.row) return resumeSale(deps, race.row);
  const undo = async (why: string, err: unknown) => {
    await deleteSale(db, row.id).catch(() => undefined);
    await releaseUnit(db, { unitId: unit.id, saleId: row.id }).catch(() => undefined);
    deps.logger.warn({ saleId: row.id, err: { name: (err as Error)?.name, message: (err as Error)?.message } }, why);
  };

  let leadState: LeadState | null = null;
  if (lead) {
    try {
      leadState = await leadWorkflow.executeUpdate(temporal, lead.workflowId, convertLead, { actor: principal.id, unitId: unit.id, price: body.price, deposit: body.deposit }, conversionUpdateOf(row));
    } catch (err) {
      await undo('lead conversion refused or unavailable; sale withdrawn', err);
      throw err;
    }
  }

  const input = saleWorkflowInputOf(row, { timeZone: project.timeZone, policy });
  await saleWorkflow.startOrUndo(temporal, input, workflowId, async (err) => {
    await undo('sale workflow did not start', err);
    if (lead) deps.logger.error({ saleId: row.id, leadId: lead.id }, 'lead converted but its sale could not start: open the sale again from the lead’s customer and unit');
  });
  // The answer does not wait for the worker: the workflow's first task computes this same state
  // from this same input (createdAt included) with the same pure reducer.
  const state = firstSaleState(input);
  return { row, state, lead: lead && leadState ? { row: lead, state: leadState } : null };
}

type OpenedSale = { row: Sale; state: SaleState | null; lead: { row: Lead; state: LeadState } | null };

/** The Update that converts a sale's lead: under an id of the sale's, so a second run of the opening gets the first one's outcome. */
const conversionUpdateOf = (sale: Pick<Sale, 'id'>) => ({ updateId: `sale:${sale.id}:convertLead` });

/** The sale's first state (subscribed, deadlines from createdAt), as the workflow's first task computes it from the same input. */
function firstSaleState(input: SaleLifecycleInput & { createdAt: number }): SaleState {
  const at = input.createdAt;
  return reduceSale(initialSaleState(input, at, { anchorProgress: true }), { type: 'subscribe', actor: input.createdBy, at }, at).state;
}

/** A sale an earlier run of the same request stored: finished (finishOpenedSale) and answered as the first run answered it. */
async function resumeSale(deps: AppDeps, row: Sale): Promise<OpenedSale> {
  const { input, lead } = await finishOpenedSale(deps, row);
  return { row, state: firstSaleState(input), lead };
}

/**
 * Finishes the opening of a stored sale whose request's process died before it was done (a retry
 * of the request, or the sweep of abandoned openings): converts its lead unless that is done (the
 * same Update id as the first run's), then starts its workflow with the row's own input unless
 * Temporal knows it. A lead that a workflow refuses to convert (ended otherwise meanwhile) withdraws
 * the sale as the first run would have: the row removed, the unit given back. A workflow that does
 * not answer leaves the sale as it is for the next attempt (503).
 */
export async function finishOpenedSale(deps: AppDeps, row: Sale): Promise<{ input: SaleLifecycleInput & { createdAt: number }; lead: { row: Lead; state: LeadState } | null; started: boolean }> {
  const { db, temporal } = deps;
  const [zones, policy] = await Promise.all([findProjectTimeZonesByIds(db, [row.projectId]), findSalesPolicyByGroup(db, row.groupId)]);
  const input = saleWorkflowInputOf(row, { timeZone: zones.get(row.projectId)!, policy });
  const withdraw = async (err: unknown) => {
    await deleteSale(db, row.id).catch(() => undefined);
    await releaseUnit(db, { unitId: row.unitId, saleId: row.id }).catch(() => undefined);
    deps.logger.warn({ saleId: row.id, err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'lead conversion refused on finishing an opening; sale withdrawn');
    throw err;
  };
  let lead: { row: Lead; state: LeadState } | null = null;
  if (row.leadId) {
    const leadRow = await findLeadById(db, row.leadId);
    if (!leadRow) return withdraw(leadError('LEAD_NOT_FOUND'));
    const live = await leadWorkflow.liveState(temporal, leadRow.workflowId, { action: true });
    if (live?.status === 'converted' && live.conversion?.unitId === row.unitId) lead = { row: leadRow, state: live };
    else if (!live || isLeadEnded(live)) return withdraw(leadError('LEAD_ENDED_AS', { number: leadRow.number, status: live?.status ?? 'closed' }));
    else {
      try {
        const state = await leadWorkflow.executeUpdate(temporal, leadRow.workflowId, convertLead, { actor: row.createdById, unitId: row.unitId, price: input.price, deposit: input.deposit }, conversionUpdateOf(row));
        lead = { row: leadRow, state };
      } catch (err) {
        if (err instanceof DomainError && err.status === 409) return withdraw(err);
        throw err;
      }
    }
  }
  const started = (await saleWorkflow.ensureStarted(temporal, input, row.workflowId)) === 'started';
  return { input, lead, started };
}

/** The workflow input of a stored sale row: the same for its first start and any later one. */
export function saleWorkflowInputOf(row: Sale, o: { timeZone: string; policy: SalesPolicy }): SaleLifecycleInput & { createdAt: number } {
  return {
    saleId: row.id,
    saleNumber: row.number,
    groupId: row.groupId,
    companyId: row.companyId,
    projectId: row.projectId,
    timeZone: o.timeZone,
    unitId: row.unitId,
    customerId: row.customerId,
    ownerId: row.ownerId,
    leadId: row.leadId,
    referrerCustomerId: row.referrerCustomerId,
    price: row.price.toFixed(2),
    deposit: row.deposit.toFixed(2),
    paymentMethod: row.paymentMethod as PaymentMethod,
    contractArea: row.contractArea.toFixed(2),
    deliveryDate: row.deliveryDate.getTime(),
    policy: o.policy,
    createdBy: row.createdById,
    createdAt: row.createdAt.getTime(),
  };
}

/** Opens a sale (openSale) and answers with it as its page shows it. */
export async function createSale(deps: AppDeps, principal: Principal, body: OpenSaleInput, o: { requestKey?: string | null } = {}): Promise<SaleRecord> {
  const { row, state } = await openSale(deps, principal, body, o);
  return findSaleRecord(deps.db, principal, row, state);
}

/**
 * Lead conversion (成交): opens the sale of the lead's customer for a unit of its project, which
 * ends the lead's cadence as converted. The answer is the lead, with the new sale's id.
 *
 * With `requestKey` the sale's id is the request's, as for POST /api/sales: run again after the
 * process that ran it first died, it finds that sale (its lead then converted by the first run, or
 * not yet) and finishes the opening instead of refusing the lead as ended or opening a second sale.
 */
export async function convertLeadToSale(
  deps: AppDeps,
  principal: Principal,
  leadId: string,
  body: { unitId: string; price: string; deposit: string; paymentMethod: PaymentMethod },
  requestKey?: string | null,
): Promise<LeadRecord> {
  const { row: leadRow, ref } = await loadLeadFor(deps, principal, leadId, 'work');
  const earlier = requestKey ? await findSaleById(deps.db, recordIdForRequest('sale', requestKey)) : null;
  if (!earlier && (ref.status === 'converted' || ref.status === 'closed')) throw leadError('LEAD_ENDED_AS', { number: leadRow.number, status: ref.status });
  const unit = await findUnitById(deps.db, body.unitId);
  if (!unit || unit.projectId !== leadRow.projectId) throw saleError('UNIT_NOT_IN_LEAD_PROJECT', {}, { field: 'body.unitId' });
  const { lead } = await openSale(deps, principal, {
    customerId: leadRow.customerId,
    unitId: body.unitId,
    price: body.price,
    deposit: body.deposit,
    paymentMethod: body.paymentMethod,
    leadId,
  }, { requestKey });
  return findLeadRecord(deps.db, lead!.row, lead!.state);
}
