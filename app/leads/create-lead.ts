import crypto from 'node:crypto';
import type { Principal } from '../../domain/access.js';
import { cadenceOf, openWindow } from '../../domain/leads/cadence.js';
import { leadProcess } from '../../domain/leads/lead-process.js';
import type { Grade, LeadSource } from '../../domain/leads/types.js';
import { leadWorkflowId, type LeadFollowUpInput } from '../../workflows/leads/lead-follow-up.defs.js';
import { findCustomerOfGroup, findOrCreateCustomerByPhone } from '../customers/repository.js';
import { findProjectInScopeOrThrow, findUnitOwnedByCustomerInGroup } from '../org/repository.js';
import type { AppDeps } from '../shared/deps.js';
import { customerError } from '../customers/errors.js';
import { leadError } from './errors.js';
import { assertMayNameOwner, assertMayOwnLead, nextRoundRobinOwner } from './owners.js';
import { createLeadWithNextNumber, deleteLead, findLeadRecord, leadNumberPrefix, type LeadRecord } from './repository.js';
import { findCadencePoliciesByGroup } from './settings.js';
import { leadWorkflow } from './workflow.js';


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
 */
export async function createLead(deps: AppDeps, principal: Principal, body: CreateLeadInput): Promise<LeadRecord> {
  const { db, temporal } = deps;
  const project = await findProjectInScopeOrThrow(db, principal, body.projectId);
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
  const policies = await findCadencePoliciesByGroup(db, principal.groupId);
  const policy = cadenceOf({ policies, grade: body.grade });

  // Everything is valid: only now register the prospect and take a turn of the round robin.
  const customer = existingCustomer ?? (await findOrCreateCustomerByPhone(db, { groupId: principal.groupId, name: body.customer!.name, phone: body.customer!.phone }));
  if (body.referrerCustomerId && body.referrerCustomerId === customer.id) throw leadError('SELF_REFERRAL', {}, { field: 'body.referrerCustomerId' });
  const ownerId = body.ownerId ?? (await nextRoundRobinOwner(db, place, policy.ownerRole));

  const now = Date.now();
  const id = crypto.randomUUID();
  const workflowId = leadWorkflowId(id);
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
  });

  const input: LeadFollowUpInput = {
    leadId: row.id,
    leadNumber: row.number,
    groupId: row.groupId,
    companyId: row.companyId,
    projectId: row.projectId,
    timeZone: project.timeZone,
    source: body.source,
    grade: body.grade,
    ownerId,
    referrerCustomerId: row.referrerCustomerId,
    createdBy: principal.id,
    policies,
    createdAt: now,
  };
  await leadWorkflow.startOrUndo(temporal, input, workflowId, async (err) => {
    await deleteLead(db, row.id).catch(() => undefined);
    deps.logger.warn({ leadId: row.id, err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'lead workflow did not start');
  });
  // The answer does not wait for the worker: the workflow's first task computes this same state
  // from this same input (createdAt included) with the same pure rules.
  const rules = leadProcess(project.timeZone);
  const state = rules.reduce(rules.initialState(input, now), { type: 'create', arrival: input }, now).state;
  return findLeadRecord(db, row, state);
}
