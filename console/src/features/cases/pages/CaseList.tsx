/**
 * 我的工单 (an agent's opened cases, a handler's assigned ones) and 工单队列 (a tier's cases) on an
 * antd Table: found by the caller's phone (any format), name or the case number; a customer and a
 * unit column; sorted by what the API sorts (the next deadline, the opening time); countdowns tick
 * every second and the list refetches by itself.
 */
import { useState } from 'react';
import { Button, Card, Checkbox, Input, Select, Space, Table, Tag, Tooltip, Typography, type TableProps } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { CASE_STATUSES, TIERS, type CaseStatus, type Tier } from '../../../../../domain/cases/types.js';
import type { CaseListItem } from '../../../../../api/cases/schemas.js';
import type { User } from '../../../api.js';
import { CaseStatusBadge, NextDueCountdown, SeverityBadge, TierBadge, categoryName } from '../../../case-ui.js';
import type { CaseFilters } from '../../../cases-api.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Link, navigate } from '../../../router.js';
import { ProblemAlert } from '../../../ui.js';
import { useCaseList, useCategoryTree } from '../api.js';
import '../i18n.js';

/** Every status but closed: what still needs work or a callback. */
const ACTIVE = 'open,contacted,waiting_on_customer,resolved';
type Sort = NonNullable<CaseFilters['sort']>;

const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

export function CaseListPage({ user, mode }: { user: User; mode: 'mine' | 'queue' }) {
  const { t, lang } = useI18n();
  const categories = useCategoryTree();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [status, setStatus] = useState<string>(ACTIVE);
  // Handlers and supervisors see their office's queue (the cases of their tier); managers filter by tier.
  const officeQueue = mode === 'queue' && (user.role === 'HANDLER' || user.role === 'SUPERVISOR');
  const [tier, setTier] = useState<Tier | ''>('');
  const [q, setQ] = useState('');
  const [breached, setBreached] = useState(false);
  const [sort, setSort] = useState<Sort>('due');

  const filters: CaseFilters = {
    status: status || undefined,
    breached: breached ? 'true' : undefined,
    q: q || undefined,
    sort,
    ...(mode === 'queue' ? (officeQueue ? { queue: 'true' as const } : { tier: tier || undefined }) : user.role === 'AGENT' ? { openedBy: 'me' } : { assigneeId: 'me' }),
  };
  const list = useCaseList({ ...filters, page, pageSize });
  const loadedAt = list.data?.loadedAt ?? Date.now();

  const columns: TableProps<CaseListItem>['columns'] = [
    {
      key: 'number',
      title: t('cases.number'),
      fixed: 'left',
      onCell: nowrap,
      render: (_, c) => (
        <Link to={`/cases/${encodeURIComponent(c.id)}`} className="strong-link mono" data-testid="case-link" data-case-id={c.id} data-case-number={c.number} onClick={(e) => e.stopPropagation()}>
          {c.number}
        </Link>
      ),
    },
    {
      key: 'due',
      title: t('cases.nextDue'),
      sorter: true,
      sortOrder: sort === 'due' ? 'ascend' : null,
      sortDirections: ['ascend'],
      onCell: nowrap,
      render: (_, c) => <NextDueCountdown sla={c.sla} status={c.status} loadedAt={loadedAt} />,
    },
    {
      key: 'customer',
      title: t('caseList.customer'),
      render: (_, c) =>
        c.customer ? (
          <span data-testid="case-customer">
            {c.customer.name}
            <br />
            <Typography.Text type="secondary" className="mono">
              {c.customer.phone}
            </Typography.Text>
          </span>
        ) : (
          '—'
        ),
    },
    { key: 'status', title: t('cases.status'), onCell: nowrap, render: (_, c) => <CaseStatusBadge status={c.status} /> },
    { key: 'tier', title: t('cases.tier'), onCell: nowrap, render: (_, c) => <TierBadge tier={c.tier} /> },
    { key: 'severity', title: t('cases.severity'), onCell: nowrap, render: (_, c) => <SeverityBadge severity={c.severity} /> },
    {
      key: 'type',
      title: t('cases.type'),
      onCell: () => ({ style: { whiteSpace: 'nowrap' }, 'data-testid': 'case-type-cell' }) as never,
      render: (_, c) => <Tag>{t(`caseType.${c.type}` as const)}</Tag>,
    },
    {
      key: 'category',
      title: t('cases.category'),
      ellipsis: { showTitle: false },
      width: 160,
      render: (_, c) => (
        <Tooltip title={categoryName(c.category, lang, categories)}>
          <span>{categoryName(c.category, lang, categories, false)}</span>
        </Tooltip>
      ),
    },
    { key: 'unit', title: t('caseList.unit'), onCell: nowrap, render: (_, c) => c.unitLabel ?? '—' },
    { key: 'project', title: t('cases.project'), onCell: nowrap, render: (_, c) => c.projectName ?? '—' },
    {
      key: 'opened',
      title: t('cases.openedAt'),
      sorter: true,
      sortOrder: sort === 'opened_asc' ? 'ascend' : sort === 'opened_desc' ? 'descend' : null,
      onCell: nowrap,
      render: (_, c) => formatDateTime(c.openedAt, lang),
    },
  ];

  const shownTier = officeQueue ? user.scope.level : tier;
  const title = mode === 'mine' ? t('cases.mineTitle') : shownTier ? t('cases.queueTitle', { tier: t(`tier.${shownTier}` as const) }) : t('nav.casesQueue');
  return (
    <div className="page">
      <Card
        title={<h2 className="card-title-h">{title}</h2>}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} data-testid="cases-refresh" aria-label={t('action.refresh')} loading={list.isFetching && !list.isLoading}>
            {t('action.refresh')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{mode === 'mine' ? t('cases.mineIntro') : t('cases.queueIntro')}</Typography.Paragraph>
        <Space wrap size={[12, 12]} style={{ marginBottom: 16 }} role="search">
          <Input.Search
            name="q"
            allowClear
            aria-label={t('caseList.search')}
            placeholder={t('caseList.search')}
            maxLength={40}
            style={{ width: 320 }}
            enterButton
            data-testid="cases-search"
            onSearch={(v) => {
              setQ(v.trim());
              setPage(1);
            }}
          />
          <Space size={6}>
            <label htmlFor="cases-status">{t('cases.filterStatus')}</label>
            <Select
              id="cases-status"
              value={status}
              style={{ width: 140 }}
              onChange={(v: string) => {
                setStatus(v);
                setPage(1);
              }}
              options={[
                { value: ACTIVE, label: t('cases.active') },
                { value: '', label: t('common.all') },
                ...CASE_STATUSES.map((s: CaseStatus) => ({ value: s, label: t(`caseStatus.${s}` as const) })),
              ]}
            />
          </Space>
          {mode === 'queue' && !officeQueue ? (
            <Space size={6}>
              <label htmlFor="cases-tier">{t('cases.tier')}</label>
              <Select
                id="cases-tier"
                value={tier}
                style={{ width: 120 }}
                onChange={(v: Tier | '') => {
                  setTier(v);
                  setPage(1);
                }}
                options={[{ value: '', label: t('common.all') }, ...TIERS.map((x) => ({ value: x, label: t(`tier.${x}` as const) }))]}
              />
            </Space>
          ) : null}
          <Checkbox
            name="breached"
            checked={breached}
            onChange={(e) => {
              setBreached(e.target.checked);
              setPage(1);
            }}
          >
            {t('cases.onlyBreached')}
          </Checkbox>
        </Space>
        {list.error ? <ProblemAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
        <Table<CaseListItem>
          data-testid={mode === 'mine' ? 'cases-mine-table' : 'cases-queue-table'}
          data-query={q}
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.page.items ?? []}
          loading={list.isLoading}
          scroll={{ x: 'max-content' }}
          onRow={(c) => ({ onClick: () => navigate(`/cases/${encodeURIComponent(c.id)}`), style: { cursor: 'pointer' } })}
          onChange={(pagination, _filters, sorter) => {
            const s = Array.isArray(sorter) ? sorter[0] : sorter;
            const next: Sort = s?.columnKey === 'opened' && s.order ? (s.order === 'ascend' ? 'opened_asc' : 'opened_desc') : 'due';
            if (next !== sort) {
              setSort(next);
              setPage(1);
            } else {
              setPage(pagination.current ?? 1);
              setPageSize(pagination.pageSize ?? 20);
            }
          }}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.page.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('caseList.total', { n: total }),
          }}
          locale={{ emptyText: q ? t('caseList.noMatch', { q }) : undefined }}
        />
      </Card>
    </div>
  );
}
