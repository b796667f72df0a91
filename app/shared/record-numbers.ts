import type { Db } from '../../platform/db.js';
import { Prisma } from '../../prisma/generated/client.js';

/** A Prisma client or the transaction client of `db.$transaction(async (tx) => …)`. */
type Queryable = Pick<Db, '$queryRaw'>;

/** The tables whose rows carry a day's number (`<prefix><NNNN>`, e.g. `C-20261203-0042`). */
const NUMBERED_TABLES = { case: 'case_record', lead: 'lead', sale: 'sale', workOrder: 'work_order' } as const;

/**
 * The next number under a day's prefix (`C-20261203-` → `C-20261203-0042`): one atomic increment of
 * `record_number_counter`, so concurrent openings never share a number and none waits for a lock
 * or scans the day's rows. The first number of a prefix continues after the rows already stored
 * under it (numbered before the counter existed); two first numbers at once settle on the
 * counter's primary key. A number handed out is never handed out again, even when its record is
 * removed (a workflow that did not start): numbers may skip, never repeat.
 */
export async function nextRecordNumber(db: Queryable, kind: keyof typeof NUMBERED_TABLES, prefix: string): Promise<string> {
  const [bumped] = await db.$queryRaw<{ last: number }[]>`
    UPDATE record_number_counter SET "last" = "last" + 1 WHERE "prefix" = ${prefix} RETURNING "last"`;
  let n = bumped?.last;
  if (n === undefined) {
    const [first] = await db.$queryRaw<{ last: number }[]>`
      INSERT INTO record_number_counter ("prefix", "last")
      SELECT ${prefix}, COALESCE(max(split_part("number", '-', 3)::int), 0) + 1
        FROM ${Prisma.raw(`"${NUMBERED_TABLES[kind]}"`)} WHERE "number" LIKE ${`${prefix}%`}
      ON CONFLICT ("prefix") DO UPDATE SET "last" = record_number_counter."last" + 1
      RETURNING "last"`;
    n = first!.last;
  }
  return `${prefix}${String(n).padStart(4, '0')}`;
}
