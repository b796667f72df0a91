/**
 * 升级审批: escalations into the supervisor's tier, with the decision deadline counting down.
 * Approve takes an optional note, reject a required reason; the workflow answers at once.
 */
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { hasPermission } from '../../../domain/access.js';
import type { User } from '../api.js';
import { TierBadge } from '../case-ui.js';
import { casesApi, type Escalation } from '../cases-api.js';
import { formatDateTime } from '../format.js';
import { useI18n } from '../i18n.js';
import { Link } from '../router.js';
import { formatCountdown, toMs, useNowMs } from '../sla.js';
import { Card, Field, IconButton, ProblemAlert, SuccessNotice, useAsync } from '../ui.js';

const REFRESH_MS = 15_000;

export function EscalationsPage({ user }: { user: User }) {
  const canDecide = hasPermission(user.role, 'escalations:decide');
  const { t } = useI18n();
  const list = useAsync((signal) => casesApi.escalations({ status: 'pending' }, signal), []);
  const [notice, setNotice] = useState<string | null>(null);
  const clearNotice = useCallback(() => setNotice(null), []);

  useEffect(() => {
    const timer = window.setInterval(list.reload, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [list.reload]);

  const items = [...(list.data?.items ?? [])].sort((a, b) => (toMs(a.dueAt) ?? 0) - (toMs(b.dueAt) ?? 0));
  return (
    <div className="page">
      <SuccessNotice message={notice} onClose={clearNotice} />
      <Card title={t('esc.title')} actions={<IconButton icon="refresh" label={t('action.refresh')} onClick={list.reload} testId="escalations-refresh" />}>
        <p className="card-intro muted">{t('esc.intro')}</p>
        <ProblemAlert error={list.error} onRetry={list.reload} />
        {items.length === 0 && !list.loading ? (
          <p className="empty-note muted" data-testid="escalations-empty">
            {t('esc.empty')}
          </p>
        ) : null}
        <div className="escalation-cards" data-testid="escalations">
          {items.map((e) => (
            <EscalationCard
              key={e.id}
              e={e}
              canDecide={canDecide}
              onDecided={(kind) => {
                setNotice(t(kind === 'approve' ? 'esc.approved' : 'esc.rejected', { number: e.caseNumber ?? e.caseId }));
                list.reload();
              }}
            />
          ))}
        </div>
      </Card>
    </div>
  );
}

function EscalationCard({ e, canDecide, onDecided }: { e: Escalation; canDecide: boolean; onDecided: (kind: 'approve' | 'reject') => void }) {
  const { t, lang } = useI18n();
  const now = useNowMs();
  const [mode, setMode] = useState<'approve' | 'reject' | null>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);
  const textId = useId();
  const due = toMs(e.dueAt);
  const left = due === null ? null : due - now;
  const state = left === null ? 'running' : left <= 0 ? 'breached' : left < 30 * 60_000 ? 'warning' : 'running';

  const submit = async (ev: FormEvent<HTMLFormElement>) => {
    ev.preventDefault();
    if (busy || !mode) return;
    if (mode === 'reject' && !text.trim()) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (mode === 'approve') await casesApi.approve(e.id, text.trim() || undefined);
      else await casesApi.reject(e.id, text.trim());
      onDecided(mode);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <article className="card escalation-card" data-testid="escalation-row" data-escalation-id={e.id} data-case-id={e.caseId} data-case-number={e.caseNumber ?? undefined}>
      <header className="escalation-card-head">
        <Link to={`/cases/${encodeURIComponent(e.caseId)}`} className="strong-link mono" data-testid="escalation-case">
          {e.caseNumber ?? e.caseId}
        </Link>
        <span className="escalation-route">
          <TierBadge tier={e.fromTier} /> → <TierBadge tier={e.toTier} />
        </span>
        <span className="badge badge-purple">{t(`escSource.${e.source}` as const)}</span>
        <span className={`countdown countdown-${state}`} data-testid="escalation-countdown" data-state={state} role="timer">
          {left === null ? '—' : left > 0 ? t('countdown.left', { time: formatCountdown(left, lang) }) : t('countdown.overdue', { time: formatCountdown(left, lang) })}
        </span>
      </header>
      <p className="escalation-reason" data-testid="escalation-reason">
        {e.reason}
      </p>
      <div className="muted escalation-meta">
        {t('esc.requestedAt')} {formatDateTime(toMs(e.requestedAt) === null ? null : new Date(toMs(e.requestedAt)!), lang)} · {t('esc.deadline')}{' '}
        {formatDateTime(due === null ? null : new Date(due), lang)}
      </div>
      {mode ? (
        <form className="form action-form" onSubmit={submit} noValidate>
          <ProblemAlert error={error} />
          <Field
            label={mode === 'approve' ? t('esc.note') : t('esc.rejectReason')}
            htmlFor={textId}
            required={mode === 'reject'}
            error={missing && mode === 'reject' && !text.trim() ? t('validation.required') : undefined}
          >
            <textarea id={textId} name="text" rows={2} maxLength={2000} value={text} onChange={(ev) => setText(ev.target.value)} autoFocus />
          </Field>
          <div className="form-actions">
            <button type="button" className="btn btn-ghost" disabled={busy} onClick={() => setMode(null)}>
              {t('action.cancel')}
            </button>
            <button type="submit" className={`btn ${mode === 'approve' ? 'btn-primary' : 'btn-danger'}`} disabled={busy} data-testid="decision-submit">
              {busy ? t('action.saving') : mode === 'approve' ? t('esc.approve') : t('esc.reject')}
            </button>
          </div>
        </form>
      ) : !canDecide ? null : (
        <div className="action-bar">
          <button type="button" className="btn btn-primary" data-testid="approve-escalation" onClick={() => setMode('approve')}>
            {t('esc.approve')}
          </button>
          <button type="button" className="btn" data-testid="reject-escalation" onClick={() => setMode('reject')}>
            {t('esc.reject')}
          </button>
        </div>
      )}
    </article>
  );
}
