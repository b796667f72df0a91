/**
 * A person's staff digest (issue 14 item 2): the notices waiting to reach one member of staff,
 * and when the next email may go. Pure: the `staffDigest` workflow holds this state and sleeps on
 * a durable timer until `digestSendAt`; the sending activity composes the email from the items.
 *
 * Decisions worth knowing:
 * - An item is only ids, codes and instants (a case's id and number, the notice's kind, target,
 *   tier, due time): no names, phones or free text enter the workflow's history; the sending
 *   activity reads what it shows from the read model.
 * - Items are idempotent by key (`${workflowId}:${seq}:${userId}`, the key the notice's own email
 *   had): a retried notice activity, or a replayed case workflow, adds nothing twice. The keys of
 *   items already sent are remembered (the latest DIGEST_KEYS_KEPT) for the same reason.
 * - An item may go at max(its `notBefore` — the start of the next working period when it is held —,
 *   the last email + its window). When one is ready, every item whose `notBefore` has come goes
 *   with it, in one email: the window bounds the emails, never splits a batch.
 * - The first notice after a quiet window goes at once; the window starts with each email.
 */
export interface StaffDigestItem {
  /** `${workflowId}:${seq}:${userId}` of the notice: its idempotency key. */
  key: string;
  /** Which process's notice it is (its composer in the sending activity). */
  source: 'case';
  /** The record, by id and number (not personal data). */
  recordId: string;
  recordNumber: string;
  /** The project whose time zone the email shows times in. */
  projectId: string;
  kind: string;
  target?: string;
  tier?: string;
  /** Epoch ms: the deadline the notice is about, where it is about one. */
  dueAt?: number;
  /** Epoch ms: when the event happened. */
  at: number;
  /** Epoch ms: not delivered before (the start of the next working period when held). */
  notBefore: number;
  /** At most one email per this many ms to the person while this item waits. */
  digestMs: number;
}

export interface StaffDigestState {
  pending: StaffDigestItem[];
  /** Epoch ms of the last email, null before the first. */
  lastSentAt: number | null;
  /** Emails sent so far (across continue-as-new). */
  batches: number;
  /** Keys of items already sent, newest last (at most DIGEST_KEYS_KEPT). */
  sentKeys: string[];
  /** The window of the last email (the longest of its items'). */
  windowMs?: number;
}

export const DIGEST_KEYS_KEPT = 500;

export const initialStaffDigest = (): StaffDigestState => ({ pending: [], lastSentAt: null, batches: 0, sentKeys: [] });

/** Adds an item unless its key is already waiting or was sent. */
export function addDigestItem(state: StaffDigestState, item: StaffDigestItem): { state: StaffDigestState; added: boolean } {
  if (state.pending.some((i) => i.key === item.key) || state.sentKeys.includes(item.key)) return { state, added: false };
  return { state: { ...state, pending: [...state.pending, item] }, added: true };
}

/** When the next email may go: the earliest instant some waiting item is ready; null when nothing waits. */
export function digestSendAt(state: StaffDigestState): number | null {
  let at: number | null = null;
  for (const item of state.pending) {
    const ready = Math.max(item.notBefore, state.lastSentAt === null ? -Infinity : state.lastSentAt + item.digestMs);
    if (at === null || ready < at) at = ready;
  }
  return at;
}

/** The items of the email sent at `now` (oldest event first), or none when no item is ready yet. */
export function dueDigestItems(state: StaffDigestState, now: number): StaffDigestItem[] {
  const sendAt = digestSendAt(state);
  if (sendAt === null || sendAt > now) return [];
  return state.pending.filter((i) => i.notBefore <= now).sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : 1));
}

/** The state once `items` went out at `now`. */
export function markDigestSent(state: StaffDigestState, items: readonly StaffDigestItem[], now: number): StaffDigestState {
  const keys = new Set(items.map((i) => i.key));
  return {
    pending: state.pending.filter((i) => !keys.has(i.key)),
    lastSentAt: now,
    batches: state.batches + 1,
    sentKeys: [...state.sentKeys, ...keys].slice(-DIGEST_KEYS_KEPT),
    windowMs: Math.max(0, ...items.map((i) => i.digestMs)),
  };
}

/**
 * The idempotency key of one email: a single item keeps the key its own email always had; a digest
 * is keyed by its first item, which belongs to no other email.
 */
export function digestEmailKey(items: readonly StaffDigestItem[]): string {
  const [first] = items;
  if (!first) throw new Error('a digest email lists at least one item');
  return items.length === 1 ? first.key : `digest:${first.key}`;
}

/**
 * How long the workflow stays after its last email with nothing waiting: at least the longest
 * window (so the next notice still counts against it) and long enough that a notice activity
 * retried late finds its item among the sent keys.
 */
export const DIGEST_LINGER_MS = 60 * 60_000;
export function digestIdleUntil(state: StaffDigestState): number | null {
  return state.lastSentAt === null ? null : state.lastSentAt + Math.max(state.windowMs ?? 0, DIGEST_LINGER_MS);
}
