/**
 * The next deadline with its live countdown (amber near it, red past it), the delivery, inspection
 * and next progress letter dates, and every open deadline in a table (missed ones flagged) — on
 * antd Card, Descriptions, Table and Tag.
 */
import { Card, Descriptions, Table, Tag, Tooltip, Typography } from 'antd';
import { isFinalSaleStage } from '../../../../../domain/sales/types.js';
import { formatDate, formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import type { Sale, SaleDeadline } from '../api.js';
import { toMs, useNowMs } from '../../../shared/sla.js';
import { SaleCountdown, deadlineName, saleDueState } from '../model.js';
import '../sales.css';

const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

export function NextDeadlineCard({ sale, timeZone }: { sale: Sale; timeZone: string }) {
  const { t, lang } = useI18n();
  const now = useNowMs();
  const final = isFinalSaleStage(sale.stage);
  const next = sale.nextDeadline ? (sale.deadlines.find((d) => d.kind === sale.nextDeadline!.kind) ?? sale.nextDeadline) : null;
  const v = saleDueState(next, sale.stage, now);
  const deadlines = [...sale.deadlines].sort((a, b) => (toMs(a.dueAt) ?? 0) - (toMs(b.dueAt) ?? 0));
  const missed = (d: SaleDeadline) => d.missedAt !== null || (toMs(d.dueAt) ?? Infinity) <= now;
  const facts = [
    ...(v.dueAt !== null ? [{ key: 'due', label: t('sale.due'), children: <span data-testid="next-deadline-due">{formatDateTime(new Date(v.dueAt), lang, timeZone)}</span> }] : []),
    ...(!final
      ? [
          { key: 'delivery', label: t('sale.deliveryDate'), children: formatDate(sale.deliveryDate, lang, timeZone) },
          { key: 'inspection', label: t('sale.inspectionAt'), children: formatDateTime(sale.inspectionAt, lang, timeZone) },
        ]
      : []),
    ...(sale.nextProgressAt ? [{ key: 'progress', label: t('sale.nextProgress'), children: formatDateTime(sale.nextProgressAt, lang, timeZone) }] : []),
  ];
  return (
    <Card
      size="small"
      className={`next-touch next-touch-${v.state}`}
      data-testid="next-deadline"
      data-state={v.state}
      data-kind={sale.nextDeadline?.kind ?? ''}
      title={t('sale.nextDeadline')}
      style={{ marginBottom: 16 }}
    >
      <div className="next-touch-main">
        <div>
          {sale.nextDeadline ? (
            <div className="next-deadline-name" data-testid="next-deadline-name">
              {deadlineName(sale.nextDeadline.kind, t)}
            </div>
          ) : null}
          <div className="next-touch-countdown">
            <SaleCountdown deadline={next} stage={sale.stage} testId="sale-countdown" />
          </div>
        </div>
        {facts.length > 0 ? <Descriptions size="small" column={1} items={facts} /> : null}
      </div>
      {final ? (
        <Typography.Paragraph type="secondary">{t('sale.ended')}</Typography.Paragraph>
      ) : deadlines.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('sale.noDeadline')}</Typography.Paragraph>
      ) : null}
      {deadlines.length > 0 ? (
        <Table<SaleDeadline>
          data-testid="deadlines"
          size="small"
          rowKey="kind"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={deadlines}
          rowClassName={(d) => (missed(d) ? 'row-overdue' : d.reminded ? 'row-soon' : '')}
          onRow={(d) => ({ 'data-testid': 'deadline-row', 'data-kind': d.kind, 'data-missed': missed(d) ? 'true' : 'false' }) as never}
          columns={[
            { key: 'kind', title: t('sale.deadline'), render: (_, d) => deadlineName(d.kind, t) },
            { key: 'due', title: t('sale.due'), onCell: nowrap, render: (_, d) => formatDateTime(d.dueAt, lang, timeZone) },
            {
              key: 'remind',
              title: t('sale.remindAt'),
              onCell: nowrap,
              render: (_, d) => (
                <>
                  {formatDateTime(d.remindAt, lang, timeZone)} {d.reminded ? <Typography.Text type="secondary">· {t('sale.reminded')}</Typography.Text> : null}
                </>
              ),
            },
            {
              key: 'state',
              title: t('sale.deadlineState'),
              onCell: nowrap,
              render: (_, d) =>
                missed(d) ? (
                  <Tooltip title={d.missedAt ? t('sale.missedAt', { at: formatDateTime(d.missedAt, lang, timeZone) }) : undefined}>
                    <Tag color="#a8071a" data-testid="deadline-missed">
                      {t('sale.missed')}
                    </Tag>
                  </Tooltip>
                ) : (
                  <SaleCountdown deadline={d} stage={sale.stage} testId="deadline-countdown" />
                ),
            },
          ]}
        />
      ) : null}
    </Card>
  );
}
