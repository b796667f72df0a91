import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/**
 * The scheduled notice's public contract: what the API imports to start, signal, update and
 * query it, without pulling in the workflow's internals. Definitions only: no side effects.
 */
export const SCHEDULED_NOTICE_WORKFLOW_TYPE = 'scheduledNotice';

/** One workflow per notice: starting the same notice twice is refused by Temporal. */
export function scheduledNoticeWorkflowId(noticeId: string): string {
  return `notice-${noticeId}`;
}

export interface ScheduledNoticeInput {
  noticeId: string;
  /** ISO-8601 instant the email is due. A time in the past sends at once. */
  sendAt: string;
  to: string;
  subject: string;
  text: string;
  /** Who scheduled it (a user id), recorded in the audit trail. */
  actor: string;
  groupId?: string;
}

/**
 * SCHEDULED → SENDING → SENT, or SCHEDULED → CANCELLED, or SENDING → FAILED when the mail server
 * refuses the email for good. Only a SCHEDULED notice can be cancelled or rescheduled.
 */
export type NoticeStatus = 'SCHEDULED' | 'SENDING' | 'SENT' | 'CANCELLED' | 'FAILED';

export interface NoticeState {
  noticeId: string;
  status: NoticeStatus;
  sendAt: string;
  reschedules: number;
  sentAt?: string;
  /** SENT, or HELD in the development outbox when no SMTP server is configured. */
  emailStatus?: 'SENT' | 'HELD';
  cancelledAt?: string;
  cancelledBy?: string;
  cancelReason?: string;
  failure?: string;
}

export interface NoticeRescheduled {
  sendAt: string;
  actor?: string;
}

export interface CancelNoticeInput {
  reason: string;
  actor: string;
}

/** Fact: someone moved the due time. Ignored once the notice is no longer SCHEDULED. */
export const noticeRescheduled = defineSignal<[NoticeRescheduled]>('noticeRescheduled');

/** Decision: cancel the notice. The validator refuses it once sending has begun or without a reason. */
export const cancelNotice = defineUpdate<NoticeState, [CancelNoticeInput]>('cancelNotice');

export const getNoticeState = defineQuery<NoticeState>('getNoticeState');
