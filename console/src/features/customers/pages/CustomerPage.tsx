/**
 * 客户 (the agent's customer page): who the customer is — phone masked per role, consent — and what
 * we have with them in the user's scope: cases, leads, sales (each a small table linking to the
 * record) and units. Opening it is a view of the customer's record: the server logs it, and a
 * manager sees "who viewed" here as on the list.
 */
import type { ReactNode } from 'react';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Card, Descriptions, Empty, Skeleton, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { hasPermission } from '../../../../../domain/access.js';
import { ApiError, type User } from '../../../api.js';
import { formatDate, formatDateTime } from '../../../format.js';
import { useI18n, type MessageKey } from '../../../i18n.js';
import { mayReadRecordViews, WhoViewedLink } from '../../../shared/record-views.js';
import { Link } from '../../../router.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { StatusTag } from '../../../shared/StatusTag.js';
import { useCustomerRecords, type CustomerRecords, type CustomerUnit } from '../api.js';
import '../i18n.js';

type CaseRow = NonNullable<CustomerRecords['cases']>['items'][number];
type LeadRow = NonNullable<CustomerRecords['leads']>['items'][number];
type SaleRow = NonNullable<CustomerRecords['sales']>['items'][number];

function Section<T extends object>({
  title,
  testId,
  group,
  columns,
  emptyKey,
}: {
  title: MessageKey;
  testId: string;
  group: { items: T[]; total: number } | null;
  columns: TableColumnsType<T>;
  emptyKey: MessageKey;
}) {
  const { t } = useI18n();
  if (!group) return null;
  return (
    <Card
      size="small"
      title={
        <h3 className="card-title">
          {t(title)} <Tag>{t('customer.count', { n: group.total })}</Tag>
        </h3>
      }
      data-testid={testId}
    >
      <Table<T>
        rowKey={(r) => (r as { id: string }).id}
        columns={columns}
        dataSource={group.items}
        pagination={false}
        size="small"
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span className="muted">{t(emptyKey)}</span>} /> }}
      />
      {group.total > group.items.length ? (
        <Typography.Paragraph className="table-foot muted">
          {t('customer.showing', { shown: group.items.length, total: group.total })}
        </Typography.Paragraph>
      ) : null}
    </Card>
  );
}

function RecordLink({ to, children, testId }: { to: string; children: ReactNode; testId: string }) {
  return (
    <Link to={to} className="strong-link mono" data-testid={testId}>
      {children}
    </Link>
  );
}

export function CustomerPage({ user, id }: { user: User; id: string }) {
  const { t, lang } = useI18n();
  const records = useCustomerRecords(id);
  const data = records.data;

  const caseColumns: TableColumnsType<CaseRow> = [
    { key: 'number', title: t('customer.col.number'), render: (_, c) => <RecordLink to={`/cases/${encodeURIComponent(c.id)}`} testId="customer-case">{c.number}</RecordLink> },
    { key: 'status', title: t('customer.col.status'), render: (_, c) => <StatusTag kind="case" status={c.status} /> },
    { key: 'type', title: t('customer.col.type'), render: (_, c) => t(`caseType.${c.type}`) },
    { key: 'project', title: t('customer.col.project'), render: (_, c) => c.projectName ?? '—' },
    { key: 'unit', title: t('customer.col.unit'), render: (_, c) => c.unit?.label ?? '—' },
    { key: 'opened', title: t('customer.col.opened'), className: 'nowrap', render: (_, c) => formatDateTime(c.openedAt, lang) },
  ];
  const leadColumns: TableColumnsType<LeadRow> = [
    { key: 'number', title: t('customer.col.number'), render: (_, l) => <RecordLink to={`/leads/${encodeURIComponent(l.id)}`} testId="customer-lead">{l.number}</RecordLink> },
    { key: 'status', title: t('customer.col.status'), render: (_, l) => <StatusTag kind="lead" status={l.status} /> },
    { key: 'grade', title: t('customer.col.grade'), render: (_, l) => t(`grade.${l.grade}`) },
    { key: 'project', title: t('customer.col.project'), render: (_, l) => l.projectName ?? '—' },
    { key: 'owner', title: t('customer.col.owner'), render: (_, l) => l.ownerName ?? '—' },
    { key: 'created', title: t('customer.col.created'), className: 'nowrap', render: (_, l) => formatDateTime(l.createdAt, lang) },
  ];
  const saleColumns: TableColumnsType<SaleRow> = [
    { key: 'number', title: t('customer.col.number'), render: (_, s) => <RecordLink to={`/sales/${encodeURIComponent(s.id)}`} testId="customer-sale">{s.number}</RecordLink> },
    { key: 'stage', title: t('customer.col.stage'), render: (_, s) => <StatusTag kind="sale" status={s.stage} /> },
    { key: 'project', title: t('customer.col.project'), render: (_, s) => s.project.name ?? '—' },
    { key: 'unit', title: t('customer.col.unit'), render: (_, s) => s.unit.number ?? '—' },
    { key: 'owner', title: t('customer.col.owner'), render: (_, s) => s.owner.name ?? '—' },
    { key: 'created', title: t('customer.col.created'), className: 'nowrap', render: (_, s) => formatDate(s.createdAt, lang) },
  ];
  const unitColumns: TableColumnsType<CustomerUnit> = [
    { key: 'label', title: t('customer.col.unit'), render: (_, u) => <strong data-testid="customer-unit">{u.label}</strong> },
    { key: 'project', title: t('customer.col.project'), render: (_, u) => <Link to={`/projects/${encodeURIComponent(u.projectId)}`}>{u.projectName}</Link> },
    { key: 'floor', title: t('customer.col.floor'), render: (_, u) => u.floor },
    { key: 'status', title: t('customer.col.status'), render: (_, u) => <StatusTag kind="unit" status={u.status} /> },
    { key: 'relation', title: t('customer.col.relation'), render: (_, u) => t(`customer.relation.${u.relation}`) },
    {
      key: 'sale',
      title: t('customer.col.sale'),
      render: (_, u) => (u.saleId ? <Link to={`/sales/${encodeURIComponent(u.saleId)}`}>{t('customer.col.sale')}</Link> : '—'),
    },
  ];

  const backLink = (
    <Link to="/customers" className="back-link">
      <ArrowLeftOutlined aria-hidden="true" /> {t('customer.back')}
    </Link>
  );

  if (records.isError) {
    const notFound = records.error instanceof ApiError && records.error.status === 404;
    return (
      <div className="page">
        {backLink}
        {notFound ? <Empty description={<span className="muted">{t('customer.notFound')}</span>} /> : <ProblemAlert error={records.error} onRetry={() => void records.refetch()} />}
      </div>
    );
  }
  if (!data) {
    return (
      <div className="page is-loading">
        {backLink}
        <Card>
          <Skeleton active />
        </Card>
      </div>
    );
  }

  const c = data.customer;
  const callsBack = hasPermission(user.role, 'customers:read-contact');
  return (
    <div className="page customer-page" data-testid="customer-page" data-customer-id={c.id}>
      {backLink}
      <Card
        title={
          <h2 className="card-title" data-testid="customer-page-name">
            {c.name}
          </h2>
        }
        extra={mayReadRecordViews(user) ? <WhoViewedLink customerId={c.id} /> : null}
      >
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} styles={{ label: { color: 'var(--text-2)' } }}>
          <Descriptions.Item label={t('customers.phone')}>
            <Space size={6} wrap>
              <span className="mono" data-testid="customer-page-phone">
                {c.phone}
              </span>
              {!callsBack && c.phone.includes('*') ? <span className="muted">{t('customer.phoneMasked')}</span> : null}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('customers.email')}>{c.email ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('customers.consent')}>
            {c.consentToContact ? <Tag color="#237804">{t('customer.consentYes')}</Tag> : <Tag>{t('customer.consentNo')}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t('customers.createdAt')}>{formatDateTime(c.createdAt, lang)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Section title="customer.cases" testId="customer-cases" group={data.cases} columns={caseColumns} emptyKey="customer.noCases" />
      <Section title="customer.leads" testId="customer-leads" group={data.leads} columns={leadColumns} emptyKey="customer.noLeads" />
      <Section title="customer.sales" testId="customer-sales" group={data.sales} columns={saleColumns} emptyKey="customer.noSales" />
      <Section
        title="customer.units"
        testId="customer-units"
        group={{ items: data.units, total: data.units.length }}
        columns={unitColumns}
        emptyKey="customer.noUnits"
      />
    </div>
  );
}
