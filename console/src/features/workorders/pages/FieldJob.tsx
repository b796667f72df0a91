/**
 * 维修任务 (/field/:id): one job on the technician's phone — call the owner and book the visit's
 * slot, check in (with the phone's position
 * when it gives one), photos from the camera (queued and retried while the network is away), the
 * result, and the owner's sign-off on a finger-drawn pad (or the owner's rejection with a reason);
 * a no-show when the visit could not happen.
 */
import { useCallback, useRef, useState } from 'react';
import { App, Button, Card, Descriptions, Input, Space, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { uuid, type User } from '../../../api.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Link } from '../../../router.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useCheckIn, useNoShow, useSignOff, useWorkOrder, workOrderKeys, type WorkOrderDetail, type WorkOrderPhoto } from '../api.js';
import { BookAppointment } from '../components/BookAppointment.js';
import { ArrivalCountdown, CallOwner, WorkOrderStatus } from '../components/JobBits.js';
import { PhotoQueue } from '../components/PhotoQueue.js';
import { ResultForm } from '../components/ResultForm.js';
import { SignaturePad, type SignaturePadHandle } from '../components/SignaturePad.js';
import { SignOffLinkAction } from '../components/SignOffLinkDialog.js';
import '../workorders.css';

export function FieldJobPage({ id }: { user: User; id: string }) {
  const { t, lang } = useI18n();
  const order = useWorkOrder(id);
  const w = order.data;
  if (!w) {
    return (
      <div className="field-page">
        {order.error ? <ProblemAlert error={order.error} onRetry={() => void order.refetch()} /> : <Typography.Text>{t('app.loading')}</Typography.Text>}
      </div>
    );
  }
  const visit = w.visits[w.visits.length - 1];
  const closed = w.status === 'done' || w.status === 'cancelled';
  return (
    <div className="field-page" data-testid="field-job-page" data-wo-id={w.id} data-status={w.status}>
      <Link to="/field">{t('field.back')}</Link>
      <Typography.Title level={1} className="field-title">
        {w.number}
      </Typography.Title>
      <Space wrap size={[8, 4]}>
        <WorkOrderStatus status={w.status} />
        <ArrivalCountdown order={w} />
      </Space>
      <Descriptions column={1} size="small" className="field-section">
        <Descriptions.Item label={t('job.address')}>
          <span data-testid="job-address">{w.address.label ?? ''}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('job.appointment')}>{w.appointment ? `${formatDateTime(w.appointment.start, lang)} – ${formatDateTime(w.appointment.end, lang)}` : t('field.noAppointment')}</Descriptions.Item>
        <Descriptions.Item label={t('job.description')}>
          <span className="pre-wrap">{w.caseDescription}</span>
        </Descriptions.Item>
      </Descriptions>
      {w.contact ? <CallOwner contact={w.contact} /> : null}
      {closed ? (
        <Typography.Paragraph className="field-section" data-testid="job-finished">
          {t('job.finished')}
        </Typography.Paragraph>
      ) : (
        <>
          {(w.status === 'assigned' || w.status === 'scheduled') && !visit?.checkedInAt ? <BookAppointment key={w.appointment?.start ?? 'none'} order={w} /> : null}
          <CheckIn order={w} checkedInAt={visit?.checkedInAt ?? null} />
          {visit?.checkedInAt ? <OnSite order={w} /> : null}
          <NoShow orderId={w.id} />
        </>
      )}
    </div>
  );
}

function CheckIn({ order, checkedInAt }: { order: WorkOrderDetail; checkedInAt: string | null }) {
  const { t, lang } = useI18n();
  const checkIn = useCheckIn(order.id);
  const keyRef = useRef(uuid());
  const [locating, setLocating] = useState(false);
  if (checkedInAt) {
    return (
      <Typography.Paragraph className="field-section" data-testid="checked-in">
        {t('job.checkedIn', { time: formatDateTime(checkedInAt, lang) })}
      </Typography.Paragraph>
    );
  }
  const go = async () => {
    setLocating(true);
    // The position is optional: refused, unavailable or slow, the check-in goes without it.
    const location = await new Promise<{ lat: number; lng: number; accuracy?: number } | undefined>((resolve) => {
      if (!('geolocation' in navigator)) return resolve(undefined);
      navigator.geolocation.getCurrentPosition(
        (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude, accuracy: Math.min(100_000, p.coords.accuracy) }),
        () => resolve(undefined),
        { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
      );
    });
    setLocating(false);
    await checkIn.mutateAsync({ body: location ? { location } : {}, key: keyRef.current }).catch(() => undefined);
  };
  return (
    <Card size="small" className="field-section">
      {checkIn.error ? <ProblemAlert error={checkIn.error} withCode /> : null}
      <Button type="primary" size="large" block onClick={() => void go()} loading={locating || checkIn.isPending} data-testid="check-in">
        {locating || checkIn.isPending ? t('job.checkingIn') : t('job.checkIn')}
      </Button>
      <Typography.Text type="secondary">{t('job.locationHint')}</Typography.Text>
    </Card>
  );
}

function OnSite({ order }: { order: WorkOrderDetail }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [uploaded, setUploaded] = useState<WorkOrderPhoto[]>([]);
  const onUploaded = useCallback(
    (p: WorkOrderPhoto) => {
      setUploaded((list) => (list.some((x) => x.key === p.key) ? list : [...list, p]));
      void qc.invalidateQueries({ queryKey: workOrderKeys.one(order.id) });
    },
    [qc, order.id],
  );
  const known = new Set(order.photos.map((p) => p.key));
  // The result shows this visit's photos: a rework visit's own, not those an earlier result showed
  // (photos kept before visits were recorded count as the first visit's).
  const visit = order.visits[order.visits.length - 1]?.number ?? 1;
  const ofThisVisit = (p: WorkOrderPhoto) => p.kind === 'photo' && (p.visit ?? 1) === visit;
  const photos = [...order.photos.filter(ofThisVisit), ...uploaded.filter((p) => !known.has(p.key) && ofThisVisit(p))];
  return (
    <>
      <Card size="small" className="field-section" title={<h2 className="card-title-h">{t('job.photos')}</h2>}>
        <PhotoQueue orderId={order.id} onUploaded={onUploaded} />
      </Card>
      {order.status === 'on_site' ? (
        <Card size="small" className="field-section" title={<h2 className="card-title-h">{t('job.result')}</h2>}>
          <ResultForm orderId={order.id} photos={photos} />
        </Card>
      ) : null}
      {order.status === 'awaiting_sign_off' ? <SignOff orderId={order.id} /> : null}
    </>
  );
}

function SignOff({ orderId }: { orderId: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const signOff = useSignOff(orderId);
  const pad = useRef<SignaturePadHandle>(null);
  const keyRef = useRef(uuid());
  const [empty, setEmpty] = useState(true);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');

  const send = async (body: Parameters<typeof signOff.mutateAsync>[0]['body']) => {
    try {
      await signOff.mutateAsync({ body, key: keyRef.current });
      keyRef.current = uuid();
      void message.success({ content: body.accepted ? t('job.signOff.done') : t('job.signOff.rejected'), key: 'wo-sign-off' });
    } catch {
      // Shown by the alert; the same key is kept for a retry of the same answer.
    }
  };

  return (
    <Card size="small" className="field-section" title={<h2 className="card-title-h">{t('job.signOff')}</h2>} data-testid="sign-off">
      {signOff.error ? <ProblemAlert error={signOff.error} withCode /> : null}
      <Typography.Paragraph type="secondary">{t('job.signOff.hint')}</Typography.Paragraph>
      <SignaturePad
        ref={pad}
        label={t('job.signOff.pad')}
        onChange={(e) => {
          setEmpty(e);
          keyRef.current = uuid();
        }}
      />
      <div className="field-actions">
        <Button onClick={() => pad.current?.clear()}>{t('job.signOff.clear')}</Button>
        <Button
          type="primary"
          disabled={empty}
          loading={signOff.isPending}
          data-testid="sign-off-accept"
          onClick={() => {
            const png = pad.current?.toPng();
            if (png) void send({ accepted: true, signature: { png }, channel: 'on_site' });
          }}
        >
          {empty ? t('job.signOff.empty') : t('job.signOff.accept')}
        </Button>
        <Button danger onClick={() => setRejecting((r) => !r)} data-testid="sign-off-reject-open">
          {t('job.signOff.reject')}
        </Button>
        <SignOffLinkAction orderId={orderId} />
      </div>
      {rejecting ? (
        <div className="field-section">
          <label htmlFor="reject-reason">{t('job.signOff.reason')}</label>
          <Input.TextArea
            id="reject-reason"
            rows={2}
            maxLength={1000}
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              keyRef.current = uuid();
            }}
          />
          <Button danger type="primary" disabled={!reason.trim()} loading={signOff.isPending} onClick={() => void send({ accepted: false, reason: reason.trim(), channel: 'on_site' })} data-testid="sign-off-reject">
            {t('job.signOff.submitReject')}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

function NoShow({ orderId }: { orderId: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const noShow = useNoShow(orderId);
  const keyRef = useRef(uuid());
  const record = (party: 'owner' | 'technician') =>
    void noShow
      .mutateAsync({ body: { party }, key: keyRef.current })
      .then(() => {
        keyRef.current = uuid();
        void message.success({ content: t('job.noShow.recorded'), key: 'wo-no-show' });
      })
      .catch(() => undefined);
  return (
    <Card size="small" className="field-section" title={<h2 className="card-title-h">{t('job.noShow')}</h2>}>
      {noShow.error ? <ProblemAlert error={noShow.error} withCode /> : null}
      <div className="field-actions">
        <Button onClick={() => record('owner')} loading={noShow.isPending} data-testid="no-show-owner">
          {t('job.noShow.owner')}
        </Button>
        <Button onClick={() => record('technician')} loading={noShow.isPending} data-testid="no-show-technician">
          {t('job.noShow.technician')}
        </Button>
      </div>
    </Card>
  );
}
