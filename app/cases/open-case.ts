import crypto from 'node:crypto';
import { isUniqueViolation } from '../../platform/db.js';
import { initialTier } from '../../domain/cases/routing.js';
import { initialCaseState, reduceCase } from '../../domain/cases/case-process.js';
import type { BusinessCalendar } from '../../domain/cases/business-calendar.js';
import type { SlaPolicy } from '../../domain/cases/sla-policy.js';
import type { CaseType, Channel, Severity, Tier } from '../../domain/cases/types.js';
import type { Case, Prisma } from '../../prisma/generated/client.js';
import { caseProjectionView } from '../../domain/cases/case-projection.js';
import { caseSearchAttributes, caseWorkflowId, type CaseState, type ComplaintCaseInput } from '../../workflows/cases/complaint-case.defs.js';
import { findOrCreateCustomerByPhone } from '../customers/repository.js';
import { orgError } from '../org/errors.js';
import { isProjectInScope, type Principal } from '../../domain/access.js';
import { findUserNamesByIds } from '../users/repository.js';
import type { AppDeps } from '../shared/deps.js';
import { customerError } from '../customers/errors.js';
import { caseError } from './errors.js';
import { assertAssigneeForTier } from './assignee.js';
import type { Names } from '../shared/names.js';
import { caseNumberPrefix, createCaseWithNextNumber, deleteCase, findCaseBySourceKey, findCaseOpeningContext, findNamesForCases, insertCaseWithNextNumber, type CaseInsert } from './repository.js';
import { caseSettingsOfDocuments, resolveCaseSla, resolveCaseSlaForGroup } from './settings.js';
import { assertCategoryOfType } from './category.js';
import { caseWorkflow } from './workflow.js';


/** What an agent's form asks for a new case (the API's OpenCaseBody, once validated). */
export interface OpenCaseInput {
  type: CaseType;
  projectId: string;
  unitId?: string | undefined;
  /** A caller not yet registered: found or created by phone. */
  customer?: { name: string; phone: string } | undefined;
  /** A registered customer of the organisation (instead of `customer`). */
  customerId?: string | undefined;
  category: string;
  severity: Severity;
  channel: Channel;
  description: string;
  estimatedCost?: number | undefined;
  assigneeId?: string | undefined;
}

/** An opened case: its row, the workflow's first state (null when it did not answer in time), the names of its project, unit and people. */
export interface OpenedCase {
  row: Case;
  state: CaseState | null;
  names: Names;
}

/**
 * Opens a case: validates it against the organisation (project in scope, unit of that project,
 * category of the group's taxonomy in the tree of the case's type, customer of the group), routes it to its first tier, stores the
 * read-model row and starts the workflow that owns its clocks. Without a workflow the row is
 * removed again, so a case never exists without its clocks.
 */
export async function openCase(deps: AppDeps, principal: Principal, body: OpenCaseInput, o: { requestKey?: string | null } = {}): Promise<OpenedCase> {
  const { db } = deps;
  // A request with an Idempotency-Key stores its case under it: run again (the process that ran it
  // first died), it finds that case instead of opening a second one.
  const sourceKey = o.requestKey ? `request:${o.requestKey}` : null;
  if (sourceKey) {
    const earlier = await findCaseBySourceKey(db, sourceKey);
    if (earlier) return reopenedAnswer(deps, earlier);
  }
  // Everything the checks read, in one statement: project, unit, the registered customer's group,
  // the settings documents (each text parsed once per process), and the people the answer names.
  const ctx = await findCaseOpeningContext(db, {
    groupId: principal.groupId,
    projectId: body.projectId,
    unitId: body.unitId ?? null,
    customerId: body.customerId ?? null,
    userIds: [principal.id, ...(body.assigneeId ? [body.assigneeId] : [])],
  });
  const { project, unit } = ctx;
  if (!project || project.groupId !== principal.groupId) throw orgError('PROJECT_NOT_FOUND');
  if (!isProjectInScope(principal, project)) throw orgError('OUT_OF_SCOPE');
  const settings = caseSettingsOfDocuments(ctx.settings);
  assertCategoryOfType(settings.categories, { type: body.type, category: body.category });
  if (body.unitId && (!unit || unit.projectId !== project.id)) throw caseError('UNIT_NOT_IN_PROJECT', {}, { field: 'body.unitId' });

  const tier: Tier = initialTier({
    severity: body.severity,
    caseType: body.type,
    estimatedCost: body.estimatedCost ?? null,
    warrantyAuthorisationAmount: project.warrantyAuthorisationAmount,
  });
  const where = { groupId: project.groupId, companyId: project.companyId, projectId: project.id, caseTier: tier };
  if (body.assigneeId) await assertAssigneeForTier(db, { ...where, assigneeId: body.assigneeId });
  if (body.customerId && !ctx.customerOfGroup) throw customerError('CUSTOMER_NOT_FOUND');
  const { policy, calendar } = resolveCaseSla(settings, { caseType: body.type, category: body.category, severity: body.severity, tier });

  const newCase: Omit<NewCase, 'customerId'> = {
    project,
    unitId: body.unitId ?? null,
    type: body.type,
    category: body.category,
    severity: body.severity,
    channel: body.channel,
    description: body.description,
    estimatedCost: body.estimatedCost ?? null,
    tier,
    assigneeId: body.assigneeId ?? null,
    policy,
    calendar,
    openedBy: principal.id,
    sourceKey,
  };
  // A new caller is registered only once the request has passed every check: in the statement
  // that stores the case (or, on its rare general path, just before it).
  const caller = body.customerId ? { id: body.customerId } : { groupId: principal.groupId, name: body.customer!.name, phone: body.customer!.phone };
  let row: Case;
  let state: CaseState;
  try {
    row = await storeCase(deps, newCase, caller);
    // The answer does not wait for the worker: the first state is what the workflow's first task
    // computes, by the same pure reducer from the same input (openedAt included). Computed once:
    // the start carries its search attributes too.
    state = await startCaseWorkflowOrUndo(deps, row, newCase);
  } catch (err) {
    // Another run of the same request stored it first.
    const raced = sourceKey && isUniqueViolation(err) ? await findCaseBySourceKey(db, sourceKey) : null;
    if (!raced) throw err;
    return reopenedAnswer(deps, raced);
  }
  // The project, unit and the people were read above; a person the first state names besides them is looked up.
  const userIds = [row.assigneeId, row.openedById, state.assigneeId].filter((id): id is string => !!id && id !== 'system');
  const names: Names = {
    user: userIds.every((id) => ctx.userNames.has(id)) ? ctx.userNames : await findUserNamesByIds(db, userIds, row.groupId),
    project: new Map([[project.id, project.name]]),
    unit: unit ? new Map([[unit.name.id, unit.name]]) : new Map(),
  };
  return { row, state, names };
}

/**
 * Stores an agent's case under the day's next number with its caller, in one statement when it
 * can (insertCaseWithNextNumber), else on the general path: the caller found or registered, then
 * the numbered row.
 */
async function storeCase(deps: AppDeps, c: Omit<NewCase, 'customerId'>, customer: { id: string } | { groupId: string; name: string; phone: string }): Promise<Case> {
  const now = Date.now();
  const id = crypto.randomUUID();
  const prefix = caseNumberPrefix(now, c.project.timeZone);
  const data = caseRowData(c, id, now);
  const stored = await insertCaseWithNextNumber(deps.db, { prefix, data, customer });
  if (stored) return stored;
  const customerId = 'id' in customer ? customer.id : (await findOrCreateCustomerByPhone(deps.db, customer)).id;
  return createCaseWithNextNumber(deps.db, { prefix, data: { ...data, customerId, sla: {} } });
}

/**
 * The answer for a case an earlier run of the same request stored: its workflow made sure of
 * (started with the row's own input unless Temporal knows it), and its first state as the first
 * run answered it, from the same input.
 */
async function reopenedAnswer(deps: AppDeps, row: Case): Promise<OpenedCase> {
  const state = firstCaseState((await ensureCaseWorkflow(deps, row)).input);
  return { row, state, names: await findNamesForCases(deps.db, row.groupId, [row], [state.assigneeId]) };
}

/**
 * Starts a stored case's workflow with the row's own input unless Temporal knows it (see
 * workflowGateway.ensureStarted): for a retried request, and the sweep of abandoned openings.
 */
export async function ensureCaseWorkflow(deps: AppDeps, row: Case): Promise<{ input: ComplaintCaseInput; started: boolean }> {
  const { policy, calendar } = await resolveCaseSlaForGroup(deps.db, row.groupId, {
    caseType: row.type as CaseType,
    category: row.category,
    severity: row.severity as Severity,
    tier: row.tier as Tier,
  });
  const input = caseWorkflowInputOf(row, { type: row.type as CaseType, severity: row.severity as Severity, channel: row.channel as Channel, tier: row.tier as Tier, policy, calendar });
  const started = (await caseWorkflow.ensureStarted(deps.temporal, input, row.workflowId)) === 'started';
  return { input, started };
}

/** A validated case, ready to be stored and started: what an agent's form or a sale's defect list becomes. */
export interface NewCase {
  project: { id: string; groupId: string; companyId: string; timeZone: string };
  unitId: string | null;
  customerId: string;
  type: CaseType;
  category: string;
  severity: Severity;
  channel: Channel;
  description: string;
  estimatedCost: number | null;
  tier: Tier;
  assigneeId: string | null;
  policy: SlaPolicy;
  calendar: BusinessCalendar | null;
  /** A user id, or `system`. */
  openedBy: string;
  /** The sale whose inspection or handover raised it. */
  saleId?: string | null;
  /** What opened it when not a person's request; unique, so a retried opening fails with P2002 and re-reads. */
  sourceKey?: string | null;
}

/**
 * Stores the read-model row under the day's next number and starts the workflow that owns the
 * case's clocks. Without a workflow the row is removed again (DEPENDENCY_UNAVAILABLE), so a case
 * never exists without its clocks. No principal: the caller has validated and scoped the case
 * (the API for a person, the sale activities for defects).
 */
export async function createCaseAndStartWorkflow(deps: AppDeps, c: NewCase): Promise<Case> {
  const now = Date.now();
  const id = crypto.randomUUID();
  const row = await createCaseWithNextNumber(deps.db, {
    prefix: caseNumberPrefix(now, c.project.timeZone),
    data: { ...caseRowData(c, id, now), customerId: c.customerId, sla: {} },
  });
  await startCaseWorkflowOrUndo(deps, row, c);
  return row;
}

/** The columns of a new case's row but its number and customer. */
function caseRowData(c: Omit<NewCase, 'customerId'>, id: string, now: number): CaseInsert {
  return {
    id,
    workflowId: caseWorkflowId(id),
    groupId: c.project.groupId,
    companyId: c.project.companyId,
    projectId: c.project.id,
    unitId: c.unitId,
    type: c.type,
    category: c.category,
    severity: c.severity,
    channel: c.channel,
    description: c.description,
    estimatedCost: c.estimatedCost,
    saleId: c.saleId ?? null,
    sourceKey: c.sourceKey ?? null,
    status: 'open',
    tier: c.tier,
    assigneeId: c.assigneeId,
    policyId: c.policy.id,
    openedById: c.openedBy,
    openedAt: new Date(now),
    lastEventSeq: 0,
    // The opened case's view, from which the workflow's first step sends only what changed
    // (workflows/cases/complaint-case.ts, patch case-step-delta): the same pure functions the
    // workflow runs, from the same input (its number aside, which the view does not hold).
    projection: openingProjection(caseWorkflowInputOf({ id, number: '', groupId: c.project.groupId, companyId: c.project.companyId, projectId: c.project.id, assigneeId: c.assigneeId, category: c.category, openedById: c.openedBy, openedAt: new Date(now) }, c)),
  };
}

/** A new case row's projection: the view of its first state at seq 0 (see case_record.projection). */
export function openingProjection(input: ComplaintCaseInput): Prisma.InputJsonObject {
  return { seq: 0, view: caseProjectionView(firstCaseState(input), { compact: true }) } as unknown as Prisma.InputJsonObject;
}

/**
 * Starts a stored case's workflow; without one the row is removed again (DEPENDENCY_UNAVAILABLE), so
 * a case never exists without its clocks. Returns the case's first state (firstCaseState of the input).
 */
async function startCaseWorkflowOrUndo(deps: AppDeps, row: Case, c: Pick<NewCase, 'type' | 'severity' | 'channel' | 'tier' | 'policy' | 'calendar'>): Promise<CaseState> {
  const input = caseWorkflowInputOf(row, c);
  const first = firstCaseState(input);
  await caseWorkflow.startOrUndo(
    deps.temporal,
    input,
    row.workflowId,
    async (err) => {
      await deleteCase(deps.db, row.id).catch(() => undefined);
      deps.logger.warn({ caseId: row.id, err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'case workflow did not start');
    },
    // Started with its first state's search attributes (slim histories): the first task upserts none.
    caseSearchAttributes(first, input),
  );
  return first;
}

/** The case's state after its workflow's first task (opened, first targets running): what the API answers with. */
export function firstCaseState(input: ComplaintCaseInput): CaseState {
  const openedAt = input.openedAt ?? Date.now();
  return reduceCase(initialCaseState(input, openedAt), { type: 'open', opening: input }, openedAt).state;
}

/** The workflow input of a stored case row: the same for its first start and any later re-start. */
export function caseWorkflowInputOf(
  row: Pick<Case, 'id' | 'number' | 'groupId' | 'companyId' | 'projectId' | 'assigneeId' | 'category' | 'openedById' | 'openedAt'>,
  c: Pick<NewCase, 'type' | 'severity' | 'channel' | 'tier' | 'policy' | 'calendar'>,
): ComplaintCaseInput {
  return {
    caseId: row.id,
    caseNumber: row.number,
    groupId: row.groupId,
    companyId: row.companyId,
    projectId: row.projectId,
    type: c.type,
    category: row.category,
    severity: c.severity,
    channel: c.channel,
    tier: c.tier,
    assigneeId: row.assigneeId,
    openedBy: row.openedById,
    policy: c.policy,
    calendar: c.calendar,
    openedAt: row.openedAt.getTime(),
  };
}
