import type { z } from '../http/zod.js';
import type { Sale } from '../../prisma/generated/client.js';
import type { Principal } from '../../domain/access.js';
import { fenToString, toFen } from '../../domain/sales/money.js';
import type { SaleStage } from '../../domain/sales/types.js';
import type { DeadlineKind, SaleApproval, SaleDeadline, SalePayment, SaleState } from '../../workflows/sales/sale-lifecycle.defs.js';
import type { SaleNameSources, SaleRecord } from '../../app/sales/repository.js';
import { toCustomerView } from '../customers/customer-view.js';
import type { SaleSummaryView, SaleView } from './schemas.js';

type Summary = z.input<typeof SaleSummaryView>;
type Detail = z.input<typeof SaleView>;

const iso = (v: number | string | Date | null | undefined): string | null => {
  if (v === null || v === undefined) return null;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isFinite(d.getTime()) ? d.toISOString() : null;
};
const isoOrEpoch = (v: number | string | Date | null | undefined) => iso(v) ?? new Date(0).toISOString();
const money = (v: { toFixed(n: number): string } | string | null | undefined): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : v.toFixed(2));
const outstanding = (price: string, paid: string) => {
  const rest = toFen(price) - toFen(paid);
  return fenToString(rest > 0 ? rest : 0);
};

/** The earliest open deadline: one not yet missed first, else the earliest missed (overdue) one. */
export function nextDeadlineOf(deadlines: readonly Pick<SaleDeadline, 'kind' | 'dueAt' | 'missedAt'>[]): { kind: DeadlineKind; dueAt: number } | null {
  const open = [...deadlines].sort((a, b) => a.dueAt - b.dueAt);
  const pick = open.find((d) => d.missedAt === null) ?? open[0];
  return pick ? { kind: pick.kind, dueAt: pick.dueAt } : null;
}

/** Arrays stored by the projection as the workflow holds them (epoch ms); read defensively. */
const arrayOf = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

export interface SaleNames {
  projectName: Map<string, string>;
  unitNumber: Map<string, string>;
  userName: Map<string, string>;
  customer: Map<string, z.input<typeof SaleSummaryView>['customer']>;
}

/** The names a page of sales shows, the buyers as `principal` may see them (phone masked unless the role calls customers back). */
export function saleNamesFor(principal: Principal, n: SaleNameSources): SaleNames {
  return { ...n, customer: new Map([...n.customer].map(([id, c]) => [id, toCustomerView(principal, c)])) };
}

/** A sale's list entry: the live workflow state where given, the read model otherwise. */
export function toSaleSummary(row: Sale, state: SaleState | null, names: SaleNames): Summary {
  const stage = (state?.stage ?? row.stage) as SaleStage;
  const price = state?.price ?? money(row.price)!;
  const paidTotal = state?.paidTotal ?? money(row.paidTotal)!;
  const ownerId = state?.ownerId ?? row.ownerId;
  const unitId = state?.unitId ?? row.unitId;
  const next = state ? nextDeadlineOf(state.deadlines) : row.nextDeadline && row.nextDueAt ? { kind: row.nextDeadline as DeadlineKind, dueAt: row.nextDueAt.getTime() } : null;
  const pending = state ? (state.approvals.find((a) => a.status === 'pending')?.kind ?? null) : ((row.pendingApproval as SaleApproval['kind'] | null) ?? null);
  return {
    id: row.id,
    number: row.number,
    workflowId: row.workflowId,
    stage,
    paymentMethod: (state?.paymentMethod ?? row.paymentMethod) as Summary['paymentMethod'],
    project: { id: row.projectId, name: names.projectName.get(row.projectId) ?? null },
    unit: { id: unitId, number: names.unitNumber.get(unitId) ?? null },
    customer: names.customer.get(row.customerId) ?? null,
    buyerName: state ? state.buyerName : row.buyerName,
    owner: { id: ownerId, name: names.userName.get(ownerId) ?? null },
    leadId: row.leadId,
    price,
    deposit: state?.deposit ?? money(row.deposit)!,
    paidTotal,
    outstanding: outstanding(price, paidTotal),
    nextDeadline: next ? { kind: next.kind, dueAt: new Date(next.dueAt).toISOString() } : null,
    pendingApproval: pending,
    createdAt: row.createdAt.toISOString(),
    closedAt: iso(state ? state.closedAt : row.closedAt),
  };
}

export interface LinkedCase {
  id: string;
  number: string;
  status: string;
  category: string;
  description: string;
  openedAt: Date;
}

/**
 * One sale in full: stage, deadlines, payments, mortgage, approvals, inspection, handover and its
 * repair cases. Without the live state (workflow not answering) the read model gives the same
 * fields except the defect lists (`cases` still lists the repair cases) and the area percentage.
 */
export function toSaleDetail(row: Sale, state: SaleState | null, names: SaleNames, o: { cases: LinkedCase[]; ownerRegistered: boolean }): Detail {
  const summary = toSaleSummary(row, state, names);
  const deadlines = state ? state.deadlines : arrayOf<SaleDeadline>(row.deadlines);
  const payments = state ? state.payments : arrayOf<SalePayment>(row.payments);
  const approvals = state ? state.approvals : arrayOf<SaleApproval>(row.approvals);
  const mortgage = state
    ? state.mortgage
    : row.mortgageStatus
      ? {
          status: row.mortgageStatus as NonNullable<SaleState['mortgage']>['status'],
          bank: row.mortgageBank,
          amount: money(row.mortgageAmount),
          documentsAt: row.mortgageDocumentsAt?.getTime() ?? null,
          decidedAt: row.mortgageDecidedAt?.getTime() ?? null,
          disbursedAt: row.mortgageDisbursedAt?.getTime() ?? null,
        }
      : null;
  const contract = state ? state.contract : row.contractNo && row.contractSignedAt ? { contractNo: row.contractNo, signedAt: row.contractSignedAt.getTime() } : null;
  const filing = state ? state.filing : row.filingNo && row.filedAt ? { filingNo: row.filingNo, filedAt: row.filedAt.getTime() } : null;
  return {
    ...summary,
    deadlines: deadlines.map((d) => ({ kind: d.kind, dueAt: isoOrEpoch(d.dueAt), remindAt: isoOrEpoch(d.remindAt), reminded: Boolean(d.reminded), missedAt: iso(d.missedAt) })),
    referrerCustomerId: row.referrerCustomerId,
    contractArea: state?.contractArea ?? money(row.contractArea)!,
    contract: contract ? { contractNo: contract.contractNo, signedAt: isoOrEpoch(contract.signedAt) } : null,
    filing: filing ? { filingNo: filing.filingNo, filedAt: isoOrEpoch(filing.filedAt) } : null,
    mortgage: mortgage
      ? { status: mortgage.status, bank: mortgage.bank, amount: mortgage.amount, documentsAt: iso(mortgage.documentsAt), decidedAt: iso(mortgage.decidedAt), disbursedAt: iso(mortgage.disbursedAt) }
      : null,
    payments: payments.map((p) => ({ amount: p.amount, paidAt: isoOrEpoch(p.paidAt), source: p.source, recordedBy: p.recordedBy })),
    deliveryDate: isoOrEpoch(state?.deliveryDate ?? row.deliveryDate),
    inspectionAt: isoOrEpoch(state?.inspectionAt ?? row.inspectionAt),
    nextProgressAt: state ? iso(state.nextProgressAt) : null,
    inspection: state
      ? state.inspection && { inspectedAt: isoOrEpoch(state.inspection.inspectedAt), defects: state.inspection.defects, caseIds: state.inspection.caseIds }
      : row.inspectedAt
        ? { inspectedAt: row.inspectedAt.toISOString(), defects: [], caseIds: [] }
        : null,
    handover: state
      ? state.handover && {
          handedOverAt: isoOrEpoch(state.handover.handedOverAt),
          keysIssued: state.handover.keysIssued,
          measuredArea: state.handover.measuredArea,
          areaSettlement: state.handover.areaSettlement,
          areaDifferencePct: state.handover.areaDifferencePct,
          beyondTolerance: state.handover.beyondTolerance,
          defects: state.handover.defects,
          caseIds: state.handover.caseIds,
        }
      : row.handedOverAt && row.measuredArea && row.areaSettlement
        ? {
            handedOverAt: row.handedOverAt.toISOString(),
            keysIssued: row.keysIssued ?? 0,
            measuredArea: money(row.measuredArea)!,
            areaSettlement: money(row.areaSettlement)!,
            areaDifferencePct: 0,
            beyondTolerance: false,
            defects: [],
            caseIds: [],
          }
        : null,
    approvals: approvals.map((a) => ({
      id: a.id,
      kind: a.kind,
      reason: a.reason,
      unitId: a.unitId,
      buyerName: a.buyerName,
      requestedBy: a.requestedBy,
      requestedAt: isoOrEpoch(a.requestedAt),
      status: a.status,
      decidedBy: a.decidedBy,
      decidedAt: iso(a.decidedAt),
      note: a.note,
    })),
    cases: o.cases.map((c) => ({ id: c.id, number: c.number, status: c.status, category: c.category, description: c.description, openedAt: c.openedAt.toISOString() })),
    ownerRegistered: state ? state.ownerRegistered : o.ownerRegistered,
    lapseReason: state ? state.lapseReason : row.lapseReason,
    cancelReason: state ? state.cancelReason : row.cancelReason,
    live: state !== null,
  };
}

/** The sale as the API answers it, with its names, linked repair cases and move-in record. */
export function toSaleJson(principal: Principal, r: SaleRecord): Detail {
  return toSaleDetail(r.row, r.state, saleNamesFor(principal, r.names), { cases: r.cases, ownerRegistered: r.ownerRegistered });
}
