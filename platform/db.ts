import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../prisma/generated/client.js';

export type Db = PrismaClient;
export { PrismaClient };

/** The pg pool under each client createDb made: the one Prisma's adapter uses too. */
const pools = new WeakMap<Db, pg.Pool>();

export function createDb(databaseUrl: string, opts: { max?: number } = {}): Db {
  // A short connect timeout lets /readyz and requests fail fast (503) while the database is down,
  // instead of hanging; the pool reconnects by itself when it returns.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: opts.max ?? 10,
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
  });
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

/**
 * Prisma stores DateTime as `timestamp(3)` (without time zone) holding UTC; pg would read it in the
 * process's local zone. Only for the statements `queryRows` runs (Prisma's adapter has its own).
 */
const UTC_TIMESTAMPS = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.TIMESTAMP
      ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * Runs one SQL statement on the client's pool, without Prisma's query compiler and client: for the
 * few hot paths where they cost more CPU than the statement (a case opening, authentication;
 * bench/open-case-cpu.ts). Parameters are `$1…$n`; timestamps are passed as ISO strings and come
 * back as Dates. A client not made by createDb (a test's stand-in) runs it through `$queryRawUnsafe`.
 * Errors are pg's own (`code` 23505 for a unique violation, 08xxx/57P0x when the server is away).
 */
export async function queryRows<T>(db: Db, text: string, values: readonly unknown[] = []): Promise<T[]> {
  const pool = pools.get(db);
  if (!pool) return db.$queryRawUnsafe<T[]>(text, ...values);
  const result = await pool.query<T & pg.QueryResultRow>({ text, values: values as unknown[], types: UTC_TIMESTAMPS });
  return result.rows;
}

/** True when the database answers a trivial query. */
export async function pingDb(db: Db): Promise<boolean> {
  try {
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}

/**
 * A unique-constraint violation: the database's unique index decided a race. Prisma's P2002, or
 * PostgreSQL's 23505 from a statement run by queryRows.
 */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { name?: string; code?: string } | null;
  return (e?.name === 'PrismaClientKnownRequestError' && e.code === 'P2002') || e?.code === '23505';
}
