import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import type { PaymentMethod } from '../../domain/sales/types.js';
import type { Db } from '../../platform/db.js';
import type { Mailer } from '../../platform/mail.js';
import type { DeadlineKind, NotifySalePartiesInput, NotifySalePartiesResult, SaleNoticeKind } from '../../workflows/sales/sale-lifecycle.defs.js';
import { findNearestSalesManagers } from '../leads/staff.js';
import { localTime, staffNoticeText } from '../platform/notice-text.js';
import { emailStaff, findStaffRecipients, logUndelivered } from '../platform/staff-email.js';

type Text = { zh: string; en: string };

/** What every sale email says, whoever reads it. */
interface SaleNoticeFacts {
  kind: SaleNoticeKind;
  saleNumber: string;
  projectName: string;
  /** Building and unit, e.g. `1栋 101`. */
  unitLabel: string;
  /** The project's IANA time zone: every time is shown there. */
  timeZone: string;
  deadline?: DeadlineKind | undefined;
  /** Epoch ms: the deadline's due time (the delivery date for an inspection invitation). */
  dueAt?: number | undefined;
  /** Epoch ms: the project's delivery date, where known. */
  deliveryDate?: number | null | undefined;
}

/**
 * One sale email. Staff notices carry no buyer field at all (the type has none), so they cannot
 * name the customer or their phone: staff open the sale in the console for those. The buyer's own
 * email is addressed to them by name.
 */
export type SaleNotice =
  | ({ audience: 'staff' } & SaleNoticeFacts)
  | ({
      audience: 'buyer';
      /** The customer the email goes to. */
      buyerName: string;
      /** The salesperson the buyer should contact (display name); null → "your sales consultant". */
      contactName?: string | null | undefined;
      /** A progress email quotes the project's latest construction-progress note. */
      progressNote?: string | null | undefined;
      /** Which payment step a welcome letter announces; unknown → both are named. */
      paymentMethod?: PaymentMethod | null | undefined;
    } & SaleNoticeFacts);

export const DEADLINE_TEXT: Record<DeadlineKind, Text> = {
  contract: { zh: '签约', en: 'contract signing' },
  filing: { zh: '网签备案', en: 'online contract filing' },
  mortgage_documents: { zh: '按揭资料提交', en: 'mortgage documents submission' },
  bank_decision: { zh: '银行审批', en: "bank's mortgage decision" },
  disbursement: { zh: '放款', en: 'loan disbursement' },
  full_payment: { zh: '全款付清', en: 'full payment' },
};

const STAFF_TEXT: Record<SaleNoticeKind, Text> = {
  subscribed: { zh: '新认购，待签约', en: 'New subscription, contract to be signed' },
  deadline_reminder: { zh: '即将到期', en: 'Due soon' },
  deadline_missed: { zh: '已逾期', en: 'Deadline missed' },
  welcome_letter: { zh: '已签约，欢迎信已发给买受人', en: 'Contract signed, welcome letter sent to the buyer' },
  mortgage_rejected: { zh: '按揭被银行拒绝：请与买受人商定改为全款或申请取消', en: 'Mortgage rejected: agree a switch to full payment or request cancellation' },
  progress: { zh: '工程进度通知已发给买受人', en: 'Construction progress update sent to the buyer' },
  inspection_invitation: { zh: '交付前验房', en: 'Pre-handover inspection due' },
  approval_requested: { zh: '审批申请待销售经理处理', en: "Approval awaiting a sales manager's decision" },
  approval_decided: { zh: '审批申请已处理', en: 'Approval decided' },
  lapsed: { zh: '认购已失效（未按期签约），房源已释放', en: 'Subscription lapsed (no contract in time), unit released' },
  cancelled: { zh: '销售已取消，房源已释放', en: 'Sale cancelled, unit released' },
  handed_over: { zh: '已交付，业主已登记入伙', en: 'Handed over, owner registered with property management' },
};

const BUYER_SUBJECT: Record<SaleNoticeKind, Text> = {
  subscribed: { zh: '认购成功，房源已为您保留', en: 'Subscription confirmed, your unit is reserved' },
  deadline_reminder: { zh: '办理事项即将到期', en: 'A step is due soon' },
  deadline_missed: { zh: '办理事项已逾期', en: 'A step is overdue' },
  welcome_letter: { zh: '签约成功，欢迎信', en: 'Welcome letter: your contract is signed' },
  mortgage_rejected: { zh: '按揭贷款申请结果', en: 'Your mortgage application' },
  progress: { zh: '工程进度通知', en: 'Construction progress update' },
  inspection_invitation: { zh: '交付前验房邀请', en: 'Invitation to the pre-handover inspection' },
  approval_requested: { zh: '变更申请已提交', en: 'Your change request was submitted' },
  approval_decided: { zh: '变更申请已处理', en: 'Your change request was decided' },
  lapsed: { zh: '认购已失效', en: 'Your subscription has lapsed' },
  cancelled: { zh: '交易已取消', en: 'Your purchase was cancelled' },
  handed_over: { zh: '欢迎回家', en: 'Welcome home' },
};

const day = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd');

/** The email for one sale notice: zh-CN first, then English; times in the project's time zone. */
export function composeSaleNotice(n: SaleNotice): { subject: string; text: string } {
  return n.audience === 'staff' ? composeStaffNotice(n) : composeBuyerNotice(n);
}

function composeStaffNotice(n: SaleNoticeFacts) {
  const kind = STAFF_TEXT[n.kind];
  const deadline = n.deadline ? DEADLINE_TEXT[n.deadline] : null;
  const tz = n.timeZone;
  const isDelivery = n.kind === 'inspection_invitation';
  const due = n.dueAt !== undefined && !isDelivery ? localTime(n.dueAt, tz) : null;
  const delivery = isDelivery ? (n.dueAt ?? n.deliveryDate ?? null) : null;
  const subject = `[${n.saleNumber}] ${deadline ? `${deadline.zh}${kind.zh}` : kind.zh} / ${kind.en}${deadline ? `: ${deadline.en}` : ''}`;
  const zh = [
    `销售 ${n.saleNumber}（${n.projectName} ${n.unitLabel}）：${kind.zh}。`,
    deadline ? `事项：${deadline.zh}` : null,
    due ? `截止时间：${due}（${tz}）` : null,
    delivery !== null ? `交付日期：${day(delivery, tz)}` : null,
  ];
  const en = [
    `Sale ${n.saleNumber} (${n.projectName} ${n.unitLabel}): ${kind.en}.`,
    deadline ? `Step: ${deadline.en}` : null,
    due ? `Due: ${due} (${tz})` : null,
    delivery !== null ? `Delivery date: ${day(delivery, tz)}` : null,
  ];
  return { subject, text: staffNoticeText(zh, en, '请登录 Estate Care 控制台查看销售。 / Open the sale in the Estate Care console.') };
}

function composeBuyerNotice(n: Extract<SaleNotice, { audience: 'buyer' }>) {
  const tz = n.timeZone;
  const place = `${n.projectName} ${n.unitLabel}`;
  const contact: Text = n.contactName ? { zh: `${n.contactName}（${n.projectName}）`, en: `${n.contactName} (${n.projectName})` } : { zh: `您的置业顾问（${n.projectName}）`, en: `your sales consultant (${n.projectName})` };
  const due = n.dueAt !== undefined ? localTime(n.dueAt, tz) : null;
  const deliveryMs = n.kind === 'inspection_invitation' ? (n.dueAt ?? n.deliveryDate ?? null) : (n.deliveryDate ?? null);
  const delivery = deliveryMs !== null ? day(deliveryMs, tz) : null;
  const deadline = n.deadline ? DEADLINE_TEXT[n.deadline] : null;
  let zh: Array<string | null>;
  let en: Array<string | null>;
  switch (n.kind) {
    case 'subscribed':
      zh = [`感谢您认购${place}，该房源已为您保留。`, due ? `请于 ${due}（${tz}）前签订购房合同，逾期认购将失效。` : '请按约定时间签订购房合同。', `联系人：${contact.zh}`];
      en = [`Thank you for subscribing to ${place}: the unit is reserved for you.`, due ? `Please sign the purchase contract by ${due} (${tz}); after that the subscription lapses.` : 'Please sign the purchase contract by the agreed date.', `Your contact: ${contact.en}`];
      break;
    case 'welcome_letter': {
      const step: Text =
        n.paymentMethod === 'mortgage'
          ? { zh: '提交按揭贷款资料', en: 'submit your mortgage documents to the bank' }
          : n.paymentMethod === 'full'
            ? { zh: '付清全部房款', en: 'complete the full payment' }
            : { zh: '付清房款或提交按揭资料', en: 'complete the payment or submit your mortgage documents' };
      zh = [`恭喜您签约${place}，欢迎加入${n.projectName}！接下来：`, '1. 网签备案：我们将为您办理购房合同的网签备案。', `2. ${step.zh}${due ? `，请于 ${due}（${tz}）前完成` : ''}。`, `联系人：${contact.zh}`];
      en = [`Congratulations on signing the contract for ${place}, and welcome to ${n.projectName}! Next steps:`, '1. Online filing: we register your contract with the housing authority (网签备案).', `2. Please ${step.en}${due ? ` by ${due} (${tz})` : ''}.`, `Your contact: ${contact.en}`];
      break;
    }
    case 'progress':
      zh = [`以下是${n.projectName}的最新工程进度（您的房屋：${n.unitLabel}）：`, n.progressNote ? `“${n.progressNote}”` : `工程按计划推进${delivery ? `，预计于 ${delivery} 交付` : ''}。`];
      en = [`Here is the latest construction progress at ${n.projectName} (your home: ${n.unitLabel}):`, n.progressNote ? `“${n.progressNote}”` : `Construction is on schedule${delivery ? ` for delivery on ${delivery}` : ''}.`];
      if (n.progressNote && delivery) {
        zh.push(`预计交付日期：${delivery}`);
        en.push(`Expected delivery: ${delivery}`);
      }
      break;
    case 'inspection_invitation':
      zh = [`您的房屋${place}即将交付${delivery ? `（交付日期：${delivery}）` : ''}。`, '诚邀您参加交付前验房，发现的问题我们将登记为维修工单并限期整改。', `请联系${contact.zh}预约验房时间。`];
      en = [`Your home ${place} will soon be delivered${delivery ? ` (delivery date: ${delivery})` : ''}.`, 'You are invited to the pre-handover inspection; any defect found becomes a repair case with a deadline.', `Please contact ${contact.en} to book a time.`];
      break;
    case 'handed_over':
      zh = [`欢迎回家！${place}已交付，您已在物业服务中心登记入伙。`, '交付时登记的问题将作为维修工单限期整改。', `如有疑问请联系${contact.zh}。`];
      en = [`Welcome home! ${place} has been handed over and you are registered with property management.`, 'Defects recorded at the handover are repair cases with a deadline.', `Questions: ${contact.en}.`];
      break;
    case 'cancelled':
      zh = [`您购买${place}的交易已取消，该房源不再为您保留。`, `如有疑问请联系${contact.zh}。`];
      en = [`Your purchase of ${place} has been cancelled; the unit is no longer reserved for you.`, `Questions: ${contact.en}.`];
      break;
    case 'lapsed':
      zh = [`您认购的${place}因未在规定期限内签约已失效，该房源不再为您保留。`, `如有疑问请联系${contact.zh}。`];
      en = [`Your subscription to ${place} has lapsed because the contract was not signed in time; the unit is no longer reserved for you.`, `Questions: ${contact.en}.`];
      break;
    case 'mortgage_rejected':
      zh = [`很遗憾，您为${place}申请的按揭贷款未获银行批准。`, '您可以改为全款付清，或申请取消交易。', `请联系${contact.zh}。`];
      en = [`We are sorry: the bank did not approve your mortgage for ${place}.`, 'You can switch to full payment, or request cancellation.', `Please contact ${contact.en}.`];
      break;
    case 'deadline_reminder':
    case 'deadline_missed': {
      const step = deadline ?? { zh: '办理事项', en: 'the next step' };
      const missed = n.kind === 'deadline_missed';
      zh = [`${place}：${step.zh}${missed ? '已超过截止时间' : '即将到期'}${due ? `（截止：${due}，${tz}）` : ''}。`, `请联系${contact.zh}。`];
      en = [`${place}: ${step.en} ${missed ? 'is overdue' : 'is due soon'}${due ? ` (due ${due}, ${tz})` : ''}.`, `Please contact ${contact.en}.`];
      break;
    }
    case 'approval_requested':
    case 'approval_decided':
      zh = [`关于${place}的变更申请${n.kind === 'approval_requested' ? '已提交，正在审批' : '已处理'}。`, `详情请联系${contact.zh}。`];
      en = [`The change request for ${place} ${n.kind === 'approval_requested' ? 'was submitted and awaits a decision' : 'was decided'}.`, `For details contact ${contact.en}.`];
      break;
  }
  const subjectText = BUYER_SUBJECT[n.kind];
  // The reference number lets the buyer (and the sales office) match a reply to the sale.
  const subject = `[${n.saleNumber}] ${place}：${subjectText.zh} / ${subjectText.en}`;
  const text = [`尊敬的${n.buyerName}：`, ...zh, '', `Dear ${n.buyerName},`, ...en, '', `销售编号 / Reference: ${n.saleNumber}`].filter((l) => l !== null).join('\n');
  return { subject, text };
}

/** `1栋 101`: the building and unit as on the contract. */
export function unitLabelOf(unit: { number: string; building: { name: string } } | null): string {
  return unit ? `${unit.building.name} ${unit.number}` : '—';
}

export function createSaleNotifyActivities(deps: { db: Db; mailer: Mailer; logger: Logger }) {
  const { db } = deps;
  return {
    /**
     * Emails one sale event to staff (named users, the project's nearest sales managers) and to
     * buyers (customers with an email address). Staff get a notice naming the sale and the unit;
     * buyers get a letter addressed to them. Each recipient's email is keyed
     * `${idempotencyKeyBase}:${recipientId}`, so a retried activity sends nobody a second copy.
     */
    async notifySaleParties(input: NotifySalePartiesInput): Promise<NotifySalePartiesResult> {
      const [project, unit, sale] = await Promise.all([
        db.project.findUnique({ where: { id: input.projectId }, select: { name: true, timeZone: true, deliveryDate: true } }),
        db.unit.findUnique({ where: { id: input.unitId }, select: { number: true, building: { select: { name: true } } } }),
        db.sale.findUnique({ where: { id: input.saleId }, select: { deliveryDate: true, paymentMethod: true } }),
      ]);
      const facts: SaleNoticeFacts = {
        kind: input.kind,
        saleNumber: input.saleNumber,
        projectName: project?.name ?? '—',
        unitLabel: unitLabelOf(unit),
        timeZone: project?.timeZone ?? 'Asia/Shanghai',
        deadline: input.deadline,
        dueAt: input.dueAt,
        deliveryDate: (sale?.deliveryDate ?? project?.deliveryDate)?.getTime() ?? null,
      };
      const keyBase = input.idempotencyKeyBase;

      const staff = await findStaffRecipients(db, input.recipients.userIds, () => (input.recipients.salesManagers ? findNearestSalesManagers(db, input) : []));
      const result: NotifySalePartiesResult =
        staff.recipients.size || staff.requestedIds.size
          ? await emailStaff({ mailer: deps.mailer, groupId: input.groupId, ...staff, keyBase, ...composeSaleNotice({ audience: 'staff', ...facts }) })
          : { sent: [], skipped: [], refused: [] };

      const customerIds = [...new Set(input.recipients.customerIds ?? [])].sort();
      if (customerIds.length) {
        const [customers, contact, note] = await Promise.all([
          db.customer.findMany({ where: { id: { in: customerIds }, groupId: input.groupId }, select: { id: true, name: true, email: true } }),
          input.contactUserId ? db.user.findUnique({ where: { id: input.contactUserId }, select: { displayName: true } }) : null,
          input.kind === 'progress'
            ? db.projectProgressNote.findFirst({ where: { projectId: input.projectId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { text: true } })
            : null,
        ]);
        const byId = new Map(customers.map((c) => [c.id, c]));
        for (const id of customerIds) {
          const customer = byId.get(id);
          if (!customer?.email) {
            result.skipped.push(id);
            continue;
          }
          const letter = composeSaleNotice({
            audience: 'buyer',
            ...facts,
            buyerName: customer.name,
            contactName: contact?.displayName ?? null,
            progressNote: note?.text ?? null,
            paymentMethod: sale?.paymentMethod === 'mortgage' || sale?.paymentMethod === 'full' ? sale.paymentMethod : null,
          });
          // The same keyed, refusal-tolerant send as for staff, one letter per buyer.
          const r = await emailStaff({ mailer: deps.mailer, groupId: input.groupId, recipients: new Map([[id, customer.email]]), requestedIds: [], keyBase, ...letter });
          result.sent.push(...r.sent);
          result.refused.push(...r.refused);
        }
      }
      logUndelivered(deps.logger, 'sale notice', { saleId: input.saleId, kind: input.kind }, result);
      return result;
    },
  };
}
