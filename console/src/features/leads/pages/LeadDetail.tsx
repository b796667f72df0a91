/**
 * The lead page: who the prospect is, the next touch with a live countdown, a one-screen touch log
 * (channel, outcome, what was said, next step), the other actions the caller may take (re-grade,
 * mark lost, convert; for sales managers assign and the loss review) and the timeline in words.
 * The workflow decides whether an action is accepted: a refusal comes back as a 409 problem with
 * its code. Nothing typed is lost on a failure: the touch draft even survives a reload.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { canManageLead, canWorkLead, hasPermission, type LeadRef, type Principal } from '../../../../../domain/access.js';
import { GRADES, TOUCH_CHANNELS, TOUCH_OUTCOMES, type Grade, type TouchChannel, type TouchOutcome } from '../../../../../domain/leads/types.js';
import { PAYMENT_METHODS, type PaymentMethod } from '../../../../../domain/sales/types.js';
import { fieldErrorsOf, type FieldError, type Unit, type User } from '../../../api.js';
import { formatDateTime, formatDateTimeSeconds } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Icon } from '../../../icons.js';
import { AssignControl, ReviewControls } from '../components/LeadActions.js';
import {
  GradeBadge,
  LeadCountdown,
  LeadStatusBadge,
  cadenceText,
  centsOf,
  describeLeadEvent,
  dueStateOf,
  isFirstContact,
  lossReasonName,
  moneyText,
  parseMoney,
  useLossReasons,
  useSalesStaff,
} from '../components/lead-ui.js';
import { leadsApi, refreshLead, useLead, useLeadEvents, useProjectUnits, type Lead, type LeadDetail, type LeadEvent, type LossReason } from '../api.js';
import { useOrgLookups } from '../../../lookups.js';
import { Link } from '../../../router.js';
import { toMs, useNowMs } from '../../../sla.js';
import { Badge, Card, Field, IconButton, ProblemAlert, SuccessNotice } from '../../../ui.js';

type Action = 'regrade' | 'lost' | 'convert' | 'assign';

function principalOf(user: User): Principal {
  return { id: user.id, username: user.username, role: user.role, groupId: user.scope.groupId, scopeLevel: user.scope.level, companyId: user.scope.companyId, projectId: user.scope.projectId };
}

function refOf(l: LeadDetail): LeadRef {
  return { groupId: l.groupId, companyId: l.companyId, projectId: l.projectId, ownerId: l.ownerId, status: l.status };
}

const WORKING = (s: string) => s === 'new' || s === 'contacting';

export function LeadDetailPage({ id, user }: { id: string; user: User }) {
  const { t, lang } = useI18n();
  const lookups = useOrgLookups();
  const qc = useQueryClient();
  const detail = useLead(id);
  const events = useLeadEvents(id);
  const { reasons } = useLossReasons();
  const staff = useSalesStaff(user);
  const [notice, setNotice] = useState<string | null>(null);
  const [action, setAction] = useState<Action | null>(null);
  const [convertedSaleId, setConvertedSaleId] = useState<string | null>(null);
  const clearNotice = useCallback(() => setNotice(null), []);
  const timers = useRef<number[]>([]);
  // The lead as the last action answered it, shown until the read model has caught up with it:
  // a refresh right after a touch may still read the old next-touch time (the projection follows
  // the workflow within moments), and the countdown must not jump back to it.
  const [answered, setAnswered] = useState<Lead | null>(null);
  const fetched = detail.data;
  const caughtUp =
    !answered ||
    (fetched !== undefined &&
      fetched.touchCount >= answered.touchCount &&
      fetched.grade === answered.grade &&
      fetched.status === answered.status &&
      fetched.ownerId === answered.ownerId);
  const lead = fetched && answered && !caughtUp ? { ...fetched, ...answered } : fetched;
  useEffect(() => {
    if (answered && caughtUp) setAnswered(null);
  }, [answered, caughtUp]);
  const units = useProjectUnits(lead?.projectId);

  // The read model and the audit trail follow the workflow within moments: the queries refetch every 10 s.
  const reloadAll = useCallback(() => refreshLead(qc, id), [qc, id]);
  useEffect(() => () => timers.current.forEach((x) => window.clearTimeout(x)), []);

  const afterAction = useCallback(
    (message: string) => {
      setAction(null);
      setNotice(message);
      reloadAll();
      // Audit rows are written by activities right after the update: pick them up shortly after.
      timers.current.push(...[800, 2500].map((ms) => window.setTimeout(reloadAll, ms)));
    },
    [reloadAll],
  );

  const userName = useCallback(
    (uid: string | null | undefined): string | null => {
      if (!uid) return null;
      if (uid === 'system') return t('lead.system');
      if (uid === user.id) return user.displayName;
      if (lead && uid === lead.ownerId && lead.ownerName) return lead.ownerName;
      // The events answer names every colleague it mentions (sales staff cannot read the staff list).
      return events.data?.names[uid] ?? staff.staff.find((u) => u.id === uid)?.displayName ?? null;
    },
    [t, user, lead, staff.staff, events.data],
  );
  const unitName = useCallback(
    (unitId: string) => {
      const u = (units.data ?? []).find((x) => x.id === unitId);
      return u ? `${u.buildingName} ${u.number}` : null;
    },
    [units.data],
  );

  if (!lead) {
    return (
      <div className="page">
        <ProblemAlert error={detail.error} onRetry={reloadAll} withCode />
        {!detail.error ? (
          <div className="muted" role="status">
            <span className="spinner spinner-inline" aria-hidden="true" /> {t('app.loading')}
          </div>
        ) : null}
      </div>
    );
  }

  // The sale a conversion started: named by the lead once the API carries it, else by the convert answer.
  const saleId = (typeof lead.saleId === 'string' && lead.saleId) || convertedSaleId;
  const principal = principalOf(user);
  const canWork = canWorkLead({ principal, ...refOf(lead) });
  const canManage = canManageLead({ principal, ...refOf(lead) });
  const working = WORKING(lead.status);
  const actions: Action[] = [];
  if (canWork && working) actions.push('regrade', 'convert', 'lost');
  if (canManage && (working || lead.status === 'pooled')) actions.push('assign');
  const ownerLabel = lead.ownerId === user.id ? user.displayName : (lead.ownerName ?? (lead.ownerId ? lead.ownerId.slice(0, 8) : null));
  const blocked = !working
    ? lead.status === 'pooled'
      ? t('lead.blocked.pooled')
      : lead.status === 'lost_pending_review'
        ? t('lead.blocked.lost')
        : t('lead.blocked.ended')
    : !canWork
      ? t('lead.blocked.notOwner')
      : null;
  const ACTION_LABEL = { regrade: 'lead.regrade', convert: 'lead.convert', lost: 'lead.markLost', assign: 'lead.assign' } as const;

  return (
    <div className="page case-page lead-page" data-testid="lead-page" data-lead-id={lead.id} data-status={lead.status} data-grade={lead.grade} data-owner-id={lead.ownerId ?? ''}>
      <div className="breadcrumbs">
        <Link to={canManage ? '/leads' : '/leads/today'} className="back-link">
          <Icon name="back" size={16} /> {t('lead.back')}
        </Link>
      </div>
      <SuccessNotice message={notice} onClose={clearNotice} />
      <ProblemAlert error={detail.error} onRetry={reloadAll} withCode />

      <section className="card case-head">
        <div className="case-head-top">
          <div>
            <h2 className="case-number mono" data-testid="lead-number">
              {lead.number}
            </h2>
            <div className="case-badges">
              <LeadStatusBadge status={lead.status} />
              <GradeBadge grade={lead.grade} />
              <Badge tone="grey">{t(`source.${lead.source}` as const)}</Badge>
              {lead.firstContactMissedAt ? <Badge tone="red">{t('lead.firstContactMissed')}</Badge> : null}
            </div>
          </div>
          <IconButton icon="refresh" label={t('action.refresh')} onClick={reloadAll} testId="lead-refresh" />
        </div>
        {!lead.live && working ? <p className="field-hint">{t('lead.notLive')}</p> : null}
        <dl className="detail-grid">
          <Detail label={t('lead.customer')}>
            {lead.customer ? (
              <>
                <span data-testid="lead-customer-name">{lead.customer.name}</span> <span className="mono muted">{lead.customer.phone}</span>
              </>
            ) : (
              '—'
            )}
          </Detail>
          <Detail label={t('leads.project')}>{lead.projectName ?? lookups.projectName(lead.projectId) ?? lead.projectId}</Detail>
          <Detail label={t('leads.owner')}>
            <span data-testid="lead-owner">{ownerLabel ?? <span className="muted">{t('leads.noOwner')}</span>}</span>
          </Detail>
          <Detail label={t('lead.createdAt')}>{formatDateTime(lead.createdAt, lang)}</Detail>
          <Detail label={t('lead.touchCount')}>
            <span data-testid="lead-touch-count">{lead.touchCount}</span>
          </Detail>
          <Detail label={t('lead.lastTouch')}>{formatDateTime(lead.lastTouchAt, lang)}</Detail>
          {lead.referrer ? (
            <Detail label={t('lead.referrer')}>
              {lead.referrer.name} <span className="mono muted">{lead.referrer.phone}</span>
            </Detail>
          ) : null}
          {lead.cadence ? <Detail label={t('lead.cadence')}>{cadenceText(lead.cadence, t, lang)}</Detail> : null}
        </dl>
        {lead.note ? (
          <div className="case-description">
            <div className="detail-label">{t('lead.note')}</div>
            <p data-testid="lead-note">{lead.note}</p>
          </div>
        ) : null}
      </section>

      <div className="case-columns">
        <div className="case-main">
          <NextTouchCard lead={lead} />

          <Card title={t('lead.touchTitle')} className="touch-card">
            {blocked ? (
              <p className="muted" data-testid="touch-blocked">
                {blocked}
              </p>
            ) : (
              <TouchForm
                lead={lead}
                onDone={(updated) => {
                  setAnswered(updated);
                  afterAction(t('lead.touchSaved', { due: formatDateTime(updated.nextTouchDueAt, lang) }));
                }}
              />
            )}
          </Card>

          {lead.status === 'lost_pending_review' || lead.loss ? <LossCard lead={lead} reasons={reasons} userName={userName} /> : null}
          {lead.conversion || saleId ? (
            <ConversionCard lead={lead} saleId={saleId} canReadSales={hasPermission(user.role, 'sales:read')} unitName={unitName} userName={userName} />
          ) : null}

          {canManage && lead.status === 'lost_pending_review' ? (
            <Card title={t('review.title')}>
              <ReviewControls
                lead={lead}
                user={user}
                staff={staff.staff}
                staffLoading={staff.loading}
                onDone={(decision, _updated, owner) =>
                  afterAction(t(`review.done.${decision}` as const, { number: lead.number, name: owner?.displayName ?? '' }))
                }
              />
            </Card>
          ) : null}

          <Card title={t('lead.actions')}>
            {actions.length === 0 ? (
              <p className="muted" data-testid="no-actions">
                {t('lead.noActions')}
              </p>
            ) : null}
            <div className="action-bar">
              {actions.map((a) => (
                <button
                  key={a}
                  type="button"
                  className={`btn${action === a ? ' btn-primary' : ''}${a === 'lost' && action !== a ? ' btn-ghost-danger' : ''}`}
                  aria-pressed={action === a}
                  data-testid={`action-${a}`}
                  onClick={() => setAction(action === a ? null : a)}
                >
                  {t(ACTION_LABEL[a])}
                </button>
              ))}
            </div>
            {action === 'assign' && actions.includes('assign') ? (
              <div className="action-form" data-testid="form-assign">
                <AssignControl
                  lead={lead}
                  staff={staff.staff}
                  staffLoading={staff.loading}
                  onDone={(_u, owner) => afterAction(t('pool.assigned', { number: lead.number, name: owner?.displayName ?? '' }))}
                />
              </div>
            ) : null}
            {action === 'regrade' && actions.includes('regrade') ? <RegradeForm lead={lead} onDone={() => afterAction(t('lead.done'))} onCancel={() => setAction(null)} /> : null}
            {action === 'lost' && actions.includes('lost') ? (
              <LostForm lead={lead} reasons={reasons} onDone={() => afterAction(t('lead.done'))} onCancel={() => setAction(null)} />
            ) : null}
            {action === 'convert' && actions.includes('convert') ? (
              <ConvertForm
                lead={lead}
                units={units.data ?? []}
                unitsLoading={units.isLoading}
                onSaleStarted={setConvertedSaleId}
                onDone={() => afterAction(t('lead.done'))}
                onCancel={() => setAction(null)}
              />
            ) : null}
          </Card>
        </div>

        <Card title={t('lead.timeline')} className="case-timeline">
          <ProblemAlert error={events.error} onRetry={reloadAll} withCode />
          <Timeline events={events.data?.items ?? []} loading={events.isLoading} ctx={{ t, lang, userName, reasons, unitName }} />
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

// ---------------------------------------------------------------------------------------------
// The next touch

function NextTouchCard({ lead }: { lead: LeadDetail }) {
  const { t, lang } = useI18n();
  const now = useNowMs();
  const v = dueStateOf(lead, now);
  return (
    <section className={`card next-touch next-touch-${v.state}`} data-testid="next-touch" data-state={v.state}>
      <div className="next-touch-main">
        <div>
          <div className="detail-label">{WORKING(lead.status) ? (isFirstContact(lead) ? t('leadDue.firstContact') : t('lead.nextTouch')) : t('lead.nextTouch')}</div>
          <div className="next-touch-countdown">
            <LeadCountdown lead={lead} testId="lead-countdown" />
          </div>
        </div>
        <dl className="target-facts">
          {v.dueAt !== null ? (
            <>
              <dt>{t('case.due')}</dt>
              <dd data-testid="next-touch-due">{formatDateTime(new Date(v.dueAt), lang)}</dd>
            </>
          ) : null}
          {WORKING(lead.status) && lead.lapsesAt ? (
            <>
              <dt>{t('lead.lapsesAt')}</dt>
              <dd>{formatDateTime(lead.lapsesAt, lang)}</dd>
            </>
          ) : null}
          <dt>{t('lead.firstContactDue')}</dt>
          <dd>{formatDateTime(lead.firstContactDueAt, lang)}</dd>
          {lead.firstTouchAt ? (
            <>
              <dt>{t('lead.firstTouch')}</dt>
              <dd>{formatDateTime(lead.firstTouchAt, lang)}</dd>
            </>
          ) : null}
          {lead.pooledAt && lead.status === 'pooled' ? (
            <>
              <dt>{t('lead.pooledAt')}</dt>
              <dd>{formatDateTime(lead.pooledAt, lang)}</dd>
            </>
          ) : null}
          {lead.closedAt ? (
            <>
              <dt>{t('lead.closedAt')}</dt>
              <dd>{formatDateTime(lead.closedAt, lang)}</dd>
            </>
          ) : null}
        </dl>
      </div>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// The touch log

interface TouchDraft {
  channel: TouchChannel;
  outcome: TouchOutcome;
  note: string;
  nextStep: string;
}

const EMPTY_DRAFT: TouchDraft = { channel: 'phone', outcome: 'reached', note: '', nextStep: '' };
const draftKey = (leadId: string) => `lead-touch-draft:${leadId}`;

function loadDraft(leadId: string): TouchDraft {
  try {
    const raw = window.sessionStorage.getItem(draftKey(leadId));
    if (!raw) return EMPTY_DRAFT;
    const d = JSON.parse(raw) as Partial<TouchDraft>;
    return {
      channel: (TOUCH_CHANNELS as readonly string[]).includes(d.channel ?? '') ? d.channel! : EMPTY_DRAFT.channel,
      outcome: (TOUCH_OUTCOMES as readonly string[]).includes(d.outcome ?? '') ? d.outcome! : EMPTY_DRAFT.outcome,
      note: typeof d.note === 'string' ? d.note : '',
      nextStep: typeof d.nextStep === 'string' ? d.nextStep : '',
    };
  } catch {
    return EMPTY_DRAFT;
  }
}

function saveDraft(leadId: string, d: TouchDraft | null): void {
  try {
    if (d === null || (d.note === '' && d.nextStep === '' && d.channel === EMPTY_DRAFT.channel && d.outcome === EMPTY_DRAFT.outcome))
      window.sessionStorage.removeItem(draftKey(leadId));
    else window.sessionStorage.setItem(draftKey(leadId), JSON.stringify(d));
  } catch {
    // Storage may be disabled: the draft then lives as long as the page.
  }
}

function TouchForm({ lead, onDone }: { lead: LeadDetail; onDone: (updated: Lead) => void }) {
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState<TouchDraft>(() => loadDraft(lead.id));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [otherErrors, setOtherErrors] = useState<FieldError[]>([]);
  const formRef = useRef<HTMLFormElement>(null);
  const ids = { note: useId(), next: useId(), outcome: useId() };

  // `?log=1` (the quick link of today's follow-ups) brings the form into view, ready to type.
  useEffect(() => {
    if (new URLSearchParams(window.location.search).get('log') !== '1') return;
    formRef.current?.scrollIntoView({ block: 'center' });
    formRef.current?.querySelector<HTMLInputElement>('input[name="channel"]:checked')?.focus();
  }, []);

  const update = <K extends keyof TouchDraft>(key: K, value: TouchDraft[K]) => {
    setDraft((d) => {
      const next = { ...d, [key]: value };
      saveDraft(lead.id, next);
      return next;
    });
  };

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setFieldErrors({});
    setOtherErrors([]);
    try {
      const updated = await leadsApi.touch(lead.id, {
        channel: draft.channel,
        outcome: draft.outcome,
        ...(draft.note.trim() ? { note: draft.note.trim() } : {}),
        ...(draft.nextStep.trim() ? { nextStep: draft.nextStep.trim() } : {}),
      });
      saveDraft(lead.id, null);
      setDraft(EMPTY_DRAFT);
      setBusy(false);
      onDone(updated);
    } catch (err) {
      const { byField, rest } = fieldErrorsOf(err, ['channel', 'outcome', 'note', 'nextStep']);
      setFieldErrors(byField);
      setOtherErrors(rest);
      setError(err);
      setBusy(false);
    }
  };

  return (
    <form ref={formRef} className="form touch-form" onSubmit={submit} noValidate data-testid="touch-form">
      <p className="card-intro muted">{t('lead.touchIntro')}</p>
      <ProblemAlert error={error} extraErrors={otherErrors} withCode />
      {error ? <p className="field-hint">{t('lead.draftKept')}</p> : null}
      <fieldset className="segmented touch-channels" data-testid="touch-channel">
        <legend>{t('lead.channel')}</legend>
        {TOUCH_CHANNELS.map((c) => (
          <label key={c} className={`segment${draft.channel === c ? ' active' : ''}`}>
            <input type="radio" name="channel" value={c} checked={draft.channel === c} onChange={() => update('channel', c)} />
            {t(`touchChannel.${c}` as const)}
          </label>
        ))}
      </fieldset>
      {fieldErrors.channel ? (
        <div className="field-error" role="alert">
          {fieldErrors.channel}
        </div>
      ) : null}
      <fieldset className="segmented touch-outcomes" data-testid="touch-outcome">
        <legend>{t('lead.outcome')}</legend>
        {TOUCH_OUTCOMES.map((o) => (
          <label key={o} className={`segment${draft.outcome === o ? ' active' : ''}${o === 'not_interested' ? ' segment-danger' : ''}`}>
            <input type="radio" name="outcome" value={o} checked={draft.outcome === o} onChange={() => update('outcome', o)} />
            {t(`touchOutcome.${o}` as const)}
          </label>
        ))}
      </fieldset>
      {fieldErrors.outcome ? (
        <div className="field-error" role="alert">
          {fieldErrors.outcome}
        </div>
      ) : null}
      <div className="form-grid touch-texts">
        <Field label={t('lead.touchNote')} htmlFor={ids.note} error={fieldErrors.note}>
          <textarea id={ids.note} name="note" rows={3} maxLength={2000} value={draft.note} onChange={(e) => update('note', e.target.value)} />
        </Field>
        <Field label={t('lead.nextStep')} htmlFor={ids.next} error={fieldErrors.nextStep} hint={t('lead.nextStepHint')}>
          <textarea id={ids.next} name="nextStep" rows={3} maxLength={500} value={draft.nextStep} onChange={(e) => update('nextStep', e.target.value)} />
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="touch-submit">
          {busy ? <span className="spinner spinner-inline" aria-hidden="true" /> : <Icon name="touch" size={16} />}
          {busy ? t('lead.touchSaving') : t('lead.touchSubmit')}
        </button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// Actions

function useAction(onDone: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (call: () => Promise<unknown>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await call();
      setBusy(false);
      onDone();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return { busy, error, run };
}

function FormButtons({ busy, onCancel, label, danger }: { busy: boolean; onCancel: () => void; label: string; danger?: boolean }) {
  const { t } = useI18n();
  return (
    <div className="form-actions">
      <button type="button" className="btn btn-ghost" onClick={onCancel} disabled={busy}>
        {t('action.cancel')}
      </button>
      <button type="submit" className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} disabled={busy} data-testid="action-submit">
        {busy ? <span className="spinner spinner-inline" aria-hidden="true" /> : null}
        {busy ? t('action.saving') : label}
      </button>
    </div>
  );
}

function RegradeForm({ lead, onDone, onCancel }: { lead: LeadDetail; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [grade, setGrade] = useState<Grade>(GRADES.find((g) => g !== lead.grade)!);
  const { busy, error, run } = useAction(onDone);
  return (
    <form
      className="form action-form"
      noValidate
      data-testid="form-regrade"
      onSubmit={(e) => {
        e.preventDefault();
        void run(() => leadsApi.grade(lead.id, { grade }));
      }}
    >
      <ProblemAlert error={error} withCode />
      <fieldset className="segmented">
        <legend>{t('lead.newGrade')}</legend>
        {GRADES.map((g) => (
          <label key={g} className={`segment${grade === g ? ' active' : ''}`} title={t(`grade.${g}.desc` as const)}>
            <input type="radio" name="grade" value={g} checked={grade === g} disabled={g === lead.grade} onChange={() => setGrade(g)} />
            {t(`grade.${g}` as const)}
          </label>
        ))}
      </fieldset>
      <p className="field-hint">
        {t(`grade.${grade}.desc` as const)} · {t('lead.regradeHint')}
      </p>
      <FormButtons busy={busy} onCancel={onCancel} label={t('lead.regrade')} />
    </form>
  );
}

function LostForm({ lead, reasons, onDone, onCancel }: { lead: LeadDetail; reasons: LossReason[]; onDone: () => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const { busy, error, run } = useAction(onDone);
  const ids = { reason: useId(), note: useId() };
  const active = reasons.filter((r) => r.active);
  const fieldErrors = fieldErrorsOf(error, ['reason', 'note']).byField;
  return (
    <form
      className="form action-form"
      noValidate
      data-testid="form-lost"
      onSubmit={(e) => {
        e.preventDefault();
        if (!reason) {
          setMissing(true);
          return;
        }
        void run(() => leadsApi.lost(lead.id, { reason, ...(note.trim() ? { note: note.trim() } : {}) }));
      }}
    >
      <ProblemAlert error={error} withCode />
      <Field label={t('lead.lossReason')} htmlFor={ids.reason} required error={missing && !reason ? t('validation.required') : fieldErrors.reason}>
        <select id={ids.reason} name="reason" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="loss-reason">
          <option value="">{t('common.choose')}</option>
          {active.map((r) => (
            <option key={r.code} value={r.code}>
              {lossReasonName(r.code, reasons, lang)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('lead.lossNote')} htmlFor={ids.note} error={fieldErrors.note}>
        <textarea id={ids.note} name="note" rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
      <p className="field-hint">{t('lead.lostHint')}</p>
      <FormButtons busy={busy} onCancel={onCancel} label={t('lead.markLost')} danger />
    </form>
  );
}

function ConvertForm({
  lead,
  units,
  unitsLoading,
  onSaleStarted,
  onDone,
  onCancel,
}: {
  lead: LeadDetail;
  units: Unit[];
  unitsLoading: boolean;
  /** The sale the conversion started, when the answer names it. */
  onSaleStarted: (saleId: string) => void;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [unitId, setUnitId] = useState('');
  const [price, setPrice] = useState('');
  const [deposit, setDeposit] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const { busy, error, run } = useAction(onDone);
  const ids = { unit: useId(), price: useId(), deposit: useId() };
  const [paymentMethod, setPaymentMethod] = useState<PaymentMethod>('full');
  // Converting opens the sale, which reserves the unit: only units nobody has reserved are on sale.
  const onSale = useMemo(() => units.filter((u) => u.status === 'AVAILABLE'), [units]);
  const api400 = fieldErrorsOf(error, ['unitId', 'price', 'deposit', 'paymentMethod']).byField;
  const errs = { ...api400, ...local };
  return (
    <form
      className="form action-form"
      noValidate
      data-testid="form-convert"
      onSubmit={(e) => {
        e.preventDefault();
        const l: Record<string, string> = {};
        const p = parseMoney(price);
        const d = parseMoney(deposit);
        if (!unitId) l.unitId = t('validation.required');
        if (!p) l.price = t('lead.invalidMoney');
        if (!d) l.deposit = t('lead.invalidMoney');
        if (p && d && centsOf(d) > centsOf(p)) l.deposit = t('lead.depositTooHigh');
        setLocal(l);
        if (Object.keys(l).length > 0) return;
        void run(async () => {
          const converted = await leadsApi.convert(lead.id, { unitId, price: p!, deposit: d!, paymentMethod });
          if (typeof converted?.saleId === 'string' && converted.saleId) onSaleStarted(converted.saleId);
        });
      }}
    >
      <ProblemAlert error={error} withCode />
      <Field label={t('lead.unit')} htmlFor={ids.unit} required error={errs.unitId} hint={onSale.length === 0 && !unitsLoading ? t('lead.noUnits') : t('lead.unitHint')}>
        <select id={ids.unit} name="unitId" value={unitId} onChange={(e) => setUnitId(e.target.value)} data-testid="convert-unit" disabled={unitsLoading}>
          <option value="">{unitsLoading ? t('app.loading') : t('common.choose')}</option>
          {onSale.map((u) => (
            <option key={u.id} value={u.id}>
              {u.buildingName} {u.number} · {u.area} m²
            </option>
          ))}
        </select>
      </Field>
      <div className="form-grid">
        <Field label={t('lead.price')} htmlFor={ids.price} required error={errs.price}>
          <input id={ids.price} name="price" inputMode="decimal" autoComplete="off" value={price} onChange={(e) => setPrice(e.target.value)} />
        </Field>
        <Field label={t('lead.deposit')} htmlFor={ids.deposit} required error={errs.deposit}>
          <input id={ids.deposit} name="deposit" inputMode="decimal" autoComplete="off" value={deposit} onChange={(e) => setDeposit(e.target.value)} />
        </Field>
      </div>
      <fieldset className="segmented" data-testid="convert-payment-method">
        <legend>{t('newSale.paymentMethod')}</legend>
        {PAYMENT_METHODS.map((m) => (
          <label key={m} className={`segment${paymentMethod === m ? ' active' : ''}`}>
            <input type="radio" name="paymentMethod" value={m} checked={paymentMethod === m} onChange={() => setPaymentMethod(m)} />
            {t(`payMethod.${m}` as const)}
          </label>
        ))}
      </fieldset>
      {errs.paymentMethod ? (
        <div className="field-error" role="alert">
          {errs.paymentMethod}
        </div>
      ) : null}
      <p className="field-hint">{t('lead.convertHint')}</p>
      <FormButtons busy={busy} onCancel={onCancel} label={t('lead.convert')} />
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// Loss, conversion, timeline

function LossCard({ lead, reasons, userName }: { lead: LeadDetail; reasons: LossReason[]; userName: (id: string | null | undefined) => string | null }) {
  const { t, lang } = useI18n();
  const loss = lead.loss;
  if (!loss) return null;
  return (
    <Card title={t('lead.loss')}>
      <dl className="detail-grid" data-testid="lead-loss">
        <Detail label={t('lead.lossReason')}>{lossReasonName(loss.reason, reasons, lang)}</Detail>
        <Detail label={t('lead.lostAt')}>{formatDateTime(loss.lostAt, lang)}</Detail>
        {loss.lostBy ? <Detail label={t('review.lostBy')}>{userName(loss.lostBy) ?? loss.lostBy.slice(0, 8)}</Detail> : null}
        <Detail label={t('lead.reviewDecision')}>{loss.decision ? t(`decision.${loss.decision}` as const) : t('lead.pendingReview')}</Detail>
      </dl>
      {loss.note ? <p className="pre-wrap">{loss.note}</p> : null}
    </Card>
  );
}

function ConversionCard({
  lead,
  saleId,
  canReadSales,
  unitName,
  userName,
}: {
  lead: LeadDetail;
  saleId: string | null;
  canReadSales: boolean;
  unitName: (id: string) => string | null;
  userName: (id: string | null | undefined) => string | null;
}) {
  const { t, lang } = useI18n();
  const c = lead.conversion;
  const saleLink =
    saleId && canReadSales ? (
      <Link to={`/sales/${encodeURIComponent(saleId)}`} className="btn btn-small btn-primary" data-testid="lead-sale-link">
        {t('lead.openSale')}
      </Link>
    ) : null;
  if (!c) return saleLink ? <Card title={t('lead.conversion')}>{saleLink}</Card> : null;
  return (
    <Card title={t('lead.conversion')} actions={saleLink}>
      <dl className="detail-grid" data-testid="lead-conversion">
        <Detail label={t('lead.unit')}>{unitName(c.unitId) ?? c.unitId.slice(0, 8)}</Detail>
        <Detail label={t('ev.price')}>{moneyText(c.price, lang)}</Detail>
        <Detail label={t('ev.deposit')}>{moneyText(c.deposit, lang)}</Detail>
        <Detail label={t('lead.convertedAt')}>{formatDateTime(c.convertedAt, lang)}</Detail>
        {c.convertedBy ? <Detail label={t('lead.convertedBy')}>{userName(c.convertedBy) ?? c.convertedBy.slice(0, 8)}</Detail> : null}
      </dl>
    </Card>
  );
}

function Timeline({ events, loading, ctx }: { events: LeadEvent[]; loading: boolean; ctx: Parameters<typeof describeLeadEvent>[1] }) {
  const { t, lang } = ctx;
  if (events.length === 0) return <p className="muted">{loading ? t('table.loading') : t('table.empty')}</p>;
  const sorted = [...events].sort((a, b) => b.seq - a.seq);
  return (
    <ol className="timeline" data-testid="timeline">
      {sorted.map((e) => {
        const { title, details } = describeLeadEvent(e, ctx);
        const at = toMs(e.at);
        return (
          <li key={e.seq} className={`timeline-item timeline-${e.type.replace(/[^a-z_]+/g, '-')}`} data-testid="timeline-event" data-type={e.type}>
            <div className="timeline-head">
              <strong data-testid="timeline-title">{title}</strong>
              <span className="muted nowrap">{at !== null ? formatDateTimeSeconds(new Date(at), lang) : '—'}</span>
            </div>
            <div className="timeline-actor muted">
              #{e.seq} · {ctx.userName(e.actor) ?? e.actor.slice(0, 8)}
            </div>
            {details.length > 0 ? (
              <ul className="timeline-details">
                {details.map((d, i) => (
                  <li key={i}>{d}</li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
