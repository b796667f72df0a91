import type { Db } from '../../platform/db.js';
import type { LeadState } from '../../workflows/leads/lead-follow-up.defs.js';

export interface ProjectLeadInput {
  leadId: string;
  /** The workflow's last audit sequence: the row moves only forward. */
  seq: number;
  state: LeadState;
}

export interface ProjectLeadResult {
  /** False when the row already reflected this or a later sequence (a retry, or a late attempt). */
  applied: boolean;
}

const date = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms));

export function createLeadProjectionActivities(deps: { db: Db }) {
  return {
    /**
     * Brings the lead row up to the workflow's state at `seq`. Monotonic: updated only WHERE
     * lastEventSeq < seq, so a retried or late attempt carrying an older state changes nothing.
     * The API creates the row before starting the workflow.
     */
    async projectLead({ leadId, seq, state }: ProjectLeadInput): Promise<ProjectLeadResult> {
      const { count } = await deps.db.lead.updateMany({
        where: { id: leadId, lastEventSeq: { lt: seq } },
        data: {
          status: state.status,
          grade: state.grade,
          ownerId: state.ownerId,
          firstContactDueAt: new Date(state.firstContactDueAt),
          firstContactMissedAt: date(state.firstContactMissedAt),
          firstTouchAt: date(state.firstTouchAt),
          lastTouchAt: date(state.lastTouchAt),
          touchCount: state.touchCount,
          nextTouchDueAt: date(state.window?.dueAt),
          lapsesAt: date(state.window?.lapsesAt),
          pooledAt: date(state.pooledAt),
          lostReason: state.loss?.reason ?? null,
          lostNote: state.loss?.note ?? null,
          lostById: state.loss?.lostBy ?? null,
          lostAt: date(state.loss?.lostAt),
          reviewDecision: state.loss?.decision ?? null,
          reviewedById: state.loss?.decidedBy ?? null,
          reviewedAt: date(state.loss?.decidedAt),
          convertedUnitId: state.conversion?.unitId ?? null,
          convertedPrice: state.conversion?.price ?? null,
          convertedDeposit: state.conversion?.deposit ?? null,
          convertedAt: date(state.conversion?.convertedAt),
          closedAt: date(state.closedAt),
          lastEventSeq: seq,
        },
      });
      if (count === 0 && !(await deps.db.lead.findUnique({ where: { id: leadId }, select: { id: true } }))) {
        throw new Error(`lead ${leadId} has no lead row yet`);
      }
      return { applied: count > 0 };
    },
  };
}
