/**
 * 业主签收 (/sign/:token): the owner's page of a one-time sign-off link, outside the signed-in
 * console (no account). It shows what the owner decides on — the order, what was done, by whom,
 * where — and signs only on an explicit "确认签收 / Confirm sign-off" after drawing a signature
 * (a link scanner that opens the page signs nothing), or sends what is still wrong instead. Phone
 * first; zh-CN by default with the English switch.
 */
import { useEffect, useRef, useState } from 'react';
import { Button, Card, Descriptions, Input, Result, Typography } from 'antd';
import { useParams } from 'react-router';
import { ApiError } from '../../../api.js';
import { LangSwitch } from '../../../app/LangSwitch.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { problemText } from '../../../problems.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useSignOffLinkSummary, useSignOffThroughLink, type SignOffLinkSummary } from '../api.js';
import { SignaturePad, type SignaturePadHandle } from '../components/SignaturePad.js';
import '../workorders.css';

export function OwnerSignOffPage() {
  const { token = '' } = useParams();
  const { t } = useI18n();
  const summary = useSignOffLinkSummary(token);
  const answer = useSignOffThroughLink(token);

  useEffect(() => {
    document.title = `${t('owner.title')} · ${t('app.name')}`;
  }, [t]);

  let body: React.ReactNode;
  if (answer.data) {
    const number = answer.data.workOrderNumber;
    body = answer.data.accepted ? (
      <Result status="success" title={<h2 className="owner-result-title">{t('owner.done')}</h2>} subTitle={t('owner.done.body', { number })} data-testid="owner-signed" />
    ) : (
      <Result status="info" title={<h2 className="owner-result-title">{t('owner.rejected')}</h2>} subTitle={t('owner.rejected.body', { number })} data-testid="owner-rejected" />
    );
  } else if (isGone(answer.error) || isGone(summary.error)) {
    body = <GoneLink error={(isGone(answer.error) ? answer.error : summary.error) as ApiError} />;
  } else if (summary.error) {
    body = <ProblemAlert error={summary.error} onRetry={() => void summary.refetch()} />;
  } else if (!summary.data) {
    body = <Typography.Text>{t('app.loading')}</Typography.Text>;
  } else {
    body = (
      <>
        <Summary s={summary.data} />
        <Decide pending={answer.isPending} error={answer.error} onAnswer={(b) => answer.mutate(b)} />
      </>
    );
  }

  return (
    <main className="owner-sign-page" data-testid="owner-sign-page">
      <div className="owner-sign-head">
        <Typography.Title level={1} className="field-title">
          {t('owner.title')}
        </Typography.Title>
        <LangSwitch />
      </div>
      {body}
    </main>
  );
}

/** A link that no longer works (404 unknown, 410 used, expired or withdrawn): said plainly, with what to do. */
const isGone = (e: unknown): e is ApiError => e instanceof ApiError && (e.status === 404 || e.status === 410);

function GoneLink({ error }: { error: ApiError }) {
  const { t, lang } = useI18n();
  const { detail, title } = problemText(lang, error.problem);
  return (
    <Result
      status="warning"
      title={<h2 className="owner-result-title">{error.status === 404 ? t('owner.notFound') : t('owner.gone')}</h2>}
      subTitle={
        <>
          <span className="pre-wrap">{detail ?? title}</span>
          {error.problem.reason === 'SIGN_OFF_LINK_USED' ? null : <span className="pre-wrap"> {t('owner.askAgain')}</span>}
        </>
      }
      data-testid="owner-link-gone"
      data-reason={error.problem.reason}
    />
  );
}

function Summary({ s }: { s: SignOffLinkSummary }) {
  const { t, lang } = useI18n();
  const place = [s.project, s.unit].filter(Boolean).join(' ');
  return (
    <>
      <Typography.Paragraph>{t('owner.intro')}</Typography.Paragraph>
      <Descriptions column={1} size="small" className="field-section" data-testid="owner-summary">
        <Descriptions.Item label={t('owner.order')}>{s.workOrderNumber}</Descriptions.Item>
        <Descriptions.Item label={t('owner.category')}>{lang === 'en' ? s.category.en : s.category.zh}</Descriptions.Item>
        <Descriptions.Item label={t('owner.warranty')}>{t(s.warranty === 'covered' ? 'owner.warranty.covered' : 'owner.warranty.not_covered')}</Descriptions.Item>
        {place ? <Descriptions.Item label={t('owner.place')}>{place}</Descriptions.Item> : null}
        {s.holder ? <Descriptions.Item label={t('owner.holder')}>{s.holder}</Descriptions.Item> : null}
        <Descriptions.Item label={t('owner.result')}>
          <span className="pre-wrap" data-testid="owner-result-text">
            {s.result ? s.result.text : t('owner.noResult')}
          </span>
        </Descriptions.Item>
        {s.result && s.result.materials.length > 0 ? (
          <Descriptions.Item label={t('owner.materials')}>
            <ul className="owner-materials">
              {s.result.materials.map((m, i) => (
                <li key={i}>
                  {m.name} × {m.quantity} {m.unit}
                </li>
              ))}
            </ul>
          </Descriptions.Item>
        ) : null}
      </Descriptions>
      <Typography.Paragraph type="secondary">{t('owner.expires', { time: formatDateTime(s.expiresAt, lang) })}</Typography.Paragraph>
    </>
  );
}

type Answer = { accepted: true; signature: { png: string } } | { accepted: false; reason: string };

function Decide({ pending, error, onAnswer }: { pending: boolean; error: unknown; onAnswer: (a: Answer) => void }) {
  const { t } = useI18n();
  const pad = useRef<SignaturePadHandle>(null);
  const [empty, setEmpty] = useState(true);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  return (
    <Card size="small" className="field-section" title={<h2 className="card-title-h">{rejecting ? t('owner.reason') : t('owner.sign')}</h2>}>
      {error ? <ProblemAlert error={error} /> : null}
      {rejecting ? (
        <>
          <Input.TextArea id="owner-reason" aria-label={t('owner.reason')} rows={3} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="owner-reason" />
          <div className="field-actions">
            <Button danger type="primary" disabled={!reason.trim()} loading={pending} onClick={() => onAnswer({ accepted: false, reason: reason.trim() })} data-testid="owner-submit-reject">
              {t('owner.submitReject')}
            </Button>
            <Button onClick={() => setRejecting(false)}>{t('owner.back')}</Button>
          </div>
        </>
      ) : (
        <>
          <SignaturePad ref={pad} label={t('owner.pad')} onChange={setEmpty} />
          <div className="field-actions">
            <Button
              type="primary"
              size="large"
              disabled={empty}
              loading={pending}
              data-testid="owner-confirm"
              onClick={() => {
                const png = pad.current?.toPng();
                if (png) onAnswer({ accepted: true, signature: { png } });
              }}
            >
              {empty ? t('owner.signFirst') : t('owner.confirm')}
            </Button>
            <Button onClick={() => pad.current?.clear()}>{t('owner.clear')}</Button>
          </div>
          <div className="field-section">
            <Button danger onClick={() => setRejecting(true)} data-testid="owner-reject-open">
              {t('owner.reject')}
            </Button>
          </div>
        </>
      )}
    </Card>
  );
}
