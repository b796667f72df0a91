import { membershipTierOf } from '../../domain/sales/membership.js';
import { isFinalSaleStage } from '../../domain/sales/types.js';
import type { Db } from '../../platform/db.js';
import type { Prisma } from '../../prisma/generated/client.js';
import type { ProjectSaleInput, SaleDeadline, SaleState } from '../../workflows/sales/sale-lifecycle.defs.js';

type Tx = Prisma.TransactionClient;

const date = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms));
const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;

/** The deadline lists show first: the earliest one not yet missed, else (all missed) the earliest. */
export function nextSaleDeadline(deadlines: readonly SaleDeadline[]): SaleDeadline | null {
  const earliest = (ds: readonly SaleDeadline[]) => ds.reduce<SaleDeadline | null>((best, d) => (best === null || d.dueAt < best.dueAt ? d : best), null);
  return earliest(deadlines.filter((d) => d.missedAt === null)) ?? earliest(deadlines);
}

/** The units this sale may still hold: its own, and the one a pending unit change asks for. None once it lapsed or was cancelled. */
export function unitsHeldBySale(state: Pick<SaleState, 'stage' | 'unitId' | 'approvals'>): string[] {
  if (state.stage === 'lapsed' || state.stage === 'cancelled') return [];
  const pending = state.approvals.filter((a) => a.kind === 'change_unit' && a.status === 'pending' && a.unitId).map((a) => a.unitId!);
  return [...new Set([state.unitId, ...pending])];
}

function saleColumns(state: SaleState, seq: number): Prisma.SaleUpdateManyMutationInput {
  const next = nextSaleDeadline(state.deadlines);
  const m = state.mortgage;
  return {
    stage: state.stage,
    paymentMethod: state.paymentMethod,
    unitId: state.unitId,
    customerId: state.customerId,
    buyerName: state.buyerName,
    ownerId: state.ownerId,
    leadId: state.leadId,
    referrerCustomerId: state.referrerCustomerId,
    price: state.price,
    deposit: state.deposit,
    paidTotal: state.paidTotal,
    contractArea: state.contractArea,
    contractNo: state.contract?.contractNo ?? null,
    contractSignedAt: date(state.contract?.signedAt),
    filingNo: state.filing?.filingNo ?? null,
    filedAt: date(state.filing?.filedAt),
    mortgageStatus: m?.status ?? null,
    mortgageBank: m?.bank ?? null,
    mortgageAmount: m?.amount ?? null,
    mortgageDocumentsAt: date(m?.documentsAt),
    mortgageDecidedAt: date(m?.decidedAt),
    mortgageDisbursedAt: date(m?.disbursedAt),
    nextDeadline: next?.kind ?? null,
    nextDueAt: date(next?.dueAt),
    deadlines: json(state.deadlines),
    payments: json(state.payments),
    approvals: json(state.approvals),
    pendingApproval: state.approvals.find((a) => a.status === 'pending')?.kind ?? null,
    deliveryDate: new Date(state.deliveryDate),
    inspectionAt: new Date(state.inspectionAt),
    inspectedAt: date(state.inspection?.inspectedAt),
    inspectionDefects: state.inspection?.defects.length ?? 0,
    handedOverAt: date(state.handover?.handedOverAt),
    keysIssued: state.handover?.keysIssued ?? null,
    measuredArea: state.handover?.measuredArea ?? null,
    areaSettlement: state.handover?.areaSettlement ?? null,
    handoverDefects: state.handover?.defects.length ?? 0,
    lapseReason: state.lapseReason,
    cancelReason: state.cancelReason,
    closedAt: date(state.closedAt),
    lastEventSeq: seq,
  };
}

/**
 * The units as the sale's state has them. The API reserves (at subscription, and the requested unit
 * of a unit change); the projection only releases, sells and delivers what this sale reserved, so
 * it can never take a unit another sale holds. While the sale lives it releases only units the
 * workflow knows of (its unit before this state, the units of decided unit changes): a unit the
 * API has just reserved for a change request the workflow has not seen yet must survive a
 * projection of an earlier state that is still in flight. A lapsed or cancelled sale releases everything.
 */
async function projectUnits(tx: Tx, saleId: string, previousUnitId: string, state: SaleState): Promise<void> {
  const held = new Set(unitsHeldBySale(state));
  const known = [previousUnitId, state.unitId, ...state.approvals.filter((a) => a.kind === 'change_unit' && a.unitId).map((a) => a.unitId!)];
  const release = state.stage === 'lapsed' || state.stage === 'cancelled' ? undefined : [...new Set(known)].filter((id) => !held.has(id));
  if (release === undefined || release.length > 0)
    await tx.unit.updateMany({
      where: { reservedBySaleId: saleId, ...(release ? { id: { in: release } } : {}), status: { in: ['RESERVED', 'SOLD'] } },
      data: { reservedBySaleId: null, status: 'AVAILABLE' },
    });
  if (state.stage === 'handed_over') {
    await tx.unit.updateMany({
      where: { id: state.unitId, reservedBySaleId: saleId },
      data: { status: 'DELIVERED', ownerCustomerId: state.customerId, reservedBySaleId: null },
    });
  } else if (state.contract && !isFinalSaleStage(state.stage)) {
    await tx.unit.updateMany({ where: { id: state.unitId, reservedBySaleId: saleId, status: 'RESERVED' }, data: { status: 'SOLD' } });
  }
}

/**
 * Registers the owner (the move-in record) and credits the completed sale once: the buyer's
 * purchases and the referrer's referrals are recounted from handed-over sales, and both tiers
 * follow. `creditedAt` makes it once; the row locks make two sales completing at the same moment
 * for the same customer count each other.
 */
async function completeHandover(tx: Tx, saleId: string, state: SaleState): Promise<void> {
  const handover = state.handover!;
  await tx.ownerRegistration.upsert({
    where: { saleId },
    create: { saleId, unitId: state.unitId, customerId: state.customerId, registeredAt: new Date(handover.handedOverAt) },
    update: {},
  });
  const { count } = await tx.sale.updateMany({ where: { id: saleId, creditedAt: null }, data: { creditedAt: new Date() } });
  if (count === 0) return;
  const buyer = state.customerId;
  const referrer = state.referrerCustomerId;
  const ids = [...new Set([buyer, ...(referrer ? [referrer] : [])])].sort();
  // Row locks in id order (no deadlock); under READ COMMITTED the counts below then see any
  // other transaction that held them.
  for (const id of ids) await tx.$queryRaw`SELECT id FROM customer WHERE id = ${id} FOR UPDATE`;
  const purchases = await tx.sale.count({ where: { customerId: buyer, stage: 'handed_over' } });
  await tx.customer.updateMany({ where: { id: buyer }, data: { purchaseCount: purchases } });
  if (referrer) {
    const referrals = await tx.sale.count({ where: { referrerCustomerId: referrer, stage: 'handed_over' } });
    await tx.customer.updateMany({ where: { id: referrer }, data: { referralCount: referrals } });
  }
  for (const c of await tx.customer.findMany({ where: { id: { in: ids } }, select: { id: true, referralCount: true, purchaseCount: true } })) {
    await tx.customer.update({ where: { id: c.id }, data: { membershipTier: membershipTierOf({ referrals: c.referralCount, purchases: c.purchaseCount }) } });
  }
}

export function createSaleProjectionActivities(deps: { db: Db }) {
  return {
    /**
     * Brings the sale row, its units, the owner registration and the customers' credits up to the
     * workflow's state at `seq`, in one transaction. Monotonic: the row is updated only WHERE
     * lastEventSeq < seq, and the side effects run only with that update, so a retried or late
     * attempt carrying an older state changes nothing. The API creates the row before starting the
     * workflow; without it this throws (and is retried).
     */
    async projectSale({ saleId, seq, state }: ProjectSaleInput): Promise<{ applied: boolean }> {
      return deps.db.$transaction(async (tx) => {
        const row = await tx.sale.findUnique({ where: { id: saleId }, select: { id: true, unitId: true } });
        if (!row) throw new Error(`sale ${saleId} has no sale row yet`);
        const { count } = await tx.sale.updateMany({ where: { id: saleId, lastEventSeq: { lt: seq } }, data: saleColumns(state, seq) });
        if (count === 0) return { applied: false };
        await projectUnits(tx, saleId, row.unitId, state);
        if (state.stage === 'handed_over' && state.handover) await completeHandover(tx, saleId, state);
        return { applied: true };
      });
    },
  };
}
