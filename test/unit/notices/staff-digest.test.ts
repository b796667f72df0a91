import { describe, expect, it } from 'vitest';
import {
  addDigestItem,
  DIGEST_KEYS_KEPT,
  digestEmailKey,
  digestIdleUntil,
  digestSendAt,
  dueDigestItems,
  initialStaffDigest,
  markDigestSent,
  type StaffDigestItem,
  type StaffDigestState,
} from '../../../domain/notices/staff-digest.js';

const MIN = 60_000;
const T0 = Date.parse('2026-10-08T01:00:00Z');
const item = (n: number, o: Partial<StaffDigestItem> = {}): StaffDigestItem => ({
  key: `case-${n}:3:u1`,
  source: 'case',
  recordId: `c${n}`,
  recordNumber: `CS-${n}`,
  projectId: 'p1',
  kind: 'warning',
  target: 'firstContact',
  tier: 'PROJECT',
  at: T0,
  notBefore: T0,
  digestMs: 5 * MIN,
  ...o,
});
const add = (s: StaffDigestState, ...items: StaffDigestItem[]) => items.reduce((acc, i) => addDigestItem(acc, i).state, s);

describe('a staff digest', () => {
  it('sends the first notice after a quiet window at once', () => {
    const s = add(initialStaffDigest(), item(1));
    expect(digestSendAt(s)).toBe(T0);
    expect(dueDigestItems(s, T0).map((i) => i.key)).toEqual(['case-1:3:u1']);
  });

  it('holds what falls due within the window after an email, then sends it all in one', () => {
    let s = markDigestSent(add(initialStaffDigest(), item(1)), [item(1)], T0);
    s = add(s, item(2, { at: T0 + MIN, notBefore: T0 + MIN }), item(3, { at: T0 + 2 * MIN, notBefore: T0 + 2 * MIN }));
    expect(digestSendAt(s)).toBe(T0 + 5 * MIN);
    expect(dueDigestItems(s, T0 + 4 * MIN)).toEqual([]);
    expect(dueDigestItems(s, T0 + 5 * MIN).map((i) => i.recordNumber)).toEqual(['CS-2', 'CS-3']);
  });

  it('keeps an item held to working time until then, and sends it with the others ready then', () => {
    const morning = T0 + 6 * 60 * MIN;
    const s = add(initialStaffDigest(), item(1, { notBefore: morning }), item(2, { notBefore: morning, at: T0 + MIN }));
    expect(digestSendAt(s)).toBe(morning);
    expect(dueDigestItems(s, morning)).toHaveLength(2);
    // One ready now goes now, alone: the held one waits for its morning.
    const mixed = add(s, item(3, { at: T0 + 2 * MIN }));
    expect(dueDigestItems(mixed, T0 + 2 * MIN).map((i) => i.recordNumber)).toEqual(['CS-3']);
  });

  it('adds nothing twice: not an item waiting, nor one already sent', () => {
    const s = add(initialStaffDigest(), item(1));
    expect(addDigestItem(s, item(1)).added).toBe(false);
    const sent = markDigestSent(s, [item(1)], T0);
    expect(sent.pending).toEqual([]);
    expect(addDigestItem(sent, item(1)).added).toBe(false);
    expect(sent.batches).toBe(1);
  });

  it('remembers a bounded number of sent keys', () => {
    let s = initialStaffDigest();
    const many = Array.from({ length: DIGEST_KEYS_KEPT + 10 }, (_, i) => item(i));
    s = markDigestSent(add(s, ...many), many, T0);
    expect(s.sentKeys).toHaveLength(DIGEST_KEYS_KEPT);
    expect(s.sentKeys.at(-1)).toBe(many.at(-1)!.key);
  });

  it('keys a single item’s email as the notice’s own, a digest by its first item', () => {
    expect(digestEmailKey([item(1)])).toBe('case-1:3:u1');
    expect(digestEmailKey([item(1), item(2)])).toBe('digest:case-1:3:u1');
  });

  it('stays at least an hour, and at least its window, after its last email', () => {
    expect(digestIdleUntil(initialStaffDigest())).toBeNull();
    const s = markDigestSent(add(initialStaffDigest(), item(1, { digestMs: 120 * MIN })), [item(1, { digestMs: 120 * MIN })], T0);
    expect(digestIdleUntil(s)).toBe(T0 + 120 * MIN);
    expect(digestIdleUntil(markDigestSent(add(initialStaffDigest(), item(1)), [item(1)], T0))).toBe(T0 + 60 * MIN);
  });
});
