/**
 * The case page: facts, the three targets of the current tier (due / met / breached / paused, with
 * live countdowns), the actions valid for the status and the caller's role, escalations and the
 * audit timeline. The workflow decides whether an action is accepted: a refusal comes back as a
 * 409 problem whose bilingual title is shown as is.
 */
import { useCallback, useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { canRecordCallback, canWorkCase, hasPermission, type CaseRef, type Principal } from '../../../domain/access.js';
import { SEVERITIES, TARGETS, type Severity, type TargetName } from '../../../domain/cases/types.js';
import { api, type User } from '../api.js';
import { CaseStatusBadge, CategoryPicker, Countdown, EscalationStatusBadge, SeverityBadge, TierBadge, categoryName, useCategories } from '../case-ui.js';
import { casesApi, type CaseDetail, type CaseEvent, type Escalation } from '../cases-api.js';
import { formatDateTime, formatDateTimeSeconds, formatMoney } from '../format.js';
import { useI18n, type MessageKey } from '../i18n.js';
import { Icon } from '../icons.js';
import { useOrgLookups } from '../lookups.js';
import { mayReadRecordViews } from '../record-views-api.js';
import { Link } from '../router.js';
import { WhoViewedLink } from './RecordViews.js';
import { formatDuration, targetView, toMs, useNowMs } from '../sla.js';
import { Badge, Card, Field, IconButton, ProblemAlert, SuccessNotice, useAsync, type BadgeTone } from '../ui.js';

type Action = 'contact' | 'pause' | 'resume' | 'resolve' | 'escalate' | 'callback' | 'edit';

const REFRESH_MS = 10_000;

const when = (v: string | number | null | undefined) => {
  const ms = toMs(v ?? null);
  return ms === null ? null : new Date(ms);
};

function principalOf(user: User): Principal {
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    groupId: user.scope.groupId,
    scopeLevel: user.scope.level,
    companyId: user.scope.companyId,
    projectId: user.scope.projectId,
  };
}

/**
 * The actions the user may take on the case in its current state: the same rules the API applies
 * (domain/access.ts: handlers and supervisors work the cases of their own tier and office; agents
 * record callbacks), so the page offers no button the API would refuse with 403.
 */
function availableActions(c: CaseDetail, user: User): Action[] {
  const ref: CaseRef = { caseTier: c.tier, groupId: c.groupId, companyId: c.companyId, projectId: c.projectId };
  const principal = principalOf(user);
  const work = canWorkCase({ principal, ...ref });
  const pendingEscalation = c.escalations.some((e) => e.status === 'pending');
  const canEscalate = work && c.tier !== 'GROUP' && !pendingEscalation;
  const out: Action[] = [];
  switch (c.status) {
    case 'open':
      if (work) out.push('contact');
      if (canEscalate) out.push('escalate');
      if (work) out.push('edit');
      break;
    case 'contacted':
      if (work) out.push('resolve', 'pause');
      if (canEscalate) out.push('escalate');
      if (work) out.push('edit');
      break;
    case 'waiting_on_customer':
      if (work) out.push('resume');
      if (canEscalate) out.push('escalate');
      if (work) out.push('edit');
      break;
    case 'resolved':
      if (canRecordCallback({ principal, ...ref })) out.push('callback');
      break;
    case 'closed':
      break;
  }
  return out;
}

const ACTION_LABEL: Record<Action, MessageKey> = {
  contact: 'case.contact',
  pause: 'case.pause',
  resume: 'case.resume',
  resolve: 'case.resolve',
  escalate: 'case.escalate',
  callback: 'case.callback',
  edit: 'case.edit',
};

export function CaseDetailPage({ id, user }: { id: string; user: User }) {
  const { t, lang } = useI18n();
  const lookups = useOrgLookups();
  const categories = useCategories();
  const detail = useAsync(async (signal) => ({ c: await casesApi.get(id, signal), loadedAt: Date.now() }), [id]);
  const events = useAsync((signal) => casesApi.events(id, signal), [id]);
  const [action, setAction] = useState<Action | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const clearNotice = useCallback(() => setNotice(null), []);

  const reloadAll = useCallback(() => {
    detail.reload();
    events.reload();
  }, [detail.reload, events.reload]); // eslint-disable-line react-hooks/exhaustive-deps

  // The read model and the audit trail follow the workflow within moments: refresh now and then.
  useEffect(() => {
    const timer = window.setInterval(reloadAll, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reloadAll]);

  const afterAction = useCallback(() => {
    setAction(null);
    setNotice(t('case.done'));
    reloadAll();
    // Audit rows are written by activities right after the update: pick them up shortly after.
    const timers = [800, 2500].map((ms) => window.setTimeout(reloadAll, ms));
    return () => timers.forEach((x) => window.clearTimeout(x));
  }, [reloadAll, t]);

  const c = detail.data?.c;
  if (!c) {
    return (
      <div className="page">
        <ProblemAlert error={detail.error} onRetry={detail.reload} />
        {!detail.error ? <div className="muted">{t('app.loading')}</div> : null}
      </div>
    );
  }
  const actions = availableActions(c, user);
  const assigneeLabel = c.assigneeId === user.id ? user.displayName : (c.assigneeName ?? (c.assigneeId ? c.assigneeId.slice(0, 8) : null));

  return (
    <div className="page case-page" data-testid="case-page" data-case-id={c.id} data-status={c.status} data-tier={c.tier}>
      <div className="breadcrumbs">
        <Link to={user.role === 'AGENT' ? '/cases/mine' : '/cases/queue'} className="back-link">
          <Icon name="back" size={16} /> {t('case.back')}
        </Link>
      </div>
      <SuccessNotice message={notice} onClose={clearNotice} />
      <ProblemAlert error={detail.error} onRetry={detail.reload} />

      <section className="card case-head">
        <div className="case-head-top">
          <div>
            <h2 className="case-number mono" data-testid="case-number">
              {c.number}
            </h2>
            <div className="case-badges">
              <CaseStatusBadge status={c.status} />
              <TierBadge tier={c.tier} />
              <SeverityBadge severity={c.severity} />
              <Badge tone="blue">{t(`caseType.${c.type}` as const)}</Badge>
            </div>
          </div>
          <IconButton icon="refresh" label={t('action.refresh')} onClick={reloadAll} testId="case-refresh" />
        </div>
        <dl className="detail-grid">
          <Detail label={t('cases.category')}>{categoryName(c.category, lang, categories)}</Detail>
          <Detail label={t('cases.project')}>{c.projectName ?? lookups.projectName(c.projectId) ?? c.projectId}</Detail>
          <Detail label={t('case.customer')}>
            {c.customer ? (
              <>
                {c.customer.name} <span className="mono muted">{c.customer.phone}</span>
                {mayReadRecordViews(user) ? (
                  <>
                    {' '}
                    <WhoViewedLink customerId={c.customer.id} />
                  </>
                ) : null}
              </>
            ) : (
              '—'
            )}
          </Detail>
          <Detail label={t('case.channel')}>{c.channel ? t(`channel.${c.channel}` as const) : '—'}</Detail>
          <Detail label={t('cases.openedAt')}>{formatDateTime(when(c.openedAt), lang)}</Detail>
          <Detail label={t('cases.assignee')}>{assigneeLabel ?? <span className="muted">{t('cases.unassigned')}</span>}</Detail>
          {c.estimatedCost !== undefined && c.estimatedCost !== null ? (
            <Detail label={t('case.estimatedCost')}>{formatMoney(Number(c.estimatedCost), lang)}</Detail>
          ) : null}
          {c.satisfaction ? <Detail label={t('case.satisfaction')}>{t('case.stars', { n: c.satisfaction })}</Detail> : null}
        </dl>
        {c.description ? (
          <div className="case-description">
            <div className="detail-label">{t('case.description')}</div>
            <p data-testid="case-description">{c.description}</p>
          </div>
        ) : null}
      </section>

      <div className="case-columns">
        <div className="case-main">
          <Card title={t('case.targets')}>
            <div className="targets" data-testid="targets">
              {TARGETS.map((name) => (
                <TargetCard key={name} name={name} c={c} loadedAt={detail.data!.loadedAt} />
              ))}
            </div>
          </Card>

          <Card title={t('case.actions')}>
            {actions.length === 0 ? <p className="muted" data-testid="no-actions">{t('case.noActions')}</p> : null}
            <div className="action-bar">
              {actions.map((a) => (
                <button
                  key={a}
                  type="button"
                  className={`btn${action === a ? ' btn-primary' : ''}`}
                  data-testid={`action-${a}`}
                  onClick={() => setAction(action === a ? null : a)}
                  aria-expanded={action === a}
                >
                  {t(ACTION_LABEL[a])}
                </button>
              ))}
            </div>
            {c.tier === 'GROUP' && c.status !== 'closed' && c.status !== 'resolved' && actions.length > 0 ? (
              <p className="field-hint">{t('case.topTier')}</p>
            ) : c.escalations.some((e) => e.status === 'pending') ? (
              <p className="field-hint">{t('case.escalationPending')}</p>
            ) : null}
            {action && actions.includes(action) ? (
              <ActionForm key={action} action={action} c={c} user={user} categories={categories} onDone={afterAction} onCancel={() => setAction(null)} />
            ) : null}
          </Card>

          {c.escalations.length > 0 ? (
            <Card title={t('case.escalations')}>
              <EscalationList items={c.escalations} />
            </Card>
          ) : null}
        </div>

        <Card title={t('case.timeline')} className="case-timeline">
          <ProblemAlert error={events.error} onRetry={events.reload} />
          <Timeline events={events.data?.items ?? []} user={user} categories={categories} />
        </Card>
      </div>
    </div>
  );
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

const STATE_TONE: Record<string, BadgeTone> = {
  pending: 'grey',
  running: 'blue',
  warning: 'amber',
  paused: 'grey',
  met: 'green',
  met_late: 'amber',
  breached: 'red',
};

function TargetCard({ name, c, loadedAt }: { name: TargetName; c: CaseDetail; loadedAt: number }) {
  const { t, lang } = useI18n();
  const now = useNowMs();
  const target = c.sla?.[name] ?? null;
  const v = targetView(target, c.status, now, loadedAt);
  return (
    <div className={`target target-${v.state}`} data-testid={`target-${name}`} data-state={v.state}>
      <div className="target-head">
        <span className="target-name">{t(`target.${name}` as const)}</span>
        <Badge tone={STATE_TONE[v.state] ?? 'grey'}>{t(`targetState.${v.state}` as const)}</Badge>
      </div>
      <div className="target-countdown">
        <Countdown target={target} status={c.status} loadedAt={loadedAt} name={name} testId={`countdown-${name}`} />
      </div>
      <dl className="target-facts">
        <dt>{t('case.due')}</dt>
        <dd>{formatDateTime(v.dueAt === null ? null : new Date(v.dueAt), lang)}</dd>
        {v.metAt !== null ? (
          <>
            <dt>{t('case.metAt')}</dt>
            <dd>{formatDateTime(new Date(v.metAt), lang)}</dd>
          </>
        ) : null}
        {v.breachedAt !== null ? (
          <>
            <dt>{t('case.breachedAt')}</dt>
            <dd>{formatDateTime(new Date(v.breachedAt), lang)}</dd>
          </>
        ) : null}
        {target && target.pausedMs > 0 ? (
          <>
            <dt>{t('case.pausedFor')}</dt>
            <dd>{formatDuration(target.pausedMs, lang)}</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Actions

function ActionForm({
  action,
  c,
  user,
  categories,
  onDone,
  onCancel,
}: {
  action: Action;
  c: CaseDetail;
  user: User;
  categories: ReturnType<typeof useCategories>;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const [text, setText] = useState('');
  const [satisfaction, setSatisfaction] = useState(0);
  const [escalate, setEscalate] = useState(false);
  const [severity, setSeverity] = useState<Severity>(c.severity);
  const [category, setCategory] = useState(c.category);
  const [assigneeId, setAssigneeId] = useState(c.assigneeId ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);
  const textId = useId();
  const sevId = useId();
  const assigneeId_ = useId();
  const canPickAssignee = hasPermission(user.role, 'users:read');
  const handlers = useAsync(
    (signal) => (canPickAssignee && action === 'edit' ? api.users({ role: 'HANDLER', page: 1, pageSize: 200 }, signal) : Promise.resolve(null)),
    [action, canPickAssignee],
  );

  const textLabel: Partial<Record<Action, MessageKey>> = {
    contact: 'case.contactNote',
    pause: 'case.pauseReason',
    resolve: 'case.resolution',
    escalate: 'case.escalateReason',
    callback: 'case.callbackComment',
  };
  const textRequired = action === 'contact' || action === 'pause' || action === 'resolve' || action === 'escalate';

  const run = async (call: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await call();
      onDone();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    const note = text.trim();
    if ((textRequired && !note) || (action === 'callback' && satisfaction === 0)) {
      setMissing(true);
      return;
    }
    setMissing(false);
    switch (action) {
      case 'contact':
        return run(() => casesApi.contact(c.id, note));
      case 'pause':
        return run(() => casesApi.pause(c.id, note));
      case 'resume':
        return run(() => casesApi.resume(c.id));
      case 'resolve':
        return run(() => casesApi.resolve(c.id, note));
      case 'escalate':
        return run(() => casesApi.escalate(c.id, note));
      case 'callback':
        return run(() => casesApi.callback(c.id, { satisfaction, ...(note ? { comment: note } : {}), ...(escalate ? { escalate: true } : {}) }));
      case 'edit': {
        const body = {
          ...(severity !== c.severity ? { severity } : {}),
          ...(category && category !== c.category ? { category } : {}),
          ...(assigneeId && assigneeId !== c.assigneeId ? { assigneeId } : {}),
        };
        if (Object.keys(body).length === 0) return onCancel();
        return run(() => casesApi.update(c.id, body));
      }
    }
  };

  const label = textLabel[action];
  return (
    <form className="form action-form" onSubmit={submit} noValidate data-testid={`form-${action}`}>
      <ProblemAlert error={error} />
      {action === 'callback' ? (
        <fieldset className="segmented stars" data-testid="satisfaction">
          <legend>
            {t('case.callbackSatisfaction')}
            <span className="required" aria-hidden="true">
              {' '}
              *
            </span>
          </legend>
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} className={`segment${satisfaction === n ? ' active' : ''}`}>
              <input type="radio" name="satisfaction" value={n} checked={satisfaction === n} onChange={() => setSatisfaction(n)} />
              {'★'.repeat(n)}
              <span className="visually-hidden">{t('case.stars', { n })}</span>
            </label>
          ))}
        </fieldset>
      ) : null}
      {label ? (
        <Field label={t(label)} htmlFor={textId} required={textRequired} error={missing && textRequired && !text.trim() ? t('validation.required') : undefined}>
          <textarea id={textId} name="text" rows={3} maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} autoFocus />
        </Field>
      ) : null}
      {missing && action === 'callback' && satisfaction === 0 ? (
        <div className="field-error" role="alert">
          {t('validation.required')}
        </div>
      ) : null}
      {action === 'callback' && user.role !== 'AGENT' ? (
        <label className="checkbox">
          <input type="checkbox" name="escalate" checked={escalate} onChange={(e) => setEscalate(e.target.checked)} />
          <span>{t('case.callbackEscalate')}</span>
        </label>
      ) : null}
      {action === 'edit' ? (
        <>
          <div className="form-grid">
            <Field label={t('cases.severity')} htmlFor={sevId}>
              <select id={sevId} name="severity" value={severity} onChange={(e) => setSeverity(e.target.value as Severity)}>
                {SEVERITIES.map((s) => (
                  <option key={s} value={s}>
                    {t(`severity.${s}` as const)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('cases.assignee')} htmlFor={assigneeId_}>
              {canPickAssignee ? (
                <select id={assigneeId_} name="assigneeId" value={assigneeId} onChange={(e) => setAssigneeId(e.target.value)}>
                  <option value="">{t('common.choose')}</option>
                  {(handlers.data?.items ?? []).map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.displayName} ({u.username})
                    </option>
                  ))}
                </select>
              ) : (
                <button
                  id={assigneeId_}
                  type="button"
                  className={`btn${assigneeId === user.id ? ' btn-primary' : ''}`}
                  data-testid="assign-to-me"
                  onClick={() => setAssigneeId(user.id)}
                >
                  {t('case.assignToMe')}
                </button>
              )}
            </Field>
          </div>
          <CategoryPicker label={t('cases.category')} value={category} onChange={setCategory} categories={categories} root={c.type} />
          <p className="field-hint">{categoryName(c.category, lang, categories)}</p>
        </>
      ) : null}
      <div className="form-actions">
        <button type="button" className="btn btn-ghost" onClick={onCancel} disabled={busy}>
          {t('action.cancel')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="action-submit">
          {busy ? t('action.saving') : action === 'resume' ? t('case.resume') : t('case.submit')}
        </button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// Escalations and timeline

function EscalationList({ items }: { items: Escalation[] }) {
  const { t, lang } = useI18n();
  return (
    <ul className="escalation-list" data-testid="case-escalations">
      {items.map((e) => (
        <li key={e.id} data-status={e.status}>
          <div className="escalation-line">
            <TierBadge tier={e.fromTier} /> → <TierBadge tier={e.toTier} /> <EscalationStatusBadge status={e.status} />
            <span className="muted">{t(`escSource.${e.source}` as const)}</span>
            <span className="muted nowrap">{formatDateTime(when(e.requestedAt), lang)}</span>
          </div>
          <div className="escalation-reason">{e.reason}</div>
          {e.decisionNote ? <div className="muted">{e.decisionNote}</div> : null}
        </li>
      ))}
    </ul>
  );
}

const EVENT_KEYS = new Set<string>([
  'opened',
  'case_opened',
  'contacted',
  'contact_recorded',
  'paused',
  'clock_paused',
  'resumed',
  'clock_resumed',
  'resolved',
  'callback',
  'callback_recorded',
  'closed',
  'reopened',
  'warned',
  'target_warned',
  'breached',
  'target_breached',
  'target_met',
  'escalation_requested',
  'escalation_approved',
  'escalation_rejected',
  'escalation_auto_escalated',
  'escalated',
  'tier_changed',
  'details_changed',
  'assigned',
  'targets_recomputed',
]);

/** `CASE_OPENED`, `case.opened`, `caseOpened` → `case_opened`, for the label lookup. */
function eventKey(type: string): string {
  return type
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[.\-\s]+/g, '_')
    .toLowerCase();
}

export function eventLabel(type: string, t: ReturnType<typeof useI18n>['t']): string {
  const k = eventKey(type);
  if (EVENT_KEYS.has(k)) return t(`event.${k}` as MessageKey);
  const bare = k.replace(/^(case|sla)_/, '');
  if (EVENT_KEYS.has(bare)) return t(`event.${bare}` as MessageKey);
  return type;
}

/** The event fields worth showing, with their labels; ids, codes and echoes of the case are left out. */
const DETAIL_FIELDS: readonly [string, MessageKey][] = [
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

/** Event data as short `label: value` pairs (text only, never HTML). */
function eventDetails(data: unknown, t: ReturnType<typeof useI18n>['t'], lang: 'zh-CN' | 'en', categories: ReturnType<typeof useCategories>): string[] {
  if (data === null || data === undefined || typeof data !== 'object') return [];
  const d = data as Record<string, unknown>;
  const out: string[] = [];
  for (const [k, label] of DETAIL_FIELDS) {
    const v = d[k];
    if (v === null || v === undefined || v === '' || typeof v === 'object') continue;
    let shown = String(v);
    if (k === 'target' && (TARGETS as readonly string[]).includes(shown)) shown = t(`target.${shown as TargetName}` as const);
    else if ((k === 'fromTier' || k === 'toTier') && ['PROJECT', 'COMPANY', 'GROUP'].includes(shown)) shown = t(`tier.${shown as 'PROJECT'}` as const);
    else if (k === 'severity' && (SEVERITIES as readonly string[]).includes(shown)) shown = t(`severity.${shown as Severity}` as const);
    else if (k === 'category') shown = categoryName(shown, lang, categories, false);
    else if (k === 'withinTarget') shown = v === true ? t('common.yes') : t('common.no');
    else if (k === 'satisfaction') shown = t('case.stars', { n: shown });
    else if (k === 'dueAt' && toMs(v as string | number) !== null) shown = formatDateTime(new Date(toMs(v as string | number)!), lang);
    out.push(`${t(label)}: ${shown}`);
  }
  return out;
}

function Timeline({ events, user, categories }: { events: CaseEvent[]; user: User; categories: ReturnType<typeof useCategories> }) {
  const { t, lang } = useI18n();
  if (events.length === 0) return <p className="muted">{t('table.empty')}</p>;
  const sorted = [...events].sort((a, b) => b.seq - a.seq);
  return (
    <ol className="timeline" data-testid="timeline">
      {sorted.map((e) => {
        const actor = e.actor === 'system' ? t('case.system') : e.actor === user.id ? user.displayName : e.actor.slice(0, 8);
        const details = eventDetails(e.data, t, lang, categories);
        return (
          <li key={e.seq} className={`timeline-item timeline-${eventKey(e.type)}`} data-testid="timeline-event" data-type={e.type}>
            <div className="timeline-head">
              <strong>{eventLabel(e.type, t)}</strong>
              <span className="muted nowrap">{when(e.at) ? formatDateTimeSeconds(when(e.at)!, lang) : '—'}</span>
            </div>
            <div className="timeline-actor muted">
              #{e.seq} · {actor}
            </div>
            {details.length > 0 ? <div className="timeline-data">{details.join(' · ')}</div> : null}
          </li>
        );
      })}
    </ol>
  );
}
