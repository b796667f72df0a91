/**
 * 线索公共池 (sales managers): leads that lapsed without a touch, or had nobody to go to, with
 * how long they have waited and an assign-to picker of the sales team who may own them.
 */
import { useCallback, useEffect, useState } from 'react';
import type { User } from '../../../api.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { AssignControl } from '../components/LeadActions.js';
import { GradeBadge, useSalesStaff } from '../components/lead-ui.js';
import { leadsApi, type Lead } from '../api.js';
import { useOrgLookups } from '../../../lookups.js';
import { Link } from '../../../router.js';
import { formatDuration, toMs, useNowMs } from '../../../sla.js';
import { Card, DataTable, IconButton, Pagination, ProblemAlert, SuccessNotice, useAsync, usePaging, type Column } from '../../../ui.js';

const REFRESH_MS = 15_000;

export function LeadPoolPage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const now = useNowMs();
  const lookups = useOrgLookups();
  const staff = useSalesStaff(user);
  const { page, pageSize, setPage, setPageSize } = usePaging();
  const list = useAsync((signal) => leadsApi.list({ status: 'pooled', page, pageSize }, signal), [page, pageSize]);
  const [notice, setNotice] = useState<string | null>(null);
  const [done, setDone] = useState<Set<string>>(new Set());
  const clearNotice = useCallback(() => setNotice(null), []);

  useEffect(() => {
    const timer = window.setInterval(list.reload, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [list.reload]);
  // A fresh list forgets what was assigned meanwhile (the read model has caught up).
  useEffect(() => setDone(new Set()), [list.data]);

  const rows = (list.data?.items ?? []).filter((l) => !done.has(l.id));
  const columns: Column<Lead>[] = [
    {
      key: 'number',
      header: t('leads.number'),
      className: 'nowrap',
      render: (l) => (
        <Link to={`/leads/${encodeURIComponent(l.id)}`} className="strong-link mono" data-testid="lead-link" data-lead-id={l.id}>
          {l.number}
        </Link>
      ),
    },
    {
      key: 'customer',
      header: t('leads.customer'),
      render: (l) =>
        l.customer ? (
          <span className="customer-cell">
            {l.customer.name} <span className="mono muted">{l.customer.phone}</span>
          </span>
        ) : (
          '—'
        ),
    },
    { key: 'grade', header: t('leads.grade'), render: (l) => <GradeBadge grade={l.grade} /> },
    { key: 'source', header: t('leads.source'), className: 'nowrap', render: (l) => t(`source.${l.source}` as const) },
    { key: 'project', header: t('leads.project'), render: (l) => l.projectName ?? lookups.projectName(l.projectId) ?? '—' },
    { key: 'touches', header: t('leads.touches'), className: 'num', render: (l) => String(l.touchCount) },
    { key: 'pooledAt', header: t('pool.pooledAt'), className: 'nowrap', render: (l) => formatDateTime(l.pooledAt, lang) },
    {
      key: 'waiting',
      header: t('pool.waiting'),
      className: 'nowrap',
      render: (l) => {
        const since = toMs(l.pooledAt);
        return since === null ? (
          '—'
        ) : (
          <span className="countdown countdown-warning" data-testid="pool-waiting">
            {formatDuration(now - since, lang)}
          </span>
        );
      },
    },
    {
      key: 'assign',
      header: t('lead.assignTo'),
      render: (l) => (
        <AssignControl
          lead={l}
          staff={staff.staff}
          staffLoading={staff.loading}
          onDone={(_updated, owner) => {
            setDone((s) => new Set(s).add(l.id));
            setNotice(t('pool.assigned', { number: l.number, name: owner?.displayName ?? '' }));
            window.setTimeout(list.reload, 1500);
          }}
        />
      ),
    },
  ];

  return (
    <div className="page">
      <SuccessNotice message={notice} onClose={clearNotice} />
      <Card title={t('pool.title')} actions={<IconButton icon="refresh" label={t('action.refresh')} onClick={list.reload} testId="pool-refresh" />}>
        <p className="card-intro muted">{t('pool.intro')}</p>
        <ProblemAlert error={list.error} onRetry={list.reload} withCode />
        <ProblemAlert error={staff.error} withCode />
        <DataTable
          testId="pool-table"
          columns={columns}
          rows={rows}
          rowKey={(l) => l.id}
          loading={list.loading && !list.data}
          rowAttrs={(l) => ({ 'data-lead-id': l.id })}
          emptyKey="pool.empty"
        />
        <Pagination page={page} pageSize={pageSize} total={list.data?.total ?? 0} onPage={setPage} onPageSize={setPageSize} />
      </Card>
    </div>
  );
}
