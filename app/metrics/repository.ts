import type { Db } from '../../platform/db.js';

/** Read-model counts for `/metrics`: aggregates over enums only, never a row's contents. */

export const CASE_SLA_STATES = ['on_track', 'overdue', 'breached', 'paused'] as const;
export type CaseSlaState = (typeof CASE_SLA_STATES)[number];

/**
 * Cases not closed, by tier and SLA state: `breached` (a target of the current tier period was
 * missed), `paused` (waiting on the customer, clocks stopped), `overdue` (a deadline has passed and
 * the breach is not in the read model yet: projection lag), `on_track` (everything else). One
 * aggregate over the table; the `status` filter keeps closed history out.
 */
export async function countOpenCasesByTierAndSlaState(db: Db, now: Date): Promise<Array<{ tier: string; state: CaseSlaState; count: number }>> {
  const rows = await db.$queryRaw<Array<{ tier: string; state: CaseSlaState; count: bigint }>>`
    SELECT tier,
           CASE WHEN breached THEN 'breached'
                WHEN status = 'waiting_on_customer' THEN 'paused'
                WHEN "nextDueAt" < ${now} THEN 'overdue'
                ELSE 'on_track' END AS state,
           count(*) AS count
      FROM case_record
     WHERE status <> 'closed'
     GROUP BY 1, 2`;
  return rows.map((r) => ({ tier: r.tier, state: r.state, count: Number(r.count) }));
}

/** Emails not yet handed to SMTP (and the age of the oldest), and those the SMTP server refused. */
export async function measureEmailBacklog(db: Db, now: Date): Promise<{ pending: number; oldestPendingSeconds: number; failed: number }> {
  const [pending, oldest, failed] = await Promise.all([
    db.emailMessage.count({ where: { status: 'PENDING' } }),
    db.emailMessage.findFirst({ where: { status: 'PENDING' }, orderBy: { createdAt: 'asc' }, select: { createdAt: true } }),
    db.emailMessage.count({ where: { status: 'FAILED' } }),
  ]);
  return { pending, oldestPendingSeconds: oldest ? Math.max(0, (now.getTime() - oldest.createdAt.getTime()) / 1000) : 0, failed };
}
