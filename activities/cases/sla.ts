import type { BusinessCalendar } from '../../domain/cases/business-calendar.js';
import type { SlaPolicy } from '../../domain/cases/sla-policy.js';
import type { CaseType, Severity, Tier } from '../../domain/cases/types.js';
import type { Db } from '../../platform/db.js';
import { resolveCaseSlaForGroup } from '../../app/cases/settings.js';

export interface ResolveCaseSlaInput {
  groupId: string;
  caseType: CaseType;
  category: string;
  severity: Severity;
  tier: Tier;
  /** When the case opened: its calendar snapshot covers the days from then (re-budgets recount from the targets' starts). */
  since?: number;
}

export interface ResolvedCaseSla {
  policy: SlaPolicy;
  calendar: BusinessCalendar | null;
}

export function createCaseSlaActivities(deps: { db: Db }) {
  return {
    /**
     * The SLA policy and calendar a case gets at a tier, read from the organisation's settings at
     * the moment the case enters the tier (a later edit does not move running deadlines). Read-only.
     */
    async resolveCaseSla(input: ResolveCaseSlaInput): Promise<ResolvedCaseSla> {
      return resolveCaseSlaForGroup(deps.db, input.groupId, {
        caseType: input.caseType,
        category: input.category,
        severity: input.severity,
        tier: input.tier,
      }, input.since);
    },
  };
}
