import crypto from 'node:crypto';
import type { Principal } from '../../domain/access.js';
import { cadenceOf, openWindow } from '../../domain/leads/cadence.js';
import { leadProcess } from '../../domain/leads/lead-process.js';
import type { Grade, LeadSource } from '../../domain/leads/types.js';
import { leadWorkflowId, type LeadFollowUpInput } from '../../workflows/leads/lead-follow-up.defs.js';
import { findCustomerOfGroup, findOrCreateCustomerByPhone } from '../customers/repository.js';
import { findProjectTimeZonesByIds, findUnitOwnedByCustomerInGroup, projectPlaceInScopeOrThrow } from '../org/repository.js';
import type { AppDeps } from '../shared/deps.js';
import { customerError } from '../customers/errors.js';
import { leadError } from './errors.js';
import { assertMayNameOwner, assertMayOwnLead, nextRoundRobinOwner } from './owners.js';
import { recordIdForRequest } from '../shared/request-identity.js';
import type { Lead } from '../../prisma/generated/client.js';
import type { CadencePolicy } from '../../domain/leads/cadence.js';
import { createLeadWithNextNumber, deleteLead, findLeadById, findLeadOpeningContext, findLeadRecord, leadNumberPrefix, type LeadRecord } from './repository.js';
import { LEAD_SETTING_KEYS, cadencePoliciesOfText, findCadencePoliciesByGroup } from './settings.js';
import { leadWorkflow } from './workflow.js';
import { findUserNamesByIds } from '../users/repository.js';


/** What the sales team's form asks for a new lead (the API's CreateLeadBody, once validated). */
export interface CreateLeadInput {
  projectId: string;
  /** A prospect not yet registered: found or created by phone. */
  customer?: { name: string; phone: string } | undefined;
  /** A registered customer of the organisation (instead of `customer`). */
  customerId?: string | undefined;
  source: LeadSource;
  grade: Grade;
  ownerId?: string | undefined;
  /** An existing owner (业主) of the organisation who referred this buyer (老带新). */
  referrerCustomerId?: string | undefined;
  note?: string | undefined;
}

/**
 * Registers a lead: validates it against the organisation (project in scope, customer and referrer
 * of the group, owner), chooses its owner (named, or round robin among the project's staff of the
 * grade's owner role, or nobody: the pool), stores the read-model row and starts the workflow that
 * owns its cadence with the organisation's cadences and the project's time zone. Without a
 * workflow the row is removed again, so a lead never exists without its cadence.
 *
 * With `requestKey` (the request's Idempotency-Key) the lead's id is the request's
 * (recordIdForRequest): run again after the process that ran it first died, it finds that lead,
 * makes sure its workflow runs and answers it, instead of registering a second one.
 */
export async function createLead(deps: AppDeps, principal: Principal, body: CreateLeadInput, o: { requestKey?: string | null } = {}): Promise<LeadRecord> {
  const { db, temporal } = deps;
  const requestId = o.requestKey ? recordIdForRequest('lead', o.requestKey) : null;
  // The project, whether this request's lead is stored already, and the cadences: one statement.
  const ctx = await findLeadOpeningContext(db, { groupId: principal.groupId, projectId: body.projectId, requestLeadId: requestId, cadenceKey: LEAD_SETTING_KEYS.cadencePolicies });
  if (requestId && ctx.requestStored) {
    const earlier = await findLeadById(db, requestId);
    if (earlier) return resumeLead(deps, earlier);
  }
  const project = projectPlaceInScopeOrThrow(principal, ctx.project);
  const place = { groupId: project.groupId, companyId: project.companyId, projectId: project.id };

  if (body.ownerId) {
    assertMayNameOwner(principal, body.ownerId, 'body.ownerId');
    await assertMayOwnLead(db, { ...place, ownerId: body.ownerId, path: 'body.ownerId' });
  }
  const existingCustomer = body.customerId ? await findCustomerOfGroup(db, principal.groupId, body.customerId) : null;
  if (body.customerId && !existingCustomer) throw customerError('CUSTOMER_NOT_FOUND');
  if (body.referrerCustomerId) {
    // A referrer (老带新) is an existing owner: a customer of the group holding a unit of one of its projects.
    const owned = await findUnitOwnedByCustomerInGroup(db, principal.groupId, body.referrerCustomerId);
    const referrer = owned ? await findCustomerOfGroup(db, principal.groupId, body.referrerCustomerId) : null;
    if (!referrer) throw leadError('REFERRER_NOT_OWNER', {}, { field: 'body.referrerCustomerId' });
  }
  const policies = cadencePoliciesOfText(ctx.cadencePolicies);
  const policy = cadenceOf({ policies, grade: body.grade });

  // Everything is valid: only now register the prospect and take a turn of the round robin.
  const customer = existingCustomer ?? (await findOrCreateCustomerByPhone(db, { groupId: principal.groupId, name: body.customer!.name, phone: body.customer!.phone }));
  if (body.referrerCustomerId && body.referrerCustomerId === customer.id) throw leadError('SELF_REFERRAL', {}, { field: 'body.referrerCustomerId' });
  const ownerId = body.ownerId ?? (await nextRoundRobinOwner(db, place, policy.ownerRole));

  const now = Date.now();
  const id = requestId ?? crypto.randomUUID();
  const workflowId = leadWorkflowId(id);
  const race = { row: null as Lead | null };
  const row = await createLeadWithNextNumber(db, {
    prefix: leadNumberPrefix(now, project.timeZone),
    data: {
      id,
      workflowId,
      groupId: project.groupId,
      companyId: project.companyId,
      projectId: project.id,
      customerId: customer.id,
      source: body.source,
      grade: body.grade,
      status: ownerId ? 'new' : 'pooled',
      ownerId,
      referrerCustomerId: body.referrerCustomerId ?? null,
      note: body.note ?? null,
      createdById: principal.id,
      createdAt: new Date(now),
      // Provisional (the column is required): the workflow's first projection writes the deadline it set.
      firstContactDueAt: new Date(openWindow({ policy, timeZone: project.timeZone, at: now, contacted: false }).dueAt),
      lastEventSeq: 0,
    },
  }).catch(async (err: unknown) => {
    // Another run of the same request stored it first.
    race.row = requestId ? await findLeadById(db, requestId) : null;
    if (!race.row) throw err;
    return race.row;
  });
  if (race.row) return resumeLead(deps, race.row);

  const input = leadWorkflowInputOf(row, { timeZone: project.timeZone, policies });
  await leadWorkflow.startOrUndo(temporal, input, workflowId, async (err) => {
    await deleteLead(db, row.id).catch(() => undefined);
    deps.logger.warn({ leadId: row.id, err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'lead workflow did not start');
  });
  // The answer does not wait for the worker: the workflow's first task computes this same state
  // from this same input (createdAt included) with the same pure rules.
  const rules = leadProcess(project.timeZone);
  const state = rules.reduce(rules.initialState(input, now), { type: 'create', arrival: input }, now).state;
  // A lead just registered: its project and customer are in hand, and no sale can name it yet
  // (findLeadRecord's other reads); only the owner's name is read.
  const ownerIds = [row.ownerId, state.ownerId].filter((x): x is string => x !== null);
  const userNames = ownerIds.length ? await findUserNamesByIds(db, ownerIds) : new Map<string, string>();
  return { row, state, projectName: project.name, userNames, customer, saleId: null };
}

/**
 * A lead an earlier run of the same request stored, finished: its workflow started with the row's
 * own input unless Temporal knows it, and answered with the first state as the first run answered
 * it (the same input, createdAt included).
 */
export async function resumeLead(deps: AppDeps, row: Lead): Promise<LeadRecord> {
  const { input } = await ensureLeadWorkflow(deps, row);
  const rules = leadProcess(input.timeZone);
  const at = row.createdAt.getTime();
  const state = rules.reduce(rules.initialState(input, at), { type: 'create', arrival: input }, at).state;
  return findLeadRecord(deps.db, row, state);
}

/** Starts a stored lead's workflow with the row's own input unless Temporal knows it (see workflowGateway.ensureStarted). */
export async function ensureLeadWorkflow(deps: AppDeps, row: Lead): Promise<{ input: LeadFollowUpInput; started: boolean }> {
  const [zones, policies] = await Promise.all([findProjectTimeZonesByIds(deps.db, [row.projectId]), findCadencePoliciesByGroup(deps.db, row.groupId)]);
  const input = leadWorkflowInputOf(row, { timeZone: zones.get(row.projectId)!, policies });
  const started = (await leadWorkflow.ensureStarted(deps.temporal, input, row.workflowId)) === 'started';
  return { input, started };
}

/** The workflow input of a stored lead row: the same for its first start and any later one. */
export function leadWorkflowInputOf(
  row: Pick<Lead, 'id' | 'number' | 'groupId' | 'companyId' | 'projectId' | 'source' | 'grade' | 'ownerId' | 'referrerCustomerId' | 'createdById' | 'createdAt'>,
  o: { timeZone: string; policies: CadencePolicy[] },
): LeadFollowUpInput {
  return {
    leadId: row.id,
    leadNumber: row.number,
    groupId: row.groupId,
    companyId: row.companyId,
    projectId: row.projectId,
    timeZone: o.timeZone,
    source: row.source as LeadSource,
    grade: row.grade as Grade,
    ownerId: row.ownerId,
    referrerCustomerId: row.referrerCustomerId,
    createdBy: row.createdById,
    policies: o.policies,
    createdAt: row.createdAt.getTime(),
  };
}
