import { WorkflowNotFoundError } from '@temporalio/common';
import { STAFF_DIGEST_WORKFLOW, addStaffNotice, flushStaffNotices, staffDigestWorkflowId, type StaffDigestInput, type StaffDigestItem, type StaffNoticeFlush } from '../../workflows/notices/staff-digest.defs.js';
import type { TemporalGateway } from '../../platform/temporal/connection.js';

/**
 * Hands one notice to a person's digest (workflows/notices/staff-digest.ts), starting the digest
 * when it is not running. Idempotent by the item's key: the digest ignores a key it holds or sent,
 * so a retried notice activity adds nothing twice.
 */
export async function queueStaffNotice(temporal: TemporalGateway, o: { userId: string; groupId: string; item: StaffDigestItem }): Promise<void> {
  const input: StaffDigestInput = { userId: o.userId, groupId: o.groupId };
  await temporal.use((client) =>
    client.workflow.signalWithStart(STAFF_DIGEST_WORKFLOW, {
      workflowId: staffDigestWorkflowId(o.userId),
      taskQueue: temporal.taskQueue,
      args: [input],
      signal: addStaffNotice,
      signalArgs: [o.item],
    }),
  );
}

/** A signal that does not answer in this long fails the notice activity, which is retried. */
const SIGNAL_TIMEOUT_MS = 10_000;

/**
 * Tells a person's digest that a notice about a record is going to them at once, so that what it
 * holds about that record is dropped as superseded or sent now (flushRecordItems), never after it.
 * A digest that does not run holds nothing: nothing to do. Idempotent (a retried activity flushes
 * nothing more).
 */
export async function flushStaffNoticesOf(temporal: TemporalGateway, o: { userId: string; flush: StaffNoticeFlush }): Promise<void> {
  try {
    await temporal.use((client) =>
      client.connection.withDeadline(Date.now() + SIGNAL_TIMEOUT_MS, () => client.workflow.getHandle(staffDigestWorkflowId(o.userId)).signal(flushStaffNotices, o.flush)),
    );
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}
