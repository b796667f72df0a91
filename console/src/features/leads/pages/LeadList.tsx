/**
 * 今日跟进 (a salesperson's day: what is overdue or due today, then every lead they own) and
 * 线索列表 (every lead the caller may see, with filters). The API orders by the next touch due, so
 * what is late is on top; countdowns tick every second and overdue rows are red.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { GRADES, LEAD_STATUSES, type Grade } from '../../../../../domain/leads/types.js';
import type { User } from '../../../api.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Icon } from '../../../icons.js';
import { GradeBadge, LeadCountdown, LeadStatusBadge, dueStateOf, endOfToday, isFirstContact } from '../components/lead-ui.js';
import { leadsApi, type Lead, type LeadFilters } from '../api.js';
import { useOrgLookups } from '../../../lookups.js';
import { Link, navigate } from '../../../router.js';
import { toMs, useNowMs } from '../../../sla.js';
import { Badge, Card, DataTable, IconButton, Pagination, ProblemAlert, useAsync, usePaging, type Column } from '../../../ui.js';

/** Lists refresh by themselves so new leads, touches and pool moves show up without a click. */
const REFRESH_MS = 20_000;
/** The statuses a salesperson works: in the cadence. */
const WORKING = 'new,contacting';
/** Every status that still needs someone: in the cadence, in the pool, or awaiting the loss review. */
const OPEN = 'new,contacting,pooled,lost_pending_review';

const leadPath = (l: Pick<Lead, 'id'>, log = false) => `/leads/${encodeURIComponent(l.id)}${log ? '?log=1' : ''}`;

function useAutoRefresh(reload: () => void): void {
  useEffect(() => {
    const timer = window.setInterval(reload, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reload]);
}

/** The columns shared by the lists; `withLog` adds the quick "log a touch" link. */
function useLeadColumns({ withOwner, withLog, user }: { withOwner: boolean; withLog: boolean; user: User }): Column<Lead>[] {
  const { t, lang } = useI18n();
  const lookups = useOrgLookups();
  const cols: Column<Lead>[] = [
    {
      key: 'number',
      header: t('leads.number'),
      className: 'nowrap',
      render: (l) => (
        <Link to={leadPath(l)} className="strong-link mono" data-testid="lead-link" data-lead-id={l.id} data-lead-number={l.number}>
          {l.number}
        </Link>
      ),
    },
    {
      key: 'next',
      header: t('leads.nextTouch'),
      className: 'nowrap',
      render: (l) => (
        <span className="next-due">
          {l.status === 'new' || l.status === 'contacting' ? (
            <span className="next-due-name">{isFirstContact(l) ? t('leadDue.firstContact') : t('leadDue.touch')}</span>
          ) : null}
          <LeadCountdown lead={l} />
        </span>
      ),
    },
    {
      key: 'customer',
      header: t('leads.customer'),
      render: (l) =>
        l.customer ? (
          <span className="customer-cell">
            <span data-testid="lead-customer">{l.customer.name}</span> <span className="mono muted">{l.customer.phone}</span>
          </span>
        ) : (
          '—'
        ),
    },
    { key: 'grade', header: t('leads.grade'), render: (l) => <GradeBadge grade={l.grade} /> },
    { key: 'status', header: t('leads.status'), render: (l) => <LeadStatusBadge status={l.status} /> },
    { key: 'source', header: t('leads.source'), className: 'nowrap', render: (l) => t(`source.${l.source}` as const) },
    { key: 'project', header: t('leads.project'), render: (l) => l.projectName ?? lookups.projectName(l.projectId) ?? '—' },
  ];
  if (withOwner)
    cols.push({
      key: 'owner',
      header: t('leads.owner'),
      render: (l) => (l.ownerId === user.id ? user.displayName : (l.ownerName ?? (l.ownerId ? l.ownerId.slice(0, 8) : <span className="muted">{t('leads.noOwner')}</span>))),
    });
  cols.push({ key: 'last', header: t('leads.lastTouch'), className: 'nowrap', render: (l) => formatDateTime(l.lastTouchAt, lang) });
  if (withLog)
    cols.push({
      key: 'log',
      header: <span className="visually-hidden">{t('leads.logTouch')}</span>,
      className: 'nowrap',
      render: (l) =>
        l.status === 'new' || l.status === 'contacting' ? (
          <Link to={leadPath(l, true)} className="btn btn-small btn-primary" data-testid="log-touch-link" onClick={(e) => e.stopPropagation()}>
            <Icon name="touch" size={14} /> {t('leads.logTouch')}
          </Link>
        ) : null,
    });
  return cols;
}

const rowClass = (now: number) => (l: Lead) => {
  const s = dueStateOf(l, now).state;
  return s === 'breached' ? 'row-overdue' : s === 'warning' ? 'row-soon' : '';
};

// ---------------------------------------------------------------------------------------------

export function LeadsTodayPage({ user }: { user: User }) {
  const { t } = useI18n();
  const now = useNowMs();
  // The day's boundary in the group's time zone; recomputed when the list reloads after midnight.
  const [dueBefore, setDueBefore] = useState(() => endOfToday());
  const today = useAsync(
    async (signal) => leadsApi.list({ ownerId: 'me', status: WORKING, dueBefore, page: 1, pageSize: 100 }, signal),
    [dueBefore],
  );
  useAutoRefresh(today.reload);
  useEffect(() => {
    if (Date.parse(dueBefore) <= now) setDueBefore(endOfToday(now));
  }, [now, dueBefore]);

  const columns = useLeadColumns({ withOwner: false, withLog: true, user });
  const items = today.data?.items ?? [];
  const overdue = items.filter((l) => (toMs(l.nextTouchDueAt) ?? Infinity) <= now).length;

  return (
    <div className="page">
      <Card
        title={
          <span className="title-with-badges">
            {t('leads.todayTitle')}
            {overdue > 0 ? (
              <Badge tone="red" testId="overdue-count">
                {t('leads.overdue', { n: overdue })}
              </Badge>
            ) : null}
            <Badge tone="blue" testId="due-today-count">
              {t('leads.dueToday', { n: items.length - overdue })}
            </Badge>
          </span>
        }
        actions={<IconButton icon="refresh" label={t('action.refresh')} onClick={today.reload} testId="today-refresh" />}
      >
        <p className="card-intro muted">{t('leads.todayIntro')}</p>
        <ProblemAlert error={today.error} onRetry={today.reload} withCode />
        <DataTable
          testId="leads-today-table"
          columns={columns}
          rows={items}
          rowKey={(l) => l.id}
          loading={today.loading && !today.data}
          onRowClick={(l) => navigate(leadPath(l))}
          rowClassName={rowClass(now)}
          rowAttrs={(l) => ({ 'data-lead-id': l.id, 'data-state': dueStateOf(l, now).state })}
          emptyKey="leads.todayEmpty"
        />
      </Card>
      <LeadTable user={user} mode="mine" />
    </div>
  );
}

export function LeadListPage({ user }: { user: User }) {
  return (
    <div className="page">
      <LeadTable user={user} mode="all" />
    </div>
  );
}

/** A filtered, paginated list of leads: the caller's own ("mine") or every lead they may see ("all"). */
function LeadTable({ user, mode }: { user: User; mode: 'mine' | 'all' }) {
  const { t } = useI18n();
  const now = useNowMs();
  const lookups = useOrgLookups();
  const { page, pageSize, setPage, setPageSize } = usePaging();
  const [status, setStatus] = useState<string>(mode === 'mine' ? WORKING : OPEN);
  const [grade, setGrade] = useState<Grade | ''>('');
  const [owner, setOwner] = useState<'me' | ''>(mode === 'mine' ? 'me' : '');
  const [projectId, setProjectId] = useState('');
  const [query, setQuery] = useState('');
  const [q, setQ] = useState('');
  const ids = { status: useId(), grade: useId(), owner: useId(), project: useId() };

  const filters: LeadFilters = {
    status: status || undefined,
    grade: grade || undefined,
    ownerId: owner || undefined,
    projectId: projectId || undefined,
    q: q || undefined,
  };
  const list = useAsync((signal) => leadsApi.list({ ...filters, page, pageSize }, signal), [status, grade, owner, projectId, q, page, pageSize]);
  useAutoRefresh(list.reload);
  const columns = useLeadColumns({ withOwner: mode === 'all', withLog: true, user });

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
      title={mode === 'mine' ? t('leads.mineTitle') : t('leads.allTitle')}
      actions={<IconButton icon="refresh" label={t('action.refresh')} onClick={list.reload} testId="leads-refresh" />}
    >
      <p className="card-intro muted">{mode === 'mine' ? t('leads.mineIntro') : t('leads.allIntro')}</p>
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
            aria-label={t('leads.search')}
            placeholder={t('leads.search')}
            value={query}
            maxLength={40}
            onChange={(e) => {
              setQuery(e.target.value);
              if (e.target.value === '') setQ('');
            }}
          />
        </div>
        {select(
          t('leads.status'),
          ids.status,
          status,
          setStatus,
          <>
            <option value={mode === 'mine' ? WORKING : OPEN}>{t('leads.active')}</option>
            <option value="">{t('common.all')}</option>
            {LEAD_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`leadStatus.${s}` as const)}
              </option>
            ))}
          </>,
          'status',
        )}
        {select(
          t('leads.grade'),
          ids.grade,
          grade,
          (v) => setGrade(v as Grade | ''),
          <>
            <option value="">{t('common.all')}</option>
            {GRADES.map((g) => (
              <option key={g} value={g}>
                {t(`grade.${g}` as const)}
              </option>
            ))}
          </>,
          'grade',
        )}
        {mode === 'all'
          ? select(
              t('leads.owner'),
              ids.owner,
              owner,
              (v) => setOwner(v as 'me' | ''),
              <>
                <option value="">{t('leads.ownerAll')}</option>
                <option value="me">{t('leads.ownerMe')}</option>
              </>,
              'owner',
            )
          : null}
        {lookups.projects.length > 1
          ? select(
              t('leads.project'),
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
        testId={mode === 'mine' ? 'leads-mine-table' : 'leads-table'}
        columns={columns}
        rows={list.data?.items}
        rowKey={(l) => l.id}
        loading={list.loading && !list.data}
        onRowClick={(l) => navigate(leadPath(l))}
        rowClassName={rowClass(now)}
        rowAttrs={(l) => ({ 'data-lead-id': l.id, 'data-state': dueStateOf(l, now).state })}
        emptyKey="leads.empty"
      />
      <Pagination page={page} pageSize={pageSize} total={list.data?.total ?? 0} onPage={setPage} onPageSize={setPageSize} />
    </Card>
  );
}
