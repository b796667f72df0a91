import type { Db } from '../../platform/db.js';

/**
 * The email outbox (`email_message`): every email the system sent or holds, written by the mailer
 * (platform/mail.ts). An organisation sees its own and the platform's notices (no group).
 */

type EmailStatus = 'PENDING' | 'SENT' | 'HELD' | 'FAILED';

const ofGroupOrPlatform = (groupId: string) => ({ OR: [{ groupId }, { groupId: null }] });

/** A page of the group's emails (and the platform's), newest first. */
export async function findEmailsOfGroup(db: Db, groupId: string, status: EmailStatus | undefined, page: { skip: number; take: number }) {
  const where = { ...ofGroupOrPlatform(groupId), ...(status ? { status } : {}) };
  const [rows, total] = await Promise.all([db.emailMessage.findMany({ where, orderBy: { createdAt: 'desc' }, ...page }), db.emailMessage.count({ where })]);
  return { rows, total };
}

export async function findEmailOfGroup(db: Db, groupId: string, id: string) {
  return db.emailMessage.findFirst({ where: { id, ...ofGroupOrPlatform(groupId) } });
}
