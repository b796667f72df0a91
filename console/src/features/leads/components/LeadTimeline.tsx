/**
 * The lead's audit trail in words, newest first (antd Timeline): what happened, when (seconds, the
 * project's zone), who did it by name, and the details (channel, outcome, note, next step, …).
 */
import { Empty, Skeleton, Timeline, Typography } from 'antd';
import { formatDateTimeSeconds } from '../../../format.js';
import { toMs } from '../../../shared/sla.js';
import type { LeadEvent } from '../api.js';
import { describeLeadEvent, type EventContext } from './lead-ui.js';

const COLOR: Record<string, string> = {
  'lead.created': 'blue',
  'lead.touched': 'green',
  'lead.converted': 'green',
  'lead.lost': 'red',
  'lead.first_contact_missed': 'red',
  'lead.pooled': 'orange',
  'lead.closed': 'gray',
};

export function LeadTimeline({ events, loading, ctx }: { events: LeadEvent[]; loading: boolean; ctx: EventContext }) {
  const { t, lang } = ctx;
  if (loading) return <Skeleton active paragraph={{ rows: 4 }} />;
  if (events.length === 0) return <Empty description={<Typography.Text type="secondary">{t('table.empty')}</Typography.Text>} />;
  const sorted = [...events].sort((a, b) => b.seq - a.seq);
  return (
    <Timeline
      data-testid="timeline"
        items={sorted.map((e) => {
          const { title, details } = describeLeadEvent(e, ctx);
          const at = toMs(e.at);
          return {
            key: e.seq,
            color: COLOR[e.type] ?? 'blue',
            content: (
              <div data-testid="timeline-event" data-type={e.type}>
                <div>
                  <strong data-testid="timeline-title">{title}</strong>
                </div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {at !== null ? formatDateTimeSeconds(new Date(at), lang) : '—'} · {ctx.userName(e.actor) ?? t('lead.colleague')}
                </Typography.Text>
                {details.length > 0 ? (
                  <ul className="timeline-details" style={{ margin: '4px 0 0', paddingInlineStart: 18 }}>
                    {details.map((d, i) => (
                      <li key={i} className="pre-wrap">
                        {d}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </div>
            ),
          };
        })}
    />
  );
}
