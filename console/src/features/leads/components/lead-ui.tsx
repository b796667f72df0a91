/**
 * Building blocks of the lead screens: status and grade badges, the live countdown to the next
 * touch, cadence and duration wording, loss reasons, the sales-staff picker and the timeline's
 * events in words. All text; nothing is ever rendered as HTML.
 */
import { useId, type CSSProperties } from 'react';
import { Select, Tag, Tooltip } from 'antd';
import { hasPermission, isProjectInScope } from '../../../../../domain/access.js';
import { GRADES, type Grade, type LeadOwnerRole, type LeadStatus } from '../../../../../domain/leads/types.js';
import type { Project, User } from '../../../api.js';
import { DEFAULT_TIME_ZONE, formatDateTime, formatMoney } from '../../../format.js';
import { useI18n, type Lang, type MessageKey } from '../../../i18n.js';
import type { CadencePolicy, Lead, LeadEvent, LossReason } from '../api.js';

export { useCadences, useLossReasons, useSalesStaff } from '../api.js';
import { formatCountdown, toMs, useNowMs } from '../../../shared/sla.js';
import { principalOf } from '../../../principal.js';

type Translate = ReturnType<typeof useI18n>['t'];

// ---------------------------------------------------------------------------------------------
// Badges

const STATUS_COLOR: Record<LeadStatus, string> = {
  new: 'blue',
  contacting: 'purple',
  pooled: '#ad4e00',
  converted: '#237804',
  lost_pending_review: 'red',
  closed: 'default',
};

export function LeadStatusBadge({ status }: { status: LeadStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLOR[status] ?? 'default'} data-testid="lead-status" data-status={status}>
      {t(`leadStatus.${status}` as const)}
    </Tag>
  );
}

// Solid dark shades where antd's light presets (gold, green) miss AA contrast.
const GRADE_COLOR: Record<Grade, string> = { A: 'red', B: '#ad4e00', C: 'blue' };

export function GradeBadge({ grade }: { grade: Grade }) {
  const { t } = useI18n();
  return (
    <Tooltip title={t(`grade.${grade}.desc` as const)}>
      <Tag color={GRADE_COLOR[grade] ?? 'default'} data-testid="lead-grade" data-grade={grade}>
        {t(`grade.${grade}` as const)}
      </Tag>
    </Tooltip>
  );
}

// ---------------------------------------------------------------------------------------------
// The next touch

/** Within this of its deadline a touch shows amber. */
const SOON_MS = 2 * 3_600_000;

export type DueState = 'running' | 'warning' | 'breached' | 'pooled' | 'lost' | 'ended' | 'none';

export function dueStateOf(lead: Pick<Lead, 'status' | 'nextTouchDueAt'>, now: number): { state: DueState; dueAt: number | null; remainingMs: number | null } {
  if (lead.status === 'pooled') return { state: 'pooled', dueAt: null, remainingMs: null };
  if (lead.status === 'lost_pending_review') return { state: 'lost', dueAt: null, remainingMs: null };
  if (lead.status === 'converted' || lead.status === 'closed') return { state: 'ended', dueAt: null, remainingMs: null };
  const dueAt = toMs(lead.nextTouchDueAt);
  if (dueAt === null) return { state: 'none', dueAt: null, remainingMs: null };
  const remainingMs = dueAt - now;
  return { state: remainingMs <= 0 ? 'breached' : remainingMs <= SOON_MS ? 'warning' : 'running', dueAt, remainingMs };
}

/** `剩余 2天 03:12:09` counting down every second; `超时 00:05:10` in red once the touch is overdue. */
export function LeadCountdown({ lead, testId = 'lead-countdown' }: { lead: Pick<Lead, 'status' | 'nextTouchDueAt'>; testId?: string }) {
  const { t, lang } = useI18n();
  const now = useNowMs();
  const v = dueStateOf(lead, now);
  let text: string;
  switch (v.state) {
    case 'pooled':
      text = t('leadDue.pooled');
      break;
    case 'lost':
      text = t('leadDue.lost');
      break;
    case 'ended':
      text = t('leadDue.ended');
      break;
    case 'none':
      text = t('leadDue.none');
      break;
    default:
      text = v.remainingMs! <= 0 ? t('countdown.overdue', { time: formatCountdown(v.remainingMs!, lang) }) : t('countdown.left', { time: formatCountdown(v.remainingMs!, lang) });
  }
  const css = v.state === 'pooled' || v.state === 'lost' ? 'paused' : v.state === 'ended' || v.state === 'none' ? 'pending' : v.state;
  return (
    <span className={`countdown countdown-${css}`} data-testid={testId} data-state={v.state} data-due={v.dueAt ?? undefined} role="timer" aria-live="off">
      {text}
    </span>
  );
}

/** Whether the due touch is the first contact (nobody has touched the lead yet). */
export const isFirstContact = (lead: Pick<Lead, 'touchCount'>) => lead.touchCount === 0;

// ---------------------------------------------------------------------------------------------
// Time helpers in the group's time zone

/** YYYY-MM-DD of an instant in `timeZone`. */
export function calendarDate(ms: number, timeZone = DEFAULT_TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}

/** The instant a calendar day starts in `timeZone`, as ISO (the zone's offset from Intl). */
export function startOfDay(date: string, timeZone = DEFAULT_TIME_ZONE): string {
  const guess = Date.parse(`${date}T00:00:00Z`);
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'longOffset' }).formatToParts(new Date(guess));
  const offset = parts.find((p) => p.type === 'timeZoneName')?.value.replace('GMT', '') || 'Z';
  return new Date(`${date}T00:00:00${offset}`).toISOString();
}

export const nextCalendarDate = (date: string) => calendarDate(Date.parse(`${date}T12:00:00Z`) + 86_400_000, 'UTC');

/** The end of today in the group's time zone (the start of tomorrow), as ISO. */
export function endOfToday(now = Date.now()): string {
  return startOfDay(nextCalendarDate(calendarDate(now)));
}

// ---------------------------------------------------------------------------------------------
// Durations and cadences

const UNITS: Record<string, { zh: string; en: [string, string] }> = {
  Y: { zh: '年', en: ['year', 'years'] },
  M: { zh: '个月', en: ['month', 'months'] },
  W: { zh: '周', en: ['week', 'weeks'] },
  D: { zh: '天', en: ['day', 'days'] },
  H: { zh: '小时', en: ['hour', 'hours'] },
  m: { zh: '分钟', en: ['minute', 'minutes'] },
  S: { zh: '秒', en: ['second', 'seconds'] },
};

/** `PT24H` → `24小时` / `24 hours`, `P1M` → `1个月` / `1 month`; anything unparsed as given. */
export function formatIsoDuration(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  if (!m) return iso;
  const parts: string[] = [];
  ['Y', 'M', 'W', 'D', 'H', 'm', 'S'].forEach((unit, i) => {
    const v = m[i + 1];
    if (!v || Number(v) === 0) return;
    const u = UNITS[unit]!;
    parts.push(lang === 'zh-CN' ? `${v}${u.zh}` : `${v} ${Number(v) === 1 ? u.en[0] : u.en[1]}`);
  });
  return parts.length ? parts.join(lang === 'zh-CN' ? '' : ' ') : iso;
}

/** "首次联系 3天内，之后每 7天 跟进一次；1个月后降为 C级". */
export function cadenceText(p: Pick<CadencePolicy, 'firstContact' | 'interval' | 'lastsFor' | 'dropTo'> & { ownerRole?: LeadOwnerRole }, t: Translate, lang: Lang, withOwner = false): string {
  let s = t('cadence.text', { first: formatIsoDuration(p.firstContact, lang), interval: formatIsoDuration(p.interval, lang) });
  if (p.lastsFor && p.dropTo) s += t('cadence.lasts', { lastsFor: formatIsoDuration(p.lastsFor, lang), dropTo: t(`grade.${p.dropTo}` as const) });
  if (withOwner && p.ownerRole) s += t('cadence.owner', { role: t(`role.${p.ownerRole}` as const) });
  return s;
}

// ---------------------------------------------------------------------------------------------
// Loss reasons

/** A loss reason's name in the console's language, or its code when it is not configured. */
export function lossReasonName(code: string, reasons: readonly LossReason[], lang: Lang): string {
  const r = reasons.find((x) => x.code === code);
  if (!r) return code;
  return lang === 'zh-CN' ? r.name.zh : r.name.en;
}

// ---------------------------------------------------------------------------------------------
// Sales staff (owners)

export const SALES_ROLES: readonly LeadOwnerRole[] = ['SALES', 'SPECIALIST', 'SALES_MANAGER'];

/** True when `u` may own a lead of `project` (the API's canOwnLead): active sales team, project in scope. */
export function mayOwn(u: User, project: Pick<Project, 'id' | 'companyId'> & { groupId?: string }): boolean {
  return (
    u.active &&
    hasPermission(u.role, 'leads:work') &&
    isProjectInScope(principalOf(u), { id: project.id, companyId: project.companyId, groupId: project.groupId ?? u.scope.groupId })
  );
}

/**
 * The staff who may own a lead of the project, grouped by role, as an antd Select that narrows as
 * a name (or username) is typed. `data-testid` sits on the select; each option carries
 * `data-username` for tests.
 */
export function StaffSelect({
  staff,
  project,
  value,
  onChange,
  onBlur,
  exclude,
  loading,
  id,
  testId = 'owner-select',
  label,
  invalid,
  style,
}: {
  staff: readonly User[];
  project: (Pick<Project, 'id' | 'companyId'> & { groupId?: string }) | null;
  value: string;
  onChange: (id: string) => void;
  onBlur?: () => void;
  exclude?: string | null;
  loading?: boolean;
  id?: string;
  /** Kept for callers of the native select; antd's Select has no form name. */
  name?: string;
  testId?: string;
  label?: string;
  invalid?: boolean;
  style?: CSSProperties;
}) {
  const { t } = useI18n();
  const fallbackId = useId();
  const eligible = project ? staff.filter((u) => mayOwn(u, project) && u.id !== exclude) : [];
  const options = SALES_ROLES.flatMap((role) => {
    const members = eligible.filter((u) => u.role === role);
    return members.length === 0
      ? []
      : [
          {
            label: t(`role.${role}` as const),
            title: t(`role.${role}` as const),
            options: members.map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})`, 'data-username': u.username })),
          },
        ];
  });
  return (
    <Select
      id={id ?? fallbackId}
      data-testid={testId}
      value={value || undefined}
      onChange={(v: string | undefined) => onChange(v ?? '')}
      onBlur={onBlur}
      options={options}
      showSearch={{ optionFilterProp: 'label' }}
      allowClear
      loading={loading}
      disabled={loading}
      status={invalid ? 'error' : undefined}
      placeholder={loading ? t('staff.loading') : eligible.length === 0 ? t('pool.noStaff') : t('staff.choose')}
      notFoundContent={eligible.length === 0 ? t('pool.noStaff') : undefined}
      aria-label={label}
      style={{ minWidth: 220, ...style }}
      popupMatchSelectWidth={false}
    />
  );
}

// ---------------------------------------------------------------------------------------------
// Money

/** A positive CNY amount with at most two decimals, normalised (`"2,350,000"` → `"2350000"`); null when invalid. */
export function parseMoney(text: string): string | null {
  const s = text.replace(/[,\s，]/g, '');
  if (!/^\d{1,12}(\.\d{1,2})?$/.test(s)) return null;
  return Number(s) > 0 ? s : null;
}

export const moneyText = (amount: string | number | null | undefined, lang: Lang) =>
  amount === null || amount === undefined || amount === '' || !Number.isFinite(Number(amount)) ? '—' : formatMoney(Number(amount), lang);

/** Compares two normalised money strings exactly (cents, no floats). */
export function centsOf(money: string): bigint {
  const [int, frac = ''] = money.split('.');
  return BigInt(int ?? '0') * 100n + BigInt((frac + '00').slice(0, 2));
}

// ---------------------------------------------------------------------------------------------
// The timeline in words

export interface EventContext {
  t: Translate;
  lang: Lang;
  /** A user's display name, or null when the console cannot tell. */
  userName: (id: string | null | undefined) => string | null;
  reasons: readonly LossReason[];
  unitName: (id: string) => string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const isIn = <T extends string>(values: readonly T[], v: unknown): v is T => typeof v === 'string' && (values as readonly string[]).includes(v);

const CHANNELS = ['phone', 'wechat', 'sms', 'email', 'visit', 'event'] as const;
const OUTCOMES = ['reached', 'no_answer', 'interested', 'visit_booked', 'visited', 'negotiating', 'not_interested'] as const;
const SOURCES = ['web', 'wechat', 'portal', 'walk_in', 'event', 'referral', 'call'] as const;
const DECISIONS = ['take_over', 'reassign', 'close'] as const;

/** An event as a headline and `label: value` details, in the console's language. */
export function describeLeadEvent(e: LeadEvent, ctx: EventContext): { title: string; details: string[] } {
  const { t, lang } = ctx;
  const d = (typeof e.data === 'object' && e.data !== null ? e.data : {}) as Record<string, unknown>;
  const when = (v: unknown) => (str(v) || typeof v === 'number' ? formatDateTime(new Date(toMs(v as string | number) ?? 0), lang) : null);
  const person = (v: unknown) => {
    const id = str(v);
    if (!id) return null;
    // Never an id prefix: a colleague the console cannot name is "a colleague".
    return ctx.userName(id) ?? t('lead.colleague');
  };
  const grade = (v: unknown) => (isIn(GRADES, v) ? t(`grade.${v}` as const) : String(v ?? '—'));
  const details: string[] = [];
  const add = (key: MessageKey, value: string | null) => {
    if (value !== null && value !== '') details.push(`${t(key)}: ${value}`);
  };
  switch (e.type) {
    case 'lead.created': {
      add('ev.source', isIn(SOURCES, d.source) ? t(`source.${d.source}` as const) : str(d.source));
      add('ev.grade', d.grade ? grade(d.grade) : null);
      if (str(d.ownerId)) add('ev.owner', person(d.ownerId));
      else details.push(t('ev.createdPooled'));
      add('ev.firstContactDue', when(d.firstContactDueAt));
      return { title: t('ev.lead.created'), details };
    }
    case 'lead.touched': {
      const channel = isIn(CHANNELS, d.channel) ? t(`touchChannel.${d.channel}` as const) : String(d.channel ?? '');
      const outcome = isIn(OUTCOMES, d.outcome) ? t(`touchOutcome.${d.outcome}` as const) : String(d.outcome ?? '');
      add('ev.note', str(d.note));
      add('ev.nextStep', str(d.nextStep));
      if (d.firstContact === true) add('ev.firstContact', d.withinTarget === true ? t('ev.onTime') : d.withinTarget === false ? t('ev.late') : null);
      add('ev.nextTouch', when(d.nextTouchDueAt));
      return { title: t('ev.lead.touched', { channel, outcome }), details };
    }
    case 'lead.touch_due':
      add('ev.owner', person(d.ownerId));
      add('ev.due', when(d.dueAt));
      return { title: d.firstContact === true ? t('ev.lead.first_contact_due') : t('ev.lead.touch_due'), details };
    case 'lead.first_contact_missed':
      add('ev.owner', person(d.ownerId));
      add('ev.due', when(d.dueAt));
      return { title: t('ev.lead.first_contact_missed'), details };
    case 'lead.pooled':
      add('ev.previousOwner', person(d.previousOwnerId));
      add('ev.due', when(d.dueAt));
      add('ev.lapsedAt', when(d.lapsedAt));
      return { title: t('ev.lead.pooled'), details };
    case 'lead.pool_reminder':
      add('pool.pooledAt', when(d.pooledAt));
      return { title: t('ev.lead.pool_reminder'), details };
    case 'lead.regraded':
      if (d.reason === 'manual' || d.reason === 'cadence_ended') details.push(t(`ev.regraded.${d.reason}` as const));
      add('ev.nextTouch', when(d.nextTouchDueAt));
      return { title: t('ev.lead.regraded', { from: grade(d.from), to: grade(d.to) }), details };
    case 'lead.assigned':
      if (d.fromPool === true) details.push(t('ev.fromPool'));
      add('ev.previousOwner', person(d.previousOwnerId));
      add('ev.nextTouch', when(d.nextTouchDueAt));
      return { title: t('ev.lead.assigned', { owner: person(d.ownerId) ?? '—' }), details };
    case 'lead.lost':
      add('ev.lossNote', str(d.note));
      return { title: t('ev.lead.lost', { reason: str(d.reason) ? lossReasonName(d.reason as string, ctx.reasons, lang) : '—' }), details };
    case 'lead.reviewed': {
      const decision = isIn(DECISIONS, d.decision) ? t(`decision.${d.decision}` as const) : String(d.decision ?? '');
      if (d.decision !== 'close') add('ev.owner', person(d.ownerId));
      add('ev.previousOwner', person(d.previousOwnerId));
      add('ev.nextTouch', when(d.nextTouchDueAt));
      return { title: t('ev.lead.reviewed', { decision }), details };
    }
    case 'lead.closed':
      return { title: t('ev.lead.closed'), details };
    case 'lead.converted':
      add('ev.unit', str(d.unitId) ? (ctx.unitName(d.unitId as string) ?? '—') : null);
      add('ev.price', str(d.price) ? moneyText(d.price as string, lang) : null);
      add('ev.deposit', str(d.deposit) ? moneyText(d.deposit as string, lang) : null);
      add('ev.touches', typeof d.touches === 'number' ? String(d.touches) : null);
      return { title: t('ev.lead.converted'), details };
    default:
      return { title: e.type, details };
  }
}
