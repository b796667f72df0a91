import crypto from 'node:crypto';
import type { z } from '../http/zod.js';
import type { ApiDeps } from '../context.js';
import type { Principal } from '../../domain/access.js';
import { cadenceOf, openWindow } from '../../domain/leads/cadence.js';
import { findCadencePoliciesByGroup } from '../../platform/repositories/org-settings.js';
import { leadWorkflowId, type LeadFollowUpInput } from '../../workflows/leads/lead-follow-up.defs.js';
import { customerError } from '../../app/customers/errors.js';
import { leadError } from '../../app/leads/errors.js';
import { findProjectInScopeOrThrow } from '../org/routes.js';
import { findOrCreateCustomerByPhone } from '../cases/case-repository.js';
import { createLeadWithNextNumber, leadNumberPrefix, toLeadViewWithNames } from './lead-repository.js';
import { leadWorkflowExists, queryLeadStateOrNull, startLeadWorkflow } from './lead-workflow.js';
import { assertMayNameOwner, assertMayOwnLead, nextRoundRobinOwner } from './owners.js';
import type { CreateLeadBody, LeadView } from './schemas.js';

/** How long the answer to a creation waits for the workflow's first state (its first-contact deadline). */
const FIRST_STATE_TIMEOUT_MS = 10_000;


/**
 * Registers a lead: validates it against the organisation (project in scope, customer and referrer
 * of the group, owner), chooses its owner (named, or round robin among the project's staff of the
 * grade's owner role, or nobody: the pool), stores the read-model row and starts the workflow that
 * owns its cadence with the organisation's cadences and the project's time zone. Without a
 * workflow the row is removed again, so a lead never exists without its cadence.
 */
export async function createLead(deps: ApiDeps, principal: Principal, body: z.output<typeof CreateLeadBody>): Promise<z.input<typeof LeadView>> {
  const { db, temporal } = deps;
  const project = await findProjectInScopeOrThrow(db, principal, body.projectId);
  const place = { groupId: project.groupId, companyId: project.companyId, projectId: project.id };

  if (body.ownerId) {
    assertMayNameOwner(principal, body.ownerId, 'body.ownerId');
    await assertMayOwnLead(db, { ...place, ownerId: body.ownerId, path: 'body.ownerId' });
  }
  const existingCustomer = body.customerId ? await db.customer.findFirst({ where: { id: body.customerId, groupId: principal.groupId } }) : null;
  if (body.customerId && !existingCustomer) throw customerError('CUSTOMER_NOT_FOUND');
  if (body.referrerCustomerId) {
    // A referrer (老带新) is an existing owner: a customer of the group holding a unit of one of its projects.
    const owned = await db.unit.findFirst({
      where: { ownerCustomerId: body.referrerCustomerId, project: { groupId: principal.groupId } },
      select: { id: true },
    });
    const referrer = owned ? await db.customer.findFirst({ where: { id: body.referrerCustomerId, groupId: principal.groupId }, select: { id: true } }) : null;
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
  };
  try {
    await startLeadWorkflow(temporal, input, workflowId);
  } catch (err) {
    // A start that timed out may still have reached the server: keep the row if the workflow exists.
    if (!(await leadWorkflowExists(temporal, workflowId))) {
      await db.lead.delete({ where: { id: row.id } }).catch(() => undefined);
      deps.logger.warn({ leadId: row.id, err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'lead workflow did not start');
      throw leadError('LEAD_WORKFLOWS_UNAVAILABLE');
    }
  }
  const state = await queryLeadStateOrNull(temporal, workflowId, FIRST_STATE_TIMEOUT_MS);
  return toLeadViewWithNames(db, principal, row, state);
}
