/**
 * 线索公共池 (sales managers): leads that lapsed without a touch, or had nobody to go to, with how
 * long they have waited and an assign-to picker of the sales team who may own them. On the list kit
 * (page and size in the address, column chooser, virtual rows for long pages); refetches by itself.
 */
import { App, Button, Card, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import type { User } from '../../../api.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Link } from '../../../router.js';
import { DataTable, type DataColumn } from '../../../shared/table/DataTable.js';
import { useListParams } from '../../../shared/table/useListParams.js';
import { formatDuration, toMs, useNowMs } from '../../../shared/sla.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useLeadList, useLeadProjects, useSalesStaff, type Lead } from '../api.js';
import { AssignControl } from '../components/LeadActions.js';
import { GradeBadge } from '../components/lead-ui.js';
import { useHandledRows } from '../components/useHandledRows.js';

const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

export function LeadPoolPage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const now = useNowMs();
  const { projectName } = useLeadProjects();
  const staff = useSalesStaff(user);
  const params = useListParams({}, ['due'] as const);
  const list = useLeadList({ status: 'pooled', page: params.page, pageSize: params.pageSize }, { refetchInterval: 15_000 });
  const { message } = App.useApp();
  // Assigned here: off the pool until the pool's list agrees (its read model follows the workflow).
  const handled = useHandledRows(list);
  const columns: DataColumn<Lead>[] = [
    {
      key: 'number',
      title: t('leads.number'),
      always: true,
      fixed: 'left',
      width: 150,
      onCell: nowrap,
      render: (_, l) => (
        <Link to={`/leads/${encodeURIComponent(l.id)}`} className="strong-link mono" data-testid="lead-link" data-lead-id={l.id}>
          {l.number}
        </Link>
      ),
    },
    {
      key: 'customer',
      title: t('leads.customer'),
      width: 150,
      render: (_, l) =>
        l.customer ? (
          <span>
            {l.customer.name}
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
    { key: 'source', title: t('leads.source'), width: 100, onCell: nowrap, render: (_, l) => <Tag>{t(`source.${l.source}` as const)}</Tag> },
    { key: 'project', title: t('leads.project'), width: 140, render: (_, l) => l.projectName ?? projectName(l.projectId) ?? '—' },
    { key: 'touches', title: t('leads.touches'), width: 80, align: 'right', render: (_, l) => String(l.touchCount) },
    { key: 'pooledAt', title: t('pool.pooledAt'), width: 160, optional: true, onCell: nowrap, render: (_, l) => formatDateTime(l.pooledAt, lang) },
    {
      key: 'waiting',
      title: t('pool.waiting'),
      width: 130,
      onCell: nowrap,
      render: (_, l) => {
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
      title: t('lead.assignTo'),
      always: true,
      width: 320,
      render: (_, l) => (
        <AssignControl
          lead={l}
          staff={staff.staff}
          staffLoading={staff.loading}
          onDone={(_updated, owner) => {
            handled.handle(l.id);
            const content = <span data-testid="action-confirmation">{t('pool.assigned', { number: l.number, name: owner?.displayName ?? '' })}</span>;
            // One message per lead: two assignments in a row both stay readable.
            void message.success({ content, key: `lead-assigned-${l.id}`, duration: 8 });
          }}
        />
      ),
    },
  ];

  return (
    <div className="page">
      <Card
        title={<h2 className="card-title-h">{t('pool.title')}</h2>}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} data-testid="pool-refresh" loading={list.isFetching && !list.isLoading}>
            {t('action.refresh')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('pool.intro')}</Typography.Paragraph>
        {list.error ? <ProblemAlert error={list.error} onRetry={() => void list.refetch()} withCode /> : null}
        {staff.error ? <ProblemAlert error={staff.error} withCode /> : null}
        <DataTable<Lead, 'due'>
          id="pool"
          rowKey="id"
          columns={columns}
          rows={handled.items}
          total={handled.total}
          loading={list.isLoading}
          params={params}
          defaultSort="due"
          emptyText={<Typography.Text type="secondary">{t('pool.empty')}</Typography.Text>}
        />
      </Card>
    </div>
  );
}
