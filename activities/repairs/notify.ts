import type { Logger } from 'pino';
import type { WorkOrderNoticeKind } from '../../domain/repairs/work-order-state.js';
import type { Db } from '../../platform/db.js';
import type { Mailer } from '../../platform/mail.js';
import { findContractorStaff } from '../../app/repairs/repository.js';
import { findNearestStaffWithRole } from '../leads/staff.js';
import { localTime, staffNoticeText } from '../platform/notice-text.js';
import { notifyStaff, type StaffAddress, type StaffEmailResult, type StaffNoticeInput } from '../platform/staff-email.js';

export { WORK_ORDER_NOTICE_KINDS, type WorkOrderNoticeKind } from '../../domain/repairs/work-order-state.js';

export interface NotifyWorkOrderStaffInput extends StaffNoticeInput<WorkOrderNoticeKind> {
  workOrderId: string;
  workOrderNumber: string;
  companyId: string;
  /** The project whose time zone the due time is shown in, and whose dispatchers are told. */
  projectId: string;
  dueAt?: number;
  /** Named users (a technician), a contractor company's staff, and/or the project's dispatchers (its nearest supervisors). */
  recipients: { userIds?: string[]; contractorCompanyId?: string; dispatchers?: boolean };
}

export type NotifyWorkOrderStaffResult = StaffEmailResult;

const KIND_TEXT: Record<WorkOrderNoticeKind, { zh: string; en: string }> = {
  assigned: { zh: '维修工单已派给您', en: 'A work order is now yours' },
  unassigned: { zh: '维修工单无默认处理人，待派工', en: 'Work order waiting for dispatch: no default assignee' },
  unassigned_away: { zh: '维修工单已不再由您处理', en: 'A work order is no longer yours' },
  appointment_booked: { zh: '维修上门时间已预约', en: 'Visit appointment booked' },
  arrival_warning: { zh: '即将超过上门时限', en: 'On-site arrival target approaching' },
  arrival_breached: { zh: '已超过上门时限', en: 'On-site arrival target missed' },
  no_show: { zh: '上门未遇，需重新预约', en: 'No-show: a new appointment is needed' },
  rework: { zh: '业主未验收通过，需返工', en: 'Sign-off rejected: rework needed' },
  quote_refused: { zh: '业主拒绝保外维修报价，工单已取消', en: 'Owner refused the out-of-warranty quote: order cancelled' },
  charge_back: { zh: '保修期内缺陷，维修费用向责任承包商追偿', en: 'Defect under warranty: repair cost charged back to the responsible contractor' },
};

/**
 * The email for one work-order notice. It names the order by number, never the owner: no name, no
 * phone, no address (staff open the order in the console to read those).
 */
export function composeWorkOrderNotice(input: Pick<NotifyWorkOrderStaffInput, 'workOrderNumber' | 'kind' | 'dueAt'>, timeZone: string) {
  const kind = KIND_TEXT[input.kind];
  const due = input.dueAt !== undefined ? localTime(input.dueAt, timeZone) : null;
  const subject = `[${input.workOrderNumber}] ${kind.zh} / ${kind.en}`;
  const zh = [`维修工单 ${input.workOrderNumber}：${kind.zh}。`, due ? `时间：${due}（${timeZone}）` : null];
  const en = [`Work order ${input.workOrderNumber}: ${kind.en}.`, due ? `Time: ${due} (${timeZone})` : null];
  return { subject, text: staffNoticeText(zh, en, '请登录 Estate Care 控制台查看工单。 / Open the work order in the Estate Care console.') };
}

export function createWorkOrderNotifyActivities(deps: { db: Db; mailer: Mailer; logger: Logger }) {
  return {
    /**
     * Emails a technician, a contractor company's staff and/or the project's dispatchers about one
     * work-order event, each recipient under `${idempotencyKeyBase}:${userId}` (emailStaff), so a
     * retried activity or a replayed workflow sends nobody a second copy.
     */
    async notifyWorkOrderStaff(input: NotifyWorkOrderStaffInput): Promise<NotifyWorkOrderStaffResult> {
      const picked = async (): Promise<StaffAddress[]> => [
        ...(input.recipients.contractorCompanyId ? await findContractorStaff(deps.db, { groupId: input.groupId, contractorCompanyId: input.recipients.contractorCompanyId }) : []),
        ...(input.recipients.dispatchers ? await findNearestStaffWithRole(deps.db, input, 'SUPERVISOR') : []),
      ];
      return notifyStaff(deps, input, {
        picked,
        compose: (timeZone) => composeWorkOrderNotice(input, timeZone),
        log: ['work order notice', { workOrderId: input.workOrderId }],
      });
    },
  };
}
