/** Small parts the field pages share: an order's status tag and its arrival-target countdown. */
import { Button, Tag } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import { useI18n } from '../../../i18n.js';
import { formatCountdown, useNowMs } from '../../../shared/sla.js';
import type { WorkOrder } from '../api.js';

// Solid tones dark enough for white text (WCAG AA), as shared/StatusTag's.
const TONE = { todo: '#ad4e00', active: '#0958d9', waiting: '#874d00', done: '#237804', pool: '#531dab', alert: '#a8071a', grey: '#595959' } as const;
const STATUS_COLOURS: Record<WorkOrder['status'], string> = {
  awaiting_quote: TONE.waiting,
  awaiting_assignment: TONE.todo,
  assigned: TONE.active,
  scheduled: TONE.active,
  on_site: TONE.pool,
  awaiting_sign_off: TONE.waiting,
  done: TONE.done,
  cancelled: TONE.grey,
};

export function WorkOrderStatus({ status }: { status: WorkOrder['status'] }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLOURS[status]} data-testid="wo-status" data-status={status}>
      {t(`status.${status}`)}
    </Tag>
  );
}

/** Time left to the current visit's arrival target (or how late), ticking every second. */
export function ArrivalCountdown({ order }: { order: Pick<WorkOrder, 'arrivalDueAt' | 'visits' | 'status'> }) {
  const { t, lang } = useI18n();
  const now = useNowMs();
  const visit = order.visits[order.visits.length - 1];
  if (visit?.checkedInAt) return <Tag color={TONE.done} data-testid="wo-arrival" data-state="arrived">{t('field.arrived')}</Tag>;
  if (!order.arrivalDueAt || order.status === 'done' || order.status === 'cancelled') return null;
  const left = Date.parse(order.arrivalDueAt) - now;
  return left >= 0 ? (
    <Tag color={TONE.active} data-testid="wo-arrival" data-state="running">{t('field.arrivalIn', { time: formatCountdown(left, lang) })}</Tag>
  ) : (
    <Tag color={TONE.alert} data-testid="wo-arrival" data-state="late">{t('field.arrivalLate', { time: formatCountdown(left, lang) })}</Tag>
  );
}

/**
 * The owner's number as a call button: the label shows the number as the person may read it
 * (masked for field staff), the button dials `callNumber`, which the server gives only to roles
 * that call owners and to the holder of an open order. Without it the button says why it cannot call.
 */
export function CallOwner({ contact }: { contact: { phone: string; callNumber: string | null } }) {
  const { t } = useI18n();
  const { phone, callNumber } = contact;
  if (callNumber === null) {
    return (
      <Button disabled icon={<PhoneOutlined />} data-testid="call-owner" title={t('field.callClosed')}>
        {t('field.call', { phone })}
      </Button>
    );
  }
  return (
    <Button href={`tel:${callNumber.replace(/[^\d+]/g, '')}`} icon={<PhoneOutlined />} data-testid="call-owner">
      {t('field.call', { phone })}
    </Button>
  );
}
