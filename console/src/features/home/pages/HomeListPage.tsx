/**
 * The records behind one home count: the count's own list query (the API names it beside the
 * number), so the page holds exactly the records counted — a case, escalation, lead, sale or
 * breached case per row, each opening its record.
 */
import { useState } from 'react';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Card, Empty, Table, Tag, type TableColumnsType } from 'antd';
import type { User } from '../../../api.js';
import type { CaseListItem } from '../../../../../api/cases/schemas.js';
import { formatDateTime } from '../../../format.js';
import { useI18n, type MessageKey } from '../../../i18n.js';
import { Link } from '../../../router.js';
import { StatusTag, type StatusKind } from '../../../shared/StatusTag.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useHome, useHomeList, type HomeCount, type HomeListRow } from '../api.js';
import '../i18n.js';

interface Row {
  id: string;
  number: string;
  path: string;
  status: { kind: StatusKind | 'escalation'; value: string };
  customer: string | null;
  project: string | null;
  who: string | null;
  at: string;
}

/** One record of a count's list, as the table shows it. */
function describe(op: HomeCount['list']['operationId'], r: HomeListRow): Row {
  const enc = encodeURIComponent;
  switch (op) {
    case 'listCases': {
      const c = r as CaseListItem;
      return { id: c.id, number: c.number, path: `/cases/${enc(c.id)}`, status: { kind: 'case', value: c.status }, customer: c.customer?.name ?? null, project: c.projectName, who: c.assigneeName, at: c.openedAt };
    }
    case 'listEscalations': {
      const e = r as Extract<HomeListRow, { fromTier: unknown }>;
      return { id: e.id, number: e.caseNumber ?? e.caseId, path: `/cases/${enc(e.caseId)}`, status: { kind: 'escalation', value: e.status }, customer: null, project: null, who: null, at: e.requestedAt };
    }
    case 'listLeads': {
      const l = r as Extract<HomeListRow, { grade: unknown }>;
      return { id: l.id, number: l.number, path: `/leads/${enc(l.id)}`, status: { kind: 'lead', value: l.status }, customer: l.customer?.name ?? null, project: l.projectName, who: l.ownerName, at: l.nextTouchDueAt ?? l.createdAt };
    }
    case 'listSales': {
      const s = r as Extract<HomeListRow, { stage: unknown }>;
      return { id: s.id, number: s.number, path: `/sales/${enc(s.id)}`, status: { kind: 'sale', value: s.stage }, customer: s.buyerName ?? s.customer?.name ?? null, project: s.project.name, who: s.owner.name, at: s.createdAt };
    }
    case 'listSlaBreachedCases': {
      const b = r as Extract<HomeListRow, { breachCount: unknown }>;
      return { id: b.caseId, number: b.caseNumber, path: `/cases/${enc(b.caseId)}`, status: { kind: 'case', value: b.status }, customer: null, project: b.projectName, who: b.assigneeName, at: b.lastBreachedAt };
    }
  }
}

export function HomeListPage({ id }: { user: User; id: string }) {
  const { t, lang } = useI18n();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const home = useHome();
  const count = home.data?.counts.find((c) => c.key === id);
  const list = useHomeList(count, page, pageSize);
  const rows = count && list.data ? list.data.items.map((r) => describe(count.list.operationId, r)) : [];

  const columns: TableColumnsType<Row> = [
    {
      key: 'number',
      title: t('home.col.number'),
      render: (_, r) => (
        <Link to={r.path} className="strong-link mono" data-testid="home-list-link">
          {r.number}
        </Link>
      ),
    },
    {
      key: 'status',
      title: t('home.col.status'),
      render: (_, r) =>
        r.status.kind === 'escalation' ? <Tag>{t(`escStatus.${r.status.value}` as MessageKey)}</Tag> : <StatusTag kind={r.status.kind} status={r.status.value} />,
    },
    { key: 'customer', title: t('home.col.customer'), render: (_, r) => r.customer ?? '—' },
    { key: 'project', title: t('home.col.project'), responsive: ['md'], render: (_, r) => r.project ?? '—' },
    { key: 'who', title: t('home.col.who'), responsive: ['md'], render: (_, r) => r.who ?? '—' },
    { key: 'at', title: t('home.col.at'), className: 'nowrap', render: (_, r) => formatDateTime(r.at, lang) },
  ];

  const title = count ? t(`home.count.${count.key}`) : t('nav.homeList');
  return (
    <div className="page home-page">
      <Link to="/" className="back-link">
        <ArrowLeftOutlined aria-hidden="true" /> {t('home.list.back')}
      </Link>
      <ProblemAlert error={home.error ?? list.error} onRetry={() => void list.refetch()} />
      {home.data && !count ? (
        <Empty description={<span className="muted">{t('home.list.unknown')}</span>} />
      ) : (
        <Card
          title={
            <h2 className="card-title" data-testid="home-list-title">
              {title}
            </h2>
          }
          extra={list.data ? <span data-testid="home-list-total">{t('home.list.total', { n: list.data.total })}</span> : null}
        >
          {count ? <p className="muted">{t(`home.count.${count.key}.tip`)}</p> : null}
          <Table<Row>
            data-testid="home-list-table"
            className={list.isFetching ? 'is-loading' : undefined}
            rowKey="id"
            columns={columns}
            dataSource={rows}
            loading={home.isPending || list.isPending}
            size="middle"
            scroll={{ x: 'max-content' }}
            pagination={{
              current: page,
              pageSize,
              total: list.data?.total ?? 0,
              hideOnSinglePage: true,
              onChange: (p, size) => {
                setPage(size !== pageSize ? 1 : p);
                setPageSize(size);
              },
            }}
          />
        </Card>
      )}
    </div>
  );
}
