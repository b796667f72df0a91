import type { Logger } from 'pino';
import { openDefectCases } from '../../app/cases/open-defect-cases.js';
import type { Db } from '../../platform/db.js';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import type { OpenDefectCasesInput } from '../../workflows/sales/sale-lifecycle.defs.js';

export function createSaleDefectCaseActivities(deps: { db: Db; logger: Logger; temporal?: TemporalGateway | undefined }) {
  return {
    /**
     * Opens one repair case per defect of a sale's inspection or handover (app/cases/open-defect-cases.ts),
     * idempotent by the input's key: a retry opens nothing twice and only makes sure each case's workflow runs.
     */
    async openDefectCases(input: OpenDefectCasesInput): Promise<{ caseIds: string[] }> {
      const temporal = deps.temporal;
      if (!temporal) throw new Error('openDefectCases needs a Temporal client (ActivityDeps.temporal)');
      return openDefectCases({ db: deps.db, logger: deps.logger, temporal }, input);
    },
  };
}
