import type { Principal } from '../../domain/access.js';
import { currentVisit } from '../../domain/repairs/work-order-process.js';
import type { WorkOrderVisit } from '../../domain/repairs/work-order-state.js';
import type { WorkOrderPhoto, WorkOrderResult, WorkOrderSignOff } from '../../prisma/generated/client.js';
import type { WorkOrderRecord } from '../../app/repairs/work-order-record.js';
import { phoneFor, showsWholePhone } from '../customers/customer-view.js';
import type { WorkOrderDetailJson, WorkOrderJson } from './schemas.js';

/** The quote's items as the projection stored them (none for rows projected before they were kept). */
function quoteItemsOf(v: unknown): { description: string; amountFen: number }[] {
  if (!Array.isArray(v)) return [];
  return v.filter((i): i is { description: string; amountFen: number } => !!i && typeof i === 'object' && typeof (i as { description?: unknown }).description === 'string' && Number.isSafeInteger((i as { amountFen?: unknown }).amountFen)).map((i) => ({ description: i.description, amountFen: i.amountFen }));
}

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
const isoDate = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function visitView(v: WorkOrderVisit): WorkOrderJson['visits'][number] {
  return {
    number: v.number,
    reason: v.reason,
    openedAt: iso(v.openedAt)!,
    appointment: v.appointment ? { start: iso(v.appointment.start)!, end: iso(v.appointment.end)! } : null,
    arrivalDueAt: iso(v.arrivalDueAt)!,
    warnedAt: iso(v.warnedAt),
    breachedAt: iso(v.breachedAt),
    checkedInAt: iso(v.checkedInAt),
    // Whether the check-in had a position; its coordinates are never answered in lists or timelines.
    geolocated: v.locationId !== null,
    onTime: v.onTime,
    resultId: v.resultId,
    photoKeys: v.photoIds,
    costFen: v.costFen,
    resultAt: iso(v.resultAt),
    signOffId: v.signOffId,
    outcome: v.outcome,
    closedAt: iso(v.closedAt),
  };
}

/** A work order as lists and actions answer it: the live state over the row when the workflow answered. */
export function toWorkOrderView({ row, state: s, names }: WorkOrderRecord, now: number = Date.now()): WorkOrderJson {
  const named = (id: string | null) => (id ? { id, name: names.company.get(id) ?? null } : null);
  const visits: WorkOrderVisit[] = s ? s.visits : Array.isArray(row.visits) ? (row.visits as unknown as WorkOrderVisit[]) : [];
  const visit = currentVisit({ visits }) ?? null;
  const assignee = s
    ? s.assignee
    : row.assigneeKind === 'technician' && row.technicianId
      ? { kind: 'technician' as const, userId: row.technicianId }
      : row.assigneeKind === 'contractor' && row.contractorCompanyId
        ? { kind: 'contractor' as const, companyId: row.contractorCompanyId }
        : null;
  const status = (s?.status ?? row.status) as WorkOrderJson['status'];
  const arrivalDueAt = s ? (visit?.arrivalDueAt ?? null) : (row.arrivalDueAt?.getTime() ?? null);
  const checkedIn = s ? visit?.checkedInAt != null : row.checkedInAt !== null;
  const unit = row.unitId ? names.unit.get(row.unitId) : undefined;
  const w = s?.warranty;
  return {
    id: row.id,
    number: row.number,
    caseId: row.caseId,
    caseNumber: names.caseNumber.get(row.caseId) ?? null,
    project: { id: row.projectId, name: names.project.get(row.projectId) ?? null },
    unit: unit ? { id: unit.id, label: unit.label } : null,
    buildingId: row.buildingId,
    category: row.category,
    trade: row.trade,
    status,
    urgent: s?.urgent ?? row.urgent,
    warranty: {
      covered: w?.covered ?? row.warrantyCovered,
      label: (w?.covered ?? row.warrantyCovered) ? '保内' : '保外',
      endsAt: w ? iso(w.endsAt) : isoDate(row.warrantyEndsAt),
      lastDay: w ? w.lastDay : row.warrantyLastDay,
      clause: w ? { code: w.clause.code, zh: w.clause.zh, en: w.clause.en } : { code: row.warrantyClause, zh: null, en: null },
      contractorCovered: w?.contractorCovered ?? row.contractorCovered,
    },
    quote: s?.quote
      ? { items: s.quote.items.map((i) => ({ description: i.description, amountFen: i.amountFen })), totalFen: s.quote.totalFen, status: s.quote.status as 'pending' | 'accepted' | 'refused', issuedAt: iso(s.quote.issuedAt), answeredAt: iso(s.quote.answeredAt) }
      : row.quoteTotalFen !== null && row.quoteStatus
        ? { items: quoteItemsOf(row.quoteItems), totalFen: row.quoteTotalFen, status: row.quoteStatus as 'pending' | 'accepted' | 'refused', issuedAt: null, answeredAt: null }
        : null,
    assignee: assignee
      ? assignee.kind === 'technician'
        ? { kind: 'technician', id: assignee.userId, name: names.user.get(assignee.userId) ?? null }
        : { kind: 'contractor', id: assignee.companyId, name: names.company.get(assignee.companyId) ?? null }
      : null,
    assignedAt: s ? iso(s.assignedAt) : isoDate(row.assignedAt),
    reassignments: s?.reassignments ?? row.reassignments,
    responsibleContractor: named(s ? s.responsibleContractorId : row.responsibleContractorId),
    resolutionDueAt: s ? iso(s.resolutionDueAt) : isoDate(row.resolutionDueAt),
    appointment: visit?.appointment ? { start: iso(visit.appointment.start)!, end: iso(visit.appointment.end)! } : null,
    arrivalDueAt: iso(arrivalDueAt),
    late: (status === 'assigned' || status === 'scheduled') && !checkedIn && arrivalDueAt !== null && arrivalDueAt < now,
    visits: visits.map(visitView),
    reworks: s?.reworks ?? row.reworks,
    noShows: s?.noShows ?? row.noShows,
    arrivalBreaches: s?.arrivalBreaches ?? row.arrivalBreaches,
    chargeBack: s
      ? s.chargeBack && { contractor: named(s.chargeBack.contractorCompanyId)!, amountFen: s.chargeBack.amountFen }
      : row.chargeBackContractorId && row.chargeBackFen !== null
        ? { contractor: named(row.chargeBackContractorId)!, amountFen: row.chargeBackFen }
        : null,
    outcome: (s ? s.outcome : row.outcome) as WorkOrderJson['outcome'],
    cancelReason: s ? (s.cancelReason ?? null) : row.cancelReason,
    createdBy: { id: row.createdById, name: names.user.get(row.createdById) ?? null },
    createdAt: row.createdAt.toISOString(),
    closedAt: s ? iso(s.closedAt) : isoDate(row.closedAt),
    live: s !== null,
  };
}

export const workOrderPhotoView = (p: WorkOrderPhoto) => ({
  key: p.key,
  thumbKey: p.thumbKey,
  width: p.width,
  height: p.height,
  bytes: p.bytes,
  contentType: p.contentType,
  kind: p.kind === 'signature' ? ('signature' as const) : ('photo' as const),
  visit: p.visit,
  uploadedAt: p.createdAt.toISOString(),
});

/** One work order's page: the view, the address, the person to call (masked phone unless the role calls owners), photos, results, sign-offs. */
export function toWorkOrderDetail(
  principal: Principal,
  d: WorkOrderRecord & {
    caseRow: { description: string };
    contact: { name: string; phone: string } | null;
    holderMayCall: boolean;
    address: WorkOrderDetailJson['address'];
    photos: WorkOrderPhoto[];
    results: WorkOrderResult[];
    signOffs: WorkOrderSignOff[];
  },
): WorkOrderDetailJson {
  return {
    ...toWorkOrderView(d),
    caseDescription: d.caseRow.description,
    address: d.address,
    contact: d.contact && {
      name: d.contact.name,
      phone: phoneFor(principal, d.contact.phone),
      callNumber: showsWholePhone(principal) || d.holderMayCall ? d.contact.phone : null,
    },
    photos: d.photos.map(workOrderPhotoView),
    results: d.results.map((r) => ({
      id: r.id,
      visit: r.visit,
      text: r.text,
      materials: Array.isArray(r.materials) ? (r.materials as Array<{ name: string; quantity: number; unit: string }>) : [],
      photoKeys: r.photoKeys,
      costFen: r.costFen,
      recordedAt: r.createdAt.toISOString(),
    })),
    signOffs: d.signOffs.map((o) => ({ id: o.id, visit: o.visit, accepted: o.accepted, signatureKey: o.signatureKey, signaturePath: o.signaturePath, reason: o.reason, channel: o.channel, at: o.createdAt.toISOString() })),
  };
}
