/**
 * 销售审批 (sales managers): sales waiting for a decision on a cancellation, unit change or rename,
 * with what was asked, why and by whom, decided here (approve or reject with a note) or on the
 * sale's page. The list answers from the read model, which knows only the pending kind: each card
 * reads its sale for the request itself.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Unit, User } from '../../../api.js';
import { api } from '../../../api.js';
import { useI18n } from '../../../i18n.js';
import { useSalesStaff } from '../../../lead-ui.js';
import { useOrgLookups } from '../../../lookups.js';
import { Link } from '../../../router.js';
import { ApprovalDecision, ApprovalFacts } from '../components/SaleApproval.js';
import { PendingApprovalBadge, SaleCountdown, SaleStageBadge, deadlineName, projectTimeZone, saleRights, yuan } from '../model.js';
import { salesApi, type SaleSummary } from '../../../sales-api.js';
import { Card, IconButton, Pagination, ProblemAlert, SuccessNotice, useAsync, usePaging } from '../../../ui.js';
import { buyerOf, salePath } from './SaleList.js';

const REFRESH_MS = 15_000;

export function SaleApprovalsPage({ user }: { user: User }) {
  const { t } = useI18n();
  const staff = useSalesStaff(user);
  const { page, pageSize, setPage, setPageSize } = usePaging();
  const list = useAsync((signal) => salesApi.list({ pendingApproval: 'true', page, pageSize }, signal), [page, pageSize]);
  const [notice, setNotice] = useState<string | null>(null);
  const [done, setDone] = useState<Set<string>>(new Set());
  const clearNotice = useCallback(() => setNotice(null), []);

  useEffect(() => {
    const timer = window.setInterval(list.reload, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [list.reload]);
  useEffect(() => setDone(new Set()), [list.data]);

  const items = (list.data?.items ?? []).filter((s) => !done.has(s.id));
  return (
    <div className="page">
      <SuccessNotice message={notice} onClose={clearNotice} />
      <Card title={t('approvals.title')} actions={<IconButton icon="refresh" label={t('action.refresh')} onClick={list.reload} testId="approvals-refresh" />}>
        <p className="card-intro muted">{t('approvals.intro')}</p>
        <ProblemAlert error={list.error} onRetry={list.reload} withCode />
        {list.loading && !list.data ? (
          <p className="muted" role="status">
            <span className="spinner spinner-inline" aria-hidden="true" /> {t('app.loading')}
          </p>
        ) : null}
        {items.length === 0 && list.data ? (
          <p className="empty-note muted" data-testid="approvals-empty">
            {t('approvals.empty')}
          </p>
        ) : null}
        <div className="escalation-cards" data-testid="approval-queue">
          {items.map((s) => (
            <ApprovalCard
              key={s.id}
              summary={s}
              user={user}
              staffName={(id) => staff.staff.find((u) => u.id === id)?.displayName ?? null}
              onDone={(message) => {
                setDone((d) => new Set(d).add(s.id));
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

function ApprovalCard({
  summary,
  user,
  staffName,
  onDone,
}: {
  summary: SaleSummary;
  user: User;
  staffName: (id: string) => string | null;
  onDone: (message: string) => void;
}) {
  const { t, lang } = useI18n();
  const lookups = useOrgLookups();
  const sale = useAsync((signal) => salesApi.get(summary.id, signal), [summary.id]);
  // A unit change names the new unit: the project's units give it a name.
  const wantsUnit = summary.pendingApproval === 'change_unit';
  const units = useAsync(
    (signal) => (wantsUnit ? api.units(summary.project.id, { page: 1, pageSize: 200 }, signal).then((p) => p.items) : Promise.resolve([] as Unit[])),
    [summary.project.id, wantsUnit],
  );
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
    <article className="card escalation-card" data-testid="approval-row" data-sale-id={summary.id} data-sale-number={summary.number} data-kind={summary.pendingApproval ?? ''}>
      <header className="escalation-card-head">
        <Link to={salePath(summary)} className="strong-link mono" data-testid="approval-sale">
          {summary.number}
        </Link>
        <SaleStageBadge stage={summary.stage} />
        {summary.pendingApproval ? <PendingApprovalBadge kind={summary.pendingApproval} /> : null}
        {summary.nextDeadline ? (
          <span className="next-due">
            <span className="next-due-name">{deadlineName(summary.nextDeadline.kind, t)}</span>
            <SaleCountdown deadline={summary.nextDeadline} stage={summary.stage} />
          </span>
        ) : null}
      </header>
      <div className="muted escalation-meta">
        <span data-testid="approval-buyer-name">{buyerOf(summary) ?? '—'}</span>
        {summary.customer ? ` · ${summary.customer.phone}` : ''} · {summary.project.name ?? ''} {summary.unit.number ?? ''} · {t('sales.owner')}{' '}
        {userName(summary.owner.id) ?? summary.owner.id.slice(0, 8)} · {t('sales.price')} {yuan(summary.price, lang)}
      </div>
      <ProblemAlert error={sale.error} onRetry={sale.reload} withCode />
      {pending ? (
        <ApprovalFacts approval={pending} timeZone={tz} userName={userName} unitName={unitName}>
          {rights.approve ? (
            <ApprovalDecision
              sale={summary}
              approval={pending}
              onDone={(decision) =>
                onDone(t(`approvals.done.${decision}` as const, { number: summary.number, kind: t(`approvalKind.${pending.kind}` as const) }))
              }
            />
          ) : null}
        </ApprovalFacts>
      ) : sale.loading ? (
        <p className="muted" role="status">
          <span className="spinner spinner-inline" aria-hidden="true" /> {t('approvals.loading')}
        </p>
      ) : (
        <Link to={salePath(summary)} className="btn btn-small">
          {t('approvals.open')}
        </Link>
      )}
    </article>
  );
}
