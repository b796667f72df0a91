/**
 * Booking (or moving) the current visit's slot with the owner from the phone, after the call: a
 * day, a start time and a length, in China time (the projects' time zone). The server keeps the
 * rules — the slot must end by the case's resolution target, and not be over already — and its
 * refusals show as they come; the target is shown beside the form so the technician proposes a
 * slot that fits.
 */
import { useRef, useState } from 'react';
import { App, Button, Card, Select, Typography } from 'antd';
import { DateTime } from 'luxon';
import { uuid } from '../../../api.js';
import { DEFAULT_TIME_ZONE, formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useBookAppointment, type WorkOrderDetail } from '../api.js';

const LENGTHS = [60, 120, 240] as const;

/** The next whole hour from now, in China time, as the form's first proposal. */
function nextHour(nowMs: number): DateTime {
  return DateTime.fromMillis(nowMs, { zone: DEFAULT_TIME_ZONE }).plus({ hours: 1 }).startOf('hour');
}

export function BookAppointment({ order }: { order: Pick<WorkOrderDetail, 'id' | 'appointment' | 'resolutionDueAt'> }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const book = useBookAppointment(order.id);
  const keyRef = useRef(uuid());
  const first = order.appointment ? DateTime.fromISO(order.appointment.start, { zone: DEFAULT_TIME_ZONE }) : nextHour(Date.now());
  const [day, setDay] = useState(first.toISODate()!);
  const [time, setTime] = useState(first.toFormat('HH:mm'));
  const [minutes, setMinutes] = useState<number>(order.appointment ? Math.max(30, Math.round((Date.parse(order.appointment.end) - Date.parse(order.appointment.start)) / 60_000)) : 120);
  const [open, setOpen] = useState(order.appointment === null);

  const start = DateTime.fromISO(`${day}T${time}`, { zone: DEFAULT_TIME_ZONE });
  const valid = start.isValid && day !== '' && time !== '';
  const changed = () => {
    keyRef.current = uuid();
  };
  const submit = async () => {
    if (!valid) return;
    try {
      await book.mutateAsync({ body: { start: start.toUTC().toISO()!, end: start.plus({ minutes }).toUTC().toISO()! }, key: keyRef.current });
      keyRef.current = uuid();
      setOpen(false);
      void message.success({ content: t('job.book.done'), key: 'wo-book' });
    } catch {
      // Shown by the alert; the same key is kept for a retry of the same slot.
    }
  };

  return (
    <Card size="small" className="field-section" title={<h2 className="card-title-h">{t('job.book')}</h2>} data-testid="book-appointment">
      {order.resolutionDueAt ? (
        <Typography.Paragraph type="secondary" data-testid="book-deadline">
          {t('job.book.deadline', { time: formatDateTime(order.resolutionDueAt, lang) })}
        </Typography.Paragraph>
      ) : null}
      {!open ? (
        <Button onClick={() => setOpen(true)} data-testid="book-open">
          {t('job.book.move')}
        </Button>
      ) : (
        <form
          className="field-book"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          {book.error ? <ProblemAlert error={book.error} withCode /> : null}
          <label htmlFor="book-day">{t('job.book.day')}</label>
          <input
            id="book-day"
            className="field-input"
            type="date"
            required
            value={day}
            onChange={(e) => {
              setDay(e.target.value);
              changed();
            }}
          />
          <label htmlFor="book-time">{t('job.book.time')}</label>
          <input
            id="book-time"
            className="field-input"
            type="time"
            required
            step={900}
            value={time}
            onChange={(e) => {
              setTime(e.target.value);
              changed();
            }}
          />
          <label htmlFor="book-length">{t('job.book.length')}</label>
          <Select
            id="book-length"
            value={minutes}
            onChange={(v) => {
              setMinutes(v);
              changed();
            }}
            options={LENGTHS.map((m) => ({ value: m, label: t('job.book.hours', { hours: m / 60 }) }))}
          />
          <Typography.Text type="secondary">{t('job.book.zone', { tz: DEFAULT_TIME_ZONE })}</Typography.Text>
          <Button type="primary" htmlType="submit" size="large" block disabled={!valid} loading={book.isPending} data-testid="book-submit">
            {t('job.book.submit')}
          </Button>
        </form>
      )}
    </Card>
  );
}
