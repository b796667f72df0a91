import { continueAsNew, patched, proxyActivities } from '@temporalio/workflow';
import {
  continuedSaleState,
  initialSaleState,
  isSaleEnded,
  latestApproval,
  reduceSale,
  saleNextWakeAt,
  validateSaleCommand,
  type SaleAction,
  type SaleCommand,
  type SaleTask,
} from '../../domain/sales/sale-process.js';
import type { SaleNotice } from '../../domain/sales/sale-state.js';
import { DATABASE_ACTIVITY, keywordAttribute, MAIL_ACTIVITY, startProcess } from '../kit/process.js';
import { getSaleState, requestApproval, SALE_UPDATES, type SaleActivities, type SaleLifecycleInput, type SaleState } from './sale-lifecycle.defs.js';

const { recordAuditEvent, projectSale, openDefectCases } = proxyActivities<SaleActivities>(DATABASE_ACTIVITY);
const { notifySaleParties } = proxyActivities<SaleActivities>(MAIL_ACTIVITY);

/** Typed keys of the search attributes registered in platform/temporal/search-attributes.ts: ids and states only. */
export const SALE_SEARCH_ATTRIBUTES = {
  SaleStage: keywordAttribute('SaleStage'),
  ProjectId: keywordAttribute('ProjectId'),
  AssigneeId: keywordAttribute('AssigneeId'),
} as const;

/**
 * One sale, from the deposit to the keys (DESIGN.md section 3): wiring of the sale's rules
 * (domain/sales/sale-process.ts, where its decisions are documented) onto the workflow kit.
 * Human actions arrive as Updates whose validators refuse with a SALE_REJECTIONS code; they answer
 * at once, never waiting for the repair cases a defect opens. Reminders, missed deadlines,
 * progress emails and the inspection fire from durable timers. Sales always continued as new.
 */
export async function saleLifecycle(input: SaleLifecycleInput): Promise<SaleState> {
  const { groupId, companyId, projectId } = input;
  const process = startProcess<SaleState, SaleAction, SaleNotice, SaleTask>({
    state: input.carried
      ? continuedSaleState(input.carried, input.timeZone)
      : initialSaleState(input, input.createdAt ?? Date.now(), { anchorProgress: patched('sale-progress-anchored') }),
    reduce: reduceSale,
    tick: { type: 'tick' },
    nextWakeAt: saleNextWakeAt,
    isEnded: isSaleEnded,
    searchAttributes: (s) => [
      [SALE_SEARCH_ATTRIBUTES.SaleStage, s.stage],
      [SALE_SEARCH_ATTRIBUTES.ProjectId, projectId],
      [SALE_SEARCH_ATTRIBUTES.AssigneeId, s.ownerId],
    ],
    effects: {
      audit: (record) => recordAuditEvent({ ...record, groupId }),
      notify: (notice, { idempotencyKeyBase, state }) =>
        notifySaleParties({ ...notice, saleId: state.saleId, saleNumber: state.saleNumber, groupId, companyId, projectId, unitId: state.unitId, idempotencyKeyBase }),
      task: async (task, { idempotencyKey, state }): Promise<SaleAction> => {
        const { caseIds } = await openDefectCases({
          saleId: state.saleId,
          saleNumber: state.saleNumber,
          groupId,
          companyId,
          projectId,
          unitId: state.unitId,
          customerId: state.customerId,
          source: task.source,
          defects: task.defects,
          resolutionWithin: state.policy.defectResolution,
          openedBy: task.actor,
          idempotencyKey,
        });
        return { type: 'defectCasesOpened', source: task.source, caseIds };
      },
      project: ({ seq, state }) => projectSale({ saleId: state.saleId, seq, state }),
    },
    continueAsNew: {
      historyLimit: input.historyLimit,
      next: (carried) => {
        const { carried: _previous, ...rest } = input;
        return continueAsNew<typeof saleLifecycle>({ ...rest, carried });
      },
    },
  });

  process.query(getSaleState);
  const validate = (state: SaleState, command: SaleAction) => validateSaleCommand(state, command as SaleCommand);
  // Sale Updates always answered at once: the repair cases of a defect open after the answer.
  process.commands(SALE_UPDATES, validate, { awaitTasks: false });
  process.update(requestApproval, { action: (args) => ({ ...args, type: 'requestApproval' }), validate, reply: latestApproval });
  if (!input.carried) process.dispatch({ type: 'subscribe', actor: input.createdBy, ...(input.createdAt !== undefined ? { at: input.createdAt } : {}) });
  return process.run();
}
