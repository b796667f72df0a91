import { findDefaultWorkOrderAssignee, findResponsibleContractorId } from '../../app/repairs/repository.js';
import type { WorkOrderAssignee } from '../../domain/repairs/work-order-state.js';
import type { Db } from '../../platform/db.js';

export interface PickWorkOrderAssigneeInput {
  groupId: string;
  projectId: string;
  category: string;
}

export interface FindResponsibleContractorInput {
  groupId: string;
  projectId: string;
  buildingId: string | null;
  trade: string;
}

/** The work order's lookups in the read model: reads only, so a retry is harmless. */
export function createWorkOrderAssignmentActivities(deps: { db: Db }) {
  return {
    /** The default assignee of the order's category × project, or null (the dispatchers assign). */
    async pickWorkOrderAssignee(input: PickWorkOrderAssigneeInput): Promise<WorkOrderAssignee | null> {
      return findDefaultWorkOrderAssignee(deps.db, input);
    },
    /** The contractor company responsible for the order's building × trade, or null. */
    async findResponsibleContractor(input: FindResponsibleContractorInput): Promise<string | null> {
      return findResponsibleContractorId(deps.db, input);
    },
  };
}
