import type { Logger } from 'pino';
import { applyCaseProjectionDelta, caseProjectionViewHash, projectedCaseOf, type CaseProjectionDelta, type CaseProjectionView } from '../../domain/cases/case-projection.js';
import type { CaseNotice } from '../../domain/cases/case-state.js';
import type { Db } from '../../platform/db.js';
import type { Mailer } from '../../platform/mail.js';
import type { TemporalGateway } from '../../platform/temporal/connection.js';
import type { Prisma } from '../../prisma/generated/client.js';
import { caseWorkflowId } from '../../workflows/cases/complaint-case.defs.js';
import { insertAuditEvents } from '../platform/audit.js';
import type { SlaMetrics } from '../platform/sla-metrics.js';
import { createCaseAssigneeActivities } from './assignee.js';
import { notifyCaseStaffWith, type NotifyCaseStaffInput } from './notify.js';
import { projectCaseIn } from './projection.js';
import { createCaseRevisionActivities } from './revision.js';
import { createCaseSlaActivities, type ResolveCaseSlaInput, type ResolvedCaseSla } from './sla.js';

/** One of the case's audit events as a step carries it: its stream is the case's workflow id, its organisation the case's. */
export interface CaseStepEvent {
  seq: number;
  type: string;
  actor: string;
  /** ISO-8601 workflow time of the event. */
  at: string;
  data: Prisma.InputJsonObject;
}

/** What a step looks up or applies after its writes (the case's task): read-only, except a revision, applied once by its id. */
export type CaseStepLookup =
  | { kind: 'sla'; sla: ResolveCaseSlaInput }
  | { kind: 'assignee'; tier: ResolveCaseSlaInput['tier'] }
  | { kind: 'tier'; sla: ResolveCaseSlaInput }
  | { kind: 'revision'; revisionId: string };

/**
 * One batch of a case's events since slim histories (issue 14): their audit rows and the read
 * model at `seq`, written in one transaction; then their notices, each under
 * `${caseWorkflowId(caseId)}:${seq}` as notifyCaseStaff keys them; then the case's task, if any.
 * The case's number, organisation and project are read from its row, not carried in the history.
 *
 * The read model comes as the whole `view` (the first step of a run, executions before the delta
 * patch, and a step the activity asked to rebase) or as a `delta` from the view of an earlier step,
 * applied to the view the row stored with that step's seq. A delta never lands anywhere else: when
 * the row does not stand exactly at its base (a restore wound it back, a step from another run
 * moved it, it holds no view, or another view under that seq: its hash differs) the step writes nothing and answers `rebase`, and the workflow sends
 * the same step with its whole view; when the row stands at `seq` or later, the step was applied
 * before (a retry) and only what is keyed (audit rows, notices, the task) runs again.
 */
export interface RecordCaseStepInput {
  caseId: string;
  seq: number;
  /** Workflow time of the projection (epoch ms). */
  at: number;
  events: CaseStepEvent[];
  /** The read model at `seq`, whole; or `delta` instead. */
  view?: CaseProjectionView;
  delta?: CaseProjectionDelta;
  notices?: Array<CaseNotice & { seq: number; delivery?: NotifyCaseStaffInput['delivery'] }>;
  lookup?: CaseStepLookup;
}

export interface RecordCaseStepResult {
  /** How many of the events were written now (fewer on a retry whose first attempt committed). */
  inserted: number;
  /** False when the read model already stood at this or a later seq. */
  applied: boolean;
  /** The delta did not fit the row (see RecordCaseStepInput): nothing was done; send the whole view. */
  rebase?: true;
  /** Per notice, in order: recipients emailed, queued for their digest, skipped and refused (details logged). */
  notices?: Array<{ sent: number; queued: number; skipped: number; refused: number }>;
  sla?: ResolvedCaseSla;
  assigneeId?: string | null;
}

/**
 * Interactive transactions wait up to 2 s for a pooled connection by default: under load the
 * step would fail with P2028 and wait out a retry's backoff.
 */
const TX_OPTIONS = { maxWait: 10_000, timeout: 20_000 };

export function createCaseStepActivities(deps: { db: Db; mailer: Mailer; logger: Logger; temporal?: TemporalGateway | undefined; metrics?: SlaMetrics }) {
  const { resolveCaseSla } = createCaseSlaActivities(deps);
  const { pickCaseAssignee } = createCaseAssigneeActivities(deps);
  const { applyCaseRevision } = createCaseRevisionActivities(deps);
  return {
    /**
     * A case's step (see RecordCaseStepInput), run as an ordinary activity: its input is in the
     * workflow's history before it runs, so what it writes under a seq is what replay decides.
     * Idempotent as a whole: audit rows by (streamId, seq), the projection by seq, each notice by
     * its key, a revision by its id; lookups are read-only.
     */
    async recordCaseStep({ caseId, seq, at, events, view, delta, notices = [], lookup }: RecordCaseStepInput): Promise<RecordCaseStepResult> {
      const row = await deps.db.case.findUnique({ where: { id: caseId }, select: { number: true, groupId: true, companyId: true, projectId: true } });
      if (!row) throw new Error(`case ${caseId} has no case_record row yet`);
      const streamId = caseWorkflowId(caseId);
      const rows = events.map((e) => ({ ...e, streamId, groupId: row.groupId }));
      const done = await deps.db.$transaction(async (tx) => {
        let next = view;
        if (!next) {
          if (!delta) throw new Error(`case ${caseId} step ${seq} carries neither a view nor a delta`);
          const current = await tx.case.findUniqueOrThrow({ where: { id: caseId }, select: { lastEventSeq: true, projection: true } });
          const stored = current.projection as { seq: number; view: CaseProjectionView } | null;
          if (current.lastEventSeq < seq) {
            if (current.lastEventSeq !== delta.base || stored?.seq !== delta.base || caseProjectionViewHash(stored.view) !== delta.hash) return { rebase: true as const };
            next = applyCaseProjectionDelta(stored.view, delta);
          }
        }
        const written = await insertAuditEvents(tx, rows);
        const { applied } = next ? await projectCaseIn(tx, { caseId, seq, state: projectedCaseOf(next), at, view: next, ...(delta ? { from: delta.base } : {}) }) : { applied: false };
        return { inserted: written, applied };
      }, TX_OPTIONS);
      if ('rebase' in done) {
        deps.logger.info({ caseId, seq, base: delta?.base }, 'case step delta does not fit the read model; the workflow sends the whole view');
        return { inserted: 0, applied: false, rebase: true };
      }
      const { inserted, applied } = done;
      for (const e of inserted) deps.metrics?.countAuditEvent(e);

      const unit = { groupId: row.groupId, companyId: row.companyId, projectId: row.projectId };
      const sentNotices: NonNullable<RecordCaseStepResult['notices']> = [];
      for (const { seq: noticeSeq, recipients, ...notice } of notices) {
        const result = await notifyCaseStaffWith(deps, {
          ...notice,
          recipients: {
            ...(recipients.userIds ? { userIds: recipients.userIds } : {}),
            ...(recipients.supervisorsOfTier ? { supervisorsAt: { ...unit, tier: recipients.supervisorsOfTier } } : {}),
          },
          caseId,
          caseNumber: row.number,
          groupId: row.groupId,
          projectId: row.projectId,
          idempotencyKeyBase: `${streamId}:${noticeSeq}`,
        });
        sentNotices.push({ sent: result.sent.length, queued: result.queued?.length ?? 0, skipped: result.skipped.length, refused: result.refused.length });
      }

      const answer: RecordCaseStepResult = { inserted: inserted.length, applied, ...(notices.length ? { notices: sentNotices } : {}) };
      switch (lookup?.kind) {
        case 'sla':
          return { ...answer, sla: await resolveCaseSla(lookup.sla) };
        case 'assignee':
          return { ...answer, assigneeId: await pickCaseAssignee({ ...unit, tier: lookup.tier }) };
        case 'tier':
          return { ...answer, sla: await resolveCaseSla(lookup.sla), assigneeId: await pickCaseAssignee({ ...unit, tier: lookup.sla.tier }) };
        case 'revision':
          await applyCaseRevision({ caseId, revisionId: lookup.revisionId });
          return answer;
        default:
          return answer;
      }
    },
  };
}
