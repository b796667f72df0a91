import type { Principal } from '../../domain/access.js';
import type { searchRecords } from '../../app/search/search.js';
import { phoneFor } from '../customers/customer-view.js';
import type { SearchHit, SearchResult } from './schemas.js';

type Found = Awaited<ReturnType<typeof searchRecords>>;
type Group = NonNullable<SearchResult['customers']>;

const group = <T>(found: { rows: T[]; total: number } | null, hit: (row: T) => SearchHit): Group | null =>
  found ? { items: found.rows.map(hit), total: found.total, more: found.total > found.rows.length } : null;

/** The search's answer as `principal` may see it: phones masked unless the role calls customers back. */
export function toSearchResult(principal: Principal, f: Found): SearchResult {
  const customerName = (id: string | null) => (id ? (f.customerNames.get(id) ?? null) : null);
  const projectName = (id: string) => f.projectNames.get(id) ?? null;
  return {
    q: f.query.text,
    customers: group(f.customers, (c) => ({
      kind: 'customer',
      id: c.id,
      label: c.name,
      secondary: phoneFor(principal, c.phone),
      status: null,
      matched: f.query.phoneDigits && c.phoneDigits.includes(f.query.phoneDigits) ? 'phone' : 'name',
      projectId: null,
      projectName: null,
      customerId: c.id,
      at: c.createdAt.toISOString(),
    })),
    cases: group(f.cases, (r) => ({
      kind: 'case',
      id: r.id,
      label: r.number,
      secondary: customerName(r.customerId),
      status: r.status,
      matched: 'number',
      projectId: r.projectId,
      projectName: projectName(r.projectId),
      customerId: r.customerId,
      at: r.openedAt.toISOString(),
    })),
    leads: group(f.leads, (r) => ({
      kind: 'lead',
      id: r.id,
      label: r.number,
      secondary: customerName(r.customerId),
      status: r.status,
      matched: 'number',
      projectId: r.projectId,
      projectName: projectName(r.projectId),
      customerId: r.customerId,
      at: r.createdAt.toISOString(),
    })),
    sales: group(f.sales, (r) => ({
      kind: 'sale',
      id: r.id,
      label: r.number,
      secondary: r.buyerName ?? customerName(r.customerId),
      status: r.stage,
      matched: 'number',
      projectId: r.projectId,
      projectName: projectName(r.projectId),
      customerId: r.customerId,
      at: r.createdAt.toISOString(),
    })),
    units: group(f.units, (u) => ({
      kind: 'unit',
      id: u.id,
      label: `${u.building.name} ${u.number}`,
      secondary: customerName(u.ownerCustomerId),
      status: u.status,
      matched: 'unit',
      projectId: u.projectId,
      projectName: u.project.name,
      customerId: u.ownerCustomerId,
      at: null,
    })),
  };
}
