import type { Db } from '../../platform/db.js';
import { applyCaseRevision } from '../../app/cases/case-record.js';

export interface ApplyCaseRevisionInput {
  caseId: string;
  /** A revision the API stored (`case_revision`): its values never pass through the workflow. */
  revisionId: string;
}

export function createCaseRevisionActivities(deps: { db: Db }) {
  return {
    /**
     * Applies an edit of the case record (description, contact) to the case row, once: idempotent
     * by the revision's `appliedAt`, written in the same transaction as the row.
     */
    async applyCaseRevision(input: ApplyCaseRevisionInput): Promise<{ applied: boolean }> {
      return applyCaseRevision(deps.db, input);
    },
  };
}
