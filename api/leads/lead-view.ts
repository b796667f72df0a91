import type { z } from '../http/zod.js';
import type { Principal } from '../../domain/access.js';
import type { Lead } from '../../prisma/generated/client.js';
import type { LeadState } from '../../workflows/leads/lead-follow-up.defs.js';
import type { LeadRecord } from '../../app/leads/repository.js';
import { toCustomerView } from '../customers/customer-view.js';
import type { LeadView } from './schemas.js';

type LeadJson = z.infer<typeof LeadView>;
type CustomerJson = NonNullable<LeadJson['customer']>;

const iso = (ms: number | null | undefined) => (typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : null);
const isoOf = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const money = (d: { toFixed(n: number): string } | null) => (d === null ? null : d.toFixed(2));

export interface LeadViewExtras {
  state?: LeadState | null;
  projectName?: string | null;
  /** Names of users by id (the owner's is looked up here, whoever it is now). */
  userNames?: ReadonlyMap<string, string>;
  customer?: CustomerJson | null;
  /** The sale the lead converted to, if any. */
  saleId?: string | null;
}

/**
 * One lead as the API answers it: the read-model row, overlaid with the workflow's live state when
 * there is one (the row can trail the workflow by the projection's latency).
 */
export function toLeadView(row: Lead, o: LeadViewExtras = {}): LeadJson {
  const s = o.state ?? null;
  const ownerName = (id: string | null) => (id ? (o.userNames?.get(id) ?? null) : null);
  const base: LeadJson = {
    id: row.id,
    workflowId: row.workflowId,
    number: row.number,
    groupId: row.groupId,
    companyId: row.companyId,
    projectId: row.projectId,
    projectName: o.projectName ?? null,
    customerId: row.customerId,
    customer: o.customer ?? null,
    source: row.source as LeadJson['source'],
    grade: row.grade as LeadJson['grade'],
    status: row.status as LeadJson['status'],
    ownerId: row.ownerId,
    ownerName: ownerName(row.ownerId),
    referrerCustomerId: row.referrerCustomerId,
    note: row.note,
    createdById: row.createdById,
    createdAt: row.createdAt.toISOString(),
    firstContactDueAt: row.firstContactDueAt.toISOString(),
    firstContactMissedAt: isoOf(row.firstContactMissedAt),
    firstTouchAt: isoOf(row.firstTouchAt),
    lastTouchAt: isoOf(row.lastTouchAt),
    touchCount: row.touchCount,
    nextTouchDueAt: isoOf(row.nextTouchDueAt),
    lapsesAt: isoOf(row.lapsesAt),
    pooledAt: isoOf(row.pooledAt),
    loss: row.lostReason
      ? {
          reason: row.lostReason,
          note: row.lostNote,
          lostAt: isoOf(row.lostAt),
          lostBy: row.lostById,
          decision: (row.reviewDecision as NonNullable<LeadJson['loss']>['decision']) ?? null,
          decidedBy: row.reviewedById,
          decidedAt: isoOf(row.reviewedAt),
        }
      : null,
    conversion:
      row.convertedUnitId && row.convertedPrice && row.convertedDeposit
        ? { unitId: row.convertedUnitId, price: money(row.convertedPrice)!, deposit: money(row.convertedDeposit)!, convertedAt: isoOf(row.convertedAt), convertedBy: null }
        : null,
    closedAt: isoOf(row.closedAt),
    saleId: o.saleId ?? null,
    live: false,
  };
  if (!s) return base;
  return {
    ...base,
    grade: s.grade,
    status: s.status,
    ownerId: s.ownerId,
    ownerName: ownerName(s.ownerId),
    firstContactDueAt: iso(s.firstContactDueAt) ?? base.firstContactDueAt,
    firstContactMissedAt: iso(s.firstContactMissedAt),
    firstTouchAt: iso(s.firstTouchAt),
    lastTouchAt: iso(s.lastTouchAt),
    touchCount: s.touchCount,
    nextTouchDueAt: iso(s.window?.dueAt),
    lapsesAt: iso(s.window?.lapsesAt),
    pooledAt: iso(s.pooledAt),
    loss: s.loss
      ? { reason: s.loss.reason, note: s.loss.note, lostAt: iso(s.loss.lostAt), lostBy: s.loss.lostBy, decision: s.loss.decision, decidedBy: s.loss.decidedBy, decidedAt: iso(s.loss.decidedAt) }
      : null,
    conversion: s.conversion
      ? { unitId: s.conversion.unitId, price: s.conversion.price, deposit: s.conversion.deposit, convertedAt: iso(s.conversion.convertedAt), convertedBy: s.conversion.convertedBy }
      : null,
    closedAt: iso(s.closedAt),
    live: true,
  };
}

/** A lead record as `principal` sees it (the customer's phone masked unless the role calls customers back). */
export function toLeadViewOf(principal: Principal, r: LeadRecord): LeadJson {
  return toLeadView(r.row, {
    state: r.state,
    projectName: r.projectName,
    userNames: r.userNames,
    customer: r.customer ? toCustomerView(principal, r.customer) : null,
    saleId: r.saleId,
  });
}
