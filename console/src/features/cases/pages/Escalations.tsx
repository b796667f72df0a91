/**
 * 升级审批: escalations into the supervisor's tier on antd Cards, what is due first on top, the
 * decision deadline counting down. Approve takes an optional note, reject a required reason (both
 * checked with the server's schemas). A decision takes the card off the list at once (optimistic)
 * and is confirmed with a message; a refusal puts it back with the reason.
 */
import { useState } from 'react';
import { Controller } from 'react-hook-form';
import { App, Button, Card, Empty, Form, Input, Space, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { hasPermission } from '../../../../../domain/access.js';
import { ApproveBody, RejectBody } from '../../../../../api/cases/schemas.js';
import type { Page, User } from '../../../api.js';
import { TierBadge } from '../../../case-ui.js';
import { casesApi, type Escalation } from '../../../cases-api.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Link } from '../../../router.js';
import { FieldRow, useSchemaForm } from '../../../shared/forms.js';
import { formatCountdown, toMs, useNowMs } from '../../../sla.js';
import { ProblemAlert } from '../../../ui.js';
import { casesKeys, refreshCase } from '../api.js';
import '../i18n.js';

type Decision = 'approve' | 'reject';

export function EscalationsPage({ user }: { user: User }) {
  const canDecide = hasPermission(user.role, 'escalations:decide');
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const key = casesKeys.escalations();
  const list = useQuery({ queryKey: key, queryFn: ({ signal }) => casesApi.escalations({ status: 'pending', pageSize: 100 }, signal), refetchInterval: 10_000 });

  const decide = useMutation({
    mutationFn: ({ e, kind, text }: { e: Escalation; kind: Decision; text: string }) => (kind === 'approve' ? casesApi.approve(e.id, text || undefined) : casesApi.reject(e.id, text)),
    // The card goes at once: the decision is the supervisor's, the list need not wait for the workflow.
    onMutate: async ({ e }) => {
      await qc.cancelQueries({ queryKey: key });
      const before = qc.getQueryData<Page<Escalation>>(key);
      qc.setQueryData<Page<Escalation>>(key, (old) => (old ? { ...old, items: old.items.filter((x) => x.id !== e.id), total: Math.max(0, old.total - 1) } : old));
      return { before };
    },
    onSuccess: (_answer, { e, kind }) => {
      void message.success({
        content: <span data-testid="decision-confirmation">{t(kind === 'approve' ? 'esc.approved' : 'esc.rejected', { number: e.caseNumber ?? e.caseId })}</span>,
        key: `esc-${e.id}`,
      });
      refreshCase(qc, e.caseId);
    },
    onError: (_err, _vars, ctx) => {
      if (ctx?.before) qc.setQueryData(key, ctx.before);
    },
    onSettled: () => void qc.invalidateQueries({ queryKey: key }),
  });

  const items = [...(list.data?.items ?? [])].sort((a, b) => (toMs(a.dueAt) ?? 0) - (toMs(b.dueAt) ?? 0));
  return (
    <div className="page">
      <Card
        title={<h2 className="card-title-h">{t('esc.title')}</h2>}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} data-testid="escalations-refresh" aria-label={t('action.refresh')}>
            {t('action.refresh')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('esc.intro')}</Typography.Paragraph>
        {list.error ? <ProblemAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
        {decide.error ? <ProblemAlert error={decide.error} /> : null}
        {items.length === 0 && !list.isLoading ? <Empty data-testid="escalations-empty" description={t('esc.empty')} /> : null}
        <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="escalations">
          {items.map((e) => (
            <EscalationCard key={e.id} e={e} canDecide={canDecide} onDecide={(kind, text) => decide.mutate({ e, kind, text })} />
          ))}
        </Space>
      </Card>
    </div>
  );
}

function DecisionForm({ kind, onCancel, onDecide }: { kind: Decision; onCancel: () => void; onDecide: (text: string) => void }) {
  const { t } = useI18n();
  const form = useSchemaForm(kind === 'approve' ? ApproveBody : RejectBody, { defaultValues: (kind === 'approve' ? { note: '' } : { reason: '' }) as never });
  const field = kind === 'approve' ? 'note' : 'reason';
  const submit = form.handleSubmit((v) => onDecide(String((v as Record<string, unknown>)[field] ?? '')));
  return (
    <Form layout="vertical" component="form" onFinish={() => void submit()} noValidate>
      <FieldRow form={form as never} name={field} label={kind === 'approve' ? t('esc.note') : t('esc.rejectReason')} required={kind === 'reject'}>
        <Controller control={form.control} name={field as never} render={({ field: f }) => <Input.TextArea {...f} value={(f.value as string) ?? ''} id={field} name="text" rows={2} maxLength={2000} autoFocus />} />
      </FieldRow>
      <Space>
        <Button onClick={onCancel}>{t('action.cancel')}</Button>
        <Button type="primary" danger={kind === 'reject'} htmlType="submit" data-testid="decision-submit">
          {kind === 'approve' ? t('esc.approve') : t('esc.reject')}
        </Button>
      </Space>
    </Form>
  );
}

function EscalationCard({ e, canDecide, onDecide }: { e: Escalation; canDecide: boolean; onDecide: (kind: Decision, text: string) => void }) {
  const { t, lang } = useI18n();
  const now = useNowMs();
  const [mode, setMode] = useState<Decision | null>(null);
  const due = toMs(e.dueAt);
  const left = due === null ? null : due - now;
  const state = left === null ? 'running' : left <= 0 ? 'breached' : left < 30 * 60_000 ? 'warning' : 'running';
  return (
    <Card size="small" data-testid="escalation-row" data-escalation-id={e.id} data-case-id={e.caseId} data-case-number={e.caseNumber ?? undefined}>
      <Space wrap size={8} style={{ marginBottom: 8 }}>
        <Link to={`/cases/${encodeURIComponent(e.caseId)}`} className="strong-link mono" data-testid="escalation-case">
          {e.caseNumber ?? e.caseId}
        </Link>
        <span>
          <TierBadge tier={e.fromTier} /> → <TierBadge tier={e.toTier} />
        </span>
        <Tag color="purple">{t(`escSource.${e.source}` as const)}</Tag>
        <span className={`countdown countdown-${state}`} data-testid="escalation-countdown" data-state={state} role="timer">
          {left === null ? '—' : left > 0 ? t('countdown.left', { time: formatCountdown(left, lang) }) : t('countdown.overdue', { time: formatCountdown(left, lang) })}
        </span>
      </Space>
      <Typography.Paragraph data-testid="escalation-reason" style={{ marginBottom: 4 }}>
        {e.reason}
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">
        {t('esc.requestedAt')} {formatDateTime(e.requestedAt, lang)}
        {e.requestedByName ? ` · ${e.requestedByName}` : ''} · {t('esc.deadline')} {formatDateTime(e.dueAt, lang)}
      </Typography.Paragraph>
      {mode ? (
        <DecisionForm kind={mode} onCancel={() => setMode(null)} onDecide={(text) => onDecide(mode, text)} />
      ) : canDecide ? (
        <Space>
          <Button type="primary" data-testid="approve-escalation" onClick={() => setMode('approve')}>
            {t('esc.approve')}
          </Button>
          <Button data-testid="reject-escalation" onClick={() => setMode('reject')}>
            {t('esc.reject')}
          </Button>
        </Space>
      ) : null}
    </Card>
  );
}
