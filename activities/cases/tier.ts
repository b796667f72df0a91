import type { Db } from '../../platform/db.js';
import { createCaseAssigneeActivities } from './assignee.js';
import { createCaseSlaActivities, type ResolveCaseSlaInput, type ResolvedCaseSla } from './sla.js';
import type { TierUnit } from './staff.js';

export interface EnterCaseTierInput extends ResolveCaseSlaInput, Pick<TierUnit, 'companyId' | 'projectId'> {}

export interface EnteredCaseTier extends ResolvedCaseSla {
  assigneeId: string | null;
}

export function createCaseTierActivities(deps: { db: Db }) {
  const { resolveCaseSla } = createCaseSlaActivities(deps);
  const { pickCaseAssignee } = createCaseAssigneeActivities(deps);
  return {
    /**
     * What a case needs to enter a tier, read in one go (slim histories: one local activity where the
     * case asked resolveCaseSla, then pickCaseAssignee): the tier's policy and calendar, and its
     * handler with the fewest open cases. Read-only, so a retry simply reads again.
     */
    async enterCaseTier(input: EnterCaseTierInput): Promise<EnteredCaseTier> {
      const sla = await resolveCaseSla(input);
      const assigneeId = await pickCaseAssignee({ groupId: input.groupId, companyId: input.companyId, projectId: input.projectId, tier: input.tier });
      return { ...sla, assigneeId };
    },
  };
}
