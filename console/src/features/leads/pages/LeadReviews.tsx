/**
 * 战败审核 (sales managers): leads their owners marked lost, with the reason and note, waiting for
 * the decision: take it over, reassign it, or confirm it closed (an Update with a validator). One
 * card per lead (the decision needs room); the page is in the address like the lists'.
 */
import { App, Button, Card, Empty, Flex, Pagination, Skeleton, Space, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import type { User } from '../../../api.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Link } from '../../../router.js';
import { PAGE_SIZES, useListParams } from '../../../shared/table/useListParams.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useLead, useLeadList, useLeadProjects, useLossReasons, useSalesStaff, type Lead, type LossReason } from '../api.js';
import { ReviewControls } from '../components/LeadActions.js';
import { GradeBadge, lossReasonName } from '../components/lead-ui.js';
import { useHandledRows } from '../components/useHandledRows.js';

export function LeadReviewsPage({ user }: { user: User }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const staff = useSalesStaff(user);
  const { reasons } = useLossReasons();
  const params = useListParams({}, ['due'] as const);
  const list = useLeadList({ status: 'lost_pending_review', page: params.page, pageSize: params.pageSize }, { refetchInterval: 15_000 });
  // Decided here: off the queue until the queue's list agrees (its read model follows the workflow).
  const { items, total, handle } = useHandledRows(list);
  return (
    <div className="page">
      <Card
        title={<h2 className="card-title-h">{t('review.title')}</h2>}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} data-testid="reviews-refresh" loading={list.isFetching && !list.isLoading}>
            {t('action.refresh')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('review.intro')}</Typography.Paragraph>
        {list.error ? <ProblemAlert error={list.error} onRetry={() => void list.refetch()} withCode /> : null}
        {list.isLoading ? <Skeleton active paragraph={{ rows: 4 }} /> : null}
        {items.length === 0 && list.data ? <Empty description={<span data-testid="reviews-empty">{t('review.empty')}</span>} /> : null}
        <Flex vertical gap={12} data-testid="reviews">
          {items.map((l) => (
            <ReviewCard
              key={l.id}
              lead={l}
              user={user}
              reasons={reasons}
              staff={staff.staff}
              staffLoading={staff.loading}
              onDone={(text) => {
                handle(l.id);
                void message.success({ content: <span data-testid="action-confirmation">{text}</span>, key: `lead-reviewed-${l.id}`, duration: 8 });
              }}
            />
          ))}
        </Flex>
        {total > params.pageSize ? (
          <Pagination
            style={{ marginTop: 16 }}
            current={params.page}
            pageSize={params.pageSize}
            total={total}
            showSizeChanger
            pageSizeOptions={PAGE_SIZES.map(String)}
            onChange={(page, size) => params.setPage(page, size)}
          />
        ) : null}
      </Card>
    </div>
  );
}

function ReviewCard({
  lead,
  user,
  reasons,
  staff,
  staffLoading,
  onDone,
}: {
  lead: Lead;
  user: User;
  reasons: LossReason[];
  staff: User[];
  staffLoading: boolean;
  onDone: (message: string) => void;
}) {
  const { t, lang } = useI18n();
  const { projectName } = useLeadProjects();
  // The list answers from the read model, which keeps the reason only: the lead itself has the note and who marked it.
  const live = useLead(lead.id);
  const loss = live.data?.loss ?? lead.loss;
  const lostBy = loss?.lostBy ?? lead.ownerId;
  const lostByName = lostBy === user.id ? user.displayName : lostBy === lead.ownerId ? lead.ownerName : (staff.find((u) => u.id === lostBy)?.displayName ?? null);
  return (
    <Card size="small" data-testid="review-row" data-lead-id={lead.id} data-lead-number={lead.number}>
      <Space wrap size={8} style={{ marginBottom: 8 }}>
        <Link to={`/leads/${encodeURIComponent(lead.id)}`} className="strong-link mono" data-testid="review-lead">
          {lead.number}
        </Link>
        <GradeBadge grade={lead.grade} />
        <Tag>{t(`source.${lead.source}` as const)}</Tag>
        {loss ? (
          <Tag color="red" data-testid="review-reason">
            {lossReasonName(loss.reason, reasons, lang)}
          </Tag>
        ) : null}
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {lead.customer ? `${lead.customer.name} · ${lead.customer.phone} · ` : ''}
        {lead.projectName ?? projectName(lead.projectId) ?? ''} · {t('review.lostBy')} {lostByName ?? '—'} · {t('review.lostAt')} {formatDateTime(loss?.lostAt ?? null, lang)} ·{' '}
        {t('leads.touches')} {lead.touchCount}
      </Typography.Paragraph>
      {loss?.note ? (
        <Typography.Paragraph className="pre-wrap" data-testid="review-note">
          {loss.note}
        </Typography.Paragraph>
      ) : null}
      <ReviewControls
        lead={lead}
        user={user}
        staff={staff}
        staffLoading={staffLoading}
        onDone={(decision, _updated, owner) => onDone(t(`review.done.${decision}` as const, { number: lead.number, name: owner?.displayName ?? '' }))}
      />
    </Card>
  );
}
