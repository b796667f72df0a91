import crypto from 'node:crypto';
import type { Db } from '../../platform/db.js';
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
    const created = await db.idempotentRequest.createMany({
      data: [{ userId: o.userId, key: o.key, method: o.method, path: o.path, requestHash: o.hash, status: IN_PROGRESS, response: {}, createdAt: new Date() }],
      skipDuplicates: true,
    });
    if (created.count === 1) return null;
    const existing = await db.idempotentRequest.findUnique({ where: { userId_key: { userId: o.userId, key: o.key } } });
    if (!existing) continue; // released meanwhile: claim again
    if (existing.requestHash !== o.hash || existing.path !== o.path || existing.method !== o.method)
      throw httpError('IDEMPOTENCY_KEY_REUSED');
    if (existing.status !== IN_PROGRESS) return { status: existing.status, body: existing.response };
    if (o.takeoverAfterMs !== undefined && existing.createdAt.getTime() < Date.now() - o.takeoverAfterMs) {
      // Its process is gone (or far slower than any request may be): take the claim over. The
      // claim's time is the fence: of two retries taking over at once, one wins.
      const taken = await db.idempotentRequest.updateMany({
        where: { userId: o.userId, key: o.key, status: IN_PROGRESS, createdAt: existing.createdAt },
        data: { createdAt: new Date() },
      });
      if (taken.count === 1) return null;
      continue;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw httpError('REQUEST_IN_PROGRESS');
}

export async function completeIdempotencyKey(db: Db, o: { userId: string; key: string; status: number; body: unknown }) {
  await db.idempotentRequest.update({
    where: { userId_key: { userId: o.userId, key: o.key } },
    data: { status: o.status, response: (o.body ?? null) as never },
  });
}

/** A failed request leaves no trace, so the client's retry runs it again. */
export async function releaseIdempotencyKey(db: Db, o: { userId: string; key: string }) {
  await db.idempotentRequest.deleteMany({ where: { userId: o.userId, key: o.key, status: IN_PROGRESS } });
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
