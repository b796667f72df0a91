/**
 * What an unsatisfied callback did, said plainly at the top of the case: reopened at the same tier
 * (who works it, the new resolution deadline) or reopened with a request to move up (to which tier,
 * decided by when). A case reopened earlier says so too, from its current tier period.
 */
import { Alert } from 'antd';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import type { CallbackOutcome, CaseView } from '../model.js';

export function CallbackBanner({ outcome, c, onClose }: { outcome: CallbackOutcome | null; c: CaseView; onClose: () => void }) {
  const { t, lang } = useI18n();
  if (outcome && outcome.outcome !== 'closed') {
    const handler = outcome.handler?.name ?? t('cases.unassigned');
    const tier = t(`tier.${outcome.tier}` as const);
    const due = outcome.nextDeadline ? formatDateTime(outcome.nextDeadline.dueAt, lang) : '—';
    const description =
      outcome.outcome === 'escalated' && outcome.escalation
        ? t('casePage.banner.escalatedNext', {
            toTier: t(`tier.${outcome.escalation.toTier}` as const),
            decideBy: formatDateTime(outcome.escalation.dueAt, lang),
            tier,
            handler,
            due,
          })
        : t('casePage.banner.reopenedNext', { tier, handler, due });
    return (
      <Alert
        type="warning"
        showIcon
        closable
        onClose={onClose}
        data-testid="callback-outcome"
        data-outcome={outcome.outcome}
        title={t(outcome.outcome === 'escalated' ? 'casePage.banner.escalated' : 'casePage.banner.reopened', { n: outcome.satisfaction ?? 0 })}
        description={description}
        role="alert"
      />
    );
  }
  if (c.period?.reason === 'reopened' && c.status !== 'closed') {
    return (
      <Alert
        type="info"
        showIcon
        data-testid="case-reopened"
        title={t('casePage.banner.wasReopened', { at: formatDateTime(c.period.enteredAt, lang), tier: t(`tier.${c.period.tier}` as const) })}
      />
    );
  }
  return null;
}
