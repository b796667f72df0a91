/**
 * The next touch: a live countdown (amber within 2 h, red once overdue) and the deadlines around it
 * (due, lapses to the pool, first contact, first touch, pooled, closed) in the project's zone.
 */
import { Card, Descriptions, Typography } from 'antd';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { useNowMs } from '../../../shared/sla.js';
import type { LeadDetail } from '../api.js';
import { LeadCountdown, dueStateOf, isFirstContact } from './lead-ui.js';

const WORKING = (s: string) => s === 'new' || s === 'contacting';

export function NextTouchCard({ lead }: { lead: LeadDetail }) {
  const { t, lang } = useI18n();
  const now = useNowMs();
  const v = dueStateOf(lead, now);
  const working = WORKING(lead.status);
  const items = [
    ...(v.dueAt !== null ? [{ key: 'due', label: t('case.due'), children: <span data-testid="next-touch-due">{formatDateTime(new Date(v.dueAt), lang)}</span> }] : []),
    ...(working && lead.lapsesAt ? [{ key: 'lapses', label: t('lead.lapsesAt'), children: formatDateTime(lead.lapsesAt, lang) }] : []),
    { key: 'first', label: t('lead.firstContactDue'), children: formatDateTime(lead.firstContactDueAt, lang) },
    ...(lead.firstTouchAt ? [{ key: 'firstTouch', label: t('lead.firstTouch'), children: formatDateTime(lead.firstTouchAt, lang) }] : []),
    ...(lead.pooledAt && lead.status === 'pooled' ? [{ key: 'pooled', label: t('lead.pooledAt'), children: formatDateTime(lead.pooledAt, lang) }] : []),
    ...(lead.closedAt ? [{ key: 'closed', label: t('lead.closedAt'), children: formatDateTime(lead.closedAt, lang) }] : []),
  ];
  return (
    <Card className={`next-touch next-touch-${v.state}`} data-testid="next-touch" data-state={v.state} size="small">
      <Typography.Text type="secondary">{working && isFirstContact(lead) ? t('leadDue.firstContact') : t('lead.nextTouch')}</Typography.Text>
      <div className="next-touch-countdown">
        <LeadCountdown lead={lead} testId="lead-countdown" />
      </div>
      <Descriptions size="small" column={{ xs: 1, sm: 2 }} items={items} style={{ marginTop: 8 }} />
    </Card>
  );
}
