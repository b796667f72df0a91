/**
 * 我的销售 (a salesperson's sales) and 销售列表 (every sale the caller may see, for sales managers
 * and managers, with "mine / all") on the list kit (shared/table): found by sale number, buyer name
 * or phone; filtered by stage, owner and project; the API orders by the next deadline, so what is
 * late is on top; countdowns tick every second, overdue rows are red, a pending approval shows its
 * kind. Filters and page live in the address (a reload or a link keeps them), columns are chosen per
 * device, and long pages scroll virtually.
 */
import { Button, Card, Empty, Space, Tag, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { hasPermission } from '../../../../../domain/access.js';
import { FINAL_SALE_STAGES, SALE_STAGES, type SaleStage } from '../../../../../domain/sales/types.js';
import type { User } from '../../../api.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { useOrgLookups } from '../../org/lookups.js';
import { Link, navigate } from '../../../router.js';
import type { SaleFilters, SaleSummary } from '../api.js';
import { DataTable, type DataColumn } from '../../../shared/table/DataTable.js';
import { FilterBar } from '../../../shared/table/FilterBar.js';
import { useListParams } from '../../../shared/table/useListParams.js';
import { useNowMs } from '../../../shared/sla.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useSaleList } from '../api.js';
import { PendingApprovalBadge, SaleCountdown, SaleStageBadge, deadlineName, projectTimeZone, saleDueState, yuan } from '../model.js';
import '../i18n.js';
import '../sales.css';

/** The stages that still have work: everything but the three final ones. */
const OPEN = SALE_STAGES.filter((s) => !(FINAL_SALE_STAGES as readonly string[]).includes(s)).join(',');
/** The API orders sales by the next deadline only. */
type Sort = 'due';
const SORTS: readonly [Sort] = ['due'];

export const salePath = (s: Pick<SaleSummary, 'id'>) => `/sales/${encodeURIComponent(s.id)}`;

/** The buyer's name: the renamed contract name, else the customer's. */
export const buyerOf = (s: Pick<SaleSummary, 'buyerName' | 'customer'>): string | null => s.buyerName ?? s.customer?.name ?? null;

const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

export function SalesMinePage({ user }: { user: User }) {
  return <SaleTable key="mine" user={user} mode="mine" />;
}

export function SaleListPage({ user }: { user: User }) {
  return <SaleTable key="all" user={user} mode="all" />;
}

/** A filtered, paginated list of sales: the caller's own ("mine") or every sale they may see ("all"). */
function SaleTable({ user, mode }: { user: User; mode: 'mine' | 'all' }) {
  const { t, lang } = useI18n();
  const now = useNowMs();
  const lookups = useOrgLookups();
  // Sales managers own sales too: "mine / all" on the full list; managers own none.
  const canOwn = hasPermission(user.role, 'sales:work');
  const params = useListParams({ stage: OPEN, owner: '', projectId: '', q: '' }, SORTS);
  const stage = params.get('stage');
  const owner = mode === 'mine' ? 'me' : canOwn && params.get('owner') === 'me' ? 'me' : '';
  const projectId = params.get('projectId');
  const q = params.get('q');
  const { page, pageSize } = params;

  const filters: SaleFilters = {
    stage: stage || undefined,
    ownerId: owner || undefined,
    projectId: projectId || undefined,
    q: q || undefined,
  };
  const list = useSaleList({ ...filters, page, pageSize });
  const items = list.data?.items ?? [];
  const overdue = items.filter((s) => saleDueState(s.nextDeadline, s.stage, now).state === 'breached').length;
  const stageOk = (s: string) => s === OPEN || s === '' || (SALE_STAGES as readonly string[]).includes(s);

  const columns: DataColumn<SaleSummary>[] = [
    {
      key: 'number',
      title: t('sales.number'),
      fixed: 'left',
      always: true,
      width: 150,
      onCell: nowrap,
      render: (_, s) => (
        <Link to={salePath(s)} className="strong-link mono" data-testid="sale-link" data-sale-id={s.id} data-sale-number={s.number} onClick={(e) => e.stopPropagation()}>
          {s.number}
        </Link>
      ),
    },
    {
      key: 'stage',
      title: t('sales.stage'),
      always: true,
      width: 150,
      render: (_, s) => (
        <Space size={4} wrap>
          <SaleStageBadge stage={s.stage} />
          {s.pendingApproval ? <PendingApprovalBadge kind={s.pendingApproval} /> : null}
        </Space>
      ),
    },
    {
      key: 'next',
      title: t('sales.nextDeadline'),
      sort: { ascend: 'due' },
      width: 200,
      onCell: nowrap,
      render: (_, s) => (
        <span className="next-due">
          {s.nextDeadline ? <span className="next-due-name">{deadlineName(s.nextDeadline.kind, t)}</span> : null} <SaleCountdown deadline={s.nextDeadline} stage={s.stage} />
        </span>
      ),
    },
    {
      key: 'buyer',
      title: t('sales.buyer'),
      width: 160,
      render: (_, s) => (
        <span>
          <span data-testid="sale-buyer">{buyerOf(s) ?? '—'}</span>
          {s.customer ? (
            <>
              <br />
              <Typography.Text type="secondary" className="mono">
                {s.customer.phone}
              </Typography.Text>
            </>
          ) : null}
        </span>
      ),
    },
    { key: 'unit', title: t('sales.unit'), width: 160, render: (_, s) => `${s.project.name ?? lookups.projectName(s.project.id) ?? '—'} · ${s.unit.number ?? '—'}` },
    {
      key: 'owner',
      title: t('sales.owner'),
      optional: mode === 'mine',
      width: 120,
      onCell: nowrap,
      render: (_, s) => (s.owner.id === user.id ? user.displayName : (s.owner.name ?? '—')),
    },
    { key: 'price', title: t('sales.price'), align: 'right', width: 150, onCell: nowrap, render: (_, s) => yuan(s.price, lang) },
    { key: 'outstanding', title: t('sales.outstanding'), align: 'right', width: 150, onCell: nowrap, render: (_, s) => yuan(s.outstanding, lang) },
    {
      key: 'created',
      title: t('sales.createdAt'),
      optional: true,
      width: 160,
      onCell: nowrap,
      render: (_, s) => formatDateTime(s.createdAt, lang, projectTimeZone(s.project.id, lookups.projects)),
    },
  ];

  return (
    <div className="page">
      <Card
        title={
          <Space wrap size={8}>
            <h2 className="card-title-h">{mode === 'mine' ? t('sales.mineTitle') : t('sales.allTitle')}</h2>
            {overdue > 0 ? (
              <Tag color="red" data-testid="sales-overdue-count">
                {t('sales.overdue', { n: overdue })}
              </Tag>
            ) : null}
          </Space>
        }
        extra={
          <Space wrap>
            {hasPermission(user.role, 'sales:create') ? (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                href="/sales/new"
                data-testid="new-sale-link"
                onClick={(e) => {
                  e.preventDefault();
                  navigate('/sales/new');
                }}
              >
                {t('sales.new')}
              </Button>
            ) : null}
            <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} data-testid="sales-refresh" aria-label={t('action.refresh')} loading={list.isFetching && !list.isLoading}>
              {t('action.refresh')}
            </Button>
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{mode === 'mine' ? t('sales.mineIntro') : t('sales.allIntro')}</Typography.Paragraph>
        <FilterBar
          id="sales"
          testId="sales-filters"
          params={params}
          search={{ name: 'q', label: t('sales.search'), testId: 'sales-search' }}
          filters={[
            {
              name: 'stage',
              label: t('sales.stage'),
              id: 'sales-stage',
              testId: 'sales-stage-filter',
              value: stageOk(stage) ? stage : OPEN,
              width: 150,
              search: true,
              options: [
                { value: OPEN, label: t('sales.open') },
                { value: '', label: t('common.all') },
                ...SALE_STAGES.map((s: SaleStage) => ({ value: s, label: t(`saleStage.${s}` as const) })),
              ],
            },
            mode === 'all' &&
              canOwn && {
                name: 'owner',
                label: t('sales.owner'),
                id: 'sales-owner',
                value: owner,
                width: 120,
                options: [
                  { value: '', label: t('sales.ownerAll') },
                  { value: 'me', label: t('sales.ownerMe') },
                ],
              },
            lookups.projects.length > 1 && {
              name: 'projectId',
              label: t('sale.project'),
              id: 'sales-project',
              width: 180,
              search: true,
              options: [{ value: '', label: t('common.all') }, ...lookups.projects.map((p) => ({ value: p.id, label: p.name }))],
            },
          ]}
        />
        {list.error ? <ProblemAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
        <DataTable<SaleSummary, Sort>
          id={mode === 'mine' ? 'sales-mine' : 'sales'}
          testId={mode === 'mine' ? 'sales-mine-table' : 'sales-table'}
          wrapperProps={{ 'data-query': q, 'data-stage': stage }}
          rowKey="id"
          columns={columns}
          rows={list.data?.items}
          total={list.data?.total ?? 0}
          loading={list.isLoading}
          params={params}
          defaultSort="due"
          rowHref={salePath}
          rowProps={(s) => {
            const state = saleDueState(s.nextDeadline, s.stage, now).state;
            return { className: state === 'breached' ? 'row-overdue' : state === 'warning' ? 'row-soon' : '', 'data-sale-id': s.id, 'data-stage': s.stage, 'data-state': state };
          }}
          // antd's Empty keeps AA contrast; a bare string would be drawn in its pale placeholder grey.
          emptyText={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={q ? t('sales.noMatch', { q }) : t('sales.empty')} />}
        />
      </Card>
    </div>
  );
}
