import { useState } from 'react';
import { api, type Email, type EmailStatus } from '../api.js';
import { formatDateTime } from '../format.js';
import { useI18n } from '../i18n.js';
import { Badge, Card, DataTable, IconButton, Pagination, ProblemAlert, useAsync, usePaging, type BadgeTone, type Column } from '../ui.js';

const STATUS_TONE: Record<EmailStatus, BadgeTone> = { PENDING: 'amber', SENT: 'green', HELD: 'purple', FAILED: 'red' };

export function OutboxPage() {
  const { t, lang } = useI18n();
  const { page, pageSize, setPage, setPageSize } = usePaging();
  const [selected, setSelected] = useState<Email | null>(null);
  const list = useAsync((signal) => api.outbox({ page, pageSize }, signal), [page, pageSize]);

  const columns: Column<Email>[] = [
    { key: 'createdAt', header: t('outbox.createdAt'), className: 'nowrap', render: (m) => formatDateTime(m.createdAt, lang) },
    { key: 'to', header: t('outbox.to'), render: (m) => <span className="mono">{m.toAddress}</span> },
    { key: 'subject', header: t('outbox.subject'), render: (m) => <span className="ellipsis">{m.subject}</span> },
    { key: 'status', header: t('outbox.status'), render: (m) => <Badge tone={STATUS_TONE[m.status]}>{t(`outboxStatus.${m.status}` as const)}</Badge> },
    { key: 'transport', header: t('outbox.transport'), render: (m) => m.transport ?? '—' },
    { key: 'sentAt', header: t('outbox.sentAt'), className: 'nowrap', render: (m) => formatDateTime(m.sentAt, lang) },
  ];

  return (
    <div className={`page${selected ? ' split' : ''}`}>
      <Card title={t('outbox.title')} actions={<IconButton icon="refresh" label={t('action.refresh')} onClick={list.reload} />}>
        <p className="card-intro muted">{t('outbox.intro')}</p>
        <ProblemAlert error={list.error} onRetry={list.reload} />
        <DataTable
          testId="outbox-table"
          columns={columns}
          rows={list.data?.items}
          rowKey={(m) => m.id}
          loading={list.loading}
          onRowClick={setSelected}
          selectedKey={selected?.id ?? null}
        />
        <Pagination page={page} pageSize={pageSize} total={list.data?.total ?? 0} onPage={setPage} onPageSize={setPageSize} />
      </Card>
      {selected ? (
        <Card
          className="mail-card"
          title={t('outbox.message')}
          actions={
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setSelected(null)}>
              {t('action.close')}
            </button>
          }
        >
          <dl className="mail-meta" data-testid="outbox-detail">
            <dt>{t('outbox.to')}</dt>
            <dd className="mono">{selected.toAddress}</dd>
            <dt>{t('outbox.subject')}</dt>
            <dd>{selected.subject}</dd>
            <dt>{t('outbox.status')}</dt>
            <dd>
              <Badge tone={STATUS_TONE[selected.status]}>{t(`outboxStatus.${selected.status}` as const)}</Badge>
            </dd>
            <dt>{t('outbox.createdAt')}</dt>
            <dd>{formatDateTime(selected.createdAt, lang)}</dd>
            <dt>{t('outbox.sentAt')}</dt>
            <dd>{formatDateTime(selected.sentAt, lang)}</dd>
          </dl>
          {/* The body is plain text rendered as text: never interpreted as HTML. */}
          <pre className="mail-text" data-testid="outbox-text">
            {selected.text}
          </pre>
        </Card>
      ) : null}
    </div>
  );
}
