/**
 * The lead page: who the prospect is (LeadSummary), the next touch with a live countdown
 * (NextTouchCard), a one-screen touch log (TouchForm), the loss or the conversion, the sales manager's
 * loss review, the other actions the caller may take (LeadActionsPanel: re-grade, mark lost, convert,
 * assign) and the timeline in words (LeadTimeline). Forms are checked in the browser with the server's
 * schemas; the workflow decides whether an action is accepted (a refusal is a 409 with its code).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { App, Card, Col, Flex, Row, Skeleton, Space, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { canManageLead, canWorkLead, hasPermission, type LeadRef } from '../../../../../domain/access.js';
import type { User } from '../../../api.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Link } from '../../../router.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { refreshLead, useLead, useLeadEvents, useLeadProjects, useLossReasons, useProjectUnits, useSalesStaff, type Lead, type LeadDetail } from '../api.js';
import { LeadActionsPanel, type LeadAction } from '../components/LeadActionForms.js';
import { ReviewControls } from '../components/LeadActions.js';
import { ConversionCard, LossCard } from '../components/LeadOutcomeCards.js';
import { LeadSummary } from '../components/LeadSummary.js';
import { LeadTimeline } from '../components/LeadTimeline.js';
import { NextTouchCard } from '../components/NextTouchCard.js';
import { TouchForm } from '../components/TouchForm.js';
import { principalOf } from '../../../principal.js';

function refOf(l: LeadDetail): LeadRef {
  return { groupId: l.groupId, companyId: l.companyId, projectId: l.projectId, ownerId: l.ownerId, status: l.status };
}

const WORKING = (s: string) => s === 'new' || s === 'contacting';

export function LeadDetailPage({ id, user }: { id: string; user: User }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { projectName } = useLeadProjects();
  const detail = useLead(id);
  const events = useLeadEvents(id);
  const { reasons } = useLossReasons();
  const staff = useSalesStaff(user);
  const [convertedSaleId, setConvertedSaleId] = useState<string | null>(null);
  const timers = useRef<number[]>([]);
  // The lead as the last action answered it, shown until the read model has caught up with it:
  // a refetch right after a touch may still read the old next-touch time (the projection follows
  // the workflow within moments), and the countdown must not jump back to it (issue 13, problem 9).
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

  // The queries refetch every 10 s by themselves; this is the refresh button's and the actions'.
  const reloadAll = useCallback(() => refreshLead(qc, id), [qc, id]);
  useEffect(() => () => timers.current.forEach((x) => window.clearTimeout(x)), []);

  const afterAction = useCallback(
    (text: string, updated?: Lead) => {
      if (updated) setAnswered(updated);
      void message.success({ content: <span data-testid="action-confirmation">{text}</span>, key: 'lead-action', duration: 8 });
      reloadAll();
      // Audit rows are written by activities right after the update: pick them up shortly after.
      timers.current.push(...[800, 2500].map((ms) => window.setTimeout(reloadAll, ms)));
    },
    [reloadAll, message],
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
        {detail.error ? <ProblemAlert error={detail.error} onRetry={reloadAll} withCode /> : null}
        {!detail.error ? (
          <Card data-testid="lead-loading">
            <Skeleton active title paragraph={{ rows: 6 }} />
          </Card>
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
  const actions: LeadAction[] = [];
  if (canWork && working) actions.push('regrade', 'convert', 'lost');
  if (canManage && (working || lead.status === 'pooled')) actions.push('assign');
  const ownerLabel = lead.ownerId === user.id ? user.displayName : (lead.ownerName ?? (lead.ownerId ? (userName(lead.ownerId) ?? t('lead.colleague')) : null));
  const blocked = !working
    ? lead.status === 'pooled'
      ? t('lead.blocked.pooled')
      : lead.status === 'lost_pending_review'
        ? t('lead.blocked.lost')
        : t('lead.blocked.ended')
    : !canWork
      ? t('lead.blocked.notOwner')
      : null;

  return (
    <div className="page lead-page" data-testid="lead-page" data-lead-id={lead.id} data-status={lead.status} data-grade={lead.grade} data-owner-id={lead.ownerId ?? ''}>
      <Space style={{ marginBottom: 12 }}>
        <Link to={canManage ? '/leads' : '/leads/today'} className="back-link">
          <ArrowLeftOutlined /> {t('lead.back')}
        </Link>
      </Space>
      {detail.error ? <ProblemAlert error={detail.error} onRetry={reloadAll} withCode /> : null}
      <LeadSummary lead={lead} ownerLabel={ownerLabel} projectName={projectName(lead.projectId)} working={working} refreshing={detail.isFetching} onRefresh={reloadAll} />

      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={15}>
          <Flex vertical gap={16}>
            <NextTouchCard lead={lead} />
            <Card title={t('lead.touchTitle')} className="touch-card">
              {blocked ? (
                <Typography.Text type="secondary" data-testid="touch-blocked">
                  {blocked}
                </Typography.Text>
              ) : (
                <TouchForm lead={lead} onDone={(updated) => afterAction(t('lead.touchSaved', { due: formatDateTime(updated.nextTouchDueAt, lang) }), updated)} />
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
                  onDone={(decision, updated, owner) => afterAction(t(`review.done.${decision}` as const, { number: lead.number, name: owner?.displayName ?? '' }), updated)}
                />
              </Card>
            ) : null}
            <Card title={t('lead.actions')}>
              <LeadActionsPanel
                lead={lead}
                actions={actions}
                staff={staff.staff}
                staffLoading={staff.loading}
                reasons={reasons}
                units={units.data ?? []}
                unitsLoading={units.isLoading}
                onSaleStarted={setConvertedSaleId}
                onDone={(text, updated) => afterAction(text, updated)}
              />
            </Card>
          </Flex>
        </Col>
        <Col xs={24} lg={9}>
          <Card title={t('lead.timeline')} className="case-timeline">
            {events.error ? <ProblemAlert error={events.error} onRetry={reloadAll} withCode /> : null}
            <LeadTimeline events={events.data?.items ?? []} loading={events.isLoading} ctx={{ t, lang, userName, reasons, unitName }} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
