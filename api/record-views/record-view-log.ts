import type { Request } from 'express';
import { hasPermission, type Principal } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';
import type { Prisma } from '../../prisma/generated/client.js';
import { recordViewError } from '../../app/record-views/errors.js';
import { createRecordViews } from '../../app/record-views/repository.js';

/** Through what a customer's identity was seen: a record of theirs, or Temporal's workflow payloads. */
import { RECORD_KINDS, type RecordKind } from './schemas.js';
export { RECORD_KINDS, type RecordKind };

/** One customer shown whole in an answer, and the record that answer is about. */
export interface CustomerShown {
  customerId: string;
  recordKind: Exclude<RecordKind, 'workflow-payloads'>;
  recordId: string;
  /** Where the record belongs; null for the customer record itself (group-level). */
  companyId: string | null;
  projectId: string | null;
}

export function requestIdOf(req: Request): string | null {
  const id = (req as Request & { id?: unknown }).id;
  return id === undefined || id === null || id === '' ? null : String(id);
}

/**
 * Appends one row per customer an answer shows, before the answer leaves: a view that cannot be
 * recorded is not shown (503 DEPENDENCY_UNAVAILABLE) rather than left out of the log. A plain insert
 * (the table's own sequence numbers rows): concurrent views never wait on each other.
 */
export async function recordCustomerViews(db: Db, principal: Principal, req: Request, shown: readonly CustomerShown[]): Promise<void> {
  if (shown.length === 0) return;
  const contactShown = hasPermission(principal.role, 'customers:read-contact');
  const requestId = requestIdOf(req);
  // One answer may name the same customer twice (a lead's customer as its own referrer): one row each distinct view.
  const seen = new Set<string>();
  const data: Prisma.RecordViewCreateManyInput[] = [];
  for (const s of shown) {
    const key = `${s.customerId}\u0000${s.recordKind}\u0000${s.recordId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    data.push({
      groupId: principal.groupId,
      viewerId: principal.id,
      viewerRole: principal.role,
      customerId: s.customerId,
      recordKind: s.recordKind,
      recordId: s.recordId,
      companyId: s.companyId,
      projectId: s.projectId,
      contactShown,
      requestId,
    });
  }
  try {
    await createRecordViews(db, data);
  } catch (err) {
    req.log?.warn({ err: { message: (err as Error).message } }, 'record view not recorded');
    throw recordViewError('VIEW_NOT_RECORDED');
  }
}

/**
 * A decode of workflow payloads: personal data of any case, lead or sale of the group, seen whole.
 * Written in the transaction that appends the decode's audit event (`auditRef`), so the two agree.
 */
export function workflowPayloadsViewRow(principal: Principal, req: Request, auditRef: string): Prisma.RecordViewCreateManyInput {
  return {
    groupId: principal.groupId,
    viewerId: principal.id,
    viewerRole: principal.role,
    customerId: null,
    recordKind: 'workflow-payloads',
    recordId: auditRef,
    companyId: null,
    projectId: null,
    contactShown: true,
    requestId: requestIdOf(req),
  };
}
