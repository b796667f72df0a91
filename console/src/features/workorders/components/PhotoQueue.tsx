/**
 * Photos from the camera, uploaded one by one as raw bodies with their progress shown. A photo
 * whose upload never got an answer stays in the queue — kept on the phone (IndexedDB,
 * `photo-store.ts`), so a reload, a closed tab or a killed browser loses nothing: the job page
 * sends the order's waiting photos again when it opens — and is retried with a growing pause
 * (2 s, 4 s … 60 s), at once when the phone is back online, or when the user taps "retry now";
 * each file keeps its Idempotency-Key, so a retry never stores it twice.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, Progress, Typography } from 'antd';
import { CameraOutlined } from '@ant-design/icons';
import { ApiError, uuid } from '../../../api.js';
import { useI18n } from '../../../i18n.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { uploadPhoto, type WorkOrderPhoto } from '../api.js';
import { forgetPhoto, keepPhoto, waitingPhotos } from '../photo-store.js';

interface QueuedPhoto {
  id: string;
  file: Blob;
  name: string;
  key: string;
  state: 'uploading' | 'waiting' | 'failed';
  percent: number;
  attempt: number;
  retryAt: number | null;
  error: ApiError | null;
}

const backoffMs = (attempt: number) => Math.min(60_000, 2000 * 2 ** Math.max(0, attempt - 1));

export function PhotoQueue({ orderId, onUploaded }: { orderId: string; onUploaded: (photo: WorkOrderPhoto) => void }) {
  const { t } = useI18n();
  const [queue, setQueue] = useState<QueuedPhoto[]>([]);
  const [now, setNow] = useState(() => Date.now());
  const running = useRef(new Set<string>());
  const timers = useRef(new Map<string, number>());
  const inputRef = useRef<HTMLInputElement>(null);

  const patch = useCallback((id: string, change: Partial<QueuedPhoto>) => setQueue((q) => q.map((p) => (p.id === id ? { ...p, ...change } : p))), []);

  const send = useCallback(
    (item: QueuedPhoto) => {
      if (running.current.has(item.id)) return;
      running.current.add(item.id);
      const timer = timers.current.get(item.id);
      if (timer !== undefined) window.clearTimeout(timer);
      timers.current.delete(item.id);
      const attempt = item.attempt + 1;
      patch(item.id, { state: 'uploading', percent: 0, attempt, retryAt: null, error: null });
      uploadPhoto(orderId, item.file, item.key, (percent) => patch(item.id, { percent }))
        .done.then((photo) => {
          running.current.delete(item.id);
          setQueue((q) => q.filter((p) => p.id !== item.id));
          void forgetPhoto(item.id);
          onUploaded(photo);
        })
        .catch((err: unknown) => {
          running.current.delete(item.id);
          if (err instanceof ApiError) {
            patch(item.id, { state: 'failed', error: err });
            return;
          }
          const wait = backoffMs(attempt);
          patch(item.id, { state: 'waiting', retryAt: Date.now() + wait });
          timers.current.set(item.id, window.setTimeout(() => send({ ...item, attempt }), wait));
        });
    },
    [orderId, onUploaded, patch],
  );

  // Back online: every waiting photo goes at once.
  useEffect(() => {
    const online = () => setQueue((q) => {
      for (const p of q) if (p.state === 'waiting') send(p);
      return q;
    });
    window.addEventListener('online', online);
    const tick = window.setInterval(() => setNow(Date.now()), 1000);
    const pending = timers.current;
    return () => {
      window.removeEventListener('online', online);
      window.clearInterval(tick);
      for (const timer of pending.values()) window.clearTimeout(timer);
    };
  }, [send]);

  // The photos this order left waiting on the phone (a reload, a closed tab): sent again at once.
  useEffect(() => {
    let cancelled = false;
    void waitingPhotos(orderId).then((stored) => {
      if (cancelled || stored.length === 0) return;
      const items = stored.map((p): QueuedPhoto => ({ id: p.id, file: p.file, name: p.name, key: p.key, state: 'waiting', percent: 0, attempt: 0, retryAt: null, error: null }));
      setQueue((q) => [...q, ...items.filter((i) => !q.some((p) => p.id === i.id))]);
      for (const item of items) send(item);
    });
    return () => {
      cancelled = true;
    };
  }, [orderId, send]);

  const add = async (files: FileList | null) => {
    const picked = Array.from(files ?? []);
    if (inputRef.current) inputRef.current.value = '';
    for (const file of picked) {
      const item: QueuedPhoto = { id: uuid(), file, name: file.name, key: uuid(), state: 'uploading', percent: 0, attempt: 0, retryAt: null, error: null };
      // Kept on the phone before the first byte goes out: nothing is lost if the page dies mid-upload.
      await keepPhoto({ id: item.id, orderId, key: item.key, file, name: file.name, addedAt: Date.now() });
      setQueue((q) => [...q, item]);
      send(item);
    }
  };

  const pending = queue.filter((p) => p.state !== 'failed').length;
  return (
    <div data-testid="photo-queue" className="photo-queue">
      <label className="ant-btn ant-btn-default ant-btn-lg field-camera" htmlFor="photo-input">
        <CameraOutlined /> <span>{t('job.takePhoto')}</span>
      </label>
      <input
        ref={inputRef}
        id="photo-input"
        data-testid="photo-input"
        className="visually-hidden-input"
        type="file"
        accept="image/*"
        capture="environment"
        multiple
        onChange={(e) => void add(e.target.files)}
      />
      {pending > 0 ? (
        <Typography.Text type="secondary" data-testid="photo-pending" role="status">
          {t('job.upload.pending', { count: pending })}
        </Typography.Text>
      ) : null}
      <ul className="field-queue">
        {queue.map((p) => (
          <li key={p.id} data-testid="photo-upload" data-state={p.state}>
            <Typography.Text ellipsis style={{ maxWidth: '100%' }}>{p.name}</Typography.Text>
            {p.state === 'uploading' ? (
              <Progress percent={p.percent} size="small" aria-label={t('job.upload.uploading', { percent: p.percent })} />
            ) : p.state === 'waiting' ? (
              <div>
                <Typography.Text type="warning">
                  {t('job.upload.waiting', { seconds: Math.max(0, Math.ceil(((p.retryAt ?? now) - now) / 1000)), attempt: p.attempt + 1 })}
                </Typography.Text>{' '}
                <Button size="small" onClick={() => send(p)}>
                  {t('job.upload.retryNow')}
                </Button>
              </div>
            ) : (
              <div>
                <ProblemAlert error={p.error} withCode />
                <Button
                  size="small"
                  onClick={() => {
                    setQueue((q) => q.filter((x) => x.id !== p.id));
                    void forgetPhoto(p.id);
                  }}
                >
                  {t('job.upload.remove')}
                </Button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
