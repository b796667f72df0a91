/**
 * 战败审核 (sales managers): leads their owners marked lost, with the reason and note, waiting
 * for the decision: take it over, reassign it, or confirm it closed (an Update with a validator).
 */
import { useCallback, useEffect, useState } from 'react';
import type { User } from '../../../api.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { ReviewControls } from '../components/LeadActions.js';
import { GradeBadge, lossReasonName, useLossReasons, useSalesStaff } from '../components/lead-ui.js';
import { leadsApi, type Lead, type LossReason } from '../api.js';
import { useOrgLookups } from '../../../lookups.js';
import { Link } from '../../../router.js';
import { Badge, Card, IconButton, Pagination, ProblemAlert, SuccessNotice, useAsync, usePaging } from '../../../ui.js';

const REFRESH_MS = 15_000;

export function LeadReviewsPage({ user }: { user: User }) {
  const { t } = useI18n();
  const staff = useSalesStaff(user);
  const { reasons } = useLossReasons();
  const { page, pageSize, setPage, setPageSize } = usePaging();
  const list = useAsync((signal) => leadsApi.list({ status: 'lost_pending_review', page, pageSize }, signal), [page, pageSize]);
  const [notice, setNotice] = useState<string | null>(null);
  const [done, setDone] = useState<Set<string>>(new Set());
  const clearNotice = useCallback(() => setNotice(null), []);

  useEffect(() => {
    const timer = window.setInterval(list.reload, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [list.reload]);
  useEffect(() => setDone(new Set()), [list.data]);

  const items = (list.data?.items ?? []).filter((l) => !done.has(l.id));
  return (
    <div className="page">
      <SuccessNotice message={notice} onClose={clearNotice} />
      <Card title={t('review.title')} actions={<IconButton icon="refresh" label={t('action.refresh')} onClick={list.reload} testId="reviews-refresh" />}>
        <p className="card-intro muted">{t('review.intro')}</p>
        <ProblemAlert error={list.error} onRetry={list.reload} withCode />
        {list.loading && !list.data ? (
          <p className="muted" role="status">
            <span className="spinner spinner-inline" aria-hidden="true" /> {t('app.loading')}
          </p>
        ) : null}
        {items.length === 0 && list.data ? (
          <p className="empty-note muted" data-testid="reviews-empty">
            {t('review.empty')}
          </p>
        ) : null}
        <div className="escalation-cards" data-testid="reviews">
          {items.map((l) => (
            <ReviewCard
              key={l.id}
              lead={l}
              user={user}
              reasons={reasons}
              staff={staff.staff}
              staffLoading={staff.loading}
              onDone={(message) => {
                setDone((s) => new Set(s).add(l.id));
                setNotice(message);
                window.setTimeout(list.reload, 1500);
              }}
            />
          ))}
        </div>
        {(list.data?.total ?? 0) > pageSize ? (
          <Pagination page={page} pageSize={pageSize} total={list.data?.total ?? 0} onPage={setPage} onPageSize={setPageSize} />
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
  const lookups = useOrgLookups();
  // The list answers from the read model, which keeps the reason only: the lead itself has the note and who marked it.
  const live = useAsync((signal) => leadsApi.get(lead.id, signal), [lead.id]);
  const loss = live.data?.loss ?? lead.loss;
  const lostBy = loss?.lostBy ?? lead.ownerId;
  const lostByName = lostBy === user.id ? user.displayName : lostBy === lead.ownerId ? lead.ownerName : (staff.find((u) => u.id === lostBy)?.displayName ?? null);
  return (
    <article className="card escalation-card" data-testid="review-row" data-lead-id={lead.id} data-lead-number={lead.number}>
      <header className="escalation-card-head">
        <Link to={`/leads/${encodeURIComponent(lead.id)}`} className="strong-link mono" data-testid="review-lead">
          {lead.number}
        </Link>
        <GradeBadge grade={lead.grade} />
        <Badge tone="grey">{t(`source.${lead.source}` as const)}</Badge>
        {loss ? (
          <Badge tone="red" testId="review-reason">
            {lossReasonName(loss.reason, reasons, lang)}
          </Badge>
        ) : null}
      </header>
      <div className="muted escalation-meta">
        {lead.customer ? `${lead.customer.name} · ${lead.customer.phone} · ` : ''}
        {lead.projectName ?? lookups.projectName(lead.projectId) ?? ''} · {t('review.lostBy')} {lostByName ?? (lostBy ? lostBy.slice(0, 8) : '—')} · {t('review.lostAt')}{' '}
        {formatDateTime(loss?.lostAt ?? null, lang)} · {t('leads.touches')} {lead.touchCount}
      </div>
      {loss?.note ? (
        <p className="escalation-reason" data-testid="review-note">
          {loss.note}
        </p>
      ) : null}
      <ReviewControls
        lead={lead}
        user={user}
        staff={staff}
        staffLoading={staffLoading}
        onDone={(decision, _updated, owner) => onDone(t(`review.done.${decision}` as const, { number: lead.number, name: owner?.displayName ?? '' }))}
      />
    </article>
  );
}
