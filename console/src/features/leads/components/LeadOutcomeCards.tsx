/**
 * How a lead ended or is ending: the loss (reason, note, who and when, the review's decision) and the
 * conversion (unit, price, deposit, who and when, a link to the sale it opened).
 */
import { Card, Descriptions, Typography } from 'antd';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Link } from '../../../router.js';
import type { LeadDetail, LossReason } from '../api.js';
import { lossReasonName, moneyText } from './lead-ui.js';

type NameOf = (id: string | null | undefined) => string | null;

export function LossCard({ lead, reasons, userName }: { lead: LeadDetail; reasons: LossReason[]; userName: NameOf }) {
  const { t, lang } = useI18n();
  const loss = lead.loss;
  if (!loss) return null;
  return (
    <Card title={t('lead.loss')} size="small">
      <Descriptions
        data-testid="lead-loss"
        size="small"
        column={{ xs: 1, sm: 2 }}
        items={[
          { key: 'reason', label: t('lead.lossReason'), children: lossReasonName(loss.reason, reasons, lang) },
          { key: 'at', label: t('lead.lostAt'), children: formatDateTime(loss.lostAt, lang) },
          ...(loss.lostBy ? [{ key: 'by', label: t('review.lostBy'), children: userName(loss.lostBy) ?? t('lead.colleague') }] : []),
          { key: 'decision', label: t('lead.reviewDecision'), children: loss.decision ? t(`decision.${loss.decision}` as const) : t('lead.pendingReview') },
        ]}
      />
      {loss.note ? <Typography.Paragraph className="pre-wrap">{loss.note}</Typography.Paragraph> : null}
    </Card>
  );
}

export function ConversionCard({
  lead,
  saleId,
  canReadSales,
  unitName,
  userName,
}: {
  lead: LeadDetail;
  saleId: string | null;
  canReadSales: boolean;
  unitName: (id: string) => string | null;
  userName: NameOf;
}) {
  const { t, lang } = useI18n();
  const c = lead.conversion;
  const saleLink =
    saleId && canReadSales ? (
      <Link to={`/sales/${encodeURIComponent(saleId)}`} className="btn btn-small btn-primary" data-testid="lead-sale-link">
        {t('lead.openSale')}
      </Link>
    ) : null;
  if (!c) return saleLink ? <Card title={t('lead.conversion')} size="small">{saleLink}</Card> : null;
  return (
    <Card title={t('lead.conversion')} extra={saleLink} size="small">
      <Descriptions
        data-testid="lead-conversion"
        size="small"
        column={{ xs: 1, sm: 2 }}
        items={[
          { key: 'unit', label: t('lead.unit'), children: unitName(c.unitId) ?? '—' },
          { key: 'price', label: t('ev.price'), children: moneyText(c.price, lang) },
          { key: 'deposit', label: t('ev.deposit'), children: moneyText(c.deposit, lang) },
          { key: 'at', label: t('lead.convertedAt'), children: formatDateTime(c.convertedAt, lang) },
          ...(c.convertedBy ? [{ key: 'by', label: t('lead.convertedBy'), children: userName(c.convertedBy) ?? t('lead.colleague') }] : []),
        ]}
      />
    </Card>
  );
}
