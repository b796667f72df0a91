/**
 * 我的工单 (an agent's opened cases, a handler's assigned ones) and 工单队列 (a tier's cases) on an
 * antd Table: found by the caller's phone (any format), name or the case number; a customer and a
 * unit column; sorted by what the API sorts (the next deadline, the opening time); countdowns tick
 * every second and the list refetches by itself. Filters, sort and page are in the address (a link
 * opens the list as it was); columns are chosen per device; long pages scroll virtually (shared/table).
 */
import { Button, Card, Checkbox, Input, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { CASE_STATUSES, TIERS, type CaseStatus, type Tier } from '../../../../../domain/cases/types.js';
import type { CaseListItem } from '../../../../../api/cases/schemas.js';
import type { User } from '../../../api.js';
import { StatusTag } from '../../../shared/StatusTag.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Link } from '../../../router.js';
import { DataTable, type DataColumn } from '../../../shared/table/DataTable.js';
import { useListParams } from '../../../shared/table/useListParams.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useCaseList, useCategoryTree, type CaseFilters } from '../api.js';
import { categoryName } from '../categories.js';
import { NextDueCountdown } from '../components/Countdown.js';
import '../i18n.js';

/** Every status but closed: what still needs work or a callback. */
const ACTIVE = 'open,contacted,waiting_on_customer,resolved';
type Sort = NonNullable<CaseFilters['sort']>;
const SORTS: readonly [Sort, ...Sort[]] = ['due', 'opened_asc', 'opened_desc'];

const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

export function CaseListPage({ user, mode }: { user: User; mode: 'mine' | 'queue' }) {
  const { t, lang } = useI18n();
  const categories = useCategoryTree();
  // Handlers and supervisors see their office's queue (the cases of their tier); managers filter by tier.
  const officeQueue = mode === 'queue' && (user.role === 'HANDLER' || user.role === 'SUPERVISOR');
  const params = useListParams({ status: ACTIVE, tier: '', q: '', breached: '' }, SORTS);
  const status = params.get('status');
  const tier = (TIERS as readonly string[]).includes(params.get('tier')) ? (params.get('tier') as Tier) : '';
  const q = params.get('q');
  const breached = params.get('breached') === 'true';
  const { sort, page, pageSize } = params;

  const filters: CaseFilters = {
    status: status || undefined,
    breached: breached ? 'true' : undefined,
    q: q || undefined,
    sort,
    ...(mode === 'queue' ? (officeQueue ? { queue: 'true' as const } : { tier: tier || undefined }) : user.role === 'AGENT' ? { openedBy: 'me' } : { assigneeId: 'me' }),
  };
  const list = useCaseList({ ...filters, page, pageSize });
  const loadedAt = list.data?.loadedAt ?? Date.now();

  const columns: DataColumn<CaseListItem>[] = [
    {
      key: 'number',
      title: t('cases.number'),
      fixed: 'left',
      always: true,
      width: 150,
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
      sort: { ascend: 'due' },
      width: 170,
      onCell: nowrap,
      render: (_, c) => <NextDueCountdown sla={c.sla} status={c.status} loadedAt={loadedAt} />,
    },
    {
      key: 'customer',
      title: t('caseList.customer'),
      width: 150,
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
    { key: 'status', title: t('cases.status'), always: true, width: 110, onCell: nowrap, render: (_, c) => <StatusTag kind="case" status={c.status} testId="case-status" /> },
    { key: 'tier', title: t('cases.tier'), width: 100, onCell: nowrap, render: (_, c) => <StatusTag kind="tier" status={c.tier} testId="case-tier" /> },
    { key: 'severity', title: t('cases.severity'), width: 100, onCell: nowrap, render: (_, c) => <StatusTag kind="severity" status={c.severity} /> },
    {
      key: 'type',
      title: t('cases.type'),
      width: 90,
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
    { key: 'unit', title: t('caseList.unit'), width: 110, onCell: nowrap, render: (_, c) => c.unit?.label ?? '—' },
    { key: 'project', title: t('cases.project'), optional: mode === 'mine', width: 140, onCell: nowrap, render: (_, c) => c.projectName ?? '—' },
    {
      key: 'opened',
      title: t('cases.openedAt'),
      sort: { ascend: 'opened_asc', descend: 'opened_desc' },
      width: 160,
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
            key={q}
            defaultValue={q}
            onSearch={(v) => params.set({ q: v.trim() })}
          />
          <Space size={6}>
            <label htmlFor="cases-status">{t('cases.filterStatus')}</label>
            <Select
              id="cases-status"
              value={status}
              style={{ width: 140 }}
              onChange={(v: string) => params.set({ status: v })}
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
                onChange={(v: Tier | '') => params.set({ tier: v })}
                options={[{ value: '', label: t('common.all') }, ...TIERS.map((x) => ({ value: x, label: t(`tier.${x}` as const) }))]}
              />
            </Space>
          ) : null}
          <Checkbox
            name="breached"
            checked={breached}
            onChange={(e) => params.set({ breached: e.target.checked ? 'true' : '' })}
          >
            {t('cases.onlyBreached')}
          </Checkbox>
        </Space>
        {list.error ? <ProblemAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
        <DataTable<CaseListItem, Sort>
          id={mode === 'mine' ? 'cases-mine' : 'cases-queue'}
          wrapperProps={{ 'data-query': q }}
          rowKey="id"
          columns={columns}
          rows={list.data?.page.items}
          total={list.data?.page.total ?? 0}
          loading={list.isLoading}
          params={params}
          defaultSort="due"
          rowHref={(c) => `/cases/${encodeURIComponent(c.id)}`}
          emptyText={q ? t('caseList.noMatch', { q }) : undefined}
        />
      </Card>
    </div>
  );
}
