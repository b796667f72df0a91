/** The audit trail, newest first, every actor by name; notes and audited edits shown in full. */
import { Empty, Timeline, Typography } from 'antd';
import { SEVERITIES, TARGETS, TIERS, type Severity, type TargetName, type Tier } from '../../../../../domain/cases/types.js';
import type { Category } from '../../../../../domain/cases/categories.js';
import type { User } from '../../../api.js';
import { categoryName } from '../categories.js';
import { formatDateTime, formatDateTimeSeconds } from '../../../format.js';
import { useI18n, type MessageKey } from '../../../i18n.js';
import { toMs } from '../../../shared/sla.js';
import type { CaseEventView } from '../model.js';
import { ratingLabel } from './CaseFacts.js';

type T = ReturnType<typeof useI18n>['t'];

const EVENT_KEYS = new Set<string>([
  'opened', 'case_opened', 'contacted', 'contact_recorded', 'paused', 'clock_paused', 'resumed', 'clock_resumed', 'resolved', 'callback',
  'callback_recorded', 'closed', 'reopened', 'warned', 'target_warned', 'breached', 'target_breached', 'target_met', 'escalation_requested',
  'escalation_approved', 'escalation_rejected', 'escalation_auto_escalated', 'escalated', 'tier_changed', 'details_changed', 'assigned', 'targets_recomputed', 'sla_retimed',
]);
const OWN_KEYS: Record<string, MessageKey> = {
  note_added: 'casePage.event.note_added',
  record_edited: 'casePage.event.record_edited',
  work_order_opened: 'casePage.event.work_order_opened',
  work_order_ended: 'casePage.event.work_order_ended',
};

function eventKey(type: string): string {
  return type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[.\-\s]+/g, '_').toLowerCase();
}

export function eventLabel(type: string, t: T): string {
  const k = eventKey(type);
  const bare = k.replace(/^(case|sla)_/, '');
  if (OWN_KEYS[bare]) return t(OWN_KEYS[bare]);
  if (EVENT_KEYS.has(k)) return t(`event.${k}` as MessageKey);
  if (EVENT_KEYS.has(bare)) return t(`event.${bare}` as MessageKey);
  return type;
}

const DETAIL_FIELDS: readonly [string, MessageKey][] = [
  ['text', 'case.note'],
  ['note', 'case.note'],
  ['reason', 'esc.reason'],
  ['resolution', 'case.resolution'],
  ['satisfaction', 'case.satisfaction'],
  ['comment', 'case.callbackComment'],
  ['target', 'sla.target'],
  ['severity', 'cases.severity'],
  ['category', 'cases.category'],
  ['fromTier', 'cases.tier'],
  ['toTier', 'esc.toTier'],
  ['dueAt', 'case.due'],
  ['withinTarget', 'case.withinTarget'],
];

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'object') {
    const o = v as { name?: unknown; phone?: unknown };
    if (typeof o.name === 'string') return `${o.name}${typeof o.phone === 'string' ? ` ${o.phone}` : ''}`;
    return '—';
  }
  return String(v);
}

function eventDetails(e: CaseEventView, t: T, lang: 'zh-CN' | 'en', categories: readonly Category[], nameOf: (id: string) => string | null): string[] {
  const d = (e.data ?? {}) as Record<string, unknown>;
  if (typeof d !== 'object') return [];
  const out: string[] = [];
  for (const [k, label] of DETAIL_FIELDS) {
    const v = d[k];
    if (v === null || v === undefined || v === '' || typeof v === 'object') continue;
    let shown = String(v);
    if (k === 'target' && (TARGETS as readonly string[]).includes(shown)) shown = t(`target.${shown as TargetName}` as const);
    else if ((k === 'fromTier' || k === 'toTier') && (TIERS as readonly string[]).includes(shown)) shown = t(`tier.${shown as Tier}` as const);
    else if (k === 'severity' && (SEVERITIES as readonly string[]).includes(shown)) shown = t(`severity.${shown as Severity}` as const);
    else if (k === 'category') shown = categoryName(shown, lang, categories, false);
    else if (k === 'withinTarget') shown = v === true ? t('common.yes') : t('common.no');
    else if (k === 'satisfaction') shown = ratingLabel(Number(v), t);
    else if (k === 'dueAt' && toMs(v as string) !== null) shown = formatDateTime(new Date(toMs(v as string)!), lang);
    out.push(`${t(label)}: ${shown}`);
  }
  if (typeof d.assigneeId === 'string') out.push(`${t('cases.assignee')}: ${nameOf(d.assigneeId) ?? t('casePage.colleague')}`);
  const changes = d.changes as Record<string, { from?: unknown; to?: unknown }> | undefined;
  if (changes && typeof changes === 'object') {
    for (const [field, change] of Object.entries(changes)) {
      const label = field === 'description' ? t('case.description') : field === 'contact' ? t('casePage.contact') : field;
      out.push(`${label}: ${show(change?.from)} → ${show(change?.to)}`);
    }
  }
  return out;
}

export function CaseTimeline({ events, names, user, categories }: { events: CaseEventView[]; names: Record<string, string>; user: User; categories: readonly Category[] }) {
  const { t, lang } = useI18n();
  if (events.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  const nameOf = (id: string) => (id === user.id ? user.displayName : (names[id] ?? null));
  const sorted = [...events].sort((a, b) => b.seq - a.seq);
  return (
    <Timeline
      data-testid="timeline"
      items={sorted.map((e) => {
        const actor = e.actor === 'system' ? t('case.system') : (e.actorName ?? nameOf(e.actor) ?? t('casePage.colleague'));
        const details = eventDetails(e, t, lang, categories, nameOf);
        return {
          key: e.seq,
          content: (
            <div data-testid="timeline-event" data-type={e.type} data-actor={actor}>
              <div>
                <strong>{eventLabel(e.type, t)}</strong>{' '}
                <Typography.Text type="secondary">{toMs(e.at) !== null ? formatDateTimeSeconds(new Date(toMs(e.at)!), lang) : '—'}</Typography.Text>
              </div>
              <Typography.Text type="secondary" data-testid="timeline-actor">
                {actor}
              </Typography.Text>
              {details.map((line, i) => (
                <div key={i} className="timeline-data">
                  {line}
                </div>
              ))}
            </div>
          ),
        };
      })}
    />
  );
}
