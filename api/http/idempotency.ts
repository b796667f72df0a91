import crypto from 'node:crypto';
import { queryRows, type Db } from '../../platform/db.js';
import { httpError } from './error-catalogue.js';
import { REQUEST_LEASE_MS } from '../../app/shared/request-identity.js';

/**
 * `Idempotency-Key` on POST: a client that retries after a dropped connection gets the first
 * answer again instead of a second record. Keys are per user; a key reused with a different
 * request is refused (422). A placeholder row (status 0) claims the key before the handler runs,
 * so two concurrent retries cannot both create.
 *
 * A claim whose process died (SIGKILL, a crashed host) is never completed nor released: retries
 * would wait and get 409 REQUEST_IN_PROGRESS for ever. Routes whose handler may safely run again
 * for the same key (it derives its record's identity from the key: a case's sourceKey, a lead's,
 * sale's, customer's, user's, project's or note's id, an Update's id) pass `takeoverAfterMs`: a
 * claim older than that (longer than any live request takes) is taken over by the retry, which
 * runs the handler again and finds what the dead process left. Every idempotent route is so today
 * (`rerunSafe`); one that is not keeps the 409, since running it twice could create twice.
 */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY = /^[A-Za-z0-9._:-]{8,128}$/;
const IN_PROGRESS = 0;
/**
 * How old an unfinished claim must be before a retry may take it over (routes that allow it):
 * longer than any live request lasts (a start waits ≤ 10 s, an Update ≤ 20 s, plus its queries).
 * The same lease after which the sweep of abandoned openings finishes a stored record.
 */
export const CLAIM_LEASE_MS = REQUEST_LEASE_MS;

export function requestHash(method: string, path: string, body: unknown): string {
  return crypto.createHash('sha256').update(`${method} ${path}\n${JSON.stringify(body ?? null)}`).digest('hex');
}

export function parseIdempotencyKey(raw: string | string[] | undefined): string | null {
  if (raw === undefined) return null;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!key || !KEY.test(key))
    throw httpError('IDEMPOTENCY_KEY_INVALID', {}, { field: 'headers.idempotency-key' });
  return key;
}

export type Replay = { status: number; body: unknown };

/*
 * The key's bookkeeping is plain SQL through queryRows (one statement each, on the pool Prisma's
 * adapter uses): it runs twice on every POST that carries a key (a lead's, a sale's, a case's),
 * where Prisma's query compiler and client cost more CPU than the statements (bench/open-case-cpu.ts).
 * `createdAt` is written as the ISO text of this process's clock, like Prisma's timestamp(3) in UTC.
 */

/**
 * Claims the key. Returns a stored answer to replay, or null when the caller should run the
 * handler and then `complete` (or `release` on failure).
 */
export async function claimIdempotencyKey(
  db: Db,
  o: { userId: string; key: string; method: string; path: string; hash: string; takeoverAfterMs?: number },
): Promise<Replay | null> {
  for (let attempt = 0; attempt < 50; attempt++) {
    // The claim's time is this process's clock, as is the takeover's comparison.
    const created = await queryRows<{ claimed: number }>(
      db,
      `INSERT INTO idempotent_request ("userId", key, method, path, "requestHash", status, response, "createdAt")
       VALUES ($1, $2, $3, $4, $5, ${IN_PROGRESS}, '{}'::jsonb, $6::timestamp)
       ON CONFLICT ("userId", key) DO NOTHING
       RETURNING 1 AS claimed`,
      [o.userId, o.key, o.method, o.path, o.hash, new Date().toISOString()],
    );
    if (created.length === 1) return null;
    const [existing] = await queryRows<{ requestHash: string; path: string; method: string; status: number; response: unknown; createdAt: Date }>(
      db,
      `SELECT "requestHash", path, method, status, response, "createdAt" FROM idempotent_request WHERE "userId" = $1 AND key = $2`,
      [o.userId, o.key],
    );
    if (!existing) continue; // released meanwhile: claim again
    if (existing.requestHash !== o.hash || existing.path !== o.path || existing.method !== o.method)
      throw httpError('IDEMPOTENCY_KEY_REUSED');
    if (existing.status !== IN_PROGRESS) return { status: existing.status, body: existing.response };
    if (o.takeoverAfterMs !== undefined && existing.createdAt.getTime() < Date.now() - o.takeoverAfterMs) {
      // Its process is gone (or far slower than any request may be): take the claim over. The
      // claim's time is the fence: of two retries taking over at once, one wins.
      const taken = await queryRows<{ taken: number }>(
        db,
        `UPDATE idempotent_request SET "createdAt" = $4::timestamp
          WHERE "userId" = $1 AND key = $2 AND status = ${IN_PROGRESS} AND "createdAt" = $3::timestamp
         RETURNING 1 AS taken`,
        [o.userId, o.key, existing.createdAt.toISOString(), new Date().toISOString()],
      );
      if (taken.length === 1) return null;
      continue;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw httpError('REQUEST_IN_PROGRESS');
}

export async function completeIdempotencyKey(db: Db, o: { userId: string; key: string; status: number; body: unknown }) {
  const done = await queryRows<{ done: number }>(
    db,
    `UPDATE idempotent_request SET status = $3, response = $4::jsonb WHERE "userId" = $1 AND key = $2 RETURNING 1 AS done`,
    [o.userId, o.key, o.status, JSON.stringify(o.body ?? null)],
  );
  // The claim is gone (a row nobody else removes while claimed): as Prisma's update, an error.
  if (done.length !== 1) throw new Error(`idempotency key ${o.key} has no claim to complete`);
}

/** A failed request leaves no trace, so the client's retry runs it again. */
export async function releaseIdempotencyKey(db: Db, o: { userId: string; key: string }) {
  await queryRows(db, `DELETE FROM idempotent_request WHERE "userId" = $1 AND key = $2 AND status = ${IN_PROGRESS}`, [o.userId, o.key]);
}

/**
 * The key's bookkeeping after the handler has run (complete or release) must not be lost to a
 * database that has just gone away: the key would stay claimed and every retry would wait and get
 * 409 for good. A write that fails is retried in the background, with backoff, for up to ten
 * minutes; it resolves once written (or given up, logged). Only a process that dies meanwhile
 * leaves its claim behind.
 */
export function settleInBackground(
  write: () => Promise<unknown>,
  opts: { log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void }; giveUpAfterMs?: number; firstDelayMs?: number } = {},
): Promise<boolean> {
  const giveUpAt = Date.now() + (opts.giveUpAfterMs ?? 10 * 60_000);
  let delay = opts.firstDelayMs ?? 500;
  return new Promise((resolve) => {
    const attempt = () => {
      write().then(
        () => resolve(true),
        (err: unknown) => {
          if (Date.now() + delay > giveUpAt) {
            opts.log?.error({ err: { message: (err as Error).message } }, 'idempotency key left claimed: its bookkeeping could not be written');
            resolve(false);
            return;
          }
          opts.log?.warn({ err: { message: (err as Error).message }, retryInMs: delay }, 'idempotency key bookkeeping failed, retrying');
          setTimeout(attempt, delay).unref();
          delay = Math.min(delay * 2, 15_000);
        },
      );
    };
    attempt();
  });
}
