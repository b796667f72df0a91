import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { isCategoryOfType, isValidCategory, isWithinCategory, type Category } from '../../domain/cases/categories.js';
import { parseSlaDuration } from '../../domain/cases/durations.js';
import { initialTier } from '../../domain/cases/routing.js';
import type { SlaPolicy } from '../../domain/cases/sla-policy.js';
import type { Logger } from 'pino';
import { isUniqueViolation } from '../../platform/db.js';
import type { Case } from '../../prisma/generated/client.js';
import type { OpenDefectCasesInput } from '../../workflows/sales/sale-lifecycle.defs.js';
import { findProjectById } from '../org/repository.js';
import type { AppDeps } from '../shared/deps.js';
import { caseWorkflowInputOf, createCaseAndStartWorkflow, type NewCase } from './open-case.js';
import { findCaseBySourceKey } from './repository.js';
import { findCategoriesByGroup, resolveCaseSlaForGroup } from './settings.js';
import { caseWorkflow } from './workflow.js';

/** How a sale's defect becomes a repair case: found in person at the unit, minor, at the project office. */
const DEFECT_CASE = { type: 'repair', severity: 'minor', channel: 'walk_in' } as const;

/**
 * The case category of a defect: its own code when the group's taxonomy has it in the repair tree
 * (a defect case is a repair: one type drives the tree), or the same code under `repair.`
 * (`plumbing.leak` → `repair.plumbing.leak`); otherwise the repair root (or the first repair
 * category), so a defect recorded with a stale code still becomes a case.
 */
export function defectCategoryOf({ category, categories }: { category: string; categories: readonly Category[] }): string {
  if (isCategoryOfType({ code: category, type: DEFECT_CASE.type, categories })) return category;
  if (isValidCategory({ code: `repair.${category}`, categories })) return `repair.${category}`;
  if (isValidCategory({ code: 'repair', categories })) return 'repair';
  const repair = categories.find((c) => isWithinCategory({ code: c.code, prefix: 'repair' }));
  return repair?.code ?? categories[0]?.code ?? 'repair';
}

/** The defect's case text: where and what, tagged with the sale and the occasion (验房 inspection / 交付 handover). */
export function defectDescriptionOf(input: Pick<OpenDefectCasesInput, 'saleNumber' | 'source'>, defect: { location: string; description: string }): string {
  return `${defect.location}: ${defect.description} [销售 ${input.saleNumber} ${input.source === 'inspection' ? '验房' : '交付'}]`;
}

/** The case's own policy for the group, with the sale policy's resolution target (handover rule: fixed within 7 days). */
function withResolution(logger: Logger, policy: SlaPolicy, resolutionWithin: string): SlaPolicy {
  const parsed = parseSlaDuration({ iso: resolutionWithin, clock: policy.clock });
  if (parsed.ok) return { ...policy, resolution: resolutionWithin };
  // The sales policy allows months (P1M); an SLA target does not. Keep the case policy's own
  // target rather than open a case whose workflow would refuse it.
  logger.warn({ policyId: policy.id, resolutionWithin, reason: parsed.message }, 'defect resolution target not usable as an SLA target; keeping the policy target');
  return policy;
}

/**
 * Opens one repair case per defect of a sale's inspection or handover, each with its workflow,
 * and returns their ids in defect order. Defect i's case carries the unique sourceKey
 * `${idempotencyKey}:${i}`: a retry (or a concurrent attempt) finds the case and only makes sure
 * its workflow runs, so nothing is opened twice. Called by the sale workflow's activity.
 */
export async function openDefectCases(deps: AppDeps, input: OpenDefectCasesInput): Promise<{ caseIds: string[] }> {
  const { db, temporal, logger } = deps;
  const project = await findProjectById(db, input.projectId);
  if (!project) throw new Error(`project ${input.projectId} of sale ${input.saleId} not found`);
  const categories = await findCategoriesByGroup(db, input.groupId);
  const tier = initialTier({ severity: DEFECT_CASE.severity, caseType: DEFECT_CASE.type, estimatedCost: null, warrantyAuthorisationAmount: project.warrantyAuthorisationAmount.toNumber() });

  const settingsOf = async (category: string) => {
    const { policy, calendar } = await resolveCaseSlaForGroup(db, input.groupId, { caseType: DEFECT_CASE.type, category, severity: DEFECT_CASE.severity, tier });
    return { ...DEFECT_CASE, tier, policy: withResolution(logger, policy, input.resolutionWithin), calendar };
  };
  /** A case found by its sourceKey: start its workflow unless Temporal knows it (running, or already closed). */
  const ensureStarted = async (row: Case) => {
    if (await caseWorkflow.exists(temporal, row.workflowId)) return;
    try {
      await caseWorkflow.start(temporal, caseWorkflowInputOf(row, await settingsOf(row.category)), row.workflowId);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  };

  const caseIds: string[] = [];
  for (const [i, defect] of input.defects.entries()) {
    const sourceKey = `${input.idempotencyKey}:${i}`;
    const existing = await findCaseBySourceKey(db, sourceKey);
    if (existing) {
      await ensureStarted(existing);
      caseIds.push(existing.id);
      continue;
    }
    const category = defectCategoryOf({ category: defect.category, categories });
    const c: NewCase = {
      project,
      unitId: input.unitId,
      customerId: input.customerId,
      category,
      description: defectDescriptionOf(input, defect),
      estimatedCost: null,
      assigneeId: null,
      openedBy: input.openedBy,
      saleId: input.saleId,
      sourceKey,
      ...(await settingsOf(category)),
    };
    try {
      const row = await createCaseAndStartWorkflow(deps, c);
      caseIds.push(row.id);
    } catch (err) {
      // Another attempt of this activity stored it first.
      const raced = isUniqueViolation(err) ? await findCaseBySourceKey(db, sourceKey) : null;
      if (!raced) throw err;
      await ensureStarted(raced);
      caseIds.push(raced.id);
    }
  }
  return { caseIds };
}
