/**
 * The sale page, composed of the feature's parts (components/): the summary with the lifecycle's
 * steps (SaleSummary), the next deadline and every open one (SaleDeadlines), pending and decided
 * requests (SaleApproval, the console's one approval shape), the steps the caller may take
 * (SaleActions), payments and mortgage (SalePayments), inspection, handover and repair cases
 * (SaleHandover), and the timeline in words (SaleTimeline). Server state is the feature's queries
 * (api.ts): an action's answer shows at once, then the sale, its timeline and the lists refresh.
 * Times are shown in the project's time zone.
 */
import { useCallback, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Flex } from 'antd';
import { isFinalSaleStage } from '../../../../../domain/sales/types.js';
import type { User } from '../../../api.js';
import { useCategoryTree as useCategories } from '../../cases/api.js';
import { categoryName } from '../../cases/categories.js';
import { useI18n } from '../../../i18n.js';
import { Icon } from '../../../shared/icons.js';
import { useOrgLookups } from '../../org/lookups.js';
import { Link } from '../../../router.js';
import { salesApi, type Sale } from '../api.js';
import { Card, SuccessNotice } from '../../../ui.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { refreshSale, useProjectUnits, useSale, useSaleAction, useSaleEvents, useSalesStaffQuery } from '../api.js';
import { ACTION_LABEL, ActionForm, actionsFor, hasPending, type Action } from '../components/SaleActions.js';
import { ApprovalFacts, SaleDecision } from '../components/SaleApproval.js';
import { NextDeadlineCard } from '../components/SaleDeadlines.js';
import { CasesCard, HandoverCard } from '../components/SaleHandover.js';
import { MortgageCard, PaymentsCard } from '../components/SalePayments.js';
import { SaleSummary } from '../components/SaleSummary.js';
import { SaleTimeline } from '../components/SaleTimeline.js';
import { projectTimeZone, saleRights, type SaleEventContext } from '../model.js';
import '../i18n.js';

export function SaleDetailPage({ id, user }: { id: string; user: User }) {
  const { t, lang } = useI18n();
  const lookups = useOrgLookups();
  const categories = useCategories();
  const qc = useQueryClient();
  const detail = useSale(id);
  const events = useSaleEvents(id);
  const staff = useSalesStaffQuery(user);
  const [notice, setNotice] = useState<string | null>(null);
  const [action, setAction] = useState<Action | null>(null);
  const clearNotice = useCallback(() => setNotice(null), []);
  const sale = detail.data;
  const decide = useSaleAction(id, ({ approvalId, decision, note }: { approvalId: string; decision: 'approve' | 'reject'; note: string }) =>
    salesApi.decide(id, approvalId, { decision, ...(note ? { note } : {}) }),
  );
  const units = useProjectUnits(sale?.project.id);

  const reloadAll = useCallback(() => {
    void detail.refetch();
    void events.refetch();
  }, [detail.refetch, events.refetch]); // eslint-disable-line react-hooks/exhaustive-deps

  const afterAction = useCallback(
    (message: string, updated?: Sale) => {
      setAction(null);
      setNotice(message);
      refreshSale(qc, id, updated);
    },
    [qc, id],
  );

  const userName = useCallback(
    (uid: string | null | undefined): string | null => {
      if (!uid) return null;
      if (uid === 'system') return t('sale.system');
      if (uid === user.id) return user.displayName;
      if (sale && uid === sale.owner.id && sale.owner.name) return sale.owner.name;
      // The events answer names every colleague it mentions (sales staff cannot read the staff list).
      return events.data?.names[uid] ?? (staff.data ?? []).find((u) => u.id === uid)?.displayName ?? null;
    },
    [t, user, sale, staff.data, events.data],
  );
  const unitName = useCallback(
    (unitId: string) => {
      const u = (units.data ?? []).find((x) => x.id === unitId);
      if (u) return `${u.buildingName} ${u.number}`;
      return sale && unitId === sale.unit.id ? sale.unit.number : null;
    },
    [units.data, sale],
  );

  if (!sale) {
    return (
      <div className="page">
        <ProblemAlert error={detail.error} onRetry={() => void detail.refetch()} withCode />
        {!detail.error ? (
          <div className="muted" role="status">
            <span className="spinner spinner-inline" aria-hidden="true" /> {t('app.loading')}
          </div>
        ) : null}
      </div>
    );
  }

  const tz = projectTimeZone(sale.project.id, lookups.projects);
  const rights = saleRights(user, sale, lookups.projects);
  const actions = actionsFor(sale, rights);
  const final = isFinalSaleStage(sale.stage);
  const ctx: SaleEventContext = { t, lang, timeZone: tz, userName, unitName, categoryName: (code) => categoryName(code, lang, categories) };

  return (
    <div className="page case-page sale-page" data-testid="sale-page" data-sale-id={sale.id} data-stage={sale.stage} data-owner-id={sale.owner.id}>
      <div className="breadcrumbs">
        <Link to={rights.approve || user.role === 'MANAGER' ? '/sales' : '/sales/mine'} className="back-link">
          <Icon name="back" size={16} /> {t('sale.back')}
        </Link>
      </div>
      <SuccessNotice message={notice} onClose={clearNotice} />
      <ProblemAlert error={detail.error} onRetry={() => void detail.refetch()} withCode />

      <SaleSummary
        sale={sale}
        user={user}
        timeZone={tz}
        unitName={unitName}
        projectName={lookups.projectName}
        onRefresh={reloadAll}
        refreshing={detail.isFetching && !detail.isLoading}
      />

      <div className="case-columns">
        <div className="case-main">
          <NextDeadlineCard sale={sale} timeZone={tz} />

          {sale.approvals.length > 0 ? (
            <Card title={t('sale.approvals')}>
              <div className="approval-list" data-testid="approvals">
                {[...sale.approvals].reverse().map((a) => (
                  <ApprovalFacts key={a.id} approval={a} timeZone={tz} userName={userName} unitName={unitName}>
                    {a.status === 'pending' && rights.approve ? (
                      <SaleDecision
                        busy={decide.isPending}
                        onDecide={(decision, note) =>
                          decide.mutate(
                            { approvalId: a.id, decision, note },
                            { onSuccess: (updated) => afterAction(t(`sale.decided.${decision}` as const, { kind: t(`approvalKind.${a.kind}` as const) }), updated) },
                          )
                        }
                      />
                    ) : null}
                    {a.status === 'pending' && rights.approve && decide.error ? <ProblemAlert error={decide.error} withCode /> : null}
                  </ApprovalFacts>
                ))}
              </div>
            </Card>
          ) : null}

          <Card title={t('sale.actions')}>
            {actions.length === 0 ? (
              <p className="muted" data-testid="no-actions">
                {!rights.work && !final ? t('sale.readOnly') : t('sale.noActions')}
              </p>
            ) : null}
            {rights.work && !final && hasPending(sale) ? <p className="field-hint">{t('sale.pendingBlocks')}</p> : null}
            {sale.paymentMethod === 'mortgage' && sale.mortgage?.status === 'rejected' && rights.work && !final ? (
              <p className="field-hint" data-testid="mortgage-rejected-hint">
                {t('saleAct.rejectedHint')}
              </p>
            ) : null}
            <Flex className="action-bar" wrap gap={8}>
              {actions.map((a) => (
                <Button
                  key={a}
                  type={action === a ? 'primary' : 'default'}
                  danger={a === 'cancel'}
                  aria-pressed={action === a}
                  data-testid={`action-${a}`}
                  onClick={() => setAction(action === a ? null : a)}
                >
                  {t(ACTION_LABEL[a])}
                </Button>
              ))}
            </Flex>
            {action && actions.includes(action) ? (
              <ActionForm
                key={action}
                action={action}
                sale={sale}
                timeZone={tz}
                units={units.data ?? []}
                unitsLoading={units.isLoading}
                categories={categories}
                onCancel={() => setAction(null)}
                onDone={(message, updated) => afterAction(message, updated)}
              />
            ) : null}
          </Card>

          <PaymentsCard sale={sale} timeZone={tz} userName={userName} />
          {sale.mortgage || sale.paymentMethod === 'mortgage' ? <MortgageCard sale={sale} timeZone={tz} /> : null}
          <HandoverCard sale={sale} timeZone={tz} categoryName={ctx.categoryName} />
          <CasesCard sale={sale} user={user} timeZone={tz} categoryName={ctx.categoryName} />
        </div>

        <Card title={t('sale.timeline')} className="case-timeline">
          <ProblemAlert error={events.error} onRetry={() => void events.refetch()} withCode />
          <SaleTimeline events={events.data?.items ?? []} loading={events.isLoading} ctx={ctx} />
        </Card>
      </div>
    </div>
  );
}
