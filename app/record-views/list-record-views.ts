import { canReadRecordViews, recordViewScopeWhere, type Principal } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';
import type { Prisma, RecordView } from '../../prisma/generated/client.js';
import { findCaseNumbersByIds } from '../cases/repository.js';
import { findCustomerNamesByIds, findCustomerOfGroupOrThrow } from '../customers/repository.js';
import { findLeadNumbersByIds } from '../leads/repository.js';
import { findProjectInScopeOrThrow, findProjectNamesByIds } from '../org/repository.js';
import { findSaleNumbersByIds } from '../sales/repository.js';
import { recordViewError } from './errors.js';
import { findUserNamesByIds } from '../users/repository.js';
import { findRecordViews } from './repository.js';

type Page = { skip: number; take: number };

export interface Period {
  from?: string | undefined;
  to?: string | undefined;
}

export interface RecordViewFilter extends Period {
  userId?: string | undefined;
  customerId?: string | undefined;
  kind?: string | undefined;
  projectId?: string | undefined;
}

/** The names a reader of the log needs: staff, customers, record numbers, projects. */
export interface RecordViewNames {
  userName: Map<string, string>;
  customerName: Map<string, string>;
  number: Map<string, string>;
  projectName: Map<string, string>;
}

function assertMayReadRecordViews(p: Principal) {
  if (!canReadRecordViews(p))
    throw recordViewError('VIEW_LOG_READERS_ONLY');
}

function periodWhere(q: Period): Prisma.RecordViewWhereInput | null {
  if (!q.from && !q.to) return null;
  const from = q.from ? new Date(q.from) : undefined;
  const to = q.to ? new Date(q.to) : undefined;
  if (from && to && from >= to) throw recordViewError('RANGE_REVERSED', {}, { field: 'query.from' });
  return { viewedAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } };
}

async function namesOf(db: Db, groupId: string, rows: RecordView[]): Promise<RecordViewNames> {
  const ids = (pick: (r: RecordView) => string | null, kind?: string) => rows.filter((r) => !kind || r.recordKind === kind).flatMap((r) => (pick(r) ? [pick(r)!] : []));
  const [userName, customerName, cases, leads, sales, projectName] = await Promise.all([
    findUserNamesByIds(db, ids((r) => r.viewerId), groupId),
    findCustomerNamesByIds(db, ids((r) => r.customerId), groupId),
    findCaseNumbersByIds(db, ids((r) => r.recordId, 'case'), groupId),
    findLeadNumbersByIds(db, ids((r) => r.recordId, 'lead'), groupId),
    findSaleNumbersByIds(db, ids((r) => r.recordId, 'sale'), groupId),
    findProjectNamesByIds(db, ids((r) => r.projectId), groupId),
  ]);
  return { userName, customerName, number: new Map([...cases, ...leads, ...sales]), projectName };
}

async function pageOfLog(db: Db, principal: Principal, and: Prisma.RecordViewWhereInput[], page: Page) {
  const { rows, total } = await findRecordViews(db, { AND: and }, page);
  return { rows, total, names: await namesOf(db, principal.groupId, rows) };
}

/**
 * The record-view log for managers: who saw which customer's full record, when, through what, and
 * whether the contact details were whole; newest first, within the reader's scope. A `projectId`
 * must name a project in that scope (404 otherwise).
 */
export async function listRecordViews(db: Db, principal: Principal, f: RecordViewFilter, page: Page) {
  assertMayReadRecordViews(principal);
  const and: Prisma.RecordViewWhereInput[] = [recordViewScopeWhere(principal)];
  if (f.projectId) {
    await findProjectInScopeOrThrow(db, principal, f.projectId);
    and.push({ projectId: f.projectId });
  }
  if (f.userId) and.push({ viewerId: f.userId });
  if (f.customerId) and.push({ customerId: f.customerId });
  if (f.kind) and.push({ recordKind: f.kind });
  const period = periodWhere(f);
  if (period) and.push(period);
  return pageOfLog(db, principal, and, page);
}

/** Who viewed one customer's full record, newest first (404 for another organisation's customer). */
export async function listRecordViewsOfCustomer(db: Db, principal: Principal, customerId: string, period: Period, page: Page) {
  assertMayReadRecordViews(principal);
  const customer = await findCustomerOfGroupOrThrow(db, principal.groupId, customerId);
  const and: Prisma.RecordViewWhereInput[] = [recordViewScopeWhere(principal), { customerId: customer.id }];
  const when = periodWhere(period);
  if (when) and.push(when);
  return pageOfLog(db, principal, and, page);
}
