/**
 * The case page: its facts by name (never an id), the unit, the three targets with live
 * countdowns, what the user may do now (each confirmed where they look), a clear banner when a
 * callback reopens or escalates the case, escalations, and the audit timeline with every actor by
 * name. A skeleton shows until the case has loaded.
 */
import { useState } from 'react';
import { App, Button, Card, Col, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import type { User } from '../../../api.js';
import { StatusTag } from '../../../shared/StatusTag.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Link } from '../../../router.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { casesKeys, useCase, useCaseEvents, useCategoryTree } from '../api.js';
import { ACTION_LABEL, ActionForm, availableActions, doneText, type Action } from '../components/CaseActions.js';
import { CallbackBanner } from '../components/CallbackBanner.js';
import { CaseFacts } from '../components/CaseFacts.js';
import { CaseTimeline } from '../components/CaseTimeline.js';
import { CaseWorkOrders, showsCaseWorkOrders } from '../components/CaseWorkOrders.js';
import { TargetCards } from '../components/TargetCards.js';
import type { CallbackOutcome, CaseAfterCallback, CaseView, Escalation } from '../model.js';
import '../i18n.js';

export function CaseDetailPage({ id, user }: { id: string; user: User }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const categories = useCategoryTree();
  const detail = useCase(id);
  const events = useCaseEvents(id);
  // From the intake's screen-pop ("attach the call"): the note form is open, ready for the call's note.
  const [action, setAction] = useState<Action | null>(() => (new URLSearchParams(window.location.search).get('call') === '1' ? 'note' : null));
  const [outcome, setOutcome] = useState<CallbackOutcome | null>(null);

  const refresh = () => {
    void qc.invalidateQueries({ queryKey: casesKeys.detail(id) });
    void qc.invalidateQueries({ queryKey: casesKeys.events(id) });
  };

  const c = detail.data?.c as CaseView | undefined;
  if (!c) {
    return (
      <div className="page">
        {detail.error ? <ProblemAlert error={detail.error} onRetry={refresh} /> : null}
        {!detail.error ? (
          <Card data-testid="case-loading">
            <Skeleton active title paragraph={{ rows: 6 }} />
          </Card>
        ) : null}
      </div>
    );
  }

  const actions = availableActions(c, user);
  const onDone = (done: Action, answer: unknown) => {
    setAction(null);
    const result = done === 'callback' ? ((answer as CaseAfterCallback | undefined)?.callback ?? null) : null;
    if (done === 'callback') setOutcome(result);
    const content = <span data-testid="action-confirmation" data-action={done}>{doneText(done, t, result ?? undefined)}</span>;
    if (result && result.outcome !== 'closed') void message.warning({ content, key: 'case-action', duration: 6 });
    else void message.success({ content, key: 'case-action', duration: 4 });
    // The trail is written by activities right after the update: pick it up shortly after.
    for (const ms of [800, 2500]) window.setTimeout(refresh, ms);
  };

  return (
    <div className="page case-page" data-testid="case-page" data-case-id={c.id} data-status={c.status} data-tier={c.tier}>
      <Space style={{ marginBottom: 12 }}>
        <Link to={user.role === 'AGENT' ? '/cases/mine' : '/cases/queue'} className="back-link">
          <ArrowLeftOutlined /> {t('case.back')}
        </Link>
      </Space>
      {detail.error ? <ProblemAlert error={detail.error} onRetry={refresh} /> : null}
      <CallbackBanner outcome={outcome} c={c} onClose={() => setOutcome(null)} />

      <Card
        className="case-head"
        style={{ marginTop: 12 }}
        title={
          <Space wrap size={8}>
            <h2 className="case-number mono" data-testid="case-number" style={{ margin: 0 }}>
              {c.number}
            </h2>
            <StatusTag kind="case" status={c.status} testId="case-status" />
            <StatusTag kind="tier" status={c.tier} testId="case-tier" />
            <StatusTag kind="severity" status={c.severity} />
            <Tag color="blue">{t(`caseType.${c.type}` as const)}</Tag>
          </Space>
        }
        extra={<Button icon={<ReloadOutlined />} onClick={refresh} data-testid="case-refresh" aria-label={t('action.refresh')} />}
      >
        <CaseFacts c={c} user={user} categories={categories} />
        <div className="case-description">
          <Typography.Text type="secondary">{t('case.description')}</Typography.Text>
          <Typography.Paragraph data-testid="case-description" style={{ whiteSpace: 'pre-wrap' }}>
            {c.description}
          </Typography.Paragraph>
        </div>
      </Card>

      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} xl={15}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('case.targets')}>
              <TargetCards c={c} loadedAt={detail.data!.loadedAt} />
            </Card>
            <Card title={t('case.actions')}>
              {actions.length === 0 ? (
                <Typography.Paragraph type="secondary" data-testid="no-actions">
                  {t('case.noActions')}
                </Typography.Paragraph>
              ) : null}
              <Space wrap style={{ marginBottom: action ? 16 : 0 }}>
                {actions.map((a) => (
                  <Button key={a} type={action === a ? 'primary' : 'default'} data-testid={`action-${a}`} onClick={() => setAction(action === a ? null : a)} aria-expanded={action === a}>
                    {t(ACTION_LABEL[a])}
                  </Button>
                ))}
              </Space>
              {c.tier === 'GROUP' && c.status !== 'closed' && c.status !== 'resolved' && actions.includes('edit') ? (
                <Typography.Paragraph type="secondary">{t('case.topTier')}</Typography.Paragraph>
              ) : c.escalations.some((e) => e.status === 'pending') ? (
                <Typography.Paragraph type="secondary">{t('case.escalationPending')}</Typography.Paragraph>
              ) : null}
              {action && actions.includes(action) ? <ActionForm key={action} action={action} c={c} user={user} categories={categories} onDone={onDone} onCancel={() => setAction(null)} /> : null}
            </Card>
            {showsCaseWorkOrders(c, user) ? <CaseWorkOrders c={c} user={user} categories={categories} /> : null}
            {c.escalations.length > 0 ? (
              <Card title={t('case.escalations')}>
                <EscalationList items={c.escalations} />
              </Card>
            ) : null}
          </Space>
        </Col>
        <Col xs={24} xl={9}>
          <Card title={t('case.timeline')} className="case-timeline">
            {events.error ? <ProblemAlert error={events.error} onRetry={refresh} /> : null}
            {events.data ? <CaseTimeline events={events.data.items} names={events.data.names ?? {}} user={user} categories={categories} /> : <Skeleton active />}
          </Card>
        </Col>
      </Row>
    </div>
  );
}

function EscalationList({ items }: { items: Escalation[] }) {
  const { t, lang } = useI18n();
  return (
    <ul className="escalation-list" data-testid="case-escalations">
      {items.map((e) => (
        <li key={e.id} data-status={e.status}>
          <Space wrap size={6}>
            <StatusTag kind="tier" status={e.fromTier} /> → <StatusTag kind="tier" status={e.toTier} /> <StatusTag kind="escalation" status={e.status} />
            <Typography.Text type="secondary">{t(`escSource.${e.source}` as const)}</Typography.Text>
            <Typography.Text type="secondary">{formatDateTime(e.requestedAt, lang)}</Typography.Text>
            {e.requestedByName ? <Typography.Text type="secondary">{e.requestedByName}</Typography.Text> : null}
          </Space>
          <div className="escalation-reason">{e.reason}</div>
          {e.decisionNote ? (
            <Typography.Text type="secondary">
              {e.decidedByName ? `${e.decidedByName}: ` : ''}
              {e.decisionNote}
            </Typography.Text>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
