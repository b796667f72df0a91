/**
 * Building blocks of the sales screens: the stage chip, the live countdown to a deadline, exact
 * CNY formatting of decimal strings, the caller's rights over a sale, and the timeline's events in
 * words. All text; nothing is ever rendered as HTML.
 */
import { canApproveSale, canWorkSale, hasPermission } from '../../../../domain/access.js';
import { isFinalSaleStage, type SaleStage } from '../../../../domain/sales/types.js';
import type { Project, User } from '../../api.js';
import { DEFAULT_TIME_ZONE, formatDate, formatDateTime } from '../../format.js';
import { useI18n, type Lang, type MessageKey } from '../../i18n.js';
import type { ApprovalKind, DeadlineKind, PaymentMethod, SaleEvent, SaleSummary } from './api.js';
import { DEADLINE_ORDER } from './api.js';
import { formatCountdown, toMs, useNowMs } from '../../shared/sla.js';
import type { BadgeTone } from '../../ui.js';
import { principalOf } from '../../principal.js';

type Translate = ReturnType<typeof useI18n>['t'];

// ---------------------------------------------------------------------------------------------
// Badges

const STAGE_TONE: Record<SaleStage, BadgeTone> = {
  subscribed: 'blue',
  contracted: 'purple',
  paying: 'amber',
  mortgage_pending: 'amber',
  paid: 'green',
  inspection: 'blue',
  handed_over: 'green',
  lapsed: 'red',
  cancelled: 'grey',
};

export function SaleStageBadge({ stage, testId = 'sale-stage' }: { stage: SaleStage; testId?: string }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge-${STAGE_TONE[stage] ?? 'grey'}`} data-testid={testId} data-stage={stage}>
      {t(`saleStage.${stage}` as const)}
    </span>
  );
}

export function PendingApprovalBadge({ kind }: { kind: ApprovalKind }) {
  const { t } = useI18n();
  return (
    <span className="badge badge-amber" data-testid="pending-approval" data-kind={kind}>
      {t('sales.pending', { kind: t(`approvalKind.${kind}` as const) })}
    </span>
  );
}

export const deadlineName = (kind: DeadlineKind | string, t: Translate): string =>
  (DEADLINE_ORDER as readonly string[]).includes(kind) ? t(`deadline.${kind as DeadlineKind}` as const) : kind;

export const paymentMethodName = (m: PaymentMethod | string, t: Translate): string => (m === 'full' || m === 'mortgage' ? t(`payMethod.${m}` as const) : m);

// ---------------------------------------------------------------------------------------------
// Deadlines

/** Within this of a deadline the countdown turns amber (the handbook's reminder lead, P2D). */
const SOON_MS = 2 * 86_400_000;

export type SaleDueState = 'running' | 'warning' | 'breached' | 'none' | 'ended';

export function saleDueState(
  deadline: { dueAt: string; missedAt?: string | null; reminded?: boolean } | null,
  stage: SaleStage,
  now: number,
): { state: SaleDueState; dueAt: number | null; remainingMs: number | null } {
  if (isFinalSaleStage(stage)) return { state: 'ended', dueAt: null, remainingMs: null };
  const dueAt = toMs(deadline?.dueAt);
  if (!deadline || dueAt === null) return { state: 'none', dueAt: null, remainingMs: null };
  const remainingMs = dueAt - now;
  const state: SaleDueState = remainingMs <= 0 || deadline.missedAt ? 'breached' : deadline.reminded || remainingMs <= SOON_MS ? 'warning' : 'running';
  return { state, dueAt, remainingMs };
}

/** `剩余 6天 23:59:59` counting down every second; `超时 00:05:10` in red once the deadline passed. */
export function SaleCountdown({
  deadline,
  stage,
  testId = 'sale-countdown',
}: {
  deadline: { dueAt: string; missedAt?: string | null; reminded?: boolean } | null;
  stage: SaleStage;
  testId?: string;
}) {
  const { t, lang } = useI18n();
  const now = useNowMs();
  const v = saleDueState(deadline, stage, now);
  const text =
    v.state === 'ended'
      ? t('saleDue.ended')
      : v.state === 'none'
        ? t('saleDue.none')
        : v.remainingMs! <= 0
          ? t('countdown.overdue', { time: formatCountdown(v.remainingMs!, lang) })
          : t('countdown.left', { time: formatCountdown(v.remainingMs!, lang) });
  const css = v.state === 'ended' || v.state === 'none' ? 'pending' : v.state;
  return (
    <span className={`countdown countdown-${css}`} data-testid={testId} data-state={v.state} data-due={v.dueAt ?? undefined} role="timer" aria-live="off">
      {text}
    </span>
  );
}

// ---------------------------------------------------------------------------------------------
// Money, exactly: decimal strings are formatted through BigInt, never through a binary float.

/** Signed fen of a decimal CNY string (`"-12.5"` → -1250n); null when it is not one. */
export function fenOf(amount: string | number | null | undefined): bigint | null {
  if (amount === null || amount === undefined) return null;
  const text = typeof amount === 'number' ? (Number.isFinite(amount) ? amount.toFixed(2) : '') : amount.trim();
  const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return null;
  const fen = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}

const currencyFormats = new Map<Lang, Intl.NumberFormat>();
function currencyFormat(lang: Lang): Intl.NumberFormat {
  let f = currencyFormats.get(lang);
  if (!f) {
    f = new Intl.NumberFormat(lang === 'zh-CN' ? 'zh-CN' : 'en-GB', { style: 'currency', currency: 'CNY', minimumFractionDigits: 2, maximumFractionDigits: 2 });
    currencyFormats.set(lang, f);
  }
  return f;
}

/** Fen as `¥2,350,000.00`; the yuan are formatted as a BigInt and the fen written in by hand. */
export function formatFen(fen: bigint, lang: Lang): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const cents = String(abs % 100n).padStart(2, '0');
  const text = currencyFormat(lang)
    .formatToParts(abs / 100n)
    .map((p) => (p.type === 'fraction' ? cents : p.value))
    .join('');
  return negative ? `-${text}` : text;
}

/** A decimal CNY string with thousands separators (`"2350000.5"` → `¥2,350,000.50`); '—' when absent. */
export function yuan(amount: string | number | null | undefined, lang: Lang): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const fen = fenOf(amount);
  return fen === null ? String(amount) : formatFen(fen, lang);
}

/** The sum of decimal CNY strings, in fen. */
export const sumFen = (amounts: readonly (string | number | null | undefined)[]): bigint => amounts.reduce<bigint>((s, a) => s + (fenOf(a) ?? 0n), 0n);

/** part / whole as a percentage with one decimal (display only), null when whole is zero. */
export function pctOfFen(part: bigint, whole: bigint): number | null {
  if (whole <= 0n) return null;
  return Number((part * 1000n) / whole) / 10;
}

// ---------------------------------------------------------------------------------------------
// Who may do what (the API decides; the console only hides what would be refused)

/**
 * The caller's rights over a sale it can read. The sale view names its project, not the company:
 * the company comes from the project lookups; until they load, a sales manager who can read the
 * sale is taken to be over its project (the API's canReadSale lets no other sales manager see it).
 */
export function saleRights(user: User, sale: Pick<SaleSummary, 'project' | 'owner'>, projects: readonly Project[]): { work: boolean; approve: boolean } {
  const project = projects.find((p) => p.id === sale.project.id);
  if (!project) {
    const approve = hasPermission(user.role, 'sales:approve');
    return { approve, work: hasPermission(user.role, 'sales:work') && (sale.owner.id === user.id || approve) };
  }
  const ref = { principal: principalOf(user), groupId: user.scope.groupId, companyId: project.companyId, projectId: project.id, ownerId: sale.owner.id };
  return { work: canWorkSale(ref), approve: canApproveSale(ref) };
}

/** The project's time zone (times on a sale's page are shown in it), else the group's. */
export const projectTimeZone = (projectId: string, projects: readonly Project[]): string => projects.find((p) => p.id === projectId)?.timeZone || DEFAULT_TIME_ZONE;

// ---------------------------------------------------------------------------------------------
// The timeline in words

export interface SaleEventContext {
  t: Translate;
  lang: Lang;
  timeZone: string;
  /** A user's display name, or null when the console cannot tell. */
  userName: (id: string | null | undefined) => string | null;
  unitName: (id: string) => string | null;
  categoryName: (code: string) => string;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** An event as a headline and `label: value` details, in the console's language. */
export function describeSaleEvent(e: SaleEvent, ctx: SaleEventContext): { title: string; details: string[] } {
  const { t, lang, timeZone } = ctx;
  const d = (typeof e.data === 'object' && e.data !== null ? e.data : {}) as Record<string, unknown>;
  const when = (v: unknown) => (str(v) || typeof v === 'number' ? formatDateTime(new Date(toMs(v as string | number) ?? 0), lang, timeZone) : null);
  const day = (v: unknown) => (str(v) ? formatDate(v as string, lang, timeZone) : null);
  const money = (v: unknown) => (str(v) || typeof v === 'number' ? yuan(v as string, lang) : null);
  const person = (v: unknown) => {
    const id = str(v);
    if (!id) return null;
    return ctx.userName(id) ?? id.slice(0, 8);
  };
  const unit = (v: unknown) => {
    const id = str(v);
    return id ? (ctx.unitName(id) ?? id.slice(0, 8)) : null;
  };
  const kind = (v: unknown) => (v === 'cancel' || v === 'change_unit' || v === 'rename' ? t(`approvalKind.${v}` as const) : String(v ?? '—'));
  const onTime = (v: unknown) => (v === true ? t('sev.onTime') : v === false ? t('sev.late') : null);
  const details: string[] = [];
  const add = (key: MessageKey, value: string | null) => {
    if (value !== null && value !== '') details.push(`${t(key)}: ${value}`);
  };
  switch (e.type) {
    case 'sale.subscribed':
      add('sev.unit', unit(d.unitId));
      add('sev.price', money(d.price));
      add('sev.deposit', money(d.deposit));
      add('sev.method', str(d.paymentMethod) ? paymentMethodName(d.paymentMethod as string, t) : null);
      add('sev.owner', person(d.ownerId));
      add('sev.contractDue', when(d.contractDueAt));
      add('sev.deliveryDate', day(d.deliveryDate));
      return { title: t('sev.sale.subscribed'), details };
    case 'sale.contract_signed':
      add('sev.signedAt', when(d.signedAt));
      add('sev.timeliness', onTime(d.withinDeadline));
      add('sev.filingDue', when(d.filingDueAt));
      add(d.paymentMethod === 'mortgage' ? 'sev.documentsDue' : 'sev.paymentDue', when(d.paymentDueAt));
      return { title: t('sev.sale.contract_signed', { contractNo: str(d.contractNo) ?? '—' }), details };
    case 'sale.welcome_letter':
      add('sev.contact', person(d.contactUserId));
      return { title: t('sev.sale.welcome_letter'), details };
    case 'sale.filed':
      add('sev.timeliness', onTime(d.withinDeadline));
      return { title: t('sev.sale.filed', { filingNo: str(d.filingNo) ?? '—' }), details };
    case 'sale.payment_recorded':
      add('sev.paidAt', when(d.paidAt));
      add('sev.paidTotal', money(d.paidTotal));
      add('sev.price', money(d.price));
      return { title: t('sev.sale.payment_recorded', { amount: money(d.amount) ?? '—' }), details };
    case 'sale.paid':
      add('sev.paidTotal', money(d.paidTotal));
      add('sev.method', str(d.paymentMethod) ? paymentMethodName(d.paymentMethod as string, t) : null);
      return { title: t('sev.sale.paid'), details };
    case 'sale.mortgage_documents_submitted':
      add('sev.bank', str(d.bank));
      add('sev.timeliness', onTime(d.withinDeadline));
      add('sev.decisionDue', when(d.decisionDueAt));
      return { title: t('sev.sale.mortgage_documents_submitted'), details };
    case 'sale.mortgage_approved':
      add('sev.bank', str(d.bank));
      add('sev.loan', money(d.amount));
      add('sev.timeliness', onTime(d.withinDeadline));
      add('sev.disbursementDue', when(d.disbursementDueAt));
      return { title: t('sev.sale.mortgage_approved'), details };
    case 'sale.mortgage_rejected':
      add('sev.bank', str(d.bank));
      add('sev.timeliness', onTime(d.withinDeadline));
      return { title: t('sev.sale.mortgage_rejected'), details };
    case 'sale.mortgage_disbursed':
      add('sev.bank', str(d.bank));
      add('sev.timeliness', onTime(d.withinDeadline));
      add('sev.paidTotal', money(d.paidTotal));
      add('sev.outstanding', money(d.outstanding));
      return { title: t('sev.sale.mortgage_disbursed', { amount: money(d.amount) ?? '—' }), details };
    case 'sale.payment_method_changed':
      if (d.reason === 'mortgage_rejected') add('sev.reason', t('sev.reasonMortgageRejected'));
      add('sev.paymentDue', when(d.paymentDueAt));
      return { title: t('sev.sale.payment_method_changed', { to: str(d.to) ? paymentMethodName(d.to as string, t) : '—' }), details };
    case 'sale.deadline_reminder':
    case 'sale.deadline_missed':
      add('sev.due', when(d.dueAt));
      add('sev.owner', person(d.ownerId));
      return { title: t(e.type === 'sale.deadline_reminder' ? 'sev.sale.deadline_reminder' : 'sev.sale.deadline_missed', { deadline: deadlineName(str(d.deadline) ?? '—', t) }), details };
    case 'sale.lapsed':
      add('sev.due', when(d.dueAt));
      if (d.unitReleased === true) details.push(t('sev.unitReleased'));
      return { title: t('sev.sale.lapsed', { reason: d.reason === 'contract_deadline' ? t('sev.lapse.contract_deadline') : (str(d.reason) ?? '—') }), details };
    case 'sale.progress_notice':
      add('sev.deliveryDate', day(d.deliveryDate));
      return { title: t('sev.sale.progress_notice', { n: typeof d.n === 'number' ? d.n : '—' }), details };
    case 'sale.inspection_due':
      add('sev.inspectionAt', when(d.inspectionAt));
      add('sev.deliveryDate', day(d.deliveryDate));
      return { title: t('sev.sale.inspection_due'), details };
    case 'sale.inspected':
      return { title: t('sev.sale.inspected', { n: typeof d.defects === 'number' ? d.defects : 0 }), details };
    case 'sale.defect_cases_opened': {
      const ids = Array.isArray(d.caseIds) ? d.caseIds : [];
      const source = d.source === 'inspection' || d.source === 'handover' ? t(`sev.source.${d.source}` as const) : String(d.source ?? '—');
      return { title: t('sev.sale.defect_cases_opened', { n: ids.length, source }), details };
    }
    case 'sale.handed_over': {
      if (str(d.measuredArea) && str(d.contractArea))
        add(
          'sev.area',
          t('sev.areaText', { contract: d.contractArea as string, measured: d.measuredArea as string, pct: typeof d.areaDifferencePct === 'number' ? `${d.areaDifferencePct}%` : '—' }),
        );
      const fen = fenOf(str(d.areaSettlement));
      if (fen !== null)
        add('sev.settlement', fen > 0n ? t('sale.settleBuyerPays', { amount: formatFen(fen, lang) }) : fen < 0n ? t('sale.settleRefund', { amount: formatFen(-fen, lang) }) : t('sale.settleNone'));
      if (d.beyondTolerance === true) details.push(t('sev.beyondTolerance'));
      add('sev.defects', typeof d.defects === 'number' ? String(d.defects) : null);
      if (d.ownerRegistered === true) details.push(t('sev.ownerRegistered'));
      return { title: t('sev.sale.handed_over', { keys: typeof d.keysIssued === 'number' ? d.keysIssued : '—' }), details };
    }
    case 'sale.approval_requested':
      add('sev.reason', str(d.reason));
      add('sev.newUnit', unit(d.unitId));
      add('sev.newBuyer', str(d.buyerName));
      return { title: t('sev.sale.approval_requested', { kind: kind(d.kind) }), details };
    case 'sale.approval_decided':
      add('sev.note', str(d.note));
      return {
        title: t('sev.sale.approval_decided', { kind: kind(d.kind), decision: d.decision === 'approve' || d.decision === 'reject' ? t(`sev.decision.${d.decision}` as const) : String(d.decision ?? '') }),
        details,
      };
    case 'sale.cancelled':
      add('sev.reason', str(d.reason));
      if (d.unitReleased === true) details.push(t('sev.unitReleased'));
      return { title: t('sev.sale.cancelled'), details };
    case 'sale.unit_changed':
      add('sev.reason', str(d.reason));
      return { title: t('sev.sale.unit_changed', { from: unit(d.previousUnitId) ?? '—', to: unit(d.unitId) ?? '—' }), details };
    case 'sale.renamed':
      add('sev.reason', str(d.reason));
      return { title: t('sev.sale.renamed', { from: str(d.previousBuyerName) ?? t('sev.customerName'), to: str(d.buyerName) ?? '—' }), details };
    default:
      return { title: e.type, details };
  }
}
