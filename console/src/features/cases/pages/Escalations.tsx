/**
 * 升级审批: escalations into the supervisor's tier on the console's one approval shape
 * (shared/approval, as the sales approvals), what is due first on top, the decision deadline
 * counting down. Approve takes an optional note, reject a required reason (both
 * checked with the server's schemas). A decision takes the card off the list at once (optimistic)
 * and is confirmed with a message; a refusal puts it back with the reason.
 */
import { Tag } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { hasPermission } from '../../../../../domain/access.js';
import { ApproveBody, RejectBody } from '../../../../../api/cases/schemas.js';
import type { User } from '../../../api.js';
import { StatusTag } from '../../../shared/StatusTag.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Link } from '../../../router.js';
import { ApprovalCard, ApprovalDecision, ApprovalList, type Decision } from '../../../shared/approval/ApprovalCard.js';
import { useApprovalDecision } from '../../../shared/approval/useDecision.js';
import { formatCountdown, toMs, useNowMs } from '../../../shared/sla.js';
import { casesApi, casesKeys, refreshCase, type Escalation } from '../api.js';
import '../i18n.js';

export function EscalationsPage({ user }: { user: User }) {
  const canDecide = hasPermission(user.role, 'escalations:decide');
  const { t } = useI18n();
  const qc = useQueryClient();
  const key = casesKeys.escalations();
  const list = useQuery({ queryKey: key, queryFn: ({ signal }) => casesApi.escalations({ status: 'pending', pageSize: 100 }, signal), refetchInterval: 10_000 });

  const decide = useApprovalDecision({
    queryKey: key,
    idOf: (e: Escalation) => e.id,
    send: ({ item: e, kind, text }) => (kind === 'approve' ? casesApi.approve(e.id, text || undefined) : casesApi.reject(e.id, text)),
    confirm: ({ item: e, kind }) => t(kind === 'approve' ? 'esc.approved' : 'esc.rejected', { number: e.caseNumber ?? e.caseId }),
    onDecided: (_answer, { item: e }) => refreshCase(qc, e.caseId),
  });

  const items = [...(list.data?.items ?? [])].sort((a, b) => (toMs(a.dueAt) ?? 0) - (toMs(b.dueAt) ?? 0));
  return (
    <ApprovalList
      title={t('esc.title')}
      intro={t('esc.intro')}
      items={items}
      itemKey={(e) => e.id}
      loading={list.isLoading}
      error={list.error}
      decideError={decide.error}
      onRefresh={() => void list.refetch()}
      refreshLabel={t('action.refresh')}
      emptyText={t('esc.empty')}
      testIds={{ list: 'escalations', empty: 'escalations-empty', refresh: 'escalations-refresh' }}
      renderItem={(e) => <EscalationCard e={e} canDecide={canDecide} onDecide={(kind, text) => decide.mutate({ item: e, kind, text })} />}
    />
  );
}

function EscalationCard({ e, canDecide, onDecide }: { e: Escalation; canDecide: boolean; onDecide: (kind: Decision, text: string) => void }) {
  const { t, lang } = useI18n();
  const now = useNowMs();
  const due = toMs(e.dueAt);
  const left = due === null ? null : due - now;
  const state = left === null ? 'running' : left <= 0 ? 'breached' : left < 30 * 60_000 ? 'warning' : 'running';
  return (
    <ApprovalCard
      testId="escalation-row"
      attrs={{ 'data-escalation-id': e.id, 'data-case-id': e.caseId, 'data-case-number': e.caseNumber ?? undefined }}
      head={
        <>
          <Link to={`/cases/${encodeURIComponent(e.caseId)}`} className="strong-link mono" data-testid="escalation-case">
            {e.caseNumber ?? e.caseId}
          </Link>
          <span>
            <StatusTag kind="tier" status={e.fromTier} /> → <StatusTag kind="tier" status={e.toTier} />
          </span>
          <Tag color="purple">{t(`escSource.${e.source}` as const)}</Tag>
          <span className={`countdown countdown-${state}`} data-testid="escalation-countdown" data-state={state} role="timer">
            {left === null ? '—' : left > 0 ? t('countdown.left', { time: formatCountdown(left, lang) }) : t('countdown.overdue', { time: formatCountdown(left, lang) })}
          </span>
        </>
      }
      reason={e.reason}
      reasonTestId="escalation-reason"
      meta={
        <>
          {t('esc.requestedAt')} {formatDateTime(e.requestedAt, lang)}
          {e.requestedByName ? ` · ${e.requestedByName}` : ''} · {t('esc.deadline')} {formatDateTime(e.dueAt, lang)}
        </>
      }
    >
      {canDecide ? (
        <ApprovalDecision
          approve={{ schema: ApproveBody, field: 'note', label: t('esc.note'), button: t('esc.approve'), testId: 'approve-escalation' }}
          reject={{ schema: RejectBody, field: 'reason', label: t('esc.rejectReason'), required: true, button: t('esc.reject'), testId: 'reject-escalation' }}
          cancelLabel={t('action.cancel')}
          onDecide={onDecide}
        />
      ) : null}
    </ApprovalCard>
  );
}
