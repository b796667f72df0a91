/**
 * The sales manager's controls, shared by the pool, the loss-review queue and the lead page:
 * assign a lead to a member of the sales team, and decide a lost lead's review (take it over,
 * reassign it, confirm it closed). The workflow decides; a refusal comes back as 409 with its code.
 */
import { useId, useState } from 'react';
import type { User } from '../../../api.js';
import { useI18n } from '../../../i18n.js';
import { StaffSelect } from './lead-ui.js';
import { leadsApi, type Lead, type ReviewDecision } from '../api.js';
import { ProblemAlert } from '../../../ui.js';

const projectOf = (lead: Lead) => ({ id: lead.projectId, companyId: lead.companyId, groupId: lead.groupId });

export function AssignControl({
  lead,
  staff,
  staffLoading,
  onDone,
}: {
  lead: Lead;
  staff: readonly User[];
  staffLoading: boolean;
  onDone: (updated: Lead, owner: User | undefined) => void;
}) {
  const { t } = useI18n();
  const [ownerId, setOwnerId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const id = useId();

  const submit = async () => {
    if (!ownerId || busy) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await leadsApi.assign(lead.id, { ownerId });
      onDone(updated, staff.find((u) => u.id === ownerId));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <div className="assign-control" data-testid="assign-control">
      <label htmlFor={id} className="visually-hidden">
        {t('lead.assignTo')}
      </label>
      <div className="inline-action">
        <StaffSelect
          id={id}
          staff={staff}
          project={projectOf(lead)}
          exclude={lead.ownerId}
          value={ownerId}
          onChange={setOwnerId}
          loading={staffLoading}
          testId="assign-select"
          label={t('lead.assignTo')}
        />
        <button type="button" className="btn btn-primary btn-small" disabled={!ownerId || busy} onClick={submit} data-testid="assign-submit">
          {busy ? <span className="spinner spinner-inline" aria-hidden="true" /> : null}
          {busy ? t('action.saving') : t('pool.assign')}
        </button>
      </div>
      <ProblemAlert error={error} withCode />
    </div>
  );
}

export function ReviewControls({
  lead,
  user,
  staff,
  staffLoading,
  onDone,
}: {
  lead: Lead;
  user: User;
  staff: readonly User[];
  staffLoading: boolean;
  onDone: (decision: ReviewDecision, updated: Lead, owner: User | undefined) => void;
}) {
  const { t } = useI18n();
  const [decision, setDecision] = useState<ReviewDecision | null>(null);
  const [ownerId, setOwnerId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);
  const id = useId();

  const submit = async () => {
    if (!decision || busy) return;
    if (decision === 'reassign' && !ownerId) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const updated = await leadsApi.review(lead.id, decision === 'reassign' ? { decision, ownerId } : { decision });
      onDone(decision, updated, decision === 'reassign' ? staff.find((u) => u.id === ownerId) : decision === 'take_over' ? user : undefined);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const LABEL: Record<ReviewDecision, 'review.takeOver' | 'review.reassign' | 'review.close'> = {
    take_over: 'review.takeOver',
    reassign: 'review.reassign',
    close: 'review.close',
  };

  return (
    <div className="review-control" data-testid="review-control">
      <div className="action-bar" role="group" aria-label={t('review.title')}>
        {(['take_over', 'reassign', 'close'] as const).map((d) => (
          <button
            key={d}
            type="button"
            className={`btn${decision === d ? (d === 'close' ? ' btn-danger' : ' btn-primary') : ''}`}
            aria-pressed={decision === d}
            data-testid={`review-${d}`}
            disabled={busy}
            onClick={() => {
              setDecision(d);
              setMissing(false);
              setError(null);
            }}
          >
            {t(LABEL[d])}
          </button>
        ))}
      </div>
      {decision ? (
        <div className="action-form">
          <ProblemAlert error={error} withCode />
          {decision === 'reassign' ? (
            <div className={`field${missing && !ownerId ? ' has-error' : ''}`}>
              <label htmlFor={id}>{t('lead.assignTo')}</label>
              <StaffSelect
                id={id}
                staff={staff}
                project={projectOf(lead)}
                exclude={lead.ownerId}
                value={ownerId}
                onChange={setOwnerId}
                loading={staffLoading}
                testId="review-owner"
              />
              {missing && !ownerId ? (
                <div className="field-error" role="alert">
                  {t('validation.required')}
                </div>
              ) : null}
            </div>
          ) : null}
          <div className="form-actions">
            <button type="button" className="btn btn-ghost" disabled={busy} onClick={() => setDecision(null)}>
              {t('action.cancel')}
            </button>
            <button type="button" className={`btn ${decision === 'close' ? 'btn-danger' : 'btn-primary'}`} disabled={busy} onClick={submit} data-testid="review-submit">
              {busy ? <span className="spinner spinner-inline" aria-hidden="true" /> : null}
              {busy ? t('action.saving') : `${t('review.confirm')} · ${t(LABEL[decision])}`}
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
