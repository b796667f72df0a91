import type { Principal } from '../../domain/access.js';
import type { CustomerContact as ContactRecord, CustomerUnitRelation, getCustomerRecords, lookUpCaller } from '../../app/customers/customer-records.js';
import type { UnitWithNames } from '../../app/org/repository.js';
import type { Customer } from '../../prisma/generated/client.js';
import type { Names } from '../../app/shared/names.js';
import { toCaseListItem, type CaseRow } from '../cases/case-view.js';
import { toLeadViewOf } from '../leads/lead-view.js';
import { saleNamesFor, toSaleSummary } from '../sales/sale-view.js';
import { phoneFor, toCustomerView } from './customer-view.js';
import type { CustomerContact, CustomerLookup, CustomerRecords, CustomerUnit } from './records-schemas.js';

export function toCustomerUnit(u: { unit: UnitWithNames; relation: CustomerUnitRelation; saleId: string | null }): CustomerUnit {
  return {
    id: u.unit.id,
    label: `${u.unit.building.name} ${u.unit.number}`,
    buildingName: u.unit.building.name,
    number: u.unit.number,
    floor: u.unit.floor,
    projectId: u.unit.projectId,
    projectName: u.unit.project.name,
    status: u.unit.status,
    relation: u.relation,
    saleId: u.saleId,
  };
}

export function toCustomerContact(c: ContactRecord): CustomerContact {
  return {
    at: c.at.toISOString(),
    kind: c.kind,
    recordId: c.recordId,
    recordNumber: c.recordNumber,
    event: c.event,
    channel: c.channel,
    actor: { id: c.actorId, name: c.actorName },
  };
}

/** A customer's cases as the list items show them (the customer is the same on each). */
function caseItems(principal: Principal, customer: Customer, cases: { rows: CaseRow[]; total: number; names: Names } | null) {
  if (!cases) return null;
  const now = Date.now();
  return { items: cases.rows.map((r) => toCaseListItem(principal, r, { now, names: cases.names, customer })), total: cases.total };
}

export function toCustomerRecords(principal: Principal, r: Awaited<ReturnType<typeof getCustomerRecords>>): CustomerRecords {
  return {
    customer: toCustomerView(principal, r.customer),
    cases: caseItems(principal, r.customer, r.cases),
    leads: r.leads ? { items: r.leads.records.map((l) => toLeadViewOf(principal, l)), total: r.leads.total } : null,
    sales: r.sales
      ? (() => {
          const names = saleNamesFor(principal, r.sales.names);
          return { items: r.sales.rows.map((s) => toSaleSummary(s, null, names)), total: r.sales.total };
        })()
      : null,
    units: r.units.map(toCustomerUnit),
  };
}

export function toCustomerLookup(principal: Principal, phone: string, r: Awaited<ReturnType<typeof lookUpCaller>>): CustomerLookup {
  return {
    phone: phoneFor(principal, phone),
    customer: r.customer ? toCustomerView(principal, r.customer) : null,
    openCases: r.customer ? caseItems(principal, r.customer, r.openCases) : r.openCases ? { items: [], total: 0 } : null,
    units: r.units.map(toCustomerUnit),
    lastContacts: r.contacts.map(toCustomerContact),
  };
}
