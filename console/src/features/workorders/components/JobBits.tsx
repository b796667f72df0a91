/** Small parts the field pages share: an order's status tag and its arrival-target countdown. */
import { Button, Tag } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import { useI18n } from '../../../i18n.js';
import { formatCountdown, useNowMs } from '../../../shared/sla.js';
import type { WorkOrder } from '../api.js';

const STATUS_COLOURS: Record<WorkOrder['status'], string> = {
  awaiting_quote: 'default',
  awaiting_assignment: 'warning',
  assigned: 'processing',
  scheduled: 'processing',
  on_site: 'cyan',
  awaiting_sign_off: 'purple',
  done: 'success',
  cancelled: 'default',
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
  if (visit?.checkedInAt) return <Tag color="success" data-testid="wo-arrival" data-state="arrived">{t('field.arrived')}</Tag>;
  if (!order.arrivalDueAt || order.status === 'done' || order.status === 'cancelled') return null;
  const left = Date.parse(order.arrivalDueAt) - now;
  return left >= 0 ? (
    <Tag color="processing" data-testid="wo-arrival" data-state="running">{t('field.arrivalIn', { time: formatCountdown(left, lang) })}</Tag>
  ) : (
    <Tag color="error" data-testid="wo-arrival" data-state="late">{t('field.arrivalLate', { time: formatCountdown(left, lang) })}</Tag>
  );
}

/** The owner's number as a call button (masked for technicians: the phone dials what it is given). */
export function CallOwner({ phone }: { phone: string }) {
  const { t } = useI18n();
  return (
    <Button href={`tel:${phone.replace(/[^\d+*]/g, '')}`} icon={<PhoneOutlined />} data-testid="call-owner">
      {t('field.call', { phone })}
    </Button>
  );
}
