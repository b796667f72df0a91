/**
 * 发送签收链接: the holder asks for the owner's one-time sign-off link and shows it as a QR code
 * (drawn in the browser by the `qrcode` package: the link never leaves the phone again) with the
 * link itself and a copy button. The API also emails it when the owner's record has an email.
 * Each request makes a new link and revokes the older one: one per click.
 */
import { useEffect, useState } from 'react';
import { Button, Input, Modal, Space, Typography } from 'antd';
import QRCode from 'qrcode';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useIssueSignOffLink, type SignOffLink } from '../api.js';

export function SignOffLinkAction({ orderId }: { orderId: string }) {
  const { t, lang } = useI18n();
  const issue = useIssueSignOffLink(orderId);
  const [open, setOpen] = useState(false);
  const [link, setLink] = useState<SignOffLink | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  // Each click is one new link (the older one stops working).
  const ask = () => {
    setCopied(false);
    setLink(null);
    setQr(null);
    issue.mutate({ email: true }, { onSuccess: setLink });
  };

  useEffect(() => {
    if (!link) return;
    let live = true;
    void QRCode.toDataURL(link.url, { errorCorrectionLevel: 'M', margin: 2, width: 240 }).then((png) => {
      if (live) setQr(png);
    });
    return () => {
      live = false;
    };
  }, [link]);

  const copy = async () => {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link.url);
      setCopied(true);
    } catch {
      // No clipboard (an insecure origin, a refused permission): the link stays selectable in the field.
    }
  };
  const close = () => {
    setOpen(false);
    setLink(null);
    setQr(null);
  };

  return (
    <>
      <Button
        onClick={() => {
          setOpen(true);
          ask();
        }}
        data-testid="sign-off-link-open"
      >
        {t('signLink.send')}
      </Button>
      <Modal open={open} title={t('signLink.title')} onCancel={close} footer={<Button onClick={close}>{t('signLink.close')}</Button>} destroyOnHidden>
        {issue.error ? <ProblemAlert error={issue.error} withCode onRetry={ask} /> : null}
        {link ? (
          <div className="sign-link" data-testid="sign-off-link">
            {qr ? <img src={qr} alt={t('signLink.qr')} width={240} height={240} className="sign-link-qr" data-testid="sign-off-link-qr" /> : null}
            <Typography.Paragraph>{t('signLink.hint', { time: formatDateTime(link.expiresAt, lang) })}</Typography.Paragraph>
            {link.emailed ? <Typography.Paragraph type="secondary">{t('signLink.emailed')}</Typography.Paragraph> : null}
            <Space.Compact style={{ width: '100%' }}>
              <Input readOnly value={link.url} aria-label={t('signLink.link')} data-testid="sign-off-link-url" onFocus={(e) => e.currentTarget.select()} />
              <Button type="primary" onClick={() => void copy()}>
                {copied ? t('signLink.copied') : t('signLink.copy')}
              </Button>
            </Space.Compact>
            <Button onClick={ask} loading={issue.isPending} className="field-section">
              {t('signLink.again')}
            </Button>
          </div>
        ) : issue.isPending ? (
          <Typography.Text>{t('app.loading')}</Typography.Text>
        ) : null}
      </Modal>
    </>
  );
}
