import crypto from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { composeCaseNotice } from '../../activities/cases/notify.js';
import { DEFAULT_POLICY, type SlaPolicy } from '../../domain/cases/sla-policy.js';
import type { Db } from '../../platform/db.js';
import { caseWorkflowId, type ComplaintCaseInput } from '../../workflows/cases/complaint-case.defs.js';
import { complaintCase } from '../../workflows/index.js';

/**
 * A complaint case as the probe of a running stack: a real process whose durable timers fall due
 * within seconds. Opened with a second-long first-contact target, it writes, with nobody acting:
 *
 *   1 case.opened            → email "assigned" to the handler
 *   2 sla.warned             → email "warning" to the handler      (at warnAt of the target)
 *   3 sla.breached           → email "breach" to the handler       (at the target)
 *   4 escalation.requested   → no email: the organisation has no supervisor
 *
 * and then waits hours (the other targets and the approval window keep their defaults), so those
 * rows and emails are all a test should ever see.
 */
export const PROBE_CASE_TRAIL = ['1:case.opened', '2:sla.warned', '3:sla.breached', '4:escalation.requested'];

/**
 * The trail of a probe whose timer could not fire before its deadline had passed (the workflow
 * was held up meanwhile): the breach is recorded late, and the warning it overtook is never sent
 * (domain/cases/sla-clock.ts `recordDueEvents`).
 */
export const PROBE_CASE_LATE_TRAIL = ['1:case.opened', '2:sla.breached', '3:escalation.requested'];

export interface ProbeOrg {
  groupId: string;
  companyId: string;
  projectId: string;
  /** The one handler: the assignee of every probe case, and the one recipient of its emails. */
  handler: { id: string; email: string };
}

/** A group, company and project with one project handler (with an email address) and no supervisor. */
export async function createProbeOrg(db: Db, code: string): Promise<ProbeOrg> {
  const group = await db.group.create({ data: { code, name: `${code} group` } });
  const company = await db.company.create({ data: { groupId: group.id, code: `${code}-C`, name: `${code} company` } });
  const project = await db.project.create({ data: { groupId: group.id, companyId: company.id, code: `${code}-P`, name: `${code} project` } });
  const username = `${code.toLowerCase()}-handler`;
  const email = `${username}@estate-care.test`;
  const handler = await db.user.create({
    data: { groupId: group.id, username, displayName: username, email, passwordHash: 'x', role: 'HANDLER', scopeLevel: 'PROJECT', companyId: company.id, projectId: project.id },
  });
  return { groupId: group.id, companyId: company.id, projectId: project.id, handler: { id: handler.id, email } };
}

export interface ProbeCase {
  caseId: string;
  caseNumber: string;
  workflowId: string;
  input: ComplaintCaseInput;
  /** Subjects of the warning and breach emails of this case (they carry its number). */
  subjects: { warning: string; breach: string };
  /** Idempotency key of the email to the handler announcing audit event `seq`. */
  emailKey(seq: number): string;
}

/**
 * Writes the case row as the API does (the read model's projection needs it), without starting
 * anything: so a test can write it while the database is up and start the workflow later.
 */
export async function createProbeCase(db: Db, org: ProbeOrg, policy: Partial<SlaPolicy>): Promise<ProbeCase> {
  const caseId = crypto.randomUUID();
  const input: ComplaintCaseInput = {
    caseId,
    caseNumber: `CS-PROBE-${caseId.slice(0, 8)}`,
    groupId: org.groupId,
    companyId: org.companyId,
    projectId: org.projectId,
    type: 'complaint',
    category: 'complaint.quality.leakage',
    severity: 'minor',
    channel: 'phone',
    tier: 'PROJECT',
    assigneeId: org.handler.id,
    openedBy: 'user-agent-1',
    // Each notice on its own (no digest window): the probe has no read-model row a digest could be composed from.
    policy: { ...DEFAULT_POLICY, id: 'probe', notifications: { workingHoursOnly: true, digestMinutes: 0 }, ...policy },
    calendar: null,
  };
  const workflowId = caseWorkflowId(caseId);
  await db.case.create({
    data: {
      id: caseId,
      number: input.caseNumber,
      workflowId,
      groupId: org.groupId,
      companyId: org.companyId,
      projectId: org.projectId,
      customerId: 'probe-customer',
      type: input.type,
      category: input.category,
      severity: input.severity,
      channel: input.channel,
      description: 'Probe case',
      status: 'open',
      tier: input.tier,
      assigneeId: input.assigneeId,
      policyId: input.policy.id,
      sla: {},
      openedById: input.openedBy,
      openedAt: new Date(),
    },
  });
  const subject = (kind: 'warning' | 'breach') => composeCaseNotice({ caseNumber: input.caseNumber, kind, target: 'firstContact', tier: 'PROJECT' }, 'Asia/Shanghai').subject;
  return {
    caseId,
    caseNumber: input.caseNumber,
    workflowId,
    input,
    subjects: { warning: subject('warning'), breach: subject('breach') },
    emailKey: (seq) => `${workflowId}:${seq}:${org.handler.id}`,
  };
}

export function startProbeCase(client: Client, taskQueue: string, probe: ProbeCase): Promise<WorkflowHandle<typeof complaintCase>> {
  return client.workflow.start(complaintCase, { taskQueue, workflowId: probe.workflowId, args: [probe.input] });
}

/** `${seq}:${type}` of every audit row of a stream, in order. */
export async function auditTrail(db: Db, streamId: string): Promise<string[]> {
  const rows = await db.auditEvent.findMany({ where: { streamId }, orderBy: { seq: 'asc' } });
  return rows.map((r) => `${r.seq}:${r.type}`);
}

/**
 * Waits until the probe case has written `trail.length` events and is idle: its read model has caught
 * up with the last event (the projection is the last effect the workflow runs after an event, so
 * every email announced before it has been handed to the mailer) and no activity is pending. On
 * timeout the error names the activity still retrying and its last failure.
 */
export async function waitForProbeToSettle(o: { db: Db; handle: WorkflowHandle; probe: ProbeCase; trail: readonly string[]; timeoutMs: number }): Promise<string[]> {
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    const projected = await o.db.case.findUnique({ where: { id: o.probe.caseId }, select: { lastEventSeq: true } }).catch(() => null);
    if ((projected?.lastEventSeq ?? 0) >= o.trail.length) {
      const pending = (await o.handle.describe().catch(() => null))?.raw.pendingActivities;
      if (pending?.length === 0) return auditTrail(o.db, o.handle.workflowId);
    }
    if (Date.now() > deadline) {
      const trail = await auditTrail(o.db, o.handle.workflowId).catch(() => []);
      const now = (await o.handle.describe().catch(() => null))?.raw.pendingActivities ?? [];
      const why = now.map((a) => `${a.activityType?.name} attempt ${a.attempt}: ${a.lastFailure?.message ?? 'no failure yet'}`).join('; ');
      throw new Error(`${o.handle.workflowId} did not settle within ${o.timeoutMs} ms: trail ${JSON.stringify(trail)} (${why || 'no pending activity'})`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
