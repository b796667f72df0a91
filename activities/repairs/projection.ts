import { currentVisit } from '../../domain/repairs/work-order-process.js';
import { Prisma } from '../../prisma/generated/client.js';
import type { Db } from '../../platform/db.js';
import type { WorkOrderState } from '../../workflows/repairs/work-order.defs.js';

export interface ProjectWorkOrderInput {
  workOrderId: string;
  /** The workflow's last audit sequence: the row moves only forward. */
  seq: number;
  state: WorkOrderState;
}

export interface ProjectWorkOrderResult {
  /** False when the row already reflected this or a later sequence (a retry, or a late attempt). */
  applied: boolean;
}

const date = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms));

export function createWorkOrderProjectionActivities(deps: { db: Db }) {
  return {
    /**
     * Brings the work_order row up to the workflow's state at `seq`. Monotonic: updated only WHERE
     * lastEventSeq < seq, so a retried or late attempt carrying an older state changes nothing.
     * The API creates the row before starting the workflow.
     */
    async projectWorkOrder({ workOrderId, seq, state }: ProjectWorkOrderInput): Promise<ProjectWorkOrderResult> {
      const visit = currentVisit(state) ?? state.visits.at(-1) ?? null;
      const a = state.assignee;
      const { count } = await deps.db.workOrder.updateMany({
        where: { id: workOrderId, lastEventSeq: { lt: seq } },
        data: {
          status: state.status,
          urgent: state.urgent,
          warrantyCovered: state.warranty.covered,
          warrantyEndsAt: date(state.warranty.endsAt),
          warrantyLastDay: state.warranty.lastDay,
          warrantyClause: state.warranty.clause.code,
          contractorCovered: state.warranty.contractorCovered,
          quoteTotalFen: state.quote?.totalFen ?? null,
          quoteStatus: state.quote?.status ?? null,
          quoteItems: state.quote ? state.quote.items.map((i) => ({ description: i.description, amountFen: i.amountFen })) : Prisma.DbNull,
          assigneeKind: a?.kind ?? null,
          technicianId: a?.kind === 'technician' ? a.userId : null,
          contractorCompanyId: a?.kind === 'contractor' ? a.companyId : null,
          assignedAt: date(state.assignedAt),
          reassignments: state.reassignments,
          responsibleContractorId: state.responsibleContractorId,
          appointmentStart: date(visit?.appointment?.start),
          appointmentEnd: date(visit?.appointment?.end),
          arrivalDueAt: date(visit?.arrivalDueAt),
          arrivalBreaches: state.arrivalBreaches,
          checkedInAt: date(visit?.checkedInAt),
          visitCount: state.visits.length,
          reworks: state.reworks,
          noShows: state.noShows,
          visits: JSON.parse(JSON.stringify(state.visits)),
          chargeBackContractorId: state.chargeBack?.contractorCompanyId ?? null,
          chargeBackFen: state.chargeBack?.amountFen ?? null,
          outcome: state.outcome,
          cancelReason: state.cancelReason ?? null,
          resolutionDueAt: date(state.resolutionDueAt),
          closedAt: date(state.closedAt),
          lastEventSeq: seq,
        },
      });
      if (count === 0 && !(await deps.db.workOrder.findUnique({ where: { id: workOrderId }, select: { id: true } }))) {
        throw new Error(`work order ${workOrderId} has no work_order row yet`);
      }
      return { applied: count > 0 };
    },
  };
}
