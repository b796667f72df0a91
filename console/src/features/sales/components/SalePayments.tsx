/**
 * Payments received, with the paid and outstanding totals (antd Table with a summary row), and the
 * mortgage's steps (Descriptions, its status a Tag in AA colours). Money is exact (decimal strings
 * through BigInt, model.ts); times in the project's zone.
 */
import { Card, Descriptions, Table, Tag, Typography } from 'antd';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import type { MortgageStatus, Sale } from '../api.js';
import { yuan } from '../model.js';

type Payment = Sale['payments'][number];

const MORTGAGE_COLOR: Record<MortgageStatus, string> = {
  awaiting_documents: '#874d00',
  documents_submitted: '#874d00',
  approved: '#0958d9',
  rejected: '#a8071a',
  disbursed: '#237804',
};

export function PaymentsCard({ sale, timeZone, userName }: { sale: Sale; timeZone: string; userName: (id: string | null | undefined) => string | null }) {
  const { t, lang } = useI18n();
  return (
    <Card title={t('sale.payments')} style={{ marginBottom: 16 }}>
      <Table<Payment>
        data-testid="payments"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        rowKey={(p) => `${p.paidAt}-${p.source}-${p.amount}`}
        dataSource={sale.payments}
        onRow={(p) => ({ 'data-source': p.source }) as never}
        locale={{ emptyText: t('table.empty') }}
        columns={[
          { key: 'at', title: t('sale.paidAt'), render: (_, p) => formatDateTime(p.paidAt, lang, timeZone) },
          { key: 'source', title: t('sale.source'), render: (_, p) => t(`paySource.${p.source}` as const) },
          { key: 'amount', title: t('sale.amount'), align: 'right', render: (_, p) => yuan(p.amount, lang) },
          { key: 'by', title: t('sale.recordedBy'), render: (_, p) => userName(p.recordedBy) ?? '—' },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={2}>
              <Typography.Text strong>
                {t('sale.paid')} / {t('sale.outstanding')}
              </Typography.Text>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={2} align="right">
              <Typography.Text strong>{yuan(sale.paidTotal, lang)}</Typography.Text>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={3}>{yuan(sale.outstanding, lang)}</Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
    </Card>
  );
}

export function MortgageCard({ sale, timeZone }: { sale: Sale; timeZone: string }) {
  const { t, lang } = useI18n();
  const m = sale.mortgage;
  return (
    <Card title={t('sale.mortgage')} style={{ marginBottom: 16 }}>
      {m ? (
        <div data-testid="mortgage" data-status={m.status}>
          <Descriptions
            size="small"
            column={{ xs: 1, sm: 2, lg: 3 }}
            items={[
              {
                key: 'status',
                label: t('sale.mortgageStatus'),
                children: (
                  <Tag color={MORTGAGE_COLOR[m.status]} data-testid="mortgage-status">
                    {t(`mortgageStatus.${m.status}` as const)}
                  </Tag>
                ),
              },
              { key: 'bank', label: t('sale.bank'), children: m.bank ?? '—' },
              { key: 'loan', label: t('sale.loan'), children: yuan(m.amount, lang) },
              { key: 'documents', label: t('sale.documentsAt'), children: formatDateTime(m.documentsAt, lang, timeZone) },
              { key: 'decided', label: t('sale.decidedAt'), children: formatDateTime(m.decidedAt, lang, timeZone) },
              { key: 'disbursed', label: t('sale.disbursedAt'), children: formatDateTime(m.disbursedAt, lang, timeZone) },
            ]}
          />
        </div>
      ) : (
        <Typography.Paragraph type="secondary">{t('mortgageStatus.awaiting_documents')}</Typography.Paragraph>
      )}
    </Card>
  );
}
