import type { Db } from '../../platform/db.js';
import { findActiveHandlersOfTier, type TierUnit } from './staff.js';

export type PickCaseAssigneeInput = TierUnit;

export function createCaseAssigneeActivities(deps: { db: Db }) {
  return {
    /**
     * The handler of the tier's unit with the fewest open (not closed) cases; ties go to the
     * first username, so the choice is reproducible. Null when the unit has no active handler
     * (the case stays unassigned and the tier's supervisors see it in their queue). Read-only, so
     * a retry simply picks again.
     */
    async pickCaseAssignee(input: PickCaseAssigneeInput): Promise<string | null> {
      const handlers = await findActiveHandlersOfTier(deps.db, input);
      if (handlers.length === 0) return null;
      const counts = await deps.db.case.groupBy({
        by: ['assigneeId'],
        where: { assigneeId: { in: handlers.map((h) => h.id) }, status: { not: 'closed' } },
        _count: { _all: true },
      });
      const open = new Map(counts.map((c) => [c.assigneeId, c._count._all]));
      let best = handlers[0]!;
      for (const h of handlers) {
        if ((open.get(h.id) ?? 0) < (open.get(best.id) ?? 0)) best = h;
      }
      return best.id;
    },
  };
}
