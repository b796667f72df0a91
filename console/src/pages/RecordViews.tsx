import { useId, useState } from 'react';
import { api, type User } from '../api.js';
import { formatDateTime } from '../format.js';
import { useI18n } from '../i18n.js';
import { Icon } from '../icons.js';
import { calendarDate, nextCalendarDate, startOfDay } from '../lead-ui.js';
import { RECORD_KINDS, recordViewsApi, whoViewedPath, type RecordKind, type RecordView, type RecordViewFilters } from '../record-views-api.js';
import { Link, navigate } from '../router.js';
import { Badge, Card, DataTable, IconButton, Pagination, ProblemAlert, downloadBlob, useAsync, usePaging, type Column } from '../ui.js';

interface Draft {
  userId: string;
  kind: RecordKind | '';
  from: string;
  to: string;
}

/** The console page a record is opened on, for the kinds that have one. */
function recordPath(v: RecordView): string | null {
  switch (v.record.kind) {
    case 'case':
      return `/cases/${encodeURIComponent(v.record.id)}`;
    case 'lead':
      return `/leads/${encodeURIComponent(v.record.id)}`;
    case 'sale':
      return `/sales/${encodeURIComponent(v.record.id)}`;
    default:
      return null;
  }
}

/**
 * 查看记录: who viewed which customer's full record, when, through what, with the contact details
 * whole or masked. Filtered by viewer, kind and days; `?customerId=` (from "who viewed this" links)
 * narrows it to one customer. Reading it records nothing: the page never opens a customer's record.
 */
export function RecordViewsPage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const { page, pageSize, setPage, setPageSize } = usePaging();
  const [customerId, setCustomerId] = useState(() => new URLSearchParams(window.location.search).get('customerId') ?? '');
  const [draft, setDraft] = useState<Draft>(() => ({ userId: new URLSearchParams(window.location.search).get('userId') ?? '', kind: '', from: '', to: '' }));
  const [applied, setApplied] = useState<Draft>(draft);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const ids = { user: useId(), kind: useId(), from: useId(), to: useId() };
  const today = calendarDate(Date.now());

  const filters: RecordViewFilters = {
    ...(applied.userId ? { userId: applied.userId } : {}),
    ...(customerId ? { customerId } : {}),
    ...(applied.kind ? { kind: applied.kind } : {}),
    ...(applied.from ? { from: startOfDay(applied.from) } : {}),
    ...(applied.to ? { to: startOfDay(nextCalendarDate(applied.to)) } : {}),
  };
  const list = useAsync((signal) => recordViewsApi.list({ ...filters, page, pageSize }, signal), [JSON.stringify(filters), page, pageSize]);
  // Staff of the reader's scope for the viewer filter (users:read, which every reader of the log holds).
  const staff = useAsync((signal) => api.users({ page: 1, pageSize: 200 }, signal), [user.id]);

  const customerName = list.data?.items.find((v) => v.customer?.id === customerId)?.customer?.name ?? customerId.slice(0, 8);

  const clearCustomer = () => {
    setCustomerId('');
    setPage(1);
    navigate('/record-views', { replace: true });
  };

  const exportCsv = () => {
    setExportError(null);
    setExporting(true);
    downloadBlob(recordViewsApi.csv(filters), `record-views-${calendarDate(Date.now())}.csv`)
      .catch(setExportError)
      .finally(() => setExporting(false));
  };

  const columns: Column<RecordView>[] = [
    { key: 'viewedAt', header: t('recordViews.viewedAt'), className: 'nowrap', render: (v) => formatDateTime(v.viewedAt, lang) },
    {
      key: 'viewer',
      header: t('recordViews.viewer'),
      render: (v) => (
        <span data-testid="record-view-viewer">
          <strong>{v.viewer.name ?? v.viewer.id.slice(0, 8)}</strong> <span className="muted">{t(`role.${v.viewer.role}` as const)}</span>
        </span>
      ),
    },
    {
      key: 'customer',
      header: t('recordViews.customer'),
      render: (v) => <span data-testid="record-view-customer">{v.customer ? (v.customer.name ?? v.customer.id.slice(0, 8)) : '—'}</span>,
    },
    {
      key: 'record',
      header: t('recordViews.record'),
      render: (v) => {
        const path = recordPath(v);
        const label = `${t(`recordViews.kind.${v.record.kind}` as const)}${v.record.number ? ` ${v.record.number}` : ''}`;
        return <span data-testid="record-view-record">{path ? <Link to={path}>{label}</Link> : label}</span>;
      },
    },
    { key: 'project', header: t('recordViews.project'), render: (v) => v.project?.name ?? '—' },
    {
      key: 'contact',
      header: t('recordViews.contact'),
      render: (v) =>
        v.contactShown ? <Badge tone="amber">{t('recordViews.contactWhole')}</Badge> : <Badge tone="grey">{t('recordViews.contactMasked')}</Badge>,
    },
    { key: 'requestId', header: t('recordViews.requestId'), render: (v) => <span className="mono muted">{v.requestId ?? '—'}</span> },
  ];

  return (
    <div className="page">
      <Card title={t('recordViews.title')} actions={<IconButton icon="refresh" label={t('action.refresh')} onClick={list.reload} />}>
        <p className="card-intro muted">{t('recordViews.intro')}</p>
        {customerId ? (
          <p className="toolbar" data-testid="record-views-customer-filter">
            <Badge tone="blue">{t('recordViews.customerFilter', { name: customerName })}</Badge>
            <button type="button" className="btn btn-ghost btn-small" onClick={clearCustomer}>
              {t('action.clear')}
            </button>
          </p>
        ) : null}
        <form
          className="toolbar dashboard-filters"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied(draft);
            setPage(1);
          }}
        >
          <div className="inline-field">
            <label htmlFor={ids.user}>{t('recordViews.user')}</label>
            <select id={ids.user} name="userId" value={draft.userId} onChange={(e) => setDraft({ ...draft, userId: e.target.value })}>
              <option value="">{t('recordViews.anyone')}</option>
              {(staff.data?.items ?? []).map((u) => (
                <option key={u.id} value={u.id}>
                  {u.displayName} ({u.username})
                </option>
              ))}
            </select>
          </div>
          <div className="inline-field">
            <label htmlFor={ids.kind}>{t('recordViews.kind')}</label>
            <select id={ids.kind} name="kind" value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as RecordKind | '' })}>
              <option value="">{t('common.all')}</option>
              {RECORD_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`recordViews.kind.${k}` as const)}
                </option>
              ))}
            </select>
          </div>
          <div className="inline-field">
            <label htmlFor={ids.from}>{t('sla.from')}</label>
            <input id={ids.from} name="from" type="date" value={draft.from} max={draft.to || today} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
          </div>
          <div className="inline-field">
            <label htmlFor={ids.to}>{t('sla.to')}</label>
            <input id={ids.to} name="to" type="date" value={draft.to} min={draft.from || undefined} max={today} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
          </div>
          <button type="submit" className="btn" data-testid="record-views-apply">
            {t('sla.apply')}
          </button>
          {list.loading ? <span className="spinner spinner-inline" role="status" aria-label={t('app.loading')} /> : null}
          <span className="toolbar-spacer" />
          <button type="button" className="btn" data-testid="record-views-export" onClick={exportCsv} disabled={exporting}>
            {exporting ? <span className="spinner spinner-inline" aria-hidden="true" /> : <Icon name="download" size={16} />} {t('sla.export')}
          </button>
        </form>
        <ProblemAlert error={list.error ?? exportError} onRetry={list.reload} />
        <DataTable
          testId="record-views-table"
          columns={columns}
          rows={list.data?.items}
          rowKey={(v) => v.id}
          loading={list.loading}
          emptyKey="recordViews.empty"
        />
        <Pagination page={page} pageSize={pageSize} total={list.data?.total ?? 0} onPage={setPage} onPageSize={setPageSize} />
      </Card>
    </div>
  );
}

/** "谁查看过 / Who viewed this": a link to the log narrowed to one customer, for those who may read it. */
export function WhoViewedLink({ customerId, testId }: { customerId: string; testId?: string }) {
  const { t } = useI18n();
  return (
    <Link to={whoViewedPath(customerId)} className="btn btn-ghost btn-small" data-testid={testId ?? 'who-viewed'}>
      <Icon name="review" size={14} /> {t('recordViews.whoViewed')}
    </Link>
  );
}
