/**
 * 我的工单 (an agent's opened cases, a handler's assigned ones) and 工单队列 (a tier's cases): the
 * API orders by the next deadline, so what breaches first is on top; countdowns tick every second.
 */
import { useEffect, useId, useState } from 'react';
import { CASE_STATUSES, TIERS, type CaseStatus, type Tier } from '../../../domain/cases/types.js';
import type { User } from '../api.js';
import { CaseStatusBadge, NextDueCountdown, SeverityBadge, TierBadge, categoryName, useCategories } from '../case-ui.js';
import { casesApi, type CaseFilters, type Case } from '../cases-api.js';
import { formatDateTime } from '../format.js';
import { useI18n } from '../i18n.js';
import { Icon } from '../icons.js';
import { useOrgLookups } from '../lookups.js';
import { Link, navigate } from '../router.js';
import { toMs } from '../sla.js';
import { Card, DataTable, IconButton, Pagination, ProblemAlert, useAsync, usePaging, type Column } from '../ui.js';

/** Lists refresh by themselves so new cases and decisions show up without a click. */
const REFRESH_MS = 20_000;
/** Every status but closed: what still needs work or a callback. */
const ACTIVE = 'open,contacted,waiting_on_customer,resolved';

export function CaseListPage({ user, mode }: { user: User; mode: 'mine' | 'queue' }) {
  const { t, lang } = useI18n();
  const lookups = useOrgLookups();
  const categories = useCategories();
  const { page, pageSize, setPage, setPageSize } = usePaging();
  const [status, setStatus] = useState<CaseStatus | typeof ACTIVE | ''>(ACTIVE);
  // Handlers and supervisors see their office's queue (the cases of their tier); managers filter by tier.
  const officeQueue = mode === 'queue' && (user.role === 'HANDLER' || user.role === 'SUPERVISOR');
  const [tier, setTier] = useState<Tier | ''>('');
  const [query, setQuery] = useState('');
  const [q, setQ] = useState('');
  const [breached, setBreached] = useState(false);
  const statusId = useId();
  const tierId = useId();

  const filters: CaseFilters = {
    status: status || undefined,
    breached: breached ? 'true' : undefined,
    q: q || undefined,
    sort: 'due',
    // An agent's cases are those of its scope (the API has no opened-by filter yet); a handler's are assigned to it.
    ...(mode === 'queue' ? (officeQueue ? { queue: 'true' as const } : { tier: tier || undefined }) : user.role === 'AGENT' ? { openedBy: 'me' } : { assigneeId: 'me' }),
  };
  const list = useAsync(
    async (signal) => ({ page: await casesApi.list({ ...filters, page, pageSize }, signal), loadedAt: Date.now() }),
    [mode, status, tier, breached, q, page, pageSize],
  );

  useEffect(() => {
    const timer = window.setInterval(list.reload, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [list.reload]);

  const loadedAt = list.data?.loadedAt ?? Date.now();
  const open = (c: Case) => navigate(`/cases/${encodeURIComponent(c.id)}`);

  const columns: Column<Case>[] = [
    {
      key: 'number',
      header: t('cases.number'),
      className: 'nowrap',
      render: (c) => (
        <Link to={`/cases/${encodeURIComponent(c.id)}`} className="strong-link mono" data-testid="case-link" data-case-id={c.id} data-case-number={c.number}>
          {c.number}
        </Link>
      ),
    },
    {
      key: 'next',
      header: t('cases.nextDue'),
      className: 'nowrap',
      render: (c) => <NextDueCountdown sla={c.sla} status={c.status} loadedAt={loadedAt} />,
    },
    { key: 'status', header: t('cases.status'), render: (c) => <CaseStatusBadge status={c.status} /> },
    { key: 'tier', header: t('cases.tier'), render: (c) => <TierBadge tier={c.tier} /> },
    { key: 'severity', header: t('cases.severity'), render: (c) => <SeverityBadge severity={c.severity} /> },
    { key: 'type', header: t('cases.type'), render: (c) => t(`caseType.${c.type}` as const) },
    { key: 'category', header: t('cases.category'), render: (c) => <span className="ellipsis">{categoryName(c.category, lang, categories, false)}</span> },
    { key: 'project', header: t('cases.project'), render: (c) => c.projectName ?? lookups.projectName(c.projectId) ?? '—' },
    { key: 'openedAt', header: t('cases.openedAt'), className: 'nowrap', render: (c) => formatDateTime(new Date(toMs(c.openedAt) ?? 0), lang) },
  ];

  const shownTier = officeQueue ? user.scope.level : tier;
  const title = mode === 'mine' ? t('cases.mineTitle') : shownTier ? t('cases.queueTitle', { tier: t(`tier.${shownTier}` as const) }) : t('nav.casesQueue');
  return (
    <div className="page">
      <Card title={title} actions={<IconButton icon="refresh" label={t('action.refresh')} onClick={list.reload} testId="cases-refresh" />}>
        <p className="card-intro muted">{mode === 'mine' ? t('cases.mineIntro') : t('cases.queueIntro')}</p>
        <form
          className="toolbar"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setQ(query.trim());
            setPage(1);
          }}
        >
          <div className="search-box">
            <Icon name="search" size={16} />
            <input
              name="q"
              type="search"
              aria-label={t('cases.search')}
              placeholder={t('cases.search')}
              value={query}
              maxLength={40}
              onChange={(e) => {
                setQuery(e.target.value);
                if (e.target.value === '') setQ('');
              }}
            />
          </div>
          <div className="inline-field">
            <label htmlFor={statusId}>{t('cases.filterStatus')}</label>
            <select
              id={statusId}
              name="status"
              value={status}
              onChange={(e) => {
                setStatus(e.target.value as CaseStatus | typeof ACTIVE | '');
                setPage(1);
              }}
            >
              <option value={ACTIVE}>{t('cases.active')}</option>
              <option value="">{t('common.all')}</option>
              {CASE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`caseStatus.${s}` as const)}
                </option>
              ))}
            </select>
          </div>
          {mode === 'queue' && !officeQueue ? (
            <div className="inline-field">
              <label htmlFor={tierId}>{t('cases.tier')}</label>
              <select
                id={tierId}
                name="tier"
                value={tier}
                onChange={(e) => {
                  setTier(e.target.value as Tier | '');
                  setPage(1);
                }}
              >
                <option value="">{t('common.all')}</option>
                {TIERS.map((x) => (
                  <option key={x} value={x}>
                    {t(`tier.${x}` as const)}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <label className="checkbox">
            <input
              type="checkbox"
              name="breached"
              checked={breached}
              onChange={(e) => {
                setBreached(e.target.checked);
                setPage(1);
              }}
            />
            <span>{t('cases.onlyBreached')}</span>
          </label>
        </form>
        <ProblemAlert error={list.error} onRetry={list.reload} />
        <DataTable
          testId={mode === 'mine' ? 'cases-mine-table' : 'cases-queue-table'}
          columns={columns}
          rows={list.data?.page.items}
          rowKey={(c) => c.id}
          loading={list.loading && !list.data}
          onRowClick={open}
        />
        <Pagination page={page} pageSize={pageSize} total={list.data?.page.total ?? 0} onPage={setPage} onPageSize={setPageSize} />
      </Card>
    </div>
  );
}
