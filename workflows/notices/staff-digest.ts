import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { addDigestItem, digestEmailKey, digestIdleUntil, digestSendAt, dueDigestItems, initialStaffDigest, markDigestSent } from '../../domain/notices/staff-digest.js';
import { MAIL_ACTIVITY } from '../kit/activity-options.js';
import { addStaffNotice, getStaffDigest, type StaffDigestInput, type StaffDigestState } from './staff-digest.defs.js';

const { sendStaffDigest } = proxyActivities<Activities>(MAIL_ACTIVITY);

const DEFAULT_HISTORY_LIMIT = 1_000;

/**
 * One member of staff's notices that wait (issue 14 item 2; rules in domain/notices/staff-digest.ts):
 * it holds them, sleeps on a durable timer until the next may go — the start of the next working
 * period, or the end of the person's digest window — and sends every ready item as one email
 * through the outbox (so SMTP failures retry, and a retry sends nothing twice). With nothing
 * waiting it stays a while after its last email (the window still applies, late retries still
 * find their keys), then ends; the next notice starts it again. Not a kit process: it has no
 * audit trail or read model of its own, only a timer and one activity.
 */
export async function staffDigest(input: StaffDigestInput): Promise<StaffDigestState> {
  let state = input.carried ?? initialStaffDigest();
  let changed = false;
  setHandler(addStaffNotice, (item) => {
    const next = addDigestItem(state, item);
    state = next.state;
    changed ||= next.added;
  });
  setHandler(getStaffDigest, () => state);

  const historyLimit = input.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  for (;;) {
    const sendAt = digestSendAt(state);
    const until = sendAt ?? digestIdleUntil(state);
    changed = false;
    if (until === null || until > Date.now()) {
      // Wake when a notice arrives (it may be ready sooner) or when the instant comes.
      const woke = until === null ? await condition(() => changed) : await condition(() => changed, until - Date.now());
      if (woke || sendAt !== null) continue;
      if (state.pending.length === 0) return state; // idle long enough: the next notice starts a new run
      continue;
    }
    if (sendAt === null) return state;
    const items = dueDigestItems(state, Date.now());
    if (items.length) {
      await sendStaffDigest({ userId: input.userId, groupId: input.groupId, items, idempotencyKey: digestEmailKey(items) });
      state = markDigestSent(state, items, Date.now());
    }
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength >= historyLimit) {
      return continueAsNew<typeof staffDigest>({ ...input, carried: state });
    }
  }
}
