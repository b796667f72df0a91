/** The sale's timeline in words (describeSaleEvent), newest first, actors by name. */
import { formatDateTimeSeconds } from '../../../format.js';
import type { SaleEvent } from '../api.js';
import { toMs } from '../../../shared/sla.js';
import { describeSaleEvent, type SaleEventContext } from '../model.js';

export function SaleTimeline({ events, loading, ctx }: { events: SaleEvent[]; loading: boolean; ctx: SaleEventContext }) {
  const { t, lang } = ctx;
  if (events.length === 0) return <p className="muted">{loading ? t('table.loading') : t('table.empty')}</p>;
  const sorted = [...events].sort((a, b) => b.seq - a.seq);
  return (
    <ol className="timeline" data-testid="timeline">
      {sorted.map((e) => {
        const { title, details } = describeSaleEvent(e, ctx);
        const at = toMs(e.at);
        return (
          <li key={e.seq} className={`timeline-item timeline-${e.type.replace(/[^a-z_]+/g, '-')}`} data-testid="timeline-event" data-type={e.type}>
            <div className="timeline-head">
              <strong data-testid="timeline-title">{title}</strong>
              <span className="muted nowrap">{at !== null ? formatDateTimeSeconds(new Date(at), lang, ctx.timeZone) : '—'}</span>
            </div>
            <div className="timeline-actor muted">
              #{e.seq} · {e.actor === 'system' ? t('sale.system') : (e.actorName ?? ctx.userName(e.actor) ?? e.actor.slice(0, 8))}
            </div>
            {details.length > 0 ? (
              <ul className="timeline-details">
                {details.map((d, i) => (
                  <li key={i}>{d}</li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
