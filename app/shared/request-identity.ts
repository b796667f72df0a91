import crypto from 'node:crypto';

/**
 * How long a request that stored a record may still be working on it (starting its workflow,
 * converting a lead): a start waits ≤ 10 s, an Update ≤ 20 s, plus their queries. After that, a
 * record whose workflow Temporal does not know was left by a process that died, and a retry of
 * the same request (its Idempotency-Key claim taken over) or the sweep of abandoned openings may
 * finish it without racing the first run's undo.
 */
export const REQUEST_LEASE_MS = 60_000;

export type RecordKind = 'lead' | 'sale' | 'customer' | 'user' | 'project' | 'case-note' | 'progress-note' | 'work-order';

/**
 * The id of the record a request with an Idempotency-Key creates (`requestKey` is
 * `${userId}:${key}`): the same for every run of that request, so a run after the first one's
 * process died finds the first run's record by its id instead of creating a second one, and two
 * runs at once collide on the primary key. UUID-shaped (version 8, name-based on SHA-256).
 */
export function recordIdForRequest(kind: RecordKind, requestKey: string): string {
  const h = crypto.createHash('sha256').update(`${kind}\n${requestKey}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The Update id of an action sent for a request with an Idempotency-Key: Temporal runs one Update
 * per id and answers a repeat with the first outcome, so a request run again (its first process
 * died after sending it) neither acts twice nor meets its own action's refusal. The Update's name
 * is part of it: a key a client reused for another action never gets the first action's outcome.
 */
export function updateIdForRequest(requestKey: string | null | undefined, update: { name: string }): { updateId: string } | undefined {
  return requestKey ? { updateId: `request:${requestKey}:${update.name}` } : undefined;
}
