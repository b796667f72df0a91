import crypto from 'node:crypto';
import type { UpdateDefinition } from '@temporalio/common';
import type { Principal } from '../../domain/access.js';
import { currentVisit } from '../../domain/repairs/work-order-process.js';
import type { WorkOrderAssignee } from '../../domain/repairs/work-order-state.js';
import { isProjectInScope } from '../../domain/access.js';
import { assign, checkIn, reassign, recordResult, signOff, type ActionBase, type WorkOrderState } from '../../workflows/repairs/work-order.defs.js';
import type { WorkOrder } from '../../prisma/generated/client.js';
import { recordIdForRequest, updateIdForRequest } from '../shared/request-identity.js';
import type { AppDeps } from '../shared/deps.js';
import { uploadPhoto } from '../photos/upload-photo.js';
import { workOrderError } from './errors.js';
import { loadWorkOrderFor, type WorkOrderRule } from './load-work-order.js';
import { findActiveContractorCompany, findActiveTechnician, findWorkOrderById } from './repository.js';
import { linkPhoto, type WorkOrderPhotoDeps } from './work-order-photos.js';
import { workOrderRecord, type WorkOrderRecord } from './work-order-record.js';
import { workOrderWorkflow } from './workflow.js';

/**
 * Sends one Update to a work order the rule admits the principal to, and answers the order as it
 * then is (the row, re-read, with the Update's state). With the request's key the Update goes
 * under the request's id: a run again of the same request gets the first outcome.
 */
export async function actOnWorkOrder<A extends object>(
  deps: AppDeps,
  principal: Principal,
  o: { id: string; rule: Exclude<WorkOrderRule, 'read'>; update: UpdateDefinition<WorkOrderState, [ActionBase & A]>; args: A; requestKey?: string | null | undefined },
): Promise<WorkOrderRecord> {
  const { row } = await loadWorkOrderFor(deps, principal, o.id, o.rule);
  return send(deps, principal, row, o.update, o.args, o.requestKey);
}

function send<A extends object>(deps: AppDeps, principal: Principal, row: WorkOrder, update: UpdateDefinition<WorkOrderState, [ActionBase & A]>, args: A, requestKey: string | null | undefined) {
  return sendAs(deps, principal.id, row, update, args, requestKey);
}

/** Sends one Update as `actor` (a user's id, or the owner's `customer:<id>`) and answers the order as it then is. */
export async function sendAs<A extends object>(deps: AppDeps, actor: string, row: WorkOrder, update: UpdateDefinition<WorkOrderState, [ActionBase & A]>, args: A, requestKey: string | null | undefined) {
  const state = await workOrderWorkflow.executeUpdate(deps.temporal, row.workflowId, update, { ...args, actor } as ActionBase & A, updateIdForRequest(requestKey, update));
  return workOrderRecord(deps.db, (await findWorkOrderById(deps.db, row.id)) ?? row, state);
}

/**
 * A dispatcher gives the order to someone (`assign` an order nobody holds, `reassign` with why):
 * the rules first (nothing about the assignee is told to someone who may not dispatch the order),
 * then the assignee, then the Update.
 */
export async function assignWorkOrder(
  deps: AppDeps,
  principal: Principal,
  id: string,
  body: { assignee: WorkOrderAssignee; reason?: string | undefined },
  requestKey?: string | null,
): Promise<WorkOrderRecord> {
  const { row } = await loadWorkOrderFor(deps, principal, id, 'dispatch');
  await assertAssignee(deps, row, body.assignee);
  return body.reason === undefined ? send(deps, principal, row, assign, { assignee: body.assignee }, requestKey) : send(deps, principal, row, reassign, { assignee: body.assignee, reason: body.reason }, requestKey);
}

/** An assignee a dispatcher names: an active technician whose scope holds the order's project, or an active contractor company. */
async function assertAssignee(deps: AppDeps, row: Pick<WorkOrder, 'groupId' | 'companyId' | 'projectId'>, a: WorkOrderAssignee): Promise<void> {
  if (a.kind === 'technician') {
    const user = await findActiveTechnician(deps.db, { groupId: row.groupId, userId: a.userId });
    if (!user || !isProjectInScope(user, { id: row.projectId, groupId: row.groupId, companyId: row.companyId })) throw workOrderError('WORK_ORDER_NOT_A_TECHNICIAN', {}, { field: 'body.assignee.userId' });
  } else if (!(await findActiveContractorCompany(deps.db, { groupId: row.groupId, id: a.companyId }))) {
    throw workOrderError('WORK_ORDER_NOT_A_CONTRACTOR', {}, { field: 'body.assignee.companyId' });
  }
}

/** A row id for what a request stores: the request's own when it has a key (a retry finds it), else new. */
const rowId = (requestKey: string | null | undefined, what: string) => (requestKey ? recordIdForRequest('work-order', `${requestKey}:${what}`) : crypto.randomUUID());

/**
 * Check-in on site. A geolocation, when the phone gave one, is stored in
 * work_order_check_in_location and the workflow gets only its id: coordinates never enter the
 * workflow's history. Refused by the workflow, the stored location is removed again.
 */
export async function checkInToWorkOrder(deps: AppDeps, principal: Principal, id: string, body: { location?: { lat: number; lng: number; accuracy?: number | undefined } | undefined }, requestKey?: string | null) {
  const { row } = await loadWorkOrderFor(deps, principal, id, 'field');
  let locationId: string | null = null;
  if (body.location) {
    locationId = rowId(requestKey, 'check-in');
    const l = body.location;
    await deps.db.workOrderCheckInLocation.upsert({
      where: { id: locationId },
      create: { id: locationId, workOrderId: row.id, latitude: l.lat.toFixed(6), longitude: l.lng.toFixed(6), accuracyM: l.accuracy === undefined ? null : Math.round(l.accuracy), recordedBy: principal.id },
      update: {},
    });
  }
  try {
    return await send(deps, principal, row, checkIn, { locationId }, requestKey);
  } catch (err) {
    if (locationId && !requestKey) await deps.db.workOrderCheckInLocation.deleteMany({ where: { id: locationId } }).catch(() => undefined);
    throw err;
  }
}

export interface ResultInput {
  text: string;
  materials: Array<{ name: string; quantity: number; unit: string }>;
  photoKeys: string[];
  costFen: number;
}

/**
 * The visit's result: text and materials in work_order_result, the workflow given its id, the
 * photos' content keys (each must have been uploaded to this order) and the cost.
 */
export async function recordWorkOrderResult(deps: AppDeps, principal: Principal, id: string, body: ResultInput, requestKey?: string | null) {
  const { row, live } = await loadWorkOrderFor(deps, principal, id, 'field');
  const uploaded = new Set((await deps.db.workOrderPhoto.findMany({ where: { workOrderId: row.id, key: { in: body.photoKeys } }, select: { key: true } })).map((p) => p.key));
  const missing = body.photoKeys.map((key, i) => ({ key, i })).filter((p) => !uploaded.has(p.key));
  if (missing.length)
    throw workOrderError('VALIDATION_FAILED', {}, { fieldErrors: missing.map((m) => workOrderError.field(`body.photoKeys.${m.i}`, 'WORK_ORDER_PHOTO_NOT_UPLOADED', { key: m.key })) });
  const resultId = rowId(requestKey, 'result');
  await deps.db.workOrderResult.upsert({
    where: { id: resultId },
    create: { id: resultId, workOrderId: row.id, visit: (live && currentVisit(live)?.number) ?? row.visitCount, text: body.text, materials: body.materials, photoKeys: body.photoKeys, costFen: body.costFen, recordedBy: principal.id },
    update: {},
  });
  try {
    return await send(deps, principal, row, recordResult, { resultId, photoIds: body.photoKeys, costFen: body.costFen }, requestKey);
  } catch (err) {
    if (!requestKey) await deps.db.workOrderResult.deleteMany({ where: { id: resultId } }).catch(() => undefined);
    throw err;
  }
}

export type SignOffInput =
  | { accepted: true; signature: { png: Uint8Array } | { svgPath: string }; channel: 'on_site' | 'link' }
  | { accepted: false; reason: string; channel: 'on_site' | 'link' };

/**
 * The owner's sign-off, on the holder's phone: accepted with a signature (a PNG, kept like a photo
 * and linked to the order as `signature`, or an SVG path kept as text), or rejected with a reason
 * (rework: a new visit). Stored in work_order_sign_off; the workflow gets its id.
 */
export async function signOffWorkOrder(deps: WorkOrderPhotoDeps, principal: Principal, id: string, body: SignOffInput, requestKey?: string | null) {
  const { row, live } = await loadWorkOrderFor(deps, principal, id, 'field');
  return recordSignOff(deps, { row, live, actor: principal.id }, body, requestKey);
}

/**
 * Records a sign-off of the order's current visit for `actor`: the holder (on the phone) or the
 * owner through a one-time link (`customer:<id>`, app/repairs/sign-off-links.ts), whose access the
 * caller has checked. With a request key, the stored rows and the Update go under it.
 */
export async function recordSignOff(
  deps: WorkOrderPhotoDeps,
  o: { row: WorkOrder; live: WorkOrderState | null; actor: string },
  body: SignOffInput,
  requestKey?: string | null,
): Promise<WorkOrderRecord> {
  const { row, live, actor } = o;
  let signatureKey: string | null = null;
  let signaturePath: string | null = null;
  if (body.accepted) {
    if ('png' in body.signature) {
      const stored = await uploadPhoto(deps, { bytes: body.signature.png }, deps.photoLimits);
      await linkPhoto(deps, row.id, actor, stored, 'signature');
      signatureKey = stored.key;
    } else signaturePath = body.signature.svgPath;
  }
  const signOffId = rowId(requestKey, 'sign-off');
  await deps.db.workOrderSignOff.upsert({
    where: { id: signOffId },
    create: {
      id: signOffId,
      workOrderId: row.id,
      visit: (live && currentVisit(live)?.number) ?? row.visitCount,
      accepted: body.accepted,
      signatureKey,
      signaturePath,
      reason: body.accepted ? null : body.reason,
      channel: body.channel,
    },
    update: {},
  });
  try {
    return await sendAs(deps, actor, row, signOff, { accepted: body.accepted, signOffId }, requestKey);
  } catch (err) {
    if (!requestKey) await deps.db.workOrderSignOff.deleteMany({ where: { id: signOffId } }).catch(() => undefined);
    throw err;
  }
}
