import type { WorkOrderState } from '../../domain/repairs/work-order-state.js';
import type { Db } from '../../platform/db.js';
import type { WorkOrder } from '../../prisma/generated/client.js';
import { findNames, type Names } from '../shared/names.js';
import { findContractorCompanyNames } from './repository.js';

/** The names work orders are shown with: people, projects, units, contractor companies, and their cases' numbers. */
export interface WorkOrderNames extends Names {
  company: ReadonlyMap<string, string>;
  caseNumber: ReadonlyMap<string, string>;
}

/** A work order as answers show it: its row, the live state when the workflow answered, the names. */
export interface WorkOrderRecord {
  row: WorkOrder;
  state: WorkOrderState | null;
  names: WorkOrderNames;
}

/** The names of a page of work orders (and the states that may name a newer assignee), one query per kind. */
export async function findWorkOrderNames(db: Db, groupId: string, rows: readonly WorkOrder[], states: readonly (WorkOrderState | null)[] = []): Promise<WorkOrderNames> {
  const assignees = states.flatMap((s) => (s?.assignee ? [s.assignee] : []));
  const userIds = [...rows.flatMap((r) => [r.technicianId, r.createdById]), ...assignees.flatMap((a) => (a.kind === 'technician' ? [a.userId] : []))];
  const companyIds = [...rows.flatMap((r) => [r.contractorCompanyId, r.responsibleContractorId, r.chargeBackContractorId]), ...assignees.flatMap((a) => (a.kind === 'contractor' ? [a.companyId] : []))];
  const [names, companies, cases] = await Promise.all([
    findNames(db, groupId, { userIds, projectIds: rows.map((r) => r.projectId), unitIds: rows.map((r) => r.unitId) }),
    findContractorCompanyNames(db, groupId, [...new Set(companyIds.filter((id): id is string => !!id))]),
    db.case.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.caseId))] }, groupId }, select: { id: true, number: true } }),
  ]);
  return { ...names, company: new Map(companies.map((c) => [c.id, c.name])), caseNumber: new Map(cases.map((c) => [c.id, c.number])) };
}

/** One work order as an action or a creation leaves it. */
export async function workOrderRecord(db: Db, row: WorkOrder, state: WorkOrderState | null): Promise<WorkOrderRecord> {
  return { row, state, names: await findWorkOrderNames(db, row.groupId, [row], [state]) };
}
