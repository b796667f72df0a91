/**
 * 发件箱 (administrators): the emails the system sent or holds, newest first, filtered by status on
 * the list kit; a row opens the message in a drawer (its body shown as text, never as HTML).
 */
import { useState } from 'react';
import { Button, Card, Descriptions, Drawer, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { EMAIL_STATUSES, type Email, type EmailStatus } from '../../../../../api/outbox/schemas.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { StatusTag } from '../../../shared/StatusTag.js';
import { DataTable, type DataColumn } from '../../../shared/table/DataTable.js';
import { FilterBar } from '../../../shared/table/FilterBar.js';
import { useListParams } from '../../../shared/table/useListParams.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useOutbox } from '../api.js';

const SORTS = ['default'] as const;
const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

export function OutboxPage() {
  const { t, lang } = useI18n();
  const params = useListParams({ status: '' }, SORTS);
  const status = (EMAIL_STATUSES as readonly string[]).includes(params.get('status')) ? (params.get('status') as EmailStatus) : undefined;
  const list = useOutbox({ page: params.page, pageSize: params.pageSize, status });
  const [selected, setSelected] = useState<Email | null>(null);

  const columns: DataColumn<Email>[] = [
    { key: 'createdAt', title: t('outbox.createdAt'), width: 160, onCell: nowrap, render: (_, m) => formatDateTime(m.createdAt, lang) },
    { key: 'to', title: t('outbox.to'), always: true, width: 220, render: (_, m) => <span className="mono">{m.toAddress}</span> },
    {
      key: 'subject',
      title: t('outbox.subject'),
      width: 260,
      ellipsis: true,
      render: (_, m) => (
        // A real link (focusable, Enter opens it) in the lists' link colour; antd's Typography.Link is #1677ff (4.1:1).
        <a
          href={`#${m.id}`}
          className="strong-link"
          data-testid="outbox-open"
          onClick={(e) => {
            e.preventDefault();
            e.stopPropagation();
            setSelected(m);
          }}
        >
          {m.subject}
        </a>
      ),
    },
    { key: 'status', title: t('outbox.status'), always: true, width: 100, onCell: nowrap, render: (_, m) => <StatusTag kind="email" status={m.status} /> },
    { key: 'transport', title: t('outbox.transport'), optional: true, width: 100, render: (_, m) => m.transport ?? '—' },
    { key: 'sentAt', title: t('outbox.sentAt'), width: 160, onCell: nowrap, render: (_, m) => formatDateTime(m.sentAt, lang) },
  ];

  return (
    <div className="page">
      <Card
        title={<h2 className="card-title-h">{t('outbox.title')}</h2>}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isFetching && !list.isLoading}>
            {t('action.refresh')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('outbox.intro')}</Typography.Paragraph>
        <FilterBar
          id="outbox"
          params={params}
          filters={[{ name: 'status', label: t('outbox.status'), value: status ?? '', options: [{ value: '', label: t('common.all') }, ...EMAIL_STATUSES.map((s) => ({ value: s, label: t(`outboxStatus.${s}` as const) }))] }]}
        />
        {list.error ? <ProblemAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
        <DataTable<Email, 'default'>
          id="outbox"
          rowKey="id"
          columns={columns}
          rows={list.data?.items}
          total={list.data?.total ?? 0}
          loading={list.isLoading}
          params={params}
          defaultSort="default"
          onRowClick={setSelected}
        />
      </Card>
      <Drawer open={selected !== null} onClose={() => setSelected(null)} title={t('outbox.message')} size="large" destroyOnHidden>
        {selected ? (
          <>
            <Descriptions column={1} size="small" bordered data-testid="outbox-detail">
              <Descriptions.Item label={t('outbox.to')}>
                <span className="mono">{selected.toAddress}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('outbox.subject')}>{selected.subject}</Descriptions.Item>
              <Descriptions.Item label={t('outbox.status')}>
                <StatusTag kind="email" status={selected.status} />
              </Descriptions.Item>
              <Descriptions.Item label={t('outbox.createdAt')}>{formatDateTime(selected.createdAt, lang)}</Descriptions.Item>
              <Descriptions.Item label={t('outbox.sentAt')}>{formatDateTime(selected.sentAt, lang)}</Descriptions.Item>
            </Descriptions>
            {/* The body is plain text rendered as text: never interpreted as HTML. */}
            <pre className="mail-text" data-testid="outbox-text">
              {selected.text}
            </pre>
          </>
        ) : null}
      </Drawer>
    </div>
  );
}
