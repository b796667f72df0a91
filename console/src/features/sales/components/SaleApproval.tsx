/**
 * A pending cancellation, unit change or rename, and the sales manager's decision on it (approve or
 * reject, with a note), shared by the sale page and the approval queue. The workflow decides
 * whether the decision is accepted: a refusal comes back as a 409 problem with its code.
 */
import { useId, useState, type ReactNode } from 'react';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { salesApi, type Sale, type SaleApproval } from '../../../sales-api.js';
import { Badge, ProblemAlert, type BadgeTone } from '../../../ui.js';

const STATUS_TONE: Record<SaleApproval['status'], BadgeTone> = { pending: 'amber', approved: 'green', rejected: 'grey' };

/** What was asked, why, by whom, and (once decided) the decision. */
export function ApprovalFacts({
  approval,
  timeZone,
  userName,
  unitName,
  children,
}: {
  approval: SaleApproval;
  timeZone: string;
  userName: (id: string | null | undefined) => string | null;
  unitName: (id: string) => string | null;
  children?: ReactNode;
}) {
  const { t, lang } = useI18n();
  const a = approval;
  return (
    <div className="approval" data-testid="approval" data-approval-id={a.id} data-kind={a.kind} data-status={a.status}>
      <div className="case-badges">
        <Badge tone="purple" testId="approval-kind">
          {t(`approvalKind.${a.kind}` as const)}
        </Badge>
        <Badge tone={STATUS_TONE[a.status] ?? 'grey'} testId="approval-status">
          {t(`approvalStatus.${a.status}` as const)}
        </Badge>
      </div>
      <p className="escalation-reason pre-wrap" data-testid="approval-reason">
        {a.reason}
      </p>
      <dl className="target-facts">
        {a.kind === 'change_unit' && a.unitId ? (
          <>
            <dt>{t('sale.newUnit')}</dt>
            <dd data-testid="approval-unit">{unitName(a.unitId) ?? a.unitId.slice(0, 8)}</dd>
          </>
        ) : null}
        {a.kind === 'rename' && a.buyerName ? (
          <>
            <dt>{t('sale.newBuyer')}</dt>
            <dd data-testid="approval-buyer">{a.buyerName}</dd>
          </>
        ) : null}
        <dt>{t('sale.requestedBy')}</dt>
        <dd data-testid="approval-requester">
          {userName(a.requestedBy) ?? a.requestedBy.slice(0, 8)} · {formatDateTime(a.requestedAt, lang, timeZone)}
        </dd>
        {a.decidedBy ? (
          <>
            <dt>{t('sale.decidedBy')}</dt>
            <dd>
              {userName(a.decidedBy) ?? a.decidedBy.slice(0, 8)} · {formatDateTime(a.decidedAt, lang, timeZone)}
            </dd>
          </>
        ) : null}
        {a.note ? (
          <>
            <dt>{t('sale.note')}</dt>
            <dd className="pre-wrap" data-testid="approval-note">
              {a.note}
            </dd>
          </>
        ) : null}
      </dl>
      {children}
    </div>
  );
}

/** Approve or reject a pending approval, with an optional note. */
export function ApprovalDecision({
  sale,
  approval,
  onDone,
}: {
  sale: Pick<Sale, 'id'>;
  approval: SaleApproval;
  onDone: (decision: 'approve' | 'reject', updated: Sale) => void;
}) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<'approve' | 'reject' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const noteId = useId();

  const decide = async (decision: 'approve' | 'reject') => {
    if (busy) return;
    setBusy(decision);
    setError(null);
    try {
      const updated = await salesApi.decide(sale.id, approval.id, { decision, ...(note.trim() ? { note: note.trim() } : {}) });
      setBusy(null);
      onDone(decision, updated);
    } catch (err) {
      setError(err);
      setBusy(null);
    }
  };

  return (
    <div className="approval-decision" data-testid="approval-decision">
      <ProblemAlert error={error} withCode />
      <div className="field">
        <label htmlFor={noteId}>{t('saleAct.note')}</label>
        <textarea id={noteId} name="note" rows={2} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} data-testid="approval-note-input" />
      </div>
      <div className="action-bar">
        <button type="button" className="btn btn-primary" disabled={busy !== null} onClick={() => void decide('approve')} data-testid="approval-approve">
          {busy === 'approve' ? <span className="spinner spinner-inline" aria-hidden="true" /> : null}
          {busy === 'approve' ? t('action.saving') : t('saleAct.approve')}
        </button>
        <button type="button" className="btn btn-ghost-danger" disabled={busy !== null} onClick={() => void decide('reject')} data-testid="approval-reject">
          {busy === 'reject' ? <span className="spinner spinner-inline" aria-hidden="true" /> : null}
          {busy === 'reject' ? t('action.saving') : t('saleAct.reject')}
        </button>
      </div>
    </div>
  );
}
