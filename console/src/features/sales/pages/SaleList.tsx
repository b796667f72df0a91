/**
 * 我的销售 (a salesperson's sales) and 销售列表 (every sale the caller may see, for sales managers
 * and managers, with "mine / all"). The API orders by the next deadline, so what is late is on
 * top; countdowns tick every second, overdue rows are red, and a pending approval shows its kind.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { hasPermission } from '../../../../../domain/access.js';
import { FINAL_SALE_STAGES, SALE_STAGES } from '../../../../../domain/sales/types.js';
import type { Project, User } from '../../../api.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Icon } from '../../../icons.js';
import { useOrgLookups } from '../../../lookups.js';
import { Link, navigate } from '../../../router.js';
import { PendingApprovalBadge, SaleCountdown, SaleStageBadge, deadlineName, projectTimeZone, saleDueState, yuan } from '../model.js';
import { salesApi, type SaleFilters, type SaleSummary } from '../../../sales-api.js';
import { useNowMs } from '../../../sla.js';
import { Badge, Card, DataTable, IconButton, Pagination, ProblemAlert, useAsync, usePaging, type Column } from '../../../ui.js';

/** Lists refresh by themselves so new sales, steps and decisions show up without a click. */
const REFRESH_MS = 20_000;
/** The stages that still have work: everything but the three final ones. */
const OPEN = SALE_STAGES.filter((s) => !(FINAL_SALE_STAGES as readonly string[]).includes(s)).join(',');

export const salePath = (s: Pick<SaleSummary, 'id'>) => `/sales/${encodeURIComponent(s.id)}`;

/** The buyer's name: the renamed contract name, else the customer's. */
export const buyerOf = (s: Pick<SaleSummary, 'buyerName' | 'customer'>): string | null => s.buyerName ?? s.customer?.name ?? null;

export function SalesMinePage({ user }: { user: User }) {
  return (
    <div className="page">
      <SaleTable user={user} mode="mine" />
    </div>
  );
}

export function SaleListPage({ user }: { user: User }) {
  return (
    <div className="page">
      <SaleTable user={user} mode="all" />
    </div>
  );
}

function useSaleColumns(withOwner: boolean, user: User, projects: readonly Project[]): Column<SaleSummary>[] {
  const { t, lang } = useI18n();
  const cols: Column<SaleSummary>[] = [
    {
      key: 'number',
      header: t('sales.number'),
      className: 'nowrap',
      render: (s) => (
        <Link to={salePath(s)} className="strong-link mono" data-testid="sale-link" data-sale-id={s.id} data-sale-number={s.number}>
          {s.number}
        </Link>
      ),
    },
    {
      key: 'stage',
      header: t('sales.stage'),
      render: (s) => (
        <span className="case-badges">
          <SaleStageBadge stage={s.stage} />
          {s.pendingApproval ? <PendingApprovalBadge kind={s.pendingApproval} /> : null}
        </span>
      ),
    },
    {
      key: 'next',
      header: t('sales.nextDeadline'),
      className: 'nowrap',
      render: (s) => (
        <span className="next-due">
          {s.nextDeadline ? <span className="next-due-name">{deadlineName(s.nextDeadline.kind, t)}</span> : null}
          <SaleCountdown deadline={s.nextDeadline} stage={s.stage} />
        </span>
      ),
    },
    {
      key: 'buyer',
      header: t('sales.buyer'),
      render: (s) => (
        <span className="customer-cell">
          <span data-testid="sale-buyer">{buyerOf(s) ?? '—'}</span> {s.customer ? <span className="mono muted">{s.customer.phone}</span> : null}
        </span>
      ),
    },
    {
      key: 'unit',
      header: t('sales.unit'),
      render: (s) => `${s.project.name ?? '—'} · ${s.unit.number ?? '—'}`,
    },
  ];
  if (withOwner)
    cols.push({ key: 'owner', header: t('sales.owner'), render: (s) => (s.owner.id === user.id ? user.displayName : (s.owner.name ?? s.owner.id.slice(0, 8))) });
  cols.push(
    { key: 'price', header: t('sales.price'), className: 'num nowrap', render: (s) => yuan(s.price, lang) },
    { key: 'outstanding', header: t('sales.outstanding'), className: 'num nowrap', render: (s) => yuan(s.outstanding, lang) },
    { key: 'created', header: t('sales.createdAt'), className: 'nowrap', render: (s) => formatDateTime(s.createdAt, lang, projectTimeZone(s.project.id, projects)) },
  );
  return cols;
}

const rowClass = (now: number) => (s: SaleSummary) => {
  const v = saleDueState(s.nextDeadline, s.stage, now).state;
  return v === 'breached' ? 'row-overdue' : v === 'warning' ? 'row-soon' : '';
};

/** A filtered, paginated list of sales: the caller's own ("mine") or every sale they may see ("all"). */
function SaleTable({ user, mode }: { user: User; mode: 'mine' | 'all' }) {
  const { t } = useI18n();
  const now = useNowMs();
  const lookups = useOrgLookups();
  const { page, pageSize, setPage, setPageSize } = usePaging();
  const [stage, setStage] = useState<string>(OPEN);
  const [owner, setOwner] = useState<'me' | ''>(mode === 'mine' ? 'me' : '');
  const [projectId, setProjectId] = useState('');
  const [query, setQuery] = useState('');
  const [q, setQ] = useState('');
  const ids = { stage: useId(), owner: useId(), project: useId() };
  // Sales managers own sales too: "mine / all" on the full list; managers own none.
  const canOwn = hasPermission(user.role, 'sales:work');

  const filters: SaleFilters = {
    stage: stage || undefined,
    ownerId: owner || undefined,
    projectId: projectId || undefined,
    q: q || undefined,
  };
  const list = useAsync((signal) => salesApi.list({ ...filters, page, pageSize }, signal), [stage, owner, projectId, q, page, pageSize]);
  useEffect(() => {
    const timer = window.setInterval(list.reload, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [list.reload]);
  const columns = useSaleColumns(mode === 'all', user, lookups.projects);
  const items = list.data?.items ?? [];
  const overdue = items.filter((s) => saleDueState(s.nextDeadline, s.stage, now).state === 'breached').length;

  const select = (label: string, id: string, value: string, onChange: (v: string) => void, options: ReactNode, name: string) => (
    <div className="inline-field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
          setPage(1);
        }}
      >
        {options}
      </select>
    </div>
  );

  return (
    <Card
      title={
        <span className="title-with-badges">
          {mode === 'mine' ? t('sales.mineTitle') : t('sales.allTitle')}
          {overdue > 0 ? (
            <Badge tone="red" testId="sales-overdue-count">
              {t('sales.overdue', { n: overdue })}
            </Badge>
          ) : null}
        </span>
      }
      actions={
        <>
          {hasPermission(user.role, 'sales:create') ? (
            <Link to="/sales/new" className="btn btn-primary btn-small" data-testid="new-sale-link">
              <Icon name="plus" size={14} /> {t('sales.new')}
            </Link>
          ) : null}
          <IconButton icon="refresh" label={t('action.refresh')} onClick={list.reload} testId="sales-refresh" />
        </>
      }
    >
      <p className="card-intro muted">{mode === 'mine' ? t('sales.mineIntro') : t('sales.allIntro')}</p>
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
            aria-label={t('sales.search')}
            placeholder={t('sales.search')}
            value={query}
            maxLength={40}
            onChange={(e) => {
              setQuery(e.target.value);
              if (e.target.value === '') setQ('');
            }}
          />
        </div>
        {select(
          t('sales.stage'),
          ids.stage,
          stage,
          setStage,
          <>
            <option value={OPEN}>{t('sales.open')}</option>
            <option value="">{t('common.all')}</option>
            {SALE_STAGES.map((s) => (
              <option key={s} value={s}>
                {t(`saleStage.${s}` as const)}
              </option>
            ))}
          </>,
          'stage',
        )}
        {mode === 'all' && canOwn
          ? select(
              t('sales.owner'),
              ids.owner,
              owner,
              (v) => setOwner(v as 'me' | ''),
              <>
                <option value="">{t('sales.ownerAll')}</option>
                <option value="me">{t('sales.ownerMe')}</option>
              </>,
              'owner',
            )
          : null}
        {lookups.projects.length > 1
          ? select(
              t('sale.project'),
              ids.project,
              projectId,
              setProjectId,
              <>
                <option value="">{t('common.all')}</option>
                {lookups.projects.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </>,
              'projectId',
            )
          : null}
      </form>
      <ProblemAlert error={list.error} onRetry={list.reload} withCode />
      <DataTable
        testId={mode === 'mine' ? 'sales-mine-table' : 'sales-table'}
        columns={columns}
        rows={list.data?.items}
        rowKey={(s) => s.id}
        loading={list.loading && !list.data}
        onRowClick={(s) => navigate(salePath(s))}
        rowClassName={rowClass(now)}
        rowAttrs={(s) => ({ 'data-sale-id': s.id, 'data-stage': s.stage, 'data-state': saleDueState(s.nextDeadline, s.stage, now).state })}
        emptyKey="sales.empty"
      />
      <Pagination page={page} pageSize={pageSize} total={list.data?.total ?? 0} onPage={setPage} onPageSize={setPageSize} />
    </Card>
  );
}
