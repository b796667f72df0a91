/**
 * A record's status as a coloured tag — a case's status, tier, severity, an SLA target's state, an
 * escalation's, a lead's status, a sale's stage, a unit's — in the user's language. The colours are solid and dark enough for white text (WCAG AA contrast):
 * antd's light preset tags (orange, gold, green on their pale backgrounds) fall below 4.5:1.
 */
import { Tag } from 'antd';
import { useI18n, type MessageKey } from '../i18n.js';

export type StatusKind = 'case' | 'tier' | 'severity' | 'target' | 'escalation' | 'lead' | 'sale' | 'unit' | 'email';

const PREFIX: Record<StatusKind, string> = {
  case: 'caseStatus',
  tier: 'tier',
  severity: 'severity',
  target: 'targetState',
  escalation: 'escStatus',
  lead: 'leadStatus',
  sale: 'saleStage',
  unit: 'unitStatus',
  email: 'outboxStatus',
};

/** The tag colours (white text on each passes WCAG AA), for a feature's own coloured tags. */
export const TONE = { todo: '#ad4e00', active: '#0958d9', waiting: '#874d00', done: '#237804', pool: '#531dab', alert: '#a8071a' } as const;

const COLOR: Record<string, string | undefined> = {
  'case.open': TONE.todo,
  'case.contacted': TONE.active,
  'case.waiting_on_customer': TONE.waiting,
  'case.resolved': TONE.done,
  'tier.PROJECT': TONE.active,
  'tier.COMPANY': TONE.waiting,
  'tier.GROUP': TONE.alert,
  'severity.major': TONE.alert,
  'target.running': TONE.active,
  'target.warning': TONE.waiting,
  'target.met': TONE.done,
  'target.met_late': TONE.waiting,
  'target.breached': TONE.alert,
  'escalation.pending': TONE.waiting,
  'escalation.approved': TONE.done,
  'escalation.auto_escalated': TONE.alert,
  'lead.new': TONE.active,
  'lead.contacting': TONE.active,
  'lead.pooled': TONE.pool,
  'lead.converted': TONE.done,
  'lead.lost_pending_review': TONE.alert,
  'sale.subscribed': TONE.active,
  'sale.contracted': TONE.active,
  'sale.paying': TONE.waiting,
  'sale.mortgage_pending': TONE.waiting,
  'sale.paid': TONE.done,
  'sale.inspection': TONE.active,
  'sale.handed_over': TONE.done,
  'unit.AVAILABLE': TONE.done,
  'unit.RESERVED': TONE.waiting,
  'unit.SOLD': TONE.active,
  'email.PENDING': TONE.waiting,
  'email.SENT': TONE.done,
  'email.HELD': TONE.pool,
  'email.FAILED': TONE.alert,
};

export function StatusTag({ kind, status, testId }: { kind: StatusKind; status: string; testId?: string }) {
  const { t } = useI18n();
  return (
    <Tag color={COLOR[`${kind}.${status}`]} data-testid={testId} data-status={status}>
      {t(`${PREFIX[kind]}.${status}` as MessageKey)}
    </Tag>
  );
}
