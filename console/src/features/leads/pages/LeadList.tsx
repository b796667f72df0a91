/**
 * 今日跟进 (a salesperson's day: what is overdue or due today, then every lead they own) and
 * 线索列表 (every lead the caller may see, with filters), on the list kit (shared/table): filters and
 * page in the address (a reload or a shared link opens the list as it was), a column chooser, virtual
 * rows for long pages. The API orders by the next touch due, so what is late is on top; countdowns
 * tick every second, overdue ones are red, and the lists refetch by themselves.
 */
import { useEffect, useState } from 'react';
import { Button, Card, Space, Table, Tag, Typography, type TableColumnType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { GRADES, LEAD_STATUSES, type Grade } from '../../../../../domain/leads/types.js';
import type { User } from '../../../api.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Icon } from '../../../shared/icons.js';
import { Link } from '../../../router.js';
import { DataTable, type DataColumn } from '../../../shared/table/DataTable.js';
import { FilterBar } from '../../../shared/table/FilterBar.js';
import { useListParams } from '../../../shared/table/useListParams.js';
import { toMs, useNowMs } from '../../../shared/sla.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useLeadList, useLeadProjects, type Lead, type LeadFilters } from '../api.js';
import { GradeBadge, LeadCountdown, LeadStatusBadge, endOfToday, isFirstContact } from '../components/lead-ui.js';

/** The statuses a salesperson works: in the cadence. */
const WORKING = 'new,contacting';
/** Every status that still needs someone: in the cadence, in the pool, or awaiting the loss review. */
const OPEN = 'new,contacting,pooled,lost_pending_review';
/** The API orders leads by the next touch due; there is no other sort. */
const SORTS = ['due'] as const;

const leadPath = (l: Pick<Lead, 'id'>, log = false) => `/leads/${encodeURIComponent(l.id)}${log ? '?log=1' : ''}`;
const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });
const isWorking = (l: Pick<Lead, 'status'>) => l.status === 'new' || l.status === 'contacting';

/** The columns shared by the lists; the owner column only where others' leads show. */
function useLeadColumns({ withOwner, user }: { withOwner: boolean; user: User }): DataColumn<Lead>[] {
  const { t, lang } = useI18n();
  const { projectName } = useLeadProjects();
  const cols: DataColumn<Lead>[] = [
    {
      key: 'number',
      title: t('leads.number'),
      always: true,
      fixed: 'left',
      width: 150,
      onCell: nowrap,
      render: (_, l) => (
        <Link to={leadPath(l)} className="strong-link mono" data-testid="lead-link" data-lead-id={l.id} data-lead-number={l.number} onClick={(e) => e.stopPropagation()}>
          {l.number}
        </Link>
      ),
    },
    {
      key: 'next',
      title: t('leads.nextTouch'),
      always: true,
      width: 190,
      onCell: nowrap,
      render: (_, l) => (
        <span className="next-due">
          {isWorking(l) ? <span className="next-due-name">{isFirstContact(l) ? t('leadDue.firstContact') : t('leadDue.touch')}</span> : null}
          <LeadCountdown lead={l} />
        </span>
      ),
    },
    {
      key: 'customer',
      title: t('leads.customer'),
      width: 150,
      render: (_, l) =>
        l.customer ? (
          <span>
            <span data-testid="lead-customer">{l.customer.name}</span>
            <br />
            <Typography.Text type="secondary" className="mono">
              {l.customer.phone}
            </Typography.Text>
          </span>
        ) : (
          '—'
        ),
    },
    { key: 'grade', title: t('leads.grade'), width: 80, onCell: nowrap, render: (_, l) => <GradeBadge grade={l.grade} /> },
    { key: 'status', title: t('leads.status'), width: 110, onCell: nowrap, render: (_, l) => <LeadStatusBadge status={l.status} /> },
    { key: 'source', title: t('leads.source'), optional: true, width: 100, onCell: nowrap, render: (_, l) => <Tag>{t(`source.${l.source}` as const)}</Tag> },
    { key: 'project', title: t('leads.project'), width: 140, render: (_, l) => l.projectName ?? projectName(l.projectId) ?? '—' },
  ];
  if (withOwner)
    cols.push({
      key: 'owner',
      title: t('leads.owner'),
      width: 130,
      render: (_, l) =>
        l.ownerId === user.id ? user.displayName : (l.ownerName ?? (l.ownerId ? '—' : <Typography.Text type="secondary">{t('leads.noOwner')}</Typography.Text>)),
    });
  cols.push(
    { key: 'last', title: t('leads.lastTouch'), optional: true, width: 160, onCell: nowrap, render: (_, l) => formatDateTime(l.lastTouchAt, lang) },
    {
      key: 'log',
      title: <span className="visually-hidden">{t('leads.logTouch')}</span>,
      width: 130,
      onCell: nowrap,
      render: (_, l) =>
        isWorking(l) ? (
          <Link to={leadPath(l, true)} className="btn btn-small btn-primary" data-testid="log-touch-link" onClick={(e) => e.stopPropagation()}>
            <Icon name="touch" size={14} /> {t('leads.logTouch')}
          </Link>
        ) : null,
    },
  );
  return cols;
}

// ---------------------------------------------------------------------------------------------

export function LeadsTodayPage({ user }: { user: User }) {
  const { t } = useI18n();
  const now = useNowMs();
  // The day's boundary in the group's time zone; moves on after midnight.
  const [dueBefore, setDueBefore] = useState(() => endOfToday());
  useEffect(() => {
    if (Date.parse(dueBefore) <= now) setDueBefore(endOfToday(now));
  }, [now, dueBefore]);
  const today = useLeadList({ ownerId: 'me', status: WORKING, dueBefore, page: 1, pageSize: 100 });
  // The short list of the day shows the chooser's default columns (the source and last touch are a click away below).
  const columns = useLeadColumns({ withOwner: false, user })
    .filter((c) => !c.optional)
    .map(({ always: _a, optional: _o, sort: _s, ...c }) => c as TableColumnType<Lead>);
  const items = today.data?.items ?? [];
  const overdue = items.filter((l) => (toMs(l.nextTouchDueAt) ?? Infinity) <= now).length;

  return (
    <div className="page">
      <Card
        title={
          <Space wrap size={8}>
            <h2 className="card-title-h">{t('leads.todayTitle')}</h2>
            {overdue > 0 ? (
              <Tag color="red" data-testid="overdue-count">
                {t('leads.overdue', { n: overdue })}
              </Tag>
            ) : null}
            <Tag color="blue" data-testid="due-today-count">
              {t('leads.dueToday', { n: items.length - overdue })}
            </Tag>
          </Space>
        }
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void today.refetch()} data-testid="today-refresh" loading={today.isFetching && !today.isLoading}>
            {t('action.refresh')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('leads.todayIntro')}</Typography.Paragraph>
        {today.error ? <ProblemAlert error={today.error} onRetry={() => void today.refetch()} withCode /> : null}
        <div data-testid="leads-today-table">
          <Table<Lead>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={items}
            loading={today.isLoading}
            pagination={false}
            // An empty table is not scrollable (axe: a scrollable region needs focusable content).
            scroll={items.length > 0 ? { x: 'max-content' } : undefined}
            locale={{ emptyText: <Typography.Text type="secondary">{t('leads.todayEmpty')}</Typography.Text> }}
          />
        </div>
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
  const { projects } = useLeadProjects();
  const active = mode === 'mine' ? WORKING : OPEN;
  const params = useListParams({ status: active, grade: '', owner: mode === 'mine' ? 'me' : '', project: '', q: '' }, SORTS);
  const status = params.get('status');
  const grade = (GRADES as readonly string[]).includes(params.get('grade')) ? (params.get('grade') as Grade) : '';
  const owner = mode === 'mine' || params.get('owner') === 'me' ? 'me' : '';
  const projectId = params.get('project');
  const q = params.get('q');
  const { page, pageSize } = params;

  const filters: LeadFilters = {
    status: status || undefined,
    grade: grade || undefined,
    ownerId: owner || undefined,
    projectId: projectId || undefined,
    q: q || undefined,
  };
  const list = useLeadList({ ...filters, page, pageSize });
  const columns = useLeadColumns({ withOwner: mode === 'all', user });
  const id = mode === 'mine' ? 'leads-mine' : 'leads';

  return (
    <Card
      title={<h2 className="card-title-h">{mode === 'mine' ? t('leads.mineTitle') : t('leads.allTitle')}</h2>}
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} data-testid="leads-refresh" loading={list.isFetching && !list.isLoading}>
          {t('action.refresh')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{mode === 'mine' ? t('leads.mineIntro') : t('leads.allIntro')}</Typography.Paragraph>
      <FilterBar
        id={id}
        testId={`${id}-filters`}
        params={params}
        search={{ name: 'q', label: t('leads.search'), testId: 'leads-search' }}
        filters={[
          {
            name: 'status',
            label: t('leads.status'),
            testId: 'filter-status',
            options: [
              { value: active, label: t('leads.active') },
              { value: '', label: t('common.all') },
              ...LEAD_STATUSES.map((s) => ({ value: s, label: t(`leadStatus.${s}` as const) })),
            ],
          },
          {
            name: 'grade',
            label: t('leads.grade'),
            testId: 'filter-grade',
            value: grade,
            width: 100,
            options: [{ value: '', label: t('common.all') }, ...GRADES.map((g) => ({ value: g, label: t(`grade.${g}` as const) }))],
          },
          mode === 'all' && {
            name: 'owner',
            label: t('leads.owner'),
            testId: 'filter-owner',
            value: owner,
            width: 130,
            options: [
              { value: '', label: t('leads.ownerAll') },
              { value: 'me', label: t('leads.ownerMe') },
            ],
          },
          projects.length > 1 && {
            name: 'project',
            label: t('leads.project'),
            testId: 'filter-project',
            width: 180,
            search: true,
            options: [{ value: '', label: t('common.all') }, ...projects.map((p) => ({ value: p.id, label: p.name }))],
          },
        ]}
      />
      {list.error ? <ProblemAlert error={list.error} onRetry={() => void list.refetch()} withCode /> : null}
      <DataTable<Lead, 'due'>
        id={id}
        wrapperProps={{ 'data-query': q, 'data-status': status, 'data-grade': grade }}
        rowKey="id"
        columns={columns}
        rows={list.data?.items}
        total={list.data?.total ?? 0}
        loading={list.isLoading}
        params={params}
        defaultSort="due"
        rowHref={(l) => leadPath(l)}
        emptyText={<Typography.Text type="secondary">{t('leads.empty')}</Typography.Text>}
      />
    </Card>
  );
}
