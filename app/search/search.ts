import { hasPermission, type Principal } from '../../domain/access.js';
import { buildingNameVariants, readSearchQuery, type SearchQuery } from '../../domain/search/search-query.js';
import type { Db } from '../../platform/db.js';
import { findCasesInScope } from '../cases/repository.js';
import { findCustomerNamesByIds, findCustomersOfGroup } from '../customers/repository.js';
import { findVisibleLeads } from '../leads/repository.js';
import { findProjectNamesByIds, findUnitsInScopeMatching } from '../org/repository.js';
import { findVisibleSales } from '../sales/repository.js';

/**
 * The one search box: what the text can mean (domain/search/search-query.ts) looked up in each
 * kind of record the principal reads, through that kind's own scope rules (the `where` of its
 * list: the group's customers, caseScopeWhere, leadVisibilityWhere, saleVisibilityWhere, the
 * projects in scope for units). A few of each kind and how many there are: it answers as the
 * agent types. A kind is null when the role does not read it; empty when the text cannot mean it.
 */

type Page = { skip: number; take: number };
const none = <T>() => ({ rows: [] as T[], total: 0 });

/** Record numbers of a kind matched by the text, if it is read as one of that kind's numbers. */
const numberFor = (q: SearchQuery, prefix: 'CS' | 'LD' | 'SL') =>
  q.recordNumber && (q.recordNumber.prefix === null || q.recordNumber.prefix === prefix) ? { number: q.recordNumber.fragment, customerIds: [] } : null;

async function customersMatching(db: Db, principal: Principal, q: SearchQuery, page: Page) {
  if (!hasPermission(principal.role, 'customers:read')) return null;
  return q.name || q.phoneDigits ? findCustomersOfGroup(db, principal.groupId, q.text, page) : none<Awaited<ReturnType<typeof findCustomersOfGroup>>['rows'][number]>();
}

async function casesMatching(db: Db, principal: Principal, q: SearchQuery, page: Page) {
  if (!hasPermission(principal.role, 'cases:read')) return null;
  const search = numberFor(q, 'CS');
  return search ? findCasesInScope(db, principal, { search, sort: 'opened_desc' }, page) : none<Awaited<ReturnType<typeof findCasesInScope>>['rows'][number]>();
}

async function leadsMatching(db: Db, principal: Principal, q: SearchQuery, page: Page) {
  if (!hasPermission(principal.role, 'leads:read')) return null;
  const search = numberFor(q, 'LD');
  return search ? findVisibleLeads(db, principal, { search, sort: 'created_desc' }, page) : none<Awaited<ReturnType<typeof findVisibleLeads>>['rows'][number]>();
}

async function salesMatching(db: Db, principal: Principal, q: SearchQuery, page: Page) {
  if (!hasPermission(principal.role, 'sales:read')) return null;
  const search = numberFor(q, 'SL');
  return search ? findVisibleSales(db, principal, { search, sort: 'created_desc' }, page) : none<Awaited<ReturnType<typeof findVisibleSales>>['rows'][number]>();
}

async function unitsMatching(db: Db, principal: Principal, q: SearchQuery, page: Page) {
  if (!hasPermission(principal.role, 'units:read')) return null;
  if (!q.unit) return none<Awaited<ReturnType<typeof findUnitsInScopeMatching>>['rows'][number]>();
  return findUnitsInScopeMatching(db, principal, { buildingNames: q.unit.building ? buildingNameVariants(q.unit.building) : null, room: q.unit.room }, page);
}

/** Searches every kind of record the principal reads for `text`, at most `limit` of each, with the names the results show. */
export async function searchRecords(db: Db, principal: Principal, text: string, limit: number) {
  const q = readSearchQuery(text);
  const page = { skip: 0, take: limit };
  const [customers, cases, leads, sales, units] = await Promise.all([
    customersMatching(db, principal, q, page),
    casesMatching(db, principal, q, page),
    leadsMatching(db, principal, q, page),
    salesMatching(db, principal, q, page),
    unitsMatching(db, principal, q, page),
  ]);
  const customerIds = [...(cases?.rows ?? []), ...(leads?.rows ?? []), ...(sales?.rows ?? [])].map((r) => r.customerId);
  for (const u of units?.rows ?? []) if (u.ownerCustomerId) customerIds.push(u.ownerCustomerId);
  const projectIds = [...(cases?.rows ?? []), ...(leads?.rows ?? []), ...(sales?.rows ?? [])].map((r) => r.projectId);
  const [customerNames, projectNames] = await Promise.all([findCustomerNamesByIds(db, customerIds, principal.groupId), findProjectNamesByIds(db, projectIds, principal.groupId)]);
  return { query: q, customers, cases, leads, sales, units, customerNames, projectNames };
}
