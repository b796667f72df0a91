import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../prisma/generated/client.js';

export type Db = PrismaClient;
export { PrismaClient };

export function createDb(databaseUrl: string, opts: { max?: number } = {}): Db {
  // A short connect timeout lets /readyz and requests fail fast (503) while the database is down,
  // instead of hanging; the pool reconnects by itself when it returns.
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: opts.max ?? 10,
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
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

/** Prisma's unique-constraint violation (P2002): the database's unique index decided a race. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { name?: string; code?: string } | null;
  return e?.name === 'PrismaClientKnownRequestError' && e.code === 'P2002';
}
