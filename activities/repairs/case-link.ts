import type { Logger } from 'pino';
import { DomainError } from '../../app/errors.js';
import { caseWorkflow } from '../../app/cases/workflow.js';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import { caseWorkflowId, recordWorkOrderEnded, recordWorkOrderOpened } from '../../workflows/cases/complaint-case.defs.js';

export interface InformCaseOfWorkOrderInput {
  caseId: string;
  workOrderId: string;
  /** The order's workflow id: with the event, the Update's id, so a retried activity is one Update. */
  workOrderWorkflowId: string;
  event: 'opened' | 'ended';
  outcome?: 'done' | 'quote_refused' | 'cancelled';
}

export interface InformCaseOfWorkOrderResult {
  /** False when the case refused it or no longer runs (closed meanwhile): the order goes on regardless. */
  recorded: boolean;
  refusal?: string;
}

/**
 * Tells a work order's case that the order exists or how it ended, as an Update of the case's
 * workflow under a fixed id (`${workOrderWorkflowId}:case-${event}`), so a retried activity is one
 * Update. A case that refuses (closed) or has ended is logged, not retried: the order's own life
 * does not depend on it. Anything else (Temporal away, the Update not confirmed) is thrown and
 * retried.
 */
export function createCaseLinkActivities(deps: { logger: Logger; temporal?: TemporalGateway }) {
  return {
    async informCaseOfWorkOrder(input: InformCaseOfWorkOrderInput): Promise<InformCaseOfWorkOrderResult> {
      if (!deps.temporal) throw new Error('informCaseOfWorkOrder needs a Temporal client (the worker passes one)');
      const workflowId = caseWorkflowId(input.caseId);
      const updateId = `${input.workOrderWorkflowId}:case-${input.event}`;
      try {
        if (input.event === 'opened') {
          await caseWorkflow.executeUpdate(deps.temporal, workflowId, recordWorkOrderOpened, { actor: 'system', workOrderId: input.workOrderId }, { updateId });
        } else {
          await caseWorkflow.executeUpdate(deps.temporal, workflowId, recordWorkOrderEnded, { actor: 'system', workOrderId: input.workOrderId, outcome: input.outcome ?? 'cancelled' }, { updateId });
        }
        return { recorded: true };
      } catch (err) {
        // A refusal (409) or a case whose workflow has ended (its catalogue's "ended" answer).
        if (err instanceof DomainError && (err.status === 409 || err.status === 404)) {
          deps.logger.info({ caseId: input.caseId, workOrderId: input.workOrderId, event: input.event, refusal: err.reason }, 'work order: the case did not record it');
          return { recorded: false, refusal: err.reason };
        }
        throw err;
      }
    },
  };
}
