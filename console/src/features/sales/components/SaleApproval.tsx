/**
 * A pending cancellation, unit change or rename, and the sales manager's decision on it (approve or
 * reject, with an optional note checked by the server's DecideApprovalBody), shared by the sale page
 * and the approval queue; the decision is the console's one approval shape (shared/approval). The
 * workflow decides whether the decision is accepted: a refusal comes back as a 409 problem with its code.
 */
import type { ReactNode } from 'react';
import { Descriptions, Space, Tag, Typography } from 'antd';
import { DecideApprovalBody } from '../../../../../api/sales/schemas.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import type { SaleApproval } from '../api.js';
import { ApprovalDecision, type Decision } from '../../../shared/approval/ApprovalCard.js';

// Solid, dark enough for white text (AA): antd's pale gold and green presets fall below 4.5:1.
const STATUS_COLOR: Record<SaleApproval['status'], string> = { pending: '#874d00', approved: '#237804', rejected: 'default' };
const NoteBody = DecideApprovalBody.pick({ note: true });

/** What was asked, why, by whom, and (once decided) the decision. */
export function ApprovalFacts({
  approval,
  timeZone,
  userName,
  unitName,
  withReason = true,
  children,
}: {
  approval: SaleApproval;
  timeZone: string;
  userName: (id: string | null | undefined) => string | null;
  unitName: (id: string) => string | null;
  /** The queue's card shows the reason itself. */
  withReason?: boolean;
  children?: ReactNode;
}) {
  const { t, lang } = useI18n();
  const a = approval;
  const items = [
    ...(a.kind === 'change_unit' && a.unitId
      ? [{ key: 'unit', label: t('sale.newUnit'), children: <span data-testid="approval-unit">{unitName(a.unitId) ?? '—'}</span> }]
      : []),
    ...(a.kind === 'rename' && a.buyerName ? [{ key: 'buyer', label: t('sale.newBuyer'), children: <span data-testid="approval-buyer">{a.buyerName}</span> }] : []),
    {
      key: 'requested',
      label: t('sale.requestedBy'),
      children: (
        <span data-testid="approval-requester">
          {userName(a.requestedBy) ?? '—'} · {formatDateTime(a.requestedAt, lang, timeZone)}
        </span>
      ),
    },
    ...(a.decidedBy
      ? [{ key: 'decided', label: t('sale.decidedBy'), children: `${userName(a.decidedBy) ?? '—'} · ${formatDateTime(a.decidedAt, lang, timeZone)}` }]
      : []),
    ...(a.note ? [{ key: 'note', label: t('sale.note'), children: <span className="pre-wrap" data-testid="approval-note">{a.note}</span> }] : []),
  ];
  return (
    <div className="approval" data-testid="approval" data-approval-id={a.id} data-kind={a.kind} data-status={a.status}>
      <Space size={4} wrap style={{ marginBottom: 8 }}>
        <Tag color="purple" data-testid="approval-kind">
          {t(`approvalKind.${a.kind}` as const)}
        </Tag>
        <Tag color={STATUS_COLOR[a.status] ?? 'default'} data-testid="approval-status">
          {t(`approvalStatus.${a.status}` as const)}
        </Tag>
      </Space>
      {withReason ? (
        <Typography.Paragraph className="pre-wrap" data-testid="approval-reason">
          {a.reason}
        </Typography.Paragraph>
      ) : null}
      <Descriptions size="small" column={1} items={items} style={{ marginBottom: 8 }} />
      {children}
    </div>
  );
}

/** Approve or reject a pending approval, each with an optional note. */
export function SaleDecision({ onDecide, busy }: { onDecide: (decision: Decision, note: string) => void; busy?: boolean }) {
  const { t } = useI18n();
  const spec = (kind: Decision) => ({
    schema: NoteBody,
    field: 'note',
    label: t('saleAct.note'),
    button: kind === 'approve' ? t('saleAct.approve') : t('saleAct.reject'),
    testId: kind === 'approve' ? 'approval-approve' : 'approval-reject',
  });
  return <ApprovalDecision approve={spec('approve')} reject={spec('reject')} onDecide={onDecide} cancelLabel={t('action.cancel')} inputTestId="approval-note-input" busy={busy} />;
}
