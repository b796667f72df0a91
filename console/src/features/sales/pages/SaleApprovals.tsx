/**
 * 销售审批 (sales managers): sales waiting for a decision on a cancellation, unit change or rename,
 * on the console's one approval shape (shared/approval, as the cases' escalations): what was asked
 * (the sale, its stage and next deadline), why and by whom; approve or reject with a note; a
 * decided card leaves the list at once with a confirmation. The list answers from the read model,
 * which knows only the pending kind: each card reads its sale for the request itself.
 */
import { useEffect, useState } from 'react';
import { Pagination, Skeleton, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import type { User } from '../../../api.js';
import { useI18n } from '../../../i18n.js';
import { useOrgLookups } from '../../org/lookups.js';
import { Link } from '../../../router.js';
import { salesApi, type SaleSummary } from '../api.js';
import { ApprovalCard, ApprovalList, type Decision } from '../../../shared/approval/ApprovalCard.js';
import { useApprovalDecision } from '../../../shared/approval/useDecision.js';
import { useListParams } from '../../../shared/table/useListParams.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { refreshSale, salesKeys, usePendingApprovals, useProjectUnits, useSale, useSalesStaffQuery } from '../api.js';
import { ApprovalFacts, SaleDecision } from '../components/SaleApproval.js';
import { PendingApprovalBadge, SaleCountdown, SaleStageBadge, deadlineName, projectTimeZone, saleRights, yuan } from '../model.js';
import { buyerOf, salePath } from './SaleList.js';
import '../i18n.js';

export function SaleApprovalsPage({ user }: { user: User }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const params = useListParams({}, ['due']);
  const { page, pageSize } = params;
  const list = usePendingApprovals({ page, pageSize });
  const staff = useSalesStaffQuery(user);
  const decide = useApprovalDecision({
    queryKey: [...salesKeys.lists(), 'approvals'],
    idOf: (s: SaleSummary) => s.id,
    send: async ({ item, kind, text, approvalId }: { item: SaleSummary; kind: Decision; text: string; approvalId: string }) =>
      salesApi.decide(item.id, approvalId, { decision: kind, ...(text ? { note: text } : {}) }),
    confirm: ({ item, kind }) => t(`approvals.done.${kind}` as const, { number: item.number, kind: item.pendingApproval ? t(`approvalKind.${item.pendingApproval}` as const) : '' }),
    onDecided: (sale, { item }) => {
      setDecided((d) => new Set(d).add(item.id));
      refreshSale(qc, item.id, sale);
    },
  });
  // The read model catches up with a decision a moment after the workflow took it: a decided sale
  // stays off the list until a fetched page no longer has it pending.
  const [decided, setDecided] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    const pendingIds = new Set((list.data?.items ?? []).map((s) => s.id));
    setDecided((d) => (d.size === 0 ? d : new Set([...d].filter((id) => pendingIds.has(id)))));
  }, [list.data]);
  const items = (list.data?.items ?? []).filter((s) => !decided.has(s.id));
  const staffName = (id: string) => (staff.data ?? []).find((u) => u.id === id)?.displayName ?? null;
  const total = list.data?.total ?? 0;

  return (
    <ApprovalList
      title={t('approvals.title')}
      intro={t('approvals.intro')}
      items={items}
      itemKey={(s) => s.id}
      loading={list.isLoading}
      error={list.error}
      decideError={decide.error}
      onRefresh={() => void list.refetch()}
      refreshing={list.isFetching && !list.isLoading}
      refreshLabel={t('action.refresh')}
      emptyText={t('approvals.empty')}
      testIds={{ list: 'approval-queue', empty: 'approvals-empty', refresh: 'approvals-refresh' }}
      renderItem={(s) => (
        <SaleApprovalCard
          summary={s}
          user={user}
          staffName={staffName}
          busy={decide.isPending}
          onDecide={(kind, text, approvalId) => decide.mutate({ item: s, kind, text, approvalId })}
        />
      )}
      footer={
        total > pageSize ? (
          <Pagination
            style={{ marginTop: 16 }}
            current={page}
            pageSize={pageSize}
            total={total}
            onChange={(p, size) => params.setPage(p, size)}
            showSizeChanger
          />
        ) : null
      }
    />
  );
}

function SaleApprovalCard({
  summary,
  user,
  staffName,
  busy,
  onDecide,
}: {
  summary: SaleSummary;
  user: User;
  staffName: (id: string) => string | null;
  busy: boolean;
  onDecide: (kind: Decision, text: string, approvalId: string) => void;
}) {
  const { t, lang } = useI18n();
  const lookups = useOrgLookups();
  const sale = useSale(summary.id, false);
  // A unit change names the new unit: the project's units give it a name.
  const units = useProjectUnits(summary.pendingApproval === 'change_unit' ? summary.project.id : undefined);
  const pending = sale.data?.approvals.find((a) => a.status === 'pending') ?? null;
  const tz = projectTimeZone(summary.project.id, lookups.projects);
  const rights = saleRights(user, summary, lookups.projects);
  const userName = (id: string | null | undefined): string | null => {
    if (!id) return null;
    if (id === user.id) return user.displayName;
    if (id === summary.owner.id) return summary.owner.name;
    return staffName(id);
  };
  const unitName = (id: string) => {
    const u = (units.data ?? []).find((x) => x.id === id);
    return u ? `${u.buildingName} ${u.number}` : null;
  };
  return (
    <ApprovalCard
      testId="approval-row"
      attrs={{ 'data-sale-id': summary.id, 'data-sale-number': summary.number, 'data-kind': summary.pendingApproval ?? '' }}
      head={
        <>
          <Link to={salePath(summary)} className="strong-link mono" data-testid="approval-sale">
            {summary.number}
          </Link>
          <SaleStageBadge stage={summary.stage} />
          {summary.pendingApproval ? <PendingApprovalBadge kind={summary.pendingApproval} /> : null}
          {summary.nextDeadline ? (
            <span className="next-due">
              <span className="next-due-name">{deadlineName(summary.nextDeadline.kind, t)}</span> <SaleCountdown deadline={summary.nextDeadline} stage={summary.stage} />
            </span>
          ) : null}
        </>
      }
      reason={pending ? pending.reason : undefined}
      reasonTestId="approval-reason"
      meta={
        <>
          <span data-testid="approval-buyer-name">{buyerOf(summary) ?? '—'}</span>
          {summary.customer ? ` · ${summary.customer.phone}` : ''} · {summary.project.name ?? ''} {summary.unit.number ?? ''} · {t('sales.owner')} {userName(summary.owner.id) ?? '—'} ·{' '}
          {t('sales.price')} {yuan(summary.price, lang)}
        </>
      }
    >
      {sale.error ? <ProblemAlert error={sale.error} onRetry={() => void sale.refetch()} /> : null}
      {pending ? (
        <ApprovalFacts approval={pending} timeZone={tz} userName={userName} unitName={unitName} withReason={false}>
          {rights.approve ? <SaleDecision busy={busy} onDecide={(kind, text) => onDecide(kind, text, pending.id)} /> : null}
        </ApprovalFacts>
      ) : sale.isLoading ? (
        <Skeleton active paragraph={{ rows: 2 }} title={false} aria-label={t('approvals.loading')} />
      ) : (
        <Typography.Paragraph>
          <Link to={salePath(summary)}>{t('approvals.open')}</Link>
        </Typography.Paragraph>
      )}
    </ApprovalCard>
  );
}
