/**
 * The sale at a glance (antd Card + Descriptions + Progress + Steps): its number, stage, payment
 * method and pending request; who buys which unit at what price and how much is paid; the contract,
 * filing and lead; why it ended; and where it stands in the lifecycle (subscription → contract →
 * payment or mortgage → inspection → handover).
 */
import type { ReactNode } from 'react';
import { Button, Card, Descriptions, Progress, Space, Steps, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { hasPermission } from '../../../../../domain/access.js';
import { isFinalSaleStage, type SaleStage } from '../../../../../domain/sales/types.js';
import type { User } from '../../../api.js';
import { DEFAULT_TIME_ZONE, formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { mayReadRecordViews, WhoViewedLink } from '../../../shared/record-views.js';
import { Link } from '../../../router.js';
import type { Sale } from '../api.js';
import { PendingApprovalBadge, SaleStageBadge, fenOf, paymentMethodName, pctOfFen, yuan } from '../model.js';

/** A `label: value` pair of the older cards (payments, mortgage, handover). */
export function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The lifecycle's steps; the payment step is the mortgage's when the buyer borrows. */
function lifecycle(sale: Sale): { stages: readonly SaleStage[][]; current: number } {
  const pay: SaleStage[] = sale.paymentMethod === 'mortgage' ? ['mortgage_pending', 'paying'] : ['paying'];
  const stages: SaleStage[][] = [['subscribed'], ['contracted'], pay, ['paid'], ['inspection'], ['handed_over']];
  const current = stages.findIndex((group) => group.includes(sale.stage));
  return { stages, current };
}

export function SaleSummary({
  sale,
  user,
  timeZone,
  unitName,
  projectName,
  onRefresh,
  refreshing,
}: {
  sale: Sale;
  user: User;
  timeZone: string;
  unitName: (id: string) => string | null;
  projectName: (id: string) => string | null;
  onRefresh: () => void;
  refreshing: boolean;
}) {
  const { t, lang } = useI18n();
  const final = isFinalSaleStage(sale.stage);
  const buyer = sale.buyerName ?? sale.customer?.name ?? null;
  const ownerLabel = sale.owner.id === user.id ? user.displayName : (sale.owner.name ?? '—');
  const paidPct = pctOfFen(fenOf(sale.paidTotal) ?? 0n, fenOf(sale.price) ?? 0n);
  const canReadLeads = hasPermission(user.role, 'leads:read');
  const { stages, current } = lifecycle(sale);
  const stepTitle = (group: SaleStage[]) => (group.includes('mortgage_pending') ? t('saleStage.mortgage_pending') : t(`saleStage.${group[0]!}` as const));

  const items = [
    {
      key: 'buyer',
      label: t('sale.buyer'),
      children: (
        <span>
          <span data-testid="sale-buyer">{buyer ?? '—'}</span>{' '}
          {sale.customer ? (
            <Typography.Text type="secondary" className="mono">
              {sale.customer.phone}
            </Typography.Text>
          ) : null}
          {sale.customer && mayReadRecordViews(user) ? (
            <>
              {' '}
              <WhoViewedLink customerId={sale.customer.id} />
            </>
          ) : null}
          {sale.buyerName && sale.customer && sale.buyerName !== sale.customer.name ? (
            <Typography.Text type="secondary" style={{ display: 'block' }}>
              {t('sale.renamedFrom', { name: sale.customer.name })}
            </Typography.Text>
          ) : null}
        </span>
      ),
    },
    { key: 'project', label: t('sale.project'), children: sale.project.name ?? projectName(sale.project.id) ?? '—' },
    { key: 'unit', label: t('sale.unit'), children: <span data-testid="sale-unit">{unitName(sale.unit.id) ?? sale.unit.number ?? '—'}</span> },
    { key: 'owner', label: t('sale.owner'), children: <span data-testid="sale-owner">{ownerLabel}</span> },
    { key: 'price', label: t('sale.price'), children: <span data-testid="sale-price">{yuan(sale.price, lang)}</span> },
    { key: 'deposit', label: t('sale.deposit'), children: yuan(sale.deposit, lang) },
    {
      key: 'paid',
      label: t('sale.paid'),
      children: (
        <span style={{ display: 'block', minWidth: 160 }}>
          <span data-testid="sale-paid">{yuan(sale.paidTotal, lang)}</span>
          {paidPct !== null ? (
            <Progress percent={Math.min(100, paidPct)} size="small" aria-label={t('sale.paidProgress', { pct: `${paidPct}%` })} format={() => `${paidPct}%`} />
          ) : null}
        </span>
      ),
    },
    { key: 'outstanding', label: t('sale.outstanding'), children: <span data-testid="sale-outstanding">{yuan(sale.outstanding, lang)}</span> },
    { key: 'area', label: t('sale.contractArea'), children: `${sale.contractArea} m²` },
    { key: 'created', label: t('sale.createdAt'), children: formatDateTime(sale.createdAt, lang, timeZone) },
    ...(sale.contract
      ? [
          {
            key: 'contract',
            label: t('sale.contract'),
            children: (
              <span data-testid="sale-contract">
                <span className="mono" data-testid="sale-contract-no">
                  {sale.contract.contractNo}
                </span>{' '}
                <Typography.Text type="secondary">{formatDateTime(sale.contract.signedAt, lang, timeZone)}</Typography.Text>
              </span>
            ),
          },
        ]
      : []),
    ...(sale.filing
      ? [
          {
            key: 'filing',
            label: t('sale.filing'),
            children: (
              <span>
                <span className="mono">{sale.filing.filingNo}</span> <Typography.Text type="secondary">{formatDateTime(sale.filing.filedAt, lang, timeZone)}</Typography.Text>
              </span>
            ),
          },
        ]
      : []),
    ...(sale.leadId
      ? [
          {
            key: 'lead',
            label: t('sale.lead'),
            children: canReadLeads ? (
              <Link to={`/leads/${encodeURIComponent(sale.leadId)}`} className="strong-link" data-testid="sale-lead-link">
                {t('nav.lead')}
              </Link>
            ) : (
              t('nav.lead')
            ),
          },
        ]
      : []),
    ...(sale.closedAt ? [{ key: 'closed', label: t('sale.closedAt'), children: formatDateTime(sale.closedAt, lang, timeZone) }] : []),
  ];

  return (
    <Card
      className="sale-summary"
      title={
        <Space wrap size={8}>
          <h2 className="card-title-h mono" data-testid="sale-number">
            {sale.number}
          </h2>
          <SaleStageBadge stage={sale.stage} />
          <Tag data-testid="sale-method">{paymentMethodName(sale.paymentMethod, t)}</Tag>
          {sale.pendingApproval ? <PendingApprovalBadge kind={sale.pendingApproval} /> : null}
        </Space>
      }
      extra={
        <Button icon={<ReloadOutlined />} onClick={onRefresh} data-testid="sale-refresh" aria-label={t('action.refresh')} loading={refreshing}>
          {t('action.refresh')}
        </Button>
      }
    >
      {!final || sale.stage === 'handed_over' ? (
        <Steps
          size="small"
          current={sale.stage === 'handed_over' ? stages.length : Math.max(0, current)}
          items={stages.map((group) => ({ title: stepTitle(group) }))}
          style={{ marginBottom: 16 }}
          data-testid="sale-progress"
          responsive
        />
      ) : null}
      {!sale.live && !final ? <Typography.Paragraph type="secondary">{t('sale.notLive')}</Typography.Paragraph> : null}
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} items={items} />
      {sale.lapseReason || sale.cancelReason ? (
        <div style={{ marginTop: 12 }}>
          <Typography.Text strong>{sale.cancelReason ? t('sale.cancelReason') : t('sale.lapseReason')}</Typography.Text>
          <Typography.Paragraph className="pre-wrap" data-testid="sale-end-reason">
            {sale.cancelReason ?? (sale.lapseReason === 'contract_deadline' ? t('sev.lapse.contract_deadline') : sale.lapseReason)}
          </Typography.Paragraph>
        </div>
      ) : null}
      {timeZone !== DEFAULT_TIME_ZONE ? <Typography.Paragraph type="secondary">{t('sale.timeZone', { tz: timeZone })}</Typography.Paragraph> : null}
    </Card>
  );
}
