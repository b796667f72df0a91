import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { FailureType, NON_RETRYABLE_FAILURE_TYPES } from '../failures.js';
import {
  cancelNotice,
  getNoticeState,
  noticeRescheduled,
  type NoticeRescheduled,
  type NoticeState,
  type ScheduledNoticeInput,
} from './scheduled-notice.defs.js';

// The database may be down for a while: keep retrying, backing off to a minute between attempts.
const { recordAuditEvent } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES] },
});

// SMTP can be slow; a refusal for good is non-retryable and handled below, anything else retries.
const { sendEmail } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES] },
});

function parseInstant(value: string, field: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw ApplicationFailure.create({ type: FailureType.INVALID_WORKFLOW_INPUT, message: `${field} is not an ISO-8601 instant: ${value}`, nonRetryable: true });
  }
  return ms;
}

function isPermanentEmailFailure(err: unknown): err is ActivityFailure & { cause: ApplicationFailure } {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === FailureType.PERMANENT_EMAIL;
}

/**
 * A durable scheduled email: "notify this recipient at time T unless cancelled". The due time is
 * a server-side timer, so it fires on time across worker and server restarts.
 */
export async function scheduledNotice(input: ScheduledNoticeInput): Promise<NoticeState> {
  const dueAt = parseInstant(input.sendAt, 'sendAt');
  const streamId = workflowInfo().workflowId;
  const state: NoticeState = { noticeId: input.noticeId, status: 'SCHEDULED', sendAt: new Date(dueAt).toISOString(), reschedules: 0 };
  const pendingReschedules: NoticeRescheduled[] = [];
  let seq = 0;

  // Workflow time (Date.now() inside a workflow is the task's deterministic time).
  const audit = (type: string, actor: string, data: Record<string, string | number | null>) =>
    recordAuditEvent({ streamId, seq: ++seq, type, actor, at: new Date().toISOString(), data, ...(input.groupId ? { groupId: input.groupId } : {}) });

  setHandler(getNoticeState, () => ({ ...state }));
  setHandler(noticeRescheduled, (fact) => {
    if (state.status !== 'SCHEDULED' || !Number.isFinite(Date.parse(fact.sendAt))) {
      log.warn('reschedule ignored', { status: state.status, sendAt: fact.sendAt });
      return;
    }
    pendingReschedules.push(fact);
  });
  setHandler(
    cancelNotice,
    ({ reason, actor }) => {
      state.status = 'CANCELLED';
      state.cancelledAt = new Date().toISOString();
      state.cancelledBy = actor;
      state.cancelReason = reason.trim();
      return { ...state };
    },
    {
      validator: ({ reason, actor }) => {
        if (state.status !== 'SCHEDULED') throw new Error(`notice is ${state.status}, only a SCHEDULED notice can be cancelled`);
        if (typeof reason !== 'string' || reason.trim() === '') throw new Error('a cancellation reason is required');
        if (typeof actor !== 'string' || actor.trim() === '') throw new Error('the cancelling actor is required');
      },
    },
  );

  await audit('notice.scheduled', input.actor, { noticeId: input.noticeId, sendAt: state.sendAt });

  while (state.status === 'SCHEDULED') {
    const fact = pendingReschedules.shift();
    if (fact) {
      const from = state.sendAt;
      state.sendAt = new Date(Date.parse(fact.sendAt)).toISOString();
      state.reschedules += 1;
      await audit('notice.rescheduled', fact.actor ?? input.actor, { from, to: state.sendAt });
      continue;
    }
    const delayMs = Date.parse(state.sendAt) - Date.now();
    if (delayMs <= 0) break;
    const interrupted = await condition(() => pendingReschedules.length > 0 || state.status !== 'SCHEDULED', delayMs);
    if (!interrupted) break;
  }

  if (state.status === 'CANCELLED') {
    await audit('notice.cancelled', state.cancelledBy ?? input.actor, { reason: state.cancelReason ?? null, sendAt: state.sendAt });
    return { ...state };
  }

  state.status = 'SENDING';
  let refusal: string | undefined;
  try {
    const email = await sendEmail({ idempotencyKey: `${streamId}:email:1`, to: input.to, subject: input.subject, text: input.text, ...(input.groupId ? { groupId: input.groupId } : {}) });
    state.status = 'SENT';
    state.sentAt = new Date().toISOString();
    state.emailStatus = email.status;
  } catch (err) {
    if (!isPermanentEmailFailure(err)) throw err;
    refusal = err.cause.message;
  }

  if (refusal !== undefined) {
    state.status = 'FAILED';
    state.failure = refusal;
    await audit('notice.failed', 'system', { reason: refusal });
    return { ...state };
  }
  await audit('notice.sent', 'system', { emailStatus: state.emailStatus ?? null, sendAt: state.sendAt });
  return { ...state };
}
