import { STAFF_DIGEST_WORKFLOW, addStaffNotice, staffDigestWorkflowId, type StaffDigestInput, type StaffDigestItem } from '../../workflows/notices/staff-digest.defs.js';
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
