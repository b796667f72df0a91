/**
 * The lead page's head: the number, status, grade and source, who the prospect is, the project, the
 * owner by name, the touches so far, the cadence in words and the note (antd Descriptions).
 */
import { Button, Card, Descriptions, Flex, Space, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import type { LeadDetail } from '../api.js';
import { GradeBadge, LeadStatusBadge, cadenceText } from './lead-ui.js';

export function LeadSummary({
  lead,
  ownerLabel,
  projectName,
  working,
  refreshing,
  onRefresh,
}: {
  lead: LeadDetail;
  ownerLabel: string | null;
  projectName: string | null;
  working: boolean;
  refreshing: boolean;
  onRefresh: () => void;
}) {
  const { t, lang } = useI18n();
  const items = [
    {
      key: 'customer',
      label: t('lead.customer'),
      children: lead.customer ? (
        <span>
          <span data-testid="lead-customer-name">{lead.customer.name}</span>{' '}
          <Typography.Text type="secondary" className="mono">
            {lead.customer.phone}
          </Typography.Text>
        </span>
      ) : (
        '—'
      ),
    },
    { key: 'project', label: t('leads.project'), children: projectName ?? lead.projectName ?? '—' },
    {
      key: 'owner',
      label: t('leads.owner'),
      children: <span data-testid="lead-owner">{ownerLabel ?? <Typography.Text type="secondary">{t('leads.noOwner')}</Typography.Text>}</span>,
    },
    { key: 'created', label: t('lead.createdAt'), children: formatDateTime(lead.createdAt, lang) },
    { key: 'touches', label: t('lead.touchCount'), children: <span data-testid="lead-touch-count">{lead.touchCount}</span> },
    { key: 'last', label: t('lead.lastTouch'), children: formatDateTime(lead.lastTouchAt, lang) },
    ...(lead.referrer
      ? [
          {
            key: 'referrer',
            label: t('lead.referrer'),
            children: (
              <span>
                {lead.referrer.name}{' '}
                <Typography.Text type="secondary" className="mono">
                  {lead.referrer.phone}
                </Typography.Text>
              </span>
            ),
          },
        ]
      : []),
    ...(lead.cadence ? [{ key: 'cadence', label: t('lead.cadence'), span: 2, children: cadenceText(lead.cadence, t, lang) }] : []),
    ...(lead.note ? [{ key: 'note', label: t('lead.note'), span: 3, children: <span className="pre-wrap" data-testid="lead-note">{lead.note}</span> }] : []),
  ];
  return (
    <Card
      className="case-head"
      title={
        <Flex wrap gap={8} align="center">
          <h2 className="case-number mono card-title-h" data-testid="lead-number">
            {lead.number}
          </h2>
          <Space size={4} wrap>
            <LeadStatusBadge status={lead.status} />
            <GradeBadge grade={lead.grade} />
            <Tag>{t(`source.${lead.source}` as const)}</Tag>
            {lead.firstContactMissedAt ? <Tag color="red">{t('lead.firstContactMissed')}</Tag> : null}
          </Space>
        </Flex>
      }
      extra={
        <Button icon={<ReloadOutlined />} onClick={onRefresh} loading={refreshing} data-testid="lead-refresh">
          {t('action.refresh')}
        </Button>
      }
    >
      {!lead.live && working ? <Typography.Paragraph type="secondary">{t('lead.notLive')}</Typography.Paragraph> : null}
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} items={items} />
    </Card>
  );
}
