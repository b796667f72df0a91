import type { Logger } from 'pino';
import type { Db } from '../../platform/db.js';
import type { Mailer } from '../../platform/mail.js';
import { PermanentMailError } from '../../platform/mail.js';

export interface StaffEmailResult {
  /** User ids emailed under this key base (including earlier attempts' duplicates). */
  sent: string[];
  /** Named recipients not found or inactive, or without an email address. */
  skipped: string[];
  /** Recipients whose mail server refused the email for good. */
  refused: string[];
}

/**
 * Emails one notice to a set of staff, each under `${keyBase}:${userId}`, so a retried activity
 * (or a replayed workflow) sends nobody a second copy. One refused mailbox must not hold up the
 * others or the workflow: permanent refusals stay FAILED in the outbox and are reported; anything
 * else is thrown and retried by Temporal. Recipients go out in id order, so a retry repeats the
 * same sequence.
 */
export async function emailStaff(o: {
  mailer: Mailer;
  groupId: string;
  /** Resolved recipients: user id → address (null when the user has none). */
  recipients: Map<string, string | null>;
  /** Users asked for by id: those missing from `recipients` are reported as skipped. */
  requestedIds: Iterable<string>;
  subject: string;
  text: string;
  keyBase: string;
}): Promise<StaffEmailResult> {
  const sent: string[] = [];
  const refused: string[] = [];
  const skipped = [...o.requestedIds].filter((id) => !o.recipients.has(id));
  for (const [userId, email] of [...o.recipients].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!email) {
      skipped.push(userId);
      continue;
    }
    try {
      await o.mailer.send({ idempotencyKey: `${o.keyBase}:${userId}`, groupId: o.groupId, to: email, subject: o.subject, text: o.text });
      sent.push(userId);
    } catch (err) {
      if (!(err instanceof PermanentMailError)) throw err;
      refused.push(userId);
    }
  }
  return { sent, skipped, refused };
}

/** A member of staff a rule picks, with their address (null when they have none). */
export interface StaffAddress {
  id: string;
  email: string | null;
}

/**
 * The staff one notice goes to: the active users named by id, then those a rule picks (a tier's
 * supervisors, a project's nearest sales managers), each once with their address. `requestedIds`
 * are the named ones: emailStaff reports those not found (or inactive) as skipped.
 */
export async function findStaffRecipients(db: Db, userIds: readonly string[] | undefined, picked: () => Promise<StaffAddress[]> | StaffAddress[]) {
  const requestedIds = new Set(userIds ?? []);
  const named = requestedIds.size ? await db.user.findMany({ where: { id: { in: [...requestedIds] }, active: true }, select: { id: true, email: true } }) : [];
  const recipients = new Map<string, string | null>();
  for (const u of [...named, ...(await picked())]) recipients.set(u.id, u.email);
  return { recipients, requestedIds };
}

/** Logs the recipients a notice did not reach: `notice` names it (`case notice`), `fields` its record and kind. */
export function logUndelivered(logger: Logger, notice: string, fields: Record<string, unknown>, result: Pick<StaffEmailResult, 'skipped' | 'refused'>): void {
  if (result.skipped.length) logger.info({ ...fields, skipped: result.skipped }, `${notice}: recipients without an email address skipped`);
  if (result.refused.length) logger.warn({ ...fields, refused: result.refused }, `${notice} refused permanently`);
}

/** What every process's staff notice activity is given, besides what its text names. */
export interface StaffNoticeInput<Kind extends string> {
  groupId: string;
  /** The project whose time zone the due time is shown in. */
  projectId: string;
  kind: Kind;
  /** Epoch ms: the due time the notice is about, where it is about one. */
  dueAt?: number;
  recipients: { userIds?: string[] };
  /** `${workflowId}:${seq}` of the event the email announces; each recipient's key is `${base}:${userId}`. */
  idempotencyKeyBase: string;
}

/**
 * One staff notice of a process's event: the users it names and those `picked` adds
 * (findStaffRecipients), its text composed in the time zone of the record's project, sent by
 * emailStaff (so a retried activity or a replayed workflow sends nobody a second copy), and who
 * it missed logged under `log`: the notice's name (`case notice`) and its record (`{ caseId }`).
 */
export async function notifyStaff(
  deps: { db: Db; mailer: Mailer; logger: Logger },
  input: StaffNoticeInput<string>,
  o: {
    picked: () => Promise<StaffAddress[]> | StaffAddress[];
    compose: (timeZone: string) => { subject: string; text: string };
    log: [notice: string, record: Record<string, string>];
  },
): Promise<StaffEmailResult> {
  const staff = await findStaffRecipients(deps.db, input.recipients.userIds, o.picked);
  const project = await deps.db.project.findUnique({ where: { id: input.projectId }, select: { timeZone: true } });
  const { subject, text } = o.compose(project?.timeZone ?? 'Asia/Shanghai');
  const result = await emailStaff({ mailer: deps.mailer, groupId: input.groupId, ...staff, subject, text, keyBase: input.idempotencyKeyBase });
  logUndelivered(deps.logger, o.log[0], { ...o.log[1], kind: input.kind }, result);
  return result;
}
