import { hasPermission, type Principal } from '../../domain/access.js';
import { CASE_STATUSES } from '../../domain/cases/types.js';
import { CONTACT_EVENTS, contactChannelOf, type ContactEvent } from '../../domain/customers/contacts.js';
import { SALE_STAGES } from '../../domain/sales/types.js';
import type { Db } from '../../platform/db.js';
import type { Customer } from '../../prisma/generated/client.js';
import { findLatestAuditEventsOfStreams } from '../audit/repository.js';
import { findCasesInScope, findNamesForCases } from '../cases/repository.js';
import { findLeadRecords, findVisibleLeads } from '../leads/repository.js';
import { findUnitsOfCustomerInScope, type UnitWithNames } from '../org/repository.js';
import { findNamesForSales, findVisibleSales } from '../sales/repository.js';
import { findUserNamesByIds } from '../users/repository.js';
import { findCustomerOfGroupByPhone, findCustomerOfGroupOrThrow } from './repository.js';

/**
 * A customer's records as the principal may see them: their cases, leads, sales and units, and
 * the last contacts with them. Each kind is read through its own module's scope rules (the same
 * `where` as its list: caseScopeWhere, leadVisibilityWhere, saleVisibilityWhere, the projects in
 * scope for units), and is null when the principal's role does not read that kind at all.
 */

/** Cases not yet closed: a new call about them is attached to them rather than opening another. */
export const OPEN_CASE_STATUSES = CASE_STATUSES.filter((s) => s !== 'closed');
/** Sales that hold their unit: every stage but a lapse or a cancellation (a handed-over unit is the owner's besides). */
const UNIT_HOLDING_SALE_STAGES = SALE_STAGES.filter((s) => s !== 'lapsed' && s !== 'cancelled');

/** Units shown on a customer's page at most (an investor's dozens of flats are not a screen-pop's business). */
export const CUSTOMER_UNITS_LIMIT = 100;
/** The streams the last contacts are read from: each kind's latest records, at most. */
const CONTACT_STREAMS_PER_KIND = 20;

type Page = { skip: number; take: number };

async function casesOf(db: Db, principal: Principal, customerId: string, o: { open: boolean }, page: Page) {
  if (!hasPermission(principal.role, 'cases:read')) return null;
  const { rows, total } = await findCasesInScope(db, principal, o.open ? { customerId, status: [...OPEN_CASE_STATUSES], sort: 'due' } : { customerId, sort: 'opened_desc' }, page);
  return { rows, total, names: await findNamesForCases(db, principal.groupId, rows) };
}

async function leadsOf(db: Db, principal: Principal, customerId: string, page: Page) {
  if (!hasPermission(principal.role, 'leads:read')) return null;
  const { rows, total } = await findVisibleLeads(db, principal, { customerId, sort: 'created_desc' }, page);
  return { records: await findLeadRecords(db, rows), total };
}

async function salesOf(db: Db, principal: Principal, customerId: string, page: Page) {
  if (!hasPermission(principal.role, 'sales:read')) return null;
  const { rows, total } = await findVisibleSales(db, principal, { customerId, sort: 'created_desc' }, page);
  return { rows, total, names: await findNamesForSales(db, principal.groupId, rows, new Map()) };
}

export type CustomerUnitRelation = 'owner' | 'buyer';

/**
 * The units in the principal's scope the customer owns (业主, registered at handover), and those
 * their live sales hold (sales the principal may read): what a caller means by "my flat".
 */
async function unitsOf(db: Db, principal: Principal, customerId: string): Promise<{ unit: UnitWithNames; relation: CustomerUnitRelation; saleId: string | null }[]> {
  const sales = hasPermission(principal.role, 'sales:read')
    ? (await findVisibleSales(db, principal, { customerId, stage: [...UNIT_HOLDING_SALE_STAGES], sort: 'created_desc' }, { skip: 0, take: CUSTOMER_UNITS_LIMIT })).rows
    : [];
  const saleOfUnit = new Map(sales.map((s) => [s.unitId, s.id] as const));
  const units = await findUnitsOfCustomerInScope(db, principal, customerId, [...saleOfUnit.keys()], CUSTOMER_UNITS_LIMIT);
  return units.map((unit) => ({ unit, relation: unit.ownerCustomerId === customerId ? 'owner' : 'buyer', saleId: saleOfUnit.get(unit.id) ?? null }));
}

/** The customer's records the principal may see, each kind newest first, at most `limit` of each, with totals. */
export async function getCustomerRecords(db: Db, principal: Principal, customerId: string, o: { limit: number }) {
  const customer = await findCustomerOfGroupOrThrow(db, principal.groupId, customerId);
  const page = { skip: 0, take: o.limit };
  const [cases, leads, sales, units] = await Promise.all([
    casesOf(db, principal, customer.id, { open: false }, page),
    leadsOf(db, principal, customer.id, page),
    salesOf(db, principal, customer.id, page),
    unitsOf(db, principal, customer.id),
  ]);
  return { customer, cases, leads, sales, units };
}

export interface CustomerContact {
  at: Date;
  kind: 'case' | 'lead' | 'sale';
  recordId: string;
  recordNumber: string;
  event: ContactEvent;
  channel: string | null;
  actorId: string;
  actorName: string | null;
}

/** The latest contacts with the customer through the records the principal may see, newest first. */
async function lastContactsWith(db: Db, principal: Principal, customer: Customer, take: number): Promise<CustomerContact[]> {
  const page = { skip: 0, take: CONTACT_STREAMS_PER_KIND };
  const [cases, leads, sales] = await Promise.all([
    hasPermission(principal.role, 'cases:read') ? findCasesInScope(db, principal, { customerId: customer.id, sort: 'opened_desc' }, page) : null,
    hasPermission(principal.role, 'leads:read') ? findVisibleLeads(db, principal, { customerId: customer.id, sort: 'created_desc' }, page) : null,
    hasPermission(principal.role, 'sales:read') ? findVisibleSales(db, principal, { customerId: customer.id, sort: 'created_desc' }, page) : null,
  ]);
  const records = new Map<string, { kind: CustomerContact['kind']; id: string; number: string }>();
  for (const r of cases?.rows ?? []) records.set(r.workflowId, { kind: 'case', id: r.id, number: r.number });
  for (const r of leads?.rows ?? []) records.set(r.workflowId, { kind: 'lead', id: r.id, number: r.number });
  for (const r of sales?.rows ?? []) records.set(r.workflowId, { kind: 'sale', id: r.id, number: r.number });
  const events = await findLatestAuditEventsOfStreams(db, [...records.keys()], CONTACT_EVENTS, take);
  const actors = await findUserNamesByIds(db, events.map((e) => e.actor), principal.groupId);
  return events.map((e) => {
    const record = records.get(e.streamId)!;
    const event = e.type as ContactEvent;
    return {
      at: e.at,
      kind: record.kind,
      recordId: record.id,
      recordNumber: record.number,
      event,
      channel: contactChannelOf(event, e.data),
      actorId: e.actor,
      actorName: actors.get(e.actor) ?? null,
    };
  });
}

/**
 * The screen-pop for a caller's number (its canonical form): the customer with that number, their
 * open cases (what breaches first on top), their units and the last contacts with them; a null
 * customer when the number is unknown (a new caller is nothing exceptional).
 */
export async function lookUpCaller(db: Db, principal: Principal, phone: string, o: { casesLimit: number; contactsLimit: number }) {
  const customer = await findCustomerOfGroupByPhone(db, principal.groupId, phone);
  if (!customer) {
    const none = { rows: [], total: 0, names: { project: new Map<string, string>(), user: new Map<string, string>(), unit: new Map<string, string>() } };
    return { customer: null, openCases: hasPermission(principal.role, 'cases:read') ? none : null, units: [], contacts: [] };
  }
  const [openCases, units, contacts] = await Promise.all([
    casesOf(db, principal, customer.id, { open: true }, { skip: 0, take: o.casesLimit }),
    unitsOf(db, principal, customer.id),
    lastContactsWith(db, principal, customer, o.contactsLimit),
  ]);
  return { customer, openCases, units, contacts };
}
