/**
 * Inspection and handover (dates, keys, measured area and its settlement, defects found) and the
 * repair cases they opened, on antd Card, Descriptions, List and Tag.
 */
import { Card, Descriptions, List, Space, Tag, Typography } from 'antd';
import { hasPermission } from '../../../../../domain/access.js';
import { CASE_STATUSES, type CaseStatus } from '../../../../../domain/cases/types.js';
import type { User } from '../../../api.js';
import { formatDate, formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Link } from '../../../router.js';
import type { Sale, SaleDefect } from '../api.js';
import { fenOf, formatFen } from '../model.js';

function DefectList({ title, defects, categoryName }: { title: string; defects: readonly SaleDefect[]; categoryName: (code: string) => string }) {
  const { t } = useI18n();
  return (
    <div style={{ marginTop: 12 }}>
      <Typography.Text strong>{title}</Typography.Text>
      {defects.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('sale.noDefects')}</Typography.Paragraph>
      ) : (
        <List
          size="small"
          data-testid="defects"
          dataSource={[...defects]}
          renderItem={(d, i) => (
            <List.Item key={i}>
              <div>
                <Typography.Text strong>{d.location}</Typography.Text> · <Typography.Text type="secondary">{categoryName(d.category)}</Typography.Text>
                <div className="pre-wrap">{d.description}</div>
              </div>
            </List.Item>
          )}
        />
      )}
    </div>
  );
}

export function HandoverCard({ sale, timeZone, categoryName }: { sale: Sale; timeZone: string; categoryName: (code: string) => string }) {
  const { t, lang } = useI18n();
  const h = sale.handover;
  const settlement = h ? fenOf(h.areaSettlement) : null;
  const items = [
    { key: 'delivery', label: t('sale.deliveryDate'), children: formatDate(sale.deliveryDate, lang, timeZone) },
    { key: 'inspectionAt', label: t('sale.inspectionAt'), children: formatDateTime(sale.inspectionAt, lang, timeZone) },
    ...(sale.inspection ? [{ key: 'inspected', label: t('sale.inspectedAt'), children: formatDateTime(sale.inspection.inspectedAt, lang, timeZone) }] : []),
    ...(h
      ? [
          { key: 'handedOver', label: t('sale.handedOverAt'), children: formatDateTime(h.handedOverAt, lang, timeZone) },
          { key: 'keys', label: t('sale.keys'), children: h.keysIssued },
          {
            key: 'area',
            label: t('sale.measuredArea'),
            children: (
              <span>
                {h.measuredArea} m²{' '}
                <Typography.Text type="secondary">
                  ({t('sale.contractArea')} {sale.contractArea} m²)
                </Typography.Text>
              </span>
            ),
          },
          {
            key: 'diff',
            label: t('sale.areaDiff'),
            children: (
              <Space size={4}>
                {h.areaDifferencePct}%{h.beyondTolerance ? <Tag color="#a8071a">{t('sale.beyondTolerance')}</Tag> : null}
              </Space>
            ),
          },
          {
            key: 'settlement',
            label: t('sale.settlement'),
            children: (
              <span data-testid="area-settlement">
                {settlement === null
                  ? h.areaSettlement
                  : settlement > 0n
                    ? t('sale.settleBuyerPays', { amount: formatFen(settlement, lang) })
                    : settlement < 0n
                      ? t('sale.settleRefund', { amount: formatFen(-settlement, lang) })
                      : t('sale.settleNone')}
              </span>
            ),
          },
          ...(sale.ownerRegistered ? [{ key: 'owner', label: t('sale.ownerRegistered'), children: <Tag color="#237804">{t('common.yes')}</Tag> }] : []),
        ]
      : []),
  ];
  return (
    <Card title={t('sale.handover')} style={{ marginBottom: 16 }}>
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} items={items} />
      {sale.inspection ? <DefectList title={`${t('sale.inspection')} · ${t('sale.defects')}`} defects={sale.inspection.defects} categoryName={categoryName} /> : null}
      {h ? <DefectList title={`${t('saleAct.handover')} · ${t('sale.defects')}`} defects={h.defects} categoryName={categoryName} /> : null}
    </Card>
  );
}

export function CasesCard({ sale, user, timeZone, categoryName }: { sale: Sale; user: User; timeZone: string; categoryName: (code: string) => string }) {
  const { t, lang } = useI18n();
  const canReadCases = hasPermission(user.role, 'cases:read');
  if (sale.cases.length === 0 && !sale.inspection && !sale.handover) return null;
  return (
    <Card title={t('sale.cases')} style={{ marginBottom: 16 }}>
      {sale.cases.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('sale.casesEmpty')}</Typography.Paragraph>
      ) : (
        <List
          size="small"
          data-testid="sale-cases"
          dataSource={sale.cases}
          renderItem={(c) => (
            <List.Item key={c.id} data-case-id={c.id}>
              <div>
                <Space size={6} wrap>
                  {canReadCases ? (
                    <Link to={`/cases/${encodeURIComponent(c.id)}`} className="strong-link mono" data-testid="sale-case-link">
                      {c.number}
                    </Link>
                  ) : (
                    <span className="mono" data-testid="sale-case-number">
                      {c.number}
                    </span>
                  )}
                  <Tag>{(CASE_STATUSES as readonly string[]).includes(c.status) ? t(`caseStatus.${c.status as CaseStatus}` as const) : c.status}</Tag>
                  <Typography.Text type="secondary">
                    {categoryName(c.category)} · {formatDateTime(c.openedAt, lang, timeZone)}
                  </Typography.Text>
                </Space>
                <div className="pre-wrap">{c.description}</div>
              </div>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
