/**
 * The owner signs a visit off on their own phone, through a one-time link (issue 15, DESIGN §5:
 * "one-time signed links whose page needs a confirming click"). The order's holder asks for the
 * link once the visit's result is recorded; the owner opens it without an account, reads what was
 * done, and signs (or rejects with a reason) with an explicit click: a GET never signs, so a mail
 * scanner that follows the link changes nothing.
 *
 * Decisions worth knowing:
 * - The token is 32 random bytes (base64url); only its SHA-256 is stored. The URL exists in the
 *   holder's answer (shown as a QR code), in the owner's email as SMTP gets it (the stored email
 *   row keeps a placeholder: platform/mail.ts `secrets`) and nowhere else: not in the database,
 *   the audit trail, the workflow's history (the Update names the link by id) or the request logs
 *   (api/app.ts redacts the path segment).
 * - One link per visit counts: a new one revokes the visit's older unused links. A link applies
 *   only while its visit awaits sign-off: a visit signed on the phone meanwhile, or reopened, makes
 *   it "revoked" too.
 * - Single use by an atomic claim (`UPDATE … WHERE usedAt IS NULL`): of two posts at once, one
 *   signs and the other is told the link was used. A sign-off that then fails (the workflow away)
 *   gives the claim back, and the owner's retry goes under the same Update id (Temporal answers a
 *   repeat with the first outcome).
 * - The owner acts as `customer:<id>` of the order's case (actors are strings: a user's id,
 *   `system`, or this), through the same use case as the phone (`recordSignOff`, channel `link`).
 */
import crypto from 'node:crypto';
import { DateTime } from 'luxon';
import type { Principal } from '../../domain/access.js';
import { categoryPath } from '../../domain/cases/categories.js';
import { currentVisit, isWorkOrderEnded } from '../../domain/repairs/work-order-process.js';
import type { WorkOrderAssignee, WorkOrderState, WorkOrderStatus } from '../../domain/repairs/work-order-state.js';
import type { Mailer } from '../../platform/mail.js';
import type { WorkOrder, WorkOrderSignOffLink } from '../../prisma/generated/client.js';
import { issueSignOffLink as issueSignOffLinkUpdate } from '../../workflows/repairs/work-order.defs.js';
import { findCategoriesByGroup } from '../cases/settings.js';
import { findCustomerById } from '../customers/repository.js';
import { findNames } from '../shared/names.js';
import { workOrderError } from './errors.js';
import { loadWorkOrderFor } from './load-work-order.js';
import { findContractorCompanyNames, findWorkOrderById } from './repository.js';
import { recordSignOff, sendAs, type SignOffInput } from './work-order-action.js';
import type { WorkOrderPhotoDeps } from './work-order-photos.js';
import type { WorkOrderRecord } from './work-order-record.js';
import { workOrderWorkflow } from './workflow.js';

/** How long a sign-off link works: three days, time for an owner away from home to answer. */
export const SIGN_OFF_LINK_TTL_MS = 72 * 3_600_000;

/** The console's page of a link: `${publicUrl}${SIGN_OFF_PAGE_PATH}/<token>`. */
export const SIGN_OFF_PAGE_PATH = '/sign';

export interface SignOffLinkDeps extends WorkOrderPhotoDeps {
  mailer: Mailer;
  /** The console's public address (config.publicUrl), without a trailing slash. */
  publicUrl: string;
}

const hashOf = (token: string) => crypto.createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * The holder (the same rule as the phone's sign-off) asks for a link to the current visit, which
 * awaits sign-off. Audited by the workflow (`work_order.sign_off_link_issued`, the link's id and
 * expiry); emailed to the owner when the case's customer has an email (unless `email: false`). No Idempotency-Key: a
 * stored answer would keep the token; asking again makes a new link and revokes this one.
 */
export async function issueSignOffLink(deps: SignOffLinkDeps, principal: Principal, id: string, o: { email?: boolean } = {}, now = Date.now()) {
  const { row, live } = await loadWorkOrderFor(deps, principal, id, 'field');
  const visit = live ? currentVisit(live) : null;
  if (!live || isWorkOrderEnded(live)) throw workOrderError('WORK_ORDER_ENDED');
  if (!visit || live.status !== 'awaiting_sign_off') throw workOrderError('WORK_ORDER_WRONG_STAGE');
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(now + SIGN_OFF_LINK_TTL_MS);
  const link = await deps.db.workOrderSignOffLink.create({
    data: { workOrderId: row.id, groupId: row.groupId, visit: visit.number, tokenHash: hashOf(token), expiresAt, createdBy: principal.id },
  });
  try {
    await sendAs(deps, principal.id, row, issueSignOffLinkUpdate, { linkId: link.id, expiresAt: expiresAt.getTime() }, null);
  } catch (err) {
    await deps.db.workOrderSignOffLink.deleteMany({ where: { id: link.id } }).catch(() => undefined);
    throw err;
  }
  await deps.db.workOrderSignOffLink.updateMany({
    where: { workOrderId: row.id, visit: visit.number, id: { not: link.id }, usedAt: null, revokedAt: null },
    data: { revokedAt: new Date(now) },
  });
  const url = `${deps.publicUrl}${SIGN_OFF_PAGE_PATH}/${token}`;
  const emailed = o.email === false ? false : await emailOwner(deps, row, link, url);
  return { url, expiresAt: expiresAt.toISOString(), emailed };
}

/** Emails the link to the case's customer, when the record has an email; a failed delivery is logged, not fatal (the QR code still works). */
async function emailOwner(deps: SignOffLinkDeps, row: WorkOrder, link: WorkOrderSignOffLink, url: string): Promise<boolean> {
  const caseRow = await deps.db.case.findUnique({ where: { id: row.caseId }, select: { customerId: true } });
  const customer = caseRow ? await findCustomerById(deps.db, caseRow.customerId) : null;
  if (!customer?.email) return false;
  const expires = DateTime.fromJSDate(link.expiresAt, { zone: 'Asia/Shanghai' }).toFormat('yyyy-MM-dd HH:mm');
  try {
    await deps.mailer.send({
      idempotencyKey: `work-order-sign-off-link:${link.id}`,
      groupId: row.groupId,
      to: customer.email,
      subject: `[${row.number}] 请确认维修签收 / Please sign the repair off`,
      text: [
        `您好，维修工单 ${row.number} 的上门维修已完成。请打开以下链接查看维修结果并签收（或说明不满意的原因）：`,
        '{{link}}',
        `链接仅可使用一次，有效期至 ${expires}（北京时间）。`,
        '',
        `Hello, the repair visit of work order ${row.number} is done. Open this link to read what was done and sign it off (or tell us what is still wrong):`,
        '{{link}}',
        `The link works once, until ${expires} (China time).`,
      ].join('\n'),
      secrets: { link: url },
    });
    await deps.db.workOrderSignOffLink.update({ where: { id: link.id }, data: { emailed: true } });
    return true;
  } catch (err) {
    deps.logger.warn({ workOrderId: row.id, linkId: link.id, err: { message: (err as Error).message } }, 'sign-off link: the email was not sent');
    return false;
  }
}

/** The link of a token, if it still works, with its order; else the error that says why not. */
async function usableLink(deps: SignOffLinkDeps, token: string, now: number) {
  const link = await deps.db.workOrderSignOffLink.findUnique({ where: { tokenHash: hashOf(token) } });
  if (!link) throw workOrderError('SIGN_OFF_LINK_NOT_FOUND');
  if (link.usedAt) throw workOrderError('SIGN_OFF_LINK_USED');
  if (link.revokedAt) throw workOrderError('SIGN_OFF_LINK_REVOKED');
  if (link.expiresAt.getTime() <= now) throw workOrderError('SIGN_OFF_LINK_EXPIRED', { expiredAt: link.expiresAt.toISOString() });
  const row = await findWorkOrderById(deps.db, link.workOrderId);
  if (!row) throw workOrderError('SIGN_OFF_LINK_NOT_FOUND');
  const live = isWorkOrderEnded({ status: row.status as WorkOrderStatus }) ? null : await workOrderWorkflow.liveState(deps.temporal, row.workflowId, { action: true });
  // Signed on the phone meanwhile, reworked, cancelled: the link's visit no longer awaits sign-off.
  if (!live || live.status !== 'awaiting_sign_off' || currentVisit(live)?.number !== link.visit) throw workOrderError('SIGN_OFF_LINK_REVOKED');
  return { link, row, live };
}

/**
 * What the owner needs to decide, and nothing more: the order's number and category, the visit's
 * result (text, materials), who did it, the project and unit, and until when the link works. No
 * name, phone or email of anyone, no photos.
 */
export async function getSignOffLinkSummary(deps: SignOffLinkDeps, token: string, now = Date.now()) {
  const { link, row, live } = await usableLink(deps, token, now);
  const [result, names, categories, holder] = await Promise.all([
    deps.db.workOrderResult.findFirst({ where: { workOrderId: row.id, visit: link.visit }, orderBy: { createdAt: 'desc' } }),
    findNames(deps.db, row.groupId, { projectIds: [row.projectId], unitIds: [row.unitId] }),
    findCategoriesByGroup(deps.db, row.groupId),
    holderName(deps, row.groupId, live.assignee),
  ]);
  const path = categoryPath({ code: row.category, categories });
  const leaf = path.at(-1);
  const materials = Array.isArray(result?.materials) ? (result.materials as Array<{ name: string; quantity: number; unit: string }>) : [];
  return {
    workOrderNumber: row.number,
    category: { code: row.category, zh: leaf?.name.zh ?? row.category, en: leaf?.name.en ?? row.category },
    warranty: row.warrantyCovered ? ('covered' as const) : ('not_covered' as const),
    visit: link.visit,
    result: result ? { text: result.text, materials: materials.map((m) => ({ name: m.name, quantity: m.quantity, unit: m.unit })), recordedAt: result.createdAt.toISOString() } : null,
    holder,
    project: names.project.get(row.projectId) ?? null,
    unit: row.unitId ? (names.unit.get(row.unitId)?.label ?? null) : null,
    expiresAt: link.expiresAt.toISOString(),
  };
}

/** The holder (the live state's: the read model may lag) by display name: the technician's, or the contractor company's. */
async function holderName(deps: SignOffLinkDeps, groupId: string, a: WorkOrderAssignee | null): Promise<string | null> {
  if (a?.kind === 'technician') return (await findNames(deps.db, groupId, { userIds: [a.userId] })).user.get(a.userId) ?? null;
  if (a?.kind === 'contractor') return (await findContractorCompanyNames(deps.db, groupId, [a.companyId]))[0]?.name ?? null;
  return null;
}

export type LinkSignOff = { accepted: true; signature: { png: Uint8Array } | { svgPath: string } } | { accepted: false; reason: string };

/**
 * The owner's answer through the link: claimed atomically (one answer per link), then recorded by
 * the phone's own use case as the case's customer, channel `link`. A failure gives the claim back.
 */
export async function signOffThroughLink(deps: SignOffLinkDeps, token: string, body: LinkSignOff, now = Date.now()): Promise<WorkOrderRecord> {
  const { link, row, live } = await usableLink(deps, token, now);
  const claimedAt = new Date(now);
  const claim = await deps.db.workOrderSignOffLink.updateMany({
    where: { id: link.id, usedAt: null, revokedAt: null, expiresAt: { gt: claimedAt } },
    data: { usedAt: claimedAt },
  });
  if (claim.count !== 1) throw workOrderError('SIGN_OFF_LINK_USED');
  const caseRow = await deps.db.case.findUniqueOrThrow({ where: { id: row.caseId }, select: { customerId: true } });
  const input: SignOffInput = body.accepted ? { accepted: true, signature: body.signature, channel: 'link' } : { accepted: false, reason: body.reason, channel: 'link' };
  try {
    const done = await recordSignOff(deps, { row, live, actor: `customer:${caseRow.customerId}` }, input, `sign-off-link:${link.id}`);
    const signOffId = currentVisitSignOffId(done.state, link.visit);
    await deps.db.workOrderSignOffLink.update({ where: { id: link.id }, data: { signOffId } });
    return done;
  } catch (err) {
    await deps.db.workOrderSignOffLink.updateMany({ where: { id: link.id, usedAt: claimedAt }, data: { usedAt: null } }).catch(() => undefined);
    throw err;
  }
}

const currentVisitSignOffId = (state: WorkOrderState | null, visit: number) => state?.visits.find((v) => v.number === visit)?.signOffId ?? null;
