/**
 * The contract of the `staffDigest` workflow (workflows/notices/staff-digest.ts): one per member of
 * staff, started by the first notice that must wait (signalWithStart), holding that person's
 * notices until they may go and sending them as one email.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { StaffDigestItem, StaffDigestState } from '../../domain/notices/staff-digest.js';

export type { StaffDigestItem, StaffDigestState } from '../../domain/notices/staff-digest.js';

export const STAFF_DIGEST_WORKFLOW = 'staffDigest';
export const staffDigestWorkflowId = (userId: string) => `staff-digest-${userId}`;

export interface StaffDigestInput {
  /** The member of staff (an id: the address is read when an email goes). */
  userId: string;
  groupId: string;
  /** Continue-as-new after this many history events (default 1,000). Tests lower it. */
  historyLimit?: number;
  /** The state carried over by continue-as-new; absent on the first run. */
  carried?: StaffDigestState;
}

/** A notice for the person: ignored when its key is already waiting or was sent. */
export const addStaffNotice = defineSignal<[StaffDigestItem]>('addStaffNotice');
export const getStaffDigest = defineQuery<StaffDigestState>('getStaffDigest');

/** What the sending activity is given: ids and codes only, the text is composed there. */
export interface SendStaffDigestInput {
  userId: string;
  groupId: string;
  items: StaffDigestItem[];
  /** One key per email (domain/notices/staff-digest.ts digestEmailKey): a retry sends nothing twice. */
  idempotencyKey: string;
}
